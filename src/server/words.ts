/**
 * The word under the cursor, by the same rule as language-configuration.json's
 * wordPattern: identifiers, numbers with `_`, `ibm,int-off`, `xics-on-xive`.
 * Scans outwards from the offset only, so a 1 MB line costs the word's length.
 */
import { parseNumberText } from '../dsl/lexer';

export interface WordAt {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Words that carry `-` or `,` inside them. */
const JOINED_WORD = /^(?:ibm,[A-Za-z][\w-]*|xics-on-xive|xics-pr)$/;
const MAX_JOINED = 32;

export function wordAt(text: string, offset: number): WordAt | null {
  let start = offset;
  let end = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  if (start === end) return null;
  // Extend over `-`/`,` joins when the longer form is one of the joined words.
  let jStart = start;
  let jEnd = end;
  const joiner = (c: number) => c === 45 || c === 44;
  while (jStart > 0 && start - jStart < MAX_JOINED && (isWordChar(text.charCodeAt(jStart - 1)) || joiner(text.charCodeAt(jStart - 1)))) jStart--;
  while (jEnd < text.length && jEnd - end < MAX_JOINED && (isWordChar(text.charCodeAt(jEnd)) || joiner(text.charCodeAt(jEnd)))) jEnd++;
  for (let s = jStart; s <= start; s++) {
    for (let e = jEnd; e >= end; e--) {
      if ((s < start || e > end) && JOINED_WORD.test(text.slice(s, e)) && !isWordChar(text.charCodeAt(s - 1)) && !isWordChar(text.charCodeAt(e))) {
        return { text: text.slice(s, e), start: s, end: e };
      }
    }
  }
  return { text: text.slice(start, end), start, end };
}

/** The identifier-ish prefix typed just before `offset` (for completion filtering). */
export function prefixAt(text: string, offset: number): WordAt {
  let start = offset;
  while (start > 0 && (isWordChar(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 44 || text.charCodeAt(start - 1) === 45)) start--;
  // A `-` or `,` only belongs to the prefix inside `ibm,...` / `xics-...`.
  let candidate = text.slice(start, offset);
  while (candidate.length > 0 && /^[-,]/.test(candidate)) {
    start++;
    candidate = candidate.slice(1);
  }
  if (/[-,]/.test(candidate) && !/^(ibm,|xics-)/.test(candidate)) {
    const cut = Math.max(candidate.lastIndexOf('-'), candidate.lastIndexOf(',')) + 1;
    start += cut;
    candidate = candidate.slice(cut);
  }
  return { text: candidate, start, end: offset };
}

const MAX64 = (1n << 64n) - 1n;

/** Parses `0x0000_0026_0000_000e`, `0b101`, `4864`; null when it is not a 64-bit unsigned number. */
export function parseWordText(text: string): bigint | null {
  const t = text.trim();
  if (t.length > 100) return null;
  // The language's number rule: hovers and Decode accept exactly what a scenario does.
  const v = parseNumberText(t).value;
  return v !== null && v <= MAX64 ? v : null;
}
