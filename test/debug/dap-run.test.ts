/** Running and stopping through `irqlab dap` (stdio): breakpoints of every kind, stepping, time travel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOutput, dapClients, evaluate, fixture, frames, launch, renderVariables, step, topLine } from './harness';

const DELIVER = fixture('xive-deliver.irq');
const WRAP = fixture('xive-wrap.irq');
const FAIL = fixture('expect-fail.irq');
const LOOP = fixture('loop.irq');

const { client } = dapClients();

test('launch with stopOnEntry stops before the first statement', async () => {
  const { dc } = await client();
  const stopped = await launch(dc, DELIVER);
  assert.equal(stopped.body.reason, 'entry');
  const f = await frames(dc);
  assert.equal(f.length, 1);
  assert.equal(f[0].line, 4);
  assert.equal(f[0].source?.path, DELIVER);
  assert.equal(f[0].name, 'XIVE deliver');
  const threads = await dc.threadsRequest();
  assert.deepEqual(threads.body.threads.map((t) => t.name), ['scenario']);
});

test('breakpoints are verified against statement lines and move to the next statement', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  const r = await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 17 }, { line: 9 }, { line: 21 }, { line: 40 }] });
  const bps = r.body.breakpoints;
  assert.deepEqual(bps.map((b) => [b.verified, b.line]), [[true, 18], [true, 10], [true, 21], [false, 40]]);
  assert.match(bps[3].message ?? '', /no statement/);
  const s = await step(dc, 'continue');
  assert.equal(s.body.reason, 'breakpoint');
  assert.deepEqual(s.body.hitBreakpointIds, [bps[1].id]);
  assert.equal(await topLine(dc), 10);
  await step(dc, 'continue');
  assert.equal(await topLine(dc), 18);
});

test('a breakpoint on the first statement stops a launch without stopOnEntry', async () => {
  const { dc } = await client();
  const s = await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 4 }] });
  assert.equal(s.body.reason, 'breakpoint');
  assert.equal(await topLine(dc), 4);
});

test('step in and out of a proc; step over a call', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 14 }] });
  assert.equal(await topLine(dc), 14);
  await step(dc, 'stepIn');
  const inside = await frames(dc);
  assert.equal(inside.length, 2);
  assert.equal(inside[0].line, 7);
  assert.match(inside[0].name, /^route\(/);
  assert.equal(inside[1].line, 14);
  await step(dc, 'stepOut');
  const out = await frames(dc);
  assert.equal(out.length, 1);
  assert.equal(out[0].line, 15);
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), 14, 'step back over the proc body lands on the call');
  await step(dc, 'next');
  assert.equal(await topLine(dc), 15, 'next steps over the call');
  assert.equal(await evaluate(dc, 'source(0x1300).priority'), '0x6');
});

test('step back across an ESB trigger restores every value exactly', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const before = await renderVariables(dc);
  assert.equal(await evaluate(dc, 'source(0x1300).pq'), '0x0');
  await step(dc, 'next');
  assert.equal(await topLine(dc), 19);
  assert.equal(await evaluate(dc, 'source(0x1300).pq'), '0x2');
  assert.equal(await evaluate(dc, 'eq(1,6).index'), '0x1');
  assert.notEqual(await renderVariables(dc), before);
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), 18);
  assert.equal(await evaluate(dc, 'source(0x1300).pq'), '0x0');
  assert.equal(await evaluate(dc, 'eq(1,6).index'), '0x0');
  assert.equal(await renderVariables(dc), before);
});

test('conditional breakpoint stops before the wrapping trigger; step back across the wrap restores index and generation', async () => {
  const { dc } = await client();
  await launch(dc, WRAP, { stopOnEntry: false, breakpoints: [{ line: 10, condition: 'eq(0,5).index == 16383' }] });
  assert.equal(await topLine(dc), 10);
  assert.equal(await evaluate(dc, 'eq(0,5).generation'), '0x1');
  const before = await renderVariables(dc);
  await step(dc, 'next');
  assert.equal(await evaluate(dc, 'eq(0,5).index'), '0x0');
  assert.equal(await evaluate(dc, 'eq(0,5).generation'), '0x0', 'the generation bit flips on the wrap');
  assert.equal(await evaluate(dc, 'eq(0,5).entries[16383]'), '0x80000020  gen=1 eisn=0x20');
  await step(dc, 'next');
  await step(dc, 'stepBack');
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), 10);
  assert.equal(await evaluate(dc, 'eq(0,5).index'), '0x3fff');
  assert.equal(await evaluate(dc, 'eq(0,5).generation'), '0x1');
  assert.equal(await renderVariables(dc), before);
});

test('hit counts and logpoints with {expressions}', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, LOOP, { stopOnEntry: false, breakpoints: [{ line: 7, hitCondition: '3' }, { line: 8, logMessage: 'uart {uart} i={i}' }] });
  assert.equal(await topLine(dc), 7);
  assert.equal(await evaluate(dc, 'i'), '0x2', 'third hit is the third iteration');
  assert.ok(out.some((o) => o === 'uart 0x1300 i=0x0\n'), JSON.stringify(out));
  assert.ok(out.some((o) => o === 'uart 0x1300 i=0x1\n'), out.join(''));
});

test('function breakpoints stop before the operation they name', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, functionBreakpoints: ['set source_config'] });
  let f = await frames(dc);
  assert.equal(f[0].line, 7, 'inside the proc');
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tima' }, { name: 'H_EOI' }] });
  const s = await step(dc, 'continue');
  assert.equal(s.body.reason, 'function breakpoint');
  f = await frames(dc);
  assert.equal(f[0].line, 16);
  const bad = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '' }] });
  assert.equal(bad.body.breakpoints[0].verified, false);
});

test('exception breakpoint on a failed expectation, with exceptionInfo', async () => {
  const { dc } = await client();
  const s = await launch(dc, FAIL, { stopOnEntry: false });
  assert.equal(s.body.reason, 'exception');
  assert.equal(await topLine(dc), 7, 'the frame shows the failing statement');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'expectation-failed');
  assert.match(info.body.description ?? '', /EINVAL/);
  assert.match(info.body.description ?? '', /priority 7 is reserved/);
  assert.match(info.body.description ?? '', /expected ENOENT/);
  assert.equal(info.body.details?.typeName, 'EINVAL');
});

test('exception breakpoint "operation returned an error" stops at an expected errno too', async () => {
  const { dc } = await client();
  const s = await launch(dc, FAIL, { stopOnEntry: false, exceptionFilters: ['operation-error'] });
  assert.equal(s.body.reason, 'exception');
  assert.equal(await topLine(dc), 6);
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'EBUSY');
  await assert.rejects(dc.setExceptionBreakpointsRequest({ filters: ['nonsense'] }));
});

test('data breakpoint on a VP field stops when it changes', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 15 }] });
  const scopes = (await dc.scopesRequest({ frameId: 0 })).body.scopes;
  const presenters = scopes.find((s) => s.name === 'Presenters')!.variablesReference;
  const vp = (await dc.variablesRequest({ variablesReference: presenters })).body.variables[0];
  const info = await dc.dataBreakpointInfoRequest({ variablesReference: vp.variablesReference, name: 'cppr [55:48]' });
  assert.equal(info.body.dataId, 'vp(1).cppr');
  assert.deepEqual(info.body.accessTypes, ['write']);
  const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
  assert.equal(set.body.breakpoints[0].verified, true);
  const s = await step(dc, 'continue');
  assert.equal(s.body.reason, 'data breakpoint');
  assert.match(s.body.description ?? '', /vp\(1\)\.cppr changed: 0x0 → 0xff/);
  assert.equal(await topLine(dc), 18, 'stopped after the CPPR store');
  const none = await dc.dataBreakpointInfoRequest({ variablesReference: presenters, name: 'no such thing' });
  assert.equal(none.body.dataId, null);
});

test('reverse continue stops at breakpoints backwards, then at the start', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 20 }] });
  await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 12 }, { line: 15, condition: 'source(0x1300).pq == 5' }] });
  const s = await step(dc, 'reverseContinue');
  assert.equal(s.body.reason, 'breakpoint');
  assert.equal(await topLine(dc), 12, 'a false condition does not stop going backwards either');
  assert.equal(await evaluate(dc, 'device.source_count'), '0x0');
  const s2 = await step(dc, 'reverseContinue');
  assert.equal(s2.body.reason, 'entry');
  assert.equal(await topLine(dc), 4);
});

test('reverse continue stops after the statements that changed a watched value, nearest first, among line breakpoints', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 22 }] });
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'vp(1).cppr' }] });
  await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 19 }] });
  const ack = await step(dc, 'reverseContinue');
  assert.equal(ack.body.reason, 'data breakpoint');
  assert.match(ack.body.description ?? '', /vp\(1\)\.cppr changed: 0xff → 0x6/);
  assert.equal(await topLine(dc), 21, 'just after the ACK on line 20');
  assert.equal(await evaluate(dc, 'vp(1).cppr'), '0x6');
  const bp = await step(dc, 'reverseContinue');
  assert.equal(bp.body.reason, 'breakpoint');
  assert.equal(await topLine(dc), 19);
  const open = await step(dc, 'reverseContinue');
  assert.equal(open.body.reason, 'data breakpoint');
  assert.match(open.body.description ?? '', /0x0 → 0xff/);
  assert.equal(await topLine(dc), 18, 'just after the CPPR store on line 16');
  // Before line 11 connects vCPU 1 its VP does not exist: coming into existence is a change too, as going forwards.
  const born = await step(dc, 'reverseContinue');
  assert.match(born.body.description ?? '', /changed: gone → 0x0/);
  assert.equal(await topLine(dc), 12);
  assert.equal((await step(dc, 'reverseContinue')).body.reason, 'entry');
  // A condition is tested where the change happened: from the end, the ACK's change (to 6) does not stop.
  await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [] });
  await dc.setDataBreakpointsRequest({ breakpoints: [] });
  assert.equal((await step(dc, 'continue')).body.reason, 'end');
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'vp(1).cppr', condition: 'vp(1).cppr == 0xff' }] });
  const conditional = await step(dc, 'reverseContinue');
  assert.equal(conditional.body.reason, 'data breakpoint');
  assert.equal(await topLine(dc), 18);
});

test('goto travels to the nearest step at a line, forwards and backwards', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  const targets = await dc.gotoTargetsRequest({ source: { path: DELIVER }, line: 17 });
  assert.equal(targets.body.targets[0].line, 18);
  const stoppedF = dc.waitForEvent('stopped');
  await dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[0].id });
  assert.equal((await stoppedF).body.reason, 'goto');
  assert.equal(await topLine(dc), 18);
  assert.equal(await evaluate(dc, 'vp(1).cppr'), '0xff');
  const back = await dc.gotoTargetsRequest({ source: { path: DELIVER }, line: 11 });
  const stoppedB = dc.waitForEvent('stopped');
  await dc.gotoRequest({ threadId: 1, targetId: back.body.targets[0].id });
  await stoppedB;
  assert.equal(await topLine(dc), 11);
  assert.equal(await evaluate(dc, 'device.source_count'), '0x0');
  await assert.rejects(dc.gotoRequest({ threadId: 1, targetId: 999 }), /unknown goto target/);
});

test('continue to the end stops there (step back still works), continuing again terminates', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, DELIVER, { stopOnEntry: false });
  const f = await frames(dc);
  assert.equal(f[0].name, 'end of scenario');
  assert.ok(out.some((o) => /4 passed, 0 failed/.test(o)), out.join(''));
  assert.ok(out.some((o) => o === 'done with 0x1300\n'));
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), 22);
  await step(dc, 'continue');
  const terminated = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  await terminated;
});

test('pause interrupts a long run; the step limit stops a runaway one', async () => {
  const { dc } = await client();
  await launch(dc, LOOP);
  await dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [] });
  await dc.continueRequest({ threadId: 1 });
  const paused = dc.waitForEvent('stopped');
  await dc.pauseRequest({ threadId: 1 });
  assert.equal((await paused).body.reason, 'pause');
  const l = await topLine(dc);
  assert.ok(l === 7 || l === 8, `paused inside the loop, at ${l}`);

  const limited = await client();
  const s = await launch(limited.dc, LOOP, { stopOnEntry: false, maxSteps: 50 });
  assert.match(s.body.description ?? s.body.text ?? '', /step limit|50/i);
});

test('restart goes back to the entry with the same breakpoints; terminate ends the session', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const stopped = dc.waitForEvent('stopped');
  await dc.restartRequest({});
  assert.equal((await stopped).body.reason, 'breakpoint');
  assert.equal(await topLine(dc), 18);
  const terminated = dc.waitForEvent('terminated');
  await dc.terminateRequest();
  await terminated;
});

test('noDebug runs to the end and terminates', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  const terminated = dc.waitForEvent('terminated');
  await Promise.all([
    dc.launch({ program: DELIVER, noDebug: true }),
    dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 18 }] });
      await dc.configurationDoneRequest();
    }),
  ]);
  await terminated;
  assert.ok(out.some((o) => /4 passed, 0 failed/.test(o)), out.join(''));
});

test('included files: breakpoints verify against their statements, function breakpoints and frames reach into them', async () => {
  const main = fixture('with-include.irq');
  const inc = fixture('included-setup.irq');
  const { dc } = await client();
  await launch(dc, main, { stopOnEntry: false, functionBreakpoints: ['set source_config'] });
  const f = await frames(dc);
  assert.equal(f[0].source?.path, inc);
  assert.equal(f[0].line, 4);
  assert.equal(f[f.length - 1].source?.path, main);
  const r = await dc.setBreakpointsRequest({ source: { path: inc }, breakpoints: [{ line: 1 }] });
  assert.deepEqual(r.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 2]]);
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const back = await step(dc, 'reverseContinue');
  assert.equal(back.body.reason, 'breakpoint');
  assert.equal((await frames(dc))[0].source?.path, inc);
  assert.equal(await topLine(dc), 2);
});
