/**
 * A QEMU trace as a SteppableProgram: one step per trace event line (in time
 * order across per-thread logs), replayed on the model by the trace layer,
 * each step checked against what QEMU printed. Long traces stay cheap:
 *  - the text is split into lines once; which lines are steps is indexed
 *    lazily (as far as a request needs) and in the background;
 *  - time travel restores the nearest checkpoint (a copy of the replay state
 *    every K steps, K doubling when the checkpoints would pass a memory
 *    budget) and re-executes from it; a background "scout" replays ahead so
 *    a goto anywhere finds a checkpoint near it;
 *  - checks that pass are counted, only divergences are kept.
 * No file reading here: the session hands in the texts.
 */
import type { ExpectationResult, Frame, LogEntry, OperationResult, SourceLocation } from '../../dsl/runtime';
import { evaluateExpressionText } from '../../dsl/runtime/expression-text';
import type { LayoutName } from '../../model/layouts/table';
import type { VmState } from '../../model/state';
import { LastOperationInfo, operationResultFields } from '../variables-tree';
import { GrowableInt32 } from './growable';
import type { Divergence, ExpressionValue, ProgramStep, SteppableProgram } from './program';
import type { LineSet, Timeline } from './timeline';
import type { HistoryEntry } from '../history';

/** One value the trace states, compared with the model. */
export interface TraceCheck {
  readonly ok: boolean;
  /** What was compared, e.g. `ESB load 0x1300 @0xc00`. */
  readonly what: string;
  readonly qemu: string;
  readonly model: string;
  readonly reason?: string;
}

export interface TraceStepResult {
  readonly result: OperationResult;
  /** Values compared with what QEMU showed. */
  readonly checked: number;
  /** The comparisons that failed (ok false). */
  readonly failures: readonly TraceCheck[];
  readonly layout?: LayoutName | null;
}

/** A model step the trace layer made from a trace line: which file (index) and 1-based line it stands for. */
export interface TraceModelStep {
  readonly file: number;
  readonly line: number;
}

/** Trace lines in (in time order), model steps out; it may hold steps back until a later line completes them. */
export interface LineTranslator<T> {
  push(file: number, line: number, text: string): readonly T[];
  finish(): readonly T[];
}

/**
 * What the trace layer offers the debugger: a translator of lines to model
 * steps (run once, as the index is built), and one step replayed on a state
 * that can be copied. A debugger step is one trace line: the model steps made
 * from it (a check QEMU printed just before the access it belongs to joins it).
 */
export interface TraceReplayCore<S, T extends TraceModelStep> {
  translator(): LineTranslator<T>;
  /** The line's time stamp (`TID@EPOCH:`) for merging per-thread logs; null when it has none. */
  timeOf(line: string): number | null;
  initial(): S;
  vm(state: S): VmState;
  clone(state: S): S;
  /** Rough bytes of one copy (the checkpoint budget). */
  approxBytes(state: S): number;
  apply(state: S, step: T): TraceStepResult;
  /** Names a function breakpoint can use for a step (`xive_tctx_accept`, `tima-load`, `H_INT_ESB`…). */
  operationNames(step: T): readonly string[];
}

export interface TraceText {
  readonly uri: string;
  readonly text: string;
  /** Whether the editor cannot open `uri` itself (a .gz): the session serves the text as a virtual document. */
  readonly virtual: boolean;
}

export interface TraceProgramOptions {
  /** Steps between checkpoints to start with (doubles past the budget). */
  readonly checkpointEvery?: number;
  readonly checkpointBudgetBytes?: number;
}

const DEFAULT_CHECKPOINT_EVERY = 512;
const DEFAULT_BUDGET = 384 * 1024 * 1024;
const MIN_CHECKPOINTS = 8;
/** Steps replayed at a time when searching backwards for a change. */
const CHANGE_SEARCH_SEGMENT = 1024;
const FRAME_NAME_MAX = 100;
/** Lines a translator may hold a step back (src/trace's translator waits at most 512). */
const LOOKAHEAD_LINES = 600;

class TraceLines {
  /** Offsets of each line's start, plus the text length at the end. */
  readonly starts: Int32Array;
  readonly count: number;

