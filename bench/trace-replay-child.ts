/**
 * Child process of trace-replay.bench: one measured run in a fresh process so
 * its peak RSS is its own. `replay FILE` replays; `floor FILE` only reads,
 * gunzips and splits the lines (the floor replay is compared with).
 * Prints `{ ms, lines, divergences, maxRssMiB }` as JSON.
 */
import { replayFiles } from '../src/cli/replay-command';
import { readTraceFiles } from '../src/cli/trace-input';

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (!file || (mode !== 'replay' && mode !== 'floor')) throw new Error('usage: trace-replay-child replay|floor FILE');
  const t0 = process.hrtime.bigint();
  let lines = 0;
  let divergences = 0;
  if (mode === 'replay') {
    const s = await replayFiles([file], 5);
    lines = s.lines;
    divergences = s.divergenceCount;
  } else {
    await readTraceFiles([file], () => { lines++; return true; }, () => undefined);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, lines, divergences, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((e: unknown) => {
  process.stderr.write(String(e));
  process.exit(1);
});
