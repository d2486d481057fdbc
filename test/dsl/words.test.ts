import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyze, constantEnv, encodeFieldBlock, evaluateConstant, findDefinition, findReferences, KEYWORDS, layoutOfStatement, offsetToPosition,
  parse, parseExpression, positionToOffset, statementAt, wordSiteAt, wordSites, Program, STATEMENT_KEYWORDS,
} from '../../src/dsl';

function at(p: Program, needle: string, delta = 0): number {
  const i = p.text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in the text`);
  return i + delta;
}

const XIVE_TEXT = `let uart = 0x1300
let word = 0x0000_0026_0000_000e
device xive
vcpu 1 connect
set source uart = 0x1
set source_config uart = word
set source_config uart = { priority 6, server 1, eisn 0x1300 }
get vp vcpu 1 -> { cppr 6, pipr 0xff }
set vp vcpu 1 = 0x00ff_0000_0000_0000
eq server 1 priority 6 -> [0x8000_1300, 0x0000_0001]
set eq_config id 0x0e = { qshift 0 }
attr set group 3 attr uart = 0x0000_0026_0000_000e
attr set group 4 attr 0x0e = { qshift 0 }
get source_config uart -> ENXIO
`;

describe('word sites', () => {
  test('every word of a XIVE scenario, with its layout, source and value', () => {
    const p = parse(XIVE_TEXT);
    const sites = wordSites(p).map((s) => `${p.text.slice(s.span.start, s.span.end)} ${s.layout} ${s.source} ${s.value === null ? 'null' : '0x' + s.value.toString(16)}`);
    assert.deepEqual(sites, [
      '0x1 xive-source literal 0x1',
      'word xive-source-config name 0x260000000e',
      '{ priority 6, server 1, eisn 0x1300 } xive-source-config fields 0x26000000000e',
      '{ cppr 6, pipr 0xff } xive-vp-state fields 0x60000000000ff',
      '0x00ff_0000_0000_0000 xive-vp-state literal 0xff000000000000',
      '0x8000_1300 xive-eq-entry entry 0x80001300',
      '0x0000_0001 xive-eq-entry entry 0x1',
      '0x0e xive-eq-id literal 0xe',
      '0x0000_0026_0000_000e xive-source-config literal 0x260000000e',
      '0x0e xive-eq-id literal 0xe',
    ]);
  });

  test('the device decides the source layout and the attribute groups', () => {
    const p = parse('device xics\nset source 0x1000 = { server 0, priority 5 }\nattr set group 1 attr 0x1000 = 0x0000_0005_0000_0000\nget icp vcpu 0 -> 0xff00_1000_ff05_0000\n');
    assert.deepEqual(wordSites(p).map((s) => s.layout), ['xics-source', 'xics-source', 'xics-icp']);
    assert.equal(wordSites(p)[0].value, 0x0000_0005_0000_0000n);
    const none = parse('set source 1 = 0x1\n');
    assert.equal(wordSites(none)[0].layout, 'xive-source');
  });

  test('an 8-byte TIMA load of the OS ring word is a VP state word', () => {
    const p = parse('tima vcpu 1 load64 0x10 -> 0x0006_0000_00ff_0000\ntima vcpu 1 load64 0x18 -> 5\ntima vcpu 1 load64 0x10 -> { cppr 6 }\n');
    assert.deepEqual(wordSites(p).map((s) => [s.layout, s.source, s.value]), [['xive-vp-state', 'expectation', 0x0006_0000_00ff_0000n], ['xive-vp-state', 'fields', 0x0006_0000_0000_0000n]]);
    const { diagnostics } = analyze('device xive\nvcpu 1 connect\ntima vcpu 1 load64 0x10 -> { cpr 6 }\n');
    assert.equal(diagnostics[0]?.code, 'unknown-field');
  });

  test('params and loop variables are not constants inside their bodies', () => {
    const p = parse('let w = 5\nproc f(w) {\n  set source_config 1 = w\n}\nrepeat 2 as w {\n  set source_config 1 = w\n}\nset source_config 1 = w\n');
    assert.deepEqual(wordSites(p).map((s) => s.value), [null, null, 5n]);
    assert.equal(wordSiteAt(p, at(p, '= w\n}', 2))?.value, null);
  });

  test('wordSiteAt: inside, at the end, between words', () => {
    const p = parse(XIVE_TEXT);
    const o = at(p, '0x0000_0026_0000_000e\nattr');
    assert.equal(wordSiteAt(p, o + 3)?.layout, 'xive-source-config');
    assert.equal(wordSiteAt(p, o + '0x0000_0026_0000_000e'.length)?.value, 0x260000000en);
    assert.equal(wordSiteAt(p, at(p, 'attr set group 3')), null);
    const name = wordSiteAt(p, at(p, 'word\nset', 1));
    assert.deepEqual([name?.source, name?.value], ['name', 0x260000000en]);
    assert.equal(wordSiteAt(p, at(p, 'priority 6, server') + 2)?.source, 'fields');
  });

  test('layoutOfStatement', () => {
    const p = parse(XIVE_TEXT);
    assert.deepEqual(p.statements.map((s) => layoutOfStatement(s, constantEnv(p))), [
      null, null, null, null, 'xive-source', 'xive-source-config', 'xive-source-config', 'xive-vp-state', 'xive-vp-state',
      'xive-eq-entry', null, 'xive-source-config', null, 'xive-source-config',
    ]);
  });

  test('encodeFieldBlock: a word, an unknown field, a value too wide', () => {
    const p = parse('set source_config 1 = { priority 6, server 1, eisn 0x1300, masked }\nset source_config 1 = { prio 1 }\nset source_config 1 = { server 0x2000_0000 }\n');
    const blocks = p.statements.map((s) => (s.kind === 'set' && s.value.kind === 'fields' ? s.value : null));
    assert.deepEqual(encodeFieldBlock('xive-source-config', blocks[0]!, new Map()), { ok: true, word: 0x0000_2601_0000_000en });
    const unknown = encodeFieldBlock('xive-source-config', blocks[1]!, new Map());
    assert.ok(!unknown.ok && unknown.message.includes("did you mean 'priority'") && p.text.slice(unknown.span.start, unknown.span.end) === 'prio');
    const wide = encodeFieldBlock('xive-source-config', blocks[2]!, new Map());
    assert.ok(!wide.ok && wide.message.includes('29 bits'));
  });
});

describe('constants', () => {
  test('constantEnv folds top-level lets in order', () => {
    const env = constantEnv(parse('let a = 0x10\nlet b = a << 4 | 1\nlet c = icp(0).xisr\nlet d = c + 1\n'));
    assert.deepEqual([...env.entries()], [['a', 0x10n], ['b', 0x101n]]);
  });

  test('evaluateConstant: arithmetic, comparisons, refusals', () => {
    const ev = (t: string): bigint | null => evaluateConstant(parseExpression(t).expr!, new Map([['x', 3n]]));
    assert.equal(ev('x * 2 + 1'), 7n);
    assert.equal(ev('-x'), -3n);
    assert.equal(ev('!0'), 1n);
    assert.equal(ev('x == 3 && x < 4'), 1n);
    assert.equal(ev('1 / 0'), null);
    assert.equal(ev('1 << 100000'), null);
    assert.equal(ev('y + 1'), null);
    assert.equal(ev('0xffff_ffff_ffff_ffff_ffff + 1'), 0x1_0000_0000_0000_0000_0000n);
  });
});

describe('navigation', () => {
  const text = 'let uart = 0x1300\nproc route(irq, prio) {\n  set source_config irq = { priority prio }\n}\nrepeat 2 as i {\n  call route(uart + i, 6)\n}\n';

  test('offsets and positions round-trip', () => {
    const p = parse(text);
    for (let o = 0; o <= text.length; o++) {
      const { line, character } = offsetToPosition(p, o);
      assert.equal(positionToOffset(p, line, character), o);
    }
    assert.deepEqual(offsetToPosition(p, at(p, 'proc')), { line: 1, character: 0 });
    assert.equal(positionToOffset(p, 0, 999), text.indexOf('\n'));
    assert.equal(positionToOffset(p, 99, 0), text.length);
  });

  test('findDefinition for a let, a proc, a parameter and a loop variable', () => {
    const p = parse(text);
    assert.deepEqual(findDefinition(p, at(p, 'uart + i')), { name: 'uart', span: { start: 4, end: 8, line: 0, col: 4 }, kind: 'let' });
    assert.equal(findDefinition(p, at(p, 'route(uart', 2))?.kind, 'proc');
    assert.equal(findDefinition(p, at(p, 'irq = {'))?.kind, 'param');
    assert.equal(findDefinition(p, at(p, 'i, 6'))?.kind, 'repeat-var');
    assert.equal(findDefinition(p, at(p, 'uart'))?.kind, 'let');
    assert.equal(findDefinition(p, at(p, '0x1300')), null);
  });

  test('findReferences: the definition and every use', () => {
    const p = parse(text);
    assert.deepEqual(findReferences(p, 'uart').map((s) => s.line), [0, 5]);
    assert.deepEqual(findReferences(p, 'route').map((s) => s.line), [1, 5]);
  });

  test('statementAt: innermost statement', () => {
    const p = parse(text);
    assert.equal(statementAt(p, at(p, 'call'))?.kind, 'call');
    assert.equal(statementAt(p, at(p, 'set source_config') + 5)?.kind, 'set');
    assert.equal(statementAt(p, at(p, 'proc'))?.kind, 'proc');
    assert.equal(statementAt(p, text.length), null);
  });
});

describe('KEYWORDS', () => {
  test('unique names, syntax and summary everywhere, spec sections well-formed', () => {
    const names = KEYWORDS.map((k) => k.name);
    assert.equal(new Set(names).size, names.length);
    for (const k of KEYWORDS) {
      assert.ok(k.syntax.length > 0 && k.summary.length > 0, k.name);
      if (k.spec) assert.match(k.spec, /^§\d+(\.\d+)*(, §\d+(\.\d+)*)*$/, k.name);
      assert.ok(k.syntax.includes(k.name), `${k.name}: its syntax shows it`);
    }
  });

  test('every statement keyword parses (no unknown-keyword) and every other word is not a statement', () => {
    for (const k of STATEMENT_KEYWORDS) {
      const p = parse(`${k}\n`);
      assert.ok(!p.diagnostics.some((d) => d.code === 'unknown-keyword'), k);
    }
    for (const k of KEYWORDS.filter((x) => x.kind !== 'statement')) {
      if (STATEMENT_KEYWORDS.includes(k.name)) continue;
      const p = parse(`${k.name} 1\n`);
      assert.equal(p.diagnostics[0]?.code, 'unknown-keyword', k.name);
    }
  });

  test('every word the parser accepts in a fixed position is a keyword', () => {
    const words = ['source', 'source_config', 'eq_config', 'icp', 'vp', 'server', 'priority', 'id', 'group', 'as', 'flags', 'fd', 'cap',
      'trigger', 'management', 'always_notify', 'badaddr', 'level', 'connect', 'run', 'stop', 'load', 'store', 'load8', 'store64', 'assert', 'deassert', 'pulse', 'unset',
      'set_level', 'has', 'reset', 'eq_sync', 'nr_servers', 'xive', 'xics', 'xics-pr', 'xics-on-xive', 'release', 'ok', 'vcpu', 'attr', 'set', 'get'];
    const names = new Set(KEYWORDS.map((k) => k.name));
    for (const w of words) assert.ok(names.has(w), w);
  });
});
