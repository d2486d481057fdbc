/**
 * The replay of a QEMU sPAPR trace on the model (the kernel's semantics):
 * each guest or device operation in the trace becomes one model operation
 * through the facade (src/model/vm.ts); each value QEMU returned and each
 * presenter state it printed becomes a check against the model.
 *
 * XIVE: claims, H_INT_* hcalls, ESB and TIMA loads and stores, line changes;
 * checks of ESB/TIMA load values and of IPB/PIPR/CPPR/NSR after notify,
 * accept and set_cppr.
 * XICS: ibm,set-xive (ics_write_xive), line changes (ics_set_irq_*), H_IPI
 * (icp_check_ipi), H_XIRR (icp_accept), H_EOI (icp_eoi); checks of the XIRR
 * returned and of the CPPR after, of the delivery QEMU attempted
 * (icp_irq/icp_raise). QEMU does not print an H_CPPR nor an H_IPI that raises
 * nothing: those are inferred where the trace shows them happened (README).
 */
import type { OperationResult } from '../dsl/runtime';
import * as model from '../model';
import { XICS_GRP, XIVE_GRP } from '../model/attr';
import type { HcallName } from '../model/hcalls';
import type { VmState } from '../model/state';
import type { TraceEvent } from './reader';
import type { PerformedStatement, TraceCheck, TraceStepResult } from './types';

/** A TIMA store of a thread whose vCPU is not known yet (QEMU 7.2 does not print it), done once it is. */
interface PendingTima {
  readonly kind: 'tima';
  readonly size: model.AccessSize;
  readonly offset: number;
  readonly value: bigint;
}
/** An H_XIRR of a thread whose vCPU is not known yet (icp_accept does not name it). */
interface PendingAccept {
  readonly kind: 'accept';
  readonly oldXirr: number;
  readonly newXirr: number;
  readonly line: number;
}
type Pending = PendingTima | PendingAccept;

export interface ReplayState {
  readonly vm: VmState;
  /** QEMU thread id → the vCPU it runs (learnt from the events that name it). */
  readonly vcpuOfThread: Map<number, number>;
  readonly pending: Map<number, Pending[]>;
  /** XIVE: the ACK load done at an accept, by vCPU, checked at the TIMA load line that follows. */
  readonly acked: Map<number, model.Result<bigint>>;
  /** XICS: the server of the last icp_irq (icp_raise does not name it). */
  lastIrqServer: number;
  /** XICS: sources created in the model. */
  readonly sources: Set<number>;
  /** XICS: the level each source's line has (MSIs pulse: 1 then 0). */
  readonly levels: Map<number, number>;
  /** XICS: vCPUs that accepted an IPI and have not written their MFRR since. */
  readonly ipiTaken: Set<number>;
}

export function initialReplayState(): ReplayState {
  return {
    vm: model.createVm(),
    vcpuOfThread: new Map(),
    pending: new Map(),
    acked: new Map(),
    lastIrqServer: -1,
    sources: new Set(),
    levels: new Map(),
    ipiTaken: new Set(),
  };
}

export function cloneReplayState(s: ReplayState): ReplayState {
  return {
    vm: model.snapshotVm(s.vm),
    vcpuOfThread: new Map(s.vcpuOfThread),
    pending: new Map([...s.pending].map(([k, v]) => [k, [...v]])),
    acked: new Map(s.acked),
    lastIrqServer: s.lastIrqServer,
    sources: new Set(s.sources),
    levels: new Map(s.levels),
    ipiTaken: new Set(s.ipiTaken),
  };
}

/** Rough bytes of one copy of the state: a device's fixed tables, guest pages (queues), source blocks, presenters. */
export function approxReplayBytes(s: ReplayState): number {
  const vm = s.vm;
  const blocks = vm.device ? vm.device.blockIds.length : 0;
  return 4096 + (vm.device ? 96 * 1024 : 0) + vm.memory.pages.size * 65536 + blocks * 1024 * 24 + vm.vcpus.length * 2048 + s.sources.size * 16;
}

