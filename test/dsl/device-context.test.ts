import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, layoutOfStatement, parse, wordSites } from '../../src/dsl';

// The device a word belongs to is the last device the scenario really created.
test('a device creation expected to fail (-> EEXIST) keeps the earlier device for later words', () => {
  const text = [
    'scenario "t"',
    'device xics',
    'device xive -> EEXIST',
    'vcpu 0 connect',
    'set source 0x1000 = { server 0, priority 5 }',
  ].join('\n');
  const { diagnostics } = analyze(text, 'file:///w/t.irq');
  assert.deepEqual(diagnostics.map((d) => `${d.span.line + 1}:${d.code}`), []);
  const program = parse(text, 'file:///w/t.irq');
  assert.equal(layoutOfStatement(program.statements[4]), 'xics-source');
  assert.ok(wordSites(program).some((w) => w.layout === 'xics-source'));
});

test('a successful second device line switches the layout of later words', () => {
  const program = parse('device xics\ndevice release\ndevice xive\nset source 0x10 = 0x0\n', 'file:///w/t.irq');
  assert.equal(layoutOfStatement(program.statements[3]), 'xive-source');
});
