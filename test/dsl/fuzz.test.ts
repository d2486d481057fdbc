/**
 * Fuzzing the front end: thousands of random mutations of the fixtures and
 * examples (deleted, duplicated and inserted text, random bytes, huge
 * numbers, deep nesting) through parse, check, word sites and format. They
 * must never throw and must finish; formatting must stay idempotent.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProgramText } from '../../src/dsl/format';
import { analyze, parse, wordSites, findDefinition, statementAt, wordSiteAt } from '../../src/dsl';
import { diagnoseInBatches } from '../../src/dsl/diagnose';

function corpus(): string[] {
  const dirs = [join(process.cwd(), 'test/dsl/fixtures/parser'), join(process.cwd(), 'examples')];
  const out: string[] = [];
  for (const d of dirs) {
    try {
      for (const f of readdirSync(d)) if (f.endsWith('.irq')) out.push(readFileSync(join(d, f), 'utf8'));
    } catch {
      // A missing directory just contributes nothing.
    }
  }
  return out;
}

const TEXTS = corpus();
const LANGUAGE_CHARS = '{}[](),.=-><!~&|^+*/%#"\\ \t\n\r_0123456789xabcdefHE';

const insertion = fc.oneof(
  fc.string({ unit: fc.constantFrom(...LANGUAGE_CHARS.split('')), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer({ min: 20, max: 400 }).map((n) => '9'.repeat(n)),
  fc.integer({ min: 20, max: 400 }).map((n) => '0x' + 'f_'.repeat(n) + 'f'),
  fc.integer({ min: 1, max: 3000 }).map((n) => '{'.repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => '('.repeat(n)),
  fc.constantFrom('repeat 3 {\n', 'proc p(a) {\n', '}\n', '-> ', '"', '{x}', '->[', 'include "x.irq"\n', 'let a = a\n', 'call p(1)\n'),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertion }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'delete': { const at = n ? m.at % n : 0; return text.slice(0, at) + text.slice(at + m.len); }
    case 'duplicate': { const at = n ? m.at % n : 0; return text.slice(0, at + m.len) + text.slice(at, at + m.len) + text.slice(at + m.len); }
    case 'insert': { const at = n ? m.at % (n + 1) : 0; return text.slice(0, at) + m.text + text.slice(at); }
    case 'swap-lines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

/** The tree without positions (formatting may only move things). */
function shape(text: string): string {
  return JSON.stringify(parse(text).statements, (key, v: unknown) => {
    if (key === 'span' || key.endsWith('Span')) return undefined;
    return typeof v === 'bigint' ? v.toString() : v;
  });
}

/** Everything the editor and the CLI do with a text. */
function exercise(text: string, checkShape = false): void {
  const options = { readFile: (u: string) => (u.endsWith('x.irq') ? text : undefined) };
  const { program, diagnostics } = analyze(text, 'file:///f/x.irq', options);
  // `irqlab check`'s batched path (without its fallback) says exactly the same, in its own batches and in tiny ones.
  assert.deepStrictEqual(diagnoseInBatches(text, 'file:///f/x.irq', options), diagnostics);
  assert.deepStrictEqual(diagnoseInBatches(text, 'file:///f/x.irq', options, 3), diagnostics);
  for (const d of diagnostics) {
    assert.notEqual(d.code, 'internal-error', d.message);
    assert.ok(d.span.start >= 0 && d.span.end >= d.span.start && d.span.end <= text.length, `span in range: ${d.code}`);
    assert.ok(d.message.length > 0);
  }
  wordSites(program);
  for (const o of [0, text.length >> 1, text.length]) {
    statementAt(program, o);
    wordSiteAt(program, o);
    findDefinition(program, o);
  }
  const once = formatProgramText(text);
  assert.equal(formatProgramText(once), once, 'format is idempotent');
  if (checkShape) assert.equal(shape(once), shape(text), 'format changes only whitespace');
}

describe('fuzz: random mutations of fixtures and examples', () => {
  test('parse, check (whole and batched), word sites and format never throw (3000 mutated files)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), (pick, ms) => {
        let text = TEXTS[pick % TEXTS.length];
        for (const m of ms) text = apply(text, m);
        exercise(text, true);
      }),
      { numRuns: 3000, seed: 0x1a0, endOnFailure: true },
    );
  });

  test('random bytes never throw', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => exercise(s)), { numRuns: 1000, seed: 7 });
  });

  test('huge inputs finish: 10,000 braces, a 1 MB line, 10,000 parentheses, 20,000 unknown names, 100,000 random bytes', () => {
    exercise('{'.repeat(10000) + '\n' + '}'.repeat(10000) + '\n');
    exercise('repeat 1 {\n'.repeat(10000));
    exercise('set source 1 = ' + '1 + '.repeat(250_000) + '1\n');
    exercise('log "' + 'x'.repeat(1 << 20) + '"\nlet a = ' + '9'.repeat(100_000) + '\n');
    exercise('let x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + '\n');
    // Thousands of near-miss names: "did you mean" must not turn quadratic.
    const lets = Array.from({ length: 20000 }, (_, i) => `let name_${i} = ${i}`).join('\n');
    exercise(lets + '\ndevice xive\n' + Array.from({ length: 20000 }, (_, i) => `line nmae_${i} pulse`).join('\n'));
    exercise(Array.from({ length: 5000 }, (_, i) => `proc p${i}(a) {\n}\ncall q${i}(1)`).join('\n'));
    let seed = 12345;
    let bytes = '';
    for (let i = 0; i < 100_000; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; bytes += String.fromCharCode(seed % 256); }
    exercise(bytes);
  });
});
