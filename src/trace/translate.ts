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
import { ARG, ArgKey } from './arg-keys';
import { FAMILY_SPAPR_XIVE, FAMILY_XICS, FAMILY_XIVE, knowEventNames, TraceEvent } from './events';
import type { PresenterFacts, TraceStep } from './steps';
import { PendingPerThread } from './pending-per-thread';
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
/** A source's ESB span: two 64 KiB pages (esb_shift 17), or one (esb_shift 16). */
const ESB_TWO_PAGES = 2 ** 17;
const ESB_ONE_PAGE = 2 ** 16;
/** How many lines an event may wait for its thread's vCPU before it is guessed as 0. */
const WINDOW = 512;

const HCALL_EVENT_TABLE: Readonly<Record<string, { name: HcallName; args: readonly (keyof typeof ARG)[] }>> = {
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

interface HcallEvent {
  readonly name: HcallName;
  readonly argNames: readonly string[];
  readonly args: readonly ArgKey[];
  /** Which argument is the target vCPU, or −1. */
  readonly target: number;
}

const HCALL_EVENTS = new Map<string, HcallEvent>(Object.entries(HCALL_EVENT_TABLE).map(([event, h]) => [event, {
  name: h.name, argNames: h.args, args: h.args.map((a) => ARG[a]), target: h.args.indexOf('target'),
}]));


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
/**
 * Every event name handled below, as the reader's shared spellings: the
 * switch then compares pointers, not characters. The informational ones are
 * only counted: their arguments are never read.
 */
knowEventNames([
  ...Object.keys(HCALL_EVENT_TABLE),
  'spapr_xive_claim_irq', 'spapr_xive_set_irq', 'xive_source_esb_read', 'xive_source_esb_write',
  'xive_tctx_tm_read', 'xive_tctx_tm_write', 'xive_tctx_accept', 'xive_tctx_notify', 'xive_tctx_set_cppr',
]);
knowEventNames(Object.keys(INFORMATIONAL), false);

const INFORMATIONAL_REASONS = new Map(Object.entries(INFORMATIONAL).map(([k, v]) => [k, `${k}: ${v}`]));

/** A step's vCPU as `enqueue` takes it: an id, THREAD_VCPU (its thread's, not known yet) or NO_VCPU (it names none). */
const THREAD_VCPU = -1;
const NO_VCPU = -2;

interface Pending {
  readonly tid: number;
  readonly step: PendingStep;
  /** The step's vCPU (THREAD_VCPU until its thread's is known), file and line. */
  vcpu: number;
  readonly file: number;
  readonly line: number;
  /** Another vCPU the step names (an hcall's target): connected before it. */
  readonly target: number;
  /** An accept check that belongs after this step (the TIMA load it happened in). */
  readonly after: TraceStep | null;
}

export interface Translator {
  /** Feed one event; returns the steps now ready, in order. */
  push(e: LocatedEvent): TraceStep[];
  /**
   * Feed one event; each step now ready goes to `emit`, in order. The event
   * is read only during the call (the replay reuses one event for every line).
   */
  pushEvent(file: number, line: number, e: TraceEvent, emit: (s: TraceStep) => void): void;
  /** End of input: everything still held, with guesses where a vCPU stayed unknown. */
  finish(): TraceStep[];
  readonly skipped: Skipped[];
  /** Count of skipped events by reason (the summary). */
  readonly skippedByReason: Map<string, number>;
}

/** Where an event was read: what a held step or a skip keeps of it (never the event itself). */
interface EventSite {
  readonly file: number;
  readonly line: number;
  readonly event: string;
}

export function createTranslator(): Translator {
  const tidVcpu = new Map<number, number>();
  /** The last thread looked up or learnt and its vCPU (−1: none): consecutive lines are mostly one thread's. */
  let cachedTid = -1;
  let cachedVcpu = -1;
  const connected = new Set<number>();
  /** vCPUs below 4096 already connected: an array load instead of a Set lookup per step. */
  const connectedLow = new Uint8Array(4096);
  let device: 'xive' | 'xics' | null = null;
  /** Which controller the trace's first controller event belongs to. */
  let family: 'xive' | 'xics' | null = null;
  const xics = createXicsState();
  /** Steps waiting, in trace order; the head may wait for its vCPU. */
  const queue: Pending[] = [];
  /** Per thread: an H_INT_ESB waiting for its ESB access, and an accept's check waiting for the TIMA load it happened in. */
  const openEsbHcall = new PendingPerThread<{ at: EventSite; args: bigint[] }>();
  const openAccept = new PendingPerThread<TraceStep>();
  const skipped: Skipped[] = [];
  /** Skips counted per reason (one Map lookup per skipped event). */
  const reasonCounts = new Map<string, { n: number }>();
  /**
   * Each informational event's reason and count, by name: one lookup per
   * event (a fifth of a XIVE trace's lines are presenter notifies and PCI
   * lines), counted in reasonCounts from its first one on.
   */
  const informational = new Map([...INFORMATIONAL_REASONS].map(([name, reason]) => [name, { reason, counted: { n: 0 } }]));
  /** Where ready steps go during the current push. */
  let emit: (s: TraceStep) => void = () => undefined;

  function skip(file: number, line: number, event: string, reason: string): void {
    let counted = reasonCounts.get(reason);
    if (counted === undefined) reasonCounts.set(reason, (counted = { n: 0 }));
    noteSkip(file, line, event, reason, counted);
  }

  function noteSkip(file: number, line: number, event: string, reason: string, counted: { n: number }): void {
    counted.n++;
    if (skipped.length < 1000) skipped.push({ file, line, event, reason });
  }

  function connect(v: number, file: number, line: number): void {
    if (v < 0 || (v < connectedLow.length ? connectedLow[v] === 1 : connected.has(v))) return;
    if (v < connectedLow.length) connectedLow[v] = 1;
    connected.add(v);
    emit({ op: 'connect', vcpu: v, file, line });
  }

  function threadVcpu(tid: number): number | undefined {
    if (tid === cachedTid) return cachedVcpu;
    const v = tidVcpu.get(tid);
    if (v !== undefined) { cachedTid = tid; cachedVcpu = v; }
    return v;
  }

  function learnThreadVcpu(tid: number, vcpu: number): void {
    if (tid === cachedTid && vcpu === cachedVcpu) return;
    tidVcpu.set(tid, vcpu);
    cachedTid = tid;
    cachedVcpu = vcpu;
  }

  /**
   * A step whose vCPU is known, out: with the device and vCPU connections it
   * implies first. The step's vCPU, file and line come as arguments: reading
   * them from steps of a dozen shapes would be a slow (megamorphic) property
   * load on every step of a long trace.
   */
  function release(step: PendingStep, vcpu: number, file: number, line: number, target: number, after: TraceStep | null): void {
    if (device === null) {
      device = family ?? 'xive';
      emit({ op: 'device', kind: device, file, line });
    }
    if (vcpu >= 0) connect(vcpu, file, line);
    if (target >= 0) connect(target, file, line);
    emit(step as TraceStep);
    if (after) {
      // An XICS check that follows its hcall is on the same vCPU, known only now.
      emit(after.op === 'check-icp' && after.vcpu === -1 ? { ...after, vcpu: vcpu >= 0 ? vcpu : 0 } : after);
    }
  }

  /** A step out now, or held in order until its thread's vCPU is known (`vcpu` THREAD_VCPU). */
  function enqueue(tid: number, step: PendingStep, vcpu: number, file: number, line: number, target = -1, after: TraceStep | null = null): void {
    // Most steps are ready at once (nothing waits, the thread's vCPU is known): no queue entry.
    if (queue.length === 0) {
      if (vcpu !== THREAD_VCPU) { release(step, vcpu, file, line, target, after); return; }
      const v = threadVcpu(tid);
      if (v !== undefined) { step.vcpu = v; release(step, v, file, line, target, after); return; }
    }
    queue.push({ tid, step, vcpu, file, line, target, after });
  }

  /** The XICS half's steps (a cold path: their vCPU, file and line read from the step). */
  function enqueueXics(tid: number, step: PendingStep, target = -1, after: TraceStep | null = null): void {
    enqueue(tid, step, step.vcpu ?? NO_VCPU, step.file, step.line, target, after);
  }

  /** Release the queue's head while its thread's vCPU is known (or the window is exceeded). */
  function drain(force: boolean): void {
    while (queue.length > 0) {
      const head = queue[0]!;
      const step = head.step;
      if (head.vcpu === THREAD_VCPU) {
        const v = threadVcpu(head.tid);
        if (v === undefined && !force && queue.length < WINDOW) break;
        step.vcpu = head.vcpu = v ?? 0;
      }
      queue.shift();
      release(step, head.vcpu, head.file, head.line, head.target, head.after);
    }
  }

  function hcallEvent(file: number, line: number, e: TraceEvent, hc: HcallEvent): void {
    const name = e.name;
    const args: bigint[] = [];
    for (let k = 0; k < hc.args.length; k++) {
      const v = e.big(hc.args[k]!);
      if (v === null) { skip(file, line, name, `${name}: argument '${hc.argNames[k]}' missing or not a number`); return; }
      args.push(v);
    }
    if (name === 'spapr_xive_esb') { openEsbHcall.put(e.tid, { at: { file, line, event: name }, args }); return; }
    enqueue(e.tid, { op: 'hcall', vcpu: -1, name: hc.name, args, expect: null, file, line }, THREAD_VCPU, file, line, hc.target < 0 ? -1 : Number(args[hc.target]));
  }

  function claimIrq(file: number, line: number, e: TraceEvent): void {
    const irq = e.num(ARG.lisn);
    const lsi = e.num(ARG.lsi);
    if (irq === null || lsi === null) { skip(file, line, e.name, `${e.name}: lisn or lsi missing`); return; }
    enqueue(e.tid, { op: 'set-source', irq, lsi: lsi !== 0, file, line }, NO_VCPU, file, line);
  }

  function setIrq(file: number, line: number, e: TraceEvent): void {
    const irq = e.num(ARG.lisn);
    const level = e.num(ARG.val);
    if (irq === null || level === null) { skip(file, line, e.name, `${e.name}: lisn or val missing`); return; }
    enqueue(e.tid, { op: 'line', irq, level, file, line }, NO_VCPU, file, line);
  }

  function esbAccess(file: number, line: number, e: TraceEvent, load: boolean): void {
    const addr = e.num(ARG.addr);
    const irq = e.num(ARG.irq);
    const val = e.big(ARG.val);
    if (addr === null || irq === null || val === null) { skip(file, line, e.name, `${e.name}: address, IRQ or value missing`); return; }
    const tid = e.tid;
    const open = openEsbHcall.take(tid);
    if (open) {
      enqueue(tid, { op: 'hcall', vcpu: -1, name: 'H_INT_ESB', args: open.args, expect: load ? val : null, file, line }, THREAD_VCPU, file, line);
      return;
    }
    // ESB pages per source: two 64 KiB pages (esb_shift 17, trigger then management) by default.
    // (Constant powers: a variable exponent costs a Math.pow per ESB access.)
    const twoPages = Math.floor(addr / ESB_TWO_PAGES) === irq;
    const inSource = addr - irq * (twoPages ? ESB_TWO_PAGES : ESB_ONE_PAGE);
    const page: EsbPage = twoPages && inSource < 0x10000 ? 'trigger' : 'management';
    const offset = inSource & 0xffff;
    enqueue(tid, load
      ? { op: 'esb-load', irq, page, offset, expect: val, file, line }
      : { op: 'esb-store', irq, page, offset, value: val, file, line }, NO_VCPU, file, line);
  }

  function timaAccess(file: number, line: number, e: TraceEvent, load: boolean): void {
    const name = e.name;
    const addr = e.num(ARG.addr);
    const size = e.num(ARG.sz);
    const val = e.big(ARG.val);
    if (addr === null || size === null || val === null || !(size === 1 || size === 2 || size === 4 || size === 8)) { skip(file, line, name, `${name}: address, size or value missing`); return; }
    if (addr < TIMA_OS_PAGE || addr >= TIMA_OS_PAGE + 0x10000) { skip(file, line, name, `${name}: not the OS page of the TIMA (only the OS ring is modelled)`); return; }
    const tid = e.tid;
    const target = e.num(ARG.target);
    if (target !== null) learnThreadVcpu(tid, target);
    const offset = addr - TIMA_OS_PAGE;
    const sz = size as AccessSize;
    const after = (load ? openAccept.take(tid) : undefined) ?? null;
    const vcpu = target ?? THREAD_VCPU;
    enqueue(tid, load
      ? { op: 'tima-load', vcpu, size: sz, offset, expect: val, file, line }
      : { op: 'tima-store', vcpu, size: sz, offset, value: val, file, line }, vcpu, file, line, -1, after);
  }

  function presenterEvent(file: number, line: number, e: TraceEvent): void {
    const name = e.name;
    const target = e.num(ARG.target);
    const ring = e.num(ARG.ring);
    if (target === null) { skip(file, line, name, `${name}: target missing`); return; }
    if (ring !== null && ring !== OS_RING) { skip(file, line, name, `${name}: ring 0x${ring.toString(16)} is not the OS ring (only the OS ring is modelled)`); return; }
    const tid = e.tid;
    if (name !== 'xive_tctx_notify') learnThreadVcpu(tid, target);
    // QEMU traces set_cppr before it stores CPPR and re-notifies: its NSR is the state
    // before the store (the notify line that follows states the new one); IPB/PIPR do not change.
    const f: PresenterFacts = {
      nsr: name === 'xive_tctx_set_cppr' ? null : e.num(ARG.nsr), cppr: e.num(ARG.cppr), ipb: e.num(ARG.ipb), pipr: e.num(ARG.pipr),
    };
    if (name === 'xive_tctx_accept') {
      // Its check, made now, goes out after the TIMA load it happened in.
      openAccept.put(tid, { op: 'check-presenter', vcpu: target, event: name, facts: f, file, line });
      return;
    }
    enqueue(tid, { op: 'check-presenter', vcpu: target, event: name, facts: f, file, line }, target, file, line);
  }

  function handle(file: number, line: number, e: TraceEvent): void {
    // Shared spellings (knowEventNames above): the comparisons below are pointer compares.
    const name = e.name;
    const fam = e.family;
    if (family === null && (fam === FAMILY_XICS || fam === FAMILY_XIVE || fam === FAMILY_SPAPR_XIVE)) family = fam === FAMILY_XICS ? 'xics' : 'xive';
    if (fam === FAMILY_XICS) {
      cachedTid = -1; // the XICS half updates the map itself
      const r = xicsEvent(xics, file, line, e, tidVcpu, enqueueXics);
      if (r !== null) skip(file, line, name, r);
      return;
    }
    switch (name) {
      case 'spapr_xive_set_irq': setIrq(file, line, e); return;
      case 'xive_source_esb_read': esbAccess(file, line, e, true); return;
      case 'xive_source_esb_write': esbAccess(file, line, e, false); return;
      case 'xive_tctx_tm_read': timaAccess(file, line, e, true); return;
      case 'xive_tctx_tm_write': timaAccess(file, line, e, false); return;
      case 'xive_tctx_accept':
      case 'xive_tctx_notify':
      case 'xive_tctx_set_cppr': presenterEvent(file, line, e); return;
      case 'spapr_xive_claim_irq': claimIrq(file, line, e); return;
      default: {
        const hc = fam === FAMILY_SPAPR_XIVE ? HCALL_EVENTS.get(name) : undefined;
        if (hc) { hcallEvent(file, line, e, hc); return; }
        const info = informational.get(name);
        if (info) {
          if (info.counted.n === 0) reasonCounts.set(info.reason, info.counted);
          noteSkip(file, line, name, info.reason, info.counted);
          return;
        }
        skip(file, line, name, `${name}: unknown event`);
      }
    }
  }

  return {
    push(e) {
      const out: TraceStep[] = [];
      emit = (s) => { out.push(s); };
      handle(e.file, e.line, e.event);
      drain(false);
      return out;
    },
    pushEvent(file, line, e, sink) {
      emit = sink;
      handle(file, line, e);
      if (queue.length > 0) drain(false);
    },
    finish() {
      for (const open of openEsbHcall.takeAll()) skip(open.at.file, open.at.line, open.at.event, 'spapr_xive_esb: the trace ends before its ESB access');
      const out: TraceStep[] = [];
      emit = (s) => { out.push(s); };
      drain(true);
      return out;
    },
    skipped,
    get skippedByReason() {
      const out = new Map<string, number>();
      for (const [reason, c] of reasonCounts) out.set(reason, c.n);
      return out;
    },
  };
}
