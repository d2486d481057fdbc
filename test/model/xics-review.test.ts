/**
 * Review of the XICS model (legacy `xics` real mode, `xics-pr` virtual mode,
 * `xics-on-xive`) against the spec (errata first, §2, Appendix A) and, where
 * the spec is silent, book3s_xics.c, book3s_hv_rm_xics.c and book3s_xive.c.
 * Each test names the rule and the function it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enableCap, hcall, irqLine, rtas, setOneReg, VmState } from '../../src/model';
import { hcallOk, icp, rtasOk, setSource, source, xicsVm } from './fixtures';

// ---- XICS-on-XIVE RTAS (book3s_xive.c) ----
test('xics-on-xive ibm,set-xive to a missing server fails (-3) but still unmasks at the new priority (kvmppc_xive_set_xive: xive_finish_unmask runs whatever xive_target_interrupt returned)', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n); // server 0, priority 5: targeted
  rtasOk(vm, 'ibm,int-off', 0x1000);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 0xff]);
  irqLine(vm, 0x1000, 1); // held while masked
  const r = rtas(vm, 'ibm,set-xive', [0x1000, 7, 4]);
  assert.equal(r.status, -3);
  // guest_priority and saved_priority took 4; act_server stayed 0; the held trigger fired there.
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 4]);
  assert.equal(source(vm, 0x1000) & 0xff_0000_0000n, 0x04_0000_0000n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
});

// ---- Legacy rules without a test so far ----
for (const kind of ['xics', 'xics-pr'] as const) {
  test(`KVM_IRQ_LINE level normalisation (ics_deliver_irq): SET/SET_LEVEL → 1, UNSET → 0, other non-zero values act as 1 (${kind})`, () => {
    const vm = xicsVm(kind);
    setSource(vm, 0x1000, 0x0000000500000000n); // MSI
    setSource(vm, 0x1200, 0x0000010500000000n); // LSI
    // An MSI ignores level 0 and UNSET; SET triggers; 2 behaves as 1 (P → PQ).
    irqLine(vm, 0x1000, 0);
    irqLine(vm, 0x1000, 0xfffffffe);
    assert.equal(source(vm, 0x1000), 0x0000000500000000n);
    irqLine(vm, 0x1000, 0xffffffff);
    assert.equal(source(vm, 0x1000) & 0x1800_0000_0000n, 0x0800_0000_0000n, 'P');
    irqLine(vm, 0x1000, 2);
    assert.equal(source(vm, 0x1000) & 0x1800_0000_0000n, 0x1800_0000_0000n, 'P and Q');
    // An LSI: SET_LEVEL asserts (P), 7 keeps it asserted (P already set: no change), UNSET clears PQ.
    irqLine(vm, 0x1200, 0xfffffffd);
    assert.equal(source(vm, 0x1200), 0x00000d0500000000n);
    irqLine(vm, 0x1200, 7);
    assert.equal(source(vm, 0x1200), 0x00000d0500000000n);
    irqLine(vm, 0x1200, 0xfffffffe);
    assert.equal(source(vm, 0x1200), 0x0000010500000000n);
  });

  test(`Down-CPPR presents a waiting IPI: MFRR < new CPPR and MFRR ≤ PPRI latch XISR 2 (icp_down_cppr) (${kind})`, () => {
    const vm = xicsVm(kind);
    hcallOk(vm, 'H_CPPR', 3n);
    hcallOk(vm, 'H_IPI', 0n, 4n); // 4 is not more favoured than CPPR 3: only stored
    assert.equal(icp(vm), 0x0300000004ff0000n);
    hcallOk(vm, 'H_CPPR', 0xffn);
    assert.equal(icp(vm), 0xff00000204040000n);
  });

  test(`a trigger for a server without an ICP is dropped before the masked check: P set, no masked_pending (icp_deliver_irq) (${kind})`, () => {
    const vm = xicsVm(kind);
    setSource(vm, 0x1000, 0x000000ff00000009n); // priority 0xff lets server 9 through SET
    irqLine(vm, 0x1000, 1);
    // MASKED | PRESENTED, not PENDING: the ICP lookup failed first.
    assert.equal(source(vm, 0x1000), 0x00000aff00000009n);
    assert.equal(icp(vm), 0x00000000ffff0000n);
  });

  test(`a resend follows the source's current server: set-xive to MASKED keeps resend, the scan on the old ICP re-targets it (icp_deliver_irq re-lookup) (${kind})`, () => {
    const vm = xicsVm(kind);
    assert.ok(enableCap(vm, 1, { server: 1 }).ok);
    assert.equal(hcall(vm, 1, 'H_CPPR', [0xffn]).ret, 'H_SUCCESS');
    setSource(vm, 0x1000, 0x0000000500000000n);
    irqLine(vm, 0x1000, 1); // CPPR 0 on server 0: refused, waits for a resend there
    assert.equal(source(vm, 0x1000), 0x00000c0500000000n);
    rtasOk(vm, 'ibm,set-xive', 0x1000, 1, 0xff); // write_xive keeps resend for MASKED
    assert.equal(source(vm, 0x1000), 0x00000eff00000001n);
    hcallOk(vm, 'H_CPPR', 0xffn); // server 0's scan: the source now targets server 1 and is masked
    assert.equal(icp(vm, 0), 0xff000000ffff0000n);
    assert.equal(source(vm, 0x1000), 0x00000eff00000001n, 'masked_pending now holds it');
    rtasOk(vm, 'ibm,set-xive', 0x1000, 1, 4);
    assert.equal(icp(vm, 1), 0xff001000ff040000n);
    assert.equal(icp(vm, 0), 0xff000000ffff0000n);
  });

  test(`H_IPI and H_IPOLL on another server; an unknown server → H_PARAMETER (kvmppc_h_ipi, kvmppc_h_ipoll) (${kind})`, () => {
    const vm = xicsVm(kind);
    assert.ok(enableCap(vm, 1, { server: 1 }).ok);
    assert.equal(hcall(vm, 1, 'H_CPPR', [0xffn]).ret, 'H_SUCCESS');
    hcallOk(vm, 'H_IPI', 1n, 5n);
    assert.equal(icp(vm, 1), 0xff00000205050000n);
    assert.equal(icp(vm, 0), 0x00000000ffff0000n);
    assert.deepEqual(hcallOk(vm, 'H_IPOLL', 1n), [0xff000002n, 5n]);
    assert.equal(hcall(vm, 0, 'H_IPI', [7n, 5n]).ret, 'H_PARAMETER');
    assert.equal(hcall(vm, 0, 'H_IPOLL', [7n]).ret, 'H_PARAMETER');
    // The lookup takes a u32 server number: 2^32 + 1 is server 1.
    assert.deepEqual(hcallOk(vm, 'H_IPOLL', 0x1_0000_0001n), [0xff000002n, 5n]);
  });
}

test('xics-on-xive ibm,set-xive with priority 0xff still re-targets a targeted source to the new server; a missing server → -3, masked anyway (kvmppc_xive_set_xive: new_act_prio = act_priority)', () => {
  const vm = xicsVm('xics-on-xive');
  assert.ok(enableCap(vm, 1, { server: 1 }).ok);
  setSource(vm, 0x1000, 0x0000000500000000n); // targeted at server 0, priority 5
  rtasOk(vm, 'ibm,set-xive', 0x1000, 1, 0xff);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [1, 0xff], 'masked, and act_server moved to 1');
  const r = rtas(vm, 'ibm,set-xive', [0x1000, 4, 0xff]);
  assert.equal(r.status, -3, 'server 4 has no vCPU: xive_target_interrupt fails');
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [1, 0xff]);
  // A never-targeted source (act_priority 0xff) has nothing to re-target: 0xff to a missing server is accepted.
  setSource(vm, 0x1001, 0x000002ff00000000n);
  rtasOk(vm, 'ibm,set-xive', 0x1001, 4, 0xff);
  // Unmasking on the new server delivers there.
  assert.equal(hcall(vm, 1, 'H_CPPR', [0xffn]).ret, 'H_SUCCESS');
  rtasOk(vm, 'ibm,set-xive', 0x1000, 1, 5);
  irqLine(vm, 0x1000, 1);
  assert.deepEqual(hcall(vm, 1, 'H_XIRR', []).r, [0xff001000n]);
});

test('xics-on-xive SOURCES set first untargets the source (act_priority := MASKED): priority 0xff or an unknown server leaves it untargeted, so int-on fails (xive_set_source)', () => {
  const vm = xicsVm('xics-on-xive');
  setSource(vm, 0x1000, 0x0000000500000000n); // targeted
  rtasOk(vm, 'ibm,int-off', 0x1000);
  rtasOk(vm, 'ibm,int-on', 0x1000);
  setSource(vm, 0x1000, 0x000000ff00000000n); // priority 0xff: nothing targets it again
  assert.equal(rtas(vm, 'ibm,int-on', [0x1000]).status, -3);
  setSource(vm, 0x1000, 0x0000000500000000n);
  rtasOk(vm, 'ibm,int-on', 0x1000);
  setSource(vm, 0x1000, 0x0000020500000009n); // masked, server 9 has no vCPU: targeting fails silently
  assert.equal(rtas(vm, 'ibm,int-on', [0x1000]).status, -3);
});

test('xics-on-xive KVM_IRQ_LINE (kvmppc_xive_set_irq): SET triggers an LSI without asserting it; deassert leaves P until the EOI', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1200, 0x0000010500000000n); // LSI, server 0, priority 5
  irqLine(vm, 0x1200, 0xffffffff); // KVM_INTERRUPT_SET: a trigger, the line is not asserted
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
  hcallOk(vm, 'H_EOI', 0xff001200n); // ESB EOI; not asserted: no re-trigger
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000000n]);
  irqLine(vm, 0x1200, 1); // level 1 on an LSI asserts, then triggers
  assert.equal(source(vm, 0x1200), 0x0000050500000000n);
  irqLine(vm, 0x1200, 0); // deassert only clears `asserted`: the ESB keeps P
  assert.equal(source(vm, 0x1200), 0x0000050500000000n, 'PENDING (saved P) survives the deassert');
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
  hcallOk(vm, 'H_EOI', 0xff001200n);
  assert.equal(source(vm, 0x1200), 0x0000010500000000n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000000n]);
});

test('xics-on-xive H_EOI of a still-asserted LSI: ESB EOI, then a fresh trigger (xive_vm_h_eoi)', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1200, 0x0000010500000000n);
  irqLine(vm, 0x1200, 1);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
  hcallOk(vm, 'H_EOI', 0xff001200n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n], 'the asserted line fired again');
});

test('xics-on-xive ICP_STATE set with an LSI in XISR re-triggers it without asserting the line (xive_restore_pending_irq → xive_irq_trigger)', () => {
  const vm = xicsVm('xics-on-xive');
  setSource(vm, 0x1200, 0x0000010500000000n);
  assert.ok(setOneRegIcp(vm, 0xff001200ff050000n));
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
  hcallOk(vm, 'H_EOI', 0xff001200n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000000n], 'not asserted: the EOI does not fire it again');
});
function setOneRegIcp(vm: VmState, word: bigint): boolean {
  return setOneReg(vm, 0, 'icp', word).ok;
}

test('xics-on-xive connect packs the server like the XIVE device: ≥ KVM_MAX_VCPUS is VP 0 and collides with server 0 (kvmppc_xive_compute_vp_id)', () => {
  const vm = xicsVm('xics-on-xive');
  const r = enableCap(vm, 1, { server: 2048 });
  assert.equal(r.ok ? 'ok' : r.errno, 'EEXIST');
  const legacy = xicsVm('xics');
  assert.ok(enableCap(legacy, 1, { server: 2048 }).ok, 'the legacy ICP only compares server numbers');
});

test('xics-on-xive H_EOI while masked only clears the saved P; int-on then fires the queued trigger (xive_vm_h_eoi "EOI on saved P", xive_finish_unmask)', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n);
  irqLine(vm, 0x1000, 1);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n]);
  irqLine(vm, 0x1000, 1); // P → PQ while being handled
  rtasOk(vm, 'ibm,int-off', 0x1000);
  hcallOk(vm, 'H_EOI', 0xff001000n);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000000n], 'nothing is presented while masked');
  rtasOk(vm, 'ibm,int-on', 0x1000);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001000n], 'the queued trigger fires on unmask');
});

test('xics-on-xive unmask does not look at the LSI line: an asserted LSI EOId while masked is not re-fired by int-on (xive_finish_unmask only replays a saved Q)', () => {
  const vm = xicsVm('xics-on-xive');
  hcallOk(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1200, 0x0000010500000000n);
  irqLine(vm, 0x1200, 1);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
  rtasOk(vm, 'ibm,int-off', 0x1200);
  hcallOk(vm, 'H_EOI', 0xff001200n); // masked: clears the saved P only, no LSI re-trigger
  rtasOk(vm, 'ibm,int-on', 0x1200);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff000000n]);
  // The next assertion edge fires it again.
  irqLine(vm, 0x1200, 1);
  assert.deepEqual(hcallOk(vm, 'H_XIRR'), [0xff001200n]);
});

test('xics-on-xive H_IPOLL sets only r4 (xive_vm_h_ipoll); the legacy one also returns MFRR in r5 (kvmppc_h_ipoll)', () => {
  const xive = xicsVm('xics-on-xive');
  hcallOk(xive, 'H_CPPR', 0xffn);
  hcallOk(xive, 'H_IPI', 0n, 5n);
  assert.deepEqual(hcallOk(xive, 'H_IPOLL', 0n), [0xff000002n]);
  const legacy = xicsVm('xics-pr');
  hcallOk(legacy, 'H_CPPR', 0xffn);
  hcallOk(legacy, 'H_IPI', 0n, 5n);
  assert.deepEqual(hcallOk(legacy, 'H_IPOLL', 0n), [0xff000002n, 5n]);
});
