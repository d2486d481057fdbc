/**
 * QEMU's sPAPR H_INT_* layer (hw/intc/spapr_xive.c, §3.11) on top of the KVM
 * device: QEMU validates against its own EAS/END tables, then calls the KVM
 * attribute (spapr_xive_kvm.c); a KVM error becomes H_HARDWARE with the KVM
 * rule in `reason`. A LISN is allocated (EAS valid) once its KVM source exists.
 */
import { noteEffect } from '../effects';
import type { HcallName } from '../hcalls';
import { encodeWord } from '../layouts/codec';
import { HcallResult, HcallReturn } from '../result';
import type { VcpuState, VmState } from '../state';
import {
  H_INT_END_ALWAYS_NOTIFY, H_INT_END_DEBUG, H_INT_ESB_STORE, H_INT_SRC_INFO_H_INT_ESB, H_INT_SRC_INFO_LSI,
  H_INT_SRC_MASK, MASKED, H_INT_SRC_SET_EISN, SOURCE_FLAG_LSI, SOURCES_PER_BLOCK, SPAPR_END_BASE, SPAPR_ESB_SHIFT,
  SPAPR_HV_PRIO, SPAPR_NR_IRQS, SPAPR_NVT_BASE, SPAPR_VC_BASE,
} from './constants';
import { resetDevice } from './attributes';
import { esbLoad, esbStore, lsiLoadEoi } from './esb';
import { getQueueConfig, setQueueConfig } from './queues';
import { setSourceConfig, syncSource, validSourceBlock } from './sources';
import type { QemuEnd, XiveDeviceState } from './state';

const ALL_ONES = 0xffffffffffffffffn;

function ret(code: HcallReturn, reason: string): HcallResult {
  return { ret: code, r: [], reason };
}
function success(...r: bigint[]): HcallResult {
  return { ret: 'H_SUCCESS', r };
}
function kvmFailed(what: string, reason: string): HcallResult {
  return ret('H_HARDWARE', `KVM ${what} failed: ${reason}`);
}

/** LISN check: lisn ≥ nr_irqs (8192) or EAS not allocated → H_P2. */
function lisnProblem(dev: XiveDeviceState, lisn: bigint, fn: string): HcallResult | null {
  if (lisn >= BigInt(SPAPR_NR_IRQS)) return ret('H_P2', `LISN 0x${lisn.toString(16)} ≥ nr_irqs ${SPAPR_NR_IRQS} (${fn})`);
  if (validSourceBlock(dev, Number(lisn)) === null) return ret('H_P2', `LISN 0x${lisn.toString(16)} is not allocated (no KVM source) (${fn})`);
  return null;
}

/** The uint8_t priority QEMU's helpers take: the register is truncated, not range-checked. */
function priorityByte(p: bigint): number {
  return Number(p & 0xffn);
}

/** spapr_xive_priority_is_reserved(xive, uint8_t priority): priority ≥ hv-prio (7). */
function reservedPriority(p: bigint): boolean {
  return priorityByte(p) >= SPAPR_HV_PRIO;
}

/**
 * spapr_xive_target_to_end(uint32_t target, ...) → spapr_find_cpu(int): the
 * register is truncated to 32 bits, and ids ≥ 2^31 are negative (no vCPU).
 */
function findTarget(vm: VmState, target: bigint): VcpuState | null {
  const id = Number(BigInt.asIntN(32, target));
  return vm.vcpus.find((v) => v.id === id) ?? null;
}

function endIndexOf(target: number, priority: number): number {
  return target * 8 + priority;
}

function blankEnd(): QemuEnd {
  return { valid: false, enqueue: false, alwaysNotify: false, qsize: 0, qaddr: 0n, target: 0, priority: 0, generation: 0, index: 0 };
}

/** Register r4 + i as the hcall sees it (0 when not given). A function, not a closure per call: a trace replay makes one hcall per ESB access. */
function register(args: readonly bigint[], i: number): bigint {
  return BigInt.asUintN(64, args[i] ?? 0n);
}

