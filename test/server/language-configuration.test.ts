/** language-configuration.json: comments, brackets, folding markers and the word pattern. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const config = JSON.parse(readFileSync(path.join(process.cwd(), 'language-configuration.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));

function wordsOf(line: string): string[] {
  return [...line.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
}

test('the word pattern keeps words, hex words with separators, RTAS and hcall names whole', () => {
  assert.deepEqual(
    wordsOf('set source_config uart = 0x0000_0026_0000_000e -> EBUSY'),
    ['set', 'source_config', 'uart', '0x0000_0026_0000_000e', 'EBUSY'],
  );
  assert.deepEqual(wordsOf('rtas ibm,int-off 0x1000'), ['rtas', 'ibm,int-off', '0x1000']);
  assert.deepEqual(wordsOf('hcall vcpu 1 H_INT_GET_SOURCE_INFO 0, uart'), ['hcall', 'vcpu', '1', 'H_INT_GET_SOURCE_INFO', '0', 'uart']);
  assert.deepEqual(wordsOf('device xics-on-xive'), ['device', 'xics-on-xive']);
  // An arithmetic minus still separates names.
  assert.deepEqual(wordsOf('let b = a-1'), ['let', 'b', 'a', '1']);
});

test('line comments, brackets, auto-closing pairs and folding markers', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  assert.ok(config.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
  const start = new RegExp(config.folding.markers.start);
  const end = new RegExp(config.folding.markers.end);
  assert.ok(start.test('proc route(irq) {   # body'));
  assert.ok(start.test('repeat 10 {'));
  assert.ok(!start.test('set source_config 1 = { priority 6 }'));
  assert.ok(end.test('  }'));
});

test('package.json contributes the irq language, its grammar and snippets', () => {
  const lang = manifest.contributes.languages.find((l: { id: string }) => l.id === 'irq');
  assert.deepEqual(lang.extensions, ['.irq']);
  assert.equal(lang.configuration, './language-configuration.json');
  const grammar = manifest.contributes.grammars.find((g: { language: string }) => g.language === 'irq');
  assert.equal(grammar.scopeName, 'source.irq');
  assert.equal(JSON.parse(readFileSync(path.join(process.cwd(), grammar.path), 'utf8')).scopeName, 'source.irq');
  const snippets = manifest.contributes.snippets.find((s: { language: string }) => s.language === 'irq');
  assert.ok(readFileSync(path.join(process.cwd(), snippets.path), 'utf8').length > 0);
});
