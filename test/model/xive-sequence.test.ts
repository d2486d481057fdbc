/** XIVE native behaviour through the VM facade: the §6.9 sequence, queue wrap, running/stopped, RESET, migration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, inspectPresenters, esbLoad, esbStore, getAttr, getOneReg, hcall, inspectQueues, inspectSources,
  irqLine, IRQ_LEVELS, readGuestMemory, Result, scanEventQueue, setAttr, setOneReg, setVcpuRunning, timaLoad, timaStore,
  VmState, XIVE_CTRL, XIVE_GRP, decodeToRecord, AttrValue, KvmPpcXiveEq,
} from '../../src/model';

import { configureQueue, eqId, must, routeSource, sourceCfg, word, xiveVcpu0Queue } from './fixtures';

const QADDR = 0x1fc230000n;

function errno<T>(r: Result<T>): string {
  return r.ok ? 'ok' : r.errno;
}
function xiveVm(): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  return vm;
}
function pqOf(vm: VmState, irq: number): number {
  const s = inspectSources(vm).find((x) => x.irq === irq);
  assert.ok(s, `source ${irq} exists`);
  return s.pq;
}
function eqOf(v: AttrValue): KvmPpcXiveEq & { written: boolean } {
  assert.equal(v.kind, 'eq');
  if (v.kind !== 'eq') throw new Error('unreachable');
  return { ...v.eq, written: v.written };
}

test('§6.9 XIVE native sequence, step by step', () => {
  const vm = xiveVm();
  // 1
  must(enableCap(vm, 1, { server: 1 }));
  assert.equal(must(getOneReg(vm, 1, 'vp')), 0x00000000ff000000n);
  // 2
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x1300n, word(0n)));
  assert.equal(pqOf(vm, 0x1300), 1);
  assert.equal(inspectSources(vm)[0].routed, false);
  // 3
  const r3 = setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word(0x000026000000000en));
  assert.equal(errno(r3), 'EBUSY');
  // 4
  must(configureQueue(vm, 1, 6, QADDR));
  // 5
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word(0x000026000000000en)));
  let s = inspectSources(vm)[0];
  assert.deepEqual([s.server, s.priority, s.extra.eisn], [1, 6, 0x1300]);
  // 6
  must(timaStore(vm, 1, 1, 0x11, 0xffn));
  assert.equal(must(esbLoad(vm, 0x1300, 0xc00)), 1n);
  assert.equal(pqOf(vm, 0x1300), 0);
  // 7
  must(esbStore(vm, 0x1300, 0x000, 0n));
  assert.equal(pqOf(vm, 0x1300), 2);
  assert.deepEqual([...readGuestMemory(vm, QADDR, 4)], [0x80, 0x00, 0x13, 0x00]);
  assert.equal(inspectQueues(vm)[0].index, 1);
  assert.equal(must(timaLoad(vm, 1, 8, 0x10)), 0x80ff0200ff000006n);
  // 8
  assert.equal(must(timaLoad(vm, 1, 2, 0x810)), 0x8006n);
  const ring = decodeToRecord('xive-vp-state', must(timaLoad(vm, 1, 8, 0x10)));
  assert.deepEqual([ring.cppr, ring.ipb, ring.pipr, ring.nsr], [6, 0, 0xff, 0]);
  // 9
  assert.equal(must(esbLoad(vm, 0x1300, 0x000)), 0n);
  assert.equal(pqOf(vm, 0x1300), 0);
  // 10: only adds the mask bit → no-op shortcut, still routed
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word(0x000026010000000en)));
  s = inspectSources(vm)[0];
  assert.equal(s.routed, true);
  assert.equal(s.priority, 6);
  // 11
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word(0x000026010000000dn)));
  s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.priority, s.server, s.extra.eisn], [false, 0xff, 0, 0]);
  // 12
  assert.equal(errno(getAttr(vm, XIVE_GRP.EQ_CONFIG, 0x6n)), 'ENOENT');
  // The guest's scan sees the one entry
  assert.deepEqual(must(scanEventQueue(vm, 1, 6)), [0x80001300]);
  assert.deepEqual(must(scanEventQueue(vm, 1, 6)), []);
});

test('queue wrap: 16384 entries flip the generation, the scan follows, index stays in range', () => {
  const vm = xiveVcpu0Queue(5, 0x10000n);
  routeSource(vm, 0x20, { prio: 5 });
  must(esbLoad(vm, 0x20, 0xc00));
  must(timaStore(vm, 0, 1, 0x11, 0xffn));
  const total = 16384 + 3;
  let scanned: number[] = [];
  for (let n = 0; n < total; n++) {
    must(esbStore(vm, 0x20, 0, 0n));
    assert.equal(must(timaLoad(vm, 0, 2, 0x810)) >> 8n, 0x80n);
    must(timaStore(vm, 0, 1, 0x11, 0xffn));
    assert.equal(must(esbLoad(vm, 0x20, 0)), 0n);
    if (n === 16383) {
      const q = inspectQueues(vm)[0];
      assert.deepEqual([q.index, q.toggle], [0, 0]);
      scanned = must(scanEventQueue(vm, 0, 5));
      assert.equal(scanned.length, 16384);
      assert.ok(scanned.every((w) => w === 0x80000020));
    }
  }
  const q = inspectQueues(vm)[0];
  assert.deepEqual([q.index, q.toggle], [3, 0]);
  // Second pass entries carry generation 0 (V30-style) and the reader flipped its toggle.
  assert.deepEqual(must(scanEventQueue(vm, 0, 5)), [0x20, 0x20, 0x20]);
  assert.deepEqual(must(getAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(0, 5))).kind, 'eq');
  const got = eqOf(must(getAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(0, 5))));
  assert.deepEqual([got.qtoggle, got.qindex, got.written], [0, 3, true]);
});

test('stopped vCPU: events go to the backlog, shown by VP_STATE GET and merged on the next push', () => {
  const vm = xiveVcpu0Queue(3, 0x20000n);
  routeSource(vm, 0x40, { prio: 3 });
  must(esbLoad(vm, 0x40, 0xc00));
  must(timaStore(vm, 0, 1, 0x11, 0xffn));
  must(setVcpuRunning(vm, 0, false));
  must(esbStore(vm, 0x40, 0, 0n));
  const pres = inspectPresenters(vm)[0];
  assert.equal(pres.running, false);
  assert.equal(pres.extra.backlog_ipb, 0x10);
  // GET ORs the backlog into IPB; the saved ring has LSMFB 0, ACK# 0xff.
  const w = decodeToRecord('xive-vp-state', must(getOneReg(vm, 0, 'vp')));
  assert.deepEqual([w.ipb, w.nsr, w.cppr, w.ack], [0x10, 0, 0xff, 0xff]);
  // A guest statement pushes the context: backlog merged, NSR raised.
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x8003n);
  assert.equal(inspectPresenters(vm)[0].extra.backlog_ipb, 0);
});

test('pull forces LSMFB 0 and ACK# 0xff (errata 9)', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(setOneReg(vm, 0, 'vp', 0x00ff00aa11000000n));
  must(setVcpuRunning(vm, 0, true));
  must(setVcpuRunning(vm, 0, false));
  assert.equal(must(getOneReg(vm, 0, 'vp')), 0x00ff0000ff0000ffn);
});

test('VP_STATE set is verbatim and PIPR is re-derived from IPB on push', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(setOneReg(vm, 0, 'vp', 0x00064000ff000001n));
  assert.equal(must(getOneReg(vm, 0, 'vp')), 0x00064000ff000001n);
  must(setVcpuRunning(vm, 0, true));
  // PIPR 1 < CPPR 6 → NSR.EO on push
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x80064000ff000001n);
});

test('RESET: routed sources masked with stale act_server/eisn, PQ 01; masked sources keep PQ; counts stay', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(enableCap(vm, 1, { server: 1 }));
  must(configureQueue(vm, 1, 6, 0x30000n));
  for (const irq of [0x100, 0x101]) must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), word(0n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word(sourceCfg(6, 1, 0x777))));
  must(esbLoad(vm, 0x100, 0xc00)); // PQ 00
  must(esbLoad(vm, 0x101, 0xe00)); // masked source, PQ 10
  must(setAttr(vm, XIVE_GRP.CTRL, BigInt(XIVE_CTRL.RESET), word(0n)));
  const [a, b] = inspectSources(vm);
  assert.deepEqual([a.routed, a.server, a.extra.eisn, a.pq], [false, 1, 0x777, 1]);
  assert.equal(b.pq, 2);
  const q = inspectQueues(vm).find((x) => x.server === 1 && x.priority === 6);
  assert.ok(q);
  assert.equal(q.count, 1);
  // Queues are disabled: GET returns 0 without writing.
  assert.equal(eqOf(must(getAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(1, 6)))).written, false);
});

test('RESET step 2: a source routed to a vCPU that is no longer connected gets act_server/eisn cleared', () => {
  // Only reachable through stale state, so build it: route, then re-point the device's server map.
  const vm = xiveVcpu0Queue(2, 0x30000n);
  routeSource(vm, 0x10, { prio: 2, eisn: 0x55 });
  const dev = vm.device;
  assert.ok(dev && dev.kind === 'xive');
  dev.vcpuByServer.clear();
  vm.vcpus[0].mode = 'none';
  must(setAttr(vm, XIVE_GRP.CTRL, BigInt(XIVE_CTRL.RESET), word(0n)));
  const s = inspectSources(vm)[0];
  assert.deepEqual([s.routed, s.server, s.extra.eisn, s.pq], [false, 0, 0, 1]);
});

test('migration restore order: EQ_CONFIG with qtoggle/qindex, then sources, then VP state', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(configureQueue(vm, 0, 6, 0x40000n, 0, 100));
  const got = eqOf(must(getAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(0, 6))));
  assert.deepEqual([got.flags, got.qshift, got.qaddr, got.qtoggle, got.qindex], [1, 16, 0x40000n, 0, 100]);
  // Reprogramming is allowed; restore a first-pass position (generation 1) so that zeroed RAM ahead reads as empty.
  must(configureQueue(vm, 0, 6, 0x40000n, 1, 100));
  routeSource(vm, 0x1000, { prio: 6 });
  must(setOneReg(vm, 0, 'vp', 0x00ff0000ff0000ffn));
  must(esbLoad(vm, 0x1000, 0xc00));
  must(esbStore(vm, 0x1000, 0, 0n));
  const q = inspectQueues(vm)[0];
  assert.deepEqual([q.index, q.toggle], [101, 1]);
  // Entry written with generation 1 at index 100, where the restored reader looks.
  assert.deepEqual([...readGuestMemory(vm, 0x40000n + 400n, 4)], [0x80, 0x00, 0x10, 0x00]);
  assert.deepEqual(must(scanEventQueue(vm, 0, 6)), [0x80001000]);
});

test('LSI: line assert triggers, EOI re-triggers while asserted (errata 8), deassert stops it', () => {
  const vm = xiveVcpu0Queue(6, 0x50000n);
  routeSource(vm, 0x30, { prio: 6, lsi: true });
  must(esbLoad(vm, 0x30, 0xc00));
  must(irqLine(vm, 0x30, IRQ_LEVELS.assert));
  assert.equal(pqOf(vm, 0x30), 2);
  assert.equal(inspectQueues(vm)[0].index, 1);
  // EOI from 10 while still asserted: 00 then re-trigger → 10, forwarded → returns 1.
  assert.equal(must(esbLoad(vm, 0x30, 0)), 1n);
  assert.equal(pqOf(vm, 0x30), 2);
  assert.equal(inspectQueues(vm)[0].index, 2);
  // From 11 while asserted: EOI gives 10, no forward, returns 0.
  must(esbLoad(vm, 0x30, 0xf00));
  assert.equal(must(esbLoad(vm, 0x30, 0)), 0n);
  assert.equal(pqOf(vm, 0x30), 2);
  assert.equal(inspectQueues(vm)[0].index, 2);
  // Deassert: no trigger; EOI then simply resets.
  must(irqLine(vm, 0x30, IRQ_LEVELS.deassert));
  assert.equal(must(esbLoad(vm, 0x30, 0)), 0n);
  assert.equal(pqOf(vm, 0x30), 0);
  // H_INT_ESB Load-EOI on an asserted LSI: PQ 00, re-trigger, returns 0.
  must(irqLine(vm, 0x30, IRQ_LEVELS.set_level));
  const r = hcall(vm, 0, 'H_INT_ESB', [0n, 0x30n, 0n, 0n]);
  assert.equal(r.ret, 'H_SUCCESS');
  assert.deepEqual(r.r, [0n]);
  assert.equal(pqOf(vm, 0x30), 2);
});

test('KVM_IRQ_LINE levels in native mode: SET triggers an MSI, UNSET does not, unknown source ignored', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x60n, word(0n)));
  must(esbLoad(vm, 0x60, 0xc00));
  must(irqLine(vm, 0x60, IRQ_LEVELS.set));
  assert.equal(pqOf(vm, 0x60), 2);
  must(irqLine(vm, 0x60, IRQ_LEVELS.unset));
  assert.equal(pqOf(vm, 0x60), 2);
  must(irqLine(vm, 0x60, IRQ_LEVELS.assert)); // 1 on an MSI: trigger
  assert.equal(pqOf(vm, 0x60), 3);
  assert.equal(errno(irqLine(vm, 0x9999, IRQ_LEVELS.set)), 'ok');
});

test('silent retarget in vCPU creation order when the requested queue is unconfigured', () => {
  const vm = xiveVm();
  must(enableCap(vm, 5, { server: 5 }));
  must(enableCap(vm, 2, { server: 2 }));
  must(enableCap(vm, 7, { server: 7 }));
  must(configureQueue(vm, 7, 4, 0x60000n));
  must(configureQueue(vm, 2, 4, 0x70000n));
  routeSource(vm, 0x11, { prio: 4, server: 5 });
  // vCPU 2 was created before vCPU 7.
  assert.equal(inspectSources(vm)[0].server, 2);
});

test('ICP_STATE on a XIVE-native vCPU: kvmppc_xive_get/set_icp view', () => {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  assert.equal(must(getOneReg(vm, 0, 'icp')), 0x0000000000ff0000n);
  must(setOneReg(vm, 0, 'icp', 0x05000000ff000000n));
  assert.equal(must(getOneReg(vm, 0, 'icp')), 0x05000000ffff0000n);
  // The saved TIMA CPPR byte takes the ICP CPPR.
  assert.equal(decodeToRecord('xive-vp-state', must(getOneReg(vm, 0, 'vp'))).cppr, 5);
  // An XISR naming a valid source re-triggers it.
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x1234n, word(0n)));
  must(esbLoad(vm, 0x1234, 0xc00));
  must(setOneReg(vm, 0, 'icp', 0xff001234ff050000n));
  assert.equal(pqOf(vm, 0x1234), 2);
});

