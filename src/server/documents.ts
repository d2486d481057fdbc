/**
 * Open documents and their analyses. One analysis per document version: the
 * parse, the checker's diagnostics and everything derived from them (constant
 * environment, word sites, statement index) are computed at most once per
 * version, so hovers, hints and completion never re-parse the file.
 */
import { readTextOrUndefined } from '../edge/read-text-file';
import { fileURLToPath } from 'node:url';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyze, constantEnv, ConstEnv, createIncrementalAnalyzer, Diagnostic, forEachStatement, IncrementalAnalyzer, lastStartingAtOrBefore, Program, Stmt,
  statementWordSites, WordSite,
} from '../dsl';
import { LineTable, spanContains } from './positions';

/** A document version's diagnostics with the line table to place them. */
export interface DocumentDiagnostics {
  readonly uri: string;
  readonly version: number;
  readonly lines: LineTable;
  readonly diagnostics: readonly Diagnostic[];
}

export type ProcStmt = Extract<Stmt, { kind: 'proc' }>;

export class DocumentAnalysis {
  readonly lines: LineTable;
  private envCache: ConstEnv | undefined;
  private procsCache: Map<string, ProcStmt> | undefined;
  private namesCache: Set<string> | undefined;
  private devicesCache: Extract<Stmt, { kind: 'device' }>[] | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly program: Program,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    this.lines = new LineTable(program.text, program.lineStarts);
  }

  /** Computes the lazily built tables of this version (constants, names, devices, procs). */
  warm(): void {
    void this.env;
    void this.declaredNames;
    void this.procs;
    this.deviceAt(0);
  }

  get text(): string {
    return this.program.text;
  }

  get env(): ConstEnv {
    this.envCache ??= constantEnv(this.program);
    return this.envCache;
  }

  /**
   * The innermost word site at `offset` (end inclusive). Only the statement
   * there is examined, found by binary search, with the constants its
   * enclosing bodies leave visible: O(log n) per hover.
   */
  siteAt(offset: number): WordSite | null {
    const path = this.statementPath(offset);
    const stmt = path[path.length - 1];
    if (!stmt || stmt.kind === 'proc' || stmt.kind === 'repeat') return null;
    let env = this.env;
    for (const s of path) if (s.kind === 'proc' || s.kind === 'repeat') env = shadowed(env, s);
    let best: WordSite | null = null;
    for (const site of statementWordSites(stmt, env)) {
      if (site.span.start <= offset && offset <= site.span.end && (!best || site.span.end - site.span.start < best.span.end - best.span.start)) best = site;
    }
    return best;
  }

  /** Names the document declares (lets, procs, parameters, repeat counters), for cheap "is this a name?" checks. */
  get declaredNames(): ReadonlySet<string> {
    if (!this.namesCache) {
      const names = new Set<string>();
      forEachStatement(this.program.statements, (s) => {
        if (s.kind === 'let' || s.kind === 'proc') names.add(s.name.name);
        if (s.kind === 'proc') for (const p of s.params) names.add(p.name);
        if (s.kind === 'repeat' && s.variable) names.add(s.variable.name);
      });
      this.namesCache = names;
    }
    return this.namesCache;
  }

  /** The device in force at `offset`: the last `device` statement before it (binary search over them). */
  deviceAt(offset: number): string | null {
    if (!this.devicesCache) this.devicesCache = this.program.statements.filter((s): s is Extract<Stmt, { kind: 'device' }> => s.kind === 'device');
    const list = this.devicesCache;
    let lo = 0;
    let hi = list.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].span.start <= offset) {
        found = list[mid].device;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Word sites of the statements that overlap [start, end), in source order.
   * Walks only those statements (binary search per nesting level), so an
   * inlay-hint request for the visible lines costs those lines, not the file.
   */
  sitesIn(start: number, end: number): WordSite[] {
    const out: WordSite[] = [];
    const visit = (list: readonly Stmt[], env: ConstEnv): void => {
      for (let i = firstEndingAtOrAfter(list, start); i < list.length && list[i].span.start < end; i++) {
        const s = list[i];
        if (s.kind === 'proc' || s.kind === 'repeat') visit(s.body, shadowed(env, s));
        else statementWordSites(s, env, out);
      }
    };
    visit(this.program.statements, this.env);
    return out;
  }

  /** The innermost statement containing `offset` (binary search on each nesting level). */
  statementAt(offset: number): Stmt | null {
    let list: readonly Stmt[] = this.program.statements;
    let found: Stmt | null = null;
    for (;;) {
      const stmt = statementStartingAtOrBefore(list, offset);
      if (!stmt || !spanContains(stmt.span, offset)) return found;
      found = stmt;
      if ((stmt.kind === 'proc' || stmt.kind === 'repeat') && spanContains(stmt.bodySpan, offset)) list = stmt.body;
      else return found;
    }
  }

  /** The chain of statements from the top level down to the innermost one containing `offset`. */
  statementPath(offset: number): Stmt[] {
    const path: Stmt[] = [];
    let list: readonly Stmt[] = this.program.statements;
    for (;;) {
      const stmt = statementStartingAtOrBefore(list, offset);
      if (!stmt || !spanContains(stmt.span, offset)) return path;
      path.push(stmt);
      if (stmt.kind === 'proc' || stmt.kind === 'repeat') list = stmt.body;
      else return path;
    }
  }

  get procs(): ReadonlyMap<string, ProcStmt> {
    if (!this.procsCache) {
      const procs = new Map<string, ProcStmt>();
      for (const s of this.program.statements) if (s.kind === 'proc' && !procs.has(s.name.name)) procs.set(s.name.name, s);
      this.procsCache = procs;
    }
    return this.procsCache;
  }
}

