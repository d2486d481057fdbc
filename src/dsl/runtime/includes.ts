/**
 * `include "path"`: resolved against the including file, read through the
 * caller's readFile (the runtime never touches a file system), parsed once
 * when the runtime is created. Problems become diagnostics at the include.
 */
import type { Diagnostic, Program, Stmt } from '../ast';

export type ParseFn = (text: string, uri: string) => { program: Program; diagnostics: readonly Diagnostic[] };

/** `dir/of/from.irq` + `lib/x.irq` → `dir/of/lib/x.irq`, with `.` and `..` folded; absolute paths stay. */
export function resolveRelative(fromUri: string, path: string): string {
  if (path.startsWith('/') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) return path;
  const slash = fromUri.lastIndexOf('/');
  const dir = slash >= 0 ? fromUri.slice(0, slash) : '';
  const parts = (dir ? dir + '/' + path : path).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '.') continue;
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

export interface IncludeGraph {
  /** Every program by uri, the main one included. */
  readonly programs: Map<string, Program>;
  /** The uri each include statement resolved to (only those that could be read and parsed). */
  readonly targets: Map<Stmt, string>;
  /** Problems found while following includes, placed on the include statements of the main file. */
  readonly diagnostics: Diagnostic[];
}

function includesIn(stmts: readonly Stmt[], out: Extract<Stmt, { kind: 'include' }>[]): void {
  for (const s of stmts) {
    if (s.kind === 'include') out.push(s);
    else if (s.kind === 'proc' || s.kind === 'repeat') includesIn(s.body, out);
  }
}

export function loadIncludes(
  main: Program,
  parse: ParseFn,
  readFile: (uri: string) => string | undefined,
  resolve: (fromUri: string, path: string) => string,
): IncludeGraph {
  const programs = new Map<string, Program>([[main.uri, main]]);
  const targets = new Map<Stmt, string>();
  const diagnostics: Diagnostic[] = [];
  // `anchor` is the include statement of the main file through which a nested problem is reached.
  const visit = (program: Program, chain: readonly string[], anchor: Stmt | null): void => {
    const found: Extract<Stmt, { kind: 'include' }>[] = [];
    includesIn(program.statements, found);
    for (const inc of found) {
      const at = anchor ?? inc;
      const report = (message: string, code: string): void => {
        diagnostics.push({ span: at.span, severity: 'error', message, code });
      };
      const uri = resolve(program.uri, inc.path);
      if (chain.includes(uri)) {
        report(`include cycle: ${[...chain, uri].join(' → ')}`, 'include-cycle');
        continue;
      }
      let child = programs.get(uri);
      if (!child) {
        const text = readFile(uri);
        if (text === undefined) {
          report(`cannot read included file '${inc.path}' (${uri})`, 'include-not-found');
          continue;
        }
        const parsed = parse(text, uri);
        child = parsed.program;
        programs.set(uri, child);
        for (const d of parsed.diagnostics) {
          if (d.severity !== 'error') continue;
          report(`in included file ${inc.path}:${d.span.line + 1}:${d.span.col + 1}: ${d.message}`, d.code);
        }
        visit(child, [...chain, uri], at);
      }
      targets.set(inc, uri);
    }
  };
  visit(main, [main.uri], null);
  return { programs, targets, diagnostics };
}
