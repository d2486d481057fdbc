/**
 * One step against the model: the operation on the model facade (the same call
 * the equivalent scenario statement makes) and the comparison of what QEMU
 * returned or stated with what the model gives. Pure; used by replay, by the
 * debugger's re-execution from checkpoints and by `explain`.
 */
import { XICS_GRP, XIVE_GRP } from '../model/attr';
import { IRQ_LEVELS } from '../model/vm';
import { HCALLS } from '../model/hcalls';
import type { VmState } from '../model/state';
import * as model from '../model/vm';
import type { IcpFacts, PresenterFacts, TraceStep } from './steps';

/** One value QEMU showed that the model does not reproduce. */
export interface Divergence {
  readonly file: number;
  readonly line: number;
  /** The operation, as a scenario statement would read. */
  readonly operation: string;
  /** What is compared (`value`, `NSR`, `r4`, ...). */
  readonly what: string;
  readonly qemu: string;
  readonly model: string;
  /** The model's reason where it has one (the kernel rule), else ''. */
  readonly reason: string;
  /** The state that matters there, one short line. */
  readonly state: string;
}

export interface StepOutcome {
  /** Values compared (0 for a plain operation). */
  readonly checks: number;
  readonly divergences: readonly Divergence[];
}

const NONE: StepOutcome = { checks: 0, divergences: [] };
const ONE_OK: StepOutcome = { checks: 1, divergences: [] };

function hex(v: bigint | number, width = 0): string {
  return `0x${v.toString(16).padStart(width, '0')}`;
}

/** The scenario statement a step performs (also what `irqlab import` writes). */
export function describeStep(s: TraceStep): string {
  switch (s.op) {
    case 'device': return `device ${s.kind}`;
    case 'connect': return `vcpu ${s.vcpu} connect`;
    case 'set-source': return `set source ${hex(s.irq)} = { ${s.lsi ? 'level_sensitive' : ''} }`.replace('{  }', '0');
    case 'hcall': {
      const names = HCALLS[s.name].args;
      return `hcall vcpu ${s.vcpu} ${s.name} ${s.args.map((a, i) => `${names[i] ?? `r${i + 4}`} ${hex(a)}`).join(', ')}`;
    }
    case 'esb-load': return `esb ${hex(s.irq)} ${s.page} load ${hex(s.offset)}`;
    case 'esb-store': return `esb ${hex(s.irq)} ${s.page} store ${hex(s.offset)} ${hex(s.value)}`;
    case 'tima-load': return `tima vcpu ${s.vcpu} load${s.size * 8} ${hex(s.offset)}`;
    case 'tima-store': return `tima vcpu ${s.vcpu} store${s.size * 8} ${hex(s.offset)} ${hex(s.value)}`;
    case 'line': return `line ${hex(s.irq)} level ${s.level}`;
    case 'check-presenter': return `check vcpu ${s.vcpu} presenter after ${s.event}`;
    case 'xics-source': return `set source ${hex(s.irq)} = { priority 0xff, masked 1${s.lsi ? ', level_sensitive 1' : ''} }`;
    case 'rtas': return `rtas ${s.name} ${s.args.map((a, i) => (i === 1 ? String(a) : hex(a))).join(', ')}`;
    case 'xics-line': return `line ${hex(s.irq)} ${s.how}`;
    case 'check-icp': return `check vcpu ${s.vcpu} ICP after ${s.event}`;
  }
}

function icpState(vm: VmState, vcpu: number): string {
  const icp = model.findVcpu(vm, vcpu)?.icp;
  if (!icp) return `vCPU ${vcpu} has no ICP`;
  return `vCPU ${vcpu} ICP: CPPR=${hex(icp.cppr, 2)} XISR=${hex(icp.xisr)} MFRR=${hex(icp.mfrr, 2)} PPRI=${hex(icp.ppri, 2)}`;
}

function checkIcp(vm: VmState, s: Extract<TraceStep, { op: 'check-icp' }>): StepOutcome {
  const icp = model.findVcpu(vm, s.vcpu)?.icp;
  const f: IcpFacts = s.facts;
  if (!icp) {
    return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'ICP', qemu: 'exists', model: 'none', reason: `vCPU ${s.vcpu} has no ICP`, state: '' }] };
  }
  // Compared inline, no closure per step: this runs for every stated register of a long trace.
  const checks = stated(f.cppr) + stated(f.xisr) + stated(f.ppri) + stated(f.mfrr);
  if (differs(f.cppr, icp.cppr) || differs(f.xisr, icp.xisr) || differs(f.ppri, icp.ppri) || differs(f.mfrr, icp.mfrr)) {
    const out: Divergence[] = [];
    const state = icpState(vm, s.vcpu);
    registerMismatch(out, s, 'CPPR', f.cppr, icp.cppr, state);
    registerMismatch(out, s, 'XISR', f.xisr, icp.xisr, state);
    registerMismatch(out, s, 'PPRI', f.ppri, icp.ppri, state);
    registerMismatch(out, s, 'MFRR', f.mfrr, icp.mfrr, state);
    return { checks, divergences: out };
  }
  return checks === 1 ? ONE_OK : { checks, divergences: [] };
}

function stated(q: number | null): number {
  return q === null ? 0 : 1;
}

function differs(q: number | null, m: number): boolean {
  return q !== null && q !== m;
}

