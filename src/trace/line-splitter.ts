/**
 * Bytes → lines, bounded. Chunks of any size go in; each complete line comes
 * out as a range of the chunk it is in (no copy, no string), with its 1-based
 * number. Only a line that straddles two chunks is copied, once. A line longer
 * than `maxLineBytes` is cut there and flagged (`LINE_OVERLONG`) so binary
 * garbage or a 2 GB file without newlines never grows memory beyond one chunk.
 * Trace lines are ASCII; anything else is reported escaped, never mis-decoded
 * across chunk borders.
 */
import { latin1 } from './events';

export const DEFAULT_MAX_LINE_BYTES = 4096;

/** The line was longer than the bound: the range holds only its start. */
export const LINE_OVERLONG = 1;
/** The last line of the input had no newline (a truncated write). */
export const LINE_UNTERMINATED = 2;

/**
 * One line: bytes[start, end) without its newline (or CR-LF). The range is
 * valid while the sink runs; a sink that keeps lines keeps `bytes` (the chunk).
 * Returning false stops the splitter (`push` and `end` then return false).
 */
export type ByteLineSink = (bytes: Uint8Array, start: number, end: number, line: number, flags: number) => boolean;

export interface ByteLineSplitter {
  /** Feed one chunk; false once the sink has asked to stop. */
  push(chunk: Uint8Array, sink: ByteLineSink): boolean;
  /** End of input: the unterminated last line, if any. */
  end(sink: ByteLineSink): boolean;
  /** Lines emitted so far. */
  readonly lines: number;
}

/**
 * `chunk` as a plain Uint8Array over the same memory. A reading edge's chunks
 * may be a subclass (Node's Buffer) while a carried line is a plain array: the
 * readers downstream then saw two shapes of array, and V8 threw their
 * optimized code away and compiled it again at each change (measured: those
 * deoptimizations are gone with one shape).
 */
function plainBytes(chunk: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(chunk) === Uint8Array.prototype ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export function createByteLineSplitter(maxLineBytes = DEFAULT_MAX_LINE_BYTES): ByteLineSplitter {
  const carry = new Uint8Array(maxLineBytes);
  let carryLength = 0;
  let overlong = false;
  let line = 0;
  const take = (chunk: Uint8Array, from: number, to: number): void => {
    const room = maxLineBytes - carryLength;
    const n = to - from;
    if (n > room) {
      carry.set(chunk.subarray(from, from + room), carryLength);
      carryLength = maxLineBytes;
      overlong = true;
    } else {
      carry.set(chunk.subarray(from, to), carryLength);
      carryLength += n;
    }
  };
  /** The carried line, copied out (a sink may keep it past the next chunk). */
  const emitCarry = (sink: ByteLineSink, flags: number): boolean => {
    const bytes = carry.slice(0, carryLength);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--;
    const more = sink(bytes, 0, end, ++line, flags | (overlong ? LINE_OVERLONG : 0));
    carryLength = 0;
    overlong = false;
    return more;
  };
  return {
    get lines() { return line; },
    push(chunk, sink) {
      const n = chunk.length;
      const bytes = plainBytes(chunk);
      let start = 0;
      if (carryLength > 0 || overlong) {
        const nl = chunk.indexOf(10);
        if (nl < 0) { take(chunk, 0, n); return true; }
        take(chunk, 0, nl);
        start = nl + 1;
        if (!emitCarry(sink, 0)) return false;
      }
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) {
          if (start < n) take(chunk, start, n);
          return true;
        }
        let more: boolean;
        if (nl - start > maxLineBytes) {
          more = sink(bytes, start, start + maxLineBytes, ++line, LINE_OVERLONG);
        } else {
          const end = nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl;
          more = sink(bytes, start, end, ++line, 0);
        }
        if (!more) return false;
        start = nl + 1;
      }
    },
    end(sink) {
      if (carryLength > 0 || overlong) return emitCarry(sink, LINE_UNTERMINATED);
      return true;
    },
  };
}

/** A line as text (tests and callers that want strings). */
export interface SplitLine {
  readonly line: number;
  readonly text: string;
  /** The line was longer than the bound: `text` holds only its start. */
  readonly overlong: boolean;
  /** The last line of the input had no newline (a truncated write). */
  readonly unterminated: boolean;
}

export interface LineSplitter {
  /** Feed one chunk; `emit` is called for each complete line in it. */
  push(chunk: Uint8Array, emit: (l: SplitLine) => void): void;
  /** End of input: emits the unterminated last line, if any. */
  end(emit: (l: SplitLine) => void): void;
}

/** The byte splitter with each line decoded to text (one char per byte). */
export function createLineSplitter(maxLineBytes = DEFAULT_MAX_LINE_BYTES): LineSplitter {
  const bytes = createByteLineSplitter(maxLineBytes);
  const toText = (emit: (l: SplitLine) => void): ByteLineSink => (b, start, end, line, flags) => {
    emit({ line, text: latin1(b, start, end), overlong: (flags & LINE_OVERLONG) !== 0, unterminated: (flags & LINE_UNTERMINATED) !== 0 });
    return true;
  };
  return {
    push(chunk, emit) { bytes.push(chunk, toText(emit)); },
    end(emit) { bytes.end(toText(emit)); },
  };
}
