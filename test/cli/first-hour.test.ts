/** Issue 13 through the CLI: `run --verbose` notes, and predicted rejections that do not block a run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, {
    stdout: (t) => { out += t; },
    stderr: (t) => { out += t; },
    readFile: (p) => { try { return readFileSync(join(process.cwd(), p), 'utf8'); } catch { return undefined; } },
    cwd: process.cwd(),
  });
  return { code, out };
}

const FILE = 'test/cli/fixtures/first-hour.irq';

test('run --verbose: every statement with its result and a note naming each silent effect and its rule', async () => {
  const r = await cli('run', '--verbose', FILE);
  const lines = r.out.split('\n');
  assert.ok(lines.includes(`${FILE}:3:1: vcpu 0 connect => ok`), r.out);
  const trigger = lines.findIndex((l) => l.startsWith(`${FILE}:9:1: esb 0x1300 trigger store 0 => ok`));
  assert.ok(trigger > 0, r.out);
  assert.match(lines[trigger + 1], /^ {2}note: trigger of 0x1300 dropped: PQ is -Q .*\(xive_esb_trigger\) \[droppedPqOff\]$/);
  assert.ok(lines.includes(`${FILE}:10:1: log pq -Q`), r.out);
});

test('a predicted kernel rejection is a warning; the statement runs and its errno is reported (exit 1, not 2)', async () => {
  const r = await cli('run', FILE);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /11:\d+: warning: the kernel rejects this with EINVAL: .* if server 9 has a connected vCPU \(else ENOENT\)/);
  assert.match(r.out, /11:1: FAIL operation failed: ENOENT: no connected vCPU has server 9/);
  const check = await cli('check', FILE);
  assert.equal(check.code, 0, check.out);
});
