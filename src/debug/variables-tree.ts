/**
 * The Variables pane as a tree of paths over the model's read-only views,
 * shaped like QEMU's `info pic`: Device, Sources, Event queues, Presenters,
 * Last operation. It knows nothing of DAP: the session turns paths into
 * variable references and nodes into DAP variables. Every node is computed
 * from the current VmState on request, so a stop costs nothing until the
 * client expands something, and a million sources cost one page.
 */
import type { DeviceView, PresenterView, QueueView, SourceView } from '../model/inspect';
import { bitRange, hexWord, valueMeaning, BitNumbering } from '../model/layouts/render';
import { decodeWord, encodeWord } from '../model/layouts/codec';
import { FieldDef, isLayoutName, LayoutName, LAYOUTS } from '../model/layouts/table';
import type { VmState } from '../model/state';
import { inspectDevice, inspectPresenters, inspectQueues, inspectSources, readGuestMemory } from '../model/views';
import { DisplayOptions, formatNumber, formatWord, pqText } from './format';
import { explainSource, explainVcpu } from '../model/explain';
import type { OperationResult } from '../dsl/runtime';

/** Sources and queue entries are served in pages of this many. */
export const PAGE_SIZE = 1000;

/** How a node is written back through a real scenario statement (setVariable). */
export interface WriteTarget {
  /** Layout of the word the statement writes, when the node is a word or a field of one. */
  readonly layout?: LayoutName;
  /** The current word (fields are merged into it). */
  readonly word?: bigint;
  /** The field being written, when the node is a field. */
  readonly field?: FieldDef;
  /** The statement writing `value` (the whole word when `layout` is set). */
  readonly statement: (value: bigint) => string;
}

export interface VariableNode {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly evaluateName?: string;
  /** Path of the children, when the node expands. */
  readonly children?: string;
  readonly indexedVariables?: number;
  readonly namedVariables?: number;
  readonly memoryReference?: string;
  readonly readOnly?: boolean;
  readonly write?: WriteTarget;
}

/** What the last executed statement did, as the session learned it from the runtime. */
export interface LastOperationInfo {
  readonly statement: string;
  readonly location: string;
  readonly step: number;
  readonly ok: boolean;
  readonly display: string;
  readonly errno?: string;
  readonly hret?: string;
  readonly reason?: string;
  readonly value?: bigint;
  /** Named output registers (hcall r4, r5 …; RTAS status and rets). */
  readonly values?: Readonly<Record<string, bigint>>;
  /** Silent effects of the operation (OperationResult.notes): the vCPU left the guest, a trigger was dropped, … */
  readonly notes?: readonly string[];
  /** Queue entries a scan read. */
  readonly entries?: readonly number[];
  readonly layout?: LayoutName | null;
  readonly expectation?: { readonly ok: boolean; readonly message: string; readonly expected?: string; readonly actual?: string } | null;
}

/** The part of LastOperationInfo every program kind takes from the operation's result as it is. */
export function operationResultFields(r: OperationResult): Pick<LastOperationInfo, 'ok' | 'display' | 'errno' | 'hret' | 'reason' | 'value' | 'values' | 'entries' | 'notes'> {
  return {
    ok: r.ok,
    display: r.display,
    errno: r.errno,
    hret: r.hret,
    reason: r.reason,
    value: r.value,
    values: r.values,
    entries: r.entries,
    ...(r.notes?.length ? { notes: r.notes } : {}),
  };
}

export interface TreeContext {
  readonly vm: VmState;
  readonly last: LastOperationInfo | null;
  readonly display: DisplayOptions;
  readonly numbering: BitNumbering;
}

export interface ScopeRoot {
  readonly name: string;
  readonly path: string;
  readonly indexedVariables?: number;
  readonly namedVariables?: number;
}

export interface Page {
  /** Index of the first child wanted (DAP `start`), default 0. */
  readonly start?: number;
  /** How many (DAP `count`); 0 or absent means "all", capped at PAGE_SIZE for indexed lists. */
  readonly count?: number;
}

export type ChildrenResult = { readonly ok: true; readonly nodes: VariableNode[] } | { readonly ok: false; readonly error: string };

const hex = (n: number | bigint): string => '0x' + n.toString(16);

/** Existing sources, counted without building views. */
function sourceTotal(vm: VmState): number {
  return inspectDevice(vm)?.sourceCount ?? 0;
}

