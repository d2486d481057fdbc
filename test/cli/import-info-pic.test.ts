/**
 * `irqlab import info-pic` and `irqlab run --info-pic`, spawned: every recorded dump is rebuilt by a
 * scenario that runs green, and the model's `info pic` after it equals the dump (modulo the fields
 * the comparer ignores, and the queue pages a scenario cannot write).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { compareInfoPic } from '../../src/model/info-pic-compare';
import { ensureBuilt, ROOT } from '../debug/harness';
import { sharedDumps } from '../model/shared-traces';

const CLI = join(ROOT, 'bin', 'irqlab.js');
const FIXTURE = join(ROOT, 'test', 'model', 'fixtures', 'info-pic-qemu-7.2-xive-2cpu.txt');

before(() => ensureBuilt());

function cli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `info pic` block `run --info-pic` printed after the file's header line. */
function printedInfoPic(stdout: string, file: string): string {
  const start = stdout.indexOf(`${file}: info pic\n`);
  assert.ok(start >= 0, `no info pic for ${file} in:\n${stdout}`);
  const body = stdout.slice(start).split('\n').slice(1);
  const end = body.findIndex((l) => l.startsWith('irqchip: '));
  return body.slice(0, end + 1).join('\n') + '\n';
}

function importAndRun(dump: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-import-'));
  const out = join(dir, 'state.irq');
  const imp = cli(['import', 'info-pic', dump, '-o', out]);
  assert.equal(imp.status, 0, imp.stderr);
  const run = cli(['run', '--info-pic', out]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /\d+ passed, 0 failed\n$/);
  const diffs = compareInfoPic(readFileSync(dump, 'utf8'), printedInfoPic(run.stdout, out), { ignoreQueueEntries: true });
  assert.deepEqual(diffs, [], `${dump}: the model's info pic differs`);
}

describe('import info-pic, then run --info-pic', () => {
  test('the fixture (XIVE, 2 vCPUs)', () => importAndRun(FIXTURE));
  for (const dump of sharedDumps()) {
    test(`${basename(dirname(dump))}/${basename(dump)}`, () => importAndRun(dump));
  }

  test('a changed value in the dump fails the comparison at its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-import-'));
    const out = join(dir, 'state.irq');
    assert.equal(cli(['import', 'info-pic', FIXTURE, '-o', out]).status, 0);
    const run = cli(['run', '--info-pic', out]);
    const changed = readFileSync(FIXTURE, 'utf8').replace('00001001 MSI --', '00001001 MSI P-');
    assert.deepEqual(compareInfoPic(changed, printedInfoPic(run.stdout, out), { ignoreQueueEntries: true }),
      [{ line: 15, field: 'LISN 00001001 PQ', expected: 'P-', actual: '--' }]);
  });

  test('without -o the scenario goes to stdout, in QEMU\'s restore order', () => {
    const r = cli(['import', 'info-pic', FIXTURE]);
    assert.equal(r.status, 0, r.stderr);
    const order = ['device xive', 'set eq_config server 0 priority 6', 'set source 0x1000 = 0', 'set source_config 0x1000 = { priority 6, server 0, eisn 0x14 }', 'set vp vcpu 1 = 0x00ff_00ff_ff00_ffff', 'esb 0x1101 load 0xd00', 'get vp vcpu 1 -> 0x00ff_00ff_ff00_ffff'];
    let at = -1;
    for (const s of order) {
      const i = r.stdout.indexOf(s);
      assert.ok(i > at, `'${s}' missing or out of order`);
      at = i;
    }
  });
});

describe('bad input and usage', () => {
  test('a bad dump: exit 2, file:line: why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-import-'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, readFileSync(FIXTURE, 'utf8').replace('CPU[0001]: POOL', 'CPU[0001]: P\u001bOOL'));
    const r = cli(['import', 'info-pic', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.txt:9: not a line of QEMU's sPAPR "info pic": "CPU\[0001\]: P\\x1bOOL/);
    assert.equal(r.stdout, '');
  });

  test('missing file, missing DUMP, unknown kind, unknown option', () => {
    assert.match(cli(['import', 'info-pic', '/nonexistent/dump.txt']).stderr, /dump\.txt/);
    assert.equal(cli(['import', 'info-pic']).status, 2);
    const kind = cli(['import', 'pcap', 'x']);
    assert.equal(kind.status, 2);
    assert.match(kind.stderr, /unknown kind 'pcap'/);
    assert.equal(cli(['import', 'info-pic', FIXTURE, '--frob']).status, 2);
  });

  test('run --info-pic --json carries the dump', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-import-'));
    const out = join(dir, 'state.irq');
    assert.equal(cli(['import', 'info-pic', FIXTURE, '-o', out]).status, 0);
    const r = cli(['run', '--json', '--info-pic', out]);
    assert.equal(r.status, 0);
    const j = JSON.parse(r.stdout) as { infoPic: string[]; failed: number };
    assert.equal(j.failed, 0);
    assert.match(j.infoPic[0], /CPU\[0001\]:   OS    00   ff  00    ff   ff  00  ff   ff  80000401/);
  });
});
