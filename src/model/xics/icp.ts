/** Presenter creation (KVM_ENABLE_CAP) and the ICP state word (KVM_REG_PPC_ICP_STATE). */
import type { VcpuState, VmState } from '../state';
import { decodeToRecord, encodeWord } from '../layouts';
import { packVcpuId } from '../vcpu-id';
import { fail, ok, OK_VOID, Result } from '../result';
import { MASKED, XICS_IPI } from './constants';
import { checkResend, newIcp, presentIpi, rejectLatched, updateOutput } from './delivery';
import { findExistingSource, findSource } from './sources';
import { XicsDeviceState } from './state';
import { esbTriggerOnXive } from './trigger';
import { LAYOUTS } from '../layouts/table';

/**
 * The consistency rules of kvmppc_xics_set_icp that depend on the word alone
 * (the "block containing XISR exists" rule needs the device), from the layout
 * table, where decode reads them too. Empty = consistent.
 */
export function xicsIcpWordProblems(word: bigint): string[] {
  return [...(LAYOUTS['xics-icp'].consistency?.(decodeToRecord('xics-icp', word)) ?? [])];
}

/** ENABLE_CAP from row 6 of §2.4 on: 6L (legacy) or 6X (XICS-on-XIVE). */
export function connectVcpu(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, server: number): Result<void> {
  const taken = vm.vcpus.find((v) => v.icp && v.icp.server === server);
  if (dev.kind === 'xics-on-xive') {
    // One emulated thread per core (spec §1.4); VP ids are packed servers.
    const pack = (s: number): number => packVcpuId(s, vm.config.maxVcpus);
    if (pack(server) >= dev.nrServers) {
      return fail('EINVAL', `pack(server ${server}) = ${pack(server)} is not below nr_servers (${dev.nrServers}) (kvmppc_xive_connect_vcpu)`);
    }
    dev.vpsAllocated = true;
    const vpTaken = vm.vcpus.find((v) => v.icp && pack(v.icp.server) === pack(server));
    if (vpTaken) return fail('EEXIST', `VP ${pack(server)} (server ${server}) is already in use by vCPU ${vpTaken.id} (kvmppc_xive_compute_vp_id)`);
  } else if (taken) {
    return fail('EEXIST', `server ${server} already has an ICP (vCPU ${taken.id}) (kvmppc_xics_create_icp)`);
  }
  vcpu.mode = 'xics';
  vcpu.server = server;
  vcpu.icp = newIcp(server);
  return OK_VOID;
}

function encodeIcp(cppr: number, xisr: number, mfrr: number, ppri: number): bigint {
  const e = encodeWord('xics-icp', { cppr, xisr, mfrr, ppri });
  return e.ok ? e.word : 0n;
}

/** KVM_GET_ONE_REG(ICP_STATE). XICS-on-XIVE has no latched XISR: XISR 0 and PPRI 0xff always. */
export function icpWord(dev: XicsDeviceState, vcpu: VcpuState): bigint {
  const icp = vcpu.icp;
  if (!icp) return 0n;
  if (dev.kind === 'xics-on-xive') return encodeIcp(icp.cppr, 0, icp.mfrr, MASKED);
  return encodeIcp(icp.cppr, icp.xisr, icp.mfrr, icp.ppri);
}

export function getIcp(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState): Result<bigint> {
  if (!vcpu.icp) return fail('ENOENT', `vCPU ${vcpu.id} has no ICP (kvmppc_xics_get_icp)`);
  return ok(icpWord(dev, vcpu));
}

export function setIcp(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, word: bigint): Result<void> {
  const icp = vcpu.icp;
  if (!icp) return fail('ENOENT', `vCPU ${vcpu.id} has no ICP (kvmppc_xics_set_icp)`);
  const f = decodeToRecord('xics-icp', word);
  if (dev.kind === 'xics-on-xive') return setIcpOnXive(vm, dev, vcpu, f);
  const problems = xicsIcpWordProblems(word);
  if (problems.length > 0) return fail('EINVAL', problems[0]);
  if (f.xisr !== 0 && f.xisr !== XICS_IPI && !findSource(dev, f.xisr)) {
    return fail('EINVAL', `XISR 0x${f.xisr.toString(16)}: no source block ${f.xisr >>> 10} exists (kvmppc_xics_set_icp → kvmppc_xics_find_ics)`);
  }
  const oldMfrr = icp.mfrr;
  // An MFRR made less favoured consumes need_resend; otherwise it is preserved.
  const resend = f.mfrr > oldMfrr ? icp.needResend : false;
  if (f.mfrr > oldMfrr) icp.needResend = false;
  // A displaced XISR is not rejected: userspace restores sources consistently.
  icp.cppr = f.cppr;
  icp.xisr = f.xisr;
  icp.mfrr = f.mfrr;
  icp.ppri = f.ppri;
  updateOutput(icp);
  if (resend) checkResend(vm, dev, icp);
  return OK_VOID;
}

/**
 * kvmppc_xive_set_icp: CPPR, MFRR and XISR only, no consistency checks. MFRR
 * < CPPR triggers the vCPU's IPI; an XISR above 2 re-triggers that source, or
 * is remembered until the source is created (delayed_irqs).
 */
function setIcpOnXive(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, f: Record<string, number>): Result<void> {
  const icp = vcpu.icp;
  if (!icp) return fail('ENOENT', `vCPU ${vcpu.id} has no ICP (kvmppc_xive_set_icp)`);
  icp.cppr = f.cppr;
  icp.mfrr = f.mfrr;
  // XIVE keeps pending interrupts in queues, not in a latch: whatever this
  // model had latched goes back through delivery under the new CPPR.
  rejectLatched(vm, dev, icp);
  if (icp.mfrr < icp.cppr && icp.mfrr <= icp.ppri) presentIpi(vm, dev, icp);
  updateOutput(icp);
  if (f.xisr > XICS_IPI) {
    // xive_restore_pending_irq: a plain trigger of the source's IPI (an LSI is not asserted by it).
    const ref = findExistingSource(dev, f.xisr);
    if (ref) esbTriggerOnXive(vm, dev, ref);
    else if (!dev.delayedIrqs.includes(f.xisr)) dev.delayedIrqs.push(f.xisr);
  }
  if (icp.needResend) {
    icp.needResend = false;
    checkResend(vm, dev, icp);
  }
  return OK_VOID;
}

