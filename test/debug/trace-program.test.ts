/**
 * TraceProgram over a small fake replay core (a counter the trace sets and
 * checks): the step index over merged per-thread logs, exact time travel from
 * checkpoints, divergences recorded once, the timeline's searches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVm } from '../../src/model';
import type { VmState } from '../../src/model/state';
import { TraceProgram, TraceReplayCore } from '../../src/debug/execution/trace-program';

interface Counter { vm: VmState; x: number; ops: number }
interface CounterStep { file: number; line: number; kind: 'add' | 'check'; n: number }

/** `TID@TIME:add N` adds N; `TID@TIME:check N` is a check that x == N; anything else makes no step. */
const core: TraceReplayCore<Counter, CounterStep> = {
  translator: () => ({
    push: (file, line, text) => {
      const m = /^(?:\d+@[\d.]+:)?(add|check) (\d+)/.exec(text);
      return m ? [{ file, line, kind: m[1] as 'add' | 'check', n: Number(m[2]) }] : [];
    },
    finish: () => [],
  }),
  timeOf: (line) => {
    const m = /^\d+@([\d.]+):/.exec(line);
    return m ? Number(m[1]) : null;
  },
  initial: () => ({ vm: createVm(), x: 0, ops: 0 }),
  vm: (s) => s.vm,
  clone: (s) => ({ vm: s.vm, x: s.x, ops: s.ops }),
  approxBytes: () => 1000,
  apply: (s, step) => {
    s.ops++;
    if (step.kind === 'add') {
      s.x += step.n;
      return { result: { ok: true, display: `x = ${s.x}` }, checked: 0, failures: [] };
    }
    const ok = s.x === step.n;
    return { result: { ok: true, display: `x is ${s.x}` }, checked: 1, failures: ok ? [] : [{ ok: false, what: 'x', qemu: String(step.n), model: String(s.x) }] };
  },
  operationNames: (step) => [step.kind],
};

function counterTrace(n: number, wrongAt = -1): string {
  const out: string[] = ['# a header line that is not an event'];
  let x = 0;
  for (let i = 0; i < n; i++) {
    x += i % 7;
    out.push(`1@${i}.5:add ${i % 7}`);
    out.push(`1@${i}.6:check ${i === wrongAt ? x + 1 : x}`);
    if (i % 100 === 0) out.push('console noise');
  }
  return `${out.join('\n')}\n`;
}

const state = (p: TraceProgram<Counter, CounterStep>): string => JSON.stringify({ step: p.stepCount, x: p.evaluateExpression('1').ok, loc: p.location?.line, last: p.lastOutcome?.kind });

test('every event line is a step, other lines are not; a final newline opens no line', () => {
  const p = new TraceProgram([{ uri: '/t/trace.log', text: counterTrace(3), virtual: false }], core);
  assert.equal(p.location?.line, 1);
  const lines: number[] = [];
  while (!p.finished) {
    lines.push(p.location!.line);
    assert.equal(p.step().kind, 'executed');
  }
  assert.deepEqual(lines, [1, 2, 4, 5, 6, 7]);
  assert.equal(p.step().kind, 'end');
  assert.deepEqual(p.checkCounts(), { passed: 3, failed: 0 });
});

test('restoreTo any step equals running there from the start (checkpoints thinned by a tiny budget)', () => {
  const text = counterTrace(2000, 1500);
  const p = new TraceProgram([{ uri: '/t/trace.log', text, virtual: false }], core, { checkpointEvery: 16, checkpointBudgetBytes: 20_000 });
  while (!p.finished) p.step();
  assert.ok(p.checkpointCount <= 20, `checkpoints ${p.checkpointCount}`);
  assert.ok(p.checkpointSpacing > 16);
  for (const k of [0, 1, 17, 999, 3001, 2500, 4000, 3999, 5]) {
    p.restoreTo(k);
    const fresh = new TraceProgram([{ uri: '/t/trace.log', text, virtual: false }], core);
    fresh.restoreTo(k);
    assert.equal(p.stepCount, k);
    assert.equal(p.location?.line, fresh.location?.line, `line at ${k}`);
    assert.deepEqual(p.checkCounts(), fresh.checkCounts(), `counts at ${k}`);
    assert.equal(p.results.length, fresh.results.length);
  }
  assert.ok(state(p));
});

