/**
 * Ctx owns everything the extension creates: the output channel, the language client,
 * the debug registrations, the test controller and the interrupt map. Commands receive
 * it (see commands.ts) instead of reaching for globals.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { IrqLabApi } from './api';
import { createLanguageClient } from './client';
import { COMMAND_IDS, LANGUAGE_ID } from './command-ids';
import { COMMANDS } from './commands';
import { registerScenarioCodeLens } from './code-lens';
import { registerDebugging } from './debug';
import { InterruptMap } from './interrupt-map';
import type { ScenarioRunSummary } from '../dsl/runtime';
import { runScenarioInWorker } from './scenario-files';
import { IrqLabSettings, SETTINGS_SECTION, readSettings } from './settings';
import { ScenarioTests } from './testing';
import { registerTraceDocuments } from './trace-documents';

export class Ctx {
  readonly output: vscode.LogOutputChannel;
  /** The language client's own log (and its trace, per `irqlab.trace.server`). */
  readonly serverOutput: vscode.OutputChannel;
  readonly interruptMap: InterruptMap;
  readonly tests: ScenarioTests;
  private readonly disposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  /** Settles when the language client has started (or failed to); see startLanguageClientWhenNeeded. */
  private readonly clientStart: Promise<void>;
  private settleClientStart: (outcome: Promise<void>) => void = () => undefined;
  /** Milliseconds spent in each part of activation (reported by the API and `npm run bench`). */
  readonly activationPhases: Record<string, number> = {};

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = this.timed('output channels', () => vscode.window.createOutputChannel('IRQ Lab', { log: true }));
    this.serverOutput = this.timed('output channels', () => vscode.window.createOutputChannel('IRQ Lab Language Server'));
    this.interruptMap = new InterruptMap(this);
    this.tests = this.timed('test controller', () => new ScenarioTests(this));
    this.disposables.push(this.output, this.serverOutput, this.interruptMap, this.tests);
    this.clientStart = new Promise<void>((resolve) => (this.settleClientStart = (outcome) => resolve(outcome)));
    this.clientStart.catch(() => undefined);
  }

  private timed<T>(phase: string, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.activationPhases[phase] = (this.activationPhases[phase] ?? 0) + performance.now() - t0;
    }
  }

  activate(): Omit<IrqLabApi, 'activationMs'> {
    this.timed('commands', () => {
      for (const id of COMMAND_IDS) this.disposables.push(vscode.commands.registerCommand(id, COMMANDS[id](this)));
    });
    this.timed('debugging', () => this.disposables.push(...registerDebugging(this)));
    this.timed('code lenses', () => this.disposables.push(registerScenarioCodeLens()));
    this.timed('trace documents', () => this.disposables.push(registerTraceDocuments()));
    this.startLanguageClientWhenNeeded();
    return {
      activationPhases: this.activationPhases,
      languageClientReady: () => this.clientStart,
      lastTestRun: () => this.tests.lastRun,
      testItemIds: () => this.tests.itemIds(),
      testItemUri: (id) => this.tests.itemUri(id),
      interruptMap: () => this.interruptMap.state(),
    };
  }

  /** Runs a scenario in a worker thread with the configured step limit; undefined if aborted. */
  runScenario(file: string, text: string, signal?: AbortSignal): Promise<ScenarioRunSummary | undefined> {
    const worker = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'scenario-worker.js').fsPath;
    return runScenarioInWorker(worker, { file, text, maxSteps: this.settings().maxSteps }, signal);
  }

  /** Replays a QEMU trace (with the run's other per-thread logs, merged in time order) in a worker thread; undefined if aborted. */
  runTrace(file: string, signal?: AbortSignal, moreTraces: readonly string[] = []): Promise<ScenarioRunSummary | undefined> {
    const worker = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'scenario-worker.js').fsPath;
    return runScenarioInWorker(worker, { file, text: '', maxSteps: 0, trace: true, moreTraces }, signal);
  }

  settings(): IrqLabSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => config.get(key));
  }

  /** A custom request to the language server, once it runs (started now if no scenario opened it yet). */
  async serverRequest<R>(method: string, params: unknown): Promise<R> {
    if (!this.client) this.timed('language client start', () => this.startLanguageClient());
    await this.clientStart;
    if (!this.client) throw new Error('the language server is not running');
    return this.client.sendRequest<R>(method, params);
  }

  /** Logs the error and tells the user what failed and why, with a way to the log. */
  reportError(what: string, cause: unknown): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.output.error(`${what}: ${reason}`);
    void vscode.window.showErrorMessage(`IRQ Lab: ${what}: ${reason}`, 'Show Log').then((choice) => {
      if (choice) this.output.show(true);
    });
  }

  /**
   * The language server serves `.irq` documents only, so the client (whose construction is
   * most of activation's cost) starts with the first one: at once when activation came from
   * opening a scenario, later when it came from the workspace containing scenarios (for the
   * Test Explorer) or from a command.
   */
  private startLanguageClientWhenNeeded(): void {
    const isScenario = (d: vscode.TextDocument) => d.languageId === LANGUAGE_ID;
    const start = () => this.timed('language client start', () => this.startLanguageClient());
    if (vscode.workspace.textDocuments.some(isScenario)) {
      start();
      return;
    }
    const opened = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isScenario(d)) return;
      opened.dispose();
      start();
    });
    this.disposables.push(opened);
  }

  private startLanguageClient(): void {
    // The server only reads and analyses text (it runs nothing), so it also serves untrusted workspaces.
    const client = createLanguageClient(this.extension.extensionPath, this.serverOutput);
    this.client = client;
    this.settleClientStart(
      client.start().catch((e: unknown) => {
        this.reportError('the language server did not start', e);
        throw e;
      }),
    );
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    if (client) await client.stop().catch(() => undefined);
  }
}