export function hcall(vm: VmState, dev: XiveDeviceState, _vcpu: VcpuState, name: HcallName, args: readonly bigint[]): HcallResult {
  switch (name) {
    case 'H_INT_GET_SOURCE_INFO': return getSourceInfo(dev, register(args, 0), register(args, 1));
    case 'H_INT_SET_SOURCE_CONFIG': return setSourceConfigHcall(vm, dev, register(args, 0), register(args, 1), register(args, 2), register(args, 3), register(args, 4));
    case 'H_INT_GET_SOURCE_CONFIG': return getSourceConfigHcall(dev, register(args, 0), register(args, 1));
    case 'H_INT_GET_QUEUE_INFO': return getQueueInfo(vm, dev, register(args, 0), register(args, 1), register(args, 2));
    case 'H_INT_SET_QUEUE_CONFIG': return setQueueConfigHcall(vm, dev, register(args, 0), register(args, 1), register(args, 2), register(args, 3), register(args, 4));
    case 'H_INT_GET_QUEUE_CONFIG': return getQueueConfigHcall(vm, dev, register(args, 0), register(args, 1), register(args, 2));
    case 'H_INT_SET_OS_REPORTING_LINE':
    case 'H_INT_GET_OS_REPORTING_LINE':
      return ret('H_FUNCTION', `${name} is not implemented by QEMU (h_int_${name === 'H_INT_SET_OS_REPORTING_LINE' ? 'set' : 'get'}_os_reporting_line)`);
    case 'H_INT_ESB': return esbHcall(vm, dev, register(args, 0), register(args, 1), register(args, 2));
    case 'H_INT_SYNC': return syncHcall(dev, register(args, 0), register(args, 1));
    case 'H_INT_RESET':
      if (register(args, 0) !== 0n) return ret('H_PARAMETER', `flags 0x${register(args, 0).toString(16)} must be 0 (h_int_reset)`);
      // Only the KVM RESET has a visible effect (spec decision); it always succeeds.
      resetDevice(vm, dev);
      return success();
    default:
      return ret('H_FUNCTION', `${name} is not an H_INT_* hcall`);
  }
}

function getSourceInfo(dev: XiveDeviceState, flags: bigint, lisn: bigint): HcallResult {
  const fn = 'h_int_get_source_info';
  if (flags !== 0n) return ret('H_PARAMETER', `flags 0x${flags.toString(16)} must be 0 (${fn})`);
  const bad = lisnProblem(dev, lisn, fn);
  if (bad) return bad;
  const n = Number(lisn);
  const sb = validSourceBlock(dev, n);
  const lsi = sb !== null && (sb.flags[n & (SOURCES_PER_BLOCK - 1)] & SOURCE_FLAG_LSI) !== 0;
  // Two 64 KiB pages per source: trigger at vc_base + n·2^17, management 64 KiB above it.
  const trigger = SPAPR_VC_BASE + (lisn << BigInt(SPAPR_ESB_SHIFT));
  const outFlags = lsi ? H_INT_SRC_INFO_H_INT_ESB | H_INT_SRC_INFO_LSI : 0n;
  return success(outFlags, lsi ? ALL_ONES : trigger + 0x10000n, lsi ? ALL_ONES : trigger, BigInt(SPAPR_ESB_SHIFT - 1));
}

function setSourceConfigHcall(vm: VmState, dev: XiveDeviceState, flags: bigint, lisn: bigint, target: bigint, priority: bigint, eisn: bigint): HcallResult {
  const fn = 'h_int_set_source_config';
  if ((flags & ~(H_INT_SRC_SET_EISN | H_INT_SRC_MASK)) !== 0n) {
    return ret('H_PARAMETER', `flags 0x${flags.toString(16)}: only SET_EISN (0x2) and MASK (0x1) are defined (${fn})`);
  }
  const bad = lisnProblem(dev, lisn, fn);
  if (bad) return bad;
  const n = Number(lisn);
  if (priority === 0xffn) {
    // Resets QEMU's EAS only: KVM is not called and keeps its routing.
    dev.eas.masked[n] = 1;
    dev.eas.endIndex[n] = 0;
    dev.eas.eisn[n] = 0;
    return { ret: 'H_SUCCESS', r: [], reason: 'priority 0xff resets QEMU\'s EAS only; the KVM source keeps its routing (h_int_set_source_config)' };
  }
  const masked = (flags & H_INT_SRC_MASK) !== 0n;
  if (reservedPriority(priority)) return ret('H_P4', `priority ${priority} is reserved (≥ hv-prio 7) (${fn})`);
  const cpu = findTarget(vm, target);
  if (!cpu) return ret('H_P3', `no vCPU ${target} (spapr_xive_target_to_end in ${fn})`);
  const prio = priorityByte(priority);
  const newEisn = (flags & H_INT_SRC_SET_EISN) !== 0n ? Number(eisn & 0x7fffffffn) : dev.eas.eisn[n];
  const word = encodeWord('xive-source-config', { priority: prio, server: cpu.id & 0x1fffffff, masked: masked ? 1 : 0, eisn: newEisn });
  if (!word.ok) return ret('H_HARDWARE', 'internal: source configuration does not encode');
  const r = setSourceConfig(vm, dev, lisn, word.word);
  if (!r.ok) return kvmFailed('SOURCE_CONFIG', r.reason);
  dev.eas.masked[n] = masked ? 1 : 0;
  dev.eas.endIndex[n] = endIndexOf(cpu.id, prio);
  dev.eas.eisn[n] = newEisn;
  return success();
}

