/**
 * The edge where a trace launch reads its files: plain or gzip, bounded, each
 * failure a sentence naming the file. The replay itself is the trace layer's
 * (src/trace); stepping it is the TraceProgram's.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve as resolvePath } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { TraceText } from './execution/trace-program';

/** The debugger holds a trace's text (the editor shows it): beyond this, `irqlab replay` streams it instead. */
export const MAX_TRACE_BYTES = 512 * 1024 * 1024;

/** Whether a launch's program is a QEMU trace rather than a scenario. */
export function isTracePath(path: string): boolean {
  if (/\.irq$/i.test(path)) return false;
  return /\.gz$/i.test(path) || /(^|[\\/])trace[^\\/]*$/i.test(path) || /\.(log|trace|txt)$/i.test(path);
}

function readBounded(path: string): Buffer | string {
  // Opening a FIFO would wait for a writer, and a device never ends: only regular files are traces.
  try {
    if (!statSync(path).isFile()) return `cannot read trace '${path}': not a regular file`;
  } catch (e) {
    return `cannot read trace '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return `cannot read trace '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_TRACE_BYTES) {
      return `${basename(path)} is ${(size / 2 ** 20).toFixed(0)} MiB: the debugger holds at most ${MAX_TRACE_BYTES / 2 ** 20} MiB of trace text (irqlab replay streams any size)`;
    }
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Reads one trace file; a .gz is decompressed here (and shown in the editor as a read-only virtual document). */
export function readTraceFile(path: string): TraceText | string {
  const abs = resolvePath(path);
  const raw = readBounded(abs);
  if (typeof raw === 'string') return raw;
  const gz = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  let bytes: Buffer = raw;
  if (gz) {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: MAX_TRACE_BYTES });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /larger than/.test(String(e))) {
        return `${basename(abs)} decompresses to more than ${MAX_TRACE_BYTES / 2 ** 20} MiB: the debugger holds at most that much trace text (irqlab replay streams any size)`;
      }
      return `${basename(abs)} is not a readable gzip file: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  // One byte per character: trace lines are ASCII, and anything else stays one character per byte.
  return { uri: abs, text: bytes.toString('latin1'), virtual: gz };
}
