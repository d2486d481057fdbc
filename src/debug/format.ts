/** Number formatting for the Variables pane, the console and hovers: hex or decimal on request. */
import { hexWord, summarizeWord } from '../model/layouts/render';
import { LayoutName, LAYOUTS } from '../model/layouts/table';
import { parseNumberText } from '../dsl/lexer';

export interface DisplayOptions {
  readonly hex: boolean;
}

/** A plain number (count, index, field value) in the chosen base; hex pads to `bits` when given. */
export function formatNumber(value: number | bigint, options: DisplayOptions, bits?: number): string {
  const v = BigInt(value);
  if (!options.hex || v < 0n) return v.toString(10);
  const digits = bits ? Math.max(1, Math.ceil(bits / 4)) : 1;
  return '0x' + v.toString(16).padStart(digits, '0');
}

/** A register word: always hex at its full width (a 64-bit register in decimal helps nobody), then its summary. */
export function formatWord(layout: LayoutName, word: bigint): string {
  const summary = summarizeWord(layout, word);
  const text = hexWord(word, LAYOUTS[layout].width);
  return summary ? `${text}  ${summary}` : text;
}

/** PQ in XIVE encoding (P = 2, Q = 1) as the protocol's glossary writes it: `--`, `P-`, `PQ`, `-Q`. */
export { pqText } from '../dsl/runtime/format';

/** Parses a number the way `.irq` writes it: decimal, 0x, 0b, with `_` separators. Null when it is not one. */
export function parseNumberLiteral(text: string): bigint | null {
  // The lexer's rule, so the console accepts exactly the numbers a scenario does.
  return parseNumberText(text.trim()).value;
}
