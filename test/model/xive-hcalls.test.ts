/** QEMU's H_INT_* layer over the KVM device (§3.11): every return-code path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDevice, createVm, enableCap, esbLoad, hcall, inspectQueues, inspectSources, Result } from '../../src/model';
import { call, expectRet, must, ok, QPAGE, xiveGuestVm } from './fixtures';

const M1 = 0xffffffffffffffffn;

test('H_INT_* without a XIVE native device → H_FUNCTION', () => {
  const vm = createVm();
  must(createDevice(vm, 'xics-on-xive'));
  assert.equal(hcall(vm, 0, 'H_INT_RESET', [0n]).ret, 'H_FUNCTION');
});
test('reporting-line hcalls → H_FUNCTION', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_FUNCTION', 'H_INT_SET_OS_REPORTING_LINE', 0n, 0n);
  expectRet(vm, 'H_FUNCTION', 'H_INT_GET_OS_REPORTING_LINE', 0n, 0n, 0n);
});

// ---- H_INT_GET_SOURCE_INFO ----
test('GET_SOURCE_INFO: MSI pages from the guest layout, LSI needs H_INT_ESB', () => {
  const vm = xiveGuestVm({ lsi: true });
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_INFO', 0n, 0x10n)), [0n, 0x0006010000210000n, 0x0006010000200000n, 16n]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_INFO', 0n, 0x11n)), [0xcn, M1, M1, 16n]);
});
test('GET_SOURCE_INFO flags → H_PARAMETER, LISN ≥ 8192 or unallocated → H_P2', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_GET_SOURCE_INFO', 1n, 0x10n);
  expectRet(vm, 'H_P2', 'H_INT_GET_SOURCE_INFO', 0n, 8192n);
  expectRet(vm, 'H_P2', 'H_INT_GET_SOURCE_INFO', 0n, 0x12n);
});

// ---- H_INT_SET_QUEUE_CONFIG / GET_QUEUE_INFO / GET_QUEUE_CONFIG ----
test('SET_QUEUE_CONFIG argument checks in order: flags, priority, target, qsize, qpage', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_SET_QUEUE_CONFIG', 2n, 0n, 6n, QPAGE, 16n);
  expectRet(vm, 'H_P3', 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 7n, QPAGE, 16n);
  expectRet(vm, 'H_P2', 'H_INT_SET_QUEUE_CONFIG', 1n, 9n, 6n, QPAGE, 16n);
  expectRet(vm, 'H_P5', 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 6n, QPAGE, 15n);
  expectRet(vm, 'H_P4', 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 6n, QPAGE + 0x1000n, 16n);
  expectRet(vm, 'H_P4', 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 6n, 0x4_0000_0000n, 16n);
});
for (const qsize of [12n, 21n, 24n]) {
  test(`SET_QUEUE_CONFIG qsize ${qsize}: QEMU accepts, KVM refuses → H_HARDWARE`, () => {
    const r = call(xiveGuestVm({ lsi: true }), 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 6n, 0x1000000n, qsize);
    assert.equal(r.ret, 'H_HARDWARE');
    assert.match(r.reason ?? '', /qshift/);
  });
}
test('SET_QUEUE_CONFIG without ALWAYS_NOTIFY → H_HARDWARE (KVM requires flags 1)', () => {
  assert.equal(call(xiveGuestVm({ lsi: true }), 'H_INT_SET_QUEUE_CONFIG', 0n, 0n, 6n, QPAGE, 16n).ret, 'H_HARDWARE');
});
test('SET_QUEUE_CONFIG on a vCPU not connected to the device → H_HARDWARE (KVM ENOENT)', () => {
  const vm = xiveGuestVm({ lsi: true });
  // vCPU 5 exists (QEMU finds it) but never connected to the KVM device.
  assert.equal(errnoOf(enableCap(vm, 5, { fd: 99 })), 'EBADF');
  const r = call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 5n, 6n, QPAGE, 16n);
  assert.equal(r.ret, 'H_HARDWARE');
});
function errnoOf<T>(r: Result<T>): string {
  return r.ok ? 'ok' : r.errno;
}
test('GET_QUEUE_CONFIG on a never-configured END → H_HARDWARE: QEMU aborts here', () => {
  const r = call(xiveGuestVm({ lsi: true }), 'H_INT_GET_QUEUE_CONFIG', 0n, 0n, 6n);
  assert.equal(r.ret, 'H_HARDWARE');
  assert.match(r.reason ?? '', /QEMU aborts here/);
});
test('GET_QUEUE_CONFIG checks: flags, priority, target', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_GET_QUEUE_CONFIG', 2n, 0n, 6n);
  expectRet(vm, 'H_P3', 'H_INT_GET_QUEUE_CONFIG', 0n, 0n, 0xffn);
  expectRet(vm, 'H_P2', 'H_INT_GET_QUEUE_CONFIG', 0n, 77n, 6n);
});
test('queue round trip: SET, GET_QUEUE_INFO, GET_QUEUE_CONFIG with DEBUG (generation << 62), reset', () => {
  const vm = xiveGuestVm({ lsi: true });
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 1n, 6n, QPAGE, 16n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 1n, 6n)), [0x0006010040000000n + 14n * 0x20000n, 16n]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 0n, 1n, 6n)), [1n, QPAGE, 16n, 0n]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 1n, 1n, 6n)), [0x4000000000000001n, QPAGE, 16n, 0n]);
  // An event moves the KVM index; QEMU refreshes it from EQ_CONFIG get.
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 1n, 6n, 0x10n));
  must(esbLoad(vm, 0x10, 0xc00));
  ok(call(vm, 'H_INT_ESB', 1n, 0x10n, 0n, 0n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 1n, 1n, 6n)), [0x4000000000000001n, QPAGE, 16n, 1n]);
  // qsize 0 resets the END (and KVM's queue): QEMU would abort on a later GET.
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 0n, 1n, 6n, 0n, 0n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_INFO', 0n, 1n, 6n))[1], 0n);
  expectRet(vm, 'H_HARDWARE', 'H_INT_GET_QUEUE_CONFIG', 0n, 1n, 6n);
});
test('GET_QUEUE_INFO checks: flags, priority, target', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_GET_QUEUE_INFO', 1n, 0n, 6n);
  expectRet(vm, 'H_P3', 'H_INT_GET_QUEUE_INFO', 0n, 0n, 7n);
  expectRet(vm, 'H_P2', 'H_INT_GET_QUEUE_INFO', 0n, 42n, 6n);
});

// ---- H_INT_SET_SOURCE_CONFIG / GET_SOURCE_CONFIG ----
test('SET_SOURCE_CONFIG checks in order: flags, LISN, (0xff shortcut), priority, target', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_SET_SOURCE_CONFIG', 4n, 0x10n, 0n, 6n, 0n);
  expectRet(vm, 'H_P2', 'H_INT_SET_SOURCE_CONFIG', 0n, 8192n, 0n, 6n, 0n);
  expectRet(vm, 'H_P2', 'H_INT_SET_SOURCE_CONFIG', 0n, 0x20n, 0n, 6n, 0n);
  expectRet(vm, 'H_P4', 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 0n, 7n, 0n);
  expectRet(vm, 'H_P3', 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 99n, 6n, 0n);
  expectRet(vm, 'H_SUCCESS', 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 99n, 0xffn, 0n);
});
test('SET_SOURCE_CONFIG with no queue → KVM EBUSY → H_HARDWARE', () => {
  const r = call(xiveGuestVm({ lsi: true }), 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 0n, 6n, 0x10n);
  assert.equal(r.ret, 'H_HARDWARE');
  assert.match(r.reason ?? '', /kvmppc_xive_select_target/);
});
test('SET/GET_SOURCE_CONFIG: EISN only with SET_EISN, MASK flag, priority 0xff does not reach KVM', () => {
  const vm = xiveGuestVm({ lsi: true });
  // Never configured: END 0 never set → target 0xfffffc00, masked → 0xff, EISN 0 (not the LISN).
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [0xfffffc00n, 0xffn, 0n]);
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 1n, 5n, QPAGE, 16n));
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 1n, 5n, 0x1234n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [1n, 5n, 0n]);
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 1n, 5n, 0x1234n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [1n, 5n, 0x1234n]);
  let s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.server, s.priority, s.extra.eisn], [true, 1, 5, 0x1234]);
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 3n, 0x10n, 1n, 4n, 0x1234n));
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n))[1], 0xffn);
  assert.equal(inspectSources(vm)[0].routed, false);
  // Re-route, then priority 0xff: QEMU's EAS is reset, KVM keeps routing.
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 1n, 5n, 0x99n));
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 0n, 0x10n, 0n, 0xffn, 0n));
  s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.priority], [true, 5]);
  assert.deepEqual(ok(call(vm, 'H_INT_GET_SOURCE_CONFIG', 0n, 0x10n)), [0xfffffc00n, 0xffn, 0n]);
});
test('GET_SOURCE_CONFIG checks: flags, LISN', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_GET_SOURCE_CONFIG', 1n, 0x10n);
  expectRet(vm, 'H_P2', 'H_INT_GET_SOURCE_CONFIG', 0n, 0x1fffn);
});

// ---- H_INT_ESB, H_INT_SYNC, H_INT_RESET ----
test('H_INT_ESB checks: flags, LISN, offset > 0x20000', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_ESB', 2n, 0x10n, 0n, 0n);
  expectRet(vm, 'H_P2', 'H_INT_ESB', 0n, 9000n, 0n, 0n);
  expectRet(vm, 'H_P3', 'H_INT_ESB', 0n, 0x10n, 0x20001n, 0n);
});
test('H_INT_ESB load/store on the management page; a store returns -1', () => {
  const vm = xiveGuestVm({ lsi: true });
  assert.deepEqual(ok(call(vm, 'H_INT_ESB', 0n, 0x10n, 0xc00n, 0n)), [1n]);
  assert.deepEqual(ok(call(vm, 'H_INT_ESB', 1n, 0x10n, 0xe00n, 0n)), [M1]);
  assert.deepEqual(ok(call(vm, 'H_INT_ESB', 0n, 0x10n, 0x800n, 0n)), [2n]);
});
test('H_INT_ESB beyond the management page reaches the next source’s trigger page; an invalid one → H_HARDWARE', () => {
  const vm = xiveGuestVm({ lsi: true });
  must(esbLoad(vm, 0x11, 0xc00));
  ok(call(vm, 'H_INT_ESB', 1n, 0x10n, 0x10000n, 0n));
  assert.equal(inspectSources(vm)[1].pq, 2);
  expectRet(vm, 'H_HARDWARE', 'H_INT_ESB', 1n, 0x11n, 0x10000n, 0n);
});
test('H_INT_ESB Load-EOI on a deasserted LSI: PQ 00, no re-trigger, returns 0', () => {
  const vm = xiveGuestVm({ lsi: true });
  must(esbLoad(vm, 0x11, 0xf00));
  assert.deepEqual(ok(call(vm, 'H_INT_ESB', 0n, 0x11n, 0n, 0n)), [0n]);
  assert.equal(inspectSources(vm)[1].pq, 0);
});
test('H_INT_SYNC: flags → H_PARAMETER, LISN → H_P2, valid → H_SUCCESS', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_SYNC', 1n, 0x10n);
  expectRet(vm, 'H_P2', 'H_INT_SYNC', 0n, 0x13n);
  expectRet(vm, 'H_SUCCESS', 'H_INT_SYNC', 0n, 0x10n);
});
test('H_INT_RESET: flags → H_PARAMETER; else KVM RESET (queues disabled, sources masked)', () => {
  const vm = xiveGuestVm({ lsi: true });
  expectRet(vm, 'H_PARAMETER', 'H_INT_RESET', 1n);
  ok(call(vm, 'H_INT_SET_QUEUE_CONFIG', 1n, 0n, 6n, QPAGE, 16n));
  ok(call(vm, 'H_INT_SET_SOURCE_CONFIG', 2n, 0x10n, 0n, 6n, 0x10n));
  ok(call(vm, 'H_INT_RESET', 0n));
  assert.equal(inspectSources(vm)[0].routed, false);
  assert.equal(inspectQueues(vm).find((q) => q.priority === 6)?.entries, 0);
  // QEMU's own END survives (spec decision): GET_QUEUE_CONFIG reaches KVM, which has no page → zeros.
  assert.deepEqual(ok(call(vm, 'H_INT_GET_QUEUE_CONFIG', 1n, 0n, 6n)), [1n, QPAGE, 16n, 0n]);
});
