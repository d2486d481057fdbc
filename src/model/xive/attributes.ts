/**
 * Device attribute dispatch (kvmppc_xive_native_{set,get,has}_attr, §3.2),
 * KVM_DEV_XIVE_RESET (§3.8), NR_SERVERS (§3.7) and vCPU connect (§3.1).
 */
import { AttrPayload, AttrValue, KvmPpcXiveEq, XIVE_CTRL, XIVE_GRP } from '../attr';
import { fail, OK_VOID, Result } from '../result';
import type { VcpuState, VmState } from '../state';
import { packVcpuId } from '../vcpu-id';
import { MASKED, PQ_OFF, SOURCE_FLAG_VALID, SOURCES_PER_BLOCK, XIVE_NR_IRQS } from './constants';
import { newVp } from './presenter';
import { eqSync, getQueueConfig, setQueueConfig } from './queues';
import { setSource, setSourceConfig, syncSource } from './sources';
import type { XiveDeviceState } from './state';

/** The u64 a payload holds; an EQ struct's first 8 bytes (flags | qshift << 32) on a little-endian host. */
function payloadWord(p: AttrPayload): bigint | null {
  if (p.kind === 'fault') return null;
  if (p.kind === 'word') return BigInt.asUintN(64, p.word);
  return (BigInt(p.eq.qshift >>> 0) << 32n) | BigInt(p.eq.flags >>> 0);
}

/** The EQ struct a payload holds; a bare word fills flags (low half) and qshift (high half). */
function payloadEq(p: AttrPayload): KvmPpcXiveEq | null {
  if (p.kind === 'fault') return null;
  if (p.kind === 'eq') return p.eq;
  const w = BigInt.asUintN(64, p.word);
  return { flags: Number(w & 0xffffffffn), qshift: Number(w >> 32n), qaddr: 0n, qtoggle: 0, qindex: 0 };
}

/** KVM_ENABLE_CAP(KVM_CAP_PPC_IRQ_XIVE) after vm.ts's generic checks 1–5 (kvmppc_xive_native_connect_vcpu). */
export function connectVcpu(vm: VmState, dev: XiveDeviceState, vcpu: VcpuState, server: number): Result<void> {
  // SMT mode 1 (UNCONFIRMED for other SMT modes).
  const packed = packVcpuId(server, vm.config.maxVcpus);
  if (packed >= dev.nrServers) {
    return fail('EINVAL', `pack(server ${server}) = ${packed} ≥ nr_servers ${dev.nrServers} (kvmppc_xive_compute_vp_id)`);
  }
  dev.vpAllocated = true;
  // kvmppc_xive_vp_in_use compares VP ids, so packed ids collide too.
  const other = vm.vcpus.find((v) => v.mode === 'xive' && v.vp !== null && v.vp.vpId === packed);
  if (other) {
    return fail('EEXIST', `VP ${packed} (server ${server}) is already used by vCPU ${other.id} (server ${other.server}) (kvmppc_xive_compute_vp_id)`);
  }
  vcpu.mode = 'xive';
  vcpu.server = server;
  vcpu.running = false;
  vcpu.vp = newVp(server, packed);
  dev.vcpuByServer.set(server, vm.vcpus.indexOf(vcpu));
  return OK_VOID;
}

/** KVM_DEV_XIVE_NR_SERVERS (kvmppc_xive_set_nr_servers): a __u32 read from addr. */
function setNrServers(vm: VmState, dev: XiveDeviceState, word: bigint | null): Result<void> {
  const fn = 'kvmppc_xive_set_nr_servers';
  if (word === null) return fail('EFAULT', `cannot read the __u32 at addr (get_user in ${fn})`);
  const n = Number(word & 0xffffffffn);
  if (n === 0 || n > vm.config.maxVcpuIds) {
    return fail('EINVAL', `nr_servers ${n} must be 1..KVM_MAX_VCPU_IDS (${vm.config.maxVcpuIds}) (${fn})`);
  }
  if (dev.vpAllocated) return fail('EBUSY', `the VP block is already allocated (a vCPU has connected) (${fn})`);
  dev.nrServers = Math.min(n, vm.config.maxVcpus);
  return OK_VOID;
}

