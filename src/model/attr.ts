/** Device-attribute payloads: what `addr` points to in KVM_{SET,GET}_DEVICE_ATTR. */

/** struct kvm_ppc_xive_eq (64 bytes, host byte order), the payload of KVM_DEV_XIVE_GRP_EQ_CONFIG. */
export interface KvmPpcXiveEq {
  flags: number;
  qshift: number;
  qaddr: bigint;
  qtoggle: number;
  qindex: number;
}

export const KVM_XIVE_EQ_ALWAYS_NOTIFY = 0x1;

/** A set's buffer: a 64-bit word (u32 attributes read its low half: a little-endian host),
 *  an EQ struct, or an address that faults (-EFAULT). */
export type AttrPayload =
  | { readonly kind: 'word'; readonly word: bigint }
  | { readonly kind: 'eq'; readonly eq: KvmPpcXiveEq }
  | { readonly kind: 'fault' };

/** A get's result. `written: false` means the kernel returned 0 without touching the buffer. */
export type AttrValue =
  | { readonly kind: 'word'; readonly word: bigint }
  | { readonly kind: 'eq'; readonly eq: KvmPpcXiveEq; readonly written: boolean };

/** Attribute groups by device family (uapi values). */
export const XICS_GRP = { SOURCES: 1, CTRL: 2 } as const;
export const XICS_CTRL = { NR_SERVERS: 1 } as const;
export const XIVE_GRP = { CTRL: 1, SOURCE: 2, SOURCE_CONFIG: 3, EQ_CONFIG: 4, SOURCE_SYNC: 5 } as const;
export const XIVE_CTRL = { RESET: 1, EQ_SYNC: 2, NR_SERVERS: 3 } as const;

export const KVM_CAP_IRQ_XICS = 92;
export const KVM_CAP_PPC_IRQ_XIVE = 169;
export const KVM_REG_PPC_ICP_STATE = 0x103000000000008cn;
export const KVM_REG_PPC_VP_STATE = 0x104000000000008dn;
export const KVM_DEV_TYPE_XICS = 3;
export const KVM_DEV_TYPE_XIVE = 9;

/** KVM_IRQ_LINE levels: 0/1 plus the special KVM_INTERRUPT_* values. */
export const KVM_INTERRUPT_SET = 0xffffffff;
export const KVM_INTERRUPT_UNSET = 0xfffffffe;
export const KVM_INTERRUPT_SET_LEVEL = 0xfffffffd;
