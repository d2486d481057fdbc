/**
 * Fuzz: hundreds of random mutations (each one to four edits) of the examples (lines deleted, duplicated or swapped,
 * tokens deleted, numbers replaced by huge or odd ones, random bytes, deep nesting). The runner
 * never throws and never hangs (the step limit bounds every run), even when it is driven
 * through a scenario with errors, stepped back, or asked random expressions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { runScenarioText, ScenarioRuntime } from '../../src/dsl/runtime';

const EXAMPLES = join(process.cwd(), 'examples');
const texts = readdirSync(EXAMPLES).filter((f) => f.endsWith('.irq')).sort().map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
const lib = readFileSync(join(EXAMPLES, 'lib', 'routes.irq'), 'utf8');
const options = { readFile: (uri: string) => (uri.endsWith('lib/routes.irq') ? lib : undefined), maxSteps: 1000 };

const NUMBERS = ['0', '7', '0xff', '-1', '0xffff_ffff_ffff_ffff', '0x1_0000_0000_0000_0000', '99999999999999999999999', '1 << 200', '0b101', '0x1300'];

type Mutation = (lines: string[], r: number, s: number) => string[];
const mutations: Mutation[] = [
  (l, r) => l.filter((_, i) => i !== r % l.length),
  (l, r) => [...l.slice(0, r % l.length), l[r % l.length], ...l.slice(r % l.length)],
  (l, r, s) => {
    const a = r % l.length;
    const b = s % l.length;
    const out = [...l];
    [out[a], out[b]] = [out[b], out[a]];
    return out;
  },
  (l, r, s) => l.map((line, i) => (i === r % l.length ? line.split(' ').filter((_, j) => j !== s % 8).join(' ') : line)),
  (l, r, s) => l.map((line, i) => (i === r % l.length ? line.replace(/0x[0-9a-f_]+|\b\d+\b/i, NUMBERS[s % NUMBERS.length]) : line)),
  (l, r, s) => l.map((line, i) => (i === r % l.length ? line + String.fromCharCode(s % 256) + '}{' : line)),
  (l, r, s) => [...l.slice(0, r % l.length), `repeat ${s % 5} as k${s % 3} {`, ...l.slice(r % l.length), '}'],
  (l, r) => [...l.slice(0, r % l.length), 'repeat 100000000 {', '  call nowhere(1)', '}', ...l.slice(r % l.length)],
];

const EXPRESSIONS = ['source(0x1300).pq', 'icp(0)', 'vp(1).cppr + 1', 'eq(1, 6).index', 'eq(1)', '1 / 0', 'x <<', '(((', 'device.nr_servers', '0xffff_ffff_ffff_ffff * 0xffff_ffff_ffff_ffff'];

test('mutated examples never make the runner throw or hang', () => {
  fc.assert(
    fc.property(
      fc.nat(texts.length - 1),
      fc.array(fc.tuple(fc.nat(mutations.length - 1), fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
      fc.nat(EXPRESSIONS.length - 1),
      (which, edits, expr) => {
        let lines = texts[which].split('\n');
        for (const [m, r, s] of edits) lines = mutations[m](lines, r, s);
        const text = lines.join('\n');
        const summary = runScenarioText('fuzz.irq', text, options);
        assert.ok(summary.passed + summary.failed === summary.results.length);
        // The runtime turns a front-end exception into this diagnostic; it must never be needed.
        assert.deepEqual(summary.diagnostics.filter((d) => d.code === 'internal-error').map((d) => d.message), []);
        assert.ok(summary.results.every((r) => !r.message.includes('internal error')), 'no model exception');
        // Driven through whatever parsed, errors included: still no exception.
        const { runtime } = ScenarioRuntime.create('fuzz.irq', text, { ...options, maxSteps: 300, snapshotEvery: 7 });
        runtime.runToEnd();
        runtime.restoreTo(Math.floor(runtime.stepCount / 2));
        runtime.stepBack();
        runtime.evaluateExpression(EXPRESSIONS[expr]);
        runtime.executeText(lines[edits[0][1] % lines.length] ?? '');
        runtime.stepBack();
      },
    ),
    // A fixed seed keeps CI deterministic; change it locally to explore further.
    { numRuns: 500, seed: 20261202 },
  );
});
