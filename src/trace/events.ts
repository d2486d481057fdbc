/**
 * The QEMU trace events IRQ Lab reads, as one table: event name → argument
 * names and the printf formats QEMU prints them with (hw/intc/trace-events,
 * hw/ppc/trace-events; QEMU 7.2 first, then current QEMU where it differs).
 * Each format is compiled once into a regular expression whose groups are
 * the arguments in order. Pure: no Node API.
 */

export type TraceFamily = 'xive' | 'xics' | 'pci';

export interface EventSpec {
  readonly family: TraceFamily;
  /** Argument names, in the order of the format's conversions. */
  readonly args: readonly string[];
  /** Formats: QEMU 7.2's first, then current QEMU's when it changed. Each may name its own argument list. */
  readonly formats: readonly (string | { readonly format: string; readonly args: readonly string[] })[];
}

const TCTX = ['target', 'ring', 'ipb', 'pipr', 'cppr', 'nsr'];

/** The table. `%s` is text, every other conversion a number (hex after `0x`, else decimal). */
export const EVENT_SPECS: Readonly<Record<string, EventSpec>> = {
  // hw/intc/spapr_xive.c: the H_INT_* hcalls and the device's lines
  spapr_xive_claim_irq: { family: 'xive', args: ['lisn', 'lsi'], formats: ['lisn=0x%x lsi=%d'] },
  spapr_xive_free_irq: { family: 'xive', args: ['lisn'], formats: ['lisn=0x%x'] },
  spapr_xive_set_irq: { family: 'xive', args: ['lisn', 'val'], formats: ['lisn=0x%x val=%d'] },
  spapr_xive_get_source_info: { family: 'xive', args: ['flags', 'lisn'], formats: ['flags=0x%x lisn=0x%x'] },
  spapr_xive_set_source_config: { family: 'xive', args: ['flags', 'lisn', 'target', 'priority', 'eisn'], formats: ['flags=0x%x lisn=0x%x target=0x%x priority=0x%x eisn=0x%x'] },
  spapr_xive_get_source_config: { family: 'xive', args: ['flags', 'lisn'], formats: ['flags=0x%x lisn=0x%x'] },
  spapr_xive_get_queue_info: { family: 'xive', args: ['flags', 'target', 'priority'], formats: ['flags=0x%x target=0x%x priority=0x%x'] },
  spapr_xive_set_queue_config: { family: 'xive', args: ['flags', 'target', 'priority', 'qpage', 'qsize'], formats: ['flags=0x%x target=0x%x priority=0x%x qpage=0x%x qsize=0x%x'] },
  spapr_xive_get_queue_config: { family: 'xive', args: ['flags', 'target', 'priority'], formats: ['flags=0x%x target=0x%x priority=0x%x'] },
  spapr_xive_set_os_reporting_line: { family: 'xive', args: ['flags'], formats: ['flags=0x%x'] },
  spapr_xive_get_os_reporting_line: { family: 'xive', args: ['flags'], formats: ['flags=0x%x'] },
  spapr_xive_esb: { family: 'xive', args: ['flags', 'lisn', 'offset', 'data'], formats: ['flags=0x%x lisn=0x%x offset=0x%x data=0x%x'] },
  spapr_xive_sync: { family: 'xive', args: ['flags', 'lisn'], formats: ['flags=0x%x lisn=0x%x'] },
  spapr_xive_reset: { family: 'xive', args: ['flags'], formats: ['flags=0x%x'] },
  // hw/intc/xive.c: the presenter (7.2 printed IBP=, current QEMU IPB=) and the ESB/TIMA accesses
  xive_tctx_accept: { family: 'xive', args: TCTX, formats: ['target=%d ring=0x%x IBP=0x%x PIPR=0x%x CPPR=0x%x NSR=0x%x ACK', 'target=%d ring=0x%x IPB=0x%x PIPR=0x%x CPPR=0x%x NSR=0x%x ACK'] },
  xive_tctx_notify: { family: 'xive', args: TCTX, formats: ['target=%d ring=0x%x IBP=0x%x PIPR=0x%x CPPR=0x%x NSR=0x%x raise !', 'target=%d ring=0x%x IPB=0x%x PIPR=0x%x CPPR=0x%x NSR=0x%x raise !'] },
  xive_tctx_set_cppr: { family: 'xive', args: TCTX, formats: ['target=%d ring=0x%x IBP=0x%x PIPR=0x%x new CPPR=0x%x NSR=0x%x', 'target=%d ring=0x%x IPB=0x%x PIPR=0x%x new CPPR=0x%x NSR=0x%x'] },
  xive_source_esb_read: { family: 'xive', args: ['addr', 'srcno', 'val'], formats: ['@0x%x IRQ 0x%x val=0x%x'] },
  xive_source_esb_write: { family: 'xive', args: ['addr', 'srcno', 'val'], formats: ['@0x%x IRQ 0x%x val=0x%x'] },
  xive_source_notify: { family: 'xive', args: ['srcno'], formats: ['Processing notification for queued IRQ 0x%x'] },
  xive_source_blocked: { family: 'xive', args: ['srcno'], formats: ['No action needed for IRQ 0x%x currently'] },
  xive_router_end_notify: { family: 'xive', args: ['end_blk', 'end_idx', 'end_data'], formats: ['END 0x%x/0x%x -> enqueue 0x%x'] },
  xive_router_end_escalate: { family: 'xive', args: ['end_blk', 'end_idx', 'esc_blk', 'esc_idx', 'end_data'], formats: ['END 0x%x/0x%x -> escalate END 0x%x/0x%x data 0x%x'] },
  // 7.2 did not print the thread context's index; current QEMU does (target=)
  xive_tctx_tm_write: { family: 'xive', args: ['offset', 'size', 'val'], formats: ['@0x%x sz=%d val=0x%x', { format: 'target=%d @0x%x sz=%d val=0x%x', args: ['target', 'offset', 'size', 'val'] }] },
  xive_tctx_tm_read: { family: 'xive', args: ['offset', 'size', 'val'], formats: ['@0x%x sz=%d val=0x%x', { format: 'target=%d @0x%x sz=%d val=0x%x', args: ['target', 'offset', 'size', 'val'] }] },
  xive_presenter_notify: { family: 'xive', args: ['nvt_blk', 'nvt_idx', 'ring'], formats: ['found NVT 0x%x/0x%x ring=0x%x', { format: 'found NVT 0x%x/0x%x ring=0x%x group_level=%d', args: ['nvt_blk', 'nvt_idx', 'ring', 'group_level'] }] },
  xive_end_source_read: { family: 'xive', args: ['end_blk', 'end_idx', 'addr'], formats: ['END 0x%x/0x%x @0x%x'] },
  // hw/intc/xics.c
  xics_icp_check_ipi: { family: 'xics', args: ['server', 'mfrr'], formats: ['CPU %d can take IPI mfrr=0x%x'] },
  xics_icp_accept: { family: 'xics', args: ['old_xirr', 'new_xirr'], formats: ['icp_accept: XIRR 0x%x->0x%x'] },
  xics_icp_eoi: { family: 'xics', args: ['server', 'xirr', 'new_xirr'], formats: ['icp_eoi: server %d given XIRR 0x%x new XIRR 0x%x'] },
  xics_icp_irq: { family: 'xics', args: ['server', 'nr', 'priority'], formats: ['cpu %d trying to deliver irq 0x%x priority 0x%x'] },
  xics_icp_raise: { family: 'xics', args: ['xirr', 'pending_priority'], formats: ['raising IRQ new XIRR=0x%x new pending priority=0x%x'] },
  xics_ics_set_irq_msi: { family: 'xics', args: ['srcno', 'nr'], formats: ['set_irq_msi: srcno %d [irq 0x%x]'] },
  xics_masked_pending: { family: 'xics', args: [], formats: ['set_irq_msi: masked pending'] },
  xics_ics_set_irq_lsi: { family: 'xics', args: ['srcno', 'nr'], formats: ['set_irq_lsi: srcno %d [irq 0x%x]'] },
  xics_ics_write_xive: { family: 'xics', args: ['nr', 'srcno', 'server', 'priority'], formats: ['ics_write_xive: irq 0x%x [src %d] server 0x%x prio 0x%x'] },
  xics_ics_reject: { family: 'xics', args: ['nr', 'srcno'], formats: ['reject irq 0x%x [src %d]'] },
  xics_ics_eoi: { family: 'xics', args: ['nr'], formats: ['ics_eoi: irq 0x%x'] },
  // hw/ppc/spapr_pci.c: the devices' MSIs and LSIs
  spapr_pci_msi: { family: 'pci', args: ['msg', 'ca'], formats: ['%s (cfg=0x%x)'] },
  spapr_pci_msi_setup: { family: 'pci', args: ['name', 'vector', 'addr'], formats: ['dev"%s" vector %d, addr=0x%x'] },
  spapr_pci_rtas_ibm_change_msi: { family: 'pci', args: ['cfg', 'func', 'req', 'first'], formats: ['cfgaddr 0x%x func %d, requested %d, first irq %d'] },
  spapr_pci_rtas_ibm_query_interrupt_source_number: { family: 'pci', args: ['ioa', 'intr'], formats: ['queries for #%d, IRQ%d'] },
  spapr_pci_msi_write: { family: 'pci', args: ['addr', 'data', 'dt_irq'], formats: ['@0x%x<=0x%x IRQ %d'] },
  spapr_pci_lsi_set: { family: 'pci', args: ['busname', 'pin', 'irq'], formats: ['%s PIN%d IRQ %d'] },
  spapr_pci_msi_retry: { family: 'pci', args: ['config_addr', 'req_num', 'max_irqs'], formats: ['Guest device at 0x%x asked %d, have only %d'] },
};

