/**
 * The replay of a QEMU sPAPR XIVE trace on the model, as the debugger's
 * TraceReplayCore: which lines are steps, one line replayed on a copyable
 * state, the checks.
 *
 * INTERIM: a small replay written so the debugger can be built and tested
 * before the trace layer (src/trace) lands; it performs the guest's and the
 * devices' operations (claims, H_INT_* hcalls, ESB and TIMA accesses, line
 * changes) and checks what QEMU printed: the values its ESB and TIMA loads
 * returned, and the presenter state (IPB, PIPR, CPPR, NSR) after a notify or
 * an accept, the new CPPR at set_cppr. It is to be replaced by an adapter
 * over src/trace's replay (the same interface).
 */
import * as model from '../model';
import { XIVE_GRP } from '../model/attr';
import type { HcallName } from '../model/hcalls';
import type { VmState } from '../model/state';
import { snapshotVm } from '../model';
import type { OperationResult } from '../dsl/runtime';
import type { TraceCheck, TraceReplayCore, TraceStepResult } from './execution/trace-program';

interface ReplayState {
  vm: VmState;
  /** QEMU thread id → the vCPU it runs (learnt from the presenter events it prints). */
  vcpuOfThread: Map<string, number>;
  /** TIMA accesses of a thread whose vCPU is not known yet, done once it is. */
  pending: Map<string, { size: model.AccessSize; offset: number; value: bigint }[]>;
  /** The ACK load done at an accept, by vCPU, for the TIMA load line that follows. */
  acked: Map<number, model.Result<bigint>>;
}

/** The OS ring's ACK special operation (TM_SPC_ACK_OS_REG) in the TIMA. */
const TM_SPC_ACK_OS = 0x810;

const LINE = /^(?:(\d+)@(\d+(?:\.\d+)?):)?((?:xive|spapr_xive|xics|spapr_pci)_[a-z0-9_]+)(?: (.*))?$/;
const ARG = /([A-Za-z_]+)=(0x[0-9a-fA-F]+|-?\d+)/g;

/** `key=value` arguments as text; numbers are converted when read (most events read few of them). */
function args(text: string): Map<string, string> {
  const out = new Map<string, string>();
  ARG.lastIndex = 0;
  for (let m = ARG.exec(text); m; m = ARG.exec(text)) out.set(m[1].toLowerCase(), m[2]);
  return out;
}

/** A check that held: one shared object (the debugger only counts these). */
const HELD: TraceCheck = { ok: true, what: '', qemu: '', model: '' };

/** QEMU's value against the model's; the words are built only when they differ. */
function compare(what: () => string, qemu: bigint, mine: bigint | number | undefined, missing = 'nothing'): TraceCheck {
  if (mine !== undefined && BigInt(mine) === qemu) return HELD;
  return { ok: false, what: what(), qemu: hex(qemu), model: mine === undefined ? missing : hex(mine) };
}

function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

function done(display: string, extra: Partial<OperationResult> = {}): TraceStepResult {
  return { result: { ok: true, display, ...extra }, checks: [] };
}

function fromResult<T>(r: model.Result<T>, display: (v: T) => string): OperationResult {
  return r.ok ? { ok: true, display: display(r.value) } : { ok: false, errno: r.errno, reason: r.reason, display: `${r.errno}: ${r.reason}` };
}

function connect(s: ReplayState, vcpu: number): void {
  if (model.findVcpu(s.vm, vcpu)?.mode === 'xive') return;
  model.enableCap(s.vm, vcpu, { server: vcpu });
}

function hcall(s: ReplayState, vcpu: number, name: HcallName, a: readonly bigint[]): TraceStepResult {
  connect(s, vcpu);
  const r = model.hcall(s.vm, vcpu, name, a);
  return { result: { ok: r.ret === 'H_SUCCESS', hret: r.ret, reason: r.reason, display: `${name} → ${r.ret}${r.reason ? `: ${r.reason}` : ''}` }, checks: [] };
}

function timaAccess(s: ReplayState, vcpu: number, op: { size: model.AccessSize; offset: number; value: bigint }): OperationResult {
  connect(s, vcpu);
  return fromResult(model.timaStore(s.vm, vcpu, op.size, op.offset, op.value), () => `TIMA store ${hex(op.offset)} = ${hex(op.value)} on vCPU ${vcpu}`);
}

