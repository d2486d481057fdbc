/**
 * The incremental analyzer must publish exactly what `analyze` reports for
 * the same text, whatever the edit history: on every example and fixture, on
 * hand-picked edits that move state across slices (lets, procs, devices,
 * connects, Allman braces, unclosed brackets, includes), and on random edit
 * sequences.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, CheckOptions, createIncrementalAnalyzer, sliceStarts } from '../../src/dsl';
import { applyEdit, corpus, edit, editSteps, generated, URI } from './front-end-corpus';

const TEXTS = corpus();

function same(actual: unknown, text: string, options: CheckOptions = {}, what = ''): void {
  assert.deepStrictEqual(actual, analyze(text, URI, options).diagnostics, `diagnostics differ from analyze ${what}\n--- text ---\n${text}`);
}

describe('incremental analyzer', () => {
  test('slices start at line starts and cover the text', () => {
    for (const { text } of TEXTS) {
      const starts = sliceStarts(text);
      assert.equal(starts[0], 0);
      assert.equal(starts[starts.length - 1], text.length);
      for (let i = 1; i < starts.length - 1; i++) assert.equal(text[starts[i] - 1], '\n');
    }
  });

  test('a long file is cut into many slices', () => {
    const text = generated(2000);
    assert.ok(sliceStarts(text).length > 50);
  });

  test('equals analyze on every example and fixture, fresh and after the previous file', () => {
    assert.ok(TEXTS.length >= 10, 'the corpus was found');
    const shared = createIncrementalAnalyzer(URI);
    for (const { name, text } of TEXTS) {
      same(createIncrementalAnalyzer(URI).update(text), text, {}, name);
      same(shared.update(text), text, {}, `${name} (after another file)`);
    }
  });

  test('equals analyze after edits that change what later slices see', () => {
    const base = generated(600);
    const a = createIncrementalAnalyzer(URI);
    same(a.update(base), base);
    const lines = base.split('\n');
    const at = (n: number) => lines.slice(0, n).join('\n').length + (n > 0 ? 1 : 0);
    const edits: string[] = [
      edit(base, at(1), at(2), 'let uart = 0x13xx\n'), // the let no longer folds: every use changes
      edit(base, at(1), at(2), ''), // the let is gone: undefined names everywhere
      edit(base, at(300), at(300), 'let uart = 1\n'), // a duplicate let quoting line numbers
      edit(base, at(2), at(3), 'device xics\n'), // words decode differently further down
      edit(base, at(3), at(4), ''), // no connect: vcpu-not-connected warnings
      edit(base, at(4), at(4), 'proc route(a) {\n}\n'), // a duplicate proc, and every call's arity
      edit(base, at(200), at(200), 'set source 0x1300 = {\n'), // an unclosed block
      edit(base, at(200), at(200), 'proc late(x)\n'), // an Allman header: the next line's `{` belongs to it
      edit(base, at(200), at(200), 'proc late(x)\n\n# body follows\n{\n  log "in {x}"\n}\n'),
      edit(base, at(250), at(250), '"unterminated { string\n'),
      edit(base, at(250), at(250), '}\n'),
      edit(base, at(250), at(250), 'device release\n'),
      // Same line count: only the running state between slices changes.
      edit(base, at(3), at(4), '# vcpu 1 is not connected\n'),
      edit(base, at(300), at(301), 'device release\n'),
      edit(base, at(300), at(301), 'vcpu 2 connect\n'),
      edit(base, at(300), at(301), 'device xics\n'),
      edit(base, at(300), at(301), 'call nowhere(uart)\n'),
      // What a proc's body does is replayed at its calls: editing the body changes diagnostics far away.
      edit(base, at(6), at(6), '  vcpu 9 connect\n  tima vcpu 7 load16 0x810\n'),
      edit(base, at(6), at(7), '  device release\n'),
      edit(base, at(100), at(100), '\n'),
      edit(base, at(100), at(101), ''),
    ];
    for (const [i, text] of edits.entries()) {
      same(a.update(text), text, {}, `edit ${i}`);
      same(a.update(base), base, {}, `undo of edit ${i}`);
    }
  });

  test('includes are re-read on every update', () => {
    const files = new Map<string, string>([['file:///work/lib.irq', 'let base = 0x1300\nproc helper(x) {\n}\n']]);
    const options: CheckOptions = { readFile: (uri) => files.get(uri), resolveInclude: (from, path) => new URL(path, from).toString() };
    const text = 'device xive\nvcpu 0 connect\ninclude "lib.irq"\n' + 'call helper(base)\nset source base = 0x0\n'.repeat(40) + 'call other(1)\n';
    const a = createIncrementalAnalyzer(URI, options);
    same(a.update(text), text, options);
    files.set('file:///work/lib.irq', 'proc other(x) {\n}\n');
    same(a.update(text), text, options, 'after the included file changed');
    files.delete('file:///work/lib.irq');
    same(a.update(text), text, options, 'after the included file disappeared');
  });

  test('equals analyze along random edit sequences', () => {
    const pieces = ['\n', '{', '}', '[', ']', '(', ')', '"', '#', ' ', 'let ', 'proc p(a) {\n', 'call p(1)\n', 'device xics\n', 'device release\n',
      'vcpu 3 connect\n', 'x', '0x1300', '-> EINVAL', 'repeat 3 {\n', 'include "lib.irq"\n', 'set source 0x1300 = { priority 7 }\n',
      '\r\n', '\ufeff', '\\', 'proc q()', 'let y = 1\n', '->', 'repeat 2 as i\n{\n'];
    const seeds = [...TEXTS.map((t) => t.text), generated(300)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        editSteps(pieces, 8),
        (seed, steps) => {
          let text = seeds[seed];
          const a = createIncrementalAnalyzer(URI);
          same(a.update(text), text);
          for (const step of steps) {
            text = applyEdit(text, step);
            same(a.update(text), text);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
