/**
 * One QEMU log-backend line → a trace event, read straight from the bytes.
 * Accepts `TID@EPOCH:event args` and the bare `event args` (no
 * `-msg timestamp=on`). Arguments are `key=value` pairs whatever their order
 * or spelling across QEMU versions (src/trace/arg-keys.ts), plus the positional
 * forms some events print (`@0x20011`, `@0x0<=0x1302`, `IRQ 0x1`); the XICS
 * events' fixed sentences are read from `raw` by the XICS translator.
 *
 * Why bytes: a trace has millions of lines and most of them become a model
 * operation, so a line is classified and its arguments read in one pass over
 * the chunk it arrived in, into one reused event (typed arrays indexed by
 * argument key): no string, map or object per line on the replay's path.
 */
import { ARG_COUNT, ARG_OF_NAME, ArgKey, keyOfName, ARG } from './arg-keys';
import { bigIntOf } from './bigint-of';
import { findByte, sameBytes } from './byte-words';
import { ArgumentLayout, ArgumentLayouts, LayoutObserver, MAX_LAYOUT_VALUES } from './argument-layouts';
import { latin1, latin1Bytes } from './bytes-text';
import {
  familyOf, kindOfName, LINE_EVENT, LINE_FOREIGN, LINE_NOISE, LineKind, nameFamily, nameHash, nameKind, nameText, remember, slotOf,
} from './event-names';

export { latin1, latin1Bytes } from './bytes-text';
export {
  canonicalEventName, FAMILY_OTHER, FAMILY_SPAPR_PCI, FAMILY_SPAPR_XIVE, FAMILY_XICS, FAMILY_XIVE, FOREIGN_EVENT_PREFIXES,
  KNOWN_EVENT_PREFIXES, knowEventNames, LINE_EVENT, LINE_FOREIGN, LINE_NOISE, slotReadsArguments,
} from './event-names';
export type { LineKind } from './event-names';

export interface TraceEvent {
  readonly tid: number;
  /** Seconds since the epoch as printed (−1 without the prefix). */
  readonly epoch: number;
  readonly name: string;
  /** The name's family by prefix (FAMILY_XIVE, FAMILY_XICS, …). */
  readonly family: number;
  /** Lower-cased argument names → raw text values (every form, parsed on first use). */
  readonly args: ReadonlyMap<string, string>;
  /** The whole line as text. */
  readonly raw: string;
  /** One argument as a number; null when absent or malformed (`0x12zz`, `-1`). */
  num(key: ArgKey): number | null;
  /** One argument as a 64-bit value (exact beyond 2^53); null when absent or malformed. */
  big(key: ArgKey): bigint | null;
  /** One argument's text by its normalised name (as in `args`). */
  arg(name: string): string | undefined;
}

export type ParsedLine =
  | { readonly kind: 'event'; readonly event: TraceEvent }
  | { readonly kind: 'noise' }
  | { readonly kind: 'foreign'; readonly name: string };

const KV = /([A-Za-z_][A-Za-z0-9_]*)=(-?(?:0x[0-9a-fA-F]+|\d+))/g;

const RENAMES: Readonly<Record<string, string>> = { ibp: 'ipb' };

/** The arguments of an event's text: key=value pairs and every known positional form. */
export function parseArgs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  KV.lastIndex = 0;
  for (let m = KV.exec(text); m; m = KV.exec(text)) {
    const k = m[1]!.toLowerCase();
    out.set(RENAMES[k] ?? k, m[2]!);
  }
  if (text.includes('@')) {
    const at = /@(0x[0-9a-fA-F]+)(?:<=(0x[0-9a-fA-F]+))?/.exec(text);
    if (at) {
      out.set('addr', at[1]!);
      if (at[2] !== undefined) out.set('data', at[2]);
    }
  }
  if (text.includes('IRQ ')) {
    const irq = /\bIRQ (0x[0-9a-fA-F]+|\d+)/.exec(text);
    if (irq) out.set('irq', irq[1]!);
  }
  if (text.includes('XIRR ')) {
    const xirr = /XIRR (0x[0-9a-fA-F]+)->(0x[0-9a-fA-F]+)/.exec(text);
    if (xirr) { out.set('old_xirr', xirr[1]!); out.set('new_xirr', xirr[2]!); }
    const given = /given XIRR (0x[0-9a-fA-F]+) new XIRR (0x[0-9a-fA-F]+)/.exec(text);
    if (given) { out.set('given_xirr', given[1]!); out.set('new_xirr', given[2]!); }
  }
  if (text.includes('CPU ') || text.includes('server ')) {
    const cpu = /\b(?:CPU|server) (\d+)/.exec(text);
    if (cpu) out.set('server', cpu[1]!);
  }
  if (text.includes('NVT ')) {
    const nvt = /NVT (0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)/.exec(text);
    if (nvt) { out.set('nvt_blk', nvt[1]!); out.set('nvt_idx', nvt[2]!); }
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Byte classes, one table load per byte on the hot paths. */
const NAME_START = 1;
const NAME_CHAR = 2;
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, c) => {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return (letter ? NAME_START | NAME_CHAR : 0) | (isDigit(c) ? NAME_CHAR : 0);
});
/** A hex digit's value, or 255 (also the compiled line reader's table). */
export const HEX_VALUE = Uint8Array.from({ length: 256 }, (_, c) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : 255);

