/**
 * Behaviour through the VM facade: the spec §6.9 sequence for both legacy
 * devices, the errata examples where real mode (`xics`) and virtual mode
 * (`xics-pr`) differ, and the visible differences of XICS-on-XIVE (§2.8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  getAttr, hcall, inspectPresenters, inspectSources, irqLine, IRQ_LEVELS, rtas, setAttr, setOneReg, VmState, XICS_GRP,
} from '../../src/model';
import { hcallOk, icp, rtasOk, setSource, source, xicsVm } from './fixtures';

type LegacyKind = 'xics' | 'xics-pr';

for (const kind of ['xics', 'xics-pr'] as const) {
  test(`§6.9 behavioural sequence, step by step (${kind})`, async (t) => {
    const vm = xicsVm(kind);
    await t.test('1 connect vCPU as server 0', () => assert.equal(icp(vm), 0x00000000ffff0000n));
    await t.test('2 H_CPPR(0xff)', () => {
      hcallOk(vm, 'H_CPPR', 0xffn);
      assert.equal(icp(vm), 0xff000000ffff0000n);
    });
    await t.test('3 SET source 0x1000', () => {
      setSource(vm, 0x1000, 0x0000000500000000n);
      assert.equal(source(vm, 0x1000), 0x0000000500000000n);
    });
    await t.test('4 KVM_IRQ_LINE(0x1000, SET) presents', () => {
      irqLine(vm, 0x1000, IRQ_LEVELS.set);
      assert.equal(icp(vm), 0xff001000ff050000n);
      assert.equal(source(vm, 0x1000), 0x0000080500000000n);
    });
    await t.test('5 a second trigger queues (P,Q)', () => {
      irqLine(vm, 0x1000, IRQ_LEVELS.set);
      assert.equal(source(vm, 0x1000), 0x0000180500000000n);
      assert.equal(icp(vm), 0xff001000ff050000n);
    });
    await t.test('6 H_XIRR accepts', () => {
      assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
      assert.equal(icp(vm), 0x05000000ffff0000n);
    });
    await t.test('7 H_EOI moves Q into P and re-delivers', () => {
      hcallOk(vm, 'H_EOI', 0xff001000n);
      assert.equal(icp(vm), 0xff001000ff050000n);
      assert.equal(source(vm, 0x1000), 0x0000080500000000n);
    });
    await t.test('8 H_XIRR; H_EOI leaves the source idle', () => {
      hcallOk(vm, 'H_XIRR');
      hcallOk(vm, 'H_EOI', 0xff001000n);
      assert.equal(icp(vm), 0xff000000ffff0000n);
      assert.equal(source(vm, 0x1000), 0x0000000500000000n);
    });
    await t.test('9 H_IPI(0, 4)', () => {
      hcallOk(vm, 'H_IPI', 0n, 4n);
      assert.equal(icp(vm), 0xff00000204040000n);
    });
    await t.test('10 H_XIRR takes the IPI', () => {
      assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000002n]);
      assert.equal(icp(vm), 0x0400000004ff0000n);
    });
    await t.test('11 H_IPI(0, 0xff) cancels', () => {
      hcallOk(vm, 'H_IPI', 0n, 0xffn);
      assert.equal(icp(vm), 0x04000000ffff0000n);
    });
    await t.test('12 H_EOI(0xff000002): an IPI has no source EOI', () => {
      hcallOk(vm, 'H_EOI', 0xff000002n);
      assert.equal(icp(vm), 0xff000000ffff0000n);
    });
    await t.test('13 H_CPPR(3)', () => {
      hcallOk(vm, 'H_CPPR', 3n);
      assert.equal(icp(vm), 0x03000000ffff0000n);
    });
    await t.test('14 a blocked trigger waits for a resend', () => {
      irqLine(vm, 0x1000, IRQ_LEVELS.set);
      assert.equal(icp(vm), 0x03000000ffff0000n);
      assert.equal(source(vm, 0x1000), 0x00000c0500000000n);
      assert.equal(inspectPresenters(vm)[0].extra.needResend, true);
    });
    await t.test('15 H_CPPR(0xff): the Down-CPPR resend scan delivers', () => {
      hcallOk(vm, 'H_CPPR', 0xffn);
      assert.equal(icp(vm), 0xff001000ff050000n);
      assert.equal(source(vm, 0x1000), 0x0000080500000000n);
    });
    await t.test('16 H_XIRR; H_EOI; ibm,int-off masks with saved priority 5', () => {
      hcallOk(vm, 'H_XIRR');
      hcallOk(vm, 'H_EOI', 0xff001000n);
      rtasOk(vm, 'ibm,int-off', 0x1000);
      assert.equal(source(vm, 0x1000), 0x0000020500000000n);
    });
    await t.test('17 a trigger while masked is remembered (masked_pending)', () => {
      irqLine(vm, 0x1000, IRQ_LEVELS.set);
      assert.equal(source(vm, 0x1000), 0x00000e0500000000n);
      assert.equal(icp(vm), 0xff000000ffff0000n);
    });
    await t.test('18 ibm,int-on delivers it', () => {
      rtasOk(vm, 'ibm,int-on', 0x1000);
      assert.equal(icp(vm), 0xff001000ff050000n);
      assert.equal(source(vm, 0x1000), 0x0000080500000000n);
    });
  });
}

/** Errata 2: CPPR 0xff, XISR 0x1000 at PPRI 5; H_EOI(0x03000002) → CPPR 3 with the XISR kept. */
function errata2Start(kind: LegacyKind): VmState {
  const vm = xicsVm(kind);
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n);
  irqLine(vm, 0x1000, 1);
  assert.equal(icp(vm), 0xff001000ff050000n);
  hcallOk(vm, 'H_EOI', 0x03000002n);
  assert.equal(icp(vm), 0x03001000ff050000n, 'Down-CPPR never rejects');
  return vm;
}

