/** Shared helpers for the interpreter tests. */
import assert from 'node:assert/strict';
import { runScenarioText, ScenarioRuntime, ScenarioRunSummary, RuntimeOptions } from '../../src/dsl/runtime';

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

export const XIVE_SETUP = `device xive
vcpu 0 connect
vcpu 1 connect
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }
set source 0x1300 = 0
set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }
esb 0x1300 load 0xc00
tima vcpu 1 store8 0x11 0xff
`;

/** The value of a register expression; fails the test when it does not evaluate. */
export function valueOf(rt: ScenarioRuntime, expr: string): bigint | boolean {
  const r = rt.evaluateExpression(expr);
  assert.ok(r.ok, `${expr}: ${r.ok ? '' : r.error}`);
  return r.value;
}