/** KVM_DEV_XIVE_RESET (kvmppc_xive_reset): always 0; see §3.8 for the stale fields it leaves. */
export function resetDevice(vm: VmState, dev: XiveDeviceState): void {
  for (const v of vm.vcpus) {
    const vp = v.vp;
    if (v.mode !== 'xive' || !vp) continue;
    // kvmppc_xive_disable_vcpu_interrupts: routed sources of this server are
    // masked, but act_server and eisn stay as they were.
    for (const id of dev.blockIds) {
      const sb = dev.blocks[id];
      if (!sb) continue;
      for (let i = 0; i < SOURCES_PER_BLOCK; i++) {
        if ((sb.flags[i] & SOURCE_FLAG_VALID) === 0 || sb.actPriority[i] === MASKED) continue;
        if (sb.actServer[i] !== vp.server) continue;
        sb.actPriority[i] = MASKED;
        sb.pq[i] = PQ_OFF;
      }
    }
    // Escalations freed and queues disabled; the per-queue counts stay (errata 10).
    for (const q of vp.queues) q.mode = 'off';
  }
  // kvmppc_xive_reset_sources: whatever is still routed targets no connected vCPU.
  for (const id of dev.blockIds) {
    const sb = dev.blocks[id];
    if (!sb) continue;
    for (let i = 0; i < SOURCES_PER_BLOCK; i++) {
      if ((sb.flags[i] & SOURCE_FLAG_VALID) === 0 || sb.actPriority[i] === MASKED) continue;
      sb.eisn[i] = 0;
      sb.actServer[i] = 0;
      sb.actPriority[i] = MASKED;
      sb.pq[i] = PQ_OFF;
    }
  }
}

export function setAttr(vm: VmState, dev: XiveDeviceState, group: number, attr: bigint, payload: AttrPayload): Result<void> {
  switch (group) {
    case XIVE_GRP.CTRL:
      if (attr === BigInt(XIVE_CTRL.RESET)) { resetDevice(vm, dev); return OK_VOID; }
      if (attr === BigInt(XIVE_CTRL.EQ_SYNC)) { eqSync(vm); return OK_VOID; }
      if (attr === BigInt(XIVE_CTRL.NR_SERVERS)) return setNrServers(vm, dev, payloadWord(payload));
      return fail('ENXIO', `unknown KVM_DEV_XIVE_GRP_CTRL attribute ${attr} (kvmppc_xive_native_set_attr)`);
    case XIVE_GRP.SOURCE: return setSource(dev, attr, payloadWord(payload));
    case XIVE_GRP.SOURCE_CONFIG: return setSourceConfig(vm, dev, attr, payloadWord(payload));
    case XIVE_GRP.EQ_CONFIG: return setQueueConfig(vm, dev, attr, payloadEq(payload));
    case XIVE_GRP.SOURCE_SYNC: return syncSource(dev, attr);
    default: return fail('ENXIO', `unknown attribute group ${group} (kvmppc_xive_native_set_attr)`);
  }
}

const GROUP_NAMES: Readonly<Record<number, string>> = {
  1: 'KVM_DEV_XIVE_GRP_CTRL', 2: 'KVM_DEV_XIVE_GRP_SOURCE', 3: 'KVM_DEV_XIVE_GRP_SOURCE_CONFIG', 5: 'KVM_DEV_XIVE_GRP_SOURCE_SYNC',
};

export function getAttr(vm: VmState, dev: XiveDeviceState, group: number, attr: bigint, opts: { fault?: boolean }): Result<AttrValue> {
  if (group === XIVE_GRP.EQ_CONFIG) {
    const r = getQueueConfig(vm, dev, attr, opts.fault === true);
    if (!r.ok) return r;
    return { ok: true, value: { kind: 'eq', eq: r.value.eq, written: r.value.written } };
  }
  const name = GROUP_NAMES[group];
  return fail('ENXIO', name
    ? `${name} is write-only: only EQ_CONFIG can be read (kvmppc_xive_native_get_attr)`
    : `unknown attribute group ${group} (kvmppc_xive_native_get_attr)`);
}

export function hasAttr(_vm: VmState, _dev: XiveDeviceState, group: number, attr: bigint): Result<void> {
  switch (group) {
    case XIVE_GRP.CTRL:
      if (attr === BigInt(XIVE_CTRL.RESET) || attr === BigInt(XIVE_CTRL.EQ_SYNC) || attr === BigInt(XIVE_CTRL.NR_SERVERS)) return OK_VOID;
      return fail('ENXIO', `unknown KVM_DEV_XIVE_GRP_CTRL attribute ${attr} (kvmppc_xive_native_has_attr)`);
    case XIVE_GRP.SOURCE: case XIVE_GRP.SOURCE_CONFIG: case XIVE_GRP.SOURCE_SYNC:
      if (attr >= 0n && attr < BigInt(XIVE_NR_IRQS)) return OK_VOID;
      return fail('ENXIO', `source 0x${attr.toString(16)} is outside 0..0xfffff (kvmppc_xive_native_has_attr)`);
    case XIVE_GRP.EQ_CONFIG: return OK_VOID;
    default: return fail('ENXIO', `unknown attribute group ${group} (kvmppc_xive_native_has_attr)`);
  }
}
