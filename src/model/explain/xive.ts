/**
 * The XIVE native routing chain of a source and the state of a VP, read from
 * the model without changing it. Every verdict uses the predicate and the
 * rule name written beside the operation it mirrors (esb.ts, sources.ts,
 * queues.ts, presenter.ts).
 */
import type { VcpuState, VmState } from '../state';
import {
  MASKED, NSR_EO, PQ_OFF, PQ_PENDING, PQ_QUEUED, PQ_RESET, SOURCE_FLAG_ASSERTED, SOURCE_FLAG_LSI, SOURCES_PER_BLOCK,
  TM_CPPR_OFFSET, TM_SPC_ACK_OS_REG, XIVE_NR_IRQS,
} from '../xive/constants';
import { ESB_EOI_RULE, ESB_TRIGGER_RULE, PQ_AFTER_TRIGGER, ROUTE_DROP_RULES } from '../xive/esb';
import { ACCEPT_RULE, cpprAdmits, ipbToPipr, NOTIFY_RULE, PULL_RULE } from '../xive/presenter';
import { queueEntries, unreadEntries, SET_QUEUE_CONFIG_RULE } from '../xive/queues';
import { findBlock, SET_SOURCE_RULE, validSourceBlock, vcpuForServer } from '../xive/sources';
import type { VpState, XiveDeviceState, XiveQueueState } from '../xive/state';
import type { ExplainLink, PendingItem, SourceExplanation, Suggestion, VcpuExplanation } from './types';
import { hex, link, pqName, sourceSummary } from './common';

const PQ_MEANING = ['00 (ready)', '01 (off)', '10 (P-: forwarded, waiting for EOI)', '11 (PQ: forwarded, one more queued)'];

/** Options of an explanation: a summary skips the scan of the queue for the source's EISN. */
export interface XiveExplainOptions {
  readonly findEntry: boolean;
}

/** Entries a one-line summary scans for the source's EISN before giving it the benefit of the doubt. */
const SUMMARY_SCAN_LIMIT = 2048;

/**
 * The index of the oldest unread entry carrying `eisn`, null when none is
 * unread, 'unknown' when more than `limit` entries were unread and it was not
 * among the first `limit`.
 */
function findUnreadEntry(vm: VmState, q: XiveQueueState, entries: number, eisn: number, limit: number): number | null | 'unknown' {
  const unread = unreadEntries(q, entries);
  const page = vm.memory.pages.get(Math.floor(q.qaddr / 65536));
  if (!page || unread === 0) return null;
  let at = q.readerIndex;
  const n = Math.min(unread, limit);
  for (let k = 0; k < n; k++) {
    if ((page[at] & 0x7fffffff) === (eisn & 0x7fffffff)) return at;
    at = at + 1 === entries ? 0 : at + 1;
  }
  return unread > limit ? 'unknown' : null;
}

function vpPending(vcpu: VcpuState, vp: VpState, prio: number): 'ipb' | 'backlog' | null {
  const bit = 0x80 >> prio;
  if (vp.ipb & bit) return 'ipb';
  if (!vcpu.running && vp.backlogIpb & bit) return 'backlog';
  return null;
}

