/**
 * `irqlab replay --info-pic / --compare-info-pic DUMP / --at-epoch` through the spawned CLI:
 * each sample's end-of-run `info pic` equals the model's at the moment QEMU printed it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, irqlab, recording } from './cli-doors';

/** A copy of the XIVE 2-cpu end dump whose CPU[0001] OS CPPR (line 8) says 05 instead of ff. */
function dumpWithCpu1Cppr05(original: string): string {
  const dump = join(mkdtempSync(join(tmpdir(), 'irqlab-replay-pic-')), 'dump.txt');
  const lines = readFileSync(original, 'utf8').split('\n');
  lines[7] = lines[7]!.replace('OS    00   ff', 'OS    00   05');
  writeFileSync(dump, lines.join('\n'));
  return dump;
}

const SAMPLES = ['qemu-7.2-xive-2cpu', 'qemu-7.2-xics-2cpu-dint', 'qemu-7.2-xive-4cpu-load'];

describe('irqlab replay --compare-info-pic (spawned)', () => {
  before(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
  });

  for (const name of SAMPLES) {
    test(`${name}: the end dump equals the model's info pic at the dump's moment`, () => {
      const r = recording(name);
      const res = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', r.epoch);
      assert.equal(res.code, 0, res.out + res.err);
      assert.match(res.out, /the model's info pic at --at-epoch \S+ equals QEMU's/);
    });
  }

  test('XIVE: the TCG-reset LSMFB/AGE are set aside with their reason, in text and JSON', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const text = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', r.epoch);
    assert.match(text.out, /4 difference\(s\) set aside: XIVE thread context LSMFB and AGE .*TCG reset/);
    const json = irqlab('replay', '--json', ...r.traces, `--info-pic=${r.dump}`, '--at-epoch', r.epoch);
    assert.equal(json.code, 0, json.err);
    const j = JSON.parse(json.out) as { infoPicComparison: { differences: unknown[]; ignored: Record<string, number> }; stoppedAt: { line: number } };
    assert.deepEqual(j.infoPicComparison.differences, []);
    assert.equal(Object.values(j.infoPicComparison.ignored).reduce((a, b) => a + b, 0), 4);
    assert.equal(j.stoppedAt.line, 4657);
  });

  test('XICS: sources the trace never mentions, at reset in the dump, are set aside and said so', () => {
    const r = recording('qemu-7.2-xics-2cpu-dint');
    const res = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', r.epoch);
    assert.match(res.out, /3 difference\(s\) set aside: a source the trace never mentions/);
  });

  test('without --at-epoch the lines QEMU traced after the dump show as differences (exit 1) and the hint says why', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const res = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump);
    assert.equal(res.code, 1, res.out + res.err);
    assert.match(res.out, /info-pic-end\.txt:24: info pic differs on LISN 00001300 PQ\n {2}QEMU: {2}--\n {2}model: P-\n/);
    assert.match(res.out, /--at-epoch SECONDS stops the replay at the moment the dump was taken/);
  });

  test('a changed field in the dump is reported at its line with QEMU\'s and the model\'s values', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const dump = dumpWithCpu1Cppr05(r.dump);
    const res = irqlab('replay', ...r.traces, '--compare-info-pic', dump, '--at-epoch', r.epoch);
    assert.equal(res.code, 1, res.out + res.err);
    assert.match(res.out, /dump\.txt:8: info pic differs on CPU\[0001\] OS CPPR\n {2}QEMU: {2}05\n {2}model: ff\n/);
    assert.match(res.out, /1 info pic difference\(s\) at --at-epoch/);
  });

  test('--info-pic alone prints the model\'s state in QEMU\'s layout after the summary', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const res = irqlab('replay', ...r.traces, '--info-pic', '--at-epoch', r.epoch);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /CPU\[0001\]: {3}OS {4}00 {3}ff/);
    assert.match(res.out, / {2}00001203 LSI -- {4}00000013 {3}0\/6 {4}317\/16384/);
  });

  for (const name of ['qemu-7.2-xive-2cpu', 'qemu-7.2-xics-2cpu-dint']) {
    test(`${name}: --at-epoch auto finds when the end dump was taken, and that epoch replays to the same state`, () => {
      const r = recording(name);
      const res = irqlab('replay', '--json', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', 'auto');
      assert.equal(res.code, 0, res.out + res.err);
      const j = JSON.parse(res.out) as { lines: number; infoPicComparison: { differences: unknown[]; takenAfter: { line: number; epoch: number } }; stoppedAt: null };
      assert.deepEqual(j.infoPicComparison.differences, []);
      assert.equal(j.stoppedAt, null, 'the whole trace is replayed for the divergences');
      const found = j.infoPicComparison.takenAfter;
      assert.ok(found.epoch <= Number(r.epoch), `found ${found.epoch}, requested at ${r.epoch}`);
      const again = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', String(found.epoch));
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, /the model's info pic at --at-epoch \S+ equals QEMU's/);
      const text = irqlab('replay', ...r.traces, '--compare-info-pic', r.dump, '--at-epoch', 'auto');
      assert.match(text.out, new RegExp(`the model's info pic after \\S+:${found.line} \\(stamped ${found.epoch}\\), the closest moment \\(--at-epoch auto\\) equals QEMU's`));
    });
  }

  test('import --info-pic DUMP --at-epoch auto: the scenario stops where the dump was taken and runs green', () => {
    const r = recording('qemu-7.2-xics-2cpu-dint');
    const out = join(mkdtempSync(join(tmpdir(), 'irqlab-import-auto-')), 'run.irq');
    const imp = irqlab('import', 'qemu-trace', ...r.traces, '--info-pic', r.dump, '--at-epoch', 'auto', '-o', out);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.err, /is closest to the model after \S+:\d+ \(stamped [\d.]+, 0 field\(s\) differ\): the scenario stops there/);
    const run = irqlab('run', out);
    assert.equal(run.code, 0, run.out.slice(-2000) + run.err);
    assert.equal(irqlab('import', 'qemu-trace', ...r.traces, '--at-epoch', 'auto').code, 2);
  });

  test('--at-epoch auto with a dump no step matches: the closest step, its differences, and a caution (exit 1)', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    const dump = dumpWithCpu1Cppr05(r.dump);
    const res = irqlab('replay', ...r.traces, '--compare-info-pic', dump, '--at-epoch', 'auto');
    assert.equal(res.code, 1, res.out + res.err);
    assert.match(res.out, /dump\.txt:8: info pic differs on CPU\[0001\] OS CPPR/);
    assert.match(res.out, /1 info pic difference\(s\) after \S+:\d+ \(stamped [\d.]+\), the closest moment/);
    assert.match(res.out, /no step of the trace matches the dump/);
    const usage = irqlab('replay', ...r.traces, '--at-epoch', 'auto');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--at-epoch auto finds when an info pic dump was taken: give the dump with --compare-info-pic DUMP/);
  });

  test('bad options and an unreadable dump exit 2 with a message', () => {
    const r = recording('qemu-7.2-xive-2cpu');
    assert.equal(irqlab('replay', ...r.traces, '--at-epoch', 'soon').code, 2);
    assert.equal(irqlab('replay', ...r.traces, '--compare-info-pic').code, 2);
    const missing = irqlab('replay', ...r.traces, '--compare-info-pic', '/nonexistent/dump.txt');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /irqlab replay: .*nonexistent\/dump\.txt/);
  });
});
