/**
 * Streaming trace input for the CLI: lines of plain or gzip files (node:zlib,
 * streamed: never the whole file in memory), bounded line length, and
 * several per-thread logs of one run merged in time order (a k-way merge on
 * the `TID@EPOCH:` stamps; a line without a stamp keeps its file's last
 * time, so `-d int` lines stay beside their trace lines).
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { checkRegularFile } from '../edge/read-text-file';
import { escapeControlBytes } from '../edge/escape-text';
import { timeOfLine, TraceLineInput } from '../trace/reader';

/** The longest line read whole; a longer one is reported as over-long (its start kept for the message). */
export const MAX_TRACE_LINE_BYTES = 64 * 1024;
const CHUNK = 1 << 20;

export interface TraceLine extends TraceLineInput {
  /** 0-based line number in its file. */
  readonly line: number;
}

/** One file's problem that is not a line's: it stops that file's reading (what was read is kept). */
export interface TraceFileProblem {
  readonly file: string;
  readonly message: string;
}

/** Splits byte chunks into lines, bounded: a line past the limit keeps only its beginning. */
class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overLong = false;
  private next = 0;

  constructor(private readonly maxBytes: number) {}

  /** The lines completed by this chunk. */
  feed(chunk: Buffer, out: TraceLine[]): void {
    let p = 0;
    for (;;) {
      const nl = chunk.indexOf(10, p);
      if (nl < 0) {
        this.keep(chunk.subarray(p));
        return;
      }
      if (this.carryBytes === 0 && !this.overLong) {
        const len = nl - p;
        if (len > this.maxBytes) out.push({ line: this.next++, text: text(chunk, p, p + this.maxBytes), overLong: true });
        else out.push({ line: this.next++, text: text(chunk, p, nl) });
      } else {
        this.keep(chunk.subarray(p, nl));
        out.push(this.flush(false));
      }
      p = nl + 1;
    }
  }

  /** The last line when the file does not end with a newline. */
  end(out: TraceLine[]): void {
    if (this.carryBytes > 0 || this.overLong) out.push(this.flush(true));
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    const room = this.maxBytes - this.carryBytes;
    if (part.length > room) this.overLong = true;
    if (room > 0) {
      const piece = part.subarray(0, Math.min(room, part.length));
      // Copy: the chunk's memory is reused by the stream.
      this.carry.push(Buffer.from(piece));
      this.carryBytes += piece.length;
    }
  }

  private flush(unterminated: boolean): TraceLine {
    const all = Buffer.concat(this.carry, this.carryBytes);
    const line: TraceLine = { line: this.next++, text: text(all, 0, all.length), overLong: this.overLong || undefined, unterminated: unterminated || undefined };
    this.carry = [];
    this.carryBytes = 0;
    this.overLong = false;
    return line;
  }
}

function text(b: Buffer, start: number, end: number): string {
  let e = end;
  if (e > start && b[e - 1] === 13) e--;
  return b.toString('utf8', start, e);
}

/** Opens a trace file for streaming; gzip is recognised by its magic bytes, not its name. */
function openTrace(path: string): { ok: true; stream: AsyncIterable<Buffer> } | { ok: false; message: string } {
  const shown = escapeControlBytes(path);
  const check = checkRegularFile(path);
  if (!check.ok) return check;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, message: `cannot read '${shown}': ${escapeControlBytes((e as { code?: string }).code ?? String(e))}` };
  }
  try {
    // The path may have been replaced between stat and open: judge what was opened.
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      return { ok: false, message: `'${shown}' is not a regular file: not read` };
    }
    const magic = Buffer.alloc(2);
    const n = readSync(fd, magic, 0, 2, 0);
    const raw = createReadStream('', { fd, highWaterMark: CHUNK, start: 0 });
    if (n === 2 && magic[0] === 0x1f && magic[1] === 0x8b) {
      const gunzip = createGunzip({ chunkSize: CHUNK });
      raw.on('error', (e) => gunzip.destroy(e));
      return { ok: true, stream: raw.pipe(gunzip) };
    }
    return { ok: true, stream: raw };
  } catch (e) {
    closeSync(fd);
    return { ok: false, message: `cannot read '${shown}': ${escapeControlBytes(e instanceof Error ? e.message : String(e))}` };
  }
}

