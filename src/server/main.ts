/**
 * `irqlab lsp --stdio`: the language server over stdin/stdout for any LSP
 * client (VS Code, Neovim, Emacs eglot). Resolves when the client ends the
 * session (exit code 0 after shutdown, 1 without).
 */
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { escapeControlBytes } from '../edge/escape-text';
import { rejectMalformedParams } from './params-guard';
import { startServer } from './server';

export const LSP_USAGE = `usage: irqlab lsp --stdio

Serves the .irq language server on stdin/stdout (the only transport).
Neovim:  vim.lsp.start({ name = 'irqlab', cmd = { 'irqlab', 'lsp', '--stdio' } })
Emacs:   (add-to-list 'eglot-server-programs '(irq-mode . ("irqlab" "lsp" "--stdio")))
`;

export function runLanguageServerStdio(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(LSP_USAGE);
    return Promise.resolve(0);
  }
  const unknown = args.filter((a) => a !== '--stdio' && !a.startsWith('--clientProcessId'));
  if (!args.includes('--stdio') || unknown.length > 0) {
    process.stderr.write(
      `irqlab lsp: ${unknown.length ? `unknown option '${escapeControlBytes(unknown[0])}'` : 'missing --stdio'}; the server speaks LSP on stdin/stdout only\n\n${LSP_USAGE}`,
    );
    return Promise.resolve(2);
  }
  const writer = new StreamMessageWriter(process.stdout);
  // Params that are not an object get -32602 before the library reads a field of them.
  const reader = rejectMalformedParams(new StreamMessageReader(process.stdin), writer, (t) => process.stderr.write(`irqlab lsp: ${t}\n`));
  const connection = createConnection(reader, writer);
  // stdout carries the protocol: route stray console output to stderr.
  console.log = (...xs: unknown[]) => process.stderr.write(xs.map(String).join(' ') + '\n');
  console.info = console.log;
  return new Promise<number>((resolve) => {
    let shutdown = false;
    connection.onShutdown(() => {
      shutdown = true;
    });
    connection.onExit(() => resolve(shutdown ? 0 : 1));
    startServer(connection);
  });
}
