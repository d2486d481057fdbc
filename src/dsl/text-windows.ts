/**
 * A scenario read a window at a time: `irqlab check` and `irqlab run` of a
 * file too large to hold whole (a trace import is hundreds of megabytes).
 *
 * A window is a run of whole top-level statements: it ends at a line end
 * where every bracket opened in it is closed and the next significant
 * character is not the `{` of an Allman-style block, the cut the incremental
 * analyzer makes (incremental.ts `scanSlices`). Parsed on its own from there,
 * with the device in force before it, it reads exactly as the whole file does
 * at that place. Where windows end depends on the text only, not on how it
 * arrives, so a second read cuts the same windows.
 */

import { lexBuffer, TokenBuffer } from './lexer';

/** A scenario's text, read from its start as often as a caller needs (a file, or a string held whole). */
export interface ScenarioSource {
  /** The text from its start, in pieces whose concatenation is the whole text; each call reads it again. */
  pieces(): Iterable<string>;
}

/** A text already in memory as a source (its windows are slices of it, no copies). */
export function textSource(text: string): ScenarioSource {
  return { pieces: () => [text] };
}

export interface TextWindow {
  /** 0 for the first window, counting up. */
  readonly index: number;
  readonly text: string;
  /** The file offset (UTF-16 code units) and 0-based line of the window's first character. */
  readonly start: number;
  readonly line: number;
}

/** A window ends at the first safe line end after this many characters (about 1 MiB of tokens and text at a time). */
export const WINDOW_CHARS = 1 << 18;

/** What a character means to the scan: nothing (most of them), a bracket, a quote, a '#'. */
const S_NONE = 0, S_OPEN_BRACE = 1, S_CLOSE_BRACE = 2, S_OPEN_BRACKET = 3, S_CLOSE_BRACKET = 4, S_OPEN_PAREN = 5, S_CLOSE_PAREN = 6, S_QUOTE = 7, S_HASH = 8,
  S_NEWLINE = 9;
const SCAN_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  t[123] = S_OPEN_BRACE; t[125] = S_CLOSE_BRACE; t[91] = S_OPEN_BRACKET; t[93] = S_CLOSE_BRACKET;
  t[40] = S_OPEN_PAREN; t[41] = S_CLOSE_PAREN; t[34] = S_QUOTE; t[35] = S_HASH; t[10] = S_NEWLINE;
  return t;
})();

/**
 * Where a pass over a source cut its windows (window starts after the first, and the text's length), kept once
 * a pass has read it to the end: a later pass with the same window size cuts there without scanning again.
 */
const knownCuts = new WeakMap<ScenarioSource, { readonly windowChars: number; readonly cuts: readonly number[] }>();

/** The text of the window being cut, in the pieces it arrived in: joined once, when the window is cut. */
class Parts {
  readonly list: string[] = [];
  length = 0;

  push(piece: string): void {
    if (piece.length === 0) return;
    this.list.push(piece);
    this.length += piece.length;
  }

  /** The first `n` characters as one flat string, left in place. */
  peek(n: number): string {
    const out: string[] = [];
    let need = n;
    for (const piece of this.list) {
      if (need === 0) break;
      const part = piece.length <= need ? piece : piece.slice(0, need);
      out.push(part);
      need -= part.length;
    }
    return out.length === 1 ? out[0] : out.join('');
  }

  /** Forgets the first `n` characters. */
  drop(n: number): void {
    let need = n;
    while (need > 0) {
      const first = this.list[0];
      if (first.length <= need) {
        this.list.shift();
        need -= first.length;
      } else {
        this.list[0] = first.slice(need);
        need = 0;
      }
    }
    this.length -= n;
  }

  /** The first `n` characters as one flat string (the lexer reads it a character at a time); the rest stays. */
  take(n: number): string {
    const out: string[] = [];
    let need = n;
    while (need > 0) {
      const first = this.list[0];
      if (first.length <= need) {
        out.push(first);
        this.list.shift();
        need -= first.length;
      } else {
        out.push(first.slice(0, need));
        this.list[0] = first.slice(need);
        need = 0;
      }
    }
    this.length -= n;
    return out.length === 1 ? out[0] : out.join('');
  }
}