function getSourceConfigHcall(dev: XiveDeviceState, flags: bigint, lisn: bigint): HcallResult {
  const fn = 'h_int_get_source_config';
  if (flags !== 0n) return ret('H_PARAMETER', `flags 0x${flags.toString(16)} must be 0 (${fn})`);
  const bad = lisnProblem(dev, lisn, fn);
  if (bad) return bad;
  const n = Number(lisn);
  const end = dev.ends.get(dev.eas.endIndex[n]) ?? blankEnd();
  // Target = END W6 NVT index − 0x400 as a u32: an END never configured gives 0xfffffc00.
  const nvtIndex = end.valid ? end.target + SPAPR_NVT_BASE : 0;
  const targetOut = BigInt((nvtIndex - SPAPR_NVT_BASE) >>> 0);
  const prioOut = dev.eas.masked[n] ? 0xffn : BigInt(end.valid ? end.priority : 0);
  const sb = validSourceBlock(dev, n);
  const kvmPriority = sb === null ? MASKED : sb.actPriority[n & (SOURCES_PER_BLOCK - 1)];
  if (kvmPriority !== MASKED && BigInt(kvmPriority) !== prioOut) {
    noteEffect('qemuTableStale', `QEMU's routing table (EAS) for 0x${n.toString(16)} says ${prioOut === 0xffn ? 'masked' : `priority ${prioOut}`}, but KVM routes it at priority ${kvmPriority} to server ${sb!.actServer[n & (SOURCES_PER_BLOCK - 1)]}: a direct KVM_DEV_XIVE_GRP_SOURCE_CONFIG (set source_config) does not update QEMU's table, which this hcall reads (h_int_get_source_config)`);
  }
  return success(targetOut, prioOut, BigInt(dev.eas.eisn[n]));
}

function queueArgsProblem(vm: VmState, flags: bigint, allowed: bigint, target: bigint, priority: bigint, fn: string): HcallResult | VcpuState {
  if ((flags & ~allowed) !== 0n) return ret('H_PARAMETER', `flags 0x${flags.toString(16)} are not defined (${fn})`);
  if (reservedPriority(priority)) return ret('H_P3', `priority ${priority} is reserved (≥ hv-prio 7) (${fn})`);
  const cpu = findTarget(vm, target);
  if (!cpu) return ret('H_P2', `no vCPU ${target} (spapr_xive_target_to_end in ${fn})`);
  return cpu;
}

function isHcallResult(x: HcallResult | VcpuState): x is HcallResult {
  return (x as HcallResult).ret !== undefined;
}

function getQueueInfo(vm: VmState, dev: XiveDeviceState, flags: bigint, target: bigint, priority: bigint): HcallResult {
  const cpu = queueArgsProblem(vm, flags, 0n, target, priority, 'h_int_get_queue_info');
  if (isHcallResult(cpu)) return cpu;
  const idx = endIndexOf(cpu.id, priorityByte(priority));
  const end = dev.ends.get(idx);
  const esbPage = SPAPR_END_BASE + BigInt(idx) * (1n << BigInt(SPAPR_ESB_SHIFT));
  return success(esbPage, BigInt(end?.enqueue ? end.qsize : 0));
}

function setQueueConfigHcall(vm: VmState, dev: XiveDeviceState, flags: bigint, target: bigint, priority: bigint, qpage: bigint, qsize: bigint): HcallResult {
  const fn = 'h_int_set_queue_config';
  const cpu = queueArgsProblem(vm, flags, H_INT_END_ALWAYS_NOTIFY, target, priority, fn);
  if (isHcallResult(cpu)) return cpu;
  const prio = priorityByte(priority);
  const idx = endIndexOf(cpu.id, prio);
  let end: QemuEnd;
  if (qsize === 0n) {
    end = blankEnd();
  } else if (qsize === 12n || qsize === 16n || qsize === 21n || qsize === 24n) {
    const size = 1n << qsize;
    if ((qpage & (size - 1n)) !== 0n) return ret('H_P4', `qpage 0x${qpage.toString(16)} is not aligned to 2^${qsize} (${fn})`);
    if (qpage + size > vm.memory.ramSize) return ret('H_P4', `qpage 0x${qpage.toString(16)} + 2^${qsize} is not in guest RAM (address_space_access_valid in ${fn})`);
    end = {
      valid: true, enqueue: true, alwaysNotify: (flags & H_INT_END_ALWAYS_NOTIFY) !== 0n, qsize: Number(qsize), qaddr: qpage,
      target: cpu.id, priority: prio, generation: 1, index: 0,
    };
  } else {
    return ret('H_P5', `qsize ${qsize} must be 0, 12, 16, 21 or 24 (${fn})`);
  }
  const eq = end.valid
    ? { flags: end.alwaysNotify ? 1 : 0, qshift: end.qsize, qaddr: end.qaddr, qtoggle: end.generation, qindex: end.index }
    : { flags: 0, qshift: 0, qaddr: 0n, qtoggle: 0, qindex: 0 };
  const eqId = BigInt(((cpu.id & 0x1fffffff) * 8 + prio) >>> 0);
  const r = setQueueConfig(vm, dev, eqId, eq);
  if (!r.ok) return kvmFailed('EQ_CONFIG', r.reason);
  dev.ends.set(idx, end);
  return success();
}

