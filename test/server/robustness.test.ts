/**
 * Bad documents and bad requests never crash or stall the server: random
 * bytes, a 10 MB document, a 1 MB line, unknown documents, positions past the
 * end, malformed parameters, requests racing a change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, Hover, MarkupContent, ResponseError } from 'vscode-languageserver-protocol';
import { analyze } from '../../src/dsl';
import { LspTestClient } from './harness';

/** Deterministic bytes (xorshift32) so a failure reproduces. */
function randomText(length: number, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out += String.fromCharCode(x & 0xff);
  }
  return out;
}

const FEATURE_REQUESTS = (uri: string, line: number, character: number): [string, unknown][] => [
  ['textDocument/hover', { textDocument: { uri }, position: { line, character } }],
  ['textDocument/completion', { textDocument: { uri }, position: { line, character } }],
  ['textDocument/signatureHelp', { textDocument: { uri }, position: { line, character } }],
  ['textDocument/definition', { textDocument: { uri }, position: { line, character } }],
  ['textDocument/references', { textDocument: { uri }, position: { line, character }, context: { includeDeclaration: true } }],
  ['textDocument/prepareRename', { textDocument: { uri }, position: { line, character } }],
  ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character }, end: { line, character } }, context: { diagnostics: [] } }],
  ['textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: line + 5, character: 0 } } }],
];

async function everyFeatureAnswers(client: LspTestClient, uri: string, positions: [number, number][]): Promise<void> {
  for (const [line, character] of positions) {
    for (const [method, params] of FEATURE_REQUESTS(uri, line, character)) await client.request(method, params);
  }
  for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full']) {
    await client.request(method, { textDocument: { uri } });
  }
  await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
}

test('random bytes: diagnostics are published and every feature answers', async () => {
  const client = await LspTestClient.start();
  for (const seed of [1, 7, 42]) {
    const uri = `file:///random-${seed}.irq`;
    const text = randomText(20_000, seed);
    const published = await client.open(uri, text);
    assert.ok(published.diagnostics.length > 0, 'random bytes are diagnosed');
    const lines = text.split('\n').length;
    const positions: [number, number][] = Array.from({ length: 12 }, (_, i) => [(i * 7919) % lines, (i * 104729) % 200]);
    await everyFeatureAnswers(client, uri, positions);
  }
  assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
  await client.stop();
});

test('a 10 MB document is analysed, edited and answered', async () => {
  const client = await LspTestClient.start();
  const lines = ['scenario "ten megabytes"', 'let uart = 0x1300', 'device xive', 'vcpu 1 connect'];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const line = `set source_config ${0x1000 + (i % 4096)} = 0x0000_2600_0000_000e   # ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  const uri = 'file:///ten-megabytes.irq';
  await client.open(uri, lines.join('\n'));
  const middle = lines.length >> 1;
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: middle, character: 35 } });
  assert.match((hover.contents as MarkupContent).value, /xive-source-config/);
  const edited = await client.change(uri, 2, [{ range: { start: { line: middle, character: 0 }, end: { line: middle, character: 3 } }, text: 'sett' }]);
  assert.ok(edited.diagnostics.some((d) => d.code === 'unknown-keyword' && d.range.start.line === middle));
  await everyFeatureAnswers(client, uri, [[middle, 30]]);
  await client.stop();
});

test('a 1 MB line is answered', async () => {
  const client = await LspTestClient.start();
  const uri = 'file:///long-line.irq';
  const long = 'let x = ' + '1 + '.repeat(250_000) + '1';
  await client.open(uri, `device xive\n${long}\nset source_config 1 = 0x0000_2600_0000_000e\n# ${'c'.repeat(1 << 20)}\n`);
  await everyFeatureAnswers(client, uri, [[1, 500_000], [1, long.length], [3, 600_000], [2, 25]]);
  await client.stop();
});

test('unknown documents, positions past the end and requests racing a change are answered cleanly', async () => {
  const client = await LspTestClient.start();
  const unknown = 'file:///never-opened.irq';
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }), null);
  assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }), []);
  assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: unknown } }), []);
  assert.deepEqual(await client.request('textDocument/semanticTokens/full', { textDocument: { uri: unknown } }), { data: [] });

  const uri = 'file:///race.irq';
  await client.open(uri, 'device xive\nset source_config 1 = 0x0000_2600_0000_000e\n');
  await everyFeatureAnswers(client, uri, [[99, 0], [1, 999], [-1, -1]]);
  // A hover sent right behind a change sees the new version, not the stale one.
  const published = client.diagnosticsFor(uri, 2);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 22 }, end: { line: 1, character: 43 } }, text: '0x0000_0000_0000_000f' }],
  });
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
  assert.match((hover.contents as MarkupContent).value, /`0x000000000000000f`/);
  assert.equal((await published).version, 2);
  await client.stop();
});

test('a request missing a part of its params is Invalid params with a sentence, not an internal error; the server keeps serving', async () => {
  const client = await LspTestClient.start();
  const uri = 'file:///errors.irq';
  await client.open(uri, 'device xive\nset source_config 1 = 0x0000_2600_0000_000e\n');
  await assert.rejects(
    client.request('textDocument/hover', { textDocument: { uri }, position: null }),
    (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.InvalidParams && /needs params\.position/.test(e.message),
  );
  assert.ok(!client.logs.some((l) => /hover failed/.test(l)), 'not an internal error');
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
  assert.ok(hover);
  await client.stop();
});

test('a failing analysis is reported as a diagnostic and an LSP error, and other documents are served', async () => {
  const client = await LspTestClient.start({
    server: {
      analyze: (text, uri, options) => {
        if (uri?.includes('boom')) throw new Error('front end exploded');
        return analyze(text, uri, options);
      },
    },
  });
  const published = await client.open('file:///boom.irq', 'device xive\n');
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['internal-error']);
  assert.match(published.diagnostics[0].message, /front end exploded/);
  await assert.rejects(
    client.request('textDocument/hover', { textDocument: { uri: 'file:///boom.irq' }, position: { line: 0, character: 1 } }),
    (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.InternalError && /hover failed/.test(e.message),
  );
  assert.ok(client.logs.some((l) => /hover failed/.test(l)), 'the internal error is logged');
  const fine = await client.open('file:///fine.irq', 'device xive\nset source_config 1 = 0x0000_2600_0000_000e\n');
  assert.deepEqual(fine.diagnostics, []);
  assert.ok(await client.request('textDocument/hover', { textDocument: { uri: 'file:///fine.irq' }, position: { line: 1, character: 30 } }));
  await client.stop();
});
