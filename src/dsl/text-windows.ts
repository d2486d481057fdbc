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

/** A window ends at the first safe line end after this many characters (about 4 MiB of tokens and text at a time). */
export const WINDOW_CHARS = 1 << 20;

/** The first character at or after `i` that is not blank, a line end or in a comment; -1 at the end of `text`. */
function nextSignificant(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff) { i++; continue; }
    if (c === 35) { while (i < n && text.charCodeAt(i) !== 10) i++; continue; }
    return c;
  }
  return -1;
}

/** What a character means to the scan: nothing (most of them), a bracket, a quote, a '#'. */
const S_NONE = 0, S_OPEN_BRACE = 1, S_CLOSE_BRACE = 2, S_OPEN_BRACKET = 3, S_CLOSE_BRACKET = 4, S_OPEN_PAREN = 5, S_CLOSE_PAREN = 6, S_QUOTE = 7, S_HASH = 8;
const SCAN_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  t[123] = S_OPEN_BRACE; t[125] = S_CLOSE_BRACE; t[91] = S_OPEN_BRACKET; t[93] = S_CLOSE_BRACKET;
  t[40] = S_OPEN_PAREN; t[41] = S_CLOSE_PAREN; t[34] = S_QUOTE; t[35] = S_HASH;
  return t;
})();

/**
 * Where a pass over a source cut its windows (window starts after the first, and the text's length), kept once
 * a pass has read it to the end: a later pass with the same window size cuts there without scanning again.
 */
const knownCuts = new WeakMap<ScenarioSource, { readonly windowChars: number; readonly cuts: readonly number[] }>();

/** The offset just past the string opening at `start` on a line that ends at `lineEnd` (as the lexer reads it). */
function stringEnd(text: string, start: number, lineEnd: number): number {
  let i = start + 1;
  while (i < lineEnd) {
    const d = text.charCodeAt(i);
    if (d === 34) return i + 1;
    if (d === 92 && i + 1 < lineEnd) { i += 2; continue; }
    i++;
  }
  return lineEnd;
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
  const pieces = source.pieces()[Symbol.iterator]();
  let more = true;
  let pending = '';
  let index = 0;
  let start = 0;
  let line = 0;
  // The scan of `pending`: complete lines up to `scan`, their line ends, the brackets still open.
  let scan = 0;
  let lines = 0;
  let brace = 0;
  let bracket = 0;
  let paren = 0;
  /** A line end whose safety waits on the text after it (blank lines and comments up to the end of `pending`). */
  let waiting = -1;

  /** The safe cut in `pending` at or after windowChars, -1 when none is known yet. */
  const findCut = (): number => {
    const text = pending;
    if (waiting >= 0) {
      const c = nextSignificant(text, waiting);
      if (c === -1 && more) return -1;
      const at = waiting;
      waiting = -1;
      if (c !== 123 && c !== -1) return at;
    }
    for (;;) {
      const lineEnd = text.indexOf('\n', scan);
      if (lineEnd < 0) return -1;
      for (let i = scan; i < lineEnd;) {
        const k = SCAN_CLASS[text.charCodeAt(i)];
        if (k === S_NONE) { i++; continue; }
        if (k === S_HASH) break; // a comment runs to the line end
        if (k === S_QUOTE) { i = stringEnd(text, i, lineEnd); continue; }
        if (k === S_OPEN_BRACE) brace++;
        else if (k === S_CLOSE_BRACE) { if (brace > 0) brace--; }
        else if (k === S_OPEN_BRACKET) bracket++;
        else if (k === S_CLOSE_BRACKET) { if (bracket > 0) bracket--; }
        else if (k === S_OPEN_PAREN) paren++;
        else if (k === S_CLOSE_PAREN) { if (paren > 0) paren--; }
        i++;
      }
      scan = lineEnd + 1;
      lines++;
      if (scan < windowChars || brace !== 0 || bracket !== 0 || paren !== 0) continue;
      const c = nextSignificant(text, scan);
      if (c === -1) {
        // Only blank lines and comments up to here: whether a `{` follows is still to be read.
        if (more) waiting = scan;
        return -1;
      }
      if (c !== 123) return scan;
    }
  };

  for (;;) {
    const cut = findCut();
    if (cut >= 0) {
      cuts.push(start + cut);
      yield { index: index++, text: pending.slice(0, cut), start, line };
      pending = pending.slice(cut);
      start += cut;
      line += lines;
      scan = 0;
      lines = 0;
      brace = bracket = paren = 0;
      continue;
    }
    if (!more) break;
    const next = pieces.next();
    if (next.done) more = false;
    else pending = pending.length === 0 ? next.value : pending + next.value;
  }
  cuts.push(start + pending.length);
  knownCuts.set(source, { windowChars, cuts });
  if (pending.length > 0 || index === 0) yield { index, text: pending, start, line };
}

/** The windows of a source whose cuts are known (`knownCuts`); their lines counted as they are cut. */
function* windowsAt(source: ScenarioSource, cuts: readonly number[]): Generator<TextWindow> {
  let pending = '';
  let start = 0;
  let line = 0;
  let index = 0;
  for (const piece of source.pieces()) {
    pending = pending.length === 0 ? piece : pending + piece;
    while (index < cuts.length - 1 && start + pending.length >= cuts[index]) {
      const text = pending.slice(0, cuts[index] - start);
      yield { index: index++, text, start, line };
      line += linesIn(text);
      start += text.length;
      pending = pending.slice(text.length);
    }
  }
  if (pending.length > 0 || index === 0) yield { index, text: pending, start, line };
}

function linesIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