function getQueueConfigHcall(vm: VmState, dev: XiveDeviceState, flags: bigint, target: bigint, priority: bigint): HcallResult {
  const fn = 'h_int_get_queue_config';
  const cpu = queueArgsProblem(vm, flags, H_INT_END_DEBUG, target, priority, fn);
  if (isHcallResult(cpu)) return cpu;
  const prio = priorityByte(priority);
  const idx = endIndexOf(cpu.id, prio);
  const end = dev.ends.get(idx);
  if (!end || !end.valid) {
    return ret('H_HARDWARE', `END ${idx} (vCPU ${cpu.id} priority ${prio}) is not valid (never configured or reset): QEMU aborts here on assert(xive_end_is_valid) (kvmppc_xive_get_queue_config)`);
  }
  const eqId = BigInt(((cpu.id & 0x1fffffff) * 8 + prio) >>> 0);
  const got = getQueueConfig(vm, dev, eqId, false);
  if (!got.ok) return kvmFailed('EQ_CONFIG get', got.reason);
  // QEMU refreshes END W1 (generation, page offset) from KVM; an unwritten buffer reads as zeros.
  end.generation = got.value.eq.qtoggle & 1;
  end.index = got.value.eq.qindex;
  const debug = (flags & H_INT_END_DEBUG) !== 0n;
  let outFlags = end.alwaysNotify ? H_INT_END_ALWAYS_NOTIFY : 0n;
  // The code shifts the generation by 62 (value 0x4000000000000000), whatever its comment says.
  if (debug) outFlags |= BigInt(end.generation) << 62n;
  return success(outFlags, end.enqueue ? end.qaddr : 0n, BigInt(end.enqueue ? end.qsize : 0), debug ? BigInt(end.index) : 0n);
}

function esbHcall(vm: VmState, dev: XiveDeviceState, flags: bigint, lisn: bigint, offset: bigint): HcallResult {
  const fn = 'h_int_esb';
  if ((flags & ~H_INT_ESB_STORE) !== 0n) return ret('H_PARAMETER', `flags 0x${flags.toString(16)}: only STORE (0x1) is defined (${fn})`);
  const bad = lisnProblem(dev, lisn, fn);
  if (bad) return bad;
  if (offset > 1n << BigInt(SPAPR_ESB_SHIFT)) return ret('H_P3', `offset 0x${offset.toString(16)} > 2^esb_shift (0x20000) (${fn})`);
  const n = Number(lisn);
  const off = Number(offset);
  const store = (flags & H_INT_ESB_STORE) !== 0n;
  const sb = validSourceBlock(dev, n);
  const i = n & (SOURCES_PER_BLOCK - 1);
  if (!store && off === 0 && sb !== null && (sb.flags[i] & SOURCE_FLAG_LSI) !== 0) {
    lsiLoadEoi(vm, dev, sb, i);
    return success(0n);
  }
  // QEMU accesses its mapping at management page + offset; from 0x10000 on that is the next source's trigger page.
  const irq = off < 0x10000 ? n : n + 1;
  const page = off < 0x10000 ? 'management' : off < 0x20000 ? 'trigger' : 'management';
  const inPage = off & 0xffff;
  if (store) {
    const r = esbStore(vm, dev, irq, inPage, page);
    if (!r.ok) return ret('H_HARDWARE', `${r.reason}: QEMU takes a SIGBUS here`);
    return success(ALL_ONES);
  }
  const r = esbLoad(vm, dev, irq, inPage, page);
  if (!r.ok) return ret('H_HARDWARE', `${r.reason}: QEMU takes a SIGBUS here`);
  return success(BigInt.asUintN(64, r.value));
}

function syncHcall(dev: XiveDeviceState, flags: bigint, lisn: bigint): HcallResult {
  const fn = 'h_int_sync';
  if (flags !== 0n) return ret('H_PARAMETER', `flags 0x${flags.toString(16)} must be 0 (${fn})`);
  const bad = lisnProblem(dev, lisn, fn);
  if (bad) return bad;
  const r = syncSource(dev, lisn);
  if (!r.ok) return kvmFailed('SOURCE_SYNC', r.reason);
  return success();
}
