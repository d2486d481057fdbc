/**
 * ESB PQ state machine (§3.9.2), ESB MMIO (§3.9.3) and the routing of a
 * forwarded event to its queue and VP (§3.10). The hot path (trigger → queue
 * entry → notify → EOI) allocates nothing: results are shared constants.
 *
 * ESB addressing: each source has two 64 KiB pages, trigger (even) then
 * management (odd), as QEMU maps them. `offset` is the offset within the page
 * named by `page` (0..0xFFFF); only offset & 0xFFF is decoded (QEMU), so the
 * 4 KiB pattern repeats across the 64 KiB page.
 */
import { KVM_INTERRUPT_SET_LEVEL, KVM_INTERRUPT_UNSET } from '../attr';
import { collectingEffects, noteEffect } from '../effects';
import { fail, OK_VOID, ok, Result, Success } from '../result';
import type { VmState } from '../state';
import {
  MASKED, PQ_OFF, PQ_PENDING, PQ_QUEUED, PQ_RESET, SOURCE_FLAG_ASSERTED, SOURCE_FLAG_LSI, SOURCES_PER_BLOCK,
} from './constants';
import { notifyVp } from './presenter';
import { enqueue, SET_QUEUE_CONFIG_RULE } from './queues';
import { SET_SOURCE_CONFIG_RULE, validSourceBlock, vcpuForServer } from './sources';
import type { XiveDeviceState, XiveSourceBlock } from './state';

export type EsbPage = 'trigger' | 'management';

const ESB_PAGE_SIZE = 0x10000;
const LOAD_RESULTS: readonly Success<bigint>[] = [ok(0n), ok(1n), ok(2n), ok(3n)];
/** QEMU answers an invalid ESB load with all-ones. */
const INVALID_LOAD: Success<bigint> = ok(0xffffffffffffffffn);

function sourceName(sb: XiveSourceBlock, i: number): string {
  return `0x${((sb.id << 10) | i).toString(16)}`;
}

/** Rule names of the ESB state machine, cited by reasons and by the routing explanation. */
export const ESB_TRIGGER_RULE = 'xive_esb_trigger';
export const ESB_EOI_RULE = 'xive_esb_eoi';

/**
 * PQ after a trigger, by PQ before it (xive_esb_trigger): only 00 forwards
 * (to 10); 10 and 11 coalesce into Q (11); 01 (off) drops the event.
 */
export const PQ_AFTER_TRIGGER: readonly number[] = [PQ_PENDING, PQ_OFF, PQ_QUEUED, PQ_QUEUED];

/** xive_esb_trigger: returns true when the event must be forwarded. */
function esbTrigger(sb: XiveSourceBlock, i: number): boolean {
  const pq = sb.pq[i];
  sb.pq[i] = PQ_AFTER_TRIGGER[pq];
  if (pq !== PQ_RESET && collectingEffects()) {
    if (pq === PQ_OFF) {
      noteEffect('droppedPqOff', `trigger of ${sourceName(sb, i)} dropped: PQ is -Q (01, off), nothing is forwarded and PQ stays -Q (${ESB_TRIGGER_RULE})`);
    } else {
      noteEffect('coalesced', `trigger of ${sourceName(sb, i)} coalesced: PQ was ${pq === PQ_PENDING ? 'P-' : 'PQ'}, now PQ; no new event until the EOI re-forwards it (${ESB_TRIGGER_RULE})`);
    }
  }
  return pq === PQ_RESET;
}

/** xive_esb_eoi: returns true when a queued event is re-forwarded. */
function esbEoi(sb: XiveSourceBlock, i: number): boolean {
  const pq = sb.pq[i];
  switch (pq) {
    case PQ_RESET: case PQ_PENDING: sb.pq[i] = PQ_RESET; return false;
    case PQ_QUEUED: sb.pq[i] = PQ_PENDING; return true;
    default: return false;
  }
}

