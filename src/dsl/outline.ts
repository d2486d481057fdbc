/**
 * What a run of top-level statements tells the checker about the whole file:
 * its lets, procs, broken declarations, and whether it creates a device or
 * connects a vCPU. The incremental analyzer keeps one outline per slice; the
 * streaming `diagnose` folds them into file facts as it reads.
 */
import type { Expr, Stmt } from './ast';
import { FileFacts, statementConnects, statementCreatesDevice } from './checker';
import { evaluateConstant } from './constants';
import { ProcSummary, rebaseSummary, summarizeProc, summaryKey } from './proc-effects';
import { Definition } from './scope';
import { forEachStatement } from './walk';

export interface Outline {
  /** Top-level lets in order (lines relative to the text the statements were parsed from). */
  readonly lets: readonly { readonly name: string; readonly line: number; readonly col: number; readonly value: Expr }[];
  readonly procs: readonly {
    readonly name: string; readonly line: number; readonly col: number; readonly arity: number;
    /** What its body does to the order rules, and that as text (the incremental analyzer's key compares it). */
    readonly summary: ProcSummary; readonly summaryKey: string;
  }[];
  /** Names that top-level `let`/`proc` lines which did not parse meant to declare. */
  readonly broken: readonly string[];
  readonly createsDevice: boolean;
  readonly connects: boolean;
  readonly includes: boolean;
}

const BROKEN_DECLARATION = /^(let|proc)\s+([A-Za-z_][A-Za-z0-9_]*)/;

export function outlineOf(statements: readonly Stmt[], text: string): Outline {
  const lets: { name: string; line: number; col: number; value: Expr }[] = [];
  const procs: Outline['procs'][number][] = [];
  const broken: string[] = [];
  for (const s of statements) {
    if (s.kind === 'let') lets.push({ name: s.name.name, line: s.name.span.line, col: s.name.span.col, value: s.value });
    else if (s.kind === 'proc') {
      const summary = summarizeProc(s, text);
      procs.push({
        name: s.name.name, line: s.name.span.line, col: s.name.span.col, arity: s.params.length,
        summary, summaryKey: summaryKey(summary, text),
      });
    }
    else if (s.kind === 'error') {
      const m = BROKEN_DECLARATION.exec(text.slice(s.span.start, Math.min(s.span.end, s.span.start + 200)));
      if (m) broken.push(m[2]);
    }
  }
  let createsDevice = false;
  let connects = false;
  let includes = false;
  forEachStatement(statements, (s) => {
    if (statementCreatesDevice(s)) createsDevice = true;
    if (statementConnects(s)) connects = true;
    if (s.kind === 'include') includes = true;
  });
  return { lets, procs, broken, createsDevice, connects, includes };
}

/** A definition the scope rules compare by line and column (its offsets are not needed across slices). */
function definition(name: string, line: number, col: number, kind: 'let' | 'proc', arity?: number): Definition {
  const span = { start: 0, end: 0, line, col };
  return arity === undefined ? { name, span, kind } : { name, span, kind, arity };
}

/**
 * Whole-file facts folded from outlines in file order: the constant
 * environment (each let evaluated against the ones before it), the first
 * definition of each proc and let, and the broken declarations.
 */
export class FileFactsBuilder implements FileFacts {
  readonly env = new Map<string, bigint>();
  readonly procs = new Map<string, Definition>();
  readonly firstLets = new Map<string, Definition>();
  readonly broken = new Set<string>();
  readonly procSummaries = new Map<string, ProcSummary>();
  /** Every top-level let in order, with its definition. */
  readonly lets: { readonly name: string; readonly def: Definition }[] = [];
  createsDevice = false;
  connects = false;
  /** Counts the outlines that changed a fact: checks made under an older count may differ. */
  version = 0;

  /** Folds in the outline of statements whose first line is file line `lineBase`. */
  add(outline: Outline, lineBase: number): void {
    let changed = outline.lets.length > 0;
    for (const l of outline.lets) {
      const v = evaluateConstant(l.value, this.env);
      if (v !== null) this.env.set(l.name, v);
      else this.env.delete(l.name);
      const def = definition(l.name, l.line + lineBase, l.col, 'let');
      if (!this.firstLets.has(l.name)) this.firstLets.set(l.name, def);
      this.lets.push({ name: l.name, def });
    }
    for (const q of outline.procs) {
      // Calls run the last definition (as the runtime does); names resolve to the first.
      this.procSummaries.set(q.name, rebaseSummary(q.summary, lineBase));
      changed = true;
      if (!this.procs.has(q.name)) this.procs.set(q.name, definition(q.name, q.line + lineBase, q.col, 'proc', q.arity));
    }
    for (const b of outline.broken) {
      if (this.broken.has(b)) continue;
      this.broken.add(b);
      changed = true;
    }
    if (outline.createsDevice && !this.createsDevice) { this.createsDevice = true; changed = true; }
    if (outline.connects && !this.connects) { this.connects = true; changed = true; }
    if (changed) this.version++;
  }
}
