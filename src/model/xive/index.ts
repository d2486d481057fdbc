/**
 * XIVE native (KVM_DEV_TYPE_XIVE) controller model: the entry points
 * src/model/vm.ts calls. KVM's device (attributes, ONE_REG, IRQ_LINE), the
 * emulated ESB/TIMA hardware (QEMU semantics) and QEMU's H_INT_* layer.
 *
 * ESB accesses take `page` after `offset` ('management' by default, as the
 * scenario language's `esb <src> load 0xc00` means); `offset` is within that
 * 64 KiB page (see esb.ts).
 */
import type { AttrPayload, AttrValue } from '../attr';
import type { HcallName } from '../hcalls';
import type { DeviceView, PresenterView, QueueView, SourceView } from '../inspect';
import { fail, HcallResult, OK_VOID, Result } from '../result';
import type { VcpuState, VmState } from '../state';
import { collectingEffects, noteEffect } from '../effects';
import * as attributes from './attributes';
import { SOURCES_PER_BLOCK, SPAPR_NR_IRQS, TM_CPPR_OFFSET, TM_SPC_ACK_OS_REG, TM_SPC_SET_OS_PENDING, TM_SPECIAL_OP } from './constants';
import * as esb from './esb';
import * as hcalls from './hcalls';
import * as inspect from './inspect';
import * as presenter from './presenter';
import { prioFromGuest } from './priority';
import { scanQueue } from './queues';
import { validSourceBlock, vcpuForServer } from './sources';
import type { XiveDeviceState } from './state';

export type { XiveDeviceState, VpState, XiveQueueState, XiveSourceBlock, QemuEnd, XiveCounters, QueueMode } from './state';
export type { EsbPage } from './esb';
export { isValidXivePriority, prioFromGuest } from './priority';
export { checkQueueConfig, freshQueueToggleProblem } from './queue-config-rules';
export { describeEsbStore } from './esb';
export { ipbToPipr, priorityToIpb } from './presenter';
export * as XIVE_CONSTANTS from './constants';

export function createXiveDevice(vm: VmState): XiveDeviceState {
  return {
    kind: 'xive',
    nrServers: vm.config.maxVcpus,
    vpAllocated: false,
    // Holey, not pre-filled: snapshots (structuredClone) then cost O(blocks in use).
    blocks: [],
    blockIds: [],
    sourceCount: 0,
    vcpuByServer: new Map(),
    // QEMU's reset EAS: valid (once allocated) and masked, END 0, EISN 0.
    eas: {
      masked: new Uint8Array(SPAPR_NR_IRQS).fill(1),
      endIndex: new Uint32Array(SPAPR_NR_IRQS),
      eisn: new Uint32Array(SPAPR_NR_IRQS),
    },
    ends: new Map(),
    counters: { routed: 0, droppedMasked: 0, droppedNoVp: 0, droppedQueueOff: 0 },
  };
}

/** Closing the device fd: sources and VPs freed (vm.ts then resets each vCPU). */
export function releaseXiveDevice(_vm: VmState, dev: XiveDeviceState): void {
  dev.blocks.length = 0;
  dev.blockIds = [];
  dev.sourceCount = 0;
  dev.vcpuByServer.clear();
  dev.ends.clear();
}

export function connectVcpu(vm: VmState, dev: XiveDeviceState, vcpu: VcpuState, server: number): Result<void> {
  return attributes.connectVcpu(vm, dev, vcpu, server);
}

export function setAttr(vm: VmState, dev: XiveDeviceState, group: number, attr: bigint, payload: AttrPayload): Result<void> {
  return attributes.setAttr(vm, dev, group, attr, payload);
}

export function getAttr(vm: VmState, dev: XiveDeviceState, group: number, attr: bigint, opts: { fault?: boolean }): Result<AttrValue> {
  return attributes.getAttr(vm, dev, group, attr, opts);
}

export function hasAttr(vm: VmState, dev: XiveDeviceState, group: number, attr: bigint): Result<void> {
  return attributes.hasAttr(vm, dev, group, attr);
}

