/**
 * XICS events → steps (the translator's XICS half). QEMU prints less for XICS
 * than for XIVE, so some of what the guest did is inferred from what QEMU
 * shows next (README, "Real guests"):
 *  - `xics_ics_write_xive` is an `ibm,set-xive`; QEMU created the sources at
 *    reset without tracing it: each is created masked when first named
 *    (0x1200-0x12ff are sPAPR's PCI LSIs);
 *  - `xics_ics_set_irq_msi/lsi` print the call, not the level: an MSI is a
 *    pulse (set, then unset), an LSI's line alternates starting low (the PCI
 *    bus reset deasserts every pin before a device raises one);
 *  - `xics_icp_accept` is an H_XIRR on the thread's vCPU (named by the
 *    thread's `xics_icp_eoi server N`); QEMU does not trace H_CPPR, so when the
 *    accepted XIRR shows a CPPR the thread did not set by an accept or EOI,
 *    the guest's H_CPPR to it is inferred just before;
 *  - `xics_icp_check_ipi` is an H_IPI that raises; QEMU does not trace one
 *    that raises nothing, so before the EOI of an accepted IPI the guest's
 *    H_IPI(self, 0xff) (Linux clears its MFRR in the handler) is inferred;
 *  - `xics_icp_eoi` is an H_EOI; its new XIRR is printed before QEMU resends
 *    a rejected source (the kernel resends inside H_EOI): only CPPR is compared;
 *  - `xics_icp_irq`/`xics_icp_raise` state the pending XISR and priority.
 */
import { knowEventNames, TraceEvent } from './events';
import type { TraceStep } from './steps';

const XICS_IPI = 2;
const SPAPR_LSI_FIRST = 0x1200;
const SPAPR_LSI_END = 0x1300;

export interface XicsState {
  readonly sources: Set<number>;
  readonly levels: Map<number, number>;
  /** Per thread: the CPPR its accepts and EOIs left (what an untraced H_CPPR must have changed). */
  readonly cppr: Map<number, number>;
  /** Threads whose last accept was an IPI not followed by an H_IPI of their own. */
  readonly ipiTaken: Set<number>;
  lastIrqServer: number;
}

export function createXicsState(): XicsState {
  return { sources: new Set(), levels: new Map(), cppr: new Map(), ipiTaken: new Set(), lastIrqServer: -1 };
}

type Enqueue = (tid: number, step: TraceStep & { vcpu?: number }, target?: number, after?: TraceStep | null) => void;

const NUM = '(0x[0-9a-fA-F]+|\\d+)';
const FORMS: Readonly<Record<string, RegExp>> = {
  xics_ics_write_xive: new RegExp(`^ics_write_xive: irq ${NUM} \\[src \\d+\\] server ${NUM} prio ${NUM}$`),
  xics_ics_set_irq_msi: new RegExp(`^set_irq_msi: srcno \\d+ \\[irq ${NUM}\\]$`),
  xics_ics_set_irq_lsi: new RegExp(`^set_irq_lsi: srcno \\d+ \\[irq ${NUM}\\]$`),
  xics_icp_irq: new RegExp(`^cpu ${NUM} trying to deliver irq ${NUM} priority ${NUM}$`),
  xics_icp_raise: new RegExp(`^raising IRQ new XIRR=${NUM} new pending priority=${NUM}$`),
  xics_icp_check_ipi: new RegExp(`^CPU ${NUM} can take IPI mfrr=${NUM}$`),
  xics_icp_accept: new RegExp(`^icp_accept: XIRR ${NUM}->${NUM}$`),
  xics_icp_eoi: new RegExp(`^icp_eoi: server ${NUM} given XIRR ${NUM} new XIRR ${NUM}$`),
};

const INFORMATIONAL: Readonly<Record<string, string>> = {
  xics_ics_eoi: 'xics_ics_eoi: the source side of the H_EOI before it',
  xics_ics_reject: 'xics_ics_reject: QEMU-internal reject, its effect is checked at the next accept',
  xics_masked_pending: 'xics_masked_pending: QEMU-internal state of a masked MSI',
};

// Their fixed sentences are read from the line's text, not as key=value arguments.
knowEventNames([...Object.keys(FORMS), ...Object.keys(INFORMATIONAL)], false);

function args(e: TraceEvent): number[] | null {
  const re = FORMS[e.name];
  if (!re) return null;
  const raw = e.raw;
  const i = raw.indexOf(e.name) + e.name.length + 1;
  const m = re.exec(raw.slice(i));
  return m ? m.slice(1).map((x) => Number(x)) : null;
}

