/**
 * Statement → model call. Each operation statement becomes exactly one call
 * of the model facade (src/model/vm.ts), except `line ... pulse` (assert then
 * deassert, the edge QEMU's irqfd path produces). Results carry what the
 * expectation checker needs: the word's layout, named outputs, queue entries.
 */
import type { EqTarget, FieldBlock, Stmt, TimaOp, WordValue } from '../ast';
import {
  AttrPayload, AttrValue, KvmPpcXiveEq, KVM_XIVE_EQ_ALWAYS_NOTIFY, XICS_CTRL, XICS_GRP, XIVE_CTRL, XIVE_GRP,
} from '../../model/attr';
import { collectEffects } from '../../model/effects';
import { HCALLS, HcallName, isHcallName } from '../../model/hcalls';
import { describeEncodeError, encodeWord } from '../../model/layouts/codec';
import type { LayoutName } from '../../model/layouts/table';
import type { Result } from '../../model/result';
import type { DeviceKind, VmState } from '../../model/state';
import * as model from '../../model/vm';
import { evaluate, EvaluationError, Scope } from './evaluate';
import { describeEntries, describeRecord, describeWord, hex } from './format';
import type { OperationResult } from './types';

/** How an expectation reads a result. */
export type ResultShape = 'void' | 'word' | 'hcall' | 'rtas' | 'eq-struct' | 'entries';

export interface Executed {
  readonly result: OperationResult;
  readonly shape: ResultShape;
  /** The layout of `result.value` (for field expectations and display). */
  readonly layout: LayoutName | null;
}

export type OperationStmt = Exclude<Stmt, { kind: 'scenario' | 'let' | 'proc' | 'call' | 'repeat' | 'log' | 'include' | 'error' }>;

const XICS_FAMILY: ReadonlySet<DeviceKind> = new Set<DeviceKind>(['xics', 'xics-pr', 'xics-on-xive']);

export const EQ_STRUCT_FIELDS = ['flags', 'qshift', 'qaddr', 'qtoggle', 'qindex'] as const;

/** Names a field block may use as values where the kernel has a named constant. */
const EQ_FLAG_NAMES: Readonly<Record<string, bigint>> = { always_notify: BigInt(KVM_XIVE_EQ_ALWAYS_NOTIFY) };

export function isXicsFamily(vm: VmState): boolean {
  return vm.device !== null && XICS_FAMILY.has(vm.device.kind);
}

/** The layout of `set/get source` words: decided by the device that exists now (default XIVE). */
export function sourceLayout(vm: VmState): LayoutName {
  return isXicsFamily(vm) ? 'xics-source' : 'xive-source';
}

/** The layout of a raw attribute group's word on the current device, or 'eq' for the EQ struct. */
export function attrGroupLayout(vm: VmState, group: number): LayoutName | 'eq' | null {
  if (isXicsFamily(vm)) return group === XICS_GRP.SOURCES ? 'xics-source' : null;
  switch (group) {
    case XIVE_GRP.SOURCE: return 'xive-source';
    case XIVE_GRP.SOURCE_CONFIG: return 'xive-source-config';
    case XIVE_GRP.EQ_CONFIG: return 'eq';
    default: return null;
  }
}

function success(display: string, extra: Partial<OperationResult> = {}): OperationResult {
  return { ok: true, display, ...extra };
}

function failure<T>(r: Extract<Result<T>, { ok: false }>): OperationResult {
  return { ok: false, errno: r.errno, reason: r.reason, display: `${r.errno}: ${r.reason}` };
}

export function runtimeError(message: string): OperationResult {
  return { ok: false, reason: message, display: `error: ${message}` };
}

function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

function num32(v: bigint, what: string): number {
  if (v < 0n || v > 0xffffffffn) throw new EvaluationError(`${what} ${hex(v)} does not fit 32 bits`);
  return Number(v);
}

/** Field values of a block; a bare field name means 1; `names` adds constants such as always_notify. */
export function fieldValues(block: FieldBlock, scope: Scope, names: Readonly<Record<string, bigint>> = {}): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  const withNames: Scope = {
    vm: scope.vm,
    lookup: (n) => scope.lookup(n) ?? names[n],
  };
  for (const f of block.fields) out[f.name.name] = f.value === null ? 1n : evaluate(f.value, withNames);
  return out;
}

