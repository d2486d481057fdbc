/** Every example runs green: through the interpreter and through the built CLI (`node dist/cli.js run`). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioText } from '../../src/dsl/runtime';

const EXAMPLES = join(process.cwd(), 'examples');
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.irq')).sort();

function readFile(uri: string): string | undefined {
  try {
    return readFileSync(uri, 'utf8');
  } catch {
    return undefined;
  }
}

describe('examples through the interpreter', () => {
  test('the documented examples are all there', () => {
    for (const name of ['xive-source-config.irq', 'xive-delivery.irq', 'xive-migration.irq', 'xics-delivery.irq', 'xics-on-xive.irq', 'structure.irq']) {
      assert.ok(examples.includes(name), name);
    }
  });

  for (const name of examples) {
    test(name, () => {
      const path = join(EXAMPLES, name);
      const r = runScenarioText(path, readFileSync(path, 'utf8'), { readFile });
      assert.deepEqual(r.diagnostics.map((d) => `${d.span.line + 1}: ${d.severity}: ${d.message}`), [], 'examples check without a diagnostic');
      assert.deepEqual(r.results.filter((x) => !x.ok).map((x) => `${x.line + 1}: ${x.message}`), []);
      assert.equal(r.stepLimitHit, false);
      assert.ok(r.passed >= 10, `${name} checks something (${r.passed} expectations)`);
    });
  }
});

describe('examples through the built CLI', () => {
  const cli = join(process.cwd(), 'dist', 'cli.js');

  test('node dist/cli.js run examples/*.irq exits 0 with every expectation passed', () => {
    if (!existsSync(cli)) {
      // `npm test` builds first; a bare `node --test` run builds here.
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
      assert.ok(existsSync(cli), `dist/cli.js could not be built: ${build.stderr}`);
    }
    const files = examples.map((f) => join('examples', f));
    const r = spawnSync(process.execPath, [cli, 'run', ...files], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stdout.split('\n').filter((l) => l.includes('FAIL') || l.includes('error')).join('\n') + r.stderr);
    const summary = r.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(summary, /^\d+ passed, 0 failed$/);
    const json = spawnSync(process.execPath, [cli, 'run', '--json', ...files], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(json.status, 0);
    const parsed = JSON.parse(json.stdout) as { passed: number; failed: number; results: unknown[] };
    assert.equal(parsed.failed, 0);
    assert.equal(parsed.passed, Number(summary.split(' ')[0]));
    assert.equal(parsed.results.length, parsed.passed);
  });
});
