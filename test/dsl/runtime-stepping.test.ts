/** Stepping: exact step back and time travel, call stacks, the step limit, console statements, expressions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { snapshotVm, VmState } from '../../src/model';
import { ScenarioRuntime, runScenarioText } from '../../src/dsl/runtime';
import { files, runtimeOf, valueOf } from './runtime-helpers';

/** Everything a debugger can observe at a stop. */
interface Observed {
  step: number;
  vm: VmState;
  location: string | null;
  stack: string[];
  results: number;
  log: number;
  finished: boolean;
  outcome: string;
}

function observe(rt: ScenarioRuntime): Observed {
  const o = rt.lastOutcome;
  return {
    step: rt.stepCount,
    vm: snapshotVm(rt.vm),
    location: rt.location ? `${rt.location.uri}:${rt.location.line}:${rt.location.col}` : null,
    stack: rt.callStack.map((f) => `${f.id} ${f.kind} ${f.name} @${f.location.uri}:${f.location.line}`),
    results: rt.results.length,
    log: rt.log.length,
    finished: rt.finished,
    outcome: o === null ? 'none' : o.kind === 'executed' ? `${o.location.line} ${o.result.display}` : o.kind,
  };
}

/** A queue restored 2 slots before its end, so a few events wrap it and flip the generation. */
const WRAP = `scenario "wrap"
let irq = 0x1300
proc deliver(n) {
  esb n store 0x000
  tima vcpu 1 load16 0x810
  esb n load 0x000 -> 0
  tima vcpu 1 store8 0x11 0xff
}
device xive
vcpu 1 connect
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 16382 }
set source irq = 0
set source_config irq = { priority 6, server 1, eisn irq }
esb irq load 0xc00 -> 1
tima vcpu 1 store8 0x11 0xff
repeat 4 as i {
  call deliver(irq)
  log "pass {i}: index {eq(1, 6).index} generation {eq(1, 6).generation}"
}
get eq_config server 1 priority 6 -> { qtoggle 0, qindex 2 }
`;

function forwardTrace(text: string, snapshotEvery?: number): { trace: Observed[]; rt: ScenarioRuntime } {
  const rt = runtimeOf(text, snapshotEvery === undefined ? {} : { snapshotEvery });
  const trace = [observe(rt)];
  while (rt.step().kind === 'executed') trace.push(observe(rt));
  return { trace, rt };
}

describe('step back and time travel', () => {
  test('the wrap scenario passes and really wraps (generation 1 → 0)', () => {
    const r = runScenarioText('t.irq', WRAP, files());
    assert.equal(r.failed, 0, JSON.stringify(r.results.filter((x) => !x.ok)));
    assert.deepEqual(r.log.filter((l) => l.kind === 'log').map((l) => l.text), [
      'pass 0: index 0x3fff generation 1',
      'pass 1: index 0 generation 0',
      'pass 2: index 1 generation 0',
      'pass 3: index 2 generation 0',
    ]);
  });

  for (const every of [0, 1, 3, 64]) {
    test(`stepBack from the end to 0 reproduces every forward state (snapshot every ${every})`, () => {
      const { trace, rt } = forwardTrace(WRAP, every);
      for (let n = trace.length - 1; n > 0; n--) {
        assert.deepEqual(observe(rt), trace[n], `state at step ${n}`);
        assert.equal(rt.stepBack(), true);
      }
      assert.deepEqual(observe(rt), { ...trace[0], outcome: 'none' });
      assert.equal(rt.stepBack(), false);
    });
  }

  test('restoreTo jumps backwards and forwards exactly, and re-running after a step back gives the same states', () => {
    const { trace, rt } = forwardTrace(WRAP);
    for (const n of [5, 30, 12, 0, trace.length - 1, 20, 21, 19]) {
      rt.restoreTo(n);
      assert.deepEqual(observe(rt), n === 0 ? { ...trace[0], outcome: rt.lastOutcome === null ? 'none' : trace[0].outcome } : trace[n], `restoreTo(${n})`);
    }
    rt.restoreTo(10);
    for (let n = 11; n < trace.length; n++) {
      rt.step();
      assert.deepEqual(observe(rt), trace[n]);
    }
  });

  test('property: random step / stepBack / restoreTo sequences match a fresh forward run', () => {
    const { trace } = forwardTrace(WRAP);
    const last = trace.length - 1;
    const op = fc.oneof(
      fc.constant<{ kind: 'step' }>({ kind: 'step' }),
      fc.constant<{ kind: 'back' }>({ kind: 'back' }),
      fc.integer({ min: 0, max: last + 3 }).map((n) => ({ kind: 'to' as const, n })),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.constantFrom(1, 2, 5, 64), (ops, every) => {
        const rt = runtimeOf(WRAP, { snapshotEvery: every });
        for (const o of ops) {
          if (o.kind === 'step') rt.step();
          else if (o.kind === 'back') rt.stepBack();
          else rt.restoreTo(o.n);
          const n = rt.stepCount;
          const seen = observe(rt);
          const want = trace[n];
          // At step 0 a restored runtime has no last outcome, like a fresh one.
          assert.deepEqual({ ...seen, outcome: n === 0 ? 'none' : seen.outcome }, { ...want, outcome: n === 0 ? 'none' : want.outcome });
        }
      }),
      { numRuns: 60 },
    );
  });

  test('snapshots thin out on long runs and step back stays exact', () => {
    const text = 'device xics\nvcpu 0 connect\nset source 0x1000 = { server 0, priority 5 }\nrepeat 5000 as i {\n  line 0x1000 pulse\n  hcall vcpu 0 H_XIRR\n  hcall vcpu 0 H_EOI 0xff001000\n}\n';
    const rt = runtimeOf(text, { snapshotEvery: 2 });
    rt.runToEnd();
    const end = observe(rt);
    rt.stepBack();
    const before = observe(rt);
    rt.step();
    assert.deepEqual(observe(rt), end);
    rt.restoreTo(7777);
    const mid = observe(rt);
    const fresh = runtimeOf(text);
    fresh.restoreTo(7777);
    assert.deepEqual(observe(fresh), mid);
    assert.equal(before.step, end.step - 1);
  });
});

