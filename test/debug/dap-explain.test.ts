/**
 * `explain` in the Debug Console and the map's blocking link, through `irqlab dap`
 * (a DebugClient on the spawned adapter): the one-line answer as the evaluate
 * result, the whole chain on the console, and the Variables pane's summaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { INTERRUPT_MAP_REQUEST, InterruptMapResponseBody } from '../../src/protocol';
import { child, children, collectOutput, dapClients, evaluate, fixture, launch, scopeRef, step } from './harness';

const DELIVER = fixture('xive-deliver.irq');
const { client } = dapClients();

/** Waits until the console has printed something containing `text`. */
async function consoleText(out: string[], dc: { waitForEvent(e: string): Promise<DebugProtocol.Event> }, text: string): Promise<string> {
  for (let i = 0; i < 20 && !out.join('').includes(text); i++) await dc.waitForEvent('output');
  return out.join('');
}

test('Debug Console: explain source / vcpu / eq entry at the current stop', async () => {
  const { dc } = await client();
  // Line 16 (`tima vcpu 1 store8 0x11 0xff`) not run yet: vCPU 1 has never run.
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 16 }] });
  const out = collectOutput(dc);
  assert.equal(await evaluate(dc, 'explain source 0x1300', 'repl'), 'blocked: vCPU 1 stopped');
  const text = await consoleText(out, dc, '^ stops here');
  assert.match(text, /source 0x1300 \(xive\): blocked: vCPU 1 stopped/);
  assert.match(text, /BLOCKS vCPU 1 {2}\[running=false backlog_ipb=0x00\]\n {9}vCPU 1 is stopped .*\(kvmppc_xive_pull_vcpu\)\n {9}\^ stops here/);
  assert.match(text, /- run vCPU 1: vcpu 1 run/);

  await step(dc, 'next'); // CPPR opened (the vCPU runs)
  await step(dc, 'next'); // the trigger
  assert.equal(await evaluate(dc, 'explain source 0x1300', 'repl'), 'pending at vCPU 1');
  assert.equal(await evaluate(dc, 'explain vcpu 1', 'repl'), 'signalled: priority 6 next (CPPR 0xff)');
  const entry = await evaluate(dc, 'explain eq 1 6 0', 'repl');
  assert.match(entry, /^EQ 1\/6\[0\] = 0x80001300: EISN 0x1300, generation 1, unread/);
  const full = await consoleText(out, dc, 'written at step');
  assert.match(full, /written at step \d+, .*xive-deliver\.irq:18: esb uart trigger store 0x000 \(source 0x1300\)/);
  // The provenance search travelled in time and came back: the stop is unchanged.
  assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].line, 19);
  assert.equal(await evaluate(dc, 'eq(1,6).index'), '0x1');
});

test('Debug Console: explain errors are messages, not crashes', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  await assert.rejects(dc.evaluateRequest({ expression: 'explain source', context: 'repl' }), /usage: explain source IRQ/);
  await assert.rejects(dc.evaluateRequest({ expression: 'explain vcpu one', context: 'repl' }), /'one' is not a number/);
  await assert.rejects(dc.evaluateRequest({ expression: 'explain eq 1 6 0', context: 'repl' }), /event queues exist only with a XIVE native device/);
  assert.equal(await evaluate(dc, 'explain source 0x1300', 'repl'), 'blocked: no interrupt device');
});

test('Variables pane: a source and a vCPU carry the one-line route; the map marks the blocking link', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 16 }] });
  const src = await child(dc, await scopeRef(dc, 'Sources'), '0x1300');
  assert.match(src.value, /· MSI PQ=-- · blocked: vCPU 1 stopped$/);
  const map = (await dc.customRequest(INTERRUPT_MAP_REQUEST, {})).body as InterruptMapResponseBody;
  assert.deepEqual(map.sources[0].blocked && { at: map.sources[0].blocked.at, link: map.sources[0].blocked.link, short: map.sources[0].blocked.short }, { at: 'presenter', link: 'vcpu', short: 'vCPU 1 stopped' });
  assert.match(map.sources[0].blocked!.reason, /\(kvmppc_xive_pull_vcpu\)$/);
  await step(dc, 'next');
  await step(dc, 'next');
  const presenters = await children(dc, await scopeRef(dc, 'Presenters'));
  assert.match(presenters[0].value, / · running · signalled: priority 6 next \(CPPR 0xff\)$/);
  const after = (await dc.customRequest(INTERRUPT_MAP_REQUEST, {})).body as InterruptMapResponseBody;
  assert.equal(after.sources[0].blocked, undefined);
  assert.equal(after.sources[0].route, 'pending at vCPU 1');
});
