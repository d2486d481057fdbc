/**
 * The `.irq` lexer: one pass over char codes (no regular expression per
 * character, the 100,000-line benchmark depends on it). Comments are collected
 * aside; newlines are tokens because statements are line-based. Problems
 * (bad numbers, unterminated strings, stray characters) become `bad` tokens
 * with a message, never exceptions.
 */
import type { Comment, Span } from './ast';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'eof' | 'bad';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for strings: the raw text including quotes). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
  /** Numbers: the value; null when the literal is malformed (then `problem` says why). */
  readonly value: bigint | null;
  /** Strings: the decoded contents. */
  readonly str: string;
  /** Why a `bad` token (or malformed number / unterminated string) is wrong. */
  readonly problem: string | null;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
  readonly lineStarts: number[];
}

const TWO_CHAR_OPS = new Set(['->', '==', '!=', '<=', '>=', '<<', '>>', '&&', '||']);
const ONE_CHAR_OPS = '+-*/%&|^~!<>=(){}[],.';

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses a numeric literal's text; returns null with a reason when malformed. */
export function parseNumberText(text: string): { value: bigint | null; problem: string | null } {
  let body = text;
  let radix = 10;
  if (text.length > 1 && text.charCodeAt(0) === 48) {
    const p = text.charCodeAt(1) | 0x20;
    if (p === 120) { radix = 16; body = text.slice(2); }
    else if (p === 98) { radix = 2; body = text.slice(2); }
  }
  if (body.length === 0 || body.charCodeAt(0) === 95 || body.charCodeAt(body.length - 1) === 95) {
    return { value: null, problem: `malformed number '${text}'` };
  }
  let digits = '';
  let hasSep = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 95) {
      if (body.charCodeAt(i - 1) === 95) return { value: null, problem: `malformed number '${text}': doubled '_'` };
      hasSep = true;
      continue;
    }
    const ok = radix === 16 ? isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102)
      : radix === 2 ? c === 48 || c === 49 : isDigit(c);
    if (!ok) {
      const kind = radix === 16 ? 'hexadecimal' : radix === 2 ? 'binary' : 'decimal';
      return { value: null, problem: `malformed number '${text}': '${body[i]}' is not a ${kind} digit` };
    }
  }
  digits = hasSep ? body.split('_').join('') : body;
  if (radix === 10) {
    // Small decimals are the common case; Number → BigInt is cheaper than parsing the string.
    return { value: digits.length < 16 ? BigInt(+digits) : BigInt(digits), problem: null };
  }
  return { value: BigInt((radix === 16 ? '0x' : '0b') + digits), problem: null };
}

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const lineStarts: number[] = [0];
  const n = text.length;
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const push = (kind: TokenKind, start: number, end: number, value: bigint | null = null, str = '', problem: string | null = null): void => {
    tokens.push({ kind, text: text.slice(start, end), start, end, line, col: start - lineStart, value, str, problem });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) { i++; continue; }
    if (c === 10) {
      push('newline', i, i + 1);
      i++;
      line++;
      lineStart = i;
      lineStarts.push(i);
      continue;
    }
    if (c === 35) { // '#'
      const s = i;
      while (i < n && text.charCodeAt(i) !== 10) i++;
      let e = i;
      while (e > s && text.charCodeAt(e - 1) === 13) e--;
      comments.push({ text: text.slice(s, e), span: { start: s, end: e, line, col: s - lineStart } });
      continue;
    }
    if (isNameStart(c)) {
      const s = i;
      i++;
      while (i < n && isNamePart(text.charCodeAt(i))) i++;
      push('name', s, i);
      continue;
    }
    if (isDigit(c)) {
      const s = i;
      i++;
      while (i < n && isNamePart(text.charCodeAt(i))) i++;
      const { value, problem } = parseNumberText(text.slice(s, i));
      push('number', s, i, value, '', problem);
      continue;
    }
    if (c === 34) { // '"'
      const s = i;
      i++;
      let str = '';
      let closed = false;
      let chunk = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 34) { str += text.slice(chunk, i); i++; closed = true; break; }
        if (d === 10) break;
        if (d === 92 && i + 1 < n && text.charCodeAt(i + 1) !== 10) {
          // Keep `\{` as written so the log interpolation can tell it from a real `{`.
          const next = text[i + 1];
          str += text.slice(chunk, i) + (next === 'n' ? '\n' : next === 't' ? '\t' : next === '{' || next === '}' ? '\\' + next : next);
          i += 2;
          chunk = i;
          continue;
        }
        i++;
      }
      if (!closed) {
        let e = i;
        while (e > s && text.charCodeAt(e - 1) === 13) e--;
        str += text.slice(chunk, e);
        push('string', s, e, null, str, 'unterminated string: add the closing \'"\'');
      } else {
        push('string', s, i, null, str);
      }
      continue;
    }
    if (i + 1 < n) {
      const two = text.slice(i, i + 2);
      if (TWO_CHAR_OPS.has(two)) { push('op', i, i + 2); i += 2; continue; }
    }
    if (ONE_CHAR_OPS.indexOf(text[i]) >= 0) { push('op', i, i + 1); i++; continue; }
    // A stray character: one bad token per character; the parser reports only the first one on a line.
    const s = i;
    const cp = text.codePointAt(i) ?? c;
    i += cp > 0xffff ? 2 : 1;
    push('bad', s, i, null, '', `unexpected character '${String.fromCodePoint(cp)}'`);
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n, line, col: n - lineStart, value: null, str: '', problem: null });
  return { tokens, comments, lineStarts };
}

export function spanOf(t: Token): Span {
  return { start: t.start, end: t.end, line: t.line, col: t.col };
}

export function spanFrom(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, col: a.col };
}
