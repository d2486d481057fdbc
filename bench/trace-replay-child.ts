/**
 * The floor of trace-replay.bench, as a process of its own: the plain
 * read-and-split a replay is compared with. The same streamed read and gunzip
 * as `irqlab replay`, each chunk decoded and split into its lines' strings
 * (what a Node program that reads a file's lines does, without the `readline`
 * module's overhead). Prints `{ lines }` as JSON; the bench times the process.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

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
  if (!file || mode !== 'floor') throw new Error('usage: trace-replay-child floor FILE.gz');
  process.stdout.write(JSON.stringify({ lines: await readAndSplit(file) }));
}

main().catch((e: unknown) => {
  process.stderr.write(String(e));
  process.exit(1);
});
