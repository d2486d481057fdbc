/**
 * Execution control, written once for every kind of program (a scenario or a
 * QEMU trace): stepping modes, line / function / data / exception
 * breakpoints, running in slices so pause is heard, step back, reverse
 * continue, goto, and recording where each step started. It speaks in
 * StopInfo and output lines; the DAP session turns those into events.
 */
import { basename } from 'node:path';
import { Evaluate, LineBreakpoints, parseHitCondition, truthy } from '../breakpoints';
import { parseQueueEntryExpression } from '../console';
import { formatNumber, formatWord } from '../format';
import type { HistoryEntry } from '../history';
import { namesMatch } from '../operations';
import { readGuestMemory } from '../../model/views';
import type { OperationResult } from '../../dsl/runtime';
import type { ProgramStep, SteppableProgram } from './program';
import type { LineSet } from './timeline';

/** Steps run between yields to the event loop while continuing, so `pause` is heard. */
const STEPS_PER_SLICE = 2000;
const SLICE_MS = 12;
/** Background work (a trace's index and checkpoints) per turn of the event loop. */
const BACKGROUND_SLICE_MS = 8;

export const EXPECTATION_FAILED_FILTER = 'expectation-failed';
export const OPERATION_ERROR_FILTER = 'operation-error';
export const TRACE_DIVERGENCE_FILTER = 'trace-divergence';

export type RunMode =
  | { readonly kind: 'continue' }
  | { readonly kind: 'next'; readonly depth: number }
  | { readonly kind: 'stepIn' }
  | { readonly kind: 'stepOut'; readonly depth: number };

export interface StopInfo {
  readonly reason: string;
  readonly description?: string;
  readonly text?: string;
  readonly hitBreakpointIds?: number[];
}

export interface ExceptionStop {
  readonly exceptionId: string;
  readonly description: string;
  readonly breakMode: 'never' | 'always' | 'unhandled' | 'userUnhandled';
  readonly details: { message: string; typeName?: string; fullTypeName?: string; stackTrace?: string; evaluateName?: string };
  /** Where the failing step is: the top frame shows it while this stop lasts. */
  readonly uri: string;
  readonly line: number;
  readonly col: number;
  /** The top frame's name while this stop lasts (a trace names the diverging event). */
  readonly frameName?: string;
}

export interface FunctionBreakpoint {
  readonly name: string;
  readonly condition?: string;
  readonly hitCondition?: string;
  hits: number;
  readonly id: number;
}

export interface DataBreakpoint {
  readonly dataId: string;
  readonly condition?: string;
  readonly hitCondition?: string;
  hits: number;
  last: string | null;
}

/** What the controller tells its view. */
export interface ExecutionEvents {
  stopped(info: StopInfo): void;
  output(text: string, category: 'console' | 'stdout' | 'stderr', at?: { readonly uri: string; readonly line: number }): void;
  terminated(): void;
}

