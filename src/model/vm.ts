/**
 * The VM facade: one function per real operation at the KVM or guest
 * boundary. It owns the rules common to both device families (fds, device
 * creation, ENABLE_CAP's generic checks, ONE_REG dispatch) and hands the rest
 * to src/model/xics and src/model/xive. Every function is (state, request) →
 * result, mutating `vm` in place; callers snapshot with `snapshotVm`.
 */
import {
  AttrPayload, AttrValue, KVM_CAP_IRQ_XICS, KVM_CAP_PPC_IRQ_XIVE, KVM_INTERRUPT_SET,
  KVM_INTERRUPT_SET_LEVEL, KVM_INTERRUPT_UNSET,
} from './attr';
import { collectingEffects, noteEffect } from './effects';
import { fail, Failure, HcallResult, ok, OK_VOID, Result, RtasResult } from './result';
import { DEFAULT_VM_CONFIG, DeviceKind, VcpuState, VmConfig, VmState } from './state';
import * as xics from './xics';
import * as xive from './xive';
import { isXicsHcall, isXiveHcall, HcallName } from './hcalls';

export function createVm(config: Partial<VmConfig> = {}): VmState {
  const full: VmConfig = { ...DEFAULT_VM_CONFIG, ...config };
  return {
    config: full,
    host: null,
    device: null,
    fds: { 3: 'vm' },
    deviceFd: -1,
    nextFd: 4,
    vcpus: [],
    memory: { ramSize: full.ramSize, pages: new Map() },
    ticks: 0,
  };
}

function hostFor(kind: DeviceKind): 'power8' | 'power9' {
  return kind === 'xics' || kind === 'xics-pr' ? 'power8' : 'power9';
}

/** KVM_CREATE_DEVICE. The first device fixes the host generation. */
export function createDevice(vm: VmState, kind: DeviceKind): Result<{ fd: number }> {
  vm.ticks++;
  const host = vm.host ?? hostFor(kind);
  if (kind === 'xive' && host === 'power8') {
    return fail('ENODEV', 'KVM_DEV_TYPE_XIVE is not registered on a host without XIVE (legacy XICS host)');
  }
  if (kind === 'xics-on-xive' && host === 'power8') {
    return fail('ENODEV', 'this POWER8 host runs the legacy XICS emulation, not XICS-on-XIVE');
  }
  if ((kind === 'xics' || kind === 'xics-pr') && host === 'power9') {
    // On a XIVE host KVM_DEV_TYPE_XICS is XICS-on-XIVE; the legacy emulation is not registered.
    if (vm.device) return fail('EEXIST', 'this VM already has an interrupt device (kvm->arch.xive is shared)');
    return fail('ENODEV', 'on a XIVE (POWER9) host KVM_DEV_TYPE_XICS is XICS-on-XIVE: use `device xics-on-xive`');
  }
  if (vm.device) {
    return fail('EEXIST', `this VM already has ${describeDevice(vm.device.kind)} (one interrupt device per VM)`);
  }
  vm.host = host;
  const fd = vm.nextFd++;
  vm.fds[fd] = 'device';
  vm.deviceFd = fd;
  vm.device = kind === 'xive' ? xive.createXiveDevice(vm) : xics.createXicsDevice(vm, kind);
  return ok({ fd });
}

export function describeDevice(kind: DeviceKind): string {
  switch (kind) {
    case 'xics': return 'a legacy XICS device';
    case 'xics-pr': return 'a legacy XICS device (PR-KVM)';
    case 'xics-on-xive': return 'a XICS-on-XIVE device';
    case 'xive': return 'a XIVE native device';
  }
}

/** Closing the device fd: presenters freed, vCPUs back to "no interrupt controller". */
export function releaseDevice(vm: VmState): Result<void> {
  vm.ticks++;
  if (!vm.device) return fail('EBADF', 'no interrupt device is open');
  if (vm.device.kind === 'xive') xive.releaseXiveDevice(vm, vm.device);
  else xics.releaseXicsDevice(vm, vm.device);
  for (const v of vm.vcpus) {
    v.mode = 'none';
    v.icp = null;
    v.vp = null;
    v.running = false;
  }
  delete vm.fds[vm.deviceFd];
  vm.deviceFd = -1;
  vm.device = null;
  return OK_VOID;
}

