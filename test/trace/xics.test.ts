/**
 * XICS traces: the recorded 2-vCPU sample (three per-thread gzip logs with
 * `-d int` lines) replays with no divergence and imports into a scenario that
 * runs green; the inferences (H_CPPR, the IPI's H_IPI 0xff, line levels) and
 * the checks on single lines; a changed XIRR is reported at its line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli-doors';
import { SHARED_TRACES, replayLines } from './helpers';

const DIR = `${SHARED_TRACES}/qemu-7.2-xics-2cpu-dint`;
const LOGS = ['8845', '8848', '8849'].map((t) => `${DIR}/log-${t}.txt.gz`);
const noSample = !existsSync(DIR) && 'no ../shared/traces';

/**
 * A XICS round trip on vCPU 0 as QEMU 7.2 prints it: first an IPI (its accept
 * shows the CPPR the guest set, untraced), then an MSI, its delivery, accept and EOI.
 */
const ROUND_TRIP = [
  '11@0.900000:xics_icp_check_ipi CPU 0 can take IPI mfrr=0x4',
  '10@0.900001:xics_icp_accept icp_accept: XIRR 0xff000002->0x4000000',
  '10@0.900002:xics_icp_eoi icp_eoi: server 0 given XIRR 0xff000002 new XIRR 0xff000000',
  '10@1.000000:xics_ics_write_xive ics_write_xive: irq 0x1300 [src 768] server 0x0 prio 0x5',
  '11@1.000001:xics_ics_set_irq_msi set_irq_msi: srcno 768 [irq 0x1300]',
  '11@1.000002:xics_icp_irq cpu 0 trying to deliver irq 0x1300 priority 0x5',
  '11@1.000003:xics_icp_raise raising IRQ new XIRR=0xff001300 new pending priority=0x5',
  '11@1.000004:xics_ics_set_irq_msi set_irq_msi: srcno 768 [irq 0x1300]',
  '10@1.000005:xics_icp_accept icp_accept: XIRR 0xff001300->0x5000000',
  '10@1.000006:xics_icp_eoi icp_eoi: server 0 given XIRR 0xff001300 new XIRR 0xff000000',
  '10@1.000007:xics_ics_eoi ics_eoi: irq 0x1300',
];

describe('XICS replay', () => {
  test('a round trip: every check holds; the H_CPPR QEMU did not trace is inferred', () => {
    const r = replayLines(ROUND_TRIP);
    assert.equal(r.divergenceCount, 0, JSON.stringify(r.divergences));
    assert.ok(r.checks >= 5, String(r.checks));
  });

  test('a changed XIRR: that line, QEMU\'s value and the model\'s', () => {
    const lines = [...ROUND_TRIP];
    lines[8] = lines[8]!.replace('0xff001300->', '0xff001301->');
    const r = replayLines(lines);
    assert.equal(r.divergenceCount, 1);
    const d = r.divergences[0]!;
    assert.deepEqual([d.line, d.qemu, d.model], [9, '0xff001301', '0xff001300']);
    assert.match(d.operation, /H_XIRR/);
  });

  test('a delivery QEMU reports that the model does not make: the raise line', () => {
    const lines = [...ROUND_TRIP];
    lines[3] = lines[3]!.replace('prio 0x5', 'prio 0xff');
    const r = replayLines(lines);
    assert.ok(r.divergenceCount >= 1);
    assert.equal(r.divergences[0]!.line, 7);
    assert.equal(r.divergences[0]!.what, 'XISR');
  });

  test('an IPI: H_IPI raises it, the accept takes it, the inferred H_IPI 0xff clears it before the EOI', () => {
    const r = replayLines([
      '20@2.000000:xics_icp_eoi icp_eoi: server 1 given XIRR 0xff000000 new XIRR 0xff000000',
      '10@2.000001:xics_icp_check_ipi CPU 1 can take IPI mfrr=0x4',
      '20@2.000002:xics_icp_accept icp_accept: XIRR 0xff000002->0x4000000',
      '20@2.000003:xics_icp_eoi icp_eoi: server 1 given XIRR 0xff000002 new XIRR 0xff000000',
      '10@2.000004:xics_icp_check_ipi CPU 1 can take IPI mfrr=0x4',
      '20@2.000005:xics_icp_accept icp_accept: XIRR 0xff000002->0x4000000',
    ]);
    assert.equal(r.divergenceCount, 0, JSON.stringify(r.divergences));
  });

  test('the recorded sample (3 per-thread gzip logs, -d int lines) agrees', { skip: noSample }, async () => {
    const r = await cli('replay', ...LOGS);
    assert.equal(r.code, 0, r.out.slice(0, 3000));
    assert.match(r.out, /94775 lines, 5591 events, \d+ steps, \d+ checks: the model agrees with QEMU/);
  });

  test('import then run of the recorded sample: green', { skip: noSample }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'irqlab-xics-')), 'xics.irq');
    const imp = await cli('import', 'qemu-trace', '-o', out, ...LOGS);
    assert.equal(imp.code, 0, imp.err);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^device xics/m);
    assert.match(text, /^hcall vcpu 0 H_XIRR .*-> \{ r4 0xff000002 \}/m);
    assert.match(text, /^rtas ibm,set-xive 0x1300, 0, 0x5 -> 0/m);
    const run = await cli('run', out);
    assert.equal(run.code, 0, run.out.split('\n').filter((l) => /fail/.test(l)).slice(0, 5).join('\n'));
    assert.match(run.out, / 0 failed/);
  });
});
