/** `info pic`: the formatter on hand-built states, round trips of QEMU's dumps, the parser on bad input, the comparer. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioText } from '../../src/dsl/runtime';
import { formatInfoPic, formatModelInfoPic } from '../../src/model/info-pic';
import { parseInfoPic } from '../../src/model/info-pic-parse';
import { compareInfoPic } from '../../src/model/info-pic-compare';
import { sharedDumps } from './shared-traces';

const FIXTURES = join(process.cwd(), 'test', 'model', 'fixtures');
const XIVE_DUMP = readFileSync(join(FIXTURES, 'info-pic-qemu-7.2-xive-2cpu.txt'), 'utf8');
const XICS_DUMP = readFileSync(join(FIXTURES, 'info-pic-qemu-7.2-xics-2cpu.txt'), 'utf8');

function modelInfoPic(scenario: string): string {
  const run = runScenarioText('hand.irq', scenario, { readFile: () => undefined });
  assert.deepEqual(run.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(run.failed, 0);
  assert.ok(run.vm);
  return formatModelInfoPic(run.vm);
}

describe('formatter on hand-built states', () => {
  test('XIVE: rings, a routed MSI with its queue window, a masked LSI', () => {
    const text = modelInfoPic([
      'device xive',
      'vcpu 0 connect',
      'vcpu 1 connect',
      'set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }',
      'set source 0x1300 = 0',
      'set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }',
      'esb 0x1300 load 0xc00 -> 1',
      'tima vcpu 1 store8 0x11 0xff',
      'esb 0x1300 store 0x000',
      'set source 0x1200 = { level_sensitive }',
      'set source_config 0x1200 = { masked, eisn 0 }',
    ].join('\n'));
    assert.equal(text, [
      'CPU[0000]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2',
      'CPU[0000]: USER    00   00  00    00   00  00  00   00  00000000',
      'CPU[0000]:   OS    00   00  00    00   ff  00  00   00  80000400',
      'CPU[0000]: POOL    00   00  00    00   00  00  00   00  00000000',
      'CPU[0000]: PHYS    00   00  00    00   00  00  00   ff  00000000',
      'CPU[0001]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2',
      'CPU[0001]: USER    00   00  00    00   00  00  00   00  00000000',
      // The event at priority 6 is signalled: NSR EO, IPB bit 6, PIPR 6 (CPPR opened to 0xff).
      'CPU[0001]:   OS    80   ff  02    00   ff  00  00   06  80000401',
      'CPU[0001]: POOL    00   00  00    00   00  00  00   00  00000000',
      'CPU[0001]: PHYS    00   00  00    00   00  00  00   ff  00000000',
      '  LISN         PQ    EISN     CPU/PRIO EQ',
      '  00001200 LSI -Q  M 00000000 ',
      // One entry written at index 0 with generation 1; the window ends at the next index, 1.
      '  00001300 MSI P-    00001300   1/6      1/16384 @10000 ^1 [ 00000000 00000000 00000000 00000000 80001300 ^00000000 ]',
      'irqchip: in-kernel',
      '',
    ].join('\n'));
  });

  test('XICS: XIRR, PP, MFRR per CPU; priority and QEMU status flags per source', () => {
    const text = modelInfoPic([
      'device xics',
      'vcpu 0 connect',
      'vcpu 1 connect',
      'hcall vcpu 0 H_CPPR 0xff',
      'set source 0x1000 = { server 0, priority 5 }',
      'set source 0x1002 = { server 0, priority 5, masked }',
      'line 0x1000 pulse',
    ].join('\n'));
    assert.equal(text, [
      'CPU 0 XIRR=ff001000 (0x0) PP=05 MFRR=ff',
      'CPU 1 XIRR=00000000 ((nil)) PP=ff MFRR=ff',
      'ICS 1000..1fff 0x0',
      '  1000 MSI 05 10', // presented: QEMU's XICS_STATUS_PRESENTED
      '  1002 MSI ff 00', // masked: QEMU prints priority 0xff
      'irqchip: in-kernel',
      '',
    ].join('\n'));
  });

  test('no device: a one-line note', () => {
    assert.match(modelInfoPic('log "no device yet"'), /no interrupt controller device/);
  });
});

describe('round trips of QEMU dumps', () => {
  for (const [name, text] of [['xive fixture', XIVE_DUMP], ['xics fixture', XICS_DUMP]] as const) {
    test(`${name}: parse then format gives QEMU's text back (LF for CRLF)`, () => {
      const r = parseInfoPic(text);
      assert.ok(r.ok, r.ok ? '' : `${r.line}: ${r.reason}`);
      assert.equal(formatInfoPic(r.dump), text.replace(/\r\n/g, '\n'));
      assert.deepEqual(compareInfoPic(text, formatInfoPic(r.dump)), []);
    });
  }

  test('every dump in the shared traces round-trips exactly', () => {
    const dumps = sharedDumps();
    assert.ok(dumps.length >= 7, `expected the 7 recorded dumps, found ${dumps.length}`);
    for (const f of dumps) {
      const text = readFileSync(f, 'utf8');
      const r = parseInfoPic(text);
      assert.ok(r.ok, r.ok ? '' : `${f}:${r.line}: ${r.reason}`);
      assert.equal(formatInfoPic(r.dump), text.replace(/\r\n/g, '\n'), f);
    }
  });

  test('the parsed XIVE dump holds the fields QEMU printed', () => {
    const r = parseInfoPic(XIVE_DUMP);
    assert.ok(r.ok && r.dump.kind === 'xive');
    assert.equal(r.dump.cpus.length, 2);
    const os = r.dump.cpus[1].rings.find((x) => x.name === 'OS');
    assert.deepEqual(os, { name: 'OS', nsr: 0, cppr: 0xff, ipb: 0, lsmfb: 0xff, ack: 0xff, inc: 0, age: 0xff, pipr: 0xff, w2: 0x80000401 });
    const l = r.dump.lisns.find((x) => x.lisn === 0x1001);
    assert.deepEqual(l, {
      lisn: 0x1001, type: 'MSI', pq: 0, asserted: false, masked: false, eisn: 0x19,
      eq: { cpu: 0, priority: 6, index: 317, entries: 16384, qaddr: 0x36a0000n, toggle: 1, window: [0x80000010, 0x80000010, 0x80000010, 0x80000010, 0x80000010, 0] },
    });
    assert.equal(r.dump.lisns.find((x) => x.lisn === 0x1200)?.masked, true);
    assert.equal(r.dump.irqchip, 'emulated');
  });

  test('current QEMU: LF line ends, no prompt, the in-kernel irqchip line', () => {
    const current = XIVE_DUMP.replace(/\r\n/g, '\n').replace('irqchip: emulated', 'irqchip: in-kernel');
    const r = parseInfoPic('(qemu) info pic\n' + current);
    assert.ok(r.ok);
    assert.equal(r.dump.irqchip, 'in-kernel');
  });
});

describe('parser: bad input gets the line and the cause', () => {
  const lines = XIVE_DUMP.replace(/\r\n/g, '\n').split('\n');
  const cases: [string, string, number, RegExp][] = [
    ['garbage line', [...lines.slice(0, 12), 'hello world', ...lines.slice(12)].join('\n'), 13, /not a line of QEMU's sPAPR "info pic": "hello world"/],
    ['binary bytes are escaped', '\u0000\u0001\u001b[2J', 1, /\\x00\\x01\\x1b\[2J/],
    ['truncated: a CPU with 2 rings', lines.slice(0, 3).join('\n'), 3, /has 2 ring lines, QEMU prints 4/],
    ['a LISN before its header', lines[12], 1, /before the "LISN PQ EISN CPU\/PRIO EQ" header/],
    ['EQ without its window', lines.slice(0, 12).join('\n') + '\n' + lines[12].replace(/ \[.*$/, ''), 13, /EQ part does not read/],
    ['a masked LISN with an EQ', lines.slice(0, 12).join('\n') + '\n' + lines[12].replace('--   ', '-Q  M'), 13, /masked LISN with an EQ/],
    ['XIVE2 (PowerNV) header', 'CPU[0000]:   QW   NSR CPPR IPB LSMFB   -  LGS  T PIPR   W2', 1, /XIVE2 \(PowerNV\)/],
    ['XIVE and XICS mixed', lines.slice(0, 5).join('\n') + '\nCPU 0 XIRR=ff000000 ((nil)) PP=ff MFRR=ff', 6, /XICS line in a XIVE dump/],
    ['a line after irqchip', XIVE_DUMP + 'CPU 0 XIRR=ff000000 ((nil)) PP=ff MFRR=ff\r\n', 29, /after the "irqchip:" line/],
    ['empty', '', 1, /no "info pic" lines/],
    ['a long line is cut', 'x'.repeat(10_000), 1, /x{80}…"$/],
  ];
  for (const [name, text, line, re] of cases) {
    test(name, () => {
      const r = parseInfoPic(text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.line, line);
      assert.match(r.reason, re);
    });
  }
});

describe('compareInfoPic', () => {
  test('ignores QEMU pointers, the XIRR owner and the irqchip line', () => {
    const model = XICS_DUMP.replace('0x557b6eead800', '0x0').replace(/irqchip: emulated/, 'irqchip: in-kernel').replace(/\(\(nil\)\)/g, '(0x7f00aa)');
    assert.deepEqual(compareInfoPic(XICS_DUMP, model), []);
  });

  test('one changed field is reported at its line with both values', () => {
    const lines = XIVE_DUMP.split('\r\n');
    lines[7] = lines[7].replace('OS    00   ff', 'OS    00   05'); // CPU[0001] OS CPPR
    lines[14] = lines[14].replace('00000019', '00000099'); // LISN 00001001 EISN
    assert.deepEqual(compareInfoPic(XIVE_DUMP, lines.join('\r\n')), [
      { line: 8, field: 'CPU[0001] OS CPPR', expected: 'ff', actual: '05' },
      { line: 15, field: 'LISN 00001001 EISN', expected: '00000019', actual: '00000099' },
    ]);
  });

  test('queue fields, PQ, a missing LISN and an extra one', () => {
    const lines = XIVE_DUMP.split('\r\n');
    const changed = [...lines];
    changed[13] = changed[13].replace('317/16384', '318/16384').replace('^1 [', '^0 [').replace(/^  00001000 MSI --/, '  00001000 MSI P-');
    changed.splice(15, 1, changed[15].replace('00001100', '00001104'));
    const d = compareInfoPic(XIVE_DUMP, changed.join('\r\n'));
    assert.deepEqual(d.map((x) => `${x.line} ${x.field} ${x.expected}->${x.actual}`), [
      '14 LISN 00001000 PQ --->P-',
      '14 LISN 00001000 EQ index/size 317/16384->318/16384',
      '14 LISN 00001000 EQ ^toggle 1->0',
      '16 LISN 00001100 present->absent',
      '27 LISN 00001104 absent->present',
    ]);
    assert.deepEqual(compareInfoPic(XIVE_DUMP, XIVE_DUMP.replace('80000010 80000010 80000010 80000010 80000010 ^00000000 ]', '0 0')).length > 0, true);
  });

  test('the queue window can be left out (a rebuilt state has no guest RAM)', () => {
    const other = XIVE_DUMP.replace(/\[ [^\]]*\]/g, '[ 00000000 00000000 00000000 00000000 00000000 ^00000000 ]');
    assert.ok(compareInfoPic(XIVE_DUMP, other).some((d) => d.field.endsWith('EQ entries')));
    assert.deepEqual(compareInfoPic(XIVE_DUMP, other, { ignoreQueueEntries: true }), []);
  });

  test('XIVE against XICS, and an unreadable dump', () => {
    assert.deepEqual(compareInfoPic(XIVE_DUMP, XICS_DUMP), [{ line: 1, field: 'controller', expected: 'XIVE', actual: 'XICS' }]);
    const d = compareInfoPic(XIVE_DUMP, 'nonsense');
    assert.equal(d.length, 1);
    assert.equal(d[0].field, 'dump (actual)');
    assert.match(d[0].actual, /not a line/);
  });
});