export function irqLine(vm: VmState, dev: XiveDeviceState, irq: number, level: number): void {
  esb.irqLine(vm, dev, irq, level);
}

export function pushVcpu(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): void {
  if (vcpu.vp) presenter.push(vcpu, vcpu.vp);
}

export function pullVcpu(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): void {
  if (vcpu.vp) presenter.pull(vcpu, vcpu.vp);
}

function noVp(vcpu: VcpuState, fn: string): Result<never> {
  return fail('ENOENT', `vCPU ${vcpu.id} has no XIVE presenter (${fn})`);
}

export function getVpState(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): Result<bigint> {
  if (!vcpu.vp) return noVp(vcpu, 'kvmppc_xive_native_get_vp');
  return presenter.getVpState(vcpu.vp);
}

export function setVpState(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState, word: bigint): Result<void> {
  if (!vcpu.vp) return noVp(vcpu, 'kvmppc_xive_native_set_vp');
  return presenter.setVpState(vcpu, vcpu.vp, word);
}

export function getIcpState(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): Result<bigint> {
  if (!vcpu.vp) return noVp(vcpu, 'kvmppc_xive_get_icp');
  return { ok: true, value: presenter.getIcpState(vcpu.vp) };
}

/** See presenter.setIcpState; an XISR naming a valid source re-triggers it (xive_restore_pending_irq). */
export function setIcpState(vm: VmState, dev: XiveDeviceState, vcpu: VcpuState, word: bigint): Result<void> {
  const vp = vcpu.vp;
  if (!vp) return noVp(vcpu, 'kvmppc_xive_set_icp');
  const r = presenter.setIcpState(vcpu, vp, word);
  if (!r.ok) return r;
  const xisr = r.value;
  if (xisr > 2) {
    const sb = validSourceBlock(dev, xisr);
    if (sb) esb.triggerSource(vm, dev, sb, xisr & (SOURCES_PER_BLOCK - 1));
    else vp.delayedIrq = xisr;
  }
  return OK_VOID;
}

export function hcall(vm: VmState, dev: XiveDeviceState, vcpu: VcpuState, name: HcallName, args: readonly bigint[]): HcallResult {
  return hcalls.hcall(vm, dev, vcpu, name, args);
}

export function esbLoad(vm: VmState, dev: XiveDeviceState, irq: number, offset: number, page: esb.EsbPage = 'management'): Result<bigint> {
  return esb.esbLoad(vm, dev, irq, offset, page);
}

export function esbStore(vm: VmState, dev: XiveDeviceState, irq: number, offset: number, _value: bigint, page: esb.EsbPage = 'management'): Result<void> {
  return esb.esbStore(vm, dev, irq, offset, page);
}

/**
 * ACK results by NSR then CPPR byte, created once each: the ACK is on every
 * event's path, and a flat table indexed by (nsr << 8 | cppr) would be sparse
 * (slow dictionary elements) since NSR is usually 0x80 or 0.
 */
const ACK_RESULTS: (Result<bigint> | undefined)[][] = [];
const ALL_ONES = 0xffffffffffffffffn;

function ackResult(v: number): Result<bigint> {
  const nsr = v >>> 8;
  const row = ACK_RESULTS[nsr] ?? (ACK_RESULTS[nsr] = []);
  const cppr = v & 0xff;
  return row[cppr] ?? (row[cppr] = { ok: true, value: BigInt(v) });
}

/**
 * value & 0xff as a number, without BigInt arithmetic (which allocates) for
 * the usual in-range byte: only a bigint in 0..255 converts to a number in 0..255.
 */
function lowByte(value: bigint): number {
  const n = Number(value);
  return n >= 0 && n <= 0xff ? n : Number(value & 0xffn);
}

function timaPageProblem(offset: number): Result<never> | null {
  if (offset < 0 || offset >= 0x10000) return fail('SIGBUS', `TIMA offset 0x${offset.toString(16)} is outside the 64 KiB OS page`);
  return null;
}

