/** `irqlab explain TRACE ... [--at LINE]` through the spawned CLI, on the shipped XIVE 2-cpu sample. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const CLI = join(process.cwd(), 'dist', 'cli.js');
const SAMPLE = 'examples/qemu-7.2-xive-2cpu/trace.log';

function irqlab(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('irqlab explain on a QEMU trace (spawned)', () => {
  before(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
  });

  // Source 0x1300 (a virtio MSI) along the sample: claimed at 2333, turned on by the PQ=00 load
  // at 2356, configured to vCPU 1 at 2357, retargeted to vCPU 0 at 3886, triggered at 4658.
  const rows: [number | null, RegExp, RegExp][] = [
    [2332, /source 0x1300 \(xive\): blocked: source 0x1300 not declared/, /BLOCKS source 0x1300/],
    [2342, /source 0x1300 \(xive\): blocked: PQ 01 \(off\)/, /BLOCKS ESB PQ {2}\[pq=01 /],
    [2357, /source 0x1300 \(xive\): ready: next trigger reaches vCPU 1/, /configuration {2}\[masked=false priority=6 server=1 eisn=0x1a\]/],
    [3886, /source 0x1300 \(xive\): ready: next trigger reaches vCPU 0/, /configuration {2}\[masked=false priority=6 server=0 eisn=0x1a\]/],
    [null, /source 0x1300 \(xive\): pending at vCPU 0/, /ESB PQ {2}\[pq=10 /],
  ];
  for (const [at, verdict, link] of rows) {
    test(`source 0x1300 ${at === null ? 'at the end' : `after line ${at}`}`, () => {
      const r = irqlab('explain', SAMPLE, 'source', '0x1300', ...(at === null ? [] : ['--at', String(at)]));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, at === null ? /: at the end of the trace \(\d+ trace events replayed, the last on line 4665\)/ : new RegExp(`: after trace line ${at} \\(`));
      assert.match(r.out, verdict);
      assert.match(r.out, link);
    });
  }

  test('vcpu 0 after line 3000: CPPR 6, its queue\'s unread entries and what to do next', () => {
    const r = irqlab('explain', SAMPLE, 'vcpu', '0', '--at', '3000');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /vCPU 0 \(xive\): idle \(CPPR 6\)/);
    assert.match(r.out, /priority 6: 183 unread of 16384, index 183, generation 1/);
  });

  test('a queue entry names the trace line that wrote it', () => {
    const r = irqlab('explain', SAMPLE, 'eq', '0', '6', '317');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /EQ 0\/6\[317\] = 0x8000001a: EISN 0x1a/);
    assert.match(r.out, /trace\.log:4658: spapr_xive_set_irq lisn=0x1300 val=1 \(source 0x1300\)/);
  });

  test('--json and a gzip trace give the same explanation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-explain-trace-'));
    const gz = join(dir, 'trace.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE)));
    const a = irqlab('explain', '--json', SAMPLE, 'source', '0x1300', '--at', '2357');
    const b = irqlab('explain', '--json', gz, 'source', '0x1300', '--at', '2357');
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const ja = JSON.parse(a.out) as { at: { line: number }; explanation: unknown };
    const jb = JSON.parse(b.out) as { at: { line: number }; explanation: unknown };
    assert.equal(ja.at.line, 2357);
    assert.deepEqual(jb.explanation, ja.explanation);
  });

  test('--at past the end of the trace exits 2 naming the line count', () => {
    const r = irqlab('explain', SAMPLE, 'source', '0x1300', '--at', '99999');
    assert.equal(r.code, 2);
    assert.match(r.err, /--at 99999 is past the end of trace\.log \(4665 lines\)/);
  });
});
