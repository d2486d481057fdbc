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
import { createByteLineSplitter, stampOf } from '../trace';

/** One line of file `file`: bytes[start, end) (src/trace's ByteLineSink, with the file). Return false to stop. */
export type LineSink = (file: number, bytes: Uint8Array, start: number, end: number, line: number, flags: number) => boolean;
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

/** The lines of one chunk, as ranges (a line that straddled chunks has bytes of its own). */
interface LineBatch {
  readonly bytes: Uint8Array[];
  readonly start: number[];
  readonly end: number[];
  readonly line: number[];
  readonly flags: number[];
}

function emptyBatch(): LineBatch {
  return { bytes: [], start: [], end: [], line: [], flags: [] };
}

/** The file's bytes, gunzipped when it starts with the gzip magic. */
async function openTrace(path: string): Promise<AsyncIterable<Buffer>> {
  const gz = await isGzip(path);
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  if (!gz) return raw;
  const stream = raw.pipe(createGunzip({ chunkSize: CHUNK }));
  raw.on('error', (e) => stream.destroy(e));
  return stream;
}

function readFailure(e: unknown, lastLine: number): string {
  return `cannot read: ${describeError(e)}${lastLine > 0 ? ` (after line ${lastLine}; the rest is lost)` : ''}`;
}

/** Streams one file's lines to `sink`; false when the sink stopped it. */
async function readOneFile(path: string, file: number, sink: LineSink, problem: ProblemSink): Promise<boolean> {
  const splitter = createByteLineSplitter();
  const lineSink = (b: Uint8Array, start: number, end: number, line: number, flags: number): boolean => sink(file, b, start, end, line, flags);
  try {
    for await (const chunk of await openTrace(path)) {
      // Leaving the loop ends the stream (the iterator's return destroys it).
      if (!splitter.push(chunk, lineSink)) return false;
    }
  } catch (e) {
    const more = splitter.end(lineSink);
    problem(file, splitter.lines + 1, readFailure(e, splitter.lines));
    return more;
  }
  return splitter.end(lineSink);
}

/** Batches of lines of one file, as chunks arrive (the per-thread merge). */
async function* fileBatches(path: string, file: number, problem: ProblemSink): AsyncGenerator<LineBatch> {
  const splitter = createByteLineSplitter();
  let batch = emptyBatch();
  const collect = (b: Uint8Array, start: number, end: number, line: number, flags: number): boolean => {
    batch.bytes.push(b);
    batch.start.push(start);
    batch.end.push(end);
    batch.line.push(line);
    batch.flags.push(flags);
    return true;
  };
  try {
    for await (const chunk of await openTrace(path)) {
      splitter.push(chunk, collect);
      if (batch.line.length > 0) { yield batch; batch = emptyBatch(); }
    }
  } catch (e) {
    splitter.end(collect);
    if (batch.line.length > 0) yield batch;
    problem(file, splitter.lines + 1, readFailure(e, splitter.lines));
    return;
  }
  splitter.end(collect);
  if (batch.line.length > 0) yield batch;
}

/**
 * Streams every line of `paths` to `sink` (per-thread files merged by time).
 * Resolves when done or when the sink returns false.
 */
export async function readTraceFiles(paths: readonly string[], sink: LineSink, problem: ProblemSink): Promise<void> {
  if (paths.length === 1) {
    await readOneFile(paths[0]!, 0, sink, problem);
    return;
  }
  interface Cursor { gen: AsyncGenerator<LineBatch>; batch: LineBatch; i: number; epoch: number; done: boolean }
  const cursors: Cursor[] = paths.map((p, f) => ({ gen: fileBatches(p, f, problem), batch: emptyBatch(), i: 0, epoch: -Infinity, done: false }));
  const fill = async (c: Cursor): Promise<void> => {
    while (!c.done && c.i >= c.batch.line.length) {
      const r = await c.gen.next();
      if (r.done) c.done = true;
      else { c.batch = r.value; c.i = 0; }
    }
    if (!c.done) {
      const t = stampOf(c.batch.bytes[c.i]!, c.batch.start[c.i]!, c.batch.end[c.i]!);
      if (t === t) c.epoch = t;
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
    const b = c.batch;
    if (!sink(best, b.bytes[c.i]!, b.start[c.i]!, b.end[c.i]!, b.line[c.i]!, b.flags[c.i]!)) {
      for (const k of cursors) await k.gen.return(undefined);
      return;
    }
    c.i++;
    await fill(c);
  }
}
