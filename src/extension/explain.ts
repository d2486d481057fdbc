/**
 * "IRQ Lab: Explain at This Line": the language server's code action on a source or
 * vCPU number calls this with its request parameters; from the palette it asks what to
 * explain at the cursor's line. The server runs the scenario to the line, so the
 * command needs a trusted workspace, like Run. The explanation opens beside the editor.
 */
import * as vscode from 'vscode';
import { parseExplainTarget } from '../dsl/runtime/explain-at';
import { EXPLAIN_AT_LINE_REQUEST, ExplainAtLineParams, ExplainAtLineResult } from '../protocol';
import { LANGUAGE_ID } from './command-ids';
import type { Ctx } from './context';

function isParams(arg: unknown): arg is ExplainAtLineParams {
  if (typeof arg !== 'object' || arg === null) return false;
  const o = arg as Record<string, unknown>;
  return typeof o.uri === 'string' && Number.isInteger(o.line) && typeof o.target === 'object' && o.target !== null;
}

async function askParams(): Promise<ExplainAtLineParams | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE_ID) {
    void vscode.window.showWarningMessage('IRQ Lab: open an .irq scenario and put the cursor on the line to explain at.');
    return undefined;
  }
  const text = await vscode.window.showInputBox({
    title: `IRQ Lab: Explain at line ${editor.selection.active.line + 1}`,
    prompt: 'source IRQ | vcpu N | eq SERVER PRIORITY INDEX',
    value: 'source 0x',
    validateInput: (t) => {
      const r = parseExplainTarget(t.trim().split(/\s+/));
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const target = parseExplainTarget(text.trim().split(/\s+/));
  if ('error' in target) return undefined;
  return { uri: editor.document.uri.toString(), line: editor.selection.active.line, target };
}

export async function explainAtLineCommand(ctx: Ctx, arg: unknown): Promise<ExplainAtLineResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('IRQ Lab: Explain at This Line needs a trusted workspace (it runs the scenario to the line).');
    return undefined;
  }
  const params = isParams(arg) ? arg : await askParams();
  if (!params) return undefined;
  let result: ExplainAtLineResult;
  try {
    result = await ctx.serverRequest<ExplainAtLineResult>(EXPLAIN_AT_LINE_REQUEST, params);
  } catch (e) {
    ctx.reportError('Explain at This Line failed', e);
    return undefined;
  }
  if (!result.ok) {
    void vscode.window.showWarningMessage(`IRQ Lab: ${result.message}`);
    return result;
  }
  ctx.output.info(`explain ${params.uri}:${result.line}: ${result.summary}`);
  const doc = await vscode.workspace.openTextDocument({ content: `${result.text}\n`, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
  return result;
}