/** One stated register that the model does not reproduce, appended to `out`. */
function registerMismatch(out: Divergence[], s: TraceStep, what: string, q: number | null, m: number, state: string): void {
  if (q !== null && q !== m) out.push({ file: s.file, line: s.line, operation: describeStep(s), what, qemu: hex(q, 2), model: hex(m, 2), reason: '', state });
}

function presenterState(vm: VmState, vcpu: number): string {
  const vp = model.findVcpu(vm, vcpu)?.vp;
  if (!vp) return `vCPU ${vcpu} has no XIVE context`;
  return `vCPU ${vcpu} OS ring: NSR=${hex(vp.nsr, 2)} CPPR=${hex(vp.cppr, 2)} IPB=${hex(vp.ipb, 2)} PIPR=${hex(vp.pipr, 2)}`;
}

function failed(s: TraceStep, r: { errno: string; reason: string }, state: string): StepOutcome {
  return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'result', qemu: 'ok', model: r.errno, reason: r.reason, state }] };
}

/** A returned value compared with QEMU's; on a divergence the state is that of `stateVcpu`'s presenter (−1: none). */
function compareValue(vm: VmState, s: TraceStep, r: { ok: true; value: bigint } | { ok: false; errno: string; reason: string }, expect: bigint, stateVcpu: number): StepOutcome {
  if (r.ok && r.value === expect) return ONE_OK;
  const state = stateVcpu < 0 ? '' : presenterState(vm, stateVcpu);
  if (!r.ok) return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'value', qemu: hex(expect), model: r.errno, reason: r.reason, state }] };
  return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'value', qemu: hex(expect), model: hex(r.value), reason: '', state }] };
}

function checkPresenter(vm: VmState, s: Extract<TraceStep, { op: 'check-presenter' }>): StepOutcome {
  const vp = model.findVcpu(vm, s.vcpu)?.vp;
  const f: PresenterFacts = s.facts;
  if (!vp) {
    return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'presenter', qemu: 'exists', model: 'none', reason: `vCPU ${s.vcpu} has no XIVE context`, state: '' }] };
  }
  const checks = stated(f.nsr) + stated(f.cppr) + stated(f.ipb) + stated(f.pipr);
  if (differs(f.nsr, vp.nsr) || differs(f.cppr, vp.cppr) || differs(f.ipb, vp.ipb) || differs(f.pipr, vp.pipr)) {
    const out: Divergence[] = [];
    const state = presenterState(vm, s.vcpu);
    registerMismatch(out, s, 'NSR', f.nsr, vp.nsr, state);
    registerMismatch(out, s, 'CPPR', f.cppr, vp.cppr, state);
    registerMismatch(out, s, 'IPB', f.ipb, vp.ipb, state);
    registerMismatch(out, s, 'PIPR', f.pipr, vp.pipr, state);
    return { checks, divergences: out };
  }
  return checks === 1 ? ONE_OK : { checks, divergences: [] };
}

/** Apply one step to `vm`; the outcome lists what QEMU showed and the model does not reproduce. */
export function applyStep(vm: VmState, s: TraceStep): StepOutcome {
  switch (s.op) {
    case 'device': {
      const r = model.createDevice(vm, s.kind);
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'connect': {
      const r = model.enableCap(vm, s.vcpu);
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'set-source': {
      const r = model.setAttr(vm, XIVE_GRP.SOURCE, BigInt(s.irq), { kind: 'word', word: s.lsi ? 1n : 0n });
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'hcall': {
      const r = model.hcall(vm, s.vcpu, s.name, s.args);
      if (r.ret !== 'H_SUCCESS') {
        return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'return', qemu: 'H_SUCCESS', model: r.ret, reason: r.reason ?? '', state: '' }] };
      }
      if (s.expect === null) return NONE;
      const r4 = r.r[0] ?? 0n;
      return r4 === s.expect ? ONE_OK : compareValue(vm, s, { ok: true, value: r4 }, s.expect, -1);
    }
    case 'esb-load':
      return compareValue(vm, s, model.esbLoad(vm, s.irq, s.offset, s.page), s.expect, -1);
    case 'esb-store': {
      const r = model.esbStore(vm, s.irq, s.offset, s.value, s.page);
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'tima-load':
      return compareValue(vm, s, model.timaLoad(vm, s.vcpu, s.size, s.offset), s.expect, s.vcpu);
    case 'tima-store': {
      const r = model.timaStore(vm, s.vcpu, s.size, s.offset, s.value);
      return r.ok ? NONE : failed(s, r, presenterState(vm, s.vcpu));
    }
    case 'line': {
      const r = model.irqLine(vm, s.irq, s.level);
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'check-presenter':
      return checkPresenter(vm, s);
    case 'xics-source': {
      const word = (0xffn << 32n) | (s.lsi ? 1n << 40n : 0n) | (1n << 41n);
      const r = model.setAttr(vm, XICS_GRP.SOURCES, BigInt(s.irq), { kind: 'word', word });
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'rtas': {
      const r = model.rtas(vm, s.name, s.args);
      if (r.status === 0) return ONE_OK;
      return { checks: 1, divergences: [{ file: s.file, line: s.line, operation: describeStep(s), what: 'status', qemu: '0 (QEMU did it)', model: String(r.status), reason: r.reason ?? '', state: '' }] };
    }
    case 'xics-line': {
      const r = model.irqLine(vm, s.irq, IRQ_LEVELS[s.how]);
      return r.ok ? NONE : failed(s, r, '');
    }
    case 'check-icp':
      return checkIcp(vm, s);
  }
}
