/**
 * `irqlab run` and `irqlab check` of long straight-line scenarios of the shape `irqlab import`
 * writes (bench/imported-scenario.ts), in a spawned CLI as a user runs them: peak resident memory
 * and wall time at 50, 100 and 200 MB, to show that memory stays flat as the file grows (issue 11's
 * target: under 512 MiB at 50 MB, flat beyond). Both hold one window of the file at a time
 * (src/dsl/text-windows.ts, src/edge/scenario-file-source.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateImportedScenario } from './imported-scenario';
import { median, Report } from './run';

const CLI = join(__dirname, '../../bin/irqlab.js');
const PRELOAD = join(__dirname, 'report-max-rss.js');
const MiB = 1024 * 1024;

/** Runs the CLI once; its peak RSS (MiB) and wall time (s). Output goes to /dev/null, as a user's would go to a file. */
function measure(dir: string, args: readonly string[]): { rssMiB: number; wallS: number } {
  const rssFile = join(dir, 'max-rss');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', PRELOAD, CLI, ...args], {
    env: { ...process.env, IRQLAB_MAX_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MiB,
  });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`irqlab ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  return { rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024, wallS };
}

export default async function bench(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-stream-bench-'));
  try {
    for (const mb of [50, 100, 200]) {
      const file = join(dir, `imported-${mb}mb.irq`);
      writeFileSync(file, generateImportedScenario({ bytes: mb * MiB }));
      const runs: { rssMiB: number; wallS: number }[] = [];
      // The default step limit (1,000,000) is below these files' statement counts: raised, as a user would.
      await median(3, () => {
        const m = measure(dir, ['run', '--quiet', '--max-steps', '100000000', file]);
        runs.push(m);
        return m.wallS;
      });
      runs.sort((a, b) => a.wallS - b.wallS);
      report(`run-${mb}mb-peak-rss`, Math.max(...runs.map((r) => r.rssMiB)), 'MiB');
      report(`run-${mb}mb-wall`, runs[1].wallS, 's');
      const checks: { rssMiB: number; wallS: number }[] = [];
      await median(3, () => {
        const m = measure(dir, ['check', file]);
        checks.push(m);
        return m.wallS;
      });
      checks.sort((a, b) => a.rssMiB - b.rssMiB);
      report(`check-${mb}mb-peak-rss`, checks[1].rssMiB, 'MiB');
      checks.sort((a, b) => a.wallS - b.wallS);
      report(`check-${mb}mb-wall`, checks[1].wallS, 's');
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
