/**
 * The one declarative table of word layouts. Decoding, encoding, field-range
 * validation, hover text, inlay hints, the Variables pane and `irqlab decode`
 * are all functions of this table (see codec.ts and render.ts); nothing else
 * in the code base may know where a field sits in a word.
 *
 * Bit numbers are LSB-0 as in the KVM uapi (bit 0 = value 1). The IBM MSB-0
 * number of a bit is (width - 1 - lsb); render.ts derives it.
 */

export type LayoutName =
  | 'xics-source'
  | 'xics-icp'
  | 'xive-source'
  | 'xive-source-config'
  | 'xive-eq-id'
  | 'xive-vp-state'
  | 'xive-eq-entry';

export const LAYOUT_NAMES: readonly LayoutName[] = [
  'xics-source', 'xics-icp', 'xive-source', 'xive-source-config',
  'xive-eq-id', 'xive-vp-state', 'xive-eq-entry',
];

/** How a field is shown in one-line summaries such as `prio=5 server=3 masked eisn=0x1300`. */
export type SummaryStyle =
  | 'dec'        // name=5
  | 'hex'        // name=0x1300
  | 'hex2'       // name=0x05 (two digits, for byte registers)
  | 'flag'       // the name alone when set, nothing when clear
  | 'none';      // never in the summary

export interface RejectedValue {
  readonly value: number;
  readonly errno: 'EINVAL';
  /** The kernel rule, for hovers and checker messages. */
  readonly reason: string;
}

export interface FieldDef {
  /** Lower-case name used in `.irq` field blocks, the CLI and the Variables pane. */
  readonly name: string;
  /** Lowest bit, LSB-0. */
  readonly lo: number;
  readonly width: number;
  /** Short label for summaries (defaults to name). */
  readonly short?: string;
  readonly summary: SummaryStyle;
  /** The uapi/kernel constant this field corresponds to, when there is one. */
  readonly constant?: string;
  /** One-line meaning for hovers and the CLI. */
  readonly meaning: string;
  /** Named values (enumerations), shown beside the number. */
  readonly values?: Readonly<Record<number, string>>;
  /** Values the kernel refuses when this word is written. */
  readonly rejects?: readonly RejectedValue[];
  /** Derived by the hardware/kernel: writing it has no direct effect or is not allowed. */
  readonly readOnly?: boolean;
}

export interface LayoutDef {
  readonly name: LayoutName;
  readonly width: 32 | 64;
  readonly title: string;
  /** Where the word lives (attribute group, ONE_REG id, guest memory). */
  readonly where: string;
  /** Spec section for "read more". */
  readonly section: string;
  /** Whether QEMU/IBM documentation numbers these bits MSB-0 (shown in addition to LSB-0). */
  readonly ibmView: boolean;
  /** Bits that are not part of any field and that the kernel ignores or masks off. */
  readonly ignored?: { readonly lo: number; readonly width: number; readonly note: string };
  /**
   * Rules across fields the kernel enforces when the word is written (e.g.
   * kvmppc_xics_set_icp's consistency checks): each failing rule as a reason,
   * empty when the word passes. The model's setter and decode both use it.
   */
  readonly consistency?: (f: Readonly<Record<string, number>>) => readonly string[];
  /** What else the register holds beyond this word (printed under every decode of it). */
  readonly note?: string;
  readonly fields: readonly FieldDef[];
}

const PRIO_XICS: Readonly<Record<number, string>> = { 0: 'most favoured', 0xff: 'masked / none' };
const PRIO_XIVE_REJECT: readonly RejectedValue[] = [
  { value: 7, errno: 'EINVAL', reason: 'priority 7 is reserved for escalation (xive_prio_from_guest(7) != 7)' },
];
const BYTE_PRIO: Readonly<Record<number, string>> = { 0xff: 'none / least favoured' };

const hex2 = (n: number): string => '0x' + n.toString(16).padStart(2, '0');

