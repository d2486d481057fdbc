/**
 * Guest hcalls of the XICS presenter. `device xics` runs the real-mode
 * handlers of book3s_hv_rm_xics.c (xics_rm_h_*) as a KVM-HV host does,
 * `device xics-pr` the virtual-mode ones of book3s_xics.c (kvmppc_h_*).
 * Differences modelled, all read in book3s_hv_rm_xics.c:
 *  - xics_rm_h_cppr returns right after icp_rm_down_cppr ("goto bail"), while
 *    kvmppc_h_cppr falls through into its Up-CPPR step (errata 2);
 *  - ics_rm_eoi returns H_SUCCESS when the source block does not exist
 *    ("goto bail"), ics_eoi returns H_PARAMETER (errata 1).
 * H_IPOLL and H_XIRR_X have no separate real-mode semantics. Arguments are
 * compared at full 64-bit width and truncated to 8 bits only when stored
 * (errata 4). XICS-on-XIVE (xive_vm_h_*) applies prio_from_guest to CPPRs.
 */
import type { VcpuState, VmState } from '../state';
import type { HcallName } from '../hcalls';
import { HcallResult } from '../result';
import { MASKED, PQ_PRESENTED, XICS_IPI } from './constants';
import { checkResend, deliverIrq, downCppr, findIcp, presentIpi, rejectLatched, updateOutput } from './delivery';
import { prioFromGuest } from './priority';
import { findSource } from './sources';
import { esbTriggerOnXive } from './trigger';
import { IcpState, XicsDeviceState } from './state';

const U64 = (v: bigint | undefined): bigint => BigInt.asUintN(64, v ?? 0n);
const hex = (n: number | bigint): string => '0x' + n.toString(16);

function success(r: readonly bigint[] = [], reason?: string): HcallResult {
  return reason === undefined ? { ret: 'H_SUCCESS', r } : { ret: 'H_SUCCESS', r, reason };
}

function fnName(dev: XicsDeviceState, rm: string, vm: string, xive: string): string {
  if (dev.kind === 'xics-on-xive') return xive;
  return dev.kind === 'xics' ? rm : vm;
}

/** H_XIRR: accept the latched interrupt; r4 = old CPPR << 24 | XISR. */
function hXirr(icp: IcpState): bigint {
  icp.outEe = false;
  const xirr = ((icp.cppr << 24) | icp.xisr) >>> 0;
  if (icp.xisr !== 0) {
    icp.cppr = icp.ppri;
    icp.ppri = MASKED;
    icp.xisr = 0;
    updateOutput(icp);
  }
  return BigInt(xirr);
}

function hCppr(vm: VmState, dev: XicsDeviceState, icp: IcpState, arg: bigint): HcallResult {
  // XICS-on-XIVE maps the (truncated) value first: 6..0xfe become 6.
  const full = dev.kind === 'xics-on-xive' ? BigInt(prioFromGuest(Number(arg & 0xffn))) : arg;
  const cppr = Number(full & 0xffn);
  if (full > BigInt(icp.cppr)) {
    downCppr(vm, dev, icp, cppr);
    if (dev.kind === 'xics') return success([], 'Down-CPPR only: real mode returns after icp_rm_down_cppr (xics_rm_h_cppr)');
    // kvmppc_h_cppr falls through into the Up-CPPR step below.
  } else if (full === BigInt(icp.cppr)) {
    return success();
  }
  icp.outEe = false;
  icp.cppr = cppr;
  if (full <= BigInt(icp.ppri)) rejectLatched(vm, dev, icp);
  else updateOutput(icp);
  return success();
}