/** Events of other machines: PowerNV's XIVE and XIVE2 (POWER10), never printed by a pseries guest. */
const OTHER_MACHINE = /^(?:pnv_|xive2_|xive_nvp_|xive_nvgc_|xive_redistribute|xive_end_enqueue|xive_escalate_)/;
/** A name that looks like an interrupt-controller event IRQ Lab should know. */
const OURS = /^(?:xive|spapr_xive|xics|spapr_pci)_[a-z0-9_]+$/;

export type EventKind = 'known' | 'other-machine' | 'unknown' | 'foreign';

/** What kind of name this is: in the table, another machine's, ours but unknown, or not an interrupt event. */
const SPECS = new Map<string, EventSpec>(Object.entries(EVENT_SPECS));

export function classifyEventName(name: string): EventKind {
  if (SPECS.has(name)) return 'known';
  if (OTHER_MACHINE.test(name)) return 'other-machine';
  if (OURS.test(name)) return 'unknown';
  return 'foreign';
}

/** A format as pieces, in parallel arrays (one shape: this is matched per trace line). */
const LIT = 0;
const TEXT = 1;
const HEX = 2;
const HEX_0X = 3;
const DEC = 4;

interface CompiledFormat {
  readonly kinds: Uint8Array;
  /** The literal of a LIT piece; the argument name of a conversion. */
  readonly texts: readonly string[];
}