function chunkCount(total: number): number {
  return Math.ceil(total / PAGE_SIZE);
}

export function scopeRoots(ctx: TreeContext): ScopeRoot[] {
  const total = sourceTotal(ctx.vm);
  return [
    { name: 'Device', path: 'device' },
    { name: 'Sources', path: 'sources', indexedVariables: total <= PAGE_SIZE ? total : chunkCount(total) },
    { name: 'Event queues', path: 'queues' },
    { name: 'Presenters', path: 'presenters' },
    { name: 'Last operation', path: 'last' },
  ];
}

function page<T>(items: readonly T[], p: Page): T[] {
  const start = p.start ?? 0;
  const count = p.count && p.count > 0 ? p.count : items.length;
  return items.slice(start, start + count);
}

/** Start and count of an indexed request, capped to one page. */
function indexedWindow(total: number, p: Page): { start: number; count: number } {
  const start = Math.min(p.start ?? 0, total);
  const wanted = p.count && p.count > 0 ? p.count : PAGE_SIZE;
  return { start, count: Math.max(0, Math.min(wanted, PAGE_SIZE, total - start)) };
}

/** Children of a path, or an error for a path that does not (or no longer) exist. */
export function childrenOf(ctx: TreeContext, path: string, p: Page = {}): ChildrenResult {
  if ((p.start ?? 0) < 0 || !Number.isInteger(p.start ?? 0)) return { ok: false, error: `'start' must be a non-negative integer, got ${p.start}` };
  if (p.count !== undefined && (!Number.isInteger(p.count) || p.count < 0)) return { ok: false, error: `'count' must be a non-negative integer, got ${p.count}` };
  const parts = path.split('/');
  switch (parts[0]) {
    case 'device': return parts[1] === 'counters' ? ok(page(counterNodes(ctx), p)) : ok(page(deviceNodes(ctx), p));
    case 'sources': return parts[1] === 'chunk' ? sourceChunk(ctx, Number(parts[2]), p) : sourcesRoot(ctx, p);
    case 'source': return sourceChildren(ctx, Number(parts[1]), p);
    case 'queues': return ok(page(inspectQueues(ctx.vm).map((q) => queueNode(ctx, q)), p));
    case 'queue': return parts[3] === 'entries' ? queueEntries(ctx, Number(parts[1]), Number(parts[2]), p) : queueChildren(ctx, Number(parts[1]), Number(parts[2]), p);
    case 'presenters': return ok(page(inspectPresenters(ctx.vm).map((v) => presenterNode(ctx, v)), p));
    case 'presenter': return presenterChildren(ctx, Number(parts[1]), p);
    case 'last': return ok(page(lastNodes(ctx), p));
    case 'word': return wordPath(ctx, parts, p);
    default: return { ok: false, error: `unknown variables path '${path}'` };
  }
}

function ok(nodes: VariableNode[]): ChildrenResult {
  return { ok: true, nodes };
}

// ------------------------------------------------------------------ words and fields

/** The field nodes of a word. `owner` is the evaluateName of the word, when it has one. */
export function fieldNodes(ctx: TreeContext, layout: LayoutName, word: bigint, owner?: string, write?: (w: bigint) => string): VariableNode[] {
  const def = LAYOUTS[layout];
  return decodeWord(layout, word).fields.map(({ field, value }) => {
    const meaning = valueMeaning(field, value);
    const writable = write !== undefined && !field.readOnly;
    return {
      name: `${field.name} ${bitRange(field, def.width, ctx.numbering)}`,
      value: `${formatNumber(value, ctx.display, ctx.display.hex ? field.width : undefined)}${meaning ? ` (${meaning})` : ''}`,
      type: `${field.width}-bit field`,
      evaluateName: owner ? `${owner}.${field.name}` : undefined,
      readOnly: !writable,
      write: writable ? { layout, word, field, statement: write } : undefined,
    };
  });
}

/** A node for a register word: value with its summary, fields as children. */
function wordNode(name: string, layout: LayoutName, word: bigint, evaluateName: string | undefined, children: string, extra?: string, write?: (w: bigint) => string): VariableNode {
  return {
    name,
    value: formatWord(layout, word) + (extra ? ` · ${extra}` : ''),
    type: layout,
    evaluateName,
    children,
    readOnly: write === undefined,
    write: write ? { layout, word, statement: write } : undefined,
  };
}

