/**
 * The hot-path shortcuts (vCPU by index, server by index, the queue's
 * remembered page, TIMA bytes without BigInt arithmetic) give the same answers
 * as the general lookups, including where the shortcut's guess is wrong and
 * across snapshots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, esbLoad, esbStore, readGuestMemory, Result, scanEventQueue,
  setAttr, snapshotVm, timaLoad, timaStore, VmState, XIVE_GRP,
} from '../../src/model';

const word = (w: bigint) => ({ kind: 'word', word: w }) as const;

function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}
function xiveVm(): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  return vm;
}
function configureQueue(vm: VmState, server: number, prio: number, qaddr: bigint): void {
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, BigInt(server * 8 + prio), { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr, qtoggle: 1, qindex: 0 } }));
}
function routeSource(vm: VmState, irq: number, server: number, prio: number, eisn: number): void {
  must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), word(0n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(irq), word((BigInt(eisn) << 33n) | BigInt((server << 3) | prio))));
  must(esbLoad(vm, irq, 0xc00));
}
function trigger(vm: VmState, irq: number): void {
  must(esbStore(vm, irq, 0, 0n));
  must(esbLoad(vm, irq, 0)); // EOI, so the next trigger is routed again
}

test('servers swapped against vCPU indexes: events reach the vCPU that connected with the server', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 1 }));
  must(enableCap(vm, 1, { server: 0 }));
  configureQueue(vm, 0, 5, 0x20000n);
  configureQueue(vm, 1, 5, 0x30000n);
  routeSource(vm, 0x10, 0, 5, 0xaa);
  routeSource(vm, 0x11, 1, 5, 0xbb);
  timaStore(vm, 0, 1, 0x11, 0xffn);
  timaStore(vm, 1, 1, 0x11, 0xffn);
  trigger(vm, 0x10);
  assert.deepEqual(must(scanEventQueue(vm, 0, 5)), [(1 << 31 | 0xaa) >>> 0]);
  assert.deepEqual(must(scanEventQueue(vm, 1, 5)), []);
  // Server 0 is vCPU 1: its ACK sees priority 5, vCPU 0's does not.
  assert.equal(must(timaLoad(vm, 1, 2, 0x810)), 0x8005n);
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x00ffn);
  trigger(vm, 0x11);
  assert.deepEqual(must(scanEventQueue(vm, 1, 5)), [(1 << 31 | 0xbb) >>> 0]);
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x8005n);
});

test('vCPUs created out of id order: TIMA accesses reach the vCPU with that id', () => {
  const vm = xiveVm();
  must(enableCap(vm, 3, { server: 3 }));
  must(enableCap(vm, 0, { server: 0 }));
  configureQueue(vm, 3, 2, 0x40000n);
  routeSource(vm, 0x20, 3, 2, 7);
  timaStore(vm, 3, 1, 0x11, 0xffn);
  trigger(vm, 0x20);
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x0000n);
  assert.equal(must(timaLoad(vm, 3, 2, 0x810)), 0x8002n);
});

test('TIMA byte stores take the low byte of any 64-bit value, as before', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(timaStore(vm, 0, 1, 0x11, 0x105n));
  assert.equal(must(timaLoad(vm, 0, 4, 0x10)) >> 16n & 0xffn, 5n);
  must(timaStore(vm, 0, 1, 0x11, -1n));
  assert.equal(must(timaLoad(vm, 0, 4, 0x10)) >> 16n & 0xffn, 0xffn);
  must(timaStore(vm, 0, 1, 0x11, 0xffffffffffffff03n));
  assert.equal(must(timaLoad(vm, 0, 4, 0x10)) >> 16n & 0xffn, 3n);
  // SET_OS_PENDING with a wide value: priority 2 from the low byte.
  must(timaStore(vm, 0, 1, 0x812, 0x7702n));
  assert.equal(must(timaLoad(vm, 0, 4, 0x10)) >> 8n & 0xffn, 0x20n);
});

test('the queue page remembered by enqueue is not part of the state, and snapshots write their own memory', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  configureQueue(vm, 0, 4, 0x50000n);
  routeSource(vm, 0x30, 0, 4, 0x31);
  trigger(vm, 0x30);
  const q = vm.vcpus[0].vp?.queues[4];
  assert.ok(q);
  assert.deepEqual(Object.keys(q).sort(), ['count', 'dirty', 'index', 'mode', 'qaddr', 'qshift', 'readerIndex', 'readerToggle', 'toggle']);
  const snap = snapshotVm(vm);
  trigger(vm, 0x30);
  assert.deepEqual(Array.from(readGuestMemory(snap, 0x50004n, 4)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(readGuestMemory(vm, 0x50004n, 4)), [0x80, 0, 0, 0x31]);
  // The snapshot, run on, writes into its own copy of the page.
  trigger(snap, 0x30);
  trigger(snap, 0x30);
  assert.deepEqual(must(scanEventQueue(snap, 0, 4)), [0x80000031, 0x80000031, 0x80000031]);
  assert.deepEqual(must(scanEventQueue(vm, 0, 4)), [0x80000031, 0x80000031]);
  assert.deepEqual(Array.from(readGuestMemory(vm, 0x50008n, 4)), [0, 0, 0, 0]);
});

test('a queue moved to another page writes there from its next event on', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  configureQueue(vm, 0, 1, 0x60000n);
  routeSource(vm, 0x40, 0, 1, 0x41);
  trigger(vm, 0x40);
  configureQueue(vm, 0, 1, 0x70000n);
  trigger(vm, 0x40);
  assert.deepEqual(Array.from(readGuestMemory(vm, 0x60000n, 8)), [0x80, 0, 0, 0x41, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(readGuestMemory(vm, 0x70000n, 8)), [0x80, 0, 0, 0x41, 0, 0, 0, 0]);
});
