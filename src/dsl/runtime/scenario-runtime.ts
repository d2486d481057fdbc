/**
 * ScenarioRuntime: executes a scenario one statement per step against the
 * model, keeps a call stack (proc, repeat, include frames), the results of
 * expectations and a log, and travels back in time exactly: snapshots of the
 * whole state every K steps plus deterministic re-execution from the nearest
 * one. Statements injected from the debug console are kept in a replay log
 * keyed by step number, so re-execution reproduces them too.
 */
import type { Diagnostic, Program, Stmt } from '../ast';
import { analyze, parse } from '../index';
import type { CheckOptions } from '../index';
import type { VmState } from '../../model/state';
import { createVm, snapshotVm } from '../../model';
import { evaluate, evaluateValue, EvaluationError, Scope } from './evaluate';
import { evaluateExpressionText, ExpressionResult } from './expression-text';
import { checkExpectation, Verdict } from './expectations';
import { describeWord, hex, pqText } from './format';
import { cloneFrame, FrameState, frameName, hasExecutable, isExecutable } from './frames';
import { IncludeGraph, loadIncludes, resolveRelative } from './includes';
import { executeOperation, OperationStmt, runtimeError } from './operations';
import type { ExpectationResult, Frame, LogEntry, OperationResult, RuntimeOptions, SourceLocation, StepOutcome } from './types';

export const DEFAULT_MAX_STEPS = 1_000_000;
/** Where statements typed in the debug console are said to be. */
export const CONSOLE_URI = 'irqlab-console:';
const DEFAULT_SNAPSHOT_EVERY = 64;
/** Memory the snapshots may use before they are thinned out (spacing doubled). */
const SNAPSHOT_BUDGET_BYTES = 192 * 1024 * 1024;
const MAX_SNAPSHOTS = 2048;
const MIN_SNAPSHOTS = 8;
const MAX_CALL_DEPTH = 10_000;
/** The widest spacing the cost rule may choose (a step back replays at most this many steps). */
const MAX_SNAPSHOT_EVERY = 512;

interface Snapshot {
  readonly step: number;
  readonly vm: VmState;
  readonly frames: readonly FrameState[];
  readonly finished: boolean;
  readonly nextFrameId: number;
  readonly results: number;
  readonly log: number;
  readonly lastOutcome: StepOutcome | null;
  readonly nestedSteps: number;
}

interface ProcDef {
  readonly stmt: Extract<Stmt, { kind: 'proc' }>;
  readonly uri: string;
}

const END: StepOutcome = { kind: 'end' };

/** Rough bytes of one VM snapshot: a device's fixed tables (~96 KiB for XIVE's EAS), guest pages, source blocks, presenters. */
function approxBytes(vm: VmState): number {
  const blocks = vm.device ? vm.device.blockIds.length : 0;
  return 4096 + (vm.device ? 96 * 1024 : 0) + vm.memory.pages.size * 65536 + blocks * 1024 * 24 + vm.vcpus.length * 2048;
}

function isErrorDiagnostic(d: Diagnostic): boolean {
  return d.severity === 'error';
}

/** Steps replayed at a time when searching backwards for a change (see lastChangeBefore). */
const CHANGE_SEARCH_SEGMENT = 256;

export class ScenarioRuntime {
  readonly uri: string;
  readonly program: Program;

  private vmState: VmState;
  private frames: FrameState[];
  private steps = 0;
  private done = false;
  private nextFrameId = 1;
  private outcome: StepOutcome | null = null;
  private readonly resultList: ExpectationResult[] = [];
  private readonly logList: LogEntry[] = [];
  /** Record every statement's result and notes in the log ('step' entries): the Debug Console's `verbose on`. */
  verbose = false;
  private readonly maxSteps: number;
  private snapshotEvery: number;
  private snapshots: Snapshot[] = [];
  /** Console statements by the step number at which they ran. */
  private readonly injections = new Map<number, Stmt>();
  /** The text typed for each injection (same keys), to say what a step back undid. */
  private readonly injectedText = new Map<number, string>();
  private readonly includes: IncludeGraph;
  private readonly procs = new Map<string, ProcDef>();
  private readonly locations = new WeakMap<Stmt, SourceLocation>();
  /** statementLines per file (programs never change after create). */
  private readonly lineCache = new Map<string, readonly number[]>();
  private readonly scope: Scope;
  private limitHit = false;
  /**
   * Steps run inside repeat, proc and include bodies: what the step limit counts. A top-level
   * statement of the scenario runs once, so a long straight-line file (an imported trace of
   * millions of operations) is bounded by its length, not by the limit meant for runaway loops.
   */
  private nestedSteps = 0;
  /** Spacing grows with the measured cost of a snapshot unless the caller fixed it. */
  private readonly adaptiveSpacing: boolean;
  private lastSnapshotEnd = 0;

