/** Diagnostics with incremental sync, formatting, code actions and irqlab/decodeWord over a real JSON-RPC connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeAction, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-protocol';
import { formatText } from '../../src/dsl';
import { DECODE_WORD_REQUEST, DecodeWordResult } from '../../src/protocol';
import { fixture, LspTestClient } from './harness';

const VALID = `scenario "diagnostics"
let uart = 0x1300
device xive
vcpu 1 connect
set source uart = 0x0
`;

test('diagnostics on open and after incremental edits, with code and range', async () => {
  const client = await LspTestClient.start();
  const opened = await client.open('file:///d.irq', VALID);
  assert.deepEqual(opened.diagnostics, []);
  // Type one character into `set` on line 4: `sett`.
  const broken = await client.change('file:///d.irq', 2, [{ range: { start: { line: 4, character: 3 }, end: { line: 4, character: 3 } }, text: 't' }]);
  assert.equal(broken.diagnostics.length, 1);
  const d = broken.diagnostics[0];
  assert.equal(d.code, 'unknown-keyword');
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.deepEqual(d.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
  // Delete it again.
  const fixed = await client.change('file:///d.irq', 3, [{ range: { start: { line: 4, character: 3 }, end: { line: 4, character: 4 } }, text: '' }]);
  assert.deepEqual(fixed.diagnostics, []);
  // A checker rule: priority 7 is reserved.
  const reserved = await client.change('file:///d.irq', 4, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'set source_config uart = { priority 7, server 1 }\n' }]);
  assert.ok(reserved.diagnostics.some((x) => x.code === 'reserved-priority' && x.range.start.line === 5), JSON.stringify(reserved.diagnostics));
  await client.stop();
});

test('an include is read relative to the document (diagnostics, go to definition)', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const dir = mkdtempSync(path.join(tmpdir(), 'irqlab-lsp-'));
  writeFileSync(path.join(dir, 'common.irq'), 'let shared = 0x1300\n');
  const uri = pathToFileURL(path.join(dir, 'main.irq')).toString();
  const client = await LspTestClient.start();
  const ok = await client.open(uri, 'include "common.irq"\ndevice xive\nset source shared = 0x0\n');
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error), []);
  const target = await client.request<{ uri: string } | null>('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 12 } });
  assert.equal(target?.uri, pathToFileURL(path.join(dir, 'common.irq')).toString());
  const missing = await client.change(uri, 2, [{ text: 'include "missing.irq"\n' }]);
  assert.ok(missing.diagnostics.some((d) => d.code === 'include-missing'), JSON.stringify(missing.diagnostics));
  await client.stop();
});

test('formatting applies formatText, keeps every comment and is idempotent', async () => {
  const client = await LspTestClient.start();
  const messy = 'scenario   "x"   # title\nlet uart=0x1300\nproc route(irq,prio){\nset source_config irq = {priority prio,server 1}   # inline\n}\n';
  await client.open('file:///f.irq', messy);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: 'file:///f.irq' }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(edits.length, 1);
  const formatted = edits[0].newText;
  assert.equal(formatted, formatText(messy));
  assert.match(formatted, /# title/);
  assert.match(formatted, /# inline/);
  assert.match(formatted, /^ {2}set source_config irq = \{ priority prio, server 1 \}/m);
  await client.change('file:///f.irq', 2, [{ text: formatted }]);
  const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: 'file:///f.irq' }, options: { tabSize: 2, insertSpaces: true } });
  assert.deepEqual(again, []);
  await client.stop();
});

test('code actions: raw word ↔ field block, and the checker\'s quick fix', async () => {
  const client = await LspTestClient.start();
  const f = fixture(`${VALID}set source_config uart = $00x0000_2600_0000_000e
set source_config uart = { pri$1ority 6, server 1, eisn 0x1300, masked }
get source_config uart -> $20x0000_0001_0000_000e
sett source uart = 0x0
`);
  await client.open('file:///a.irq', f.text);
  const actionsAt = (i: number, line?: number) => client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: 'file:///a.irq' },
    range: line === undefined ? { start: f.position(i), end: f.position(i) } : { start: { line, character: 0 }, end: { line, character: 4 } },
    context: { diagnostics: [] },
  });
  const toFields = (await actionsAt(0)).find((a) => a.title.startsWith('Convert to field block'));
  assert.equal(toFields?.edit?.changes?.['file:///a.irq'][0].newText, '{ priority 6, server 1, eisn 0x1300 }');
  const toWord = (await actionsAt(1)).find((a) => a.title.startsWith('Convert to word'));
  assert.equal(toWord?.edit?.changes?.['file:///a.irq'][0].newText, '0x0000_2601_0000_000e');
  // An expectation keeps its meaning: every field is listed.
  const expectation = (await actionsAt(2)).find((a) => a.title.startsWith('Convert to field block'));
  assert.equal(expectation?.edit?.changes?.['file:///a.irq'][0].newText, '{ priority 6, server 1, masked, eisn 0x0 }');
  const fix = (await actionsAt(0, 8)).find((a) => a.kind === 'quickfix');
  assert.equal(fix?.title, "Replace with 'set'");
  assert.deepEqual(fix?.edit?.changes?.['file:///a.irq'][0], { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 4 } }, newText: 'set' });
  await client.stop();
});

test('irqlab/decodeWord decodes one layout or all of them, and rejects bad input as a value', async () => {
  const client = await LspTestClient.start();
  const one = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: '0x0000_0026_0000_000f', layout: 'xive-source-config' });
  assert.ok(one.ok);
  assert.equal(one.decodes.length, 1);
  const fields = Object.fromEntries(one.decodes[0].fields.map((x) => [x.name, x.value]));
  assert.deepEqual(fields, { priority: 7, server: 1, masked: 0, eisn: 0x13 });
  assert.equal(one.decodes[0].summary, 'prio=7 server=1 eisn=0x13');
  assert.equal(one.decodes[0].rejections.length, 1);
  assert.match(one.markdown, /kernel rejects/);
  const all = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: '4864' });
  assert.ok(all.ok);
  assert.deepEqual(all.decodes.map((d) => d.layout), ['xics-source', 'xics-icp', 'xive-source', 'xive-source-config', 'xive-eq-id', 'xive-vp-state', 'xive-eq-entry']);
  const msb = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: '0x1', layout: 'xive-eq-entry', numbering: 'msb0' });
  assert.ok(msb.ok);
  assert.equal(msb.decodes[0].fields.find((x) => x.name === 'eisn')?.bits, '[1:31]');
  const bad = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: 'zz' });
  assert.equal(bad.ok, false);
  const tooBig = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: '0x1_0000_0000_0000_0000' });
  assert.equal(tooBig.ok, false);
  const badLayout = await client.request<DecodeWordResult>(DECODE_WORD_REQUEST, { word: '1', layout: 'nope' });
  assert.equal(badLayout.ok, false);
  await client.stop();
});
