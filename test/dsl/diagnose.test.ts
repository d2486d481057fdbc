/**
 * `diagnose` reads a file in batches and drops each batch's tree: it must
 * report exactly what `analyze` reports. Cases that stress the batching: facts
 * the checker needs that only appear late in the file (a let, a proc, the
 * device, a connect, a broken declaration), states that cross batches
 * (devices, connects, includes, the "did you mean" budget), and random edits.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, CheckOptions, diagnose } from '../../src/dsl';
import { diagnoseInBatches } from '../../src/dsl/diagnose';
import { applyEdit, corpus, editSteps, generated, URI } from './front-end-corpus';

const TEXTS = corpus();

function same(text: string, options: CheckOptions = {}, what = ''): void {
  const expected = analyze(text, URI, options).diagnostics;
  // The batched path itself, so that a bug in it cannot hide behind diagnose's whole-file fallback; in tiny batches too.
  for (const batch of [undefined, 3]) {
    assert.deepStrictEqual(diagnoseInBatches(text, URI, options, batch), expected, `diagnose (batches of ${batch ?? 'default'}) differs from analyze ${what}\n--- text ---\n${text.slice(0, 2000)}`);
  }
  // Read in small windows (each lexed and parsed on its own, spans shifted): a window ends at every safe line end, or every few.
  for (const windowChars of [1, 50, 700]) {
    assert.deepStrictEqual(diagnoseInBatches(text, URI, options, 3, windowChars), expected, `diagnose (windows of ${windowChars}) differs from analyze ${what}\n--- text ---\n${text.slice(0, 2000)}`);
  }
  assert.deepStrictEqual(diagnose(text, URI, options), expected);
}

/** More top-level statements than one batch holds (256), so the file is read in several. */
function manyStatements(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`set source 0x${(0x1000 + i).toString(16)} = 0x0`, `esb 0x${(0x1000 + i).toString(16)} load 0xc00 -> 1`);
  return out.join('\n') + '\n';
}

describe('diagnose', () => {
  test('equals analyze on every example and fixture', () => {
    assert.ok(TEXTS.length >= 10, 'the corpus was found');
    for (const { name, text } of TEXTS) same(text, {}, name);
  });

  test('equals analyze when the facts the checker needs come late in the file', () => {
    const body = manyStatements(700);
    const cases: [string, string][] = [
      ['a let after its uses', 'device xive\nvcpu 0 connect\nset source late = 0x0\n' + body + 'let late = 0x1300\n'],
      ['a let redefined late', 'let x = 1\ndevice xive\nset source x = 0x0\n' + body + 'let x = 0x2000\n'],
      ['a proc after its calls', 'device xive\ncall route(1, 2)\n' + body + 'proc route(a) {\n}\n'],
      ['the device last', body + 'device xive\n'],
      ['no device at all', body],
      ['a connect last', 'device xive\ntima vcpu 3 load16 0x810\n' + body + 'vcpu 3 connect\n'],
      ['a broken let late', 'device xive\nset source y = 0x0\n' + body + 'let y = = 3\n'],
      ['an unknown name far from its near miss', 'device xive\nlet uart = 1\n' + body + 'set source uartt = 0x0\n'],
      ['a device switch mid-file', 'device xive\n' + body + 'device xics\n' + body + 'set source 0x1000 = { priority 5, server 0 }\n'],
      ['an unclosed block across batches', 'device xive\nproc p(a) {\n' + body],
      ['a generated file with lets throughout', generated(3000)],
      ['a proc that creates the device, defined after its call', 'call setup()\n' + body + 'proc setup() {\n  device xive\n  vcpu 0 connect\n}\n'],
      ['a proc redefined late, reached through another proc',
        'device xive\nvcpu 0 connect\nproc p(x) {\n  log "p"\n}\nproc r() {\n  call p(3)\n}\n' + body + 'call r()\n' + body + 'proc p(x) {\n  device release\n}\n' + body],
      ['a let redefined late, read by a log interpolation and a priority',
        'device xive\nlet a = 6\nlog "{a}"\nset source_config 0x1300 = { priority a, server 0 }\n' + body + 'let a = 7\n'],
      ['a proc redefined late (calls run the last definition)', 'device xive\nproc p(v) {\n  tima vcpu v load16 0x810\n}\ncall p(4)\n' + body + 'proc p(v) {\n  vcpu v connect\n}\n'],
    ];
    for (const [what, text] of cases) same(text, {}, what);
  });

  test('equals analyze with includes that define names and connect vCPUs', () => {
    const files = new Map<string, string>([['file:///work/lib.irq', 'let base = 0x1300\nvcpu 7 connect\nproc helper(x) {\n}\n']]);
    const options: CheckOptions = { readFile: (uri) => files.get(uri), resolveInclude: (from, path) => new URL(path, from).toString() };
    const text = 'device xive\ncall helper(base)\n' + manyStatements(300) + 'include "lib.irq"\ntima vcpu 7 load16 0x810\ncall helper(base)\ncall missing(1)\n';
    same(text, options);
    files.set('file:///work/lib.irq', 'let base = = 1\n');
    same(text, options, 'with a broken included file');
    files.delete('file:///work/lib.irq');
    same(text, options, 'with the included file missing');
  });

  test('equals analyze on random edits of long files', () => {
    const pieces = ['\n', '{', '}', '[', ']', '(', ')', '"', '#', 'let z = 4\n', 'proc p(a) {\n', 'call p(1)\n', 'device xics\n', 'device release\n',
      'vcpu 3 connect\n', 'x', '-> EINVAL', 'repeat 3 {\n', 'set source 0x1300 = { priority 7 }\n', 'let uart = = 2\n', '\r\n'];
    const seeds = [generated(900), ...TEXTS.map((t) => t.text.repeat(4))];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        editSteps(pieces, 6),
        (seed, steps) => {
          let text = seeds[seed];
          for (const step of steps) text = applyEdit(text, step);
          same(text);
        },
      ),
      { numRuns: 60 },
    );
  });
});