/** Where the scan is: in code, a comment, a string (just after its '\'), or after a line end that may be a cut. */
const M_CODE = 0, M_COMMENT = 1, M_STRING = 2, M_STRING_ESCAPE = 3, M_AWAIT = 4, M_AWAIT_COMMENT = 5;

/**
 * Finds the cuts of one window in its parts as they arrive, a character at a time across their
 * ends (strings and comments end at a line end, as the lexer reads them).
 */
class WindowCutter {
  private part = 0;
  private pos = 0;
  /** Window offset of `parts.list[part]`. */
  private offset = 0;
  private mode = M_CODE;
  private brace = 0;
  private bracket = 0;
  private paren = 0;
  private lines = 0;
  /** A line end (window offset) at or after windowChars with every bracket closed: a cut unless a `{` comes next. */
  private candidate = -1;
  /** Line ends before the candidate: the window's lines when it is cut there. */
  linesAtCut = 0;

  constructor(private readonly parts: Parts, private readonly windowChars: number) {}

  /** The next cut (window offset), or -1 when the parts end before one is known. */
  next(): number {
    const list = this.parts.list;
    while (this.part < list.length) {
      const text = list[this.part];
      const n = text.length;
      let i = this.pos;
      while (i < n) {
        const mode = this.mode;
        if (mode === M_CODE) {
          let k = S_NONE;
          while (i < n && (k = SCAN_CLASS[text.charCodeAt(i)]) === S_NONE) i++;
          if (i === n) break;
          i++;
          if (k === S_NEWLINE) {
            this.lines++;
            if (this.offset + i >= this.windowChars && this.brace === 0 && this.bracket === 0 && this.paren === 0) {
              this.candidate = this.offset + i;
              this.linesAtCut = this.lines;
              this.mode = M_AWAIT;
            }
          } else if (k === S_HASH) this.mode = M_COMMENT;
          else if (k === S_QUOTE) this.mode = M_STRING;
          else if (k === S_OPEN_BRACE) this.brace++;
          else if (k === S_CLOSE_BRACE) { if (this.brace > 0) this.brace--; }
          else if (k === S_OPEN_BRACKET) this.bracket++;
          else if (k === S_CLOSE_BRACKET) { if (this.bracket > 0) this.bracket--; }
          else if (k === S_OPEN_PAREN) this.paren++;
          else if (k === S_CLOSE_PAREN) { if (this.paren > 0) this.paren--; }
        } else if (mode === M_COMMENT || mode === M_AWAIT_COMMENT) {
          // To the line end, which the mode after the comment reads.
          const e = text.indexOf('\n', i);
          if (e < 0) { i = n; break; }
          i = e;
          this.mode = mode === M_COMMENT ? M_CODE : M_AWAIT;
        } else if (mode === M_STRING) {
          // As the lexer's skipString: to the closing quote, or to the line end; '\' escapes a character other than a line end.
          for (;;) {
            if (i === n) break;
            const d = text.charCodeAt(i);
            if (d === 34) { i++; this.mode = M_CODE; break; }
            if (d === 10) { this.mode = M_CODE; break; }
            if (d === 92) {
              if (i + 1 === n) { i++; this.mode = M_STRING_ESCAPE; break; }
              i += text.charCodeAt(i + 1) !== 10 ? 2 : 1;
              continue;
            }
            i++;
          }
        } else if (mode === M_STRING_ESCAPE) {
          this.mode = M_STRING;
          if (text.charCodeAt(i) !== 10) i++;
        } else {
          // After a candidate: blanks, line ends and comments up to the next significant character.
          const c = text.charCodeAt(i);
          if (c === 32 || c === 9 || c === 13 || c === 0xfeff) { i++; continue; }
          if (c === 10) { i++; this.lines++; continue; }
          if (c === 35) { this.mode = M_AWAIT_COMMENT; continue; }
          this.mode = M_CODE;
          // An Allman-style `{` continues the statement before it: no cut, and the scan goes on at the `{`.
          if (c !== 123) {
            this.pos = i;
            return this.candidate;
          }
          this.candidate = -1;
        }
      }
      this.pos = 0;
      this.offset += n;
      this.part++;
    }
    this.pos = 0;
    return -1;
  }
}

