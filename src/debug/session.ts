/**
 * The `irq` debug adapter: a thin translation between DAP and the scenario
 * runtime (src/dsl/runtime) plus the model's read-only views. The runtime
 * knows nothing of DAP; everything DAP-shaped happens here or in the small
 * helpers next to this file (breakpoints, history, variables tree, console).
 */
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import {
  Breakpoint, BreakpointEvent, InitializedEvent, InvalidatedEvent, Logger, logger, LoggingDebugSession, OutputEvent, Scope, Source,
  StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Stmt } from '../dsl/ast';
import { parse, wordSites } from '../dsl';
import { CONSOLE_URI, ScenarioRuntime } from '../dsl/runtime';
import type { OperationResult, StepOutcome } from '../dsl/runtime';
import type { LayoutName } from '../model/layouts/table';
import { readGuestMemory } from '../model/views';
import { INTERRUPT_MAP_REQUEST, InterruptMapArguments, TOGGLE_HEX_REQUEST, ToggleHexResponseBody } from '../protocol';
import { Evaluate, LineBreakpoints, parseHitCondition, truthy } from './breakpoints';
import { classifyConsoleInput, consoleCompletions, decodeText, parseQueueEntryExpression, registerLayout } from './console';
import { formatNumber, formatWord, parseNumberLiteral } from './format';
import { HistoryEntry, StepHistory } from './history';
import { escapeExcerpt } from '../edge/escape-text';
import { includeReader, IncludeReader } from '../edge/include-reader';
import { readTextFileBounded } from '../edge/read-text-file';
import { checkRequestEnvelope, withDefaultPathFormat } from './envelope';
import { FRAMING_FATAL_EVENT, readDapFrames } from './framing';
import { buildInterruptMap, configurationLines } from './interrupt-map';
import { explainTarget, scenarioHistory } from '../dsl/runtime/explain-at';
import { renderExplanation } from '../model/explain';
import { IrqLaunchArguments, validateLaunchArguments, ValidLaunch } from './launch-arguments';
import { readMemory } from './memory';
import { matchesOperation, statementsByOffset } from './operations';
import { VariableReferences } from './references';
import { sessionSummary } from './session-summary';
import { childrenOf, constantWordPath, findChild, LastOperationInfo, scopeRoots, TreeContext, VariableNode, wordToWrite } from './variables-tree';

const THREAD_ID = 1;
/** Steps run between yields to the event loop while continuing, so `pause` is heard. */
const STEPS_PER_SLICE = 2000;
const SLICE_MS = 12;

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'expectation-failed', label: 'Expectation failed', description: 'Stop after a statement whose `->` expectation does not hold', default: true },
  { filter: 'operation-error', label: 'Operation returned an error', description: 'Stop after any operation that returns an errno or an H_* other than H_SUCCESS', default: false },
];

export interface IrqDebugSessionOptions {
  /** Reads a scenario (or an included file) by path; undefined when it cannot be read. */
  readonly readFile?: (path: string) => string | undefined;
}

type RunMode =
  | { readonly kind: 'continue' }
  | { readonly kind: 'next'; readonly depth: number }
  | { readonly kind: 'stepIn' }
  | { readonly kind: 'stepOut'; readonly depth: number };

interface StopInfo {
  readonly reason: string;
  readonly description?: string;
  readonly text?: string;
  readonly hitBreakpointIds?: number[];
}

interface ExceptionStop {
  readonly exceptionId: string;
  readonly description: string;
  readonly breakMode: DebugProtocol.ExceptionBreakMode;
  readonly details: DebugProtocol.ExceptionDetails;
  /** Where the failing statement is: the top frame shows it while this stop lasts. */
  readonly uri: string;
  readonly line: number;
  readonly col: number;
}

interface DataBreakpoint {
  readonly dataId: string;
  readonly condition?: string;
  readonly hitCondition?: string;
  hits: number;
  last: string | null;
}

/** Requests that need no launched scenario. */
const NO_RUNTIME_NEEDED = new Set(['initialize', 'launch', 'attach', 'disconnect', 'terminate', 'threads', 'setExceptionBreakpoints', 'configurationDone', 'setBreakpoints', 'setFunctionBreakpoints', 'setDataBreakpoints', TOGGLE_HEX_REQUEST]);

