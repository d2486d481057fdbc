/**
 * The XICS routing chain of a source (ICS → ICP) and the state of an ICP,
 * read without changing the model. Verdicts use delivery.ts's own tests
 * (presentedPriority, deliveryObstacle) and its rule names.
 */
import type { VcpuState, VmState } from '../state';
import { setFunction } from '../xics/attributes';
import { MASKED, PQ_PRESENTED, PQ_QUEUED, XICS_IPI } from '../xics/constants';
import {
  DELIVER_RULE, deliveryObstacle, DeliveryObstacle, FIND_SERVER_RULE, findIcp, MASKED_PENDING_RULE, presentedPriority, RESEND_RULE,
} from '../xics/delivery';
import { findExistingSource, sourceNumber } from '../xics/sources';
import type { IcpState, XicsDeviceState } from '../xics/state';
import { hex, link, sourceSummary } from './common';
import type { ExplainLink, PendingItem, SourceExplanation, Suggestion, VcpuExplanation } from './types';

const EOI_RULE = 'kvmppc_h_eoi';

function vcpuOfIcp(vm: VmState, icp: IcpState): VcpuState | undefined {
  return vm.vcpus.find((v) => v.icp === icp);
}

const prioText = (p: number): string => (p === MASKED ? '0xff' : String(p));

/** Why `obstacle` refuses priority `prio` at `icp`, and what would lift it. */
function obstacleText(icp: IcpState, prio: number, obstacle: DeliveryObstacle, vcpuId: number): { reason: string; short: string; next: Suggestion } {
  switch (obstacle) {
    case 'cppr':
      return {
        reason: `CPPR ${prioText(icp.cppr)} is not less favoured than priority ${prio}: the ICP refuses it`,
        short: `CPPR ${prioText(icp.cppr)} masks prio ${prio}`,
        next: { text: `raise CPPR above ${prio} (H_CPPR 0xff)`, statement: `hcall vcpu ${vcpuId} H_CPPR 0xff` },
      };
    case 'mfrr':
      return {
        reason: `an IPI is more favoured: MFRR ${prioText(icp.mfrr)} ≤ priority ${prio}${icp.xisr === XICS_IPI ? ' (the IPI is latched, XISR 2)' : ''}`,
        short: `IPI (MFRR ${prioText(icp.mfrr)}) more favoured`,
        next: icp.xisr === XICS_IPI
          ? { text: 'accept and EOI the IPI, then clear the MFRR', statement: `hcall vcpu ${vcpuId} H_XIRR` }
          : { text: 'clear the MFRR', statement: `hcall vcpu ${vcpuId} H_IPI server ${icp.server}, mfrr 0xff` },
      };
    case 'ppri':
      return {
        reason: `XISR ${hex(icp.xisr)} is latched at PPRI ${prioText(icp.ppri)}, at least as favoured as priority ${prio}`,
        short: `XISR ${hex(icp.xisr)} latched first`,
        next: { text: `accept XISR ${hex(icp.xisr)} and EOI it`, statement: `hcall vcpu ${vcpuId} H_XIRR` },
      };
  }
}

