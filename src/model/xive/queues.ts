/**
 * Event queues: KVM_DEV_XIVE_GRP_EQ_CONFIG set/get (§3.6), EQ_SYNC (§3.7),
 * the hardware enqueue with its generation bit (§3.10) and the guest's scan.
 * Entries live in guest memory (vm.memory.pages) as the big-endian word's value.
 */
import { KvmPpcXiveEq, KVM_XIVE_EQ_ALWAYS_NOTIFY } from '../attr';
import { decodeToRecord } from '../layouts/codec';
import { fail, OK_VOID, Result } from '../result';
import type { VcpuState, VmState } from '../state';
import { KVM_QUEUE_ENTRIES } from './constants';
import { prioFromGuest } from './priority';
import { checkQueueConfig } from './queue-config-rules';
import { vcpuForServer } from './sources';
import type { VpState, XiveDeviceState, XiveQueueState } from './state';

const WORDS_PER_PAGE = 16384;

/** Rule name of EQ configuration, cited by its reasons and by the routing explanation. */
export const SET_QUEUE_CONFIG_RULE = 'kvmppc_xive_native_set_queue_config';

/** The EQ identifier (attr) → server and priority; bits 63..32 are masked off. */
export function decodeEqId(attr: bigint): { server: number; priority: number } {
  const f = decodeToRecord('xive-eq-id', attr & 0xffffffffn);
  return { server: f.server, priority: f.priority };
}

function findEqVcpu(vm: VmState, dev: XiveDeviceState, server: number, fn: string): Result<{ vcpu: VcpuState; vp: VpState }> {
  const vcpu = vcpuForServer(vm, dev, server);
  if (!vcpu || !vcpu.vp) return fail('ENOENT', `no connected vCPU has server ${server} (${fn})`);
  return { ok: true, value: { vcpu, vp: vcpu.vp } };
}

/** Entries of a queue: 2^(qshift − 2). */
export function queueEntries(q: XiveQueueState): number {
  return q.mode === 'enqueue' ? 1 << (q.qshift - 2) : 0;
}

/** KVM_DEV_XIVE_GRP_EQ_CONFIG set (kvmppc_xive_native_set_queue_config): the rules of queue-config-rules.ts, then the effect. */
export function setQueueConfig(vm: VmState, dev: XiveDeviceState, attr: bigint, eq: KvmPpcXiveEq | null): Result<void> {
  const { server, priority } = decodeEqId(attr);
  const vcpu = eq === null ? null : vcpuForServer(vm, dev, server);
  const verdict = checkQueueConfig({ server, priority, eq }, { serverConnected: vcpu !== null && vcpu.vp !== null, ramSize: vm.memory.ramSize });
  if (verdict.failure) {
    // A refused restore tears the queue down.
    if (verdict.restoring && vcpu?.vp) vcpu.vp.queues[priority].mode = 'off';
    return fail(verdict.failure.errno, verdict.failure.reason);
  }
  if (eq === null || vcpu === null || vcpu.vp === null) return fail('EFAULT', 'unreachable');
  const q = vcpu.vp.queues[priority];
  if (verdict.reset) {
    // Reset: the END stays enabled notify-only, without a page.
    q.mode = 'notify';
    q.qaddr = 0;
    q.qshift = 0;
    q.toggle = 1;
    q.index = 0;
    q.dirty = false;
    return OK_VOID;
  }
  const restoring = verdict.restoring;
  q.mode = 'enqueue';
  q.qaddr = Number(eq.qaddr);
  q.qshift = eq.qshift;
  q.toggle = restoring ? eq.qtoggle : 1;
  q.index = restoring ? eq.qindex : 0;
  q.dirty = false;
  setGuestReader(q, eq.qindex);
  return OK_VOID;
}

/**
 * Where the guest's reader starts, set the way a Linux guest sets it. A guest
 * sets up a new queue over a zeroed page with idx 0 and toggle 0
 * (xive_spapr_configure_queue), and xive_read_eq takes an entry as new while
 * its generation bit differs from its toggle: with the hardware writing
 * generation 1 (qtoggle 1, as QEMU configures a fresh queue) the entries show
 * and the zeroed slots stop the scan. A restored queue (qindex ≠ 0) comes back
 * with the guest's own migrated reader, taken to be caught up with the
 * restored position (README, "The guest's queue reader").
 */
function setGuestReader(q: XiveQueueState, qindex: number): void {
  if (qindex === 0) {
    q.readerIndex = 0;
    q.readerToggle = 0;
  } else {
    q.readerIndex = q.index;
    q.readerToggle = q.toggle ^ 1;
  }
}

