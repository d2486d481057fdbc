/**
 * Every recorded sample through `irqlab replay` (the CLI door, in process):
 * no divergence; the small ones through `irqlab import qemu-trace` then
 * `irqlab run`: green. Mutations of the small XIVE sample are reported at the
 * right line with both values.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { readTextFileBounded } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { TraceReplayer } from '../../src/trace/replayer';
import { sharedTraces } from './shared-traces';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    readFile: (p: string) => {
      const r = readTextFileBounded(p);
      return r.ok ? r.text : undefined;
    },
    readText: (p: string) => readTextFileBounded(p),
    cwd: process.cwd(),
  } satisfies CliIo & { out: string; err: string };
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const T = sharedTraces();
const XIVE2 = join(T, 'qemu-7.2-xive-2cpu', 'trace.log');
const XICS = ['8845', '8848', '8849'].map((t) => join(T, 'qemu-7.2-xics-2cpu-dint', `log-${t}.txt.gz`));
const XIVE4 = join(T, 'qemu-7.2-xive-4cpu-load', 'trace.log.gz');
const tmp = mkdtempSync(join(tmpdir(), 'irqlab-trace-'));

describe('irqlab replay on the recorded samples', () => {
  test('XIVE, 2 vCPUs: QEMU and the model agree', async () => {
    const r = await cli('replay', XIVE2);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^4665 lines, 4665 events, \d+ checks: QEMU and the model agree$/m);
  });
  test('XICS, 2 vCPUs, three per-thread logs with -d int lines: merged, the -d int lines counted', async () => {
    const r = await cli('replay', ...XICS);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /5591 events, \d+ checks: QEMU and the model agree/);
    assert.match(r.err, /89184 lines skipped: 89184 not a trace event/);
  });
  test('XIVE, 4 vCPUs, 1.36M lines (gzip): QEMU and the model agree', async () => {
    const r = await cli('replay', '--json', XIVE4);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { lines: number; events: number; checks: number; divergences: number };
    assert.equal(j.lines, 1364390);
    assert.equal(j.events, 1364390);
    assert.equal(j.divergences, 0);
    assert.ok(j.checks > 1_500_000, String(j.checks));
  });
  test('the example copy is the XIVE sample', () => {
    assert.equal(readFileSync('examples/traces/qemu-7.2-xive-2cpu/trace.log', 'utf8'), readFileSync(XIVE2, 'utf8'));
    assert.ok(readFileSync('examples/traces/qemu-7.2-xive-2cpu/info-pic-end.txt', 'utf8').length > 0);
  });
});

describe('irqlab import qemu-trace, then irqlab run', () => {
  for (const [name, files] of [['XIVE 2 vCPUs', [XIVE2]], ['XICS 2 vCPUs', XICS]] as const) {
    test(`${name}: the scenario runs green and points back to the trace`, async () => {
      const out = join(tmp, `${name.replace(/\W/g, '_')}.irq`);
      const imp = await cli('import', 'qemu-trace', '-o', out, ...files);
      assert.equal(imp.code, 0, imp.err);
      const text = readFileSync(out, 'utf8');
      assert.match(text, /^scenario "QEMU trace /m);
      assert.match(text, /# (trace\.log|log-\d+\.txt\.gz):\d+$/m);
      const run = await cli('run', '--quiet', out);
      assert.equal(run.code, 0, run.out.split('\n').filter((l) => /fail|error/i.test(l)).slice(0, 5).join('\n') + run.err);
      assert.match(run.out, / 0 failed/);
    });
  }
});

function replayLines(lines: readonly string[]): TraceReplayer {
  const r = new TraceReplayer({ maxDivergences: 100 });
  lines.forEach((text, i) => r.feed('trace.log', i, { text }));
  return r;
}

describe('mutations of the XIVE sample are reported where they are', () => {
  const original = readFileSync(XIVE2, 'utf8').split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
  const lineOf = (pattern: string, from = 0): number => {
    const i = original.findIndex((l, k) => k >= from && l.includes(pattern));
    assert.ok(i >= 0, pattern);
    return i;
  };

  test('the unmutated sample agrees', () => {
    assert.equal(replayLines(original).divergenceCount, 0);
  });

  test('one returned value changed: exactly that line, with both values', () => {
    const i = lineOf('xive_tctx_tm_read @0x20810 sz=2 val=0x8006', 1000);
    const lines = [...original];
    lines[i] = lines[i].replace('val=0x8006', 'val=0x8005');
    const r = replayLines(lines);
    assert.equal(r.divergenceCount, 1);
    const d = r.divergences[0];
    assert.deepEqual([d.file, d.line, d.qemu, d.model], ['trace.log', i + 1, '0x8005', '0x8006']);
    assert.match(d.what, /TIMA load16 0x810 on vCPU \d/);
  });

  test('one ESB load value changed: that line, with the source state', () => {
    const i = lineOf('xive_source_esb_read @0x10c00 IRQ 0x0 val=0x2', 100);
    const lines = [...original];
    lines[i] = lines[i].replace('val=0x2', 'val=0x3');
    const r = replayLines(lines);
    assert.equal(r.divergenceCount, 1);
    assert.deepEqual([r.divergences[0].line, r.divergences[0].qemu, r.divergences[0].model], [i + 1, '0x3', '0x2']);
    assert.match(r.divergences[0].state ?? '', /source 0x0: PQ /);
  });

  test('one line deleted (a trigger): the presenter state QEMU printed next disagrees, at its line', () => {
    const i = lineOf('xive_source_esb_write @0x0 IRQ 0x0 val=0x0');
    const lines = original.filter((_, k) => k !== i);
    const r = replayLines(lines);
    assert.ok(r.divergenceCount >= 1);
    const first = r.divergences[0];
    // The notify that followed the trigger (two lines on) is now one line up.
    const notify = original.findIndex((l, k) => k > i && l.includes(':xive_tctx_notify '));
    assert.equal(first.line, notify);
    assert.match(first.what, /after xive_tctx_notify/);
  });

  test('one event duplicated (an ACK load): reported at the copy', () => {
    const i = lineOf('xive_tctx_tm_read @0x20810 sz=2 val=0x8006', 1000);
    const lines = [...original.slice(0, i + 1), original[i], ...original.slice(i + 1)];
    const r = replayLines(lines);
    assert.ok(r.divergenceCount >= 1);
    assert.equal(r.divergences[0].line, i + 2);
    assert.equal(r.divergences[0].qemu, '0x8006');
    assert.notEqual(r.divergences[0].model, '0x8006');
  });

  test('through the CLI: file:line, the event, both values, the state; exit 1', async () => {
    const i = lineOf('xive_tctx_tm_read @0x20810 sz=2 val=0x8006', 1000);
    const lines = [...original];
    lines[i] = lines[i].replace('val=0x8006', 'val=0x8005');
    const file = join(tmp, 'mutated.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await cli('replay', file);
    assert.equal(r.code, 1);
    assert.ok(r.out.startsWith(`${file}:${i + 1}: xive_tctx_tm_read @0x20810 sz=2 val=0x8005\n  TIMA load16 0x810 on vCPU `), r.out);
    assert.match(r.out, /QEMU 0x8005, model 0x8006/);
    assert.match(r.out, /state: vCPU \d: CPPR/);
    assert.match(r.out, /1 divergence$/m);
  });
});