function compile(format: string, args: readonly string[]): CompiledFormat {
  const kinds: number[] = [];
  const texts: string[] = [];
  let i = 0;
  let n = 0;
  while (i < format.length) {
    const p = format.indexOf('%', i);
    if (p < 0) {
      kinds.push(LIT);
      texts.push(format.slice(i));
      break;
    }
    let lit = format.slice(i, p);
    const c = format[p + 1];
    // `0x%x`: the prefix is matched as part of the number.
    const prefixed = lit.endsWith('0x');
    if (prefixed) lit = lit.slice(0, -2);
    if (lit) {
      kinds.push(LIT);
      texts.push(lit);
    }
    if (n >= args.length) throw new Error(`trace event table: '${format}' has more conversions than arguments`);
    kinds.push(c === 's' ? TEXT : prefixed ? HEX_0X : c === 'x' ? HEX : DEC);
    texts.push(args[n++]);
    i = p + 2;
  }
  if (n !== args.length) throw new Error(`trace event table: '${format}' has ${n} conversions for ${args.length} arguments`);
  return { kinds: Uint8Array.from(kinds), texts };
}

const COMPILED = new Map<string, readonly CompiledFormat[]>();
for (const [name, spec] of Object.entries(EVENT_SPECS)) {
  COMPILED.set(name, spec.formats.map((f) => (typeof f === 'string' ? compile(f, spec.args) : compile(f.format, f.args))));
}

