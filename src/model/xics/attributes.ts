/**
 * Device attributes of KVM_DEV_TYPE_XICS: GRP_SOURCES (xics_set_source /
 * xics_get_source, and the XICS-on-XIVE kvmppc_xive_set_source /
 * xive_get_source) and GRP_CTRL/NR_SERVERS (XICS-on-XIVE only).
 */
import type { VmState } from '../state';
import { AttrPayload, AttrValue, XICS_CTRL, XICS_GRP } from '../attr';
import { decodeToRecord, encodeWord } from '../layouts';
import { fail, ok, OK_VOID, Result } from '../result';
import { FIRST_IRQ, MASKED, NR_IRQS, PQ_PRESENTED, PQ_QUEUED } from './constants';
import { deliverIrq, findIcp } from './delivery';
import { ensureBlock, findExistingSource, findSource, markExists, SourceRef } from './sources';
import { XicsDeviceState } from './state';
import { finishUnmaskOnXive } from './trigger';

const hex = (n: number | bigint): string => '0x' + n.toString(16);

/** The SET rule name of this device flavour (also cited by the routing explanation). */
export function setFunction(dev: XicsDeviceState): string {
  return dev.kind === 'xics-on-xive' ? 'kvmppc_xive_set_source' : 'xics_set_source';
}
function getFunction(dev: XicsDeviceState): string {
  return dev.kind === 'xics-on-xive' ? 'xive_get_source' : 'xics_get_source';
}
function attrFunction(dev: XicsDeviceState, op: 'set' | 'get' | 'has'): string {
  return dev.kind === 'xics-on-xive' ? `xive_${op}_attr` : `xics_${op}_attr`;
}

/** -ENOENT rule of SET: numbers outside [KVMPPC_XICS_FIRST_IRQ, KVMPPC_XICS_NR_IRQS). */
export function sourceRangeProblem(attr: bigint, fn: string): string | null {
  if (attr < BigInt(FIRST_IRQ)) return `source ${hex(attr)} is below KVMPPC_XICS_FIRST_IRQ (16) (${fn})`;
  if (attr >= BigInt(NR_IRQS)) return `source ${hex(attr)} is not below KVMPPC_XICS_NR_IRQS (0x100000) (${fn})`;
  return null;
}

function isInQueue(vm: VmState, ref: SourceRef, irq: number): boolean {
  if (ref.block.resend[ref.index]) return true;
  const icp = findIcp(vm, ref.block.server[ref.index]);
  return icp !== null && icp.xisr === irq;
}

/** The word GET returns, without side effects (also used by the inspection views). */
export function sourceWord(vm: VmState, dev: XicsDeviceState, ref: SourceRef, irq: number): bigint {
  const { block, index } = ref;
  let prio = block.priority[index];
  let masked = 0;
  if (prio === MASKED) {
    masked = 1;
    prio = block.savedPriority[index];
  }
  const p = block.pq[index] & PQ_PRESENTED ? 1 : 0;
  const q = block.pq[index] & PQ_QUEUED ? 1 : 0;
  const lsi = block.lsi[index];
  let pending: number;
  let presented = p;
  let queued = q;
  if (dev.kind === 'xics-on-xive') {
    if (lsi) {
      // xive_get_source reports only PENDING (= saved P) for an LSI.
      pending = p;
      presented = 0;
      queued = 0;
    } else {
      // "In a queue, or masked with Q" — the test reads the priority after the saved one was substituted.
      pending = isInQueue(vm, ref, irq) || (prio === MASKED && q === 1) ? 1 : 0;
    }
  } else {
    pending = lsi ? p : block.maskedPending[index] || block.resend[index] ? 1 : 0;
  }
  const encoded = encodeWord('xics-source', {
    server: block.server[index], priority: prio, level_sensitive: lsi, masked, pending, presented, queued,
  });
  return encoded.ok ? encoded.word : 0n;
}

function setSource(vm: VmState, dev: XicsDeviceState, attr: bigint, payload: AttrPayload): Result<void> {
  const fn = setFunction(dev);
  const range = sourceRangeProblem(attr, fn);
  if (range) return fail('ENOENT', range);
  const irq = Number(attr);
  // The block is created before the word is read, and stays if SET then fails (errata 12).
  const ref = ensureBlock(dev, irq);
  if (payload.kind === 'fault') {
    return fail('EFAULT', `reading the 64-bit source word at addr faulted (get_user in ${fn}); block ${ref.block.id} stays created`);
  }
  if (payload.kind !== 'word') {
    return fail('EINVAL', `KVM_DEV_XICS_GRP_SOURCES takes a 64-bit word at addr, not a struct kvm_ppc_xive_eq (${fn})`);
  }
  const f = decodeToRecord('xics-source', payload.word);
  const server = f.server;
  const prio = f.priority;
  const serverIcp = findIcp(vm, server);
  if (dev.kind !== 'xics-on-xive' && prio !== MASKED && !serverIcp) {
    return fail('EINVAL', `no ICP has server number ${server} and priority ${hex(prio)} is not 0xff (MASKED) (${fn} → kvmppc_xics_find_server)`);
  }
  const { block, index } = ref;
  block.savedPriority[index] = prio;
  block.priority[index] = f.masked ? MASKED : prio;
  block.resend[index] = 0;
  block.maskedPending[index] = 0;
  block.lsi[index] = f.level_sensitive;
  if (dev.kind === 'xics-on-xive') {
    let pending = f.pending;
    const delayed = dev.delayedIrqs.indexOf(irq);
    if (delayed >= 0) {
      // An XISR restored through ICP SET before the source existed (xive_check_delayed_irq).
      dev.delayedIrqs.splice(delayed, 1);
      pending = 1;
    }
    // act_priority := MASKED first; targeting failures are silent, so the
    // source stays untargeted (keeping its old act_server).
    block.targeted[index] = 0;
    if (prio !== MASKED && serverIcp) {
      block.server[index] = server;
      block.targeted[index] = 1;
    }
    block.asserted[index] = f.level_sensitive && pending ? 1 : 0;
    // A pending source restores as Q without P so that unmasking re-triggers it.
    block.pq[index] = (f.presented && !pending ? PQ_PRESENTED : 0) | (f.queued || pending ? PQ_QUEUED : 0);
    markExists(dev, ref);
    finishUnmaskOnXive(vm, dev, ref);
    return OK_VOID;
  }
  block.server[index] = server;
  block.pq[index] = (f.presented || f.pending ? PQ_PRESENTED : 0) | (f.queued ? PQ_QUEUED : 0);
  markExists(dev, ref);
  if (f.pending) deliverIrq(vm, dev, irq, false);
  return OK_VOID;
}