test('errata 2, virtual mode (xics-pr): H_CPPR(4) falls through into Up-CPPR and rejects 0x1000', () => {
  const vm = errata2Start('xics-pr');
  hcallOk(vm, 'H_CPPR', 4n);
  assert.equal(icp(vm), 0x04000000ffff0000n);
  assert.equal(source(vm, 0x1000), 0x00000c0500000000n, 'rejected into resend: PENDING and P');
});

test('errata 2, real mode (xics): H_CPPR(4) stops after Down-CPPR', () => {
  const vm = errata2Start('xics');
  const r = hcall(vm, 0, 'H_CPPR', [4n]);
  assert.equal(r.ret, 'H_SUCCESS');
  assert.match(r.reason ?? '', /xics_rm_h_cppr/);
  assert.equal(icp(vm), 0x04001000ff050000n);
  assert.equal(source(vm, 0x1000), 0x0000080500000000n);
});

test('errata 1: H_EOI on a number without a source block — real mode H_SUCCESS, virtual mode H_PARAMETER', () => {
  const real = xicsVm('xics');
  const rr = hcall(real, 0, 'H_EOI', [0xff000010n]);
  assert.equal(rr.ret, 'H_SUCCESS');
  assert.match(rr.reason ?? '', /ics_rm_eoi/);
  const virt = xicsVm('xics-pr');
  const rv = hcall(virt, 0, 'H_EOI', [0xff000010n]);
  assert.equal(rv.ret, 'H_PARAMETER');
  assert.match(rv.reason ?? '', /block 0 does not exist \(ics_eoi\)/);
  // Either way the Down-CPPR part happened.
  assert.equal(icp(real), 0xff000000ffff0000n);
  assert.equal(icp(virt), 0xff000000ffff0000n);
});

test('errata 12: a block created by a failed SET stays, so H_EOI in it succeeds in virtual mode', () => {
  const vm = xicsVm('xics-pr');
  const r = setAttr(vm, XICS_GRP.SOURCES, 0x1400n, { kind: 'fault' });
  assert.equal(r.ok ? 'ok' : r.errno, 'EFAULT');
  assert.equal(hcall(vm, 0, 'H_EOI', [0xff001405n]).ret, 'H_SUCCESS');
  const g = getAttr(vm, XICS_GRP.SOURCES, 0x1400n);
  assert.equal(g.ok ? 'ok' : g.errno, 'ENOENT', 'the block exists, the source was never set');
  const bad = setAttr(vm, XICS_GRP.SOURCES, 0x1800n, { kind: 'word', word: 0x0000000500000009n });
  assert.equal(bad.ok ? 'ok' : bad.errno, 'EINVAL');
  assert.equal(hcall(vm, 0, 'H_EOI', [0xff001800n]).ret, 'H_SUCCESS', 'the -EINVAL SET also left its block');
});

