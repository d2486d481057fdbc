/**
 * The `.irq` lexer: one pass over char codes (no regular expression per
 * character, the 100,000-line benchmark depends on it). Comments are collected
 * aside; newlines are tokens because statements are line-based. Problems
 * (bad numbers, unterminated strings, stray characters) become `bad` tokens
 * with a message, never exceptions.
 */
import { BracketDepth } from './bracket-depth';
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

/** Random access to tokens, whether stored as objects or in a TokenBuffer. */
export interface TokenSource {
  readonly length: number;
  at(index: number): Token;
  /** The kind of token `index`, without building the token. */
  kindOf(index: number): TokenKind;
  /** `kindOf` as a K_* code (an integer compare for the parser's hot paths). */
  kindCodeOf(index: number): number;
  /** Whether token `index` is exactly `text`, without building the token. */
  textIs(index: number, text: string): boolean;
  /** Source text and span of token `index`, without building the token. */
  textOf(index: number): string;
  /** `textOf` for a name token: one shared string per name. */
  nameOf(index: number): string;
  spanAt(index: number): Span;
  /** The operator text of token `index` (shared strings), or null when it is not an operator. */
  opAt(index: number): string | null;
  /** End offset of token `index`. */
  endOf(index: number): number;
}

export function arraySource(tokens: readonly Token[]): TokenSource {
  const at = (i: number): Token => tokens[i < tokens.length ? i : tokens.length - 1];
  return {
    length: tokens.length, at, kindOf: (i) => at(i).kind, kindCodeOf: (i) => KIND_NAMES.indexOf(at(i).kind), textIs: (i, t) => at(i).text === t,
    textOf: (i) => at(i).text, nameOf: (i) => at(i).text, spanAt: (i) => spanOf(at(i)),
    opAt: (i) => (at(i).kind === 'op' ? at(i).text : null), endOf: (i) => at(i).end,
  };
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
  readonly lineStarts: number[];
}

const ONE_CHAR_OPS = '+-*/%&|^~!<>=(){}[],.';

/**
 * What a UTF-16 code unit can start, looked up in one table read instead of a
 * chain of comparisons. C_NAME and C_DIGIT come first so that "continues a
 * name or number" is a single `<= C_DIGIT` test.
 */
const C_NAME = 0, C_DIGIT = 1, C_SPACE = 2, C_NEWLINE = 3, C_HASH = 4, C_QUOTE = 5, C_OP = 6, C_OP2 = 7, C_BAD = 8, C_BAD_PAIR = 9;
const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(65536).fill(C_BAD);
  // A high surrogate is reported together with the unit after it (one bad token per code point).
  t.fill(C_BAD_PAIR, 0xd800, 0xdc00);
  for (let c = 97; c <= 122; c++) t[c] = C_NAME;
  for (let c = 65; c <= 90; c++) t[c] = C_NAME;
  t[95] = C_NAME;
  for (let c = 48; c <= 57; c++) t[c] = C_DIGIT;
  for (const c of [32, 9, 13, 0xfeff]) t[c] = C_SPACE;
  t[10] = C_NEWLINE;
  t[35] = C_HASH;
  t[34] = C_QUOTE;
  for (const op of ONE_CHAR_OPS) t[op.charCodeAt(0)] = C_OP;
  // These may begin a two-character operator (see isTwoCharOp).
  for (const op of '-=!<>&|') t[op.charCodeAt(0)] = C_OP2;
  return t;
})();

/** Small values are shared (bigints are immutable): fewer heap objects in a large tree. */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));
/** `BigInt(n)` for a safe non-negative integer `n`, shared when small. */
export function smallBigInt(n: number): bigint {
  return n < 1024 ? SMALL_BIGINTS[n] : BigInt(n);
}

