/**
 * The Test Explorer's run of a per-thread log group: the XICS sample's three logs
 * (examples/qemu-7.2-xics-2cpu) replayed together, in-process and in the worker the
 * extension uses; a changed value in one of them fails at that file and line.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { groupPerThreadLogs } from '../../src/extension/per-thread-logs';
import { runScenarioInWorker, runTraceFile } from '../../src/extension/scenario-files';

const SAMPLE = join(process.cwd(), 'examples', 'qemu-7.2-xics-2cpu');
const WORKER = join(process.cwd(), 'out', 'src', 'extension', 'scenario-worker.js');
const sampleGroups = groupPerThreadLogs(readdirSync(SAMPLE).map((f) => join(SAMPLE, f)));

test('the XICS example is one group of three per-thread logs', () => {
  assert.deepEqual(
    sampleGroups.map((g) => g.files.map((f) => f.slice(SAMPLE.length + 1))),
    [['log-8845.txt.gz', 'log-8848.txt.gz', 'log-8849.txt.gz']],
  );
});

test('the group replayed together agrees with the model (the logs merged, not one alone)', () => {
  const [first, ...more] = sampleGroups[0].files;
  const together = runTraceFile(first, more);
  assert.deepEqual(together.diagnostics, []);
  assert.equal(together.failed, 0, JSON.stringify(together.results.slice(0, 3)));
  assert.equal(together.passed, 7246, 'every check of the three logs (irqlab replay counts 7246)');
  const alone = runTraceFile(first);
  assert.ok(alone.passed < together.passed, `the first log alone has fewer checks (${alone.passed})`);
});

const work = mkdtempSync(join(tmpdir(), 'irqlab-per-thread-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The sample with one value changed in its third log (kept plain so the line is editable): XIRR 0xff000002 → 0xff000003. */
function plantedGroup(): string[] {
  copyFileSync(join(SAMPLE, 'log-8845.txt.gz'), join(work, 'log-8845.txt.gz'));
  copyFileSync(join(SAMPLE, 'log-8848.txt.gz'), join(work, 'log-8848.txt.gz'));
  const lines = gunzipSync(readFileSync(join(SAMPLE, 'log-8849.txt.gz'))).toString('latin1').split('\n');
  assert.match(lines[25], /xics_icp_accept icp_accept: XIRR 0xff000002->/);
  lines[25] = lines[25].replace('XIRR 0xff000002->', 'XIRR 0xff000003->');
  writeFileSync(join(work, 'log-8849.txt'), lines.join('\n'), 'latin1');
  const [group] = groupPerThreadLogs(readdirSync(work).map((f) => join(work, f)));
  return [...group.files];
}

test('a divergence in one log fails at that file and line, not at the first log', () => {
  const [first, ...more] = plantedGroup();
  const summary = runTraceFile(first, more);
  assert.equal(summary.failed, 1);
  assert.deepEqual(
    summary.results.map((r) => [r.uri, r.line + 1, r.expected, r.actual]),
    [[join(work, 'log-8849.txt'), 26, '0xff000003', '0xff000002']],
  );
});

test('a missing log of the group makes the run unusable, naming that file', () => {
  const summary = runTraceFile(join(SAMPLE, 'log-8845.txt.gz'), [join(work, 'log-404.txt')]);
  assert.equal(summary.diagnostics.length, 1);
  assert.equal(summary.diagnostics[0].severity, 'error');
  assert.match(summary.diagnostics[0].message, /log-404\.txt/);
});

test('the worker replays the other logs it is given', { skip: !existsSync(WORKER) && 'compile first (npm run compile)' }, async () => {
  const [first, ...more] = plantedGroup();
  const summary = await runScenarioInWorker(WORKER, { file: first, text: '', maxSteps: 0, trace: true, moreTraces: more });
  assert.ok(summary);
  assert.deepEqual(summary.results.map((r) => [r.uri, r.line + 1]), [[join(work, 'log-8849.txt'), 26]]);
});
