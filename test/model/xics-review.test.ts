/**
 * Review of the XICS model (legacy `xics` real mode, `xics-pr` virtual mode,
 * `xics-on-xive`) against the spec (errata first, §2, Appendix A) and, where
 * the spec is silent, book3s_xics.c, book3s_hv_rm_xics.c and book3s_xive.c.
 * Each test names the rule and the function it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, getAttr, getOneReg, hcall, HcallName, irqLine, rtas, setAttr, VmState, XICS_GRP,
} from '../../src/model';

type Kind = 'xics' | 'xics-pr' | 'xics-on-xive';

function vmWith(kind: Kind): VmState {
  const vm = createVm();
  assert.ok(createDevice(vm, kind).ok);
  assert.ok(enableCap(vm, 0, { server: 0 }).ok);
  return vm;
}
function icp(vm: VmState, vcpu = 0): bigint {
  const r = getOneReg(vm, vcpu, 'icp');
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}
function source(vm: VmState, irq: number): bigint {
  const r = getAttr(vm, XICS_GRP.SOURCES, BigInt(irq));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value.kind === 'word' ? r.value.word : -1n;
}
function setSource(vm: VmState, irq: number, word: bigint): void {
  const r = setAttr(vm, XICS_GRP.SOURCES, BigInt(irq), { kind: 'word', word });
  assert.ok(r.ok, r.ok ? '' : r.reason);
}
function call(vm: VmState, name: HcallName, ...args: bigint[]): readonly bigint[] {
  const r = hcall(vm, 0, name, args);
  assert.equal(r.ret, 'H_SUCCESS', r.reason);
  return r.r;
}
function rtasOk(vm: VmState, name: string, ...args: number[]): readonly number[] {
  const r = rtas(vm, name, args);
  assert.equal(r.status, 0, r.reason);
  return r.rets;
}

// ---- XICS-on-XIVE RTAS (book3s_xive.c) ----
test('xics-on-xive ibm,set-xive to a missing server fails (-3) but still unmasks at the new priority (kvmppc_xive_set_xive: xive_finish_unmask runs whatever xive_target_interrupt returned)', () => {
  const vm = vmWith('xics-on-xive');
  call(vm, 'H_CPPR', 0xffn);
  setSource(vm, 0x1000, 0x0000000500000000n); // server 0, priority 5: targeted
  rtasOk(vm, 'ibm,int-off', 0x1000);
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 0xff]);
  irqLine(vm, 0x1000, 1); // held while masked
  const r = rtas(vm, 'ibm,set-xive', [0x1000, 7, 4]);
  assert.equal(r.status, -3);
  // guest_priority and saved_priority took 4; act_server stayed 0; the held trigger fired there.
  assert.deepEqual(rtasOk(vm, 'ibm,get-xive', 0x1000), [0, 4]);
  assert.equal(source(vm, 0x1000) & 0xff_0000_0000n, 0x04_0000_0000n);
  assert.deepEqual(call(vm, 'H_XIRR'), [0xff001000n]);
});