/** Parses a numeric literal's text; returns null with a reason when malformed. */
export function parseNumberText(text: string): { value: bigint | null; problem: string | null } {
  let from = 0;
  let radix = 10;
  if (text.length > 1 && text.charCodeAt(0) === 48) {
    const p = text.charCodeAt(1) | 0x20;
    if (p === 120) { radix = 16; from = 2; } else if (p === 98) { radix = 2; from = 2; }
  }
  const n = text.length;
  if (from === n || text.charCodeAt(from) === 95 || text.charCodeAt(n - 1) === 95) {
    return { value: null, problem: `malformed number '${text}'` };
  }
  // The value is accumulated as a double while it is exact (≤ 2^53); longer literals go through BigInt(string).
  let acc = 0;
  let hasSep = false;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) {
      if (text.charCodeAt(i - 1) === 95) return { value: null, problem: `malformed number '${text}': doubled '_'` };
      hasSep = true;
      continue;
    }
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (radix === 16 && (c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
    else d = 99;
    if (d >= radix) {
      const kind = radix === 16 ? 'hexadecimal' : radix === 2 ? 'binary' : 'decimal';
      return { value: null, problem: `malformed number '${text}': '${text[i]}' is not a ${kind} digit` };
    }
    acc = acc * radix + d;
  }
  if (acc <= Number.MAX_SAFE_INTEGER) return { value: smallBigInt(acc), problem: null };
  const body = hasSep ? text.slice(from).split('_').join('') : text.slice(from);
  return { value: BigInt((radix === 16 ? '0x' : radix === 2 ? '0b' : '') + body), problem: null };
}

/** Token kinds as integer codes (`kindCodeOf`), the index of each kind's name in KIND_NAMES. */
export const K_NAME = 0, K_NUMBER = 1, K_STRING = 2, K_OP = 3, K_NEWLINE = 4, K_EOF = 5, K_BAD = 6;
const KIND_NAMES: readonly TokenKind[] = ['name', 'number', 'string', 'op', 'newline', 'eof', 'bad'];

/** Decodes a string token's raw text (quotes included); `\{` stays escaped for the log interpolation. */
function decodeString(raw: string): { str: string; problem: string | null } {
  const closed = raw.length >= 2 && raw.charCodeAt(raw.length - 1) === 34 && !isEscapedQuote(raw);
  const endAt = closed ? raw.length - 1 : raw.length;
  let str = '';
  let chunk = 1;
  for (let i = 1; i < endAt; i++) {
    if (raw.charCodeAt(i) === 92 && i + 1 < endAt) {
      const next = raw[i + 1];
      str += raw.slice(chunk, i) + (next === 'n' ? '\n' : next === 't' ? '\t' : next === '{' || next === '}' ? '\\' + next : next);
      i++;
      chunk = i + 1;
    }
  }
  str += raw.slice(chunk, endAt);
  return { str, problem: closed ? null : 'unterminated string: add the closing \'"\'' };
}
/** Whether the final quote of `raw` is escaped (then the string is not closed). */
function isEscapedQuote(raw: string): boolean {
  let n = 0;
  for (let i = raw.length - 2; i >= 1 && raw.charCodeAt(i) === 92; i--) n++;
  return n % 2 === 1;
}

/**
 * Every name the lexer has seen (up to a limit), as a trie walked while a name is scanned: a name
 * token's record holds its word id, so the parser gets the shared string with one array read
 * instead of comparing the source against a cached copy (its largest cost). Module-wide: a file's
 * vocabulary is small and repeats across files and slices; past the limit names get no id.
 */
const NOT_WORD_CHAR = 255;
/** A name character's trie edge (0..62), NOT_WORD_CHAR for anything else. */
const WORD_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(65536).fill(NOT_WORD_CHAR);
  let next = 0;
  for (let c = 0; c < 128; c++) if (CHAR_CLASS[c] <= C_DIGIT) t[c] = next++;
  return t;
})();
/** Trie state `s` has its child for edge `x` at `s << 6 | x` (0: none; state 0 is the root, never a child). */
let trie = new Int32Array(64 * 256);
/** Per state: 1 + the id of the word ending there, 0 for none. */
let wordAt = new Int32Array(256);
let trieStates = 1;
const MAX_TRIE_STATES = 1 << 14;
/** Longer names are not worth trie states (they rarely repeat). */
const MAX_WORD_LENGTH = 48;
const words: string[] = [];

/** The id of the name `text[start, end)`, added to the trie when new; -1 when too long or the trie is full. */
function wordId(text: string, start: number, end: number): number {
  if (end - start > MAX_WORD_LENGTH) return -1;
  let state = 0;
  for (let i = start; i < end; i++) {
    const edge = (state << 6) | WORD_CHAR[text.charCodeAt(i)];
    if (trie[edge] === 0) {
      if (trieStates === MAX_TRIE_STATES) return -1;
      if (trieStates === wordAt.length) growTrie();
      trie[edge] = trieStates++;
    }
    state = trie[edge];
  }
  if (wordAt[state] === 0) wordAt[state] = words.push(copyOf(text, start, end));
  return wordAt[state] - 1;
}

