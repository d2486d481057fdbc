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

test('decode flags an ICP word kvmppc_xics_set_icp refuses (XISR 0 with PPRI 5) and passes a consistent one', async () => {
  const bad = await cli('decode', 'xics-icp', '0xff00000000050000');
  assert.match(bad.out, /warning: the kernel refuses this word with EINVAL: XISR 0 \(nothing pending\) requires PPRI 0xff, not 0x05 \(kvmppc_xics_set_icp\)/);
  const ipi = await cli('decode', 'xics-icp', '0xff00000205050000');
  assert.doesNotMatch(ipi.out, /warning/, ipi.out);
  const good = await cli('decode', 'xics-icp', '0x00000000ffff0000');
  assert.doesNotMatch(good.out, /warning/, good.out);
});

test('decode xive-vp-state documents both 64-bit words of the 128-bit KVM_REG_PPC_VP_STATE', async () => {
  const r = await cli('decode', 'xive-vp-state', '0x0005000000ff00ff');
  assert.match(r.out, /note: KVM_REG_PPC_VP_STATE is 128 bits, two 64-bit words .*element 1 is not used/);
});
