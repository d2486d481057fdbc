/**
 * Parse + check of a whole file for its diagnostics only (`irqlab check`, the
 * benchmark, the first pass of a streamed `irqlab run`): the same diagnostics
 * as `analyze`, without keeping the tree, and without holding the text whole
 * when it comes from a file (text-windows.ts).
 *
 * A 100,000-line file builds about two million nodes; kept alive together
 * they cost far more in garbage collection than parsing them. So the file is
 * read a window of whole statements at a time, each window lexed on its own
 * (spans local to it, shifted to file positions when reported, as the
 * incremental analyzer does) and parsed a batch of top-level statements at a
 * time, each batch checked and dropped while its nodes are still young.
 *
 * The checker needs whole-file facts (every top-level let and proc, whether
 * the file creates a device or connects a vCPU) before the first statement.
 * Each batch is checked against the facts known when it is read, its own
 * included, and each window remembers which version of the facts it saw.
 * Facts usually settle in the first lines (lets, procs, the device); of the
 * windows checked before the last change, those that could read a fact that
 * changed later (see staleWindows) are read again and checked with the final
 * facts, and so are any whose running state then differs from the first pass's.
 */
import type { DeviceName, Diagnostic, Program, Stmt } from './ast';
import { check, CheckOptions, CheckState, checkSlice, initialCheckState, silencedByIncludes } from './checker';
import { K_NAME, K_STRING, lexBuffer, TokenBuffer } from './lexer';
import { FileFactsBuilder, outlineOf } from './outline';
import { parse, Parser } from './parser';
import { freeze, RunState, thaw } from './run-state';
import { Definition, resolveSlice } from './scope';
import { lexedWindows, ScenarioSource, TextWindow, textSource, textWindows, WINDOW_CHARS } from './text-windows';

/** Top-level statements per batch: large enough to amortize the per-batch set-up, small enough to die young. */
const BATCH_STATEMENTS = 256;
/** The "did you mean" budget of a whole file, as the whole-file checker starts with. */
const SUGGESTION_BUDGET = 200_000;
/** The codes `silencedByIncludes` may silence: their span's text (a name) is kept for it. */
const SILENCEABLE = new Set(['undefined-name', 'used-before-definition', 'unknown-proc']);

/** A diagnostic at its file position, with the name it is about when an included file may define that name. */
interface Reported {
  readonly diagnostic: Diagnostic;
  readonly name: string | null;
}

interface CheckedWindow {
  readonly index: number;
  /** The device in force where the window starts: enough, with its text, to parse it again. */
  readonly deviceBefore: DeviceName | null;
  /** The facts version its first batch was checked under (the later ones saw this or newer). */
  readonly factsVersion: number;
  /** The running state its first batch was checked from (its key) and the state it left. */
  readonly entryKey: string;
  readonly exit: RunState;
  /** Its top-level lets are `facts.lets[letsFrom, letsTo)`. */
  readonly letsFrom: number;
  readonly letsTo: number;
  /** Names its lets, procs and broken lines declare; whether it declares a proc. */
  readonly declares: readonly string[];
  readonly declaresProcs: boolean;
  /** A batch of it mentions a name a later batch of it declares (staleBatches' rule inside the window). */
  readonly readsOwnLaterName: boolean;
  readonly includes: boolean;
  /** Whether the file looked like it creates a device / connects a vCPU when its first and its last batch were checked. */
  readonly flagsFirst: number;
  readonly flagsLast: number;
  /** Checker then scope diagnostics of its batches, in the order the whole-file check reports them. */
  reported: Reported[];
}

/** Whether tokens [from, to) hold one of `names`, or a string that may interpolate one. */
function mentionsAny(tokens: TokenBuffer, from: number, to: number, names: ReadonlySet<string>): boolean {
  for (let i = from; i < to; i++) {
    const kind = tokens.kindCodeOf(i);
    if (kind === K_NAME && names.has(tokens.nameOf(i))) return true;
    if (kind === K_STRING && tokens.textOf(i).includes('{')) return true;
  }
  return false;
}

