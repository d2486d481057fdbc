/** Runs a whole scenario without the debugger (the CLI, the test explorer, tests). */
import type { Diagnostic } from '../ast';
import { diagnose } from '../diagnose';
import { resolveRelative } from './includes';
import { ScenarioRuntime } from './scenario-runtime';
import { blocksRun, MAY_INCLUDE, runScenarioStreamed, RunSink, StreamStatistics } from './stream-run';
import type { ExpectationResult, LogEntry, RuntimeOptions, StepOutcome } from './types';
import type { VmState } from '../../model/state';

export interface ScenarioRunSummary {
  passed: number;
  failed: number;
  results: ExpectationResult[];
  diagnostics: Diagnostic[];
  log: LogEntry[];
  stepLimitHit: boolean;
  /** The step-limit message when the limit stopped the run. */
  stepLimitMessage?: string;
  /** The machine at the end of the run (for `irqlab run --info-pic`); absent when the file did not run. */
  vm?: VmState;
  /** Results counted in passed/failed but not kept in `results` (a streamed run keeps them bounded). */
  resultsOmitted?: number;
  /** Set when the run streamed (stream-run.ts): what it held at once. */
  streamed?: StreamStatistics;
}

/** A sink that also sees every step's outcome as it happens (irqlab run --verbose): such a run is not streamed. */
export type StepSink = RunSink & { readonly step?: (outcome: StepOutcome) => void };

/**
 * Runs a scenario. With a `sink` (the CLI), the diagnostics and then the log entries go to it as they are
 * produced and the summary's `log` is empty; a long straight-line file then streams (stream-run.ts), its
 * `results` bounded. Without one, the whole file is run and everything is kept (the test explorer, tests).
 */
export function runScenarioText(uri: string, text: string, options: RuntimeOptions, sink?: StepSink): ScenarioRunSummary {
  if (sink?.step) {
    const whole = runScenarioWhole(uri, text, options, sink.step, (d) => sink.diagnostics(d));
    if (whole.log.length > 0) sink.log(whole.log);
    return { ...whole, log: [] };
  }
  if (sink) {
    const streamed = runScenarioStreamed(uri, text, options, sink);
    if (streamed) {
      const { statistics, ...summary } = streamed;
      return { ...summary, log: [], streamed: statistics };
    }
    const whole = runScenarioWhole(uri, text, options);
    sink.diagnostics(whole.diagnostics);
    if (whole.log.length > 0) sink.log(whole.log);
    return { ...whole, log: [] };
  }
  return runScenarioWhole(uri, text, options);
}

function runScenarioWhole(uri: string, text: string, options: RuntimeOptions,
  onStep?: (outcome: StepOutcome) => void, onDiagnostics?: (d: readonly Diagnostic[]) => void): ScenarioRunSummary {
  // Nobody steps back here: one initial snapshot is enough.
  const { runtime, diagnostics } = ScenarioRuntime.create(uri, text, { snapshotEvery: 0, ...options });
  onDiagnostics?.(diagnostics);
  if (diagnostics.some(blocksRun)) {
    return { passed: 0, failed: 0, results: [], diagnostics, log: [], stepLimitHit: false };
  }
  let end: StepOutcome;
  if (onStep === undefined) end = runtime.runToEnd();
  else {
    do {
      end = runtime.step();
      onStep(end);
    } while (end.kind === 'executed');
  }
  const results = [...runtime.results];
  const passed = results.filter((r) => r.ok).length;
  return {
    passed,
    failed: results.length - passed,
    results,
    diagnostics,
    log: [...runtime.log],
    stepLimitHit: end.kind === 'step-limit',
    ...(end.kind === 'step-limit' ? { stepLimitMessage: end.message } : {}),
    vm: runtime.vm,
  };
}

/** Diagnostics of a scenario as the runtime sees it: the front end's, plus includes that cannot be read or parsed. */
export function checkScenarioText(uri: string, text: string, options: RuntimeOptions): Diagnostic[] {
  // Without includes the runtime adds nothing to the front end's diagnostics, which `diagnose` finds without keeping the tree.
  if (!MAY_INCLUDE.test(text)) return diagnose(text, uri, { readFile: options.readFile, resolveInclude: options.resolveInclude ?? resolveRelative });
  return ScenarioRuntime.create(uri, text, { snapshotEvery: 0, ...options }).diagnostics;
}

