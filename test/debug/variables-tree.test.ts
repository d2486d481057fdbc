/** The Variables tree builder over model state built with the VM facade (no runtime, no DAP). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDevice, createVm, enableCap, esbLoad, esbStore, Result, setAttr, timaStore, VmState, XIVE_GRP, XICS_GRP, irqLine, hcall,
} from '../../src/model';
import { childrenOf, PAGE_SIZE, scopeRoots, TreeContext, VariableNode, wordToWrite } from '../../src/debug/variables-tree';
import { VariableReferences } from '../../src/debug/references';
import { assertGolden, renderTree, RenderedVariable } from './golden';

function must<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`${r.errno}: ${r.reason}`);
  return r.value;
}
const word = (w: bigint) => ({ kind: 'word', word: w }) as const;
const QADDR = 0x10000n;

function xiveVm(): VmState {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 1, { server: 1 }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x1300n, word(0n)));
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 1n * 8n + 6n, { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr: QADDR, qtoggle: 1, qindex: 0 } }));
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word((0x1300n << 33n) | (1n << 3n) | 6n)));
  must(esbLoad(vm, 0x1300, 0xc00)); // PQ 01 (off) → 00: the source can fire
  must(timaStore(vm, 1, 1, 0x11, 0xffn));
  must(esbStore(vm, 0x1300, 0, 0n, 'trigger'));
  return vm;
}

function ctxOf(vm: VmState, hex = true): TreeContext {
  return { vm, last: null, display: { hex }, numbering: 'lsb0' };
}

function nodesOf(ctx: TreeContext, path: string, start?: number, count?: number): VariableNode[] {
  const r = childrenOf(ctx, path, { start, count });
  if (!r.ok) assert.fail(r.error);
  return r.nodes;
}

/** Renders through the same reference registry the session uses. */
async function render(ctx: TreeContext, title: string): Promise<string> {
  const refs = new VariableReferences();
  const fetch = async (ref: number): Promise<RenderedVariable[]> => {
    const path = refs.pathOf(ref)!;
    return nodesOf(ctx, path).map((n) => ({
      name: n.name, value: n.value, evaluateName: n.evaluateName, memoryReference: n.memoryReference, indexedVariables: n.indexedVariables,
      variablesReference: n.children ? refs.idFor(n.children) : 0,
      presentationHint: n.readOnly ? { attributes: ['readOnly'] } : undefined,
    }));
  };
  const parts: string[] = [];
  for (const s of scopeRoots(ctx)) parts.push(await renderTree(s.name, refs.idFor(s.path), fetch));
  return parts.join('\n');
}

test('XIVE tree after one routed trigger: golden', async () => {
  assertGolden('tree-xive-trigger.txt', await render(ctxOf(xiveVm()), 'xive'));
});

test('XIVE tree in decimal: golden', async () => {
  assertGolden('tree-xive-decimal.txt', await render(ctxOf(xiveVm(), false), 'xive'));
});

test('XICS tree with a presented source: golden', async () => {
  const vm = createVm();
  must(createDevice(vm, 'xics'));
  must(enableCap(vm, 0, { server: 0 }));
  assert.equal(hcall(vm, 0, 'H_CPPR', [0xffn]).ret, 'H_SUCCESS');
  must(setAttr(vm, XICS_GRP.SOURCES, 0x1000n, word(5n << 32n)));
  must(irqLine(vm, 0x1000, 1));
  assertGolden('tree-xics-presented.txt', await render(ctxOf(vm), 'xics'));
});

test('a word node shows the summary and its fields carry evaluateName and read-only hints', () => {
  const ctx = ctxOf(xiveVm());
  const [src] = nodesOf(ctx, 'sources');
  assert.match(src.value, /^0x00002600_?0000000e|^0x0000260000000[0-9a-f]{3}/);
  assert.match(src.value, /prio=6 server=1 eisn=0x1300/);
  assert.equal(src.evaluateName, 'source(0x1300)');
  const fields = nodesOf(ctx, src.children!);
  const prio = fields.find((f) => f.name.startsWith('priority'))!;
  assert.equal(prio.name, 'priority [2:0]');
  assert.equal(prio.evaluateName, 'source(0x1300).priority');
  assert.equal(prio.readOnly, false);
  const [vp] = nodesOf(ctx, 'presenters');
  const pipr = nodesOf(ctx, vp.children!).find((f) => f.name.startsWith('pipr'))!;
  assert.equal(pipr.readOnly, true);
  assert.equal(pipr.evaluateName, 'vp(1).pipr');
});

