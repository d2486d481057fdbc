/**
 * Name resolution: which `let`, `proc`, parameter or loop variable each name
 * refers to. One walk serves go-to-definition, references and rename, and the
 * checker's scope rules (undefined names, use before definition, duplicates,
 * unknown procedures). Procedures are visible everywhere (they are hoisted);
 * a proc body sees its parameters, its own lets and every top-level let (it
 * runs when called, after them). Lets inside a repeat or proc body are local
 * to that body.
 */
import type { Diagnostic, Expr, Ident, Program, Span, Stmt } from './ast';
import { EQ_FLAG_NAMES } from './keywords';
import { closest, didYouMean } from './suggest';
import { forEachName, forEachStatementExpr } from './walk';

export type DefinitionKind = 'let' | 'proc' | 'param' | 'repeat-var';

export interface Definition {
  readonly name: string;
  readonly span: Span;
  readonly kind: DefinitionKind;
  /** For procs: the parameter count. */
  readonly arity?: number;
}

export interface Reference {
  readonly name: string;
  readonly span: Span;
  readonly definition: Definition | null;
}

export interface Resolution {
  /** In source order. */
  readonly definitions: readonly Definition[];
  /** In source order. */
  readonly references: readonly Reference[];
  readonly diagnostics: readonly Diagnostic[];
  readonly procs: ReadonlyMap<string, Definition>;
}

const cache = new WeakMap<Program, Resolution>();
const BROKEN_DECLARATION = /^(let|proc)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * What a slice of a file (whole top-level statements, parsed on its own) needs
 * from the rest of the file to resolve names exactly as the whole-file walk
 * would. Lines in these definitions are file lines; columns are unchanged by
 * slicing because slices start at line starts.
 */
export interface SliceScope {
  /** File line of the slice's first line. */
  readonly lineBase: number;
  /** The file's top-level procs, first definition per name. */
  readonly procs: ReadonlyMap<string, Definition>;
  /** The file's first top-level let of each name. */
  readonly firstLets: ReadonlyMap<string, Definition>;
  /** Names the file's broken top-level let/proc lines meant to declare. */
  readonly broken: ReadonlySet<string>;
  /** Top-level lets defined before the slice (latest per name); the walk adds the slice's own. */
  readonly topScope: Map<string, Definition>;
  /** "Did you mean" budget left; the walk spends from it. */
  comparisonsLeft: number;
}

/** The scope diagnostics of one slice, in the order the whole-file walk reports them. */
export function resolveSlice(statements: readonly Stmt[], text: string, scope: SliceScope): Diagnostic[] {
  const r = new Resolver(text, scope);
  const diagnostics = r.runSlice(statements);
  scope.comparisonsLeft = r.budget;
  return diagnostics;
}

export function resolve(program: Program): Resolution {
  let r = cache.get(program);
  if (!r) {
    r = new Resolver(program.text).run(program.statements);
    cache.set(program, r);
  }
  return r;
}