/**
 * Cuts `source` into windows of at least `windowChars` characters (the last may be shorter; one with
 * no safe cut in it runs on to the end). Holds the window being cut and the piece after it.
 */
export function* textWindows(source: ScenarioSource, windowChars = WINDOW_CHARS): Generator<TextWindow> {
  const known = knownCuts.get(source);
  if (known && known.windowChars === windowChars) {
    yield* windowsAt(source, known.cuts);
    return;
  }
  const cuts: number[] = [];
  const parts = new Parts();
  let cutter = new WindowCutter(parts, windowChars);
  let index = 0;
  let start = 0;
  let line = 0;
  for (const piece of source.pieces()) {
    parts.push(piece);
    for (let cut = cutter.next(); cut >= 0; cut = cutter.next()) {
      const lines = cutter.linesAtCut;
      cuts.push(start + cut);
      yield { index: index++, text: parts.take(cut), start, line };
      start += cut;
      line += lines;
      // The rest is read again from the cut, with nothing open.
      cutter = new WindowCutter(parts, windowChars);
    }
  }
  cuts.push(start + parts.length);
  knownCuts.set(source, { windowChars, cuts });
  if (parts.length > 0 || index === 0) yield { index, text: parts.take(parts.length), start, line };
}

/**
 * `textWindows` with each window lexed (spans local to it). The first pass over a source finds the cuts
 * from the tokens (`TokenBuffer.safeLineEnd`, the rule the scan above applies to characters) instead
 * of scanning the text once more: it lexes a little past where the window may end, and keeps the
 * tokens up to the cut. Later passes cut where it did.
 */
export function* lexedWindows(source: ScenarioSource, windowChars = WINDOW_CHARS): Generator<{ readonly window: TextWindow; readonly tokens: TokenBuffer }> {
  const known = knownCuts.get(source);
  if (known && known.windowChars === windowChars) {
    for (const window of windowsAt(source, known.cuts)) yield { window, tokens: lexBuffer(window.text, false).buffer };
    return;
  }
  /** Text lexed past the window's minimum to find its end: a few lines; doubled while no end is found in it. */
  const slack = Math.max(64, windowChars >> 6);
  const cuts: number[] = [];
  const parts = new Parts();
  const pieces = source.pieces()[Symbol.iterator]();
  let more = true;
  let index = 0;
  let start = 0;
  let line = 0;
  for (;;) {
    let want = windowChars + slack;
    for (;;) {
      while (more && parts.length < want) {
        const next = pieces.next();
        if (next.done) more = false;
        else parts.push(next.value);
      }
      const whole = !more && parts.length <= want;
      const text = parts.peek(Math.min(want, parts.length));
      const tokens = lexBuffer(text, false).buffer;
      const newline = tokens.safeLineEnd(windowChars);
      if (newline >= 0) {
        tokens.truncateAfterNewline(newline + 1);
        const cut = tokens.endOf(newline);
        const lines = tokens.lineStarts.length - 1;
        cuts.push(start + cut);
        yield { window: { index: index++, text: text.slice(0, cut), start, line }, tokens };
        parts.drop(cut);
        start += cut;
        line += lines;
        break;
      }
      if (whole) {
        // No safe end before the end of the text: the rest is the last window.
        cuts.push(start + text.length);
        knownCuts.set(source, { windowChars, cuts });
        if (text.length > 0 || index === 0) yield { window: { index, text, start, line }, tokens };
        else tokens.release();
        return;
      }
      tokens.release();
      want *= 2;
    }
  }
}

/** The windows of a source whose cuts are known (`knownCuts`); their lines counted as they are cut. */
function* windowsAt(source: ScenarioSource, cuts: readonly number[]): Generator<TextWindow> {
  const parts = new Parts();
  let start = 0;
  let line = 0;
  let index = 0;
  for (const piece of source.pieces()) {
    parts.push(piece);
    while (index < cuts.length - 1 && start + parts.length >= cuts[index]) {
      const text = parts.take(cuts[index] - start);
      yield { index: index++, text, start, line };
      line += linesIn(text);
      start += text.length;
    }
  }
  if (parts.length > 0 || index === 0) yield { index, text: parts.take(parts.length), start, line };
}

function linesIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
