/**
 * `irqlab run` of a long straight-line scenario without holding it whole
 * (a trace import is a million statements). Two passes over the text, each
 * holding one window of it at a time (text-windows.ts), so that memory stays
 * flat however long the file is:
 *
 * 1. `diagnose`, the windowed checker `irqlab check` uses: exactly the
 *    diagnostics of the whole-file check, so the same files are refused, and
 *    nothing is printed before a late error could refuse the file.
 * 2. The text is read again, a window at a time, lexed with file positions
 *    and parsed a batch of top-level statements at a time; each batch runs on
 *    one ScenarioRuntime (the same statement executor, expectation checker,
 *    step limit), its results and log lines go to the caller as they come,
 *    and the batch is dropped.
 *
 * A file streams when what it runs is known by the time it runs: no include
 * (an included file is loaded whole, with its own diagnostics), and every
 * `call` comes after its proc's definition in the text. Other files take the
 * whole-file path (run-scenario.ts), which gives the same answers.
 */
import type { Diagnostic } from '../ast';
import type { DeviceName } from '../ast';
import { diagnoseSource, statementBatches } from '../diagnose';
import { K_NAME, lexBuffer, TokenBuffer } from '../lexer';
import { Parser } from '../parser';
import { ScenarioSource, textSource, textWindows, WINDOW_CHARS } from '../text-windows';
import { resolveRelative } from './includes';
import { ScenarioRuntime } from './scenario-runtime';
import type { ExpectationResult, LogEntry, RuntimeOptions } from './types';
import type { VmState } from '../../model/state';

/** Top-level statements parsed and run at a time (as `diagnose` checks them). */
export const STREAM_BATCH_STATEMENTS = 256;
/**
 * Results a streamed run hands back in its summary (`--json`): every one up to this many, then only
 * failures up to this many; the counts always cover all. The text output gets every line as it comes.
 */
export const MAX_KEPT_RESULTS = 10_000;

/** Where a run's output goes as it is produced: the diagnostics first, then log entries in execution order. */
export interface RunSink {
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  log(entries: readonly LogEntry[]): void;
}

/** What a streamed run held at once (tests assert the file was not held whole). */
export interface StreamStatistics {
  readonly batches: number;
  /** The most top-level statements parsed and alive at one time. */
  readonly maxStatementsHeld: number;
}

export interface StreamedRun {
  readonly passed: number;
  readonly failed: number;
  /** Bounded: see MAX_KEPT_RESULTS. */
  readonly results: ExpectationResult[];
  /** Results counted but not kept in `results`. */
  readonly resultsOmitted: number;
  readonly diagnostics: Diagnostic[];
  readonly stepLimitHit: boolean;
  readonly stepLimitMessage?: string;
  readonly statistics: StreamStatistics;
  /** The machine at the end (for `irqlab run --info-pic`). */
  readonly vm?: VmState;
}

/** Any `include` word at all (a comment or a string too): then the file runs whole, includes loaded with it. */
export const MAY_INCLUDE = /\binclude\b/;

/**
 * Whether every `call NAME` in the tokens comes after a `proc NAME`: then, run a batch at a time, each
 * call finds its proc already defined (procs are top-level, so a definition is in its own or an earlier batch).
 * `defined`: the procs of the windows before these tokens (filled in as it reads).
 */
export function callsFollowDefinitions(tokens: TokenBuffer, defined = new Set<string>()): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens.kindCodeOf(i) !== K_NAME || tokens.kindCodeOf(i + 1) !== K_NAME) continue;
    const word = tokens.nameOf(i);
    if (word === 'proc') defined.add(tokens.nameOf(i + 1));
    else if (word === 'call' && !defined.has(tokens.nameOf(i + 1))) return false;
  }
  return true;
}

/** Whether a diagnostic keeps the scenario from running (both paths ask this one question). */
export function blocksRun(d: Diagnostic): boolean {
  return d.severity === 'error';
}

