/**
 * State of the XICS device (legacy emulation and XICS-on-XIVE) as plain data:
 * typed arrays, arrays and records only, so that structuredClone of the whole
 * VmState captures it for the debugger's step-back.
 */

export type XicsKind = 'xics' | 'xics-pr' | 'xics-on-xive';

/**
 * One block of 1024 sources (K-XICS struct kvmppc_ics), created on the first
 * SET into it. Per-source fields are columns indexed by number & 1023.
 */
export interface XicsSourceBlock {
  readonly id: number;
  /** How many of the 1024 entries exist; lets paged inspection skip whole blocks. */
  existCount: number;
  exists: Uint8Array;
  lsi: Uint8Array;
  server: Uint32Array;
  /** Current priority; 0xff when masked. */
  priority: Uint8Array;
  /** Priority restored by ibm,int-on and shown in GET while masked. */
  savedPriority: Uint8Array;
  /** Kernel encoding: P = 1, Q = 2. */
  pq: Uint8Array;
  /** Delivery was refused by the ICP; retried by the next resend scan. */
  resend: Uint8Array;
  /** Triggered while masked; delivered when unmasked. */
  maskedPending: Uint8Array;
  /** XICS-on-XIVE: LSI line level (state->asserted). */
  asserted: Uint8Array;
  /** XICS-on-XIVE: the source has a hardware target (act_priority != MASKED at least once). */
  targeted: Uint8Array;
}

export interface XicsDeviceState {
  kind: XicsKind;
  /** Index = block id (0..1023); null where no block was created. */
  blocks: Array<XicsSourceBlock | null>;
  /** Ids of existing blocks, ascending. */
  blockIds: number[];
  /** Existing sources over all blocks. */
  sourceCount: number;
  /** XICS-on-XIVE: KVM_DEV_XICS_NR_SERVERS (defaults to KVM_MAX_VCPUS). Legacy: unused (0). */
  nrServers: number;
  /** XICS-on-XIVE: the VP block was allocated by the first vCPU connect (NR_SERVERS is -EBUSY after). */
  vpsAllocated: boolean;
  /** XICS-on-XIVE: XISR values restored through ICP SET before their source existed (delayed_irqs). */
  delayedIrqs: number[];
  /** Statistics shown by the debugger (err_noics, err_noicp, ...). */
  counters: Record<string, number>;
}

/** One presenter (K-XICS struct kvmppc_icp and its union kvmppc_icp_state). */
export interface IcpState {
  server: number;
  cppr: number;
  xisr: number;
  mfrr: number;
  /** Priority of the pending XISR (pending_pri); 0xff = nothing. */
  ppri: number;
  /** A delivery was refused since the last resend scan. */
  needResend: boolean;
  /** The vCPU's external interrupt line: XISR != 0 and PPRI < CPPR. */
  outEe: boolean;
  /** Block ids holding sources that await a resend to this ICP (resend_map), 1 = set. */
  resendMap: Uint8Array;
  nReject: number;
  nCheckResend: number;
}