function hEoi(vm: VmState, dev: XicsDeviceState, icp: IcpState, arg: bigint): HcallResult {
  const raw = Number((arg >> 24n) & 0xffn);
  downCppr(vm, dev, icp, dev.kind === 'xics-on-xive' ? prioFromGuest(raw) : raw);
  const irq = Number(arg & 0xffffffn);
  if (irq === XICS_IPI) return success([], 'IPIs have no source EOI');
  if (dev.kind === 'xics-on-xive' && irq === 0) return success([], 'XISR 0 has no source EOI (kvmppc_xive_h_eoi)');
  const ref = findSource(dev, irq);
  const fn = fnName(dev, 'ics_rm_eoi', 'ics_eoi', 'kvmppc_xive_h_eoi');
  if (!ref) {
    const why = `source ${hex(irq)}: block ${irq >>> 10} does not exist (${fn})`;
    return dev.kind === 'xics' ? success([], `${why}; real mode ignores it`) : { ret: 'H_PARAMETER', r: [], reason: why };
  }
  const { block, index } = ref;
  if (dev.kind === 'xics-on-xive') {
    if (block.priority[index] === MASKED) {
      // xive_vm_h_eoi "EOI on saved P": only the saved P is cleared; the
      // unmask (xive_finish_unmask) does the real EOI and fires a saved Q.
      block.pq[index] &= ~PQ_PRESENTED & 0xff;
      return success();
    }
    // xive_vm_h_eoi: an ESB EOI (Q moves into P and fires) for MSIs and LSIs
    // alike, then a fresh trigger if the LSI line is still asserted.
    const next = block.pq[index] >> 1;
    block.pq[index] = next;
    if (next & PQ_PRESENTED) deliverIrq(vm, dev, irq, false);
    if (block.lsi[index] && block.asserted[index]) esbTriggerOnXive(vm, dev, ref);
    return success();
  }
  // LSI: P stays while the line is asserted. MSI: Q moves into P.
  const next = block.lsi[index] ? block.pq[index] : block.pq[index] >> 1;
  block.pq[index] = next;
  if (next & PQ_PRESENTED) deliverIrq(vm, dev, irq, false);
  return success();
}

function targetIcp(vm: VmState, self: IcpState, server: bigint): IcpState | null {
  // The local test compares the full register; the lookup takes a u32.
  if (BigInt(self.server) === server) return self;
  return findIcp(vm, Number(server & 0xffffffffn));
}

function hIpi(vm: VmState, dev: XicsDeviceState, self: IcpState, server: bigint, mfrr: bigint): HcallResult {
  const icp = targetIcp(vm, self, server);
  const fn = fnName(dev, 'xics_rm_h_ipi', 'kvmppc_h_ipi', 'kvmppc_xive_h_ipi');
  if (!icp) return { ret: 'H_PARAMETER', r: [], reason: `no ICP has server number ${server} (${fn})` };
  const oldMfrr = icp.mfrr;
  icp.mfrr = Number(mfrr & 0xffn);
  let resend = false;
  const presents = mfrr < BigInt(icp.cppr) && mfrr <= BigInt(icp.ppri);
  if (mfrr > BigInt(oldMfrr)) {
    resend = icp.needResend;
    icp.needResend = false;
  }
  updateOutput(icp);
  // The rejected source is re-delivered first, then the resend scan runs (errata 11).
  if (presents) presentIpi(vm, dev, icp);
  if (resend) checkResend(vm, dev, icp);
  return success();
}

function hIpoll(vm: VmState, dev: XicsDeviceState, self: IcpState, server: bigint): HcallResult {
  const icp = targetIcp(vm, self, server);
  const fn = dev.kind === 'xics-on-xive' ? 'kvmppc_xive_h_ipoll' : 'kvmppc_h_ipoll';
  if (!icp) return { ret: 'H_PARAMETER', r: [], reason: `no ICP has server number ${server} (${fn})` };
  const xirr = BigInt(((icp.cppr << 24) | icp.xisr) >>> 0);
  // xive_vm_h_ipoll writes r4 only; kvmppc_h_ipoll also returns MFRR in r5.
  return dev.kind === 'xics-on-xive' ? success([xirr]) : success([xirr, BigInt(icp.mfrr)]);
}

export function hcall(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, name: HcallName, args: readonly bigint[]): HcallResult {
  const icp = vcpu.icp;
  if (!icp) return { ret: 'H_HARDWARE', r: [], reason: `vCPU ${vcpu.id} has no ICP (kvmppc_xics_hcall)` };
  switch (name) {
    case 'H_XIRR':
      return success([hXirr(icp)]);
    case 'H_XIRR_X':
      // The timebase is deterministic: 512 ticks per model operation.
      return success([hXirr(icp), BigInt(vm.ticks) * 512n]);
    case 'H_CPPR':
      return hCppr(vm, dev, icp, U64(args[0]));
    case 'H_EOI':
      return hEoi(vm, dev, icp, U64(args[0]));
    case 'H_IPI':
      return hIpi(vm, dev, icp, U64(args[0]), U64(args[1]));
    case 'H_IPOLL':
      return hIpoll(vm, dev, icp, U64(args[0]));
    default:
      return { ret: 'H_UNSUPPORTED', r: [], reason: `${name} is not an XICS hcall` };
  }
}
