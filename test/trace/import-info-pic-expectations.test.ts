/**
 * `irqlab import qemu-trace TRACE... --info-pic DUMP [--at-epoch S]` through the spawned CLI:
 * the dumped final state closes the scenario as expectations, and the scenario runs green.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, irqlab, recording } from './cli-doors';

const tmp = mkdtempSync(join(tmpdir(), 'irqlab-import-pic-'));

describe('irqlab import qemu-trace --info-pic (spawned)', () => {
  before(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
  });

  test('XIVE 2-cpu: VP, END and ESB PQ expectations close the scenario, and it runs green', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const out = join(tmp, 'xive.irq');
    const imp = irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', r.dump, '--at-epoch', r.epoch, '-o', out);
    assert.equal(imp.code, 0, imp.err);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /# The final state QEMU dumped \(info pic info-pic-end\.txt\)/);
    assert.match(text, /get vp vcpu 1 -> \{ nsr 0x00, cppr 0xff, ipb 0x00, ack 0xff, inc 0x00, pipr 0xff \}\n/);
    assert.match(text, /get eq_config server 0 priority 6 -> \{ qaddr 0x36a0000, qtoggle 1, qindex 317 \}\n/);
    assert.match(text, /esb 0x1303 load 0x800 -> 1\n/);
    const run = irqlab('run', out);
    assert.equal(run.code, 0, run.out.slice(-2000) + run.err);
    assert.match(run.out, / 0 failed/);
  });

  test('XICS 2-cpu (per-thread gzip logs): ICP and source expectations, untraced sources named, green', () => {
    const r = recording('qemu-7.2-xics-2cpu-dint');
    const out = join(tmp, 'xics.irq');
    const imp = irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', r.dump, '--at-epoch', r.epoch, '-o', out);
    assert.equal(imp.code, 0, imp.err);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /get icp vcpu 0 -> \{ cppr 0xff, xisr 0x0, mfrr 0xff, ppri 0xff \}\n/);
    assert.match(text, /get source 0x1203 -> \{ priority 0x05 \}\n/);
    assert.match(text, /# source 0x1303: never in the trace \(claimed at machine setup\): not expected\n/);
    const run = irqlab('run', out);
    assert.equal(run.code, 0, run.out.slice(-2000) + run.err);
  });

  test('a dump that disagrees with the trace: import says so (exit 1) and the run fails on that expectation', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const dump = join(tmp, 'changed.txt');
    const lines = readFileSync(r.dump, 'utf8').split('\n');
    lines[7] = lines[7]!.replace('OS    00   ff', 'OS    00   05');
    writeFileSync(dump, lines.join('\n'));
    const out = join(tmp, 'changed.irq');
    const imp = irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', dump, '--at-epoch', r.epoch, '-o', out);
    assert.equal(imp.code, 1, imp.err);
    assert.match(imp.err, /differs from .*changed\.txt on 1 field/);
    const run = irqlab('run', out);
    assert.equal(run.code, 1, run.out.slice(-2000));
    assert.match(run.out, / 1 failed/);
  });

  test('an unreadable or unparsable dump exits 2 naming it', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const bad = join(tmp, 'bad.txt');
    writeFileSync(bad, 'not a dump\n');
    const res = irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', bad);
    assert.equal(res.code, 2);
    assert.match(res.err, /bad\.txt:1: /);
    assert.equal(irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', join(tmp, 'missing.txt')).code, 2);
  });
});
