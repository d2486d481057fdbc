/**
 * One QEMU log-backend line → a trace event. Accepts `TID@EPOCH:event args`
 * and the bare `event args` (no `-msg timestamp=on`). Arguments are read as
 * `key=value` pairs whatever their order or spelling across QEMU versions
 * (7.2's `IBP=` and current `IPB=` both give `ipb`; `new CPPR=` gives `cppr`),
 * plus the positional bits some events print (`@0x20011`, `IRQ 0x1`,
 * `@0x0<=0x1302`, `XIRR 0xff000002->0x4000000`, `CPU 1`, `server 0`).
 */

/** The interrupt-controller events this reader knows (sPAPR XIVE, XICS, sPAPR PCI). */
export const KNOWN_EVENT_PREFIXES = ['spapr_xive_', 'xive_', 'xics_', 'spapr_pci_'] as const;

/** Events of other machines: a PowerNV / XIVE2 trace is refused, naming them. */
export const FOREIGN_EVENT_PREFIXES = ['pnv_xive', 'xive2_', 'pnv_'] as const;

export interface TraceEvent {
  readonly tid: number;
  /** Seconds since the epoch as printed (−1 without the prefix). */
  readonly epoch: number;
  readonly name: string;
  /** Lower-cased argument names → raw text values. */
  readonly args: ReadonlyMap<string, string>;
  readonly raw: string;
  /** One numeric argument (null when absent or malformed), parsed without allocating. */
  num(key: string): number | null;
  /** One argument's text by its normalised name (as in `args`), found without parsing the rest. */
  arg(key: string): string | undefined;
}

export type ParsedLine =
  | { readonly kind: 'event'; readonly event: TraceEvent }
  | { readonly kind: 'noise' }
  | { readonly kind: 'foreign'; readonly name: string };

const KV = /([A-Za-z_][A-Za-z0-9_]*)=(-?(?:0x[0-9a-fA-F]+|\d+))/g;