/** KVM_CREATE_VCPU, implicitly on first use of a vCPU id. */
export function ensureVcpu(vm: VmState, id: number): VcpuState {
  let v = findVcpu(vm, id);
  if (!v) {
    v = { id, mode: 'none', server: 0, running: false, icp: null, vp: null };
    vm.vcpus.push(v);
    vm.fds[vm.nextFd++] = 'vcpu';
  }
  return v;
}

export function findVcpu(vm: VmState, id: number): VcpuState | undefined {
  // vCPUs are usually created in id order, so the id is first tried as the
  // index: every TIMA access looks its vCPU up (ids are unique, so a hit is the answer).
  const guess = vm.vcpus[id];
  if (guess !== undefined && guess.id === id) return guess;
  for (const v of vm.vcpus) if (v.id === id) return v;
  return undefined;
}

export interface EnableCapRequest {
  /** Capability number; defaults to the one matching the open device. */
  readonly cap?: number;
  readonly flags?: number;
  /** args[0]; defaults to the open device's fd. */
  readonly fd?: number;
  /** args[1]; truncated to 32 bits. Defaults to the vCPU id. */
  readonly server?: bigint | number;
}

/** KVM_ENABLE_CAP(KVM_CAP_IRQ_XICS | KVM_CAP_PPC_IRQ_XIVE) on a vCPU: connect its presenter. */
export function enableCap(vm: VmState, vcpuId: number, req: EnableCapRequest = {}): Result<void> {
  vm.ticks++;
  const vcpu = ensureVcpu(vm, vcpuId);
  const cap = req.cap ?? (vm.device?.kind === 'xive' ? KVM_CAP_PPC_IRQ_XIVE : KVM_CAP_IRQ_XICS);
  if (cap !== KVM_CAP_IRQ_XICS && cap !== KVM_CAP_PPC_IRQ_XIVE) {
    return fail('EINVAL', `capability ${cap} cannot be enabled on a vCPU here (kvm_vcpu_ioctl_enable_cap)`);
  }
  if ((req.flags ?? 0) !== 0) return fail('EINVAL', 'cap->flags must be 0 (kvm_vcpu_ioctl_enable_cap)');
  const fd = req.fd ?? vm.deviceFd;
  if (fd < 0 || vm.fds[fd] === undefined) return fail('EBADF', `args[0] = ${fd} is not an open file descriptor`);
  if (cap === KVM_CAP_PPC_IRQ_XIVE && vm.host !== 'power9') {
    return fail('ENXIO', 'the host is not running XIVE (xive_enabled() is false)');
  }
  if (vm.fds[fd] !== 'device' || !vm.device) return fail('EPERM', `fd ${fd} is not a KVM device (kvm_device_from_filp)`);
  const dev = vm.device;
  const wantsXive = cap === KVM_CAP_PPC_IRQ_XIVE;
  if (wantsXive !== (dev.kind === 'xive')) {
    return fail('EPERM', `fd ${fd} is ${describeDevice(dev.kind)}, not the device for capability ${cap}`);
  }
  if (vcpu.mode !== 'none') return fail('EBUSY', `vCPU ${vcpuId} is already connected to an interrupt controller`);
  const server = Number(BigInt.asUintN(32, BigInt(req.server ?? vcpuId)));
  return dev.kind === 'xive' ? xive.connectVcpu(vm, dev, vcpu, server) : xics.connectVcpu(vm, dev, vcpu, server);
}

function needDevice(vm: VmState): Failure | null {
  return vm.device ? null : fail('ENXIO', 'no interrupt device: create one first (KVM_CREATE_DEVICE)');
}

export function setAttr(vm: VmState, group: number, attr: bigint, payload: AttrPayload): Result<void> {
  vm.ticks++;
  const none = needDevice(vm);
  if (none || !vm.device) return none!;
  const dev = vm.device;
  return dev.kind === 'xive' ? xive.setAttr(vm, dev, group, attr, payload) : xics.setAttr(vm, dev, group, attr, payload);
}

