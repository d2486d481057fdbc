/** Parsing a word the user typed or selected (`0x0000_2601_0000_001d`, `1234`). No `vscode`. */
import { parseNumberText } from '../dsl/lexer';

const MAX_WORD = (1n << 64n) - 1n;

export function parseWordText(text: string): { ok: true; word: bigint } | { ok: false; message: string } {
  // The language's number rule, so a word is accepted here exactly when a scenario accepts it.
  const word = parseNumberText(text.trim()).value;
  if (word === null) {
    return { ok: false, message: `'${text.trim()}' is not a number (write 0x…, 0b… or decimal; '_' only between digits)` };
  }
  if (word > MAX_WORD) return { ok: false, message: `'${text.trim()}' does not fit in 64 bits` };
  return { ok: true, word };
}
