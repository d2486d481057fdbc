/** Symbols, definition, references, rename, folding and semantic tokens over a real JSON-RPC connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DocumentSymbol, FoldingRange, Location, Range, SemanticTokens, WorkspaceEdit, TextEdit,
} from 'vscode-languageserver-protocol';
import { fixture, LspTestClient } from './harness';

const TEXT = `scenario "navigation"
# Routing helpers
# (two comment lines fold together)
let u$0art = 0x1300
device xive
vcpu 1 connect
proc ro$1ute(irq, target, p$3rio) {
  let local = 1
  set source_config irq = { priority prio, server target, eisn irq }
}
repeat 4 {
  line 0x1000 pulse
}
call route(ua$2rt, 1, 6)
log "uart {uart}"
`;

function rangeText(text: string, r: Range): string {
  const lines = text.split('\n');
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

test('document symbols: scenario, lets, device, procs with their contents, repeats', async () => {
  const client = await LspTestClient.start();
  const f = fixture(TEXT);
  await client.open('file:///n.irq', f.text);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///n.irq' } });
  assert.deepEqual(symbols.map((s) => s.name), ['navigation', 'uart', 'device xive', 'route', 'repeat 4']);
  const route = symbols.find((s) => s.name === 'route')!;
  assert.equal(route.detail, '(irq, target, prio)');
  assert.deepEqual(route.children?.map((c) => c.name), ['local']);
  assert.equal(symbols.find((s) => s.name === 'uart')!.detail, '0x1300');
  await client.stop();
});

test('definition and references of a let and a proc', async () => {
  const client = await LspTestClient.start();
  const f = fixture(TEXT);
  await client.open('file:///n.irq', f.text);
  const def = await client.request<Location | null>('textDocument/definition', { textDocument: { uri: 'file:///n.irq' }, position: f.position(2) });
  assert.equal(def?.range.start.line, 3);
  assert.equal(rangeText(f.text, def!.range), 'uart');
  const refs = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri: 'file:///n.irq' }, position: f.position(0), context: { includeDeclaration: true },
  });
  assert.deepEqual(refs.map((r) => r.range.start.line), [3, 13, 14]);
  const procRefs = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri: 'file:///n.irq' }, position: f.position(1), context: { includeDeclaration: false },
  });
  assert.deepEqual(procRefs.map((r) => r.range.start.line), [13]);
  await client.stop();
});

test('rename a let, a parameter; refuse keywords', async () => {
  const client = await LspTestClient.start();
  const f = fixture(TEXT);
  await client.open('file:///n.irq', f.text);
  const prep = await client.request<{ range: Range; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: 'file:///n.irq' }, position: f.position(2) });
  assert.equal(prep?.placeholder, 'uart');
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: 'file:///n.irq' }, position: f.position(0), newName: 'serial' });
  const edits = edit.changes!['file:///n.irq'];
  assert.deepEqual(edits.map((e: TextEdit) => [e.range.start.line, rangeText(f.text, e.range), e.newText]), [
    [3, 'uart', 'serial'], [13, 'uart', 'serial'], [14, 'uart', 'serial'],
  ]);
  const param = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: 'file:///n.irq' }, position: f.position(3), newName: 'lvl' });
  assert.deepEqual(param.changes!['file:///n.irq'].map((e: TextEdit) => e.range.start.line), [6, 8]);
  await assert.rejects(
    client.request('textDocument/rename', { textDocument: { uri: 'file:///n.irq' }, position: f.position(0), newName: 'hcall' }),
    /keyword/,
  );
  const onKeyword = await client.request('textDocument/prepareRename', { textDocument: { uri: 'file:///n.irq' }, position: { line: 4, character: 1 } });
  assert.equal(onKeyword, null);
  await client.stop();
});

test('folding ranges: proc and repeat bodies, comment runs', async () => {
  const client = await LspTestClient.start();
  const f = fixture(TEXT);
  await client.open('file:///n.irq', f.text);
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: 'file:///n.irq' } });
  assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine, r.kind]), [[1, 2, 'comment'], [6, 8, 'region'], [10, 11, 'region']]);
  await client.stop();
});

test('semantic tokens classify every word, number, string and comment', async () => {
  const client = await LspTestClient.start();
  const text = 'let uart = 0x1300 # c\nset source_config uart = { priority 6 } -> EINVAL\n';
  await client.open('file:///t.irq', text);
  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: 'file:///t.irq' } });
  // let uart 0x1300 #c | set source_config uart priority 6 -> EINVAL
  assert.equal(tokens.data.length / 5, 11);
  const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend.tokenTypes;
  const types: string[] = [];
  for (let i = 0; i < tokens.data.length; i += 5) types.push(legend[tokens.data[i + 3]]);
  assert.deepEqual(types, ['keyword', 'variable', 'number', 'comment', 'keyword', 'keyword', 'variable', 'property', 'number', 'operator', 'enumMember']);
  const ranged = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
    textDocument: { uri: 'file:///t.irq' }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } },
  });
  assert.equal(ranged.data.length / 5, 7);
  assert.equal(ranged.data[0], 1, 'the first token is on line 1');
  await client.stop();
});
