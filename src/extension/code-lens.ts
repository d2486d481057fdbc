/** "Run | Debug" above each `scenario` statement of an `.irq` file. */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './command-ids';
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

export function registerScenarioCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new ScenarioCodeLens());
}
