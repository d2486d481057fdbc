/**
 * "Why is this interrupt not delivered?" in VS Code: a scenario whose event queue was
 * torn down; the Debug Console's `explain` names the link and the rule; the interrupt
 * map draws that link in red with the reason as its tooltip; the language server's
 * code action runs the scenario to a line and explains the route there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { ExplainAtLineResult } from '../../../src/protocol';
import { StopRecorder, topFrame } from './debug-helpers';
import { activeApi, screenshot, waitFor, workspaceRoot } from './helpers';

const BLOCKED_SCENARIO = 'e2e-blocked.irq';
const BLOCKED_TEXT = `# EQ 1/6 torn down by a refused restore (written by the end-to-end suite)
scenario "e2e: blocked at the event queue"
device xive
vcpu 1 connect
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }
set source 0x1300 = 0
set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }
esb 0x1300 load 0xc00 -> 1
tima vcpu 1 store8 0x11 0xff
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 2 } -> EIO
esb 0x1300 store 0x000
log "end"
`;
/** 1-based line of the last statement (`log "end"`), where the breakpoint stops. */
const END_LINE = 12;

export function defineExplainTests(): void {
  suite('explaining a blocked interrupt', () => {
    let stops: StopRecorder;
    let session: vscode.DebugSession;
    let uri: vscode.Uri;

    suiteSetup(async () => {
      stops = new StopRecorder();
      uri = vscode.Uri.joinPath(workspaceRoot(), BLOCKED_SCENARIO);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(BLOCKED_TEXT));
    });
    suiteTeardown(async () => {
      stops.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    });

    test('Debug Console: explain source and explain vcpu at a breakpoint', async () => {
      await activeApi();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(END_LINE - 1, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      const seen = stops.stops.length;
      const started = new Promise<vscode.DebugSession>((resolve) => {
        const sub = vscode.debug.onDidStartDebugSession((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), { type: 'irq', request: 'launch', name: 'explain', program: uri.fsPath, stopOnEntry: false });
      session = await started;
      const stop = await stops.next(seen, 'the breakpoint stop');
      vscode.debug.removeBreakpoints([breakpoint]);
      assert.equal(stop.reason, 'breakpoint');
      const frame = await topFrame(session, stop.threadId);
      assert.equal(frame.line, END_LINE);
      const source = (await session.customRequest('evaluate', { expression: 'explain source 0x1300', context: 'repl', frameId: frame.id })) as { result: string };
      assert.equal(source.result, 'blocked: EQ 1/6 not configured');
      const vcpu = (await session.customRequest('evaluate', { expression: 'explain vcpu 1', context: 'repl', frameId: frame.id })) as { result: string };
      assert.equal(vcpu.result, 'idle (CPPR 0xff)');
      await vscode.commands.executeCommand('workbench.debug.action.toggleRepl');
      await screenshot('debug-console-explain');
    });

    test('the interrupt map draws the blocking link in red with the reason as its tooltip', async () => {
      const api = await activeApi();
      await vscode.commands.executeCommand('irqlab.showInterruptMap');
      const drawn = await waitFor('the map drawn with its blocked link', () => {
        const s = api.interruptMap();
        return s.open && s.map && s.drawn && s.drawn.step === s.map.step && s.map.sources.some((x) => x.irq === 0x1300 && x.blocked) ? s : undefined;
      });
      const src = drawn.map!.sources.find((x) => x.irq === 0x1300)!;
      assert.equal(src.route, 'blocked: EQ 1/6 not configured');
      assert.equal(src.blocked?.at, 'queue');
      assert.equal(src.blocked?.link, 'eq');
      assert.equal(drawn.drawn!.blocked.length, 1, JSON.stringify(drawn.drawn));
      assert.match(drawn.drawn!.blocked[0], /^0x1300 blocked: EQ 1\/6 not configured\n.*disabled.*\(kvmppc_xive_native_set_queue_config\)$/s);
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await screenshot('interrupt-map-blocked');
    });

    test('the language server explains a source at a line through its code action', async () => {
      const api = await activeApi();
      await api.languageClientReady();
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = 10; // 0-based: `esb 0x1300 store 0x000`
      const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('0x1300') + 2);
      const actions = await waitFor('the Explain code action', async () => {
        const list = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
        return list?.find((a) => a.title === 'Explain source 0x1300 at this line');
      });
      assert.ok(actions.command, 'the action carries its command');
      const result = await vscode.commands.executeCommand<ExplainAtLineResult>(actions.command.command, ...(actions.command.arguments ?? []));
      assert.ok(result && result.ok, JSON.stringify(result));
      assert.equal(result.summary, 'blocked: EQ 1/6 not configured');
      assert.equal(result.line, line + 1);
    });
  });
}