/**
 * One event's arguments: numbers by name (a double when exact, up to 13 hex
 * digits; a bigint beyond), and text arguments (`%s`) by name. `num` gives
 * them all as bigints (built on demand: the replay reads `values`).
 */
export class EventArgs {
  constructor(readonly values: Readonly<Record<string, number | bigint>>, readonly str: Readonly<Record<string, string>>) {}

  get num(): Readonly<Record<string, bigint>> {
    const out: Record<string, bigint> = {};
    for (const [k, v] of Object.entries(this.values)) out[k] = typeof v === 'bigint' ? v : BigInt(v);
    return out;
  }
}

const NO_TEXT: Readonly<Record<string, string>> = Object.freeze({});

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Matches one format against the whole text; null when it does not fit. Hand-scanned: this runs per trace line. */
function match(f: CompiledFormat, text: string, from: number): EventArgs | null {
  const num: Record<string, number | bigint> = {};
  let str: Record<string, string> | null = null;
  let pos = from;
  const { kinds, texts } = f;
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k];
    if (kind === LIT) {
      const lit = texts[k];
      if (!text.startsWith(lit, pos)) return null;
      pos += lit.length;
      continue;
    }
    if (kind === TEXT) {
      const end = k + 1 < kinds.length && kinds[k + 1] === LIT ? text.indexOf(texts[k + 1], pos) : text.length;
      if (end < 0) return null;
      (str ??= {})[texts[k]] = text.slice(pos, end);
      pos = end;
      continue;
    }
    if (kind === HEX_0X) {
      if (text.charCodeAt(pos) !== 48 || text.charCodeAt(pos + 1) !== 120) return null;
      pos += 2;
    }
    const start = pos;
    let v = 0;
    if (kind !== DEC) {
      for (let d = hexDigit(text.charCodeAt(pos)); d >= 0; d = hexDigit(text.charCodeAt(pos))) {
        v = v * 16 + d;
        pos++;
      }
      const len = pos - start;
      if (len === 0 || len > 16) return null;
      // Up to 13 hex digits a double is exact; wider values go through BigInt's own parser.
      num[texts[k]] = len <= 13 ? v : BigInt(`0x${text.slice(start, pos)}`);
    } else {
      const neg = text.charCodeAt(pos) === 45;
      if (neg) pos++;
      const digits = pos;
      for (let c = text.charCodeAt(pos); c >= 48 && c <= 57; c = text.charCodeAt(pos)) {
        v = v * 10 + (c - 48);
        pos++;
      }
      const len = pos - digits;
      if (len === 0 || len > 20) return null;
      if (len <= 15) num[texts[k]] = neg ? -v : v;
      else num[texts[k]] = neg ? -BigInt(text.slice(digits, pos)) : BigInt(text.slice(digits, pos));
    }
  }
  if (pos !== text.length) return null;
  return new EventArgs(num, str ?? NO_TEXT);
}

/** Parses an event's argument text (from `from` to the end of `text`) with the table; null when no format fits. */
export function parseEventArgs(name: string, text: string, from = 0): EventArgs | null {
  const formats = COMPILED.get(name);
  if (!formats) return null;
  for (const f of formats) {
    const r = match(f, text, from);
    if (r) return r;
  }
  return null;
}

/** The spec of a known event, or undefined. */
export function specOf(name: string): EventSpec | undefined {
  return SPECS.get(name);
}

/** The formats an event is printed with, for messages. */
export function formatsOf(name: string): readonly string[] {
  const spec = EVENT_SPECS[name];
  return spec ? spec.formats.map((f) => (typeof f === 'string' ? f : f.format)) : [];
}
