/** Every XIVE native errno row of spec §3 and Appendix A, one test per cause, through the VM facade. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, getAttr, getOneReg, hasAttr, inspectDevice, inspectSources, Result, setAttr,
  setOneReg, VmState, XIVE_CTRL, XIVE_GRP, KVM_CAP_IRQ_XICS, KvmPpcXiveEq, esbLoad, esbStore, timaLoad, releaseDevice,
} from '../../src/model';

const word = (w: bigint) => ({ kind: 'word', word: w }) as const;
const eqp = (eq: KvmPpcXiveEq) => ({ kind: 'eq', eq }) as const;
const FAULT = { kind: 'fault' } as const;
const GOOD_EQ: KvmPpcXiveEq = { flags: 1, qshift: 16, qaddr: 0x10000n, qtoggle: 1, qindex: 0 };
const CTRL = XIVE_GRP.CTRL;
const NR = BigInt(XIVE_CTRL.NR_SERVERS);

function errno<T>(r: Result<T>): string {
  return r.ok ? 'ok' : r.errno;
}
function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}
function xiveVm(config: Parameters<typeof createVm>[0] = {}): VmState {
  const vm = createVm(config);
  must(createDevice(vm, 'xive'));
  return vm;
}
function connected(): VmState {
  const vm = xiveVm();
  must(enableCap(vm, 0, { server: 0 }));
  return vm;
}
function withSource(irq = 0x100): VmState {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), word(0n)));
  return vm;
}

// ---- device and connect (§3.1) ----
test('CREATE_DEVICE XIVE on a legacy (POWER8) host → ENODEV', () => {
  const vm = createVm();
  must(createDevice(vm, 'xics'));
  releaseDevice(vm);
  assert.equal(errno(createDevice(vm, 'xive')), 'ENODEV');
});
test('CREATE_DEVICE XIVE twice → EEXIST', () => {
  assert.equal(errno(createDevice(xiveVm(), 'xive')), 'EEXIST');
});
test('ENABLE_CAP PPC_IRQ_XIVE flags → EINVAL', () => {
  assert.equal(errno(enableCap(xiveVm(), 0, { flags: 2 })), 'EINVAL');
});
test('ENABLE_CAP PPC_IRQ_XIVE bad fd → EBADF', () => {
  assert.equal(errno(enableCap(xiveVm(), 0, { fd: 99 })), 'EBADF');
});
test('ENABLE_CAP with the XICS cap on a XIVE device → EPERM', () => {
  assert.equal(errno(enableCap(xiveVm(), 0, { cap: KVM_CAP_IRQ_XICS })), 'EPERM');
});
test('ENABLE_CAP on an already connected vCPU → EBUSY', () => {
  const vm = connected();
  assert.equal(errno(enableCap(vm, 0, { server: 3 })), 'EBUSY');
});
test('ENABLE_CAP pack(server) ≥ nr_servers → EINVAL', () => {
  const vm = xiveVm({ maxVcpus: 16, maxVcpuIds: 128 });
  must(setAttr(vm, CTRL, NR, word(8n)));
  assert.equal(errno(enableCap(vm, 0, { server: 8 })), 'EINVAL');
  must(enableCap(vm, 0, { server: 7 }));
});
test('ENABLE_CAP duplicate server → EEXIST', () => {
  const vm = connected();
  assert.equal(errno(enableCap(vm, 1, { server: 0 })), 'EEXIST');
});
test('connect installs VP state 0x00000000ff000000 and leaves the vCPU stopped', () => {
  const vm = connected();
  assert.equal(vm.vcpus[0].running, false);
  assert.equal(must(getOneReg(vm, 0, 'vp')), 0x00000000ff000000n);
});

// ---- attribute groups (§3.2) ----
test('GET of write-only groups → ENXIO', () => {
  const vm = withSource();
  for (const g of [CTRL, XIVE_GRP.SOURCE, XIVE_GRP.SOURCE_CONFIG, XIVE_GRP.SOURCE_SYNC]) {
    assert.equal(errno(getAttr(vm, g, g === CTRL ? 1n : 0x100n)), 'ENXIO', `group ${g}`);
  }
});
test('unknown group → ENXIO for set, get and has', () => {
  const vm = connected();
  assert.equal(errno(setAttr(vm, 9, 0n, word(0n))), 'ENXIO');
  assert.equal(errno(getAttr(vm, 9, 0n)), 'ENXIO');
  assert.equal(errno(hasAttr(vm, 9, 0n)), 'ENXIO');
});
test('unknown CTRL attribute → ENXIO (set and has)', () => {
  const vm = connected();
  assert.equal(errno(setAttr(vm, CTRL, 4n, word(0n))), 'ENXIO');
  assert.equal(errno(hasAttr(vm, CTRL, 4n)), 'ENXIO');
});
test('HAS: CTRL RESET/EQ_SYNC/NR_SERVERS, source range 0..0xfffff, any EQ id', () => {
  const vm = connected();
  for (const a of [1n, 2n, 3n]) assert.equal(errno(hasAttr(vm, CTRL, a)), 'ok');
  for (const g of [XIVE_GRP.SOURCE, XIVE_GRP.SOURCE_CONFIG, XIVE_GRP.SOURCE_SYNC]) {
    assert.equal(errno(hasAttr(vm, g, 0n)), 'ok');
    assert.equal(errno(hasAttr(vm, g, 0xfffffn)), 'ok');
    assert.equal(errno(hasAttr(vm, g, 0x100000n)), 'ENXIO');
  }
  assert.equal(errno(hasAttr(vm, XIVE_GRP.EQ_CONFIG, 0xffffffffffffffffn)), 'ok');
});

// ---- GRP_SOURCE (§3.4) ----
test('SOURCE ≥ 0x100000 → E2BIG', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.SOURCE, 0x100000n, word(0n))), 'E2BIG');
});
test('SOURCE with a negative (as signed long) number → E2BIG', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.SOURCE, 0xffffffffffffffffn, word(0n))), 'E2BIG');
});
test('SOURCE read fault → EFAULT, and the block stays (errata 12): SOURCE_CONFIG then gives EINVAL, not ENOENT', () => {
  const vm = connected();
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE, 0x2000n, FAULT)), 'EFAULT');
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x2001n, word(6n))), 'EINVAL');
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_SYNC, 0x2001n, word(0n))), 'EINVAL');
});
test('SOURCE: LSI is sticky, ASSERTED only with LSI (V15), PQ 01, unrouted, eisn kept', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x10n, word(2n)));
  let s = inspectSources(vm)[0];
  assert.deepEqual([s.type, s.asserted, s.pq], ['MSI', false, 1]);
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x10n, word(3n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x10n, word((0x99n << 33n) | 6n)));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x10n, word(0n)));
  s = inspectSources(vm)[0];
  assert.deepEqual([s.type, s.asserted, s.pq, s.routed, s.extra.eisn], ['LSI', true, 1, false, 0x99]);
  assert.equal(inspectDevice(vm)?.sourceCount, 1);
});

// ---- SOURCE_CONFIG (§3.5) ----
test('SOURCE_CONFIG without a block → ENOENT', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.SOURCE_CONFIG, 0x5000n, word(6n))), 'ENOENT');
});
test('SOURCE_CONFIG ≥ 0x100000 → ENOENT (block lookup)', () => {
  assert.equal(errno(setAttr(withSource(), XIVE_GRP.SOURCE_CONFIG, 0x100000n, word(6n))), 'ENOENT');
});
test('SOURCE_CONFIG attr truncated to 32 bits before the lookup', () => {
  const vm = withSource(0x100);
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1_0000_0100n, word(6n)));
  assert.equal(inspectSources(vm)[0].routed, true);
});
test('SOURCE_CONFIG on a source never declared (block exists) → EINVAL', () => {
  assert.equal(errno(setAttr(withSource(0x100), XIVE_GRP.SOURCE_CONFIG, 0x101n, word(6n))), 'EINVAL');
});
test('SOURCE_CONFIG read fault → EFAULT', () => {
  assert.equal(errno(setAttr(withSource(), XIVE_GRP.SOURCE_CONFIG, 0x100n, FAULT)), 'EFAULT');
});
test('SOURCE_CONFIG priority 7 (V19) → EINVAL', () => {
  const r = setAttr(withSource(), XIVE_GRP.SOURCE_CONFIG, 0x100n, word(0xfffffffe00000017n));
  assert.equal(errno(r), 'EINVAL');
  assert.match(r.ok ? '' : r.reason, /xive_prio_from_guest/);
});
test('SOURCE_CONFIG to an unknown server → EINVAL', () => {
  const vm = withSource();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word((9n << 3n) | 6n))), 'EINVAL');
});
test('SOURCE_CONFIG with no usable queue anywhere → EBUSY, state unchanged', () => {
  const vm = withSource();
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word(6n))), 'EBUSY');
  assert.equal(inspectSources(vm)[0].routed, false);
});
test('SOURCE_CONFIG: a full queue (16382 sources) → EBUSY; counts are never given back', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x100n, word(0n)));
  // Each successful re-targeting (alternating EISN defeats the no-op shortcut) consumes a slot.
  for (let n = 0; n < 16382; n++) must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word((BigInt(n % 2 + 1) << 33n) | 6n)));
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word((7n << 33n) | 6n))), 'EBUSY');
  // Reconfiguring the queue does not release slots (errata 10).
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  assert.equal(errno(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x100n, word((7n << 33n) | 6n))), 'EBUSY');
});

// ---- EQ_CONFIG set (§3.6.3) ----
test('EQ_CONFIG set read fault → EFAULT even for an unknown server', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, (42n << 3n) | 6n, FAULT)), 'EFAULT');
});
test('EQ_CONFIG set for an unknown server → ENOENT', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, 0xen, eqp(GOOD_EQ))), 'ENOENT');
});
test('EQ_CONFIG set priority 7 (V24 after the server check) → EINVAL', () => {
  const vm = xiveVm();
  must(enableCap(vm, 4, { server: 4 }));
  assert.equal(errno(setAttr(vm, XIVE_GRP.EQ_CONFIG, 0x27n, eqp(GOOD_EQ))), 'EINVAL');
});
test('EQ_CONFIG reset (qshift 0) skips the flags check', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, flags: 7, qshift: 0 }))), 'ok');
});
test('EQ_CONFIG flags 0 → EINVAL (must be exactly ALWAYS_NOTIFY)', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, flags: 0 }))), 'EINVAL');
});
test('EQ_CONFIG flags 3 → EINVAL', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, flags: 3 }))), 'EINVAL');
});
for (const qshift of [12, 21, 24]) {
  test(`EQ_CONFIG qshift ${qshift} → EINVAL`, () => {
    const r = setAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, qshift, qaddr: 0x1000000n }));
    assert.equal(errno(r), 'EINVAL');
    assert.match(r.ok ? '' : r.reason, /qshift/);
  });
}
test('EQ_CONFIG misaligned qaddr → EINVAL', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, qaddr: 0x18000n }))), 'EINVAL');
});
test('EQ_CONFIG qaddr outside guest RAM → EINVAL', () => {
  const vm = xiveVm({ ramSize: 0x100000n });
  must(enableCap(vm, 0, { server: 0 }));
  assert.equal(errno(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, qaddr: 0x100000n }))), 'EINVAL');
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, qaddr: 0xf0000n })));
});
test('EQ_CONFIG restore with qindex ≥ 16384 → EIO (UNCONFIRMED firmware refusal) and the queue is torn down', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  assert.equal(errno(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp({ ...GOOD_EQ, qindex: 16384 }))), 'EIO');
  const got = must(getAttr(vm, XIVE_GRP.EQ_CONFIG, 6n));
  assert.equal(got.kind === 'eq' && got.written, false);
});

// ---- EQ_CONFIG get (§3.6.4) ----
test('EQ_CONFIG get unknown server → ENOENT', () => {
  assert.equal(errno(getAttr(connected(), XIVE_GRP.EQ_CONFIG, 0xen)), 'ENOENT');
});
test('EQ_CONFIG get priority 7 → EINVAL', () => {
  assert.equal(errno(getAttr(connected(), XIVE_GRP.EQ_CONFIG, 7n)), 'EINVAL');
});
test('EQ_CONFIG get of an unconfigured queue → 0 without writing, even with a bad buffer', () => {
  const got = must(getAttr(connected(), XIVE_GRP.EQ_CONFIG, 6n, { fault: true }));
  assert.equal(got.kind === 'eq' && got.written, false);
});
test('EQ_CONFIG get write fault on a configured queue → EFAULT', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  assert.equal(errno(getAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, { fault: true })), 'EFAULT');
});
test('EQ_CONFIG get returns ALWAYS_NOTIFY, saved qshift/qaddr, HW toggle 1 / index 0 on a fresh queue', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 0xdeadbeef00000006n, eqp(GOOD_EQ)));
  const got = must(getAttr(vm, XIVE_GRP.EQ_CONFIG, 6n));
  assert.deepEqual(got, { kind: 'eq', written: true, eq: { flags: 1, qshift: 16, qaddr: 0x10000n, qtoggle: 1, qindex: 0 } });
});

// ---- SOURCE_SYNC, EQ_SYNC, NR_SERVERS, RESET (§3.7, §3.8) ----
test('SOURCE_SYNC without a block → ENOENT', () => {
  assert.equal(errno(setAttr(connected(), XIVE_GRP.SOURCE_SYNC, 0x100n, word(0n))), 'ENOENT');
});
test('SOURCE_SYNC on an undeclared source → EINVAL', () => {
  assert.equal(errno(setAttr(withSource(0x100), XIVE_GRP.SOURCE_SYNC, 0x102n, word(0n))), 'EINVAL');
});
test('SOURCE_SYNC on a valid source → 0', () => {
  assert.equal(errno(setAttr(withSource(0x100), XIVE_GRP.SOURCE_SYNC, 0x100n, word(0n))), 'ok');
});
test('EQ_SYNC always 0 and marks configured queues dirty', () => {
  const vm = connected();
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 6n, eqp(GOOD_EQ)));
  must(setAttr(vm, CTRL, BigInt(XIVE_CTRL.EQ_SYNC), FAULT));
  assert.equal(vm.vcpus[0].vp?.queues[6].dirty, true);
  assert.equal(vm.vcpus[0].vp?.queues[5].dirty, false);
});
test('RESET always 0', () => {
  assert.equal(errno(setAttr(connected(), CTRL, BigInt(XIVE_CTRL.RESET), FAULT)), 'ok');
});
test('NR_SERVERS read fault → EFAULT', () => {
  assert.equal(errno(setAttr(xiveVm(), CTRL, NR, FAULT)), 'EFAULT');
});
test('NR_SERVERS 0 → EINVAL', () => {
  assert.equal(errno(setAttr(xiveVm(), CTRL, NR, word(0n))), 'EINVAL');
});
test('NR_SERVERS > KVM_MAX_VCPU_IDS → EINVAL', () => {
  const vm = xiveVm({ maxVcpus: 16, maxVcpuIds: 128 });
  assert.equal(errno(setAttr(vm, CTRL, NR, word(129n))), 'EINVAL');
});
test('NR_SERVERS reads a __u32: the high half of the word is ignored', () => {
  const vm = xiveVm({ maxVcpus: 16, maxVcpuIds: 128 });
  must(setAttr(vm, CTRL, NR, word(0x1_0000_0008n)));
  assert.equal(inspectDevice(vm)?.nrServers, 8);
});
test('NR_SERVERS is clamped to KVM_MAX_VCPUS', () => {
  const vm = xiveVm({ maxVcpus: 16, maxVcpuIds: 128 });
  must(setAttr(vm, CTRL, NR, word(100n)));
  assert.equal(inspectDevice(vm)?.nrServers, 16);
});
test('NR_SERVERS after a vCPU connected → EBUSY', () => {
  assert.equal(errno(setAttr(connected(), CTRL, NR, word(8n))), 'EBUSY');
});
test('NR_SERVERS limits later connects', () => {
  const vm = xiveVm();
  must(setAttr(vm, CTRL, NR, word(4n)));
  assert.equal(errno(enableCap(vm, 4, { server: 4 })), 'EINVAL');
});

// ---- ONE_REG (§3.12) ----
test('VP_STATE on an unconnected vCPU → ENXIO', () => {
  const vm = connected();
  // A failed ENABLE_CAP still creates vCPU 1, unconnected.
  assert.equal(errno(enableCap(vm, 1, { server: 1, fd: 99 })), 'EBADF');
  assert.equal(errno(getOneReg(vm, 1, 'vp')), 'ENXIO');
  assert.equal(errno(setOneReg(vm, 1, 'vp', 0n)), 'ENXIO');
});
test('VP_STATE on a XICS-on-XIVE vCPU → EPERM', () => {
  const vm = createVm();
  must(createDevice(vm, 'xics-on-xive'));
  must(enableCap(vm, 0, { server: 0 }));
  assert.equal(errno(getOneReg(vm, 0, 'vp')), 'EPERM');
});

// ---- guest MMIO faults ----
test('ESB access to an unknown or undeclared source → SIGBUS', () => {
  const vm = withSource(0x100);
  assert.equal(errno(esbLoad(vm, 0x101, 0x800)), 'SIGBUS');
  assert.equal(errno(esbStore(vm, 0x5000, 0, 0n)), 'SIGBUS');
  assert.equal(errno(esbLoad(vm, 0x100000, 0)), 'SIGBUS');
});
test('TIMA access from a vCPU without a XIVE context → SIGBUS', () => {
  const vm = connected();
  assert.equal(errno(timaLoad(vm, 3, 2, 0x810)), 'SIGBUS');
});
