/**
 * The fast paths of the lexer's token storage: records carved from a shared
 * slab for small buffers, regrowth when a text is denser than the initial
 * capacity, and the character-class table's edge cases.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lexBuffer, Token, TokenBuffer } from '../../src/dsl/lexer';

function summary(buffer: TokenBuffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const t: Token = buffer.at(i);
    out.push(`${t.kind} ${JSON.stringify(t.text)} ${t.start}-${t.end} ${t.line}:${t.col}`);
  }
  return out;
}

describe('lexer token storage', () => {
  test('small buffers sharing a slab keep their own tokens', () => {
    const texts = Array.from({ length: 400 }, (_, i) => `let v${i} = ${i} + 0x${i.toString(16)}\nset source ${i} = { a ${i} }\n`);
    const buffers = texts.map((t) => lexBuffer(t).buffer);
    texts.forEach((t, i) => assert.deepEqual(summary(buffers[i]), summary(lexBuffer(t).buffer), `text ${i}`));
    assert.equal(buffers[7].textOf(1), 'v7');
    assert.equal(buffers[7].at(3).value, 7n);
  });

  test('a text denser than the initial capacity regrows without losing tokens', () => {
    for (const n of [10, 100, 5000, 50000]) {
      const { buffer, lineStarts } = lexBuffer('(,\n'.repeat(n));
      assert.equal(buffer.length, 3 * n + 1);
      assert.equal(lineStarts.length, n + 1);
      assert.equal(buffer.opAt(3 * n - 2), ',');
      assert.deepEqual(buffer.spanAt(3 * n - 1), { start: 3 * n - 1, end: 3 * n, line: n - 1, col: 2 });
      assert.equal(buffer.kindOf(3 * n), 'eof');
    }
  });

  test('a released large buffer lends its memory to the next large lex, which sees only its own tokens', () => {
    const first = 'set source 0x1300 = { priority 6, server 1 } # a comment\n'.repeat(2000);
    const second = 'esb 7 load 0xc00 -> 1\n'.repeat(900);
    const fresh = summary(lexBuffer(second).buffer);
    const used = lexBuffer(first).buffer;
    used.release();
    assert.equal(used.length, 0);
    const reused = lexBuffer(second).buffer;
    assert.deepEqual(summary(reused), fresh);
    assert.equal(reused.kindOf(reused.length - 1), 'eof');
    // A buffer still in use is never handed out twice.
    const other = lexBuffer(second).buffer;
    assert.deepEqual(summary(other), fresh);
    assert.deepEqual(summary(reused), fresh);
  });

  test('names get their shared text whether or not the word trie holds them (too long, or the trie full)', () => {
    const long = 'n'.repeat(49);
    // Enough distinct names to fill the module-wide trie: later names take the path without a word id.
    const text = Array.from({ length: 30000 }, (_, i) => `w${i.toString(36)}x ${long} set`).join('\n');
    const { buffer } = lexBuffer(text);
    const lines = text.split('\n');
    for (let l = 0; l < lines.length; l += 997) {
      const [a, b, c] = lines[l].split(' ');
      const i = l * 4;
      assert.deepEqual([buffer.nameOf(i), buffer.nameOf(i + 1), buffer.nameOf(i + 2)], [a, b, c], `line ${l}`);
      assert.deepEqual([buffer.textOf(i), buffer.at(i + 1).text, buffer.endOf(i + 1) - buffer.spanAt(i + 1).start], [a, long, 49]);
      assert.ok(buffer.textIs(i + 2, 'set') && !buffer.textIs(i + 2, 'se'));
    }
    // A name seen before keeps its id: the same string, the same span.
    const again = lexBuffer('set w0x').buffer;
    assert.deepEqual([again.nameOf(0), again.spanAt(1)], ['set', { start: 4, end: 7, line: 0, col: 4 }]);
  });

  test('character classes: BOM and CR are blanks, surrogate pairs are one bad token, two-char operators', () => {
    const { buffer, comments } = lexBuffer('\ufeffa\r\n"x\r\n\ud83d\ude00 \ud800 -> <= < # c\r\n1_0 0b1');
    assert.deepEqual(summary(buffer), [
      'name "a" 1-2 0:1', 'newline "\\n" 3-4 0:3', 'string "\\"x" 4-6 1:0', 'newline "\\n" 7-8 1:3',
      // A lone high surrogate takes the next unit with it, as any high surrogate does.
      'bad "😀" 8-10 2:0', 'bad "\\ud800 " 11-13 2:3', 'op "->" 13-15 2:5', 'op "<=" 16-18 2:8', 'op "<" 19-20 2:11',
      'newline "\\n" 25-26 2:17', 'number "1_0" 26-29 3:0', 'number "0b1" 30-33 3:4', 'eof "" 33-33 3:7',
    ]);
    assert.deepEqual(comments, [{ text: '# c', span: { start: 21, end: 24, line: 2, col: 13 } }]);
  });
});
