/** Runs a whole scenario without the debugger (the CLI, the test explorer, tests). */
import type { Diagnostic } from '../ast';
import { diagnose } from '../diagnose';
import { resolveRelative } from './includes';
import { ScenarioRuntime } from './scenario-runtime';
import type { ExpectationResult, LogEntry, RuntimeOptions, StepOutcome } from './types';

export interface ScenarioRunSummary {
  passed: number;
  failed: number;
  results: ExpectationResult[];
  diagnostics: Diagnostic[];
  log: LogEntry[];
  stepLimitHit: boolean;
  /** The step-limit message when the limit stopped the run. */
  stepLimitMessage?: string;
}

/** `onStep` sees every step's outcome as it happens (irqlab run --verbose). */
export function runScenarioText(uri: string, text: string, options: RuntimeOptions, onStep?: (outcome: StepOutcome) => void): ScenarioRunSummary {
  // Nobody steps back here: one initial snapshot is enough.
  const { runtime, diagnostics } = ScenarioRuntime.create(uri, text, { snapshotEvery: 0, ...options });
  if (diagnostics.some((d) => d.severity === 'error')) {
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
  };
}

/** Diagnostics of a scenario as the runtime sees it: the front end's, plus includes that cannot be read or parsed. */
export function checkScenarioText(uri: string, text: string, options: RuntimeOptions): Diagnostic[] {
  // Without includes the runtime adds nothing to the front end's diagnostics, which `diagnose` finds without keeping the tree.
  if (!MAY_INCLUDE.test(text)) return diagnose(text, uri, { readFile: options.readFile, resolveInclude: options.resolveInclude ?? resolveRelative });
  return ScenarioRuntime.create(uri, text, { snapshotEvery: 0, ...options }).diagnostics;
}

/** Any `include` word at all (a comment or a string too): then the includes are loaded as a run would load them. */
const MAY_INCLUDE = /\binclude\b/;