/** KVM_DEV_XIVE_GRP_EQ_CONFIG get (kvmppc_xive_native_get_queue_config). */
export function getQueueConfig(vm: VmState, dev: XiveDeviceState, attr: bigint, fault: boolean): Result<{ eq: KvmPpcXiveEq; written: boolean }> {
  const fn = 'kvmppc_xive_native_get_queue_config';
  const { server, priority } = decodeEqId(attr);
  const found = findEqVcpu(vm, dev, server, fn);
  if (!found.ok) return found;
  if (prioFromGuest(priority) !== priority) return fail('EINVAL', `priority ${priority} is reserved (xive_prio_from_guest)`);
  const q = found.value.vp.queues[priority];
  const empty: KvmPpcXiveEq = { flags: 0, qshift: 0, qaddr: 0n, qtoggle: 0, qindex: 0 };
  // No page: 0 without touching the buffer (QEMU pre-zeroes it).
  if (q.mode !== 'enqueue') return { ok: true, value: { eq: empty, written: false } };
  if (fault) return fail('EFAULT', `cannot write struct kvm_ppc_xive_eq to addr (copy_to_user in ${fn})`);
  return {
    ok: true,
    value: {
      eq: { flags: KVM_XIVE_EQ_ALWAYS_NOTIFY, qshift: q.qshift, qaddr: BigInt(q.qaddr), qtoggle: q.toggle, qindex: q.index },
      written: true,
    },
  };
}

/** KVM_DEV_XIVE_EQ_SYNC: every queue with a page gets its page marked dirty. */
export function eqSync(vm: VmState): void {
  for (const v of vm.vcpus) {
    if (v.mode !== 'xive' || !v.vp) continue;
    for (const q of v.vp.queues) if (q.mode === 'enqueue') q.dirty = true;
  }
}

/**
 * The guest page a queue last wrote to, remembered on the queue so that an
 * enqueue skips the page-map lookup. Valid while the queue still points into
 * that page of that memory map: pages are only ever added to the map, never
 * replaced or removed, so a page found once stays the page. Kept as a
 * non-enumerable property: snapshots (structuredClone), JSON and deep
 * equality do not see it, and a cloned queue starts without it.
 */
interface QueuePageCache {
  readonly pages: Map<number, Uint32Array>;
  readonly pageNo: number;
  readonly page: Uint32Array;
}
type QueueWithPageCache = XiveQueueState & { pageCache?: QueuePageCache };

function queuePage(vm: VmState, q: QueueWithPageCache): Uint32Array {
  const cached = q.pageCache;
  if (cached !== undefined && cached.pageNo === Math.floor(q.qaddr / 65536) && cached.pages === vm.memory.pages) return cached.page;
  return findQueuePage(vm, q);
}

/** queuePage's miss: the page from the map (created zeroed when new), then remembered. */
function findQueuePage(vm: VmState, q: QueueWithPageCache): Uint32Array {
  const pageNo = Math.floor(q.qaddr / 65536);
  const cached = q.pageCache;
  let page = vm.memory.pages.get(pageNo);
  if (page === undefined) {
    page = new Uint32Array(WORDS_PER_PAGE);
    vm.memory.pages.set(pageNo, page);
  }
  const entry: QueuePageCache = { pages: vm.memory.pages, pageNo, page };
  if (cached === undefined) Object.defineProperty(q, 'pageCache', { value: entry, writable: true, enumerable: false, configurable: true });
  else q.pageCache = entry;
  return page;
}

/** Writes one entry (generation << 31 | eisn) at qaddr + 4·index and advances; wraps flip the generation. */
export function enqueue(vm: VmState, q: XiveQueueState, eisn: number): void {
  const page = queuePage(vm, q);
  page[q.index] = ((q.toggle << 31) | (eisn & 0x7fffffff)) >>> 0;
  q.index++;
  if (q.index === KVM_QUEUE_ENTRIES) {
    q.index = 0;
    q.toggle ^= 1;
  }
}

/**
 * Entries written and not yet scanned by the guest. The writer's generation
 * bit starts at the configured qtoggle (1 in every QEMU sequence) and the
 * reader's at 0, so they are on the same lap when the bits differ. When it
 * equals the queue size, the next event overwrites an unread entry (XIVE
 * queues have no overflow check: KVM relies on q->count ≤ entries − 2 and on
 * each source's P bit).
 */
export function unreadEntries(q: { index: number; toggle: number; readerIndex: number; readerToggle: number }, entries: number): number {
  if (entries === 0) return 0;
  const sameLap = q.toggle !== q.readerToggle;
  const n = sameLap ? q.index - q.readerIndex : entries - q.readerIndex + q.index;
  return Math.max(0, Math.min(entries, n));
}

/**
 * The guest's scan, as Linux's xive_read_eq: the word at the reader's index is
 * a new entry while its generation bit (31) differs from the reader's toggle;
 * each one read advances the index, and the toggle flips at the wrap. At most
 * one lap is read per scan.
 */
export function scanQueue(vm: VmState, q: XiveQueueState): number[] {
  const out: number[] = [];
  const entries = queueEntries(q);
  if (entries === 0) return out;
  const page = vm.memory.pages.get(Math.floor(q.qaddr / 65536));
  if (!page) return out;
  for (let n = 0; n < entries; n++) {
    const w = page[q.readerIndex];
    if (w >>> 31 === q.readerToggle) break;
    out.push(w);
    q.readerIndex++;
    if (q.readerIndex === entries) {
      q.readerIndex = 0;
      q.readerToggle ^= 1;
    }
  }
  return out;
}
