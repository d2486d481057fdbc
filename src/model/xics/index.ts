/**
 * The XICS half of the controller model: the legacy emulation for a KVM-HV
 * host (`xics`, real-mode hcalls) and for PR-KVM (`xics-pr`, virtual-mode
 * hcalls), and the XICS-on-XIVE variant (`xics-on-xive`).
 *
 * XICS-on-XIVE approximation: delivery reuses the legacy one-entry latch
 * (XISR/PPRI) in place of the per-priority hardware queues, at
 * prio_from_guest(priority); an IPI is presented at the raw MFRR. What the
 * latch holds is what the guest would find first in its queues; ONE_REG never
 * shows it (XISR 0, PPRI 0xff), the Variables pane does. GET of a source reads
 * the state directly instead of through the kernel's whole-VM mask-and-scan
 * snapshot (same values for a stopped VM). A trigger on a masked or
 * untargeted source is held (the ESB's Q) and fires on unmask, but GET does
 * not show it, as xive_get_source does not.
 */
import type { VcpuState, VmState } from '../state';
import type { HcallName } from '../hcalls';
import type { DeviceView, PresenterView, SourceView } from '../inspect';
import { AttrPayload, AttrValue } from '../attr';
import { HcallResult, Result, RtasResult } from '../result';
import * as attributes from './attributes';
import * as icp from './icp';
import * as hcalls from './hcalls';
import * as inspect from './inspect';
import * as rtasCalls from './rtas';
import { XicsDeviceState, XicsKind } from './state';
import { triggerSource } from './trigger';

export type { XicsDeviceState, IcpState, XicsSourceBlock, XicsKind } from './state';
export { prioFromGuest } from './priority';
export { xicsIcpWordProblems } from './icp';
export { normaliseLevel } from './trigger';
export { sourceRangeProblem } from './attributes';
export * as XICS_CONSTANTS from './constants';

export function createXicsDevice(vm: VmState, kind: XicsKind): XicsDeviceState {
  return {
    kind,
    // Holey, not pre-filled: snapshots (structuredClone) then cost O(blocks in use).
    blocks: [],
    blockIds: [],
    sourceCount: 0,
    nrServers: kind === 'xics-on-xive' ? vm.config.maxVcpus : 0,
    vpsAllocated: false,
    delayedIrqs: [],
    counters: {},
  };
}

/** Closing the device fd frees every block; vm.ts then disconnects the vCPUs. */
export function releaseXicsDevice(vm: VmState, dev: XicsDeviceState): void {
  dev.blocks.length = 0;
  dev.blockIds = [];
  dev.sourceCount = 0;
  dev.delayedIrqs = [];
  for (const v of vm.vcpus) if (v.icp) v.icp.resendMap.fill(0);
}

export function connectVcpu(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, server: number): Result<void> {
  return icp.connectVcpu(vm, dev, vcpu, server);
}

export function setAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint, payload: AttrPayload): Result<void> {
  return attributes.setAttr(vm, dev, group, attr, payload);
}

export function getAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint, opts: { fault?: boolean }): Result<AttrValue> {
  return attributes.getAttr(vm, dev, group, attr, opts);
}

export function hasAttr(vm: VmState, dev: XicsDeviceState, group: number, attr: bigint): Result<void> {
  return attributes.hasAttr(vm, dev, group, attr);
}

export function irqLine(vm: VmState, dev: XicsDeviceState, irq: number, level: number): void {
  triggerSource(vm, dev, irq, level);
}

export function getIcp(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState): Result<bigint> {
  return icp.getIcp(vm, dev, vcpu);
}

export function setIcp(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, word: bigint): Result<void> {
  return icp.setIcp(vm, dev, vcpu, word);
}

export function hcall(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState, name: HcallName, args: readonly bigint[]): HcallResult {
  return hcalls.hcall(vm, dev, vcpu, name, args);
}

export function rtas(vm: VmState, dev: XicsDeviceState, name: string, args: readonly number[]): RtasResult {
  return rtasCalls.rtas(vm, dev, name, args);
}

export function inspectDevice(vm: VmState, dev: XicsDeviceState): DeviceView {
  return inspect.inspectDevice(vm, dev);
}

export function inspectSources(vm: VmState, dev: XicsDeviceState, start: number, count: number): SourceView[] {
  return inspect.inspectSources(vm, dev, start, count);
}

export function inspectPresenters(vm: VmState, dev: XicsDeviceState): PresenterView[] {
  return inspect.inspectPresenters(vm, dev);
}
