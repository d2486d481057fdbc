/** Numbers of the legacy XICS emulation (arch/powerpc/kvm/book3s_xics.h, asm/xics.h). */

/** Source block ("ICS") of a number = number >> 10 (KVMPPC_XICS_ICS_SHIFT). */
export const ICS_SHIFT = 10;
/** Sources per block (KVMPPC_XICS_IRQ_PER_ICS). */
export const IRQ_PER_ICS = 1024;
/** Highest block id (KVMPPC_XICS_MAX_ICS_ID). */
export const MAX_ICS_ID = 1023;
/** Numbers must be below this (KVMPPC_XICS_NR_IRQS). */
export const NR_IRQS = 0x100000;
/** Numbers 0..15 are reserved: 0 = none, 2 = IPI (KVMPPC_XICS_FIRST_IRQ). */
export const FIRST_IRQ = 16;
/** XISR value of an IPI (XICS_IPI). */
export const XICS_IPI = 2;
/** "Priority" meaning masked / nothing pending (MASKED). */
export const MASKED = 0xff;

/** The kernel's own P/Q encoding in ics_irq_state.pq_state: P = 1, Q = 2 (the reverse of XIVE's). */
export const PQ_PRESENTED = 1;
export const PQ_QUEUED = 2;
