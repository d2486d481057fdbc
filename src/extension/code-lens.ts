/** "Run | Debug" above each `scenario` statement of an `.irq` file, and "Debug" on the first line of a QEMU trace. */
import * as vscode from 'vscode';
import { LANGUAGE_ID, TRACE_LANGUAGE_ID } from './command-ids';
import { outlineScenario } from './scenario-files';

class ScenarioCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Restricted Mode: running would execute the file, so no lenses offer it.
    if (!vscode.workspace.isTrusted) return [];
    const { scenarioLines } = outlineScenario(document.getText(), document.uri.fsPath);
    return scenarioLines.flatMap((line) => {
      const range = new vscode.Range(line, 0, line, 0);
      return [
        new vscode.CodeLens(range, { title: '$(play) Run', command: 'irqlab.runScenario', arguments: [document.uri], tooltip: 'Run this scenario and report its expectations' }),
        new vscode.CodeLens(range, { title: '$(debug-alt) Debug', command: 'irqlab.debugScenario', arguments: [document.uri], tooltip: 'Step through this scenario' }),
      ];
    });
  }
}

class TraceCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || document.lineCount === 0) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    return [new vscode.CodeLens(range, { title: '$(debug-alt) Debug against the model', command: 'irqlab.debugScenario', arguments: [document.uri], tooltip: 'Step through this QEMU trace, checked against the model' })];
  }
}

export function registerScenarioCodeLens(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new ScenarioCodeLens()),
    vscode.languages.registerCodeLensProvider({ language: TRACE_LANGUAGE_ID }, new TraceCodeLens()),
  );
}
