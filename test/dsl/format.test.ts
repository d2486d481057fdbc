import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatText, parse } from '../../src/dsl';

const FIXTURES = join(process.cwd(), 'test/dsl/fixtures/parser');

function fixtureTexts(): [string, string][] {
  const out: [string, string][] = readdirSync(FIXTURES).filter((f) => f.endsWith('.irq')).sort()
    .map((f) => [f, readFileSync(join(FIXTURES, f), 'utf8')]);
  const examples = join(process.cwd(), 'examples');
  try {
    for (const f of readdirSync(examples).filter((x) => x.endsWith('.irq'))) out.push([`examples/${f}`, readFileSync(join(examples, f), 'utf8')]);
  } catch {
    // No examples directory in this checkout.
  }
  return out;
}

/** The tree without positions: what must survive formatting. */
export function shape(text: string): string {
  const p = parse(text);
  return JSON.stringify(p.statements, (key, v: unknown) => {
    if (key === 'span' || key.endsWith('Span')) return undefined;
    return typeof v === 'bigint' ? v.toString() : v;
  });
}

describe('formatText on every fixture', () => {
  for (const [name, text] of fixtureTexts()) {
    test(name, () => {
      const once = formatText(text);
      assert.equal(formatText(once), once, 'idempotent');
      // Every comment survives, in order.
      assert.deepEqual(parse(once).comments.map((c) => c.text), parse(text).comments.map((c) => c.text.replace(/\r$/, '')));
      // Only whitespace changed: same tree, same diagnostics.
      assert.equal(shape(once), shape(text));
      assert.deepEqual(parse(once).diagnostics.map((d) => d.code), parse(text).diagnostics.map((d) => d.code));
    });
  }
});

describe('canonical layout', () => {
  test('spacing', () => {
    assert.equal(formatText('set   source  0x1000=0x5   ->EINVAL\n'), 'set source 0x1000 = 0x5 -> EINVAL\n');
    assert.equal(formatText('set source_config x = {priority 6,server 1}\n'), 'set source_config x = { priority 6, server 1 }\n');
    assert.equal(formatText('eq server 1 priority 6 -> [ 0x1 , 0x2 ]\n'), 'eq server 1 priority 6 -> [0x1, 0x2]\n');
    assert.equal(formatText('call route( a,b , 6 )\n'), 'call route(a, b, 6)\n');
    assert.equal(formatText('let x = - 1 +~2*(3)\n'), 'let x = -1 + ~2 * (3)\n');
    assert.equal(formatText('log "a {x}"   \n'), 'log "a {x}"\n');
    assert.equal(formatText('hcall vcpu 0 H_IPI server 0,mfrr 4 ->H_SUCCESS\n'), 'hcall vcpu 0 H_IPI server 0, mfrr 4 -> H_SUCCESS\n');
  });

  test('a named hcall argument with a negative value stays one', () => {
    const text = 'hcall vcpu 1 H_INT_ESB flags 0, lisn 1, offset 0, data -1\nhcall vcpu 0 H_EOI x-1\n';
    assert.equal(formatText(text), 'hcall vcpu 1 H_INT_ESB flags 0, lisn 1, offset 0, data -1\nhcall vcpu 0 H_EOI x - 1\n');
    assert.equal(shape(formatText(text)), shape(text));
  });

  test('glued names stay glued', () => {
    assert.equal(formatText('device   xics-on-xive\nrtas  ibm,set-xive 0x1000,0 , 5\n'), 'device xics-on-xive\nrtas ibm,set-xive 0x1000, 0, 5\n');
  });

  test('two-space indentation in blocks and multi-line field blocks', () => {
    const text = 'proc f(a) {\nrepeat 2 {\n        line a pulse\n}\nset eq_config server 1 priority 6 = {\nflags 1,\n      qshift 16\n}\n}\n';
    assert.equal(formatText(text), 'proc f(a) {\n  repeat 2 {\n    line a pulse\n  }\n  set eq_config server 1 priority 6 = {\n    flags 1,\n    qshift 16\n  }\n}\n');
  });

  test('comments: full-line keep the block indentation, trailing get two spaces', () => {
    assert.equal(formatText('repeat 2 {\n# inside\nline 1 pulse    # why\n}\n'), 'repeat 2 {\n  # inside\n  line 1 pulse  # why\n}\n');
  });

  test('blank lines: more than two collapse, none at the end', () => {
    assert.equal(formatText('let a = 1\n\n\n\n\nlet b = 2\n\n\n'), 'let a = 1\n\n\nlet b = 2\n');
  });

  test('lines that do not parse are left exactly as written', () => {
    const text = 'let   a = 1\nset  source 1 =   = 2   # broken\nlet   b = 2\n';
    assert.equal(formatText(text), 'let a = 1\nset  source 1 =   = 2   # broken\nlet b = 2\n');
  });

  test('CRLF input comes out with LF and the same tree', () => {
    const text = 'device xive\r\nvcpu 1 connect   # c\r\n';
    assert.equal(formatText(text), 'device xive\nvcpu 1 connect  # c\n');
  });

  test('empty input stays empty', () => {
    assert.equal(formatText(''), '');
    assert.equal(formatText('\n\n\n'), '');
  });
});