export function getAttr(vm: VmState, group: number, attr: bigint, opts: { fault?: boolean } = {}): Result<AttrValue> {
  vm.ticks++;
  const none = needDevice(vm);
  if (none || !vm.device) return none!;
  const dev = vm.device;
  return dev.kind === 'xive' ? xive.getAttr(vm, dev, group, attr, opts) : xics.getAttr(vm, dev, group, attr, opts);
}

export function hasAttr(vm: VmState, group: number, attr: bigint): Result<void> {
  vm.ticks++;
  const none = needDevice(vm);
  if (none || !vm.device) return none!;
  const dev = vm.device;
  return dev.kind === 'xive' ? xive.hasAttr(vm, dev, group, attr) : xics.hasAttr(vm, dev, group, attr);
}

/** Normalises a KVM_IRQ_LINE level: SET and SET_LEVEL stay distinct for XIVE, which tells them apart. */
export type IrqLevel = number;
export const IRQ_LEVELS = { assert: 1, deassert: 0, set: KVM_INTERRUPT_SET, unset: KVM_INTERRUPT_UNSET, set_level: KVM_INTERRUPT_SET_LEVEL } as const;

/** KVM_IRQ_LINE. Returns 0 even for unknown sources; -ENXIO only without an in-kernel irqchip. */
export function irqLine(vm: VmState, irq: number, level: IrqLevel): Result<void> {
  vm.ticks++;
  if (!vm.device) return fail('ENXIO', 'KVM_IRQ_LINE without an in-kernel irqchip (no XICS/XIVE device)');
  const dev = vm.device;
  if (dev.kind === 'xive') xive.irqLine(vm, dev, irq >>> 0, level >>> 0);
  else xics.irqLine(vm, dev, irq >>> 0, level >>> 0);
  return OK_VOID;
}

export type OneReg = 'icp' | 'vp';

/**
 * When a vCPU is in the guest (the model's one rule, README "The controller
 * model"): QEMU makes ONE_REG calls from the vCPU thread while it is out of
 * the guest, so a ONE_REG access pulls a running XIVE context first; a guest
 * access (TIMA load/store, hcall) is made by the vCPU in the guest, so it
 * pushes a stopped context first. Each change is noted where it happens.
 */
function leaveGuest(vm: VmState, dev: xive.XiveDeviceState, vcpu: VcpuState, why: string): void {
  if (!vcpu.running || !vcpu.vp) return;
  xive.pullVcpu(vm, dev, vcpu);
  if (collectingEffects()) noteEffect('vcpuLeftGuest', `vCPU ${vcpu.id} left the guest for ${why}: its context is pulled (running 1 → 0); events now wait in the backlog IPB without NSR (kvmppc_xive_pull_vcpu)`);
}

function enterGuest(vm: VmState, dev: xive.XiveDeviceState, vcpu: VcpuState, why: string): void {
  if (vcpu.running || !vcpu.vp) return;
  const backlog = vcpu.vp.backlogIpb;
  xive.pushVcpu(vm, dev, vcpu);
  if (!collectingEffects()) return;
  const merged = backlog !== 0 ? `; backlog IPB 0x${backlog.toString(16).padStart(2, '0')} merged${(vcpu.vp.nsr & 0x80) !== 0 ? ', NSR set' : ''}` : '';
  noteEffect('vcpuEnteredGuest', `vCPU ${vcpu.id} entered the guest for ${why}: its context is pushed (running 0 → 1)${merged} (kvmppc_xive_push_vcpu)`);
}

