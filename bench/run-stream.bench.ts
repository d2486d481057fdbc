/**
 * `irqlab run` and `irqlab check` of generated imported scenarios (bench/imported-scenario.ts) of
 * 50 MB and 100 MB, each in a child process as a user runs it: its peak resident memory (the
 * child's own maxRSS, reported through a tiny preload) and its wall time. The same figures at
 * 100 MB show whether memory stays flat as the file grows (target: run under 512 MiB at 50 MB).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, Report } from './run';
import { generateImportedScenario } from './imported-scenario';

const ROOT = join(__dirname, '..', '..');
const MARK = 'irqlab-bench-maxrss:';
/** Preloaded into the child: writes its peak RSS (KiB) to stderr as it exits. */
const PRELOAD = `process.on('exit', () => process.stderr.write('\\n${MARK}' + process.resourceUsage().maxRSS + '\\n'));\n`;

/** A 100 MB file holds about 1.3 million statements, more than the default step limit. */
const MAX_STEPS = 100_000_000;

interface ChildFigures {
  peakMiB: number;
  wallMs: number;
}

function runChild(preload: string, command: 'run' | 'check', file: string): ChildFigures {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', preload, join(ROOT, 'bin', 'irqlab.js'), command, ...(command === 'run' ? ['--max-steps', String(MAX_STEPS)] : []), file], {
    stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const line = r.stderr.split('\n').find((l) => l.startsWith(MARK));
  if (r.status !== 0 || !line) throw new Error(`irqlab ${command} ${file} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { peakMiB: Number(line.slice(MARK.length)) / 1024, wallMs };
}

/** The median of three or more figures. */
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

export default async function bench(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-run-stream-'));
  try {
    const preload = join(dir, 'maxrss.js');
    writeFileSync(preload, PRELOAD);
    for (const mb of [50, 100]) {
      const file = join(dir, `imported-${mb}mb.irq`);
      writeFileSync(file, generateImportedScenario(mb * 1024 * 1024));
      // Peak and wall time from the same three runs (each is a fresh process; medians of each figure).
      const runs = [0, 1, 2].map(() => runChild(preload, 'run', file));
      report(`run-${mb}mb-peak-rss`, middle(runs.map((r) => r.peakMiB)), 'MiB');
      report(`run-${mb}mb-wall`, middle(runs.map((r) => r.wallMs)), 'ms');
      report(`check-${mb}mb-peak-rss`, await median(3, () => runChild(preload, 'check', file).peakMiB), 'MiB');
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run = bench;

if (require.main === module) {
  const report: Report = (name, value, unit) => console.log(`${name}: ${value.toFixed(1)} ${unit}`);
  bench(report).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