/** A field block encoded through the layout table (unnamed fields are 0). */
export function encodeBlock(layout: LayoutName, block: FieldBlock, scope: Scope): bigint {
  const enc = encodeWord(layout, fieldValues(block, scope));
  if (!enc.ok) throw new EvaluationError(describeEncodeError(layout, enc.error), block.span);
  return enc.word;
}

function eqStruct(block: FieldBlock, scope: Scope): KvmPpcXiveEq {
  const v = fieldValues(block, scope, EQ_FLAG_NAMES);
  for (const name of Object.keys(v)) {
    if (!(EQ_STRUCT_FIELDS as readonly string[]).includes(name)) {
      throw new EvaluationError(`'${name}' is not a field of struct kvm_ppc_xive_eq (fields: ${EQ_STRUCT_FIELDS.join(', ')})`, block.span);
    }
  }
  return {
    flags: num32(v.flags ?? 0n, 'flags'),
    qshift: num32(v.qshift ?? 0n, 'qshift'),
    qaddr: u64(v.qaddr ?? 0n),
    qtoggle: num32(v.qtoggle ?? 0n, 'qtoggle'),
    qindex: num32(v.qindex ?? 0n, 'qindex'),
  };
}

/** The attribute payload of `= VALUE` for a word layout or the EQ struct. */
function payloadOf(value: WordValue, layout: LayoutName | 'eq' | null, scope: Scope): AttrPayload {
  if (value.kind === 'badaddr') return { kind: 'fault' };
  if (value.kind === 'expr') {
    if (layout === 'eq') throw new EvaluationError('the EQ configuration is a struct: give a field block { flags, qshift, qaddr, qtoggle, qindex }', value.span);
    return { kind: 'word', word: u64(evaluate(value.expr, scope)) };
  }
  if (layout === 'eq') return { kind: 'eq', eq: eqStruct(value, scope) };
  if (layout === null) throw new EvaluationError('this attribute has no known word layout: give the word as a number', value.span);
  return { kind: 'word', word: encodeBlock(layout, value, scope) };
}

function eqRecord(eq: KvmPpcXiveEq): Record<string, bigint> {
  return { flags: BigInt(eq.flags), qshift: BigInt(eq.qshift), qaddr: eq.qaddr, qtoggle: BigInt(eq.qtoggle), qindex: BigInt(eq.qindex) };
}

function attrValueResult(r: Result<AttrValue>, layout: LayoutName | null): Executed {
  if (!r.ok) return { result: failure(r), shape: 'word', layout };
  const v = r.value;
  if (v.kind === 'eq') {
    // Not written: QEMU pre-zeroes the buffer, so what it reads is zeros.
    const values = v.written ? eqRecord(v.eq) : eqRecord({ flags: 0, qshift: 0, qaddr: 0n, qtoggle: 0, qindex: 0 });
    const note = v.written ? '' : ' (queue not configured: buffer left untouched)';
    return { result: success(`-> ${describeRecord(values)}${note}`, { values }), shape: 'eq-struct', layout: null };
  }
  return { result: success(`-> ${describeWord(layout, v.word)}`, { value: v.word }), shape: 'word', layout };
}

/** Shared by every successful void operation: the hot loops allocate nothing for them. */
const VOID_OK: Executed = { result: { ok: true, display: 'ok' }, shape: 'void', layout: null };

function voidResult(r: Result<void>): Executed {
  return r.ok ? VOID_OK : { result: failure(r), shape: 'void', layout: null };
}

function loadResult(r: Result<bigint>): Executed {
  return { result: r.ok ? { ok: true, value: r.value, display: `-> ${hex(r.value)}` } : failure(r), shape: 'word', layout: null };
}

/** A successful write says what was written: the word decoded, or the EQ struct. */
function writeResult(r: Result<void>, payload: AttrPayload, layout: LayoutName | 'eq' | null): Executed {
  if (!r.ok) return { result: failure(r), shape: 'void', layout: null };
  if (payload.kind === 'fault') return VOID_OK;
  const what = payload.kind === 'eq' ? describeRecord(eqRecord(payload.eq)) : describeWord(layout === 'eq' ? null : layout, payload.word);
  return { result: { ok: true, display: `ok: wrote ${what}` }, shape: 'void', layout: null };
}

const NO_ENTRIES: Executed = { result: { ok: true, entries: [], display: '-> []' }, shape: 'entries', layout: 'xive-eq-entry' };