function isNameChar(c: number): boolean {
  return (BYTE_CLASS[c]! & NAME_CHAR) !== 0;
}

/** Hex digits beyond which a double is no longer exact (2^52 has 14); decimal likewise. */
const EXACT_HEX_DIGITS = 13;
const EXACT_DECIMAL_DIGITS = 15;

/**
 * The event of the line being read. The replay reuses one for every line (it
 * is valid until the next `scanTraceLine` into it); `parseTraceLine` makes a
 * new one per call.
 */
export class ScannedEvent implements TraceEvent {
  tid = 0;
  name = '';
  /** The event's family by prefix (FAMILY_*): the translator's first dispatch. */
  family = 0;
  /** The name's slot in this thread's name table (−1 when the table is full). */
  nameSlot = -1;
  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private epochStart = -1;
  private epochEnd = -1;
  private argsStart = 0;
  private scanned = false;
  private text: string | null = null;
  private parsed: Map<string, string> | null = null;
  /** The keys this line has (bit per key; ARG_COUNT < 32), and those whose value a double cannot hold exactly. */
  private foundMask = 0;
  private inexactMask = 0;
  /** Per key: its value (NaN: malformed) and where its text starts; valid for keys in foundMask. */
  private readonly valueOf = new Float64Array(ARG_COUNT);
  private readonly valueStart = new Int32Array(ARG_COUNT);
  /** Where a scan for the event itself (not into a batch) writes the arguments in line order. */
  private readonly lineKeys = new Uint8Array(ARG_COUNT);
  private readonly lineValues = new Float64Array(ARG_COUNT);
  /** Each name's argument layout, and the general scan's notes to learn one. */
  private readonly layouts: ArgumentLayouts;
  private readonly learnFrom = new Int32Array(MAX_LAYOUT_VALUES);
  private readonly learnTo = new Int32Array(MAX_LAYOUT_VALUES);
  private readonly learnKey = new Int32Array(MAX_LAYOUT_VALUES);

  /** `onLayout`: told each time a name's layout is learnt or forgotten (the compiled line reader mirrors them). */
  constructor(onLayout?: LayoutObserver) {
    this.layouts = new ArgumentLayouts(onLayout);
  }

  /** Points the event at a line (called by `scanTraceLine`). */
  reset(bytes: Uint8Array, start: number, end: number, tid: number, epochStart: number, epochEnd: number, name: string, family: number, nameSlot: number, argsStart: number): void {
    this.nameSlot = nameSlot;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.tid = tid;
    this.epochStart = epochStart;
    this.epochEnd = epochEnd;
    this.name = name;
    this.family = family;
    this.argsStart = argsStart;
    this.scanned = false;
    this.text = null;
    this.parsed = null;
  }

  get epoch(): number {
    if (this.epochStart < 0) return -1;
    return stampValue(this.bytes, this.epochStart, this.epochEnd);
  }

  get raw(): string {
    return (this.text ??= latin1(this.bytes, this.start, this.end));
  }

  get args(): ReadonlyMap<string, string> {
    return (this.parsed ??= parseArgs(latin1(this.bytes, this.argsStart, this.end)));
  }

  num(key: ArgKey): number | null {
    if (!this.scanned) this.scanOwnArguments();
    if ((this.foundMask & (1 << key)) === 0) return null;
    const v = this.valueOf[key]!;
    return v === v ? v : null;
  }

