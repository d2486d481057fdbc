/**
 * textWindows cuts a text into windows of whole statements: the windows make the text again, each
 * starts at the offset and line it says, and where they end depends on the text only (not on the
 * pieces it arrives in, down to one character at a time: strings, escapes and comments across
 * piece ends), so a second pass, which cuts where the first did, reads the same windows. Cut from
 * the tokens (the checker's first pass), they are the same windows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexBuffer } from '../../src/dsl/lexer';
import { lexedWindows, ScenarioSource, TextWindow, textSource, textWindows } from '../../src/dsl/text-windows';
import { corpus, generated } from './front-end-corpus';

function inPieces(text: string, size: number): ScenarioSource {
  return {
    *pieces() {
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    },
  };
}

function windowsOf(source: ScenarioSource, windowChars: number): TextWindow[] {
  return [...textWindows(source, windowChars)];
}

const TEXTS = [
  ...corpus().map((c) => c.text),
  generated(400),
  'log "a \\" # not a comment { " { \nlet x = 1\n}\n\n# c {\nproc p() {\n  log "\\\n"\n}\n\n\n{\nset source 0 = 0\r\n"unterminated {\nx\n',
  'device xive\n# only comments after\n#\n\n',
  '',
];

test('the windows make the text, at their offsets and lines, and end at a line end', () => {
  for (const text of TEXTS) {
    for (const windowChars of [1, 37, 500, 1 << 20]) {
      const windows = windowsOf(textSource(text), windowChars);
      assert.equal(windows.map((w) => w.text).join(''), text);
      let start = 0;
      let line = 0;
      windows.forEach((w, i) => {
        assert.equal(w.index, i);
        assert.equal(w.start, start);
        assert.equal(w.line, line);
        if (i < windows.length - 1) {
          assert.ok(w.text.endsWith('\n') && w.text.length >= windowChars, JSON.stringify(w.text.slice(-40)));
        }
        start += w.text.length;
        line += w.text.split('\n').length - 1;
      });
    }
  }
});

test('the cuts depend on the text only, whatever the pieces, and a second pass reads the same windows', () => {
  for (const text of TEXTS) {
    for (const windowChars of [1, 37, 500]) {
      const expected = windowsOf(textSource(text), windowChars);
      for (const size of [1, 2, 7, 64, 4096]) {
        const source = inPieces(text, size);
        assert.deepEqual(windowsOf(source, windowChars), expected, `pieces of ${size}, windows of ${windowChars}`);
        assert.deepEqual(windowsOf(source, windowChars), expected, `second pass, pieces of ${size}, windows of ${windowChars}`);
      }
    }
  }
});

test('a window does not end inside brackets, a string, or before an Allman-style brace', () => {
  const text = 'let a = (1 +\n2)\nrepeat 2 {\n  log "x"\n}\nproc p()\n{\n  log "}{"\n}\nset source 0 = [\n1]\nlog "done"\n';
  const cuts = windowsOf(textSource(text), 1).map((w) => w.start);
  const lineStarts = cuts.map((c) => text.slice(c).split('\n')[0]);
  assert.deepEqual(lineStarts, ['let a = (1 +', 'repeat 2 {', 'proc p()', 'set source 0 = [', 'log "done"']);
});

test('cut from the tokens, the windows are those the scan cuts, each with the tokens of its text alone', () => {
  for (const text of TEXTS) {
    for (const windowChars of [1, 37, 500, 1 << 20]) {
      const expected = windowsOf(textSource(text), windowChars);
      for (const size of [3, 64, 1 << 20]) {
        const source = inPieces(text, size);
        const lexed = [...lexedWindows(source, windowChars)];
        assert.deepEqual(lexed.map((l) => l.window), expected, `pieces of ${size}, windows of ${windowChars}`);
        for (const { window, tokens } of lexed) {
          assert.deepEqual(tokens.toArray(), lexBuffer(window.text, false).buffer.toArray(), JSON.stringify(window.text.slice(0, 80)));
          assert.deepEqual(tokens.lineStarts, lexBuffer(window.text, false).lineStarts);
        }
        // A second pass cuts where the first did.
        assert.deepEqual([...lexedWindows(source, windowChars)].map((l) => l.window), expected);
      }
    }
  }
});
