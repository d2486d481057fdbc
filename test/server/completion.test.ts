/** Completion and signature help over a real JSON-RPC connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItem, CompletionList, SignatureHelp } from 'vscode-languageserver-protocol';
import { fixture, LspTestClient } from './harness';

const BASE = `scenario "completion"
let uart = 0x1300
let cfg = 7
device xive
vcpu 1 connect
vcpu 3 connect
proc route(irq, target, prio) {
  set source_config irq = { priority prio, server target, eisn irq }
}
`;

async function labelsAt(marked: string, index = 0, triggerCharacter?: string): Promise<string[]> {
  const client = await LspTestClient.start();
  const f = fixture(BASE + marked);
  await client.open('file:///c.irq', f.text);
  const r = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
    textDocument: { uri: 'file:///c.irq' },
    position: f.position(index),
    ...(triggerCharacter ? { context: { triggerKind: 2, triggerCharacter } } : {}),
  });
  await client.stop();
  const items = Array.isArray(r) ? r : r?.items ?? [];
  return items.map((i) => i.label);
}

test('statement keywords at the start of a line', async () => {
  const labels = await labelsAt('se$0\n');
  for (const k of ['scenario', 'set', 'get', 'hcall', 'esb', 'tima', 'proc', 'repeat']) assert.ok(labels.includes(k), k);
  assert.ok(!labels.includes('server') && !labels.includes('EINVAL'));
});

test('field names of the statement\'s layout inside { }, without those already given', async () => {
  const config = await labelsAt('set source_config uart = { priority 6, $0\n');
  assert.deepEqual(config.sort(), ['eisn', 'masked', 'server']);
  const eq = await labelsAt('set eq_config server 1 priority 6 = { flags always_notify, $0\n');
  assert.deepEqual(eq.sort(), ['qaddr', 'qindex', 'qshift', 'qtoggle']);
  const flags = await labelsAt('set eq_config server 1 priority 6 = { flags $0\n');
  assert.equal(flags[0], 'always_notify');
  const vp = await labelsAt('get vp vcpu 1 -> { $0\n');
  assert.deepEqual(vp.sort(), ['ack', 'age', 'cppr', 'inc', 'ipb', 'lsmfb', 'nsr', 'pipr']);
});

test('errno and H_* names after ->, hcalls after hcall vcpu N, procs after call, vCPU ids after vcpu', async () => {
  const errno = await labelsAt('set source_config uart = 0x0 -> $0\n');
  for (const n of ['EINVAL', 'EBUSY', 'ENOENT', 'H_SUCCESS', 'H_P2', 'ok']) assert.ok(errno.includes(n), n);
  const hcalls = await labelsAt('hcall vcpu 1 $0\n');
  assert.ok(hcalls.includes('H_INT_SET_SOURCE_CONFIG') && hcalls.includes('H_EOI') && hcalls.length === 17);
  const procs = await labelsAt('call $0\n');
  assert.deepEqual(procs, ['route']);
  const vcpus = await labelsAt('tima vcpu $0\n');
  assert.deepEqual(vcpus.slice(0, 2), ['1', '3']);
  const rtas = await labelsAt('rtas $0\n');
  assert.deepEqual(rtas.sort(), ['ibm,get-xive', 'ibm,int-off', 'ibm,int-on', 'ibm,set-xive']);
});

test('typing a trigger character only completes where a particular word is expected', async () => {
  assert.deepEqual(await labelsAt('set source_config uart = $0\n', 0, ' '), []);
  assert.deepEqual(await labelsAt('set source_config uart = { priority $0\n', 0, ' '), []);
  assert.ok((await labelsAt('set source_config uart = 0x0 -> $0\n', 0, ' ')).includes('EBUSY'));
  assert.ok((await labelsAt('set source_config uart = 0x0 ->$0\n', 0, '>')).includes('EBUSY'));
  assert.ok((await labelsAt('hcall vcpu 1 $0\n', 0, ' ')).includes('H_EOI'));
  assert.ok((await labelsAt('set source_config uart = { $0\n', 0, '{')).includes('eisn'));
});

test('let names and parameters in scope inside expressions', async () => {
  const top = await labelsAt('esb $0\n');
  assert.ok(top.includes('uart') && top.includes('cfg'));
  assert.ok(!top.includes('irq'), 'a parameter is not in scope outside its proc');
  const inProc = await labelsAt('proc p2(lisn) {\n  esb $0\n}\n');
  assert.ok(inProc.includes('lisn') && inProc.includes('uart'));
});

test('signature help for hcalls (positional and named) and call', async () => {
  const client = await LspTestClient.start();
  const f = fixture(BASE + 'hcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0x2, $0\nhcall vcpu 1 H_INT_SET_SOURCE_CONFIG flags 0, priority $1\ncall route(uart, $2\n');
  await client.open('file:///s.irq', f.text);
  const at = (i: number) => client.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri: 'file:///s.irq' }, position: f.position(i) });
  const positional = await at(0);
  assert.equal(positional?.signatures[0].label, 'H_INT_SET_SOURCE_CONFIG(flags, lisn, target, priority, eisn)');
  assert.equal(positional?.activeParameter, 1);
  assert.equal((await at(1))?.activeParameter, 3);
  const call = await at(2);
  assert.equal(call?.signatures[0].label, 'route(irq, target, prio)');
  assert.equal(call?.activeParameter, 1);
  await client.stop();
});