  big(key: ArgKey): bigint | null {
    const v = this.num(key);
    if (v === null) return null;
    if ((this.inexactMask & (1 << key)) === 0) return bigIntOf(v);
    try {
      return BigInt.asUintN(64, BigInt(this.valueText(key)));
    } catch {
      return null;
    }
  }

  arg(name: string): string | undefined {
    const key = ARG_OF_NAME.get(name);
    if (key === undefined) return this.args.get(name);
    if (!this.scanned) this.scanOwnArguments();
    if ((this.foundMask & (1 << key)) === 0) return undefined;
    return this.valueText(key);
  }

  /** A found key's value as written (its digits read again: only the rare text reads need where they end). */
  private valueText(key: ArgKey): string {
    const from = this.valueStart[key]!;
    return latin1(this.bytes, from, readValue(this.bytes, from, this.end));
  }

  private scanOwnArguments(): void {
    this.scanned = true;
    this.scanArgumentsInto(this.lineKeys, this.lineValues, 0);
  }

  /**
   * Every key found, in line order, written at `at` of `keys` and `values`
   * (NaN: present but malformed); returns how many (at most ARG_COUNT: a key's
   * first value only). `allExact` is then whether every value is exact as a double.
   * A batch writer passes its own columns: nothing is copied per line.
   */
  exportArguments(keys: Uint8Array, values: Float64Array, at: number): number {
    return this.scanArgumentsInto(keys, values, at);
  }

  /** After a scan: whether every value was exact as a double. */
  get allExact(): boolean {
    return this.inexactMask === 0;
  }

  /**
   * The line's arguments (every known key's first value, NaN when malformed)
   * into `keys`/`values` at `at` and this event's per-key slots: by its
   * name's layout when the line keeps it, else by the general scan.
   */
  private scanArgumentsInto(keys: Uint8Array, values: Float64Array, at: number): number {
    const slot = this.nameSlot;
    if (slot >= 0) {
      const layout = this.layouts.get(slot);
      if (layout !== undefined) {
        const n = this.readByLayout(layout, keys, values, at);
        if (n >= 0) return n;
      }
    }
    return this.scanGeneral(keys, values, at, slot);
  }

  /**
   * The line read with its name's layout (argument-layouts.ts): literals
   * compared byte for byte, values read between them. −1 as soon as the line
   * differs from the layout (then the general scan reads it).
   */
  private readByLayout(l: ArgumentLayout, keys: Uint8Array, values: Float64Array, at: number): number {
    const b = this.bytes;
    const end = this.end;
    const literal = l.bytes;
    const valueOf = this.valueOf;
    const valueStart = this.valueStart;
    const literalLength = l.literalLength;
    const keyOf = l.key;
    const n = l.values;
    let found = 0;
    let inexact = 0;
    let count = 0;
    let i = this.argsStart;
    let p = 0;
    for (let k = 0; k < n; k++) {
      const length = literalLength[k]!;
      if (i + length >= end) return -1;
      if (!sameBytes(b, i, literal, l.view, p, length)) return -1;
      i += length;
      p += length;
      const from = i;
      i = readValue(b, i, end);
      const after = i < end ? b[i]! : 32;
      if (parsedDigits === 0 || (after !== 32 && after !== 44 && after !== 60)) return -1;
      const key = keyOf[k]!;
      if (key >= 0 && (found & (1 << key)) === 0) {
        found |= 1 << key;
        keys[at + count] = key;
        values[at + count] = parsedValue;
        count++;
        valueOf[key] = parsedValue;
        valueStart[key] = from;
        if (parsedInexact()) inexact |= 1 << key;
      }
    }
    const tail = l.tail;
    if (end - i !== tail) return -1;
    if (!sameBytes(b, i, literal, l.view, p, tail)) return -1;
    this.foundMask = found;
    this.inexactMask = inexact;
    return count;
  }

