/**
 * In-kernel RTAS interrupt calls (book3s_rtas.c → kvmppc_xics_* for the legacy
 * device, kvmppc_xive_* for XICS-on-XIVE). Status -3 for any error.
 */
import type { VmState } from '../state';
import { RTAS_CALLS, isRtasName } from '../hcalls';
import { RtasResult } from '../result';
import { MASKED } from './constants';
import { deliverIrq, findIcp } from './delivery';
import { prioFromGuest } from './priority';
import { findSource, SourceRef } from './sources';
import { XicsDeviceState } from './state';
import { finishUnmaskOnXive } from './trigger';

const hex = (n: number): string => '0x' + n.toString(16);
const error = (reason: string): RtasResult => ({ status: -3, rets: [], reason });
const done: RtasResult = { status: 0, rets: [] };

/**
 * write_xive: the new routing; a source that was masked-pending or awaiting
 * resend is delivered when the new priority is not MASKED. Returns whether to deliver.
 */
function writeXive(ref: SourceRef, server: number, priority: number, saved: number): boolean {
  const { block, index } = ref;
  block.server[index] = server;
  block.priority[index] = priority & 0xff;
  block.savedPriority[index] = saved & 0xff;
  if ((block.maskedPending[index] || block.resend[index]) && priority !== MASKED) {
    block.maskedPending[index] = 0;
    block.resend[index] = 0;
    return true;
  }
  return false;
}

function legacy(vm: VmState, dev: XicsDeviceState, name: string, irq: number, args: readonly number[]): RtasResult {
  const ref = findSource(dev, irq);
  const fn = `kvmppc_xics_${name.slice(4).replace('-', '_')}`;
  if (!ref) return error(`source ${hex(irq)}: block ${irq >>> 10} does not exist (${fn})`);
  const { block, index } = ref;
  switch (name) {
    case 'ibm,set-xive': {
      const server = args[1] >>> 0;
      const priority = args[2] >>> 0;
      if (!findIcp(vm, server)) return error(`no ICP has server number ${server}, even for priority 0xff (${fn})`);
      if (writeXive(ref, server, priority, priority)) deliverIrq(vm, dev, irq, false);
      return done;
    }
    case 'ibm,get-xive':
      return { status: 0, rets: [block.server[index], block.priority[index]] };
    case 'ibm,int-off':
      // Saves the *current* priority: a second int-off saves 0xff and loses the original.
      writeXive(ref, block.server[index], MASKED, block.priority[index]);
      return done;
    default: {
      if (!findIcp(vm, block.server[index])) return error(`no ICP has the source's server number ${block.server[index]} (${fn})`);
      const saved = block.savedPriority[index];
      if (writeXive(ref, block.server[index], saved, saved)) deliverIrq(vm, dev, irq, false);
      return done;
    }
  }
}

function onXive(vm: VmState, dev: XicsDeviceState, name: string, irq: number, args: readonly number[]): RtasResult {
  const ref = findSource(dev, irq);
  const fn = `kvmppc_xive_${name.slice(4).replace('-', '_')}`;
  if (!ref) return error(`source ${hex(irq)}: block ${irq >>> 10} does not exist (${fn})`);
  const { block, index } = ref;
  switch (name) {
    case 'ibm,set-xive': {
      const server = args[1] >>> 0;
      const priority = args[2] >>> 0;
      let failure: string | null = null;
      // new_act_prio is the mapped priority, or the current act_priority when masking:
      // a targeted source is re-targeted to `server` even by a masking call.
      const retarget = priority !== MASKED
        ? prioFromGuest(priority & 0xff) !== MASKED
        : block.targeted[index] === 1 && block.server[index] !== server;
      if (retarget) {
        if (findIcp(vm, server)) {
          block.server[index] = server;
          block.targeted[index] = 1;
        } else {
          // The targeting error is returned, but the unmask below still happens.
          failure = `no vCPU has server number ${server} (${fn} → xive_target_interrupt); priority ${hex(priority & 0xff)} is applied anyway, on the previous target`;
        }
      }
      block.priority[index] = priority & 0xff;
      block.savedPriority[index] = priority & 0xff;
      if (priority !== MASKED) finishUnmaskOnXive(vm, dev, ref);
      return failure === null ? done : error(failure);
    }
    case 'ibm,get-xive':
      return { status: 0, rets: [block.server[index], block.priority[index]] };
    case 'ibm,int-off':
      block.savedPriority[index] = block.priority[index];
      block.priority[index] = MASKED;
      return done;
    default:
      if (!block.targeted[index]) return error(`source ${hex(irq)} was never targeted (act_priority is MASKED) (${fn})`);
      if (block.savedPriority[index] === MASKED) return done;
      block.priority[index] = block.savedPriority[index];
      finishUnmaskOnXive(vm, dev, ref);
      return done;
  }
}

export function rtas(vm: VmState, dev: XicsDeviceState, name: string, args: readonly number[]): RtasResult {
  if (!isRtasName(name)) return error(`${name} is not an in-kernel RTAS call (kvmppc_rtas_hcall)`);
  const want = RTAS_CALLS[name].args.length;
  if (args.length !== want) return error(`${name} takes ${want} argument${want === 1 ? '' : 's'}, got ${args.length} (kvm_rtas_${name.slice(4).replace('-', '_')})`);
  const irq = args[0] >>> 0;
  return dev.kind === 'xics-on-xive' ? onXive(vm, dev, name, irq, args) : legacy(vm, dev, name, irq, args);
}