for (const kind of ['xics', 'xics-pr'] as const) {
  test(`errata 4: H_IPI(self, 0x100) stores MFRR 0, presents no IPI, but runs the resend scan (${kind})`, () => {
    const vm = xicsVm(kind);
    hcallOk(vm, 'H_CPPR', 0xffn);
    hcallOk(vm, 'H_IPI', 0n, 1n);
    assert.equal(icp(vm), 0xff00000201010000n);
    setSource(vm, 0x1000, 0x0000000500000000n);
    irqLine(vm, 0x1000, 1);
    assert.equal(inspectPresenters(vm)[0].extra.needResend, true, 'blocked by the IPI at priority 1');
    const scans = inspectPresenters(vm)[0].extra.nCheckResend;
    hcallOk(vm, 'H_IPI', 0n, 0x100n);
    assert.equal(icp(vm), 0xff00000200010000n, 'MFRR 0 stored, the IPI latch keeps PPRI 1');
    assert.equal(inspectPresenters(vm)[0].extra.nCheckResend, Number(scans) + 1);
    // The same value truncated does present: 0 < CPPR and 0 ≤ PPRI.
    hcallOk(vm, 'H_IPI', 0n, 0n);
    assert.equal(icp(vm), 0xff00000200000000n);
  });

  test(`errata 4: H_CPPR(0x100) takes the Down-CPPR path and stores CPPR 0 (${kind})`, () => {
    const vm = xicsVm(kind);
    hcallOk(vm, 'H_CPPR', 0xffn);
    hcallOk(vm, 'H_CPPR', 0x100n);
    assert.equal(icp(vm), 0x00000000ffff0000n);
  });
}

test('errata 11: H_IPI latches the IPI, then its resend scan lets a more favoured source displace it', () => {
  const vm = xicsVm('xics-pr');
  setSource(vm, 0x1000, 0x0000000500000000n); // A, priority 5
  setSource(vm, 0x1001, 0x0000000300000000n); // B, priority 3
  hcallOk(vm, 'H_IPI', 0n, 2n); // CPPR 0: nothing can be presented, MFRR 2 is only stored
  irqLine(vm, 0x1000, 1);
  irqLine(vm, 0x1001, 1);
  assert.equal(source(vm, 0x1000), 0x00000c0500000000n);
  assert.equal(source(vm, 0x1001), 0x00000c0300000000n);
  assert.ok(setOneReg(vm, 0, 'icp', 0xff00000002ff0000n).ok, 'open CPPR, keep MFRR 2 and need_resend');
  assert.equal(icp(vm), 0xff00000002ff0000n);
  // MFRR 4: the IPI is latched at 4 first; the scan then tries A (5, refused) and B (3, displaces the IPI).
  hcallOk(vm, 'H_IPI', 0n, 4n);
  assert.equal(icp(vm), 0xff00100104030000n);
  assert.equal(source(vm, 0x1000), 0x00000c0500000000n, 'A still waits for a resend');
  assert.equal(source(vm, 0x1001), 0x0000080300000000n);
});

test('LSI: assert presents, re-assert is a no-op, EOI while asserted re-delivers, deassert clears', () => {
  const vm = xicsVm('xics');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1200, 0x0000010500000000n);
  irqLine(vm, 0x1200, 1);
  assert.equal(source(vm, 0x1200), 0x00000d0500000000n, 'V03 pattern: LSI, PENDING, PRESENTED');
  irqLine(vm, 0x1200, 1);
  assert.equal(hcallOk(vm, 'H_XIRR')[0], 0xff001200n);
  hcallOk(vm, 'H_EOI', 0xff001200n);
  assert.equal(icp(vm), 0xff001200ff050000n, 'still asserted: presented again');
  irqLine(vm, 0x1200, IRQ_LEVELS.unset);
  assert.equal(source(vm, 0x1200), 0x0000010500000000n);
  assert.equal(inspectSources(vm)[0].pq, 0);
});

test('H_XIRR_X returns the deterministic timebase in r5 and H_IPOLL has no side effect', () => {
  const vm = xicsVm('xics');
  const r = hcall(vm, 0, 'H_XIRR_X', []);
  assert.deepEqual(r.r, [0n, BigInt(vm.ticks) * 512n]);
  hcallOk(vm, 'H_IPI', 0n, 4n);
  const before = icp(vm);
  assert.deepEqual(hcallOk(vm, 'H_IPOLL', 0n), [0x00000000n, 4n]);
  assert.equal(icp(vm), before);
});

test('a source SET with PENDING is delivered at once; the ICP SET restores and resends', () => {
  const vm = xicsVm('xics');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000040500000000n);
  assert.equal(icp(vm), 0xff001000ff050000n);
  assert.equal(source(vm, 0x1000), 0x0000080500000000n);
  // Restore an ICP that blocks everything, trigger into resend, then open it with a larger MFRR.
  assert.ok(setOneReg(vm, 0, 'icp', 0x00000000feff0000n).ok);
  setSource(vm, 0x1001, 0x0000000400000000n);
  irqLine(vm, 0x1001, 1);
  assert.ok(setOneReg(vm, 0, 'icp', 0xff000000ffff0000n).ok);
  assert.equal(icp(vm), 0xff001001ff040000n, 'MFRR 0xfe → 0xff consumed need_resend');
});

