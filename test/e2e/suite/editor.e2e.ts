/** Editing an example: diagnostics for a broken line, a decoding hover, code lenses, the Decode command. */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import { activeApi, openExample, screenshot, waitFor } from './helpers';

const EXAMPLE = 'xive-source-config.irq';
const RAW_WORD = '0x0000_2600_0000_000e'; // prio 6, server 1, eisn 0x1300 as xive-source-config

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export function defineEditorTests(): void {
  suite('editing an example', () => {
    let editor: vscode.TextEditor;

    suiteSetup(async () => {
      const api = await activeApi();
      editor = await openExample(EXAMPLE);
      await api.languageClientReady();
      // Recorded for `npm run bench`: activation inside a real extension host, by part,
      // including the language client's start with the first .irq document.
      const artifacts = process.env.IRQLAB_E2E_ARTIFACTS;
      if (artifacts) writeFileSync(join(artifacts, 'activation.json'), JSON.stringify({ activationMs: api.activationMs, phases: api.activationPhases }) + '\n');
    });

    test('the example opens as an IRQ scenario without errors', async () => {
      assert.equal(editor.document.languageId, 'irq');
      // Diagnostics arrive asynchronously; give the server a moment, then expect no errors.
      await new Promise((r) => setTimeout(r, 1500));
      const errors = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
    });

    test('a broken line gets exactly one precise diagnostic, and it goes away when fixed', async () => {
      const doc = editor.document;
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      const broken = 'set source_config 0x1300 = { priority 6, sevrer 1 }';
      await editor.edit((e) => e.insert(end, `\n${broken}\n`));
      const line = doc.getText().split('\n').findIndex((l) => l === broken);
      assert.ok(line > 0, 'the broken line was inserted');
      const diagnostics = await waitFor('a diagnostic on the broken line', () => {
        const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.range.start.line === line);
        return ds.length > 0 ? ds : undefined;
      });
      assert.equal(diagnostics.length, 1, diagnostics.map((d) => d.message).join(' | '));
      assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostics[0].message, /sevrer/);
      const others = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line !== line);
      assert.deepEqual(others.map((d) => d.message), [], 'one bad line must not cascade');
      editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
      await screenshot('diagnostics');
      // Fix it the way a user would: delete the line again.
      await editor.edit((e) => e.delete(new vscode.Range(end, doc.lineAt(doc.lineCount - 1).range.end)));
      await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(doc.uri).every((d) => d.range.start.line !== line));
      assert.equal(doc.getText().includes('sevrer'), false);
    });

    test('hovering a raw word shows its decoded fields', async () => {
      const doc = editor.document;
      const offset = doc.getText().indexOf(RAW_WORD);
      assert.ok(offset >= 0, `${RAW_WORD} is in ${EXAMPLE}`);
      const position = doc.positionAt(offset + 4);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
      const text = hoverText(hovers);
      assert.match(text, /xive-source-config/);
      assert.match(text, /priority/);
      assert.match(text, /server/);
      assert.match(text, /eisn/);
      assert.match(text, /0x0*1300/);
      // Show it as a user sees it, for the screenshot.
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
      await vscode.commands.executeCommand('editor.action.showHover');
      await screenshot('hover');
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    });

    test('code lenses offer Run and Debug on the scenario', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
      const commands = lenses.map((l) => l.command?.command).sort();
      assert.deepEqual(commands, ['irqlab.debugScenario', 'irqlab.runScenario']);
      assert.match(editor.document.lineAt(lenses[0].range.start.line).text, /^scenario /);
    });

    test('Decode 64-bit Word decodes through the layout table', async () => {
      const result = await vscode.commands.executeCommand<{ fields: Record<string, number>; summary: string }>('irqlab.decodeWord', RAW_WORD, 'xive-source-config');
      assert.ok(result);
      assert.equal(result.fields.priority, 6);
      assert.equal(result.fields.server, 1);
      assert.equal(result.fields.eisn, 0x1300);
      assert.equal(result.fields.masked, 0);
    });

    test('Run Scenario runs the example green', async () => {
      const summary = await vscode.commands.executeCommand<{ passed: number; failed: number; errors: string[] }>('irqlab.runScenario', editor.document.uri);
      assert.ok(summary);
      assert.deepEqual(summary.errors, []);
      assert.equal(summary.failed, 0);
      assert.ok(summary.passed > 5, `expected many passing expectations, got ${summary.passed}`);
    });
  });
}
