/** The extension's vscode-free helpers: typed word input, webview message validation, scenario outline. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseMapMessage } from '../../src/extension/map-messages';
import { outlineScenario } from '../../src/extension/scenario-files';
import { parseWordText } from '../../src/extension/word-text';

test('parseWordText accepts hex with separators, binary and decimal up to 64 bits', () => {
  assert.deepEqual(parseWordText(' 0x0000_2601_0000_001d '), { ok: true, word: 0x00002601_0000001dn });
  assert.deepEqual(parseWordText('0b101'), { ok: true, word: 5n });
  assert.deepEqual(parseWordText('4096'), { ok: true, word: 4096n });
  assert.deepEqual(parseWordText('0xffffffffffffffff'), { ok: true, word: (1n << 64n) - 1n });
});

test('parseWordText rejects what is not a 64-bit number, saying why', () => {
  const tooWide = parseWordText('0x1_0000_0000_0000_0000');
  assert.equal(tooWide.ok, false);
  assert.match(tooWide.ok ? '' : tooWide.message, /64 bits/);
  for (const bad of ['', 'x12', '0xg', '12abc', '-1']) assert.equal(parseWordText(bad).ok, false, bad);
});

test('webview messages: well-formed ones pass, anything else is dropped', () => {
  assert.deepEqual(parseMapMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseMapMessage({ type: 'reveal-line', line: 12, extra: 'ignored' }), { type: 'reveal-line', line: 12 });
  assert.deepEqual(parseMapMessage({ type: 'reveal-variable', path: 'Event queues/server 0 prio 6' }), {
    type: 'reveal-variable',
    path: 'Event queues/server 0 prio 6',
  });
  const rejected: unknown[] = [
    null, 'ready', [], {}, { type: 'eval', code: 'x' },
    { type: 'reveal-line', line: 0 }, { type: 'reveal-line', line: 1.5 }, { type: 'reveal-line', line: '3' },
    { type: 'reveal-line', line: 1e12 }, { type: 'reveal-variable', path: 42 },
    { type: 'reveal-variable', path: '<script>' }, { type: 'reveal-variable', path: 'x'.repeat(201) },
  ];
  for (const m of rejected) assert.equal(parseMapMessage(m), undefined, JSON.stringify(m));
});

test('outlineScenario finds scenario lines and expectations, inside proc and repeat bodies too', () => {
  const text = [
    'scenario "outline"',
    'device xive',
    'proc cfg(irq) {',
    '  set source_config irq = 0 -> EINVAL',
    '}',
    'repeat 2 {',
    '  get source_config 0x1300 -> 0',
    '}',
    '# comment -> not an expectation',
  ].join('\n');
  const outline = outlineScenario(text, 'outline.irq');
  assert.equal(outline.title, 'outline');
  assert.deepEqual(outline.scenarioLines, [0]);
  assert.deepEqual(outline.expectations.map((e) => e.line), [3, 6]);
  assert.equal(outline.expectations[0].label, 'set source_config irq = 0 -> EINVAL');
});