/** `word/LAYOUT/HEX`: the fields of a constant word (console results, hovers, queue entries). */
export function constantWordPath(layout: LayoutName, word: bigint): string {
  return `word/${layout}/${word.toString(16)}`;
}

function wordPath(ctx: TreeContext, parts: string[], p: Page): ChildrenResult {
  const layout = parts[1];
  if (!isLayoutName(layout) || !/^[0-9a-f]+$/.test(parts[2] ?? '')) return { ok: false, error: `unknown word path '${parts.join('/')}'` };
  return ok(page(fieldNodes(ctx, layout, BigInt('0x' + parts[2])), p));
}

// ------------------------------------------------------------------ device

function deviceNodes(ctx: TreeContext): VariableNode[] {
  const d: DeviceView | null = inspectDevice(ctx.vm);
  const n = (v: number): string => formatNumber(v, ctx.display);
  const nodes: VariableNode[] = [
    { name: 'type', value: d ? d.kind : 'none (no KVM_CREATE_DEVICE yet)', readOnly: true },
    { name: 'host', value: ctx.vm.host ?? 'undecided', readOnly: true },
  ];
  if (!d) return nodes;
  nodes.push(
    {
      name: 'nr_servers', value: n(d.nrServers), evaluateName: 'device.nr_servers',
      readOnly: d.kind === 'xics' || d.kind === 'xics-pr',
      write: d.kind === 'xics' || d.kind === 'xics-pr' ? undefined : { statement: (v) => `ctrl nr_servers ${v}` },
    },
    { name: 'sources', value: n(d.sourceCount), evaluateName: 'device.source_count', readOnly: true },
    { name: 'vcpus', value: n(ctx.vm.vcpus.length), readOnly: true },
    { name: 'counters', value: Object.entries(d.counters).map(([k, v]) => `${k}=${v}`).join(' '), children: 'device/counters', namedVariables: Object.keys(d.counters).length, readOnly: true },
  );
  return nodes;
}

function counterNodes(ctx: TreeContext): VariableNode[] {
  const d = inspectDevice(ctx.vm);
  if (!d) return [];
  return Object.entries(d.counters).map(([k, v]) => ({ name: k, value: formatNumber(v, ctx.display), evaluateName: `device.${k}`, readOnly: true }));
}

// ------------------------------------------------------------------ sources

function sourcesRoot(ctx: TreeContext, p: Page): ChildrenResult {
  const total = sourceTotal(ctx.vm);
  if (total <= PAGE_SIZE) {
    const w = indexedWindow(total, p);
    return ok(inspectSources(ctx.vm, w.start, w.count).map((s) => sourceNode(ctx, s)));
  }
  const chunks = chunkCount(total);
  const w = indexedWindow(chunks, p);
  const nodes: VariableNode[] = [];
  for (let k = w.start; k < w.start + w.count; k++) {
    const first = k * PAGE_SIZE;
    const size = Math.min(PAGE_SIZE, total - first);
    // Named by position among existing sources; the IRQ numbers show when expanded.
    nodes.push({ name: `[${first}..${first + size - 1}]`, value: `${size} sources`, children: `sources/chunk/${k}`, indexedVariables: size, readOnly: true });
  }
  return ok(nodes);
}

function sourceChunk(ctx: TreeContext, k: number, p: Page): ChildrenResult {
  const total = sourceTotal(ctx.vm);
  if (!Number.isInteger(k) || k < 0 || k >= chunkCount(total)) return { ok: false, error: `no page ${k} of sources (there are ${total} sources)` };
  const size = Math.min(PAGE_SIZE, total - k * PAGE_SIZE);
  const w = indexedWindow(size, p);
  return ok(inspectSources(ctx.vm, k * PAGE_SIZE + w.start, w.count).map((s) => sourceNode(ctx, s)));
}

function writeSource(vm: VmState, irq: number): (w: bigint) => string {
  return vm.device?.kind === 'xive'
    ? (w) => `set source_config ${hex(irq)} = ${hexWord(w, 64)}`
    : (w) => `set source ${hex(irq)} = ${hexWord(w, 64)}`;
}

