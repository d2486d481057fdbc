/**
 * Review of the XIVE native model against the spec (errata first, §3,
 * Appendix A) and, where the spec is silent, the kernel (book3s_xive*.c) and
 * QEMU (hw/intc/spapr_xive.c, spapr_xive_kvm.c, xive.c). Each test names the
 * rule and the function it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, esbLoad, inspectQueues, inspectSources, irqLine, setAttr, timaLoad, timaStore, VmState, XIVE_GRP,
} from '../../src/model';
import { call, must, ok, QPAGE, word, xiveGuestVm } from './fixtures';

// ---- QEMU argument widths (spapr_xive.c) ----
test('H_INT_* priority is a uint8_t for the reserved check and the END index (spapr_xive_priority_is_reserved, spapr_xive_target_to_end)', () => {
  const vm = xiveGuestVm();
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
  const vm = xiveGuestVm();
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 0x1_0000_0001n, 6n, QPAGE, 16n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 0n, 1n, 6n)), [1n, QPAGE, 16n, 0n]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 0xffff_ffff_0000_0001n, 6n))[1], 16n);
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 0x2_0000_0001n, 6n, 0x10n));
  assert.equal(inspectSources(vm)[0].server, 1);
  // 0xffffffff is vCPU id -1 as spapr_find_cpu's int: no such vCPU.
  assert.equal(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 0xffff_ffffn, 6n).ret, 'H_P2');
});

// ---- TIMA raw accesses (xive.c xive_tm_raw_read / xive_tm_raw_write) ----
test('TIMA raw access to the user ring QW0 is invalid: loads read all-ones (xive_tm_raw_read excludes TM_QW0_USER)', () => {
  const vm = xiveGuestVm();
  // QW0 bytes 0x00 and 0x08..0x0b are marked readable in the OS view, but the ring itself is refused.
  assert.equal(must(timaLoad(vm, 0, 4, 0x00)), 0xffffffffn);
  assert.equal(must(timaLoad(vm, 0, 8, 0x08)), 0xffffffffffffffffn);
  must(timaStore(vm, 0, 4, 0x08, 0n));
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x0000_0000_ff00_00ffn, 'the OS ring is untouched');
});

test('TIMA raw accesses decode only offset & 0x3f: the four rings repeat below 2K (reg_offset = offset & TM_REG_OFFSET)', () => {
  const vm = xiveGuestVm();
  must(timaStore(vm, 0, 1, 0x11, 5n));
  const os = must(timaLoad(vm, 0, 8, 0x10));
  assert.equal(os, 0x0005_0000_ff00_00ffn);
  assert.equal(must(timaLoad(vm, 0, 8, 0x50)), os);
  assert.equal(must(timaLoad(vm, 0, 4, 0x7d4)), 0xff0000ffn);
  // A raw store through the alias writes the OS CPPR byte.
  must(timaStore(vm, 0, 8, 0x190, 0x0003_0000_0000_0000n));
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x0003_0000_ff00_00ffn);
  // QW2/QW3 aliases stay inaccessible from the OS page.
  assert.equal(must(timaLoad(vm, 0, 4, 0x60)), 0xffffffffn);
});

// ---- KVM side: rules without a test so far ----
function routedVm(lsi: boolean): VmState {
  const vm = xiveGuestVm();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr: QPAGE, qtoggle: 1, qindex: 0 } }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x20n, word(lsi ? 1n : 0n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x20n, word((0x20n << 33n) | 6n)));
  must(esbLoad(vm, 0x20, 0xc00));
  return vm;
}
const pqOf = (vm: VmState, irq: number): number => inspectSources(vm).find((s) => s.irq === irq)?.pq ?? -1;

test('native KVM_IRQ_LINE on an LSI is a plain ESB trigger of its IPI: a second assert queues (kvmppc_xive_set_irq → xive_irq_trigger)', () => {
  const vm = routedVm(true);
  must(irqLine(vm, 0x20, 1));
  assert.equal(pqOf(vm, 0x20), 2);
  must(irqLine(vm, 0x20, 1));
  assert.equal(pqOf(vm, 0x20), 3);
  assert.equal(inspectQueues(vm)[0].index, 1, 'only the first trigger was forwarded');
});

test('native KVM_IRQ_LINE SET_LEVEL on an MSI marks it asserted and triggers, but an MSI EOI never re-triggers (xive_source_esb_eoi checks the LSI type)', () => {
  const vm = routedVm(false);
  must(irqLine(vm, 0x20, 0xfffffffd));
  assert.equal(pqOf(vm, 0x20), 2);
  assert.equal(inspectSources(vm).find((s) => s.irq === 0x20)?.asserted, true);
  assert.equal(must(esbLoad(vm, 0x20, 0)), 0n);
  assert.equal(pqOf(vm, 0x20), 0);
  assert.equal(inspectQueues(vm)[0].index, 1);
});

test('SOURCE_CONFIG masked on an unrouted source clears the EISN that GRP_SOURCE kept (update_source_config masked path)', () => {
  const vm = routedVm(false);
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x20n, word(0n))); // unroutes, keeps eisn 0x20
  assert.equal(inspectSources(vm).find((s) => s.irq === 0x20)?.extra.eisn, 0x20);
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x20n, word((1n << 32n) | (0x20n << 33n) | 6n)));
  const s = inspectSources(vm).find((x) => x.irq === 0x20);
  assert.deepEqual([s?.routed, s?.extra.eisn, s?.pq], [false, 0, 1]);
});

// ---- VP ids (kvmppc_pack_vcpu_id with emul_smt_mode 1) ----
test('connect: a server ≥ KVM_MAX_VCPUS packs to VP 0 (kvmppc_pack_vcpu_id warns and returns 0), so it passes the range check and collides with server 0', () => {
  const a = createVm();
  must(createDevice(a, 'xive'));
  must(enableCap(a, 0, { server: 0 }));
  const dup = enableCap(a, 1, { server: 3000 });
  assert.equal(dup.ok ? 'ok' : dup.errno, 'EEXIST');
  const b = createVm();
  must(createDevice(b, 'xive'));
  must(enableCap(b, 1, { server: 3000 }));
  const zero = enableCap(b, 0, { server: 0 });
  assert.equal(zero.ok ? 'ok' : zero.errno, 'EEXIST');
  // Targeting still finds the vCPU by its server number.
  must(setAttr(b, XIVE_GRP.EQ_CONFIG, 3000n << 3n | 6n, { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr: QPAGE, qtoggle: 1, qindex: 0 } }));
  must(setAttr(b, XIVE_GRP.SOURCE, 0x20n, word(0n)));
  must(setAttr(b, XIVE_GRP.SOURCE_CONFIG, 0x20n, word((3000n << 3n) | 6n)));
  assert.equal(inspectSources(b)[0].server, 3000);
});

test('connect: below KVM_MAX_VCPUS the packed id is the server, checked against NR_SERVERS (kvmppc_xive_vcpu_id_valid)', () => {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(setAttr(vm, XIVE_GRP.CTRL, 3n, word(8n)));
  const r = enableCap(vm, 0, { server: 10 });
  assert.equal(r.ok ? 'ok' : r.errno, 'EINVAL');
  must(enableCap(vm, 1, { server: 4096 })); // packs to 0 < 8
});

test('H_INT_SET_SOURCE_CONFIG with MASK and an unchanged target/priority/EISN: QEMU reports 0xff but KVM keeps routing (update_source_config no-op shortcut ignores the mask bit)', () => {
  const vm = xiveGuestVm();
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 1n, 6n, QPAGE, 16n));
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 1n, 6n, 0x10n));
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 3n, 0x10n, 1n, 6n, 0x10n)); // MASK | SET_EISN, same routing
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [1n, 0xffn, 0x10n]);
  const s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.server, s.priority], [true, 1, 6]);
  // Events still reach the queue.
  must(esbLoad(vm, 0x10, 0xc00));
  ok(call(vm, 'H_INT_ESB', 1n, 0x10n, 0n, 0n));
  assert.equal(inspectQueues(vm).find((q) => q.server === 1 && q.priority === 6)?.index, 1);
});
