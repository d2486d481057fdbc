/** What the Variables pane, the console, hovers and the memory view show, through `irqlab dap`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { INTERRUPT_MAP_REQUEST, InterruptMapResponseBody, TOGGLE_HEX_REQUEST } from '../../src/protocol';
import { assertGolden } from './golden';
import {
  child, children, collectOutput, dapClients, evaluate, fixture, inProcessClient, launch, renderVariables, scopeRef, step, topLine,
} from './harness';

const DELIVER = fixture('xive-deliver.irq');
const XICS = fixture('xics-deliver.irq');

const { client, track } = dapClients();

test('golden Variables trees at chosen stops (XIVE: entry, after the trigger, the scan and the ACK; XICS: presented)', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  assertGolden('dap-xive-entry.txt', await renderVariables(dc));
  await dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 19 }, { line: 20 }, { line: 21 }] });
  await step(dc, 'continue');
  assertGolden('dap-xive-after-trigger.txt', await renderVariables(dc));
  await step(dc, 'continue');
  assertGolden('dap-xive-after-scan.txt', await renderVariables(dc));
  await step(dc, 'continue');
  assertGolden('dap-xive-after-ack.txt', await renderVariables(dc));

  const x = await client();
  await launch(x.dc, XICS, { stopOnEntry: false, breakpoints: [{ line: 8 }] });
  assertGolden('dap-xics-presented.txt', await renderVariables(x.dc));
});

test('variable references stay the same for the same node across stops', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const sources1 = await scopeRef(dc, 'Sources');
  const src1 = await child(dc, sources1, '0x1300');
  await step(dc, 'next');
  const sources2 = await scopeRef(dc, 'Sources');
  const src2 = await child(dc, sources2, '0x1300');
  assert.equal(sources2, sources1);
  assert.equal(src2.variablesReference, src1.variablesReference);
  assert.notEqual(src2.value, src1.value, 'the trigger changed PQ');
});

test('hex and decimal: format.hex per request and the irqlab/toggleHex request', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 19 }] });
  const queues = await scopeRef(dc, 'Event queues');
  const q = await child(dc, queues, 'server 1 priority 6');
  assert.equal((await child(dc, q.variablesReference, 'qshift')).value, '0x10');
  const dec = (await children(dc, q.variablesReference, { format: { hex: false } })).find((v) => v.name === 'qshift');
  assert.equal(dec?.value, '16');
  const toggled = await dc.customRequest(TOGGLE_HEX_REQUEST);
  assert.deepEqual(toggled.body, { hex: false });
  assert.equal((await child(dc, q.variablesReference, 'qshift')).value, '16');
  assert.equal(await evaluate(dc, 'eq(1,6).qshift'), '16');
});

test('setVariable on a field performs the real operation, says which, and step back undoes it', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 16 }] });
  const sources = await scopeRef(dc, 'Sources');
  const src = await child(dc, sources, '0x1300');
  const invalidated = dc.waitForEvent('invalidated');
  const r = await dc.setVariableRequest({ variablesReference: src.variablesReference, name: 'eisn [63:33]', value: '0x42' });
  assert.match(r.body.value, /^0x00000042/);
  await invalidated;
  assert.ok(out.some((o) => /^set source_config 0x1300 = 0x000000840000000e  ok/.test(o)), out.join(''));
  assert.equal(await evaluate(dc, 'source(0x1300).eisn'), '0x42');
  assert.match((await child(dc, sources, '0x1300')).value, / eisn=0x42 /);
  // The model refuses: no priority-5 queue. The error names the operation and the kernel's reason.
  await assert.rejects(dc.setVariableRequest({ variablesReference: src.variablesReference, name: 'priority [2:0]', value: '5' }), /set source_config 0x1300 = .* failed: EBUSY/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: src.variablesReference, name: 'priority [2:0]', value: '9' }), /3 bits wide/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: src.variablesReference, name: 'pq', value: '0' }), /read-only/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: src.variablesReference, name: 'priority [2:0]', value: 'banana' }), /not a number/);
  await step(dc, 'stepBack');
  await step(dc, 'stepBack');
  assert.equal(await evaluate(dc, 'source(0x1300).eisn'), '0x1300', 'the writes (the refused one too) were recorded steps');
  assert.equal(await topLine(dc), 16);
});

test('setVariable on a whole register word and on a presenter field', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const presenters = await scopeRef(dc, 'Presenters');
  const vp = await child(dc, presenters, /^VP vCPU 1/);
  const r = await dc.setVariableRequest({ variablesReference: vp.variablesReference, name: 'cppr [55:48]', value: '0x5' });
  assert.match(r.body.value, /^0x05/);
  assert.equal(await evaluate(dc, 'vp(1).cppr'), '0x5');
  const sources = await scopeRef(dc, 'Sources');
  const w = await dc.setVariableRequest({ variablesReference: sources, name: '0x1300', value: '0x000028000000000e' });
  assert.match(w.body.value, /prio=6 server=1 eisn=0x1400/);
});

test('console: a statement runs against the state (step back undoes it), decode, expressions, hovers', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const r = await evaluate(dc, 'set source_config 0x1300 = { priority 6, server 1, eisn 0x42 }', 'repl');
  assert.match(r, /ok/);
  assert.equal(await evaluate(dc, 'source(0x1300).eisn'), '0x42');
  assert.equal(await topLine(dc), 18, 'running a console statement does not move the cursor');
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), 18);
  assert.equal(await evaluate(dc, 'source(0x1300).eisn'), '0x1300');

  const decoded = await dc.evaluateRequest({ expression: 'decode xive-source-config 0x000026000000000e', context: 'repl' });
  assert.equal(decoded.body.result, '0x000026000000000e  prio=6 server=1 eisn=0x1300');
  const fields = await children(dc, decoded.body.variablesReference);
  assert.deepEqual(fields.map((f) => f.name), ['priority [2:0]', 'server [31:3]', 'masked [32]', 'eisn [63:33]']);
  await assert.rejects(dc.evaluateRequest({ expression: 'decode nope 0x1', context: 'repl' }), /unknown layout/);

  assert.equal(await evaluate(dc, 'source(0x1300)'), '0x000026000000000e  prio=6 server=1 eisn=0x1300');
  assert.equal(await evaluate(dc, 'source(0x1300).pq == 0'), 'true');
  assert.equal(await evaluate(dc, 'uart', 'hover'), '0x1300');
  assert.equal(await evaluate(dc, '0x8000_1300', 'hover'), '0x80001300  gen=1 eisn=0x1300', 'a queue entry literal decodes as one');
  assert.equal(await evaluate(dc, '0x1234', 'hover'), '0x1234', 'a literal in no word context is just a number');
  await assert.rejects(dc.evaluateRequest({ expression: 'set source 0x1 = 0', context: 'watch' }), /only in the Debug Console/);
  await assert.rejects(dc.evaluateRequest({ expression: 'nosuch(1)', context: 'watch' }));
});

test('completions in the console', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 18 }] });
  const labels = async (text: string): Promise<string[]> => (await dc.completionsRequest({ text, column: text.length + 1 })).body.targets.map((t) => t.label);
  assert.ok((await labels('ti')).includes('tima'));
  assert.ok((await labels('source(0x1300).pr')).includes('priority'));
  assert.ok((await labels('vp(1).')).includes('cppr'));
  assert.ok((await labels('decode xive-s')).includes('xive-source-config'));
  assert.ok((await labels('log ua')).includes('uart'));
});

test('readMemory of an event queue returns the big-endian entries', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 19 }] });
  const queues = await scopeRef(dc, 'Event queues');
  const q = await child(dc, queues, 'server 1 priority 6');
  assert.equal(q.memoryReference, '0x10000');
  const r = (await dc.customRequest('readMemory', { memoryReference: q.memoryReference, offset: 0, count: 8 })) as DebugProtocol.ReadMemoryResponse;
  assert.equal(r.body?.address, '0x10000');
  assert.deepEqual([...Buffer.from(r.body!.data!, 'base64')], [0x80, 0x00, 0x13, 0x00, 0, 0, 0, 0]);
  const entries = await child(dc, q.variablesReference, 'entries');
  assert.equal(entries.indexedVariables, 1);
  const [e0] = await children(dc, entries.variablesReference, { filter: 'indexed', start: 0, count: 1 });
  assert.equal(e0.value, '0x80001300  gen=1 eisn=0x1300 · next write'.replace(' · next write', ''));
  await assert.rejects(dc.customRequest('readMemory', { memoryReference: 'nowhere', count: 4 }), /not a memory reference/);
});

test('irqlab/interruptMap returns the routing picture', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 19 }] });
  const map = (await dc.customRequest(INTERRUPT_MAP_REQUEST, {})).body as InterruptMapResponseBody;
  assert.equal(map.device, 'xive');
  assert.equal(map.line, 19);
  assert.equal(map.totalSources, 1);
  // Line 12 (`set source uart`): the proc's `set source_config irq` has no constant source number.
  assert.deepEqual(map.sources[0], { irq: 0x1300, type: 'MSI', pq: 'P-', asserted: false, routed: true, server: 1, priority: 6, summary: 'prio=6 server=1 eisn=0x1300', line: 12, route: 'pending at vCPU 1' });
  assert.deepEqual(map.queues[0], { server: 1, priority: 6, vcpu: 1, index: 1, entries: 16384, generation: 1, unread: 1, count: 1 });
  assert.deepEqual(map.presenters[0].pending, [6]);
  assert.equal(map.presenters[0].kind, 'vp');
});

test('a million sources: Sources pages in chunks of 1000 and the last page is served by position', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-dap-'));
  const program = join(dir, 'million.irq');
  writeFileSync(program, 'scenario "a million sources"\ndevice xive\nrepeat 1000000 as i {\n  set source i = 0x0\n}\nlog "done"\n');
  const { dc } = track(await inProcessClient());
  await launch(dc, program, { stopOnEntry: false, maxSteps: 3_000_000, breakpoints: [{ line: 6 }] });
  assert.equal(await topLine(dc), 6);
  const scopes = (await dc.scopesRequest({ frameId: 0 })).body.scopes;
  const sources = scopes.find((s) => s.name === 'Sources')!;
  assert.equal(sources.indexedVariables, 1000);
  const chunks = await children(dc, sources.variablesReference, { filter: 'indexed', start: 998, count: 2 });
  assert.deepEqual(chunks.map((c) => [c.name, c.indexedVariables]), [['[998000..998999]', 1000], ['[999000..999999]', 1000]]);
  const last = await children(dc, chunks[1].variablesReference, { filter: 'indexed', start: 998, count: 2 });
  assert.deepEqual(last.map((v) => v.name), ['0xf423e', '0xf423f']);
  const capped = await children(dc, chunks[0].variablesReference, { filter: 'indexed', start: 0, count: 1e9 });
  assert.equal(capped.length, 1000, 'a count of 1e9 is capped to one page');
  assert.deepEqual(await children(dc, sources.variablesReference, { filter: 'named' }), []);
});
