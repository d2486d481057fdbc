/**
 * XIVE native device state as plain data (records, typed arrays, Maps), so
 * that structuredClone captures it for the debugger's step-back.
 */

/** One KVM source block (`kvmppc_xive_src_block`): 1024 sources in parallel typed arrays. */
export interface XiveSourceBlock {
  readonly id: number;
  /** Sources of this block with `valid` set (kept for fast paging over 1M sources). */
  validCount: number;
  /** SOURCE_FLAG_* bits per source. */
  readonly flags: Uint8Array;
  /** ESB PQ in XIVE encoding (P = 2, Q = 1). */
  readonly pq: Uint8Array;
  readonly actServer: Uint32Array;
  /** 0..6, or 0xff when masked/unrouted. */
  readonly actPriority: Uint8Array;
  /** 31 significant bits. */
  readonly eisn: Uint32Array;
}

/** How the hardware END behind a KVM queue is programmed. */
export type QueueMode =
  /** Disabled (never configured, RESET, or torn down after a failed restore): events are dropped. */
  | 'off'
  /** qshift 0 reset: KVM leaves the END enabled, notify-only, without a page (spec decision). */
  | 'notify'
  /** Configured 64 KiB queue: entries are written to guest memory. */
  | 'enqueue';

export interface XiveQueueState {
  mode: QueueMode;
  /** Guest values saved by EQ_CONFIG (shown by GET only while mode is 'enqueue'). */
  qaddr: number;
  qshift: number;
  /** Hardware generation bit written into the next entry, and the next index. */
  toggle: number;
  index: number;
  /** Sources targeted here (KVM's q->count); never decremented (errata 10). */
  count: number;
  /** EQ_SYNC marked the guest page dirty. */
  dirty: boolean;
  /** The guest reader's position for scanEventQueue. */
  readerIndex: number;
  readerToggle: number;
}

/** Per connected vCPU (kvmppc_xive_vcpu + the thread context of the TIMA OS ring). */
export interface VpState {
  server: number;
  vpId: number;
  queues: XiveQueueState[];
  /** TIMA OS ring word 0/1 bytes: live while the vCPU runs, the saved copy while stopped. */
  nsr: number;
  cppr: number;
  ipb: number;
  lsmfb: number;
  ack: number;
  inc: number;
  age: number;
  pipr: number;
  /** Priorities notified while the context was pulled (NVT backlog IPB). */
  backlogIpb: number;
  /** xc->cppr / xc->mfrr: the XICS-compatibility view of KVM_REG_PPC_ICP_STATE. */
  icpCppr: number;
  icpMfrr: number;
  /** xc->delayed_irq: an XISR restored through ICP_STATE whose source did not exist yet. */
  delayedIrq: number;
}

/** QEMU's END (event notification descriptor) for the H_INT_* layer, indexed (vcpu id << 3) | prio. */
export interface QemuEnd {
  valid: boolean;
  enqueue: boolean;
  alwaysNotify: boolean;
  /** QEMU END_W0_QSIZE + 12, i.e. the qsize the guest passed. */
  qsize: number;
  qaddr: bigint;
  /** NVT target vCPU id and priority (W6/W7). */
  target: number;
  priority: number;
  generation: number;
  index: number;
}

/** QEMU's EAS table (8192 LISNs on sPAPR). Validity = the KVM source exists. */
export interface QemuEasTable {
  readonly masked: Uint8Array;
  readonly endIndex: Uint32Array;
  readonly eisn: Uint32Array;
}

export interface XiveDeviceState {
  kind: 'xive';
  /** KVM_DEV_XIVE_NR_SERVERS (default KVM_MAX_VCPUS). */
  nrServers: number;
  /** The VP block is allocated at the first vCPU connect; NR_SERVERS is -EBUSY from then on. */
  vpAllocated: boolean;
  /** Source blocks by block id (number >> 10); null until the first GRP_SOURCE set into it. */
  blocks: (XiveSourceBlock | null)[];
  /** Ids of existing blocks, ascending. */
  blockIds: number[];
  /** Valid sources (xive->src_count). */
  sourceCount: number;
  /** Connected server number → index of the vCPU in vm.vcpus. */
  vcpuByServer: Map<number, number>;
  eas: QemuEasTable;
  ends: Map<number, QemuEnd>;
  /** Event counters for the device view. */
  counters: XiveCounters;
}

export interface XiveCounters {
  /** Events written to a queue or notified (notify-only queue). */
  routed: number;
  /** Forwarded events dropped: source masked, target VP gone, queue disabled. */
  droppedMasked: number;
  droppedNoVp: number;
  droppedQueueOff: number;
  [name: string]: number;
}
