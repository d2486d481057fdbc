/**
 * openScenarioFile: a large regular file is read in chunks, as often as asked, and what the chunks
 * make is exactly the text readTextFileBounded reads whole (characters split across chunks, a BOM,
 * CRLF); the same refusals with the same messages (not UTF-8 at any offset, UTF-16); a file that
 * changes between two reads is reported; small files and pipes are read whole as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTextFileBounded } from '../../src/edge/read-text-file';
import { FileScenarioSource, openScenarioFile } from '../../src/edge/scenario-file-source';

const dir = (): string => mkdtempSync(join(tmpdir(), 'irqlab-source-'));
const CHUNKED = { streamFromBytes: 1, chunkBytes: 4096 };

function joined(source: FileScenarioSource): string {
  let text = '';
  for (const piece of source.pieces()) text += piece;
  return text;
}

function opened(path: string): FileScenarioSource {
  const r = openScenarioFile(path, CHUNKED);
  assert.ok(r.ok && r.source, JSON.stringify(r).slice(0, 300));
  return r.source;
}

test('the chunks make the text read whole: characters of 2, 3 and 4 bytes across chunk ends, a BOM, CRLF', () => {
  const d = dir();
  const line = (i: number): string => `log "é ∑ 𝄞 ${i}"\r\n`;
  // Every alignment of the multi-byte characters against the 4096-byte chunks.
  let body = '';
  for (let i = 0; body.length < 40_000; i++) body += (i % 7 === 0 ? 'x'.repeat(i % 5) : '') + line(i);
  const ascii = 'esb 0 load 0xc00 -> 1  # trace:1\n'.repeat(2000);
  for (const [name, text] of [['plain.irq', body], ['bom.irq', '\ufeff' + body + '\ufeff'], ['no-final-newline.irq', body + 'esb 0 load 0x0'],
    ['ascii.irq', ascii], ['ascii-then-not.irq', ascii + body]]) {
    const path = join(d, name);
    writeFileSync(path, text);
    const whole = readTextFileBounded(path);
    assert.ok(whole.ok);
    const source = opened(path);
    assert.equal(joined(source), whole.text, name);
    // Read again from the start: the same text.
    assert.equal(joined(source), whole.text, `${name}, read a second time`);
    assert.equal(source.failure, null);
  }
});

test('small files and pipes are read whole, as before', () => {
  const d = dir();
  writeFileSync(join(d, 'a.irq'), 'device xive\n');
  assert.deepEqual(openScenarioFile(join(d, 'a.irq')), { ok: true, text: 'device xive\n' });
  assert.deepEqual(openScenarioFile(join(d, 'missing.irq'), CHUNKED), readTextFileBounded(join(d, 'missing.irq')));
  assert.deepEqual(openScenarioFile(d, CHUNKED), readTextFileBounded(d));
});

test('bytes that are not UTF-8, anywhere, and UTF-16 are refused with the messages of a whole read', () => {
  const d = dir();
  const good = Buffer.from('esb 0 load 0x0 -> 1\n'.repeat(1000));
  const cases: [string, Buffer][] = [
    ['bad-late.irq', Buffer.concat([good, Buffer.from([0xc3, 0x28]), good])],
    ['bad-at-chunk-end.irq', Buffer.concat([good.subarray(0, 4095), Buffer.from([0xe2, 0x88]), good])],
    ['truncated-at-end.irq', Buffer.concat([good, Buffer.from([0xf0, 0x9d, 0x84])])],
    ['utf16.irq', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('device xive\n'.repeat(500), 'utf16le')])],
  ];
  for (const [name, bytes] of cases) {
    const path = join(d, name);
    writeFileSync(path, bytes);
    const whole = readTextFileBounded(path);
    assert.equal(whole.ok, false, name);
    assert.deepEqual(openScenarioFile(path, CHUNKED), whole, name);
  }
});

test('a file that changes between two reads is reported, not read half old and half new', () => {
  const path = join(dir(), 'growing.irq');
  writeFileSync(path, 'esb 0 load 0x0 -> 1\n'.repeat(1000));
  const source = opened(path);
  appendFileSync(path, 'esb 1 load 0x0 -> 1\n');
  assert.throws(() => joined(source), /growing\.irq' changed while it was being read/);
  assert.match(source.failure ?? '', /growing\.irq' changed while it was being read/);
});