function learnVcpu(s: ReplayState, tid: string | undefined, vcpu: number): void {
  if (tid === undefined || s.vcpuOfThread.get(tid) === vcpu) return;
  s.vcpuOfThread.set(tid, vcpu);
  const waiting = s.pending.get(tid);
  if (waiting) {
    s.pending.delete(tid);
    for (const op of waiting) timaAccess(s, vcpu, op);
  }
}

function apply(s: ReplayState, line: string): TraceStepResult {
  const m = LINE.exec(line);
  if (!m) return done('not a trace event');
  const tid = m[1];
  const event = m[3];
  const rest = m[4] ?? '';
  const a = args(rest);
  const n = (k: string): bigint => {
    const v = a.get(k);
    return v === undefined ? 0n : BigInt(v);
  };
  const vm = s.vm;
  // The first event says which controller QEMU emulated (XICS events are steps without operations here).
  if (!vm.device && !event.startsWith('spapr_pci_')) model.createDevice(vm, event.startsWith('xics_') ? 'xics' : 'xive');
  if (vm.device?.kind !== 'xive') return done(event);
  switch (event) {
    case 'spapr_xive_claim_irq': {
      const r = model.setAttr(vm, XIVE_GRP.SOURCE, n('lisn'), { kind: 'word', word: n('lsi') ? 1n : 0n });
      return { result: fromResult(r, () => `claimed source ${hex(n('lisn'))}${n('lsi') ? ' (LSI)' : ''}`), checks: [] };
    }
    case 'spapr_xive_set_source_config':
      return hcall(s, Number(n('target')), 'H_INT_SET_SOURCE_CONFIG', [n('flags'), n('lisn'), n('target'), n('priority'), n('eisn')]);
    case 'spapr_xive_set_queue_config':
      return hcall(s, Number(n('target')), 'H_INT_SET_QUEUE_CONFIG', [n('flags'), n('target'), n('priority'), n('qpage'), n('qsize')]);
    case 'spapr_xive_esb':
      // H_INT_ESB: QEMU does the access itself and traces it as the ESB load or store on the next line.
      return done(`H_INT_ESB ${hex(n('lisn'))} offset ${hex(n('offset'))} (the ESB access follows)`);
    case 'spapr_xive_set_irq': {
      const r = model.irqLine(vm, Number(n('lisn')), Number(n('val')));
      return { result: fromResult(r, () => `line ${hex(n('lisn'))} = ${n('val')}`), checks: [] };
    }
    case 'xive_source_esb_read':
    case 'xive_source_esb_write': {
      const at = /@(0x[0-9a-fA-F]+)\s+IRQ\s+(0x[0-9a-fA-F]+|\d+)/.exec(rest);
      if (!at) return done('ESB access without an address');
      const addr = Number(BigInt(at[1]));
      const irq = Number(BigInt(at[2]));
      const page: model.EsbPage = ((addr >> 16) & 1) === 1 ? 'management' : 'trigger';
      const offset = addr & 0xffff;
      if (event === 'xive_source_esb_write') {
        return { result: fromResult(model.esbStore(vm, irq, offset, n('val'), page), () => `ESB store ${page} ${hex(offset)} of ${hex(irq)}`), checks: [] };
      }
      const r = model.esbLoad(vm, irq, offset, page);
      const qemu = n('val');
      const what = (): string => `ESB load ${hex(offset)} of source ${hex(irq)}`;
      const check: TraceCheck = r.ok ? compare(what, qemu, r.value) : { ok: false, what: what(), qemu: hex(qemu), model: `${r.errno}`, reason: r.reason };
      return { result: r.ok ? { ok: true, value: r.value, display: `ESB load ${hex(offset)} → ${hex(r.value)}` } : fromResult(r, () => ''), checks: [check] };
    }
    case 'xive_tctx_tm_write': {
      const at = /@(0x[0-9a-fA-F]+)/.exec(rest);
      if (!at) return done('TIMA access without an address');
      const offset = Number(BigInt(at[1]) & 0xffffn);
      const size = Number(n('sz')) as model.AccessSize;
      const op = { size, offset, value: n('val') };
      const vcpu = tid !== undefined ? s.vcpuOfThread.get(tid) : undefined;
      if (vcpu === undefined) {
        // The thread's vCPU shows in the presenter event QEMU prints next.
        const list = s.pending.get(tid ?? '') ?? [];
        list.push(op);
        s.pending.set(tid ?? '', list);
        return done(`TIMA store ${hex(offset)} = ${hex(op.value)} (vCPU of thread ${tid} not known yet)`);
      }
      return { result: timaAccess(s, vcpu, op), checks: [] };
    }
    case 'xive_tctx_tm_read': {
      const at = /@(0x[0-9a-fA-F]+)/.exec(rest);
      const vcpu = tid !== undefined ? s.vcpuOfThread.get(tid) : undefined;
      if (!at || vcpu === undefined) return done('TIMA load');
      const offset = Number(BigInt(at[1]) & 0xffffn);
      const what = (): string => `TIMA load ${hex(offset)} on vCPU ${vcpu}`;
      // An ACK was done when QEMU printed its accept (the line before): its value is checked here.
      const acked = offset === TM_SPC_ACK_OS ? s.acked.get(vcpu) : undefined;
      s.acked.delete(vcpu);
      const r = acked ?? model.timaLoad(vm, vcpu, Number(n('sz')) as model.AccessSize, offset);
      const qemu = n('val');
      const checks: TraceCheck[] = [r.ok ? compare(what, qemu, r.value) : { ok: false, what: what(), qemu: hex(qemu), model: r.errno, reason: r.reason }];
      return { result: r.ok ? { ok: true, value: r.value, display: `TIMA load ${hex(offset)} → ${hex(r.value)}` } : fromResult(r, () => ''), checks };
    }
    case 'xive_tctx_set_cppr':
    case 'xive_tctx_accept':
    case 'xive_tctx_notify': {
      const target = Number(n('target'));
      if (event !== 'xive_tctx_notify') learnVcpu(s, tid, target);
      // QEMU prints the accept inside the guest's ACK load, before the load's own trace line: do the ACK now.
      if (event === 'xive_tctx_accept') s.acked.set(target, model.timaLoad(vm, target, 2, TM_SPC_ACK_OS));
      // QEMU prints set_cppr before the update (the new CPPR is what it sets); notify and accept after it.
      const fields: [string, string][] = event === 'xive_tctx_set_cppr' ? [['cppr', 'cppr']] : [['ipb', a.has('ipb') ? 'ipb' : 'ibp'], ['pipr', 'pipr'], ['cppr', 'cppr'], ['nsr', 'nsr']];
      const vp = presenterFields(vm, target);
      const checks: TraceCheck[] = [];
      for (const [field, key] of fields) {
        if (!a.has(key)) continue;
        const qemu = n(key);
        const mine = vp?.[field];
        checks.push(compare(() => `vCPU ${target} ${field.toUpperCase()} after ${event}`, qemu, mine, 'no presenter'));
      }
      return { result: { ok: true, display: event }, checks };
    }
    default:
      return done(event);
  }
}