function getSource(vm: VmState, dev: XicsDeviceState, attr: bigint, fault: boolean): Result<AttrValue> {
  const fn = getFunction(dev);
  // The lookup helper takes a u32: higher attribute bits are dropped.
  const irq = Number(attr & 0xffffffffn);
  if (!findSource(dev, irq)) {
    return fail('ENOENT', `source ${hex(attr)}: its block ${irq >>> 10} was never created (${fn} → kvmppc_xics_find_ics)`);
  }
  const ref = findExistingSource(dev, irq);
  if (!ref) return fail('ENOENT', `source ${hex(attr)} was never set (exists = 0) (${fn})`);
  if (fault) return fail('EFAULT', `writing the source word to addr faulted (put_user in ${fn})`);
  return ok({ kind: 'word', word: sourceWord(vm, dev, ref, irq) });
}

/** kvmppc_xive_set_nr_servers: a __u32 at addr (the low half of the payload word). */
function setNrServers(vm: VmState, dev: XicsDeviceState, payload: AttrPayload): Result<void> {
  const fn = 'kvmppc_xive_set_nr_servers';
  if (payload.kind === 'fault') return fail('EFAULT', `reading the __u32 at addr faulted (get_user in ${fn})`);
  if (payload.kind !== 'word') return fail('EINVAL', `KVM_DEV_XICS_NR_SERVERS takes a __u32 at addr, not a struct kvm_ppc_xive_eq (${fn})`);
  const n = Number(payload.word & 0xffffffffn);
  if (n === 0) return fail('EINVAL', `nr_servers 0 is invalid (${fn})`);
  if (n > vm.config.maxVcpuIds) return fail('EINVAL', `nr_servers ${n} exceeds KVM_MAX_VCPU_IDS (${vm.config.maxVcpuIds}) (${fn})`);
  if (dev.vpsAllocated) return fail('EBUSY', `the VP block is already allocated: a vCPU has connected (${fn})`);
  // Silently clamped to KVM_MAX_VCPUS.
  dev.nrServers = Math.min(n, vm.config.maxVcpus);
  return OK_VOID;
}

function ctrlProblem(dev: XicsDeviceState, attr: bigint, op: 'set' | 'get' | 'has'): string | null {
  if (dev.kind !== 'xics-on-xive') {
    return `KVM_DEV_XICS_GRP_CTRL does not exist on the legacy XICS emulation (${attrFunction(dev, op)})`;
  }
  if (attr !== BigInt(XICS_CTRL.NR_SERVERS)) return `unknown KVM_DEV_XICS_GRP_CTRL attribute ${hex(attr)} (${attrFunction(dev, op)})`;
  return null;
}

export function setAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint, payload: AttrPayload): Result<void> {
  if (group === XICS_GRP.SOURCES) return setSource(vm, dev, attr, payload);
  if (group === XICS_GRP.CTRL) {
    const problem = ctrlProblem(dev, attr, 'set');
    return problem ? fail('ENXIO', problem) : setNrServers(vm, dev, payload);
  }
  return fail('ENXIO', `unknown attribute group ${group} (${attrFunction(dev, 'set')})`);
}

export function getAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint, opts: { fault?: boolean }): Result<AttrValue> {
  if (group === XICS_GRP.SOURCES) return getSource(vm, dev, attr, opts.fault === true);
  if (group === XICS_GRP.CTRL) {
    return fail('ENXIO', ctrlProblem(dev, attr, 'get') ?? `KVM_DEV_XICS_NR_SERVERS is write-only (${attrFunction(dev, 'get')})`);
  }
  return fail('ENXIO', `unknown attribute group ${group} (${attrFunction(dev, 'get')})`);
}

export function hasAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint): Result<void> {
  const fn = attrFunction(dev, 'has');
  if (group === XICS_GRP.SOURCES) {
    const range = sourceRangeProblem(attr, fn);
    return range ? fail('ENXIO', range) : OK_VOID;
  }
  if (group === XICS_GRP.CTRL) {
    const problem = ctrlProblem(dev, attr, 'has');
    return problem ? fail('ENXIO', problem) : OK_VOID;
  }
  return fail('ENXIO', `unknown attribute group ${group} (${fn})`);
}
