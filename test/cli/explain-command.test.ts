/** `irqlab explain` through a spawned process (the built CLI), as a user runs it. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const FIX = 'test/dsl/fixtures/explain';

function irqlab(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('irqlab explain (spawned)', () => {
  before(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
    assert.ok(existsSync(CLI), 'dist/cli.js is built');
  });

  test('a source blocked at its event queue: the chain, the stop, the rule and the next statement', () => {
    const r = irqlab('explain', `${FIX}/xive-eq-not-configured.irq`, 'source', '0x1300');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], `${FIX}/xive-eq-not-configured.irq: at the end (step 9)`);
    assert.equal(lines[1], 'source 0x1300 (xive): blocked: EQ 0/6 not configured');
    const stop = lines.indexOf('         ^ stops here');
    assert.match(lines[stop - 2], /^ {2}BLOCKS EQ 0\/6 {2}\[configured=false\]$/);
    assert.match(lines[stop - 1], /disabled .* \(kvmppc_xive_native_set_queue_config\)$/);
    assert.ok(lines.includes('  - configure EQ 0/6: set eq_config server 0 priority 6 = { flags always_notify, qshift 16, qaddr 0x70000, qtoggle 1 }'), r.out);
  });

  test('--json: { file, at: { line, step }, explanation } with the chain as data', () => {
    const r = irqlab('explain', '--json', `${FIX}/xics-ipi-more-favoured.irq`, 'source', '0x1000');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.at, { line: 9, step: 7 });
    assert.equal(j.explanation.kind, 'source');
    assert.equal(j.explanation.status, 'blocked');
    const stop = j.explanation.chain[j.explanation.stoppedAt];
    assert.deepEqual([stop.link, stop.verdict, stop.rule], ['icp', 'blocks', 'icp_check_resend']);
    assert.equal(stop.state.mfrr, '0x04');
  });

  test('--at LINE explains the state after that line; vcpu and eq entries too', () => {
    const early = irqlab('explain', '--at', '9', `${FIX}/xive-delivered.irq`, 'source', '0x1300');
    assert.equal(early.code, 0, early.err);
    assert.match(early.out, /after line 9 \(step 7\)\nsource 0x1300 \(xive\): blocked: vCPU 1 stopped/);
    const vcpu = irqlab('explain', `${FIX}/xive-delivered.irq`, 'vcpu', '1');
    assert.match(vcpu.out, /vCPU 1 \(xive\): signalled: priority 6 next \(CPPR 0xff\)/);
    const entry = irqlab('explain', `${FIX}/xive-delivered.irq`, 'eq', '1', '6', '0');
    assert.match(entry.out, /EQ 1\/6\[0\] = 0x80001300: EISN 0x1300, generation 1, unread/);
    assert.match(entry.out, /written at step 9, .*xive-delivered\.irq:11: esb 0x1300 store 0x000 \(source 0x1300\)/);
  });

  test('usage and input errors exit 2 with a message naming the cause', () => {
    const missing = irqlab('explain', 'nope.irq', 'source', '1');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read 'nope\.irq'/);
    const what = irqlab('explain', `${FIX}/xive-delivered.irq`, 'source', 'uart\u001b');
    assert.equal(what.code, 2);
    assert.match(what.err, /'uart\\x1b' is not a number/);
    const past = irqlab('explain', '--at', '999', `${FIX}/xive-delivered.irq`, 'vcpu', '0');
    assert.equal(past.code, 2);
    assert.match(past.err, /--at 999 is past the end/);
    const entry = irqlab('explain', `${FIX}/xics-reject-resend.irq`, 'eq', '0', '6', '0');
    assert.equal(entry.code, 2);
    assert.match(entry.err, /event queues exist only with a XIVE native device/);
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-explain-'));
    const broken = join(dir, 'broken.irq');
    writeFileSync(broken, 'device xive\nvcpu 0 conect\n');
    const b = irqlab('explain', broken, 'vcpu', '0');
    assert.equal(b.code, 2);
    assert.match(b.err, /broken\.irq:2:\d+: error: /);
    const trace = join(dir, 'trace.log');
    writeFileSync(trace, '1234@1700000000.000001:xive_source_esb_write addr=0x0 val=0x0\n');
    const t = irqlab('explain', trace, 'source', '0x1300');
    assert.equal(t.code, 2);
    assert.match(t.err, /trace\.log: no QEMU trace event in it that replays as an operation/);
  });

  test('--help describes the command', () => {
    const r = irqlab('explain', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: irqlab explain \[--json\] \[--at LINE\] FILE \(source IRQ \| vcpu N \| eq SERVER PRIORITY INDEX\)/);
  });
});
