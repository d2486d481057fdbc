/**
 * Command implementations as small factories over Ctx. The record is keyed by CommandId,
 * so the compiler insists every contributed command has exactly one implementation.
 */
import * as vscode from 'vscode';
import { TOGGLE_HEX_REQUEST, ToggleHexResponseBody } from '../protocol';
import type { Ctx } from './context';
import { CommandId, DEBUG_TYPE, LANGUAGE_ID } from './command-ids';
import { decodeWordCommand } from './decode';
import { debugConfigurationFor, isDebuggable } from './debug';
import { explainAtLineCommand } from './explain';

type Command = (...args: unknown[]) => unknown;
type CommandFactory = (ctx: Ctx) => Command;

/** The scenario a command acts on: an explicit URI argument (code lens, menus) or the active editor. */
function scenarioDocument(arg: unknown): Thenable<vscode.TextDocument> | undefined {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === LANGUAGE_ID) return Promise.resolve(editor.document);
  return undefined;
}

/** What Debug acts on: a scenario or a QEMU trace log. */
function debuggableDocument(arg: unknown): Thenable<vscode.TextDocument> | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!(arg instanceof vscode.Uri) && editor && isDebuggable(editor.document)) return Promise.resolve(editor.document);
  return scenarioDocument(arg);
}

function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`IRQ Lab: ${what} needs a trusted workspace (it executes the workspace's scenarios).`);
  return false;
}

const runScenario: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Run Scenario')) return undefined;
  const pending = scenarioDocument(arg);
  if (!pending) {
    void vscode.window.showWarningMessage('IRQ Lab: open an .irq scenario to run it.');
    return undefined;
  }
  const doc = await pending;
  const file = doc.uri.fsPath;
  let summary;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `IRQ Lab: running ${vscode.workspace.asRelativePath(doc.uri)}` },
      () => ctx.runScenario(file, doc.getText()),
    );
  } catch (e) {
    ctx.reportError(`running ${file} failed`, e);
    return undefined;
  }
  if (!summary) return undefined;
  const errors = summary.diagnostics.filter((d) => d.severity === 'error');
  ctx.output.info(`run ${file}`);
  for (const d of errors) ctx.output.error(`${file}:${d.span.line + 1}:${d.span.col + 1}: ${d.message}`);
  for (const r of summary.results) ctx.output.info(`${r.uri}:${r.line + 1}:${r.col + 1}: ${r.ok ? 'ok' : 'FAILED'} ${r.message}`);
  for (const l of summary.log) if (l.kind === 'error') ctx.output.error(`${l.location.uri}:${l.location.line + 1}: ${l.text}`);
  if (summary.stepLimitMessage) ctx.output.warn(summary.stepLimitMessage);
  const line = errors.length > 0
    ? `${errors.length} error(s) before running: ${errors[0].message}`
    : `${summary.passed} passed, ${summary.failed} failed${summary.stepLimitHit ? ' (step limit hit)' : ''}`;
  ctx.output.info(line);
  const show = (choice: string | undefined) => choice && ctx.output.show(true);
  if (errors.length > 0 || summary.failed > 0 || summary.stepLimitHit) {
    void vscode.window.showErrorMessage(`IRQ Lab: ${vscode.workspace.asRelativePath(doc.uri)}: ${line}`, 'Show Log').then(show);
  } else {
    void vscode.window.showInformationMessage(`IRQ Lab: ${vscode.workspace.asRelativePath(doc.uri)}: ${line}`, 'Show Log').then(show);
  }
  return { file, passed: summary.passed, failed: summary.failed, errors: errors.map((d) => d.message), stepLimitHit: summary.stepLimitHit };
};

const debugScenario: CommandFactory = () => async (arg) => {
  if (!requireTrust('Debug Scenario')) return false;
  const pending = debuggableDocument(arg);
  if (!pending) {
    void vscode.window.showWarningMessage('IRQ Lab: open an .irq scenario or a QEMU trace log to debug it.');
    return false;
  }
  const doc = await pending;
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), debugConfigurationFor(doc.uri.fsPath));
};

const toggleHex: CommandFactory = (ctx) => async () => {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    void vscode.window.showInformationMessage('IRQ Lab: Toggle Hex works while an IRQ Lab debug session is active.');
    return undefined;
  }
  try {
    const body = (await session.customRequest(TOGGLE_HEX_REQUEST)) as ToggleHexResponseBody;
    ctx.output.info(`values now shown in ${body.hex ? 'hexadecimal' : 'decimal'}`);
    return body.hex;
  } catch (e) {
    ctx.reportError('Toggle Hex failed', e);
    return undefined;
  }
};

const showInterruptMap: CommandFactory = (ctx) => () => ctx.interruptMap.show();

export const COMMANDS: Readonly<Record<CommandId, CommandFactory>> = {
  'irqlab.runScenario': runScenario,
  'irqlab.debugScenario': debugScenario,
  'irqlab.decodeWord': (ctx) => (word, layout) => decodeWordCommand(ctx, word, layout),
  'irqlab.toggleHex': toggleHex,
  'irqlab.showInterruptMap': showInterruptMap,
  'irqlab.explainAtLine': (ctx) => (arg) => explainAtLineCommand(ctx, arg),
};
