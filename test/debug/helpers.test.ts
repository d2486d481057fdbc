/** The session's DAP-free helpers: hit conditions, logpoint interpolation, breakpoint placement, console input, history. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, LineBreakpoints, parseHitCondition } from '../../src/debug/breakpoints';
import { classifyConsoleInput, parseQueueEntryExpression, registerLayout } from '../../src/debug/console';
import { StepHistory } from '../../src/debug/history';
import { VariableReferences } from '../../src/debug/references';
import { parseNumberLiteral } from '../../src/debug/format';

test('hit conditions', () => {
  const t = (c: string, hits: number[]): number[] => {
    const h = parseHitCondition(c);
    assert.ok(h.ok, c);
    return hits.filter((n) => h.test(n));
  };
  assert.deepEqual(t('3', [1, 2, 3, 4]), [3]);
  assert.deepEqual(t('>=3', [1, 2, 3, 4]), [3, 4]);
  assert.deepEqual(t('>3', [1, 2, 3, 4]), [4]);
  assert.deepEqual(t('<3', [1, 2, 3, 4]), [1, 2]);
  assert.deepEqual(t('%2', [1, 2, 3, 4]), [2, 4]);
  assert.equal(parseHitCondition('%0').ok, false);
  assert.equal(parseHitCondition('often').ok, false);
});

test('logpoint interpolation: {expr}, escaped braces, errors shown inline', () => {
  const evaluate = (e: string) => (e === 'x' ? { ok: true as const, value: 5n, display: '0x5' } : { ok: false as const, error: `no ${e}` });
  assert.equal(interpolate('x={x} {{literal}} {y}', evaluate), 'x=0x5 {literal} <no y>');
});

test('breakpoints move to the next statement line; unverified past the last one; duplicates share a statement', () => {
  const bps = new LineBreakpoints();
  const set = bps.set('/a.irq', [{ line: 0 }, { line: 4 }, { line: 5 }, { line: 30 }, { line: 2, hitCondition: 'sometimes' }], [3, 5, 9]);
  assert.deepEqual(set.map((b) => [b.verified, b.actualLine]), [[true, 3], [true, 5], [true, 5], [false, 30], [false, 3]]);
  assert.equal(bps.at('/a.irq', 5)?.id, set[1].id);
  const never = () => ({ ok: true as const, value: false, display: 'false' });
  assert.equal(bps.set('/b.irq', [{ line: 1, condition: 'c' }], [1]).length, 1);
  assert.equal(bps.reach('/b.irq', 1, never).kind, 'none');
  const broken = () => ({ ok: false as const, error: 'bad' });
  const d = bps.reach('/b.irq', 1, broken);
  assert.equal(d.kind, 'stop');
  assert.match(d.kind === 'stop' ? d.description ?? '' : '', /condition 'c' failed: bad/);
});

test('console input: statements, expressions that start like keywords, decode', () => {
  assert.equal(classifyConsoleInput('eq server 1 priority 6').kind, 'statement');
  assert.equal(classifyConsoleInput('eq(1,6).index').kind, 'expression');
  assert.equal(classifyConsoleInput('set source 0x1 = 0').kind, 'statement');
  assert.equal(classifyConsoleInput('uart + 1').kind, 'expression');
  assert.deepEqual(classifyConsoleInput('decode xics-icp 0xff00_1000_ff05_0000'), { kind: 'decode', layout: 'xics-icp', word: 0xff001000ff050000n });
  assert.equal(classifyConsoleInput('decode xive-eq-entry 0x1_0000_0000').kind, 'decode-error');
  assert.equal(registerLayout('source(0x10)', 'xics'), 'xics-source');
  assert.equal(registerLayout('source(0x10)', 'xive'), 'xive-source-config');
  assert.equal(registerLayout('source(0x10).pq', 'xive'), null);
  assert.deepEqual(parseQueueEntryExpression('eq(1, 6).entries[3]'), { server: 1, priority: 6, index: 3 });
  assert.equal(parseNumberLiteral('0b101'), 5n);
  assert.equal(parseNumberLiteral('0x_'), null);
});

test('history: nearest step at a line, search backwards, truncation', () => {
  const h = new StepHistory();
  const at = (line: number, depth = 1) => ({ uri: '/a', line, offset: line * 10, depth });
  [at(1), at(2), at(5, 2), at(3), at(2), at(4)].forEach((e, k) => h.record(k, e));
  assert.equal(h.nearest(5, '/a', 2), 4);
  assert.equal(h.nearest(0, '/a', 2), 1);
  assert.equal(h.findBack(4, (e) => e.depth <= 1), 3);
  h.truncateAfter(2);
  assert.equal(h.length, 3);
  assert.equal(h.nearest(0, '/a', 4), undefined);
});

test('variable references: same path, same id; unknown ids are undefined', () => {
  const r = new VariableReferences();
  const a = r.idFor('sources');
  assert.equal(r.idFor('queues'), a + 1);
  assert.equal(r.idFor('sources'), a);
  assert.equal(r.pathOf(a), 'sources');
  for (const bad of [0, -1, 999, 1.5, 'x', null]) assert.equal(r.pathOf(bad), undefined);
});
