/** Runs a whole scenario without the debugger (the CLI, the test explorer, tests). */
import type { Diagnostic } from '../ast';
import { diagnose } from '../diagnose';
import { resolveRelative } from './includes';
import { ScenarioRuntime } from './scenario-runtime';
import type { ExpectationResult, LogEntry, RuntimeOptions } from './types';
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
}

export function runScenarioText(uri: string, text: string, options: RuntimeOptions): ScenarioRunSummary {
  // Nobody steps back here: one initial snapshot is enough.
  const { runtime, diagnostics } = ScenarioRuntime.create(uri, text, { snapshotEvery: 0, ...options });
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { passed: 0, failed: 0, results: [], diagnostics, log: [], stepLimitHit: false };
  }
  const end = runtime.runToEnd();
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

/** Any `include` word at all (a comment or a string too): then the includes are loaded as a run would load them. */
const MAY_INCLUDE = /\binclude\b/;
