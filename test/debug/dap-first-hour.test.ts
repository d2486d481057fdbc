/** Issue 13 through `irqlab dap`: experiments counted apart, the console's `verbose on`, notes in Last operation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOutput, dapClients, fixture, launch, scopeRef, children, step } from './harness';

const DELIVER = fixture('xive-deliver.irq');
const { client } = dapClients();

test('console experiments are reported apart from the scenario\'s expectations at the end', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, DELIVER);
  // Two experiments that fail: a reserved priority and a queue that does not exist.
  await dc.evaluateRequest({ expression: 'set eq_config server 1 priority 7 = { flags always_notify, qshift 16, qaddr 0x20000, qtoggle 1 }', context: 'repl', frameId: 0 });
  await dc.evaluateRequest({ expression: 'set source_config 0x1300 = { priority 5, server 1, eisn 1 }', context: 'repl', frameId: 0 });
  await step(dc, 'continue');
  const summary = out.find((o) => /passed, .* failed/.test(o)) ?? '';
  assert.match(summary, /4 passed, 0 failed; experiments \(Debug Console, Set Value\): 2 failed/, out.join(''));
});

test('verbose on prints each statement\'s result and its notes; Last operation lists the notes', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, DELIVER);
  const v = await dc.evaluateRequest({ expression: 'verbose on', context: 'repl', frameId: 0 });
  assert.match(v.body.result, /verbose on/);
  for (let i = 0; i < 8; i++) await step(dc, 'next');
  // The guest's TIMA store at line 16 is the first time vCPU 1 runs: it enters the guest.
  assert.ok(out.some((o) => o.startsWith('=> ok') && o.includes('note: vCPU 1 entered the guest for a guest TIMA store')), out.join(''));
  const last = await children(dc, await scopeRef(dc, 'Last operation'));
  assert.ok(last.some((n) => n.name === 'note' && /entered the guest/.test(n.value)), JSON.stringify(last));
  const loc = last.find((n) => n.name === 'location');
  assert.match(loc?.value ?? '', /xive-deliver\.irq:16:1/);
});

test('a console statement\'s location reads as the Debug Console, not irqlab-console::1:1', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER);
  await dc.evaluateRequest({ expression: 'vcpu 1 connect', context: 'repl', frameId: 0 });
  const last = await children(dc, await scopeRef(dc, 'Last operation'));
  assert.match(last.find((n) => n.name === 'location')?.value ?? '', /Debug Console/);
});

test('stepping back over a console statement says what was undone', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  await launch(dc, DELIVER);
  await dc.evaluateRequest({ expression: 'vcpu 1 connect', context: 'repl', frameId: 0 });
  await step(dc, 'stepBack');
  assert.ok(out.some((o) => o === 'step back undid a Debug Console statement: vcpu 1 connect\n'), out.join(''));
});
