/**
 * `irqlab run` of a long straight-line scenario streams (src/dsl/runtime/stream-run.ts): the printed
 * lines and the summary are those of the whole-file run, --quiet and --max-steps behave the same, and
 * --json keeps the counts whole while its results are bounded.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { MAX_KEPT_RESULTS, runScenarioText } from '../../src/dsl/runtime';
import { generateImportedScenario } from '../../bench/imported-scenario';

async function cli(files: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; writes: number }> {
  let out = '';
  let writes = 0;
  const io: CliIo = {
    stdout: (t) => {
      out += t;
      writes++;
    },
    stderr: (t) => {
      out += t;
    },
    readFile: (p) => files[p],
    cwd: '/',
  };
  const code = await main(args, io);
  return { code, out, writes };
}

/** What the CLI printed before streaming existed: the whole-file run's log, then the summary. */
function wholeRunOutput(file: string, text: string, quiet: boolean, maxSteps?: number): string {
  const r = runScenarioText(file, text, { readFile: () => undefined, ...(maxSteps ? { maxSteps } : {}) });
  const lines = r.log
    .filter((e) => !quiet || (e.kind !== 'log' && e.kind !== 'expect-pass'))
    // A failure line is followed by its notes of silent effects (issue 13).
    .flatMap((e) => [`${e.location.uri}:${e.location.line + 1}:${e.location.col + 1}: ${e.kind === 'log' ? 'log' : e.kind === 'expect-pass' ? 'ok' : 'FAIL'} ${e.text}`,
      ...(e.notes ?? []).map((n) => `  note: ${n}`)]);
  let failed = r.failed;
  if (r.stepLimitHit) {
    failed++;
    lines.push(`${file}: FAIL ${r.stepLimitMessage}`);
  }
  return (lines.length ? lines.join('\n') + '\n' : '') + `${r.passed} passed, ${failed} failed\n`;
}

describe('irqlab run streams a long scenario', () => {
  const text = generateImportedScenario({ bytes: 120_000, failEvery: 5, lets: true }) + 'log "done {uart}"\n';
  const files = { 'imported.irq': text };

  test('the same lines and summary as the whole-file run, printed a batch at a time', async () => {
    const r = await cli(files, 'run', 'imported.irq');
    assert.equal(r.code, 1);
    assert.equal(r.out, wholeRunOutput('imported.irq', text, false));
    assert.ok(r.writes > 5, `printed in ${r.writes} writes`);
  });
  test('--quiet and --max-steps as before', async () => {
    assert.equal((await cli(files, 'run', '--quiet', 'imported.irq')).out, wholeRunOutput('imported.irq', text, true));
    const limited = await cli(files, 'run', '-q', '--max-steps', '700', 'imported.irq');
    assert.equal(limited.code, 1);
    assert.equal(limited.out, wholeRunOutput('imported.irq', text, true, 700));
  });
  test('--json: whole counts, every result while they fit', async () => {
    const r = await cli(files, 'run', '--json', 'imported.irq');
    const json = JSON.parse(r.out) as { passed: number; failed: number; results: unknown[]; resultsOmitted?: number };
    const whole = runScenarioText('imported.irq', text, { readFile: () => undefined });
    assert.equal(json.passed, whole.passed);
    assert.equal(json.failed, whole.failed);
    assert.equal(json.results.length, whole.results.length);
    assert.equal(json.resultsOmitted, undefined);
  });
  test('--json of more results than are kept: the counts cover all, every failure is kept, the rest is counted as omitted', async () => {
    const big = generateImportedScenario({ bytes: 1_200_000, failEvery: 40 });
    const r = await cli({ 'big.irq': big }, 'run', '--json', '--max-steps', '10000000', 'big.irq');
    const json = JSON.parse(r.out) as { passed: number; failed: number; results: { ok: boolean }[]; resultsOmitted: number };
    assert.ok(json.passed + json.failed > MAX_KEPT_RESULTS);
    assert.equal(json.results.length + json.resultsOmitted, json.passed + json.failed);
    assert.equal(json.results.filter((x) => !x.ok).length, json.failed);
  });
});
