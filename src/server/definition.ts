/**
 * Go to definition, references and rename for `let` names, procs, proc
 * parameters and repeat counters. The front end finds the definition and the
 * uses by name; scoping is applied here: a parameter or counter lives inside
 * its proc/repeat, and a `let` is hidden inside a proc that has a parameter
 * (or a repeat that has a counter) of the same name.
 */
import { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { findDefinition, findReferences, KEYWORDS, Span, Stmt } from '../dsl';
import { HCALL_NAMES } from '../model/hcalls';
import { ERRNO_NAMES, HCALL_RETURNS } from '../model/result';
import { DocumentAnalysis, forEachStatement, resolveIncludeUri } from './documents';
import { spanContains } from './positions';

type Definition = NonNullable<ReturnType<typeof findDefinition>>;

function ownerOf(a: DocumentAnalysis, def: Definition): Stmt | null {
  let owner: Stmt | null = null;
  forEachStatement(a.program.statements, (s) => {
    if (owner) return;
    if (def.kind === 'param' && s.kind === 'proc' && s.params.some((p) => p.span.start === def.span.start)) owner = s;
    if (def.kind === 'repeat-var' && s.kind === 'repeat' && s.variable?.span.start === def.span.start) owner = s;
  });
  return owner;
}

/** Spans of procs/repeats that bind `name` themselves (a top-level name is shadowed inside them). */
function shadowingScopes(a: DocumentAnalysis, name: string): Span[] {
  const scopes: Span[] = [];
  forEachStatement(a.program.statements, (s) => {
    if (s.kind === 'proc' && s.params.some((p) => p.name === name)) scopes.push(s.span);
    if (s.kind === 'repeat' && s.variable?.name === name) scopes.push(s.span);
  });
  return scopes;
}

/** The definition and every use of the symbol at `offset`, definition first, in source order after it. */
export function occurrences(a: DocumentAnalysis, offset: number): { def: Definition; spans: Span[] } | null {
  const def = findDefinition(a.program, offset);
  if (!def) return null;
  let spans = findReferences(a.program, def.name);
  if (def.kind === 'param' || def.kind === 'repeat-var') {
    const owner = ownerOf(a, def);
    spans = owner ? spans.filter((s) => spanContains(owner.span, s.start)) : spans;
  } else if (def.kind === 'let') {
    const hidden = shadowingScopes(a, def.name);
    spans = spans.filter((s) => !hidden.some((h) => spanContains(h, s.start)));
  }
  const seen = new Set<number>([def.span.start]);
  const uses = spans.filter((s) => !seen.has(s.start) && seen.add(s.start)).sort((x, y) => x.start - y.start);
  return { def, spans: [def.span, ...uses] };
}

export function definition(a: DocumentAnalysis, offset: number): Location | null {
  // `include "file.irq"`: the included file, resolved like the checker resolves it.
  const stmt = a.statementAt(offset);
  if (stmt?.kind === 'include' && spanContains(stmt.pathSpan, offset)) {
    return { uri: resolveIncludeUri(a.uri, stmt.path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  }
  const def = findDefinition(a.program, offset);
  return def ? { uri: a.uri, range: a.lines.spanRange(def.span) } : null;
}

export function references(a: DocumentAnalysis, offset: number, includeDeclaration: boolean): Location[] {
  const occ = occurrences(a, offset);
  if (!occ) return [];
  const spans = includeDeclaration ? occ.spans : occ.spans.slice(1);
  return spans.map((s) => ({ uri: a.uri, range: a.lines.spanRange(s) }));
}

export function prepareRename(a: DocumentAnalysis, offset: number): { range: Range; placeholder: string } | null {
  const occ = occurrences(a, offset);
  if (!occ) return null;
  const at = occ.spans.find((s) => s.start <= offset && offset <= s.end) ?? occ.def.span;
  return { range: a.lines.spanRange(at), placeholder: occ.def.name };
}

const RESERVED = new Set<string>([...KEYWORDS.map((k) => k.name), ...HCALL_NAMES, ...ERRNO_NAMES, ...Object.keys(HCALL_RETURNS)]);

export function renameProblem(newName: string): string | null {
  if (!/^[A-Za-z_]\w*$/.test(newName)) return `'${newName}' is not a name: use letters, digits and '_', not starting with a digit`;
  if (RESERVED.has(newName)) return `'${newName}' is a keyword or a reserved name of the language`;
  return null;
}

export function rename(a: DocumentAnalysis, offset: number, newName: string): WorkspaceEdit | { error: string } | null {
  const problem = renameProblem(newName);
  if (problem) return { error: problem };
  const occ = occurrences(a, offset);
  if (!occ) return null;
  const edits: TextEdit[] = occ.spans.map((s) => TextEdit.replace(a.lines.spanRange(s), newName));
  return { changes: { [a.uri]: edits } };
}