function eqId(target: EqTarget, scope: Scope): bigint {
  if (target.kind === 'id') return u64(evaluate(target.id, scope));
  const server = evaluate(target.server, scope);
  const priority = evaluate(target.priority, scope);
  return ((server & 0x1fffffffn) << 3n) | (priority & 7n);
}

const TIMA_SIZES: Readonly<Record<TimaOp, 1 | 2 | 4 | 8>> = {
  load8: 1, load16: 2, load32: 4, load64: 8, store8: 1, store16: 2, store32: 4, store64: 8,
};

const CTRL_ATTRS_XIVE: Readonly<Record<string, number>> = { reset: XIVE_CTRL.RESET, eq_sync: XIVE_CTRL.EQ_SYNC, nr_servers: XIVE_CTRL.NR_SERVERS };
const CTRL_ATTRS_XICS: Readonly<Record<string, number>> = { nr_servers: XICS_CTRL.NR_SERVERS };

function ctrl(stmt: Extract<Stmt, { kind: 'ctrl' }>, vm: VmState, scope: Scope): Executed {
  const xics = isXicsFamily(vm);
  const table = xics ? CTRL_ATTRS_XICS : CTRL_ATTRS_XIVE;
  const attr = table[stmt.attr.name];
  if (attr === undefined) {
    return { result: runtimeError(`'${stmt.attr.name}' is not a control of ${xics ? 'KVM_DEV_XICS_GRP_CTRL' : 'KVM_DEV_XIVE_GRP_CTRL'} (${Object.keys(table).join(', ')})`), shape: 'void', layout: null };
  }
  const word = stmt.value === null ? 0n : u64(evaluate(stmt.value, scope));
  const group = xics ? XICS_GRP.CTRL : XIVE_GRP.CTRL;
  return voidResult(model.setAttr(vm, group, BigInt(attr), { kind: 'word', word }));
}

function vcpu(stmt: Extract<Stmt, { kind: 'vcpu' }>, vm: VmState, scope: Scope): Executed {
  const id = num32(evaluate(stmt.vcpu, scope), 'vCPU id');
  if (stmt.action !== 'connect') return voidResult(model.setVcpuRunning(vm, id, stmt.action === 'run'));
  const req: { cap?: number; flags?: number; fd?: number; server?: bigint } = {};
  for (const o of stmt.options) {
    const v = evaluate(o.value, scope);
    switch (o.name.name) {
      case 'server': req.server = v; break;
      case 'flags': req.flags = num32(v, 'flags'); break;
      case 'fd': req.fd = num32(v, 'fd'); break;
      case 'cap': req.cap = num32(v, 'cap'); break;
      default: throw new EvaluationError(`unknown connect option '${o.name.name}' (server, flags, fd, cap)`, o.name.span);
    }
  }
  return voidResult(model.enableCap(vm, id, req));
}

function hcallArgs(stmt: Extract<Stmt, { kind: 'hcall' }>, name: HcallName, scope: Scope): bigint[] {
  const names: readonly string[] = HCALLS[name].args;
  const args: bigint[] = names.map(() => 0n);
  let positional = 0;
  for (const a of stmt.args) {
    let i: number;
    if (a.name) {
      i = names.indexOf(a.name.name);
      if (i < 0) throw new EvaluationError(`${name} has no argument '${a.name.name}' (${names.join(', ') || 'no arguments'})`, a.name.span);
    } else {
      i = positional++;
      if (i >= names.length) throw new EvaluationError(`${name} takes ${names.length} argument${names.length === 1 ? '' : 's'} (${names.join(', ')})`, a.span);
    }
    args[i] = u64(evaluate(a.value, scope));
  }
  return args;
}

