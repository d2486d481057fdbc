/** ESB PQ transitions (§3.9.2) cell by cell, every ESB offset range (§3.9.3), TIMA OS-page operations (§3.10). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, esbLoad, esbStore, inspectQueues, inspectSources, Result, setAttr, timaLoad,
  timaStore, VmState, XIVE_GRP, decodeToRecord,
} from '../../src/model';
import * as xive from '../../src/model/xive';

const word = (w: bigint) => ({ kind: 'word', word: w }) as const;
const IRQ = 0x200;

function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}
/** One vCPU (server 0) running with CPPR 0xff, source IRQ routed to its priority-6 queue. */
function routedVm(lsi = false): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 0, { server: 0 }));
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr: 0x10000n, qtoggle: 1, qindex: 0 } }));
  must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(IRQ), word(lsi ? 1n : 0n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(IRQ), word((BigInt(IRQ) << 33n) | 6n)));
  must(timaStore(vm, 0, 1, 0x11, 0xffn));
  return vm;
}
const pq = (vm: VmState): number => inspectSources(vm)[0].pq;
const setPq = (vm: VmState, v: number): bigint => must(esbLoad(vm, IRQ, 0xc00 + (v << 8)));
const entries = (vm: VmState): number => inspectQueues(vm)[0].index;
const PQ_NAMES = ['00', '01', '10', '11'];

// trigger: 00 → 10 forward; 10 → 11; 11 → 11; 01 → 01 dropped
const TRIGGER: [number, number, boolean][] = [[0, 2, true], [2, 3, false], [3, 3, false], [1, 1, false]];
for (const [from, to, forwards] of TRIGGER) {
  test(`MSI trigger from ${PQ_NAMES[from]} → ${PQ_NAMES[to]}${forwards ? ', forwarded' : ''}`, () => {
    const vm = routedVm();
    setPq(vm, from);
    must(esbStore(vm, IRQ, 0, 0n));
    assert.equal(pq(vm), to);
    assert.equal(entries(vm), forwards ? 1 : 0);
  });
}
// EOI: 00 → 00 ret 0; 10 → 00 ret 0; 11 → 10 ret 1 forward; 01 → 01 ret 0
const EOI: [number, number, bigint][] = [[0, 0, 0n], [2, 0, 0n], [3, 2, 1n], [1, 1, 0n]];
for (const [from, to, ret] of EOI) {
  test(`EOI load from ${PQ_NAMES[from]} → ${PQ_NAMES[to]}, returns ${ret}`, () => {
    const vm = routedVm();
    setPq(vm, from);
    assert.equal(must(esbLoad(vm, IRQ, 0)), ret);
    assert.equal(pq(vm), to);
    assert.equal(entries(vm), ret === 1n ? 1 : 0);
  });
}
// LSI EOI while asserted (errata 8): the EOI result is replaced by the LSI re-trigger result.
const LSI_EOI: [number, number, bigint][] = [[0, 2, 1n], [2, 2, 1n], [3, 2, 0n], [1, 1, 0n]];
for (const [from, to, ret] of LSI_EOI) {
  test(`asserted LSI EOI from ${PQ_NAMES[from]} → ${PQ_NAMES[to]}, returns ${ret}`, () => {
    const vm = routedVm(true);
    must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(IRQ), word(3n))); // asserted (re-declare resets PQ and routing)
    must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(IRQ), word((BigInt(IRQ) << 33n) | 6n)));
    setPq(vm, from);
    assert.equal(must(esbLoad(vm, IRQ, 0x10)), ret);
    assert.equal(pq(vm), to);
    assert.equal(entries(vm), ret === 1n ? 1 : 0);
  });
}