function byStart(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start;
}

/**
 * Runs the scenario a batch at a time, or answers null (having output nothing) when it does not stream:
 * the caller then runs it whole. `text`: the scenario, or a source that reads it (a file too large to hold)
 * as often as asked. Diagnostics and log entries go to `sink` as they are produced. `windowChars`: the
 * size of the windows the text is read in (tests make it small).
 */
export function runScenarioStreamed(
  uri: string, text: string | ScenarioSource, options: RuntimeOptions, sink: RunSink, batchStatements = STREAM_BATCH_STATEMENTS,
  windowChars = WINDOW_CHARS,
): StreamedRun | null {
  if (typeof text === 'string' && MAY_INCLUDE.test(text)) return null;
  const source = typeof text === 'string' ? textSource(text) : text;
  const procsSoFar = new Set<string>();
  let checked: Diagnostic[] | null;
  try {
    // The same diagnostics, in the same order, as ScenarioRuntime.create gives the whole-file run;
    // a window that may include a file, or calls a proc not defined above it, stops it (the file runs whole).
    checked = diagnoseSource(source, uri, { readFile: options.readFile, resolveInclude: options.resolveInclude ?? resolveRelative }, {
      batchStatements: STREAM_BATCH_STATEMENTS, windowChars,
      inspect: (window, tokens) => !MAY_INCLUDE.test(window.text) && callsFollowDefinitions(tokens, procsSoFar),
    });
  } catch {
    // A bug in the windowed checker: the whole-file path runs the file and reports what it finds.
    return null;
  }
  if (checked === null) return null;
  const diagnostics = checked.sort(byStart);
  sink.diagnostics(diagnostics);
  const statistics = { batches: 0, maxStatementsHeld: 0 };
  const kept: ExpectationResult[] = [];
  let passed = 0;
  let failed = 0;
  let keptFailures = 0;
  if (diagnostics.some(blocksRun)) {
    return { passed, failed, results: kept, resultsOmitted: 0, diagnostics, stepLimitHit: false, statistics };
  }
  // The runtime reads no text of the file: statements come with their file positions.
  const runtime = ScenarioRuntime.forBatches(uri, '', [0], options);
  let stepLimitMessage: string | undefined;
  let device: DeviceName | null = null;
  for (const window of textWindows(source, windowChars)) {
    const { buffer } = lexBuffer(window.text, false, { offset: window.start, line: window.line });
    const parser: Parser = new Parser(buffer, device);
    for (const { statements } of statementBatches(parser, batchStatements)) {
      statistics.batches++;
      statistics.maxStatementsHeld = Math.max(statistics.maxStatementsHeld, statements.length);
      runtime.appendTopLevel(statements);
      const end = runtime.runToEnd();
      const { results, log } = runtime.takeOutput();
      for (const r of results) {
        if (r.ok) passed++;
        else failed++;
        // Everything while there is room, then failures only (a failure is what a user looks for).
        if (passed + failed <= MAX_KEPT_RESULTS) {
          kept.push(r);
          if (!r.ok) keptFailures++;
        } else if (!r.ok && keptFailures < MAX_KEPT_RESULTS) {
          kept.push(r);
          keptFailures++;
        }
      }
      if (log.length > 0) sink.log(log);
      if (end.kind === 'step-limit') {
        stepLimitMessage = end.message;
        break;
      }
    }
    device = parser.deviceAfter;
    // The statements built from the tokens do not refer to them: the next window can lex into the same memory.
    buffer.release();
    if (stepLimitMessage !== undefined) break;
  }
  return {
    passed, failed, results: kept, resultsOmitted: passed + failed - kept.length, diagnostics,
    stepLimitHit: stepLimitMessage !== undefined, ...(stepLimitMessage !== undefined ? { stepLimitMessage } : {}), statistics,
    vm: runtime.vm,
  };
}