/**
 * kvmppc_xics_set_icp (legacy XICS) requires an internally consistent word:
 * XISR 0 → PPRI 0xff; XISR 2 (IPI) → PPRI = MFRR and PPRI < CPPR; any other
 * XISR → PPRI < MFRR and PPRI < CPPR (and the source's block must exist,
 * which needs the device). XICS-on-XIVE's kvmppc_xive_set_icp does not check these.
 */
function icpStateProblems(f: Readonly<Record<string, number>>): string[] {
  const fn = '(kvmppc_xics_set_icp)';
  const out: string[] = [];
  if (f.xisr === 0) {
    if (f.ppri !== 0xff) out.push(`XISR 0 (nothing pending) requires PPRI 0xff, not ${hex2(f.ppri)} ${fn}`);
  } else if (f.xisr === 2) {
    if (f.ppri !== f.mfrr) out.push(`XISR 2 (IPI) requires PPRI = MFRR, but PPRI ${hex2(f.ppri)} ≠ MFRR ${hex2(f.mfrr)} ${fn}`);
    if (f.ppri >= f.cppr) out.push(`a pending IPI requires PPRI < CPPR, but PPRI ${hex2(f.ppri)} ≥ CPPR ${hex2(f.cppr)} ${fn}`);
  } else {
    if (f.ppri >= f.mfrr) out.push(`a pending source requires PPRI < MFRR, but PPRI ${hex2(f.ppri)} ≥ MFRR ${hex2(f.mfrr)} ${fn}`);
    if (f.ppri >= f.cppr) out.push(`a pending source requires PPRI < CPPR, but PPRI ${hex2(f.ppri)} ≥ CPPR ${hex2(f.cppr)} ${fn}`);
  }
  return out;
}