/** `text.slice(start, end)` as a string of its own: a slice may point into the text, which the table must not keep alive. */
function copyOf(text: string, start: number, end: number): string {
  const codes: number[] = [];
  for (let i = start; i < end; i++) codes.push(text.charCodeAt(i));
  return String.fromCharCode(...codes);
}

function growTrie(): void {
  const t = new Int32Array(trie.length * 2);
  t.set(trie);
  trie = t;
  const w = new Int32Array(wordAt.length * 2);
  w.set(wordAt);
  wordAt = w;
}

/**
 * Small token buffers are carved from a shared slab: a separately allocated typed array costs
 * about a microsecond (allocation and GC tracking), a third of lexing a 20-line slice, and the
 * incremental analyzer lexes thousands of them. A slab stays alive while any buffer in it does,
 * so at most SLAB_BYTES are held for a kept small buffer; large ones get their own memory.
 */
const SLAB_BYTES = 1 << 18;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * The records of the last large buffer its owner released (`TokenBuffer.release`). Fresh memory
 * costs a page fault per 4 KiB when first written (about 12 µs each on the VMs CI runs on, 45 ms
 * for the records of a 100,000-line file), so the next large lex reuses these instead.
 */
let spareRecords: Int32Array | null = null;
/** A released buffer larger than this is left to the garbage collector rather than held for reuse. */
const MAX_SPARE_BYTES = 64 << 20;

/** Room for `capacity` token records (three Int32 each); only records below a buffer's length are ever read. */
function tokenRecords(capacity: number): Int32Array {
  const bytes = capacity * 12;
  if (bytes > SLAB_BYTES >> 3) {
    if (spareRecords && spareRecords.length >= capacity * 3) {
      const spare = spareRecords;
      spareRecords = null;
      return spare.subarray(0, capacity * 3);
    }
    return new Int32Array(capacity * 3);
  }
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const records = new Int32Array(slab, slabUsed, capacity * 3);
  slabUsed += bytes;
  return records;
}

/**
 * Tokens as typed-array records: a 100,000-line file has over a million
 * tokens, and a million small objects that live as long as the parse cost
 * more in garbage collection than the lexing itself. `at(i)` builds a Token
 * object on demand (the parser holds only a few at a time). A token is one
 * record of three Int32s (the kind shares one with the line): one
 * allocation per buffer, and 12 bytes per token to fill.
 */
export class TokenBuffer implements TokenSource {
  length = 0;
  /**
   * Token `i` is the record at `3 * i`: start, end, `line << 3 | kind` (a line number fits in 28 bits).
   * A name with a word id stores `~id` (negative) instead of its end, which is start + the word's length.
   */
  private records: Int32Array;
  /** Open-addressing table of the names and number texts seen (power-of-two size; grows when half full). */
  private interned: (string | undefined)[] = new Array(32);
  private internedCount = 0;
  /** Recently built tokens by `index & 15`; slots hold index + 1 so the zeroed array starts empty. */
  private readonly cacheIndex = new Int32Array(16);
  private readonly cacheToken: (Token | undefined)[] = new Array(16);

  /**
   * `offset` and `lineBase`: where `text` starts in a larger file (a window of it, lexed on its own). Spans
   * and tokens answer file positions and lines; `lineStarts` and the records stay local to `text`.
   */
  constructor(readonly text: string, readonly lineStarts: number[], readonly offset = 0, readonly lineBase = 0) {
    // Scenario text runs about one token per 4.5 characters: a quarter of the length rarely regrows,
    // and small slices do not pay for (and zero) room they never fill.
    this.records = tokenRecords((text.length >> 2) + 16);
  }

  push(kind: number, start: number, end: number, line: number): void {
    if (this.length * 3 === this.records.length) this.grow();
    const r = this.length++ * 3;
    this.records[r] = start;
    this.records[r + 1] = end;
    this.records[r + 2] = (line << 3) | kind;
  }

  /**
   * The owner is done with this buffer (nothing built from it refers to it): a large one's
   * records may serve the next large lex. The buffer is empty afterwards.
   */
  release(): void {
    const records = this.records;
    this.records = new Int32Array(0);
    this.length = 0;
    if (records.byteLength <= SLAB_BYTES >> 3 || records.buffer.byteLength > MAX_SPARE_BYTES) return;
    const whole = new Int32Array(records.buffer);
    if (!spareRecords || whole.length > spareRecords.length) spareRecords = whole;
  }

