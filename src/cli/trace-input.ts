/**
 * The Node edge of src/trace: opens trace files, gunzips them when they start
 * with the gzip magic (streaming, never whole), splits lines with the bounded
 * splitter, and merges per-thread logs of one run (`log-<tid>.txt[.gz]`) in
 * time order by their `TID@EPOCH:` stamps (a line without a stamp keeps its
 * file's last stamp, so it stays next to what preceded it).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createLineSplitter, SplitLine } from '../trace';

export type LineSink = (file: number, line: SplitLine) => boolean;
export type ProblemSink = (file: number, line: number, message: string) => void;

const CHUNK = 1 << 20;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file';
  if (err && err.code === 'EISDIR') return 'is a directory';
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'Z_DATA_ERROR') return 'corrupt gzip data';
  if (err && err.code === 'Z_BUF_ERROR') return 'truncated gzip data';
  return err && typeof err.message === 'string' ? err.message : String(e);
}

/** Batches of lines of one file, as chunks arrive. */
async function* fileBatches(path: string, file: number, problem: ProblemSink): AsyncGenerator<SplitLine[]> {
  const splitter = createLineSplitter();
  let last = 0;
  let batch: SplitLine[] = [];
  const collect = (l: SplitLine): void => { batch.push(l); last = l.line; };
  try {
    const gz = await isGzip(path);
    const raw = createReadStream(path, { highWaterMark: CHUNK });
    const stream = gz ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
    if (gz) raw.on('error', (e) => stream.destroy(e));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      splitter.push(chunk, collect);
      if (batch.length > 0) { yield batch; batch = []; }
    }
  } catch (e) {
    splitter.end(collect);
    if (batch.length > 0) yield batch;
    problem(file, last + 1, `cannot read: ${describeError(e)}${last > 0 ? ` (after line ${last}; the rest is lost)` : ''}`);
    return;
  }
  splitter.end(collect);
  if (batch.length > 0) yield batch;
}

const STAMP = /^\d+@(\d+(?:\.\d+)?):/;

/**
 * Streams every line of `paths` to `sink` (per-thread files merged by time).
 * Resolves when done or when the sink returns false.
 */
export async function readTraceFiles(paths: readonly string[], sink: LineSink, problem: ProblemSink): Promise<void> {
  if (paths.length === 1) {
    for await (const batch of fileBatches(paths[0]!, 0, problem)) {
      for (const l of batch) if (!sink(0, l)) return;
    }
    return;
  }
  interface Cursor { gen: AsyncGenerator<SplitLine[]>; batch: SplitLine[]; i: number; epoch: number; done: boolean }
  const cursors: Cursor[] = paths.map((p, f) => ({ gen: fileBatches(p, f, problem), batch: [], i: 0, epoch: -Infinity, done: false }));
  const fill = async (c: Cursor): Promise<void> => {
    while (!c.done && c.i >= c.batch.length) {
      const r = await c.gen.next();
      if (r.done) c.done = true;
      else { c.batch = r.value; c.i = 0; }
    }
    if (!c.done) {
      const m = STAMP.exec(c.batch[c.i]!.text);
      if (m) c.epoch = Number(m[1]);
    }
  };
  for (const c of cursors) await fill(c);
  for (;;) {
    let best: number = -1;
    for (let f = 0; f < cursors.length; f++) {
      const c = cursors[f]!;
      if (c.done) continue;
      if (best < 0 || c.epoch < cursors[best]!.epoch) best = f;
    }
    if (best < 0) return;
    const c = cursors[best]!;
    if (!sink(best, c.batch[c.i]!)) {
      for (const k of cursors) await k.gen.return(undefined);
      return;
    }
    c.i++;
    await fill(c);
  }
}
