/**
 * Diagnostics published after edits come from the incremental analyzer: they
 * must be exactly what the whole-file analysis gives for the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../src/dsl';
import { lspDiagnostics } from '../../src/server/diagnostics';
import { resolveIncludeUri } from '../../src/server/documents';
import { LineTable } from '../../src/server/positions';
import { LspTestClient } from './harness';

function expected(uri: string, text: string): unknown {
  const { diagnostics } = analyze(text, uri, {
    readFile: (u) => {
      try {
        return readFileSync(new URL(u), 'utf8');
      } catch {
        return undefined;
      }
    },
    resolveInclude: resolveIncludeUri,
  });
  return lspDiagnostics({ lines: new LineTable(text), diagnostics });
}

test('diagnostics after each edit equal the whole-file analysis of the new text', async () => {
  const path = join(process.cwd(), 'examples', 'xive-delivery.irq');
  const uri = pathToFileURL(path).toString();
  let text = readFileSync(path, 'utf8');
  const client = await LspTestClient.start();
  assert.deepStrictEqual((await client.open(uri, text)).diagnostics, expected(uri, text));
  const lines = text.split('\n');
  const edits: { line: number; character: number; remove: number; insert: string }[] = [
    { line: 3, character: 0, remove: 0, insert: 'sett source 1 = 0x0\n' },
    { line: 5, character: 0, remove: 0, insert: 'let later = undefined_name\n' },
    { line: Math.floor(lines.length / 2), character: 0, remove: 0, insert: 'device release\n' },
    { line: 3, character: 0, remove: 20, insert: '' },
    { line: 1, character: 0, remove: 0, insert: 'proc p(a) {\n' },
  ];
  let version = 1;
  for (const e of edits) {
    const at = new LineTable(text).offsetAt({ line: e.line, character: e.character });
    text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
    const published = await client.change(uri, ++version, [{ text }]);
    assert.deepStrictEqual(published.diagnostics, expected(uri, text), `after edit ${version - 1}`);
  }
  // A one-character incremental change, as an editor sends it.
  const published = await client.change(uri, ++version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
  text = 'x' + text;
  assert.deepStrictEqual(published.diagnostics, expected(uri, text));
  await client.stop();
});
