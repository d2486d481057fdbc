/**
 * The `irq` debug adapter: a thin translation between DAP and the execution
 * controller (src/debug/execution: stepping, breakpoints, time travel, for a
 * scenario or a trace) plus the model's read-only views. Neither the
 * controller nor the runtime knows DAP; everything DAP-shaped happens here or
 * in the small helpers next to this file (breakpoints, variables tree, console).
 */
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import {
  Breakpoint, BreakpointEvent, InitializedEvent, InvalidatedEvent, Logger, logger, LoggingDebugSession, OutputEvent, Scope, Source,
  StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ScenarioRuntime } from '../dsl/runtime';
import type { OperationResult } from '../dsl/runtime';
import type { LayoutName } from '../model/layouts/table';
import { INTERRUPT_MAP_REQUEST, InterruptMapArguments, TOGGLE_HEX_REQUEST, ToggleHexResponseBody } from '../protocol';
import { parseHitCondition } from './breakpoints';
import { formatModelInfoPic } from '../model/info-pic';
import { classifyConsoleInput, consoleCompletions, decodeText, parseQueueEntryExpression, registerLayout } from './console';
import { ExecutionController, RunMode, StopInfo, TRACE_DIVERGENCE_FILTER } from './execution/controller';
import type { SteppableProgram } from './execution/program';
import { ScenarioProgram } from './execution/scenario-program';
import { formatNumber, formatWord, parseNumberLiteral } from './format';
import { escapeExcerpt } from '../edge/escape-text';
import { includeReader } from '../edge/include-reader';
import { readTextFileBounded } from '../edge/read-text-file';
import { checkRequestEnvelope, withDefaultPathFormat } from './envelope';
import { FRAMING_FATAL_EVENT, readDapFrames } from './framing';
import { buildInterruptMap } from './interrupt-map';
import { explainTarget } from '../dsl/runtime/explain-at';
import { programHistory } from './execution/explain-history';
import { renderExplanation } from '../model/explain';
import { IrqLaunchArguments, validateLaunchArguments, ValidLaunch } from './launch-arguments';
import { readMemory } from './memory';
import { TraceProgram, TraceText } from './execution/trace-program';
import { createTraceReplayCore } from './trace-core';
import { isTracePath, readTraceFile } from './trace-launch';
import { VariableReferences } from './references';
import { childrenOf, constantWordPath, findChild, LastOperationInfo, scopeRoots, TreeContext, VariableNode, wordToWrite } from './variables-tree';

const THREAD_ID = 1;

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'expectation-failed', label: 'Expectation failed', description: 'Stop after a statement whose `->` expectation does not hold', default: true },
  { filter: 'operation-error', label: 'Operation returned an error', description: 'Stop after any operation that returns an errno or an H_* other than H_SUCCESS', default: false },
  { filter: TRACE_DIVERGENCE_FILTER, label: 'Model disagrees with the trace', description: 'Stop after a QEMU trace line whose value (a load QEMU returned, a presenter state it printed) is not what the model says', default: true },
];

export interface IrqDebugSessionOptions {
  /** Reads a scenario (or an included file) by path; undefined when it cannot be read. */
  readonly readFile?: (path: string) => string | undefined;
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
  /** The launched program (scenario or trace), via the controller that steps it. */
  private runtime: SteppableProgram | null = null;
  private readonly exec: ExecutionController;
  private launch: ValidLaunch | null = null;
  private readonly refs = new VariableReferences();
  private hex = true;
  private configurationDone: Promise<void>;
  private resolveConfigurationDone: () => void = () => undefined;
  private gotoTargets = new Map<number, { uri: string; line: number }>();
  private nextBreakpointId = 100_000;
  /** sourceReference of each virtual (decompressed) trace file. */
  private readonly sourceRefs = new Map<string, number>();

