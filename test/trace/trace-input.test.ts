/** The CLI's trace input: plain and gzip streams, bounded lines, per-thread logs merged, refusals; replay exit codes. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_TRACE_LINE_BYTES, streamTraceLines, TraceLine } from '../../src/cli/trace-input';

const tmp = mkdtempSync(join(tmpdir(), 'irqlab-input-'));

async function collect(paths: string[]): Promise<{ lines: [string, TraceLine][]; unreadable: string[]; problems: string[] }> {
  const lines: [string, TraceLine][] = [];
  const r = await streamTraceLines(paths, (f, l) => lines.push([f, l]));
  return { lines, unreadable: r.unreadable.map((p) => p.message), problems: r.problems.map((p) => p.message) };
}

function irqlab(...args: string[]) {
  return spawnSync(process.execPath, ['bin/irqlab.js', ...args], { encoding: 'utf8' });
}

describe('trace input', () => {
  test('plain and gzip files give the same lines; CRLF is trimmed; a missing final newline is flagged', async () => {
    const text = 'a\r\nb\nc';
    writeFileSync(join(tmp, 'p.log'), text);
    writeFileSync(join(tmp, 'p.log.gz'), gzipSync(text));
    for (const f of ['p.log', 'p.log.gz']) {
      const { lines } = await collect([join(tmp, f)]);
      assert.deepEqual(lines.map(([, l]) => [l.line, l.text, l.unterminated ?? false]), [[0, 'a', false], [1, 'b', false], [2, 'c', true]]);
    }
  });
  test('an over-long line is cut at the limit and flagged; the next line is whole', async () => {
    writeFileSync(join(tmp, 'long.log'), `${'x'.repeat(MAX_TRACE_LINE_BYTES * 3)}\nnext\n`);
    const { lines } = await collect([join(tmp, 'long.log')]);
    assert.equal(lines.length, 2);
    assert.equal(lines[0][1].overLong, true);
    assert.equal(lines[0][1].text.length, MAX_TRACE_LINE_BYTES);
    assert.deepEqual([lines[1][1].line, lines[1][1].text], [1, 'next']);
  });
  test('per-thread logs merge in time order; an unstamped line stays after its file\'s previous line', async () => {
    writeFileSync(join(tmp, 'log-1.txt'), '1@10.0:a\nnoise\n1@12.0:c\n');
    writeFileSync(join(tmp, 'log-2.txt'), '2@11.0:b\n2@13.0:d\n');
    const { lines } = await collect([join(tmp, 'log-1.txt'), join(tmp, 'log-2.txt')]);
    assert.deepEqual(lines.map(([, l]) => l.text), ['1@10.0:a', 'noise', '2@11.0:b', '1@12.0:c', '2@13.0:d']);
  });
  test('a directory, a FIFO and a missing file are refused at once (no hang)', async () => {
    mkdirSync(join(tmp, 'dir'), { recursive: true });
    execFileSync('mkfifo', [join(tmp, 'fifo')]);
    const { unreadable } = await collect([join(tmp, 'dir'), join(tmp, 'fifo'), join(tmp, 'missing')]);
    assert.equal(unreadable.length, 3);
    assert.match(unreadable[0], /is a directory/);
    assert.match(unreadable[1], /not a regular file/);
    assert.match(unreadable[2], /no such file/);
  });
  test('a cut gzip file: the lines before are read and the cut is named', async () => {
    const gz = gzipSync(Array.from({ length: 20000 }, (_, i) => `1@${i}.0:xive_source_esb_read @0x10c00 IRQ 0x0 val=0x1`).join('\n'));
    writeFileSync(join(tmp, 'cut.log.gz'), gz.subarray(0, gz.length >> 1));
    const { lines, problems } = await collect([join(tmp, 'cut.log.gz')]);
    assert.ok(lines.length > 100);
    assert.match(problems[0], /cut short|corrupt/);
  });
});

describe('irqlab replay: exit codes and messages (spawned)', () => {
  test('2 when nothing is a trace event, naming the file and the expected form', () => {
    writeFileSync(join(tmp, 'console.txt'), 'Linux version 6.1\nbusybox\n');
    const r = irqlab('replay', join(tmp, 'console.txt'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no trace event in '.*console\.txt'/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });
  test('2 on a missing file; usage errors', () => {
    assert.equal(irqlab('replay', join(tmp, 'nope.log')).status, 2);
    assert.equal(irqlab('replay').status, 2);
    assert.equal(irqlab('replay', '--max-divergences', 'x', 'a').status, 2);
  });
  test('bad lines are listed with file and line and summarised; the rest replays (exit 0)', () => {
    const f = join(tmp, 'mixed.log');
    writeFileSync(f, [
      '1@1.0:spapr_xive_claim_irq lisn=0x0 lsi=0',
      '1@1.1:xive_frobnicate a=1',
      '1@1.2:pnv_xive_ic_hw_trigger @0x0 val=0x1',
      '\u0000\u0001\u0002garbage',
      '1@1.3:xive_source_esb_read @zz',
      'hypercall r3=0000000000000074',
      '1@1.4:xive_source_esb_read @0x10c00 IRQ 0x0 val=0x',
    ].join('\n'));
    const r = irqlab('replay', f);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /mixed\.log:2: unknown trace event: unknown trace event 'xive_frobnicate'/);
    assert.match(r.stderr, /mixed\.log:3: another machine's event/);
    assert.match(r.stderr, /mixed\.log:4: binary garbage: binary bytes in the line: \\x00\\x01\\x02garbage/);
    assert.match(r.stderr, /mixed\.log:5: arguments that do not parse/);
    assert.match(r.stderr, /mixed\.log:7: truncated last line/);
    assert.match(r.stderr, /6 lines skipped: 1 not a trace event .*, 1 unknown trace event, 1 arguments that do not parse, 1 another machine's event .*, 1 binary garbage, 1 truncated last line/);
    assert.match(r.stdout, /7 lines, 1 events/);
  });
});
