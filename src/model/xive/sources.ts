/**
 * KVM source blocks and the source attribute groups: GRP_SOURCE (§3.4),
 * SOURCE_CONFIG with target selection (§3.5), SOURCE_SYNC (§3.7).
 */
import { collectingEffects, noteEffect } from '../effects';
import { fail, OK_VOID, Result } from '../result';
import type { VcpuState, VmState } from '../state';
import { decodeToRecord } from '../layouts/codec';
import {
  BLOCK_SHIFT, KVM_QUEUE_ENTRIES, MASKED, MAX_BLOCK_ID, PQ_OFF, SOURCE_FLAG_ASSERTED, SOURCE_FLAG_LSI,
  SOURCE_FLAG_VALID, SOURCES_PER_BLOCK, XIVE_NR_IRQS, XIVE_Q_GAP,
} from './constants';
import { prioFromGuest } from './priority';
import type { XiveDeviceState, XiveSourceBlock } from './state';

/** Rule names of the source operations, cited by their reasons and by the routing explanation. */
export const SET_SOURCE_RULE = 'kvmppc_xive_native_set_source';
export const SET_SOURCE_CONFIG_RULE = 'kvmppc_xive_native_set_source_config';
export const SELECT_TARGET_RULE = 'kvmppc_xive_select_target';

/** Bytes of one block's per-source arrays, which share one buffer (byte arrays first, then the 32-bit ones). */
const BLOCK_BYTES = SOURCES_PER_BLOCK * (1 + 1 + 1 + 4 + 4);

export function newSourceBlock(id: number): XiveSourceBlock {
  // One buffer per block: a routed event touches all five arrays of its
  // source, and one allocation keeps them on neighbouring memory pages (and
  // makes a snapshot clone one buffer per block instead of five).
  const buffer = new ArrayBuffer(BLOCK_BYTES);
  const n = SOURCES_PER_BLOCK;
  return {
    id,
    validCount: 0,
    flags: new Uint8Array(buffer, 0, n),
    pq: new Uint8Array(buffer, n, n),
    actServer: new Uint32Array(buffer, 3 * n, n),
    actPriority: new Uint8Array(buffer, 2 * n, n).fill(MASKED),
    eisn: new Uint32Array(buffer, 7 * n, n),
  };
}

/** kvmppc_xive_find_source: the number is truncated to 32 bits; block id must be ≤ 1023. */
export function findBlock(dev: XiveDeviceState, irq: number): XiveSourceBlock | null {
  const n = irq >>> 0;
  const id = n >>> BLOCK_SHIFT;
  if (id > MAX_BLOCK_ID) return null;
  return dev.blocks[id] ?? null;
}

/** The block of a valid source, or null (ESB faults, routing, QEMU EAS validity). */
export function validSourceBlock(dev: XiveDeviceState, irq: number): XiveSourceBlock | null {
  const sb = findBlock(dev, irq);
  if (sb === null || (sb.flags[irq & (SOURCES_PER_BLOCK - 1)] & SOURCE_FLAG_VALID) === 0) return null;
  return sb;
}

function createBlock(dev: XiveDeviceState, id: number): XiveSourceBlock {
  const sb = newSourceBlock(id);
  dev.blocks[id] = sb;
  // Insert keeping ascending order (blocks are few; creation is rare).
  let i = dev.blockIds.length;
  while (i > 0 && dev.blockIds[i - 1] > id) i--;
  dev.blockIds.splice(i, 0, id);
  return sb;
}

/** KVM_DEV_XIVE_GRP_SOURCE set (kvmppc_xive_native_set_source), checks in kernel order. */
export function setSource(dev: XiveDeviceState, attr: bigint, word: bigint | null): Result<void> {
  if (attr < 0n || attr >= BigInt(XIVE_NR_IRQS) || BigInt.asIntN(64, attr) < 0n) {
    return fail('E2BIG', `source 0x${attr.toString(16)} is outside 0..0xfffff (${SET_SOURCE_RULE})`);
  }
  const irq = Number(attr);
  const id = irq >>> BLOCK_SHIFT;
  // The block is created before the value is read and stays when the read fails (errata 12).
  const sb = dev.blocks[id] ?? createBlock(dev, id);
  if (word === null) return fail('EFAULT', `cannot read the source word at addr (get_user in ${SET_SOURCE_RULE})`);
  const i = irq & (SOURCES_PER_BLOCK - 1);
  const v = decodeToRecord('xive-source', word);
  let flags = sb.flags[i];
  // The LSI type and assertion are only ever set here, never cleared.
  if (v.level_sensitive === 1) {
    flags |= SOURCE_FLAG_LSI;
    if (v.asserted === 1) flags |= SOURCE_FLAG_ASSERTED;
  }
  sb.pq[i] = PQ_OFF;
  sb.actServer[i] = 0;
  sb.actPriority[i] = MASKED;
  if ((flags & SOURCE_FLAG_VALID) === 0) {
    flags |= SOURCE_FLAG_VALID;
    sb.validCount++;
    dev.sourceCount++;
  }
  sb.flags[i] = flags;
  return OK_VOID;
}

