/**
 * `irqlab replay` at scale: the 1.36M-line sample (../shared/traces) and a
 * trace ten times as long made by repeating its steady state, each against a
 * plain read-gunzip-split floor, with peak RSS and CPU; `irqlab import` of
 * both, with its time and peak RSS. Each run is a fresh
 * process timed as a whole: the released CLI (dist/cli.js), and the floor.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { allocationCalibrationMs } from './dsl-parse.bench';
import { median, Report } from './run';

const SAMPLE = join(process.env.IRQLAB_SHARED_TRACES ?? '../shared/traces', 'qemu-7.2-xive-4cpu-load/trace.log.gz');
/** The guest has booted by then: the rest is the steady state that is repeated. */
const STEADY_FROM_LINE = 100_000;

interface ChildFigures { ms: number; cpuMs: number; lines: number; divergences: number; maxRssMiB: number }

const CLI = join(__dirname, '../../bin/irqlab.js');
const PRELOAD = join(__dirname, 'report-max-rss.js');

/**
 * One whole process, timed from outside (start-up included, as a user waits for it): the
 * released CLI's `irqlab replay` (`replay`: a reader thread for a long trace, as shipped;
 * `replay-one-thread`: IRQLAB_TRACE_READER=thread; `replay-js-reader`: the reader thread without
 * its compiled line scanner, IRQLAB_LINE_SCANNER=off) or the floor child.
 */
type ChildMode = 'replay' | 'replay-one-thread' | 'replay-js-reader' | 'floor';

