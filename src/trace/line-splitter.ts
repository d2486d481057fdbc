/**
 * Bytes → lines, bounded. Chunks of any size go in; complete lines come out
 * with their 1-based number. A line longer than `maxLineBytes` is cut there and
 * flagged (`overlong`) so binary garbage or a 2 GB file without newlines never
 * grows memory. Decoding is Latin-1 (one char per byte): trace lines are ASCII
 * and anything else is reported, never mis-decoded across chunk borders.
 */
export interface SplitLine {
  readonly line: number;
  readonly text: string;
  /** The line was longer than the bound: `text` holds only its start. */
  readonly overlong: boolean;
  /** The last line of the input had no newline (a truncated write). */
  readonly unterminated: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 4096;

export interface LineSplitter {
  /** Feed one chunk; `emit` is called for each complete line in it. */
  push(chunk: Uint8Array, emit: (l: SplitLine) => void): void;
  /** End of input: emits the unterminated last line, if any. */
  end(emit: (l: SplitLine) => void): void;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  // String.fromCharCode in slices: fast for ASCII and never throws on bytes ≥ 0x80.
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 8192))));
  }
  return s;
}

export function createLineSplitter(maxLineBytes = DEFAULT_MAX_LINE_BYTES): LineSplitter {
  let carry = '';
  let carryBytes = 0;
  let overlong = false;
  let line = 0;
  const decoder = typeof TextDecoder !== 'undefined' ? new TextDecoder('latin1') : null;
  const decode = (b: Uint8Array, s: number, e: number): string => (decoder ? decoder.decode(b.subarray(s, e)) : latin1(b, s, e));
  return {
    push(chunk, emit) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        const end = nl < 0 ? chunk.length : nl;
        const room = maxLineBytes - carryBytes;
        if (end - start > room) {
          if (room > 0) carry += decode(chunk, start, start + room);
          carryBytes = maxLineBytes;
          overlong = true;
        } else if (end > start) {
          carry += decode(chunk, start, end);
          carryBytes += end - start;
        }
        if (nl < 0) return;
        line++;
        const text = carry.endsWith('\r') ? carry.slice(0, -1) : carry;
        emit({ line, text, overlong, unterminated: false });
        carry = '';
        carryBytes = 0;
        overlong = false;
        start = nl + 1;
      }
    },
    end(emit) {
      if (carryBytes > 0 || overlong) {
        line++;
        emit({ line, text: carry, overlong, unterminated: true });
      }
      carry = '';
      carryBytes = 0;
      overlong = false;
    },
  };
}