  constructor(readonly file: TraceText) {
    const text = file.text;
    let n = 0;
    for (let p = 0; ; ) {
      const i = text.indexOf('\n', p);
      n++;
      if (i < 0) break;
      p = i + 1;
    }
    // A final newline does not open another line.
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 10) n--;
    const starts = new Int32Array(n + 1);
    let k = 0;
    for (let p = 0; k < n; ) {
      starts[k++] = p;
      const i = text.indexOf('\n', p);
      p = i < 0 ? text.length : i + 1;
    }
    starts[n] = text.length;
    this.starts = starts;
    this.count = n;
  }

  text(line: number): string {
    let end = this.starts[line + 1];
    const t = this.file.text;
    if (end > this.starts[line] && t.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && t.charCodeAt(end - 1) === 13) end--;
    return t.slice(this.starts[line], end);
  }
}

interface Checkpoint<S> {
  readonly step: number;
  readonly state: S;
  readonly passed: number;
  readonly failed: number;
  readonly last: ProgramStep | null;
}

interface Executor<S> {
  state: S;
  step: number;
  passed: number;
  failed: number;
  last: ProgramStep | null;
}

export class TraceProgram<S, T extends TraceModelStep> implements SteppableProgram {
  readonly kind = 'trace';
  readonly program = null;
  readonly uri: string;
  readonly timeline: Timeline;
  private readonly files: TraceLines[];
  private readonly fileIndexOf = new Map<string, number>();

  // ---- the step index: step (a trace line) -> (file, 0-based line, its model steps), and per file line -> step
  private readonly stepFile = new GrowableInt32(1 << 16);
  private readonly stepLine = new GrowableInt32(1 << 16);
  private readonly stepStart = new GrowableInt32(1 << 16);
  private readonly modelSteps: T[] = [];
  private readonly fileLines: GrowableInt32[];
  private readonly fileSteps: GrowableInt32[];
  private readonly translator: LineTranslator<T>;
  /** Per file: the next line to feed the translator, and the time of that line (per-thread logs merge by it). */
  private readonly nextLine: number[];
  private readonly headTime: number[];
  private readonly headTimeFor: number[];
  /** The step being gathered: model steps of one line (closed when a later line starts). */
  private openFile = -1;
  private openLine = -1;
  private openStart = -1;
  private indexDone = false;

  // ---- replay
  private readonly cursor: Executor<S>;
  private scout: Executor<S> | null;
  private checkpoints: Checkpoint<S>[] = [];
  private every: number;
  private readonly budget: number;
  /** Divergences of the whole trace in step order, as far as any replay got (checksKnownUntil steps). */
  private readonly divergences: ExpectationResult[] = [];
  private readonly divergenceLog: LogEntry[] = [];
  private checksKnownUntil = 0;
  private logView: LogEntry[] = [];
  private resultView: ExpectationResult[] = [];

