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
      // The XICS sample's three per-thread logs are ONE test, replayed together, and it passed.
      assert.ok(records.some((r) => /qemu-7\.2-xics-2cpu\/log-\d+\.txt\.gz$/.test(r.file) && r.state === 'passed'), 'the per-thread log group passed');
      const ids = api.testItemIds();
      const xics = ids.filter((id) => id.includes('qemu-7.2-xics-2cpu'));
      assert.equal(xics.length, 1, `one item for the per-thread logs: ${JSON.stringify(xics)}`);
      assert.ok(!xics[0].endsWith('.gz'), 'the item is the group, not a single log');
    });

    test('per-thread logs written into a new directory become one item, which goes when the last is deleted', async () => {
      const api = await activeApi();
      const sample = vscode.Uri.joinPath(workspaceRoot(), 'qemu-7.2-xics-2cpu');
      const dir = vscode.Uri.joinPath(workspaceRoot(), 'new-run');
      const items = () => api.testItemIds().filter((id) => id.includes('/new-run/'));
      try {
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8848.txt.gz'), vscode.Uri.joinPath(dir, 'log-8848.txt.gz'));
        await waitFor('a group of one for the first log', () => items().length === 1, 30_000);
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8845.txt.gz'), vscode.Uri.joinPath(dir, 'log-8845.txt.gz'));
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, 'log-8848.txt.gz'));
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8849.txt.gz'), vscode.Uri.joinPath(dir, 'log-8849.txt.gz'));
        await waitFor('the item still one group', () => items().length === 1, 30_000);
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, 'log-8845.txt.gz'));
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, 'log-8849.txt.gz'));
        await waitFor('the item gone with its last log', () => items().length === 0, 30_000);
      } finally {
        await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
      }
    });

    test('a directory deleted whole takes its per-thread log group and its scenarios with it', async () => {
      const api = await activeApi();
      const sample = vscode.Uri.joinPath(workspaceRoot(), 'qemu-7.2-xics-2cpu');
      const dir = vscode.Uri.joinPath(workspaceRoot(), 'doomed-run');
      const items = () => api.testItemIds().filter((id) => id.includes('/doomed-run/'));
      try {
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8845.txt.gz'), vscode.Uri.joinPath(dir, 'log-8845.txt.gz'));
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8848.txt.gz'), vscode.Uri.joinPath(dir, 'log-8848.txt.gz'));
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'check.irq'), new TextEncoder().encode('device xive\n'));
        await waitFor('the log group and the scenario', () => items().some((id) => id.endsWith('log-*.txt')) && items().some((id) => id.endsWith('check.irq')), 30_000);
        await vscode.workspace.fs.delete(dir, { recursive: true });
        await waitFor('no item left under the deleted directory', () => items().length === 0, 30_000);
      } finally {
        await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
      }
    });
  });
}
