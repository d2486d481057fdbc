/**
 * The `.irq` language server: wires the document store and one module per
 * LSP feature to a connection. Every handler is guarded: an internal error is
 * logged and answered with an LSP error, and the server keeps serving.
 * Requests for documents that are not open answer null/empty.
 */
import {
  CodeActionKind, CompletionTriggerKind, Connection, DiagnosticSeverity, DidChangeConfigurationNotification, ErrorCodes, InitializeError, InitializeParams, InitializeResult,
  ResponseError, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { DECODE_WORD_REQUEST, DecodeWordParams, DecodeWordResult, EXPLAIN_AT_LINE_REQUEST, ExplainAtLineParams, ExplainAtLineResult } from '../protocol';
import { EXPLAIN_ACTION_KIND, explainActions, explainAtLine } from './explain';
import { codeActions, CONVERT_TO_FIELDS, CONVERT_TO_WORD } from './code-actions';
import { complete, warmCompletion } from './completion';
import { decodeWordRequest } from './decode-word';
import { definition, prepareRename, references, rename } from './definition';
import { lspDiagnostics } from './diagnostics';
import { Analyzer, DocumentAnalysis, DocumentStore } from './documents';
import { foldingRanges } from './folding';
import { formatDocument } from './formatting';
import { hover } from './hover';
import { inlayHints } from './inlay-hints';
import { invalidInitializeParams, invalidParams, ParamPart } from './params';
import { DEFAULT_SETTINGS, ServerSettings, settingsFrom } from './settings';
import { SEMANTIC_LEGEND, semanticTokens, semanticTokensInRange } from './semantic-tokens';
import { signatureHelp } from './signature-help';
import { documentSymbols } from './symbols';

export const SERVER_NAME = 'irqlab-lsp';
/** Quiet time after the last edit before the full analysis (hovers, completion tables) is built. */
const WARM_AFTER_IDLE_MS = 300;

export interface ServerHandle {
  readonly store: DocumentStore;
  settings(): ServerSettings;
}

export interface ServerOptions {
  /** Replaces the front end's analyze (tests use it to make analysis fail). */
  readonly analyze?: Analyzer;
}

export function startServer(connection: Connection, options: ServerOptions = {}): ServerHandle {
  const store = new DocumentStore(options.analyze);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let registerConfigurationChange = false;

  const logError = (what: string, e: unknown) => {
    const text = `${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
    try {
      connection.console.error(text);
    } catch {
      // The connection is gone (client exited): stderr is all that is left.
      process.stderr.write(`${SERVER_NAME}: ${text}\n`);
    }
  };

  /** Runs a handler; an exception becomes a logged InternalError response. */
  function guard<P, R>(name: string, fn: (params: P) => R): (params: P) => R | ResponseError<void> {
    return (params: P) => {
      try {
        return fn(params);
      } catch (e) {
        logError(`${name} failed`, e);
        return new ResponseError(ErrorCodes.InternalError, `irqlab: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  /** A handler on an open document's current analysis; `empty` for unknown documents. */
  function onDocument<P extends { textDocument: { uri: string } }, R>(
    name: string,
    empty: R,
    fn: (a: DocumentAnalysis, params: P) => R,
    parts: readonly ParamPart[] = [],
  ): (params: P) => R | ResponseError<void> {
    return guard(name, (params: P) => {
      const invalid = invalidParams(`textDocument/${name}`, params, parts);
      if (invalid) return new ResponseError(ErrorCodes.InvalidParams, invalid);
      const a = store.get(params.textDocument.uri);
      return a ? fn(a, params) : empty;
    });
  }

  const offsetOf = (a: DocumentAnalysis, p: { position: { line: number; character: number } }) => a.lines.offsetAt(p.position);

  function publish(uri: string): void {
    try {
      const a = store.diagnostics(uri);
      if (!a) return;
      void connection.sendDiagnostics({ uri, version: a.version, diagnostics: lspDiagnostics(a) });
      scheduleWarm(uri, a.version);
    } catch (e) {
      logError(`diagnostics for ${uri} failed`, e);
      // Still answer this version, so the user sees why nothing else is reported.
      const doc = store.documents.get(uri);
      if (!doc) return;
      try {
        void connection.sendDiagnostics({
          uri,
          version: doc.version,
          diagnostics: [{
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: DiagnosticSeverity.Error,
            code: 'internal-error',
            source: 'irqlab',
            message: `irqlab could not analyse this document (internal error: ${e instanceof Error ? e.message : String(e)}); see the server log`,
          }],
        });
      } catch (sendError) {
        logError(`publishing for ${uri} failed`, sendError);
      }
    }
  }

  /**
   * Builds the version's full analysis and lookup tables once typing pauses, rather than in the
   * first hover or completion (not right after each edit: the next keystroke's diagnostics would wait).
   */
  const warmTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function scheduleWarm(uri: string, version: number): void {
    clearTimeout(warmTimers.get(uri));
    warmTimers.set(uri, setTimeout(() => {
      warmTimers.delete(uri);
      if (store.documents.get(uri)?.version !== version) return;
      try {
        const a = store.get(uri);
        if (a) warm(a);
      } catch (e) {
        logError(`preparing ${uri} failed`, e);
      }
    }, WARM_AFTER_IDLE_MS).unref());
  }

  function warm(a: DocumentAnalysis): void {
    try {
      if (store.documents.get(a.uri)?.version !== a.version) return;
      a.warm();
      warmCompletion(a);
    } catch (e) {
      logError(`preparing ${a.uri} failed`, e);
    }
  }

  async function refreshSettings(): Promise<void> {
    if (!pullConfiguration) return;
    try {
      const section = (await connection.workspace.getConfiguration('irqlab')) as unknown;
      settings = settingsFrom({ irqlab: section }, settings);
    } catch (e) {
      logError('reading the irqlab configuration failed', e);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult | ResponseError<InitializeError> => {
    const invalid = invalidInitializeParams(params);
    if (invalid) return new ResponseError(ErrorCodes.InvalidParams, invalid, { retry: false });
    settings = settingsFrom(params.initializationOptions, DEFAULT_SETTINGS);
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    registerConfigurationChange = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '{', ',', '>'], resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: [' ', ',', '('], retriggerCharacters: [' '] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CONVERT_TO_FIELDS, CONVERT_TO_WORD, EXPLAIN_ACTION_KIND] },
        inlayHintProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (!pullConfiguration) return;
    if (registerConfigurationChange) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'irqlab' }).catch(() => undefined);
    void refreshSettings();
  });

  connection.onDidChangeConfiguration((change) => {
    if (pullConfiguration) void refreshSettings();
    else settings = settingsFrom(change.settings, settings);
  });

  // Publish after the current message: a burst of queued changes is analysed
  // once, at its latest version (no timer, so no added latency).
  const pendingPublish = new Set<string>();
  store.documents.onDidChangeContent((e) => {
    // Let the previous version's tree be collected while the new one is built.
    store.forget(e.document.uri);
    if (pendingPublish.size === 0) setImmediate(flushPublish);
    pendingPublish.add(e.document.uri);
  });
  function flushPublish(): void {
    const uris = [...pendingPublish];
    pendingPublish.clear();
    for (const uri of uris) publish(uri);
  }
  store.documents.onDidClose((e) => {
    clearTimeout(warmTimers.get(e.document.uri));
    warmTimers.delete(e.document.uri);
    store.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(onDocument('hover', null, (a, p) => hover(a, offsetOf(a, p), settings), ['position']));
  connection.onCompletion(onDocument('completion', [], (a, p) =>
    complete(a, offsetOf(a, p), p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? p.context.triggerCharacter : undefined), ['position']));
  connection.onSignatureHelp(onDocument('signatureHelp', null, (a, p) => signatureHelp(a, offsetOf(a, p)), ['position']));
  connection.onDefinition(onDocument('definition', null, (a, p) => definition(a, offsetOf(a, p)), ['position']));
  connection.onReferences(onDocument('references', [], (a, p) => references(a, offsetOf(a, p), p.context.includeDeclaration), ['position', 'context']));
  connection.onPrepareRename(onDocument('prepareRename', null, (a, p) => prepareRename(a, offsetOf(a, p)), ['position']));
  connection.onRenameRequest(onDocument('rename', null, (a, p) => {
    const r = rename(a, offsetOf(a, p), p.newName);
    if (r && 'error' in r) return new ResponseError(ErrorCodes.InvalidParams, r.error);
    return r;
  }, ['position', 'newName']));
  connection.onDocumentSymbol(onDocument('documentSymbol', [], (a) => documentSymbols(a)));
  connection.onFoldingRanges(onDocument('foldingRange', [], (a) => foldingRanges(a)));
  connection.onDocumentFormatting(onDocument('formatting', [], (a) => formatDocument(a, (m) => connection.console.warn(m))));
  connection.onCodeAction(onDocument('codeAction', [], (a, p) => [...codeActions(a, p.range, p.context.only), ...explainActions(a, p.range, p.context.only)], ['range', 'context']));
  connection.languages.inlayHint.on(onDocument('inlayHint', [], (a, p) => inlayHints(a, p.range), ['range']));
  connection.languages.semanticTokens.on(onDocument('semanticTokens', { data: [] }, (a) => semanticTokens(a)));
  connection.languages.semanticTokens.onRange(onDocument('semanticTokensRange', { data: [] }, (a, p) => semanticTokensInRange(a, p.range), ['range']));
  connection.onRequest(EXPLAIN_AT_LINE_REQUEST, guard('explainAtLine', (p: ExplainAtLineParams): ExplainAtLineResult => explainAtLine(store, p)));
  connection.onRequest(DECODE_WORD_REQUEST, guard('decodeWord', (p: DecodeWordParams): DecodeWordResult => decodeWordRequest(p, settings.bitNumbering)));

  store.documents.listen(connection);
  connection.listen();
  return { store, settings: () => settings };
}