function hcall(stmt: Extract<Stmt, { kind: 'hcall' }>, vm: VmState, scope: Scope): Executed {
  const name = stmt.name.name;
  if (!isHcallName(name)) return { result: runtimeError(`unknown hcall '${name}'`), shape: 'hcall', layout: null };
  const id = num32(evaluate(stmt.vcpu, scope), 'vCPU id');
  const r = model.hcall(vm, id, name, hcallArgs(stmt, name, scope));
  const values: Record<string, bigint> = {};
  const outputs: readonly string[] = HCALLS[name].outputs;
  r.r.forEach((v, i) => {
    values[`r${4 + i}`] = v;
    if (outputs[i]) values[outputs[i]] = v;
  });
  const regs = r.r.map((v, i) => `r${4 + i}=${hex(v)}`).join(' ');
  const ok = r.ret === 'H_SUCCESS';
  const display = ok ? `${r.ret}${regs ? ' ' + regs : ''}` : `${r.ret}${r.reason ? ': ' + r.reason : ''}`;
  const result: OperationResult = { ok, hret: r.ret, display, values, ...(r.r.length ? { value: r.r[0] } : {}), ...(r.reason ? { reason: r.reason } : {}) };
  return { result, shape: 'hcall', layout: null };
}

function rtas(stmt: Extract<Stmt, { kind: 'rtas' }>, vm: VmState, scope: Scope): Executed {
  const args = stmt.args.map((a) => Number(BigInt.asUintN(32, evaluate(a, scope))));
  const r = model.rtas(vm, stmt.name.name, args);
  const values: Record<string, bigint> = { status: BigInt(r.status) };
  r.rets.forEach((v, i) => {
    values[`r${i + 1}`] = BigInt(v);
  });
  const rets = r.rets.map((v, i) => ` r${i + 1}=${hex(v)}`).join('');
  const ok = r.status === 0;
  const display = `status ${r.status}${rets}${r.reason ? ': ' + r.reason : ''}`;
  const result: OperationResult = { ok, value: BigInt(r.status), values, display, ...(r.reason ? { reason: r.reason } : {}) };
  return { result, shape: 'rtas', layout: null };
}

function line(stmt: Extract<Stmt, { kind: 'line' }>, vm: VmState, scope: Scope): Executed {
  const irq = num32(evaluate(stmt.irq, scope), 'source number');
  const action = stmt.action;
  if (typeof action === 'string') {
    if (action === 'pulse') {
      // An edge: KVM_IRQ_LINE 1 then 0. An MSI triggers on 1 and ignores 0; an LSI is left deasserted.
      const up = model.irqLine(vm, irq, model.IRQ_LEVELS.assert);
      if (!up.ok) return voidResult(up);
      return voidResult(model.irqLine(vm, irq, model.IRQ_LEVELS.deassert));
    }
    return voidResult(model.irqLine(vm, irq, model.IRQ_LEVELS[action]));
  }
  return voidResult(model.irqLine(vm, irq, num32(BigInt.asUintN(32, evaluate(action, scope)), 'level')));
}

function attr(stmt: Extract<Stmt, { kind: 'attr' }>, vm: VmState, scope: Scope): Executed {
  const group = num32(evaluate(stmt.group, scope), 'group');
  const id = u64(evaluate(stmt.attr, scope));
  const layout = attrGroupLayout(vm, group);
  const wordLayout = layout === 'eq' ? null : layout;
  switch (stmt.op) {
    case 'has': return voidResult(model.hasAttr(vm, group, id));
    case 'get': return attrValueResult(model.getAttr(vm, group, id), wordLayout);
    case 'set': {
      if (!stmt.value) throw new EvaluationError('attr set needs a value: = WORD | { fields } | badaddr', stmt.span);
      const payload = payloadOf(stmt.value, layout, scope);
      return writeResult(model.setAttr(vm, group, id, payload), payload, layout);
    }
  }
}

/**
 * Executes one operation statement against `vm`. Throws EvaluationError for
 * bad operands. The model's notes of silent effects come back in `result.notes`.
 */
export function executeOperation(stmt: OperationStmt, vm: VmState, scope: Scope): Executed {
  const { value, notes } = collectEffects(() => execute(stmt, vm, scope));
  if (notes.length === 0) return value;
  return { ...value, result: { ...value.result, notes: notes.map((n) => `${n.text} [${n.event}]`) } };
}

