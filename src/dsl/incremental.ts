/**
 * Incremental diagnostics for an editor: `update(text)` answers exactly
 * `analyze(text).diagnostics`, re-parsing and re-checking only the slices of
 * the file an edit touched.
 *
 * The file is cut into slices of whole top-level statements (a cheap scan
 * that respects brackets, strings and comments, see `sliceStarts`). Each slice
 * is parsed on its own, so its spans are slice-local; its diagnostics are
 * shifted to file positions when published (diagnostics are few, trees are
 * never shifted). The checker's cross-statement rules see the rest of the
 * file through two small summaries: whole-file facts (top-level lets, procs,
 * the constant environment, whether the file creates a device or connects a
 * vCPU) rebuilt from per-slice outlines, and the running check state between
 * slices (device, connected vCPUs, includes, the "did you mean" budget). A
 * slice's diagnostics are reused when its text, the device in force before
 * it, the whole-file facts and the running state at its start are all
 * unchanged. Anything unexpected falls back to the whole-file `analyze`.
 */
import { BracketDepth } from './bracket-depth';
import type { DeviceName, Diagnostic, Stmt } from './ast';
import { check, CheckOptions, FileFacts, checkSlice, initialCheckState, silencedByIncludes } from './checker';
import { skipString } from './lexer';
import { FileFactsBuilder, Outline, outlineOf } from './outline';
import { parse, parseSlice } from './parser';
import { freeze, RunState, thaw } from './run-state';
import { Definition, resolveSlice, SliceScope } from './scope';

export interface IncrementalAnalyzer {
  /** The diagnostics of `text`, identical to `analyze(text, uri, options).diagnostics`. */
  update(text: string): Diagnostic[];
}

/** A slice ends at the first safe line end after this many lines whatever the content (see `scanSlices`). */
const MAX_SLICE_LINES = 64;

/**
 * Slice boundaries of `text` from `from` (itself a boundary): calls `boundary`
 * with the start of each next slice (and `text.length` last) until it answers
 * true. A line end is safe when every bracket opened since the slice started
 * is closed (counted per kind, a stray closer counting as nothing, which
 * over-approximates the parser's own recovery) and the next significant
 * character is not the `{` of an Allman-style block. A slice ends at a safe
 * line end when the line's hash is an anchor (about one line in 16), so where
 * slices end depends only on nearby content: after an edit the slicing falls
 * back into step with the previous one at the next anchor.
 */
export function scanSlices(text: string, from: number, boundary: (start: number) => boolean): void {
  const n = text.length;
  const depth = new BracketDepth();
  let lines = 0;
  let hash = 0;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      lines++;
      if (depth.closed && i < n && ((hash & 15) === 0 || lines >= MAX_SLICE_LINES) && nextSignificant(text, i) !== 123) {
        if (boundary(i)) return;
        lines = 0;
      }
      hash = 0;
      continue;
    }
    hash = (Math.imul(hash, 31) + c) | 0;
    if (c === 35) { // '#' to the end of the line
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 34) { // a string ends at its quote or at the line end, as the lexer reads it
      i = skipString(text, i);
      continue;
    }
    depth.see(c);
    i++;
  }
  boundary(n);
}

/** Where each slice of `text` starts, plus `text.length` last. */
export function sliceStarts(text: string): number[] {
  const starts = [0];
  scanSlices(text, 0, (start) => {
    starts.push(start);
    return false;
  });
  return starts;
}

/** The first character at or after `i` that is not blank, a line end or in a comment; -1 at the end. */
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

// ------------------------------------------------------------------ slices

/** What the whole-file summaries need from one parsed slice (slice-local lines). */
interface ParsedSlice extends Outline {
  readonly text: string;
  readonly deviceBefore: DeviceName | null;
  readonly deviceAfter: DeviceName | null;
  readonly statements: readonly Stmt[];
  readonly parseDiagnostics: readonly Diagnostic[];
  readonly internalError: boolean;
  readonly lines: number;
}

interface CheckedSlice {
  readonly fileKey: string;
  readonly entry: RunState;
  readonly exit: RunState;
  /** File line of the slice when checked; matters only when its messages quote lines of its own definitions. */
  readonly lineBase: number;
  readonly quotesOwnLines: boolean;
  /** Slice-local, in `analyze` order. */
  readonly diagnostics: readonly Diagnostic[];
}

interface SliceRecord {
  readonly start: number;
  readonly line: number;
  readonly parsed: ParsedSlice;
  readonly checked: CheckedSlice | null;
  /** `checked.diagnostics` at this record's position, when already computed. */
  readonly published: readonly Diagnostic[] | null;
}