/**
 * Which windows may have been checked differently than the final facts would
 * have it: any that reported something (messages quote names, lines and
 * suggestions from the facts), read an include, saw other device/connect
 * flags, or mentions a name declared in a later batch (a later proc may also
 * change what any earlier `call` runs; a log message reads names inside its
 * string). The rest read only facts that were final when they were checked.
 * This answers the first part; `mentionsLater` the last, from the window's tokens.
 */
function staleWithoutTokens(w: CheckedWindow, flags: number): boolean {
  return w.reported.length > 0 || w.includes || w.flagsFirst !== flags || w.flagsLast !== flags || w.readsOwnLaterName;
}

/** For each name a window declares, the last window that declares it ('call' for any proc). */
function lastDeclarations(windows: readonly CheckedWindow[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const w of windows) {
    for (const name of w.declares) last.set(name, w.index);
    if (w.declaresProcs) last.set('call', w.index);
  }
  return last;
}

/** Whether window `index`'s tokens mention a name a later window declares, or a string that may interpolate one. */
function mentionsLater(tokens: TokenBuffer, index: number, last: ReadonlyMap<string, number>, lastAny: number): boolean {
  if (lastAny <= index) return false;
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokens.kindCodeOf(i);
    if (kind === K_NAME && (last.get(tokens.nameOf(i)) ?? -1) > index) return true;
    if (kind === K_STRING && tokens.textOf(i).includes('{')) return true;
  }
  return false;
}

/** One batch of top-level statements as the parser read it, and where it starts. */
export interface StatementBatch {
  readonly position: number;
  readonly deviceBefore: DeviceName | null;
  readonly statements: Stmt[];
}

/**
 * The top-level statements of the parser's text, `batchStatements` at a time, parsed from the parser's
 * position on. The one iterator of batches: the check below and the streaming run (runtime/stream-run.ts) both read it.
 */