  private constructor(program: Program, includes: IncludeGraph, options: RuntimeOptions) {
    this.uri = program.uri;
    this.program = program;
    this.includes = includes;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    this.adaptiveSpacing = options.snapshotEvery === undefined;
    for (const [uri, p] of includes.programs) {
      for (const s of p.statements) if (s.kind === 'proc') this.procs.set(s.name.name, { stmt: s, uri });
    }
    this.vmState = createVm();
    const title = program.statements.find((s): s is Extract<Stmt, { kind: 'scenario' }> => s.kind === 'scenario')?.title;
    this.frames = [this.newFrame('scenario', program.uri, program.statements, new Map(), title ?? baseName(program.uri), null, program.uri)];
    const self = this;
    this.scope = {
      get vm() {
        return self.vmState;
      },
      lookup: (name) => this.lookup(name),
    };
    this.settle();
    this.snapshots.push(this.takeSnapshot());
    this.lastSnapshotEnd = performance.now();
  }

  /** Parses and checks `text`; the runtime is usable only when no diagnostic is an error. */
  static create(uri: string, text: string, options: RuntimeOptions): { runtime: ScenarioRuntime; diagnostics: Diagnostic[] } {
    // One resolver for the checker and the runtime, so both read the same included files.
    const resolve = options.resolveInclude ?? resolveRelative;
    const { program, diagnostics } = analyzeSafely(text, uri, { readFile: options.readFile, resolveInclude: resolve });
    // Included files are checked by the front end through the includer; here they are parsed to be run.
    const includes = loadIncludes(program, (t, u) => analyzeSafely(t, u, undefined, false), options.readFile, resolve);
    const all = [...diagnostics];
    for (const d of includes.diagnostics) {
      // The front end's checker reports most include problems already; one error per include statement is enough.
      if (!all.some((x) => isErrorDiagnostic(x) && x.span.start >= d.span.start && x.span.start <= d.span.end)) all.push(d);
    }
    all.sort((a, b) => a.span.start - b.span.start);
    return { runtime: new ScenarioRuntime(program, includes, options), diagnostics: all };
  }

  /**
   * A runtime fed its top-level statements a batch at a time (`appendTopLevel`), for a long file
   * that is not held whole (stream-run.ts). It starts with nothing to run; the caller checked the file.
   */
  static forBatches(uri: string, text: string, lineStarts: number[], options: RuntimeOptions): ScenarioRuntime {
    const program: Program = { uri, text, statements: [], comments: [], diagnostics: [], lineStarts };
    const includes: IncludeGraph = { programs: new Map([[uri, program]]), targets: new Map(), diagnostics: [] };
    return new ScenarioRuntime(program, includes, { snapshotEvery: 0, ...options });
  }

  /**
   * The next top-level statements of a `forBatches` runtime, once every earlier one has run:
   * they replace the finished ones (which can then be collected); their procs become callable.
   */
  appendTopLevel(statements: readonly Stmt[]): void {
    if (this.frames.length !== 1 || !this.done) throw new Error('appendTopLevel: the previous statements have not all run');
    for (const s of statements) if (s.kind === 'proc') this.procs.set(s.name.name, { stmt: s, uri: this.uri });
    this.frames[0] = { ...this.frames[0], body: statements, index: 0 };
    this.settle();
  }

  /** Hands over the results and log entries produced so far and forgets them (a streamed run keeps none). */
  takeOutput(): { results: ExpectationResult[]; log: LogEntry[] } {
    return { results: this.resultList.splice(0), log: this.logList.splice(0) };
  }

  get vm(): VmState {
    return this.vmState;
  }
  get stepCount(): number {
    return this.steps;
  }
  get finished(): boolean {
    return this.done;
  }
  get lastOutcome(): StepOutcome | null {
    return this.outcome;
  }
  get results(): readonly ExpectationResult[] {
    return this.resultList;
  }
  get log(): readonly LogEntry[] {
    return this.logList;
  }
  get depth(): number {
    return this.frames.length;
  }
  /** Whether the last run stopped at the step limit. */
  get stepLimitHit(): boolean {
    return this.limitHit;
  }