/** xive_source_esb_eoi: for a still-asserted LSI the result is replaced by the LSI re-trigger (errata 8). */
function sourceEoi(sb: XiveSourceBlock, i: number): boolean {
  let forward = esbEoi(sb, i);
  const f = sb.flags[i];
  if ((f & SOURCE_FLAG_LSI) !== 0 && (f & SOURCE_FLAG_ASSERTED) !== 0) {
    if (sb.pq[i] === PQ_RESET) {
      sb.pq[i] = PQ_PENDING;
      forward = true;
    } else {
      forward = false;
    }
  }
  return forward;
}

/**
 * Why routeEvent drops a forwarded event, by the counter it bumps: the rule
 * and its reason, written once here for the routing explanation.
 */
export const ROUTE_DROP_RULES = {
  droppedMasked: {
    rule: SET_SOURCE_CONFIG_RULE,
    reason: 'the source is masked (act_priority 0xff: never configured, configured masked, or masked by RESET): a forwarded event is dropped at its EAS',
  },
  droppedNoVp: {
    rule: 'kvmppc_xive_find_server',
    reason: 'no connected vCPU has the source\'s target server: a forwarded event is dropped',
  },
  droppedQueueOff: {
    rule: SET_QUEUE_CONFIG_RULE,
    reason: 'the target event queue (END) is disabled (never configured, RESET, or torn down by a refused restore): a forwarded event is dropped',
  },
} as const;

/** Hands a forwarded event to routing: EAS → END (queue) → VP. Drops follow ROUTE_DROP_RULES. */
export function routeEvent(vm: VmState, dev: XiveDeviceState, sb: XiveSourceBlock, i: number): void {
  const prio = sb.actPriority[i];
  if (prio === MASKED) {
    dev.counters.droppedMasked++;
    if (collectingEffects()) noteEffect('droppedMasked', `event of ${sourceName(sb, i)} dropped: the source is masked (no target), PQ stays P- until an EOI (xive_source_notify → masked EAS)`);
    return;
  }
  const vcpu = vcpuForServer(vm, dev, sb.actServer[i]);
  const vp = vcpu?.vp;
  if (!vcpu || !vp) {
    dev.counters.droppedNoVp++;
    if (collectingEffects()) noteEffect('droppedNoVp', `event of ${sourceName(sb, i)} dropped: no connected vCPU has server ${sb.actServer[i]} (its VP is gone)`);
    return;
  }
  const q = vp.queues[prio];
  if (q.mode === 'off') {
    dev.counters.droppedQueueOff++;
    if (collectingEffects()) noteEffect('droppedQueueOff', `event of ${sourceName(sb, i)} dropped: server ${vp.server}'s priority-${prio} queue is disabled (END not valid)`);
    return;
  }
  if (q.mode === 'enqueue') enqueue(vm, q, sb.eisn[i]);
  notifyVp(vcpu, vp, prio);
  dev.counters.routed++;
}

/** A trigger of source `irq` (ESB trigger store, KVM_IRQ_LINE, ICP_STATE restore). */
export function triggerSource(vm: VmState, dev: XiveDeviceState, sb: XiveSourceBlock, i: number): void {
  if (esbTrigger(sb, i)) routeEvent(vm, dev, sb, i);
}

export const ESB_FAULT_RULE = 'xive_native_esb_fault';

function sigbus(irq: number, what: string): Result<never> {
  return fail('SIGBUS', `${what} of source 0x${irq.toString(16)}: the ESB page is not mapped (no such valid source) (${ESB_FAULT_RULE})`);
}

