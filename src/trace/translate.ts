/**
 * Trace events → steps. Stateful and streaming: it learns which QEMU thread
 * runs which vCPU from the presenter events (`target=N`), pairs an hcall with
 * the ESB access QEMU traces inside it (H_INT_ESB then xive_source_esb_read),
 * and holds an accept check until the TIMA load it happened in. Events whose
 * vCPU is not yet known wait in a bounded window for a later line of the same
 * thread that names it (the first `xive_tctx_tm_write` of a thread precedes
 * its `xive_tctx_set_cppr target=N`).
 *
 * How the device and the vCPUs are inferred: the first spapr_xive_* / xive_*
 * event implies `device xive` (XIVE exploitation mode), an xics_* event
 * `device xics`; a vCPU is connected (server = vCPU id) just before the first
 * step that names it (a `target=`, an NVT index 0x400+N, a thread's vCPU).
 */
import { argBig, argNumber, TraceEvent } from './events';
import type { PresenterFacts, TraceStep } from './steps';
import { createXicsState, xicsEvent } from './translate-xics';
import type { AccessSize, EsbPage } from '../model/vm';
import type { HcallName } from '../model/hcalls';

/** Why an event gave no step. Counted per reason in the summary. */
export interface Skipped {
  readonly file: number;
  readonly line: number;
  readonly event: string;
  readonly reason: string;
}

/** A located event as the translator receives it. */
export interface LocatedEvent {
  readonly file: number;
  readonly line: number;
  readonly event: TraceEvent;
}

const OS_RING = 0x10;
/** QEMU's sPAPR TIMA: the OS view is the third 64 KiB page. */
const TIMA_OS_PAGE = 0x20000;
/** How many lines an event may wait for its thread's vCPU before it is guessed as 0. */
const WINDOW = 512;

const HCALL_EVENT_TABLE: Readonly<Record<string, { name: HcallName; args: readonly string[] }>> = {
  spapr_xive_get_source_info: { name: 'H_INT_GET_SOURCE_INFO', args: ['flags', 'lisn'] },
  spapr_xive_set_source_config: { name: 'H_INT_SET_SOURCE_CONFIG', args: ['flags', 'lisn', 'target', 'priority', 'eisn'] },
  spapr_xive_get_source_config: { name: 'H_INT_GET_SOURCE_CONFIG', args: ['flags', 'lisn'] },
  spapr_xive_get_queue_info: { name: 'H_INT_GET_QUEUE_INFO', args: ['flags', 'target', 'priority'] },
  spapr_xive_set_queue_config: { name: 'H_INT_SET_QUEUE_CONFIG', args: ['flags', 'target', 'priority', 'qpage', 'qsize'] },
  spapr_xive_get_queue_config: { name: 'H_INT_GET_QUEUE_CONFIG', args: ['flags', 'target', 'priority'] },
  spapr_xive_set_os_reporting_line: { name: 'H_INT_SET_OS_REPORTING_LINE', args: ['flags'] },
  spapr_xive_get_os_reporting_line: { name: 'H_INT_GET_OS_REPORTING_LINE', args: ['flags', 'target', 'line'] },
  spapr_xive_esb: { name: 'H_INT_ESB', args: ['flags', 'lisn', 'offset', 'data'] },
  spapr_xive_sync: { name: 'H_INT_SYNC', args: ['flags', 'lisn'] },
  spapr_xive_reset: { name: 'H_INT_RESET', args: ['flags'] },
};

const HCALL_EVENTS = new Map(Object.entries(HCALL_EVENT_TABLE));