test('setVariable words: a field merges into the word, a too-wide value is refused', () => {
  const ctx = ctxOf(xiveVm());
  const [src] = nodesOf(ctx, 'sources');
  const prio = nodesOf(ctx, src.children!).find((f) => f.name.startsWith('priority'))!;
  const w = wordToWrite(prio, 5n);
  assert.ok(w.ok);
  assert.equal(prio.write!.statement(w.value), 'set source_config 0x1300 = 0x0000260000000' + ((1n << 3n) | 5n).toString(16).padStart(3, '0'));
  const bad = wordToWrite(prio, 9n);
  assert.ok(!bad.ok && /3 bits wide/.test(bad.error));
  const pipr = nodesOf(ctx, nodesOf(ctx, 'presenters')[0].children!).find((f) => f.name.startsWith('pipr'))!;
  assert.ok(!wordToWrite(pipr, 1n).ok);
});

test('a million sources: the Sources scope pages in chunks of 1000 and a page is found by position', () => {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  for (let irq = 0; irq < 1_000_000; irq++) must(setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), word(0n)));
  const ctx = ctxOf(vm);
  const root = scopeRoots(ctx).find((s) => s.path === 'sources')!;
  assert.equal(root.indexedVariables, 1000);
  const chunks = nodesOf(ctx, 'sources', 0, 2000);
  assert.equal(chunks.length, PAGE_SIZE, 'a count of 2000 is capped to one page');
  assert.equal(chunks[999].name, '[999000..999999]');
  const last = nodesOf(ctx, chunks[999].children!, 990, 10);
  assert.deepEqual(last.map((n) => n.name), Array.from({ length: 10 }, (_, i) => '0x' + (999990 + i).toString(16)));
  assert.equal(nodesOf(ctx, 'source/999999').length > 0, true);
});

test('bad paths and pages are errors, not exceptions', () => {
  const ctx = ctxOf(xiveVm());
  for (const [path, start, count] of [['nowhere', 0, 1], ['source/77', 0, 1], ['sources/chunk/5', 0, 1], ['queue/9/9', 0, 1], ['presenter/42', 0, 1], ['word/nope/12', 0, 1], ['sources', -1, 1], ['sources', 0, -3]] as const) {
    const r = childrenOf(ctx, path, { start, count });
    assert.equal(r.ok, false, `${path} ${start} ${count}`);
  }
});

test('issue 13: a queue restored at qindex 3 shows no phantom entries until one is written, then that one at its index', () => {
  const vm = createVm();
  must(createDevice(vm, 'xive'));
  must(enableCap(vm, 1, { server: 1 }));
  must(setAttr(vm, XIVE_GRP.SOURCE, 0x1300n, word(0n)));
  must(setAttr(vm, XIVE_GRP.EQ_CONFIG, 1n * 8n + 6n, { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr: QADDR, qtoggle: 1, qindex: 3 } }));
  const ctx = ctxOf(vm);
  const queue = (): VariableNode[] => nodesOf(ctx, 'queue/1/6');
  assert.equal(queue().find((n) => n.name === 'entries')?.value, '0 written');
  must(setAttr(vm, XIVE_GRP.SOURCE_CONFIG, 0x1300n, word((0x1300n << 33n) | (1n << 3n) | 6n)));
  must(esbLoad(vm, 0x1300, 0xc00));
  must(esbStore(vm, 0x1300, 0, 0n, 'trigger'));
  assert.equal(queue().find((n) => n.name === 'entries')?.value, '1 written (from index 3)');
  assert.deepEqual(nodesOf(ctx, 'queue/1/6/entries').map((n) => n.name), ['[3]']);
  const byName = new Map(queue().map((n) => [n.name, n]));
  assert.match(byName.get('count')?.value ?? '', /sources targeted here/);
  assert.equal(byName.get('reader_generation')?.evaluateName, 'eq(1,6).reader_generation');
});

test('issue 13: a XIVE-native VP does not show the XICS-on-XIVE icp_cppr/icp_mfrr', () => {
  const ctx = ctxOf(xiveVm());
  const vp = nodesOf(ctx, 'presenters')[0];
  assert.ok(vp?.children, vp?.name);
  const names = nodesOf(ctx, vp.children).map((n) => n.name);
  assert.ok(!names.includes('icp_cppr') && !names.includes('icp_mfrr'), names.join(','));
});
