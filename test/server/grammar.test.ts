/**
 * The TextMate grammar is generated from the language's own tables; these
 * tests keep the committed file in sync and tokenize real text with the
 * engine VS Code uses, so every keyword and every layout field is highlighted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KEYWORDS } from '../../src/dsl';
import { grammarFileText, KEYWORD_SCOPES, layoutFieldNames } from '../../src/server/grammar';
import { HCALL_NAMES, RTAS_CALLS } from '../../src/model/hcalls';
import { ERRNO_NAMES, HCALL_RETURNS } from '../../src/model/result';
import { GRAMMAR_PATH, scopeOf, tokenize } from './textmate';

const innermost = (scopes: readonly string[]) => scopes[scopes.length - 1];

test('committed grammar equals the generated one (run: node --import tsx scripts/generate-grammar.mjs)', () => {
  assert.equal(readFileSync(GRAMMAR_PATH, 'utf8'), grammarFileText(KEYWORDS));
});

test('every keyword of KEYWORDS is highlighted with its kind\'s scope', async () => {
  for (const k of KEYWORDS) {
    const tokens = (await tokenize(`${k.name} `)).filter((t) => t.text.trim() !== '');
    assert.equal(tokens.length, 1, `${k.name} is one token`);
    assert.equal(tokens[0].text, k.name);
    assert.equal(innermost(tokens[0].scopes), KEYWORD_SCOPES[k.kind], `scope of keyword ${k.name}`);
  }
});

test('every layout field name is a field inside a block', async () => {
  const names = layoutFieldNames();
  assert.ok(names.includes('eisn') && names.includes('generation') && names.length >= 20);
  for (const name of names) {
    const tokens = await tokenize(`set source_config 1 = { ${name} 1, server 2 }`);
    assert.equal(scopeOf(tokens, name), 'variable.other.property.field.irq', `field ${name}`);
  }
});

test('numbers with separators, errno, hcall, return code, RTAS and arrow tokens stay whole', async () => {
  const tokens = await tokenize('hcall vcpu 0 H_INT_GET_SOURCE_INFO 0, 0x0000_0026_0000_000e -> H_P2\nrtas ibm,int-off 0b1010_0000 -> EINVAL');
  assert.equal(scopeOf(tokens, '0x0000_0026_0000_000e'), 'constant.numeric.hex.irq');
  assert.equal(scopeOf(tokens, '0b1010_0000'), 'constant.numeric.binary.irq');
  assert.equal(scopeOf(tokens, 'H_INT_GET_SOURCE_INFO'), 'support.function.hcall.irq');
  assert.equal(scopeOf(tokens, 'H_P2'), 'constant.language.hcall-return.irq');
  assert.equal(scopeOf(tokens, 'ibm,int-off'), 'support.function.rtas.irq');
  assert.equal(scopeOf(tokens, 'EINVAL'), 'constant.language.errno.irq');
  assert.equal(scopeOf(tokens, '->'), 'keyword.operator.arrow.irq');
  for (const name of [...HCALL_NAMES, ...Object.keys(RTAS_CALLS), ...ERRNO_NAMES, ...Object.keys(HCALL_RETURNS)]) {
    const t = (await tokenize(`x ${name} y`)).find((x) => x.text === name);
    assert.ok(t, `${name} is one token`);
  }
});

test('device names with hyphens win over their prefixes', async () => {
  for (const d of ['xics-on-xive', 'xics-pr', 'xics', 'xive']) {
    const tokens = await tokenize(`device ${d}`);
    assert.equal(scopeOf(tokens, d), 'support.type.device.irq', d);
  }
});

test('comments, strings with interpolation, proc and let declarations', async () => {
  const tokens = await tokenize('let uart = 0x1300 # the UART\nproc route(irq, prio) {\n  log "routed {irq} at {prio}"\n}\ncall route(uart, 6)');
  assert.equal(scopeOf(tokens, '# the UART'), 'comment.line.number-sign.irq');
  assert.equal(scopeOf(tokens, 'uart'), 'variable.other.constant.definition.irq');
  assert.equal(scopeOf(tokens, 'route'), 'entity.name.function.irq');
  assert.equal(tokens.filter((t) => t.text === 'route')[1].scopes.at(-1), 'entity.name.function.call.irq');
  assert.equal(scopeOf(tokens, 'prio'), 'variable.parameter.irq');
  const interpolated = tokens.find((t) => t.line === 2 && t.text === 'irq');
  assert.ok(interpolated?.scopes.includes('meta.interpolation.irq'), 'interpolation inside the string');
  assert.ok(interpolated?.scopes.includes('string.quoted.double.irq'));
  // A `{` that ends its line opens a body: the next line is not a field block.
  const body = tokens.find((t) => t.line === 2 && t.text === 'log');
  assert.equal(body?.scopes.at(-1), 'keyword.control.statement.irq');
});