describe('call stack', () => {
  test('proc inside repeat inside the scenario: innermost first, call sites as outer locations', () => {
    const rt = runtimeOf(WRAP);
    // Up to the first statement of the first deliver() call.
    while (rt.depth < 3) rt.step();
    const stack = rt.callStack;
    assert.deepEqual(stack.map((f) => [f.kind, f.name, f.location.line]), [
      ['proc', 'deliver(n=0x1300)', 3],
      ['repeat', 'repeat i=0/4', 16],
      ['scenario', 'wrap', 15],
    ]);
    assert.equal(new Set(stack.map((f) => f.id)).size, 3);
    // The repeat frame keeps its id across iterations and shows the iteration.
    const repeatId = stack[1].id;
    while (rt.callStack[1]?.name !== 'repeat i=1/4' && !rt.finished) rt.step();
    assert.equal(rt.callStack.find((f) => f.kind === 'repeat')?.id, repeatId);
  });

  test('include frames carry the included uri', () => {
    const rt = runtimeOf('include "lib.irq"\nlog "back"\n', files({ 'lib.irq': 'log "in lib"\nlog "still lib"\n' }));
    rt.step();
    assert.deepEqual(rt.callStack.map((f) => [f.kind, f.name, f.location.uri, f.location.line]), [
      ['include', 'include lib.irq', 'lib.irq', 0],
      ['scenario', 't.irq', 't.irq', 0],
    ]);
    assert.deepEqual(rt.statementLines('lib.irq'), [0, 1]);
  });

  test('statementLines lists executable statements (not proc headers, comments or scenario titles)', () => {
    const rt = runtimeOf(WRAP);
    assert.deepEqual(rt.statementLines(), [1, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19]);
  });

  test('at the end there is no location and the stack shows the scenario', () => {
    const rt = runtimeOf('log "one"\n');
    rt.runToEnd();
    assert.equal(rt.location, null);
    assert.equal(rt.callStack.length, 1);
    assert.equal(rt.step().kind, 'end');
  });
});

