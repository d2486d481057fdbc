/**
 * Test client for the language server: a real JSON-RPC connection over
 * in-memory streams (vscode-languageserver-protocol on the client side,
 * startServer on the other). Fixtures mark cursors with `$0`, `$1`, ...
 * Diagnostics are awaited by document version, never by sleeping.
 */
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection, InitializeParams, InitializeResult, ProtocolConnection, PublishDiagnosticsParams,
  StreamMessageReader, StreamMessageWriter, Position, TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { startServer, ServerHandle, ServerOptions } from '../../src/server/server';
import { LineTable } from '../../src/server/positions';

export interface Fixture {
  readonly text: string;
  /** Offsets of `$0`, `$1`, ... in the text without the markers. */
  readonly cursors: readonly number[];
  position(index?: number): Position;
  positionAt(offset: number): Position;
}

export function fixture(marked: string): Fixture {
  const cursors: number[] = [];
  let text = '';
  let last = 0;
  for (const m of marked.matchAll(/\$(\d)/g)) {
    text += marked.slice(last, m.index);
    cursors[Number(m[1])] = text.length;
    last = m.index! + m[0].length;
  }
  text += marked.slice(last);
  const lines = new LineTable(text);
  return {
    text,
    cursors,
    position: (index = 0) => lines.positionAt(cursors[index]),
    positionAt: (offset) => lines.positionAt(offset),
  };
}

export interface ClientOptions {
  readonly initializationOptions?: unknown;
  /** Answers workspace/configuration when set (and announces the capability). */
  readonly configuration?: Record<string, unknown>;
  readonly server?: ServerOptions;
}

export class LspTestClient {
  readonly logs: string[] = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters = new Map<string, ((p: PublishDiagnosticsParams) => void)[]>();
  initializeResult!: InitializeResult;
  server!: ServerHandle;

  private constructor(
    readonly connection: ProtocolConnection,
    private readonly streams: PassThrough[],
  ) {}

  static async start(options: ClientOptions = {}): Promise<LspTestClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const server = startServer(serverConnection, options.server);
    const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const client = new LspTestClient(connection, [toServer, toClient]);
    client.server = server;
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => client.received(p));
    connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((item) => (item.section ? options.configuration?.[item.section] ?? null : options.configuration ?? null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    const params: InitializeParams = {
      processId: null,
      rootUri: null,
      capabilities: {
        workspace: { configuration: options.configuration !== undefined },
        textDocument: { hover: { contentFormat: ['markdown'] } },
      },
      initializationOptions: options.initializationOptions,
    };
    client.initializeResult = await connection.sendRequest('initialize', params);
    await connection.sendNotification('initialized', {});
    return client;
  }

  private received(p: PublishDiagnosticsParams): void {
    this.diagnostics.set(p.uri, p);
    const key = `${p.uri}@${p.version}`;
    for (const w of this.waiters.get(key) ?? []) w(p);
    this.waiters.delete(key);
  }

  /** Resolves with the diagnostics published for this document version. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const latest = this.diagnostics.get(uri);
    if (latest && latest.version === version) return Promise.resolve(latest);
    return new Promise((resolve) => {
      const key = `${uri}@${version}`;
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
    });
  }

  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const published = this.diagnosticsFor(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'irq', version, text } });
    return published;
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const published = this.diagnosticsFor(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return published;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    this.connection.dispose();
    for (const s of this.streams) s.end();
  }
}
