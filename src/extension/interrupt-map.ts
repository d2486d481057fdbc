/**
 * The interrupt map: a webview picturing sources → (server, priority) event queues →
 * presenters at the current debugger stop. The picture comes from the adapter's
 * `irqlab/interruptMap` custom request at each `stopped` event; the page (media/) only
 * draws it. Strict CSP: no remote content, scripts only with this render's nonce.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { INTERRUPT_MAP_REQUEST, InterruptMapArguments, InterruptMapResponseBody, MapHostMessage } from '../protocol';
import { DEBUG_TYPE } from './command-ids';
import type { Ctx } from './context';
import { interruptMapHtml } from './map-html';
import { parseMapMessage } from './map-messages';

const MAX_SOURCES = 512;

export class InterruptMap implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: vscode.DebugSession | undefined;
  private map: InterruptMapResponseBody | null = null;
  private updates = 0;
  /** The page's script ran and asked for the picture (it draws every update from then on). */
  private webviewReady = false;
  private idleReason = 'Start debugging an .irq scenario (F5): the map follows every stop.';

  constructor(private readonly ctx: Ctx) {}

  /** What the page reported it drew last (the red links' tooltips). */
  private drawn: { step: number; blocked: readonly string[] } | null = null;

  state(): { open: boolean; webviewReady: boolean; map: InterruptMapResponseBody | null; updates: number; drawn: { step: number; blocked: readonly string[] } | null } {
    return { open: this.panel !== undefined, webviewReady: this.webviewReady, map: this.map, updates: this.updates, drawn: this.drawn };
  }

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      this.panel = this.createPanel();
    }
    const session = vscode.debug.activeDebugSession;
    if (session?.type === DEBUG_TYPE) await this.refresh(session);
  }

  /** Called by the debug tracker at every `stopped` event. */
  sessionStopped(session: vscode.DebugSession): void {
    this.session = session;
    if (this.panel) void this.refresh(session);
  }

  sessionEnded(session: vscode.DebugSession): void {
    if (this.session?.id !== session.id) return;
    this.session = undefined;
    this.idleReason = 'The debug session ended. Start another one (F5) to see the routing again.';
    this.post({ type: 'idle', reason: this.idleReason });
  }

  private async refresh(session: vscode.DebugSession): Promise<void> {
    this.session = session;
    const args: InterruptMapArguments = { maxSources: MAX_SOURCES };
    try {
      const body = (await session.customRequest(INTERRUPT_MAP_REQUEST, args)) as InterruptMapResponseBody;
      if (!body || !Array.isArray(body.sources) || !Array.isArray(body.queues) || !Array.isArray(body.presenters)) {
        throw new Error('the debug adapter answered with no routing picture');
      }
      this.map = body;
      this.updates++;
      this.post({ type: 'update', map: body });
    } catch (e) {
      this.ctx.output.warn(`interrupt map: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private post(message: MapHostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  private createPanel(): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      'irqlab.interruptMap',
      'IRQ Lab: Interrupt Map',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: false },
    );
    panel.webview.html = this.html(panel.webview, media);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.webviewReady = false;
    });
    return panel;
  }

  private onMessage(raw: unknown): void {
    const message = parseMapMessage(raw);
    if (!message) {
      this.ctx.output.warn(`interrupt map: ignored an unexpected message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.post(this.map ? { type: 'update', map: this.map } : { type: 'idle', reason: this.idleReason });
        return;
      case 'reveal-line':
        void this.revealLine(message.line);
        return;
      case 'reveal-variable':
        void vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
        return;
      case 'drawn':
        this.drawn = { step: message.step, blocked: message.blocked };
        return;
    }
  }

  private async revealLine(line: number): Promise<void> {
    const program: unknown = this.session?.configuration.program;
    if (typeof program !== 'string') return;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(program));
      const position = new vscode.Position(Math.min(line - 1, doc.lineCount - 1), 0);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
    } catch (e) {
      this.ctx.reportError(`cannot reveal line ${line} of ${program}`, e);
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    return interruptMapHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'interrupt-map.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'interrupt-map.css')).toString(),
      nonce: randomBytes(16).toString('base64'),
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