function interesting(name: string): boolean {
  for (const p of KNOWN_EVENT_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

function foreign(name: string): boolean {
  for (const p of FOREIGN_EVENT_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

const RENAMES: Readonly<Record<string, string>> = { ibp: 'ipb' };

/** The arguments of an event: key=value pairs and the known positional forms. */
export function parseArgs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  KV.lastIndex = 0;
  for (let m = KV.exec(text); m; m = KV.exec(text)) {
    const k = m[1]!.toLowerCase();
    out.set(RENAMES[k] ?? k, m[2]!);
  }
  // The positional forms, each tried only when its marker is present (the hot path skips them).
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

/** An event whose arguments are parsed on first use (most lines need only a few, some none). */
class LazyEvent implements TraceEvent {
  private parsed: Map<string, string> | null = null;
  constructor(readonly tid: number, private readonly epochEnd: number, readonly name: string, private readonly rest: string, readonly raw: string) {}
  /** Parsed on demand: only merging per-thread files needs it. */
  get epoch(): number {
    if (this.epochEnd < 0) return -1;
    return parseFloat(this.raw.slice(this.raw.indexOf('@') + 1, this.epochEnd));
  }
  /** A numeric argument parsed in place (no substring): the translator's hot path. */
  num(key: string): number | null {
    const spellings = this.parsed ? undefined : SPELLINGS[key];
    if (spellings === undefined) {
      const v = this.args.get(key);
      if (v === undefined) return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    for (const sp of spellings) {
      const v = numberAfter(this.rest, sp);
      if (v !== undefined) return v;
    }
    return null;
  }
  get args(): ReadonlyMap<string, string> {
    return (this.parsed ??= parseArgs(this.rest));
  }
  arg(key: string): string | undefined {
    if (this.parsed) return this.parsed.get(key);
    const spellings = SPELLINGS[key];
    if (spellings === undefined) return this.args.get(key);
    for (const sp of spellings) {
      const v = valueAfter(this.rest, sp);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/** How the hot keys are written in QEMU 7.2 and current formats (`key=` preceded by a space or the start). */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  lisn: ['lisn='], lsi: ['lsi='], val: ['val='], sz: ['sz='], target: ['target='], ring: ['ring='],
  ipb: ['IPB=', 'IBP=', 'ipb='], pipr: ['PIPR=', 'pipr='], cppr: ['CPPR=', 'cppr='], nsr: ['NSR=', 'nsr='],
  flags: ['flags='], priority: ['priority='], eisn: ['eisn='], qpage: ['qpage='], qsize: ['qsize='],
  offset: ['offset='], data: ['data='],
  addr: ['@'], irq: ['IRQ '],
};

/** The number after `spelling` (hex with 0x, else decimal), parsed in place; NaN when malformed → undefined. */
function numberAfter(text: string, spelling: string): number | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf(spelling, from);
    if (at < 0) return undefined;
    if (spelling === '@' || at === 0 || text.charCodeAt(at - 1) === 32) {
      let i = at + spelling.length;
      const n = text.length;
      let v = 0;
      let digits = 0;
      if (text.charCodeAt(i) === 48 && text.charCodeAt(i + 1) === 120) {
        i += 2;
        for (; i < n; i++, digits++) {
          const c = text.charCodeAt(i);
          const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (d < 0) break;
          v = v * 16 + d;
        }
      } else {
        for (; i < n; i++, digits++) {
          const c = text.charCodeAt(i);
          if (c < 48 || c > 57) break;
          v = v * 10 + (c - 48);
        }
      }
      const end = i < n ? text.charCodeAt(i) : 32;
      // A value must end at a separator; `0x12zz` is not a number.
      if (digits === 0 || !(end === 32 || end === 44 || end === 60 /* < */)) return undefined;
      return v;
    }
    from = at + 1;
  }
}

function valueAfter(text: string, spelling: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf(spelling, from);
    if (at < 0) return undefined;
    const before = at === 0 ? 32 : text.charCodeAt(at - 1);
    if (spelling === '@' || before === 32) {
      const start = at + spelling.length;
      let end = start;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 120 || c === 45)) break;
        end++;
      }
      if (end > start) return text.slice(start, end);
    }
    from = at + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95;
}

/**
 * Classify one line. `noise` is anything that is not an interrupt-controller
 * trace event (`-d int` lines, console output, other subsystems' events).
 * Hand-scanned (no regular expression): this runs once per line of traces of
 * millions of lines.
 */
export function parseTraceLine(text: string): ParsedLine {
  let tid = 0;
  let epochEnd = -1;
  let i = 0;
  const n = text.length;
  // Optional `TID@EPOCH:` prefix.
  let c = n > 0 ? text.charCodeAt(0) : 0;
  while (isDigit(c) && i < 10) { tid = tid * 10 + (c - 48); c = text.charCodeAt(++i); }
  if (i > 0 && c === 64 /* @ */) {
    const colon = text.indexOf(':', i + 1);
    if (colon < 0 || colon - i > 32) return NOISE;
    const e0 = text.charCodeAt(i + 1);
    if (!isDigit(e0)) return NOISE;
    epochEnd = colon;
    i = colon + 1;
  } else {
    i = 0;
    tid = 0;
  }
  const nameStart = i;
  // Fast refusal: every known or foreign event starts with 's', 'x' or 'p'.
  const first = text.charCodeAt(i);
  if (first !== 115 && first !== 120 && first !== 112) return NOISE;
  while (i < n && isNameChar(text.charCodeAt(i))) i++;
  if (i < n && text.charCodeAt(i) !== 32) return NOISE;
  const name = text.slice(nameStart, i);
  if (!interesting(name)) return foreign(name) ? { kind: 'foreign', name } : NOISE;
  return { kind: 'event', event: new LazyEvent(tid, epochEnd, name, i < n ? text.slice(i + 1) : '', text) };
}

const NOISE: ParsedLine = { kind: 'noise' };

/** A numeric argument, or null when absent or not a number. */
export function argNumber(e: TraceEvent, key: string): number | null {
  return e.num(key);
}

export function argBig(e: TraceEvent, key: string): bigint | null {
  // Most values are small: BigInt of a number is much cheaper than parsing the text again.
  const n = e.num(key);
  if (n !== null && n <= Number.MAX_SAFE_INTEGER) return BigInt(n);
  const v = e.arg(key);
  if (v === undefined) return null;
  try { return BigInt.asUintN(64, BigInt(v)); } catch { return null; }
}
