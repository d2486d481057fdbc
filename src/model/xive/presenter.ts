/**
 * The VP and its TIMA OS ring (§3.10, §3.12): notification, running/stopped
 * context (push/pull with the NVT backlog), VP_STATE and the ICP_STATE view.
 * PIPR is always derived from IPB, as hardware does (spec decision).
 */
import { collectingEffects, noteEffect } from '../effects';
import { fail, OK_VOID, Result } from '../result';
import type { VcpuState } from '../state';
import { decodeToRecord, encodeWord } from '../layouts/codec';
import { NSR_EO, QUEUES_PER_VP } from './constants';
import type { VpState, XiveQueueState } from './state';

export function newQueue(): XiveQueueState {
  return { mode: 'off', qaddr: 0, qshift: 0, toggle: 1, index: 0, count: 0, dirty: false, readerIndex: 0, readerToggle: 0 };
}

/** State after a successful connect: saved word0/1 = 0x00000000ff000000 (ACK# 0xff, all else 0). */
export function newVp(server: number, vpId: number): VpState {
  const queues: XiveQueueState[] = [];
  for (let p = 0; p < QUEUES_PER_VP; p++) queues.push(newQueue());
  return {
    server, vpId, queues,
    nsr: 0, cppr: 0, ipb: 0, lsmfb: 0, ack: 0xff, inc: 0, age: 0, pipr: 0,
    backlogIpb: 0, icpCppr: 0, icpMfrr: 0, delayedIrq: 0,
  };
}

/** Most favoured pending priority of an IPB byte (0 for 0x80 … 7 for 0x01), 0xff when empty. */
export function ipbToPipr(ipb: number): number {
  return ipb === 0 ? 0xff : Math.clz32(ipb & 0xff) - 24;
}

/** xive_priority_to_ipb: priorities above 7 set nothing. */
export function priorityToIpb(prio: number): number {
  return prio > 7 ? 0 : 0x80 >> prio;
}

/** Rule names of the presenter, cited by the routing explanation. */
export const NOTIFY_RULE = 'xive_tctx_notify';
export const ACCEPT_RULE = 'xive_tctx_accept';
export const PULL_RULE = 'kvmppc_xive_pull_vcpu';

/** The CPPR gate of xive_tctx_notify: a priority is signalled only when strictly more favoured than CPPR. */
export function cpprAdmits(cppr: number, priority: number): boolean {
  return priority < cppr;
}

/** xive_tctx_notify: signal the OS (NSR.EO) when the pending priority beats CPPR. */
function signal(vp: VpState): void {
  vp.pipr = ipbToPipr(vp.ipb);
  if (cpprAdmits(vp.cppr, vp.pipr)) vp.nsr |= NSR_EO;
}

/** An END notification for `prio`: into the live ring when running, else the NVT backlog. */
export function notifyVp(vcpu: VcpuState, vp: VpState, prio: number): void {
  const bit = 0x80 >> prio;
  if (vcpu.running) {
    vp.ipb |= bit;
    signal(vp);
    if (collectingEffects() && vp.pipr >= vp.cppr) {
      noteEffect('ipbWithoutNsr', `priority ${prio} left pending in vCPU ${vcpu.id}'s IPB without NSR: it is not more favoured than CPPR ${vp.cppr} (xive_tctx_notify: PIPR < CPPR signals)`);
    }
  } else {
    vp.backlogIpb |= bit;
    if (collectingEffects()) {
      noteEffect('ipbWithoutNsr', `priority ${prio} left in vCPU ${vcpu.id}'s backlog IPB without NSR: the vCPU is out of the guest (context pulled); NSR is set when it re-enters (push) and the priority beats CPPR`);
    }
  }
}

/** Context push (vCPU dispatched): the backlog merges into IPB, then NSR is re-evaluated. */
export function push(vcpu: VcpuState, vp: VpState): void {
  if (vcpu.running) return;
  vcpu.running = true;
  vp.ipb |= vp.backlogIpb;
  vp.backlogIpb = 0;
  signal(vp);
}