  /**
   * The general scan, the definition of what a line's arguments are: every
   * known key's first value, as a number (NaN when malformed). One loop with
   * the value parsing inline: it runs for every line no layout reads. A line
   * read cleanly (every value well formed) becomes its name's layout.
   */
  private scanGeneral(keys: Uint8Array, values: Float64Array, at: number, slot: number): number {
    const b = this.bytes;
    const end = this.end;
    const valueOf = this.valueOf;
    const valueStart = this.valueStart;
    let found = 0;
    let inexact = 0;
    const learnFrom = this.learnFrom;
    const learnTo = this.learnTo;
    const learnKey = this.learnKey;
    let learnt = 0;
    let learnable = slot >= 0;
    let count = 0;
    let i = this.argsStart;
    /** The key of the value at i: −2 none (look for one), −1 a value to skip. */
    let key = -2;
    while (i < end) {
      if (key === -2) {
        const c = b[i]!;
        if ((BYTE_CLASS[c]! & NAME_START) !== 0) {
          const word = i;
          do i++; while (i < end && (BYTE_CLASS[b[i]!]! & NAME_CHAR) !== 0);
          if (i >= end) break;
          const next = b[i]!;
          if (next === 61 /* = */) key = keyOfName(b, word, i);
          else if (next === 32 && i - word === 3 && b[word] === 73 && b[word + 1] === 82 && b[word + 2] === 81) key = ARG.irq; // `IRQ n`
          else continue;
        } else if (c === 64 /* @ */ && i + 2 < end && b[i + 1] === 48 && b[i + 2] === 120) {
          key = ARG.addr;
        } else {
          i++;
          continue;
        }
        i++;
      }
      // The value at i: 0x hex or decimal, ending at a separator (space, comma, `<`), else malformed.
      const from = i;
      i = readValue(b, i, end);
      const after = i < end ? b[i]! : 32;
      const ok = parsedDigits > 0 && (after === 32 || after === 44 || after === 60);
      if (key >= 0 && (found & (1 << key)) === 0) {
        found |= 1 << key;
        keys[at + count] = key;
        values[at + count] = valueOf[key] = ok ? parsedValue : NaN;
        count++;
        valueStart[key] = from;
        if (parsedInexact()) inexact |= 1 << key;
      }
      if (learnable) {
        if (!ok || learnt === MAX_LAYOUT_VALUES) learnable = false;
        else { learnFrom[learnt] = from; learnTo[learnt] = i; learnKey[learnt] = key; learnt++; }
      }
      if (!ok) {
        while (i < end && b[i] !== 32) i++;
        key = -2;
      } else if (key === ARG.addr && after === 60 && i + 1 < end && b[i + 1] === 61) {
        i += 2; // `@0x…<=0x…`: the data after the address
        key = ARG.data;
      } else {
        key = -2;
      }
    }
    if (learnable) this.layouts.learn(slot, b, this.argsStart, end, learnt, learnFrom, learnTo, learnKey);
    this.foundMask = found;
    this.inexactMask = inexact;
    return count;
  }
}

/** What `readValue` read: the value, its digit count, whether it was 0x hex. */
let parsedValue = 0;
let parsedDigits = 0;
let parsedHex = false;

/** Whether the value `readValue` read has more digits than a double holds exactly. */
function parsedInexact(): boolean {
  return parsedDigits > (parsedHex ? EXACT_HEX_DIGITS : EXACT_DECIMAL_DIGITS);
}