test('a divergence is the step that ran the wrong check, recorded once however often it is replayed', () => {
  const p = new TraceProgram([{ uri: '/t/trace.log', text: counterTrace(50, 20), virtual: false }], core, { checkpointEvery: 8 });
  let hit: number | undefined;
  while (!p.finished) {
    const o = p.step();
    if (o.kind === 'executed' && o.divergence) hit = o.location.line;
  }
  // Line 0 is the header, 'console noise' follows events 0 (line 3): event i's check is on line 2i+3 for i >= 1.
  assert.equal(hit, 2 * 20 + 3);
  p.restoreTo(10);
  while (!p.finished) p.step();
  assert.equal(p.results.length, 1);
  assert.equal(p.log.length, 1);
  assert.equal(p.results[0].expected, String(Array.from({ length: 21 }, (_, i) => i % 7).reduce((a, b) => a + b) + 1));
  assert.deepEqual(p.checkCounts(), { passed: 49, failed: 1 });
});

test('per-thread logs merge in time order; positions point into each file', () => {
  const a = '7@1.0:add 1\n7@3.0:add 3\n7@5.0:check 9\n';
  const b = '8@2.0:add 2\nnoise\n8@4.0:add 3\n';
  const p = new TraceProgram([{ uri: '/t/log-7.txt', text: a, virtual: false }, { uri: '/t/log-8.txt', text: b, virtual: false }], core);
  const seen: string[] = [];
  while (!p.finished) {
    const loc = p.location!;
    seen.push(`${loc.uri.slice(3)}:${loc.line}`);
    p.step();
  }
  assert.deepEqual(seen, ['log-7.txt:0', 'log-8.txt:0', 'log-7.txt:1', 'log-8.txt:2', 'log-7.txt:2']);
  assert.deepEqual(p.checkCounts(), { passed: 1, failed: 0 });
  assert.equal(p.stepAtLine('/t/log-8.txt', 2), 3);
  assert.equal(p.stepAtLine('/t/log-8.txt', 1), undefined);
});

test('the timeline: the latest breakpoint line before a step, the step at a line, operation names for function breakpoints', () => {
  const p = new TraceProgram([{ uri: '/t/trace.log', text: counterTrace(300), virtual: false }], core);
  p.restoreTo(400);
  const lines = new Map([[9, true], [101, true], [500, true]]);
  const k = p.timeline.searchBack(p.stepCount, (uri) => (uri === '/t/trace.log' ? lines : undefined), null);
  assert.equal(p.timeline.at(k!)?.line, 101);
  assert.equal(p.timeline.nearest(0, '/t/trace.log', 500), p.stepAtLine('/t/trace.log', 500));
  assert.equal(p.timeline.at(p.timeline.nearest(0, '/t/trace.log', 500)!)?.line, 500);
  assert.deepEqual(p.operationNamesAt('/t/trace.log', 0), ['add']);
  const check = p.timeline.searchBack(p.stepCount, null, (e) => p.operationNamesAt(e.uri, e.offset).includes('check'));
  assert.equal(check, p.stepCount - 1 - ((p.stepCount - 1) % 2 === 1 ? 0 : 1));
  assert.deepEqual(p.stepLines('/t/trace.log', [0, 3, 5000]), [1, 4]);
});

test('background work indexes everything and leaves checkpoints ahead of the cursor', () => {
  const p = new TraceProgram([{ uri: '/t/trace.log', text: counterTrace(5000), virtual: false }], core, { checkpointEvery: 64 });
  while (p.backgroundWork(50));
  assert.equal(p.fullyIndexed, true);
  assert.equal(p.stepCount, 0);
  assert.ok(p.checkpointCount >= 10000 / 64 - 1, `checkpoints ${p.checkpointCount}`);
  p.restoreTo(9000);
  assert.equal(p.stepCount, 9000);
});