  constructor(options: IrqDebugSessionOptions = {}) {
    super();
    this.readFile = options.readFile ?? defaultReadFile;
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configurationDone = new Promise((r) => (this.resolveConfigurationDone = r));
    this.exec = new ExecutionController({
      stopped: (info) => this.sendStopped(info),
      output: (text, category, at) => {
        const ev = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
        if (at) {
          ev.body.source = this.sourceOf(at.uri);
          ev.body.line = this.convertDebuggerLineToClient(at.line);
        }
        this.sendEvent(ev);
      },
      terminated: () => this.sendEvent(new TerminatedEvent()),
    }, { hex: () => this.hex });
    this.exec.exceptionFilters = new Set(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  }

  private sendStopped(info: StopInfo): void {
    const ev = new StoppedEvent(info.reason, THREAD_ID, info.text) as DebugProtocol.StoppedEvent;
    if (info.description) ev.body.description = info.description;
    if (info.hitBreakpointIds) ev.body.hitBreakpointIds = info.hitBreakpointIds;
    ev.body.allThreadsStopped = true;
    this.sendEvent(ev);
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

  /** A file as a DAP source: a .gz trace is served decompressed, read-only, by reference (sourceRequest). */
  private sourceOf(uri: string): Source {
    const source = new Source(basename(uri), uri) as Source & DebugProtocol.Source;
    if (this.runtime?.virtualSource(uri) !== undefined) {
      let ref = this.sourceRefs.get(uri);
      if (ref === undefined) this.sourceRefs.set(uri, (ref = this.sourceRefs.size + 1));
      source.sourceReference = ref;
      source.presentationHint = 'emphasize';
      source.origin = 'decompressed trace (read-only)';
    }
    return source;
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    const ref = args?.source?.sourceReference ?? args?.sourceReference;
    const uri = [...this.sourceRefs].find(([, r]) => r === ref)?.[0] ?? args?.source?.path;
    const text = uri ? this.runtime?.virtualSource(uri) : undefined;
    if (text === undefined) return this.fail(response, `no source with reference ${JSON.stringify(ref)}`);
    response.body = { content: text, mimeType: 'text/x-qemu-trace' };
    this.sendResponse(response);
  }

  /** Reads the program and builds a runtime; a string is what to tell the user. */
  private createRuntime(launch: ValidLaunch): string | null {
    if (isTracePath(launch.program) || launch.traces.length > 0) return this.createTraceRuntime(launch);
    const path = resolvePath(launch.program);
    // The default reader says why a file is refused (its size, a device); an injected one may not.
    const files = includeReader((p) => {
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
    // Statements of included files are indexed from the launch's reader: each file read once (an include may be a pipe), bounded.
    this.runtime = new ScenarioProgram(runtime, files.readFile);
    this.exec.load(this.runtime);
    this.reverifyBreakpoints();
    return null;
  }

  /** A QEMU trace (plus more per-thread logs of the same run): stepped by the trace layer's replay. */
  private createTraceRuntime(launch: ValidLaunch): string | null {
    const texts: TraceText[] = [];
    for (const path of [launch.program, ...launch.traces]) {
      const t = readTraceFile(path);
      if (typeof t === 'string') return t;
      texts.push(t);
    }
    const core = createTraceReplayCore();
    if (typeof core === 'string') return core;
    const trace = new TraceProgram(texts, core);
    if (trace.finished) {
      const names = texts.map((t) => basename(t.uri)).join(', ');
      return `${names}: no QEMU trace event in ${texts.length === 1 ? 'it' : 'them'} (lines of the form TID@EPOCH:xive_… / spapr_xive_… / xics_…, recorded with -trace and -D)`;
    }
    this.runtime = trace;
    this.exec.load(this.runtime);
    this.reverifyBreakpoints();
    return null;
  }

  private startRun(launch: ValidLaunch): void {
    this.exec.noDebug = launch.noDebug;
    this.exec.start(launch.stopOnEntry);
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
      this.exec.restarted();
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['all']));
      this.startRun(launch);
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.exec.halt();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.exec.halt();
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
    const set = this.exec.lineBreakpoints.set(
      uri,
      requested.map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage })),
      this.runtime ? this.runtime.stepLines(uri, requested.map((b) => this.convertClientLineToDebugger(b.line))) : [],
    );
    response.body = { breakpoints: set.map((bp) => this.toDapBreakpoint(bp, uri)) };
    this.sendResponse(response);
  }

  private toDapBreakpoint(bp: { id: number; verified: boolean; actualLine: number; message?: string }, uri: string): DebugProtocol.Breakpoint {
    const b = new Breakpoint(bp.verified, this.convertDebuggerLineToClient(bp.actualLine), undefined, this.sourceOf(uri)) as DebugProtocol.Breakpoint;
    b.id = bp.id;
    if (bp.message) b.message = bp.message;
    return b;
  }

  /** After launch or restart the statement lines are known: verify breakpoints set before them again. */
  private reverifyBreakpoints(): void {
    if (!this.runtime) return;
    for (const [uri, requests] of this.exec.lineBreakpoints.files()) {
      const lines = this.runtime.stepLines(uri, requests.map((r) => r.line));
      const set = this.exec.lineBreakpoints.set(uri, requests, lines);
      for (const bp of set) this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(bp, uri)));
    }
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
    this.exec.functionBreakpoints = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const fb of list) {
      const name = typeof fb?.name === 'string' ? fb.name.trim() : '';
      const id = this.nextBreakpointId++;
      const hit = fb?.hitCondition ? parseHitCondition(fb.hitCondition) : null;
      if (name === '' || (hit && !hit.ok)) {
        out.push({ id, verified: false, message: name === '' ? 'a function breakpoint needs an operation name (H_EOI, esb, set source_config, tima, …)' : hit && !hit.ok ? hit.error : undefined });
        continue;
      }
      this.exec.functionBreakpoints.push({ name, condition: fb.condition, hitCondition: fb.hitCondition, hits: 0, id });
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
    this.exec.exceptionFilters = new Set(all);
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
    this.exec.dataBreakpoints = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const d of list) {
      const id = this.nextBreakpointId++;
      const dataId = typeof d?.dataId === 'string' ? d.dataId : '';
      const value = dataId && this.runtime ? this.dataValue(dataId) : null;
      if (dataId === '' || (this.runtime && value === null)) {
        out.push({ id, verified: false, message: `'${dataId}' does not evaluate here` });
        continue;
      }
      this.exec.dataBreakpoints.push({ dataId, condition: d.condition, hitCondition: d.hitCondition, hits: 0, last: value });
      out.push({ id, verified: true, message: `break when ${dataId} changes` });
    }
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  /** A data breakpoint's current value as text (also tells a missing register apart from a value). */
  private dataValue(expression: string): string | null {
    return this.exec.dataValue(expression);
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
    const r = this.exec.resume(mode);
    if (typeof r === 'object') return this.fail(response, r.error);
    this.sendResponse(response);
    if (r === 'terminated') this.sendEvent(new TerminatedEvent());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.exec.pause();
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ time travel

  /** A travel's answer: the error, or the response then the stop. */
  private travelled(response: DebugProtocol.Response, r: StopInfo | { error: string }): void {
    if ('error' in r) return this.fail(response, r.error);
    this.sendResponse(response);
    this.exec.stopWith(r);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.guard(response, () => this.travelled(response, this.exec.stepBack()));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.guard(response, () => this.travelled(response, this.exec.reverseContinue()));
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const path = args?.source?.path;
    if (typeof path !== 'string' || typeof args.line !== 'number') return this.fail(response, "gotoTargets needs 'source.path' and 'line'");
    const uri = resolvePath(path);
    const line = this.convertClientLineToDebugger(args.line);
    const actual = [...this.runtime!.stepLines(uri, [line])].sort((a, b) => a - b).find((l) => l >= line);
    if (actual === undefined) return this.fail(response, `no statement on or after line ${args.line} of ${basename(uri)}`);
    const id = this.gotoTargets.size + 1;
    this.gotoTargets.set(id, { uri, line: actual });
    response.body = { targets: [{ id, label: `${basename(uri)}:${this.convertDebuggerLineToClient(actual)} (nearest time the ${this.runtime!.kind} is there)`, line: this.convertDebuggerLineToClient(actual) }] };
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.guard(response, () => {
      const target = this.gotoTargets.get(args?.targetId);
      if (this.exec.running) return this.fail(response, `the ${this.runtime!.kind} is running (pause first)`);
      if (!target) return this.fail(response, `unknown goto target ${JSON.stringify(args?.targetId)}`);
      const never = `the ${this.runtime!.kind} never reaches ${basename(target.uri)}:${this.convertDebuggerLineToClient(target.line)}`;
      this.travelled(response, this.exec.goto(target.uri, target.line, never));
    });
  }

  // ------------------------------------------------------------------ threads, stack, scopes, variables

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, this.runtime?.kind ?? 'scenario')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const rt = this.runtime!;
    const exceptionStop = this.exec.exceptionStop;
    const frames: DebugProtocol.StackFrame[] = rt.finished ? [] : rt.callStack.map((f, i) => {
      const top = i === 0 && exceptionStop;
      const uri = top ? exceptionStop.uri : f.location.uri;
      const line = top ? exceptionStop.line : f.location.line;
      const col = top ? exceptionStop.col : f.location.col;
      return new StackFrame(i, (top && exceptionStop.frameName) || f.name, this.sourceOf(uri), this.convertDebuggerLineToClient(line), this.convertDebuggerColumnToClient(col));
    });
    if (frames.length === 0) {
      // At the end: show where the scenario stopped, so the editor has a line to point at.
      const last = rt.lastOutcome?.kind === 'executed' ? rt.lastOutcome.location : null;
      const uri = exceptionStop?.uri ?? last?.uri ?? rt.uri;
      const line = exceptionStop?.line ?? last?.line ?? 0;
      frames.push(new StackFrame(0, `end of ${rt.kind}`, this.sourceOf(uri), this.convertDebuggerLineToClient(line)));
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
    return this.runtime!.lastOperation();
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
      if (this.exec.running) return this.fail(response, `the ${this.runtime!.kind} is running (pause first)`);
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
    return this.exec.executeRecorded(statement);
  }

  // ------------------------------------------------------------------ exceptions

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.exec.exceptionStop;
    if (!e) return this.fail(response, 'not stopped on an exception');
    response.body = { exceptionId: e.exceptionId, description: e.description, breakMode: e.breakMode, details: e.details };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ evaluate, completions

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
      if (input.kind === 'info-pic') {
        // QEMU's `info pic` of the state where the session stands; read-only, so any context may ask.
        response.body = { result: formatModelInfoPic(rt.vm).trimEnd(), variablesReference: 0 };
        return this.sendResponse(response);
      }
      if (input.kind === 'explain') {
        if (this.exec.running) return this.fail(response, `the ${rt.kind} is running (pause first)`);
        const r = explainTarget(programHistory(rt), input.target);
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
        if (this.exec.running) return this.fail(response, `the ${rt.kind} is running (pause first)`);
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
      const literalLayout = literal !== null && context === 'hover' ? rt.layoutOfLiteral(input.text) : null;
      if (literal !== null && literalLayout) {
        // A raw word under the mouse: decode it by the statement it sits in.
        response.body = { result: formatWord(literalLayout, literal), variablesReference: this.refs.idFor(constantWordPath(literalLayout, literal)), type: literalLayout };
        return this.sendResponse(response);
      }
      const r = this.exec.evaluator()(input.text);
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
        response.body = buildInterruptMap(this.runtime.vm, this.runtime.stepCount, loc ? loc.line + 1 : null, typeof a.maxSources === 'number' ? a.maxSources : undefined, this.runtime.configurationLines());
        this.sendResponse(response);
        return;
      }
      default:
        this.fail(response, `unknown request '${command}'`, 1014);
    }
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
