import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatText, parse, parseExpression, Stmt, Program } from '../../src/dsl';
import fc from 'fast-check';
import { lex, parseNumberText } from '../../src/dsl/lexer';
import { serializeProgram, spanText } from './parser-serialize';

const FIXTURES = join(process.cwd(), 'test/dsl/fixtures/parser');
const GOLDEN = join(process.cwd(), 'test/dsl/golden/parser');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.irq')).sort();

function read(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function only<K extends Stmt['kind']>(p: Program, kind: K): Extract<Stmt, { kind: K }>[] {
  return p.statements.filter((s): s is Extract<Stmt, { kind: K }> => s.kind === kind);
}

describe('parser golden files (UPDATE_GOLDEN=1 regenerates)', () => {
  for (const f of fixtures) {
    test(f, () => {
      const actual = serializeProgram(parse(read(f), f));
      const golden = join(GOLDEN, f.replace(/\.irq$/, '.txt'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, actual);
        if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden file ${golden} was missing; written now, check it in`);
        return;
      }
      assert.equal(actual, readFileSync(golden, 'utf8'));
    });
  }
});

describe('the core forms of scenario-language.md', () => {
  for (const f of ['spec-core-xive.irq', 'spec-core-xics.irq', 'spec-core-structure.irq', 'extensions.irq', 'numbers-and-comments.irq']) {
    test(`${f} parses without a diagnostic`, () => {
      const p = parse(read(f), f);
      assert.deepEqual(p.diagnostics, []);
      assert.ok(p.statements.every((s) => s.kind !== 'error'));
    });
  }

  test('every statement kind of the AST appears in the fixtures', () => {
    const kinds = new Set<string>();
    const visit = (ss: readonly Stmt[]): void => {
      for (const s of ss) {
        kinds.add(s.kind);
        if (s.kind === 'proc' || s.kind === 'repeat') visit(s.body);
      }
    };
    for (const f of fixtures) visit(parse(read(f)).statements);
    for (const k of ['scenario', 'let', 'device', 'ctrl', 'vcpu', 'set', 'get', 'set-eq', 'get-eq', 'set-reg', 'get-reg', 'sync', 'esb',
      'tima', 'eq', 'hcall', 'line', 'rtas', 'attr', 'proc', 'call', 'repeat', 'log', 'include', 'error']) {
      assert.ok(kinds.has(k), `no fixture has a '${k}' statement`);
    }
  });

  test('expectations of every kind', () => {
    const p = parse(read('extensions.irq'));
    const kinds = new Set<string>();
    const visit = (ss: readonly Stmt[]): void => {
      for (const s of ss) {
        if (s.expect) kinds.add(s.expect.kind);
        if (s.kind === 'proc' || s.kind === 'repeat') visit(s.body);
      }
    };
    visit(p.statements);
    assert.deepEqual([...kinds].sort(), ['entries', 'errno', 'fields', 'hret', 'ok', 'value']);
    const sigbus = p.statements.find((s) => s.expect?.kind === 'errno' && s.expect.name.name === 'SIGBUS');
    assert.ok(sigbus);
  });
});

describe('statements in detail', () => {
  test('spans are exact: keyword, operands and the whole line', () => {
    const text = 'let uart = 0x1300\n  set source_config uart = { priority 6, server 1 } -> EBUSY  # c\n';
    const p = parse(text);
    const set = p.statements[1];
    assert.equal(set.kind, 'set');
    if (set.kind !== 'set') return;
    assert.deepEqual(set.keyword.span, { start: 20, end: 23, line: 1, col: 2 });
    assert.equal(text.slice(set.span.start, set.span.end), 'set source_config uart = { priority 6, server 1 } -> EBUSY');
    assert.equal(text.slice(set.irq.span.start, set.irq.span.end), 'uart');
    assert.equal(set.value.kind, 'fields');
    if (set.value.kind === 'fields') {
      assert.equal(text.slice(set.value.span.start, set.value.span.end), '{ priority 6, server 1 }');
      assert.equal(set.value.fields[1].name.name, 'server');
      assert.equal(spanText(p, set.value.fields[1].span), '2:42-2:50');
    }
    assert.equal(set.expect?.kind, 'errno');
    assert.equal(p.comments[0].text, '# c');
  });

  test('numbers: decimal, hex, binary, separators, beyond 64 bits', () => {
    const values = lex('10 0x_1 0xdead_BEEF 0b1_01 1_000 0x1_0000_0000_0000_0000_0000 1__0 0b2 12ab')
      .tokens.filter((t) => t.kind === 'number').map((t) => t.value);
    assert.deepEqual(values, [10n, null, 0xdeadbeefn, 5n, 1000n, 1n << 80n, null, null, null]);
  });

  test('numbers: any value in any radix, with separators, reads back exactly', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 200n) - 1n }), fc.constantFrom(2, 10, 16), fc.nat(7), (v, radix, sep) => {
      let digits = v.toString(radix);
      if (sep > 0) digits = digits.replace(new RegExp(`(.{${sep}})(?=.)`, 'g'), '$1_');
      const text = (radix === 16 ? '0x' : radix === 2 ? '0b' : '') + digits;
      assert.equal(parseNumberText(text).value, v, text);
    }), { numRuns: 2000, seed: 3 });
  });

  test('RTAS and device names are glued from adjacent tokens', () => {
    const p = parse('device xics-on-xive\nrtas ibm,set-xive 0x1000, 0, 5\nrtas ibm,int-off 0x1000\n');
    const [dev, r1, r2] = p.statements;
    assert.equal(dev.kind === 'device' && dev.device, 'xics-on-xive');
    assert.ok(r1.kind === 'rtas' && r1.name.name === 'ibm,set-xive' && r1.args.length === 3);
    assert.ok(r2.kind === 'rtas' && r2.name.name === 'ibm,int-off' && r2.args.length === 1);
  });

  test('esb page defaults to management, `trigger` names the trigger page', () => {
    const p = parse('esb 1 load 0\nesb 1 trigger store 0 5\n');
    const [a, b] = only(p, 'esb');
    assert.equal(a.page, 'management');
    assert.equal(b.page, 'trigger');
    assert.equal(b.op, 'store');
    assert.equal(b.value?.kind === 'number' && b.value.value, 5n);
  });

  test('hcall arguments: positional, named, mixed', () => {
    const p = parse('hcall vcpu 0 H_IPI 0, 4\nhcall vcpu 0 H_IPI server 0, mfrr 4 -> H_SUCCESS\nhcall vcpu 1 H_INT_ESB 0, uart, offset 0xc00\n');
    const [a, b, c] = only(p, 'hcall');
    assert.deepEqual(a.args.map((x) => x.name), [null, null]);
    assert.deepEqual(b.args.map((x) => x.name?.name), ['server', 'mfrr']);
    assert.deepEqual(c.args.map((x) => x.name?.name ?? null), [null, null, 'offset']);
    assert.equal(b.expect?.kind, 'hret');
    const [d, e] = only(parse('hcall vcpu 1 H_INT_ESB flags 0, lisn 1, offset 0, data -1\nhcall vcpu 0 H_EOI x - 1\n'), 'hcall');
    assert.equal(d.args[3].name?.name, 'data');
    assert.ok(d.args[3].value.kind === 'unary');
    assert.ok(e.args.length === 1 && e.args[0].name === null && e.args[0].value.kind === 'binary');
  });

  test('log messages split into text and interpolations', () => {
    const p = parse('log "routed {uart + 1} to \\{x\\} {icp(0).xisr}"\n');
    const [l] = only(p, 'log');
    assert.equal(l.message, 'routed {uart + 1} to {x} {icp(0).xisr}');
    assert.deepEqual(l.parts.map((x) => x.kind), ['text', 'expr', 'text', 'expr']);
    const e = l.parts[1];
    assert.ok(e.kind === 'expr' && e.expr.kind === 'binary');
    assert.equal(p.text.slice(e.span.start, e.span.end), '{uart + 1}');
    const m = l.parts[3];
    assert.ok(m.kind === 'expr' && m.expr.kind === 'member' && m.expr.member.name === 'xisr');
  });

  test('line actions and raw levels', () => {
    const p = parse('line 1 assert\nline 1 set_level\nline 1 level 0xffffffff\n');
    const ls = only(p, 'line');
    assert.equal(ls[0].action, 'assert');
    assert.equal(ls[1].action, 'set_level');
    assert.ok(typeof ls[2].action !== 'string' && ls[2].action.kind === 'number');
  });

  test('multi-line field blocks and single-line repeat bodies', () => {
    const p = parse('set eq_config server 0 priority 5 = {\n  flags 1,\n  qshift 16\n}\nrepeat 2 { line 1 pulse }\n');
    assert.deepEqual(p.diagnostics, []);
    const [eq, rep] = p.statements;
    assert.ok(eq.kind === 'set-eq' && eq.value.kind === 'fields' && eq.value.fields.length === 2);
    assert.ok(rep.kind === 'repeat' && rep.body.length === 1 && rep.body[0].kind === 'line');
  });

  test('a block brace may start the next line', () => {
    const p = parse('proc f(a)\n{\n  line a pulse\n}\nrepeat 2\n{\n}\n');
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.statements.map((s) => s.kind), ['proc', 'repeat']);
    assert.equal(formatText(p.text), 'proc f(a)\n{\n  line a pulse\n}\nrepeat 2\n{\n}\n');
  });

  test('operator precedence', () => {
    const r = parseExpression('1 + 2 * 3 << 1 | 4 == 4 && !0');
    assert.ok(r.expr && r.expr.kind === 'binary' && r.expr.op === '&&');
    const bad = parseExpression('1 +');
    assert.equal(bad.expr, null);
    assert.equal(bad.diagnostics.length, 1);
    const trailing = parseExpression('icp(0).xisr 3');
    assert.equal(trailing.expr, null);
    assert.match(trailing.diagnostics[0].message, /after the expression/);
  });
});

describe('error recovery', () => {
  test('one diagnostic per bad line, at the right place, and the rest still parses', () => {
    const p = parse(read('broken-lines.irq'));
    const lines = p.diagnostics.map((d) => d.span.line + 1);
    assert.deepEqual(lines, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22]);
    assert.equal(new Set(lines).size, lines.length);
    // Lines 1-3, 21 and 23 are good.
    assert.equal(p.statements[0].kind, 'scenario');
    assert.equal(p.statements[1].kind, 'device');
    assert.ok(p.statements.some((s) => s.kind === 'eq' && s.span.line === 20));
    assert.equal(p.statements[p.statements.length - 1].kind, 'vcpu');
  });

  test('an unknown keyword gets "did you mean" and a quick fix', () => {
    const p = parse('device xive\nsett source 1 = 0\n');
    const [d] = p.diagnostics;
    assert.equal(d.code, 'unknown-keyword');
    assert.match(d.message, /did you mean 'set'/);
    assert.deepEqual(d.fix, { title: "Replace with 'set'", span: { start: 12, end: 16, line: 1, col: 0 }, newText: 'set' });
  });

  test('an unclosed proc `{` is one diagnostic at the opener', () => {
    const p = parse('proc f(a) {\n  line a pulse\n  line a assert\n');
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0].code, 'unclosed-block');
    assert.deepEqual([p.diagnostics[0].span.line, p.diagnostics[0].span.col], [0, 10]);
    const proc = p.statements[0];
    assert.ok(proc.kind === 'proc' && proc.body.length === 2);
  });

  test('an unclosed field block stops at the next statement', () => {
    const p = parse('set source 1 = { priority 1\nline 1 pulse\n');
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0].code, 'unclosed-block');
    assert.equal(p.statements[1].kind, 'line');
  });

  test('a broken proc header: one diagnostic, the body does not leak to the top level', () => {
    const p = parse(read('broken-blocks.irq'));
    assert.equal(p.diagnostics.filter((d) => d.span.line === 2).length, 1);
    assert.ok(!p.diagnostics.some((d) => d.message.includes("no block is open")));
    assert.ok(p.statements.some((s) => s.kind === 'proc' && s.name.name === 'good'));
  });

  test('nesting is bounded', () => {
    const deep = 'repeat 1 {\n'.repeat(200) + 'line 1 pulse\n' + '}\n'.repeat(200);
    const p = parse(deep);
    assert.equal(p.diagnostics.filter((d) => d.code === 'nesting-too-deep').length, 1);
    const parens = parse('let x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + '\nlet y = 2\n');
    assert.equal(parens.diagnostics.length, 1);
    assert.equal(parens.diagnostics[0].code, 'nesting-too-deep');
    assert.equal(parens.statements[1].kind, 'let');
    const chain = parse('let x = ' + '1 + '.repeat(5000) + '1\n');
    assert.equal(chain.diagnostics[0].code, 'nesting-too-deep');
  });

  test('braces on a line of their own: 10,000 `{` and `}`', () => {
    const p = parse('{'.repeat(10000) + '\n' + '}'.repeat(10000) + '\nline 1 pulse\n');
    assert.equal(p.statements[p.statements.length - 1].kind, 'line');
    assert.ok(p.diagnostics.length >= 1 && p.diagnostics.length <= 2);
  });

  test('empty and whitespace-only input', () => {
    for (const t of ['', '\n\n', '   \t  ', '# only a comment', '\r\n\r\n']) {
      const p = parse(t);
      assert.deepEqual(p.statements, []);
      assert.deepEqual(p.diagnostics, []);
    }
  });

  test('CRLF line endings parse like LF', () => {
    const lf = parse('device xive\nvcpu 1 connect  # c\n');
    const crlf = parse('device xive\r\nvcpu 1 connect  # c\r\n');
    assert.deepEqual(crlf.statements.map((s) => s.kind), lf.statements.map((s) => s.kind));
    assert.equal(crlf.comments[0].text, '# c');
    assert.deepEqual(crlf.diagnostics, []);
  });
});