export function explainXicsSource(vm: VmState, dev: XicsDeviceState, irq: number): SourceExplanation {
  const chain: ExplainLink[] = [];
  const next: Suggestion[] = [];
  const name = hex(irq);
  const done = (target: SourceExplanation['target'], inFlight: boolean, vcpu: number | null): SourceExplanation => {
    const stoppedAt = chain.findIndex((l) => l.verdict === 'blocks');
    const status = stoppedAt >= 0 ? 'blocked' : inFlight ? 'pending' : 'ready';
    return {
      kind: 'source', device: dev.kind, irq, status, chain, stoppedAt: stoppedAt >= 0 ? stoppedAt : null, target, next,
      summary: sourceSummary(status, stoppedAt >= 0 ? chain[stoppedAt] : null, vcpu),
    };
  };

  const ref = findExistingSource(dev, irq);
  if (!ref) {
    chain.push(link('ics', `ICS source ${name}`, { exists: false }, 'blocks', setFunction(dev),
      `source ${name} was never configured with KVM_DEV_XICS_GRP_SOURCES: KVM_IRQ_LINE ignores it`, `source ${name} not configured`));
    next.push({ text: 'configure the source', statement: `set source ${name} = { server 0, priority 5 }` });
    return done(null, false, null);
  }
  const { block, index } = ref;
  const lsi = block.lsi[index] === 1;
  const p = (block.pq[index] & PQ_PRESENTED) !== 0;
  const q = (block.pq[index] & PQ_QUEUED) !== 0;
  const resend = block.resend[index] === 1;
  const maskedPending = block.maskedPending[index] === 1;
  const server = block.server[index];
  const prio = presentedPriority(dev, block, index);
  const icsState: Record<string, string | number | boolean> = {
    type: lsi ? 'LSI' : 'MSI', server, priority: prioText(block.priority[index]), masked: block.priority[index] === MASKED,
    saved_priority: prioText(block.savedPriority[index]), p, q, resend, masked_pending: maskedPending,
  };
  if (lsi) icsState.asserted = dev.kind === 'xics-on-xive' ? block.asserted[index] === 1 : p;
  if (dev.kind === 'xics-on-xive') icsState.targeted = block.targeted[index] === 1;
  if (prio === null) {
    const untargeted = block.priority[index] !== MASKED;
    chain.push(link('ics', `ICS source ${name}`, icsState, 'blocks', MASKED_PENDING_RULE,
      `${untargeted ? 'the source has no hardware target yet (XICS-on-XIVE)' : `masked (priority 0xff${block.savedPriority[index] !== MASKED ? `, saved priority ${block.savedPriority[index]}` : ''})`}: a trigger is held in masked_pending${maskedPending ? ' (one is held now)' : ''} and delivered at unmask`,
      'source masked'));
    next.push(block.savedPriority[index] !== MASKED
      ? { text: 'unmask it (ibm,int-on restores the saved priority)', statement: `rtas ibm,int-on ${name}` }
      : { text: 'give it a priority', statement: `set source ${name} = { server ${server}, priority 5 }` });
    return done(null, false, null);
  }
  chain.push(link('ics', `ICS source ${name}`, icsState, 'ok', setFunction(dev),
    `${lsi ? 'LSI' : 'MSI'} at priority ${prio} to server ${server}${p ? '; P: presented' : ''}${q ? ', Q: triggered again meanwhile' : ''}`, `prio ${prio} → server ${server}`));

  const icp = findIcp(vm, server);
  if (!icp) {
    chain.push(link('icp', `ICP server ${server}`, { exists: false }, 'blocks', FIND_SERVER_RULE,
      `no ICP has server ${server}: deliveries are dropped (err_noicp) and P stays set`, `no ICP ${server}`));
    next.push({ text: `connect a vCPU with server ${server}`, statement: `vcpu ${server} connect server ${server}` });
    return done({ vcpu: null, server, priority: prio }, false, null);
  }
  const vcpuId = vcpuOfIcp(vm, icp)?.id ?? server;
  const target = { vcpu: vcpuId, server, priority: prio };
  const icpState = { cppr: hex(icp.cppr, 2), xisr: hex(icp.xisr), mfrr: hex(icp.mfrr, 2), ppri: hex(icp.ppri, 2), need_resend: icp.needResend, out_ee: icp.outEe };
  const title = `ICP server ${server} (vCPU ${vcpuId})`;
  if (icp.xisr === irq) {
    chain.push(link('icp', title, icpState, 'ok', DELIVER_RULE,
      `latched in XISR at PPRI ${icp.ppri}${icp.outEe ? ': the external interrupt line is up, the next H_XIRR returns it' : ''}`, 'latched'));
    next.push({ text: 'accept it', statement: `hcall vcpu ${vcpuId} H_XIRR` });
    return done(target, true, vcpuId);
  }
  const obstacle = deliveryObstacle(icp, prio);
  if (resend) {
    const o = obstacle ? obstacleText(icp, prio, obstacle, vcpuId) : null;
    chain.push(link('icp', title, icpState, 'blocks', RESEND_RULE,
      `rejected, waiting for a resend: ${o ? o.reason : 'nothing refuses it now, but the resend scan only runs at a Down-CPPR, an EOI or a less favoured MFRR'} (${DELIVER_RULE} refused it; ${RESEND_RULE} retries it)`,
      `rejected, resend pending: ${o ? o.short : 'no scan yet'}`));
    next.push(o ? o.next : { text: 'run the resend scan (H_CPPR 0xff)', statement: `hcall vcpu ${vcpuId} H_CPPR 0xff` });
    return done(target, false, vcpuId);
  }
  if (p && dev.kind !== 'xics-on-xive') {
    chain.push(link('icp', title, icpState, 'blocks', EOI_RULE,
      `P is set but the ICP does not hold it: the guest accepted it (H_XIRR) and has not EOIed it; ${lsi ? 'the line level is seen again at the EOI' : 'new triggers only set Q until H_EOI'}`,
      'waiting for H_EOI'));
    next.push({ text: 'EOI it', statement: `hcall vcpu ${vcpuId} H_EOI 0x${(((0xff << 24) | irq) >>> 0).toString(16)}` });
    return done(target, false, vcpuId);
  }
  if (obstacle) {
    const o = obstacleText(icp, prio, obstacle, vcpuId);
    chain.push(link('icp', title, icpState, 'blocks', DELIVER_RULE, `the next trigger would be refused: ${o.reason}; it would then wait for a resend`, o.short));
    next.push(o.next);
    return done(target, false, vcpuId);
  }
  chain.push(link('icp', title, icpState, 'ok', DELIVER_RULE, `priority ${prio} is more favoured than CPPR, MFRR and PPRI: the next trigger is presented`, 'open'));
  return done(target, false, vcpuId);
}