function streamError(path: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  const shown = escapeControlBytes(path);
  if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
    return `'${shown}': the gzip data is ${code === 'Z_BUF_ERROR' ? 'cut short (truncated file)' : 'corrupt'}; the lines before were read`;
  }
  return `'${shown}': read error ${escapeControlBytes(code ?? (e instanceof Error ? e.message : String(e)))}; the lines before were read`;
}

/** One file's lines, batch by batch. */
class LineSource {
  private batch: TraceLine[] = [];
  private at = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly splitter = new LineSplitter(MAX_TRACE_LINE_BYTES);
  /** The time of the latest stamped line taken (untimed lines keep it). */
  time = -Infinity;

  constructor(readonly path: string, readonly index: number, stream: AsyncIterable<Buffer>, private readonly onProblem: (p: TraceFileProblem) => void) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** Ensures a line is buffered; false at the end. */
  async fill(): Promise<boolean> {
    while (this.at >= this.batch.length) {
      if (this.done) return false;
      this.batch = [];
      this.at = 0;
      try {
        const r = await this.iterator.next();
        if (r.done) {
          this.done = true;
          this.splitter.end(this.batch);
        } else {
          this.splitter.feed(r.value, this.batch);
        }
      } catch (e) {
        this.done = true;
        this.splitter.end(this.batch);
        this.onProblem({ file: this.path, message: streamError(this.path, e) });
      }
    }
    return true;
  }

  /** The buffered lines not taken yet (after fill()). */
  takeAll(): TraceLine[] {
    const out = this.at === 0 ? this.batch : this.batch.slice(this.at);
    this.at = this.batch.length;
    return out;
  }

  peek(): TraceLine {
    return this.batch[this.at];
  }

  /** The time the head line sorts at. */
  headTime(): number {
    const t = timeOfLine(this.batch[this.at].text);
    return t ?? this.time;
  }

  take(): TraceLine {
    const l = this.batch[this.at++];
    const t = timeOfLine(l.text);
    if (t !== null) this.time = t;
    return l;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

export type OnTraceLine = (file: string, line: TraceLine) => void;

/**
 * Streams the lines of one or more trace files to `onLine`, in time order
 * across files. Resolves with the files that could not be opened or were cut
 * short (the lines read before are delivered). Memory: one chunk per file.
 */
export async function streamTraceLines(paths: readonly string[], onLine: OnTraceLine): Promise<{ readonly unreadable: readonly TraceFileProblem[]; readonly problems: readonly TraceFileProblem[] }> {
  const unreadable: TraceFileProblem[] = [];
  const problems: TraceFileProblem[] = [];
  const sources: LineSource[] = [];
  for (const path of paths) {
    const o = openTrace(path);
    if (!o.ok) unreadable.push({ file: path, message: o.message });
    else sources.push(new LineSource(path, sources.length, o.stream, (p) => problems.push(p)));
  }
  try {
    if (sources.length === 1) {
      // One file: whole batches, no per-line comparison.
      const s = sources[0];
      while (await s.fill()) for (const l of s.takeAll()) onLine(s.path, l);
    } else {
      let live: LineSource[] = [];
      for (const s of sources) if (await s.fill()) live.push(s);
      while (live.length > 0) {
        let best = live[0];
        let bestTime = best.headTime();
        for (let i = 1; i < live.length; i++) {
          const t = live[i].headTime();
          if (t < bestTime) {
            best = live[i];
            bestTime = t;
          }
        }
        // Take this file's lines while it stays first: most of a run is one thread at a time.
        const others = live.filter((s) => s !== best).reduce((m, s) => Math.min(m, s.headTime()), Infinity);
        do {
          onLine(best.path, best.take());
          if (!(await best.fill())) {
            live = live.filter((s) => s !== best);
            break;
          }
        } while (best.headTime() <= others);
      }
    }
  } finally {
    for (const s of sources) await s.close();
  }
  return { unreadable, problems };
}
