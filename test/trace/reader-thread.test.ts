/**
 * The reading half in a worker thread (src/cli/trace-records.ts) gives the
 * same replay as reading on one thread: lines, events, steps, checks, every
 * divergence and problem, the --at-epoch stop. Batches are cut small here so
 * events, problems and the per-thread merge cross batch borders.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createReplay, ReplaySummary } from '../../src/trace';
import { Worker } from 'node:worker_threads';
import { adoptTraceReaderThread, feedReplay, produceTraceRecords, ReaderMode, WORKER_THRESHOLD_BYTES } from '../../src/cli/trace-records';
import { replayFiles } from '../../src/cli/replay-command';
import { SAMPLE_2CPU, SHARED_TRACES } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'irqlab-reader-thread-'));

/** What a user sees of a replay (the VM aside). */
function visible(s: ReplaySummary): unknown {
  return {
    lines: s.lines, events: s.events, steps: s.steps, checks: s.checks, divergenceCount: s.divergenceCount,
    divergences: s.divergences, nonTraceLines: s.nonTraceLines, skipped: [...s.skipped], problems: s.problems,
    unusable: s.unusable, unusableReason: s.unusableReason,
  };
}

async function replayBy(mode: ReaderMode, files: string[], atEpoch: number | null = null): Promise<unknown> {
  const s = await replayFiles(files, 50, atEpoch, mode);
  return { ...(visible(s) as object), stoppedAt: s.stoppedAt };
}

/** Through batches of `rows` rows in this thread: the records path without a worker. */
async function replayThroughRecords(files: string[], rows: number, ring = 0): Promise<unknown> {
  const r = createReplay(files, { maxDivergences: 50 });
  await produceTraceRecords({ files, atEpoch: null, rows }, (b) => { r.pushRecords(b); }, () => false, { ring, shared: ring > 0 });
  return visible(r.end());
}

async function replayThroughBytes(files: string[]): Promise<unknown> {
  const r = createReplay(files, { maxDivergences: 50 });
  await feedReplay(files, r, null, 'thread');
  return visible(r.end());
}

describe('the trace reader thread', () => {
  test('the worker script is built beside the CLI modules (else the worker tests below would read on one thread)', () => {
    assert.ok(existsSync(join(__dirname, '../../src/cli/trace-reader-worker.js')));
  });
  const sample = readFileSync(SAMPLE_2CPU, 'latin1');
  // A changed value, garbage, an unknown event, a foreign-looking but sPAPR name, a 64-bit value, a truncated last line.
  const lines = sample.split('\n').filter((l) => l !== '');
  const ack = lines.findIndex((l) => l.includes('xive_tctx_tm_read') && l.includes('val=0x'));
  lines[ack] = lines[ack]!.replace(/val=0x[0-9a-f]+/, 'val=0x7777');
  lines.splice(40, 0, '\x00\x01binary\xff garbage', '1@1.0:xive_made_up_event a=1', 'console noise', '1@1.0:xive_tctx_tm_read @0x20000 sz=8 val=0xff00ff00ff00ff01');
  const mutated = join(tmp, 'mutated.log');
  writeFileSync(mutated, `${lines.join('\n')}\n1@9.0:xive_tctx_notify target=0 ring=0x10`, 'latin1');

  test('a mutated sample: same divergences, problems and counts from a worker as from one thread', async () => {
    const one = await replayBy('thread', [mutated]);
    const two = await replayBy('worker', [mutated]);
    assert.deepEqual(two, one);
    assert.ok((one as { divergenceCount: number }).divergenceCount > 0);
  });

  test('records cut into batches of 7 rows replay exactly as bytes read in place', async () => {
    assert.deepEqual(await replayThroughRecords([mutated], 7), await replayThroughBytes([mutated]));
  });

  test('per-thread logs merged line by line, through records in a ring: the same replay', async () => {
    const logs = ['log-8845.txt.gz', 'log-8848.txt.gz', 'log-8849.txt.gz'].map((f) => join('examples/qemu-7.2-xics-2cpu', f));
    const throughRecords = await replayThroughRecords(logs, 100, 2);
    assert.deepEqual(throughRecords, await replayThroughBytes(logs));
    assert.ok((throughRecords as { steps: number }).steps > 1000);
  });

  test('batches whose columns are reused (a ring of 2, shared memory) replay exactly as bytes read in place', async () => {
    assert.deepEqual(await replayThroughRecords([mutated], 7, 2), await replayThroughBytes([mutated]));
  });

  test('gzip, and --at-epoch: the worker stops at the same line', async () => {
    const gz = join(tmp, 'trace.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE_2CPU)));
    const stamp = /^\d+@(\d+\.\d+):/.exec(sample.split('\n')[2000]!)![1]!;
    const one = await replayBy('thread', [gz], Number(stamp));
    const two = await replayBy('worker', [gz], Number(stamp));
    assert.deepEqual(two, one);
    assert.ok((one as { stoppedAt: { line: number } | null }).stoppedAt !== null);
  });

  test('a reader thread started before its request (as the launcher starts it) is adopted and gives the same replay', { timeout: 30000 }, async () => {
    const early = new Worker(join(__dirname, '../../src/cli/trace-reader-worker.js'));
    const ended = new Promise((resolve) => early.once('exit', resolve));
    adoptTraceReaderThread(early);
    const adopted = await replayBy('worker', [mutated]);
    assert.deepEqual(adopted, await replayBy('thread', [mutated]));
    // Used (and ended by the replay), not left waiting: an unused one would never exit.
    await ended;
  });

  test('a replay that waits after each batch (an output draining) gives the same summary, the reader having ended first', async () => {
    const gz = join(tmp, 'paused.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(mutated)));
    let waits = 0;
    const r = createReplay([gz], { maxDivergences: 50 });
    // Each wait lasts until the next turns of the event loop: the reader thread finishes and exits meanwhile.
    const pause = (): Promise<unknown> => { waits++; return new Promise((resolve) => setTimeout(resolve, 5)); };
    const stoppedAt = await feedReplay([gz], r, null, 'worker', pause);
    assert.equal(stoppedAt, null);
    assert.deepEqual(visible(r.end()), await replayThroughBytes([mutated]));
    assert.ok(waits > 0);
  });

  test('the launcher starts the reader thread early from the same size as the replay uses it', () => {
    const launcher = require('../../../bin/irqlab-launch.js') as { READER_THREAD_THRESHOLD_BYTES: number };
    assert.equal(launcher.READER_THREAD_THRESHOLD_BYTES, WORKER_THRESHOLD_BYTES);
  });

  test('an unreadable file among per-thread logs is reported in place by the worker too', async () => {
    const files = [SAMPLE_2CPU, join(tmp, 'missing-log.txt')];
    assert.deepEqual(await replayBy('worker', files), await replayBy('thread', files));
  });

  const xics = join(SHARED_TRACES, 'qemu-7.2-xics-2cpu-dint');
  test('the XICS sample (3 per-thread gzip logs merged by time, batches of 7 rows)', { skip: !existsSync(xics) }, async () => {
    const files = ['log-8845.txt.gz', 'log-8848.txt.gz', 'log-8849.txt.gz'].map((f) => join(xics, f));
    const one = await replayThroughBytes(files);
    assert.deepEqual(await replayThroughRecords(files, 7), one);
    assert.deepEqual(await replayBy('worker', files), { ...(one as object), stoppedAt: null });
    assert.equal((one as { divergenceCount: number }).divergenceCount, 0);
  });
});