/** The OS ring's ACK special operation (TM_SPC_ACK_OS_REG) in the TIMA. */
const TM_SPC_ACK_OS = 0x810;
const XICS_IPI = 2;
/** sPAPR's fixed interrupt numbers: 0x1200..0x12ff are the PHBs' LSIs (hw/ppc/spapr_irq.h, SPAPR_IRQ_PCI_LSI). */
const SPAPR_LSI_FIRST = 0x1200;
const SPAPR_LSI_END = 0x1300;

export function hex(v: bigint | number): string {
  return typeof v === 'number' && v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** Where a step is, for messages of deferred operations. */
export interface ReplayWhere {
  readonly line: number;
}

/** Collects the statements performed when an import asks for them; replay alone passes none. */
export type StatementSink = ((s: PerformedStatement) => void) | null;

/** A check that held: one shared object (passing checks are only counted). */
const HELD: TraceCheck = { ok: true, what: '', qemu: '', model: '' };

class Step {
  readonly checks: TraceCheck[] = [];
  result: OperationResult;
  constructor(display: string, readonly emit: StatementSink) {
    this.result = { ok: true, display };
  }
  statement(text: string, note?: string): void {
    if (this.emit) this.emit(note ? { text, note } : { text });
  }
  /** QEMU's value against the model's; the words are built only when they differ (most checks hold). */
  compare(what: () => string, qemu: bigint | number, mine: bigint | number | undefined, missing: string, state: () => string): void {
    if (mine !== undefined && same(qemu, mine)) this.checks.push(HELD);
    else this.checks.push({ ok: false, what: what(), qemu: hex(qemu), model: mine === undefined ? missing : hex(mine), state: state() });
  }
  /** Adds a check; the state text is built only when the check fails (it costs a view of the model). */
  check(c: Omit<TraceCheck, 'state'> & { readonly state?: () => string }): void {
    const { state, ...rest } = c;
    this.checks.push(!c.ok && state ? { ...rest, state: state() } : rest);
  }
  done(): TraceStepResult {
    return { result: this.result, checks: this.checks };
  }
}

const LINE_SET: OperationResult = { ok: true, display: 'line changed' };
const ESB_STORED: OperationResult = { ok: true, display: 'ESB store' };
const TIMA_STORED: OperationResult = { ok: true, display: 'TIMA store' };

function fromResult<T>(r: model.Result<T>, display: (v: T) => string): OperationResult {
  return r.ok ? { ok: true, display: display(r.value) } : { ok: false, errno: r.errno, reason: r.reason, display: `${r.errno}: ${r.reason}` };
}

/** ` -> ERRNO` when the model refused (QEMU's trace does not print the result): the import stays runnable. */
function outcome(r: model.Result<unknown>): string {
  return r.ok ? '' : ` -> ${r.errno}`;
}

function num(ev: TraceEvent, k: string): bigint {
  const v = ev.args.values[k];
  return typeof v === 'bigint' ? v : BigInt(v ?? 0);
}

function int(ev: TraceEvent, k: string): number {
  const v = ev.args.values[k];
  return typeof v === 'number' ? v : v === undefined ? 0 : Number(BigInt.asIntN(53, v));
}

/** QEMU's number against the model's, without making a bigint when both fit a double. */
function same(qemu: number | bigint, mine: number | bigint): boolean {
  if (typeof qemu === 'number') return typeof mine === 'number' ? mine === qemu : mine >= 0n && mine <= MAX_EXACT && Number(mine) === qemu;
  return typeof mine === 'bigint' ? mine === qemu : BigInt(mine) === qemu;
}
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------- the device and the vCPUs

function ensureDevice(s: ReplayState, step: Step, kind: 'xive' | 'xics'): boolean {
  const dev = s.vm.device;
  if (!dev) {
    model.createDevice(s.vm, kind);
    if (step.emit) step.statement(`device ${kind}`);
    return true;
  }
  const have = dev.kind === 'xive' ? 'xive' : 'xics';
  if (have === kind) return true;
  step.check({ ok: false, what: 'interrupt mode', qemu: `a ${kind.toUpperCase()} event`, model: `the trace started in ${have.toUpperCase()} mode`, reason: 'one trace is one machine run: its events must all be XIVE or all XICS' });
  return false;
}

function connect(s: ReplayState, step: Step, vcpu: number): void {
  if (model.findVcpu(s.vm, vcpu)?.mode !== undefined && model.findVcpu(s.vm, vcpu)?.mode !== 'none') return;
  const r = model.enableCap(s.vm, vcpu, { server: vcpu });
  if (step.emit) step.statement(`vcpu ${vcpu} connect${outcome(r)}`);
}

function presenterFields(vm: VmState, vcpu: number): Record<string, number> | undefined {
  const p = model.inspectPresenters(vm).find((x) => x.vcpu === vcpu);
  return p ? model.decodeToRecord(p.layout, p.word) : undefined;
}

function presenterText(vm: VmState, vcpu: number, fields: readonly string[]): string {
  const f = presenterFields(vm, vcpu);
  if (!f) return `vCPU ${vcpu}: no presenter`;
  return `vCPU ${vcpu}: ${fields.map((k) => `${k.toUpperCase()} ${hex(f[k] ?? 0)}`).join(' ')}`;
}

function learnVcpu(s: ReplayState, step: Step, tid: number | null, vcpu: number, where: ReplayWhere): void {
  if (tid === null || s.vcpuOfThread.get(tid) === vcpu) return;
  s.vcpuOfThread.set(tid, vcpu);
  const waiting = s.pending.get(tid);
  if (!waiting) return;
  s.pending.delete(tid);
  for (const op of waiting) {
    if (op.kind === 'tima') timaStore(s, step, vcpu, op);
    else xicsAccept(s, step, vcpu, op.oldXirr, op.newXirr, op.line === where.line ? undefined : op.line);
  }
}

function defer(s: ReplayState, tid: number | null, op: Pending): void {
  const key = tid ?? -1;
  const list = s.pending.get(key) ?? [];
  // A thread that never names its vCPU must not grow the state without bound.
  if (list.length < 64) list.push(op);
  s.pending.set(key, list);
}

// ---------------------------------------------------------------- XIVE

function xiveHcall(s: ReplayState, step: Step, vcpu: number, name: HcallName, args: readonly bigint[]): void {
  connect(s, step, vcpu);
  const r = model.hcall(s.vm, vcpu, name, args);
  step.result = { ok: r.ret === 'H_SUCCESS', hret: r.ret, reason: r.reason, display: `${name} → ${r.ret}${r.reason ? `: ${r.reason}` : ''}` };
  if (step.emit) step.statement(`hcall vcpu ${vcpu} ${name} ${args.map((a) => hex(a)).join(', ')} -> ${r.ret}`, 'QEMU prints the hcall, not its return code: the expectation is the model\'s');
}

function timaStore(s: ReplayState, step: Step, vcpu: number, op: { size: model.AccessSize; offset: number; value: bigint }): void {
  connect(s, step, vcpu);
  const r = model.timaStore(s.vm, vcpu, op.size, op.offset, op.value);
  step.result = r.ok ? TIMA_STORED : fromResult(r, () => '');
  if (step.emit) step.statement(`tima vcpu ${vcpu} store${op.size * 8} ${hex(op.offset)} ${hex(op.value)}${outcome(r)}`);
}

function accessSize(ev: TraceEvent): model.AccessSize | null {
  const n = int(ev, 'size');
  return n === 1 || n === 2 || n === 4 || n === 8 ? n : null;
}

function xive(s: ReplayState, step: Step, ev: TraceEvent, where: ReplayWhere): void {
  const vm = s.vm;
  switch (ev.name) {
    case 'spapr_xive_claim_irq': {
      const lisn = num(ev, 'lisn');
      const lsi = num(ev, 'lsi') !== 0n;
      const r = model.setAttr(vm, XIVE_GRP.SOURCE, lisn, { kind: 'word', word: lsi ? 1n : 0n });
      step.result = fromResult(r, () => `claimed source ${hex(lisn)}${lsi ? ' (LSI)' : ''}`);
      if (step.emit) step.statement(`set source ${hex(lisn)} = ${lsi ? 1 : 0}${outcome(r)}`);
      return;
    }
    case 'spapr_xive_set_source_config':
      return xiveHcall(s, step, int(ev, 'target'), 'H_INT_SET_SOURCE_CONFIG', [num(ev, 'flags'), num(ev, 'lisn'), num(ev, 'target'), num(ev, 'priority'), num(ev, 'eisn')]);
    case 'spapr_xive_set_queue_config':
      return xiveHcall(s, step, int(ev, 'target'), 'H_INT_SET_QUEUE_CONFIG', [num(ev, 'flags'), num(ev, 'target'), num(ev, 'priority'), num(ev, 'qpage'), num(ev, 'qsize')]);
    case 'spapr_xive_esb':
      // H_INT_ESB: QEMU does the access itself and traces it as the ESB load or store on the next line.
      step.result = { ok: true, display: `H_INT_ESB ${hex(num(ev, 'lisn'))} offset ${hex(num(ev, 'offset'))} (the ESB access follows)` };
      return;
    case 'spapr_xive_set_irq': {
      const lisn = int(ev, 'lisn');
      const val = int(ev, 'val');
      const r = model.irqLine(vm, lisn, val);
      step.result = r.ok ? LINE_SET : fromResult(r, () => '');
      if (step.emit) step.statement(`line ${hex(lisn)} ${val ? 'assert' : 'deassert'}${outcome(r)}`);
      return;
    }
    case 'xive_source_esb_read':
    case 'xive_source_esb_write': {
      const addr = int(ev, 'addr');
      const irq = int(ev, 'srcno');
      // Two 64 KiB pages per source: the trigger page, then the management (EOI) page.
      const page: model.EsbPage = Math.floor(addr / 0x10000) % 2 === 1 ? 'management' : 'trigger';
      const offset = addr % 0x10000;
      const pageWord = page === 'trigger' ? ' trigger' : '';
      if (ev.name === 'xive_source_esb_write') {
        const r = model.esbStore(vm, irq, offset, num(ev, 'val'), page);
        step.result = r.ok ? ESB_STORED : fromResult(r, () => '');
        if (step.emit) step.statement(`esb ${hex(irq)}${pageWord} store ${hex(offset)} ${hex(num(ev, 'val'))}${outcome(r)}`);
        return;
      }
      const r = model.esbLoad(vm, irq, offset, page);
      const qemu = ev.args.values.val ?? 0;
      const what = (): string => `ESB load ${hex(offset)} of source ${hex(irq)}`;
      const state = (): string => sourceText(vm, irq);
      if (r.ok) step.compare(what, qemu, r.value, '', state);
      else step.check({ ok: false, what: what(), qemu: hex(qemu), model: r.errno, reason: r.reason, state });
      step.result = r.ok ? { ok: true, value: r.value, display: 'ESB load' } : fromResult(r, () => '');
      if (step.emit) step.statement(`esb ${hex(irq)}${pageWord} load ${hex(offset)} -> ${hex(qemu)}`);
      return;
    }
    case 'xive_tctx_tm_write': {
      const size = accessSize(ev);
      if (size === null) {
        step.check({ ok: false, what: 'TIMA store size', qemu: String(num(ev, 'size')), model: '1, 2, 4 or 8', reason: 'a TIMA access is 1, 2, 4 or 8 bytes' });
        return;
      }
      const op: PendingTima = { kind: 'tima', size, offset: int(ev, 'offset') % 0x10000, value: num(ev, 'val') };
      const vcpu = ev.args.values.target !== undefined ? int(ev, 'target') : ev.tid !== null ? s.vcpuOfThread.get(ev.tid) : undefined;
      if (vcpu === undefined) {
        // QEMU 7.2 does not name the vCPU: the presenter event it prints next does.
        defer(s, ev.tid, op);
        step.result = { ok: true, display: `TIMA store ${hex(op.offset)} = ${hex(op.value)} (done once thread ${ev.tid}'s vCPU is known)` };
        return;
      }
      timaStore(s, step, vcpu, op);
      return;
    }
    case 'xive_tctx_tm_read': {
      const size = accessSize(ev);
      const vcpu = ev.args.values.target !== undefined ? int(ev, 'target') : ev.tid !== null ? s.vcpuOfThread.get(ev.tid) : undefined;
      if (vcpu === undefined || size === null) {
        step.result = { ok: true, display: 'TIMA load (vCPU not known yet)' };
        return;
      }
      const offset = int(ev, 'offset') % 0x10000;
      const what = (): string => `TIMA load${size * 8} ${hex(offset)} on vCPU ${vcpu}`;
      // An ACK was done when QEMU printed its accept (the line before): its value is checked here.
      const acked = offset === TM_SPC_ACK_OS ? s.acked.get(vcpu) : undefined;
      s.acked.delete(vcpu);
      if (!acked) connect(s, step, vcpu);
      const r = acked ?? model.timaLoad(vm, vcpu, size, offset);
      const qemu = ev.args.values.val ?? 0;
      const state = (): string => presenterText(vm, vcpu, ['cppr', 'pipr', 'ipb', 'nsr']);
      if (r.ok) step.compare(what, qemu, r.value, '', state);
      else step.check({ ok: false, what: what(), qemu: hex(qemu), model: r.errno, reason: r.reason, state });
      step.result = r.ok ? { ok: true, value: r.value, display: 'TIMA load' } : fromResult(r, () => '');
      if (step.emit) step.statement(`tima vcpu ${vcpu} load${size * 8} ${hex(offset)} -> ${hex(qemu)}`);
      return;
    }
    case 'xive_tctx_set_cppr':
    case 'xive_tctx_accept':
    case 'xive_tctx_notify': {
      const target = int(ev, 'target');
      if (ev.name !== 'xive_tctx_notify') learnVcpu(s, step, ev.tid, target, where);
      // QEMU prints the accept inside the guest's ACK load, before the load's own line: the ACK is done now.
      if (ev.name === 'xive_tctx_accept') {
        connect(s, step, target);
        s.acked.set(target, model.timaLoad(vm, target, 2, TM_SPC_ACK_OS));
      }
      // set_cppr is printed before the update (the new CPPR is what it sets), notify and accept after it.
      const fields = ev.name === 'xive_tctx_set_cppr' ? ['cppr'] : ['ipb', 'pipr', 'cppr', 'nsr'];
      const vp = presenterFields(vm, target);
      const state = (): string => presenterText(vm, target, ['cppr', 'pipr', 'ipb', 'nsr']);
      for (const field of fields) {
        const qemu = ev.args.values[field];
        if (qemu === undefined) continue;
        const mine = vp?.[field];
        step.compare(() => `vCPU ${target} ${field.toUpperCase()} after ${ev.name}`, qemu, mine, 'no presenter', state);
      }
      step.result = { ok: true, display: ev.name };
      // Not a `get vp` (a host access would stop the vCPU): what QEMU printed stays a comment.
      if (step.emit && ev.name !== 'xive_tctx_set_cppr') step.statement(`# QEMU after ${ev.name.slice(10)}: vCPU ${target} ${fields.map((f) => `${f.toUpperCase()} ${hex(num(ev, f))}`).join(' ')}`);
      return;
    }
    default:
      step.result = { ok: true, display: ev.name };
  }
}

function sourceText(vm: VmState, irq: number): string {
  const v = model.inspectSources(vm).find((x) => x.irq === irq);
  if (!v) return `source ${hex(irq)}: does not exist`;
  const pq = ['00', '01', '10', '11'][v.pq & 3];
  return `source ${hex(irq)}: PQ ${pq}${v.routed ? `, server ${v.server} priority ${v.priority}` : ', not routed'}`;
}

// ---------------------------------------------------------------- XICS

function xicsVcpu(s: ReplayState, step: Step, vcpu: number): void {
  connect(s, step, vcpu);
}

function ensureSource(s: ReplayState, step: Step, irq: number, lsi: boolean): void {
  if (s.sources.has(irq)) return;
  s.sources.add(irq);
  // QEMU creates every source masked (priority 0xff) at reset; its LSIs are sPAPR's fixed PHB range.
  const isLsi = lsi || (irq >= SPAPR_LSI_FIRST && irq < SPAPR_LSI_END);
  const word = (0xffn << 32n) | (isLsi ? 1n << 40n : 0n) | (1n << 41n);
  const r = model.setAttr(s.vm, XICS_GRP.SOURCES, BigInt(irq), { kind: 'word', word });
  if (step.emit) step.statement(`set source ${hex(irq)} = { priority 0xff, masked 1${isLsi ? ', level_sensitive 1' : ''} }${outcome(r)}`, 'QEMU created the source at reset (not in the trace)');
}

function xicsHcall(s: ReplayState, step: Step, vcpu: number, name: HcallName, args: readonly bigint[], note?: string): model.HcallResult {
  xicsVcpu(s, step, vcpu);
  const r = model.hcall(s.vm, vcpu, name, args);
  step.result = { ok: r.ret === 'H_SUCCESS', hret: r.ret, reason: r.reason, value: r.r[0], display: `${name}${args.length ? ` ${args.map((a) => hex(a)).join(', ')}` : ''} → ${r.ret}${r.r.length ? ` ${hex(r.r[0])}` : ''}${r.reason ? `: ${r.reason}` : ''}` };
  if (step.emit && name !== 'H_XIRR') step.statement(`hcall vcpu ${vcpu} ${name} ${args.map((a) => hex(a)).join(', ')} -> ${r.ret}`, note);
  return r;
}

function xicsAccept(s: ReplayState, step: Step, vcpu: number, oldXirr: number, newXirr: number, deferredFrom?: number): void {
  xicsVcpu(s, step, vcpu);
  const from = deferredFrom !== undefined ? ` (line ${deferredFrom + 1}, done once the thread's vCPU was known)` : '';
  // QEMU does not print H_CPPR: the CPPR the accept started from (the XIRR's top byte) says what the guest set.
  const icp = presenterFields(s.vm, vcpu);
  const cppr = oldXirr >>> 24;
  if (icp && icp.cppr !== cppr) xicsHcall(s, step, vcpu, 'H_CPPR', [BigInt(cppr)], 'inferred: QEMU does not trace H_CPPR; the XIRR accepted next shows this CPPR');
  const r = xicsHcall(s, step, vcpu, 'H_XIRR', []);
  const state = (): string => presenterText(s.vm, vcpu, ['cppr', 'xisr', 'mfrr', 'ppri']);
  const got = r.ret === 'H_SUCCESS' ? Number(r.r[0] ?? 0n) : null;
  step.check({ ok: got === oldXirr, what: `H_XIRR on vCPU ${vcpu}${from}`, qemu: hex(oldXirr), model: got === null ? r.ret : hex(got), reason: r.reason, state });
  const after = presenterFields(s.vm, vcpu);
  step.check({ ok: after?.cppr === newXirr >>> 24, what: `vCPU ${vcpu} CPPR after H_XIRR${from}`, qemu: hex(newXirr >>> 24), model: after ? hex(after.cppr) : 'no presenter', state });
  if (step.emit) step.statement(`hcall vcpu ${vcpu} H_XIRR -> ${hex(oldXirr)}`);
  if ((oldXirr & 0xffffff) === XICS_IPI) s.ipiTaken.add(vcpu);
}

function xics(s: ReplayState, step: Step, ev: TraceEvent, where: ReplayWhere): void {
  const vm = s.vm;
  switch (ev.name) {
    case 'xics_ics_write_xive': {
      const irq = int(ev, 'nr');
      ensureSource(s, step, irq, false);
      const server = int(ev, 'server');
      const prio = int(ev, 'priority');
      xicsVcpu(s, step, server);
      const r = model.rtas(vm, 'ibm,set-xive', [irq, server, prio]);
      step.result = { ok: r.status === 0, reason: r.reason, display: `ibm,set-xive ${hex(irq)} server ${server} priority ${hex(prio)} → ${r.status}${r.reason ? `: ${r.reason}` : ''}` };
      step.check({ ok: r.status === 0, what: `ibm,set-xive ${hex(irq)}`, qemu: 'done (ics_write_xive)', model: `status ${r.status}`, reason: r.reason });
      if (step.emit) step.statement(`rtas ibm,set-xive ${hex(irq)}, ${server}, ${hex(prio)} -> 0`);
      return;
    }
    case 'xics_ics_set_irq_msi':
    case 'xics_ics_set_irq_lsi': {
      const irq = int(ev, 'nr');
      const lsi = ev.name === 'xics_ics_set_irq_lsi';
      ensureSource(s, step, irq, lsi);
      // QEMU prints the call, not the level: an MSI is a pulse (1 then 0); an LSI's line alternates,
      // starting low (the PCI bus reset deasserts every pin before a device raises one).
      const level = s.levels.has(irq) ? (s.levels.get(irq) ?? 0) ^ 1 : lsi ? 0 : 1;
      s.levels.set(irq, level);
      const how = lsi ? (level ? 'set_level' : 'unset') : level ? 'set' : 'unset';
      const r = model.irqLine(vm, irq, model.IRQ_LEVELS[how]);
      step.result = fromResult(r, () => `line ${hex(irq)} ${how}`);
      if (step.emit) step.statement(`line ${hex(irq)} ${how}${outcome(r)}`);
      return;
    }
    case 'xics_icp_irq': {
      const irq = int(ev, 'nr');
      const server = int(ev, 'server');
      s.lastIrqServer = server;
      const v = model.inspectSources(vm).find((x) => x.irq === irq);
      const state = (): string => sourceText(vm, irq);
      step.check({ ok: v !== undefined && v.server === server && v.priority === int(ev, 'priority'), what: `source ${hex(irq)} routing QEMU delivered with`, qemu: `server ${server} priority ${hex(int(ev, 'priority'))}`, model: v ? `server ${v.server} priority ${hex(v.priority)}` : 'no source', state });
      return;
    }
    case 'xics_icp_raise': {
      const server = s.lastIrqServer;
      const icp = server >= 0 ? presenterFields(vm, server) : undefined;
      const xirr = int(ev, 'xirr');
      const state = (): string => presenterText(vm, server, ['cppr', 'xisr', 'mfrr', 'ppri']);
      step.check({ ok: icp !== undefined && icp.xisr === (xirr & 0xffffff) && icp.ppri === int(ev, 'pending_priority'), what: `vCPU ${server} pending interrupt after the delivery`, qemu: `XISR ${hex(xirr & 0xffffff)} priority ${hex(int(ev, 'pending_priority'))}`, model: icp ? `XISR ${hex(icp.xisr)} priority ${hex(icp.ppri)}` : 'no presenter', state });
      return;
    }
    case 'xics_icp_check_ipi': {
      const server = int(ev, 'server');
      const mfrr = num(ev, 'mfrr');
      s.ipiTaken.delete(server);
      // Every vCPU has its ICP from the start in QEMU: the target exists even before it runs.
      xicsVcpu(s, step, server);
      const caller = ev.tid !== null ? s.vcpuOfThread.get(ev.tid) ?? server : server;
      xicsHcall(s, step, caller, 'H_IPI', [BigInt(server), mfrr]);
      const icp = presenterFields(vm, server);
      step.check({ ok: icp?.mfrr === Number(mfrr), what: `vCPU ${server} MFRR after H_IPI`, qemu: hex(mfrr), model: icp ? hex(icp.mfrr) : 'no presenter', state: () => presenterText(vm, server, ['cppr', 'xisr', 'mfrr', 'ppri']) });
      return;
    }
    case 'xics_icp_accept': {
      const oldXirr = int(ev, 'old_xirr');
      const newXirr = int(ev, 'new_xirr');
      const vcpu = ev.tid !== null ? s.vcpuOfThread.get(ev.tid) : undefined;
      if (vcpu === undefined) {
        // icp_accept does not name the vCPU; the thread's next icp_eoi does.
        defer(s, ev.tid, { kind: 'accept', oldXirr, newXirr, line: where.line });
        step.result = { ok: true, display: `H_XIRR → ${hex(oldXirr)} (done once thread ${ev.tid}'s vCPU is known)` };
        return;
      }
      xicsAccept(s, step, vcpu, oldXirr, newXirr);
      return;
    }
    case 'xics_icp_eoi': {
      const server = int(ev, 'server');
      learnVcpu(s, step, ev.tid, server, where);
      const given = num(ev, 'xirr');
      if ((Number(given) & 0xffffff) === XICS_IPI && s.ipiTaken.has(server)) {
        // Linux cancels its IPI (H_IPI 0xff) before the EOI; QEMU prints an H_IPI only when it raises one.
        xicsHcall(s, step, server, 'H_IPI', [BigInt(server), 0xffn], 'inferred: the guest cleared its MFRR (QEMU traces an H_IPI only when it raises)');
      }
      s.ipiTaken.delete(server);
      xicsHcall(s, step, server, 'H_EOI', [given]);
      const icp = presenterFields(vm, server);
      const newCppr = int(ev, 'new_xirr') >>> 24;
      step.check({ ok: icp?.cppr === newCppr, what: `vCPU ${server} CPPR after H_EOI`, qemu: hex(newCppr), model: icp ? hex(icp.cppr) : 'no presenter', state: () => presenterText(vm, server, ['cppr', 'xisr', 'mfrr', 'ppri']) });
      return;
    }
    default:
      // ics_eoi, ics_reject, masked_pending: parts of the operations above.
      step.result = { ok: true, display: ev.name };
  }
}

/** Replays one event on the state: the model operations it stands for and the checks of what QEMU printed. */
export function replayEvent(s: ReplayState, ev: TraceEvent, where: ReplayWhere, emit: StatementSink = null): TraceStepResult {
  const step = new Step(ev.name, emit);
  if (ev.family === 'pci') {
    // The PHB's view of an MSI or LSI: the controller's own event on the next lines does the operation.
    return step.done();
  }
  if (!ensureDevice(s, step, ev.family)) return step.done();
  if (ev.family === 'xive') xive(s, step, ev, where);
  else xics(s, step, ev, where);
  return step.done();
}

/** The names a function breakpoint can use for an event: its own, and the operation's. */
export function operationNamesOf(ev: { readonly name: string }): readonly string[] {
  const extra: Record<string, string[]> = {
    xive_tctx_tm_read: ['tima'],
    xive_tctx_tm_write: ['tima'],
    xive_source_esb_read: ['esb'],
    xive_source_esb_write: ['esb'],
    spapr_xive_set_source_config: ['H_INT_SET_SOURCE_CONFIG', 'hcall'],
    spapr_xive_set_queue_config: ['H_INT_SET_QUEUE_CONFIG', 'hcall'],
    spapr_xive_esb: ['H_INT_ESB', 'hcall'],
    spapr_xive_set_irq: ['line'],
    xics_icp_accept: ['H_XIRR', 'hcall'],
    xics_icp_eoi: ['H_EOI', 'hcall'],
    xics_icp_check_ipi: ['H_IPI', 'hcall'],
    xics_ics_write_xive: ['ibm,set-xive', 'rtas'],
    xics_ics_set_irq_msi: ['line'],
    xics_ics_set_irq_lsi: ['line'],
  };
  return [ev.name, ...(extra[ev.name] ?? [])];
}
