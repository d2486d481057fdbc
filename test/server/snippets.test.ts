/** Every snippet, expanded with its default placeholders, is a scenario that parses and checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/dsl';

interface Snippet { prefix: string | string[]; body: string[]; description: string }
const snippets: Record<string, Snippet> = JSON.parse(readFileSync(path.join(process.cwd(), 'snippets', 'irq.json'), 'utf8'));

/** Expands `${1:default}`, `${1|a,b|}`, `$1` (to the earlier default of 1) and `$0` like an accepted snippet. */
export function expandSnippet(body: readonly string[]): string {
  const defaults = new Map<string, string>();
  const text = body.join('\n');
  const expand = (s: string): string =>
    s
      .replace(/\$\{(\d+):((?:[^{}\\]|\\.|\{[^{}]*\})*)\}/g, (_m, n: string, d: string) => {
        const v = expand(d).replace(/\\(.)/g, '$1');
        defaults.set(n, v);
        return v;
      })
      .replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_m, n: string, choices: string) => {
        const v = choices.split(',')[0];
        defaults.set(n, v);
        return v;
      })
      .replace(/\$\{?(\d+)\}?/g, (_m, n: string) => defaults.get(n) ?? '');
  return expand(text);
}

const SETUP: Record<string, string> = {
  xive: 'device xive\nvcpu 1 connect\nset eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }\n',
  xics: 'device xics\nvcpu 0 connect\n',
};

test('snippets cover the common sequences', () => {
  const prefixes = Object.values(snippets).flatMap((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
  for (const p of ['scenario', 'source-xive', 'source-xics', 'eq-config', 'trigger-xive', 'trigger-xics', 'migration-restore', 'proc', 'repeat']) {
    assert.ok(prefixes.includes(p), `snippet ${p}`);
  }
  assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
});

test('each expanded snippet parses and checks without errors', () => {
  for (const [name, s] of Object.entries(snippets)) {
    const body = expandSnippet(s.body);
    const setup = /xics|XICS/.test(name) ? SETUP.xics : name.startsWith('Scenario') ? '' : SETUP.xive;
    const text = `${setup}${body}\n`;
    const { diagnostics } = analyze(text, 'file:///snippet.irq');
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `${name}:\n${text}`);
  }
});
