/** One-line renderings of values and results (CLI lines, the debugger's Last operation, the log). */
import { summarizeWord } from '../../model/layouts/render';
import { LAYOUTS, LayoutName } from '../../model/layouts/table';

export function hex(v: bigint | number): string {
  const n = BigInt(v);
  return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

export function hexWordOf(layout: LayoutName | null, word: bigint): string {
  const width = layout ? LAYOUTS[layout].width : 64;
  return '0x' + BigInt.asUintN(width, word).toString(16).padStart(width / 4, '0');
}

/** `0x0000002600000000 (prio=6 server=4)`; a value without layout is plain hex. */
export function describeWord(layout: LayoutName | null, word: bigint): string {
  if (!layout) return hex(word);
  const summary = summarizeWord(layout, word);
  return summary ? `${hexWordOf(layout, word)} (${summary})` : hexWordOf(layout, word);
}

export function describeRecord(values: Readonly<Record<string, bigint>>): string {
  return '{ ' + Object.entries(values).map(([k, v]) => `${k} ${hex(v)}`).join(', ') + ' }';
}

/** Queue entries shown in one line before the rest is counted ("… 16,380 more"): a lap is 16,384. */
export const ENTRIES_SHOWN = 4;

/** `[0x80001300, 0x80001301]`; more than ENTRIES_SHOWN entries end with `… N more`, so a line stays readable. */
export function describeEntries(entries: readonly number[], limit = ENTRIES_SHOWN): string {
  const shown = entries.length > limit ? entries.slice(0, limit) : entries;
  const words = shown.map((e) => '0x' + (e >>> 0).toString(16).padStart(8, '0'));
  if (entries.length > shown.length) words.push(`… ${(entries.length - shown.length).toLocaleString('en-US')} more`);
  return '[' + words.join(', ') + ']';
}

/** An ESB PQ pair as the Variables pane shows it: `--`, `-Q`, `P-`, `PQ` (P = 2, Q = 1). */
export function pqText(pq: number | bigint): string {
  const n = Number(pq);
  return (n & 2 ? 'P' : '-') + (n & 1 ? 'Q' : '-');
}
