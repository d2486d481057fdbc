/** The Test Explorer: every scenario file is a test, every expectation a child; failures carry expected/actual. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import { FAILING_LINE, FAILING_SCENARIO } from './fixtures';
import { activeApi, waitFor, workspaceRoot } from './helpers';

export function defineTestingTests(): void {
  suite('Test Explorer', () => {
    test('every .irq file is a test item with its expectations as children', async () => {
      const api = await activeApi();
      const files = await vscode.workspace.findFiles('**/*.irq');
      const ids = await waitFor('test items for every file', () => {
        const known = api.testItemIds();
        return files.every((f) => known.includes(f.toString())) ? known : undefined;
      });
      const failing = vscode.Uri.joinPath(workspaceRoot(), FAILING_SCENARIO).toString();
      assert.ok(ids.includes(`${failing}#${FAILING_LINE + 1}`), 'the expectation line is a child item');
    });

    test('Run All reports every example green and the wrong expectation with expected vs actual', async () => {
      const api = await activeApi();
      await vscode.commands.executeCommand('testing.runAll');
      const records = await waitFor('the test run results', () => (api.lastTestRun().length > 0 ? api.lastTestRun() : undefined), 60_000);
      const failing = records.filter((r) => r.state !== 'passed');
      const wrong = failing.filter((r) => r.file.endsWith(FAILING_SCENARIO));
      assert.equal(wrong.length, 1, JSON.stringify(failing, null, 1));
      assert.equal(wrong[0].line, FAILING_LINE + 1);
      assert.equal(wrong[0].state, 'failed');
      assert.ok(wrong[0].expected !== undefined && wrong[0].actual !== undefined, 'expected and actual are reported');
      assert.notEqual(wrong[0].expected, wrong[0].actual);
      const others = failing.filter((r) => !r.file.endsWith(FAILING_SCENARIO));
      assert.deepEqual(others, [], 'every example scenario passes');
      const examples = new Set(records.map((r) => r.file.split('/').pop()));
      assert.ok(examples.has('xive-source-config.irq'), 'the examples ran');
      // A QEMU trace is a test too: the XIVE sample agrees with the model.
      assert.ok(records.some((r) => r.file.endsWith('qemu-7.2-xive-2cpu/trace.log') && r.state === 'passed'), 'the sample trace passed');
    });
  });
}
