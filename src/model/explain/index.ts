/**
 * "Why is this interrupt not delivered?": pure explanations over a VmState,
 * no view logic. The CLI, the debugger, the interrupt map and the language
 * server all render what these return.
 */
import type { VmState } from '../state';
import { findVcpu } from '../vm';
import { SOURCES_PER_BLOCK, SOURCE_FLAG_VALID, MASKED } from '../xive/constants';
import { queueEntries, unreadEntries } from '../xive/queues';
import { vcpuForServer } from '../xive/sources';
import { hex, link } from './common';
import type { ExplainResult, QueueEntryExplanation, SourceExplanation, VcpuExplanation } from './types';
import { explainXicsSource, explainXicsVcpu } from './xics';
import { explainXiveSource, explainXiveVcpu } from './xive';

export * from './types';
export { renderExplanation } from './render';

const NO_DEVICE_RULE = 'KVM_CREATE_DEVICE';

export interface ExplainOptions {
  /**
   * Look for the source's event among the unread queue entries (XIVE). On by
   * default; one-line summaries of many sources turn it off (it scans up to
   * a whole queue), which changes no verdict.
   */
  readonly findEntry?: boolean;
}

/** The chain a source's events travel, the link where they stop, and what to do next. */
export function explainSource(vm: VmState, irq: number, opts: ExplainOptions = {}): SourceExplanation {
  const dev = vm.device;
  if (!dev) {
    return {
      kind: 'source', device: null, irq, status: 'blocked', summary: 'blocked: no interrupt device', stoppedAt: 0, target: null,
      chain: [link('device', 'device', { created: false }, 'blocks', NO_DEVICE_RULE, 'no interrupt device: KVM_IRQ_LINE fails with ENXIO and nothing routes', 'no interrupt device')],
      next: [{ text: 'create the device', statement: 'device xive' }],
    };
  }
  const n = Number.isSafeInteger(irq) ? irq : -1;
  return dev.kind === 'xive' ? explainXiveSource(vm, dev, n, { findEntry: opts.findEntry ?? true }) : explainXicsSource(vm, dev, n);
}

/** A vCPU's presenter: what is pending, what is masked, what is presented next and why. */
export function explainVcpu(vm: VmState, vcpuId: number): ExplainResult<VcpuExplanation> {
  const vcpu = findVcpu(vm, vcpuId);
  const dev = vm.device;
  if (!vcpu || !dev || vcpu.mode === 'none' || (!vcpu.vp && !vcpu.icp)) {
    return {
      ok: true,
      value: {
        kind: 'vcpu', device: dev?.kind ?? null, vcpu: vcpuId, status: 'absent',
        summary: !vcpu ? `vCPU ${vcpuId} does not exist` : `vCPU ${vcpuId} is not connected to an interrupt controller`,
        chain: [link('vcpu', `vCPU ${vcpuId}`, { exists: vcpu !== undefined, connected: false }, 'blocks', 'kvm_vcpu_ioctl_enable_cap',
          'no presenter: nothing can be delivered to this vCPU until KVM_ENABLE_CAP connects it', 'not connected')],
        pending: [], presentsNext: null, queues: [],
        next: [{ text: `connect vCPU ${vcpuId}`, statement: `vcpu ${vcpuId} connect` }],
      },
    };
  }
  return { ok: true, value: dev.kind === 'xive' ? explainXiveVcpu(vm, vcpu) : explainXicsVcpu(vm, dev, vcpu) };
}

/** Sources that route to (server, priority) with this EISN now (a scan of every valid source). */
export function sourcesWithEisn(vm: VmState, server: number, priority: number, eisn: number): number[] {
  const dev = vm.device;
  if (dev?.kind !== 'xive') return [];
  const out: number[] = [];
  for (const id of dev.blockIds) {
    const sb = dev.blocks[id];
    if (!sb) continue;
    for (let i = 0; i < SOURCES_PER_BLOCK; i++) {
      if ((sb.flags[i] & SOURCE_FLAG_VALID) === 0 || sb.actPriority[i] === MASKED) continue;
      if (sb.actPriority[i] === priority && sb.actServer[i] === server && (sb.eisn[i] & 0x7fffffff) === (eisn & 0x7fffffff)) out.push(id * SOURCES_PER_BLOCK + i);
    }
  }
  return out;
}

/** One slot of an event queue: its word, whether the guest has read it, and the sources that write this EISN there. */
export function explainQueueEntry(vm: VmState, server: number, priority: number, index: number): ExplainResult<QueueEntryExplanation> {
  const dev = vm.device;
  if (dev?.kind !== 'xive') return { ok: false, error: 'event queues exist only with a XIVE native device' };
  const vcpu = vcpuForServer(vm, dev, server);
  if (!vcpu?.vp) return { ok: false, error: `no connected vCPU has server ${server}` };
  if (!Number.isInteger(priority) || priority < 0 || priority > 7) return { ok: false, error: `priority ${priority} is not 0..7` };
  const q = vcpu.vp.queues[priority];
  const entries = queueEntries(q);
  if (entries === 0) return { ok: false, error: `EQ ${server}/${priority} has no queue page (not configured)` };
  if (!Number.isInteger(index) || index < 0 || index >= entries) return { ok: false, error: `entry ${index} is outside EQ ${server}/${priority}'s ${entries} entries` };
  const page = vm.memory.pages.get(Math.floor(q.qaddr / 65536));
  const word = page ? page[index] >>> 0 : 0;
  const unreadCount = unreadEntries(q, entries);
  const offset = (index - q.readerIndex + entries) % entries;
  const unread = offset < unreadCount;
  const eisn = word & 0x7fffffff;
  const sources = word === 0 ? [] : sourcesWithEisn(vm, server, priority, eisn);
  const summary = word === 0 && !unread
    ? `EQ ${server}/${priority}[${index}] was never written`
    : `EQ ${server}/${priority}[${index}] = ${hex(word, 8)}: EISN ${hex(eisn)}, generation ${word >>> 31}, ${unread ? 'unread' : 'already read'}${sources.length ? `; EISN of source ${sources.map((s) => hex(s)).join(', ')}` : ''}`;
  return { ok: true, value: { kind: 'queue-entry', server, priority, index, word, generation: word >>> 31, eisn, unread, sources, summary } };
}
