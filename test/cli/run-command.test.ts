/** `irqlab run` and `irqlab check`, in process with an injected CliIo. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

const FIXTURES = 'test/dsl/fixtures/runtime';

function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    readFile: (p: string) => {
      try {
        return readFileSync(join(process.cwd(), p), 'utf8');
      } catch {
        return undefined;
      }
    },
    cwd: process.cwd(),
  };
  return io;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const fixture = (name: string): string => `${FIXTURES}/${name}`;

describe('irqlab run', () => {
  test('all expectations hold: exit 0, one line per expectation, log lines, summary', async () => {
    const r = await cli('run', fixture('passing.irq'));
    assert.equal(r.code, 0);
    assert.equal(r.out, [
      `${fixture('passing.irq')}:4:1: ok 0x00000000ffff0000 (cppr=0x00 xisr=0x0 mfrr=0xff ppri=0xff)`,
      `${fixture('passing.irq')}:5:1: log done`,
      '1 passed, 0 failed',
      '',
    ].join('\n'));
    assert.equal(r.err, '');
  });

  test('a failed expectation and a failing operation: exit 1, FAIL lines with the reason', async () => {
    const r = await cli('run', fixture('failing.irq'));
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /failing\.irq:4:1: ok ok: wrote 0x0000000000000000$/);
    assert.match(lines[1], /failing\.irq:5:1: FAIL expected EBUSY, got EINVAL: no connected vCPU has server 1/);
    assert.match(lines[2], /failing\.irq:6:1: FAIL operation failed: EINVAL: source 0x1301 was never declared/);
    assert.match(lines[3], /failing\.irq:7:1: log still running/);
    assert.equal(lines.at(-1), '1 passed, 2 failed');
  });

  test('--quiet prints only failures and the summary', async () => {
    const r = await cli('run', '-q', fixture('failing.irq'), fixture('passing.irq'));
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.slice(0, 2).every((l) => l.includes(': FAIL ')));
    assert.equal(lines[2], '2 passed, 2 failed');
  });

  test('parse errors are printed like a compiler and nothing runs: exit 2', async () => {
    const r = await cli('run', fixture('broken.irq'));
    assert.equal(r.code, 2);
    assert.match(r.out, /broken\.irq:3:1: error: unknown keyword 'frobnicate'.* \[unknown-keyword\]/);
    assert.doesNotMatch(r.out, /: ok /);
  });

  test('--json prints passed, failed and results with file, line and message', async () => {
    const r = await cli('run', '--json', fixture('failing.irq'), fixture('passing.irq'));
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out) as { passed: number; failed: number; results: { file: string; line: number; ok: boolean; message: string }[] };
    assert.equal(j.passed, 2);
    assert.equal(j.failed, 2);
    assert.deepEqual(j.results.map((x) => [x.file, x.line, x.ok]), [
      [fixture('failing.irq'), 4, true],
      [fixture('failing.irq'), 5, false],
      [fixture('failing.irq'), 6, false],
      [fixture('passing.irq'), 4, true],
    ]);
    assert.match(j.results[1].message, /expected EBUSY/);
  });

  test('--max-steps stops a runaway scenario with a clear message: exit 1', async () => {
    const r = await cli('run', '--max-steps', '500', fixture('runaway.irq'));
    assert.equal(r.code, 1);
    assert.match(r.out, /runaway\.irq: FAIL step limit reached: 500 statements executed/);
    assert.match(r.out, /0 passed, 1 failed/);
    const eq = await cli('run', '--max-steps=200', '--json', fixture('runaway.irq'));
    const j = JSON.parse(eq.out) as { failed: number; results: { message: string }[] };
    assert.equal(j.failed, 1);
    assert.match(j.results[0].message, /200 statements/);
  });

  test('a missing file is a clear error: exit 2', async () => {
    const r = await cli('run', fixture('nope.irq'));
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read 'test\/dsl\/fixtures\/runtime\/nope\.irq'/);
    assert.equal(r.out, '');
  });

  test('usage errors: no file, unknown option, bad --max-steps', async () => {
    assert.equal((await cli('run')).code, 2);
    const unknown = await cli('run', '--frob', fixture('passing.irq'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option --frob/);
    const bad = await cli('run', '--max-steps', 'lots', fixture('passing.irq'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--max-steps needs a positive integer, not 'lots'/);
  });

  test('--help', async () => {
    const r = await cli('run', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: irqlab run/);
    assert.match(r.out, /--max-steps N/);
  });

  test('includes resolve relative to the including file', async () => {
    const r = await cli('run', 'examples/structure.irq');
    assert.equal(r.code, 0, r.out.split('\n').filter((l) => l.includes('FAIL')).join('\n'));
    assert.match(r.out, /examples\/lib\/routes\.irq:\d+:\d+: ok/);
  });
});

describe('irqlab check', () => {
  test('clean files: exit 0 and a count', async () => {
    const r = await cli('check', fixture('passing.irq'), fixture('failing.irq'));
    assert.equal(r.code, 0);
    assert.equal(r.out, '2 files checked: 0 errors, 0 warnings\n');
  });

  test('errors: compiler-style lines, exit 1; --json', async () => {
    const r = await cli('check', fixture('broken.irq'));
    assert.equal(r.code, 1);
    assert.match(r.out, /broken\.irq:3:1: error: unknown keyword 'frobnicate'/);
    const j = JSON.parse((await cli('check', '--json', fixture('broken.irq'))).out) as { errors: number; diagnostics: { line: number; code: string }[] };
    assert.equal(j.errors, 1);
    assert.deepEqual(j.diagnostics.map((d) => [d.line, d.code]), [[3, 'unknown-keyword']]);
  });

  test('a missing file: exit 2', async () => {
    const r = await cli('check', 'nowhere.irq');
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read 'nowhere\.irq'/);
  });
});