  constructor(texts: readonly TraceText[], private readonly core: TraceReplayCore<S, T>, options: TraceProgramOptions = {}) {
    if (texts.length === 0) throw new Error('a trace program needs at least one file');
    this.files = texts.map((t) => new TraceLines(t));
    texts.forEach((t, i) => this.fileIndexOf.set(t.uri, i));
    this.uri = texts[0].uri;
    this.fileLines = texts.map(() => new GrowableInt32(1 << 14));
    this.fileSteps = texts.map(() => new GrowableInt32(1 << 14));
    this.translator = core.translator();
    this.nextLine = texts.map(() => 0);
    this.headTime = texts.map(() => -Infinity);
    this.headTimeFor = texts.map(() => -1);
    this.every = Math.max(1, options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
    this.budget = options.checkpointBudgetBytes ?? DEFAULT_BUDGET;
    const initial = core.initial();
    this.checkpoints.push({ step: 0, state: core.clone(initial), passed: 0, failed: 0, last: null });
    this.cursor = { state: initial, step: 0, passed: 0, failed: 0, last: null };
    this.scout = { state: core.clone(initial), step: 0, passed: 0, failed: 0, last: null };
    this.timeline = new TraceTimeline(this);
  }

  // ------------------------------------------------------------------ the index

  /** Steps indexed so far. */
  get indexedSteps(): number {
    return this.stepLine.length;
  }

  get fullyIndexed(): boolean {
    return this.indexDone;
  }

  /** The file whose next line comes first in time (files in order when untimed), or -1 when all are fed. */
  private nextFile(): number {
    if (this.files.length === 1) return this.nextLine[0] < this.files[0].count ? 0 : -1;
    let best = -1;
    for (let f = 0; f < this.files.length; f++) {
      const l = this.nextLine[f];
      if (l >= this.files[f].count) continue;
      if (this.headTimeFor[f] !== l) {
        const t = this.core.timeOf(this.files[f].text(l));
        if (t !== null) this.headTime[f] = t; // an untimed line keeps its file's last time
        this.headTimeFor[f] = l;
      }
      if (best < 0 || this.headTime[f] < this.headTime[best]) best = f;
    }
    return best;
  }

  /** Feeds up to `count` lines to the translator; at the end of input, flushes it. */
  private feed(count: number): void {
    for (let n = 0; n < count && !this.indexDone; n++) {
      const f = this.nextFile();
      if (f < 0) {
        this.gather(this.translator.finish());
        this.closeStep();
        this.indexDone = true;
        return;
      }
      const l = this.nextLine[f]++;
      this.gather(this.translator.push(f, l + 1, this.files[f].text(l)));
    }
  }

  /** Model steps into debugger steps: a new one when a later line (or another file) starts. */
  private gather(steps: readonly T[]): void {
    for (const m of steps) {
      const line = m.line - 1;
      if (this.openStart < 0 || m.file !== this.openFile || line > this.openLine) {
        this.closeStep();
        this.openFile = m.file;
        this.openLine = line;
        this.openStart = this.modelSteps.length;
      }
      this.modelSteps.push(m);
    }
  }

  private closeStep(): void {
    if (this.openStart < 0) return;
    const step = this.stepLine.length;
    const f = this.openFile;
    this.stepFile.push(f);
    this.stepLine.push(this.openLine);
    this.stepStart.push(this.openStart);
    const lines = this.fileLines[f];
    // Lines of a file only grow from step to step (kept so for the binary search if a translator ever reorders).
    lines.push(lines.length > 0 ? Math.max(this.openLine, lines.at(lines.length - 1)) : this.openLine);
    this.fileSteps[f].push(step);
    this.openStart = -1;
  }

  /** The model steps of debugger step k (indexed). */
  private modelStepsOf(k: number): readonly T[] {
    const start = this.stepStart.at(k);
    const end = k + 1 < this.stepStart.length ? this.stepStart.at(k + 1) : this.openStart >= 0 ? this.openStart : this.modelSteps.length;
    return this.modelSteps.slice(start, end);
  }

  private ensureSteps(count: number): void {
    while (!this.indexDone && this.stepLine.length < count) this.feed(Math.max(2048, count - this.stepLine.length));
  }

  /** Indexes until file f is fed well past `line` (a translator holds a step back a few hundred lines at most). */
  private ensureLine(f: number, line: number): void {
    while (!this.indexDone && this.nextLine[f] <= line + LOOKAHEAD_LINES) this.feed(4096);
  }

  /** The step at a line of a file (exact), indexing as far as needed. */
  stepAtLine(uri: string, line: number): number | undefined {
    const f = this.fileIndexOf.get(uri);
    if (f === undefined) return undefined;
    this.ensureLine(f, line);
    const i = this.fileLines[f].lastAtOrBelow(line);
    if (i < 0 || this.fileLines[f].at(i) !== line) return undefined;
    const k = this.fileSteps[f].at(i);
    return this.stepLine.at(k) === line ? k : undefined;
  }

  /** The first line at or after `line` of a file that holds a step, indexing as far as needed. */
  private stepLineFrom(f: number, line: number): number | undefined {
    for (;;) {
      this.ensureLine(f, line);
      const lines = this.fileLines[f];
      const i = lines.lastAtOrBelow(line - 1) + 1;
      if (i < lines.length) return lines.at(i);
      if (this.indexDone) return undefined;
      this.feed(4096);
    }
  }

  /** Where step k is (indexing as far as needed); undefined past the end. */
  positionOf(k: number): { file: number; line: number } | undefined {
    this.ensureSteps(k + 1);
    if (k < 0 || k >= this.stepLine.length) return undefined;
    return { file: this.stepFile.at(k), line: this.stepLine.at(k) };
  }

  private get totalKnown(): number | undefined {
    return this.indexDone ? this.stepLine.length : undefined;
  }

  // ------------------------------------------------------------------ SteppableProgram: state

  get vm(): VmState {
    return this.core.vm(this.cursor.state);
  }
  get stepCount(): number {
    return this.cursor.step;
  }
  get finished(): boolean {
    this.ensureSteps(this.cursor.step + 1);
    return this.cursor.step >= this.stepLine.length;
  }
  get depth(): number {
    return 1;
  }
  get location(): SourceLocation | null {
    return this.locationOfStep(this.cursor.step);
  }
  get lastOutcome(): ProgramStep | null {
    return this.cursor.last;
  }

  locationOfStep(k: number): SourceLocation | null {
    const p = this.positionOf(k);
    if (!p) return null;
    const lines = this.files[p.file];
    const start = lines.starts[p.line];
    const end = start + lines.text(p.line).length;
    return { uri: lines.file.uri, line: p.line, col: 0, span: { start, end, line: p.line, col: 0 } };
  }

  get callStack(): readonly Frame[] {
    const loc = this.location;
    if (!loc) return [];
    return [{ id: 1, name: frameName(this.files[this.fileIndexOf.get(loc.uri)!].text(loc.line)), location: loc, kind: 'scenario' }];
  }

  /** Divergences up to the cursor (the passing checks are only counted). */
  get results(): readonly ExpectationResult[] {
    if (this.resultView.length !== this.cursor.failed) this.resultView = this.divergences.slice(0, this.cursor.failed);
    return this.resultView;
  }

  get log(): readonly LogEntry[] {
    if (this.logView.length !== this.cursor.failed) this.logView = this.divergenceLog.slice(0, this.cursor.failed);
    return this.logView;
  }

  checkCounts(): { passed: number; failed: number } {
    return { passed: this.cursor.passed, failed: this.cursor.failed };
  }

  /** The text of a file the editor cannot open itself (a decompressed .gz). */
  virtualSource(uri: string): string | undefined {
    const f = this.fileIndexOf.get(uri);
    return f !== undefined && this.files[f].file.virtual ? this.files[f].file.text : undefined;
  }

  isVirtual(uri: string): boolean {
    const f = this.fileIndexOf.get(uri);
    return f !== undefined && this.files[f].file.virtual;
  }

  // ------------------------------------------------------------------ stepping

  step(): ProgramStep {
    return this.run(this.cursor, true);
  }

  /** One step of an executor: the cursor (the user's position) or the scout (checkpoints ahead). */
  private run(x: Executor<S>, isCursor: boolean): ProgramStep {
    this.ensureSteps(x.step + 1);
    if (x.step >= this.stepLine.length) return { kind: 'end' };
    this.maybeCheckpoint(x);
    const k = x.step;
    const file = this.stepFile.at(k);
    const line = this.stepLine.at(k);
    const lines = this.files[file];
    const text = lines.text(line);
    const uri = lines.file.uri;
    let checked = 0;
    let failed: TraceCheck | undefined;
    let failedLine = line;
    let result: OperationResult | null = null;
    let layout: LayoutName | null = null;
    const shown: string[] = [];
    for (const m of this.modelStepsOf(k)) {
      let r: TraceStepResult;
      try {
        r = this.core.apply(x.state, m);
      } catch (e) {
        // A bug in the replay must not take the session down: the step fails with the reason.
        const reason = `internal error in the trace replay: ${e instanceof Error ? e.message : String(e)}`;
        r = { result: { ok: false, display: reason, reason }, checked: 1, failures: [{ ok: false, what: 'replay', qemu: eventText(text), model: reason }] };
      }
      checked += r.checked;
      if (!failed && r.failures.length > 0) {
        failed = r.failures[0];
        failedLine = m.line - 1;
      }
      shown.push(r.result.display);
      // The step's own result (a load's value) is what the Last operation shows.
      if (result === null || r.result.value !== undefined || !r.result.ok) result = r.result;
      if (r.layout) layout = r.layout;
    }
    x.step++;
    const start = lines.starts[line];
    const location: SourceLocation = { uri, line, col: 0, span: { start, end: start + text.length, line, col: 0 } };
    let expectation: ExpectationResult | null = null;
    let divergence: Divergence | null = null;
    if (failed) {
      const where = failedLine !== line ? ` (line ${failedLine + 1})` : '';
      divergence = { message: `${failed.what}${where}`, qemu: failed.qemu, model: failed.model, reason: failed.reason, event: eventText(text) };
      expectation = {
        uri, line, col: 0, ok: false, message: `model disagrees with the trace: ${failed.what}${where}: QEMU ${failed.qemu}, model ${failed.model}${failed.reason ? ` (${failed.reason})` : ''}`,
        expected: failed.qemu, actual: failed.model, step: x.step,
      };
      x.failed++;
    }
    x.passed += checked - (failed ? 1 : 0);
    // The first replay to reach a step records its divergence for everyone.
    if (x.step > this.checksKnownUntil) {
      this.checksKnownUntil = x.step;
      if (expectation) {
        this.divergences.push(expectation);
        this.divergenceLog.push({ step: x.step, location, text: expectation.message, kind: 'expect-fail' });
      }
    }
    const display = shown.length === 0 ? eventText(text) : shown.join('; ');
    const r = { result: { ...(result ?? { ok: true }), display } as OperationResult, layout };
    const outcome: ProgramStep = { kind: 'executed', location, result: r.result, expectation, divergence };
    x.last = outcome;
    if (isCursor) this.cursorLayout = r.layout ?? null;
    return outcome;
  }

  private cursorLayout: LayoutName | null = null;

  stepBack(): boolean {
    if (this.cursor.step === 0) return false;
    this.restoreTo(this.cursor.step - 1);
    return true;
  }

  restoreTo(stepCount: number): void {
    const target = Math.max(0, Math.floor(stepCount));
    const c = this.checkpointAtOrBefore(target);
    // Going forward from here is cheaper than from an older checkpoint.
    if (!(target >= this.cursor.step && c.step <= this.cursor.step)) this.load(this.cursor, c);
    while (this.cursor.step < target) {
      if (this.run(this.cursor, true).kind !== 'executed') break;
    }
  }

  private load(x: Executor<S>, c: Checkpoint<S>): void {
    x.state = this.core.clone(c.state);
    x.step = c.step;
    x.passed = c.passed;
    x.failed = c.failed;
    x.last = c.last;
  }

  lastChangeBefore(from: number, floor: number, probe: () => string, accept: (before: string, after: string) => boolean):
    { position: number; before: string; after: string } | null {
    let hi = from - 1;
    const low = Math.max(0, floor);
    while (hi > low) {
      const lo = Math.max(low, hi - CHANGE_SEARCH_SEGMENT);
      this.restoreTo(lo);
      let found: { position: number; before: string; after: string } | null = null;
      let prev = probe();
      for (let p = lo + 1; p <= hi; p++) {
        if (this.step().kind !== 'executed') break;
        const now = probe();
        if (now !== prev && accept(prev, now)) found = { position: p, before: prev, after: now };
        prev = now;
      }
      if (found) return found;
      hi = lo;
    }
    return null;
  }

  // ------------------------------------------------------------------ checkpoints and background work

  private checkpointAtOrBefore(step: number): Checkpoint<S> {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid].step <= step) lo = mid;
      else hi = mid - 1;
    }
    return this.checkpoints[lo];
  }

  private maybeCheckpoint(x: Executor<S>): void {
    if (x.step % this.every !== 0) return;
    const before = this.checkpointAtOrBefore(x.step);
    if (before.step === x.step) return;
    const i = this.checkpoints.indexOf(before) + 1;
    this.checkpoints.splice(i, 0, { step: x.step, state: this.core.clone(x.state), passed: x.passed, failed: x.failed, last: x.last });
    const limit = Math.max(MIN_CHECKPOINTS, Math.floor(this.budget / Math.max(1, this.core.approxBytes(x.state))));
    if (this.checkpoints.length > limit) {
      // Thin out: double the spacing and keep the checkpoints on it (step 0 always).
      this.every *= 2;
      this.checkpoints = this.checkpoints.filter((c) => c.step % this.every === 0);
    }
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  get checkpointSpacing(): number {
    return this.every;
  }

  /**
   * Background work for about `budgetMs`: index the steps, then replay ahead
   * of everyone to leave checkpoints behind. False when nothing is left.
   */
  backgroundWork(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    while (!this.indexDone) {
      this.feed(8192);
      if (performance.now() >= until) return true;
    }
    const scout = this.scout;
    if (!scout) return false;
    // The cursor may have left checkpoints further on: start from the last one.
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (last.step > scout.step) this.load(scout, last);
    for (let n = 0; ; n++) {
      if (this.run(scout, false).kind !== 'executed') {
        this.scout = null;
        return false;
      }
      if ((n & 255) === 255 && performance.now() >= until) return true;
    }
  }

  // ------------------------------------------------------------------ what the debugger asks

  stepLines(uri: string, near: readonly number[]): readonly number[] {
    const f = this.fileIndexOf.get(uri);
    if (f === undefined) return [];
    const out = new Set<number>();
    for (const want of near) {
      const l = this.stepLineFrom(f, Math.max(0, want));
      if (l !== undefined) out.add(l);
    }
    return [...out].sort((a, b) => a - b);
  }

  evaluateExpression(text: string): ExpressionValue {
    return evaluateExpressionText(text, { vm: this.vm, lookup: () => undefined });
  }

  executeText(): OperationResult | { error: string } {
    return { error: 'a trace session replays what QEMU did: statements cannot be run here (irqlab import qemu-trace writes a scenario to experiment with)' };
  }

  operationNamesAt(uri: string, key: number): readonly string[] {
    const p = this.positionOf(key);
    if (!p || this.files[p.file].file.uri !== uri) return [];
    const names = new Set<string>();
    const event = /^(?:\d+@[\d.]+:)?([A-Za-z0-9_]+)/.exec(this.files[p.file].text(p.line));
    if (event) names.add(event[1]);
    for (const m of this.modelStepsOf(key)) for (const n of this.core.operationNames(m)) names.add(n);
    return [...names];
  }

  lastOperation(): LastOperationInfo | null {
    const o = this.cursor.last;
    if (!o || o.kind !== 'executed') return null;
    const f = this.fileIndexOf.get(o.location.uri)!;
    const text = this.files[f].text(o.location.line);
    const d = o.divergence;
    return {
      statement: eventText(text),
      location: `${baseName(o.location.uri)}:${o.location.line + 1}`,
      step: this.cursor.step,
      ...operationResultFields(o.result),
      layout: this.cursorLayout,
      expectation: d ? { ok: false, message: `model disagrees with the trace: ${d.message}`, expected: d.qemu, actual: d.model } : null,
    };
  }

  layoutOfLiteral(): LayoutName | null {
    return null;
  }

  configurationLines(): Map<number, number> {
    return new Map();
  }

  /** Step numbers of `uri`'s lines in `lines`, below `from`: the latest, for reverse continue. */
  latestStepOnLines(from: number, uri: string, lines: Iterable<number>): number | undefined {
    let best: number | undefined;
    for (const line of lines) {
      const k = this.stepAtLine(uri, line);
      if (k !== undefined && k < from && (best === undefined || k > best)) best = k;
    }
    return best;
  }

  get uris(): readonly string[] {
    return this.files.map((f) => f.file.uri);
  }

  get known(): number | undefined {
    return this.totalKnown;
  }
}

