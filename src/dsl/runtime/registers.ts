/**
 * Register expressions over the model's read-only views: `source(IRQ)`,
 * `icp(SERVER)`, `vp(VCPU)`, `eq(SERVER, PRIO)`, `device`. A register is a
 * word (when it has a layout) plus named fields; the layout table names the
 * word's fields, the view adds the internal state worth watching.
 */
import { decodeToRecord } from '../../model/layouts/codec';
import type { LayoutName } from '../../model/layouts/table';
import type { SourceView } from '../../model/inspect';
import type { VmState } from '../../model/state';
import { inspectDevice, inspectPresenters, inspectQueues, inspectSources } from '../../model/views';

export interface RegisterValue {
  readonly description: string;
  readonly word: bigint | null;
  readonly layout: LayoutName | null;
  readonly fields: Readonly<Record<string, bigint>>;
}

export type RegisterLookup = { ok: true; register: RegisterValue } | { ok: false; error: string };

const SOURCES_PER_BLOCK = 1024;

function toFields(record: Readonly<Record<string, number | boolean | bigint>>, into: Record<string, bigint>): void {
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === 'boolean') into[k] = v ? 1n : 0n;
    else into[k] = BigInt(v);
  }
}

/** The block's existing sources as a range of the views' paging index (they page among existing sources, in order). */
function blockRange(vm: VmState, blockId: number): { start: number; count: number } | null {
  const dev = vm.device;
  if (!dev) return null;
  let start = 0;
  for (const id of dev.blockIds) {
    const block = dev.blocks[id] as { validCount?: number; existCount?: number } | null;
    const count = block ? (block.validCount ?? block.existCount ?? 0) : 0;
    if (id === blockId) return { start, count };
    if (id > blockId) return null;
    start += count;
  }
  return null;
}

/** One source's view, found by binary search over its block's page (conditions evaluate this every step). */
function findSourceView(vm: VmState, irq: number): SourceView | undefined {
  const range = blockRange(vm, Math.floor(irq / SOURCES_PER_BLOCK));
  if (!range) return undefined;
  let lo = range.start;
  let hi = range.start + range.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const view = inspectSources(vm, mid, 1)[0];
    if (!view) return undefined;
    if (view.irq === irq) return view;
    if (view.irq < irq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export function sourceRegister(vm: VmState, irq: number): RegisterLookup {
  const view = findSourceView(vm, irq);
  if (!view) return { ok: false, error: `source 0x${irq.toString(16)} does not exist` };
  const fields: Record<string, bigint> = {};
  toFields(decodeToRecord(view.layout, view.word), fields);
  toFields({ pq: view.pq, p: (view.pq >> 1) & 1, q: view.pq & 1, asserted: view.asserted, routed: view.routed,
    lsi: view.type === 'LSI', act_server: view.server, act_priority: view.priority }, fields);
  toFields(view.extra, fields);
  return { ok: true, register: { description: `source 0x${irq.toString(16)}`, word: view.word, layout: view.layout, fields } };
}

export function presenterRegister(vm: VmState, by: 'server' | 'vcpu', id: number): RegisterLookup {
  const view = inspectPresenters(vm).find((p) => (by === 'server' ? p.server : p.vcpu) === id);
  if (!view) return { ok: false, error: by === 'server' ? `no presenter has server ${id}` : `vCPU ${id} has no presenter` };
  const fields: Record<string, bigint> = {};
  toFields(decodeToRecord(view.layout, view.word), fields);
  toFields({ running: view.running, vcpu: view.vcpu, server: view.server }, fields);
  toFields(view.extra, fields);
  const what = by === 'server' ? `icp(${id})` : `vp(${id})`;
  return { ok: true, register: { description: what, word: view.word, layout: view.layout, fields } };
}

export function queueRegister(vm: VmState, server: number, priority: number): RegisterLookup {
  const view = inspectQueues(vm).find((q) => q.server === server && q.priority === priority);
  if (!view) return { ok: false, error: `server ${server} has no priority-${priority} event queue` };
  const fields: Record<string, bigint> = {};
  toFields({
    vcpu: view.vcpu, server: view.server, priority: view.priority, qaddr: view.qaddr, qshift: view.qshift,
    index: view.index, generation: view.toggle, toggle: view.toggle, count: view.count, entries: view.entries,
    dirty: view.dirty, reader_index: view.readerIndex, reader_toggle: view.readerToggle, reader_generation: view.readerToggle,
  }, fields);
  return { ok: true, register: { description: `eq(${server}, ${priority})`, word: null, layout: null, fields } };
}

export function deviceRegister(vm: VmState): RegisterLookup {
  const view = inspectDevice(vm);
  if (!view) return { ok: false, error: 'no interrupt device exists' };
  const fields: Record<string, bigint> = {};
  toFields({ nr_servers: view.nrServers, source_count: view.sourceCount }, fields);
  toFields(view.counters, fields);
  return { ok: true, register: { description: `device ${view.kind}`, word: null, layout: null, fields } };
}
