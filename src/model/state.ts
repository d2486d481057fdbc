/**
 * The whole state of one virtual machine as plain data: records, arrays,
 * typed arrays and Maps only — no classes, no closures — so that
 * `snapshotVm` (structuredClone) captures it exactly and the debugger can step
 * backwards to any earlier state.
 */
import type { XicsDeviceState, IcpState } from './xics/state';
import type { XiveDeviceState, VpState } from './xive/state';

/** `xics`: legacy emulation on a KVM-HV (POWER8) host, real-mode hcalls.
 *  `xics-pr`: the same device under PR-KVM, virtual-mode hcalls.
 *  `xics-on-xive`: KVM_DEV_TYPE_XICS on a POWER9+ host.
 *  `xive`: KVM_DEV_TYPE_XIVE, XIVE native exploitation mode. */
export type DeviceKind = 'xics' | 'xics-pr' | 'xics-on-xive' | 'xive';
export const DEVICE_KINDS: readonly DeviceKind[] = ['xics', 'xics-pr', 'xics-on-xive', 'xive'];

/** POWER8: only the legacy XICS device exists. POWER9: XICS-on-XIVE and XIVE native. */
export type HostKind = 'power8' | 'power9';

export type DeviceState = XicsDeviceState | XiveDeviceState;

export type FdKind = 'vm' | 'vcpu' | 'device';

export interface VcpuState {
  readonly id: number;
  /** Which interrupt controller the vCPU is connected to (KVM's irq_type). */
  mode: 'none' | 'xics' | 'xive';
  /** Server number given at connect (args[1], truncated to 32 bits). */
  server: number;
  /** XIVE: the thread context is pushed on a CPU (guest running); see spec errata. */
  running: boolean;
  /** Legacy / XICS-on-XIVE presenter, owned by src/model/xics. */
  icp: IcpState | null;
  /** XIVE native presenter (VP, TIMA OS ring, queues), owned by src/model/xive. */
  vp: VpState | null;
}

/** Guest RAM as sparse 64 KiB pages of 32-bit words (values as the guest reads them big-endian). */
export interface GuestMemoryState {
  /** Bytes of guest RAM starting at guest real address 0. */
  ramSize: bigint;
  /** Page number (address >> 16) → 16384 words. */
  pages: Map<number, Uint32Array>;
}

export interface VmConfig {
  /** KVM_MAX_VCPUS (NR_CPUS; 2048 in common distro configs). */
  readonly maxVcpus: number;
  /** KVM_MAX_VCPU_IDS = MAX_SMT_THREADS (8) × KVM_MAX_VCORES. */
  readonly maxVcpuIds: number;
  readonly ramSize: bigint;
}

export const DEFAULT_VM_CONFIG: VmConfig = {
  maxVcpus: 2048,
  maxVcpuIds: 2048 * 8,
  ramSize: 0x4_0000_0000n, // 16 GiB
};

export interface VmState {
  readonly config: VmConfig;
  /** Decided by the first device created (legacy XICS ⇒ POWER8; anything else ⇒ POWER9). */
  host: HostKind | null;
  device: DeviceState | null;
  /** Open file descriptors of this process, as KVM would hand them out. */
  fds: Record<number, FdKind>;
  deviceFd: number;
  nextFd: number;
  /** vCPUs in creation order (KVM_CREATE_VCPU order matters for XIVE retargeting). */
  vcpus: VcpuState[];
  memory: GuestMemoryState;
  /** Operations executed so far; drives the deterministic timebase (H_XIRR_X r5). */
  ticks: number;
}

export function snapshotVm(vm: VmState): VmState {
  return structuredClone(vm);
}