test('double ibm,int-off loses the saved priority; ibm,get-xive reports the current one', () => {
  const vm = xicsVm('xics');
  setSource(vm, 0x1000, 0x0000000500000000n);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 5]);
  rtasOk(vm, 'ibm,int-off', 0x1000);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 0xff]);
  rtasOk(vm, 'ibm,int-off', 0x1000);
  assert.equal(source(vm, 0x1000), 0x000002ff00000000n);
  rtasOk(vm, 'ibm,int-on', 0x1000);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 0xff], 'int-on restored 0xff');
  rtasOk(vm, 'ibm,set-xive', 0x1000, 0, 7);
  assert.equal(source(vm, 0x1000), 0x0000000700000000n);
});

test('a displaced source is re-delivered: a more favoured interrupt pushes 0x1000 into resend', () => {
  const vm = xicsVm('xics-pr');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n);
  setSource(vm, 0x1001, 0x0000000200000000n);
  irqLine(vm, 0x1000, 1);
  irqLine(vm, 0x1001, 1);
  assert.equal(icp(vm), 0xff001001ff020000n);
  assert.equal(source(vm, 0x1000), 0x00000c0500000000n);
  assert.equal(inspectPresenters(vm)[0].extra.nReject, 1);
  hcallOk(vm, 'H_XIRR');
  hcallOk(vm, 'H_EOI', 0xff001001n);
  assert.equal(icp(vm), 0xff001000ff050000n);
});

// ---- XICS-on-XIVE (§2.8) ----

test('xics-on-xive: ICP GET never shows XISR/PPRI, but H_XIRR does accept', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n);
  irqLine(vm, 0x1000, 1);
  assert.equal(icp(vm), 0xff000000ffff0000n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
  assert.equal(icp(vm), 0x05000000ffff0000n);
});

test('xics-on-xive: priorities 6..0xfe collapse to 6 (sources and CPPR)', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0x80n);
  assert.equal(icp(vm), 0x06000000ffff0000n);
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000008000000000n);
  irqLine(vm, 0x1000, 1);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
  assert.equal(icp(vm), 0x06000000ffff0000n, 'accepted at priority 6');
  assert.equal(source(vm, 0x1000) & 0xff00000000n, 0x8000000000n, 'GET keeps the guest priority');
});

test('xics-on-xive: SET skips the server check; PENDING forces Q without P; int-on re-triggers', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1003, 0x0000000500000009n); // server 9 has no vCPU: accepted, untargeted
  setSource(vm, 0x1000, 0x0000060500000000n); // masked + pending, priority 5, server 0
  assert.equal(source(vm, 0x1000), 0x0000120500000000n, 'MASKED and QUEUED; not PENDING (saved priority is not 0xff)');
  rtasOk(vm, 'ibm,int-on', 0x1000);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
});

test('xics-on-xive: LSI asserted := PENDING, GET reports PENDING only', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1200, 0x0000050500000000n);
  assert.equal(source(vm, 0x1200), 0x0000050500000000n);
  assert.equal(inspectSources(vm)[0].asserted, true);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
});

test('xics-on-xive: ICP SET has no consistency checks (V11 accepted)', () => {
  const vm = xicsVm('xics-on-xive');
  assert.ok(setOneReg(vm, 0, 'icp', 0x05001234ff050000n).ok);
  assert.equal(icp(vm), 0x05000000ffff0000n);
});

test('xics-on-xive: H_EOI of 0 or 2 succeeds, an unknown source is H_PARAMETER', () => {
  const vm = xicsVm('xics-on-xive');
  assert.equal(hcall(vm, 0, 'H_EOI', [0xff000000n]).ret, 'H_SUCCESS');
  assert.equal(hcall(vm, 0, 'H_EOI', [0xff000002n]).ret, 'H_SUCCESS');
  assert.equal(hcall(vm, 0, 'H_EOI', [0xff005000n]).ret, 'H_PARAMETER');
  const legacy = xicsVm('xics-pr');
  assert.equal(hcall(legacy, 0, 'H_EOI', [0xff000000n]).ret, 'H_PARAMETER', 'legacy: block 0 does not exist');
});

test('xics-on-xive: ibm,int-on on a never-targeted source fails with -3', () => {
  const vm = xicsVm('xics-on-xive');
  setSource(vm, 0x1000, 0x000002ff00000000n);
  const r = rtas(vm, 'ibm,int-on', [0x1000]);
  assert.equal(r.status, -3);
  assert.match(r.reason ?? '', /never targeted/);
  const legacy = xicsVm('xics');
  setSource(legacy, 0x1000, 0x000002ff00000000n);
  assert.equal(rtas(legacy, 'ibm,int-on', [0x1000]).status, 0);
});
