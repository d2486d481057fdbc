/** `irqlab replay` and `irqlab import qemu-trace` through the CLI's main(), on the samples. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from './cli-doors';
import { SAMPLE_2CPU, SHARED_TRACES } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'irqlab-trace-'));

describe('irqlab replay', () => {
  test('the shipped 2-cpu XIVE sample agrees: exit 0', async () => {
    const r = await cli('replay', SAMPLE_2CPU);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /4665 lines, 4665 events, \d+ steps, \d+ checks: the model agrees with QEMU/);
  });
  test('gzip is read directly; --json gives the summary', async () => {
    const gz = join(tmp, 'trace.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE_2CPU)));
    const r = await cli('replay', '--json', gz);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { lines: number; divergenceCount: number };
    assert.equal(j.lines, 4665);
    assert.equal(j.divergenceCount, 0);
  });
  test('per-thread logs of one run (log-<tid>.txt.gz) are merged in time order', async () => {
    const byTid = new Map<string, string[]>();
    for (const l of readFileSync(SAMPLE_2CPU, 'latin1').split('\n')) {
      if (l === '') continue;
      const tid = l.slice(0, l.indexOf('@'));
      if (!byTid.has(tid)) byTid.set(tid, []);
      byTid.get(tid)!.push(l);
    }
    assert.ok(byTid.size >= 3);
    const files = [...byTid].map(([tid, ls]) => {
      const f = join(tmp, `log-${tid}.txt.gz`);
      writeFileSync(f, gzipSync(`${ls.join('\n')}\n`));
      return f;
    });
    const r = await cli('replay', ...files);
    assert.equal(r.code, 0, r.out.slice(0, 3000));
    assert.match(r.out, /4665 lines, 4665 events, \d+ steps, \d+ checks: the model agrees with QEMU/);
  });
  test('a changed value: exit 1 and the line, operation, QEMU\'s and the model\'s value', async () => {
    const lines = readFileSync(SAMPLE_2CPU, 'latin1').split('\n');
    const i = lines.findIndex((l, k) => k > 500 && l.includes('xive_tctx_tm_read @0x20810 sz=2 val=0x8006'));
    lines[i] = lines[i]!.replace('val=0x8006', 'val=0x8007');
    const f = join(tmp, 'mutated.log');
    writeFileSync(f, lines.join('\n'));
    const r = await cli('replay', f);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`mutated.log:${i + 1}: divergence on value\\n  operation: tima vcpu \\d load16 0x810\\n  QEMU:  0x8007\\n  model: 0x8006`));
  });
  test('unusable input: exit 2 with a message naming the file, no stack trace', async () => {
    const missing = await cli('replay', join(tmp, 'nope.log'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.log:1: cannot read: no such file/);
    const badgz = join(tmp, 'bad.log.gz');
    writeFileSync(badgz, Buffer.concat([gzipSync(readFileSync(SAMPLE_2CPU)).subarray(0, 5000)]));
    const truncated = await cli('replay', badgz);
    assert.match(truncated.err, /bad\.log\.gz:\d+: cannot read: (truncated|corrupt)/);
    assert.doesNotMatch(truncated.err + missing.err, /\n\s+at /);
    const usage = await cli('replay');
    assert.equal(usage.code, 2);
  });
  test('the 1.36M-line 4-cpu sample (gzip) agrees', { skip: !existsSync(`${SHARED_TRACES}/qemu-7.2-xive-4cpu-load`) && 'no ../shared/traces' }, async () => {
    const r = await cli('replay', `${SHARED_TRACES}/qemu-7.2-xive-4cpu-load/trace.log.gz`);
    assert.equal(r.code, 0, r.out.slice(0, 2000));
    assert.match(r.out, /1364390 lines/);
  });
});

describe('irqlab import qemu-trace', () => {
  test('writes one statement per operation with QEMU\'s values and the trace line; runs green', async () => {
    const out = join(tmp, 'x2.irq');
    const r = await cli('import', 'qemu-trace', SAMPLE_2CPU, '-o', out);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^device xive {2}# trace\.log:1$/m);
    assert.match(text, /^tima vcpu 0 load16 0x810 -> 0x8006 {2}# trace\.log:\d+$/m);
    assert.match(text, /^esb 0x0 management load 0xc00 -> 0x1 {2}# trace\.log:19$/m);
    const run = await cli('run', out);
    assert.equal(run.code, 0, run.out.slice(-2000));
    assert.match(run.out, /\d+ passed, 0 failed/);
  });
  test('an output that cannot be created: exit 2 naming it, before the trace is read', async () => {
    const out = join(tmp, 'no-such-dir', 'x.irq');
    const r = await cli('import', 'qemu-trace', SAMPLE_2CPU, '-o', out);
    assert.equal(r.code, 2);
    assert.equal(r.err, `irqlab import: cannot write ${out}: ENOENT (ENOENT: no such file or directory, open '${out}')\n`);
  });
  test('an output whose writes fail (a full disk): exit 2 naming it, not a success', { skip: !existsSync('/dev/full') && 'no /dev/full' }, async () => {
    const r = await cli('import', 'qemu-trace', SAMPLE_2CPU, '-o', '/dev/full');
    assert.equal(r.code, 2);
    assert.match(r.err, /^irqlab import: cannot write \/dev\/full: ENOSPC \(/);
    assert.doesNotMatch(r.err, /statements from/);
  });
  test('an unknown kind names the kinds', async () => {
    const r = await cli('import', 'nonsense', 'x');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown kind 'nonsense' \(qemu-trace/);
  });
});
