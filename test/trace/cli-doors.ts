/**
 * The CLI as the trace tests drive it: in process through `main()`, or spawned from the
 * built bundle (dist/cli.js) as a user runs it; and a shared recording with the moment its
 * end dump was taken (events.txt).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { sharedTraces } from '../model/shared-traces';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

/** `irqlab ARGS` through main(), output captured. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } },
    cwd: process.cwd(),
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** `irqlab ARGS` as a spawned process of the built bundle. */
export function irqlab(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A shared recording's trace files and the epoch at which `info pic (end)` was requested (events.txt). */
export function recording(name: string): { traces: string[]; dump: string; epoch: string } {
  const dir = join(sharedTraces(), name);
  const traces = readdirSync(dir).filter((f) => /^(trace\.log|log-\d+\.txt)(\.gz)?$/.test(f)).map((f) => join(dir, f));
  const m = /epoch=(\d+\.\d+) info pic \(end\) requested/.exec(readFileSync(join(dir, 'events.txt'), 'utf8'));
  assert.ok(m, `${name}/events.txt names the end dump's moment`);
  return { traces, dump: join(dir, 'info-pic-end.txt'), epoch: m[1]! };
}
