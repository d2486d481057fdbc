/** Parsing a word the user typed or selected (`0x0000_2601_0000_001d`, `1234`). No `vscode`. */

const MAX_WORD = (1n << 64n) - 1n;

export function parseWordText(text: string): { ok: true; word: bigint } | { ok: false; message: string } {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|0b[01]+|[0-9]+)$/i.test(t)) {
    return { ok: false, message: `'${text.trim()}' is not a number (write 0x…, 0b… or decimal; '_' separators are fine)` };
  }
  const word = BigInt(t);
  if (word > MAX_WORD) return { ok: false, message: `'${text.trim()}' does not fit in 64 bits` };
  return { ok: true, word };
}
