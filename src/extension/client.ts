/**
 * The language client: the server is the bundled CLI (`dist/cli.js lsp --stdio`), the
 * same program Neovim or Emacs would run, forked with the extension host's Node.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { LANGUAGE_ID } from './command-ids';
import { SETTINGS_SECTION, readSettings } from './settings';

export function createLanguageClient(extensionPath: string, outputChannel: vscode.OutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(vscode.Uri.file(extensionPath), 'dist', 'cli.js').fsPath;
  const server = { module, args: ['lsp'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: server, debug: server };
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const settings = readSettings((k) => config.get(k));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    outputChannel,
    initializationOptions: { bitNumbering: settings.hoverBitNumbering },
    // The server pulls `irqlab.hover.bitNumbering` through workspace/configuration on change.
    synchronize: { configurationSection: SETTINGS_SECTION },
  };
  // Client id `irqlab` makes vscode-languageclient honour the `irqlab.trace.server` setting.
  return new LanguageClient(SETTINGS_SECTION, 'IRQ Lab Language Server', serverOptions, clientOptions);
}