/** An ICP: what is latched, the IPI, the sources waiting for a resend, what the next H_XIRR returns. */
export function explainXicsVcpu(vm: VmState, dev: XicsDeviceState, vcpu: VcpuState): VcpuExplanation {
  const icp = vcpu.icp!;
  const chain: ExplainLink[] = [];
  const next: Suggestion[] = [];
  const pending: PendingItem[] = [];
  const cppr = prioText(icp.cppr);
  if (icp.xisr !== 0) {
    const admitted = icp.ppri < icp.cppr;
    pending.push({ priority: icp.ppri, xisr: icp.xisr, where: 'latch', admitted, reason: `${icp.xisr === XICS_IPI ? 'IPI' : `source ${hex(icp.xisr)}`} latched at PPRI ${icp.ppri}${admitted ? '' : ` (not below CPPR ${cppr})`}` });
  }
  if (icp.mfrr !== MASKED && icp.xisr !== XICS_IPI) {
    const admitted = icp.mfrr < icp.cppr && icp.mfrr <= icp.ppri;
    pending.push({ priority: icp.mfrr, xisr: XICS_IPI, where: 'mfrr', admitted, reason: `MFRR ${icp.mfrr}: an IPI ${admitted ? 'would be presented' : `waits (CPPR ${cppr}, PPRI ${prioText(icp.ppri)})`}` });
  }
  for (const id of dev.blockIds) {
    if (!icp.resendMap[id]) continue;
    const block = dev.blocks[id];
    if (!block) continue;
    for (let i = 0; i < block.resend.length; i++) {
      if (!block.resend[i] || block.server[i] !== icp.server) continue;
      const irq = sourceNumber({ block, index: i });
      const prio = presentedPriority(dev, block, i);
      const o = prio === null ? null : deliveryObstacle(icp, prio);
      pending.push({ priority: prio ?? MASKED, xisr: irq, where: 'resend', admitted: false, reason: `source ${hex(irq)} was rejected and waits for a resend${o && prio !== null ? `: ${obstacleText(icp, prio, o, vcpu.id).reason}` : ''}` });
    }
  }
  chain.push(link('icp', `ICP server ${icp.server}`, { cppr: hex(icp.cppr, 2), xisr: hex(icp.xisr), mfrr: hex(icp.mfrr, 2), ppri: hex(icp.ppri, 2), need_resend: icp.needResend, out_ee: icp.outEe },
    pending.some((x) => !x.admitted) ? 'warning' : 'ok', DELIVER_RULE,
    icp.outEe ? `the external interrupt line is up: XISR ${hex(icp.xisr)} at PPRI ${icp.ppri} beats CPPR ${cppr}` : `nothing presented (CPPR ${cppr})`,
    icp.outEe ? `presenting ${hex(icp.xisr)}` : `CPPR ${cppr}`));
  const presentsNext = icp.outEe ? { priority: icp.ppri, xisr: icp.xisr, reason: `the next H_XIRR returns XISR ${hex(icp.xisr)} and sets CPPR to ${icp.ppri}` } : null;
  if (presentsNext) next.push({ text: 'accept it', statement: `hcall vcpu ${vcpu.id} H_XIRR` });
  if (pending.some((x) => x.where === 'resend')) next.push({ text: 'lower CPPR to run the resend scan', statement: `hcall vcpu ${vcpu.id} H_CPPR 0xff` });
  const status: VcpuExplanation['status'] = presentsNext ? 'signalled' : pending.length > 0 ? 'masked' : 'idle';
  const summary = status === 'signalled' ? `presenting ${icp.xisr === XICS_IPI ? 'IPI' : hex(icp.xisr)} at priority ${icp.ppri}`
    : status === 'masked' ? `${pending.length} waiting (CPPR ${cppr})` : `idle (CPPR ${cppr})`;
  return { kind: 'vcpu', device: dev.kind, vcpu: vcpu.id, status, summary, chain, pending, presentsNext, queues: [], next };
}