/** The connected XIVE vCPU with this server number (kvmppc_xive_find_server). */
export function vcpuForServer(vm: VmState, dev: XiveDeviceState, server: number): VcpuState | null {
  // Every routed event looks its server up. A server is usually its vCPU's
  // index, and a vCPU connected with this server is the one the map names
  // (connect refuses a second vCPU per server and records its index; release
  // clears the map and the VPs together), so the map is consulted only when
  // that guess misses.
  const guess = vm.vcpus[server];
  if (guess !== undefined && guess.mode === 'xive' && guess.vp !== null && guess.vp.server === server) return guess;
  const idx = dev.vcpuByServer.get(server);
  return idx === undefined ? null : vm.vcpus[idx];
}

/** xive_try_pick_queue: a configured queue with count < entries − 2 takes one more source. */
function tryPickQueue(vcpu: VcpuState, prio: number): boolean {
  const q = vcpu.vp?.queues[prio];
  if (!q || q.mode !== 'enqueue') return false;
  if (q.count >= KVM_QUEUE_ENTRIES - XIVE_Q_GAP) return false;
  q.count++;
  return true;
}

/**
 * kvmppc_xive_select_target: the requested server's queue, else the first
 * connected vCPU in creation order with a usable queue (silent retarget).
 */
export function selectTarget(vm: VmState, dev: XiveDeviceState, server: number, prio: number): Result<number> {
  const wanted = vcpuForServer(vm, dev, server);
  if (!wanted) {
    return fail('EINVAL', `no connected vCPU has server ${server} (${SELECT_TARGET_RULE})`);
  }
  if (tryPickQueue(wanted, prio)) return { ok: true, value: server };
  for (const v of vm.vcpus) {
    if (v.mode !== 'xive' || !v.vp) continue;
    if (tryPickQueue(v, prio)) {
      if (collectingEffects()) {
        noteEffect('retargeted', `silently retargeted from server ${server} to server ${v.vp.server}: server ${server} has no configured priority-${prio} queue with a free slot (kvmppc_xive_select_target)`);
      }
      return { ok: true, value: v.vp.server };
    }
  }
  return fail('EBUSY', `no vCPU has a configured priority-${prio} queue with a free slot (server ${server}'s queue is unconfigured or full: ${KVM_QUEUE_ENTRIES - XIVE_Q_GAP} sources max) (${SELECT_TARGET_RULE})`);
}

/** KVM_DEV_XIVE_GRP_SOURCE_CONFIG set (kvmppc_xive_native_set_source_config → update_source_config). */
export function setSourceConfig(vm: VmState, dev: XiveDeviceState, attr: bigint, word: bigint | null): Result<void> {
  const irq = Number(attr & 0xffffffffn);
  const sb = findBlock(dev, irq);
  if (!sb) return fail('ENOENT', `no source block holds 0x${irq.toString(16)}: declare the source first (${SET_SOURCE_CONFIG_RULE})`);
  const i = irq & (SOURCES_PER_BLOCK - 1);
  if ((sb.flags[i] & SOURCE_FLAG_VALID) === 0) {
    return fail('EINVAL', `source 0x${irq.toString(16)} was never declared with GRP_SOURCE (${SET_SOURCE_CONFIG_RULE})`);
  }
  if (word === null) return fail('EFAULT', `cannot read the configuration word at addr (${SET_SOURCE_CONFIG_RULE})`);
  const cfg = decodeToRecord('xive-source-config', word);
  const priority = cfg.priority;
  if (prioFromGuest(priority) !== priority) {
    return fail('EINVAL', `priority ${priority} is reserved (xive_prio_from_guest)`);
  }
  // No-op shortcut: the masked bit is not compared.
  if (sb.actServer[i] === cfg.server && sb.actPriority[i] === priority && sb.eisn[i] === cfg.eisn) {
    if (cfg.masked === 1 && collectingEffects()) {
      noteEffect('maskedIgnored', `masked 1 had no effect: server, priority and EISN equal the current routing, so the kernel returns early and the source stays unmasked (kvmppc_xive_native_update_source_config: no-change early-out)`);
    }
    return OK_VOID;
  }
  if (cfg.masked === 0) {
    const target = selectTarget(vm, dev, cfg.server, priority);
    if (!target.ok) return target;
    sb.actPriority[i] = priority;
    sb.actServer[i] = target.value;
    sb.eisn[i] = cfg.eisn;
  } else {
    sb.actPriority[i] = MASKED;
    sb.actServer[i] = 0;
    sb.eisn[i] = 0;
  }
  return OK_VOID;
}

/** KVM_DEV_XIVE_GRP_SOURCE_SYNC (kvmppc_xive_native_sync_source): a flush, no visible state. */
export function syncSource(dev: XiveDeviceState, attr: bigint): Result<void> {
  const irq = Number(attr & 0xffffffffn);
  const sb = findBlock(dev, irq);
  if (!sb) return fail('ENOENT', `no source block holds 0x${irq.toString(16)} (kvmppc_xive_native_sync_source)`);
  if ((sb.flags[irq & (SOURCES_PER_BLOCK - 1)] & SOURCE_FLAG_VALID) === 0) {
    return fail('EINVAL', `source 0x${irq.toString(16)} is not valid (kvmppc_xive_native_sync_source)`);
  }
  return OK_VOID;
}