  /** The next statement to execute (a pending console statement is not shown here), null at the end. */
  get location(): SourceLocation | null {
    if (this.done) return null;
    const top = this.frames[this.frames.length - 1];
    return this.locationOf(top.body[top.index], top.uri);
  }

  get callStack(): readonly Frame[] {
    const out: Frame[] = [];
    let loc = this.location ?? this.endLocation();
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      out.push({ id: f.id, name: frameName(f), location: loc, kind: f.kind });
      if (f.callSite) loc = this.locationOf(f.callSite, f.callSiteUri);
    }
    return out;
  }

  /** 0-based lines of executable statements in `uri` (default: the scenario itself). */
  statementLines(uri: string = this.uri): number[] {
    const cached = this.lineCache.get(uri);
    if (cached) return [...cached];
    const program = this.includes.programs.get(uri);
    if (!program) return [];
    const lines = new Set<number>();
    const walk = (stmts: readonly Stmt[]): void => {
      for (const s of stmts) {
        if (isExecutable(s)) lines.add(s.span.line);
        if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body);
      }
    };
    walk(program.statements);
    const sorted = [...lines].sort((a, b) => a - b);
    this.lineCache.set(uri, sorted);
    return [...sorted];
  }

  step(): StepOutcome {
    return this.advance(false);
  }

  stepBack(): boolean {
    if (this.steps === 0) return false;
    this.restoreTo(this.steps - 1);
    return true;
  }

  restoreTo(stepCount: number): void {
    const target = Math.max(0, Math.floor(stepCount));
    if (target === this.steps && !this.limitHit) return;
    const snap = this.snapshotAtOrBefore(target);
    // Going forward from here is cheaper than from an older snapshot.
    if (!(target >= this.steps && snap.step <= this.steps)) this.restore(snap);
    while (this.steps < target) {
      if (this.advance(false).kind !== 'executed') break;
    }
  }

  /**
   * Time travel for watches: the latest position `p` with `floor < p < from`
   * where `probe` answers differently than at `p - 1` (so the statement that
   * ran last before `p` changed what it watches) and `accept` agrees, or
   * null. Replays backwards a segment at a time from the snapshots; the
   * runtime is left anywhere in between, so the caller restores a position.
   */
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
        if (this.advance(false).kind !== 'executed') break;
        const now = probe();
        if (now !== prev && accept(prev, now)) found = { position: p, before: prev, after: now };
        prev = now;
      }
      if (found) return found;
      hi = lo;
    }
    return null;
  }

  /** Statements typed in the Debug Console (or Set Value edits) among steps from+1..to, in order: what travelling from `to` back to `from` undoes. */
  consoleStatementsBetween(from: number, to: number): string[] {
    const out: string[] = [];
    for (const [k, text] of this.injectedText) if (k >= from && k < to) out.push(text);
    return out;
  }

  runToEnd(): StepOutcome {
    for (;;) {
      const o = this.advance(false);
      if (o.kind !== 'executed') return o;
    }
  }

  executeText(text: string): OperationResult | { error: string } {
    const { program } = analyzeSafely(text, CONSOLE_URI, undefined, false);
    const errors = program.diagnostics.filter(isErrorDiagnostic);
    if (errors.length > 0) return { error: errors.map((d) => d.message).join('; ') };
    const stmts = program.statements.filter(isExecutable);
    if (stmts.length !== 1) return { error: stmts.length === 0 ? 'no statement to execute' : 'one statement at a time' };
    const stmt = stmts[0];
    if (stmt.kind === 'include') return { error: 'include is not available in the console' };
    // A new statement starts a new history from here: later injections and snapshots no longer hold.
    for (const k of [...this.injections.keys()]) if (k >= this.steps) { this.injections.delete(k); this.injectedText.delete(k); }
    this.snapshots = this.snapshots.filter((s) => s.step <= this.steps);
    this.injections.set(this.steps, stmt);
    this.injectedText.set(this.steps, text.trim());
    const outcome = this.advance(true);
    if (outcome.kind !== 'executed') return { error: outcome.kind === 'step-limit' ? outcome.message : 'the scenario has ended' };
    return outcome.result;
  }

  evaluateExpression(text: string): ExpressionResult {
    return evaluateExpressionText(text, this.scope);
  }

  // ------------------------------------------------------------------ stepping

  private advance(fromConsole: boolean): StepOutcome {
    const injected = this.injections.get(this.steps);
    // At the end nothing runs: lastOutcome stays the last statement's.
    if (!injected && this.done) return END;
    const nested = !injected && this.frames.length > 1;
    if (!fromConsole && nested && this.nestedSteps >= this.maxSteps) {
      this.limitHit = true;
      return (this.outcome = {
        kind: 'step-limit',
        message: `step limit reached: ${this.maxSteps} statements executed in repeat, proc and include bodies without reaching the end (raise it with --max-steps / maxSteps)`,
      });
    }
    this.maybeSnapshot();
    let stmt: Stmt;
    let uri: string;
    if (injected) {
      stmt = injected;
      uri = CONSOLE_URI;
    } else {
      const top = this.frames[this.frames.length - 1];
      stmt = top.body[top.index++];
      uri = top.uri;
    }
    this.steps++;
    if (nested) this.nestedSteps++;
    const outcome = this.execute(stmt, uri);
    this.settle();
    this.outcome = outcome;
    return outcome;
  }

  /** Moves the cursor to the next executable statement: leaves finished frames, loops repeats. */
  private settle(): void {
    for (;;) {
      const top = this.frames[this.frames.length - 1];
      if (top.index >= top.body.length) {
        if (top.kind === 'repeat' && top.iteration + 1 < top.count) {
          top.iteration++;
          top.vars = new Map();
          if (top.variable) top.vars.set(top.variable, BigInt(top.iteration));
          top.index = 0;
          continue;
        }
        if (this.frames.length === 1) {
          this.done = true;
          return;
        }
        this.frames.pop();
        continue;
      }
      if (!isExecutable(top.body[top.index])) {
        top.index++;
        continue;
      }
      this.done = false;
      return;
    }
  }

  private newFrame(
    kind: FrameState['kind'], uri: string, body: readonly Stmt[], vars: Map<string, bigint> | null,
    label: string, callSite: Stmt | null, callSiteUri: string, count = 0, variable: string | null = null,
  ): FrameState {
    return { id: this.nextFrameId++, kind, uri, body, index: 0, vars, label, callSite, callSiteUri, count, iteration: 0, variable };
  }

  private lookup(name: string): bigint | undefined {
    for (let i = this.frames.length - 1; i > 0; i--) {
      const f = this.frames[i];
      const v = f.vars?.get(name);
      if (v !== undefined) return v;
      // A proc sees its own names and the globals, not its caller's.
      if (f.kind === 'proc') break;
    }
    return this.frames[0].vars?.get(name);
  }

  private bind(name: string, value: bigint): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const vars = this.frames[i].vars;
      if (vars) {
        vars.set(name, value);
        return;
      }
    }
  }

  private execute(stmt: Stmt, uri: string): StepOutcome {
    const location = this.locationOf(stmt, uri);
    let result: OperationResult;
    let verdict: Verdict | null = null;
    try {
      switch (stmt.kind) {
        case 'let': {
          const v = evaluate(stmt.value, this.scope);
          this.bind(stmt.name.name, v);
          result = { ok: true, value: v, display: `${stmt.name.name} = ${hex(v)}` };
          break;
        }
        case 'log': {
          const text = this.interpolate(stmt);
          this.logList.push({ step: this.steps, location, text, kind: 'log' });
          result = { ok: true, display: text };
          break;
        }
        case 'call':
          result = this.call(stmt, uri);
          break;
        case 'repeat':
          result = this.repeat(stmt, uri);
          break;
        case 'include': {
          const target = this.includes.targets.get(stmt);
          const program = target ? this.includes.programs.get(target) : undefined;
          if (!target || !program) throw new EvaluationError(`included file '${stmt.path}' was not loaded`);
          if (hasExecutable(program.statements)) {
            this.frames.push(this.newFrame('include', target, program.statements, null, `include ${stmt.path}`, stmt, uri));
          }
          result = { ok: true, display: `include ${stmt.path}` };
          break;
        }
        case 'scenario':
        case 'proc':
          result = { ok: true, display: `${stmt.kind} defined` };
          break;
        case 'error':
          result = runtimeError('this line did not parse');
          verdict = { ok: false, message: 'error: this line did not parse' };
          break;
        default: {
          const executed = executeOperation(stmt as OperationStmt, this.vmState, this.scope);
          result = executed.result;
          verdict = checkExpectation(executed, stmt.expect, this.scope);
        }
      }
    } catch (e) {
      // An operand the statement cannot use, or (a bug) an exception from the model: a failed step, never a crash.
      const message = e instanceof EvaluationError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      result = runtimeError(message);
      verdict = { ok: false, message: `error: ${message}` };
    }
    if (this.verbose && stmt.kind !== 'log' && stmt.kind !== 'scenario' && stmt.kind !== 'proc') {
      const text = result.display.startsWith('-> ') ? result.display.slice(3) : result.display;
      this.logList.push({ step: this.steps, location, text: `=> ${text}`, kind: 'step', ...(result.notes?.length ? { notes: result.notes } : {}) });
    }
    let expectation: ExpectationResult | null = null;
    if (verdict) {
      expectation = {
        uri: location.uri, line: location.line, col: location.col, ok: verdict.ok, message: verdict.message,
        ...(verdict.expected !== undefined ? { expected: verdict.expected } : {}),
        ...(verdict.actual !== undefined ? { actual: verdict.actual } : {}),
        step: this.steps,
      };
      this.resultList.push(expectation);
      const kind: LogEntry['kind'] = verdict.ok ? 'expect-pass' : stmt.expect ? 'expect-fail' : 'error';
      const notes = !verdict.ok && result.notes?.length ? { notes: result.notes } : {};
      this.logList.push({ step: this.steps, location, text: verdict.message, kind, ...notes });
    }
    return { kind: 'executed', stmt, location, result, expectation };
  }

  private call(stmt: Extract<Stmt, { kind: 'call' }>, uri: string): OperationResult {
    const def = this.procs.get(stmt.name.name);
    if (!def) throw new EvaluationError(`no proc named '${stmt.name.name}'`, stmt.name.span);
    const params = def.stmt.params;
    if (params.length !== stmt.args.length) {
      throw new EvaluationError(`${stmt.name.name} takes ${params.length} argument${params.length === 1 ? '' : 's'}, not ${stmt.args.length}`, stmt.span);
    }
    if (this.frames.length >= MAX_CALL_DEPTH) throw new EvaluationError(`call depth ${MAX_CALL_DEPTH} exceeded (runaway recursion?)`, stmt.span);
    const vars = new Map<string, bigint>();
    params.forEach((p, i) => vars.set(p.name, evaluate(stmt.args[i], this.scope)));
    const label = `${stmt.name.name}(${params.map((p) => `${p.name}=${hex(vars.get(p.name)!)}`).join(', ')})`;
    if (hasExecutable(def.stmt.body)) this.frames.push(this.newFrame('proc', def.uri, def.stmt.body, vars, label, stmt, uri));
    return { ok: true, display: `call ${label}` };
  }

  private repeat(stmt: Extract<Stmt, { kind: 'repeat' }>, uri: string): OperationResult {
    const count = evaluate(stmt.count, this.scope);
    if (count < 0n || count > BigInt(Number.MAX_SAFE_INTEGER)) throw new EvaluationError(`repeat count ${count} is out of range`, stmt.count.span);
    const n = Number(count);
    const variable = stmt.variable?.name ?? null;
    // An empty body would loop without ever taking a step: skip it.
    if (n > 0 && hasExecutable(stmt.body)) {
      const vars = new Map<string, bigint>();
      if (variable) vars.set(variable, 0n);
      this.frames.push(this.newFrame('repeat', uri, stmt.body, vars, 'repeat', stmt, uri, n, variable));
    }
    return { ok: true, display: `repeat ${n}` };
  }

  /** A log message with its `{expr}` parts evaluated (numbers in hex, registers decoded). */
  private interpolate(stmt: Extract<Stmt, { kind: 'log' }>): string {
    let out = '';
    for (const part of stmt.parts) {
      if (part.kind === 'text') {
        out += part.text;
        continue;
      }
      const v = evaluateValue(part.expr, this.scope);
      if (typeof v === 'boolean') out += String(v);
      // A PQ field prints as the Variables pane shows it (-Q, not 1).
      else if (typeof v === 'bigint' && part.expr.kind === 'member' && part.expr.member.name === 'pq' && v >= 0n && v <= 3n) out += pqText(v);
      else if (typeof v === 'bigint') out += v >= 0n && v < 10n ? String(v) : hex(v);
      else if (v.word !== null) out += describeWord(v.layout, v.word);
      else out += `{ ${Object.entries(v.fields).map(([k, x]) => `${k} ${hex(x)}`).join(', ')} }`;
    }
    return out;
  }

  private locationOf(stmt: Stmt, uri: string): SourceLocation {
    let loc = this.locations.get(stmt);
    if (!loc) {
      loc = { uri, line: stmt.span.line, col: stmt.span.col, span: stmt.span };
      this.locations.set(stmt, loc);
    }
    return loc;
  }

  private endLocation(): SourceLocation {
    const lines = this.program.lineStarts.length;
    const start = this.program.text.length;
    const line = Math.max(0, lines - 1);
    return { uri: this.uri, line, col: 0, span: { start, end: start, line, col: 0 } };
  }

  // ---------------------------------------------------------------- snapshots

  private takeSnapshot(): Snapshot {
    return {
      step: this.steps,
      vm: snapshotVm(this.vmState),
      frames: this.frames.map(cloneFrame),
      finished: this.done,
      nextFrameId: this.nextFrameId,
      results: this.resultList.length,
      log: this.logList.length,
      lastOutcome: this.outcome,
      nestedSteps: this.nestedSteps,
    };
  }

  private restore(s: Snapshot): void {
    this.vmState = snapshotVm(s.vm);
    this.frames = s.frames.map(cloneFrame);
    this.steps = s.step;
    this.done = s.finished;
    this.nextFrameId = s.nextFrameId;
    this.resultList.length = s.results;
    this.logList.length = s.log;
    this.outcome = s.lastOutcome;
    this.nestedSteps = s.nestedSteps;
    this.limitHit = false;
  }

  private snapshotAtOrBefore(step: number): Snapshot {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid].step <= step) lo = mid;
      else hi = mid - 1;
    }
    return this.snapshots[lo];
  }

  private maybeSnapshot(): void {
    if (this.snapshotEvery <= 0 || this.steps % this.snapshotEvery !== 0) return;
    const before = this.snapshotAtOrBefore(this.steps);
    if (before.step === this.steps) return;
    const started = performance.now();
    const i = this.snapshots.indexOf(before) + 1;
    this.snapshots.splice(i, 0, this.takeSnapshot());
    const now = performance.now();
    // Only the spacing depends on timing, never what a step does: snapshots are invisible to results.
    if (this.adaptiveSpacing && before.step === this.steps - this.snapshotEvery && this.snapshotEvery < MAX_SNAPSHOT_EVERY) {
      const cloneMs = now - started;
      const stepsMs = started - this.lastSnapshotEnd;
      // Cloning may cost as much as running, no more: a step back then replays about one clone's worth of steps.
      if (cloneMs > stepsMs) this.snapshotEvery *= 2;
    }
    this.lastSnapshotEnd = now;
    const limit = Math.max(MIN_SNAPSHOTS, Math.min(MAX_SNAPSHOTS, Math.floor(SNAPSHOT_BUDGET_BYTES / approxBytes(this.vmState))));
    if (this.snapshots.length > limit) {
      // Thin out: double the spacing and keep the snapshots that fall on it (step 0 always).
      this.snapshotEvery *= 2;
      this.snapshots = this.snapshots.filter((s) => s.step % this.snapshotEvery === 0);
    }
  }
}

/**
 * The front end's parse + check. It should never throw; if it does (a bug), the scenario gets an
 * error diagnostic instead of taking the CLI or the debugger down with it.
 */
function analyzeSafely(
  text: string, uri: string, options?: CheckOptions, check = true,
): { program: Program; diagnostics: Diagnostic[] } {
  try {
    if (check) return analyze(text, uri, options);
    const program = parse(text, uri);
    return { program, diagnostics: [...program.diagnostics] };
  } catch (e) {
    const span = { start: 0, end: 0, line: 0, col: 0 };
    const diagnostic: Diagnostic = { span, severity: 'error', code: 'internal-error', message: `internal error in the front end: ${e instanceof Error ? e.message : String(e)}` };
    const program: Program = { uri, text, statements: [], comments: [], diagnostics: [diagnostic], lineStarts: [0] };
    return { program, diagnostics: [diagnostic] };
  }
}

function baseName(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i >= 0 ? uri.slice(i + 1) : uri;
}
