/** The Debug Console's `info pic`, through the real adapter: QEMU's layout of the state where the session stands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dapClients, evaluate, fixture, launch, step } from './harness';

const DELIVER = fixture('xive-deliver.irq');

const { client } = dapClients();

test('info pic follows the session forwards and backwards', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { breakpoints: [{ line: 19 }], stopOnEntry: false });
  // Stopped before `eq server 1 priority 6`: the event sits in the queue and is signalled.
  const atEvent = await evaluate(dc, 'info pic', 'repl');
  assert.match(atEvent, /^CPU\[0001\]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2$/m);
  assert.match(atEvent, /^CPU\[0001\]:   OS    80   ff  02    00   ff  00  00   06  80000401$/m);
  assert.match(atEvent, /^  00001300 MSI P-    00001300   1\/6      1\/16384 @10000 \^1 \[ 00000000 00000000 00000000 00000000 80001300 \^00000000 \]$/m);
  // Step back over the trigger: no event, PQ 00, the queue still empty.
  await step(dc, 'stepBack');
  const before = await evaluate(dc, 'info pic', 'repl');
  assert.match(before, /^CPU\[0001\]:   OS    00   ff  00    00   ff  00  00   ff  80000401$/m);
  assert.match(before, /^  00001300 MSI --    00001300   1\/6      0\/16384 @10000 \^1 \[ 00000000 00000000 00000000 00000000 00000000 \^00000000 \]$/m);
  // A watch may ask too: it changes nothing.
  assert.equal(await evaluate(dc, 'info pic', 'watch'), before);
});

test('info pic before any device says so', async () => {
  const { dc } = await client();
  await launch(dc, DELIVER, { stopOnEntry: true });
  assert.match(await evaluate(dc, 'info pic', 'repl'), /no interrupt controller device/);
});
