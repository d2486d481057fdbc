/**
 * Properties over random XIVE operation sequences through the VM facade:
 * nothing throws, PQ stays in 0..3, queue index stays below the entry count,
 * PIPR always matches IPB, a snapshot is independent; plus paged inspection
 * over a million sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createDevice, createVm, decodeToRecord, enableCap, esbLoad, esbStore, getAttr, getOneReg, hcall, HcallName,
  inspectPresenters, inspectQueues, inspectSources, inspectDevice, irqLine, scanEventQueue, setAttr, setOneReg,
  setVcpuRunning, snapshotVm, timaLoad, timaStore, VmState, XIVE_GRP, XIVE_CTRL, AccessSize,
} from '../../src/model';

const IRQS = [0, 0x10, 0x3ff, 0x400, 0x1300, 0xfffff];
const irq = fc.constantFrom(...IRQS, 0x100000, 0x1301);
const server = fc.constantFrom(0, 1, 2, 9);
const prio = fc.integer({ min: 0, max: 7 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const HCALLS: HcallName[] = [
  'H_INT_GET_SOURCE_INFO', 'H_INT_SET_SOURCE_CONFIG', 'H_INT_GET_SOURCE_CONFIG', 'H_INT_GET_QUEUE_INFO',
  'H_INT_SET_QUEUE_CONFIG', 'H_INT_GET_QUEUE_CONFIG', 'H_INT_ESB', 'H_INT_SYNC', 'H_INT_RESET',
];
const smallArg = fc.oneof(fc.bigInt({ min: 0n, max: 8n }), fc.constantFrom(0x10n, 0x1300n, 0xffn, 16n, 0x10000n, 0x20000n), u64);

type Op = (vm: VmState) => unknown;
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(server).map(([s]) => (vm: VmState) => enableCap(vm, s, { server: s })),
  fc.tuple(irq, fc.bigInt({ min: 0n, max: 3n })).map(([i, w]) => (vm: VmState) => setAttr(vm, XIVE_GRP.SOURCE, BigInt(i), { kind: 'word', word: w })),
  fc.tuple(irq, prio, server, fc.boolean(), fc.integer({ min: 0, max: 0x7fffffff })).map(([i, p, s, m, e]) => (vm: VmState) =>
    setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(i), { kind: 'word', word: (BigInt(e) << 33n) | (m ? 1n << 32n : 0n) | BigInt(s << 3) | BigInt(p) })),
  fc.tuple(server, prio, fc.constantFrom(0, 16, 12), fc.constantFrom(0, 1), fc.integer({ min: 0, max: 16390 }), fc.constantFrom(0, 1)).map(
    ([s, p, q, t, idx, f]) => (vm: VmState) =>
      setAttr(vm, XIVE_GRP.EQ_CONFIG, BigInt(s * 8 + p), { kind: 'eq', eq: { flags: f, qshift: q, qaddr: BigInt(0x10000 * (s + 1)), qtoggle: t, qindex: idx } })),
  fc.tuple(server, prio).map(([s, p]) => (vm: VmState) => getAttr(vm, XIVE_GRP.EQ_CONFIG, BigInt(s * 8 + p))),
  fc.constantFrom(XIVE_CTRL.RESET, XIVE_CTRL.EQ_SYNC).map((a) => (vm: VmState) => setAttr(vm, XIVE_GRP.CTRL, BigInt(a), { kind: 'word', word: 0n })),
  fc.tuple(irq, fc.constantFrom(1, 0, 0xffffffff, 0xfffffffe, 0xfffffffd)).map(([i, l]) => (vm: VmState) => irqLine(vm, i, l)),
  fc.tuple(irq, fc.integer({ min: 0, max: 0xffff })).map(([i, o]) => (vm: VmState) => esbLoad(vm, i, o)),
  fc.tuple(irq, fc.integer({ min: 0, max: 0xffff })).map(([i, o]) => (vm: VmState) => esbStore(vm, i, o, 0n)),
  fc.tuple(server, fc.constantFrom<AccessSize>(1, 2, 4, 8), fc.constantFrom(0x10, 0x11, 0x14, 0x18, 0x810, 0x812, 0x830)).map(
    ([s, size, o]) => (vm: VmState) => timaLoad(vm, s, size, o)),
  fc.tuple(server, fc.constantFrom<AccessSize>(1, 4, 8), fc.constantFrom(0x10, 0x11, 0x812), fc.bigInt({ min: 0n, max: 0xffn })).map(
    ([s, size, o, v]) => (vm: VmState) => timaStore(vm, s, size, o, v)),
  fc.tuple(server, fc.boolean()).map(([s, r]) => (vm: VmState) => setVcpuRunning(vm, s, r)),
  fc.tuple(server, fc.constantFrom<'vp' | 'icp'>('vp', 'icp')).map(([s, reg]) => (vm: VmState) => getOneReg(vm, s, reg)),
  fc.tuple(server, fc.constantFrom<'vp' | 'icp'>('vp', 'icp'), u64).map(([s, reg, w]) => (vm: VmState) => setOneReg(vm, s, reg, w)),
  fc.tuple(server, fc.constantFrom(...HCALLS), fc.array(smallArg, { maxLength: 5 })).map(([s, n, a]) => (vm: VmState) => hcall(vm, s, n, a)),
  fc.tuple(server, prio).map(([s, p]) => (vm: VmState) => scanEventQueue(vm, s, p)),
);

function checkInvariants(vm: VmState): void {
  for (const s of inspectSources(vm)) assert.ok(s.pq >= 0 && s.pq <= 3, `PQ ${s.pq}`);
  for (const q of inspectQueues(vm)) {
    if (q.entries > 0) {
      assert.ok(q.index >= 0 && q.index < q.entries, `index ${q.index}`);
      assert.ok(q.readerIndex >= 0 && q.readerIndex < q.entries, `reader ${q.readerIndex}`);
      assert.ok(q.toggle === 0 || q.toggle === 1);
    }
    assert.ok(q.count <= 16382);
  }
  for (const p of inspectPresenters(vm)) {
    const w = decodeToRecord('xive-vp-state', p.word);
    // While running PIPR is always re-derived from IPB.
    if (p.running) {
      const expected = w.ipb === 0 ? 0xff : Math.clz32(w.ipb) - 24;
      assert.equal(w.pipr, expected);
    }
  }
  assert.equal(inspectDevice(vm)?.sourceCount, inspectSources(vm).length);
}

test('random operation sequences never throw and keep PQ, queue indexes and PIPR in range', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const vm = createVm();
      createDevice(vm, 'xive');
      for (const o of ops) {
        o(vm);
        checkInvariants(vm);
      }
    }),
    { numRuns: 300 },
  );
});

test('a snapshot (structuredClone) is unaffected by later operations', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 30 }), (before, after) => {
      const vm = createVm();
      createDevice(vm, 'xive');
      for (const o of before) o(vm);
      const snap = snapshotVm(vm);
      const views = JSON.stringify([inspectSources(snap), inspectQueues(snap), inspectPresenters(snap)], (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v);
      for (const o of after) o(vm);
      const again = JSON.stringify([inspectSources(snap), inspectQueues(snap), inspectPresenters(snap)], (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v);
      assert.equal(again, views);
    }),
    { numRuns: 100 },
  );
});

test('inspectSources pages over a million sources by index among valid ones', () => {
  const vm = createVm();
  createDevice(vm, 'xive');
  for (let i = 0; i < 0x100000; i += 1) {
    if (i % 3 === 0) setAttr(vm, XIVE_GRP.SOURCE, BigInt(i), { kind: 'word', word: 0n });
  }
  const total = Math.ceil(0x100000 / 3);
  assert.equal(inspectDevice(vm)?.sourceCount, total);
  const page = inspectSources(vm, 300000, 5);
  assert.deepEqual(page.map((s) => s.irq), [900000, 900003, 900006, 900009, 900012]);
  assert.deepEqual(inspectSources(vm, total - 2, 10).map((s) => s.irq), [1048572, 1048575]);
});