function child(mode: ChildMode, file: string): ChildFigures {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-bench-child-'));
  try {
    const resources = join(dir, 'resources.json');
    const args = mode === 'floor'
      ? ['-r', PRELOAD, join(__dirname, 'trace-replay-child.js'), 'floor', file]
      : ['-r', PRELOAD, CLI, 'replay', '--json', '--max-divergences', '5', file];
    const env = {
      ...process.env, IRQLAB_RESOURCES_FILE: resources, IRQLAB_TRACE_READER: mode === 'replay-one-thread' ? 'thread' : 'auto',
      IRQLAB_LINE_SCANNER: mode === 'replay-js-reader' ? 'off' : 'on',
    };
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, env });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // Exit 1 is a replay that diverged (the tenfold trace does where its copies join): still measured.
    if (r.status !== 0 && !(r.status === 1 && mode !== 'floor')) throw new Error(`${mode} of ${file} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
    const out = JSON.parse(r.stdout) as { lines: number; divergences?: number; divergenceCount?: number };
    const used = JSON.parse(readFileSync(resources, 'utf8')) as { maxRssKiB: number; cpuMs: number };
    return { ms, cpuMs: used.cpuMs, lines: out.lines, divergences: out.divergenceCount ?? out.divergences ?? 0, maxRssMiB: used.maxRssKiB / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `irqlab import qemu-trace FILE -o OUT` as a whole process: its wall time and peak memory. */
function importChild(file: string, out: string): { ms: number; maxRssMiB: number } {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-bench-import-'));
  try {
    const resources = join(dir, 'resources.json');
    const env = { ...process.env, IRQLAB_RESOURCES_FILE: resources };
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-r', PRELOAD, CLI, 'import', 'qemu-trace', file, '-o', out], { encoding: 'utf8', env });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // Exit 1: the tenfold trace diverges where its copies join (those expectations would fail); still measured.
    if (r.status !== 0 && r.status !== 1) throw new Error(`import of ${file} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
    const used = JSON.parse(readFileSync(resources, 'utf8')) as { maxRssKiB: number };
    return { ms, maxRssMiB: used.maxRssKiB / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sample followed by nine more copies of its steady state, gzip-compressed (streamed, never held). */
async function writeTenfold(out: string): Promise<void> {
  const gz = createGzip({ level: 1 });
  const sink = createWriteStream(out);
  gz.pipe(sink);
  for (let copy = 0; copy < 10; copy++) {
    let carry = '';
    let line = 0;
    for await (const chunk of createReadStream(SAMPLE).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      const parts = (carry + chunk.toString('latin1')).split('\n');
      carry = parts.pop() ?? '';
      const keep = copy === 0 ? parts : parts.filter(() => ++line > STEADY_FROM_LINE);
      if (copy === 0) line += parts.length;
      if (keep.length > 0 && !gz.write(`${keep.join('\n')}\n`)) await new Promise((r) => gz.once('drain', r));
    }
  }
  gz.end();
  await new Promise<void>((resolve) => sink.on('finish', () => resolve()));
}

export default async function bench(report: Report): Promise<void> {
  if (!existsSync(SAMPLE)) {
    console.log(`trace-replay: skipped (${SAMPLE} not found)`);
    return;
  }
  report('trace-calibration-1M-objects', await median(5, allocationCalibrationMs), 'ms');
  // Interleaved, so a busy moment of the machine falls on every kind alike; medians of 5.
  const runs: Record<ChildMode, ChildFigures[]> = { replay: [], 'replay-one-thread': [], 'replay-js-reader': [], floor: [] };
  for (let k = 0; k < 5; k++) for (const mode of ['floor', 'replay', 'replay-one-thread', 'replay-js-reader'] as const) runs[mode].push(child(mode, SAMPLE));
  const mid = (xs: ChildFigures[]): ChildFigures => [...xs].sort((a, b) => a.ms - b.ms)[xs.length >> 1]!;
  const replay = mid(runs.replay);
  const oneThread = mid(runs['replay-one-thread']);
  const jsReader = mid(runs['replay-js-reader']);
  const floor = mid(runs.floor);
  report('trace-replay-1.36M-lines-per-s', Math.round(replay.lines / (replay.ms / 1000)), 'lines/s');
  report('trace-replay-1.36M-peak-rss', Math.round(replay.maxRssMiB), 'MiB');
  report('trace-replay-1.36M-cpu-all-threads', Math.round(replay.cpuMs), 'ms');
  report('trace-replay-one-thread-1.36M-lines-per-s', Math.round(oneThread.lines / (oneThread.ms / 1000)), 'lines/s');
  report('trace-floor-read-split-1.36M-lines-per-s', Math.round(floor.lines / (floor.ms / 1000)), 'lines/s');
  report('trace-floor-read-split-1.36M-cpu', Math.round(floor.cpuMs), 'ms');
  report('trace-replay-over-floor', replay.ms / floor.ms, 'x');
  report('trace-replay-one-thread-over-floor', oneThread.ms / floor.ms, 'x');
  report('trace-replay-without-line-scanner-over-floor', jsReader.ms / floor.ms, 'x');
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-bench-trace-'));
  try {
    const big = join(dir, 'trace-10x.log.gz');
    await writeTenfold(big);
    const r10 = child('replay', big);
    const f10 = child('floor', big);
    report('trace-replay-10x-lines', r10.lines, 'lines');
    report('trace-replay-10x-divergences-where-copies-join', r10.divergences, 'divergences');
    report('trace-replay-10x-lines-per-s', Math.round(r10.lines / (r10.ms / 1000)), 'lines/s');
    report('trace-replay-10x-peak-rss', Math.round(r10.maxRssMiB), 'MiB');
    report('trace-replay-10x-over-floor', r10.ms / f10.ms, 'x');
    // `irqlab import` writes a statement per step: its memory stays flat however long the trace.
    const out = join(dir, 'imported.irq');
    const i1 = importChild(SAMPLE, out);
    report('trace-import-1.36M-ms', Math.round(i1.ms), 'ms');
    report('trace-import-1.36M-peak-rss', Math.round(i1.maxRssMiB), 'MiB');
    rmSync(out, { force: true });
    const i10 = importChild(big, out);
    report('trace-import-10x-ms', Math.round(i10.ms), 'ms');
    report('trace-import-10x-peak-rss', Math.round(i10.maxRssMiB), 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run = bench;
