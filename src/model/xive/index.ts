/** XIVE native (KVM_DEV_TYPE_XIVE) controller model: the facade src/model/vm.ts calls. */
import type { AttrPayload, AttrValue } from '../attr';
import type { HcallName } from '../hcalls';
import type { DeviceView, PresenterView, QueueView, SourceView } from '../inspect';
import { fail, HcallResult, Result } from '../result';
import type { VcpuState, VmState } from '../state';
import type { XiveDeviceState } from './state';

export type { XiveDeviceState, VpState } from './state';

const NOT_YET = 'not yet modelled';
export function createXiveDevice(_vm: VmState): XiveDeviceState { return { kind: 'xive' }; }
export function releaseXiveDevice(_vm: VmState, _dev: XiveDeviceState): void { /* filled in below */ }
export function connectVcpu(_vm: VmState, _dev: XiveDeviceState, _vcpu: VcpuState, _server: number): Result<void> { return fail('ENXIO', NOT_YET); }
export function setAttr(_vm: VmState, _dev: XiveDeviceState, _g: number, _a: bigint, _p: AttrPayload): Result<void> { return fail('ENXIO', NOT_YET); }
export function getAttr(_vm: VmState, _dev: XiveDeviceState, _g: number, _a: bigint, _o: { fault?: boolean }): Result<AttrValue> { return fail('ENXIO', NOT_YET); }
export function hasAttr(_vm: VmState, _dev: XiveDeviceState, _g: number, _a: bigint): Result<void> { return fail('ENXIO', NOT_YET); }
export function irqLine(_vm: VmState, _dev: XiveDeviceState, _irq: number, _level: number): void { /* pending */ }
export function pushVcpu(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): void { vcpu.running = true; }
export function pullVcpu(_vm: VmState, _dev: XiveDeviceState, vcpu: VcpuState): void { vcpu.running = false; }
export function getVpState(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState): Result<bigint> { return fail('ENXIO', NOT_YET); }
export function setVpState(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState, _w: bigint): Result<void> { return fail('ENXIO', NOT_YET); }
export function getIcpState(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState): Result<bigint> { return fail('ENXIO', NOT_YET); }
export function setIcpState(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState, _w: bigint): Result<void> { return fail('ENXIO', NOT_YET); }
export function hcall(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState, _n: HcallName, _a: readonly bigint[]): HcallResult { return { ret: 'H_HARDWARE', r: [], reason: NOT_YET }; }
export function esbLoad(_vm: VmState, _dev: XiveDeviceState, _irq: number, _off: number, _page: 'trigger' | 'management' = 'management'): Result<bigint> { return fail('ENXIO', NOT_YET); }
export function esbStore(_vm: VmState, _dev: XiveDeviceState, _irq: number, _off: number, _v: bigint, _page: 'trigger' | 'management' = 'management'): Result<void> { return fail('ENXIO', NOT_YET); }
export function timaLoad(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState, _s: 1 | 2 | 4 | 8, _o: number): Result<bigint> { return fail('ENXIO', NOT_YET); }
export function timaStore(_vm: VmState, _dev: XiveDeviceState, _v: VcpuState, _s: 1 | 2 | 4 | 8, _o: number, _val: bigint): Result<void> { return fail('ENXIO', NOT_YET); }
export function scanEventQueue(_vm: VmState, _dev: XiveDeviceState, _s: number, _p: number): Result<number[]> { return fail('ENXIO', NOT_YET); }
export function inspectDevice(_vm: VmState, _dev: XiveDeviceState): DeviceView { return { kind: 'xive', nrServers: 0, sourceCount: 0, counters: {} }; }
export function inspectSources(_vm: VmState, _dev: XiveDeviceState, _s: number, _c: number): SourceView[] { return []; }
export function inspectQueues(_vm: VmState, _dev: XiveDeviceState): QueueView[] { return []; }
export function inspectPresenters(_vm: VmState, _dev: XiveDeviceState): PresenterView[] { return []; }
