/**
 * The reader thread's compiled line scanner (src/trace/wasm/) makes exactly
 * the batches the JavaScript reader makes: every column of every row, the
 * texts, the names sent, the batch borders. Compared on the samples, on a
 * sample with every kind of bad line, and on lines mutated at random (a
 * changed literal, a long or malformed value, a new name, a broken prefix):
 * each one the scanner must either read as JavaScript does or leave to it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createByteLineSplitter, EventRecords, EventRecordWriter } from '../../src/trace';
import { CompiledLineReader } from '../../src/trace/wasm/compiled-line-reader';
import { produceTraceRecords } from '../../src/cli/trace-records';
import { loadLineScanner } from '../../src/cli/line-scanner-module';
import { SAMPLE_2CPU, SHARED_TRACES } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'irqlab-line-scanner-'));

/** A batch as a digest of everything the replay reads of it. */
function digest(b: EventRecords): string {
  const h = createHash('sha256');
  const rows = b.count;
  const args = rows === 0 ? 0 : b.argEnd[rows - 1]!;
  for (const column of [b.file, b.line, b.kind, b.flags, b.binary, b.tid, b.nameSlot, b.family, b.argEnd, b.quoteIndex, b.rawIndex]) {
    h.update(new Uint8Array(column.buffer, column.byteOffset, rows * column.BYTES_PER_ELEMENT));
  }
  h.update(new Uint8Array(b.argKey.buffer, b.argKey.byteOffset, args));
  h.update(new Uint8Array(b.argValue.buffer, b.argValue.byteOffset, args * 8));
  h.update(JSON.stringify([b.texts, b.newSlots, b.newNames]));
  return h.digest('hex');
}

async function batches(files: string[], rows: number, scanner: WebAssembly.Module | null): Promise<{ digests: string[]; rows: number }> {
  const digests: string[] = [];
  let total = 0;
  await produceTraceRecords({ files, atEpoch: null, rows }, (b) => { digests.push(digest(b)); total += b.count; }, () => false, { ring: 0, shared: false }, scanner);
  return { digests, rows: total };
}

async function assertSameBatches(files: string[], rows: number): Promise<number> {
  const scanner = loadLineScanner();
  assert.ok(scanner !== null);
  const compiled = await batches(files, rows, scanner);
  const javascript = await batches(files, rows, null);
  assert.equal(compiled.rows, javascript.rows);
  assert.deepEqual(compiled.digests, javascript.digests);
  return compiled.rows;
}

/** A small deterministic generator (tests repeat exactly). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** One sample line changed the way a damaged or unusual trace changes it. */
function mutate(line: string, r: () => number): string {
  const at = Math.floor(r() * line.length);
  switch (Math.floor(r() * 12)) {
    case 0: return line.slice(0, at) + line.slice(at + 1); // a byte lost
    case 1: return `${line.slice(0, at)}${String.fromCharCode(32 + Math.floor(r() * 95))}${line.slice(at + 1)}`; // a byte changed
    case 2: return line.replace(/=0x[0-9a-f]+/, '=0x123456789abcdef0'); // a value a double does not hold
    case 3: return line.replace(/=0x[0-9a-f]+/, '=0x12345678901234'); // 14 hex digits: one too many
    case 4: return line.replace(/=0x([0-9a-f]+)/, '=0x$1zz'); // malformed
    case 5: return line.replace(/ /, '  '); // a literal longer
    case 6: return line.replace(/^\d+@/, ''); // no thread id
    case 7: return line.replace(/^(\d+)@/, '$1$1$1@'); // a thread id too long
    case 8: return line.replace(/:(\w+)/, ':$1_new'); // a name not met before
    case 9: return `${line}\r`; // CRLF
    case 10: return line.slice(0, at); // cut short
    default: return line.replace(/val=0x[0-9a-f]+/, 'val=42'); // decimal
  }
}

describe('the compiled line scanner', () => {
  test('is built and loads (else the comparisons below would compare JavaScript with itself)', () => {
    assert.ok(existsSync('dist/line-scanner.wasm'));
    assert.ok(loadLineScanner() !== null);
  });

  test('reads nearly every line of the XIVE sample itself: the first line of each name and the lines that change a layout are JavaScript\'s', () => {
    const writer = new EventRecordWriter(16384);
    let emitted = 0;
    const reader = new CompiledLineReader(loadLineScanner()!, writer, () => { emitted += writer.take().count; return true; });
    const splitter = createByteLineSplitter();
    const sink = (bytes: Uint8Array, start: number, end: number, line: number, flags: number): boolean => reader.line(0, bytes, start, end, line, flags);
    splitter.push(readFileSync(SAMPLE_2CPU), sink);
    splitter.end(sink);
    reader.flush();
    emitted += writer.take().count;
    assert.equal(emitted, 4665);
    assert.ok(reader.scannedLines > 4500, `${reader.scannedLines} of 4665`);
  });

  test('the XIVE sample: the same batches, with borders at 7, 1000 and 16384 rows', async () => {
    for (const rows of [7, 1000, 16384]) assert.ok(await assertSameBatches([SAMPLE_2CPU], rows) > 4000);
  });

  test('gzip, the XICS per-thread logs one by one (their lines are all JavaScript\'s: text for the translator)', async () => {
    const gz = join(tmp, 'trace.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE_2CPU)));
    await assertSameBatches([gz], 500);
    for (const log of ['log-8848.txt.gz', 'log-8849.txt.gz']) await assertSameBatches([join('examples/qemu-7.2-xics-2cpu', log)], 300);
  });

  test('bad lines among good ones: garbage, unknown and foreign events, an overlong line, a truncated last line', async () => {
    const lines = readFileSync(SAMPLE_2CPU, 'latin1').split('\n').filter((l) => l !== '');
    lines.splice(100, 0, '\x00\x01binary\xff garbage', '1@1.0:xive_made_up_event a=1', 'console noise', '1@1.0:pnv_xive_foo x=1',
      `1@1.0:xive_tctx_tm_read @0x20810 sz=2 val=0x${'0'.repeat(5000)}`, '', '1@1.0:xive_tctx_tm_read @0x20000 sz=8 val=0xff00ff00ff00ff01');
    const file = join(tmp, 'bad.log');
    writeFileSync(file, `${lines.join('\n')}\n1@9.0:xive_tctx_notify target=0 ring=0x10`, 'latin1');
    await assertSameBatches([file], 64);
  });

  for (const seed of [1, 2, 3, 4]) {
    test(`sample lines mutated at random (seed ${seed}): the same batches`, async () => {
      const r = random(seed);
      const lines = readFileSync(SAMPLE_2CPU, 'latin1').split('\n').filter((l) => l !== '');
      const out = lines.map((l) => (r() < 0.08 ? mutate(l, r) : l));
      const file = join(tmp, `mutated-${seed}.log`);
      writeFileSync(file, `${out.join('\n')}\n`, 'latin1');
      await assertSameBatches([file], 257);
    });
  }

  const long = join(SHARED_TRACES, 'qemu-7.2-xive-4cpu-load/trace.log.gz');
  test('the 1.36M-line sample: the same batches', { skip: existsSync(long) ? false : `${long} not found` }, async () => {
    assert.equal(await assertSameBatches([long], 16384), 1364390);
  });
});