function sourceNode(ctx: TreeContext, s: SourceView): VariableNode {
  // The routing explanation's one line ("pending at vCPU 1", "blocked: EQ 1/6 not configured"); no queue scan per row.
  const route = explainSource(ctx.vm, s.irq, { findEntry: false }).summary;
  return wordNode(hex(s.irq), s.layout, s.word, `source(${hex(s.irq)})`, `source/${s.irq}`, `${s.type} PQ=${pqText(s.pq)}${s.asserted ? ' asserted' : ''} · ${route}`, writeSource(ctx.vm, s.irq));
}

/** One source by IRQ number; the view pages by position, so find it through its block. */
function findSource(vm: VmState, irq: number): SourceView | undefined {
  if (!Number.isInteger(irq) || irq < 0) return undefined;
  // Sources come in ascending order; a binary search over positions finds it in O(log n) pages of one.
  let lo = 0;
  let hi = sourceTotal(vm) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s] = inspectSources(vm, mid, 1);
    if (!s) return undefined;
    if (s.irq === irq) return s;
    if (s.irq < irq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function sourceChildren(ctx: TreeContext, irq: number, p: Page): ChildrenResult {
  const s = findSource(ctx.vm, irq);
  if (!s) return { ok: false, error: `source ${Number.isFinite(irq) ? hex(irq) : irq} does not exist (any more)` };
  const owner = `source(${hex(irq)})`;
  const nodes = fieldNodes(ctx, s.layout, s.word, owner, writeSource(ctx.vm, irq));
  nodes.push(
    { name: 'type', value: s.type, evaluateName: `${owner}.lsi`, readOnly: true },
    { name: 'pq', value: `${formatNumber(s.pq, ctx.display, 2)} (${pqText(s.pq)})`, evaluateName: `${owner}.pq`, readOnly: true },
    { name: 'asserted', value: String(s.asserted), evaluateName: `${owner}.asserted`, readOnly: true },
  );
  const fieldNames = new Set(LAYOUTS[s.layout].fields.map((f) => f.name));
  for (const [k, v] of Object.entries(s.extra)) {
    // An internal copy of a word field (XIVE's eisn) would only repeat it.
    if (fieldNames.has(k)) continue;
    nodes.push({ name: k, value: typeof v === 'boolean' ? String(v) : formatNumber(v, ctx.display), evaluateName: `${owner}.${k}`, readOnly: true });
  }
  return ok(page(nodes, p));
}

// ------------------------------------------------------------------ event queues

function queueNode(ctx: TreeContext, q: QueueView): VariableNode {
  const owner = `eq(${q.server},${q.priority})`;
  return {
    name: `server ${q.server} priority ${q.priority}`,
    value: q.entries > 0
      ? `index ${q.index}/${q.entries} gen ${q.toggle} count ${q.count} qaddr ${hex(q.qaddr)}`
      : `no queue page (count ${q.count})`,
    type: 'event queue',
    evaluateName: owner,
    children: `queue/${q.server}/${q.priority}`,
    memoryReference: q.entries > 0 ? hex(q.qaddr) : undefined,
    readOnly: true,
  };
}

function findQueue(vm: VmState, server: number, priority: number): QueueView | undefined {
  return inspectQueues(vm).find((q) => q.server === server && q.priority === priority);
}

/**
 * Slots that hold something: the whole ring once it has wrapped, else those
 * written this lap — from the first non-zero slot, so a queue restored at
 * qindex 3 shows no entries until the hardware writes one.
 */
function writtenSlots(vm: VmState, q: QueueView): { start: number; count: number } {
  if (q.entries === 0) return { start: 0, count: 0 };
  const atIndex = readGuestMemory(vm, q.qaddr + BigInt(q.index * 4), 4);
  if (atIndex.some((b) => b !== 0)) return { start: 0, count: q.entries };
  const below = readGuestMemory(vm, q.qaddr, q.index * 4);
  let first = 0;
  while (first < q.index && below[4 * first] === 0 && below[4 * first + 1] === 0 && below[4 * first + 2] === 0 && below[4 * first + 3] === 0) first++;
  return { start: first, count: q.index - first };
}

function queueChildren(ctx: TreeContext, server: number, priority: number, p: Page): ChildrenResult {
  const q = findQueue(ctx.vm, server, priority);
  if (!q) return { ok: false, error: `event queue (server ${server}, priority ${priority}) does not exist (any more)` };
  const owner = `eq(${server},${priority})`;
  const n = (v: number, bits?: number): string => formatNumber(v, ctx.display, bits);
  const slots = writtenSlots(ctx.vm, q);
  const nodes: VariableNode[] = [
    { name: 'qaddr', value: hexWord(q.qaddr, 64), evaluateName: `${owner}.qaddr`, readOnly: true },
    { name: 'qshift', value: n(q.qshift), evaluateName: `${owner}.qshift`, readOnly: true },
    { name: 'index', value: n(q.index), evaluateName: `${owner}.index`, readOnly: true },
    { name: 'generation', value: n(q.toggle), evaluateName: `${owner}.generation`, readOnly: true },
    { name: 'count', value: `${n(q.count)} sources targeted here (KVM q->count)`, evaluateName: `${owner}.count`, readOnly: true },
    { name: 'size', value: `${n(q.entries)} entries`, evaluateName: `${owner}.entries`, readOnly: true },
    { name: 'dirty', value: String(q.dirty), evaluateName: `${owner}.dirty`, readOnly: true },
    { name: 'reader_index', value: n(q.readerIndex), evaluateName: `${owner}.reader_index`, readOnly: true },
    { name: 'reader_generation', value: n(q.readerToggle), evaluateName: `${owner}.reader_generation`, readOnly: true },
    {
      name: 'entries', value: `${slots.count} written${slots.count > 0 && slots.start > 0 ? ` (from index ${slots.start})` : ''}`, type: 'xive-eq-entry[]',
      children: `queue/${server}/${priority}/entries`, indexedVariables: slots.count,
      memoryReference: q.entries > 0 ? hex(q.qaddr) : undefined, readOnly: true,
    },
  ];
  return ok(page(nodes, p));
}

function queueEntries(ctx: TreeContext, server: number, priority: number, p: Page): ChildrenResult {
  const q = findQueue(ctx.vm, server, priority);
  if (!q) return { ok: false, error: `event queue (server ${server}, priority ${priority}) does not exist (any more)` };
  const slots = writtenSlots(ctx.vm, q);
  const w = indexedWindow(slots.count, p);
  const bytes = readGuestMemory(ctx.vm, q.qaddr + BigInt((slots.start + w.start) * 4), w.count * 4);
  const nodes: VariableNode[] = [];
  for (let i = 0; i < w.count; i++) {
    const word = BigInt(((bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3]) >>> 0);
    const index = slots.start + w.start + i;
    nodes.push(wordNode(`[${index}]`, 'xive-eq-entry', word, `eq(${server},${priority}).entries[${index}]`, constantWordPath('xive-eq-entry', word), index === q.index ? 'next write' : undefined));
  }
  return ok(nodes);
}

// ------------------------------------------------------------------ presenters

function presenterOwner(v: PresenterView): string {
  return v.layout === 'xics-icp' ? `icp(${v.server})` : `vp(${v.vcpu})`;
}

function writePresenter(v: PresenterView): (w: bigint) => string {
  const reg = v.layout === 'xics-icp' ? 'icp' : 'vp';
  return (w) => `set ${reg} vcpu ${v.vcpu} = ${hexWord(w, 64)}`;
}

function presenterNode(ctx: TreeContext, v: PresenterView): VariableNode {
  const name = v.layout === 'xics-icp' ? `ICP server ${v.server} (vCPU ${v.vcpu})` : `VP vCPU ${v.vcpu} (server ${v.server})`;
  const e = explainVcpu(ctx.vm, v.vcpu);
  const route = e.ok && e.value.status !== 'stopped' ? ` · ${e.value.summary}` : '';
  return wordNode(name, v.layout, v.word, presenterOwner(v), `presenter/${v.vcpu}`, `${v.running ? 'running' : 'stopped'}${route}`, writePresenter(v));
}

function presenterChildren(ctx: TreeContext, vcpu: number, p: Page): ChildrenResult {
  const v = inspectPresenters(ctx.vm).find((x) => x.vcpu === vcpu);
  if (!v) return { ok: false, error: `vCPU ${vcpu} has no presenter (any more)` };
  const owner = presenterOwner(v);
  const nodes = fieldNodes(ctx, v.layout, v.word, owner, writePresenter(v));
  nodes.push({ name: 'running', value: String(v.running), evaluateName: `${owner}.running`, readOnly: true });
  for (const [k, x] of Object.entries(v.extra)) {
    nodes.push({ name: k, value: typeof x === 'boolean' ? String(x) : formatNumber(x, ctx.display), evaluateName: `${owner}.${k}`, readOnly: true });
  }
  return ok(page(nodes, p));
}

// ------------------------------------------------------------------ last operation

function lastNodes(ctx: TreeContext): VariableNode[] {
  const l = ctx.last;
  if (!l) return [{ name: 'statement', value: 'none yet (at entry)', readOnly: true }];
  const nodes: VariableNode[] = [
    { name: 'statement', value: l.statement, readOnly: true },
    { name: 'location', value: l.location, readOnly: true },
    { name: 'step', value: String(l.step), readOnly: true },
    { name: 'result', value: l.display, readOnly: true },
  ];
  if (l.errno) nodes.push({ name: 'errno', value: l.errno, readOnly: true });
  if (l.hret) nodes.push({ name: 'hcall return', value: l.hret, readOnly: true });
  if (l.reason) nodes.push({ name: 'reason', value: l.reason, readOnly: true });
  if (l.value !== undefined) {
    nodes.push(l.layout
      ? wordNode('value', l.layout, l.value, undefined, constantWordPath(l.layout, l.value))
      : { name: 'value', value: formatNumber(l.value, ctx.display), readOnly: true });
  }
  for (const [k, v] of Object.entries(l.values ?? {})) nodes.push({ name: k, value: formatNumber(v, ctx.display), readOnly: true });
  if (l.entries) {
    nodes.push({
      name: 'entries', value: `[${l.entries.map((e) => hexWord(BigInt(e), 32)).join(', ')}]`, type: 'xive-eq-entry[]', readOnly: true,
    });
  }
  (l.notes ?? []).forEach((n, i) => nodes.push({ name: l.notes!.length === 1 ? 'note' : `note ${i + 1}`, value: n, readOnly: true }));
  if (l.expectation) {
    const e = l.expectation;
    nodes.push({ name: 'expectation', value: `${e.ok ? 'passed' : 'FAILED'}: ${e.message}`, readOnly: true });
    if (e.expected !== undefined) nodes.push({ name: 'expected', value: e.expected, readOnly: true });
    if (e.actual !== undefined) nodes.push({ name: 'actual', value: e.actual, readOnly: true });
  }
  return nodes;
}

/** The child called `name` of `parentPath` (for setVariable and dataBreakpointInfo), without listing a whole page. */
export function findChild(ctx: TreeContext, parentPath: string, name: string): VariableNode | undefined {
  if (parentPath === 'sources' || parentPath.startsWith('sources/chunk/')) {
    if (!/^0x[0-9a-f]+$/i.test(name)) return undefined;
    const s = findSource(ctx.vm, Number(name));
    return s ? sourceNode(ctx, s) : undefined;
  }
  if (parentPath.endsWith('/entries')) {
    const m = /^\[(\d+)\]$/.exec(name);
    const r = m ? childrenOf(ctx, parentPath, { start: Number(m[1]), count: 1 }) : null;
    return r?.ok ? r.nodes[0] : undefined;
  }
  const r = childrenOf(ctx, parentPath);
  return r.ok ? r.nodes.find((n) => n.name === name) : undefined;
}

/** The word a setVariable writes for `node` given the user's new value, or an error. */
export function wordToWrite(node: VariableNode, value: bigint): { ok: true; value: bigint } | { ok: false; error: string } {
  const w = node.write;
  if (!w) return { ok: false, error: `${node.name} is read-only` };
  if (w.field && w.layout !== undefined && w.word !== undefined) {
    const enc = encodeWord(w.layout, { [w.field.name]: value }, w.word);
    if (!enc.ok) {
      const max = (1n << BigInt(w.field.width)) - 1n;
      return { ok: false, error: `${w.field.name} is ${w.field.width} bit${w.field.width === 1 ? '' : 's'} wide: ${hex(value)} does not fit (max ${hex(max)})` };
    }
    return { ok: true, value: enc.word };
  }
  if (w.layout !== undefined && (value < 0n || value >= 1n << BigInt(LAYOUTS[w.layout].width))) {
    return { ok: false, error: `${hex(value)} does not fit a ${LAYOUTS[w.layout].width}-bit ${w.layout} word` };
  }
  return { ok: true, value };
}
