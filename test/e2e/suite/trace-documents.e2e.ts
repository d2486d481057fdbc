/**
 * Gzipped QEMU logs open as trace text wherever the Test Explorer links to them: the XICS
 * sample's per-thread log item, and the line of a divergence planted in a gzipped log.
 */
import * as assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import { TRACE_LANGUAGE_ID } from '../../../src/extension/command-ids';
import { TRACE_DOCUMENT_SCHEME } from '../../../src/extension/gzip-trace-text';
import { activeApi, screenshot, waitFor, workspaceRoot } from './helpers';

const TRACE_LINE = /^\d+@\d+\.\d+:/;

async function show(uri: string, line = 0): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(line, 0, line, 0) });
}

export function defineTraceDocumentTests(): void {
  suite('Gzipped traces open as text', () => {
    test('the XICS per-thread log item opens its first log decompressed, as a QEMU trace', async () => {
      const api = await activeApi();
      const id = await waitFor('the XICS per-thread log item', () => api.testItemIds().find((i) => i.includes('/qemu-7.2-xics-2cpu/')), 30_000);
      const uri = api.testItemUri(id);
      assert.ok(uri, `the item ${id} has a uri`);
      assert.equal(vscode.Uri.parse(uri).scheme, TRACE_DOCUMENT_SCHEME, uri);
      assert.ok(uri.endsWith('/qemu-7.2-xics-2cpu/log-8845.txt.gz'), uri);
      const editor = await show(uri);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
      const text = editor.document.getText();
      assert.match(text, TRACE_LINE, `starts with a trace line: ${JSON.stringify(text.slice(0, 80))}`);
      assert.ok(text.includes('xics_icp_'), 'the XICS events are there');
      assert.equal(editor.document.lineCount, 113, 'the whole log');
      assert.equal(editor.document.languageId, TRACE_LANGUAGE_ID);
    });

    test('a divergence in a gzipped log: the failure opens the decompressed log at its line', async () => {
      const api = await activeApi();
      const root = workspaceRoot();
      const sample = vscode.Uri.joinPath(root, 'qemu-7.2-xics-2cpu');
      const dir = vscode.Uri.joinPath(root, 'gz-divergence');
      try {
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8845.txt.gz'), vscode.Uri.joinPath(dir, 'log-8845.txt.gz'));
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(sample, 'log-8848.txt.gz'), vscode.Uri.joinPath(dir, 'log-8848.txt.gz'));
        // One value changed in the third log, which stays gzipped: XIRR 0xff000002 → 0xff000003 at line 26.
        const lines = gunzipSync(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(sample, 'log-8849.txt.gz'))).toString('latin1').split('\n');
        assert.match(lines[25], /XIRR 0xff000002->/);
        lines[25] = lines[25].replace('XIRR 0xff000002->', 'XIRR 0xff000003->');
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'log-8849.txt.gz'), gzipSync(Buffer.from(lines.join('\n'), 'latin1')));
        await waitFor('the planted group as one item', () => api.testItemIds().some((i) => i.includes('/gz-divergence/')), 30_000);

        await vscode.commands.executeCommand('testing.runAll');
        const failure = await waitFor(
          'the planted divergence reported',
          () => api.lastTestRun().find((r) => r.file.includes('/gz-divergence/') && r.state === 'failed'),
          60_000,
        );
        assert.ok(failure.file.endsWith('/gz-divergence/log-8849.txt.gz') && failure.line === 26, JSON.stringify(failure));
        assert.ok(failure.location, 'the failure links somewhere');
        assert.equal(vscode.Uri.parse(failure.location).scheme, TRACE_DOCUMENT_SCHEME, failure.location);
        const editor = await show(failure.location, failure.line - 1);
        assert.equal(editor.document.languageId, TRACE_LANGUAGE_ID);
        // This log starts with `-d int` lines; its trace lines are there, as text.
        assert.match(editor.document.getText(), /^\d+@\d+\.\d+:xics_/m);
        const at = editor.document.lineAt(editor.selection.active.line).text;
        assert.match(at, /xics_icp_accept icp_accept: XIRR 0xff000003->/, 'the failure lands on the changed line, as text');
        await screenshot('trace-gz-failure');
      } finally {
        // Only the decompressed log this test opened (read-only: closing it asks nothing).
        if (vscode.window.activeTextEditor?.document.uri.scheme === TRACE_DOCUMENT_SCHEME) {
          await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        }
        await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
      }
    });
  });
}