/** Guest TIMA load on the OS page (xive_tctx_tm_read): invalid accesses read all-ones, as QEMU answers. */
export function timaLoad(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState, size: 1 | 2 | 4 | 8, offset: number): Result<bigint> {
  const vp = vcpu.vp;
  if (!vp) return fail('SIGBUS', `vCPU ${vcpu.id} has no XIVE context: the TIMA is not mapped`);
  const bad = timaPageProblem(offset);
  if (bad) return bad;
  const off = offset & 0xfff;
  if (off === TM_SPC_ACK_OS_REG && size === 2) {
    return ackResult(presenter.acknowledge(vp));
  }
  if ((off & TM_SPECIAL_OP) !== 0) return { ok: true, value: ALL_ONES >> BigInt(64 - 8 * size) };
  return { ok: true, value: presenter.rawRead(vp, size, off) };
}

/** Guest TIMA store on the OS page (xive_tctx_tm_write): invalid accesses are ignored, as QEMU does. */
export function timaStore(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState, size: 1 | 2 | 4 | 8, offset: number, value: bigint): Result<void> {
  const vp = vcpu.vp;
  if (!vp) return fail('SIGBUS', `vCPU ${vcpu.id} has no XIVE context: the TIMA is not mapped`);
  const bad = timaPageProblem(offset);
  if (bad) return bad;
  const off = offset & 0xfff;
  if (off === TM_SPC_SET_OS_PENDING && size === 1) {
    presenter.setOsPending(vp, lowByte(value));
  } else if (off === TM_CPPR_OFFSET && size === 1) {
    presenter.storeCppr(vp, lowByte(value));
  } else if ((off & TM_SPECIAL_OP) === 0) {
    presenter.rawWrite(vp, size, off, BigInt.asUintN(8 * size, value));
  }
  return OK_VOID;
}

/** The guest's scan of (server, priority)'s queue (see vm.ts scanEventQueue). */
/**
 * The guest's scan of (server, priority)'s queue (see vm.ts scanEventQueue).
 * A scan reads guest memory and makes no kernel call, so it never fails with
 * an errno: where there is no queue page to read, it reads nothing and a note
 * says why, in the guest's terms.
 */
export function scanEventQueue(vm: VmState, dev: XiveDeviceState, server: number, priority: number): Result<number[]> {
  const vcpu = vcpuForServer(vm, dev, server);
  if (!vcpu || !vcpu.vp) return nothingToScan(`no connected vCPU has server ${server}, so the guest has no queue page for it: nothing was read`);
  if (priority < 0 || priority > 7 || prioFromGuest(priority) !== priority) {
    return nothingToScan(`priority ${priority} names no event queue (only 0..6 do, xive_prio_from_guest): nothing was read`);
  }
  const q = vcpu.vp.queues[priority];
  if (q.mode !== 'enqueue') {
    return nothingToScan(`server ${server} has no configured priority-${priority} queue (no EQ_CONFIG with a page): the guest has no queue page to scan, nothing was read`);
  }
  const entries = scanQueue(vm, q);
  if (entries.length === 0 && q.toggle === q.readerToggle && collectingEffects()) {
    noteEffect('entriesLookStale', `nothing new for the guest's reader (index ${q.readerIndex}, toggle ${q.readerToggle}): the hardware writes generation ${q.toggle} (next index ${q.index}), which equals the reader's toggle, so xive_read_eq takes those entries as old. QEMU configures a new queue with qtoggle 1; qtoggle ${q.toggle} restores queue state`);
  }
  return { ok: true, value: entries };
}

function nothingToScan(why: string): Result<number[]> {
  noteEffect('nothingToScan', why);
  return { ok: true, value: [] };
}

export function inspectDevice(vm: VmState, dev: XiveDeviceState): DeviceView {
  return inspect.inspectDevice(vm, dev);
}
export function inspectSources(vm: VmState, dev: XiveDeviceState, start: number, count: number): SourceView[] {
  return inspect.inspectSources(vm, dev, start, count);
}
export function inspectQueues(vm: VmState, dev: XiveDeviceState): QueueView[] {
  return inspect.inspectQueues(vm, dev);
}
export function inspectPresenters(vm: VmState, dev: XiveDeviceState): PresenterView[] {
  return inspect.inspectPresenters(vm, dev);
}
