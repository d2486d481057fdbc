/**
 * readTextFileBounded in process, for what is awkward to set up through a
 * spawned CLI: a pipe that gives more than the limit, a writer that is slow
 * to write, invalid UTF-8, and the escaping of names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeControlBytes } from '../../src/edge/escape-text';
import { formatByteSize, readTextFileBounded } from '../../src/edge/read-text-file';

const dir = (): string => mkdtempSync(join(tmpdir(), 'irqlab-read-'));

/**
 * A FIFO whose writer (a child process) is connected before the read begins:
 * the test holds a read end open so the child's blocking open returns, and
 * the child says "ready" once it has the write end.
 */
async function fifoWithWriter(bytes: number): Promise<{ path: string; holder: number; done: Promise<void> }> {
  const path = join(dir(), 'pipe.irq');
  execFileSync('mkfifo', [path]);
  const holder = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const script = `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(path)}, 'w'); process.stdout.write('ready\\n'); ` +
    `try { fs.writeSync(fd, 'x'.repeat(${bytes})); } catch {} fs.closeSync(fd);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { path, holder, done };
}

test('a regular file is read; one over the limit is refused with its size', () => {
  const d = dir();
  writeFileSync(join(d, 'a.irq'), 'device xive\n');
  assert.deepEqual(readTextFileBounded(join(d, 'a.irq')), { ok: true, text: 'device xive\n' });
  const r = readTextFileBounded(join(d, 'a.irq'), { maxBytes: 4 });
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /a\.irq' is 12 bytes \(12 bytes\), more than the maximum of 4 bytes/);
});

test('a pipe is read to its end, bounded: more than the limit is refused', async () => {
  for (const [bytes, max, ok] of [[100_000, 200_000, true], [300_000, 200_000, false]] as const) {
    const { path, holder, done } = await fifoWithWriter(bytes);
    const r = readTextFileBounded(path, { maxBytes: max });
    closeSync(holder);
    assert.equal(r.ok, ok, JSON.stringify(r).slice(0, 200));
    if (r.ok) assert.equal(r.text.length, bytes);
    else assert.match(r.message, /holds more than the maximum of 195\.3 KiB/);
    await done;
  }
});

test('invalid UTF-8 names the byte and its offset; a UTF-8 BOM is dropped', () => {
  const d = dir();
  writeFileSync(join(d, 'latin1.irq'), Buffer.from('# caf\xe9\n', 'latin1'));
  const r = readTextFileBounded(join(d, 'latin1.irq'));
  assert.deepEqual(r, { ok: false, message: `'${join(d, 'latin1.irq')}' is not UTF-8 text (byte 0xe9 at offset 5); scenarios must be UTF-8` });
  writeFileSync(join(d, 'bom.irq'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('device xive\n')]));
  assert.deepEqual(readTextFileBounded(join(d, 'bom.irq')), { ok: true, text: 'device xive\n' });
});

test('names are escaped in every message', () => {
  const r = readTextFileBounded('/nonexistent/\u001b[2J\nx.irq');
  assert.deepEqual(r, { ok: false, message: "cannot read '/nonexistent/\\x1b[2J\\nx.irq': no such file" });
  assert.equal(escapeControlBytes('a\u0000b\u007fc\u009bd\u202ee\tf'), 'a\\x00b\\x7fc\\x9bd\\u{202e}e\\tf');
  assert.equal(formatByteSize(256 * 1024 * 1024), '256 MiB');
  assert.equal(formatByteSize(1536), '1.5 KiB');
});
