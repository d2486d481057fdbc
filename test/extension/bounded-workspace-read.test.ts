/** The Test Explorer's outline read: the same limits as every other door, through a fake file system. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readBoundedScenario, WorkspaceFileSystem } from '../../src/extension/bounded-workspace-read';

const FILE = 1;
const DIRECTORY = 2;
const UNKNOWN = 0;

function fakeFs(entry: { type: number; size: number; bytes?: Uint8Array }): WorkspaceFileSystem<string> & { reads: number } {
  const fs = {
    reads: 0,
    stat: async () => ({ type: entry.type, size: entry.size }),
    readFile: async () => {
      fs.reads++;
      return entry.bytes ?? new Uint8Array(entry.size);
    },
  };
  return fs;
}

test('a regular UTF-8 file within the limit is read', async () => {
  const bytes = new TextEncoder().encode('device xive\n');
  assert.equal(await readBoundedScenario(fakeFs({ type: FILE, size: bytes.length, bytes }), 'a.irq', FILE), 'device xive\n');
});

test('a device, FIFO or directory named .irq is refused without being read', async () => {
  for (const type of [UNKNOWN, DIRECTORY]) {
    const fs = fakeFs({ type, size: 0 });
    await assert.rejects(readBoundedScenario(fs, 'zero.irq', FILE), /not a regular file/);
    assert.equal(fs.reads, 0);
  }
});

test('a file over the limit is refused by its size before it is read, and if it grew since', async () => {
  const big = fakeFs({ type: FILE, size: 2048 });
  await assert.rejects(readBoundedScenario(big, 'big.irq', FILE, 1024), /over the .* limit/);
  assert.equal(big.reads, 0);
  const grew = fakeFs({ type: FILE, size: 10, bytes: new Uint8Array(4096) });
  await assert.rejects(readBoundedScenario(grew, 'grew.irq', FILE, 1024), /over the .* limit/);
});

test('bytes that are not UTF-8 are refused with a sentence', async () => {
  const bytes = new Uint8Array([0x64, 0xff, 0xfe, 0x0a]);
  await assert.rejects(readBoundedScenario(fakeFs({ type: FILE, size: bytes.length, bytes }), 'bad.irq', FILE), /not valid UTF-8/);
});