/** Scenarios and includes are read bounded, like every door does (src/edge/read-text-file). */
function defaultReadFile(path: string): string | undefined {
  const r = readTextFileBounded(path);
  return r.ok ? r.text : undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class IrqDebugSession extends LoggingDebugSession {
  private readonly readFile: (path: string) => string | undefined;
  /** The files of the current launch, read once each (see createRuntime). */
  private sourceFiles: IncludeReader | null = null;
  private runtime: ScenarioRuntime | null = null;
  private launch: ValidLaunch | null = null;
  private readonly refs = new VariableReferences();
  private readonly lineBreakpoints = new LineBreakpoints();
  private functionBreakpoints: { name: string; condition?: string; hitCondition?: string; hits: number; id: number }[] = [];
  private dataBreakpoints: DataBreakpoint[] = [];
  private exceptionFilters = new Set(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  private readonly history = new StepHistory();
  private statementIndex = new Map<string, Map<number, Stmt>>();
  private hex = true;
  private running = false;
  private pauseRequested = false;
  private exceptionStop: ExceptionStop | null = null;
  private logIndex = 0;
  private finishedReported = false;
  private configurationDone: Promise<void>;
  private resolveConfigurationDone: () => void = () => undefined;
  private gotoTargets = new Map<number, { uri: string; line: number }>();
  /** Where each constant-numbered source is configured in the program text (for the interrupt map). */
  private configuredAt: Map<number, number> | null = null;
  private nextBreakpointId = 100_000;
  /** Generation of the current run: a restart or disconnect stops a continue loop of an older one. */
  private runGeneration = 0;

  constructor(options: IrqDebugSessionOptions = {}) {
    super();
    this.readFile = options.readFile ?? defaultReadFile;
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configurationDone = new Promise((r) => (this.resolveConfigurationDone = r));
  }

  // ------------------------------------------------------------------ dispatch and robustness

  /**
   * Reads the client's bytes with our own framing (src/debug/framing.ts) instead of the library's,
   * which stays deaf after one bad header; the rest of the library (responses, events) is kept.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(new PassThrough(), outStream);
    readDapFrames(inStream, {
      message: (m) => {
        if (m.type === 'request' || m.type === 'response') this.handleMessage(m as unknown as DebugProtocol.ProtocolMessage);
        else process.stderr.write(`irqlab dap: a message of type ${escapeExcerpt(JSON.stringify(m.type) ?? 'none', 40)} was ignored (a client sends requests and responses): ${escapeExcerpt(JSON.stringify(m))}\n`);
      },
      problem: (text) => process.stderr.write(`irqlab dap: ${text}\n`),
      fatal: (text) => {
        process.stderr.write(`irqlab dap: ${text}\n`);
        this.emit(FRAMING_FATAL_EVENT, text);
        // Hang up, so a client on a socket learns it too (`irqlab dap` also exits).
        (inStream as Partial<Readable>).destroy?.();
      },
    }, () => this.emit('close'));
  }

  /** Every request goes through here: unknown or premature requests get an error response, never a crash. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const envelope = checkRequestEnvelope(request);
    if (envelope) {
      this.sendErrorResponse(envelope.response, 1014, envelope.message.replace(/[{}]/g, ''));
      return;
    }
    if (request.command === 'initialize') request = withDefaultPathFormat(request);
    if (!NO_RUNTIME_NEEDED.has(request.command) && !this.runtime && request.command !== 'initialize') {
      const response: DebugProtocol.Response = { type: 'response', seq: 0, request_seq: request.seq, command: request.command, success: false };
      this.sendErrorResponse(response, 2001, `'${request.command}' needs a launched scenario (send 'launch' first)`);
      return;
    }
    try {
      super.dispatchRequest(request);
    } catch (e) {
      const response: DebugProtocol.Response = { type: 'response', seq: 0, request_seq: request.seq, command: request.command, success: false };
      this.sendErrorResponse(response, 2000, `internal error in '${request.command}': ${message(e)}`);
    }
  }

  private fail(response: DebugProtocol.Response, text: string, id = 2002): void {
    this.sendErrorResponse(response, { id, format: text.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: false });
  }

  /** Runs an async handler; an exception becomes an error response. */
  private guard(response: DebugProtocol.Response, body: () => void | Promise<void>): void {
    Promise.resolve()
      .then(body)
      .catch((e: unknown) => this.fail(response, `internal error in '${response.command}': ${message(e)}`, 2000));
  }

  // ------------------------------------------------------------------ initialize / launch

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, _args: DebugProtocol.InitializeRequestArguments): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsGotoTargetsRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsExceptionInfoRequest: true,
      supportsDataBreakpoints: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '(', ' '],
      supportsReadMemoryRequest: true,
      supportsValueFormattingOptions: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsSteppingGranularity: false,
      supportsDelayedStackTraceLoading: true,
      supportsInvalidatedEvent: true,
    } as DebugProtocol.Capabilities;
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.resolveConfigurationDone();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: IrqLaunchArguments): void {
    this.guard(response, async () => {
      if (this.runtime) return this.fail(response, 'this session already runs a scenario (use restart)');
      const valid = validateLaunchArguments(args);
      if (typeof valid === 'string') return this.fail(response, valid);
      this.launch = valid;
      this.hex = valid.hex;
      logger.setup(valid.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
      const created = this.createRuntime(valid);
      if (typeof created === 'string') return this.fail(response, created, 2010);
      this.sendEvent(new InitializedEvent());
      // Breakpoints arrive between `initialized` and `configurationDone`; do not run before them.
      await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
      this.sendResponse(response);
      this.startRun(valid);
    });
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse): void {
    this.fail(response, "debug type 'irq' only launches scenarios (no attach)");
  }

  /** Reads the program and builds a runtime; a string is what to tell the user. */
  private createRuntime(launch: ValidLaunch): string | null {
    const path = resolvePath(launch.program);
    // The default reader says why a file is refused (its size, a device); an injected one may not.
    const files = this.sourceFiles = includeReader((p) => {
      if (this.readFile === defaultReadFile) return readTextFileBounded(p);
      const text = this.readFile(p);
      return text === undefined ? { ok: false, message: `cannot read '${p}'` } : { ok: true, text };
    });
    const text = files.readFile(path);
    if (text === undefined) return files.explain(`cannot read program '${launch.program}' (${path})`);
    const { runtime, diagnostics } = ScenarioRuntime.create(path, text, {
      maxSteps: launch.maxSteps,
      readFile: files.readFile,
      resolveInclude: (from, p) => resolvePath(dirname(from), p),
    });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const lines = errors.slice(0, 20).map((d) => `${path}:${d.span.line + 1}:${d.span.col + 1}: ${files.explain(d.message)}`);
      if (errors.length > 20) lines.push(`… and ${errors.length - 20} more`);
      return `${basename(path)} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
    }
    this.runtime = runtime;
    this.configuredAt = null;
    this.history.clear();
    this.statementIndex = new Map([[runtime.uri, statementsByOffset(runtime.program)]]);
    this.logIndex = 0;
    this.finishedReported = false;
    this.exceptionStop = null;
    this.runGeneration++;
    this.recordPosition();
    this.reverifyBreakpoints();
    return null;
  }

  private startRun(launch: ValidLaunch): void {
    if (launch.noDebug) {
      void this.runForward({ kind: 'continue' }, true);
    } else if (launch.stopOnEntry) {
      this.stopWith({ reason: 'entry' });
    } else {
      void this.runForward({ kind: 'continue' }, true);
    }
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.guard(response, () => {
      const launch = args?.arguments ? validateLaunchArguments(args.arguments) : this.launch;
      if (!launch) return this.fail(response, 'nothing to restart: no scenario was launched');
      if (typeof launch === 'string') return this.fail(response, launch);
      const previous = this.runtime;
      this.runtime = null;
      const created = this.createRuntime(launch);
      if (typeof created === 'string') {
        this.runtime = previous;
        return this.fail(response, created, 2010);
      }
      this.launch = launch;
      this.running = false;
      this.lineBreakpoints.resetHits();
      for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['all']));
      this.startRun(launch);
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runGeneration++;
    this.running = false;
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.runGeneration++;
    this.running = false;
    super.disconnectRequest(response, args, request);
  }

  // ------------------------------------------------------------------ breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args?.source?.path;
    if (typeof path !== 'string') return this.fail(response, "setBreakpoints needs 'source.path'");
    const uri = resolvePath(path);
    const requested: DebugProtocol.SourceBreakpoint[] = Array.isArray(args.breakpoints)
      ? args.breakpoints
      : Array.isArray(args.lines) ? args.lines.map((line) => ({ line })) : [];
    const bad = requested.find((b) => typeof b?.line !== 'number' || !Number.isInteger(b.line) || b.line < 1);
    if (bad) return this.fail(response, `breakpoint line ${JSON.stringify(bad?.line)} is not a line number`);
    const set = this.lineBreakpoints.set(
      uri,
      requested.map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage })),
      this.runtime ? this.runtime.statementLines(uri) : [],
    );
    response.body = { breakpoints: set.map((bp) => this.toDapBreakpoint(bp, uri)) };
    this.sendResponse(response);
  }

  private toDapBreakpoint(bp: { id: number; verified: boolean; actualLine: number; message?: string }, uri: string): DebugProtocol.Breakpoint {
    const b = new Breakpoint(bp.verified, this.convertDebuggerLineToClient(bp.actualLine), undefined, new Source(basename(uri), uri)) as DebugProtocol.Breakpoint;
    b.id = bp.id;
    if (bp.message) b.message = bp.message;
    return b;
  }

  /** After launch or restart the statement lines are known: verify breakpoints set before them again. */
  private reverifyBreakpoints(): void {
    if (!this.runtime) return;
    for (const [uri, requests] of this.lineBreakpoints.files()) {
      const lines = this.runtime.statementLines(uri);
      const set = this.lineBreakpoints.set(uri, requests, lines);
      for (const bp of set) this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(bp, uri)));
    }
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
    this.functionBreakpoints = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const fb of list) {
      const name = typeof fb?.name === 'string' ? fb.name.trim() : '';
      const id = this.nextBreakpointId++;
      const hit = fb?.hitCondition ? parseHitCondition(fb.hitCondition) : null;
      if (name === '' || (hit && !hit.ok)) {
        out.push({ id, verified: false, message: name === '' ? 'a function breakpoint needs an operation name (H_EOI, esb, set source_config, tima, …)' : hit && !hit.ok ? hit.error : undefined });
        continue;
      }
      this.functionBreakpoints.push({ name, condition: fb.condition, hitCondition: fb.hitCondition, hits: 0, id });
      out.push({ id, verified: true });
    }
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const known = new Set(EXCEPTION_FILTERS.map((f) => f.filter));
    const filters = Array.isArray(args?.filters) ? args.filters : [];
    const fromOptions = Array.isArray(args?.filterOptions) ? args.filterOptions.map((o) => o?.filterId) : [];
    const all = [...filters, ...fromOptions].filter((f): f is string => typeof f === 'string');
    const unknown = all.filter((f) => !known.has(f));
    if (unknown.length) return this.fail(response, `unknown exception filter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
    this.exceptionFilters = new Set(all);
    response.body = { breakpoints: all.map(() => ({ verified: true })) };
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    let expression: string | undefined;
    if (args?.variablesReference !== undefined && args.variablesReference !== 0) {
      const parent = this.refs.pathOf(args.variablesReference);
      if (parent === undefined) return this.fail(response, `unknown variablesReference ${args.variablesReference}`);
      const node = findChild(this.treeContext(), parent, String(args.name));
      expression = node?.evaluateName;
    } else if (typeof args?.name === 'string') {
      expression = args.name;
    }
    const value = expression ? this.dataValue(expression) : null;
    response.body = value === null || !expression
      ? { dataId: null, description: `${args?.name ?? 'this'} is not a register or field the debugger can watch` }
      : { dataId: expression, description: `${expression} changes (now ${value})`, accessTypes: ['write'], canPersist: true };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
    this.dataBreakpoints = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const d of list) {
      const id = this.nextBreakpointId++;
      const dataId = typeof d?.dataId === 'string' ? d.dataId : '';
      const value = dataId && this.runtime ? this.dataValue(dataId) : null;
      if (dataId === '' || (this.runtime && value === null)) {
        out.push({ id, verified: false, message: `'${dataId}' does not evaluate here` });
        continue;
      }
      this.dataBreakpoints.push({ dataId, condition: d.condition, hitCondition: d.hitCondition, hits: 0, last: value });
      out.push({ id, verified: true, message: `break when ${dataId} changes` });
    }
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  /** A data breakpoint's current value as text (also tells a missing register apart from a value). */
  private dataValue(expression: string): string | null {
    if (!this.runtime) return null;
    const r = this.runtime.evaluateExpression(expression);
    return r.ok ? String(r.value) : null;
  }

  // ------------------------------------------------------------------ running

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.resume(response, { kind: 'continue' });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.resume(response, { kind: 'next', depth: this.runtime!.depth });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.resume(response, { kind: 'stepIn' });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.resume(response, { kind: 'stepOut', depth: this.runtime!.depth });
  }

  private resume(response: DebugProtocol.Response, mode: RunMode): void {
    if (this.running) return this.fail(response, 'the scenario is already running (pause first)');
    const rt = this.runtime!;
    if (rt.finished) {
      // At the end, moving forward ends the session; step back and goto still work before that.
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.sendResponse(response);
    void this.runForward(mode, false);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (this.running) this.pauseRequested = true;
    this.sendResponse(response);
  }

  /** Runs until the mode is satisfied or something stops it, yielding between slices. */
  private async runForward(mode: RunMode, checkFirst: boolean): Promise<void> {
    const rt = this.runtime;
    if (!rt) return;
    const generation = this.runGeneration;
    this.running = true;
    this.pauseRequested = false;
    this.exceptionStop = null;
    try {
      await this.runLoop(rt, mode, checkFirst, generation);
    } catch (e) {
      // The runtime promises never to throw; if it does, the user sees why and the session lives on.
      this.sendEvent(new OutputEvent(`internal error while running: ${message(e)}\n`, 'stderr'));
      if (generation === this.runGeneration) this.stopWith({ reason: 'exception', description: 'internal error', text: message(e) });
    }
  }

  private async runLoop(rt: ScenarioRuntime, mode: RunMode, checkFirst: boolean, generation: number): Promise<void> {
    const noDebug = this.launch?.noDebug ?? false;
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
        if (rt.finished) return this.reachEnd();
        const outcome = this.stepRecorded(rt);
        this.flushLog();
        if (outcome.kind === 'end') return this.reachEnd();
        if (outcome.kind === 'step-limit') {
          this.sendEvent(new OutputEvent(`${outcome.message}\n`, 'stderr'));
          return this.stopWith({ reason: 'step', description: outcome.message, text: outcome.message });
        }
        if (!noDebug) {
          const stop = this.afterStep(outcome);
          if (stop) return this.stopWith(stop);
        }
        if (mode.kind === 'stepIn') return this.stopWith({ reason: 'step' });
        if (mode.kind === 'next' && rt.depth <= mode.depth) return this.stopWith({ reason: 'step' });
        if (mode.kind === 'stepOut' && rt.depth < mode.depth) return this.stopWith({ reason: 'step' });
        if (++inSlice >= STEPS_PER_SLICE || Date.now() - sliceStart >= SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          if (generation !== this.runGeneration) return;
          if (this.pauseRequested) return this.stopWith({ reason: 'pause' });
          inSlice = 0;
          sliceStart = Date.now();
        }
      }
    } finally {
      if (generation === this.runGeneration) this.running = false;
    }
  }

  /** Breakpoints that stop before the next statement runs: line (with conditions, hit counts, logpoints) and function. */
  private breakpointBefore(): StopInfo | null {
    if (this.lineBreakpoints.isEmpty() && this.functionBreakpoints.length === 0) return null;
    const rt = this.runtime!;
    const loc = rt.location;
    if (!loc) return null;
    const evaluate = this.evaluator();
    const decision = this.lineBreakpoints.reach(loc.uri, loc.line, evaluate);
    if (decision.kind === 'log') {
      this.sendEvent(new OutputEvent(`${decision.text}\n`, 'console'));
    } else if (decision.kind === 'stop') {
      return { reason: 'breakpoint', description: decision.description, text: decision.description, hitBreakpointIds: [decision.breakpoint.id] };
    }
    if (this.functionBreakpoints.length > 0) {
      const stmt = this.statementAt(loc.uri, loc.span.start);
      if (stmt) {
        for (const fb of this.functionBreakpoints) {
          if (!matchesOperation(stmt, fb.name)) continue;
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

  /** Exceptions and data breakpoints, checked after a statement ran. */
  private afterStep(outcome: Extract<StepOutcome, { kind: 'executed' }>): StopInfo | null {
    const e = outcome.expectation;
    const r = outcome.result;
    const failedExpectation = e !== null && !e.ok;
    if ((failedExpectation && this.exceptionFilters.has('expectation-failed')) || (!r.ok && this.exceptionFilters.has('operation-error'))) {
      const loc = outcome.location;
      const where = `${loc.uri}:${loc.line + 1}:${loc.col + 1}`;
      const id = failedExpectation ? 'expectation-failed' : (r.errno ?? r.hret ?? 'operation-error');
      const parts = [failedExpectation ? `Expectation failed: ${e.message}` : `Operation returned ${r.errno ?? r.hret}`];
      if (r.errno || r.hret) parts.push(`${r.errno ?? r.hret}${r.reason ? `: ${r.reason}` : ''}`);
      if (e?.expected !== undefined) parts.push(`expected ${e.expected}`);
      if (e?.actual !== undefined) parts.push(`actual ${e.actual}`);
      this.exceptionStop = {
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
        const c = this.runtime!.evaluateExpression(d.condition);
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
    const fmt = (v: string | null): string => (v === null ? 'gone' : /^\d+$/.test(v) ? formatNumber(BigInt(v), { hex: this.hex }) : v);
    const text = `${d.dataId} changed: ${fmt(before)} → ${fmt(now)}`;
    return { reason: 'data breakpoint', description: text, text };
  }

  /**
   * Reverse continue and data breakpoints: the latest step before `from` and
   * after `floor` whose statement changed a watched value (and whose condition,
   * tested there, holds), as a stop. Hit counts do not move backwards.
   */
  private lastDataChange(rt: ScenarioRuntime, from: number, floor: number): { step: number; stop: StopInfo } | null {
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
          const c = rt.evaluateExpression(condition);
          if (c.ok && !truthy(c.value)) continue;
        }
        return { d: watched[i], before: b[i], now: a[i] };
      }
      return null;
    };
    // Conditions are tested where the change happened, during the search: the last accepted change is the one found.
    let which = null as ReturnType<typeof changed>;
    const change = rt.lastChangeBefore(from, floor, values, (before, after) => {
      const c = changed(before, after);
      if (c) which = c;
      return c !== null;
    });
    if (!change || !which) return null;
    return { step: change.position, stop: this.dataStop(which.d, which.before, which.now) };
  }

  private reachEnd(): void {
    const rt = this.runtime!;
    const { text: summary, failed } = sessionSummary(rt.results);
    if (!this.finishedReported) {
      this.finishedReported = true;
      this.sendEvent(new OutputEvent(`${basename(rt.uri)}: ${summary}\n`, failed ? 'stderr' : 'console'));
    }
    if (this.launch?.noDebug) {
      this.sendEvent(new TerminatedEvent());
      return;
    }
    // Stay stopped at the end so the user can still step back; moving forward then ends the session.
    this.stopWith({ reason: 'end', description: `Scenario finished: ${summary}`, text: `Scenario finished: ${summary} — step back, restart, or continue to end the session` });
  }

  private stopWith(info: StopInfo): void {
    this.running = false;
    // Where we stand now is history too (time travel and console statements start from it).
    if (this.runtime) this.recordPosition();
    for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
    const ev = new StoppedEvent(info.reason, THREAD_ID, info.text) as DebugProtocol.StoppedEvent;
    if (info.description) ev.body.description = info.description;
    if (info.hitBreakpointIds) ev.body.hitBreakpointIds = info.hitBreakpointIds;
    ev.body.allThreadsStopped = true;
    this.sendEvent(ev);
  }

  /**
   * One step forward, recording where it started from the outcome (the
   * runtime computed that location anyway; asking for `location` on every
   * step of a long run costs more than the step).
   */
  private stepRecorded(rt: ScenarioRuntime): StepOutcome {
    const step = rt.stepCount;
    const depth = rt.depth;
    const outcome = rt.step();
    if (outcome.kind === 'executed') {
      const loc = outcome.location;
      this.history.record(step, { uri: loc.uri, line: loc.line, offset: loc.span.start, depth });
    }
    if (rt.finished) this.history.record(rt.stepCount, null);
    return outcome;
  }

  /** What the history needs about the current position (before the next statement). */
  private recordPosition(): void {
    const rt = this.runtime!;
    const loc = rt.location;
    const entry: HistoryEntry | null = loc ? { uri: loc.uri, line: loc.line, offset: loc.span.start, depth: rt.depth } : null;
    this.history.record(rt.stepCount, entry);
  }

  private flushLog(): void {
    const log = this.runtime!.log;
    if (this.logIndex > log.length) this.logIndex = log.length;
    for (; this.logIndex < log.length; this.logIndex++) {
      const l = log[this.logIndex];
      if (l.kind === 'expect-pass') continue;
      const notes = (l.notes ?? []).map((n) => `  note: ${n}\n`).join('');
      const ev = new OutputEvent(`${l.text}\n${notes}`, l.kind === 'log' ? 'stdout' : l.kind === 'step' ? 'console' : 'stderr') as DebugProtocol.OutputEvent;
      ev.body.source = new Source(basename(l.location.uri), l.location.uri);
      ev.body.line = this.convertDebuggerLineToClient(l.location.line);
      this.sendEvent(ev);
    }
  }

  /** The statement at a location; included files are parsed on first need (the runtime reports their URIs). */
  private statementAt(uri: string, offset: number): Stmt | undefined {
    let index = this.statementIndex.get(uri);
    if (!index) {
      // The launch's reader: each file read once (an include may be a pipe), bounded.
      const text = this.sourceFiles ? this.sourceFiles.readFile(uri) : this.readFile(uri);
      index = text === undefined ? new Map() : statementsByOffset(parse(text, uri));
      this.statementIndex.set(uri, index);
    }
    return index.get(offset);
  }

  // ------------------------------------------------------------------ time travel

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.guard(response, () => {
      if (this.running) return this.fail(response, 'the scenario is running (pause first)');
      const rt = this.runtime!;
      if (rt.stepCount === 0) {
        this.sendResponse(response);
        return this.stopWith({ reason: 'entry', description: 'already at the first statement' });
      }
      const depth = rt.depth;
      const before = rt.stepCount;
      const target = this.history.findBack(rt.stepCount, (e) => e.depth <= depth);
      if (target === undefined) {
        if (!rt.stepBack()) return this.fail(response, 'cannot step back from here');
      } else {
        rt.restoreTo(target);
      }
      // A console statement leaves the frame on its line: say what the step back undid.
      for (const undone of rt.consoleStatementsBetween(rt.stepCount, before)) {
        this.sendEvent(new OutputEvent(`step back undid a Debug Console statement: ${undone}\n`, 'console'));
      }
      this.afterTravel();
      this.sendResponse(response);
      this.stopWith({ reason: 'step' });
    });
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.guard(response, () => {
      if (this.running) return this.fail(response, 'the scenario is running (pause first)');
      const rt = this.runtime!;
      const evaluate = this.evaluator();
      let found: { step: number; stop: StopInfo } | null = null;
      const start = rt.stepCount;
      let from = start;
      for (;;) {
        const k = this.history.findBack(from, (e) => this.lineBreakpoints.at(e.uri, e.line) !== undefined || this.functionBreakpointMatches(e));
        if (k === undefined) break;
        const e = this.history.at(k)!;
        const bp = this.lineBreakpoints.at(e.uri, e.line);
        let stop: StopInfo | null = null;
        if (bp && bp.logMessage === undefined) {
          if (bp.condition) {
            // Going backwards, a condition is tested on the state the forward run had there; hit counts do not move.
            rt.restoreTo(k);
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
      found = this.lastDataChange(rt, start, found ? found.step : 0) ?? found;
      rt.restoreTo(found ? found.step : 0);
      this.afterTravel();
      this.sendResponse(response);
      this.stopWith(found ? found.stop : { reason: 'entry', description: 'no breakpoint before this point: back at the start' });
    });
  }

  private functionBreakpointMatches(e: HistoryEntry): boolean {
    if (this.functionBreakpoints.length === 0) return false;
    const stmt = this.statementAt(e.uri, e.offset);
    return stmt !== undefined && this.functionBreakpoints.some((fb) => matchesOperation(stmt, fb.name));
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const path = args?.source?.path;
    if (typeof path !== 'string' || typeof args.line !== 'number') return this.fail(response, "gotoTargets needs 'source.path' and 'line'");
    const uri = resolvePath(path);
    const line = this.convertClientLineToDebugger(args.line);
    const actual = [...this.runtime!.statementLines(uri)].sort((a, b) => a - b).find((l) => l >= line);
    if (actual === undefined) return this.fail(response, `no statement on or after line ${args.line} of ${basename(uri)}`);
    const id = this.gotoTargets.size + 1;
    this.gotoTargets.set(id, { uri, line: actual });
    response.body = { targets: [{ id, label: `${basename(uri)}:${this.convertDebuggerLineToClient(actual)} (nearest time the scenario is there)`, line: this.convertDebuggerLineToClient(actual) }] };
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.guard(response, () => {
      if (this.running) return this.fail(response, 'the scenario is running (pause first)');
      const target = this.gotoTargets.get(args?.targetId);
      if (!target) return this.fail(response, `unknown goto target ${JSON.stringify(args?.targetId)}`);
      const rt = this.runtime!;
      const start = rt.stepCount;
      let k = this.history.nearest(start, target.uri, target.line);
      if (k === undefined) {
        // Not visited yet: run forward (no breakpoints) until the scenario gets there.
        rt.restoreTo(Math.max(start, this.history.length - 1));
        while (!rt.finished) {
          const loc = rt.location;
          if (loc && loc.uri === target.uri && loc.line === target.line) {
            this.recordPosition();
            break;
          }
          const o = this.stepRecorded(rt);
          if (o.kind !== 'executed') break;
        }
        k = this.history.nearest(start, target.uri, target.line);
        if (k === undefined) {
          rt.restoreTo(start);
          return this.fail(response, `the scenario never reaches ${basename(target.uri)}:${this.convertDebuggerLineToClient(target.line)}`);
        }
      }
      rt.restoreTo(k);
      this.afterTravel();
      this.sendResponse(response);
      this.stopWith({ reason: 'goto' });
    });
  }

  private afterTravel(): void {
    this.exceptionStop = null;
    this.finishedReported = this.runtime!.finished && this.finishedReported;
    const log = this.runtime!.log;
    if (this.logIndex > log.length) this.logIndex = log.length;
  }

  // ------------------------------------------------------------------ threads, stack, scopes, variables

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'scenario')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const rt = this.runtime!;
    const frames: DebugProtocol.StackFrame[] = rt.finished ? [] : rt.callStack.map((f, i) => {
      const top = i === 0 && this.exceptionStop;
      const uri = top ? this.exceptionStop!.uri : f.location.uri;
      const line = top ? this.exceptionStop!.line : f.location.line;
      const col = top ? this.exceptionStop!.col : f.location.col;
      return new StackFrame(i, f.name, new Source(basename(uri), uri), this.convertDebuggerLineToClient(line), this.convertDebuggerColumnToClient(col));
    });
    if (frames.length === 0) {
      // At the end: show where the scenario stopped, so the editor has a line to point at.
      const last = rt.lastOutcome?.kind === 'executed' ? rt.lastOutcome.location : null;
      const uri = this.exceptionStop?.uri ?? last?.uri ?? rt.uri;
      const line = this.exceptionStop?.line ?? last?.line ?? 0;
      frames.push(new StackFrame(0, 'end of scenario', new Source(basename(uri), uri), this.convertDebuggerLineToClient(line)));
    }
    const start = Number.isInteger(args?.startFrame) && args.startFrame! > 0 ? args.startFrame! : 0;
    const levels = Number.isInteger(args?.levels) && args.levels! > 0 ? args.levels! : frames.length;
    response.body = { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
    this.sendResponse(response);
  }

  private treeContext(hex = this.hex): TreeContext {
    const rt = this.runtime!;
    return { vm: rt.vm, last: this.lastOperation(), display: { hex }, numbering: this.launch?.bitNumbering ?? 'lsb0' };
  }

  private lastOperation(): LastOperationInfo | null {
    const rt = this.runtime!;
    const o = rt.lastOutcome;
    if (!o || o.kind !== 'executed') return null;
    const text = o.location.uri === rt.uri ? rt.program.text.slice(o.stmt.span.start, o.stmt.span.end) : o.stmt.kind;
    return {
      statement: text.split('\n')[0].trim(),
      location: o.location.uri === CONSOLE_URI ? 'typed in the Debug Console (or a Set Value edit)' : `${basename(o.location.uri)}:${o.location.line + 1}:${o.location.col + 1}`,
      step: rt.stepCount,
      ok: o.result.ok,
      display: o.result.display,
      errno: o.result.errno,
      hret: o.result.hret,
      reason: o.result.reason,
      value: o.result.value,
      values: o.result.values,
      entries: o.result.entries,
      layout: layoutOfResult(o.stmt, rt.vm.device?.kind ?? null),
      expectation: o.expectation,
      ...(o.result.notes?.length ? { notes: o.result.notes } : {}),
    };
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const ctx = this.treeContext();
    response.body = {
      scopes: scopeRoots(ctx).map((s) => {
        const scope = new Scope(s.name, this.refs.idFor(s.path), false) as DebugProtocol.Scope;
        if (s.indexedVariables !== undefined) scope.indexedVariables = s.indexedVariables;
        scope.presentationHint = s.path === 'last' ? 'locals' : 'registers';
        return scope;
      }),
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const path = this.refs.pathOf(args?.variablesReference);
    if (path === undefined) return this.fail(response, `unknown variablesReference ${JSON.stringify(args?.variablesReference)}`);
    const indexedPath = path === 'sources' || path.startsWith('sources/chunk/') || path.endsWith('/entries');
    if ((args.filter === 'named' && indexedPath) || (args.filter === 'indexed' && !indexedPath)) {
      response.body = { variables: [] };
      return this.sendResponse(response);
    }
    const hex = typeof args.format?.hex === 'boolean' ? args.format.hex : this.hex;
    const result = childrenOf(this.treeContext(hex), path, { start: args.start, count: args.count });
    if (!result.ok) return this.fail(response, result.error);
    response.body = { variables: result.nodes.map((n) => this.toDapVariable(n)) };
    this.sendResponse(response);
  }

  private toDapVariable(n: VariableNode): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: n.name, value: n.value, variablesReference: n.children ? this.refs.idFor(n.children) : 0 };
    if (n.type) v.type = n.type;
    if (n.evaluateName) v.evaluateName = n.evaluateName;
    if (n.indexedVariables !== undefined) v.indexedVariables = n.indexedVariables;
    if (n.namedVariables !== undefined) v.namedVariables = n.namedVariables;
    if (n.memoryReference) v.memoryReference = n.memoryReference;
    if (n.readOnly) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      if (this.running) return this.fail(response, 'the scenario is running (pause first)');
      const parent = this.refs.pathOf(args?.variablesReference);
      if (parent === undefined) return this.fail(response, `unknown variablesReference ${JSON.stringify(args?.variablesReference)}`);
      const node = findChild(this.treeContext(), parent, String(args.name));
      if (!node) return this.fail(response, `no variable '${args.name}' here`);
      if (!node.write) return this.fail(response, `${node.name} is read-only${node.evaluateName ? ` (${node.evaluateName})` : ''}`);
      const token = String(args.value ?? '').trim().split(/\s+/)[0] ?? '';
      const value = parseNumberLiteral(token);
      if (value === null) return this.fail(response, `'${args.value}' is not a number (decimal, 0x…, 0b…)`);
      const word = wordToWrite(node, value);
      if (!word.ok) return this.fail(response, word.error);
      const statement = node.write.statement(word.value);
      const result = this.executeRecorded(statement);
      if ('error' in result) return this.fail(response, `${statement}: ${result.error}`);
      this.sendEvent(new OutputEvent(`${statement}  ${result.display}\n`, result.ok ? 'console' : 'stderr'));
      if (!result.ok) return this.fail(response, `${statement} failed: ${result.display}`);
      const updated = findChild(this.treeContext(typeof args.format?.hex === 'boolean' ? args.format.hex : this.hex), parent, String(args.name)) ?? node;
      response.body = { value: updated.value, variablesReference: updated.children ? this.refs.idFor(updated.children) : 0 };
      if (updated.type) response.body.type = updated.type;
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['variables']));
    });
  }

  /** A console or setVariable statement: a recorded step, so the history's future from here is a new one. */
  private executeRecorded(statement: string): OperationResult | { error: string } {
    const rt = this.runtime!;
    const before = rt.stepCount;
    this.recordPosition();
    const result = rt.executeText(statement);
    if (!('error' in result)) {
      this.history.truncateAfter(before);
      this.recordPosition();
      this.flushLog();
      for (const d of this.dataBreakpoints) d.last = this.dataValue(d.dataId);
    }
    return result;
  }

  // ------------------------------------------------------------------ exceptions

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.exceptionStop;
    if (!e) return this.fail(response, 'not stopped on an exception');
    response.body = { exceptionId: e.exceptionId, description: e.description, breakMode: e.breakMode, details: e.details };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ evaluate, completions

  private evaluator(): Evaluate {
    const rt = this.runtime!;
    return (text) => {
      const entry = parseQueueEntryExpression(text);
      if (entry) {
        const r = this.queueEntry(entry.server, entry.priority, entry.index);
        return 'error' in r ? { ok: false, error: r.error } : { ok: true, value: r.word, display: formatWord('xive-eq-entry', r.word) };
      }
      const r = rt.evaluateExpression(text);
      if (!r.ok) return r;
      return { ok: true, value: r.value, display: typeof r.value === 'boolean' ? String(r.value) : formatNumber(r.value, { hex: this.hex }) };
    };
  }

  private queueEntry(server: number, priority: number, index: number): { word: bigint } | { error: string } {
    const vm = this.runtime!.vm;
    const q = vm.vcpus.map((v) => v.vp).find((vp) => vp && vp.server === server)?.queues[priority];
    if (!q || q.mode !== 'enqueue') return { error: `server ${server} has no priority-${priority} queue page` };
    const size = 1 << (q.qshift - 2);
    if (index >= size) return { error: `entry ${index} is beyond the queue's ${size} entries` };
    const b = readGuestMemory(vm, BigInt(q.qaddr) + BigInt(index * 4), 4);
    return { word: BigInt(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) };
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const expression = typeof args?.expression === 'string' ? args.expression.trim() : '';
      if (expression === '') return this.fail(response, 'nothing to evaluate');
      const hex = typeof args.format?.hex === 'boolean' ? args.format.hex : this.hex;
      const rt = this.runtime!;
      const context = args.context ?? 'repl';
      const input = classifyConsoleInput(expression);
      if (input.kind === 'decode-error' || input.kind === 'explain-error') return this.fail(response, input.error);
      if (input.kind === 'verbose') {
        rt.verbose = input.on;
        response.body = { result: input.on ? 'verbose on: every statement prints its result and notes of silent effects' : 'verbose off', variablesReference: 0 };
        return this.sendResponse(response);
      }
      if (input.kind === 'explain') {
        if (this.running) return this.fail(response, 'the scenario is running (pause first)');
        const r = explainTarget(scenarioHistory(rt), input.target);
        if (!r.ok) return this.fail(response, r.error);
        response.body = { result: r.value.summary, variablesReference: 0 };
        if (context === 'repl') this.sendEvent(new OutputEvent(`${renderExplanation(r.value)}\n`, 'console'));
        return this.sendResponse(response);
      }
      if (input.kind === 'decode') {
        response.body = { result: formatWord(input.layout, input.word), variablesReference: this.refs.idFor(constantWordPath(input.layout, input.word)), type: input.layout };
        if (context === 'repl') this.sendEvent(new OutputEvent(`${decodeText(input.layout, input.word, this.launch?.bitNumbering ?? 'lsb0')}\n`, 'console'));
        return this.sendResponse(response);
      }
      if (input.kind === 'statement') {
        if (context !== 'repl') return this.fail(response, 'statements run only in the Debug Console (they change the state)');
        if (this.running) return this.fail(response, 'the scenario is running (pause first)');
        const result = this.executeRecorded(input.text);
        if ('error' in result) return this.fail(response, result.error);
        const layout = result.value !== undefined ? layoutOfStatementText(input.text, rt.vm.device?.kind ?? null) : null;
        // An experiment's silent effects are always shown (unless verbose already logged them).
        if (result.notes?.length && !rt.verbose) this.sendEvent(new OutputEvent(result.notes.map((n) => `  note: ${n}\n`).join(''), 'console'));
        response.body = {
          result: result.display,
          variablesReference: layout && result.value !== undefined ? this.refs.idFor(constantWordPath(layout, result.value)) : 0,
        };
        this.sendResponse(response);
        this.sendEvent(new InvalidatedEvent(['variables']));
        return;
      }
      const literal = parseNumberLiteral(input.text);
      const literalLayout = literal !== null && context === 'hover' ? this.layoutAtCursor(input.text) : null;
      if (literal !== null && literalLayout) {
        // A raw word under the mouse: decode it by the statement it sits in.
        response.body = { result: formatWord(literalLayout, literal), variablesReference: this.refs.idFor(constantWordPath(literalLayout, literal)), type: literalLayout };
        return this.sendResponse(response);
      }
      const r = this.evaluator()(input.text);
      if (!r.ok) {
        return this.fail(response, r.error);
      }
      const layout = parseQueueEntryExpression(input.text) ? 'xive-eq-entry' : registerLayout(input.text, rt.vm.device?.kind ?? null);
      if (layout && typeof r.value === 'bigint') {
        response.body = { result: formatWord(layout, r.value), variablesReference: this.refs.idFor(constantWordPath(layout, r.value)), type: layout };
      } else {
        response.body = { result: typeof r.value === 'boolean' ? String(r.value) : formatNumber(r.value, { hex }), variablesReference: 0 };
      }
      this.sendResponse(response);
    });
  }

  /**
   * The layout of a literal word under the mouse, from the front end's word
   * sites (every literal whose layout its statement fixes); the one in the
   * current statement wins. The hover request carries no position, so the
   * literal's text is what identifies it.
   */
  private layoutAtCursor(literal: string): LayoutName | null {
    const rt = this.runtime!;
    const text = rt.program.text;
    const sites = wordSites(rt.program).filter((w) => text.slice(w.span.start, w.span.end) === literal);
    const here = rt.location?.uri === rt.uri ? rt.location.span : null;
    const inHere = here ? sites.find((w) => w.span.start >= here.start && w.span.end <= here.end) : undefined;
    if (inHere ?? sites[0]) return (inHere ?? sites[0]).layout;
    return this.layoutFromStatementText(literal);
  }

  /** Fallback: the statement whose text holds the literal and whose result has a layout. */
  private layoutFromStatementText(literal: string): LayoutName | null {
    const rt = this.runtime!;
    const candidates: Stmt[] = [];
    const loc = rt.location;
    if (loc) {
      const s = this.statementAt(loc.uri, loc.span.start);
      if (s) candidates.push(s);
    }
    for (const s of this.statementIndex.get(rt.uri)?.values() ?? []) candidates.push(s);
    for (const s of candidates) {
      const text = rt.program.text.slice(s.span.start, s.span.end);
      if (text.includes(literal)) {
        const layout = layoutOfResult(s, rt.vm.device?.kind ?? null);
        if (layout) return layout;
      }
    }
    return null;
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const text = typeof args?.text === 'string' ? args.text : '';
    const column = Number.isInteger(args?.column) ? this.convertClientColumnToDebugger(args.column) : text.length;
    const { start, candidates } = consoleCompletions(text, column, this.runtime?.program ?? null, this.runtime?.vm.device?.kind ?? null);
    response.body = {
      targets: candidates.map((c) => ({ label: c.label, type: c.type, detail: c.detail, start, length: column - start })),
    };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ memory and custom requests

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const r = readMemory(this.runtime!.vm, args?.memoryReference, args?.offset, args?.count);
    if (!r.ok) return this.fail(response, r.error);
    response.body = { address: r.address, data: r.data, unreadableBytes: r.unreadableBytes };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    switch (command) {
      case TOGGLE_HEX_REQUEST: {
        this.hex = !this.hex;
        response.body = { hex: this.hex } satisfies ToggleHexResponseBody;
        this.sendResponse(response);
        if (this.runtime) this.sendEvent(new InvalidatedEvent(['variables']));
        return;
      }
      case INTERRUPT_MAP_REQUEST: {
        if (!this.runtime) return this.fail(response, 'no scenario is running');
        const a = (args ?? {}) as InterruptMapArguments;
        const loc = this.runtime.location;
        this.configuredAt ??= configurationLines(this.runtime.program);
        response.body = buildInterruptMap(this.runtime.vm, this.runtime.stepCount, loc ? loc.line + 1 : null, typeof a.maxSources === 'number' ? a.maxSources : undefined, this.configuredAt);
        this.sendResponse(response);
        return;
      }
      default:
        this.fail(response, `unknown request '${command}'`, 1014);
    }
  }
}

/** Which layout a statement's result word has (for decoding the Last operation and console results). */
function layoutOfResult(stmt: Stmt, device: string | null): LayoutName | null {
  switch (stmt.kind) {
    case 'get':
    case 'set':
      return stmt.target === 'source_config' ? 'xive-source-config' : device === 'xive' ? 'xive-source' : 'xics-source';
    case 'get-reg':
    case 'set-reg':
      return stmt.reg === 'icp' ? 'xics-icp' : 'xive-vp-state';
    case 'eq':
      return 'xive-eq-entry';
    default:
      return null;
  }
}

function layoutOfStatementText(text: string, device: string | null): LayoutName | null {
  const m = /^\s*(get|set)\s+(source_config|source|icp|vp)\b/.exec(text);
  if (!m) return null;
  if (m[2] === 'source_config') return 'xive-source-config';
  if (m[2] === 'icp') return 'xics-icp';
  if (m[2] === 'vp') return 'xive-vp-state';
  return device === 'xive' ? 'xive-source' : 'xics-source';
}