export function explainXiveSource(vm: VmState, dev: XiveDeviceState, irq: number, opts: XiveExplainOptions): SourceExplanation {
  const chain: ExplainLink[] = [];
  const next: Suggestion[] = [];
  const name = hex(irq);
  let pqLinkOf: ((downstreamBlocks: boolean) => void) | null = null;
  const done = (target: SourceExplanation['target'], inFlight: boolean, where: number | null): SourceExplanation => {
    pqLinkOf?.(chain.slice(1).some((l) => l.verdict === 'blocks'));
    const stoppedAt = chain.findIndex((l) => l.verdict === 'blocks');
    const status = stoppedAt >= 0 ? 'blocked' : inFlight ? 'pending' : 'ready';
    return {
      kind: 'source', device: 'xive', irq, status, chain, stoppedAt: stoppedAt >= 0 ? stoppedAt : null, target, next,
      summary: sourceSummary(status, stoppedAt >= 0 ? chain[stoppedAt] : null, where),
    };
  };

  // 1. The source exists (GRP_SOURCE declared it).
  const sb = validSourceBlock(dev, irq);
  if (irq < 0 || irq >= XIVE_NR_IRQS || sb === null) {
    const blockExists = irq >= 0 && irq < XIVE_NR_IRQS && findBlock(dev, irq) !== null;
    chain.push(link('source', `source ${name}`, { exists: false, block: blockExists }, 'blocks', SET_SOURCE_RULE,
      `source ${name} was never declared with KVM_DEV_XIVE_GRP_SOURCE: it has no ESB pages and KVM_IRQ_LINE ignores it`,
      `source ${name} not declared`));
    next.push({ text: `declare the source`, statement: `set source ${name} = 0` });
    return done(null, false, null);
  }
  const i = irq & (SOURCES_PER_BLOCK - 1);
  const flags = sb.flags[i];
  const lsi = (flags & SOURCE_FLAG_LSI) !== 0;
  const asserted = (flags & SOURCE_FLAG_ASSERTED) !== 0;
  chain.push(link('source', `source ${name}`, { exists: true, type: lsi ? 'LSI' : 'MSI', ...(lsi ? { asserted } : {}) },
    lsi && !asserted ? 'warning' : 'ok', SET_SOURCE_RULE,
    lsi ? (asserted ? 'level-sensitive, line asserted: an EOI re-triggers it while the line stays up' : 'level-sensitive, line deasserted: nothing triggers it until the line is asserted')
      : 'message-signalled: each trigger (ESB store, KVM_IRQ_LINE) is one event',
    lsi ? `LSI ${asserted ? 'asserted' : 'deasserted'}` : 'MSI'));

  // What routing would find, read now so the PQ link can tell "in flight" from "stuck".
  const prio = sb.actPriority[i];
  const routed = prio !== MASKED;
  const vcpu = routed ? vcpuForServer(vm, dev, sb.actServer[i]) : null;
  const vp = vcpu?.vp ?? null;
  const q = vp && routed ? vp.queues[prio] : null;
  const entries = q ? queueEntries(q) : 0;
  const unread = q ? unreadEntries(q, entries) : 0;
  const pendingAt = vcpu && vp && routed ? vpPending(vcpu, vp, prio) : null;
  // In flight: the source's EISN is among the unread entries of its queue (a notify-only
  // queue writes none: then the priority pending at the vCPU is all there is to go by).
  const entryAt = q && q.mode === 'enqueue' ? findUnreadEntry(vm, q, entries, sb.eisn[i], opts.findEntry ? entries : SUMMARY_SCAN_LIMIT) : null;
  const inFlight = q?.mode === 'notify' ? pendingAt !== null : entryAt !== null;

  // 2. The ESB PQ state and what the next trigger does. Decided last (inserted after the
  // source link): P set with nothing in flight is the cause only when nothing after it blocks.
  const pq = sb.pq[i];
  const pqLink = (downstreamBlocks: boolean): void => {
    const after = PQ_AFTER_TRIGGER[pq];
    const nextTrigger = pq === PQ_RESET ? 'forwarded (PQ 00 → 10)' : pq === PQ_OFF ? 'dropped at the source (PQ stays 01)' : `coalesced into Q (PQ → ${pqName(after)}), not forwarded`;
    const pqState = { pq: pqName(pq), next_trigger: nextTrigger };
    let l: ExplainLink;
    if (pq === PQ_OFF) {
      l = link('pq', 'ESB PQ', pqState, 'blocks', ESB_TRIGGER_RULE,
        `PQ ${PQ_MEANING[pq]}: the source is off, every trigger is dropped at the ESB (GRP_SOURCE and RESET leave it so; the guest turns it on with a PQ=00 load)`,
        'PQ 01 (off)');
      next.unshift({ text: 'turn the source on: set its PQ to 00 (ESB load at 0xc00)', statement: `esb ${name} load 0xc00` });
    } else if (pq === PQ_PENDING || pq === PQ_QUEUED) {
      if (inFlight) {
        l = link('pq', 'ESB PQ', pqState, pq === PQ_QUEUED ? 'warning' : 'ok', ESB_TRIGGER_RULE,
          `PQ ${PQ_MEANING[pq]}: the event is on its way to the vCPU; the guest EOIs the ESB after handling it${pq === PQ_QUEUED ? ', and that EOI forwards the queued event' : ''}`,
          `PQ ${pqName(pq)} in flight`);
      } else if (downstreamBlocks) {
        l = link('pq', 'ESB PQ', pqState, 'warning', ESB_EOI_RULE,
          `PQ ${PQ_MEANING[pq]}: the last event was forwarded and stopped further on (see below); until the ESB is EOIed new triggers are coalesced into Q`,
          `PQ ${pqName(pq)} set`);
        if (!next.some((x) => x.statement === `esb ${name} load 0x000`)) next.push({ text: 'then EOI the ESB (load at 0x000)', statement: `esb ${name} load 0x000` });
      } else {
        const acked = vp !== null && routed && vp.cppr === prio;
        l = link('pq', 'ESB PQ', pqState, 'blocks', ESB_EOI_RULE,
          `PQ ${PQ_MEANING[pq]}: the forwarded event was handled${acked ? ` (the guest acknowledged priority ${prio}: CPPR ${prio})` : ''} but the ESB was never EOIed, so every new trigger is coalesced into Q and nothing reaches the queue`,
          `PQ ${pqName(pq)} waiting for EOI`);
        next.unshift({ text: 'EOI the ESB (load at 0x000)', statement: `esb ${name} load 0x000` });
      }
    } else {
      l = link('pq', 'ESB PQ', pqState, 'ok', ESB_TRIGGER_RULE, `PQ ${PQ_MEANING[pq]}: the next trigger is forwarded to routing`, 'PQ 00');
    }
    chain.splice(1, 0, l);
  };
  pqLinkOf = pqLink;

  // 3. The configuration (EAS): masked or routed, priority, target server, EISN.
  if (!routed) {
    chain.push(link('config', 'configuration', { masked: true, act_priority: MASKED }, 'blocks', ROUTE_DROP_RULES.droppedMasked.rule,
      ROUTE_DROP_RULES.droppedMasked.reason, 'source masked'));
    next.push({ text: 'route the source to a vCPU\'s queue', statement: `set source_config ${name} = { priority 6, server 0, eisn ${name} }` });
    return done(null, false, null);
  }
  const server = sb.actServer[i];
  chain.push(link('config', 'configuration', { masked: false, priority: prio, server, eisn: hex(sb.eisn[i]) }, 'ok', ROUTE_DROP_RULES.droppedMasked.rule,
    `routed at priority ${prio} to server ${server} with EISN ${hex(sb.eisn[i])} (server is act_server: KVM may have retargeted the source to another vCPU whose priority-${prio} queue had room)`,
    `prio ${prio} → server ${server}`));

  // 4. The target vCPU exists.
  if (!vcpu || !vp) {
    chain.push(link('target', `server ${server}`, { connected: false }, 'blocks', ROUTE_DROP_RULES.droppedNoVp.rule, ROUTE_DROP_RULES.droppedNoVp.reason, `no vCPU with server ${server}`));
    next.push({ text: `connect a vCPU with server ${server}`, statement: `vcpu ${server} connect server ${server}` });
    return done({ vcpu: null, server, priority: prio }, false, null);
  }
  const target = { vcpu: vcpu.id, server, priority: prio };
  chain.push(link('target', `server ${server}`, { connected: true, vcpu: vcpu.id }, 'ok', ROUTE_DROP_RULES.droppedNoVp.rule, `server ${server} is vCPU ${vcpu.id}`, `vCPU ${vcpu.id}`));

  // 5. The event queue at (server, priority).
  const eqName = `EQ ${server}/${prio}`;
  const qq = q!;
  if (qq.mode === 'off') {
    chain.push(link('eq', eqName, { configured: false }, 'blocks', ROUTE_DROP_RULES.droppedQueueOff.rule, ROUTE_DROP_RULES.droppedQueueOff.reason, `${eqName} not configured`));
    next.push({ text: `configure ${eqName}`, statement: `set eq_config server ${server} priority ${prio} = { flags always_notify, qshift 16, qaddr 0x${(0x10000 * (1 + prio)).toString(16)}, qtoggle 1 }` });
  } else if (qq.mode === 'notify') {
    chain.push(link('eq', eqName, { configured: 'notify-only', qshift: 0 }, 'warning', SET_QUEUE_CONFIG_RULE,
      `${eqName} was reset with qshift 0: notify-only, events raise priority ${prio} at the vCPU but no entry is written, so the guest finds no EISN`,
      `${eqName} notify-only`));
  } else {
    const state: Record<string, string | number | boolean> = { configured: true, index: qq.index, generation: qq.toggle, entries, unread, count: qq.count };
    state.event = entryAt === null ? 'not among the unread entries' : entryAt === 'unknown' ? `not among the first ${SUMMARY_SCAN_LIMIT} unread entries` : `unread at index ${entryAt}`;
    if (unread >= entries) {
      chain.push(link('eq', eqName, state, 'blocks', SET_QUEUE_CONFIG_RULE,
        `${eqName} is full: ${unread} unread entries of ${entries}; the guest has not scanned it, and the next event overwrites an unread entry (KVM only bounds the sources per queue, q->count ≤ entries − 2)`,
        `${eqName} full`));
      next.push({ text: `scan ${eqName}`, statement: `eq server ${server} priority ${prio}` });
    } else {
      chain.push(link('eq', eqName, state, 'ok', SET_QUEUE_CONFIG_RULE,
        `${eqName} is configured: index ${qq.index}, generation ${qq.toggle}, ${unread} unread of ${entries}`, `${eqName} ok`));
    }
  }

  // 6. The vCPU: running (its context pushed) or stopped (notifications go to the NVT backlog).
  const vstate = { running: vcpu.running, backlog_ipb: hex(vp.backlogIpb, 2) };
  if (!vcpu.running) {
    chain.push(link('vcpu', `vCPU ${vcpu.id}`, vstate, 'blocks', PULL_RULE,
      `vCPU ${vcpu.id} is stopped (its context is pulled): notifications wait in the NVT backlog${pendingAt === 'backlog' ? ` (priority ${prio} is there)` : ''} until it runs`,
      `vCPU ${vcpu.id} stopped`));
    next.push({ text: `run vCPU ${vcpu.id}`, statement: `vcpu ${vcpu.id} run` });
  } else {
    chain.push(link('vcpu', `vCPU ${vcpu.id}`, vstate, 'ok', PULL_RULE, `vCPU ${vcpu.id} is running: notifications go to its TIMA OS ring`, 'running'));
  }

  // 7. The CPPR gate.
  const cstate = { nsr: hex(vp.nsr, 2), cppr: hex(vp.cppr, 2), ipb: hex(vp.ipb, 2), pipr: hex(vp.pipr, 2) };
  if (!cpprAdmits(vp.cppr, prio)) {
    const inService = vp.cppr === prio && pendingAt === null;
    chain.push(link('cppr', `vCPU ${vcpu.id} CPPR`, cstate, 'blocks', NOTIFY_RULE,
      `CPPR ${vp.cppr === 0xff ? '0xff' : vp.cppr} masks priority ${prio}: only priorities below CPPR are signalled${inService ? ` (CPPR ${prio} is what an ACK of priority ${prio} leaves: the guest is handling one and has not restored its CPPR)` : ''}`,
      inService ? `in service at vCPU ${vcpu.id} (CPPR ${prio}), waiting for EOI` : `CPPR ${vp.cppr} masks prio ${prio}`));
    if (inService) next.push({ text: 'EOI the ESB (load at 0x000)', statement: `esb ${name} load 0x000` });
    next.push({ text: `${inService ? 'then restore CPPR: ' : ''}raise CPPR above ${prio} (store 0xff to the TIMA CPPR byte)`, statement: `tima vcpu ${vcpu.id} store8 0x${TM_CPPR_OFFSET.toString(16)} 0xff` });
  } else {
    const signalled = (vp.nsr & NSR_EO) !== 0;
    chain.push(link('cppr', `vCPU ${vcpu.id} CPPR`, cstate, 'ok', NOTIFY_RULE,
      `CPPR ${hex(vp.cppr, 2)} lets priority ${prio} through${pendingAt === 'ipb' ? `; priority ${prio} is pending in IPB${signalled ? ' and signalled (NSR EO)' : ''}` : ''}`,
      'CPPR open'));
    if (pendingAt === 'ipb' && signalled) next.push({ text: `acknowledge it (ACK at 0x${TM_SPC_ACK_OS_REG.toString(16)})`, statement: `tima vcpu ${vcpu.id} load16 0x${TM_SPC_ACK_OS_REG.toString(16)}` });
  }
  if (inFlight && chain.every((l) => l.verdict !== 'blocks') && entryAt !== null) {
    next.push({ text: `read the queue`, statement: `eq server ${server} priority ${prio}` });
  }
  return done(target, inFlight, vcpu.id);
}