export const LAYOUTS: Readonly<Record<LayoutName, LayoutDef>> = {
  'xics-source': {
    name: 'xics-source',
    width: 64,
    title: 'XICS source state',
    where: 'KVM_DEV_XICS_GRP_SOURCES attribute (64-bit word at addr)',
    section: '§2.3',
    ibmView: false,
    ignored: { lo: 45, width: 19, note: 'bits 63..45 are ignored on set and 0 on get' },
    fields: [
      { name: 'server', lo: 0, width: 32, summary: 'dec', constant: 'KVM_XICS_DESTINATION_SHIFT/MASK',
        meaning: 'destination interrupt server (the ICP number of a vCPU)' },
      { name: 'priority', lo: 32, width: 8, short: 'prio', summary: 'hex2', constant: 'KVM_XICS_PRIORITY_SHIFT/MASK',
        meaning: 'current priority; when masked, the saved priority', values: PRIO_XICS },
      { name: 'level_sensitive', lo: 40, width: 1, short: 'lsi', summary: 'flag', constant: 'KVM_XICS_LEVEL_SENSITIVE',
        meaning: 'level-sensitive (LSI) source; 0 = message-signalled (MSI)' },
      { name: 'masked', lo: 41, width: 1, summary: 'flag', constant: 'KVM_XICS_MASKED',
        meaning: 'masked: current priority is 0xff, the priority field holds the saved one' },
      { name: 'pending', lo: 42, width: 1, summary: 'flag', constant: 'KVM_XICS_PENDING',
        meaning: 'pending: LSI asserted (P), or MSI masked-pending / awaiting resend' },
      { name: 'presented', lo: 43, width: 1, short: 'P', summary: 'flag', constant: 'KVM_XICS_PRESENTED',
        meaning: 'P bit: presented to an ICP, EOI expected' },
      { name: 'queued', lo: 44, width: 1, short: 'Q', summary: 'flag', constant: 'KVM_XICS_QUEUED',
        meaning: 'Q bit: another trigger arrived while presented' },
    ],
  },
  'xics-icp': {
    name: 'xics-icp',
    width: 64,
    title: 'XICS presenter (ICP) state',
    where: 'ONE_REG KVM_REG_PPC_ICP_STATE (0x103000000000008c)',
    section: '§2.5',
    ibmView: false,
    ignored: { lo: 0, width: 16, note: 'bits 15..0 are unused (0 on get, ignored on set)' },
    fields: [
      { name: 'cppr', lo: 56, width: 8, summary: 'hex2', constant: 'KVM_REG_PPC_ICP_CPPR_SHIFT',
        meaning: 'current processor priority: only priorities below it are delivered',
        values: { 0: 'nothing can be delivered', 0xff: 'everything can be delivered' } },
      { name: 'xisr', lo: 32, width: 24, summary: 'hex', constant: 'KVM_REG_PPC_ICP_XISR_SHIFT',
        meaning: 'pending interrupt source number', values: { 0: 'none', 1: 'XICS_DUMMY', 2: 'IPI' } },
      { name: 'mfrr', lo: 24, width: 8, summary: 'hex2', constant: 'KVM_REG_PPC_ICP_MFRR_SHIFT',
        meaning: 'most favoured request register: IPI priority', values: { 0xff: 'no IPI' } },
      { name: 'ppri', lo: 16, width: 8, summary: 'hex2', constant: 'KVM_REG_PPC_ICP_PPRI_SHIFT',
        meaning: 'priority of the pending XISR', values: { 0xff: 'nothing pending' } },
    ],
    consistency: icpStateProblems,
  },
  'xive-source': {
    name: 'xive-source',
    width: 64,
    title: 'XIVE source (creation word)',
    where: 'KVM_DEV_XIVE_GRP_SOURCE attribute (64-bit word at addr, write-only)',
    section: '§3.4',
    ibmView: false,
    ignored: { lo: 2, width: 62, note: 'bits 63..2 are unused' },
    fields: [
      { name: 'level_sensitive', lo: 0, width: 1, short: 'lsi', summary: 'flag', constant: 'KVM_XIVE_LEVEL_SENSITIVE',
        meaning: 'source type: 1 = LSI (level sensitive), 0 = MSI; never cleared by a later set' },
      { name: 'asserted', lo: 1, width: 1, summary: 'flag', constant: 'KVM_XIVE_LEVEL_ASSERTED',
        meaning: 'LSI line level; read only when level_sensitive is set' },
    ],
  },
  'xive-source-config': {
    name: 'xive-source-config',
    width: 64,
    title: 'XIVE source configuration (targeting)',
    where: 'KVM_DEV_XIVE_GRP_SOURCE_CONFIG attribute (64-bit word at addr, write-only)',
    section: '§3.5',
    ibmView: false,
    fields: [
      { name: 'priority', lo: 0, width: 3, short: 'prio', summary: 'dec', constant: 'KVM_XIVE_SOURCE_PRIORITY_SHIFT/MASK',
        meaning: 'event queue priority 0..6 (7 is reserved for escalation)', values: { 0: 'most favoured', 7: 'reserved (escalation)' },
        rejects: PRIO_XIVE_REJECT },
      { name: 'server', lo: 3, width: 29, summary: 'dec', constant: 'KVM_XIVE_SOURCE_SERVER_SHIFT/MASK',
        meaning: 'target server (vCPU); KVM may silently retarget to another vCPU with a free queue' },
      { name: 'masked', lo: 32, width: 1, summary: 'flag', constant: 'KVM_XIVE_SOURCE_MASKED_SHIFT/MASK',
        meaning: 'mask the source (xive.rst still says "unused"; the merged code honours it)' },
      { name: 'eisn', lo: 33, width: 31, summary: 'hex', constant: 'KVM_XIVE_SOURCE_EISN_SHIFT/MASK',
        meaning: 'effective interrupt source number: the data written into the event queue' },
    ],
  },
  'xive-eq-id': {
    name: 'xive-eq-id',
    width: 64,
    title: 'XIVE event queue identifier',
    where: 'KVM_DEV_XIVE_GRP_EQ_CONFIG attribute number (= QEMU END index)',
    section: '§3.6.1',
    ibmView: false,
    ignored: { lo: 32, width: 32, note: 'bits 63..32 are masked off' },
    fields: [
      { name: 'priority', lo: 0, width: 3, short: 'prio', summary: 'dec', constant: 'KVM_XIVE_EQ_PRIORITY_SHIFT/MASK',
        meaning: 'queue priority 0..6', values: { 7: 'reserved (escalation)' }, rejects: PRIO_XIVE_REJECT },
      { name: 'server', lo: 3, width: 29, summary: 'dec', constant: 'KVM_XIVE_EQ_SERVER_SHIFT/MASK',
        meaning: 'server (vCPU) owning the queue' },
    ],
  },
  'xive-vp-state': {
    name: 'xive-vp-state',
    width: 64,
    title: 'XIVE VP state, TIMA OS ring word 0/1 (big-endian)',
    where: 'ONE_REG KVM_REG_PPC_VP_STATE (0x104000000000008d), element 0',
    section: '§3.12',
    ibmView: true,
    note: 'KVM_REG_PPC_VP_STATE is 128 bits, two 64-bit words (xive_timaval[2]): element 0 is this word (the saved OS ring word 0/1, with the NVT backlog IPB OR-ed in on get); element 1 is not used: kvmppc_xive_native_get_vp leaves it as the caller zeroed it (QEMU passes a zeroed buffer) and kvmppc_xive_native_set_vp ignores it. `get/set vp` read and write element 0.',
    fields: [
      { name: 'nsr', lo: 56, width: 8, summary: 'hex2', meaning: 'notification source register; 0x80 = EO, OS exception pending',
        values: { 0: 'nothing signalled', 0x80: 'EO: exception pending' } },
      { name: 'cppr', lo: 48, width: 8, summary: 'hex2', meaning: 'current processor priority (values > 7 read as 0xff)',
        values: BYTE_PRIO },
      { name: 'ipb', lo: 40, width: 8, summary: 'hex2', meaning: 'interrupt pending buffer: bit 0x80>>p = priority p pending',
        values: { 0: 'nothing pending' } },
      { name: 'lsmfb', lo: 32, width: 8, summary: 'hex2', meaning: 'logical server most favoured backlog (0 after every pull)' },
      { name: 'ack', lo: 24, width: 8, summary: 'hex2', meaning: 'ACK# counter (0xff after every pull)' },
      { name: 'inc', lo: 16, width: 8, summary: 'hex2', meaning: 'increment (INC) byte', readOnly: true },
      { name: 'age', lo: 8, width: 8, summary: 'hex2', meaning: 'AGE byte (not accessible from the OS page)', readOnly: true },
      { name: 'pipr', lo: 0, width: 8, summary: 'hex2', meaning: 'pending interrupt priority register: most favoured IPB bit',
        values: BYTE_PRIO, readOnly: true },
    ],
  },
  'xive-eq-entry': {
    name: 'xive-eq-entry',
    width: 32,
    title: 'XIVE event queue entry (32-bit, big-endian in guest memory)',
    where: 'guest memory at qaddr + 4 * index',
    section: '§3.10',
    ibmView: true,
    fields: [
      { name: 'generation', lo: 31, width: 1, short: 'gen', summary: 'dec', meaning: 'generation (toggle) bit; flips each time the queue wraps' },
      { name: 'eisn', lo: 0, width: 31, summary: 'hex', meaning: 'EISN of the source that fired' },
    ],
  },
};

export function isLayoutName(s: string): s is LayoutName {
  return (LAYOUT_NAMES as readonly string[]).includes(s);
}

export function fieldOf(layout: LayoutName, name: string): FieldDef | undefined {
  return LAYOUTS[layout].fields.find((f) => f.name === name);
}
