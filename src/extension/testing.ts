/**
 * Test Explorer: every `.irq` file of the workspace is a test item, each statement with
 * an expectation a child at its line. Run executes the scenario in-process through the
 * interpreter; Debug starts a debug session on the file. Failures carry expected/actual.
 * A QEMU trace (`trace.log`, `*.trace`, either gzipped) is a test too: it passes when the model agrees
 * with every value in it; each divergence is a failure at its trace line. The per-thread
 * logs of one directory (`log-<tid>.txt[.gz]`, see per-thread-logs.ts) are one such test,
 * replayed together in time order.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readBoundedScenario } from './bounded-workspace-read';
import type { TestRunRecord } from './api';
import { LANGUAGE_ID } from './command-ids';
import type { Ctx } from './context';
import { debugConfigurationFor } from './debug';
import { groupPerThreadLogs, isPerThreadLog, perThreadLogLabel } from './per-thread-logs';
import { outlineScenario } from './scenario-files';
import { traceDocumentUri } from './trace-documents';

const IRQ_GLOB = '**/*.irq';
/** Whole-run traces (per-thread `log-<tid>.txt` files are parts of a run, not tests alone). */
const TRACE_GLOB = '**/{trace.log,trace.log.gz,*.trace,*.trace.gz}';
/** Per-thread logs: the logs of one directory are one test item (isPerThreadLog has the exact rule). */
const LOG_GLOB = '**/log-*.{txt,txt.gz}';

function isTraceFile(uri: vscode.Uri): boolean {
  return /(^|[\\/])trace\.log(\.gz)?$|\.trace(\.gz)?$/.test(uri.fsPath);
}
const EXCLUDE = '**/node_modules/**';

