/**
 * Debugging `.irq` scenarios: the adapter runs inline in the extension host (no process
 * to spawn, and the bundle shares the model with the Test Explorer); F5 works without a
 * launch.json; every stop refreshes the interrupt map.
 */
import * as vscode from 'vscode';
import { IrqDebugSession } from '../debug/session';
import { DEBUG_TYPE, LANGUAGE_ID, TRACE_LANGUAGE_ID } from './command-ids';
import type { Ctx } from './context';
import { launchConfigurationFor, workspaceLaunchConfigurations } from './launch-configurations';
import { readFileOrUndefined } from './scenario-files';

export function debugConfigurationFor(program: string, extra: Partial<vscode.DebugConfiguration> = {}): vscode.DebugConfiguration {
  return { ...launchConfigurationFor(program), ...extra };
}

/** Documents the debugger runs: scenarios and QEMU trace logs. */
export function isDebuggable(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID || document.languageId === TRACE_LANGUAGE_ID;
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly ctx: Ctx) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [debugConfigurationFor('${file}')];
  }

  /** F5 with no launch.json arrives here with an empty configuration. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isDebuggable(editor.document)) {
        void vscode.window.showInformationMessage('IRQ Lab: open an .irq scenario or a QEMU trace log, then press F5 to debug it.');
        return undefined;
      }
      config = debugConfigurationFor(editor.document.uri.fsPath);
    }
    if (!config.program) {
      void vscode.window.showErrorMessage("IRQ Lab: the launch configuration has no 'program' (the .irq scenario to debug).");
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('IRQ Lab: debugging needs a trusted workspace (it executes the scenario and its includes).');
      return undefined;
    }
    const settings = this.ctx.settings();
    return { ...config, maxSteps: config.maxSteps ?? settings.maxSteps, bitNumbering: config.bitNumbering ?? settings.hoverBitNumbering };
  }
}

/**
 * One launch configuration per `.irq` file and QEMU trace in the workspace (gzipped too), and one
 * per directory of per-thread logs (all its logs, merged in time order), for the Run and Debug
 * view's dropdown.
 */
class DynamicConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const find = (glob: string) => vscode.workspace.findFiles(folder ? new vscode.RelativePattern(folder, glob) : glob, '**/node_modules/**', 200);
    const files = [...(await find('**/*.irq')), ...(await find('**/{trace.log,trace.log.gz,*.trace,*.trace.gz}'))].map((uri) => uri.fsPath);
    const logs = (await find('**/log-*.{txt,txt.gz}')).map((uri) => uri.fsPath);
    return workspaceLaunchConfigurations(files, logs, (path) => vscode.workspace.asRelativePath(path)).map((c) => ({ ...c }));
  }
}

class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterInlineImplementation(new IrqDebugSession({ readFile: readFileOrUndefined }));
  }
}

export function registerDebugging(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider(ctx), vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string }) => {
          if (message.type === 'event' && message.event === 'stopped') ctx.interruptMap.sessionStopped(session);
        },
        onWillStopSession: () => ctx.interruptMap.sessionEnded(session),
      }),
    }),
  ];
}
