/** Read-only views of the XICS device for the debugger and `info pic`-style text. */
import type { VmState } from '../state';
import type { DeviceView, PresenterView, SourceView } from '../inspect';
import { MASKED, PQ_PRESENTED, PQ_QUEUED } from './constants';
import { sourceWord } from './attributes';
import { icpWord } from './icp';
import { sourceNumber } from './sources';
import { XicsDeviceState, XicsSourceBlock } from './state';

export function inspectDevice(vm: VmState, dev: XicsDeviceState): DeviceView {
  const presenters = vm.vcpus.filter((v) => v.icp !== null).length;
  return {
    kind: dev.kind,
    // The legacy emulation has no server limit: show the number of ICPs instead.
    nrServers: dev.kind === 'xics-on-xive' ? dev.nrServers : presenters,
    sourceCount: dev.sourceCount,
    counters: { ...dev.counters, presenters, blocks: dev.blockIds.length },
  };
}

/** Kernel P=1,Q=2 to the XIVE encoding P=2,Q=1 used by every view. */
function xivePq(pq: number): number {
  return (pq & PQ_PRESENTED ? 2 : 0) | (pq & PQ_QUEUED ? 1 : 0);
}

function view(vm: VmState, dev: XicsDeviceState, block: XicsSourceBlock, index: number): SourceView {
  const ref = { block, index };
  const irq = sourceNumber(ref);
  const lsi = block.lsi[index] === 1;
  const priority = block.priority[index];
  const extra: Record<string, number | boolean> = {
    savedPriority: block.savedPriority[index],
    resend: block.resend[index] === 1,
    maskedPending: block.maskedPending[index] === 1,
  };
  if (dev.kind === 'xics-on-xive') extra.targeted = block.targeted[index] === 1;
  return {
    irq,
    type: lsi ? 'LSI' : 'MSI',
    layout: 'xics-source',
    word: sourceWord(vm, dev, ref, irq),
    pq: xivePq(block.pq[index]),
    asserted: lsi && (dev.kind === 'xics-on-xive' ? block.asserted[index] === 1 : (block.pq[index] & PQ_PRESENTED) !== 0),
    routed: priority !== MASKED,
    server: block.server[index],
    priority,
    extra,
  };
}

/** Existing sources ascending, `start` counted among existing sources; whole blocks are skipped by count. */
export function inspectSources(vm: VmState, dev: XicsDeviceState, start: number, count: number): SourceView[] {
  const out: SourceView[] = [];
  let skip = Math.max(0, start);
  for (const id of dev.blockIds) {
    if (out.length >= count) break;
    const block = dev.blocks[id];
    if (!block || block.existCount === 0) continue;
    if (skip >= block.existCount) {
      skip -= block.existCount;
      continue;
    }
    for (let i = 0; i < block.exists.length && out.length < count; i++) {
      if (!block.exists[i]) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(view(vm, dev, block, i));
    }
  }
  return out;
}

export function inspectPresenters(vm: VmState, dev: XicsDeviceState): PresenterView[] {
  const out: PresenterView[] = [];
  for (const v of vm.vcpus) {
    const icp = v.icp;
    if (!icp) continue;
    let resendBlocks = 0;
    for (const id of dev.blockIds) if (icp.resendMap[id]) resendBlocks++;
    out.push({
      vcpu: v.id,
      server: icp.server,
      layout: 'xics-icp',
      word: icpWord(dev, v),
      running: v.running,
      extra: {
        needResend: icp.needResend, outEe: icp.outEe, resendBlocks,
        nReject: icp.nReject, nCheckResend: icp.nCheckResend,
        // XICS-on-XIVE hides the latch from ONE_REG; show it here.
        latchedXisr: icp.xisr, latchedPpri: icp.ppri,
      },
    });
  }
  return out;
}
