/**
 * Gzip-compressed QEMU traces open as text: every place that links to a trace (Test
 * Explorer items, failure locations) links a `.gz` file through the `irqlab-trace`
 * scheme, whose read-only documents hold the decompressed text (gzip-trace-text.ts).
 * The path stays the file's, so the tab names it and package.json's `qemu-trace` patterns
 * (`log-[0-9]*.txt.gz`, …) give it the trace language. Nothing is read in Restricted Mode.
 */
import * as vscode from 'vscode';
import { isGzipPath, readGzipTraceText, TRACE_DOCUMENT_SCHEME, untrustedTraceMessage } from './gzip-trace-text';

/** Where a link to `uri` should point: its decompressed document for a local `.gz` file, else `uri` itself. */
export function traceDocumentUri(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === 'file' && isGzipPath(uri.path) ? uri.with({ scheme: TRACE_DOCUMENT_SCHEME }) : uri;
}

class DecompressedTraceProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> | string {
    const file = uri.with({ scheme: 'file' });
    const name = vscode.workspace.asRelativePath(file);
    if (!vscode.workspace.isTrusted) return untrustedTraceMessage(name);
    return readGzipTraceText(vscode.workspace.fs, file, name, vscode.FileType.File);
  }

  /** Documents opened in Restricted Mode show a message; once trusted they show the trace. */
  refreshOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === TRACE_DOCUMENT_SCHEME) this.changed.fire(doc.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerTraceDocuments(): vscode.Disposable {
  const provider = new DecompressedTraceProvider();
  return vscode.Disposable.from(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(TRACE_DOCUMENT_SCHEME, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refreshOpenDocuments()),
  );
}
