/**
 * Review of the XIVE native model against the spec (errata first, §3,
 * Appendix A) and, where the spec is silent, the kernel (book3s_xive*.c) and
 * QEMU (hw/intc/spapr_xive.c, spapr_xive_kvm.c, xive.c). Each test names the
 * rule and the function it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, hcall, HcallName, HcallResult, inspectSources, Result, setAttr, VmState, XIVE_GRP,
} from '../../src/model';

const word = (w: bigint) => ({ kind: 'word', word: w }) as const;
const QPAGE = 0x100000n;

function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}
/** vCPUs 0 and 1 connected as servers 0 and 1; source 0x10 (MSI) declared. */
function guestVm(): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 0, { server: 0 }));
  must(enableCap(vm, 1, { server: 1 }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x10n, word(0n)));
  return vm;
}
const call = (vm: VmState, name: HcallName, ...args: bigint[]): HcallResult => hcall(vm, 0, name, args);
function ok(r: HcallResult): bigint[] {
  assert.equal(r.ret, 'H_SUCCESS', r.reason);
  return [...r.r];
}

// ---- QEMU argument widths (spapr_xive.c) ----
test('H_INT_* priority is a uint8_t for the reserved check and the END index (spapr_xive_priority_is_reserved, spapr_xive_target_to_end)', () => {
  const vm = guestVm();
  // 0x106 truncates to 6: not reserved, and the END/KVM queue is priority 6.
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 1n, 0x106n, QPAGE, 16n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 1n, 6n))[1], 16n);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 0n, 1n, 0x206n)), [1n, QPAGE, 16n, 0n]);
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 1n, 0x306n, 0x10n));
  const s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.server, s.priority], [true, 1, 6]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [1n, 6n, 0x10n]);
  // 0x1ff is not the 0xff reset value (compared at full width) but truncates to 0xff: reserved.
  assert.equal(call(vm, 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 1n, 0x1ffn, 0n).ret, 'H_P4');
  assert.equal(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 1n, 0x107n).ret, 'H_P3');
});

test('H_INT_* target is a uint32_t vCPU id (spapr_xive_target_to_end(uint32_t target, ...))', () => {
  const vm = guestVm();
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 0x1_0000_0001n, 6n, QPAGE, 16n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 0n, 1n, 6n)), [1n, QPAGE, 16n, 0n]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 0xffff_ffff_0000_0001n, 6n))[1], 16n);
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 0x2_0000_0001n, 6n, 0x10n));
  assert.equal(inspectSources(vm)[0].server, 1);
  // 0xffffffff is vCPU id -1 as spapr_find_cpu's int: no such vCPU.
  assert.equal(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 0xffff_ffffn, 6n).ret, 'H_P2');
});
