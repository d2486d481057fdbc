/**
 * `irqlab run` and `irqlab check` of a large file read in chunks (src/cli/scenario-input.ts): the
 * printed lines, the JSON and the exit code are those of the same file read whole, for a long
 * imported-trace scenario (failures, lets, logs, a late error), a file that includes another, and
 * one that calls a proc above its definition (both then read whole); a file that changes while
 * it is run is an input error.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main, nodeIo } from '../../src/cli/main';
import { FileScenarioSource, openScenarioFile } from '../../src/edge/scenario-file-source';
import { generateImportedScenario } from '../../bench/imported-scenario';

/** Runs the CLI in process on real files; `chunked`: every file is opened as a large one (else read whole). */
async function cli(chunked: boolean, args: string[], onOpen?: (path: string) => void): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const real = nodeIo();
  const io: CliIo = {
    ...real,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    openScenario: chunked ? (p) => {
      const r = openScenarioFile(p, { streamFromBytes: 1, chunkBytes: 4096 });
      onOpen?.(p);
      return r;
    } : undefined,
  };
  const code = await main(args, io);
  return { code, out, err };
}

async function assertSameAsWhole(...args: string[]): Promise<void> {
  const whole = await cli(false, args);
  const chunked = await cli(true, args);
  assert.deepEqual(chunked, whole, `irqlab ${args.join(' ')}`);
}

describe('a large file read in chunks answers as the file read whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-large-'));
  // Several windows (and chunks of 4 KiB), with failures, a let added part-way and log lines.
  const text = generateImportedScenario({ bytes: 1_200_000, failEvery: 11, lets: true }) + 'log "done {uart} {disk}"\n';
  const big = join(dir, 'imported.irq');
  writeFileSync(big, text);

  test('run, run --quiet, run --json, check, check --json', async () => {
    await assertSameAsWhole('run', '-q', big);
    await assertSameAsWhole('run', '--json', big);
    await assertSameAsWhole('check', big);
    await assertSameAsWhole('check', '--json', big);
  });
  test('an error on the last line refuses the file before anything runs', async () => {
    const bad = join(dir, 'late-error.irq');
    writeFileSync(bad, text + 'esb 1 lood 0x800 -> 2\nset source late = 0\n');
    await assertSameAsWhole('run', bad);
    await assertSameAsWhole('check', bad);
  });
  test('a file that includes another, and one that calls a proc above its definition, are read whole', async () => {
    writeFileSync(join(dir, 'lib.irq'), 'let extra = 0x1400\nproc ack(v) {\n  tima vcpu v store8 0x11 0xff\n}\n');
    const includes = join(dir, 'includes.irq');
    writeFileSync(includes, text + 'include "lib.irq"\ncall ack(0)\nset source extra = 0\n');
    await assertSameAsWhole('run', includes);
    await assertSameAsWhole('check', includes);
    const callsAhead = join(dir, 'calls-ahead.irq');
    writeFileSync(callsAhead, 'call late(1)\n' + text + 'proc late(v) {\n  tima vcpu v store8 0x11 0xff\n}\n');
    await assertSameAsWhole('run', callsAhead);
    await assertSameAsWhole('run', '--verbose', callsAhead);
  });
  test('a file that changes after it was opened is an input error, named', async () => {
    const growing = join(dir, 'growing.irq');
    writeFileSync(growing, text);
    const r = await cli(true, ['run', '-q', growing], (p) => appendFileSync(p, 'esb 0 load 0xc00 -> 1\n'));
    assert.equal(r.code, 2);
    assert.match(r.err, /growing\.irq' changed while it was being read/);
  });
  test('a file that changes between the check and the run is an input error before anything runs', async () => {
    const path = join(dir, 'changed-later.irq');
    writeFileSync(path, text);
    let out = '';
    let err = '';
    const io: CliIo = {
      ...nodeIo(),
      stdout: (t) => { out += t; },
      stderr: (t) => { err += t; },
      openScenario: (p) => {
        const r = openScenarioFile(p, { streamFromBytes: 1, chunkBytes: 4096 });
        if (!r.ok || !r.source) return r;
        const inner = r.source;
        let reads = 0;
        // The second read is the run's: the file is rewritten just before it.
        const source: FileScenarioSource = {
          path: inner.path, bytes: inner.bytes, readWhole: () => inner.readWhole(),
          get failure() { return inner.failure; },
          pieces: () => {
            if (++reads === 2) appendFileSync(p, 'esb 0 load 0xc00 -> 1\n');
            return inner.pieces();
          },
        };
        return { ok: true, source };
      },
    };
    assert.equal(await main(['run', path], io), 2);
    assert.match(err, /changed-later\.irq' changed while it was being read/);
    assert.equal(out, '');
  });
});
