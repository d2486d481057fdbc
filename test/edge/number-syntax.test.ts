/** Every place a user types a number (CLI, debug console, hovers, Decode command) takes the language's syntax. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliNumber } from '../../src/cli/word-commands';
import { parseNumberLiteral } from '../../src/debug/format';
import { parseNumberText } from '../../src/dsl/lexer';
import { parseWordText as parseExtensionWord } from '../../src/extension/word-text';
import { parseWordText as parseServerWord } from '../../src/server/words';

const PARSERS: [string, (t: string) => bigint | null][] = [
  ['irqlab decode/encode', (t) => parseCliNumber(t) ?? null],
  ['debug console', parseNumberLiteral],
  ['hover word', parseServerWord],
  ['Decode 64-bit Word', (t) => { const r = parseExtensionWord(t); return r.ok ? r.word : null; }],
];

test('numbers the language rejects are rejected everywhere', () => {
  for (const bad of ['0x1_', '1_', '0x_1', '1__2', '0b1_', '0x', '0b', '1e1', '0x1g', '0b2', '_1', '']) {
    assert.equal(parseNumberText(bad).value, null, `lexer: ${bad}`);
    for (const [name, parse] of PARSERS) assert.equal(parse(bad), null, `${name}: '${bad}'`);
  }
});

test('numbers the language accepts are accepted everywhere, with the same value', () => {
  for (const good of ['0', '42', '0x2a', '0X2A', '0b101010', '0x0000_2600_0000_000e', '1_000', '0b1_0']) {
    const value = parseNumberText(good).value;
    assert.notEqual(value, null, good);
    for (const [name, parse] of PARSERS) assert.equal(parse(good), value, `${name}: '${good}'`);
  }
});