/** A XIVE VP: pending priorities (live and backlog), CPPR gate, what the next ACK presents, the queues. */
export function explainXiveVcpu(vm: VmState, vcpu: VcpuState): VcpuExplanation {
  const vp = vcpu.vp!;
  const chain: ExplainLink[] = [];
  const next: Suggestion[] = [];
  const pending: PendingItem[] = [];
  const cpprText = vp.cppr === 0xff ? '0xff' : String(vp.cppr);
  chain.push(link('vcpu', `vCPU ${vcpu.id}`, { server: vp.server, running: vcpu.running, backlog_ipb: hex(vp.backlogIpb, 2) },
    vcpu.running ? 'ok' : 'blocks', PULL_RULE,
    vcpu.running ? 'running: notifications reach the TIMA OS ring' : 'stopped (context pulled): notifications wait in the NVT backlog until it runs',
    vcpu.running ? 'running' : 'stopped'));
  for (let p = 0; p < 8; p++) {
    const bit = 0x80 >> p;
    const where = vp.ipb & bit ? 'ipb' : vp.backlogIpb & bit ? 'backlog' : null;
    if (!where) continue;
    const admitted = cpprAdmits(vp.cppr, p);
    pending.push({
      priority: p, where, admitted,
      reason: `${where === 'ipb' ? 'in IPB' : 'in the NVT backlog'}; ${admitted ? `below CPPR ${cpprText}: signalled` : `not below CPPR ${cpprText}: masked`}`,
    });
  }
  const admittedPrio = vcpu.running ? ipbToPipr(vp.ipb) : 0xff;
  chain.push(link('cppr', 'CPPR', { nsr: hex(vp.nsr, 2), cppr: hex(vp.cppr, 2), ipb: hex(vp.ipb, 2), pipr: hex(vp.pipr, 2) },
    pending.length > 0 && pending.every((x) => !x.admitted) ? 'blocks' : 'ok', NOTIFY_RULE,
    pending.length === 0 ? `nothing pending; CPPR ${cpprText} admits priorities below it` : `CPPR ${cpprText}; pending ${pending.map((x) => x.priority).join(', ')}`,
    `CPPR ${cpprText}`));
  let presentsNext: VcpuExplanation['presentsNext'] = null;
  if (admittedPrio !== 0xff && cpprAdmits(vp.cppr, admittedPrio)) {
    presentsNext = { priority: admittedPrio, reason: `PIPR ${admittedPrio} is the most favoured pending priority and is below CPPR ${cpprText}: the next ACK (${ACCEPT_RULE}) sets CPPR to ${admittedPrio} and clears its IPB bit` };
    next.push({ text: 'acknowledge it', statement: `tima vcpu ${vcpu.id} load16 0x${TM_SPC_ACK_OS_REG.toString(16)}` });
  }
  if (!vcpu.running && vp.backlogIpb !== 0) next.push({ text: `run vCPU ${vcpu.id}`, statement: `vcpu ${vcpu.id} run` });
  if (pending.some((x) => !x.admitted) && vcpu.running) {
    const worst = Math.max(...pending.filter((x) => !x.admitted).map((x) => x.priority));
    next.push({ text: `raise CPPR above ${worst}`, statement: `tima vcpu ${vcpu.id} store8 0x${TM_CPPR_OFFSET.toString(16)} 0xff` });
  }
  const queues: VcpuExplanation['queues'][number][] = [];
  vp.queues.forEach((q, priority) => {
    const entries = queueEntries(q);
    if (entries === 0) return;
    const unread = unreadEntries(q, entries);
    queues.push({ priority, unread, entries, index: q.index, generation: q.toggle });
    if (unread > 0) next.push({ text: `read ${unread} unread entr${unread === 1 ? 'y' : 'ies'} of EQ ${vp.server}/${priority}`, statement: `eq server ${vp.server} priority ${priority}` });
  });
  const status: VcpuExplanation['status'] = !vcpu.running ? 'stopped' : presentsNext ? 'signalled' : pending.length > 0 ? 'masked' : 'idle';
  const summary = status === 'stopped' ? `stopped${vp.backlogIpb ? `: backlog ${hex(vp.backlogIpb, 2)}` : ''}`
    : status === 'signalled' ? `signalled: priority ${presentsNext!.priority} next (CPPR ${cpprText})`
      : status === 'masked' ? `pending ${pending.map((x) => x.priority).join(', ')} masked by CPPR ${cpprText}` : `idle (CPPR ${cpprText})`;
  return { kind: 'vcpu', device: 'xive', vcpu: vcpu.id, status, summary, chain, pending, presentsNext, queues, next };
}