class Resolver {
  private readonly definitions: Definition[] = [];
  private readonly references: Reference[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly procs: Map<string, Definition>;
  /** Every top-level let by name (first definition), to tell "used before definition" from "undefined". */
  private readonly laterLets: Map<string, Definition>;
  private readonly scopes: Map<string, Definition>[] = [];
  private procDepth = 0;
  /** Names a line that did not parse meant to declare: uses of them are not reported again (one bad line, one diagnostic). */
  private readonly broken: Set<string>;
  /** Name comparisons left for "did you mean": a file full of unknown names gets suggestions for the first ones only. */
  private comparisonsLeft: number;
  /** File line of the text's first line (non-zero when resolving a slice). */
  private readonly lineBase: number;
  /** Whether definitions and references are recorded: navigation needs them, a slice's diagnostics do not. */
  private readonly navigation: boolean;

  private suggest(name: string, candidates: readonly string[]): string | undefined {
    // Building the candidate list counts too, so a failed attempt still spends the budget.
    this.comparisonsLeft -= candidates.length;
    if (this.comparisonsLeft < 0) return undefined;
    return closest(name, candidates);
  }

  constructor(private readonly text: string, private readonly slice?: SliceScope) {
    this.procs = slice ? (slice.procs as Map<string, Definition>) : new Map();
    this.laterLets = slice ? (slice.firstLets as Map<string, Definition>) : new Map();
    this.broken = slice ? (slice.broken as Set<string>) : new Set();
    this.comparisonsLeft = slice ? slice.comparisonsLeft : 200_000;
    this.lineBase = slice ? slice.lineBase : 0;
    this.navigation = !slice;
  }

  get budget(): number {
    return this.comparisonsLeft;
  }

  /** The whole-file walk's diagnostics for these statements, given the rest of the file in `slice`. */
  runSlice(statements: readonly Stmt[]): Diagnostic[] {
    const base = this.lineBase;
    for (const s of statements) {
      if (s.kind !== 'proc') continue;
      const first = this.procs.get(s.name.name);
      if (first && (first.span.line !== s.name.span.line + base || first.span.col !== s.name.span.col)) {
        this.report(s.name.span, 'duplicate-proc', `proc '${s.name.name}' is already defined at line ${first.span.line + 1}`);
      }
    }
    this.scopes.push(this.slice!.topScope);
    this.block(statements);
    return this.diagnostics;
  }

  run(statements: readonly Stmt[]): Resolution {
    for (const s of statements) {
      if (s.kind === 'error') {
        const m = BROKEN_DECLARATION.exec(this.text.slice(s.span.start, Math.min(s.span.end, s.span.start + 200)));
        if (m) this.broken.add(m[2]);
      }
      if (s.kind === 'proc') {
        const def: Definition = { name: s.name.name, span: s.name.span, kind: 'proc', arity: s.params.length };
        const existing = this.procs.get(def.name);
        if (existing) {
          this.report(s.name.span, 'duplicate-proc', `proc '${def.name}' is already defined at line ${existing.span.line + 1}`);
        } else {
          this.procs.set(def.name, def);
        }
        this.definitions.push(def);
      } else if (s.kind === 'let' && !this.laterLets.has(s.name.name)) {
        this.laterLets.set(s.name.name, { name: s.name.name, span: s.name.span, kind: 'let' });
      }
    }
    this.scopes.push(new Map());
    this.block(statements);
    // Source order, so navigation can binary-search by offset.
    this.definitions.sort((a, b) => a.span.start - b.span.start);
    this.references.sort((a, b) => a.span.start - b.span.start);
    return { definitions: this.definitions, references: this.references, diagnostics: this.diagnostics, procs: this.procs };
  }

  private report(span: Span, code: string, message: string, fix?: Diagnostic['fix']): void {
    this.diagnostics.push({ span, severity: 'error', code, message, ...(fix ? { fix } : {}) });
  }

  private define(id: Ident, kind: DefinitionKind): void {
    const scope = this.scopes[this.scopes.length - 1];
    // Definitions carry file lines (they are quoted in messages); a whole-file walk keeps the identifier's own span.
    const span = this.lineBase === 0 ? id.span : { start: id.span.start, end: id.span.end, line: id.span.line + this.lineBase, col: id.span.col };
    const def: Definition = { name: id.name, span, kind };
    const existing = scope.get(id.name);
    if (existing && (kind === 'let' || kind === 'param')) {
      const what = kind === 'let' ? 'let' : 'parameter';
      this.report(id.span, kind === 'let' ? 'duplicate-let' : 'duplicate-param',
        `${what} '${id.name}' is already defined at line ${existing.span.line + 1}`);
    }
    scope.set(id.name, def);
    if (this.navigation) this.definitions.push(def);
  }

  private lookup(name: string): Definition | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const d = this.scopes[i].get(name);
      if (d) return d;
    }
    return null;
  }

  private visible(): string[] {
    const names = new Set<string>();
    for (const s of this.scopes) for (const k of s.keys()) names.add(k);
    if (this.procDepth > 0) for (const k of this.laterLets.keys()) names.add(k);
    return [...names];
  }

  private refer(e: Extract<Expr, { kind: 'name' }>, allowEqFlags: boolean): void {
    if (this.broken.has(e.name) && !this.lookup(e.name)) return;
    let def = this.lookup(e.name);
    if (!def && this.procDepth > 0) def = this.laterLets.get(e.name) ?? null;
    if (!def && allowEqFlags && Object.prototype.hasOwnProperty.call(EQ_FLAG_NAMES, e.name)) return;
    if (this.navigation) this.references.push({ name: e.name, span: e.span, definition: def });
    if (def) return;
    const later = this.laterLets.get(e.name);
    // Compared by (line, column): the same order as offsets, and valid across slices.
    const line = e.span.line + this.lineBase;
    if (later && (later.span.line > line || (later.span.line === line && later.span.col > e.span.col))) {
      this.report(e.span, 'used-before-definition', `'${e.name}' is used before its let on line ${later.span.line + 1}`);
      return;
    }
    const s = this.comparisonsLeft > 0 ? this.suggest(e.name, this.visible()) : undefined;
    this.report(e.span, 'undefined-name', `'${e.name}' is not defined (no let, parameter or loop variable)${didYouMean(s)}`,
      s ? { title: `Replace with '${s}'`, span: e.span, newText: s } : undefined);
  }

  /** Whether the statement being walked admits EQ flag names (`always_notify`) as values. */
  private eqFlags = false;
  // Bound once per walk: a statement's expressions are visited without building lists of them.
  private readonly referName = (n: Extract<Expr, { kind: 'name' }>): void => this.refer(n, this.eqFlags);
  private readonly referNamesIn = (e: Expr): void => {
    if (e.kind !== 'number') forEachName(e, this.referName); // most values are literals: no walk
  };

  private exprs(s: Stmt): void {
    this.eqFlags = s.kind === 'set-eq' || s.kind === 'get-eq' || (s.kind === 'attr');
    forEachStatementExpr(s, this.referNamesIn);
  }

  private block(statements: readonly Stmt[]): void {
    for (const s of statements) this.statement(s);
  }

  private statement(s: Stmt): void {
    switch (s.kind) {
      case 'let':
        this.exprs(s);
        this.define(s.name, 'let');
        return;
      case 'proc': {
        this.scopes.push(new Map());
        this.procDepth++;
        for (const p of s.params) this.define(p, 'param');
        this.block(s.body);
        this.procDepth--;
        this.scopes.pop();
        return;
      }
      case 'repeat':
        this.exprs(s);
        this.scopes.push(new Map());
        if (s.variable) this.define(s.variable, 'repeat-var');
        this.block(s.body);
        this.scopes.pop();
        return;
      case 'call': {
        this.exprs(s);
        const def = this.procs.get(s.name.name) ?? null;
        if (this.navigation) this.references.push({ name: s.name.name, span: s.name.span, definition: def });
        if (!def) {
          if (this.broken.has(s.name.name)) return;
          const sug = this.comparisonsLeft > 0 ? this.suggest(s.name.name, [...this.procs.keys()]) : undefined;
          this.report(s.name.span, 'unknown-proc', `no proc named '${s.name.name}'${didYouMean(sug)}`,
            sug ? { title: `Replace with '${sug}'`, span: s.name.span, newText: sug } : undefined);
        } else if (def.arity !== s.args.length) {
          this.report(s.name.span, 'wrong-arg-count',
            `proc '${def.name}' takes ${def.arity} argument${def.arity === 1 ? '' : 's'}, this call passes ${s.args.length}`);
        }
        return;
      }
      default:
        this.exprs(s);
    }
  }
}