export interface ExecutionOptions {
  /** Whether numbers in stop messages are hexadecimal (the session's toggle). */
  readonly hex: () => boolean;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ExecutionController {
  private current: SteppableProgram | null = null;
  readonly lineBreakpoints = new LineBreakpoints();
  functionBreakpoints: FunctionBreakpoint[] = [];
  dataBreakpoints: DataBreakpoint[] = [];
  exceptionFilters = new Set<string>();
  noDebug = false;
  private isRunning = false;
  private pauseRequested = false;
  private stoppedOn: ExceptionStop | null = null;
  private logIndex = 0;
  private finishedReported = false;
  /** Generation of the current run: a restart or disconnect stops a continue loop of an older one. */
  private runGeneration = 0;

  constructor(private readonly events: ExecutionEvents, private readonly options: ExecutionOptions) {}

  get program(): SteppableProgram | null {
    return this.current;
  }
  get running(): boolean {
    return this.isRunning;
  }
  get exceptionStop(): ExceptionStop | null {
    return this.stoppedOn;
  }

  // ------------------------------------------------------------------ lifecycle

  /** A new program (launch or restart): history, log and exception state start over. */
  load(program: SteppableProgram): void {
    this.current = program;
    program.timeline.clear();
    this.logIndex = 0;
    this.finishedReported = false;
    this.stoppedOn = null;
    this.runGeneration++;
    this.recordPosition();
    this.scheduleBackground(program, this.runGeneration);
  }

  /** A trace indexes itself and leaves checkpoints ahead while the user looks; a few ms at a time, so requests are heard. */
  private scheduleBackground(program: SteppableProgram, generation: number): void {
    if (!program.backgroundWork) return;
    const tick = (): void => {
      if (generation !== this.runGeneration || this.current !== program) return;
      let more = false;
      try {
        more = program.backgroundWork!(BACKGROUND_SLICE_MS);
      } catch (e) {
        this.events.output(`internal error while indexing: ${message(e)}\n`, 'stderr');
      }
      if (more) setImmediate(tick);
    };
    setImmediate(tick);
  }

  /** After a restart: breakpoints keep their place, their hit counts and watched values start over. */
  restarted(): void {
    this.isRunning = false;
    this.lineBreakpoints.resetHits();
    for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
  }

  /** Terminate or disconnect: any continue loop stops at its next slice. */
  halt(): void {
    this.runGeneration++;
    this.isRunning = false;
  }

  start(stopOnEntry: boolean): void {
    if (!this.noDebug && stopOnEntry) this.stopWith({ reason: 'entry' });
    else void this.runForward({ kind: 'continue' }, true);
  }

  // ------------------------------------------------------------------ evaluation

  /** Register expressions (and `eq(S,P).entries[I]`) on the current state. */
  evaluator(): Evaluate {
    const program = this.current!;
    return (text) => {
      const entry = parseQueueEntryExpression(text);
      if (entry) {
        const r = this.queueEntry(entry.server, entry.priority, entry.index);
        return 'error' in r ? { ok: false, error: r.error } : { ok: true, value: r.word, display: formatWord('xive-eq-entry', r.word) };
      }
      const r = program.evaluateExpression(text);
      if (!r.ok) return r;
      return { ok: true, value: r.value, display: typeof r.value === 'boolean' ? String(r.value) : formatNumber(r.value, { hex: this.options.hex() }) };
    };
  }

  private queueEntry(server: number, priority: number, index: number): { word: bigint } | { error: string } {
    const vm = this.current!.vm;
    const q = vm.vcpus.map((v) => v.vp).find((vp) => vp && vp.server === server)?.queues[priority];
    if (!q || q.mode !== 'enqueue') return { error: `server ${server} has no priority-${priority} queue page` };
    const size = 1 << (q.qshift - 2);
    if (index >= size) return { error: `entry ${index} is beyond the queue's ${size} entries` };
    const b = readGuestMemory(vm, BigInt(q.qaddr) + BigInt(index * 4), 4);
    return { word: BigInt(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) };
  }

  /** A data breakpoint's current value as text (also tells a missing register apart from a value). */
  dataValue(expression: string): string | null {
    if (!this.current) return null;
    const r = this.current.evaluateExpression(expression);
    return r.ok ? String(r.value) : null;
  }

  // ------------------------------------------------------------------ running forwards

  /** What a continue / next / step in / step out request does: an error, the end of the session, or a run started. */
  resume(mode: RunMode): { error: string } | 'terminated' | 'running' {
    if (this.isRunning) return { error: `the ${this.current!.kind} is already running (pause first)` };
    // At the end, moving forward ends the session; step back and goto still work before that.
    if (this.current!.finished) return 'terminated';
    void this.runForward(mode, false);
    return 'running';
  }

  pause(): void {
    if (this.isRunning) this.pauseRequested = true;
  }

  /** Runs until the mode is satisfied or something stops it, yielding between slices. */
  async runForward(mode: RunMode, checkFirst: boolean): Promise<void> {
    const program = this.current;
    if (!program) return;
    const generation = this.runGeneration;
    this.isRunning = true;
    this.pauseRequested = false;
    this.stoppedOn = null;
    try {
      await this.runLoop(program, mode, checkFirst, generation);
    } catch (e) {
      // The runtime promises never to throw; if it does, the user sees why and the session lives on.
      this.events.output(`internal error while running: ${message(e)}\n`, 'stderr');
      if (generation === this.runGeneration) this.stopWith({ reason: 'exception', description: 'internal error', text: message(e) });
    }
  }

  private async runLoop(program: SteppableProgram, mode: RunMode, checkFirst: boolean, generation: number): Promise<void> {
    const noDebug = this.noDebug;
    let first = !checkFirst;
    let sliceStart = Date.now();
    let inSlice = 0;
    try {
      for (;;) {
        if (generation !== this.runGeneration) return;
        if (!first && !noDebug && mode.kind !== 'stepIn') {
          const stop = this.breakpointBefore();
          if (stop) return this.stopWith(stop);
        }
        first = false;
        if (program.finished) return this.reachEnd();
        const outcome = this.stepRecorded(program);
        this.flushLog();
        if (outcome.kind === 'end') return this.reachEnd();
        if (outcome.kind === 'step-limit') {
          this.events.output(`${outcome.message}\n`, 'stderr');
          return this.stopWith({ reason: 'step', description: outcome.message, text: outcome.message });
        }
        if (!noDebug) {
          const stop = this.afterStep(outcome);
          if (stop) return this.stopWith(stop);
        }
        if (mode.kind === 'stepIn') return this.stopWith({ reason: 'step' });
        if (mode.kind === 'next' && program.depth <= mode.depth) return this.stopWith({ reason: 'step' });
        if (mode.kind === 'stepOut' && program.depth < mode.depth) return this.stopWith({ reason: 'step' });
        if (++inSlice >= STEPS_PER_SLICE || Date.now() - sliceStart >= SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          if (generation !== this.runGeneration) return;
          if (this.pauseRequested) return this.stopWith({ reason: 'pause' });
          inSlice = 0;
          sliceStart = Date.now();
        }
      }
    } finally {
      if (generation === this.runGeneration) this.isRunning = false;
    }
  }

  /** Breakpoints that stop before the next step runs: line (with conditions, hit counts, logpoints) and function. */
  private breakpointBefore(): StopInfo | null {
    if (this.lineBreakpoints.isEmpty() && this.functionBreakpoints.length === 0) return null;
    const program = this.current!;
    const loc = program.location;
    if (!loc) return null;
    const evaluate = this.evaluator();
    const decision = this.lineBreakpoints.reach(loc.uri, loc.line, evaluate);
    if (decision.kind === 'log') {
      this.events.output(`${decision.text}\n`, 'console');
    } else if (decision.kind === 'stop') {
      return { reason: 'breakpoint', description: decision.description, text: decision.description, hitBreakpointIds: [decision.breakpoint.id] };
    }
    if (this.functionBreakpoints.length > 0) {
      const names = program.operationNamesAt(loc.uri, this.keyOf(program));
      if (names.length > 0) {
        for (const fb of this.functionBreakpoints) {
          if (!namesMatch(names, fb.name)) continue;
          if (fb.condition) {
            const r = evaluate(fb.condition);
            if (r.ok && !truthy(r.value)) continue;
          }
          fb.hits++;
          if (fb.hitCondition) {
            const h = parseHitCondition(fb.hitCondition);
            if (h.ok && !h.test(fb.hits)) continue;
          }
          return { reason: 'function breakpoint', description: `before ${fb.name}`, hitBreakpointIds: [fb.id] };
        }
      }
    }
    return null;
  }

  /** The key of the next step (its timeline entry's), for function breakpoints. */
  private keyOf(program: SteppableProgram): number {
    if (program.kind === 'trace') return program.stepCount;
    return program.location?.span.start ?? -1;
  }

  /** Exceptions and data breakpoints, checked after a step ran. */
  private afterStep(outcome: Extract<ProgramStep, { kind: 'executed' }>): StopInfo | null {
    const divergence = outcome.divergence;
    if (divergence && this.exceptionFilters.has(TRACE_DIVERGENCE_FILTER)) {
      const loc = outcome.location;
      const parts = [`Model disagrees with the trace: ${divergence.message}`, `QEMU: ${divergence.qemu}`, `model: ${divergence.model}`];
      if (divergence.reason) parts.push(`reason: ${divergence.reason}`);
      this.stoppedOn = {
        exceptionId: TRACE_DIVERGENCE_FILTER,
        description: parts.join(' — '),
        breakMode: 'always',
        details: { message: parts.join('\n'), typeName: 'divergence', fullTypeName: divergence.reason, stackTrace: `${loc.uri}:${loc.line + 1}:${loc.col + 1}` },
        uri: loc.uri,
        line: loc.line,
        col: loc.col,
        frameName: divergence.event,
      };
      return { reason: 'exception', description: parts[0], text: parts.join('\n') };
    }
    const e = outcome.expectation;
    const r = outcome.result;
    const failedExpectation = !divergence && e !== null && !e.ok;
    if ((failedExpectation && this.exceptionFilters.has(EXPECTATION_FAILED_FILTER)) || (!r.ok && this.exceptionFilters.has(OPERATION_ERROR_FILTER))) {
      const loc = outcome.location;
      const where = `${loc.uri}:${loc.line + 1}:${loc.col + 1}`;
      const id = failedExpectation ? EXPECTATION_FAILED_FILTER : (r.errno ?? r.hret ?? OPERATION_ERROR_FILTER);
      const parts = [failedExpectation ? `Expectation failed: ${e.message}` : `Operation returned ${r.errno ?? r.hret}`];
      if (r.errno || r.hret) parts.push(`${r.errno ?? r.hret}${r.reason ? `: ${r.reason}` : ''}`);
      if (e?.expected !== undefined) parts.push(`expected ${e.expected}`);
      if (e?.actual !== undefined) parts.push(`actual ${e.actual}`);
      this.stoppedOn = {
        exceptionId: id,
        description: parts.join(' — '),
        breakMode: failedExpectation ? 'always' : 'unhandled',
        details: { message: parts.join('\n'), typeName: r.errno ?? r.hret ?? 'expectation', fullTypeName: r.reason, stackTrace: where, evaluateName: undefined },
        uri: loc.uri,
        line: loc.line,
        col: loc.col,
      };
      return { reason: 'exception', description: parts[0], text: parts.join('\n') };
    }
    for (const d of this.dataBreakpoints) {
      const now = this.dataValue(d.dataId);
      if (now === d.last) continue;
      const before = d.last;
      d.last = now;
      if (d.condition) {
        const c = this.current!.evaluateExpression(d.condition);
        if (c.ok && !truthy(c.value)) continue;
      }
      d.hits++;
      if (d.hitCondition) {
        const h = parseHitCondition(d.hitCondition);
        if (h.ok && !h.test(d.hits)) continue;
      }
      return this.dataStop(d, before, now);
    }
    return null;
  }

  private dataStop(d: DataBreakpoint, before: string | null, now: string | null): StopInfo {
    const fmt = (v: string | null): string => (v === null ? 'gone' : /^\d+$/.test(v) ? formatNumber(BigInt(v), { hex: this.options.hex() }) : v);
    const text = `${d.dataId} changed: ${fmt(before)} → ${fmt(now)}`;
    return { reason: 'data breakpoint', description: text, text };
  }

  private reachEnd(): void {
    const program = this.current!;
    const { passed, failed } = program.checkCounts();
    const experiments = program.experimentCounts?.();
    const summary = (program.kind === 'trace' ? `${passed} checks agree, ${failed} diverge` : `${passed} passed, ${failed} failed`) +
      (experiments && experiments.passed + experiments.failed > 0 ? `; experiments (Debug Console, Set Value): ${experimentsText(experiments)}` : '');
    if (!this.finishedReported) {
      this.finishedReported = true;
      this.events.output(`${basename(program.uri)}: ${summary}\n`, failed ? 'stderr' : 'console');
    }
    if (this.noDebug) {
      this.events.terminated();
      return;
    }
    // Stay stopped at the end so the user can still step back; moving forward then ends the session.
    const noun = program.kind === 'trace' ? 'Trace' : 'Scenario';
    this.stopWith({ reason: 'end', description: `${noun} finished: ${summary}`, text: `${noun} finished: ${summary} — step back, restart, or continue to end the session` });
  }

  stopWith(info: StopInfo): void {
    this.isRunning = false;
    // Where we stand now is history too (time travel and console statements start from it).
    if (this.current) this.recordPosition();
    for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
    this.events.stopped(info);
  }

  /**
   * One step forward, recording where it started from the outcome (the
   * runtime computed that location anyway; asking for `location` on every
   * step of a long run costs more than the step).
   */
  private stepRecorded(program: SteppableProgram): ProgramStep {
    const step = program.stepCount;
    const depth = program.depth;
    const outcome = program.step();
    const timeline = program.timeline;
    if (outcome.kind === 'executed') {
      const loc = outcome.location;
      timeline.record(step, { uri: loc.uri, line: loc.line, offset: program.kind === 'trace' ? step : loc.span.start, depth });
    }
    if (program.finished) timeline.record(program.stepCount, null);
    return outcome;
  }

  /** What the history needs about the current position (before the next step). */
  private recordPosition(): void {
    const program = this.current!;
    const loc = program.location;
    const entry: HistoryEntry | null = loc ? { uri: loc.uri, line: loc.line, offset: this.keyOf(program), depth: program.depth } : null;
    program.timeline.record(program.stepCount, entry);
  }

  /** New log lines (logs, failed checks) as output. */
  flushLog(): void {
    const log = this.current!.log;
    if (this.logIndex > log.length) this.logIndex = log.length;
    for (; this.logIndex < log.length; this.logIndex++) {
      const l = log[this.logIndex];
      if (l.kind === 'expect-pass') continue;
      const notes = (l.notes ?? []).map((n) => `  note: ${n}\n`).join('');
      this.events.output(`${l.text}\n${notes}`, l.kind === 'log' ? 'stdout' : l.kind === 'step' ? 'console' : 'stderr', { uri: l.location.uri, line: l.location.line });
    }
  }

  /** A console or setVariable statement: a recorded step, so the history's future from here is a new one. */
  executeRecorded(statement: string): OperationResult | { error: string } {
    const program = this.current!;
    const before = program.stepCount;
    this.recordPosition();
    const result = program.executeText(statement);
    if (!('error' in result)) {
      program.timeline.truncateAfter(before);
      this.recordPosition();
      this.flushLog();
      for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
    }
    return result;
  }

  // ------------------------------------------------------------------ time travel

  /** The mirror of step over. */
  stepBack(): StopInfo | { error: string } {
    if (this.isRunning) return { error: `the ${this.current!.kind} is running (pause first)` };
    const program = this.current!;
    if (program.stepCount === 0) return { reason: 'entry', description: 'already at the first statement' };
    const depth = program.depth;
    const before = program.stepCount;
    const timeline = program.timeline;
    const target = depth <= 1 && program.kind === 'trace'
      ? program.stepCount - 1
      : timeline.searchBack(program.stepCount, null, (e) => e.depth <= depth);
    if (target === undefined) {
      if (!program.stepBack()) return { error: 'cannot step back from here' };
    } else {
      program.restoreTo(target);
    }
    // A console statement leaves the frame on its line: say what the step back undid.
    for (const undone of program.consoleStatementsBetween?.(program.stepCount, before) ?? []) {
      this.events.output(`step back undid a Debug Console statement: ${undone}\n`, 'console');
    }
    this.afterTravel();
    return { reason: 'step' };
  }

  /**
   * Backwards to the previous line or function breakpoint whose condition
   * holds there, or to just after the last step that changed a watched value,
   * whichever is nearer; else to the start.
   */
  reverseContinue(): StopInfo | { error: string } {
    if (this.isRunning) return { error: `the ${this.current!.kind} is running (pause first)` };
    const program = this.current!;
    const timeline = program.timeline;
    const evaluate = this.evaluator();
    let found: { step: number; stop: StopInfo } | null = null;
    const start = program.stepCount;
    let from = start;
    const lines: LineSet | null = this.lineBreakpoints.isEmpty() ? null : (uri) => this.lineBreakpoints.lines(uri);
    const functions = this.functionBreakpoints.length > 0 ? (e: HistoryEntry): boolean => this.functionBreakpointMatches(e) : null;
    for (;;) {
      const k = lines || functions ? timeline.searchBack(from, lines, functions) : undefined;
      if (k === undefined) break;
      const e = timeline.at(k)!;
      const bp = this.lineBreakpoints.at(e.uri, e.line);
      let stop: StopInfo | null = null;
      if (bp && bp.logMessage === undefined) {
        if (bp.condition) {
          // Going backwards, a condition is tested on the state the forward run had there; hit counts do not move.
          program.restoreTo(k);
          const r = evaluate(bp.condition);
          if (!r.ok || truthy(r.value)) stop = { reason: 'breakpoint', hitBreakpointIds: [bp.id] };
        } else {
          stop = { reason: 'breakpoint', hitBreakpointIds: [bp.id] };
        }
      }
      if (!stop && this.functionBreakpointMatches(e)) stop = { reason: 'function breakpoint' };
      if (stop) {
        found = { step: k, stop };
        break;
      }
      from = k;
    }
    // A watched value that changed after the breakpoint found (or since the start) stops first.
    found = this.lastDataChange(program, start, found ? found.step : 0) ?? found;
    program.restoreTo(found ? found.step : 0);
    this.afterTravel();
    return found ? found.stop : { reason: 'entry', description: 'no breakpoint before this point: back at the start' };
  }

  private functionBreakpointMatches(e: HistoryEntry): boolean {
    if (this.functionBreakpoints.length === 0) return false;
    const names = this.current!.operationNamesAt(e.uri, e.offset);
    return names.length > 0 && this.functionBreakpoints.some((fb) => namesMatch(names, fb.name));
  }

  /**
   * Reverse continue and data breakpoints: the latest step before `from` and
   * after `floor` whose step changed a watched value (and whose condition,
   * tested there, holds), as a stop. Hit counts do not move backwards.
   */
  private lastDataChange(program: SteppableProgram, from: number, floor: number): { step: number; stop: StopInfo } | null {
    const watched = this.dataBreakpoints;
    if (watched.length === 0) return null;
    const values = (): string => JSON.stringify(watched.map((d) => this.dataValue(d.dataId)));
    const changed = (before: string, after: string): { d: DataBreakpoint; before: string | null; now: string | null } | null => {
      const b = JSON.parse(before) as (string | null)[];
      const a = JSON.parse(after) as (string | null)[];
      for (let i = 0; i < watched.length; i++) {
        if (a[i] === b[i]) continue;
        const condition = watched[i].condition;
        if (condition) {
          const c = program.evaluateExpression(condition);
          if (c.ok && !truthy(c.value)) continue;
        }
        return { d: watched[i], before: b[i], now: a[i] };
      }
      return null;
    };
    // Conditions are tested where the change happened, during the search: the last accepted change is the one found.
    let which = null as ReturnType<typeof changed>;
    const change = program.lastChangeBefore(from, floor, values, (before, after) => {
      const c = changed(before, after);
      if (c) which = c;
      return c !== null;
    });
    if (!change || !which) return null;
    return { step: change.position, stop: this.dataStop(which.d, which.before, which.now) };
  }

  /**
   * Travels to the nearest step at this line, backwards or forwards (running
   * forwards, without breakpoints, when the program has not been there yet).
   * `never` is the error text when it never gets there.
   */
  goto(uri: string, line: number, never: string): StopInfo | { error: string } {
    if (this.isRunning) return { error: `the ${this.current!.kind} is running (pause first)` };
    const program = this.current!;
    const timeline = program.timeline;
    const start = program.stepCount;
    let k = timeline.nearest(start, uri, line);
    if (k === undefined) {
      program.restoreTo(Math.max(start, timeline.length - 1));
      while (!program.finished) {
        const loc = program.location;
        if (loc && loc.uri === uri && loc.line === line) {
          this.recordPosition();
          break;
        }
        const o = this.stepRecorded(program);
        if (o.kind !== 'executed') break;
      }
      k = timeline.nearest(start, uri, line);
      if (k === undefined) {
        program.restoreTo(start);
        return { error: never };
      }
    }
    program.restoreTo(k);
    this.afterTravel();
    return { reason: 'goto' };
  }

  private afterTravel(): void {
    this.stoppedOn = null;
    this.finishedReported = this.current!.finished && this.finishedReported;
    const log = this.current!.log;
    if (this.logIndex > log.length) this.logIndex = log.length;
  }
}

function experimentsText(c: { passed: number; failed: number }): string {
  const parts: string[] = [];
  if (c.passed > 0) parts.push(`${c.passed} passed`);
  if (c.failed > 0) parts.push(`${c.failed} failed`);
  return parts.join(', ');
}
