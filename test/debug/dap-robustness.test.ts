/** Malformed and out-of-order DAP requests get error responses; the adapter keeps serving. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dapClients, evaluate, fixture, launch, topLine } from './harness';

const DELIVER = fixture('xive-deliver.irq');

const { client } = dapClients();

test('requests before launch are refused, then launch still works', async () => {
  const { dc } = await client();
  await dc.initializeRequest();
  await assert.rejects(dc.variablesRequest({ variablesReference: 1 }), /needs a launched scenario/);
  await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /needs a launched scenario/);
  await assert.rejects(dc.stepBackRequest({ threadId: 1 }), /needs a launched scenario/);
  await assert.rejects(dc.evaluateRequest({ expression: 'vp(1).cppr' }), /needs a launched scenario/);
  await assert.rejects(dc.customRequest('irqlab/interruptMap'), /needs a launched scenario|no scenario/);
  const threads = await dc.threadsRequest();
  assert.equal(threads.body.threads.length, 1);
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([dc.launchRequest({ program: DELIVER, stopOnEntry: true } as never), dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest())]);
  await stopped;
  assert.equal(await topLine(dc), 4);
});

test('launch errors: missing program, unreadable file, bad arguments, a scenario with errors (file:line:col)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-dap-bad-'));
  const broken = join(dir, 'broken.irq');
  writeFileSync(broken, 'device xive\nfrobnicate 12\nvcpu 1 connect\n');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{}, /missing 'program'/],
    [{ program: join(dir, 'nope.irq') }, /cannot read program/],
    [{ program: DELIVER, maxSteps: -4 }, /maxSteps/],
    [{ program: DELIVER, bitNumbering: 'middle' }, /bitNumbering/],
    [{ program: broken }, new RegExp(`broken\\.irq:2:1: `)],
  ];
  for (const [args, re] of cases) {
    const { dc } = await client();
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest(args as never), re, JSON.stringify(args));
  }
});

test('unknown references, absurd pages, bad goto targets and unknown commands are errors, not crashes', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: false, breakpoints: [{ line: 19 }] });
  await assert.rejects(dc.variablesRequest({ variablesReference: 987654 }), /unknown variablesReference/);
  await assert.rejects(dc.variablesRequest({ variablesReference: -1 }), /unknown variablesReference/);
  await assert.rejects(dc.variablesRequest({ variablesReference: 'x' as never }), /unknown variablesReference/);
  const scopes = (await dc.scopesRequest({ frameId: 0 })).body.scopes;
  const sources = scopes.find((s) => s.name === 'Sources')!.variablesReference;
  await assert.rejects(dc.variablesRequest({ variablesReference: sources, start: -5, count: 2 }), /start/);
  const huge = await dc.variablesRequest({ variablesReference: sources, start: 0, count: 1e9 });
  assert.equal(huge.body.variables.length, 1);
  const beyond = await dc.variablesRequest({ variablesReference: sources, start: 1e9, count: 10 });
  assert.equal(beyond.body.variables.length, 0);
  await assert.rejects(dc.gotoRequest({ threadId: 1, targetId: 42 }), /unknown goto target/);
  await assert.rejects(dc.gotoTargetsRequest({ source: { path: DELIVER }, line: 400 }), /no statement/);
  await assert.rejects(dc.gotoTargetsRequest({ source: {}, line: 3 } as never), /source\.path/);
  await assert.rejects(dc.setBreakpointsRequest({ source: {} } as never), /source\.path/);
  await assert.rejects(dc.setBreakpointsRequest({ source: { path: DELIVER }, breakpoints: [{ line: 'ten' as never }] }), /not a line number/);
  await assert.rejects(dc.customRequest('irqlab/doesNotExist'), /unknown request/);
  await assert.rejects(dc.evaluateRequest({ expression: '' }), /nothing to evaluate/);
  await assert.rejects(dc.evaluateRequest({ expression: 'set source_config 0x1300 = {', context: 'repl' }));
  await assert.rejects(dc.customRequest('readMemory', { memoryReference: '0x10000', count: -1 }), /count/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: 99999, name: 'x', value: '1' }), /unknown variablesReference/);
  await assert.rejects(dc.exceptionInfoRequest({ threadId: 1 }), /not stopped on an exception/);
  await assert.rejects(dc.launchRequest({ program: DELIVER } as never), /already runs/);
  await assert.rejects(dc.attachRequest({} as never), /no attach/);
  // Still alive and exact after all that.
  assert.equal(await topLine(dc), 19);
  assert.equal(await evaluate(dc, 'eq(1,6).index'), '0x1');
});

test('the adapter exits when the client disconnects', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  await dc.disconnectRequest({});
});
