/**
 * A streamed run (stream-run.ts: checked by `diagnose`, then parsed and run a batch of top-level
 * statements at a time) answers exactly as the whole-file run: the same diagnostics, results, log
 * lines, counts and step limit, on every example and fixture and on generated imported-trace files
 * with failures, errors, lets, procs and logs; and a long file is not held whole.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/dsl/ast';
import {
  LogEntry, MAX_KEPT_RESULTS, runScenarioStreamed, runScenarioText, RuntimeOptions, STREAM_BATCH_STATEMENTS,
} from '../../src/dsl/runtime';
import { generateImportedScenario } from '../../bench/imported-scenario';
import type { ScenarioSource } from '../../src/dsl/text-windows';

function irqFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...irqFiles(p));
    else if (name.endsWith('.irq')) out.push(p);
  }
  return out;
}

const diskFiles: RuntimeOptions = {
  readFile: (uri) => {
    try {
      return readFileSync(uri, 'utf8');
    } catch {
      return undefined;
    }
  },
};

function collectingSink(): { diagnostics: Diagnostic[]; log: LogEntry[]; calls: string[]; sink: Parameters<typeof runScenarioStreamed>[3] } {
  const got = { diagnostics: [] as Diagnostic[], log: [] as LogEntry[], calls: [] as string[] };
  return {
    ...got,
    sink: {
      diagnostics: (ds) => {
        got.calls.push('diagnostics');
        got.diagnostics.push(...ds);
      },
      log: (entries) => {
        got.calls.push('log');
        got.log.push(...entries);
      },
    },
  };
}

/**
 * Runs `text` whole and streamed (in batches of `batch` statements) and asserts they agree; answers
 * whether it streamed. A file that does not stream must leave the sink untouched (nothing printed twice).
 */
function assertStreamsLikeWhole(uri: string, text: string, options: RuntimeOptions, batch = STREAM_BATCH_STATEMENTS, windowChars?: number): boolean {
  const whole = runScenarioText(uri, text, options);
  const c = collectingSink();
  // With `windowChars`, the text is read through a source in windows of that size, as a large file is.
  const streamed = windowChars === undefined ? runScenarioStreamed(uri, text, options, c.sink, batch)
    : runScenarioStreamed(uri, piecewise(text), options, c.sink, batch, windowChars);
  if (streamed === null) {
    assert.deepEqual(c.calls, [], 'a file that does not stream outputs nothing from the streaming runner');
    // The CLI's entry point then runs it whole, through the same sink.
    const viaSink = collectingSink();
    const r = runScenarioText(uri, text, options, viaSink.sink);
    assert.deepEqual(viaSink.diagnostics, whole.diagnostics);
    assert.deepEqual(viaSink.log, whole.log);
    assert.deepEqual(r.results, whole.results);
    assert.equal(r.streamed, undefined);
    return false;
  }
  assert.deepEqual(c.calls[0], 'diagnostics', 'diagnostics come before any log line');
  assert.deepEqual(c.diagnostics, whole.diagnostics, 'diagnostics');
  assert.deepEqual(c.log, whole.log, 'log lines, in order');
  assert.deepEqual(streamed.results, whole.results, 'results');
  assert.equal(streamed.resultsOmitted, 0);
  assert.equal(streamed.passed, whole.passed);
  assert.equal(streamed.failed, whole.failed);
  assert.equal(streamed.stepLimitHit, whole.stepLimitHit);
  assert.equal(streamed.stepLimitMessage, whole.stepLimitMessage);
  return true;
}

/** `text` as a source read in uneven pieces (as a file is read in chunks), counting its reads. */
function piecewise(text: string, size = 97): ScenarioSource & { reads: number } {
  const source = {
    reads: 0,
    *pieces(): Generator<string> {
      source.reads++;
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    },
  };
  return source;
}

describe('a streamed run equals the whole-file run', () => {
  const corpus = [...irqFiles('examples'), ...irqFiles('test/dsl/fixtures')];
  test('the corpus is there', () => {
    assert.ok(corpus.length >= 20, corpus.join(', '));
  });
  for (const file of corpus) {
    test(file, () => {
      const text = readFileSync(file, 'utf8');
      const streams = assertStreamsLikeWhole(file, text, diskFiles);
      // Tiny batches: every batch boundary falls inside what the file does.
      assertStreamsLikeWhole(file, text, diskFiles, 2);
      // Read in windows: one per safe line end, and a few statements each; the same answers.
      assertStreamsLikeWhole(file, text, diskFiles, 2, 1);
      assertStreamsLikeWhole(file, text, diskFiles, STREAM_BATCH_STATEMENTS, 200);
      assert.equal(streams, !/\binclude\b/.test(text) && !callsBeforeDefinition(text), 'streams unless it includes or calls ahead');
    });
  }
});