describe('step limit', () => {
  test('a runaway repeat stops at maxSteps with a clear message', () => {
    const rt = runtimeOf('device xics\nrepeat 100000000 {\n  line 0x1000 pulse\n}\n', { maxSteps: 1000 });
    const end = rt.runToEnd();
    assert.equal(end.kind, 'step-limit');
    assert.ok(end.kind === 'step-limit' && /step limit reached: 1000 statements/.test(end.message));
    // `device` and `repeat` are top-level statements: the limit counts the 1000 in the body.
    assert.equal(rt.stepCount, 1002);
    assert.equal(rt.finished, false);
    const r = runScenarioText('t.irq', 'repeat 100000000 {\n  log "x"\n}\n', { ...files(), maxSteps: 500 });
    assert.equal(r.stepLimitHit, true);
  });

  test('top-level statements run once and do not count: a straight-line file longer than the limit runs to its end', () => {
    const lines = ['device xics'];
    for (let i = 0; i < 3000; i++) lines.push(`log "line ${i}"`);
    const straight = runScenarioText('long.irq', `${lines.join('\n')}\n`, { ...files(), maxSteps: 1000 });
    assert.equal(straight.stepLimitHit, false);
    const looped = runScenarioText('loop.irq', 'repeat 3000 {\n  log "x"\n}\n', { ...files(), maxSteps: 1000 });
    assert.equal(looped.stepLimitHit, true);
    // Stepping back before the limit and forwards again reaches the same limit (the count is restored).
    const rt = runtimeOf('device xics\nrepeat 5000 {\n  line 0x1000 pulse\n}\n', { maxSteps: 1000, snapshotEvery: 16 });
    rt.runToEnd();
    rt.restoreTo(500);
    assert.equal(rt.runToEnd().kind, 'step-limit');
    assert.equal(rt.stepCount, 1002);
  });

  test('the default limit is 1,000,000 steps', () => {
    const r = runScenarioText('t.irq', 'let x = 0\nrepeat 2000000 {\n  let x = x + 1\n}\n', files());
    assert.equal(r.stepLimitHit, true);
    assert.match(r.stepLimitMessage ?? '', /1000000 statements/);
  });
});

describe('debug console statements', () => {
  test('executeText runs against the current state, is a step, and step back undoes it', () => {
    const rt = runtimeOf('device xive\nvcpu 1 connect\nset source 0x1300 = 0\nlog "end"\n');
    rt.step();
    rt.step();
    rt.step();
    const before = observe(rt);
    const r = rt.executeText('esb 0x1300 load 0xc00 -> 1');
    assert.ok(!('error' in r) && r.ok, 'error' in r ? r.error : r.display);
    assert.equal(rt.stepCount, before.step + 1);
    assert.equal(valueOf(rt, 'source(0x1300).pq'), 0n);
    assert.equal(rt.results.at(-1)?.ok, true);
    const after = observe(rt);
    assert.equal(rt.stepBack(), true);
    assert.deepEqual(observe(rt), before);
    // Re-execution replays the console statement exactly.
    rt.step();
    assert.deepEqual(observe(rt), after);
    rt.restoreTo(0);
    rt.restoreTo(after.step);
    assert.deepEqual(observe(rt), after);
    rt.step();
    assert.equal(rt.log.at(-1)?.text, 'end');
  });

  test('a new console statement after a step back starts a new history', () => {
    const rt = runtimeOf('device xive\nset source 0x1300 = 0\nlog "end"\n');
    rt.step();
    rt.step();
    rt.executeText('esb 0x1300 load 0xc00');
    rt.stepBack();
    rt.executeText('esb 0x1300 load 0xe00');
    assert.equal(valueOf(rt, 'source(0x1300).pq'), 2n);
    rt.restoreTo(0);
    rt.restoreTo(3);
    assert.equal(valueOf(rt, 'source(0x1300).pq'), 2n);
  });

  test('errors: not a statement, several statements, include', () => {
    const rt = runtimeOf('device xive\n');
    assert.ok('error' in rt.executeText('frobnicate 3'));
    assert.ok('error' in rt.executeText(''));
    assert.ok('error' in rt.executeText('include "x.irq"'));
    assert.equal(rt.stepCount, 0);
  });

  test('console statements are parsed, not checked: run-time errors come back as failed results', () => {
    const rt = runtimeOf('device xics\nvcpu 0 connect\n');
    rt.runToEnd();
    const unknown = rt.executeText('hcall vcpu 0 H_BOGUS 1');
    assert.ok(!('error' in unknown) && !unknown.ok && /unknown hcall 'H_BOGUS'/.test(unknown.display));
    const tooMany = rt.executeText('hcall vcpu 0 H_CPPR 1, 2');
    assert.ok(!('error' in tooMany) && !tooMany.ok && /H_CPPR takes 1 argument/.test(tooMany.display));
    const undefinedName = rt.executeText('let y = nothing + 1');
    assert.ok(!('error' in undefinedName) && !undefinedName.ok && /'nothing' is not defined/.test(undefinedName.display));
    assert.equal(rt.stepCount, 5);
    assert.equal(rt.results.filter((r) => !r.ok).length, 3);
  });

  test('a console statement works after the end of the scenario', () => {
    const rt = runtimeOf('device xive\n');
    rt.runToEnd();
    const r = rt.executeText('vcpu 3 connect');
    assert.ok(!('error' in r) && r.ok);
    assert.equal(rt.vm.vcpus.length, 1);
    rt.stepBack();
    assert.equal(rt.vm.vcpus.length, 0);
  });
});

