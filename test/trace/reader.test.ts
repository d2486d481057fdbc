/** The trace reader on lines of QEMU 7.2 and of current QEMU, and on every kind of bad line. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readTraceLine, TraceSummary } from '../../src/trace/reader';
import { createTraceReplayCore } from '../../src/trace/core';

function event(line: string) {
  const o = readTraceLine(line);
  assert.equal(o.kind, 'event', o.kind === 'skip' ? o.message : '');
  return o.kind === 'event' ? o.event : (null as never);
}

function skip(line: string | { text: string; overLong?: boolean; unterminated?: boolean }) {
  const o = readTraceLine(line);
  assert.equal(o.kind, 'skip');
  return o.kind === 'skip' ? o : (null as never);
}

describe('trace reader: QEMU 7.2 lines', () => {
  test('the prefix gives thread and time; IBP= is the IPB', () => {
    const e = event('8795@1795346588.189641:xive_tctx_notify target=0 ring=0x10 IBP=0x02 PIPR=0x06 CPPR=0xff NSR=0x80 raise !');
    assert.equal(e.name, 'xive_tctx_notify');
    assert.equal(e.tid, 8795);
    assert.equal(e.time, 1795346588.189641);
    assert.deepEqual(e.args.num, { target: 0n, ring: 0x10n, ipb: 2n, pipr: 6n, cppr: 0xffn, nsr: 0x80n });
  });
  test('TIMA and ESB accesses, set_cppr, presenter_notify, XICS and PCI events', () => {
    assert.deepEqual(event('8794@1.5:xive_tctx_tm_read @0x20810 sz=2 val=0x8006').args.num, { offset: 0x20810n, size: 2n, val: 0x8006n });
    assert.deepEqual(event('xive_source_esb_read @0x10c00 IRQ 0x0 val=0x1').args.num, { addr: 0x10c00n, srcno: 0n, val: 1n });
    assert.equal(event('1@1:xive_tctx_set_cppr target=1 ring=0x10 IBP=0x00 PIPR=0xff new CPPR=0xff NSR=0x00').args.num.cppr, 0xffn);
    assert.deepEqual(event('1@1:xive_presenter_notify found NVT 0x0/0x400 ring=0x10').args.num, { nvt_blk: 0n, nvt_idx: 0x400n, ring: 0x10n });
    assert.deepEqual(event('8848@1.0:xics_icp_accept icp_accept: XIRR 0xff000002->0x4000000').args.num, { old_xirr: 0xff000002n, new_xirr: 0x4000000n });
    assert.deepEqual(event('8848@1.0:xics_ics_write_xive ics_write_xive: irq 0x1000 [src 0] server 0x0 prio 0x5').args.num, { nr: 0x1000n, srcno: 0n, server: 0n, priority: 5n });
    const lsi = event('8845@1.0:spapr_pci_lsi_set pci@800000020000000 PIN3 IRQ 4611');
    assert.equal(lsi.args.str.busname, 'pci@800000020000000');
    assert.equal(lsi.args.num.irq, 4611n);
    assert.equal(event('8849@1.0:spapr_pci_msi_setup dev"virtio-net-pci" vector 0, addr=0x40000000000').args.str.name, 'virtio-net-pci');
  });
});

describe('trace reader: current QEMU lines', () => {
  test('IPB= replaces IBP=', () => {
    assert.equal(event('1@2.5:xive_tctx_accept target=3 ring=0x10 IPB=0x00 PIPR=0xff CPPR=0x06 NSR=0x00 ACK').args.num.ipb, 0n);
    assert.equal(event('xive_tctx_notify target=3 ring=0x10 IPB=0x40 PIPR=0x01 CPPR=0xff NSR=0x80 raise !').args.num.ipb, 0x40n);
  });
  test('TIMA accesses name their target', () => {
    assert.deepEqual(event('1@2.5:xive_tctx_tm_write target=2 @0x20011 sz=1 val=0xff').args.num, { target: 2n, offset: 0x20011n, size: 1n, val: 0xffn });
    assert.equal(event('xive_tctx_tm_read target=1 @0x20810 sz=2 val=0x8006').args.num.target, 1n);
  });
  test('presenter_notify prints the group level', () => {
    assert.equal(event('1@2.5:xive_presenter_notify found NVT 0x0/0x401 ring=0x10 group_level=0').args.num.group_level, 0n);
  });
  test('a TIMA store in the current format replays on the vCPU it names', () => {
    const core = createTraceReplayCore();
    const s = core.initial();
    core.apply(s, '1@1.0:spapr_xive_set_queue_config flags=0x1 target=0x2 priority=0x6 qpage=0x36a0000 qsize=0x10', { uri: 't', line: 0 });
    core.apply(s, '1@1.1:xive_tctx_tm_write target=2 @0x20011 sz=1 val=0xff', { uri: 't', line: 1 });
    const r = core.apply(s, '1@1.2:xive_tctx_set_cppr target=2 ring=0x10 IPB=0x00 PIPR=0xff new CPPR=0xff NSR=0x00', { uri: 't', line: 2 });
    assert.deepEqual(r.checks.map((c) => c.ok), [true]);
    // The store went to vCPU 2: a CPPR QEMU did not set there is reported against the model's 0xff.
    const bad = core.apply(s, '1@1.3:xive_tctx_set_cppr target=2 ring=0x10 IPB=0x00 PIPR=0xff new CPPR=0x05 NSR=0x00', { uri: 't', line: 3 });
    assert.deepEqual(bad.checks.map((c) => [c.ok, c.qemu, c.model]), [[false, '0x5', '0xff']]);
  });
});

describe('trace reader: bad input is named and counted', () => {
  test('an unknown event of ours, and an unknown prefixed event', () => {
    assert.equal(skip('1@1.0:xive_frobnicate x=1').reason, 'unknown-event');
    assert.match(skip('1@1.0:memory_region_ops_read cpu 0 addr 0x0').message, /unknown trace event 'memory_region_ops_read'/);
  });
  test('other machines: PowerNV and XIVE2 events', () => {
    assert.equal(skip('1@1.0:pnv_xive_ic_hw_trigger @0x10 val=0x1').reason, 'other-machine');
    assert.match(skip('xive_nvp_backlog_op NVP 0x0/0x1 operation=0 priority=1 rc=0').message, /another machine/);
  });
  test('arguments that do not parse name the expected format', () => {
    const s = skip('1@1.0:xive_source_esb_read @zz IRQ val=');
    assert.equal(s.reason, 'bad-args');
    assert.match(s.message, /expected '@0x%x IRQ 0x%x val=0x%x'/);
  });
  test('binary garbage, escaped in the message', () => {
    const s = skip('\x00\x01\x7fELF');
    assert.equal(s.reason, 'binary');
    assert.match(s.message, /\\x00\\x01/);
  });
  test('over-long and truncated lines', () => {
    assert.equal(skip({ text: 'xive_source_esb_read @0x0', overLong: true }).reason, 'over-long');
    assert.equal(skip({ text: '1@1.0:xive_tctx_tm_read @0x20810 sz=2 val=0x80', unterminated: true }).reason, 'truncated');
  });
  test('-d int lines are not trace events: counted, not listed', () => {
    const sum = new TraceSummary();
    sum.read('log-1.txt', 1, 'Raise exception at 0000000000000144 => SYSCALL (8) error=01');
    sum.read('log-1.txt', 2, 'hypercall r3=0000000000000074 r4=00000000000000ff');
    sum.read('log-1.txt', 3, '1@1.0:xive_frobnicate');
    assert.equal(sum.skipped['not-trace'], 2);
    assert.deepEqual(sum.issues.map((i) => [i.file, i.line, i.reason]), [['log-1.txt', 3, 'unknown-event']]);
    assert.equal(sum.describe(), '3 lines skipped: 2 not a trace event (e.g. -d int output), 1 unknown trace event');
  });
  test('the list of issues is bounded, the count is not', () => {
    const sum = new TraceSummary(3);
    for (let i = 0; i < 1000; i++) sum.read('t', i + 1, '1@1.0:xive_frobnicate');
    assert.equal(sum.issues.length, 3);
    assert.equal(sum.skipped['unknown-event'], 1000);
  });
});