function firstEndingAtOrAfter(list: readonly Stmt[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inside a proc/repeat body, names bound there (params, counter, body lets) are not the top-level constants. */
function shadowed(env: ConstEnv, s: ProcStmt | Extract<Stmt, { kind: 'repeat' }>): ConstEnv {
  const names = s.kind === 'proc' ? s.params.map((p) => p.name) : s.variable ? [s.variable.name] : [];
  for (const b of s.body) if (b.kind === 'let') names.push(b.name.name);
  if (!names.some((n) => env.has(n))) return env;
  const m = new Map(env);
  for (const n of names) m.delete(n);
  return m;
}

function statementStartingAtOrBefore(list: readonly Stmt[], offset: number): Stmt | null {
  const idx = lastStartingAtOrBefore(list, offset);
  return idx < 0 ? null : list[idx];
}

/** The front end's walk over every statement, nested ones included; re-exported for the feature modules. */
export { forEachStatement };

/** Resolves `include "path"` relative to the including document's URI. */
export function resolveIncludeUri(fromUri: string, path: string): string {
  try {
    return new URL(path, fromUri).toString();
  } catch {
    return path;
  }
}

export type Analyzer = typeof analyze;

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, DocumentAnalysis>();
  private readonly incremental = new Map<string, IncrementalAnalyzer>();

  /**
   * `analyzer` is the front end's analyze; tests pass a failing one to exercise the error paths.
   * With the front end's own, diagnostics come from an incremental analyzer per document (same
   * result, only edited statements re-analysed); a replaced one is used for diagnostics too.
   */
  constructor(private readonly analyzer: Analyzer = analyze) {}

  /** The diagnostics of the document's current version, without building the full analysis when it is not cached. */
  diagnostics(uri: string): DocumentDiagnostics | null {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const cached = this.cache.get(uri);
    if ((cached && cached.version === doc.version) || this.analyzer !== analyze) return this.get(uri);
    let incremental = this.incremental.get(uri);
    if (!incremental) {
      incremental = createIncrementalAnalyzer(uri, { readFile: (u) => this.readInclude(u), resolveInclude: resolveIncludeUri });
      this.incremental.set(uri, incremental);
    }
    const text = doc.getText();
    return { uri, version: doc.version, lines: new LineTable(text), diagnostics: incremental.update(text) };
  }

  /** Drops everything kept for a closed document. */
  close(uri: string): void {
    this.cache.delete(uri);
    this.incremental.delete(uri);
  }

  /** The analysis of the document's current version; null for documents that are not open. */
  get(uri: string): DocumentAnalysis | null {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    return this.analyzeDocument(doc);
  }

  analyzeDocument(doc: TextDocument): DocumentAnalysis {
    const text = doc.getText();
    const { program, diagnostics } = this.analyzer(text, doc.uri, {
      readFile: (uri) => this.readInclude(uri),
      resolveInclude: resolveIncludeUri,
    });
    const analysis = new DocumentAnalysis(doc.uri, doc.version, program, diagnostics);
    this.cache.set(doc.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Included files: the editor's copy when open, else the file on disk. */
  readInclude(uri: string): string | undefined {
    const open = this.documents.get(uri);
    if (open) return open.getText();
    let path: string;
    try {
      path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    } catch {
      return undefined;
    }
    // Bounded, never a device, never blocked on a FIFO: the same reader as the CLI's.
    return readTextOrUndefined(path);
  }
}
