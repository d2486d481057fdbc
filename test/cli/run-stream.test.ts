/**
 * `irqlab run` prints the same whether a file streams or runs whole: the same file with a
 * `# include` comment appended runs whole (stream-run.ts `streams`), and every output mode
 * (text, --quiet, --json, --max-steps) must match line for line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { streams } from '../../src/dsl/runtime';
import { generateImportedScenario } from '../../bench/imported-scenario';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
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
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    cwd: process.cwd(),
  } satisfies CliIo & { out: string; err: string };
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('irqlab run, streamed or whole', () => {
  test('text, --quiet, --json and --max-steps print the same for a file that streams and its whole-run twin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqlab-run-stream-'));
    try {
      const lines = generateImportedScenario(40_000).split('\n');
      const mid = lines.length >> 1;
      const text = [
        'let irq = 0x1300',
        ...lines.slice(0, mid),
        'log "middle: {irq}"',
        'esb irq load 0x800 -> 3                     # a wrong expectation',
        ...lines.slice(mid),
      ].join('\n');
      const streamed = join(dir, 'streamed.irq');
      const whole = join(dir, 'whole.irq');
      writeFileSync(streamed, text);
      // A comment naming include: the same statements, run whole.
      writeFileSync(whole, text + '# include\n');
      assert.equal(streams(text), true);
      assert.equal(streams(text + '# include\n'), false);
      for (const flags of [[], ['--quiet'], ['--json'], ['--max-steps', '700'], ['--json', '--max-steps', '700']]) {
        const a = await cli('run', ...flags, streamed);
        const b = await cli('run', ...flags, whole);
        assert.equal(a.code, 1, flags.join(' '));
        assert.equal(a.code, b.code, flags.join(' '));
        assert.equal(a.err, b.err);
        assert.equal(a.out, b.out.split(whole).join(streamed), `irqlab run ${flags.join(' ')}`);
        assert.match(a.out, flags.includes('--json') ? /"ok": false/ : /FAIL/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
