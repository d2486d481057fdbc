/** The extension's vscode-free helpers: typed word input, webview message validation, scenario outline. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { interruptMapHtml } from '../../src/extension/map-html';
import { parseMapMessage } from '../../src/extension/map-messages';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { outlineScenario, runScenarioInWorker } from '../../src/extension/scenario-files';
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
    { type: 'drawn', step: -1, blocked: [] }, { type: 'drawn', step: 3, blocked: [1] }, { type: 'drawn', step: 3 },
    { type: 'drawn', step: 3, blocked: ['x'.repeat(2001)] },
  ];
  assert.deepEqual(parseMapMessage({ type: 'drawn', step: 7, blocked: ['0x1300 blocked: EQ 1/6 not configured'] }), {
    type: 'drawn', step: 7, blocked: ['0x1300 blocked: EQ 1/6 not configured'],
  });
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

const WORKER = join(process.cwd(), 'out', 'src', 'extension', 'scenario-worker.js');
const SCENARIO = 'scenario "worker"\ndevice xive\nvcpu 1 connect\nset source 0x1300 = 0\nesb 0x1300 load 0x800 -> 1\nesb 0x1300 load 0x800 -> 2\n';

test('a scenario runs in a worker thread and reports every expectation', { skip: !existsSync(WORKER) && 'compile first (npm run compile)' }, async () => {
  const summary = await runScenarioInWorker(WORKER, { file: join(process.cwd(), 'worker.irq'), text: SCENARIO, maxSteps: 1000 });
  assert.ok(summary);
  assert.equal(summary.passed, 1);
  assert.equal(summary.failed, 1);
  assert.deepEqual(summary.results.map((r) => [r.line, r.ok]), [[4, true], [5, false]]);
});

test('aborting stops a runaway scenario in its worker', { skip: !existsSync(WORKER) && 'compile first (npm run compile)' }, async () => {
  const runaway = 'scenario "runaway"\ndevice xive\nvcpu 1 connect\nset source 0x1300 = 0\nrepeat 100000000 {\n  esb 0x1300 load 0x800\n}\n';
  const abort = new AbortController();
  const started = Date.now();
  setTimeout(() => abort.abort(), 200);
  const summary = await runScenarioInWorker(WORKER, { file: join(process.cwd(), 'runaway.irq'), text: runaway, maxSteps: 1_000_000_000 }, abort.signal);
  assert.equal(summary, undefined);
  assert.ok(Date.now() - started < 10_000, 'the worker was terminated, not run to its end');
});

test('the interrupt map page: strict CSP, nonce-only script, no inline code or remote content', () => {
  const html = interruptMapHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/interrupt-map.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/interrupt-map.css',
    nonce: 'bm9uY2Vub25jZQ==',
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'nonce-bm9uY2Vub25jZQ=='/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], /nonce="bm9uY2Vub25jZQ=="/);
  assert.equal(scripts[0][2].trim(), '', 'no inline script');
  assert.doesNotMatch(html, /\sstyle="|<style|\son[a-z]+="/, 'no inline style or handlers');
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  for (const url of urls) assert.ok(url.startsWith('https://file+.vscode-resource.vscode-cdn.net/'), `${url} is a local resource`);
});