/** The corpus's files that call a proc above its definition (textual check for the assertion above). */
function callsBeforeDefinition(text: string): boolean {
  const code = text.replace(/#.*$/gm, '').replace(/"(\\.|[^"\\\n])*"/g, '""');
  const defined = new Set<string>();
  for (const m of code.matchAll(/\b(proc|call)\s+([A-Za-z_]\w*)/g)) {
    if (m[1] === 'proc') defined.add(m[2]);
    else if (!defined.has(m[2])) return true;
  }
  return false;
}

describe('generated imported-trace scenarios stream like the whole run', () => {
  const options: RuntimeOptions = { readFile: () => undefined };
  const base = generateImportedScenario({ bytes: 40_000, failEvery: 7, lets: true });
  const lines = base.split('\n');
  const at = (n: number, ...insert: string[]): string => [...lines.slice(0, n), ...insert, ...lines.slice(n)].join('\n');

  test('failing expectations mid-file, and a let added by hand', () => {
    const r = runScenarioText('gen.irq', base, options);
    assert.ok(r.failed > 10 && r.passed > 400, `${r.passed} passed, ${r.failed} failed`);
    for (const batch of [STREAM_BATCH_STATEMENTS, 5, 1]) assert.ok(assertStreamsLikeWhole('gen.irq', base, options, batch));
    for (const windowChars of [1, 333, 4096]) assert.ok(assertStreamsLikeWhole('gen.irq', base, options, 5, windowChars));
  });
  test('an operation that fails without an expectation, an operand the model refuses, and logs mid-file', () => {
    const text = at(400, 'esb 0x7777 load 0x800', 'tima vcpu 1 load16 0x1_0000_0000', 'log "cppr now {vp(1).cppr} uart {uart}"');
    for (const batch of [STREAM_BATCH_STATEMENTS, 3]) assert.ok(assertStreamsLikeWhole('gen.irq', text, options, batch));
    for (const windowChars of [1, 500]) assert.ok(assertStreamsLikeWhole('gen.irq', text, options, 3, windowChars));
  });
  test('a line that does not parse mid-file: refused, nothing runs', () => {
    const text = at(700, 'esb 1 lood 0x800 -> 2');
    const c = collectingSink();
    const r = runScenarioStreamed('gen.irq', text, options, c.sink, 3);
    assert.ok(r && r.diagnostics.some((d) => d.severity === 'error'));
    assert.deepEqual(c.log, []);
    assertStreamsLikeWhole('gen.irq', text, options, 3);
    assertStreamsLikeWhole('gen.irq', text, options, 3, 1000);
  });
  test('a name defined on the last line but used early: the late error refuses the whole file before anything is printed', () => {
    const text = at(30, 'esb late load 0x800') + 'let late = 1\n';
    const c = collectingSink();
    const r = runScenarioStreamed('gen.irq', text, options, c.sink, 4);
    assert.ok(r && r.diagnostics.some((d) => d.code === 'used-before-definition'), JSON.stringify(r?.diagnostics));
    assert.deepEqual(c.calls, ['diagnostics']);
    assertStreamsLikeWhole('gen.irq', text, options, 4);
    assertStreamsLikeWhole('gen.irq', text, options, 4, 700);
  });
  test('procs defined before their calls stream, calls in later batches and inside repeats included', () => {
    const text = at(20,
      'proc ack(v) {',
      '  tima vcpu v load16 0x810',
      '  tima vcpu v store8 0x11 0xff',
      '}',
      'proc kick(v) {',
      '  esb v trigger store 0x0 0x0',
      '  call ack(v)',
      '}',
    ) + 'repeat 3 as i {\n  call kick(i & 1)\n}\ncall kick(1)\n';
    for (const batch of [STREAM_BATCH_STATEMENTS, 2]) assert.ok(assertStreamsLikeWhole('gen.irq', text, options, batch));
    // Windows of one statement each: every call runs a proc defined windows before it.
    for (const windowChars of [1, 100]) assert.ok(assertStreamsLikeWhole('gen.irq', text, options, 2, windowChars));
  });
  test('a call above its proc does not stream: the whole-file run answers', () => {
    const text = at(20, 'call late(1)') + 'proc late(v) {\n  tima vcpu v store8 0x11 0xff\n}\n';
    assert.equal(assertStreamsLikeWhole('gen.irq', text, options, 2), false);
    // Found in a late window, after earlier windows were checked: still nothing output, and the whole run answers.
    assert.equal(assertStreamsLikeWhole('gen.irq', text, options, 2, 300), false);
  });
  test('the step limit stops a streamed run where it stops the whole run', () => {
    for (const maxSteps of [1, 255, 256, 257, 1000]) {
      assert.ok(assertStreamsLikeWhole('gen.irq', base, { ...options, maxSteps }, 256));
      assert.ok(assertStreamsLikeWhole('gen.irq', base, { ...options, maxSteps }, 7));
      assert.ok(assertStreamsLikeWhole('gen.irq', base, { ...options, maxSteps }, 7, 900));
    }
  });
});

describe('a long file is not held whole', () => {
  test('a 2 MB imported-trace scenario runs a batch at a time, with bounded results', () => {
    const text = generateImportedScenario({ bytes: 2_000_000, failEvery: 3 });
    const statements = text.split('\n').filter((l) => /^[a-z]/.test(l)).length;
    const c = collectingSink();
    let logLines = 0;
    const r = runScenarioStreamed('big.irq', text, { readFile: () => undefined, maxSteps: 10_000_000 }, {
      diagnostics: c.sink.diagnostics,
      log: (entries) => {
        logLines += entries.length;
      },
    });
    assert.ok(r);
    assert.ok(r.statistics.batches >= statements / STREAM_BATCH_STATEMENTS, `${r.statistics.batches} batches for ${statements} statements`);
    assert.ok(r.statistics.maxStatementsHeld <= STREAM_BATCH_STATEMENTS, `held ${r.statistics.maxStatementsHeld} statements at once`);
    // Every result counted and printed; the summary keeps at most MAX_KEPT_RESULTS, then failures only.
    assert.equal(logLines, r.passed + r.failed);
    assert.ok(r.passed + r.failed > MAX_KEPT_RESULTS, 'the file has more results than are kept');
    assert.equal(r.results.length + r.resultsOmitted, r.passed + r.failed);
    assert.ok(r.results.length <= 2 * MAX_KEPT_RESULTS);
    const keptFailures = r.results.filter((x) => !x.ok).length;
    assert.equal(keptFailures, Math.min(r.failed, MAX_KEPT_RESULTS));
  });
});
