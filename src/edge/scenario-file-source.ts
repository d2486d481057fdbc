/**
 * A large scenario file read in chunks, from its start as often as the
 * checker and the runtime ask (src/dsl/text-windows.ts), instead of whole:
 * `irqlab check` and `irqlab run` of a trace import hold a window of it at a
 * time, so their memory does not grow with the file. The file is read
 * through once when opened, so a file that is not UTF-8 is refused before
 * anything runs, as a file read whole is, with the same message. A file that
 * changes between two reads is reported, not half-trusted.
 *
 * Small files, pipes (which cannot be read twice) and files over the maximum
 * (refused with their size) go to `readTextFileBounded`, as before, and so
 * does a file the caller finds must be held whole (`readWhole`: it includes
 * files, or calls a proc above its definition).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, Stats, statSync } from 'node:fs';
import type { ScenarioSource } from '../dsl/text-windows';
import { escapeControlBytes } from './escape-text';
import {
  firstBadUtf8Byte, looksLikeUtf16, MAX_SCENARIO_BYTES, notUtf8Message, openError, ReadTextResult, readTextFileBounded, refusal, utf16Message,
} from './read-text-file';

/** Regular files from this size on are read in chunks; smaller ones, and pipes, are read whole. */
export const STREAM_FROM_BYTES = 8 * 1024 * 1024;
/** Bytes read at a time: a few windows (text-windows.ts), so that most windows are slices of one chunk's text, not copies. */
const CHUNK_BYTES = 1024 * 1024;

export interface FileScenarioSource extends ScenarioSource {
  readonly path: string;
  readonly bytes: number;
  /** Why the last read stopped short (not UTF-8, changed since it was opened, an I/O error), or null; `pieces` then throws. */
  readonly failure: string | null;
  /** The whole text, read as `readTextFileBounded` reads it (bounded: MAX_SCENARIO_BYTES). */
  readWhole(): ReadTextResult;
}

export type OpenedScenario =
  | { readonly ok: false; readonly message: string }
  | { readonly ok: true; readonly text: string; readonly source?: undefined }
  | { readonly ok: true; readonly source: FileScenarioSource; readonly text?: undefined };

export interface OpenScenarioOptions {
  /** Regular files at least this large are read in chunks (default STREAM_FROM_BYTES; tests make it small). */
  readonly streamFromBytes?: number;
  readonly chunkBytes?: number;
}

/** Opens a scenario: its whole text when small or a pipe, else a source that reads it in chunks. */
export function openScenarioFile(path: string, options: OpenScenarioOptions = {}): OpenedScenario {
  const shown = escapeControlBytes(path);
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return { ok: false, message: openError(shown, e) };
  }
  // Beyond the maximum, read whole is refused with the size (the limit stays one for every scenario file).
  if (!st.isFile() || st.size < (options.streamFromBytes ?? STREAM_FROM_BYTES) || st.size > MAX_SCENARIO_BYTES) return readTextFileBounded(path);
  const source = new ChunkedFileSource(path, shown, st, Math.max(4096, options.chunkBytes ?? CHUNK_BYTES));
  // Read through once (bytes checked, no text made): a file that is not UTF-8 is refused before anything runs.
  source.validate();
  return source.failure !== null ? { ok: false, message: source.failure } : { ok: true, source };
}

/** The length of `buf[0, length)` without an incomplete UTF-8 character at its end (the next chunk completes it). */
function completeCharacters(buf: Buffer, length: number): number {
  let i = length;
  while (i > 0 && length - i < 3 && (buf[i - 1] & 0xc0) === 0x80) i--;
  if (i === 0) return length;
  const lead = buf[i - 1];
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - (i - 1) < needs ? i - 1 : length;
}

class ChunkedFileSource implements FileScenarioSource {
  failure: string | null = null;
  readonly bytes: number;
  private readonly mtimeMs: number;

  constructor(readonly path: string, private readonly shown: string, st: Stats, private readonly chunkBytes: number) {
    this.bytes = st.size;
    this.mtimeMs = st.mtimeMs;
  }

  validate(): void {
    for (const chunk of this.chunks()) if (!isUtf8(chunk.bytes)) return this.notUtf8(chunk.bytes, chunk.offset);
  }

  /**
   * The text in pieces. A read that fails part-way sets `failure` and throws: a reader must not take
   * a file cut short for the whole file (the CLI reports the failure instead of what it read).
   */
  *pieces(): Generator<string> {
    // A BOM is dropped at the start of the file only, as the whole-file decoder drops it.
    const first = new TextDecoder('utf-8', { fatal: true });
    const rest = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (const chunk of this.chunks()) {
      let text: string;
      try {
        // ASCII (an imported trace is) decodes the same as Latin-1, a copy rather than a decode.
        text = isAscii(chunk.bytes) ? chunk.bytes.toString('latin1') : (chunk.offset === 0 ? first : rest).decode(chunk.bytes);
      } catch {
        this.notUtf8(chunk.bytes, chunk.offset);
        break;
      }
      yield text;
    }
    if (this.failure !== null) throw new Error(this.failure);
  }

  readWhole(): ReadTextResult {
    return readTextFileBounded(this.path);
  }

  private notUtf8(bytes: Buffer, offset: number): void {
    const bad = firstBadUtf8Byte(bytes);
    this.failure = notUtf8Message(this.shown, bytes[bad], offset + bad);
  }

  /** The file's bytes in chunks of whole characters (the last may end mid-character: the decoder says so), with their offsets. */
  private *chunks(): Generator<{ bytes: Buffer; offset: number }> {
    this.failure = null;
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      this.failure = openError(this.shown, e);
      return;
    }
    try {
      const opened = fstatSync(fd);
      const refused = refusal(this.shown, opened, Infinity);
      if (refused !== null) {
        this.failure = refused;
        return;
      }
      if (opened.size !== this.bytes || opened.mtimeMs !== this.mtimeMs) {
        this.failure = this.changed();
        return;
      }
      const buf = Buffer.allocUnsafe(this.chunkBytes + 4);
      let carried = 0;
      let offset = 0;
      for (;;) {
        const n = readSync(fd, buf, carried, this.chunkBytes, null);
        const length = carried + n;
        if (offset === 0 && looksLikeUtf16(buf.subarray(0, length))) {
          this.failure = utf16Message(this.shown);
          return;
        }
        if (n === 0) {
          if (carried > 0) yield { bytes: buf.subarray(0, carried), offset };
          break;
        }
        const end = completeCharacters(buf, length);
        if (end > 0) yield { bytes: buf.subarray(0, end), offset };
        if (this.failure !== null) return;
        buf.copyWithin(0, end, length);
        carried = length - end;
        offset += end;
      }
      if (offset + carried !== this.bytes) this.failure = this.changed();
    } catch (e) {
      this.failure = openError(this.shown, e);
    } finally {
      closeSync(fd);
    }
  }

  private changed(): string {
    return `'${this.shown}' changed while it was being read: not read (run it again once it is written)`;
  }
}