  /**
   * The first line end at or after offset `from` where every bracket opened since the start is closed
   * (counted per kind, a stray closer counting as nothing) and the next token is not a `{`: the index
   * of that newline token; -1 when there is none, or when only the end follows it (what comes after
   * the text is not known). A window of a file may end there (text-windows.ts cuts by the same rule).
   */
  safeLineEnd(from: number): number {
    const r = this.records;
    const text = this.text;
    const n = this.length;
    const depth = new BracketDepth();
    for (let i = 0; i < n; i++) {
      const kind = r[i * 3 + 2] & 7;
      if (kind === K_OP) {
        const start = r[i * 3];
        if (r[i * 3 + 1] - start !== 1) continue;
        depth.see(text.charCodeAt(start));
      } else if (kind === K_NEWLINE) {
        if (r[i * 3] + 1 < from || !depth.closed) continue;
        let j = i + 1;
        while (j < n && (r[j * 3 + 2] & 7) === K_NEWLINE) j++;
        if (j >= n || (r[j * 3 + 2] & 7) === K_EOF) return -1;
        // An Allman-style `{` continues the statement before it: none of these line ends is safe.
        if ((r[j * 3 + 2] & 7) === K_OP && r[j * 3 + 1] - r[j * 3] === 1 && text.charCodeAt(r[j * 3]) === 123) {
          i = j - 1;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  /** Keeps tokens [0, count), the last a newline, and ends the buffer just after it (the text beyond is not read). */
  truncateAfterNewline(count: number): void {
    const r = this.records;
    const last = count - 1;
    const line = (r[last * 3 + 2] >> 3) + 1;
    const end = r[last * 3] + 1;
    this.length = count;
    this.lineStarts.length = line + 1;
    this.cacheIndex.fill(0);
    this.push(K_EOF, end, end, line);
  }

  private grow(): void {
    const records = tokenRecords((this.records.length / 3) * 2);
    records.set(this.records);
    this.records = records;
  }

  /**
   * Lexes `text` into this (empty) buffer, appending comments to `comments` and line starts to `lineStarts`
   * (lexBuffer's loop; internal to this module). The record array lives in a local, reloaded after a grow:
   * a `push` call per token, with its field loads, cost more than the scan itself.
   */
  lexInto(comments: Comment[] | null): void {
    const text = this.text;
    const lineStarts = this.lineStarts;
    const n = text.length;
    let records = this.records;
    let r = this.length * 3;
    let i = 0;
    let line = 0;
    let lineStart = 0;
    while (i < n) {
      const s = i;
      const c = text.charCodeAt(i++);
      let kind: number;
      switch (CHAR_CLASS[c]) {
        case C_SPACE:
          continue;
        case C_NAME: {
          // Walk the word trie along the scan (state 0: off the trie, the name is new).
          const t = trie;
          let state = t[WORD_CHAR[c]];
          while (i < n) {
            const x = WORD_CHAR[text.charCodeAt(i)];
            if (x === NOT_WORD_CHAR) break;
            if (state !== 0) state = t[(state << 6) | x];
            i++;
          }
          const id = state !== 0 && wordAt[state] !== 0 ? wordAt[state] - 1 : wordId(text, s, i);
          if (r === records.length) {
            this.length = r / 3;
            this.grow();
            records = this.records;
          }
          records[r] = s;
          records[r + 1] = id >= 0 ? ~id : i;
          records[r + 2] = (line << 3) | K_NAME;
          r += 3;
          continue;
        }
        case C_DIGIT:
          while (i < n && CHAR_CLASS[text.charCodeAt(i)] <= C_DIGIT) i++;
          kind = K_NUMBER;
          break;
        case C_NEWLINE:
          kind = K_NEWLINE;
          break;
        case C_HASH:
          i = lineEnd(text, i);
          if (comments) comments.push(commentAt(text, s, i, line, lineStart));
          continue;
        case C_QUOTE:
          i = skipString(text, s);
          kind = K_STRING;
          break;
        case C_OP2:
          if (i < n && isTwoCharOp(c, text.charCodeAt(i))) i++;
          kind = K_OP;
          break;
        case C_OP:
          kind = K_OP;
          break;
        case C_BAD_PAIR:
          // A stray character: one bad token per code point; the parser reports only the first one on a line.
          if (i < n) i++;
          kind = K_BAD;
          break;
        default:
          kind = K_BAD;
          break;
      }
      if (r === records.length) {
        this.length = r / 3;
        this.grow();
        records = this.records;
      }
      records[r] = s;
      // A string's span stops before the '\r' of a CRLF it runs into.
      records[r + 1] = kind === K_STRING ? trimCarriageReturns(text, s + 1, i) : i;
      records[r + 2] = (line << 3) | kind;
      r += 3;
      if (kind === K_NEWLINE) {
        line++;
        lineStart = i;
        lineStarts.push(i);
      }
    }
    this.length = r / 3;
    this.push(K_EOF, n, n, line);
  }

  private kindAt(i: number): number {
    return this.records[i * 3 + 2] & 7;
  }

  kindOf(index: number): TokenKind {
    return KIND_NAMES[this.kindAt(index < this.length ? index : this.length - 1)];
  }

  kindCodeOf(index: number): number {
    return this.kindAt(index < this.length ? index : this.length - 1);
  }

  /** End offset of token `i` (in range): a name with a word id ends its word's length after its start. */
  private endAt(i: number): number {
    const end = this.records[i * 3 + 1];
    return end >= 0 ? end : this.records[i * 3] + words[~end].length;
  }

  textIs(index: number, text: string): boolean {
    const i = index < this.length ? index : this.length - 1;
    // A name with a word id compares its shared string (no `startsWith` call into the source).
    const end = this.records[i * 3 + 1];
    if (end < 0) return words[~end] === text;
    const start = this.records[i * 3];
    return end - start === text.length && this.text.startsWith(text, start);
  }

  nameOf(index: number): string {
    const i = index < this.length ? index : this.length - 1;
    const end = this.records[i * 3 + 1];
    return end < 0 ? words[~end] : this.textOf(i);
  }

  textOf(index: number): string {
    const i = index < this.length ? index : this.length - 1;
    const start = this.records[i * 3];
    const end = this.endAt(i);
    const kind = this.kindAt(i);
    if (kind === K_NAME && this.records[i * 3 + 1] < 0) return words[~this.records[i * 3 + 1]];
    if (kind !== K_NAME && kind !== K_NUMBER) return this.text.slice(start, end);
    // Names and numbers repeat (keywords, field names, lets, 0, 6, 0xff): the tree keeps one copy of each,
    // found by hashing the characters in place, so a repeated one costs no new string.
    let hash = 0x811c9dc5;
    for (let j = start; j < end; j++) hash = Math.imul(hash ^ this.text.charCodeAt(j), 0x01000193);
    const table = this.interned;
    const mask = table.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const known = table[slot];
      if (known === undefined) break;
      if (known.length === length && this.text.startsWith(known, start)) return known;
    }
    const text = this.text.slice(start, end);
    this.intern(text, hash);
    return text;
  }

  private intern(text: string, hash: number): void {
    if (++this.internedCount * 2 > this.interned.length) {
      // Keep the table at most half full; re-insert under the larger mask.
      const old = this.interned;
      this.interned = new Array(old.length * 2);
      for (const t of old) if (t !== undefined) this.place(t, fnv(t));
    }
    this.place(text, hash);
  }

  private place(text: string, hash: number): void {
    const table = this.interned;
    const mask = table.length - 1;
    let slot = hash & mask;
    while (table[slot] !== undefined) slot = (slot + 1) & mask;
    table[slot] = text;
  }

  opAt(index: number): string | null {
    const i = index < this.length ? index : this.length - 1;
    return this.kindAt(i) === K_OP ? opText(this.text, this.records[i * 3], this.records[i * 3 + 1]) : null;
  }

  endOf(index: number): number {
    return this.endAt(index < this.length ? index : this.length - 1) + this.offset;
  }

  spanAt(index: number): Span {
    const i = index < this.length ? index : this.length - 1;
    const start = this.records[i * 3];
    const line = this.records[i * 3 + 2] >> 3;
    const offset = this.offset;
    return { start: start + offset, end: this.endAt(i) + offset, line: line + this.lineBase, col: start - this.lineStarts[line] };
  }

  at(index: number): Token {
    const i = index < this.length ? index : this.length - 1;
    const slot = i & 15;
    if (this.cacheIndex[slot] === i + 1) return this.cacheToken[slot]!;
    const t = this.materialize(i);
    this.cacheIndex[slot] = i + 1;
    this.cacheToken[slot] = t;
    return t;
  }

  private materialize(i: number): Token {
    const kind = this.kindAt(i);
    const start = this.records[i * 3];
    const end = this.endAt(i);
    const line = this.records[i * 3 + 2] >> 3;
    // Operators and line ends use interned strings: no slice per token.
    const text = kind === K_NEWLINE ? '\n' : kind === K_EOF ? '' : kind === K_OP ? opText(this.text, start, end)
      : kind === K_NAME ? this.textOf(i) : this.text.slice(start, end);
    let value: bigint | null = null;
    let str = '';
    let problem: string | null = null;
    if (kind === K_NUMBER) ({ value, problem } = parseNumberText(text));
    else if (kind === K_STRING) ({ str, problem } = decodeString(text));
    else if (kind === K_BAD) problem = `unexpected character '${text}'`;
    const offset = this.offset;
    return { kind: KIND_NAMES[kind], text, start: start + offset, end: end + offset, line: line + this.lineBase, col: start - this.lineStarts[line], value, str, problem };
  }

  toArray(): Token[] {
    const out: Token[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.materialize(i);
    return out;
  }
}

/**
 * The offset just past the string literal opening at `start` (a '"'): after its closing quote,
 * or at the line end when it is unterminated. `\` escapes the next character on the line.
 */
export function skipString(text: string, start: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === 34) return i + 1;
    if (d === 10) return i;
    if (d === 92 && i + 1 < n && text.charCodeAt(i + 1) !== 10) { i += 2; continue; }
    i++;
  }
  return i;
}

/** The offset of the '\n' ending the line that contains `from`, or the text length. */
function lineEnd(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? text.length : e;
}

/** `end` moved back over '\r's, but not below `min`. */
function trimCarriageReturns(text: string, min: number, end: number): number {
  while (end > min && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** The comment from `start` (its '#') to `end` (the line end), without a CRLF's '\r'. */
function commentAt(text: string, start: number, end: number, line: number, lineStart: number): Comment {
  const e = trimCarriageReturns(text, start, end);
  return { text: text.slice(start, e), span: { start, end: e, line, col: start - lineStart } };
}

/**
 * `withComments` false: no comment is collected (a million comment objects cost more than the tokens of their lines).
 * `at`: `text` is a window of a larger file starting at that offset and line (see TokenBuffer); comments stay local.
 */
export function lexBuffer(text: string, withComments = true, at?: { readonly offset: number; readonly line: number }): { buffer: TokenBuffer; comments: Comment[]; lineStarts: number[] } {
  const comments: Comment[] = [];
  const lineStarts: number[] = [0];
  const buffer = new TokenBuffer(text, lineStarts, at?.offset ?? 0, at?.line ?? 0);
  buffer.lexInto(withComments ? comments : null);
  return { buffer, comments, lineStarts };
}

const OP_STRINGS: readonly string[] = (() => {
  const t: string[] = [];
  for (const c of ONE_CHAR_OPS) t[c.charCodeAt(0)] = c;
  return t;
})();
/** The two-character operators by `first * 128 + second` char code (an array read, not a Map look-up: the parser asks per operand). */
const TWO_CHAR_STRINGS: readonly string[] = (() => {
  const t: string[] = [];
  for (const o of ['->', '==', '!=', '<=', '>=', '<<', '>>', '&&', '||']) t[o.charCodeAt(0) * 128 + o.charCodeAt(1)] = o;
  return t;
})();

/** FNV-1a over UTF-16 code units, as `TokenBuffer.textOf` hashes in place. */
function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let j = 0; j < text.length; j++) hash = Math.imul(hash ^ text.charCodeAt(j), 0x01000193);
  return hash;
}

function opText(text: string, start: number, end: number): string {
  const a = text.charCodeAt(start);
  if (end - start === 1) return OP_STRINGS[a] ?? text.slice(start, end);
  const b = text.charCodeAt(start + 1);
  return (a < 128 && b < 128 ? TWO_CHAR_STRINGS[a * 128 + b] : undefined) ?? text.slice(start, end);
}

/** `->` `==` `!=` `<=` `>=` `<<` `>>` `&&` `||` */
function isTwoCharOp(a: number, b: number): boolean {
  switch (a) {
    case 45: return b === 62;             // ->
    case 61: case 33: return b === 61;    // == !=
    case 60: return b === 61 || b === 60; // <= <<
    case 62: return b === 61 || b === 62; // >= >>
    case 38: return b === 38;             // &&
    case 124: return b === 124;           // ||
    default: return false;
  }
}

/** Tokens as objects (the formatter and tests); the parser reads the buffer directly. */
export function lex(text: string): LexResult {
  const { buffer, comments, lineStarts } = lexBuffer(text);
  return { tokens: buffer.toArray(), comments, lineStarts };
}

export function spanOf(t: Token): Span {
  return { start: t.start, end: t.end, line: t.line, col: t.col };
}

export function spanFrom(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, col: a.col };
}
