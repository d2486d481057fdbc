/** Traversals of the syntax tree shared by the checker, word sites, navigation and the formatter. */
import type { Expectation, Expr, FieldBlock, Stmt, WordValue } from './ast';

/** Calls `fn` on every statement, depth first, bodies of proc/repeat included; `parents` is the enclosing chain. */
export function forEachStatement(stmts: readonly Stmt[], fn: (s: Stmt, parents: readonly Stmt[]) => void, parents: Stmt[] = []): void {
  for (const s of stmts) {
    fn(s, parents);
    if (s.kind === 'proc' || s.kind === 'repeat') {
      parents.push(s);
      forEachStatement(s.body, fn, parents);
      parents.pop();
    }
  }
}

function wordValueExprs(v: WordValue | null, fn: (e: Expr) => void): void {
  if (!v) return;
  if (v.kind === 'expr') fn(v.expr);
  else if (v.kind === 'fields') fieldExprs(v, fn);
}
function fieldExprs(b: FieldBlock, fn: (e: Expr) => void): void {
  for (const f of b.fields) if (f.value) fn(f.value);
}
function expectationExprs(e: Expectation | null, fn: (e: Expr) => void): void {
  if (!e) return;
  if (e.kind === 'value') fn(e.expr);
  else if (e.kind === 'fields') fieldExprs(e.block, fn);
  else if (e.kind === 'entries') for (const item of e.items) fn(item);
}

/**
 * Calls `fn` on each expression a statement evaluates itself (not those of a
 * proc/repeat body), in source order; `statementExprs` without the array, for
 * walks over every statement of a file.
 */
export function forEachStatementExpr(s: Stmt, fn: (e: Expr) => void): void {
  switch (s.kind) {
    case 'let': fn(s.value); break;
    case 'ctrl': if (s.value) fn(s.value); break;
    case 'vcpu': fn(s.vcpu); for (const o of s.options) fn(o.value); break;
    case 'set': fn(s.irq); wordValueExprs(s.value, fn); break;
    case 'get': case 'sync': fn(s.irq); break;
    case 'set-eq': case 'get-eq': case 'eq':
      if (s.eq.kind === 'id') fn(s.eq.id); else { fn(s.eq.server); fn(s.eq.priority); }
      if (s.kind === 'set-eq') wordValueExprs(s.value, fn);
      break;
    case 'set-reg': fn(s.vcpu); wordValueExprs(s.value, fn); break;
    case 'get-reg': fn(s.vcpu); break;
    case 'esb': fn(s.irq); fn(s.offset); if (s.value) fn(s.value); break;
    case 'tima': fn(s.vcpu); fn(s.offset); if (s.value) fn(s.value); break;
    case 'hcall': fn(s.vcpu); for (const a of s.args) fn(a.value); break;
    case 'line': fn(s.irq); if (typeof s.action !== 'string') fn(s.action); break;
    case 'rtas': for (const a of s.args) fn(a); break;
    case 'attr': fn(s.group); fn(s.attr); wordValueExprs(s.value, fn); break;
    case 'call': for (const a of s.args) fn(a); break;
    case 'repeat': fn(s.count); break;
    case 'log': for (const p of s.parts) if (p.kind === 'expr') fn(p.expr); break;
    default: break;
  }
  expectationExprs(s.expect, fn);
}

/** The expressions a statement evaluates itself (not those of a proc/repeat body), in source order. */
export function statementExprs(s: Stmt): Expr[] {
  const out: Expr[] = [];
  forEachStatementExpr(s, (e) => { out.push(e); });
  return out;
}

/** Calls `fn` on every `name` expression inside `e`, left to right (callees of `icp(0)`-style calls and members are not names). */
export function forEachName(e: Expr, fn: (name: Extract<Expr, { kind: 'name' }>) => void): void {
  switch (e.kind) {
    case 'name': fn(e); break;
    case 'unary': forEachName(e.operand, fn); break;
    case 'binary': forEachName(e.left, fn); forEachName(e.right, fn); break;
    case 'call': for (const a of e.args) forEachName(a, fn); break;
    case 'member': forEachName(e.object, fn); break;
    default: break;
  }
}

/** Every `name` expression inside `e` (callees of `icp(0)`-style calls and members are not names). */
export function namesIn(e: Expr, out: Extract<Expr, { kind: 'name' }>[] = []): Extract<Expr, { kind: 'name' }>[] {
  forEachName(e, (n) => { out.push(n); });
  return out;
}
