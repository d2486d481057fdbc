/**
 * The streamed run (`irqlab run` of a long file) gives exactly the whole-file run's answer:
 * the same diagnostics, log, results, counts and step limit, over every example and fixture and
 * generated files with failing expectations, errors mid-file, lets, procs and logs; and a long
 * file is run holding one batch of statements at a time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/dsl/ast';
import {
  ExpectationResult, LogEntry, RuntimeOptions, runScenarioStreamed, runScenarioText, streams, StreamedRunSummary,
} from '../../src/dsl/runtime';
import { generateImportedScenario } from '../../bench/imported-scenario';

function irqFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...irqFilesUnder(path));
    else if (name.endsWith('.irq')) out.push(path);
  }
  return out.sort();
}

const options = (maxSteps?: number): RuntimeOptions => ({
  readFile: (uri) => {
    try {
      return readFileSync(uri, 'utf8');
    } catch {
      return undefined;
    }
  },
  ...(maxSteps !== undefined ? { maxSteps } : {}),
});

interface Collected {
  summary: StreamedRunSummary;
  diagnostics: Diagnostic[];
  log: LogEntry[];
  results: ExpectationResult[];
}

function streamed(uri: string, text: string, batch?: number, maxSteps?: number): Collected {
  const c: Omit<Collected, 'summary'> = { diagnostics: [], log: [], results: [] };
  const summary = runScenarioStreamed(uri, text, options(maxSteps), {
    diagnostics: (ds) => c.diagnostics.push(...ds),
    entry: (e) => c.log.push(e),
    result: (r) => c.results.push(r),
  }, batch);
  return { summary, ...c };
}

/** What a user sees of a diagnostic or an entry (spans are compared through line and column). */
const seen = (c: Omit<Collected, 'summary'>): unknown => ({
  diagnostics: c.diagnostics.map((d) => `${d.span.line}:${d.span.col}:${d.span.start}-${d.span.end} ${d.severity} ${d.code} ${d.message}`),
  log: c.log.map((e) => `${e.step} ${e.location.uri}:${e.location.line}:${e.location.col} ${e.kind} ${e.text}`),
  results: c.results,
});

function assertSameAsWhole(uri: string, text: string, batch?: number, maxSteps?: number): Collected {
  const whole = runScenarioText(uri, text, options(maxSteps));
  const s = streamed(uri, text, batch, maxSteps);
  const errors = whole.diagnostics.some((d) => d.severity === 'error');
  assert.deepEqual(seen(s), seen({ ...whole, ...(errors ? { log: [], results: [] } : {}) }), `${uri} (batches of ${batch ?? 'default'})`);
  assert.equal(s.summary.passed, whole.passed, uri);
  assert.equal(s.summary.failed, whole.failed, uri);
  assert.equal(s.summary.hasErrors, errors, uri);
  assert.equal(s.summary.stepLimitHit, whole.stepLimitHit, uri);
  assert.equal(s.summary.stepLimitMessage, whole.stepLimitMessage, uri);
  return s;
}

describe('streamed run', () => {
  const files = [...irqFilesUnder('examples'), ...irqFilesUnder('test/dsl/fixtures'), ...irqFilesUnder('test/debug/fixtures')];

  test('every example and fixture: the same answer as the whole-file run, in batches of 1, 3 and 256', () => {
    assert.ok(files.length > 20, `found ${files.length} files`);
    let streamedFiles = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const batch of [1, 3, 256]) {
        const s = assertSameAsWhole(f, text, batch);
        if (s.summary.streamed) streamedFiles++;
      }
    }
    // Most files stream; the rest (includes, a proc after a call) ran whole and still agree.
    assert.ok(streamedFiles > 0);
  });

  test('every example with a small step limit: the same limit, message and results', () => {
    for (const f of irqFilesUnder('examples')) assertSameAsWhole(f, readFileSync(f, 'utf8'), 3, 7);
  });

  const imported = generateImportedScenario(12_000);

  test('a generated imported scenario runs green, streamed', () => {
    const s = assertSameAsWhole('imported.irq', imported, 16);
    assert.ok(s.summary.streamed);
    assert.ok(s.summary.passed > 50);
    assert.equal(s.summary.failed, 0);
  });

  test('failing expectations, runtime errors, lets, logs and procs mid-file: the same answer', () => {
    const lines = imported.split('\n');
    const mid = lines.length >> 1;
    const edited = [
      'let irq = 0x1300',
      'proc reopen(v) {',
      '  tima vcpu v store8 0x11 0xff',
      '}',
      ...lines.slice(0, mid),
      'log "half way: irq {irq}"',
      'call reopen(1)',
      'let irq2 = irq + 1',
      'esb 0x1300 load 0x800 -> 3                 # a wrong expectation',
      'esb irq2 load 0x800                         # no source 0x1301',
      'hcall vcpu 1 H_INT_GET_SOURCE_CONFIG flags 0, lisn irq2 -> H_SUCCESS',
      'repeat 3 as i { log "i={i}" }',
      ...lines.slice(mid),
    ].join('\n').replace(/-> 0x8006/g, (m, at: number) => (at % 7 === 0 ? '-> 0x8005' : m));
    for (const batch of [1, 5, 256]) {
      const s = assertSameAsWhole('edited.irq', edited, batch);
      assert.ok(s.summary.streamed);
      assert.ok(s.summary.failed > 0);
    }
  });

  test('a parse error mid-file: the same diagnostics and nothing runs', () => {
    const lines = imported.split('\n');
    const broken = [...lines.slice(0, 40), 'esb 0x1300 frobnicate', ...lines.slice(40)].join('\n');
    const s = assertSameAsWhole('broken.irq', broken, 8);
    assert.ok(s.summary.hasErrors);
    assert.equal(s.log.length, 0);
  });

  test('a proc defined after its first call, or an include: the file runs whole, with the same answer', () => {
    const late = `device xive\nvcpu 1 connect\ncall open(1)\nproc open(v) {\n  tima vcpu v store8 0x11 0xff\n}\nget vp vcpu 1 -> { cppr 0xff }\n`;
    assert.equal(streams(late), false);
    assert.equal(assertSameAsWhole('late.irq', late, 1).summary.streamed, false);
    assert.equal(streams('include "lib/x.irq"\n'), false);
    assert.equal(streams(imported), true);
  });

  test('a long file is run one batch of statements at a time', () => {
    const long = generateImportedScenario(400_000);
    const statements = long.split('\n').filter((l) => l.trim() !== '').length;
    const s = streamed('long.irq', long);
    assert.ok(s.summary.streamed);
    assert.equal(s.summary.failed, 0);
    assert.ok(statements > 4_000);
    // Never the whole file: at most one batch of top-level statements is alive at a time.
    assert.ok(s.summary.mostStatementsAlive <= 256, `most statements alive at once: ${s.summary.mostStatementsAlive} of ${statements}`);
  });
});
