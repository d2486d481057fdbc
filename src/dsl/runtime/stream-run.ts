/**
 * `irqlab run` of a long straight-line scenario without holding it whole.
 *
 * The file is lexed once and checked a batch of top-level statements at a time
 * (diagnose.ts); if nothing is an error, the same tokens are parsed again from
 * the start, a batch at a time, and each batch is run by the one interpreter
 * (ScenarioRuntime: the same executor and expectation checker as the whole-file
 * run) and dropped. Results and log entries go to the caller as they are made,
 * so memory does not grow with the file.
 *
 * A file streams when running it in batches gives the whole-file answer: it
 * includes nothing (includes are loaded and checked as a whole) and defines
 * every proc before its first call (the whole-file run knows all procs before
 * the first step). Any other file runs whole (runScenarioText) and its
 * summary is handed to the caller in the same order.
 */
import type { Diagnostic } from '../ast';
import { diagnoseThen } from '../diagnose';
import { resolveRelative } from './includes';
import { runScenarioText } from './run-scenario';
import { ScenarioRuntime } from './scenario-runtime';
import type { ExpectationResult, LogEntry, RuntimeOptions } from './types';

/** Where a run's output goes, in this order: the diagnostics once, then log entries and results as they happen. */
export interface RunSink {
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  /** Every expectation result and `log` line, in execution order (the whole-file summary's `log`). */
  entry(entry: LogEntry): void;
  /** Every expectation result, in execution order (the whole-file summary's `results`). */
  result(result: ExpectationResult): void;
}

export interface StreamedRunSummary {
  passed: number;
  failed: number;
  /** An error diagnostic: nothing ran. */
  hasErrors: boolean;
  stepLimitHit: boolean;
  stepLimitMessage?: string;
  /** Whether the file was run in batches (false: whole, see streams()). */
  streamed: boolean;
  /** The most top-level statements held at once (a streamed run: one batch; whole: the file's). */
  mostStatementsAlive: number;
}

/** Any `include` word at all (a comment or a string too): such a file runs whole. */
const INCLUDE_WORD = /\binclude\b/;

/**
 * Whether a batched run gives the whole-file answer: no include, and no `proc` word after the
 * first `call` word (a word in a comment or string counts too, which only costs streaming).
 */
export function streams(text: string): boolean {
  if (INCLUDE_WORD.test(text)) return false;
  const firstCall = text.search(/\bcall\b/);
  if (firstCall < 0) return true;
  return !/\bproc\b/.test(text.slice(firstCall));
}

export function runScenarioStreamed(uri: string, text: string, options: RuntimeOptions, sink: RunSink, batchStatements?: number): StreamedRunSummary {
  if (!streams(text)) return runWhole(uri, text, options, sink);
  const resolve = options.resolveInclude ?? resolveRelative;
  let started = false;
  try {
    return streamRun(uri, text, options, sink, resolve, () => (started = true), batchStatements);
  } catch (e) {
    // A front-end bug must not cost the user the run: before any output, the whole-file path reports it as a diagnostic.
    if (started) throw e;
    return runWhole(uri, text, options, sink);
  }
}

function streamRun(
  uri: string, text: string, options: RuntimeOptions, sink: RunSink, resolve: (fromUri: string, path: string) => string,
  start: () => void, batchStatements: number | undefined,
): StreamedRunSummary {
  return diagnoseThen(text, uri, { readFile: options.readFile, resolveInclude: resolve }, (diagnostics, batches) => {
    start();
    sink.diagnostics(diagnostics);
    const summary: StreamedRunSummary = {
      passed: 0, failed: 0, hasErrors: diagnostics.some((d) => d.severity === 'error'), stepLimitHit: false, streamed: true, mostStatementsAlive: 0,
    };
    if (summary.hasErrors) return summary;
    const runtime = ScenarioRuntime.streaming(uri, options);
    const drain = (): void => {
      const { results, log } = runtime.takeOutput();
      for (const e of log) sink.entry(e);
      for (const r of results) {
        if (r.ok) summary.passed++;
        else summary.failed++;
        sink.result(r);
      }
    };
    for (const batch of batches()) {
      summary.mostStatementsAlive = Math.max(summary.mostStatementsAlive, batch.statements.length);
      if (!runtime.feed(batch.statements)) throw new Error('streamed run: a batch was fed before the last one ended');
      const end = runtime.runToEnd();
      drain();
      if (end.kind === 'step-limit') {
        summary.stepLimitHit = true;
        summary.stepLimitMessage = end.message;
        break;
      }
    }
    return summary;
  }, batchStatements);
}

/** The whole-file run, its summary handed to the sink as a streamed run would hand it. */
function runWhole(uri: string, text: string, options: RuntimeOptions, sink: RunSink): StreamedRunSummary {
  const run = runScenarioText(uri, text, options);
  sink.diagnostics(run.diagnostics);
  for (const e of run.log) sink.entry(e);
  for (const r of run.results) sink.result(r);
  return {
    passed: run.passed, failed: run.failed, hasErrors: run.diagnostics.some((d) => d.severity === 'error'),
    stepLimitHit: run.stepLimitHit, ...(run.stepLimitMessage !== undefined ? { stepLimitMessage: run.stepLimitMessage } : {}),
    streamed: false, mostStatementsAlive: Number.POSITIVE_INFINITY,
  };
}
