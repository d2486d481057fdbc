/**
 * The shipped examples through the server and the grammar: every feature
 * answers without an internal error, every inlay hint's word hovers as its
 * layout, and the grammar gives each statement keyword its keyword scope.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import { isStatementKeyword } from '../../src/dsl';
import { LspTestClient } from './harness';
import { tokenize } from './textmate';

const dir = path.join(process.cwd(), 'examples');
const examples = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.irq')).sort() : [];

test('the examples exist', () => {
  assert.ok(examples.length >= 3, `examples in ${dir}`);
});

test('every feature answers on every example; hints and hovers agree', async () => {
  const client = await LspTestClient.start();
  let hinted = 0;
  for (const name of examples) {
    const file = path.join(dir, name);
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'utf8');
    await client.open(uri, text);
    const lines = text.split('\n').length;
    for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full']) {
      await client.request(method, { textDocument: { uri } });
    }
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
    });
    hinted += hints.length;
    for (const h of hints) {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri }, position: { line: h.position.line, character: h.position.character - 1 },
      });
      assert.ok(hover, `${name}:${h.position.line + 1} hover under the hinted word`);
      assert.match((hover.contents as MarkupContent).value, /\| field \| hex \| dec \| meaning \|/, `${name}:${h.position.line + 1}`);
    }
    const formatted = await client.request<unknown[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(Array.isArray(formatted));
  }
  assert.ok(hinted >= 5, `inlay hints in the examples: ${hinted}`);
  assert.deepEqual(client.logs.filter((l) => /failed|refused/.test(l)), []);
  await client.stop();
});

test('the grammar scopes each statement keyword of the examples as a keyword', async () => {
  for (const name of examples) {
    const tokens = await tokenize(readFileSync(path.join(dir, name), 'utf8'));
    for (const t of tokens) {
      const first = tokens.find((x) => x.line === t.line && x.text.trim() !== '');
      if (first !== t || !isStatementKeyword(t.text)) continue;
      assert.equal(t.scopes[t.scopes.length - 1], 'keyword.control.statement.irq', `${name}:${t.line + 1} ${t.text}`);
    }
  }
});
