/**
 * Child process of trace-replay.bench: one measured run in a fresh process so
 * its peak RSS is its own. `replay FILE` replays as `irqlab replay` does (a
 * reader thread for a long trace), `replay-one-thread FILE` on one thread;
 * `floor FILE` is the plain
 * read-and-split replay is compared with: the same streamed read and gunzip,
 * each chunk decoded and split into its lines' strings (what a Node program
 * that reads a file's lines does, without the `readline` module's overhead).
 * Prints `{ ms, cpuMs (all threads), lines, divergences, maxRssMiB }` as JSON.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { replayFiles } from '../src/cli/replay-command';

/** Lines of a gzip file, read in 1 MiB chunks like the replay, split as strings. */
async function readAndSplit(file: string): Promise<number> {
  let lines = 0;
  let carry = '';
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const parts = (carry + chunk.toString('latin1')).split('\n');
    carry = parts.pop() ?? '';
    lines += parts.length;
  }
  return lines + (carry.length > 0 ? 1 : 0);
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (!file || (mode !== 'replay' && mode !== 'replay-one-thread' && mode !== 'floor')) throw new Error('usage: trace-replay-child replay|replay-one-thread|floor FILE');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let lines = 0;
  let divergences = 0;
  if (mode !== 'floor') {
    const s = await replayFiles([file], 5, null, mode === 'replay' ? 'auto' : 'thread');
    lines = s.lines;
    divergences = s.divergenceCount;
  } else {
    lines = await readAndSplit(file);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, lines, divergences, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((e: unknown) => {
  process.stderr.write(String(e));
  process.exit(1);
});