/** Turns one XICS event into steps; returns why it gave none (a skip reason), or null. */
export function xicsEvent(x: XicsState, file: number, line: number, e: TraceEvent, tidVcpu: Map<number, number>, enqueue: Enqueue): string | null {
  const name = e.name;
  const info = INFORMATIONAL[name];
  if (info) return info;
  const a = args(e);
  if (!a) return FORMS[name] ? `${name}: arguments missing or not in QEMU's format` : `${name}: unknown event`;
  const tid = e.tid;
  const where = { file, line };
  const source = (irq: number, lsi: boolean): void => {
    if (x.sources.has(irq)) return;
    x.sources.add(irq);
    enqueue(tid, { op: 'xics-source', irq, lsi: lsi || (irq >= SPAPR_LSI_FIRST && irq < SPAPR_LSI_END), ...where });
  };
  switch (name) {
    case 'xics_ics_write_xive': {
      const [irq, server, prio] = a as [number, number, number];
      source(irq, false);
      enqueue(tid, { op: 'rtas', name: 'ibm,set-xive', args: [irq, server, prio], ...where }, server);
      return null;
    }
    case 'xics_ics_set_irq_msi':
    case 'xics_ics_set_irq_lsi': {
      const irq = a[0]!;
      const lsi = name === 'xics_ics_set_irq_lsi';
      source(irq, lsi);
      const level = x.levels.has(irq) ? (x.levels.get(irq)! ^ 1) : lsi ? 0 : 1;
      x.levels.set(irq, level);
      enqueue(tid, { op: 'xics-line', irq, how: lsi ? (level ? 'set_level' : 'unset') : level ? 'set' : 'unset', ...where });
      return null;
    }
    case 'xics_icp_irq':
      x.lastIrqServer = a[0]!;
      return 'xics_icp_irq: the delivery QEMU attempts (its outcome is checked by xics_icp_raise)';
    case 'xics_icp_raise': {
      if (x.lastIrqServer < 0) return 'xics_icp_raise: no xics_icp_irq before it names the server';
      const [xirr, ppri] = a as [number, number];
      enqueue(tid, { op: 'check-icp', vcpu: x.lastIrqServer, event: name, facts: { cppr: null, xisr: xirr & 0xffffff, ppri, mfrr: null }, ...where }, x.lastIrqServer);
      return null;
    }
    case 'xics_icp_check_ipi': {
      const [server, mfrr] = a as [number, number];
      for (const [t, v] of tidVcpu) if (v === server) x.ipiTaken.delete(t);
      const caller = tidVcpu.get(tid) ?? server;
      enqueue(tid, { op: 'hcall', vcpu: caller, name: 'H_IPI', args: [BigInt(server), BigInt(mfrr)], expect: null, ...where }, server,
        { op: 'check-icp', vcpu: server, event: name, facts: { cppr: null, xisr: null, ppri: null, mfrr }, ...where });
      return null;
    }
    case 'xics_icp_accept': {
      const [oldXirr, newXirr] = a as [number, number];
      const cppr = oldXirr >>> 24;
      if (x.cppr.get(tid) !== cppr) {
        enqueue(tid, { op: 'hcall', vcpu: -1, name: 'H_CPPR', args: [BigInt(cppr)], expect: null, ...where });
      }
      x.cppr.set(tid, newXirr >>> 24);
      if ((oldXirr & 0xffffff) === XICS_IPI) x.ipiTaken.add(tid);
      enqueue(tid, { op: 'hcall', vcpu: -1, name: 'H_XIRR', args: [], expect: BigInt(oldXirr), ...where }, -1,
        { op: 'check-icp', vcpu: -1, event: name, facts: { cppr: newXirr >>> 24, xisr: null, ppri: null, mfrr: null }, ...where });
      return null;
    }
    case 'xics_icp_eoi': {
      const [server, given, newXirr] = a as [number, number, number];
      tidVcpu.set(tid, server);
      if ((given & 0xffffff) === XICS_IPI && x.ipiTaken.has(tid)) {
        enqueue(tid, { op: 'hcall', vcpu: server, name: 'H_IPI', args: [BigInt(server), 0xffn], expect: null, ...where });
      }
      x.ipiTaken.delete(tid);
      x.cppr.set(tid, newXirr >>> 24);
      enqueue(tid, { op: 'hcall', vcpu: server, name: 'H_EOI', args: [BigInt(given)], expect: null, ...where }, -1,
        { op: 'check-icp', vcpu: server, event: name, facts: { cppr: newXirr >>> 24, xisr: null, ppri: null, mfrr: null }, ...where });
      return null;
    }
    default:
      return `${name}: unknown event`;
  }
}
