/**
 * The presenter machinery of the legacy emulation (book3s_xics.c and, for
 * `device xics`, its real-mode twin book3s_hv_rm_xics.c): delivery, reject,
 * resend and Down-CPPR. The kernel runs each ICP update as a compare-and-swap
 * transaction; executed sequentially every loop body runs exactly once.
 *
 * XICS-on-XIVE reuses this machinery (see index.ts for what that approximates):
 * its sources are delivered at prio_from_guest(priority) and an untargeted
 * source behaves as masked.
 */
import type { VmState } from '../state';
import { MASKED, XICS_IPI } from './constants';
import { prioFromGuest } from './priority';
import { findSource, sourceNumber } from './sources';
import { IcpState, XicsDeviceState, XicsSourceBlock } from './state';

/** kvmppc_xics_find_server: the ICP whose server number is `server`. */
export function findIcp(vm: VmState, server: number): IcpState | null {
  for (const v of vm.vcpus) if (v.icp && v.icp.server === server) return v.icp;
  return null;
}

export function newIcp(server: number): IcpState {
  return {
    server, cppr: 0, xisr: 0, mfrr: MASKED, ppri: MASKED,
    needResend: false, outEe: false, resendMap: new Uint8Array(1024), nReject: 0, nCheckResend: 0,
  };
}

/** icp_try_update recomputes the output line after every transaction. */
export function updateOutput(icp: IcpState): void {
  icp.outEe = icp.xisr !== 0 && icp.ppri < icp.cppr;
}

function count(dev: XicsDeviceState, name: string): void {
  dev.counters[name] = (dev.counters[name] ?? 0) + 1;
}

/** Rule names of delivery, cited by the routing explanation. */
export const DELIVER_RULE = 'icp_try_to_deliver';
export const RESEND_RULE = 'icp_check_resend';
export const FIND_SERVER_RULE = 'kvmppc_xics_find_server';
export const MASKED_PENDING_RULE = 'icp_deliver_irq';

/** What refuses a delivery at this priority: the CPPR, a more favoured IPI (MFRR) or the latched interrupt (PPRI). */
export type DeliveryObstacle = 'cppr' | 'mfrr' | 'ppri';

/** icp_try_to_deliver's test: prio must be strictly more favoured than CPPR, MFRR and PPRI (checked in that order here). */
export function deliveryObstacle(icp: IcpState, prio: number): DeliveryObstacle | null {
  if (icp.cppr <= prio) return 'cppr';
  if (icp.mfrr <= prio) return 'mfrr';
  if (icp.ppri <= prio) return 'ppri';
  return null;
}

/** icp_try_to_deliver: succeeds iff prio is strictly more favoured than CPPR, MFRR and PPRI. */
function tryToDeliver(icp: IcpState, irq: number, prio: number): { delivered: boolean; reject: number } {
  if (deliveryObstacle(icp, prio) === null) {
    const reject = icp.xisr;
    icp.xisr = irq;
    icp.ppri = prio;
    updateOutput(icp);
    return { delivered: true, reject };
  }
  icp.needResend = true;
  updateOutput(icp);
  return { delivered: false, reject: 0 };
}

/**
 * The priority icp_deliver_irq presents a source at, or null when it is held
 * in masked_pending instead: masked, or (XICS-on-XIVE) without a hardware target.
 */
export function presentedPriority(dev: XicsDeviceState, block: XicsSourceBlock, index: number): number | null {
  const prio = block.priority[index];
  if (prio === MASKED || (dev.kind === 'xics-on-xive' && !block.targeted[index])) return null;
  return dev.kind === 'xics-on-xive' ? prioFromGuest(prio) : prio;
}

/**
 * icp_deliver_irq(irq, check_resend): present a source to its current server;
 * a displaced non-IPI source is delivered again (the kernel's `goto again`).
 */
export function deliverIrq(vm: VmState, dev: XicsDeviceState, irq: number, checkResend: boolean): void {
  let number = irq;
  let check = checkResend;
  for (;;) {
    const ref = findSource(dev, number);
    if (!ref) {
      count(dev, 'err_noics');
      return;
    }
    const { block, index } = ref;
    const icp = findIcp(vm, block.server[index]);
    if (!icp) {
      // The interrupt is dropped silently; P stays set.
      count(dev, 'err_noicp');
      return;
    }
    if (check && !block.resend[index]) return;
    block.resend[index] = 0;
    const effective = presentedPriority(dev, block, index);
    if (effective === null) {
      // Kept even for resends: the kernel deliberately deviates from PAPR so nothing is lost.
      block.maskedPending[index] = 1;
      return;
    }
    const { delivered, reject } = tryToDeliver(icp, number, effective);
    if (delivered) {
      count(dev, 'delivered');
      if (reject !== 0 && reject !== XICS_IPI) {
        icp.nReject++;
        number = reject;
        check = false;
        continue;
      }
      return;
    }
    block.resend[index] = 1;
    icp.resendMap[block.id] = 1;
    return;
  }
}

/**
 * icp_check_resend: for each block in the resend map (ascending), clear its
 * bit and retry every source of it marked `resend`.
 */
export function checkResend(vm: VmState, dev: XicsDeviceState, icp: IcpState): void {
  icp.nCheckResend++;
  for (const id of dev.blockIds.slice()) {
    if (!icp.resendMap[id]) continue;
    icp.resendMap[id] = 0;
    const block = dev.blocks[id];
    if (!block) continue;
    for (let i = 0; i < block.resend.length; i++) {
      if (block.resend[i]) deliverIrq(vm, dev, sourceNumber({ block, index: i }), true);
    }
  }
}

/** icp_down_cppr: never rejects; presents a waiting IPI and runs a latched resend. */
export function downCppr(vm: VmState, dev: XicsDeviceState, icp: IcpState, newCppr: number): void {
  icp.cppr = newCppr;
  if (icp.mfrr < newCppr && icp.mfrr <= icp.ppri) {
    icp.ppri = icp.mfrr;
    icp.xisr = XICS_IPI;
  }
  const resend = icp.needResend;
  icp.needResend = false;
  updateOutput(icp);
  if (resend) checkResend(vm, dev, icp);
}

/**
 * Reject whatever is latched (Up-CPPR's Reject_Current): the source goes back
 * through delivery, where it fails and waits for a resend.
 */
export function rejectLatched(vm: VmState, dev: XicsDeviceState, icp: IcpState): void {
  const reject = icp.xisr;
  icp.xisr = 0;
  icp.ppri = MASKED;
  updateOutput(icp);
  if (reject !== 0 && reject !== XICS_IPI) {
    icp.nReject++;
    deliverIrq(vm, dev, reject, false);
  }
}

/** Check_IPI → IPI: latch XISR 2 at PPRI = MFRR; a displaced non-IPI source is re-delivered. */
export function presentIpi(vm: VmState, dev: XicsDeviceState, icp: IcpState): void {
  const reject = icp.xisr;
  icp.ppri = icp.mfrr;
  icp.xisr = XICS_IPI;
  updateOutput(icp);
  if (reject !== 0 && reject !== XICS_IPI) {
    icp.nReject++;
    deliverIrq(vm, dev, reject, false);
  }
}
