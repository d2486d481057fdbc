/** Source blocks: sparse creation, lookup and the per-block counts used by paged views. */
import { ICS_SHIFT, IRQ_PER_ICS, MASKED, MAX_ICS_ID } from './constants';
import { XicsDeviceState, XicsSourceBlock } from './state';

export interface SourceRef {
  readonly block: XicsSourceBlock;
  readonly index: number;
}

/** kvmppc_xics_find_ics: the number is truncated to 32 bits; block = n >> 10 must be ≤ 1023. */
export function findSource(dev: XicsDeviceState, irq: number): SourceRef | null {
  const n = irq >>> 0;
  const id = n >>> ICS_SHIFT;
  if (id > MAX_ICS_ID) return null;
  const block = dev.blocks[id];
  return block ? { block, index: n & (IRQ_PER_ICS - 1) } : null;
}

/** The source if its block exists and SET has configured it (`exists`). */
export function findExistingSource(dev: XicsDeviceState, irq: number): SourceRef | null {
  const ref = findSource(dev, irq);
  return ref && ref.block.exists[ref.index] ? ref : null;
}

function newBlock(id: number): XicsSourceBlock {
  return {
    id,
    existCount: 0,
    exists: new Uint8Array(IRQ_PER_ICS),
    lsi: new Uint8Array(IRQ_PER_ICS),
    server: new Uint32Array(IRQ_PER_ICS),
    priority: new Uint8Array(IRQ_PER_ICS).fill(MASKED),
    savedPriority: new Uint8Array(IRQ_PER_ICS).fill(MASKED),
    pq: new Uint8Array(IRQ_PER_ICS),
    resend: new Uint8Array(IRQ_PER_ICS),
    maskedPending: new Uint8Array(IRQ_PER_ICS),
    asserted: new Uint8Array(IRQ_PER_ICS),
    targeted: new Uint8Array(IRQ_PER_ICS),
  };
}

/** kvmppc_xics_create_ics: the block of `irq` (which the caller range-checked), created if absent. */
export function ensureBlock(dev: XicsDeviceState, irq: number): SourceRef {
  const id = irq >>> ICS_SHIFT;
  let block = dev.blocks[id];
  if (!block) {
    block = newBlock(id);
    dev.blocks[id] = block;
    const at = dev.blockIds.findIndex((b) => b > id);
    if (at < 0) dev.blockIds.push(id);
    else dev.blockIds.splice(at, 0, id);
  }
  return { block, index: irq & (IRQ_PER_ICS - 1) };
}

export function markExists(dev: XicsDeviceState, ref: SourceRef): void {
  if (ref.block.exists[ref.index]) return;
  ref.block.exists[ref.index] = 1;
  ref.block.existCount++;
  dev.sourceCount++;
}

export function sourceNumber(ref: SourceRef): number {
  return (ref.block.id << ICS_SHIFT) | ref.index;
}
