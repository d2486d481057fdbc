/**
 * Decode and encode words through the layout table. Words cross the API as
 * bigint (64-bit attribute values); fields are at most 32 bits wide, so each is
 * extracted from one 32-bit half with plain number arithmetic, which the
 * benchmark (`layout-decode`) shows is several times faster than bigint shifts.
 */
import { FieldDef, LayoutName, LAYOUTS } from './table';

export interface DecodedField {
  readonly field: FieldDef;
  readonly value: number;
}

export interface DecodedWord {
  readonly layout: LayoutName;
  readonly word: bigint;
  readonly fields: readonly DecodedField[];
  /** Value of bits the layout ignores (non-zero deserves a warning). */
  readonly ignoredBits: bigint;
}

const MASK64 = (1n << 64n) - 1n;

export function fieldMask(width: number): number {
  return width >= 32 ? 0xffffffff : (1 << width) - 1;
}

/** Extracts a field (≤ 32 bits) from a word given as two 32-bit halves. */
export function extractField(hi: number, lo: number, f: FieldDef): number {
  const mask = fieldMask(f.width);
  if (f.lo >= 32) return ((hi >>> (f.lo - 32)) & mask) >>> 0;
  if (f.lo + f.width <= 32) return ((lo >>> f.lo) & mask) >>> 0;
  // Spans both halves.
  const lowBits = 32 - f.lo;
  return (((lo >>> f.lo) | (hi << lowBits)) & mask) >>> 0;
}

export function splitWord(word: bigint): { hi: number; lo: number } {
  const w = word & MASK64;
  return { hi: Number(w >> 32n), lo: Number(w & 0xffffffffn) };
}

export function decodeWord(layout: LayoutName, word: bigint): DecodedWord {
  const def = LAYOUTS[layout];
  const w = def.width === 32 ? word & 0xffffffffn : word & MASK64;
  const { hi, lo } = splitWord(w);
  const fields = def.fields.map((field) => ({ field, value: extractField(hi, lo, field) }));
  let ignoredBits = 0n;
  if (def.ignored) {
    const m = ((1n << BigInt(def.ignored.width)) - 1n) << BigInt(def.ignored.lo);
    ignoredBits = w & m;
  }
  return { layout, word: w, fields, ignoredBits };
}

/** Field values by name, 1-bit flags as 0/1. */
export function decodeToRecord(layout: LayoutName, word: bigint): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of decodeWord(layout, word).fields) out[d.field.name] = d.value;
  return out;
}

export type EncodeError =
  | { readonly kind: 'unknown-field'; readonly field: string; readonly known: readonly string[] }
  | { readonly kind: 'too-wide'; readonly field: string; readonly width: number; readonly value: bigint };

export type EncodeResult = { readonly ok: true; readonly word: bigint } | { readonly ok: false; readonly error: EncodeError };

/** Message for an encode error, naming the field and its width. */
export function describeEncodeError(layout: LayoutName, e: EncodeError): string {
  if (e.kind === 'unknown-field') {
    return `'${e.field}' is not a field of ${layout} (fields: ${e.known.join(', ')})`;
  }
  const max = (1n << BigInt(e.width)) - 1n;
  return `${e.field} = 0x${e.value.toString(16)} does not fit its ${e.width} bit${e.width === 1 ? '' : 's'} in ${layout} (max 0x${max.toString(16)})`;
}

/**
 * Encodes named fields into a word (unnamed fields are 0). Values wider than
 * their field are an error, never silently truncated.
 */
export function encodeWord(layout: LayoutName, values: Readonly<Record<string, bigint | number>>, base = 0n): EncodeResult {
  const def = LAYOUTS[layout];
  let word = base;
  for (const [name, raw] of Object.entries(values)) {
    const f = def.fields.find((x) => x.name === name);
    if (!f) return { ok: false, error: { kind: 'unknown-field', field: name, known: def.fields.map((x) => x.name) } };
    const v = BigInt(raw);
    const max = (1n << BigInt(f.width)) - 1n;
    if (v < 0n || v > max) return { ok: false, error: { kind: 'too-wide', field: name, width: f.width, value: v } };
    const shift = BigInt(f.lo);
    word = (word & ~(max << shift)) | (v << shift);
  }
  const widthMask = def.width === 32 ? 0xffffffffn : MASK64;
  return { ok: true, word: word & widthMask };
}

/** The kernel's rules across fields that this word breaks (the layout's `consistency`), as reasons. */
export function consistencyProblemsOf(decoded: DecodedWord): readonly string[] {
  const rule = LAYOUTS[decoded.layout].consistency;
  if (!rule) return [];
  const f: Record<string, number> = {};
  for (const d of decoded.fields) f[d.field.name] = d.value;
  return rule(f);
}

/** The kernel's rejections that apply to a decoded word (e.g. priority 7). */
export function rejectionsOf(decoded: DecodedWord): { field: FieldDef; value: number; reason: string }[] {
  const out: { field: FieldDef; value: number; reason: string }[] = [];
  for (const d of decoded.fields) {
    for (const r of d.field.rejects ?? []) if (r.value === d.value) out.push({ field: d.field, value: d.value, reason: r.reason });
  }
  return out;
}
