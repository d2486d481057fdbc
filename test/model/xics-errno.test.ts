/** Every XICS errno row of spec §2 and Appendix A, one test per cause, through the VM facade. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, getAttr, getOneReg, hasAttr, hcall, inspectDevice, irqLine, rtas, setAttr, setOneReg,
  Result, VmState, XICS_CTRL, XICS_GRP, KVM_CAP_IRQ_XICS, KVM_CAP_PPC_IRQ_XIVE,
} from '../../src/model';

type Kind = 'xics' | 'xics-pr' | 'xics-on-xive';

function vmWith(kind: Kind, config: Parameters<typeof createVm>[0] = {}): VmState {
  const vm = createVm(config);
  assert.ok(createDevice(vm, kind).ok);
  return vm;
}

function connected(kind: Kind): VmState {
  const vm = vmWith(kind);
  assert.ok(enableCap(vm, 0, { server: 0 }).ok);
  return vm;
}

function errno<T>(r: Result<T>): string {
  return r.ok ? 'ok' : r.errno;
}

const word = (w: bigint) => ({ kind: 'word', word: w }) as const;
const SRC = XICS_GRP.SOURCES;
const CTRL = XICS_GRP.CTRL;
const NR = BigInt(XICS_CTRL.NR_SERVERS);

// ---- CREATE_DEVICE / ENABLE_CAP ----
test('CREATE_DEVICE XICS twice → EEXIST', () => {
  const vm = vmWith('xics');
  assert.equal(errno(createDevice(vm, 'xics')), 'EEXIST');
});
test('ENABLE_CAP flags ≠ 0 → EINVAL', () => {
  assert.equal(errno(enableCap(vmWith('xics'), 0, { flags: 1 })), 'EINVAL');
});
test('ENABLE_CAP args[0] not an open fd → EBADF', () => {
  assert.equal(errno(enableCap(vmWith('xics'), 0, { fd: 99 })), 'EBADF');
});
test('ENABLE_CAP args[0] not a KVM device → EPERM', () => {
  assert.equal(errno(enableCap(vmWith('xics'), 0, { fd: 3 })), 'EPERM');
});
test('ENABLE_CAP with the XIVE capability on an XICS device → EPERM', () => {
  assert.equal(errno(enableCap(vmWith('xics-on-xive'), 0, { cap: KVM_CAP_PPC_IRQ_XIVE })), 'EPERM');
});
test('ENABLE_CAP on a vCPU already connected → EBUSY', () => {
  const vm = connected('xics');
  assert.equal(errno(enableCap(vm, 0, { server: 5, cap: KVM_CAP_IRQ_XICS })), 'EBUSY');
});
test('legacy ENABLE_CAP with a server number already used → EEXIST (kvmppc_xics_create_icp)', () => {
  const vm = connected('xics');
  const r = enableCap(vm, 1, { server: 0 });
  assert.equal(errno(r), 'EEXIST');
  assert.match(r.ok ? '' : r.reason, /kvmppc_xics_create_icp/);
});
test('legacy ENABLE_CAP: server is args[1] truncated to 32 bits', () => {
  const vm = connected('xics');
  assert.equal(errno(enableCap(vm, 1, { server: 0x1_0000_0000n })), 'EEXIST');
});
test('XICS-on-XIVE ENABLE_CAP with pack(server) ≥ nr_servers → EINVAL', () => {
  const vm = vmWith('xics-on-xive');
  assert.ok(setAttr(vm, CTRL, NR, word(4n)).ok);
  assert.equal(errno(enableCap(vm, 0, { server: 4 })), 'EINVAL');
  assert.equal(errno(enableCap(vm, 0, { server: 3 })), 'ok');
});
test('XICS-on-XIVE ENABLE_CAP with a VP already in use → EEXIST', () => {
  const vm = connected('xics-on-xive');
  assert.equal(errno(enableCap(vm, 1, { server: 0 })), 'EEXIST');
});

// ---- GRP_SOURCES set ----
for (const kind of ['xics', 'xics-on-xive'] as const) {
  test(`SOURCES set below 16 → ENOENT (${kind})`, () => {
    const r = setAttr(connected(kind), SRC, 15n, word(0x0000000500000000n));
    assert.equal(errno(r), 'ENOENT');
    assert.match(r.ok ? '' : r.reason, /below KVMPPC_XICS_FIRST_IRQ \(16\)/);
  });
  test(`SOURCES set at 0x100000 → ENOENT (${kind})`, () => {
    assert.equal(errno(setAttr(connected(kind), SRC, 0x100000n, word(0n))), 'ENOENT');
  });
  test(`SOURCES set with a faulting addr → EFAULT (${kind})`, () => {
    assert.equal(errno(setAttr(connected(kind), SRC, 0x1000n, { kind: 'fault' })), 'EFAULT');
  });
  test(`SOURCES set with an EQ struct payload → EINVAL (${kind})`, () => {
    const eq = { flags: 1, qshift: 16, qaddr: 0n, qtoggle: 0, qindex: 0 };
    assert.equal(errno(setAttr(connected(kind), SRC, 0x1000n, { kind: 'eq', eq })), 'EINVAL');
  });
}
test('legacy SOURCES set: unknown server with priority ≠ 0xff → EINVAL', () => {
  const r = setAttr(connected('xics'), SRC, 0x1000n, word(0x0000000500000007n));
  assert.equal(errno(r), 'EINVAL');
  assert.match(r.ok ? '' : r.reason, /server number 7.*xics_set_source/);
});
test('legacy SOURCES set: MASKED does not relax the server check → EINVAL', () => {
  assert.equal(errno(setAttr(connected('xics'), SRC, 0x1000n, word(0x0000020500000007n))), 'EINVAL');
});
test('legacy SOURCES set: unknown server with priority 0xff is accepted and normalised to MASKED', () => {
  const vm = connected('xics');
  assert.equal(errno(setAttr(vm, SRC, 0x1000n, word(0x000000ff00000003n))), 'ok');
  const g = getAttr(vm, SRC, 0x1000n);
  assert.deepEqual(g.ok ? g.value : null, { kind: 'word', word: 0x000002ff00000003n });
});
test('XICS-on-XIVE SOURCES set: unknown server is accepted', () => {
  assert.equal(errno(setAttr(connected('xics-on-xive'), SRC, 0x1000n, word(0x0000000500000007n))), 'ok');
});

// ---- GRP_SOURCES get ----
test('SOURCES get in a block never created → ENOENT', () => {
  assert.equal(errno(getAttr(connected('xics'), SRC, 0x1000n)), 'ENOENT');
});
test('SOURCES get of a never-set source in an existing block → ENOENT', () => {
  const vm = connected('xics');
  assert.ok(setAttr(vm, SRC, 0x1000n, word(0x0000000500000000n)).ok);
  assert.equal(errno(getAttr(vm, SRC, 0x1001n)), 'ENOENT');
});
test('SOURCES get below 16 in an existing block → ENOENT (no range check on get)', () => {
  const vm = connected('xics');
  assert.ok(setAttr(vm, SRC, 0x10n, word(0x0000000500000000n)).ok);
  assert.equal(errno(getAttr(vm, SRC, 0x5n)), 'ENOENT');
});
test('SOURCES get with a faulting addr → EFAULT', () => {
  const vm = connected('xics');
  assert.ok(setAttr(vm, SRC, 0x1000n, word(0x0000000500000000n)).ok);
  assert.equal(errno(getAttr(vm, SRC, 0x1000n, { fault: true })), 'EFAULT');
});

// ---- has_attr and GRP_CTRL ----
test('has_attr SOURCES: 0 for 16..0xfffff, ENXIO outside', () => {
  const vm = connected('xics');
  assert.equal(errno(hasAttr(vm, SRC, 16n)), 'ok');
  assert.equal(errno(hasAttr(vm, SRC, 0xfffffn)), 'ok');
  assert.equal(errno(hasAttr(vm, SRC, 15n)), 'ENXIO');
  assert.equal(errno(hasAttr(vm, SRC, 0x100000n)), 'ENXIO');
});
for (const kind of ['xics', 'xics-pr'] as const) {
  test(`legacy CTRL/NR_SERVERS: set, get and has → ENXIO (${kind})`, () => {
    const vm = connected(kind);
    assert.equal(errno(setAttr(vm, CTRL, NR, word(4n))), 'ENXIO');
    assert.equal(errno(getAttr(vm, CTRL, NR)), 'ENXIO');
    assert.equal(errno(hasAttr(vm, CTRL, NR)), 'ENXIO');
  });
}
test('unknown group → ENXIO for set, get and has', () => {
  const vm = connected('xics');
  assert.equal(errno(setAttr(vm, 7, 0n, word(0n))), 'ENXIO');
  assert.equal(errno(getAttr(vm, 7, 0n)), 'ENXIO');
  assert.equal(errno(hasAttr(vm, 7, 0n)), 'ENXIO');
});
test('XICS-on-XIVE has_attr CTRL/NR_SERVERS → 0; get → ENXIO (write-only)', () => {
  const vm = vmWith('xics-on-xive');
  assert.equal(errno(hasAttr(vm, CTRL, NR)), 'ok');
  assert.equal(errno(getAttr(vm, CTRL, NR)), 'ENXIO');
  assert.equal(errno(hasAttr(vm, CTRL, 2n)), 'ENXIO');
});
test('XICS-on-XIVE NR_SERVERS: faulting addr → EFAULT', () => {
  assert.equal(errno(setAttr(vmWith('xics-on-xive'), CTRL, NR, { kind: 'fault' })), 'EFAULT');
});
test('XICS-on-XIVE NR_SERVERS: 0 → EINVAL', () => {
  assert.equal(errno(setAttr(vmWith('xics-on-xive'), CTRL, NR, word(0n))), 'EINVAL');
});
test('XICS-on-XIVE NR_SERVERS: > KVM_MAX_VCPU_IDS → EINVAL; only the low 32 bits are read', () => {
  const vm = vmWith('xics-on-xive', { maxVcpus: 4, maxVcpuIds: 32 });
  assert.equal(errno(setAttr(vm, CTRL, NR, word(33n))), 'EINVAL');
  assert.equal(errno(setAttr(vm, CTRL, NR, word(0x5_0000_0002n))), 'ok');
});
test('XICS-on-XIVE NR_SERVERS: above KVM_MAX_VCPUS is clamped to it', () => {
  const vm = vmWith('xics-on-xive', { maxVcpus: 4, maxVcpuIds: 32 });
  assert.equal(errno(setAttr(vm, CTRL, NR, word(16n))), 'ok');
  assert.equal(inspectDevice(vm)?.nrServers, 4);
  // Server 4 packs to VP 0 (kvmppc_pack_vcpu_id): accepted, and it takes server 0's VP.
  assert.equal(errno(enableCap(vm, 0, { server: 4 })), 'ok');
  assert.equal(errno(enableCap(vm, 1, { server: 0 })), 'EEXIST');
});
test('XICS-on-XIVE NR_SERVERS after a vCPU connected → EBUSY', () => {
  assert.equal(errno(setAttr(connected('xics-on-xive'), CTRL, NR, word(8n))), 'EBUSY');
});

// ---- ONE_REG ICP_STATE ----
test('ONE_REG ICP on a vCPU without a presenter → ENXIO', () => {
  const vm = connected('xics');
  assert.ok(hcall(vm, 1, 'H_XIRR', []).ret === 'H_TOO_HARD');
  assert.equal(errno(getOneReg(vm, 1, 'icp')), 'ENXIO');
  assert.equal(errno(setOneReg(vm, 1, 'icp', 0n)), 'ENXIO');
});
test('ONE_REG VP_STATE on a legacy XICS vCPU → ENXIO', () => {
  assert.equal(errno(getOneReg(connected('xics'), 0, 'vp')), 'ENXIO');
});
test('ONE_REG VP_STATE on an XICS-on-XIVE vCPU → EPERM', () => {
  assert.equal(errno(getOneReg(connected('xics-on-xive'), 0, 'vp')), 'EPERM');
});
const inconsistent: readonly [string, bigint][] = [
  ['XISR 0 with PPRI ≠ 0xff', 0xff000000ff050000n],
  ['XISR 2 with PPRI ≠ MFRR', 0xff00000204050000n],
  ['XISR 2 with PPRI ≥ CPPR', 0x0400000204040000n],
  ['a source with PPRI ≥ MFRR', 0xff00100005050000n],
  ['a source with PPRI ≥ CPPR (V11)', 0x05001234ff050000n],
  ['a source whose block does not exist', 0xff005000ff050000n],
];
for (const [why, w] of inconsistent) {
  test(`ONE_REG ICP set: ${why} → EINVAL`, () => {
    const vm = connected('xics');
    assert.ok(setAttr(vm, SRC, 0x1000n, word(0x0000000500000000n)).ok);
    const r = setOneReg(vm, 0, 'icp', w);
    assert.equal(errno(r), 'EINVAL');
    assert.match(r.ok ? '' : r.reason, /kvmppc_xics_set_icp/);
  });
}

// ---- IRQ_LINE ----
test('KVM_IRQ_LINE without a device → ENXIO; on an unknown source → 0', () => {
  assert.equal(errno(irqLine(createVm(), 0x1000, 1)), 'ENXIO');
  assert.equal(errno(irqLine(connected('xics'), 0x1000, 1)), 'ok');
});

// ---- hcalls ----
test('XICS hcall from a vCPU not in XICS mode → H_TOO_HARD (exits to userspace)', () => {
  assert.equal(hcall(connected('xics'), 3, 'H_CPPR', [0xffn]).ret, 'H_TOO_HARD');
});
for (const kind of ['xics', 'xics-pr', 'xics-on-xive'] as const) {
  test(`H_IPI to an unknown server → H_PARAMETER (${kind})`, () => {
    assert.equal(hcall(connected(kind), 0, 'H_IPI', [9n, 5n]).ret, 'H_PARAMETER');
  });
  test(`H_IPOLL of an unknown server → H_PARAMETER (${kind})`, () => {
    assert.equal(hcall(connected(kind), 0, 'H_IPOLL', [9n]).ret, 'H_PARAMETER');
  });
}
test('H_EOI on a number whose block does not exist: H_PARAMETER (xics-pr, xics-on-xive), H_SUCCESS (xics)', () => {
  assert.equal(hcall(connected('xics-pr'), 0, 'H_EOI', [0xff001000n]).ret, 'H_PARAMETER');
  assert.equal(hcall(connected('xics-on-xive'), 0, 'H_EOI', [0xff001000n]).ret, 'H_PARAMETER');
  assert.equal(hcall(connected('xics'), 0, 'H_EOI', [0xff001000n]).ret, 'H_SUCCESS');
});

// ---- RTAS ----
function withSource(kind: Kind): VmState {
  const vm = connected(kind);
  assert.ok(setAttr(vm, SRC, 0x1000n, word(0x0000000500000000n)).ok);
  return vm;
}
for (const [name, args] of [['ibm,set-xive', [0x1000, 0]], ['ibm,get-xive', []], ['ibm,int-on', [0x1000, 1]], ['ibm,int-off', []]] as const) {
  test(`RTAS ${name} with the wrong argument count → -3`, () => {
    assert.equal(rtas(withSource('xics'), name, args).status, -3);
  });
}
for (const name of ['ibm,set-xive', 'ibm,get-xive', 'ibm,int-on', 'ibm,int-off'] as const) {
  test(`RTAS ${name} on a number without a block → -3`, () => {
    const args = name === 'ibm,set-xive' ? [0x5000, 0, 5] : [0x5000];
    assert.equal(rtas(withSource('xics'), name, args).status, -3);
  });
}
test('legacy RTAS ibm,set-xive to a missing ICP → -3, even for priority 0xff', () => {
  const vm = withSource('xics');
  assert.equal(rtas(vm, 'ibm,set-xive', [0x1000, 4, 5]).status, -3);
  assert.equal(rtas(vm, 'ibm,set-xive', [0x1000, 4, 0xff]).status, -3);
});
test('legacy RTAS ibm,int-on when the source\'s server has no ICP → -3', () => {
  const vm = connected('xics');
  assert.ok(setAttr(vm, SRC, 0x1000n, word(0x000002ff00000004n)).ok);
  assert.equal(rtas(vm, 'ibm,int-on', [0x1000]).status, -3);
});
test('XICS-on-XIVE RTAS ibm,set-xive to a missing vCPU → -3, but 0xff is accepted for a never-targeted source', () => {
  const vm = withSource('xics-on-xive');
  assert.equal(rtas(vm, 'ibm,set-xive', [0x1000, 4, 5]).status, -3);
  // 0x1000 is targeted (server 0): even a masking call re-targets it, and fails (kvmppc_xive_set_xive).
  assert.equal(rtas(vm, 'ibm,set-xive', [0x1000, 4, 0xff]).status, -3);
  assert.ok(setAttr(vm, SRC, 0x1001n, word(0x000002ff00000000n)).ok);
  assert.equal(rtas(vm, 'ibm,set-xive', [0x1001, 4, 0xff]).status, 0);
});
test('RTAS with an unknown call name → -3', () => {
  assert.equal(rtas(withSource('xics'), 'ibm,nope', [1]).status, -3);
});
