/** The importer on states the recordings do not have: an asserted LSI, pending and presented XICS sources, a signalled OS ring. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenarioText } from '../../src/dsl/runtime';
import { formatModelInfoPic } from '../../src/model/info-pic';
import { compareInfoPic } from '../../src/model/info-pic-compare';
import { parseInfoPic } from '../../src/model/info-pic-parse';
import { scenarioFromInfoPic } from '../../src/trace/info-pic-scenario';

function rebuild(dump: string, xicsDevice?: 'xics' | 'xics-on-xive'): string {
  const parsed = parseInfoPic(dump);
  assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.line}: ${parsed.reason}`);
  const s = scenarioFromInfoPic(parsed.dump, { source: 'dump.txt', ...(xicsDevice ? { xicsDevice } : {}) });
  assert.ok(s.ok, s.ok ? '' : s.reason);
  const run = runScenarioText('state.irq', s.text, { readFile: () => undefined });
  assert.deepEqual(run.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(run.results.filter((r) => !r.ok).map((r) => `${r.line + 1}: ${r.message}`), []);
  assert.ok(run.vm);
  return formatModelInfoPic(run.vm);
}

const XIVE = [
  'CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2',
  'CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000',
  'CPU[0000]:   OS    80   ff  03    ff   ff  00  ff   06  80000400',
  'CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000',
  'CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000',
  '  LISN         PQ    EISN     CPU/PRIO EQ',
  '  00000000 MSI PQ    00000010   0/6      2/16384 @20000 ^1 [ 00000000 00000000 00000000 00000000 80000010 ^00000000 ]',
  '  00001200 LSI P-A   00000013   0/5      0/16384 @30000 ^0 [ 80000013 80000013 80000013 80000013 80000013 ^80000013 ]',
  '  00001201 LSI -Q  M 00000000 ',
  'irqchip: in-kernel',
  '',
].join('\n');

test('XIVE: PQ 11, an asserted LSI on a wrapped queue (index 0, toggle 0), IPB with two priorities', () => {
  assert.deepEqual(compareInfoPic(XIVE, rebuild(XIVE), { ignoreQueueEntries: true }), []);
});

const XICS = [
  'CPU 0 XIRR=05000000 ((nil)) PP=ff MFRR=ff',
  'CPU 1 XIRR=ff000000 ((nil)) PP=ff MFRR=03',
  'ICS 1000..1fff 0x557b6eead800',
  '  1000 MSI 05 00',
  '  1100 MSI ff 00',
  'irqchip: in-kernel',
  '',
].join('\n');

test('XICS: a CPU at CPPR 5, a masked source, an IPI request', () => {
  for (const device of ['xics', 'xics-on-xive'] as const) {
    const model = rebuild(XICS, device);
    assert.deepEqual(compareInfoPic(XICS, model), [], `${device}:\n${model}`);
  }
});

test('a pending source restored into KVM comes back presented: QEMU\'s emulated 0c / 01 differ, and the comparer says where', () => {
  // K-XICS's source SET tries the delivery of a pending source (icp_deliver_irq), which sets P.
  const emulated = XICS.replace('  1100 MSI ff 00\n', '  1001 MSI ff 0c\n  1203 LSI 05 01\n');
  assert.deepEqual(compareInfoPic(emulated, rebuild(emulated)), [
    { line: 5, field: 'ICS 1001 flags', expected: '0c', actual: '1c' },
    { line: 6, field: 'ICS 1203 flags', expected: '01', actual: '11' },
  ]);
});

test('an END printed twice with different queues is refused', () => {
  const bad = XIVE.replace('00001201 LSI -Q  M 00000000 ', '00001201 LSI --    00000014   0/6      9/16384 @20000 ^1 [ 00000000 00000000 00000000 00000000 00000000 ^00000000 ]');
  const parsed = parseInfoPic(bad);
  assert.ok(parsed.ok);
  const s = scenarioFromInfoPic(parsed.dump, { source: 'x' });
  assert.equal(s.ok, false);
  assert.match(s.ok ? '' : s.reason, /END 0\/6 is printed twice/);
});