export class ScenarioTests implements vscode.Disposable {
  private readonly controller: vscode.TestController;
  private readonly disposables: vscode.Disposable[] = [];
  private records: TestRunRecord[] = [];
  /** Every per-thread log in the workspace (fsPath); the groups are recomputed from it. */
  private readonly perThreadLogs = new Set<string>();
  /** Test item id of each per-thread log group → its logs, in thread-id order (the item's uri is the first). */
  private readonly logGroups = new Map<string, readonly vscode.Uri[]>();
  /** Pending re-outlines of edited documents: typing re-parses once per pause, not per keystroke. */
  private readonly pendingOutlines = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly ctx: Ctx) {
    this.controller = vscode.tests.createTestController('irqlab', 'IRQ Lab scenarios');
    this.controller.resolveHandler = async (item) => {
      if (item) this.resolveFile(item);
      else await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.debug(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(IRQ_GLOB);
    const traceWatcher = vscode.workspace.createFileSystemWatcher(TRACE_GLOB);
    const logWatcher = vscode.workspace.createFileSystemWatcher(LOG_GLOB, false, true, false);
    // A directory deleted whole is one event for the directory, none for the files in it.
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.disposables.push(
      this.controller,
      watcher,
      traceWatcher,
      logWatcher,
      deletions,
      deletions.onDidDelete((uri) => this.forgetUnder(uri)),
      logWatcher.onDidCreate((uri) => this.perThreadLogChanged(uri, true)),
      logWatcher.onDidDelete((uri) => this.perThreadLogChanged(uri, false)),
      traceWatcher.onDidCreate((uri) => this.fileItem(uri)),
      traceWatcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      watcher.onDidCreate((uri) => this.fileItem(uri)),
      watcher.onDidChange((uri) => this.resolveFile(this.fileItem(uri))),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === LANGUAGE_ID && e.document.uri.scheme === 'file') this.resolveSoon(e.document);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.discover()),
    );
    // Discovered up front (findFiles is asynchronous, activation does not wait) so that
    // "Run All Tests" works before the Testing view was ever opened.
    void this.discover();
  }

  get lastRun(): readonly TestRunRecord[] {
    return this.records;
  }

  itemIds(): string[] {
    const ids: string[] = [];
    this.controller.items.forEach((file) => {
      ids.push(file.id);
      file.children.forEach((child) => ids.push(child.id));
    });
    return ids.sort();
  }

  itemUri(id: string): string | undefined {
    return this.controller.items.get(id)?.uri?.toString();
  }

  private async discover(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    for (const uri of await vscode.workspace.findFiles(IRQ_GLOB, EXCLUDE)) this.resolveFile(this.fileItem(uri));
    for (const uri of await vscode.workspace.findFiles(TRACE_GLOB, EXCLUDE)) this.fileItem(uri);
    const logs = await vscode.workspace.findFiles(LOG_GLOB, EXCLUDE);
    this.perThreadLogs.clear();
    for (const uri of logs) if (isPerThreadLog(uri.fsPath)) this.perThreadLogs.add(uri.fsPath);
    this.syncLogGroups();
  }

  private perThreadLogChanged(uri: vscode.Uri, created: boolean): void {
    if (!isPerThreadLog(uri.fsPath)) return;
    if (created) this.perThreadLogs.add(uri.fsPath);
    else this.perThreadLogs.delete(uri.fsPath);
    this.syncLogGroups();
  }

  /** Every item of a file under `deleted` (a directory deleted whole), and the per-thread logs there. */
  private forgetUnder(deleted: vscode.Uri): void {
    const under = (p: string): boolean => p.startsWith(deleted.fsPath + path.sep);
    const logs = [...this.perThreadLogs].filter(under);
    for (const log of logs) this.perThreadLogs.delete(log);
    if (logs.length > 0) this.syncLogGroups();
    const gone: string[] = [];
    this.controller.items.forEach((item) => {
      if (item.uri?.scheme === 'file' && under(item.uri.fsPath)) gone.push(item.id);
    });
    for (const id of gone) this.controller.items.delete(id);
  }

  /** One test item per directory of per-thread logs; its uri is the first log (so it navigates somewhere). */
  private syncLogGroups(): void {
    const stale = new Set(this.logGroups.keys());
    for (const group of groupPerThreadLogs([...this.perThreadLogs])) {
      const files = group.files.map((f) => vscode.Uri.file(f));
      const id = `${vscode.Uri.file(group.dir).toString()}/log-*.txt`;
      stale.delete(id);
      this.logGroups.set(id, files);
      const label = perThreadLogLabel(vscode.workspace.asRelativePath(files[0]), group.files);
      let item = this.controller.items.get(id);
      // Opening the item shows the first log (decompressed when gzipped). An item's uri
      // cannot change: when the first log does, the item is made anew.
      const shown = traceDocumentUri(files[0]);
      if (item && item.uri?.toString() !== shown.toString()) {
        this.controller.items.delete(id);
        item = undefined;
      }
      if (!item) {
        item = this.controller.createTestItem(id, label, shown);
        item.canResolveChildren = false;
        this.controller.items.add(item);
      }
      item.label = label;
      item.description = 'QEMU run (per-thread logs, merged in time order) against the model';
    }
    for (const id of stale) {
      this.logGroups.delete(id);
      this.controller.items.delete(id);
    }
  }

  private fileItem(uri: vscode.Uri): vscode.TestItem {
    const existing = this.controller.items.get(uri.toString());
    if (existing) return existing;
    const trace = isTraceFile(uri);
    const item = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), trace ? traceDocumentUri(uri) : uri);
    item.canResolveChildren = !trace;
    if (trace) item.description = 'QEMU trace against the model';
    this.controller.items.add(item);
    return item;
  }

  private resolveSoon(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pendingOutlines.get(key));
    this.pendingOutlines.set(
      key,
      setTimeout(() => {
        this.pendingOutlines.delete(key);
        this.resolveFile(this.fileItem(document.uri), document.getText());
      }, 300),
    );
  }

  /** Children = expectations, from the open document's text when there is one. */
  private resolveFile(item: vscode.TestItem, text?: string): void {
    if (!item.uri || isTraceFile(item.uri) || this.logGroups.has(item.id)) return;
    const uri = item.uri;
    const source = text ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
    const load = source !== undefined ? Promise.resolve(source) : readBoundedScenario(vscode.workspace.fs, uri, vscode.FileType.File);
    void load.then(
      (content) => {
        const outline = outlineScenario(content, uri.fsPath);
        item.description = outline.title ?? undefined;
        item.range = outline.scenarioLines.length > 0 ? new vscode.Range(outline.scenarioLines[0], 0, outline.scenarioLines[0], 0) : undefined;
        item.children.replace(
          outline.expectations.map((e) => {
            const child = this.controller.createTestItem(`${uri.toString()}#${e.line + 1}`, e.label, uri);
            child.range = new vscode.Range(e.line, 0, e.line, e.label.length);
            return child;
          }),
        );
      },
      (e: unknown) => this.ctx.output.warn(`cannot read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** The files a request covers: a child stands for its file (scenarios run whole). */
  private filesOf(request: vscode.TestRunRequest): vscode.TestItem[] {
    const files = new Map<string, vscode.TestItem>();
    const add = (item: vscode.TestItem) => {
      const file = item.parent ?? item;
      files.set(file.id, file);
    };
    if (request.include) request.include.forEach(add);
    else this.controller.items.forEach(add);
    for (const ex of request.exclude ?? []) if (!ex.parent) files.delete(ex.id);
    return [...files.values()];
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const records: TestRunRecord[] = [];
    try {
      for (const file of this.filesOf(request)) {
        if (token.isCancellationRequested) break;
        await this.runFile(file, run, records, token);
      }
    } finally {
      this.records = records;
      run.end();
    }
  }

  private async runFile(file: vscode.TestItem, run: vscode.TestRun, records: TestRunRecord[], token?: vscode.CancellationToken): Promise<void> {
    const uri = file.uri;
    if (!uri) return;
    const logs = this.logGroups.get(file.id);
    if (logs) return this.runTraceFile(file, logs, run, records, token);
    if (isTraceFile(uri)) return this.runTraceFile(file, [uri], run, records, token);
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    this.resolveFile(file, text);
    run.started(file);
    const t0 = Date.now();
    const abort = new AbortController();
    const cancelled = token?.onCancellationRequested(() => abort.abort());
    let summary;
    try {
      summary = await this.ctx.runScenario(uri.fsPath, text, abort.signal);
    } catch (e) {
      run.errored(file, new vscode.TestMessage(`the scenario could not run: ${e instanceof Error ? e.message : String(e)}`));
      records.push({ file: uri.fsPath, line: 1, state: 'errored', message: String(e) });
      return;
    } finally {
      cancelled?.dispose();
    }
    if (!summary) {
      run.skipped(file); // cancelled mid-run: the worker was stopped
      return;
    }
    const errors = summary.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const messages = errors.map((d) => {
        const m = new vscode.TestMessage(d.message);
        m.location = new vscode.Location(uri, new vscode.Range(d.span.line, d.span.col, d.span.line, d.span.col + 1));
        return m;
      });
      run.errored(file, messages);
      records.push({ file: uri.fsPath, line: errors[0].span.line + 1, state: 'errored', message: errors[0].message });
      return;
    }
    const byLine = new Map<number, vscode.TestItem>();
    file.children.forEach((c) => c.range && byLine.set(c.range.start.line, c));
    const failures: vscode.TestMessage[] = [];
    for (const r of summary.results) {
      const location = new vscode.Location(vscode.Uri.file(r.uri), new vscode.Range(r.line, r.col, r.line, r.col + 1));
      const child = r.uri === uri.fsPath ? byLine.get(r.line) : undefined;
      records.push({ file: r.uri, line: r.line + 1, state: r.ok ? 'passed' : 'failed', message: r.message, expected: r.expected, actual: r.actual });
      if (r.ok) {
        if (child) run.passed(child);
        continue;
      }
      const message = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(r.message, r.expected, r.actual) : new vscode.TestMessage(r.message);
      message.location = location;
      failures.push(message);
      if (child) run.failed(child, message);
    }
    // Failed operations without an expectation fail the scenario (like `set -e`).
    for (const entry of summary.log) {
      if (entry.kind !== 'error') continue;
      const m = new vscode.TestMessage(entry.text);
      m.location = new vscode.Location(vscode.Uri.file(entry.location.uri), new vscode.Range(entry.location.line, entry.location.col, entry.location.line, entry.location.col + 1));
      failures.push(m);
      records.push({ file: entry.location.uri, line: entry.location.line + 1, state: 'failed', message: entry.text });
    }
    if (summary.stepLimitHit) failures.push(new vscode.TestMessage(summary.stepLimitMessage ?? 'step limit reached'));
    const duration = Date.now() - t0;
    if (failures.length > 0) run.failed(file, failures, duration);
    else run.passed(file, duration);
    run.appendOutput(`${vscode.workspace.asRelativePath(uri)}: ${summary.passed} passed, ${summary.failed} failed\r\n`);
  }

  /**
   * A trace passes when nothing diverges; each divergence fails at its file and line with
   * QEMU's value against the model's. Several `traces` are the per-thread logs of one run.
   */
  private async runTraceFile(file: vscode.TestItem, traces: readonly vscode.Uri[], run: vscode.TestRun, records: TestRunRecord[], token?: vscode.CancellationToken): Promise<void> {
    const uri = traces[0];
    run.started(file);
    const t0 = Date.now();
    const abort = new AbortController();
    const cancelled = token?.onCancellationRequested(() => abort.abort());
    let summary;
    try {
      summary = await this.ctx.runTrace(uri.fsPath, abort.signal, traces.slice(1).map((t) => t.fsPath));
    } catch (e) {
      run.errored(file, new vscode.TestMessage(`the trace could not be replayed: ${e instanceof Error ? e.message : String(e)}`));
      records.push({ file: uri.fsPath, line: 1, state: 'errored', message: String(e) });
      return;
    } finally {
      cancelled?.dispose();
    }
    if (!summary) return run.skipped(file);
    const unusable = summary.diagnostics.find((d) => d.severity === 'error');
    if (unusable) {
      run.errored(file, new vscode.TestMessage(unusable.message));
      records.push({ file: uri.fsPath, line: 1, state: 'errored', message: unusable.message });
      return;
    }
    const failures = summary.results.map((r) => {
      const m = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(r.message, r.expected, r.actual) : new vscode.TestMessage(r.message);
      m.location = new vscode.Location(traceDocumentUri(vscode.Uri.file(r.uri)), new vscode.Range(r.line, 0, r.line, 0));
      records.push({ file: r.uri, line: r.line + 1, state: 'failed', message: r.message, expected: r.expected, actual: r.actual, location: m.location.uri.toString() });
      return m;
    });
    if (failures.length > 0) run.failed(file, failures, Date.now() - t0);
    else {
      run.passed(file, Date.now() - t0);
      const together = traces.length > 1 ? ` (${traces.length} per-thread logs replayed together)` : '';
      for (const t of traces) records.push({ file: t.fsPath, line: 1, state: 'passed', message: `${summary.passed} checks agree${together}` });
    }
    const what = traces.length > 1 ? file.label : vscode.workspace.asRelativePath(uri);
    run.appendOutput(`${what}: ${summary.passed} checks agree with the model, ${summary.failed} diverge\r\n`);
  }

  /**
   * Debug profile: one debug session per file; when it ends, the file is run once more
   * in-process so the Test Explorer shows the verdict of what was just debugged.
   */
  private async debug(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const records: TestRunRecord[] = [];
    try {
      for (const file of this.filesOf(request)) {
        if (!file.uri || token.isCancellationRequested) continue;
        run.started(file);
        const session = await this.startDebugSession(file);
        if (!session) {
          run.errored(file, new vscode.TestMessage('the debug session did not start (see the IRQ Lab output channel)'));
          continue;
        }
        await new Promise<void>((resolve) => {
          const ended = vscode.debug.onDidTerminateDebugSession((s) => {
            if (s.id !== session.id) return;
            ended.dispose();
            cancelled.dispose();
            resolve();
          });
          const cancelled = token.onCancellationRequested(() => void vscode.debug.stopDebugging(session));
        });
        await this.runFile(file, run, records);
      }
    } finally {
      this.records = records;
      run.end();
    }
  }

  private async startDebugSession(file: vscode.TestItem): Promise<vscode.DebugSession | undefined> {
    // The file itself (a gzipped log's item shows its decompressed document).
    const uri = this.logGroups.get(file.id)?.[0] ?? file.uri!;
    // Per-thread logs: the first is the program, the others are merged with it (`traces`).
    const traces = this.logGroups.get(file.id)?.slice(1).map((t) => t.fsPath);
    let session: vscode.DebugSession | undefined;
    const started = vscode.debug.onDidStartDebugSession((s) => {
      if (s.configuration.program === uri.fsPath) session ??= s;
    });
    try {
      const ok = await vscode.debug.startDebugging(
        vscode.workspace.getWorkspaceFolder(uri),
        debugConfigurationFor(uri.fsPath, { stopOnEntry: false, name: `Debug ${file.label}`, ...(traces ? { traces } : {}) }),
      );
      return ok ? session : undefined;
    } finally {
      started.dispose();
    }
  }

  dispose(): void {
    for (const timer of this.pendingOutlines.values()) clearTimeout(timer);
    this.pendingOutlines.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