/** Guest 8-byte ESB load. */
export function esbLoad(vm: VmState, dev: XiveDeviceState, irq: number, offset: number, page: EsbPage): Result<bigint> {
  const sb = validSourceBlock(dev, irq);
  if (sb === null) return sigbus(irq, 'ESB load');
  if (offset < 0 || offset >= ESB_PAGE_SIZE) return fail('SIGBUS', `ESB offset 0x${offset.toString(16)} is outside the 64 KiB ${page} page`);
  // Loads from the trigger page are invalid.
  if (page === 'trigger') return INVALID_LOAD;
  const i = irq & (SOURCES_PER_BLOCK - 1);
  const off = offset & 0xfff;
  if (off < 0x800) {
    const forward = sourceEoi(sb, i);
    if (forward) routeEvent(vm, dev, sb, i);
    return LOAD_RESULTS[forward ? 1 : 0];
  }
  if (off < 0xc00) return LOAD_RESULTS[sb.pq[i]];
  const old = sb.pq[i];
  sb.pq[i] = (off >> 8) & 3;
  return LOAD_RESULTS[old];
}

/** Guest 8-byte ESB store (the value is ignored by every operation). */
export function esbStore(vm: VmState, dev: XiveDeviceState, irq: number, offset: number, page: EsbPage): Result<void> {
  const sb = validSourceBlock(dev, irq);
  if (sb === null) return sigbus(irq, 'ESB store');
  if (offset < 0 || offset >= ESB_PAGE_SIZE) return fail('SIGBUS', `ESB offset 0x${offset.toString(16)} is outside the 64 KiB ${page} page`);
  const i = irq & (SOURCES_PER_BLOCK - 1);
  if (page === 'trigger') {
    triggerSource(vm, dev, sb, i);
    return OK_VOID;
  }
  const off = offset & 0xfff;
  if (off < 0x400) triggerSource(vm, dev, sb, i);
  else if (off >= 0xc00) sb.pq[i] = (off >> 8) & 3;
  // 0x400–0x7FF: Store-EOI is not advertised on sPAPR, so QEMU ignores it;
  // 0x800–0xBFF: invalid for stores in the KVM-era QEMU. Both do nothing.
  return OK_VOID;
}

/** What an ESB management-page store at this offset does, for hovers and notes. */
export function describeEsbStore(offset: number): string {
  const off = offset & 0xfff;
  if (off < 0x400) return 'trigger';
  if (off < 0x800) return 'Store-EOI: ignored (sPAPR sources do not advertise Store-EOI)';
  if (off < 0xc00) return 'invalid store offset: ignored (newer QEMU injects an event here)';
  return `set PQ to ${['00', '01', '10', '11'][(off >> 8) & 3]}`;
}

/** QEMU's H_INT_ESB Load-EOI for an LSI under KVM: PQ := 00, re-trigger if still asserted; returns 0. */
export function lsiLoadEoi(vm: VmState, dev: XiveDeviceState, sb: XiveSourceBlock, i: number): void {
  sb.pq[i] = PQ_RESET;
  if ((sb.flags[i] & SOURCE_FLAG_ASSERTED) !== 0) triggerSource(vm, dev, sb, i);
}

/**
 * KVM_IRQ_LINE in native mode (kvmppc_xive_set_irq): missing/invalid sources
 * are ignored; (1 on an LSI) or SET_LEVEL assert then trigger; 0 or UNSET
 * deassert without trigger; anything else (SET, 1 on an MSI) triggers.
 */
export function irqLine(vm: VmState, dev: XiveDeviceState, irq: number, level: number): void {
  const sb = validSourceBlock(dev, irq);
  if (sb === null) return;
  const i = irq & (SOURCES_PER_BLOCK - 1);
  const lsi = (sb.flags[i] & SOURCE_FLAG_LSI) !== 0;
  if ((level === 1 && lsi) || level === KVM_INTERRUPT_SET_LEVEL) {
    sb.flags[i] |= SOURCE_FLAG_ASSERTED;
  } else if (level === 0 || level === KVM_INTERRUPT_UNSET) {
    sb.flags[i] &= ~SOURCE_FLAG_ASSERTED & 0xff;
    return;
  }
  triggerSource(vm, dev, sb, i);
}

