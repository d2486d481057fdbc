/** Read-only views of the XIVE native state for the debugger (no side effects, no pull). */
import type { DeviceView, PresenterView, QueueView, SourceView } from '../inspect';
import { encodeWord } from '../layouts/codec';
import type { VmState } from '../state';
import { MASKED, SOURCE_FLAG_ASSERTED, SOURCE_FLAG_LSI, SOURCE_FLAG_VALID, SOURCES_PER_BLOCK } from './constants';
import { vpWord } from './presenter';
import { queueEntries } from './queues';
import type { XiveDeviceState, XiveSourceBlock } from './state';

export function inspectDevice(_vm: VmState, dev: XiveDeviceState): DeviceView {
  return { kind: 'xive', nrServers: dev.nrServers, sourceCount: dev.sourceCount, counters: { ...dev.counters } };
}

function sourceView(sb: XiveSourceBlock, i: number): SourceView {
  const prio = sb.actPriority[i];
  const routed = prio !== MASKED;
  const flags = sb.flags[i];
  // The configuration as SOURCE_CONFIG would express it (a masked source: mask bit, zeros elsewhere).
  const enc = encodeWord('xive-source-config', {
    priority: routed ? prio : 0,
    server: sb.actServer[i] & 0x1fffffff,
    masked: routed ? 0 : 1,
    eisn: sb.eisn[i] & 0x7fffffff,
  });
  return {
    irq: sb.id * SOURCES_PER_BLOCK + i,
    type: (flags & SOURCE_FLAG_LSI) !== 0 ? 'LSI' : 'MSI',
    layout: 'xive-source-config',
    word: enc.ok ? enc.word : 0n,
    pq: sb.pq[i],
    asserted: (flags & SOURCE_FLAG_ASSERTED) !== 0,
    routed,
    server: sb.actServer[i],
    priority: prio,
    extra: { eisn: sb.eisn[i], act_server: sb.actServer[i], act_priority: prio },
  };
}

/** Valid sources in ascending order; `start` counts among valid sources (per-block counts skip whole blocks). */
export function inspectSources(_vm: VmState, dev: XiveDeviceState, start: number, count: number): SourceView[] {
  const out: SourceView[] = [];
  let skip = Math.max(0, start);
  for (const id of dev.blockIds) {
    if (out.length >= count) break;
    const sb = dev.blocks[id];
    if (!sb || sb.validCount === 0) continue;
    if (skip >= sb.validCount) {
      skip -= sb.validCount;
      continue;
    }
    for (let i = 0; i < SOURCES_PER_BLOCK && out.length < count; i++) {
      if ((sb.flags[i] & SOURCE_FLAG_VALID) === 0) continue;
      if (skip > 0) { skip--; continue; }
      out.push(sourceView(sb, i));
    }
  }
  return out;
}

/** Queues that are programmed (enqueue or notify-only) or that have sources counted against them. */
export function inspectQueues(vm: VmState, _dev: XiveDeviceState): QueueView[] {
  const out: QueueView[] = [];
  for (const v of vm.vcpus) {
    const vp = v.vp;
    if (v.mode !== 'xive' || !vp) continue;
    vp.queues.forEach((q, priority) => {
      if (q.mode === 'off' && q.count === 0) return;
      out.push({
        vcpu: v.id, server: vp.server, priority, qaddr: BigInt(q.qaddr), qshift: q.qshift,
        index: q.index, toggle: q.toggle, count: q.count, entries: queueEntries(q), dirty: q.dirty,
        readerIndex: q.readerIndex, readerToggle: q.readerToggle,
      });
    });
  }
  return out;
}

export function inspectPresenters(vm: VmState, _dev: XiveDeviceState): PresenterView[] {
  const out: PresenterView[] = [];
  for (const v of vm.vcpus) {
    const vp = v.vp;
    if (v.mode !== 'xive' || !vp) continue;
    out.push({
      vcpu: v.id, server: vp.server, layout: 'xive-vp-state', word: vpWord(vp, true), running: v.running,
      // xc->cppr/mfrr (ICP_STATE's view) only mean something for XICS-on-XIVE: not shown for a native VP.
      extra: { vp_id: vp.vpId, backlog_ipb: vp.backlogIpb },
    });
  }
  return out;
}
