/**
 * The decompressed trace documents' text (src/extension/gzip-trace-text.ts): the real XICS
 * sample reads as its trace lines, and every file it cannot show is one line that says why.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MAX_TRACE_BYTES } from '../../src/debug/trace-launch';
import { gunzipTraceText, isGzipData, isGzipPath, readGzipTraceText, untrustedTraceMessage } from '../../src/extension/gzip-trace-text';
import type { WorkspaceFileSystem } from '../../src/extension/bounded-workspace-read';

const FILE = 1;
const DIRECTORY = 2;
const SAMPLE = join(process.cwd(), 'examples', 'qemu-7.2-xics-2cpu', 'log-8845.txt.gz');

function fakeFs(entry: { type: number; bytes: Uint8Array; size?: number }): WorkspaceFileSystem<string> & { reads: number } {
  const fs = {
    reads: 0,
    stat: async () => ({ type: entry.type, size: entry.size ?? entry.bytes.length }),
    readFile: async () => {
      fs.reads++;
      return entry.bytes;
    },
  };
  return fs;
}

const oneLine = (text: string) => assert.ok(!/[\r\n]/.test(text), `one line: ${JSON.stringify(text)}`);

test('gzip is recognised by name and by magic number', () => {
  assert.ok(isGzipPath('/w/log-8845.txt.gz') && isGzipPath('trace.log.GZ'));
  assert.ok(!isGzipPath('/w/log-8845.txt') && !isGzipPath('/w/gz/trace.log'));
  assert.ok(isGzipData(gzipSync('x')));
  assert.ok(!isGzipData(Buffer.from('1@2.3:xics')) && !isGzipData(new Uint8Array([0x1f])));
});

test('the XICS sample log reads as its trace text, byte for byte', async () => {
  const compressed = readFileSync(SAMPLE);
  const text = await readGzipTraceText(fakeFs({ type: FILE, bytes: compressed }), SAMPLE, 'log-8845.txt.gz', FILE);
  assert.match(text, /^\d+@\d+\.\d+:/, 'starts with a trace line');
  assert.match(text, /xics_/);
  assert.equal(text, gunzipSync(compressed).toString('latin1'));
});

test('bytes that are not ASCII stay one character each, so lines and columns match the debugger', async () => {
  const raw = Buffer.from([0x31, 0x40, 0xff, 0x0a, 0x80, 0x0a]);
  const text = await gunzipTraceText('t.gz', gzipSync(raw));
  assert.equal(text.length, raw.length);
  assert.deepEqual(text.split('\n').length, 3);
});

test('a file named .gz that is not gzip is a one-line message, not its bytes', async () => {
  const text = await gunzipTraceText('log-1.txt.gz', Buffer.from('1@2.3:xics_set_irq\n'));
  assert.match(text, /^IRQ Lab: log-1\.txt\.gz is not gzip data/);
  oneLine(text);
});

test('truncated and corrupt gzip data are one-line messages naming the file and cause', async () => {
  const good = gzipSync(Buffer.from('1@2.3:xics_icp_eoi\n'.repeat(200)));
  const truncated = await gunzipTraceText('a.gz', good.subarray(0, good.length - 12));
  assert.match(truncated, /^IRQ Lab: a\.gz is not a readable gzip file: /);
  oneLine(truncated);
  const corrupt = Buffer.from(good);
  corrupt[12] ^= 0xff;
  const bad = await gunzipTraceText('b.gz', corrupt);
  assert.match(bad, /^IRQ Lab: b\.gz is not a readable gzip file: /);
  oneLine(bad);
});

test('decompressing stops at the limit: a gzip bomb is a message, not the text', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024, 0x41));
  assert.ok(bomb.length < 1024);
  const text = await gunzipTraceText('bomb.gz', bomb, 4096);
  assert.match(text, /^IRQ Lab: bomb\.gz decompresses to more than 4 KiB: the editor shows at most that much/);
  oneLine(text);
  assert.equal((await gunzipTraceText('ok.gz', gzipSync(Buffer.alloc(4096, 0x41)), 4096)).length, 4096, 'exactly the limit is shown');
});

test('the default limit is the debugger\'s', async () => {
  const fs = fakeFs({ type: FILE, bytes: new Uint8Array(0), size: MAX_TRACE_BYTES + 2 ** 20 });
  const text = await readGzipTraceText(fs, 'huge.gz', 'huge.gz', FILE);
  assert.match(text, /^IRQ Lab: huge\.gz is 513 MiB: the editor shows at most 512 MiB/);
  assert.equal(fs.reads, 0, 'not read');
});

test('a directory, device or FIFO named .gz is refused without being read', async () => {
  for (const type of [0, DIRECTORY]) {
    const fs = fakeFs({ type, bytes: gzipSync('x') });
    assert.match(await readGzipTraceText(fs, 'fifo.gz', 'fifo.gz', FILE), /^IRQ Lab: fifo\.gz is not a regular file/);
    assert.equal(fs.reads, 0);
  }
});

test('a file that grew past the limit between stat and read is refused', async () => {
  const fs = fakeFs({ type: FILE, bytes: new Uint8Array(100), size: 10 });
  assert.match(await readGzipTraceText(fs, 'g.gz', 'g.gz', FILE, 50), /^IRQ Lab: g\.gz is 100 bytes: the editor shows at most 50 bytes/);
});

test('a read error is a message with escaped control bytes, never a rejection', async () => {
  const fs: WorkspaceFileSystem<string> = {
    stat: async () => {
      throw new Error('EACCES: permission denied\nsecond line');
    },
    readFile: async () => new Uint8Array(),
  };
  const text = await readGzipTraceText(fs, 'x.gz', 'evil\x1b[2J.gz', FILE);
  assert.equal(text, 'IRQ Lab: evil\\x1b[2J.gz cannot be read: EACCES: permission denied\\nsecond line');
});

test('Restricted Mode shows a message naming the file instead of its text', () => {
  const text = untrustedTraceMessage('qemu/log-8845.txt.gz');
  assert.match(text, /^IRQ Lab: qemu\/log-8845\.txt\.gz is shown decompressed only in a trusted workspace/);
  oneLine(text);
});
