/**
 * Set-up shared by the model tests: unwrapping results, ready-made VMs and the
 * small wrappers the XICS and XIVE suites call their hcalls, RTAS calls and
 * attributes through.
 */
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, getAttr, getOneReg, hcall, HcallName, HcallResult, KvmPpcXiveEq, Result, rtas, setAttr, VmState,
  XICS_GRP, XIVE_GRP,
} from '../../src/model';

/** The value of a successful result; fails the test with the errno otherwise. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}

/** A one-word attribute value. */
export const word = (w: bigint) => ({ kind: 'word', word: w }) as const;

// ---- XICS: legacy `xics` (real mode), `xics-pr` (virtual mode), `xics-on-xive` ----

export type XicsKind = 'xics' | 'xics-pr' | 'xics-on-xive';

/** A VM with a `kind` device and vCPU 0 connected as server 0. */
export function xicsVm(kind: XicsKind): VmState {
  const vm = createVm();
  assert.ok(createDevice(vm, kind).ok);
  assert.ok(enableCap(vm, 0, { server: 0 }).ok);
  return vm;
}

/** The ICP one-reg of a vCPU. */
export function icp(vm: VmState, vcpu = 0): bigint {
  const r = getOneReg(vm, vcpu, 'icp');
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}

/** The KVM_DEV_XICS_GRP_SOURCES word of a source. */
export function source(vm: VmState, irq: number): bigint {
  const r = getAttr(vm, XICS_GRP.SOURCES, BigInt(irq));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.equal(r.value.kind, 'word');
  return r.value.kind === 'word' ? r.value.word : -1n;
}

export function setSource(vm: VmState, irq: number, word: bigint): void {
  const r = setAttr(vm, XICS_GRP.SOURCES, BigInt(irq), { kind: 'word', word });
  assert.ok(r.ok, r.ok ? '' : r.reason);
}

/** An hcall from vCPU 0 that must return H_SUCCESS: its return registers. */
export function hcallOk(vm: VmState, name: HcallName, ...args: bigint[]): readonly bigint[] {
  const r = hcall(vm, 0, name, args);
  assert.equal(r.ret, 'H_SUCCESS', r.reason);
  return r.r;
}

/** An RTAS call that must return status 0: its return values. */
export function rtasOk(vm: VmState, name: string, ...args: number[]): readonly number[] {
  const r = rtas(vm, name, args);
  assert.equal(r.status, 0, r.reason);
  return r.rets;
}

// ---- XIVE native: QEMU's H_INT_* layer ----

/** The guest page H_INT_SET_QUEUE_CONFIG is given. */
export const QPAGE = 0x100000n;

/**
 * A XIVE native VM with vCPUs 0 and 1 connected as servers 0 and 1 and source
 * 0x10 (MSI) declared; with `lsi`, source 0x11 (LSI) too.
 */
export function xiveGuestVm({ lsi = false }: { lsi?: boolean } = {}): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 0, { server: 0 }));
  must(enableCap(vm, 1, { server: 1 }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x10n, word(0n)));
  if (lsi) must(setAttr(vm, XIVE_GRP.SOURCE, 0x11n, word(1n)));
  return vm;
}

/** An hcall from vCPU 0, whatever it returns. */
export const call = (vm: VmState, name: HcallName, ...args: bigint[]): HcallResult => hcall(vm, 0, name, args);

/** The return registers of an hcall that must have returned H_SUCCESS. */
export function ok(r: HcallResult): bigint[] {
  assert.equal(r.ret, 'H_SUCCESS', r.reason);
  return [...r.r];
}

/** Asserts the return code of an hcall from vCPU 0. */
export function expectRet(vm: VmState, ret: HcallResult['ret'], name: HcallName, ...args: bigint[]): void {
  assert.equal(call(vm, name, ...args).ret, ret);
}

// ---- XIVE native: the KVM device attributes ----

export const eqp = (eq: KvmPpcXiveEq) => ({ kind: 'eq', eq }) as const;

/** The EQ_CONFIG attribute id of (server, priority). */
export function eqId(server: number, prio: number): bigint {
  return BigInt(server * 8 + prio);
}

/** EQ_CONFIG SET: an enabled 64 KiB queue at `qaddr`. */
export function configureQueue(vm: VmState, server: number, prio: number, qaddr: bigint, toggle = 1, index = 0): Result<void> {
  return setAttr(vm, XIVE_GRP.EQ_CONFIG, eqId(server, prio), eqp({ flags: 1, qshift: 16, qaddr, qtoggle: toggle, qindex: index }));
}

/** A SOURCE_CONFIG word. */
export function sourceCfg(prio: number, server: number, eisn: number, masked = false): bigint {
  return (BigInt(eisn) << 33n) | (masked ? 1n << 32n : 0n) | BigInt(server << 3) | BigInt(prio);
}

/** A XIVE native VM with vCPU 0 connected as server 0 and its queue `prio` configured at `qaddr`. */
export function xiveVcpu0Queue(prio: number, qaddr: bigint): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 0, { server: 0 }));
  must(configureQueue(vm, 0, prio, qaddr));
  return vm;
}

/** Declares source `irq` (an MSI, or an LSI) and routes it to (server, prio) with `eisn` (default: the irq itself). */
export function routeSource(
  vm: VmState, irq: number, o: { readonly prio: number; readonly server?: number; readonly eisn?: number; readonly lsi?: boolean },
): void {
  must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), word(o.lsi ? 1n : 0n)));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(irq), word(sourceCfg(o.prio, o.server ?? 0, o.eisn ?? irq))));
}
