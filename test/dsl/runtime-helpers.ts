/** Shared helpers for the interpreter tests. */
import assert from 'node:assert/strict';
import { runScenarioText, ScenarioRuntime, ScenarioRunSummary, RuntimeOptions } from '../../src/dsl/runtime';
import { xiveDeliverySetup } from './scenarios';

export function files(map: Record<string, string> = {}): RuntimeOptions {
  return { readFile: (uri) => map[uri] };
}

/** Runs `text`; fails the test on any error diagnostic so a typo in a test cannot pass silently. */
export function run(text: string, options: Partial<RuntimeOptions> = {}): ScenarioRunSummary {
  const r = runScenarioText('t.irq', text, { ...files(), ...options });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the scenario must check cleanly');
  return r;
}

export function runtimeOf(text: string, options: Partial<RuntimeOptions> = {}): ScenarioRuntime {
  const { runtime, diagnostics } = ScenarioRuntime.create('t.irq', text, { ...files(), ...options });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return runtime;
}

/** The (1-based line, ok) pairs of a run, for compact assertions. */
export function verdicts(r: ScenarioRunSummary): [number, boolean][] {
  return r.results.map((x) => [x.line + 1, x.ok]);
}

/** vCPUs 0 and 1, source 0x1300 routed to server 1 priority 6 and unmasked. */
export const XIVE_SETUP = xiveDeliverySetup([0, 1]);

/** The value of a register expression; fails the test when it does not evaluate. */
export function valueOf(rt: ScenarioRuntime, expr: string): bigint | boolean {
  const r = rt.evaluateExpression(expr);
  assert.ok(r.ok, `${expr}: ${r.ok ? '' : r.error}`);
  return r.value;
}
