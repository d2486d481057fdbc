// The parser's speed-ups must not show in its output: names (shared strings from the lexer's word ids) and
// number literals read through its small cache (slots shared by many different literals) keep their own text,
// value and span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../src/dsl';
import { lex, parseNumberText } from '../../src/dsl/lexer';

test('names and numbers that share cache slots keep their own text, value and span', () => {
  const names: string[] = [];
  const numbers: string[] = [];
  for (let i = 0; i < 3000; i++) {
    // Same first and last characters and few lengths: many names land in the same slot.
    names.push(`v${((i * 7919) % 10007).toString(36)}x`);
    numbers.push(i % 3 === 0 ? `${1000 + i}` : i % 3 === 1 ? `0x${(i * 37).toString(16)}` : `0b${i.toString(2)}_1`);
  }
  // Each text twice, far apart and close together, so cached copies are both hit and evicted.
  const order = [...names.keys(), ...names.keys()].map((i, k) => (k % 2 === 0 ? i : (i * 13) % names.length));
  const lines = order.map((i) => `let ${names[i]} = ${numbers[i]} + ${names[(i + 1) % names.length]}`);
  const text = lines.join('\r\n') + '\n';
  const program = parse(text);
  assert.equal(program.diagnostics.length, 0);
  assert.equal(program.statements.length, order.length);
  program.statements.forEach((s, k) => {
    const i = order[k];
    assert.ok(s.kind === 'let');
    assert.equal(s.name.name, names[i]);
    assert.equal(text.slice(s.name.span.start, s.name.span.end), names[i]);
    assert.ok(s.value.kind === 'binary' && s.value.left.kind === 'number' && s.value.right.kind === 'name');
    assert.equal(s.value.left.text, numbers[i]);
    assert.equal(s.value.left.value, parseNumberText(numbers[i]).value);
    assert.equal(s.value.right.name, names[(i + 1) % names.length]);
  });
  // The same answers as the token objects the lexer builds.
  const tokens = lex(text).tokens.filter((t) => t.kind === 'number');
  assert.deepEqual(
    program.statements.map((s) => (s.kind === 'let' && s.value.kind === 'binary' && s.value.left.kind === 'number' ? s.value.left.value : null)),
    tokens.map((t) => t.value),
  );
});

test('decimal literals matched by value in the number cache keep their own spelling', () => {
  // Values 256 apart share a slot; a leading zero or a tenth digit must not be taken for the plain value.
  const literals: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = ((i >> 2) * 256 + ((i >> 2) % 5)) % 70000; // four spellings of each value
    literals.push(i % 4 === 0 ? `0${v}` : i % 4 === 1 ? `${1_000_000_000 + v}` : i % 4 === 2 ? `${v}_0` : `${v}`);
  }
  const order = [...literals.keys(), ...literals.keys()].map((i, k) => (k % 2 === 0 ? i : (i * 7) % literals.length));
  const text = order.map((i) => `let a = ${literals[i]} + ${literals[(i * 3) % literals.length]}`).join('\n') + '\n';
  const program = parse(text);
  assert.equal(program.diagnostics.length, 0);
  program.statements.forEach((s, k) => {
    const i = order[k];
    assert.ok(s.kind === 'let' && s.value.kind === 'binary' && s.value.left.kind === 'number' && s.value.right.kind === 'number');
    assert.deepEqual([s.value.left.text, s.value.left.value], [literals[i], parseNumberText(literals[i]).value]);
    const j = (i * 3) % literals.length;
    assert.deepEqual([s.value.right.text, s.value.right.value], [literals[j], parseNumberText(literals[j]).value]);
    assert.equal(text.slice(s.value.left.span.start, s.value.left.span.end), literals[i]);
  });
});
