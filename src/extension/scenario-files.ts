/**
 * Running a scenario file in-process (Run command, Test Explorer) and listing its
 * expectations (test items). Node-only, no `vscode`: includes are read from disk,
 * relative to the including file.
 */
import { readTextOrUndefined } from '../edge/read-text-file';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse, Stmt } from '../dsl';
import { runScenarioText, ScenarioRunSummary } from '../dsl/runtime';
import { TraceProgram, TraceText } from '../debug/execution/trace-program';
import { createTraceReplayCore } from '../debug/trace-core';
import { readTraceFile } from '../debug/trace-launch';

/** Scenarios and includes, bounded like every door reads them (src/edge/read-text-file). */
export function readFileOrUndefined(path: string): string | undefined {
  return readTextOrUndefined(path);
}

export function runScenarioFile(path: string, text: string, maxSteps: number): ScenarioRunSummary {
  return runScenarioText(path, text, {
    maxSteps,
    readFile: readFileOrUndefined,
    resolveInclude: (from, included) => resolve(dirname(from), included),
  });
}

/** Divergences a trace run reports at most (a trace that disagrees everywhere says so in its count). */
const MAX_TRACE_FAILURES = 200;

/**
 * A QEMU trace replayed against the model to its end, as a test: each
 * divergence is a failed result at its trace line (QEMU's value expected, the
 * model's actual); an unreadable trace is an error diagnostic. `moreTraces` are
 * the other per-thread logs of the same run, merged with `path` in time order;
 * each result names the file its line is in.
 */
export function runTraceFile(path: string, moreTraces: readonly string[] = []): ScenarioRunSummary {
  const span = { start: 0, end: 0, line: 0, col: 0 };
  const unusable = (message: string): ScenarioRunSummary => ({
    passed: 0, failed: 0, results: [], log: [], stepLimitHit: false,
    diagnostics: [{ span, severity: 'error', code: 'trace-unreadable', message }],
  });
  const texts: TraceText[] = [];
  for (const file of [path, ...moreTraces]) {
    const text = readTraceFile(file);
    if (typeof text === 'string') return unusable(text);
    texts.push(text);
  }
  const core = createTraceReplayCore();
  if (typeof core === 'string') return unusable(core);
  // Nobody travels back here: the initial checkpoint is enough.
  const trace = new TraceProgram(texts, core, { checkpointEvery: Number.MAX_SAFE_INTEGER });
  while (trace.step().kind === 'executed');
  const { passed, failed } = trace.checkCounts();
  return { passed, failed, results: trace.results.slice(0, MAX_TRACE_FAILURES), diagnostics: [], log: [], stepLimitHit: false };
}

/** What the worker (src/extension/scenario-worker.ts) runs: a scenario, or a QEMU trace with its other per-thread logs. */
export interface ScenarioJob {
  readonly file: string;
  readonly text: string;
  readonly maxSteps: number;
  /** A QEMU trace (replayed from `file`; `text` unused) rather than a scenario. */
  readonly trace?: boolean;
  /** With `trace`: the run's other per-thread logs, merged with `file` in time order. */
  readonly moreTraces?: readonly string[];
}

/**
 * The same run in a worker thread (`workerScript` is dist/scenario-worker.js). Resolves to
 * undefined when `signal` aborts it; rejects if the worker itself fails.
 */
export function runScenarioInWorker(
  workerScript: string,
  job: ScenarioJob,
  signal?: AbortSignal,
): Promise<ScenarioRunSummary | undefined> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return resolvePromise(undefined);
    const worker = new Worker(workerScript, { workerData: job });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = () => settle(() => void worker.terminate().then(() => resolvePromise(undefined)));
    signal?.addEventListener('abort', abort);
    worker.once('message', (summary: ScenarioRunSummary) => settle(() => resolvePromise(summary)));
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the scenario worker exited (code ${code}) without a result`))));
  });
}

export interface ExpectationSite {
  /** 0-based line of the statement carrying the expectation. */
  readonly line: number;
  /** The statement's source text (first line), for the test item's label. */
  readonly label: string;
}

export interface ScenarioOutline {
  /** `scenario "title"` of the file, when it has one. */
  readonly title: string | null;
  /** 0-based line of each `scenario` statement (for code lenses). */
  readonly scenarioLines: readonly number[];
  readonly expectations: readonly ExpectationSite[];
}

/** The file's scenario titles and every statement with an expectation, nested bodies included. */
export function outlineScenario(text: string, uri?: string): ScenarioOutline {
  const program = parse(text, uri);
  const lines = text.split(/\r?\n/);
  const expectations: ExpectationSite[] = [];
  const scenarioLines: number[] = [];
  let title: string | null = null;
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'scenario') {
        scenarioLines.push(s.span.line);
        title ??= s.title;
      }
      if (s.expect) expectations.push({ line: s.span.line, label: (lines[s.span.line] ?? '').trim() });
      if (s.kind === 'proc' || s.kind === 'repeat') visit(s.body);
    }
  };
  visit(program.statements);
  return { title, scenarioLines, expectations };
}