describe('evaluateExpression', () => {
  const rt = runtimeOf(`let uart = 0x1300
device xive
vcpu 1 connect
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }
set source uart = 0
set source_config uart = { priority 6, server 1, eisn uart }
esb uart load 0xc00
tima vcpu 1 store8 0x11 0xff
esb uart store 0
`);
  rt.runToEnd();
  const value = (t: string): bigint | boolean => {
    const r = rt.evaluateExpression(t);
    assert.ok(r.ok, `${t}: ${r.ok ? '' : r.error}`);
    return r.value;
  };

  test('register fields from the views and the layout table', () => {
    assert.equal(value('source(0x1300).pq'), 2n);
    assert.equal(value('source(uart).priority'), 6n);
    assert.equal(value('source(uart).eisn'), 0x1300n);
    assert.equal(value('source(uart).masked'), 0n);
    assert.equal(value('vp(1).cppr'), 0xffn);
    assert.equal(value('vp(1).ipb'), 0x02n);
    assert.equal(value('vp(1).pipr'), 6n);
    assert.equal(value('eq(1, 6).index'), 1n);
    assert.equal(value('eq(1, 6).generation'), 1n);
    assert.equal(value('eq(1, 6).qshift'), 16n);
    assert.equal((value('device.nr_servers') as bigint) > 0n, true);
  });

  test('let names, arithmetic, comparisons and booleans', () => {
    assert.equal(value('uart + 1'), 0x1301n);
    assert.equal(value('(uart >> 8) & 0xf'), 3n);
    assert.equal(value('source(uart).pq == 2'), true);
    assert.equal(value('vp(1).cppr < 6 || eq(1,6).count >= 1'), true);
    assert.equal(value('!(uart == 0x1300)'), false);
  });

  test('a register alone evaluates to its word with a decoded display', () => {
    const r = rt.evaluateExpression('source(uart)');
    assert.ok(r.ok);
    assert.equal(r.value, 0x0000_2600_0000_000en);
    assert.match(r.display, /prio=6/);
  });

  test('errors are values', () => {
    for (const [t, re] of [
      ['nope', /not defined/],
      ['source(0x1301).pq', /does not exist/],
      ['vp(1).zzz', /no field 'zzz'/],
      ['vp(1).constructor', /no field 'constructor'/],
      ['source(uart).toString', /no field 'toString'/],
      ['icp(7)', /no presenter/],
      ['1 +', /./],
      ['1 / 0', /division by zero/],
      ['frob(1)', /unknown register/],
    ] as const) {
      const r = rt.evaluateExpression(t);
      assert.equal(r.ok, false, t);
      assert.match(r.ok ? '' : r.error, re, t);
    }
  });

  test('source(IRQ) finds any source among several blocks with gaps (XIVE and XICS)', () => {
    const xive = runtimeOf(`device xive
vcpu 0 connect
set eq_config server 0 priority 3 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }
repeat 9 as i {
  set source 0x1000 + 2 * i = 0
  set source_config 0x1000 + 2 * i = { priority 3, server 0, eisn 0x500 + i }
}
set source 0x2005 = { level_sensitive }
`);
    xive.runToEnd();
    for (let i = 0; i < 9; i++) assert.equal(valueOf(xive, `source(${0x1000 + 2 * i}).eisn`), BigInt(0x500 + i));
    assert.equal(valueOf(xive, 'source(0x2005).lsi'), 1n);
    for (const missing of ['source(0x1001)', 'source(0x1012)', 'source(0x3000)', 'source(0x0fff)']) {
      const r = xive.evaluateExpression(missing);
      assert.ok(!r.ok && /does not exist/.test(r.error), missing);
    }
    const xics = runtimeOf('device xics\nvcpu 0 connect\nset source 0x1003 = { server 0, priority 4 }\nset source 0x1400 = { server 0, priority 6 }\n');
    xics.runToEnd();
    assert.equal(valueOf(xics, 'source(0x1003).priority'), 4n);
    assert.equal(valueOf(xics, 'source(0x1400).priority'), 6n);
    assert.equal(xics.evaluateExpression('source(0x1004)').ok, false);
  });

  test('icp() on XICS reads the ICP word', () => {
    const x = runtimeOf('device xics\nvcpu 0 connect\nhcall vcpu 0 H_CPPR 0xff\nhcall vcpu 0 H_IPI 0, 4\n');
    x.runToEnd();
    const r = x.evaluateExpression('icp(0).xisr');
    assert.ok(r.ok && r.value === 2n);
    const m = x.evaluateExpression('icp(0).mfrr == 4');
    assert.ok(m.ok && m.value === true);
  });
});