interface FileSummary extends FileFacts {
  readonly key: string;
  readonly procs: ReadonlyMap<string, Definition>;
  readonly firstLets: ReadonlyMap<string, Definition>;
  readonly broken: ReadonlySet<string>;
  readonly lets: readonly { readonly name: string; readonly def: Definition }[];
}

const SCOPE_LINE_QUOTES = new Set(['duplicate-let', 'duplicate-param']);

function parseRecordSlice(text: string, uri: string, deviceBefore: DeviceName | null): ParsedSlice {
  const { program, deviceAfter } = parseSlice(text, uri, deviceBefore);
  return {
    ...outlineOf(program.statements, text), text, deviceBefore, deviceAfter, statements: program.statements, parseDiagnostics: program.diagnostics,
    internalError: program.diagnostics.some((d) => d.code === 'internal-error'),
    lines: program.lineStarts.length - 1,
  };
}

function summarize(records: readonly SliceRecord[], previous: FileSummary | null): FileSummary {
  const keyParts: string[] = [];
  let createsDevice = false;
  let connects = false;
  for (const r of records) {
    const p = r.parsed;
    if (p.createsDevice) createsDevice = true;
    if (p.connects) connects = true;
    // A let's value text is part of the key: its constant feeds every slice's checks.
    for (const l of p.lets) keyParts.push(`l${l.name}@${l.line + r.line}:${l.col}=${p.text.slice(l.value.span.start, l.value.span.end)}`);
    // What a proc's body does is part of the key: it is replayed at every call (its lines relative to the slice, which moves with it).
    for (const q of p.procs) keyParts.push(`p${q.name}@${q.line + r.line}:${q.col}/${q.arity}=${q.summaryKey}`);
    for (const b of p.broken) keyParts.push(`b${b}`);
  }
  keyParts.push(`d${createsDevice ? 1 : 0}c${connects ? 1 : 0}`);
  const key = keyParts.join('\n');
  if (previous && previous.key === key) return previous;
  const facts = new FileFactsBuilder();
  for (const r of records) facts.add(r.parsed, r.line);
  return {
    key, env: facts.env, createsDevice, connects, procs: facts.procs, procSummaries: facts.procSummaries,
    firstLets: facts.firstLets, broken: facts.broken, lets: facts.lets,
  };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

function shiftDiagnostic(d: Diagnostic, offset: number, line: number): Diagnostic {
  const span = { start: d.span.start + offset, end: d.span.end + offset, line: d.span.line + line, col: d.span.col };
  if (!d.fix) return { ...d, span };
  const f = d.fix.span;
  return { ...d, span, fix: { ...d.fix, span: { start: f.start + offset, end: f.end + offset, line: f.line + line, col: f.col } } };
}

export function createIncrementalAnalyzer(uri = 'untitled.irq', options: CheckOptions = {}): IncrementalAnalyzer {
  let records: SliceRecord[] = [];
  let summary: FileSummary | null = null;
  let lastOutput: Diagnostic[] = [];

  function update(text: string): Diagnostic[] {
    // Slices unchanged at the front keep their records (compared in place, no copies) ...
    let front = 0;
    while (front < records.length && text.startsWith(records[front].parsed.text, records[front].start)) front++;
    if (front === records.length && records.length > 0 && text.length === records[front - 1].start + records[front - 1].parsed.text.length &&
      !records.some((r) => r.parsed.includes)) return lastOutput;
    // ... except the last one or more: whether a slice ends where it did depends on the first significant character after it.
    front = Math.max(0, front - 1);
    while (front > 0 && nextSignificant(records[front].parsed.text, 0) === -1) front--;
    const rescanFrom = front < records.length ? records[front].start : 0;
    // Slices unchanged at the back, shifted by the edit's length change.
    const oldLength = records.length > 0 ? records[records.length - 1].start + records[records.length - 1].parsed.text.length : 0;
    const delta = text.length - oldLength;
    let firstBack = records.length;
    while (firstBack > front) {
      const old = records[firstBack - 1];
      const at = old.start + delta;
      if (at < rescanFrom || !text.startsWith(old.parsed.text, at)) break;
      firstBack--;
    }
    // Re-slice from `rescanFrom` until the slicing meets a boundary of the unchanged back.
    const middle: number[] = [rescanFrom];
    let resume = records.length;
    let k = firstBack;
    scanSlices(text, rescanFrom, (start) => {
      while (k < records.length && records[k].start + delta < start) k++;
      middle.push(start);
      if (k < records.length && records[k].start + delta === start) {
        resume = k;
        return true;
      }
      return false;
    });
    // Slices in between may still match a previous slice of the same text (a moved or repeated block).
    const spare = new Map<string, ParsedSlice>();
    for (let i = front; i < resume; i++) spare.set(records[i].parsed.text, records[i].parsed);

    const next: SliceRecord[] = [];
    let deviceBefore: DeviceName | null = null;
    let line = 0;
    const keep = (old: SliceRecord, start: number): boolean => {
      const parsed: ParsedSlice = old.parsed.deviceBefore === deviceBefore ? old.parsed : parseRecordSlice(old.parsed.text, uri, deviceBefore);
      if (parsed.internalError) return false;
      const same = old.parsed === parsed;
      next.push({ start, line, parsed, checked: same ? old.checked : null, published: same && old.start === start && old.line === line ? old.published : null });
      deviceBefore = parsed.deviceAfter;
      line += parsed.lines;
      return true;
    };
    for (let i = 0; i < front; i++) if (!keep(records[i], records[i].start)) return fallBack(text);
    for (let i = 0; i + 1 < middle.length; i++) {
      const sliceText = text.slice(middle[i], middle[i + 1]);
      const cached = spare.get(sliceText);
      const parsed: ParsedSlice = cached && cached.deviceBefore === deviceBefore ? cached : parseRecordSlice(sliceText, uri, deviceBefore);
      if (parsed.internalError) return fallBack(text);
      next.push({ start: middle[i], line, parsed, checked: null, published: null });
      deviceBefore = parsed.deviceAfter;
      line += parsed.lines;
    }
    for (let i = resume; i < records.length; i++) if (!keep(records[i], records[i].start + delta)) return fallBack(text);
    const count = next.length;

    const file = summarize(next, summary);
    summary = file;
    const topScope = new Map<string, Definition>();
    let letIndex = 0;
    let state = freeze(initialCheckState(file.env), 200_000, file.env);
    for (let i = 0; i < count; i++) {
      const r = next[i];
      const c = r.checked;
      if (c && !r.parsed.includes && c.fileKey === file.key && c.entry.key === state.key && (!c.quotesOwnLines || c.lineBase === r.line)) {
        state = c.exit;
        for (const l of r.parsed.lets) topScope.set(l.name, file.lets[letIndex++].def);
        continue;
      }
      const running = thaw(state);
      const scope: SliceScope = { lineBase: r.line, procs: file.procs, firstLets: file.firstLets, broken: file.broken, topScope, comparisonsLeft: state.comparisonsLeft };
      const program = { uri, text: r.parsed.text, statements: r.parsed.statements, comments: [], diagnostics: r.parsed.parseDiagnostics, lineStarts: [] };
      const checks = checkSlice(program, options, running, file);
      const scopeDiagnostics = resolveSlice(r.parsed.statements, r.parsed.text, scope);
      letIndex += r.parsed.lets.length;
      const exit = freeze(running, scope.comparisonsLeft, file.env);
      const diagnostics = [...r.parsed.parseDiagnostics, ...checks, ...scopeDiagnostics].sort(byPosition);
      next[i] = {
        ...r, published: null,
        checked: { fileKey: file.key, entry: state, exit, lineBase: r.line, quotesOwnLines: scopeDiagnostics.some((d) => SCOPE_LINE_QUOTES.has(d.code)), diagnostics },
      };
      state = exit;
    }
    records = next;

    // Names that included files define silence scope diagnostics anywhere in the file, as in `check`.
    const included = state.includedNames.length > 0 ? thaw(state).included : null;
    const out: Diagnostic[] = [];
    for (let i = 0; i < count; i++) {
      const r = next[i];
      const local = r.checked!.diagnostics;
      if (local.length === 0) continue;
      if (included) {
        for (const d of local) {
          if (!silencedByIncludes(d.code, r.parsed.text.slice(d.span.start, d.span.end), included)) out.push(shiftDiagnostic(d, r.start, r.line));
        }
        continue;
      }
      let published = r.published;
      if (!published) {
        published = local.map((d) => shiftDiagnostic(d, r.start, r.line));
        next[i] = { ...r, published };
      }
      for (const d of published) out.push(d);
    }
    lastOutput = out;
    return out;
  }

  function fallBack(text: string): Diagnostic[] {
    records = [];
    summary = null;
    lastOutput = [];
    // What `analyze` does (not imported from ./index, which re-exports this module).
    const program = parse(text, uri);
    return [...program.diagnostics, ...check(program, options)].sort(byPosition);
  }

  return {
    update(text: string): Diagnostic[] {
      try {
        return update(text);
      } catch {
        // A front-end bug must not cost the editor its diagnostics: the whole-file path reports it as a diagnostic.
        return fallBack(text);
      }
    },
  };
}
