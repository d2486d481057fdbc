/**
 * The argument names the translator reads, each a small integer so a line's
 * values live in typed arrays indexed by it (no Map, no string per argument).
 * A name is matched case-insensitively as QEMU prints it in any version:
 * 7.2's `IBP=` and current `IPB=` are both `ipb`; `new CPPR=` is `cppr`;
 * `@0x…` is `addr` and its `<=0x…` is `data`; `IRQ n` is `irq`.
 */
export const ARG = {
  lisn: 0, lsi: 1, val: 2, sz: 3, target: 4, ring: 5, ipb: 6, pipr: 7, cppr: 8, nsr: 9,
  flags: 10, priority: 11, eisn: 12, qpage: 13, qsize: 14, offset: 15, data: 16, addr: 17, irq: 18, line: 19,
} as const;

export type ArgKey = (typeof ARG)[keyof typeof ARG];
export type ArgName = keyof typeof ARG;

/** Fewer than 32: a line's keys are one bit each in an int (events.ts). */
export const ARG_COUNT = 20;

/** Spellings (lower case) of each key in `key=value` form; `addr` and `irq` are positional only. */
const KEY_SPELLINGS: readonly (readonly [string, ArgKey])[] = [
  ...Object.entries(ARG).filter(([n]) => n !== 'addr' && n !== 'irq').map(([n, k]) => [n, k] as const),
  ['ibp', ARG.ipb],
];

/** The key of a name given as text (tests, generic lookups); undefined when it is not a hot key. */
export const ARG_OF_NAME: ReadonlyMap<string, ArgKey> = new Map(Object.entries(ARG) as [string, ArgKey][]);

/**
 * `key=` names → key, looked up from bytes by length and first letter (a
 * table load), then compared whole: no hashing per byte.
 */
const MAX_KEY_LENGTH = 15;
const candidates: (readonly { spelling: Uint8Array; key: ArgKey }[] | undefined)[] = [];

function slotOfWord(length: number, firstLower: number): number {
  return length * 128 + (firstLower & 127);
}

for (const [spelling, key] of KEY_SPELLINGS) {
  const slot = slotOfWord(spelling.length, spelling.charCodeAt(0));
  candidates[slot] = [...(candidates[slot] ?? []), { spelling: Uint8Array.from(spelling, (c) => c.charCodeAt(0)), key }];
}

/** Each byte lower-cased (ASCII letters; others as they are): a table load, not branches, per byte. */
export const LOWER = Uint8Array.from({ length: 256 }, (_, c) => (c >= 65 && c <= 90 ? c | 0x20 : c));

/** The key named by bytes[start, end) (any case), or −1. */
export function keyOfName(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length > MAX_KEY_LENGTH) return -1;
  const list = candidates[slotOfWord(length, LOWER[bytes[start]!]!)];
  if (list === undefined) return -1;
  for (let k = 0; k < list.length; k++) {
    const spelling = list[k]!.spelling;
    let j = 1;
    while (j < length && LOWER[bytes[start + j]!] === spelling[j]) j++;
    if (j === length) return list[k]!.key;
  }
  return -1;
}