/** Every event name handled below, mapped to its literal (interned) spelling. */
const INTERNED = new Map<string, string>([
  ...Object.keys(HCALL_EVENT_TABLE),
  'spapr_xive_claim_irq', 'spapr_xive_set_irq', 'xive_source_esb_read', 'xive_source_esb_write',
  'xive_tctx_tm_read', 'xive_tctx_tm_write', 'xive_tctx_accept', 'xive_tctx_notify', 'xive_tctx_set_cppr',
  'xive_presenter_notify', 'spapr_pci_lsi_set', 'spapr_pci_msi_write', 'spapr_pci_msi_setup', 'spapr_pci_msi',
  'spapr_pci_rtas_ibm_change_msi', 'spapr_pci_msi_retry', 'spapr_xive_end_to_nvt',
].map((n) => [n, n]));

/** Events read but not turned into steps: said why, once, in the summary. */
const INFORMATIONAL: Readonly<Record<string, string>> = {
  xive_presenter_notify: 'routing detail: its effect is checked by the xive_tctx_notify that follows',
  spapr_pci_lsi_set: 'PCI side of an LSI: the controller\'s set_irq event that follows is the operation',
  spapr_pci_msi_write: 'PCI side of an MSI: the controller\'s set_irq event that follows is the operation',
  spapr_pci_msi_setup: 'MSI address setup in QEMU: no KVM operation',
  spapr_pci_msi: 'QEMU-internal MSI bookkeeping',
  spapr_pci_rtas_ibm_change_msi: 'RTAS ibm,change-msi is QEMU\'s: no KVM operation',
  spapr_pci_msi_retry: 'QEMU-internal MSI bookkeeping',
  spapr_xive_end_to_nvt: 'QEMU-internal lookup',
};

/** A step waiting in the window; `vcpu` −1 until its thread's vCPU is known. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type PendingStep = Mutable<TraceStep> & { vcpu?: number };
const INFORMATIONAL_REASONS = new Map(Object.entries(INFORMATIONAL).map(([k, v]) => [k, `${k}: ${v}`]));

interface Pending {
  readonly tid: number;
  readonly step: PendingStep;
  /** Another vCPU the step names (an hcall's target): connected before it. */
  readonly target: number;
  /** An accept check that belongs after this step (the TIMA load it happened in). */
  readonly after: TraceStep | null;
}

export interface Translator {
  /** Feed one event; returns the steps now ready, in order. */
  push(e: LocatedEvent): TraceStep[];
  /** End of input: everything still held, with guesses where a vCPU stayed unknown. */
  finish(): TraceStep[];
  readonly skipped: Skipped[];
  /** Count of skipped events by reason (the summary). */
  readonly skippedByReason: Map<string, number>;
}

