/** XIVE native constants (KVM uapi, kernel and QEMU sPAPR values; spec §1, §3). */

/** KVMPPC_XIVE_NR_IRQS: source numbers must be below this (1024 blocks of 1024). */
export const XIVE_NR_IRQS = 0x100000;
export const SOURCES_PER_BLOCK = 1024;
export const BLOCK_SHIFT = 10;
export const MAX_BLOCK_ID = 1023;

/** Per-source flag bits in XiveSourceBlock.flags. */
export const SOURCE_FLAG_VALID = 0x1;
export const SOURCE_FLAG_LSI = 0x2;
export const SOURCE_FLAG_ASSERTED = 0x4;

/** act_priority of a masked / unrouted source. */
export const MASKED = 0xff;
/** Queues per VP (KVMPPC_XIVE_Q_COUNT); the guest may use 0..6. */
export const QUEUES_PER_VP = 8;
/** The only queue size KVM accepts (64 KiB) and its entry count. */
export const KVM_QSHIFT = 16;
export const KVM_QUEUE_ENTRIES = 1 << (KVM_QSHIFT - 2);
/** XIVE_Q_GAP: a queue takes at most entries - 2 sources. */
export const XIVE_Q_GAP = 2;

/** ESB PQ values (P = 2, Q = 1). */
export const PQ_RESET = 0;
export const PQ_OFF = 1;
export const PQ_PENDING = 2;
export const PQ_QUEUED = 3;

/** TIMA OS ring: TM_QW1_OS and special-operation offsets of the OS page. */
export const TM_QW1_OS = 0x10;
export const TM_CPPR_OFFSET = TM_QW1_OS + 1;
export const TM_SPC_ACK_OS_REG = 0x810;
export const TM_SPC_SET_OS_PENDING = 0x812;
export const TM_SPECIAL_OP = 0x800;
export const NSR_EO = 0x80;

/** QEMU sPAPR XIVE (hw/intc/spapr_xive.c). */
export const SPAPR_NR_IRQS = 8192;
export const SPAPR_VC_BASE = 0x0006010000000000n;
/** 2 × 64 KiB ESB pages per source (esb_shift 17). */
export const SPAPR_ESB_SHIFT = 17;
export const SPAPR_END_BASE = SPAPR_VC_BASE + (BigInt(SPAPR_NR_IRQS) << BigInt(SPAPR_ESB_SHIFT));
export const SPAPR_TM_BASE = 0x0006030203180000n;
export const SPAPR_NVT_BASE = 0x400;
/** Priorities ≥ hv-prio (default 7) are reserved for the hypervisor. */
export const SPAPR_HV_PRIO = 7;

/** H_INT_* flag bits (PPC bit 63 = 0x1 ...). */
export const H_INT_SRC_INFO_H_INT_ESB = 0x8n;
export const H_INT_SRC_INFO_LSI = 0x4n;
export const H_INT_SRC_INFO_TRIGGER = 0x2n;
export const H_INT_SRC_INFO_STORE_EOI = 0x1n;
export const H_INT_SRC_SET_EISN = 0x2n;
export const H_INT_SRC_MASK = 0x1n;
export const H_INT_END_ALWAYS_NOTIFY = 0x1n;
export const H_INT_END_DEBUG = 0x1n;
export const H_INT_ESB_STORE = 0x1n;
