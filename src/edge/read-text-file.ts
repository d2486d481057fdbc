/**
 * Reads a scenario (or an included file) from disk without trusting it: a
 * size limit, only regular files and pipes (a character device such as
 * /dev/zero or /dev/tty is refused before it is opened), a FIFO with no
 * writer read as empty instead of blocking forever, and text that must be
 * UTF-8 (UTF-16 gets a hint). Shared by the CLI, the language server and
 * the debug adapter: every door reads files the same way.
 */
import { closeSync, constants, fstatSync, openSync, readSync, Stats, statSync } from 'node:fs';
import { escapeControlBytes } from './escape-text';

/** The largest scenario or include read, in bytes (README "Limits"). */
export const MAX_SCENARIO_BYTES = 256 * 1024 * 1024;

export type ReadTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

export interface ReadTextOptions {
  /** Refuse files larger than this many bytes (default MAX_SCENARIO_BYTES). */
  readonly maxBytes?: number;
}

/** 1536 → "1.5 KiB"; exact byte counts stay readable next to it. */
export function formatByteSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function openError(shown: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return `cannot read '${shown}': no such file`;
    case 'EACCES':
    case 'EPERM': return `cannot read '${shown}': permission denied`;
    case 'ENOTDIR': return `cannot read '${shown}': a part of the path is not a directory`;
    case 'ELOOP': return `cannot read '${shown}': too many symbolic links`;
    case 'ENAMETOOLONG': return `cannot read '${shown}': the name is too long`;
    default: return `cannot read '${shown}': ${escapeControlBytes(code ?? (e instanceof Error ? e.message : String(e)))}`;
  }
}

/** Why this file type is not read, or null when it may be (regular files and pipes/FIFOs). */
export function refusal(shown: string, st: Stats, maxBytes: number): string | null {
  if (st.isDirectory()) return `'${shown}' is a directory, not a scenario file`;
  if (!st.isFile() && !st.isFIFO()) return `'${shown}' is ${kindOf(st)}, not a regular file or a pipe: not read`;
  if (st.isFile() && st.size > maxBytes) {
    return `'${shown}' is ${formatByteSize(st.size)} (${st.size} bytes), more than the maximum of ${formatByteSize(maxBytes)} for a scenario file: not read`;
  }
  return null;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** A synchronous pause (include readers are synchronous): a pipe whose writer has not written yet. */
function pause(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Reads at most maxBytes + 1 bytes (one more tells "too large"); null when the limit was passed. */
function readBounded(fd: number, initial: number, maxBytes: number): Buffer | null {
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(initial, maxBytes + 1)));
  let length = 0;
  let idle = 0;
  for (;;) {
    if (length === buf.length) {
      if (length > maxBytes) return null;
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buf, length, buf.length - length, null);
    } catch (e) {
      // A pipe with a writer that has not written yet: wait for it, backing off up to 20 ms.
      if ((e as { code?: string }).code === 'EAGAIN') {
        pause(Math.min(20, 1 + idle++));
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    idle = 0;
    length += n;
  }
  return length > maxBytes ? null : buf.subarray(0, length);
}

/** Text of UTF-16 (a byte-order mark, or NUL bytes after most characters) is named as such. */
export function looksLikeUtf16(bytes: Buffer): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 2) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  return Math.max(evenZeros, oddZeros) * 2 >= pairs && Math.min(evenZeros, oddZeros) * 8 < pairs;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the first malformed UTF-8 sequence starts (for the message only; the decoder decides validity). */
export function firstBadUtf8Byte(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    for (let k = 1; k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return 0;
}

/** Why text that looks like UTF-16 is refused. */
export function utf16Message(shown: string): string {
  return `'${shown}' looks like UTF-16 text (a byte-order mark or NUL bytes between characters); scenarios must be UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)`;
}

/** Why bytes that are not UTF-8 are refused: the byte `byte` at file offset `offset` starts the first bad sequence. */
export function notUtf8Message(shown: string, byte: number, offset: number): string {
  return `'${shown}' is not UTF-8 text (byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset}); scenarios must be UTF-8`;
}

function decode(shown: string, bytes: Buffer): ReadTextResult {
  if (looksLikeUtf16(bytes)) return { ok: false, message: utf16Message(shown) };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const valid = firstBadUtf8Byte(bytes);
    return { ok: false, message: notUtf8Message(shown, bytes[valid], valid) };
  }
}

/**
 * Reads a UTF-8 text file by path, bounded. Never blocks on a FIFO without a
 * writer (read as empty) and never reads a device; every refusal is a
 * one-line message naming the file (control bytes escaped) and the cause.
 */
export function readTextFileBounded(path: string, options: ReadTextOptions = {}): ReadTextResult {
  const maxBytes = options.maxBytes ?? MAX_SCENARIO_BYTES;
  const shown = escapeControlBytes(path);
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return { ok: false, message: openError(shown, e) };
  }
  const early = refusal(shown, st, maxBytes);
  if (early) return { ok: false, message: early };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once (a blocking open would wait forever).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, message: openError(shown, e) };
  }
  try {
    // The path may have been replaced between stat and open: judge what was opened.
    const opened = fstatSync(fd);
    const late = refusal(shown, opened, maxBytes);
    if (late) return { ok: false, message: late };
    const bytes = readBounded(fd, opened.isFile() ? opened.size + 1 : 64 * 1024, maxBytes);
    if (!bytes) return { ok: false, message: `'${shown}' holds more than the maximum of ${formatByteSize(maxBytes)} for a scenario file: not read` };
    return decode(shown, bytes);
  } catch (e) {
    return { ok: false, message: openError(shown, e) };
  } finally {
    closeSync(fd);
  }
}

/** The `readFile` callback shape of the runtime and checker: the text, or undefined with the reason dropped. */
export function readTextOrUndefined(path: string): string | undefined {
  const r = readTextFileBounded(path);
  return r.ok ? r.text : undefined;
}
