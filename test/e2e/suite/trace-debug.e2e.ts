/**
 * Debugging a real QEMU trace as a user does: open the XIVE sample from the examples, F5,
 * stop on its first event line, step, read the Variables, step back; then a copy of the
 * trace with one value QEMU returned changed stops behind "Model disagrees with the trace"
 * with QEMU's value and the model's.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { StopRecorder, scopeVariables, topFrame } from './debug-helpers';
import { activeApi, openExample, screenshot, waitFor, workspaceRoot } from './helpers';

/** The small XIVE sample as examples/ ships it (the workspace is a copy of examples/). */
export const TRACE_EXAMPLE = 'qemu-7.2-xive-2cpu/trace.log';
const PLANTED = 'qemu-7.2-xive-2cpu/planted-divergence.trace';

/** The trace with the value of its first ESB load changed (QEMU said 0x1; the copy says 0x3). */
function plant(text: string): { text: string; line: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /xive_source_esb_read .* val=0x1$/.test(l));
  assert.ok(i >= 0, 'the sample has an ESB load returning 0x1');
  lines[i] = lines[i].replace(/val=0x1$/, 'val=0x3');
  return { text: lines.join('\n'), line: i };
}

export function defineTraceDebugTests(): void {
  suite('debugging a QEMU trace', () => {
    let stops: StopRecorder;
    let session: vscode.DebugSession;
    let threadId: number;

    suiteSetup(async () => {
      stops = new StopRecorder();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    });
    suiteTeardown(async () => {
      stops.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
      // The Test Explorer suite runs every trace of the workspace: the planted one is not an example.
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), PLANTED)).then(undefined, () => undefined);
    });

    async function stepWith(command: 'next' | 'stepBack'): Promise<void> {
      const seen = stops.stops.length;
      await session.customRequest(command, { threadId });
      const stop = await stops.next(seen, `the stop after ${command}`);
      assert.equal(stop.reason, 'step');
    }

    function started(): Promise<vscode.DebugSession> {
      return new Promise((resolve) => {
        const sub = vscode.debug.onDidStartDebugSession((s) => {
          sub.dispose();
          resolve(s);
        });
      });
    }

    test('a trace.log opens as a QEMU trace; F5 stops on its first event line, in the trace itself', async () => {
      await activeApi();
      const editor = await openExample(TRACE_EXAMPLE);
      assert.equal(editor.document.languageId, 'qemu-trace');
      const seen = stops.stops.length;
      const starting = started();
      await vscode.commands.executeCommand('workbench.action.debug.start');
      session = await starting;
      assert.equal(session.type, 'irq');
      assert.match(String(session.configuration.program), /trace\.log$/);
      const stop = await stops.next(seen, 'the entry stop');
      assert.equal(stop.reason, 'entry');
      threadId = stop.threadId;
      const frame = await topFrame(session, threadId);
      assert.match(frame.source?.path ?? '', /trace\.log$/);
      assert.equal(frame.line, 1, 'the first line is an event');
      assert.match(frame.name, /spapr_xive_claim_irq/);
    });

    test('step forwards: the editor follows the trace and the Variables show the model', async () => {
      for (let i = 0; i < 20; i++) await stepWith('next');
      const frame = await topFrame(session, threadId);
      assert.equal(frame.line, 21);
      const vars = await scopeVariables(session, threadId);
      assert.deepEqual([...vars.keys()].slice(0, 4), ['Device', 'Sources', 'Event queues', 'Presenters']);
      assert.ok((vars.get('Sources') ?? []).some((v) => v.name === '0x0'), 'source 0x0 (claimed by the trace) is listed');
      assert.ok((vars.get('Last operation') ?? []).length > 0, 'the last trace event is shown');
      // The editor shows the trace with the current line highlighted.
      const active = await waitFor('the trace in the editor, showing the current line', () => {
        const e = vscode.window.activeTextEditor;
        return e && /trace\.log$/.test(e.document.uri.fsPath) && e.visibleRanges.some((r) => r.start.line <= 20 && r.end.line >= 20) ? e : undefined;
      });
      assert.ok(active);
      await vscode.commands.executeCommand('workbench.view.debug');
      await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
      await screenshot('trace-variables', ['Presenters']);
    });

    test('step back returns to the previous trace line', async () => {
      await stepWith('stepBack');
      assert.equal((await topFrame(session, threadId)).line, 20);
      await stepWith('next');
      assert.equal((await topFrame(session, threadId)).line, 21);
      await vscode.debug.stopDebugging(session);
    });

    test('a planted divergence stops behind "Model disagrees with the trace" with QEMU\'s value and the model\'s', async () => {
      const root = workspaceRoot();
      const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, TRACE_EXAMPLE)));
      const planted = plant(original);
      const uri = vscode.Uri.joinPath(root, PLANTED);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(planted.text));
      const seen = stops.stops.length;
      const starting = started();
      await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], { type: 'irq', request: 'launch', name: 'planted', program: uri.fsPath, stopOnEntry: false });
      session = await starting;
      const stop = await stops.next(seen, 'the divergence stop');
      assert.equal(stop.reason, 'exception');
      threadId = stop.threadId;
      const frame = await topFrame(session, threadId);
      assert.equal(frame.line, planted.line + 1, 'stopped at the changed line');
      assert.match(frame.name, /^xive_source_esb_read .* val=0x3$/, 'the top frame names the diverging event');
      const info = (await session.customRequest('exceptionInfo', { threadId })) as DebugProtocol.ExceptionInfoResponse['body'];
      assert.equal(info.exceptionId, 'trace-divergence');
      assert.match(info.description ?? '', /QEMU: .*0x3/);
      assert.match(info.description ?? '', /model: .*0x1/);
      await screenshot('trace-divergence');
    });
  });
}
