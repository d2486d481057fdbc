/**
 * Bytes → lines, bounded. Chunks of any size go in; complete lines come out
 * with their 1-based number. A line longer than `maxLineBytes` is cut there and
 * flagged (`overlong`) so binary garbage or a 2 GB file without newlines never
 * grows memory beyond one chunk. Each chunk is decoded once as single-byte text
 * (trace lines are ASCII; anything else is reported escaped, never mis-decoded
 * across chunk borders) and split on '\n'.
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

/** One char per byte, whatever the byte (the WHATWG 'latin1' label is windows-1252: close enough for messages). */
const decoder = new TextDecoder('latin1');

export function createLineSplitter(maxLineBytes = DEFAULT_MAX_LINE_BYTES): LineSplitter {
  let carry = '';
  let overlong = false;
  let line = 0;
  const take = (piece: string): void => {
    const room = maxLineBytes - carry.length;
    if (piece.length > room) {
      if (room > 0) carry += piece.slice(0, room);
      overlong = true;
    } else {
      carry += piece;
    }
  };
  return {
    push(chunk, emit) {
      const text = decoder.decode(chunk);
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) {
          if (start < text.length) take(text.slice(start));
          return;
        }
        let l: string;
        if (carry.length === 0 && !overlong && nl - start <= maxLineBytes) {
          l = text.slice(start, nl);
        } else {
          take(text.slice(start, nl));
          l = carry;
        }
        if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
        emit({ line: ++line, text: l, overlong, unterminated: false });
        carry = '';
        overlong = false;
        start = nl + 1;
      }
    },
    end(emit) {
      if (carry.length > 0 || overlong) emit({ line: ++line, text: carry, overlong, unterminated: true });
      carry = '';
      overlong = false;
    },
  };
}
