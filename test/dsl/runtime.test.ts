/** The interpreter, statement by statement and expectation by expectation (pass and fail). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectQueues, inspectSources } from '../../src/model';
import { runScenarioText } from '../../src/dsl/runtime';
import { files, run, runtimeOf, valueOf, verdicts, XIVE_SETUP } from './runtime-helpers';

describe('statements', () => {
  test('scenario, let and device: lets are evaluated at run time', () => {
    const rt = runtimeOf('scenario "t"\nlet a = 0x10\nlet b = a * 2 + 1\ndevice xive\n');
    assert.equal(rt.step().kind, 'executed');
    const o = rt.step();
    assert.ok(o.kind === 'executed' && o.result.value === 0x21n);
    rt.step();
    assert.equal(rt.vm.device?.kind, 'xive');
    assert.equal(rt.step().kind, 'end');
    assert.ok(rt.finished);
  });

  test('device release and a second device', () => {
    const r = run('device xics\ndevice release\ndevice xics-pr -> ok\ndevice xive -> ENODEV\n');
    assert.deepEqual(verdicts(r), [[3, true], [4, true]]);
  });

  test('ctrl: XIVE nr_servers, eq_sync and reset; XICS-on-XIVE nr_servers via XICS_GRP.CTRL', () => {
    const xive = runtimeOf('device xive\nctrl nr_servers 8\nctrl eq_sync\nctrl reset\nvcpu 8 connect -> EINVAL\n');
    xive.runToEnd();
    assert.equal(xive.results.every((r) => r.ok), true, JSON.stringify(xive.results));
    assert.equal(valueOf(xive, 'device.nr_servers'), 8n);
    const xox = run('device xics-on-xive\nctrl nr_servers 4\nvcpu 4 connect -> EINVAL\n');
    assert.deepEqual(verdicts(xox), [[3, true]]);
    const legacy = run('device xics\nctrl nr_servers 4 -> ENXIO\n');
    assert.deepEqual(verdicts(legacy), [[2, true]]);
  });

  test('vcpu connect options (server, flags, fd, cap) and run/stop', () => {
    const r = run(`device xive
vcpu 0 connect flags 1 -> EINVAL
vcpu 0 connect fd 99 -> EBADF
vcpu 0 connect cap 92 -> EPERM
vcpu 0 connect server 5
get vp vcpu 0 -> 0x0000_0000_ff00_0000
vcpu 0 run
vcpu 0 stop
vcpu 7 run -> ENOENT
`);
    assert.deepEqual(verdicts(r), [[2, true], [3, true], [4, true], [6, true], [9, true]]);
    const rt = runtimeOf('device xive\nvcpu 0 connect server 5\n');
    rt.runToEnd();
    assert.equal(rt.vm.vcpus[0].server, 5);
  });

  test('set/get source use the XICS group and layout on XICS devices, the XIVE ones on XIVE', () => {
    const xics = run('device xics\nvcpu 0 connect\nset source 0x1000 = { server 0, priority 5, masked }\nget source 0x1000 -> { masked 1, priority 5 }\nget source 0x1000 -> 0x0000_0205_0000_0000\n');
    assert.deepEqual(verdicts(xics), [[4, true], [5, true]]);
    const xive = run('device xive\nset source 0x1300 = { level_sensitive }\nget source 0x1300 -> ENXIO\n');
    assert.deepEqual(verdicts(xive), [[3, true]]);
  });

  test('a successful write says what it wrote, decoded', () => {
    const rt = runtimeOf('device xive\nvcpu 1 connect\nset source 0x1300 = 0\nset eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000 }\nset source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }\n');
    const displays: string[] = [];
    for (let o = rt.step(); o.kind === 'executed'; o = rt.step()) displays.push(o.result.display);
    assert.equal(displays[3], 'ok: wrote { flags 0x1, qshift 0x10, qaddr 0x10000, qtoggle 0x0, qindex 0x0 }');
    assert.equal(displays[4], 'ok: wrote 0x000026000000000e (prio=6 server=1 eisn=0x1300)');
  });

  test('set source_config with a raw word and a field block encode the same word', () => {
    const a = runtimeOf(`${XIVE_SETUP}set source_config 0x1300 = 0x0000_2600_0000_000e\n`);
    const b = runtimeOf(`${XIVE_SETUP}set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }\n`);
    a.runToEnd();
    b.runToEnd();
    assert.deepEqual(inspectSources(a.vm), inspectSources(b.vm));
    assert.equal(inspectSources(a.vm)[0].priority, 6);
  });

  test('set/get eq_config: field block payload, badaddr fault, fields compared by name', () => {
    const r = run(`device xive
vcpu 1 connect
set eq_config server 1 priority 6 = badaddr -> EFAULT
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x30000, qtoggle 1, qindex 0 }
get eq_config server 1 priority 6 -> { flags always_notify, qaddr 0x30000, qshift 16 }
attr get group 4 attr 0xe -> { qaddr 0x30000 }
`);
    assert.deepEqual(verdicts(r), [[3, true], [5, true], [6, true]]);
  });

  test('set/get icp and vp through ONE_REG, with field blocks', () => {
    const r = run(`device xics
vcpu 0 connect
set icp vcpu 0 = { cppr 0xff, mfrr 0xff, ppri 0xff }
get icp vcpu 0 -> 0xff00_0000_ffff_0000
get vp vcpu 0 -> ENXIO
`);
    assert.deepEqual(verdicts(r), [[4, true], [5, true]]);
    const x = run(`device xive
vcpu 1 connect
set vp vcpu 1 = { cppr 5, ack 0xff }
get vp vcpu 1 -> { cppr 5, ack 0xff }
`);
    assert.deepEqual(verdicts(x), [[4, true]]);
  });

  test('sync → SOURCE_SYNC', () => {
    const r = run('device xive\nsync source 0x1300 -> ENOENT\nset source 0x1300 = 0\nsync source 0x1300 -> ok\nsync source 0x1301 -> EINVAL\n');
    assert.deepEqual(verdicts(r), [[2, true], [4, true], [5, true]]);
  });

  test('esb load/store on the management page, a store on the trigger page', () => {
    const r = run(`${XIVE_SETUP}esb 0x1300 load 0x800 -> 0
esb 0x1300 trigger store 0x0
esb 0x1300 load 0x800 -> 2
esb 0x1300 load 0x000 -> 0
esb 0x1300 trigger load 0x0 -> 0xffff_ffff_ffff_ffff
`);
    assert.deepEqual(verdicts(r).slice(0), [[9, true], [11, true], [12, true], [13, true]]);
  });

  test('tima loads and stores with their sizes', () => {
    const r = run(`${XIVE_SETUP}tima vcpu 1 load8 0x11 -> 0xff
tima vcpu 1 store8 0x11 5
tima vcpu 1 load32 0x10 -> 0x0005_0000
tima vcpu 1 load64 0x10 -> 0x0005_0000_ff00_00ff
tima vcpu 0 load16 0x810 -> 0x0000
tima vcpu 5 load8 0x11 -> SIGBUS
`);
    // A 1-byte raw read is not a valid OS-page access: it reads all ones (spec §3.10).
    assert.deepEqual(verdicts(r), [[9, true], [11, true], [12, true], [13, true], [14, true]]);
  });

  test('eq reads new entries like a guest scan; -> [] when nothing arrived', () => {
    const r = run(`${XIVE_SETUP}eq server 1 priority 6 -> []
esb 0x1300 store 0
esb 0x1300 load 0
esb 0x1300 store 0
eq server 1 priority 6 -> [0x8000_1300, 0x8000_1300]
eq server 1 priority 6 -> []
eq server 0 priority 6 -> []
`);
    // Server 0 has no queue: the scan reads nothing (a guest read has no errno).
    assert.deepEqual(verdicts(r), [[9, true], [13, true], [14, true], [15, true]]);
  });

  test('the queue reader state is part of the model state (snapshotted)', () => {
    const rt = runtimeOf(`${XIVE_SETUP}esb 0x1300 store 0\neq server 1 priority 6\n`);
    rt.runToEnd();
    const q = inspectQueues(rt.vm)[0];
    assert.deepEqual([q.readerIndex, q.readerToggle], [1, 0]);
  });

  test('hcall: positional and named arguments, r4 value, named outputs', () => {
    const r = run(`device xics
vcpu 0 connect
hcall vcpu 0 H_CPPR 0xff
hcall vcpu 0 H_IPI 0, 4
hcall vcpu 0 H_IPOLL server 0 -> { r4 0xff00_0002, mfrr 4 }
hcall vcpu 0 H_XIRR -> 0xff00_0002
hcall vcpu 0 H_XIRR -> { xirr 0x0400_0000 }
`);
    assert.deepEqual(verdicts(r), [[5, true], [6, true], [7, true]]);
  });

  test('line: assert, deassert, pulse, set, unset, set_level and level N', () => {
    const r = run(`device xics
vcpu 0 connect
hcall vcpu 0 H_CPPR 0xff
set source 0x1000 = { server 0, priority 5 }
set source 0x1001 = { server 0, priority 5, level_sensitive }
line 0x1000 pulse
get source 0x1000 -> { presented 1 }
line 0x1001 assert
line 0x1001 deassert
get source 0x1001 -> { pending 0, presented 0 }
line 0x1001 set_level
get source 0x1001 -> { pending 1 }
line 0x1001 unset
line 0x1001 level 1
get source 0x1001 -> { pending 1 }
line 0x1000 set
line 0x1000 deassert
`);
    assert.deepEqual(verdicts(r), [[7, true], [10, true], [12, true], [15, true]]);
  });

  test('rtas: -> VALUE compares the status; { status, r1, r2 }', () => {
    const r = run(`device xics
vcpu 0 connect
set source 0x1000 = { server 0, priority 5 }
rtas ibm,get-xive 0x1000 -> { status 0, r1 0, r2 5 }
rtas ibm,set-xive 0x1000, 9, 5 -> -3
rtas ibm,int-off 0x1000 -> 0
rtas ibm,get-xive 0x1000 -> { r2 0xff }
`);
    assert.deepEqual(verdicts(r), [[4, true], [5, true], [6, true], [7, true]]);
  });

  test('attr set/get/has by group number with the group layout', () => {
    const r = run(`device xive
vcpu 1 connect
attr set group 2 attr 0x1300 = { level_sensitive }
attr has group 2 attr 0x1300 -> ok
attr get group 2 attr 0x1300 -> ENXIO
attr set group 9 attr 0 = 0 -> ENXIO
attr set group 4 attr 0xe = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }
attr get group 4 attr 0xe -> { qshift 16 }
`);
    assert.deepEqual(verdicts(r), [[4, true], [5, true], [6, true], [8, true]]);
  });

  test('proc/call bind parameters; repeat binds its variable; log interpolates', () => {
    const r = run(`let base = 0x1200
proc note(x, y) {
  log "x={x} y={y} sum={x + y} base={base}"
}
repeat 3 as i {
  call note(i, base)
}
`);
    assert.deepEqual(r.log.map((l) => l.text), [
      'x=0 y=0x1200 sum=0x1200 base=0x1200',
      'x=1 y=0x1200 sum=0x1201 base=0x1200',
      'x=2 y=0x1200 sum=0x1202 base=0x1200',
    ]);
  });

  test('log interpolates register expressions', () => {
    const r = run(`${XIVE_SETUP}esb 0x1300 store 0\nlog "pq {source(0x1300).pq} index {eq(1, 6).index} ok {source(0x1300).pq == 2}"\n`);
    assert.deepEqual(r.log.map((l) => l.text), ['pq P- index 1 ok true']);
  });

  test('include runs the included statements and makes its procs and lets available', () => {
    const lib = 'let q = 0x10000\nproc open(cpu) {\n  tima vcpu cpu store8 0x11 0xff\n}\ndevice xive\n';
    const r = run('include "lib/a.irq"\nvcpu 1 connect\ncall open(1)\ntima vcpu 1 load8 0x11 -> 0xff\nlog "{q}"\n', files({ 'lib/a.irq': lib }));
    assert.deepEqual(verdicts(r), [[4, true]]);
    assert.deepEqual(r.log.filter((l) => l.kind === 'log').map((l) => l.text), ['0x10000']);
  });

  test('a missing include is an error diagnostic and nothing runs', () => {
    const r = runScenarioText('t.irq', 'include "nope.irq"\ndevice xive\n', files());
    assert.ok(r.diagnostics.some((d) => d.severity === 'error' && /nope\.irq/.test(d.message)));
    assert.equal(r.results.length, 0);
  });
});

describe('expectations', () => {
  test('-> VALUE passes and fails', () => {
    const r = run(`${XIVE_SETUP}esb 0x1300 load 0x800 -> 0\nesb 0x1300 load 0x800 -> 3\n`);
    assert.deepEqual(verdicts(r), [[9, true], [10, false]]);
    assert.match(r.results[1].message, /expected 0x3, got 0x0/);
    assert.equal(r.results[1].expected, '0x3');
    assert.equal(r.results[1].actual, '0x0');
  });

  test('-> VALUE on a word with a layout shows the decoded summary', () => {
    const r = run('device xics\nvcpu 0 connect\nget icp vcpu 0 -> 0xff00_0000_ffff_0000\n');
    assert.equal(r.results[0].ok, false);
    assert.match(r.results[0].message, /cppr=0x00/);
  });

  test('-> { fields } compares only the named fields', () => {
    const r = run('device xics\nvcpu 0 connect\nget icp vcpu 0 -> { mfrr 0xff }\nget icp vcpu 0 -> { mfrr 0xff, cppr 1 }\n');
    assert.deepEqual(verdicts(r), [[3, true], [4, false]]);
    assert.match(r.results[1].message, /cppr 0x0 ≠ 0x1/);
  });

  test('-> ERRNO passes on that errno and fails on success or another errno', () => {
    const r = run('device xive\nset source_config 0x1300 = 0 -> ENOENT\nset source_config 0x1300 = 0 -> EINVAL\nset source 0x1300 = 0 -> EBUSY\n');
    assert.deepEqual(verdicts(r), [[2, true], [3, false], [4, false]]);
    assert.match(r.results[1].message, /expected EINVAL, got ENOENT/);
    assert.match(r.results[2].message, /expected EBUSY, got success/);
  });

  test('-> H_* compares the hcall return code', () => {
    const r = run('device xics\nvcpu 0 connect\nhcall vcpu 0 H_IPI 3, 4 -> H_PARAMETER\nhcall vcpu 0 H_IPI 3, 4 -> H_SUCCESS\n');
    assert.deepEqual(verdicts(r), [[3, true], [4, false]]);
  });

  test('hcall -> VALUE needs H_SUCCESS', () => {
    const r = run('device xics\nvcpu 0 connect\nhcall vcpu 0 H_IPOLL 7 -> 0\n');
    assert.equal(r.results[0].ok, false);
    assert.match(r.results[0].message, /H_PARAMETER/);
  });

  test('-> [entries] passes and fails', () => {
    const r = run(`${XIVE_SETUP}esb 0x1300 store 0\neq server 1 priority 6 -> [0x8000_1301]\neq server 1 priority 6 -> []\n`);
    assert.deepEqual(verdicts(r), [[10, false], [11, true]]);
    assert.match(r.results[0].message, /expected \[0x80001301\], got \[0x80001300\]/);
  });

  test('-> ok passes on success and fails on an error', () => {
    const r = run('device xive\nset source 0x1300 = 0 -> ok\nset source 0x100000 = 0 -> ok\n');
    assert.deepEqual(verdicts(r), [[2, true], [3, false]]);
    assert.match(r.results[1].message, /E2BIG/);
  });

  test('a failing operation without an expectation fails with errno and reason, and the run goes on', () => {
    const r = run('device xive\nset source_config 0x1300 = 0\nset source 0x1300 = 0 -> ok\n');
    assert.deepEqual(verdicts(r), [[2, false], [3, true]]);
    assert.match(r.results[0].message, /ENOENT: no source block holds 0x1300/);
    assert.equal(r.log.find((l) => l.kind === 'error')?.location.line, 1);
  });

  test('a failing hcall without an expectation fails the scenario too', () => {
    const r = run('device xics\nvcpu 0 connect\nhcall vcpu 0 H_IPI 3, 4\n');
    assert.deepEqual(verdicts(r), [[3, false]]);
    assert.match(r.results[0].message, /H_PARAMETER/);
  });

  test('run-time errors (division by zero) fail the statement and the run goes on', () => {
    const r = run('let z = 0\nlet x = 1 / z\nlog "after"\n');
    assert.deepEqual(verdicts(r), [[2, false]]);
    assert.match(r.results[0].message, /division by zero/);
    assert.equal(r.log.at(-1)?.text, 'after');
  });

  test('results carry the 0-based line and column of the statement and the step', () => {
    const r = run('device xive\n  set source 0x1300 = 0 -> EBUSY\n');
    assert.deepEqual([r.results[0].line, r.results[0].col, r.results[0].step], [1, 2, 2]);
  });
});
