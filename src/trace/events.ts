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
}

export type ParsedLine =
  | { readonly kind: 'event'; readonly event: TraceEvent }
  | { readonly kind: 'noise' }
  | { readonly kind: 'foreign'; readonly name: string };

const PREFIX = /^(\d+)@(\d+(?:\.\d+)?):([A-Za-z_][A-Za-z0-9_]*)(?: (.*))?$/;
const BARE = /^([a-z][a-z0-9_]*)(?: (.*))?$/;
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
  const at = /@(0x[0-9a-fA-F]+)(?:<=(0x[0-9a-fA-F]+))?/.exec(text);
  if (at) {
    out.set('addr', at[1]!);
    if (at[2] !== undefined) out.set('data', at[2]);
  }
  const irq = /\bIRQ (0x[0-9a-fA-F]+|\d+)/.exec(text);
  if (irq) out.set('irq', irq[1]!);
  const xirr = /XIRR (0x[0-9a-fA-F]+)->(0x[0-9a-fA-F]+)/.exec(text);
  if (xirr) { out.set('old_xirr', xirr[1]!); out.set('new_xirr', xirr[2]!); }
  const given = /given XIRR (0x[0-9a-fA-F]+) new XIRR (0x[0-9a-fA-F]+)/.exec(text);
  if (given) { out.set('given_xirr', given[1]!); out.set('new_xirr', given[2]!); }
  const cpu = /\b(?:CPU|server) (\d+)/.exec(text);
  if (cpu) out.set('server', cpu[1]!);
  const nvt = /NVT (0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)/.exec(text);
  if (nvt) { out.set('nvt_blk', nvt[1]!); out.set('nvt_idx', nvt[2]!); }
  return out;
}

/**
 * Classify one line. `noise` is anything that is not an interrupt-controller
 * trace event (`-d int` lines, console output, other subsystems' events).
 */
export function parseTraceLine(text: string): ParsedLine {
  let tid = 0;
  let epoch = -1;
  let name: string;
  let rest: string;
  const m = PREFIX.exec(text);
  if (m) {
    tid = Number(m[1]);
    epoch = Number(m[2]);
    name = m[3]!;
    rest = m[4] ?? '';
  } else {
    const b = BARE.exec(text);
    if (!b) return { kind: 'noise' };
    name = b[1]!;
    rest = b[2] ?? '';
  }
  if (foreign(name)) return { kind: 'foreign', name };
  if (!interesting(name)) return { kind: 'noise' };
  return { kind: 'event', event: { tid, epoch, name, args: parseArgs(rest), raw: text } };
}

/** A numeric argument, or null when absent or not a number. */
export function argNumber(e: TraceEvent, key: string): number | null {
  const v = e.args.get(key);
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function argBig(e: TraceEvent, key: string): bigint | null {
  const v = e.args.get(key);
  if (v === undefined) return null;
  try { return BigInt.asUintN(64, BigInt(v)); } catch { return null; }
}