/** KVM_GET_ONE_REG. A host-side access stops (pulls) a running XIVE vCPU first. */
export function getOneReg(vm: VmState, vcpuId: number, reg: OneReg): Result<bigint> {
  vm.ticks++;
  const vcpu = findVcpu(vm, vcpuId);
  if (!vcpu) return fail('ENOENT', `vCPU ${vcpuId} does not exist`);
  const dev = vm.device;
  if (vcpu.mode === 'none' || !dev) {
    return fail('ENXIO', `vCPU ${vcpuId} has no interrupt presenter (connect it first)`);
  }
  if (dev.kind === 'xive') {
    leaveGuest(vm, dev, vcpu, `KVM_GET_ONE_REG ${reg === 'vp' ? 'VP_STATE' : 'ICP_STATE'}`);
    return reg === 'vp' ? xive.getVpState(vm, dev, vcpu) : xive.getIcpState(vm, dev, vcpu);
  }
  if (reg === 'vp') {
    return dev.kind === 'xics-on-xive'
      ? fail('EPERM', `vCPU ${vcpuId} is in XICS-on-XIVE mode, not XIVE native (kvmppc_xive_native_get_vp)`)
      : fail('ENXIO', `vCPU ${vcpuId} has no XIVE presenter (legacy XICS ICP only)`);
  }
  return xics.getIcp(vm, dev, vcpu);
}

export function setOneReg(vm: VmState, vcpuId: number, reg: OneReg, value: bigint): Result<void> {
  vm.ticks++;
  const vcpu = findVcpu(vm, vcpuId);
  if (!vcpu) return fail('ENOENT', `vCPU ${vcpuId} does not exist`);
  const dev = vm.device;
  if (vcpu.mode === 'none' || !dev) {
    return fail('ENXIO', `vCPU ${vcpuId} has no interrupt presenter (connect it first)`);
  }
  if (dev.kind === 'xive') {
    leaveGuest(vm, dev, vcpu, `KVM_SET_ONE_REG ${reg === 'vp' ? 'VP_STATE' : 'ICP_STATE'}`);
    return reg === 'vp' ? xive.setVpState(vm, dev, vcpu, value) : xive.setIcpState(vm, dev, vcpu, value);
  }
  if (reg === 'vp') {
    return dev.kind === 'xics-on-xive'
      ? fail('EPERM', `vCPU ${vcpuId} is in XICS-on-XIVE mode, not XIVE native (kvmppc_xive_native_set_vp)`)
      : fail('ENXIO', `vCPU ${vcpuId} has no XIVE presenter (legacy XICS ICP only)`);
  }
  return xics.setIcp(vm, dev, vcpu, value);
}

/** A guest hcall from a vCPU. XIVE's H_INT_* go through QEMU's layer; XICS ones through KVM. */
export function hcall(vm: VmState, vcpuId: number, name: HcallName, args: readonly bigint[]): HcallResult {
  vm.ticks++;
  const vcpu = ensureVcpu(vm, vcpuId);
  const dev = vm.device;
  if (dev?.kind === 'xive' && vcpu.mode === 'xive') enterGuest(vm, dev, vcpu, `the hcall ${name}`);
  if (isXiveHcall(name)) {
    if (dev?.kind !== 'xive') {
      return { ret: 'H_FUNCTION', r: [], reason: 'the guest did not negotiate XIVE exploitation at CAS (no XIVE native device)' };
    }
    return xive.hcall(vm, dev, vcpu, name, args);
  }
  if (isXicsHcall(name)) {
    if (!dev || dev.kind === 'xive' || vcpu.mode !== 'xics') {
      return { ret: 'H_TOO_HARD', r: [], reason: `vCPU ${vcpuId} is not in XICS mode: ${name} is not handled by KVM and exits to userspace` };
    }
    return xics.hcall(vm, dev, vcpu, name, args);
  }
  return { ret: 'H_FUNCTION', r: [], reason: `${name} is not an interrupt-controller hcall` };
}

/** In-kernel RTAS (ibm,set-xive, ibm,get-xive, ibm,int-on, ibm,int-off). */
export function rtas(vm: VmState, name: string, args: readonly number[]): RtasResult {
  vm.ticks++;
  const dev = vm.device;
  if (!dev) return { status: -3, rets: [], reason: 'no interrupt device: RTAS interrupt calls are not handled in the kernel' };
  if (dev.kind === 'xive') {
    return { status: -3, rets: [], reason: 'in XIVE native mode the RTAS interrupt calls are QEMU\'s, not KVM\'s (not modelled)' };
  }
  return xics.rtas(vm, dev, name, args);
}