export function* statementBatches(parser: Parser, batchStatements = BATCH_STATEMENTS): Generator<StatementBatch> {
  for (;;) {
    const position = parser.position;
    const deviceBefore = parser.deviceAfter;
    const statements = parser.parseTopLevel(batchStatements);
    if (statements.length === 0) return;
    yield { position, deviceBefore, statements };
  }
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/** A window's diagnostic at its file position. */
function shifted(d: Diagnostic, w: TextWindow): Diagnostic {
  if (w.start === 0 && w.line === 0) return d;
  const span = { start: d.span.start + w.start, end: d.span.end + w.start, line: d.span.line + w.line, col: d.span.col };
  if (!d.fix) return { ...d, span };
  const f = d.fix.span;
  return { ...d, span, fix: { ...d.fix, span: { start: f.start + w.start, end: f.end + w.start, line: f.line + w.line, col: f.col } } };
}

/** `text.slice(from, to)` as a string of its own (a slice would keep the whole window alive). */
function copyOf(text: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += text[i];
  return out;
}

/** The diagnostics of `text`, identical to `analyze(text, uri, options).diagnostics`. */
export function diagnose(text: string, uri = 'untitled.irq', options: CheckOptions = {}): Diagnostic[] {
  try {
    return diagnoseInBatches(text, uri, options);
  } catch {
    // A front-end bug must not cost the user the diagnostics: the whole-file path reports it as a diagnostic.
    return diagnoseWhole(text, uri, options);
  }
}

/** What `analyze` answers, from the whole tree: the fallback when the windowed check fails. */
export function diagnoseWhole(text: string, uri: string, options: CheckOptions): Diagnostic[] {
  const program = parse(text, uri);
  return [...program.diagnostics, ...check(program, options)].sort(byPosition);
}

/**
 * `diagnose` without the fallback (exported for tests: a bug here must fail them, not hide behind the
 * whole-file path); tests also pass small batches and windows, so that short files are read in many.
 */
export function diagnoseInBatches(text: string, uri: string, options: CheckOptions, batchStatements = BATCH_STATEMENTS, windowChars = WINDOW_CHARS): Diagnostic[] {
  return diagnoseSource(textSource(text), uri, options, { batchStatements, windowChars })!;
}

export interface WindowedCheck {
  readonly batchStatements?: number;
  readonly windowChars?: number;
  /**
   * Sees each window and its tokens (spans local to the window) in the first pass, before the window is
   * checked; answering false stops the check, and `diagnoseSource` answers null.
   */
  readonly inspect?: (window: TextWindow, tokens: TokenBuffer) => boolean;
}

/**
 * The diagnostics of the text `source` reads (as `diagnose` of that text), holding one window of it at a
 * time; null when `inspect` stopped it. The source is read once, and again from the start only when
 * the facts changed after windows that could depend on them.
 */
export function diagnoseSource(source: ScenarioSource, uri: string, options: CheckOptions, windowed: WindowedCheck = {}): Diagnostic[] | null {
  const batchStatements = windowed.batchStatements ?? BATCH_STATEMENTS;
  const windowChars = windowed.windowChars ?? WINDOW_CHARS;
  const facts = new FileFactsBuilder();
  const flagsNow = (): number => (facts.createsDevice ? 1 : 0) | (facts.connects ? 2 : 0);

  /** Running state of one pass over the batches. */
  interface Pass {
    state: CheckState;
    comparisonsLeft: number;
    readonly topScope: Map<string, Definition>;
  }
  const newPass = (): Pass => ({ state: initialCheckState(facts.env), comparisonsLeft: SUGGESTION_BUDGET, topScope: new Map() });

  /** Checks one batch of window `w` (statements parsed from its text alone), into `out` at file positions. */
  const checkBatch = (pass: Pass, w: TextWindow, statements: Stmt[], out: Reported[]): void => {
    const program: Program = { uri, text: w.text, statements, comments: [], diagnostics: [], lineStarts: [] };
    const checks = checkSlice(program, options, pass.state, facts);
    const scope = {
      lineBase: w.line, procs: facts.procs, firstLets: facts.firstLets, broken: facts.broken, topScope: pass.topScope,
      comparisonsLeft: pass.comparisonsLeft,
    };
    const scopeDiagnostics = resolveSlice(statements, w.text, scope);
    pass.comparisonsLeft = scope.comparisonsLeft;
    for (const list of [checks, scopeDiagnostics]) {
      for (const d of list) {
        const name = SILENCEABLE.has(d.code) ? copyOf(w.text, d.span.start, d.span.end) : null;
        out.push({ diagnostic: shifted(d, w), name });
      }
    }
  };

  // First pass: read, fold the facts, check, drop.
  const parsed: Diagnostic[] = [];
  const windows: CheckedWindow[] = [];
  const first = newPass();
  let device: DeviceName | null = null;
  for (const { window: w, tokens: buffer } of lexedWindows(source, windowChars)) {
    if (windowed.inspect && !windowed.inspect(w, buffer)) {
      buffer.release();
      return null;
    }
    const parser: Parser = new Parser(buffer, device);
    const deviceBefore = device;
    const reported: Reported[] = [];
    const declares: string[] = [];
    /** Per batch: its token range and the names it declares (for readsOwnLaterName). */
    const ranges: { from: number; to: number; declares: string[]; declaresProcs: boolean }[] = [];
    let factsVersion = -1;
    let entryKey = '';
    let flagsFirst = 0;
    let includes = false;
    const letsFrom = facts.lets.length;
    for (const { position, statements } of statementBatches(parser, batchStatements)) {
      const outline = outlineOf(statements, w.text);
      facts.add(outline, w.line);
      if (factsVersion < 0) {
        factsVersion = facts.version;
        entryKey = freeze(first.state, first.comparisonsLeft, facts.env).key;
        flagsFirst = flagsNow();
      }
      checkBatch(first, w, statements, reported);
      const names = [...outline.lets.map((l) => l.name), ...outline.procs.map((q) => q.name), ...outline.broken];
      declares.push(...names);
      ranges.push({ from: position, to: parser.position, declares: names, declaresProcs: outline.procs.length > 0 });
      if (outline.includes) includes = true;
    }
    device = parser.deviceAfter;
    for (const d of parser.diagnostics) parsed.push(shifted(d, w));
    if (ranges.length > 0) {
      let readsOwnLaterName = false;
      const later = new Set<string>();
      for (let i = ranges.length - 1; i >= 0 && !readsOwnLaterName; i--) {
        readsOwnLaterName = later.size > 0 && mentionsAny(buffer, ranges[i].from, ranges[i].to, later);
        for (const name of ranges[i].declares) later.add(name);
        if (ranges[i].declaresProcs) later.add('call');
      }
      windows.push({
        index: w.index, deviceBefore, factsVersion, entryKey, exit: freeze(first.state, first.comparisonsLeft, facts.env),
        letsFrom, letsTo: facts.lets.length, declares, declaresProcs: ranges.some((r) => r.declaresProcs), readsOwnLaterName,
        includes, flagsFirst, flagsLast: flagsNow(), reported,
      });
    }
    // Nothing built from the tokens refers to them: the next window can lex into the same memory.
    buffer.release();
  }
  let finalState = first.state;

  // Windows checked under older facts that could depend on what changed: read again, checked with the final facts.
  if (windows.length > 0 && windows[0].factsVersion !== facts.version) {
    const flags = flagsNow();
    const last = lastDeclarations(windows);
    let lastAny = -1;
    for (const index of last.values()) lastAny = Math.max(lastAny, index);
    const again = newPass();
    let reread: Iterator<TextWindow> | null = null;
    /** Window `index` of the text again, lexed (the windows are read in order). */
    const readAgain = (index: number): { window: TextWindow; buffer: TokenBuffer } => {
      reread ??= textWindows(source, windowChars)[Symbol.iterator]();
      let w = reread.next();
      while (!w.done && w.value.index < index) w = reread.next();
      if (w.done || w.value.index !== index) throw new Error('diagnose: the text changed between two reads');
      return { window: w.value, buffer: lexBuffer(w.value.text, false).buffer };
    };
    for (const cw of windows) {
      let lexed: { window: TextWindow; buffer: TokenBuffer } | null = null;
      let reuse = freeze(again.state, again.comparisonsLeft, facts.env).key === cw.entryKey;
      if (reuse && cw.factsVersion !== facts.version) {
        // Checked under older facts: the answer stands only if it read none that changed since.
        if (staleWithoutTokens(cw, flags)) reuse = false;
        else if (lastAny > cw.index) {
          lexed = readAgain(cw.index);
          reuse = !mentionsLater(lexed.buffer, cw.index, last, lastAny);
        }
      }
      if (reuse) {
        // Checked from the same state, with the final facts or reading none that changed since: the first pass's answer stands.
        lexed?.buffer.release();
        again.state = thaw(cw.exit);
        again.comparisonsLeft = cw.exit.comparisonsLeft;
        for (let l = cw.letsFrom; l < cw.letsTo; l++) again.topScope.set(facts.lets[l].name, facts.lets[l].def);
        continue;
      }
      lexed ??= readAgain(cw.index);
      const parser = new Parser(lexed.buffer, cw.deviceBefore);
      cw.reported = [];
      for (const { statements } of statementBatches(parser, batchStatements)) checkBatch(again, lexed.window, statements, cw.reported);
      lexed.buffer.release();
    }
    finalState = again.state;
  }

  // Names that included files define silence scope diagnostics anywhere in the file, as in `check`.
  const included = finalState.included.names.size > 0 ? finalState.included : null;
  const out: Diagnostic[] = parsed;
  for (const cw of windows) {
    for (const r of cw.reported) {
      if (included && r.name !== null && silencedByIncludes(r.diagnostic.code, r.name, included)) continue;
      out.push(r.diagnostic);
    }
  }
  return out.sort(byPosition);
}
