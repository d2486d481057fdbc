/**
 * Properties over random operation sequences through the VM facade: nothing
 * throws, ICP fields stay in range, PQ stays in 0..3, a latched XISR always has a
 * priority, and views match GET/ONE_REG. Also: paged source inspection with a million sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createDevice, createVm, decodeToRecord, enableCap, getAttr, getOneReg, hcall, inspectPresenters, inspectSources,
  irqLine, rtas, setAttr, setOneReg, VmState, XICS_GRP, HcallName, KVM_INTERRUPT_SET, KVM_INTERRUPT_UNSET,
} from '../../src/model';

const IRQS = [0x10, 0x1000, 0x1001, 0x1002, 0x13ff, 0x1400];
const irq = fc.constantFrom(...IRQS);
const vcpu = fc.integer({ min: 0, max: 2 });
const byte = fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.constantFrom(0x100, 0xffffffff));
const big = (n: number) => BigInt(n);

type Op = (vm: VmState) => void;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ irq, server: fc.integer({ min: 0, max: 3 }), prio: byte, flags: fc.integer({ min: 0, max: 31 }) })
    .map(({ irq: n, server, prio, flags }) => (vm: VmState) => {
      const w = (big(flags) << 40n) | (big(prio & 0xff) << 32n) | big(server);
      setAttr(vm, XICS_GRP.SOURCES, big(n), { kind: 'word', word: w });
    }),
  fc.record({ irq, level: fc.constantFrom(0, 1, 2, KVM_INTERRUPT_SET, KVM_INTERRUPT_UNSET) })
    .map(({ irq: n, level }) => (vm: VmState) => { irqLine(vm, n, level); }),
  fc.record({ vcpu, name: fc.constantFrom<HcallName>('H_XIRR', 'H_XIRR_X', 'H_CPPR', 'H_EOI', 'H_IPI', 'H_IPOLL'), a: byte, b: byte, irq })
    .map(({ vcpu: v, name, a, b, irq: n }) => (vm: VmState) => {
      const args = name === 'H_EOI' ? [(big(a & 0xff) << 24n) | big(b % 3 === 0 ? 2 : n)] : [big(a), big(b)];
      hcall(vm, v, name, name === 'H_IPI' ? [big(a % 4), big(b)] : args);
    }),
  fc.record({ name: fc.constantFrom('ibm,set-xive', 'ibm,get-xive', 'ibm,int-on', 'ibm,int-off'), irq, s: fc.integer({ min: 0, max: 3 }), p: byte })
    .map(({ name, irq: n, s, p }) => (vm: VmState) => {
      rtas(vm, name, name === 'ibm,set-xive' ? [n, s, p] : [n]);
    }),
  fc.record({ vcpu, w: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) })
    .map(({ vcpu: v, w }) => (vm: VmState) => { setOneReg(vm, v, 'icp', w); }),
  fc.record({ vcpu, server: fc.integer({ min: 0, max: 3 }) })
    .map(({ vcpu: v, server }) => (vm: VmState) => { enableCap(vm, v, { server }); }),
);

function checkInvariants(vm: VmState): void {
  for (const p of inspectPresenters(vm)) {
    const f = decodeToRecord('xics-icp', p.word);
    // The model's own numbers, not the (always in range) decoded ones.
    const state = vm.vcpus.find((v) => v.id === p.vcpu)?.icp;
    assert.ok(state);
    for (const k of ['cppr', 'mfrr', 'ppri'] as const) {
      assert.ok(Number.isInteger(state[k]) && state[k] >= 0 && state[k] <= 0xff, `${k} = ${state[k]} in 0..0xff`);
    }
    assert.ok(Number.isInteger(state.xisr) && state.xisr >= 0 && state.xisr < 0x100000, `XISR ${state.xisr} is a source number`);
    const one = getOneReg(vm, p.vcpu, 'icp');
    assert.ok(one.ok);
    assert.equal(one.value, p.word, 'the view shows what ONE_REG returns');
    // Something latched always has a priority below 0xff; nothing latched always reads 0xff.
    assert.equal(f.xisr === 0, f.ppri === 0xff, 'XISR 0 ⇔ PPRI 0xff');
  }
  for (const s of inspectSources(vm)) {
    assert.ok(Number.isInteger(s.pq) && s.pq >= 0 && s.pq <= 3, `PQ ${s.pq} in 0..3`);
    const g = getAttr(vm, XICS_GRP.SOURCES, big(s.irq));
    assert.ok(g.ok && g.value.kind === 'word');
    assert.equal(g.value.word, s.word, 'the view shows what GET returns');
  }
}

for (const kind of ['xics', 'xics-pr', 'xics-on-xive'] as const) {
  test(`random operation sequences never throw and keep ICP and PQ in range (${kind})`, () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const vm = createVm();
        createDevice(vm, kind);
        enableCap(vm, 0, { server: 0 });
        for (const o of ops) {
          o(vm);
          checkInvariants(vm);
        }
      }),
      { numRuns: 150 },
    );
  });
}

test('paged inspection over a million sources is index-based and fast', () => {
  const vm = createVm();
  createDevice(vm, 'xics');
  enableCap(vm, 0, { server: 0 });
  for (let n = 16; n < 0x100000; n++) {
    setAttr(vm, XICS_GRP.SOURCES, big(n), { kind: 'word', word: 0x000000ff00000000n });
  }
  const total = 0x100000 - 16;
  assert.equal(vm.device && 'sourceCount' in vm.device ? vm.device.sourceCount : -1, total);
  const page = inspectSources(vm, 700_000, 3);
  assert.deepEqual(page.map((s) => s.irq), [700_016, 700_017, 700_018]);
  const last = inspectSources(vm, total - 1, 10);
  assert.deepEqual(last.map((s) => s.irq), [0xfffff]);
  assert.equal(inspectSources(vm, total, 10).length, 0);
});