function execute(stmt: OperationStmt, vm: VmState, scope: Scope): Executed {
  switch (stmt.kind) {
    case 'device':
      if (stmt.device === 'release') return voidResult(model.releaseDevice(vm));
      {
        const r = model.createDevice(vm, stmt.device);
        if (!r.ok) return voidResult(r);
        return { result: success(`ok: ${model.describeDevice(stmt.device)} (fd ${r.value.fd})`), shape: 'void', layout: null };
      }
    case 'ctrl': return ctrl(stmt, vm, scope);
    case 'vcpu': return vcpu(stmt, vm, scope);
    case 'set': {
      const irq = u64(evaluate(stmt.irq, scope));
      if (stmt.target === 'source') {
        const layout = sourceLayout(vm);
        const group = isXicsFamily(vm) ? XICS_GRP.SOURCES : XIVE_GRP.SOURCE;
        const payload = payloadOf(stmt.value, layout, scope);
        return writeResult(model.setAttr(vm, group, irq, payload), payload, layout);
      }
      const payload = payloadOf(stmt.value, 'xive-source-config', scope);
      return writeResult(model.setAttr(vm, XIVE_GRP.SOURCE_CONFIG, irq, payload), payload, 'xive-source-config');
    }
    case 'get': {
      const irq = u64(evaluate(stmt.irq, scope));
      if (stmt.target === 'source') {
        const layout = sourceLayout(vm);
        const group = isXicsFamily(vm) ? XICS_GRP.SOURCES : XIVE_GRP.SOURCE;
        return attrValueResult(model.getAttr(vm, group, irq), layout);
      }
      return attrValueResult(model.getAttr(vm, XIVE_GRP.SOURCE_CONFIG, irq), 'xive-source-config');
    }
    case 'set-eq': {
      const payload = payloadOf(stmt.value, 'eq', scope);
      return writeResult(model.setAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(stmt.eq, scope), payload), payload, 'eq');
    }
    case 'get-eq':
      return attrValueResult(model.getAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(stmt.eq, scope)), null);
    case 'set-reg': {
      const id = num32(evaluate(stmt.vcpu, scope), 'vCPU id');
      const layout: LayoutName = stmt.reg === 'icp' ? 'xics-icp' : 'xive-vp-state';
      const p = payloadOf(stmt.value, layout, scope);
      if (p.kind !== 'word') throw new EvaluationError('ONE_REG takes a word, not badaddr', stmt.value.span);
      return writeResult(model.setOneReg(vm, id, stmt.reg, p.word), p, layout);
    }
    case 'get-reg': {
      const id = num32(evaluate(stmt.vcpu, scope), 'vCPU id');
      const layout: LayoutName = stmt.reg === 'icp' ? 'xics-icp' : 'xive-vp-state';
      const r = model.getOneReg(vm, id, stmt.reg);
      return attrValueResult(r.ok ? { ok: true, value: { kind: 'word', word: r.value } } : r, layout);
    }
    case 'sync':
      return voidResult(model.setAttr(vm, XIVE_GRP.SOURCE_SYNC, u64(evaluate(stmt.irq, scope)), { kind: 'word', word: 0n }));
    case 'esb': {
      const irq = num32(evaluate(stmt.irq, scope), 'source number');
      const offset = num32(evaluate(stmt.offset, scope), 'ESB offset');
      if (stmt.op === 'load') return loadResult(model.esbLoad(vm, irq, offset, stmt.page));
      return voidResult(model.esbStore(vm, irq, offset, stmt.value ? u64(evaluate(stmt.value, scope)) : 0n, stmt.page));
    }
    case 'tima': {
      const id = num32(evaluate(stmt.vcpu, scope), 'vCPU id');
      const offset = num32(evaluate(stmt.offset, scope), 'TIMA offset');
      const size = TIMA_SIZES[stmt.op];
      if (stmt.op.startsWith('load')) return loadResult(model.timaLoad(vm, id, size, offset));
      const value = stmt.value ? evaluate(stmt.value, scope) : 0n;
      return voidResult(model.timaStore(vm, id, size, offset, BigInt.asUintN(8 * size, value)));
    }
    case 'eq': {
      const id = eqId(stmt.eq, scope);
      const r = model.scanEventQueue(vm, Number(id >> 3n), Number(id & 7n));
      if (!r.ok) return { result: failure(r), shape: 'entries', layout: 'xive-eq-entry' };
      if (r.value.length === 0) return NO_ENTRIES;
      return { result: success(`-> ${describeEntries(r.value)}`, { entries: r.value }), shape: 'entries', layout: 'xive-eq-entry' };
    }
    case 'hcall': return hcall(stmt, vm, scope);
    case 'line': return line(stmt, vm, scope);
    case 'rtas': return rtas(stmt, vm, scope);
    case 'attr': return attr(stmt, vm, scope);
  }
}
