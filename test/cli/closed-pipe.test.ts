/**
 * `irqlab run big.irq | head`: the reader closes the pipe while the CLI is
 * still printing. The CLI must stop quietly, with no stack trace.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../debug/harness';

const CLI = join(ROOT, 'bin', 'irqlab.js');

before(() => ensureBuilt());

test('a reader that closes the pipe early ends irqlab run quietly (no EPIPE stack trace)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-pipe-'));
  const file = join(dir, 'long.irq');
  const lines = ['device xive'];
  for (let i = 0; i < 50_000; i++) lines.push(`log "line ${i}"`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const child = spawn(process.execPath, [CLI, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  child.stdout.once('data', () => child.stdout.destroy());
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(killer);
  assert.notEqual(signal, 'SIGKILL', 'irqlab hung after its reader went away');
  assert.doesNotMatch(stderr, /EPIPE|internal error|at .*\.js:\d+/, stderr);
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
});
