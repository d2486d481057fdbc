/** KVM_IRQ_LINE on an XICS source (ics_deliver_irq) and the unmask path shared by RTAS and SET. */
import type { VmState } from '../state';
import { KVM_INTERRUPT_SET, KVM_INTERRUPT_SET_LEVEL, KVM_INTERRUPT_UNSET } from '../attr';
import { MASKED, PQ_PRESENTED, PQ_QUEUED } from './constants';
import { deliverIrq } from './delivery';
import { findExistingSource, SourceRef, sourceNumber } from './sources';
import { XicsDeviceState } from './state';

/** ics_deliver_irq's level normalisation: SET/SET_LEVEL → 1, UNSET → 0, other non-zero values act as 1. */
export function normaliseLevel(level: number): 0 | 1 {
  const l = level >>> 0;
  if (l === KVM_INTERRUPT_SET || l === KVM_INTERRUPT_SET_LEVEL) return 1;
  if (l === KVM_INTERRUPT_UNSET) return 0;
  return l === 0 ? 0 : 1;
}

/** Source trigger. Unknown sources are ignored (the ioctl still returns 0). */
export function triggerSource(vm: VmState, dev: XicsDeviceState, irq: number, rawLevel: number): void {
  const ref = findExistingSource(dev, irq);
  if (!ref) return;
  if (dev.kind === 'xics-on-xive') {
    triggerOnXive(vm, dev, ref, rawLevel);
    return;
  }
  const { block, index } = ref;
  const level = normaliseLevel(rawLevel);
  const lsi = block.lsi[index] === 1;
  if (!lsi && level === 0) return; // no-op for an MSI
  if (lsi) block.asserted[index] = level;
  const old = block.pq[index];
  let next: number;
  if (lsi) {
    if (level === 1) {
      if (old & PQ_PRESENTED) return; // already asserted and presented
      next = PQ_PRESENTED;
    } else {
      next = 0;
    }
  } else {
    next = ((old << 1) & (PQ_PRESENTED | PQ_QUEUED)) | PQ_PRESENTED;
  }
  block.pq[index] = next;
  // Only the transition to "P only" presents.
  if (next === PQ_PRESENTED) deliverIrq(vm, dev, sourceNumber(ref), false);
}

/**
 * XICS-on-XIVE KVM_IRQ_LINE (kvmppc_xive_set_irq): (1 on an LSI) or
 * SET_LEVEL asserts, 0 or UNSET deasserts and stops there (the ESB keeps its
 * P/Q), anything else (SET, 1 on an MSI) triggers without asserting.
 */
function triggerOnXive(vm: VmState, dev: XicsDeviceState, ref: SourceRef, rawLevel: number): void {
  const { block, index } = ref;
  const level = rawLevel >>> 0;
  if ((level === 1 && block.lsi[index] === 1) || level === KVM_INTERRUPT_SET_LEVEL) {
    block.asserted[index] = 1;
  } else if (level === 0 || level === KVM_INTERRUPT_UNSET) {
    block.asserted[index] = 0;
    return;
  }
  esbTriggerOnXive(vm, dev, ref);
}

/**
 * xive_irq_trigger on the source's IPI: a store to its ESB trigger page, with
 * the same P/Q step for MSIs and LSIs. A masked or untargeted source holds it
 * (the ESB's Q) until unmasked.
 */
export function esbTriggerOnXive(vm: VmState, dev: XicsDeviceState, ref: SourceRef): void {
  const { block, index } = ref;
  if (block.priority[index] === MASKED || !block.targeted[index]) {
    block.maskedPending[index] = 1;
    return;
  }
  const next = ((block.pq[index] << 1) & (PQ_PRESENTED | PQ_QUEUED)) | PQ_PRESENTED;
  block.pq[index] = next;
  if (next === PQ_PRESENTED) deliverIrq(vm, dev, sourceNumber(ref), false);
}

/**
 * XICS-on-XIVE unmask (xive_finish_unmask): the ESB gets an EOI that fires a
 * trigger held in Q, or one that arrived while masked.
 */
export function finishUnmaskOnXive(vm: VmState, dev: XicsDeviceState, ref: SourceRef): void {
  const { block, index } = ref;
  if (block.priority[index] === MASKED || !block.targeted[index]) return;
  // Only a saved Q (or a trigger held while masked) fires; the LSI line level is not looked at.
  const held = (block.pq[index] & PQ_QUEUED) !== 0 || block.maskedPending[index] === 1;
  if (block.pq[index] & PQ_PRESENTED || !held) return;
  block.maskedPending[index] = 0;
  block.pq[index] = PQ_PRESENTED;
  deliverIrq(vm, dev, sourceNumber(ref), false);
}