/** Guest ESB MMIO load (8 bytes, big-endian) at `offset` in source `irq`'s ESB pages. */
/** Which of a source's two ESB pages is accessed: the trigger page or the management (EOI) page. */
export type EsbPage = 'trigger' | 'management';

export function esbLoad(vm: VmState, irq: number, offset: number, page: EsbPage = 'management'): Result<bigint> {
  vm.ticks++;
  const dev = vm.device;
  if (dev?.kind !== 'xive') return fail('SIGBUS', 'ESB pages exist only with a XIVE native device');
  return xive.esbLoad(vm, dev, irq >>> 0, offset, page);
}

export function esbStore(vm: VmState, irq: number, offset: number, value: bigint, page: EsbPage = 'management'): Result<void> {
  vm.ticks++;
  const dev = vm.device;
  if (dev?.kind !== 'xive') return fail('SIGBUS', 'ESB pages exist only with a XIVE native device');
  return xive.esbStore(vm, dev, irq >>> 0, offset, value, page);
}

export type AccessSize = 1 | 2 | 4 | 8;

/** Guest TIMA access (OS page) from a vCPU, which runs from then on. */
export function timaLoad(vm: VmState, vcpuId: number, size: AccessSize, offset: number): Result<bigint> {
  vm.ticks++;
  const vcpu = ensureVcpu(vm, vcpuId);
  const dev = vm.device;
  if (dev?.kind !== 'xive' || vcpu.mode !== 'xive') return fail('SIGBUS', `vCPU ${vcpuId} has no XIVE native context: the TIMA is not mapped`);
  enterGuest(vm, dev, vcpu, 'a guest TIMA load');
  return xive.timaLoad(vm, dev, vcpu, size, offset);
}

export function timaStore(vm: VmState, vcpuId: number, size: AccessSize, offset: number, value: bigint): Result<void> {
  vm.ticks++;
  const vcpu = ensureVcpu(vm, vcpuId);
  const dev = vm.device;
  if (dev?.kind !== 'xive' || vcpu.mode !== 'xive') return fail('SIGBUS', `vCPU ${vcpuId} has no XIVE native context: the TIMA is not mapped`);
  enterGuest(vm, dev, vcpu, 'a guest TIMA store');
  return xive.timaStore(vm, dev, vcpu, size, offset, value);
}

/** `vcpu N run` / `vcpu N stop`: push or pull a XIVE vCPU's thread context explicitly. */
export function setVcpuRunning(vm: VmState, vcpuId: number, running: boolean): Result<void> {
  vm.ticks++;
  const vcpu = findVcpu(vm, vcpuId);
  if (!vcpu) return fail('ENOENT', `vCPU ${vcpuId} does not exist`);
  const dev = vm.device;
  if (dev?.kind === 'xive' && vcpu.mode === 'xive') {
    if (running) xive.pushVcpu(vm, dev, vcpu);
    else xive.pullVcpu(vm, dev, vcpu);
  } else {
    vcpu.running = running;
  }
  return OK_VOID;
}

/**
 * The guest's queue scan: the entries written to (server, priority)'s event
 * queue since the last scan, in order, as the raw 32-bit words the guest reads
 * (generation bit | EISN), consumed while their generation bit ≠ the reader's
 * toggle (Linux's xive_read_eq). The reader starts at index 0, toggle 0 when
 * a new queue is configured (a restored one: caught up, see queues.ts).
 */
export function scanEventQueue(vm: VmState, server: number, priority: number): Result<number[]> {
  vm.ticks++;
  const dev = vm.device;
  if (dev?.kind !== 'xive') {
    // A read of guest memory, not a kernel call: no errno, nothing to read.
    noteEffect('nothingToScan', 'there is no XIVE native device, so the guest has no event queue pages: nothing was read');
    return ok([]);
  }
  return xive.scanEventQueue(vm, dev, server, priority);
}

export { ok };
