/**
 * The event names a trace reader recognises, in one table: each name seen is
 * matched in place from a line's bytes and one shared string reused (the
 * names the translator handles are seeded from its literals, so its
 * comparisons are pointer compares). Per name: whether it is an
 * interrupt-controller event, another machine's (foreign) or noise, its
 * family by prefix, and whether the translator reads its arguments.
 * Bounded: a trace of made-up names stops being remembered.
 */
import { latin1Bytes } from './bytes-text';
import { sameBytes } from './byte-words';

/** The interrupt-controller events this reader knows (sPAPR XIVE, XICS, sPAPR PCI). */
export const KNOWN_EVENT_PREFIXES = ['spapr_xive_', 'xive_', 'xics_', 'spapr_pci_'] as const;

/** Events of other machines: a PowerNV / XIVE2 trace is refused, naming them. */
export const FOREIGN_EVENT_PREFIXES = ['pnv_xive', 'xive2_', 'pnv_'] as const;

/** What `scanTraceLine` found on a line. */
export const LINE_NOISE = 0;
export const LINE_EVENT = 1;
export const LINE_FOREIGN = 2;
export type LineKind = typeof LINE_NOISE | typeof LINE_EVENT | typeof LINE_FOREIGN;

/** Families of event names (by prefix). */
export const FAMILY_OTHER = 0;
export const FAMILY_XIVE = 1;
export const FAMILY_SPAPR_XIVE = 2;
export const FAMILY_XICS = 3;
export const FAMILY_SPAPR_PCI = 4;

export function familyOf(name: string): number {
  if (name.startsWith('spapr_xive_')) return FAMILY_SPAPR_XIVE;
  if (name.startsWith('xive_')) return FAMILY_XIVE;
  if (name.startsWith('xics_')) return FAMILY_XICS;
  if (name.startsWith('spapr_pci_')) return FAMILY_SPAPR_PCI;
  return FAMILY_OTHER;
}

function interesting(name: string): boolean {
  for (const p of KNOWN_EVENT_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

function foreign(name: string): boolean {
  for (const p of FOREIGN_EVENT_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

/**
 * Event names seen, by a hash of their bytes: a line's name is matched in
 * place and one shared string reused (the names the translator handles are
 * seeded from its literals, so its comparisons are pointer compares).
 * Bounded: a trace of made-up names stops being remembered.
 */
const NAME_TABLE_BITS = 10;
/** Slots of the name table: a slot number is below this. */
export const NAME_TABLE_SIZE = 1 << NAME_TABLE_BITS;
const NAME_TABLE_MASK = (1 << NAME_TABLE_BITS) - 1;
const MAX_REMEMBERED_NAMES = 256;
/**
 * The names' bytes, one after the other in one pool (each slot's offset and
 * length; length 0: free): every lookup compares against one typed array.
 */
const MAX_NAME_BYTES = 128;
const namePool = new Uint8Array(MAX_REMEMBERED_NAMES * MAX_NAME_BYTES);
const namePoolView = new DataView(namePool.buffer);
let namePoolUsed = 0;
const nameOffset = new Int32Array(1 << NAME_TABLE_BITS);
const nameLength = new Int32Array(1 << NAME_TABLE_BITS);
export const nameText: string[] = new Array<string>(1 << NAME_TABLE_BITS).fill('');
/** LINE_EVENT, LINE_FOREIGN or LINE_NOISE for a name of another subsystem. */
export const nameKind = new Int8Array(1 << NAME_TABLE_BITS);
export const nameFamily = new Int8Array(1 << NAME_TABLE_BITS);
/** Whether a translator reads the name's `key=value` arguments (events it only counts do not). */
const nameReadsArguments = new Uint8Array(1 << NAME_TABLE_BITS).fill(1);
/** The seeded (literal, internalised) spelling of each known name. */
const canonicalNames = new Map<string, string>();
let rememberedNames = 0;

/**
 * A name's table hash from its length and three of its bytes (the last two
 * and the middle one, where names of one family differ): cheap per line; the
 * table compares the whole name anyway.
 */
export function nameHash(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return 0;
  return Math.imul(n, 0x9e3779b1) ^ (bytes[end - 1]! << 16) ^ (bytes[end - (n > 1 ? 2 : 1)]! << 8) ^ bytes[start + (n >> 1)]!;
}

export function slotOf(bytes: Uint8Array, start: number, end: number, h: number): number {
  const n = end - start;
  for (let slot = h & NAME_TABLE_MASK; ; slot = (slot + 1) & NAME_TABLE_MASK) {
    const length = nameLength[slot]!;
    if (length === 0) return -1 - slot;
    if (length === n) {
      if (sameBytes(bytes, start, namePool, namePoolView, nameOffset[slot]!, n)) return slot;
    }
  }
}

export function remember(name: string, kind: LineKind, bytes: Uint8Array, start: number, end: number, h: number): number {
  const n = end - start;
  if (rememberedNames >= MAX_REMEMBERED_NAMES || n === 0 || n > MAX_NAME_BYTES) return -1;
  const found = slotOf(bytes, start, end, h);
  if (found >= 0) return found;
  const slot = -1 - found;
  rememberedNames++;
  // Copied into the pool: the line's chunk is not kept alive.
  namePool.set(bytes.subarray(start, end), namePoolUsed);
  nameOffset[slot] = namePoolUsed;
  nameLength[slot] = n;
  namePoolUsed += n;
  nameText[slot] = name;
  nameKind[slot] = kind;
  nameFamily[slot] = familyOf(name);
  return slot;
}

/**
 * Seeds the name table with the names a translator handles (string
 * literals: internalised). `readsArguments` false: it never reads their
 * `key=value` arguments (a reader handing events to another thread skips them).
 */
export function knowEventNames(names: Iterable<string>, readsArguments = true): void {
  for (const name of names) {
    const bytes = latin1Bytes(name);
    const slot = remember(name, kindOfName(name), bytes, 0, bytes.length, nameHash(bytes, 0, bytes.length));
    if (slot >= 0) nameReadsArguments[slot] = readsArguments ? 1 : 0;
    canonicalNames.set(name, name);
  }
}

/** The seeded spelling of a known event name (pointer-equal to the translator's literals), else the name. */
export function canonicalEventName(name: string): string {
  return canonicalNames.get(name) ?? name;
}

/** Whether the translator reads the arguments of the event in name-table slot `slot` (−1: unknown, no). */
export function slotReadsArguments(slot: number): boolean {
  return slot >= 0 && nameReadsArguments[slot] === 1;
}


/** What an unknown name is: an interrupt-controller event, another machine's, or noise. */
export function kindOfName(name: string): LineKind {
  return interesting(name) ? LINE_EVENT : foreign(name) ? LINE_FOREIGN : LINE_NOISE;
}
