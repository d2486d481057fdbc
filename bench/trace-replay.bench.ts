/**
 * `irqlab replay` and `irqlab import qemu-trace` on the 1.36M-line XIVE
 * sample (../shared/traces), each in a child process (its time and peak RSS):
 * replay in lines/s beside the floor (the same file streamed, gunzipped and
 * split, nothing else) and their ratio; the same on a trace ten times as long
 * (the sample's steady state repeated into a temp file: memory must stay
 * flat); import, then `irqlab run` of the scenario it wrote. The machine's
 * calibration figure beside them.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { median, Report, timeMs } from './run';

const ROOT = process.cwd();
const CANDIDATES = [
  join(ROOT, '..', 'shared', 'traces', 'qemu-7.2-xive-4cpu-load', 'trace.log.gz'),
  join(ROOT, '..', '..', 'shared', 'traces', 'qemu-7.2-xive-4cpu-load', 'trace.log.gz'),
];
const LINES = 1_364_390;
/** The steady state repeated for the long trace: after boot, before the powerdown. */
const STEADY_FROM = 200_000;
const STEADY_TO = 1_200_000;
const REPEAT = 10;

interface ChildRun {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly code: number;
}

function child(...args: string[]): ChildRun {
  const r = spawnSync(process.execPath, [join(ROOT, 'out', 'bench', 'trace-child.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`trace-child ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(last) as ChildRun;
}

async function medianRun(runs: number, ...args: string[]): Promise<ChildRun> {
  const all: ChildRun[] = [];
  for (let i = 0; i < runs; i++) all.push(child(...args));
  let k = 0;
  const ms = await median(runs, () => all[k++].ms);
  return { ms, maxRssMiB: Math.max(...all.map((c) => c.maxRssMiB)), code: all[0].code };
}

/** The sample's header once, then its steady state REPEAT times, into a plain temp file (streamed). */
async function writeLongTrace(sample: string, out: string): Promise<number> {
  const fd = openSync(out, 'w');
  const steady: string[] = [];
  let n = 0;
  let written = 0;
  try {
    const lines = createInterface({ input: createReadStream(sample).pipe(createGunzip()), crlfDelay: Infinity });
    let buf: string[] = [];
    for await (const line of lines) {
      if (n < STEADY_TO) {
        buf.push(line);
        written++;
        if (n >= STEADY_FROM) steady.push(line);
        if (buf.length >= 65536) {
          writeSync(fd, `${buf.join('\n')}\n`);
          buf = [];
        }
      }
      n++;
    }
    if (buf.length) writeSync(fd, `${buf.join('\n')}\n`);
    // The steady state is held once (about 80 MB) to repeat it; the replay under test streams.
    const block = `${steady.join('\n')}\n`;
    for (let k = 1; k < REPEAT; k++) {
      writeSync(fd, block);
      written += steady.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

function allocationCalibrationMs(): number {
  return timeMs(() => {
    const keep: { a: number; b: number }[] = new Array(1_000_000);
    for (let i = 0; i < keep.length; i++) keep[i] = { a: i, b: i };
  });
}

export default async function bench(report: Report): Promise<void> {
  const sample = CANDIDATES.find((c) => existsSync(c));
  if (!sample) {
    console.log(`trace-replay: skipped (${CANDIDATES[0]} is missing)`);
    return;
  }
  report('trace-calibration-1M-objects', await median(5, allocationCalibrationMs), 'ms');

  const floor = await medianRun(3, 'split', sample);
  const replay = await medianRun(3, 'replay', sample);
  report('trace-split-floor-1.36M-lines', LINES / (floor.ms / 1000), 'lines/s');
  report('trace-replay-1.36M-lines', LINES / (replay.ms / 1000), 'lines/s');
  report('trace-replay-1.36M-lines-time', replay.ms, 'ms');
  report('trace-replay-over-floor', replay.ms / floor.ms, 'x');
  report('trace-replay-1.36M-lines-peak-rss', replay.maxRssMiB, 'MiB');

  const dir = mkdtempSync(join(tmpdir(), 'irqlab-bench-trace-'));
  try {
    const long = join(dir, 'trace-10x.log');
    const lines = await writeLongTrace(sample, long);
    report('trace-long-lines', lines, 'lines');
    report('trace-long-bytes', statSync(long).size / (1 << 20), 'MiB');
    const longFloor = child('split', long);
    const longReplay = child('replay', long);
    report('trace-split-floor-long', lines / (longFloor.ms / 1000), 'lines/s');
    report('trace-replay-long', lines / (longReplay.ms / 1000), 'lines/s');
    report('trace-replay-long-over-floor', longReplay.ms / longFloor.ms, 'x');
    report('trace-replay-long-peak-rss', longReplay.maxRssMiB, 'MiB');
    rmSync(long);

    const scenario = join(dir, 'sample.irq');
    const imported = child('import', scenario, sample);
    report('trace-import-1.36M-lines', imported.ms, 'ms');
    report('trace-import-1.36M-lines-peak-rss', imported.maxRssMiB, 'MiB');
    report('trace-import-scenario-bytes', statSync(scenario).size / (1 << 20), 'MiB');
    const ran = child('run', scenario);
    report('trace-run-imported-scenario', ran.ms, 'ms');
    report('trace-run-imported-scenario-peak-rss', ran.maxRssMiB, 'MiB');
    report('trace-run-imported-scenario-exit', ran.code, '(0 = green)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run = bench;