/** Positions of a trace come from its index: nothing to record, search by line in O(breakpoints). */
interface IndexedTrace {
  readonly uris: readonly string[];
  readonly known: number | undefined;
  readonly indexedSteps: number;
  locationOfStep(k: number): SourceLocation | null;
  stepAtLine(uri: string, line: number): number | undefined;
  latestStepOnLines(from: number, uri: string, lines: Iterable<number>): number | undefined;
}

class TraceTimeline implements Timeline {
  constructor(private readonly trace: IndexedTrace) {}

  record(): void {}
  truncateAfter(): void {}
  clear(): void {}

  at(step: number): HistoryEntry | null | undefined {
    const loc = this.trace.locationOfStep(step);
    if (loc) return { uri: loc.uri, line: loc.line, offset: step, depth: 1 };
    return this.trace.known !== undefined && step === this.trace.known ? null : undefined;
  }

  get length(): number {
    const known = this.trace.known;
    return known !== undefined ? known + 1 : this.trace.indexedSteps;
  }

  searchBack(from: number, lines: LineSet | null, test: ((e: HistoryEntry, step: number) => boolean) | null): number | undefined {
    let best: number | undefined;
    if (lines) {
      for (const uri of this.trace.uris) {
        const set = lines(uri);
        if (!set) continue;
        const k = this.trace.latestStepOnLines(from, uri, set.keys());
        if (k !== undefined && (best === undefined || k > best)) best = k;
      }
    }
    if (test) {
      for (let k = Math.min(from, this.trace.indexedSteps) - 1; k > (best ?? -1); k--) {
        const e = this.at(k);
        if (e && test(e, k)) return k;
      }
    }
    return best;
  }

  nearest(_from: number, uri: string, line: number): number | undefined {
    return this.trace.stepAtLine(uri, line);
  }
}

/** The event part of a trace line (after `TID@EPOCH:`), control bytes escaped. */
export function eventText(line: string): string {
  const m = /^\d+@\d+(?:\.\d+)?:/.exec(line);
  // eslint-disable-next-line no-control-regex
  return (m ? line.slice(m[0].length) : line).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function frameName(line: string): string {
  const m = /^(\d+)@/.exec(line);
  const text = eventText(line);
  const short = text.length > FRAME_NAME_MAX ? `${text.slice(0, FRAME_NAME_MAX - 1)}…` : text;
  return m ? `${short}  [tid ${m[1]}]` : short;
}

function baseName(uri: string): string {
  const i = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\'));
  return i >= 0 ? uri.slice(i + 1) : uri;
}