test('management loads: 0x000–0x7FF EOI, 0x800–0xBFF GET, 0xC00–0xFFF set PQ returning the old PQ', () => {
  const vm = routedVm();
  setPq(vm, 3);
  assert.equal(must(esbLoad(vm, IRQ, 0x7ff)), 1n); // EOI from 11
  assert.equal(must(esbLoad(vm, IRQ, 0x800)), 2n);
  assert.equal(must(esbLoad(vm, IRQ, 0xbff)), 2n);
  assert.equal(pq(vm), 2);
  assert.equal(must(esbLoad(vm, IRQ, 0xcff)), 2n);
  assert.equal(must(esbLoad(vm, IRQ, 0xd80)), 0n);
  assert.equal(must(esbLoad(vm, IRQ, 0xe00)), 1n);
  assert.equal(must(esbLoad(vm, IRQ, 0xf00)), 2n);
  assert.equal(pq(vm), 3);
});
test('the 4 KiB pattern repeats across the 64 KiB page (offset & 0xfff)', () => {
  const vm = routedVm();
  assert.equal(must(esbLoad(vm, IRQ, 0x3c00)), 1n);
  assert.equal(pq(vm), 0);
});
test('management stores: 0x000–0x3FF trigger, 0x400–0x7FF Store-EOI ignored, 0x800–0xBFF ignored, 0xC00–0xFFF set PQ', () => {
  const vm = routedVm();
  setPq(vm, 0);
  must(esbStore(vm, IRQ, 0x3ff, 0n));
  assert.equal(pq(vm), 2);
  must(esbStore(vm, IRQ, 0x400, 0n));
  assert.equal(pq(vm), 2);
  must(esbStore(vm, IRQ, 0x800, 0n));
  assert.equal(pq(vm), 2);
  must(esbStore(vm, IRQ, 0xd00, 0n));
  assert.equal(pq(vm), 1);
  assert.equal(entries(vm), 1);
});
test('trigger page: any store triggers, loads return all-ones', () => {
  const vm = routedVm();
  setPq(vm, 0);
  must(xive.esbStore(vm, vm.device as xive.XiveDeviceState, IRQ, 0xc00, 0n, 'trigger'));
  assert.equal(pq(vm), 2);
  assert.equal(must(xive.esbLoad(vm, vm.device as xive.XiveDeviceState, IRQ, 0x800, 'trigger')), 0xffffffffffffffffn);
  assert.equal(xive.esbLoad(vm, vm.device as xive.XiveDeviceState, IRQ, 0x10000, 'management').ok, false);
});
test('a forwarded event on a masked source is dropped; PQ stays 10', () => {
  const vm = routedVm();
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(IRQ), word((1n << 32n) | 5n)));
  setPq(vm, 0);
  must(esbStore(vm, IRQ, 0, 0n));
  assert.equal(pq(vm), 2);
  assert.equal(entries(vm), 0);
});
test('EQ reset (qshift 0) leaves notify-only: IPB set, nothing written', () => {
  const vm = routedVm();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, { kind: 'eq', eq: { flags: 0, qshift: 0, qaddr: 0n, qtoggle: 0, qindex: 0 } }));
  setPq(vm, 0);
  must(esbStore(vm, IRQ, 0, 0n));
  assert.equal(decodeToRecord('xive-vp-state', must(timaLoad(vm, 0, 8, 0x10))).ipb, 0x02);
  const q = inspectQueues(vm)[0];
  assert.deepEqual([q.entries, q.index], [0, 0]);
});

// ---- TIMA OS page ----
test('CPPR store: values > 7 become 0xff; lowering CPPR below PIPR signals', () => {
  const vm = routedVm();
  must(timaStore(vm, 0, 1, 0x11, 0x08n));
  assert.equal(decodeToRecord('xive-vp-state', must(timaLoad(vm, 0, 8, 0x10))).cppr, 0xff);
  must(timaStore(vm, 0, 1, 0x11, 0x05n));
  must(timaStore(vm, 0, 1, 0x812, 6n)); // IPB prio 6: 6 ≥ CPPR 5, no signal
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x00050200ff000006n);
  must(timaStore(vm, 0, 1, 0x11, 0x07n)); // 6 < 7 → NSR.EO
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x80070200ff000006n);
});
test('ACK without NSR.EO returns (0 << 8) | CPPR and changes nothing', () => {
  const vm = routedVm();
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x00ffn);
});
test('ACK takes the most favoured priority and leaves the next pending one signalled by a later CPPR store', () => {
  const vm = routedVm();
  must(timaStore(vm, 0, 1, 0x812, 2n));
  must(timaStore(vm, 0, 1, 0x812, 6n));
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x8002n);
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x00020200ff000006n);
  must(timaStore(vm, 0, 1, 0x11, 0xffn));
  assert.equal(must(timaLoad(vm, 0, 2, 0x810)), 0x8006n);
});
test('SET_OS_PENDING with a priority > 7 sets nothing', () => {
  const vm = routedVm();
  must(timaStore(vm, 0, 1, 0x812, 9n));
  assert.equal(must(timaLoad(vm, 0, 8, 0x10)), 0x00ff0000ff0000ffn);
});
test('raw reads: 4 bytes at 0x10 and 0x14; AGE and WORD2 read 0; 1-byte raw reads and unknown special offsets read all-ones', () => {
  const vm = routedVm();
  assert.equal(must(timaLoad(vm, 0, 4, 0x10)), 0x00ff0000n);
  assert.equal(must(timaLoad(vm, 0, 4, 0x14)), 0xff0000ffn);
  assert.equal(must(timaLoad(vm, 0, 4, 0x18)), 0xffffffffn);
  assert.equal(must(timaLoad(vm, 0, 1, 0x11)), 0xffn);
  assert.equal(must(timaLoad(vm, 0, 8, 0x830)), 0xffffffffffffffffn);
  assert.equal(must(timaLoad(vm, 0, 4, 0x810)), 0xffffffffn);
});
test('raw 4-byte write at 0x10 changes only CPPR (the only writable OS byte), without re-evaluation', () => {
  const vm = routedVm();
  must(timaStore(vm, 0, 1, 0x812, 4n));
  must(timaLoad(vm, 0, 2, 0x810));
  must(timaStore(vm, 0, 4, 0x10, 0x11071122n));
  assert.equal(decodeToRecord('xive-vp-state', must(timaLoad(vm, 0, 8, 0x10))).cppr, 0x07);
  assert.equal(decodeToRecord('xive-vp-state', must(timaLoad(vm, 0, 8, 0x10))).nsr, 0);
});