export function createTranslator(): Translator {
  const tidVcpu = new Map<number, number>();
  const connected = new Set<number>();
  let device: 'xive' | 'xics' | null = null;
  /** Which controller the trace's first controller event belongs to. */
  let family: 'xive' | 'xics' | null = null;
  const xics = createXicsState();
  /** Steps waiting, in trace order; the head may wait for its vCPU. */
  const queue: Pending[] = [];
  /** Per thread: an H_INT_ESB waiting for its ESB access. */
  const openEsbHcall = new Map<number, { at: LocatedEvent; args: bigint[] }>();
  /** Per thread: an accept's facts waiting for the TIMA load it happened in. */
  const openAccept = new Map<number, { at: LocatedEvent; target: number; facts: PresenterFacts }>();
  const skipped: Skipped[] = [];
  const skippedByReason = new Map<string, number>();

  function skip(at: LocatedEvent, reason: string): void {
    skippedByReason.set(reason, (skippedByReason.get(reason) ?? 0) + 1);
    if (skipped.length < 1000) skipped.push({ file: at.file, line: at.line, event: at.event.name, reason });
  }

  function connect(out: TraceStep[], v: number, file: number, line: number): void {
    if (v >= 0 && !connected.has(v)) {
      connected.add(v);
      out.push({ op: 'connect', vcpu: v, file, line });
    }
  }

  function enqueue(tid: number, step: PendingStep, target = -1, after: TraceStep | null = null): void {
    queue.push({ tid, step, target, after });
  }

  /** Release the queue's head while its thread's vCPU is known (or the window is exceeded). */
  function drain(force: boolean): TraceStep[] {
    const out: TraceStep[] = [];
    while (queue.length > 0) {
      const head = queue[0]!;
      const step = head.step;
      if (step.vcpu === -1) {
        const v = tidVcpu.get(head.tid);
        if (v === undefined && !force && queue.length < WINDOW) break;
        step.vcpu = v ?? 0;
      }
      queue.shift();
      if (device === null) {
        device = family ?? 'xive';
        out.push({ op: 'device', kind: device, file: step.file, line: step.line });
      }
      if (step.vcpu !== undefined) connect(out, step.vcpu, step.file, step.line);
      connect(out, head.target, step.file, step.line);
      out.push(step as TraceStep);
      if (head.after) {
        // An XICS check that follows its hcall is on the same vCPU, known only now.
        const after = head.after;
        out.push(after.op === 'check-icp' && after.vcpu === -1 ? { ...after, vcpu: step.vcpu ?? 0 } : after);
      }
    }
    return out;
  }

  function facts(e: TraceEvent): PresenterFacts {
    return { nsr: argNumber(e, 'nsr'), cppr: argNumber(e, 'cppr'), ipb: argNumber(e, 'ipb'), pipr: argNumber(e, 'pipr') };
  }

  function esbAccess(e: TraceEvent): { irq: number; page: EsbPage; offset: number } | null {
    const addr = argNumber(e, 'addr');
    const irq = argNumber(e, 'irq');
    if (addr === null || irq === null) return null;
    // ESB pages per source: two 64 KiB pages (esb_shift 17, trigger then management) by default.
    const shift = Math.floor(addr / 2 ** 17) === irq ? 17 : 16;
    const inSource = addr - irq * 2 ** shift;
    const page: EsbPage = shift === 17 && inSource >= 0x10000 ? 'management' : shift === 17 ? 'trigger' : 'management';
    return { irq, page, offset: inSource & 0xffff };
  }

  function handle(at: LocatedEvent): void {
    const e = at.event;
    const tid = e.tid;
    // The interned spelling: the switch below then compares pointers, not characters.
    const name = INTERNED.get(e.name) ?? e.name;
    if (family === null && (name.startsWith('xics_') || name.startsWith('xive_') || name.startsWith('spapr_xive_'))) family = name.startsWith('xics_') ? 'xics' : 'xive';
    if (name.startsWith('xics_')) {
      const r = xicsEvent(xics, at, tidVcpu, enqueue);
      if (r !== null) skip(at, r);
      return;
    }
    const hc = name.startsWith('spapr_xive_') ? HCALL_EVENTS.get(name) : undefined;
    if (hc) {
      const args: bigint[] = [];
      for (const a of hc.args) {
        const v = argBig(e, a);
        if (v === null) { skip(at, `${name}: argument '${a}' missing or not a number`); return; }
        args.push(v);
      }
      if (name === 'spapr_xive_esb') { openEsbHcall.set(tid, { at, args }); return; }
      const ti = hc.args.indexOf('target');
      enqueue(tid, { op: 'hcall', vcpu: -1, name: hc.name, args, expect: null, file: at.file, line: at.line }, ti < 0 ? -1 : Number(args[ti]));
      return;
    }
    switch (name) {
      case 'spapr_xive_claim_irq': {
        const irq = argNumber(e, 'lisn');
        const lsi = argNumber(e, 'lsi');
        if (irq === null || lsi === null) { skip(at, `${name}: lisn or lsi missing`); return; }
        enqueue(tid, { op: 'set-source', irq, lsi: lsi !== 0, file: at.file, line: at.line });
        return;
      }
      case 'spapr_xive_set_irq': {
        const irq = argNumber(e, 'lisn');
        const level = argNumber(e, 'val');
        if (irq === null || level === null) { skip(at, `${name}: lisn or val missing`); return; }
        enqueue(tid, { op: 'line', irq, level, file: at.file, line: at.line });
        return;
      }
      case 'xive_source_esb_read':
      case 'xive_source_esb_write': {
        const acc = esbAccess(e);
        const val = argBig(e, 'val');
        if (acc === null || val === null) { skip(at, `${name}: address, IRQ or value missing`); return; }
        const open = openEsbHcall.get(tid);
        if (open) {
          openEsbHcall.delete(tid);
          const expect = name === 'xive_source_esb_read' ? val : null;
          enqueue(tid, { op: 'hcall', vcpu: -1, name: 'H_INT_ESB', args: open.args, expect, file: at.file, line: at.line });
          return;
        }
        enqueue(tid, name === 'xive_source_esb_read'
          ? { op: 'esb-load', irq: acc.irq, page: acc.page, offset: acc.offset, expect: val, file: at.file, line: at.line }
          : { op: 'esb-store', irq: acc.irq, page: acc.page, offset: acc.offset, value: val, file: at.file, line: at.line });
        return;
      }
      case 'xive_tctx_tm_read':
      case 'xive_tctx_tm_write': {
        const addr = argNumber(e, 'addr');
        const size = argNumber(e, 'sz');
        const val = argBig(e, 'val');
        if (addr === null || size === null || val === null || ![1, 2, 4, 8].includes(size)) { skip(at, `${name}: address, size or value missing`); return; }
        if (addr < TIMA_OS_PAGE || addr >= TIMA_OS_PAGE + 0x10000) { skip(at, `${name}: not the OS page of the TIMA (only the OS ring is modelled)`); return; }
        const target = argNumber(e, 'target');
        if (target !== null) tidVcpu.set(tid, target);
        const offset = addr - TIMA_OS_PAGE;
        const sz = size as AccessSize;
        const accept = name === 'xive_tctx_tm_read' ? openAccept.get(tid) : undefined;
        if (accept) openAccept.delete(tid);
        const after: TraceStep | null = accept
          ? { op: 'check-presenter', vcpu: accept.target, event: 'xive_tctx_accept', facts: accept.facts, file: accept.at.file, line: accept.at.line }
          : null;
        enqueue(tid, name === 'xive_tctx_tm_read'
          ? { op: 'tima-load', vcpu: target ?? -1, size: sz, offset, expect: val, file: at.file, line: at.line }
          : { op: 'tima-store', vcpu: target ?? -1, size: sz, offset, value: val, file: at.file, line: at.line }, -1, after);
        return;
      }
      case 'xive_tctx_accept':
      case 'xive_tctx_notify':
      case 'xive_tctx_set_cppr': {
        const target = argNumber(e, 'target');
        const ring = argNumber(e, 'ring');
        if (target === null) { skip(at, `${name}: target missing`); return; }
        if (ring !== null && ring !== OS_RING) { skip(at, `${name}: ring 0x${ring.toString(16)} is not the OS ring (only the OS ring is modelled)`); return; }
        if (name !== 'xive_tctx_notify') tidVcpu.set(tid, target);
        let f = facts(e);
        // QEMU traces set_cppr before it stores CPPR and re-notifies: its NSR is the state
        // before the store (the notify line that follows states the new one); IPB/PIPR do not change.
        if (name === 'xive_tctx_set_cppr') f = { ...f, nsr: null };
        if (name === 'xive_tctx_accept') { openAccept.set(tid, { at, target, facts: f }); return; }
        enqueue(tid, { op: 'check-presenter', vcpu: target, event: name, facts: f, file: at.file, line: at.line });
        return;
      }
      default: {
        const info = INFORMATIONAL_REASONS.get(name);
        if (info) { skip(at, info); return; }
        skip(at, `${name}: unknown event`);
      }
    }
  }

  return {
    push(e) {
      handle(e);
      return drain(false);
    },
    finish() {
      for (const [, open] of openEsbHcall) skip(open.at, 'spapr_xive_esb: the trace ends before its ESB access');
      openEsbHcall.clear();
      return drain(true);
    },
    skipped,
    skippedByReason,
  };
}