/** The value at bytes[i]: `0x` hex or decimal digits (possibly none); returns where they end. */
function readValue(b: Uint8Array, i: number, end: number): number {
  let v = 0;
  let digits = 0;
  const hex = i + 1 < end && b[i] === 48 && b[i + 1] === 120;
  if (hex) {
    for (i += 2; i < end; i++, digits++) {
      const d = HEX_VALUE[b[i]!]!;
      if (d === 255) break;
      v = v * 16 + d;
    }
  } else {
    for (; i < end; i++, digits++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
  }
  parsedValue = v;
  parsedDigits = digits;
  parsedHex = hex;
  return i;
}

/** The name of the last foreign line `scanTraceLine` classified. */
let lastForeignName = '';
export function foreignName(): string {
  return lastForeignName;
}

/**
 * Classify bytes[start, end) (one line without its newline) and, for an
 * event, point `ev` at it. `noise` is anything that is not an
 * interrupt-controller trace event (`-d int` lines, console output, other
 * subsystems' events); `foreign` an event of another machine.
 */
export function scanTraceLine(bytes: Uint8Array, start: number, end: number, ev: ScannedEvent): LineKind {
  let i = start;
  let tid = 0;
  let epochStart = -1;
  let epochEnd = -1;
  // Optional `TID@EPOCH:` prefix. Searched here, not with indexOf: on a Node
  // Buffer that is a call into C++ per search, dearer than the ~20 bytes it scans.
  let c = i < end ? bytes[i]! : 0;
  while (c >= 48 && c <= 57 && i - start < 10) { tid = tid * 10 + (c - 48); i++; c = i < end ? bytes[i]! : 0; }
  if (i > start && c === 64 /* @ */) {
    const from = i + 1;
    if (from >= end || !isDigit(bytes[from]!)) return LINE_NOISE;
    const limit = Math.min(end, i + 33);
    const colon = findByte(bytes, from + 1, limit, 58 /* : */);
    if (colon >= limit) return LINE_NOISE;
    epochStart = from;
    epochEnd = colon;
    i = colon + 1;
  } else {
    i = start;
    tid = 0;
  }
  const nameStart = i;
  // Fast refusal: every known or foreign event starts with 's', 'x' or 'p'.
  const first = i < end ? bytes[i]! : 0;
  if (first !== 115 && first !== 120 && first !== 112) return LINE_NOISE;
  // A name ends at the first space or the end of the line.
  const nameEnd = findByte(bytes, nameStart + 1, end, 32);
  let slot = slotOf(bytes, nameStart, nameEnd, nameHash(bytes, nameStart, nameEnd));
  let name: string;
  let kind: LineKind;
  let family: number;
  if (slot >= 0) {
    name = nameText[slot]!;
    kind = nameKind[slot] as LineKind;
    family = nameFamily[slot]!;
  } else {
    // Not seen before: a name is name characters up to the space or the end.
    while (i < nameEnd && isNameChar(bytes[i]!)) i++;
    if (i < nameEnd) return LINE_NOISE;
    name = latin1(bytes, nameStart, nameEnd);
    kind = kindOfName(name);
    family = familyOf(name);
    slot = remember(name, kind, bytes, nameStart, nameEnd, nameHash(bytes, nameStart, nameEnd));
  }
  i = nameEnd;
  if (kind === LINE_FOREIGN) { lastForeignName = name; return LINE_FOREIGN; }
  if (kind === LINE_NOISE) return LINE_NOISE;
  ev.reset(bytes, start, end, tid, epochStart, epochEnd, name, family, slot, i < end ? i + 1 : end);
  return LINE_EVENT;
}

/** The `EPOCH` of a `TID@EPOCH:` prefix at bytes[start, end), or NaN without one. */
export function stampOf(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && i - start < 10 && isDigit(bytes[i]!)) i++;
  if (i === start || i >= end || bytes[i] !== 64) return NaN;
  const from = i + 1;
  let colon = from;
  const limit = Math.min(end, from + 32);
  while (colon < limit && bytes[colon] !== 58) colon++;
  if (colon >= limit || colon === from) return NaN;
  return stampValue(bytes, from, colon);
}

/** `SECONDS[.FRACTION]` → number; NaN when it is anything else. */
function stampValue(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && isDigit(bytes[i]!)) i++;
  if (i === start) return NaN;
  if (i < end) {
    if (bytes[i] !== 46 /* . */) return NaN;
    i++;
    const frac = i;
    while (i < end && isDigit(bytes[i]!)) i++;
    if (i === frac || i < end) return NaN;
  }
  return Number(latin1(bytes, start, end));
}

/**
 * Lines given as text (the debugger's index) read into one reused event
 * through one reused byte buffer: the event is valid until the next `scan`.
 */
export class TextLineScanner {
  readonly event = new ScannedEvent();
  private scratch = new Uint8Array(256);

  scan(text: string): LineKind {
    const n = text.length;
    if (n > this.scratch.length) this.scratch = new Uint8Array(Math.max(n, this.scratch.length * 2));
    const b = this.scratch;
    for (let i = 0; i < n; i++) b[i] = text.charCodeAt(i) & 0xff;
    return scanTraceLine(b, 0, n, this.event);
  }
}

/** Classify one line of text (tests, callers that keep the event): the same reader as the byte path. */
export function parseTraceLine(text: string): ParsedLine {
  const bytes = latin1Bytes(text);
  const ev = new ScannedEvent();
  const kind = scanTraceLine(bytes, 0, bytes.length, ev);
  if (kind === LINE_EVENT) return { kind: 'event', event: ev };
  if (kind === LINE_FOREIGN) return { kind: 'foreign', name: lastForeignName };
  return NOISE;
}

const NOISE: ParsedLine = { kind: 'noise' };
