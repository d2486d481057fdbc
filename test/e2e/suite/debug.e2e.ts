/**
 * Debugging a scenario as a user does: F5 with no launch.json, stop on entry, step over
 * to the ESB trigger, read Sources / Event queues / Presenters, step back and see the
 * values before the trigger, open the interrupt map, toggle hex.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { DEBUG_SCENARIO, TRIGGER_LINE } from './fixtures';
import { StopRecorder, scopeVariables, topFrame, variableNamed } from './debug-helpers';
import { activeApi, openExample, pressEnterOnMapNode, screenshot, waitFor } from './helpers';

export function defineDebugTests(): void {
  suite('debugging a scenario', () => {
    let stops: StopRecorder;
    let session: vscode.DebugSession;
    let threadId: number;

    suiteSetup(() => {
      stops = new StopRecorder();
    });
    suiteTeardown(async () => {
      stops.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    });

    /** Sends a stepping request and waits for the stop it causes. */
    async function stepWith(command: 'next' | 'stepBack'): Promise<void> {
      const seen = stops.stops.length;
      await session.customRequest(command, { threadId });
      const stop = await stops.next(seen, `the stop after ${command}`);
      assert.equal(stop.reason, 'step');
    }

    test('F5 with no launch.json starts the debugger and stops on entry', async () => {
      await activeApi();
      await openExample(DEBUG_SCENARIO);
      const started = new Promise<vscode.DebugSession>((resolve) => {
        const sub = vscode.debug.onDidStartDebugSession((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      // The F5 action itself: VS Code finds no launch.json and asks the provider for a configuration.
      await vscode.commands.executeCommand('workbench.action.debug.start');
      session = await started;
      assert.equal(session.type, 'irq');
      assert.equal(session.configuration.stopOnEntry, true);
      assert.match(String(session.configuration.program), /e2e-one-event\.irq$/);
      const stop = await stops.next(0, 'the entry stop');
      assert.equal(stop.reason, 'entry');
      threadId = stop.threadId;
      const frame = await topFrame(session, threadId);
      assert.equal(frame.line, 3, 'stopped on the first statement (`device xive`, line 3)');
    });

    test('stepping reaches the ESB trigger; Sources, Event queues and Presenters show its effect', async () => {
      // DAP lines as VS Code sees them are 1-based; TRIGGER_LINE is 0-based.
      while ((await topFrame(session, threadId)).line <= TRIGGER_LINE + 1) await stepWith('next');
      assert.equal((await topFrame(session, threadId)).line, TRIGGER_LINE + 2, 'just after the trigger');
      const vars = await scopeVariables(session, threadId);
      assert.deepEqual([...vars.keys()].slice(0, 4), ['Device', 'Sources', 'Event queues', 'Presenters']);
      const source = variableNamed(vars, 'Sources', /^0x1300$/);
      assert.ok(source, 'source 0x1300 is listed');
      assert.match(source.value, /prio=6 server=1/);
      assert.match(source.value, /PQ=P-/, 'the trigger left the source pending');
      const queue = variableNamed(vars, 'Event queues', /server 1 priority 6/);
      assert.ok(queue, 'the (1, 6) event queue is listed');
      assert.match(queue.value, /index 1\//);
      assert.match(queue.value, /count 1/);
      const vp = variableNamed(vars, 'Presenters', /vCPU 1/);
      assert.ok(vp, 'vCPU 1 is listed');
      assert.match(vp.value, /pipr=0x06/);
      assert.match(vp.value, /ipb=0x02/);
      await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
      await screenshot('variables', ['Sources', 'Event queues', 'Presenters']);
    });

    test('step back restores the values from before the trigger', async () => {
      await stepWith('stepBack');
      assert.equal((await topFrame(session, threadId)).line, TRIGGER_LINE + 1, 'back on the trigger line');
      const vars = await scopeVariables(session, threadId);
      assert.match(variableNamed(vars, 'Sources', /^0x1300$/)?.value ?? '', /PQ=--/);
      assert.match(variableNamed(vars, 'Event queues', /server 1 priority 6/)?.value ?? '', /index 0\//);
      assert.match(variableNamed(vars, 'Presenters', /vCPU 1/)?.value ?? '', /pipr=0xff/);
      await stepWith('next'); // forward again: the same state as before (determinism)
      assert.match(variableNamed(await scopeVariables(session, threadId), 'Sources', /^0x1300$/)?.value ?? '', /PQ=P-/);
    });

    test('the interrupt map shows the routing and follows the next stop', async () => {
      const api = await activeApi();
      await vscode.commands.executeCommand('irqlab.showInterruptMap');
      const first = await waitFor('the map drawn in its webview', () => {
        const s = api.interruptMap();
        return s.open && s.webviewReady && s.map ? s : undefined;
      });
      const map = first.map!;
      assert.equal(map.device?.startsWith('xive'), true, `device ${map.device}`);
      const source = map.sources.find((s) => s.irq === 0x1300);
      assert.ok(source, 'source 0x1300 on the map');
      assert.equal(source.routed, true);
      assert.equal(source.server, 1);
      assert.equal(source.priority, 6);
      const queue = map.queues.find((q) => q.server === 1 && q.priority === 6);
      assert.ok(queue, 'queue (1, 6) on the map');
      assert.ok(map.presenters.some((p) => p.vcpu === 1 && p.pending.includes(6)), 'vCPU 1 has priority 6 pending');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await screenshot('interrupt-map');
      // Keyboard: Enter on the source's node reveals the line that configured it.
      if (source.line !== undefined) {
        const line = source.line - 1;
        const current = vscode.window.activeTextEditor;
        if (current) current.selection = new vscode.Selection(0, 0, 0, 0);
        if (await pressEnterOnMapNode('source 0x1300')) {
          const editor = await waitFor('the editor to reveal the line that configured the source', () => {
            const e = vscode.window.activeTextEditor;
            return e && e.selection.active.line === line ? e : undefined;
          });
          assert.match(editor.document.uri.fsPath, /e2e-one-event\.irq$/);
        }
      }
      await stepWith('next');
      const after = await waitFor('a map update at the next stop', () => (api.interruptMap().updates > first.updates ? api.interruptMap() : undefined));
      assert.ok(after.map && after.map.step > map.step, 'the map moved with the debugger');
    });

    test('Toggle Hex flips the display through the adapter', async () => {
      const before = await vscode.commands.executeCommand<boolean>('irqlab.toggleHex');
      const after = await vscode.commands.executeCommand<boolean>('irqlab.toggleHex');
      assert.equal(typeof before, 'boolean');
      assert.equal(after, !before);
    });
  });
}