/** Context pull (kvmppc_xive_pull_vcpu): the ring is saved with LSMFB 0 and ACK# 0xff (errata 9). */
export function pull(vcpu: VcpuState, vp: VpState): void {
  if (!vcpu.running) return;
  vcpu.running = false;
  vp.lsmfb = 0;
  vp.ack = 0xff;
}

/** Saved word0/1 as a big-endian number, optionally with the backlog IPB OR-ed in (what GET shows). */
export function vpWord(vp: VpState, withBacklog: boolean): bigint {
  const ipb = withBacklog ? vp.ipb | vp.backlogIpb : vp.ipb;
  const hi = ((vp.nsr << 24) | (vp.cppr << 16) | (ipb << 8) | vp.lsmfb) >>> 0;
  const lo = ((vp.ack << 24) | (vp.inc << 16) | (vp.age << 8) | vp.pipr) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** KVM_REG_PPC_VP_STATE get (kvmppc_xive_native_get_vp). */
export function getVpState(vp: VpState): Result<bigint> {
  return { ok: true, value: vpWord(vp, true) };
}

/** KVM_REG_PPC_VP_STATE set (kvmppc_xive_native_set_vp): the saved word0/1 replaced verbatim. */
export function setVpState(vcpu: VcpuState, vp: VpState, word: bigint): Result<void> {
  if (vcpu.running) return fail('EBUSY', `vCPU ${vcpu.id}'s context is pushed on a CPU (kvmppc_xive_native_set_vp)`);
  const f = decodeToRecord('xive-vp-state', word);
  vp.nsr = f.nsr; vp.cppr = f.cppr; vp.ipb = f.ipb; vp.lsmfb = f.lsmfb;
  vp.ack = f.ack; vp.inc = f.inc; vp.age = f.age; vp.pipr = f.pipr;
  return OK_VOID;
}

/**
 * KVM_REG_PPC_ICP_STATE get on a XIVE-native vCPU. On a XIVE host
 * kvmppc_get_one_reg calls kvmppc_xive_get_icp for any vCPU with a xive_vcpu:
 * it returns xc->cppr, xc->mfrr and PPRI 0xff. Native connect never sets
 * xc->cppr/mfrr, so they read 0 until an ICP_STATE set.
 */
export function getIcpState(vp: VpState): bigint {
  const r = encodeWord('xics-icp', { cppr: vp.icpCppr, xisr: 0, mfrr: vp.icpMfrr, ppri: 0xff });
  return r.ok ? r.word : 0n;
}

/**
 * KVM_REG_PPC_ICP_STATE set on a XIVE-native vCPU (kvmppc_xive_set_icp): the
 * saved TIMA CPPR byte and xc->cppr/mfrr take the word's CPPR/MFRR. The MFRR
 * "IPI" trigger hits the unallocated vp_ipi in native mode (kernel WARN, no
 * effect). An XISR above 2 re-triggers that source if it is valid (returned
 * here for the caller to trigger), else is remembered as delayed_irq.
 */
export function setIcpState(vcpu: VcpuState, vp: VpState, word: bigint): Result<number> {
  if (vcpu.running) return fail('EIO', `vCPU ${vcpu.id}'s context is pushed on a CPU (kvmppc_xive_set_icp)`);
  const f = decodeToRecord('xics-icp', word);
  vp.cppr = f.cppr;
  vp.icpCppr = f.cppr;
  vp.icpMfrr = f.mfrr;
  return { ok: true, value: f.xisr };
}

/** Ring byte by offset within QW1 (NSR 0 … PIPR 7); AGE and WORD2.. are not OS-visible. */
function ringByte(vp: VpState, i: number): number {
  switch (i) {
    case 0: return vp.nsr;
    case 1: return vp.cppr;
    case 2: return vp.ipb;
    case 3: return vp.lsmfb;
    case 4: return vp.ack;
    case 5: return vp.inc;
    case 6: return vp.age;
    case 7: return vp.pipr;
    default: return 0;
  }
}

/**
 * QEMU's OS-page view of the four rings (xive_tm_os_view): 2 = readable,
 * 1 = writable, per byte of the 64-byte register block.
 */
const OS_VIEW = new Uint8Array([
  3, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 0, 0, 0, 0,
  2, 3, 2, 2, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** TM_REG_OFFSET / TM_RING_OFFSET: raw accesses decode only these bits, so the block repeats below 2K. */
const TM_REG_OFFSET = 0x3f;
const TM_RING_OFFSET = 0x30;
const TM_QW0_USER = 0x00;

/**
 * xive_tm_mask's non-empty test plus xive_tm_raw_{read,write}'s refusals:
 * fewer than 4 bytes, no accessible byte, or the user ring (QW0). An access
 * running past the 64-byte block is refused too (QEMU would index past it).
 */
function rawAccessAllowed(offset: number, size: number, bit: number): boolean {
  const reg = offset & TM_REG_OFFSET;
  if (size < 4 || (offset & TM_RING_OFFSET) === TM_QW0_USER || reg + size > OS_VIEW.length) return false;
  for (let i = 0; i < size; i++) if (OS_VIEW[reg + i] & bit) return true;
  return false;
}

const ALL_ONES = 0xffffffffffffffffn;

/** xive_tm_raw_read: 4- or 8-byte reads of the ring registers, masked by the OS view; else all-ones. */
export function rawRead(vp: VpState, size: number, offset: number): bigint {
  if (!rawAccessAllowed(offset, size, 2)) return ALL_ONES >> BigInt(64 - 8 * size);
  const reg = offset & TM_REG_OFFSET;
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const at = reg + i;
    const byte = (OS_VIEW[at] & 2) !== 0 && at >= 0x10 && at < 0x18 ? ringByte(vp, at - 0x10) : 0;
    v = (v << 8n) | BigInt(byte);
  }
  return v;
}

/** xive_tm_raw_write: only writable bytes of the OS ring (CPPR) change, without re-evaluation. */
export function rawWrite(vp: VpState, size: number, offset: number, value: bigint): boolean {
  if (!rawAccessAllowed(offset, size, 1)) return false;
  const reg = offset & TM_REG_OFFSET;
  for (let i = 0; i < size; i++) {
    const at = reg + i;
    if (at === 0x11 && (OS_VIEW[at] & 1) !== 0) vp.cppr = Number((value >> BigInt(8 * (size - 1 - i))) & 0xffn);
  }
  return true;
}

/** TM_QW1_OS + TM_CPPR store byte (xive_tctx_set_cppr): > 7 becomes 0xff, then re-evaluate. */
export function storeCppr(vp: VpState, value: number): void {
  vp.cppr = value > 7 ? 0xff : value;
  signal(vp);
}

/** TM_SPC_ACK_OS_REG load16 (xive_tctx_accept): returns (old NSR << 8) | CPPR after the update. */
export function acknowledge(vp: VpState): number {
  const nsr = vp.nsr;
  if (nsr & NSR_EO) {
    const cppr = vp.pipr;
    vp.cppr = cppr;
    vp.ipb &= ~priorityToIpb(cppr) & 0xff;
    vp.pipr = ipbToPipr(vp.ipb);
    vp.nsr &= ~NSR_EO & 0xff;
  }
  return (nsr << 8) | vp.cppr;
}

/** TM_SPC_SET_OS_PENDING store byte (xive_tm_set_os_pending): IPB |= priority bit, re-evaluate. */
export function setOsPending(vp: VpState, value: number): void {
  vp.ipb |= priorityToIpb(value & 0xff);
  signal(vp);
}

