import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, check, parse, CHECK_RULES, PARSE_RULES, CheckOptions, Diagnostic } from '../../src/dsl';

/** The one diagnostic with `code`; asserts its position (1-based line:col) and a message substring. */
function expectRule(text: string, code: string, at: string, message: string | RegExp, options?: CheckOptions): Diagnostic {
  const { diagnostics } = analyze(text, 'file:///w/test.irq', options);
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one '${code}', got: ${diagnostics.map((d) => `${d.span.line + 1}:${d.span.col + 1} ${d.code} ${d.message}`).join(' | ') || 'none'}`);
  const d = found[0];
  assert.equal(`${d.span.line + 1}:${d.span.col + 1}`, at);
  if (typeof message === 'string') assert.ok(d.message.includes(message), `message: ${d.message}`);
  else assert.match(d.message, message);
  return d;
}

function clean(text: string, options?: CheckOptions): void {
  const { diagnostics } = analyze(text, 'file:///w/test.irq', options);
  assert.deepEqual(diagnostics.map((d) => `${d.span.line + 1}:${d.span.col + 1} ${d.code} ${d.message}`), []);
}

const XIVE = 'device xive\nvcpu 1 connect\n';
const XICS = 'device xics\nvcpu 0 connect\n';

describe('checker rules, one test each', () => {
  test('unknown-keyword: did you mean, with a quick fix', () => {
    const d = expectRule(`${XIVE}sett source 1 = 0\n`, 'unknown-keyword', '3:1', "did you mean 'set'");
    assert.equal(d.fix?.newText, 'set');
  });

  test('unknown-field: a name not in the word\'s layout, with did-you-mean and a fix', () => {
    const d = expectRule(`${XIVE}set source_config 0x1300 = { priority 6, sever 1 }\n`, 'unknown-field', '3:42', "'sever' is not a field of xive-source-config");
    assert.match(d.message, /did you mean 'server'/);
    assert.equal(d.fix?.newText, 'server');
  });

  test('unknown-field: in an expectation, by the device family\'s layout', () => {
    expectRule(`${XICS}get source 0x1000 -> { eisn 1 }\n`, 'unknown-field', '3:24', 'xics-source');
  });

  test('unknown-field: EQ_CONFIG struct fields', () => {
    expectRule(`${XIVE}set eq_config server 1 priority 6 = { flags 1, qshit 16 }\n`, 'unknown-field', '3:48', /kvm_ppc_xive_eq.*did you mean 'qshift'/);
    // Names every JavaScript object inherits are unknown fields like any other, not a checker crash.
    for (const name of ['constructor', '__proto__', 'toString']) {
      expectRule(`${XIVE}set eq_config server 1 priority 6 = { ${name} 1 }\n`, 'unknown-field', '3:39', /is not a field of the EQ_CONFIG struct/);
    }
  });

  test('field-too-wide: names the width', () => {
    expectRule(`${XIVE}set source_config 0x1300 = { priority 8 }\n`, 'field-too-wide', '3:39', 'does not fit its 3 bits in xive-source-config');
  });

  test('value-too-wide: a raw word wider than 64 bits', () => {
    expectRule(`${XIVE}set source 0x1300 = 0x1_0000_0000_0000_0000\n`, 'value-too-wide', '3:21', '64 bits');
  });

  test('value-too-wide: a TIMA store wider than its access', () => {
    expectRule(`${XIVE}tima vcpu 1 store8 0x11 0x100\n`, 'value-too-wide', '3:25', '8 bits');
  });

  test('ignored-bits: a warning for bits the kernel ignores', () => {
    const d = expectRule(`${XIVE}set source 0x1300 = 0x4\n`, 'ignored-bits', '3:21', 'bits 63..2 are unused');
    assert.equal(d.severity, 'warning');
  });

  test('read-only-field: a warning for fields the hardware derives', () => {
    const d = expectRule(`${XIVE}set vp vcpu 1 = { cppr 0xff, pipr 0xff }\n`, 'read-only-field', '3:30', 'pipr is derived by the hardware');
    assert.equal(d.severity, 'warning');
  });

  test('vcpu-not-connected: run and stop', () => {
    expectRule('device xive\nvcpu 2 run\n', 'vcpu-not-connected', '2:6', "'vcpu run' uses vCPU 2");
  });

  test('reserved-priority: priority 7 in a source config word (xive_prio_from_guest)', () => {
    expectRule(`${XIVE}set source_config 0x1300 = 0x0000_0026_0000_000f\n`, 'reserved-priority', '3:28', 'xive_prio_from_guest');
  });

  test('reserved-priority: in a field block', () => {
    expectRule(`${XIVE}set source_config 0x1300 = { priority 7, server 1 }\n`, 'reserved-priority', '3:39', 'priority 7 is reserved');
  });

  test('reserved-priority: an event queue by server and priority', () => {
    expectRule(`${XIVE}eq server 1 priority 7 -> []\n`, 'reserved-priority', '3:22', 'xive_prio_from_guest(7) != 7');
  });

  test('reserved-priority: an H_INT_* hcall argument, positional or named', () => {
    expectRule(`${XIVE}hcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0, 0x1300, 1, 7, 0\n`, 'reserved-priority', '3:52', 'H_INT_SET_SOURCE_CONFIG refuses priority 7');
    expectRule(`${XIVE}hcall vcpu 1 H_INT_GET_QUEUE_INFO flags 0, target 1, priority 9\n`, 'reserved-priority', '3:63', 'priority 9');
    clean(`${XIVE}hcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0, 0x1300, 1, 0xff, 0\nhcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0, 0x1300, 1, 7, 0 -> H_P4\n`);
  });

  test('reserved-priority: not reported when the statement expects the EINVAL', () => {
    clean(`${XIVE}set source_config 0x1300 = { priority 7 } -> EINVAL\nset eq_config server 1 priority 7 = { qshift 0 } -> EINVAL\n`);
  });

  test('eq-config-rejected: the model\'s EQ_CONFIG rules', () => {
    expectRule(`${XIVE}set eq_config server 1 priority 6 = { flags always_notify, qshift 12, qaddr 0x10000 }\n`, 'eq-config-rejected', '3:37', 'qshift 16');
  });

  test('eq-config-needs-struct: a raw word for EQ_CONFIG, by name or by attribute group', () => {
    expectRule(`${XIVE}set eq_config server 1 priority 6 = 0x1\n`, 'eq-config-needs-struct', '3:37', 'takes a struct');
    expectRule(`${XIVE}attr set group 4 attr 0x0e = 0x1\n`, 'eq-config-needs-struct', '3:30', 'takes a struct');
    expectRule(`${XIVE}attr set group 4 attr 0x0e = { qshif 16 }\n`, 'unknown-field', '3:32', "did you mean 'qshift'");
    expectRule(`${XIVE}attr get group 4 attr 0x0f\n`, 'reserved-priority', '3:23', 'priority 7');
  });

  test('write-only-attribute: a get of SOURCE_CONFIG', () => {
    const d = expectRule(`${XIVE}get source_config 0x1300\n`, 'write-only-attribute', '3:1', 'ENXIO');
    assert.equal(d.severity, 'warning');
  });

  test('unknown-errno', () => {
    const d = expectRule(`${XIVE}set source 1 = 0 -> EINVALL\n`, 'unknown-errno', '3:21', "did you mean 'EINVAL'");
    assert.equal(d.fix?.newText, 'EINVAL');
  });

  test('unknown-hret', () => {
    expectRule(`${XIVE}hcall vcpu 1 H_INT_RESET 0 -> H_SUCESS\n`, 'unknown-hret', '3:31', "did you mean 'H_SUCCESS'");
  });

  test('unknown-hcall', () => {
    expectRule(`${XIVE}hcall vcpu 1 H_INT_RESETT 0\n`, 'unknown-hcall', '3:14', "did you mean 'H_INT_RESET'");
  });

  test('unknown-hcall-arg', () => {
    expectRule(`${XICS}hcall vcpu 0 H_IPI server 0, mfr 4\n`, 'unknown-hcall-arg', '3:30', "H_IPI has no argument 'mfr'");
  });

  test('duplicate-arg', () => {
    expectRule(`${XICS}hcall vcpu 0 H_IPI 0, server 0\n`, 'duplicate-arg', '3:23', "'server' is given twice");
  });

  test('too-many-args: hcall', () => {
    expectRule(`${XICS}hcall vcpu 0 H_CPPR 0xff, 1\n`, 'too-many-args', '3:27', 'H_CPPR takes 1 argument');
  });

  test('too-many-args: RTAS', () => {
    expectRule(`${XICS}rtas ibm,int-off 0x1000, 1\n`, 'too-many-args', '3:26', 'ibm,int-off takes 1 argument');
  });

  test('unknown-rtas', () => {
    expectRule(`${XICS}rtas ibm,int-of 0x1000\n`, 'unknown-rtas', '3:6', "did you mean 'ibm,int-off'");
  });

  test('unknown-ctrl', () => {
    expectRule(`${XIVE}ctrl rest\n`, 'unknown-ctrl', '3:6', "did you mean 'reset'");
  });

  test('ctrl-value', () => {
    expectRule('device xive\nctrl nr_servers\n', 'ctrl-value', '2:6', 'needs a value');
  });

  test('undefined-name: with did-you-mean', () => {
    expectRule(`let uart = 0x1300\n${XIVE}set source uartt = 0\n`, 'undefined-name', '4:12', "did you mean 'uart'");
  });

  test('used-before-definition', () => {
    expectRule(`${XIVE}set source uart = 0\nlet uart = 0x1300\n`, 'used-before-definition', '3:12', 'used before its let on line 4');
  });

  test('duplicate-let', () => {
    expectRule('let a = 1\nlet a = 2\n', 'duplicate-let', '2:5', 'already defined at line 1');
  });

  test('duplicate-param', () => {
    expectRule('proc f(a, a) {\n}\n', 'duplicate-param', '1:11', "parameter 'a' is already defined");
  });

  test('duplicate-proc', () => {
    expectRule('proc f() {\n}\nproc f() {\n}\n', 'duplicate-proc', '3:6', "proc 'f' is already defined at line 1");
  });

  test('unknown-proc', () => {
    expectRule('proc route(a) {\n}\ncall rout(1)\n', 'unknown-proc', '3:6', "did you mean 'route'");
  });

  test('wrong-arg-count', () => {
    expectRule('proc route(irq, target, prio) {\n}\ncall route(1, 2)\n', 'wrong-arg-count', '3:6', "proc 'route' takes 3 arguments, this call passes 2");
  });

  test('proc-not-top-level', () => {
    expectRule('repeat 2 {\n  proc f() {\n  }\n}\n', 'proc-not-top-level', '2:3', 'top level');
  });

  test('no-device: a statement before any device', () => {
    expectRule('set source 0x1000 = 0\ndevice xive\n', 'no-device', '1:1', "'set source' needs the interrupt device");
  });

  test('no-device: after device release', () => {
    expectRule('device xive\ndevice release\nline 1 pulse\n', 'no-device', '3:1', 'needs the interrupt device');
  });

  test('no-device / vcpu-not-connected: a file without any device or connect reads as an include library (one warning each)', () => {
    const { diagnostics } = analyze('set source 0x40 = 0x0\nline 0x40 pulse\ntima vcpu 1 load16 0x810\nget vp vcpu 1\n');
    assert.deepEqual(diagnostics.map((d) => `${d.span.line + 1}:${d.span.col + 1} ${d.severity} ${d.code}`), ['1:1 warning no-device', '3:11 warning vcpu-not-connected']);
    assert.match(diagnostics[0].message, /meant to be included/);
  });

  test('vcpu-not-connected', () => {
    expectRule('device xive\nvcpu 1 connect\ntima vcpu 2 load16 0x810\n', 'vcpu-not-connected', '3:11', "vCPU 2 before 'vcpu 2 connect'");
  });

  test('vcpu-not-connected: get vp and hcall', () => {
    expectRule('device xive\nget vp vcpu 3\n', 'vcpu-not-connected', '2:13', 'vCPU 3');
    expectRule('device xics\nhcall vcpu 0 H_XIRR\n', 'vcpu-not-connected', '2:12', 'vCPU 0');
  });

  test('no-device: a call runs its proc\'s body where it is called, even when the proc is defined later', () => {
    const d = expectRule('call route(0x1300)\ndevice xive\nproc route(irq) {\n  log "routing"\n  set source irq = 0\n}\n', 'no-device', '1:6',
      "'call route' runs 'set source' (line 5), which needs the interrupt device: add a 'device' statement (xive, xics, xics-pr, xics-on-xive) before the call");
    assert.equal(d.severity, 'error');
    clean('device xive\ncall route(0x1300)\nproc route(irq) {\n  set source irq = 0\n}\n');
    // Through nested calls, reported once on the outer call.
    expectRule('proc outer() {\n  call inner()\n  call inner()\n}\nproc inner() {\n  line 1 pulse\n}\ncall outer()\ndevice xive\n', 'no-device', '8:6', "'call outer' runs 'line' (line 6)");
    // Failures the body expects are the scenario testing the kernel.
    clean('proc probe() {\n  set source 1 = 0 -> ENXIO\n}\ncall probe()\ndevice xive\n');
  });

  test('no-device: a proc\'s own device and connects happen at its calls, not where it is defined', () => {
    clean('proc setup() {\n  device xive\n  vcpu 0 connect\n}\ncall setup()\nset source 0x1300 = 0\ntima vcpu 0 load16 0x810\n');
    // Never called: the device it would create does not exist.
    expectRule('proc setup() {\n  device xive\n}\nset source 0x1300 = 0\ndevice xive\n', 'no-device', '4:1', "'set source' needs the interrupt device");
    // A recursive proc is replayed once, not forever.
    expectRule('proc spin(n) {\n  set source n = 0\n  call spin(n + 1)\n}\ncall spin(1)\ndevice xive\n', 'no-device', '5:6', "'call spin' runs 'set source'");
  });

  test('vcpu-not-connected: a proc\'s vCPU, through its parameters, checked at each call', () => {
    const body = 'proc poke(v) {\n  tima vcpu v load16 0x810\n}\ndevice xive\nvcpu 0 connect\n';
    clean(body + 'call poke(0)\n');
    expectRule(body + 'call poke(3)\n', 'vcpu-not-connected', '6:6', "'call poke' runs 'tima' (line 2), which uses vCPU 3 before 'vcpu 3 connect'");
    // A vCPU bound inside the body is only known when it runs.
    clean('proc all() {\n  repeat 4 as v {\n    tima vcpu v load16 0x810\n  }\n}\ndevice xive\nvcpu 0 connect\ncall all()\n');
    // A proc that connects its parameter's vCPU.
    clean('proc up(v) {\n  vcpu v connect\n}\ndevice xive\ncall up(5)\ntima vcpu 5 load16 0x810\n');
  });

  test('expectation-not-applicable: entries on a set', () => {
    expectRule(`${XIVE}set source 1 = 0 -> [1]\n`, 'expectation-not-applicable', '3:18', 'returns no value');
  });

  test('expectation-not-applicable: an errno on an hcall, H_* on an ioctl', () => {
    expectRule(`${XIVE}hcall vcpu 1 H_INT_RESET 0 -> EINVAL\n`, 'expectation-not-applicable', '3:28', 'H_* code');
    expectRule(`${XIVE}set source 1 = 0 -> H_P2\n`, 'expectation-not-applicable', '3:18', 'not an hcall');
  });

  test('a wrong kind of expectation with an unknown name is one diagnostic, not two', () => {
    const { diagnostics } = analyze(`${XIVE}hcall vcpu 1 H_INT_RESET 0 -> EFOO\nset source 1 = 0 -> H_FOO\neq server 1 priority 6 -> ENOPE\n`);
    // A queue scan returns no errno at all: the expectation is refused once, whatever its name.
    assert.deepEqual(diagnostics.map((d) => `${d.span.line + 1} ${d.code}`), ['3 expectation-not-applicable', '4 expectation-not-applicable', '5 errno-not-possible']);
  });

  test('non-constant-repeat is a warning', () => {
    const d = expectRule('proc f(n) {\n  repeat n {\n  }\n}\n', 'non-constant-repeat', '2:10', 'not a constant');
    assert.equal(d.severity, 'warning');
  });

  test('negative-repeat', () => {
    expectRule('repeat -1 {\n}\n', 'negative-repeat', '1:8', 'negative');
  });

  test('include-missing', () => {
    expectRule('include "nope.irq"\n', 'include-missing', '1:9', "cannot read included file 'nope.irq'", { readFile: () => undefined });
  });

  test('include-cycle', () => {
    const files: Record<string, string> = {
      'file:///w/test.irq': 'include "a.irq"\n',
      'file:///w/a.irq': 'include "test.irq"\n',
    };
    expectRule(files['file:///w/test.irq'], 'include-cycle', '1:9', 'cycle', { readFile: (u) => files[u] });
  });

  test('include-errors; an included file\'s lets, procs, device and connects are visible after it', () => {
    const files: Record<string, string> = { 'file:///w/lib.irq': 'device xive\nvcpu 1 connect\nlet uart = 0x1300\nproc route(i) {\n}\n' };
    clean('include "lib.irq"\nset source uart = 0\ncall route(uart)\ntima vcpu 1 load16 0x810\n', { readFile: (u) => files[u] });
    files['file:///w/bad.irq'] = 'device xive\nfrob\n';
    expectRule('include "bad.irq"\n', 'include-errors', '1:9', "first at 2:1: unknown keyword 'frob'", { readFile: (u) => files[u] });
  });

  test('include chains are followed to a bounded depth', () => {
    const read = (u: string): string => `include "${Number(/(\d+)\.irq$/.exec(u)?.[1] ?? 0) + 1}.irq"\n`;
    expectRule('include "1.irq"\n', 'include-errors', '1:9', 'nested deeper than 32', { readFile: read, resolveInclude: (_f, p) => p });
  });

  test('resolveInclude decides the uri', () => {
    const seen: string[] = [];
    check(parse('include "x.irq"\n', 'a/b.irq'), { readFile: (u) => { seen.push(u); return ''; }, resolveInclude: (from, p) => `${from}|${p}` });
    assert.deepEqual(seen, ['a/b.irq|x.irq']);
  });
});

describe('checker, whole files', () => {
  test('every rule code used is documented', () => {
    const codes = new Set([...Object.keys(CHECK_RULES), ...Object.keys(PARSE_RULES)]);
    const fixtures = join(process.cwd(), 'test/dsl/fixtures/parser');
    for (const f of readdirSync(fixtures)) {
      for (const d of analyze(readFileSync(join(fixtures, f), 'utf8'), f).diagnostics) assert.ok(codes.has(d.code), `${f}: undocumented code ${d.code}`);
    }
  });

  test('the README lists every rule code users can see', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    // internal-error is a front-end bug report, not a rule.
    for (const code of [...Object.keys(CHECK_RULES), ...Object.keys(PARSE_RULES)].filter((c) => c !== 'internal-error')) {
      assert.ok(readme.includes('`' + code + '`'), `README does not mention ${code}`);
    }
  });

  test('the XIVE and XICS core examples of scenario-language.md check clean', () => {
    for (const f of ['spec-core-xive.irq', 'spec-core-xics.irq']) {
      clean(readFileSync(join(process.cwd(), 'test/dsl/fixtures/parser', f), 'utf8'));
    }
  });

  test('scopes: proc params, loop variables and body lets', () => {
    clean('device xive\nlet base = 0x1000\nproc f(irq) {\n  let x = irq + base + later\n  line x pulse\n}\nrepeat 3 as i {\n  line base + i pulse\n}\nlet later = 1\n');
    expectRule('device xive\nrepeat 3 as i {\n}\nline i pulse\n', 'undefined-name', '4:6', "'i' is not defined");
  });

  test('names in EQ flags and register expressions are not variables', () => {
    clean(`${XIVE}set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }\nlog "{icp(1).cppr} {vp(1).cppr}"\n`);
  });

  test('a broken let, proc, device or connect line costs one diagnostic, not one per later use', () => {
    const { diagnostics } = analyze('device xivee\nvcpu 1 connect sever 1\nlet uart = 0x13g0\nproc route(a {\n}\nset source uart = 0\ncall route(uart)\ntima vcpu 1 load16 0x810\n');
    assert.deepEqual(diagnostics.map((d) => d.span.line + 1), [1, 2, 3, 4]);
  });

  test('diagnostics come sorted by position', () => {
    const { diagnostics } = analyze('frob\nset source x = 0\nsett\n');
    const starts = diagnostics.map((d) => d.span.start);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  });

  test('examples/ (when present) have no checker errors', () => {
    const dir = join(process.cwd(), 'examples');
    let files: string[] = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith('.irq')); } catch { files = []; }
    for (const f of files) {
      const uri = join(dir, f);
      const { diagnostics } = analyze(readFileSync(uri, 'utf8'), uri, {
        readFile: (u) => { try { return readFileSync(u, 'utf8'); } catch { return undefined; } },
      });
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${f}:${d.span.line + 1}: ${d.code} ${d.message}`), []);
    }
  });
});