function presenterFields(vm: VmState, vcpu: number): Record<string, number> | undefined {
  const p = model.inspectPresenters(vm).find((x) => x.vcpu === vcpu);
  return p ? model.decodeToRecord(p.layout, p.word) : undefined;
}

/** Rough bytes of one copy of the state: a device's fixed tables, guest pages (queues), source blocks, presenters. */
function approxBytes(s: ReplayState): number {
  const vm = s.vm;
  const blocks = vm.device ? vm.device.blockIds.length : 0;
  return 4096 + (vm.device ? 96 * 1024 : 0) + vm.memory.pages.size * 65536 + blocks * 1024 * 24 + vm.vcpus.length * 2048;
}

export function createTraceReplayCore(): TraceReplayCore<ReplayState> | string {
  return {
    isStep: (line) => LINE.test(line),
    timeOf: (line) => {
      const m = /^\d+@(\d+(?:\.\d+)?):/.exec(line);
      return m ? Number(m[1]) : null;
    },
    initial: () => {
      const vm = model.createVm();
      return { vm, vcpuOfThread: new Map(), pending: new Map(), acked: new Map() };
    },
    vm: (s) => s.vm,
    clone: (s) => ({ vm: snapshotVm(s.vm), vcpuOfThread: new Map(s.vcpuOfThread), pending: new Map([...s.pending].map(([k, v]) => [k, [...v]])), acked: new Map(s.acked) }),
    approxBytes,
    apply: (s, line) => apply(s, line),
    operationNames: (line) => {
      const m = LINE.exec(line);
      return m ? [m[3]] : [];
    },
  };
}
