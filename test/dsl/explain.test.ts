/**
 * The routing explanation over blocked states: each row is its own `.irq`
 * fixture, run to its end; the explanation must stop at the named link and
 * give the reason (with the kernel rule) and the next action.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioRuntime } from '../../src/dsl/runtime';
import { explainTarget, parseExplainTarget, queueEntryOrigin, runToLine, scenarioHistory } from '../../src/dsl/runtime/explain-at';
import { explainQueueEntry, explainSource, explainVcpu, renderExplanation, SourceExplanation } from '../../src/model/explain';
import { createVm } from '../../src/model';

const DIR = 'test/dsl/fixtures/explain';

function runFixture(name: string): ScenarioRuntime {
  const uri = join(DIR, name);
  const { runtime, diagnostics } = ScenarioRuntime.create(uri, readFileSync(uri, 'utf8'), { readFile: () => undefined });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  runtime.runToEnd();
  assert.deepEqual(runtime.results.filter((r) => !r.ok).map((r) => `${r.line + 1}: ${r.message}`), [], `${name} runs green`);
  return runtime;
}

interface Row {
  readonly fixture: string;
  readonly irq: number;
  readonly link: string;
  readonly rule: string;
  readonly reason: RegExp;
  readonly summary: string;
  readonly next: RegExp;
}

const ROWS: readonly Row[] = [
  { fixture: 'xive-unconfigured-source.irq', irq: 0x1300, link: 'source', rule: 'kvmppc_xive_native_set_source', reason: /never declared with KVM_DEV_XIVE_GRP_SOURCE/, summary: 'blocked: source 0x1300 not declared', next: /^set source 0x1300 = 0$/ },
  { fixture: 'xive-masked.irq', irq: 0x1300, link: 'config', rule: 'kvmppc_xive_native_set_source_config', reason: /masked \(act_priority 0xff/, summary: 'blocked: source masked', next: /^set source_config 0x1300 = \{ priority 6/ },
  { fixture: 'xive-pq-stuck.irq', irq: 0x1300, link: 'pq', rule: 'xive_esb_eoi', reason: /PQ 10 .*never EOIed/, summary: 'blocked: PQ 10 waiting for EOI', next: /^esb 0x1300 load 0x000$/ },
  { fixture: 'xive-eq-not-configured.irq', irq: 0x1300, link: 'eq', rule: 'kvmppc_xive_native_set_queue_config', reason: /event queue \(END\) is disabled/, summary: 'blocked: EQ 0/6 not configured', next: /^set eq_config server 0 priority 6 = \{ flags always_notify, qshift 16/ },
  { fixture: 'xive-eq-full.irq', irq: 0x1300, link: 'eq', rule: 'kvmppc_xive_native_set_queue_config', reason: /EQ 0\/6 is full: 16384 unread entries of 16384/, summary: 'blocked: EQ 0/6 full', next: /^eq server 0 priority 6$/ },
  { fixture: 'xive-stopped-vcpu.irq', irq: 0x1300, link: 'vcpu', rule: 'kvmppc_xive_pull_vcpu', reason: /vCPU 0 is stopped .*NVT backlog \(priority 6 is there\)/, summary: 'blocked: vCPU 0 stopped', next: /^vcpu 0 run$/ },
  { fixture: 'xive-cppr-too-favoured.irq', irq: 0x1300, link: 'cppr', rule: 'xive_tctx_notify', reason: /CPPR 5 masks priority 6/, summary: 'blocked: CPPR 5 masks prio 6', next: /^tima vcpu 0 store8 0x11 0xff$/ },
  { fixture: 'xics-reject-resend.irq', irq: 0x1000, link: 'icp', rule: 'icp_check_resend', reason: /rejected, waiting for a resend: CPPR 4 is not less favoured than priority 5/, summary: 'blocked: rejected, resend pending: CPPR 4 masks prio 5', next: /^hcall vcpu 0 H_CPPR 0xff$/ },
  { fixture: 'xics-masked.irq', irq: 0x1000, link: 'ics', rule: 'icp_deliver_irq', reason: /masked \(priority 0xff, saved priority 5\): a trigger is held in masked_pending \(one is held now\)/, summary: 'blocked: source masked', next: /^rtas ibm,int-on 0x1000$/ },
  { fixture: 'xics-ipi-more-favoured.irq', irq: 0x1000, link: 'icp', rule: 'icp_check_resend', reason: /an IPI is more favoured: MFRR 4 ≤ priority 5/, summary: 'blocked: rejected, resend pending: IPI (MFRR 4) more favoured', next: /^hcall vcpu 0 H_XIRR$/ },
];

describe('explain: blocked states, one fixture each', () => {
  for (const row of ROWS) {
    test(`${row.fixture}: stops at '${row.link}'`, () => {
      const rt = runFixture(row.fixture);
      const e = explainSource(rt.vm, row.irq);
      assert.equal(e.status, 'blocked');
      assert.notEqual(e.stoppedAt, null);
      const stop = e.chain[e.stoppedAt!];
      assert.equal(stop.link, row.link, renderExplanation(e));
      assert.equal(stop.verdict, 'blocks');
      assert.equal(stop.rule, row.rule);
      assert.match(stop.reason, row.reason);
      assert.equal(e.summary, row.summary);
      assert.ok(e.chain.slice(0, e.stoppedAt!).every((l) => l.verdict !== 'blocks'), 'no link before the stop blocks');
      assert.ok(e.next.some((s) => s.statement !== undefined && row.next.test(s.statement)), `next: ${JSON.stringify(e.next)}`);
      // The summary mode (no queue scan) gives the same verdicts.
      const quick = explainSource(rt.vm, row.irq, { findEntry: false });
      assert.deepEqual(quick.chain.map((l) => [l.link, l.verdict]), e.chain.map((l) => [l.link, l.verdict]));
    });
  }

  test('the suggested next statement lifts the block (run in the console; a full or torn-down queue and a latched IPI need more than one)', () => {
    for (const row of ROWS.filter((r) => r.link !== 'eq' && r.fixture !== 'xics-ipi-more-favoured.irq')) {
      const rt = runFixture(row.fixture);
      const before = explainSource(rt.vm, row.irq);
      const stop = before.chain[before.stoppedAt!];
      const fix = before.next.find((s) => s.statement && row.next.test(s.statement))!;
      const r = rt.executeText(fix.statement!);
      assert.ok(!("error" in r) && r.ok, `${row.fixture}: ${fix.statement}: ${"error" in r ? r.error : r.display}`);
      const after = explainSource(rt.vm, row.irq);
      const same = after.chain.find((l) => l.link === stop.link && l.title === stop.title);
      assert.notEqual(same?.verdict, 'blocks', `${row.fixture}: after '${fix.statement}':\n${renderExplanation(after)}`);
    }
  });
});

describe('explain: delivered, vCPUs, queue entries', () => {
  test('an event in the queue of a running vCPU with CPPR open is pending there, nothing blocks', () => {
    const rt = runFixture('xive-delivered.irq');
    const e: SourceExplanation = explainSource(rt.vm, 0x1300);
    assert.equal(e.status, 'pending');
    assert.equal(e.summary, 'pending at vCPU 1');
    assert.deepEqual(e.target, { vcpu: 1, server: 1, priority: 6 });
    assert.equal(e.chain.find((l) => l.link === 'eq')?.state.event, 'unread at index 0');
    assert.deepEqual(e.chain.map((l) => l.link), ['source', 'pq', 'config', 'target', 'eq', 'vcpu', 'cppr']);
  });

  test('a vCPU: pending priority 6, signalled, presented at the next ACK', () => {
    const rt = runFixture('xive-delivered.irq');
    const r = explainVcpu(rt.vm, 1);
    assert.ok(r.ok);
    assert.equal(r.value.status, 'signalled');
    assert.deepEqual(r.value.pending.map((p) => [p.priority, p.where, p.admitted]), [[6, 'ipb', true]]);
    assert.equal(r.value.presentsNext?.priority, 6);
    assert.deepEqual(r.value.queues, [{ priority: 6, unread: 1, entries: 16384, index: 1, generation: 1 }]);
  });

  test('a vCPU whose CPPR masks what is pending; a stopped one; an absent one', () => {
    const masked = explainVcpu(runFixture('xive-cppr-too-favoured.irq').vm, 0);
    assert.ok(masked.ok && masked.value.status === 'masked' && masked.value.pending[0].admitted === false);
    assert.ok(masked.value.next.some((s) => s.text === 'raise CPPR above 6'));
    const stopped = explainVcpu(runFixture('xive-stopped-vcpu.irq').vm, 0);
    assert.ok(stopped.ok && stopped.value.status === 'stopped');
    assert.deepEqual(stopped.value.pending.map((p) => p.where), ['backlog']);
    const absent = explainVcpu(createVm(), 3);
    assert.ok(absent.ok && absent.value.status === 'absent' && absent.value.summary === 'vCPU 3 does not exist');
  });

  test('a XICS ICP: the latched IPI is presented next, the source waits for a resend', () => {
    const r = explainVcpu(runFixture('xics-ipi-more-favoured.irq').vm, 0);
    assert.ok(r.ok);
    assert.deepEqual(r.value.presentsNext && [r.value.presentsNext.priority, r.value.presentsNext.xisr], [4, 2]);
    assert.deepEqual(r.value.pending.map((p) => [p.where, p.xisr]), [['latch', 2], ['resend', 0x1000]]);
  });

  test('a queue entry: its EISN, unread, and the step and line that wrote it (found by searching history)', () => {
    const rt = runFixture('xive-delivered.irq');
    const here = rt.stepCount;
    const r = explainTarget(scenarioHistory(rt), { kind: 'entry', server: 1, priority: 6, index: 0 });
    assert.ok(r.ok && r.value.kind === 'queue-entry');
    assert.equal(r.value.word, 0x80001300);
    assert.equal(r.value.unread, true);
    assert.deepEqual(r.value.writtenAt, { step: 9, uri: join(DIR, 'xive-delivered.irq'), line: 10, statement: 'esb 0x1300 store 0x000', sources: [0x1300] });
    assert.equal(rt.stepCount, here, 'the runtime is back where it was');
    assert.match(renderExplanation(r.value), /written at step 9, .*xive-delivered\.irq:11: esb 0x1300 store 0x000 \(source 0x1300\)/);
  });

  test('a queue entry rewritten with the same word after a wrap is found at its latest write', () => {
    const rt = runFixture('xive-eq-full.irq');
    // 16384 triggers, each then EOIed: entry 5 is the sixth trigger, step 8 + 2*5 + 1.
    const origin = queueEntryOrigin(scenarioHistory(rt), 0, 6, 5);
    assert.equal(origin?.step, 19);
    assert.equal(origin?.line, 10);
  });

  test('errors are values: bad queue, no device, unknown words', () => {
    const vm = createVm();
    assert.deepEqual(explainQueueEntry(vm, 0, 6, 0), { ok: false, error: 'event queues exist only with a XIVE native device' });
    const e = explainSource(vm, 0x1300);
    assert.equal(e.summary, 'blocked: no interrupt device');
    assert.deepEqual(parseExplainTarget(['source', '0x1300']), { kind: 'source', irq: 0x1300 });
    assert.deepEqual(parseExplainTarget(['eq', '1', '6', '0']), { kind: 'entry', server: 1, priority: 6, index: 0 });
    assert.match((parseExplainTarget(['source', 'x\u0007']) as { error: string }).error, /is not a number/);
    assert.ok('error' in parseExplainTarget(['vcpu']));
  });

  test('runToLine: the state after a top-level line; a repeat on it runs whole', () => {
    const uri = join(DIR, 'xive-eq-full.irq');
    const { runtime } = ScenarioRuntime.create(uri, readFileSync(uri, 'utf8'), { readFile: () => undefined });
    assert.equal(runToLine(runtime, 8), true); // after `tima vcpu 0 store8 0x11 0xff` (line 9)
    assert.equal(runtime.stepCount, 7);
    assert.equal(explainSource(runtime.vm, 0x1300).status, 'ready');
    assert.equal(runToLine(runtime, 10), false); // line 11 is inside the repeat of line 10: it runs whole, to the end
    assert.equal(explainSource(runtime.vm, 0x1300).summary, 'blocked: EQ 0/6 full');
  });
});

describe('explain: a queue shared by two sources', () => {
  test("one source's unread event does not make another's stuck P look in flight", () => {
    const text = `device xive
vcpu 0 connect
set eq_config server 0 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }
set source 0x1300 = 0
set source 0x1301 = 0
set source_config 0x1300 = { priority 6, server 0, eisn 0x1300 }
set source_config 0x1301 = { priority 6, server 0, eisn 0x1301 }
esb 0x1300 load 0xc00
esb 0x1301 load 0xc00
tima vcpu 0 store8 0x11 0xff
esb 0x1300 store 0x000
tima vcpu 0 load16 0x810
eq server 0 priority 6 -> [0x8000_1300]
tima vcpu 0 store8 0x11 0xff
esb 0x1301 store 0x000
`;
    const { runtime, diagnostics } = ScenarioRuntime.create('shared.irq', text, { readFile: () => undefined });
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    runtime.runToEnd();
    assert.ok(runtime.results.every((r) => r.ok));
    for (const findEntry of [true, false]) {
      assert.equal(explainSource(runtime.vm, 0x1300, { findEntry }).summary, 'blocked: PQ 10 waiting for EOI');
      assert.equal(explainSource(runtime.vm, 0x1301, { findEntry }).summary, 'pending at vCPU 0');
    }
    assert.equal(explainSource(runtime.vm, 0x1301).chain.find((l) => l.link === 'eq')?.state.event, 'unread at index 1');
  });
});
