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

function pushWordValue(v: WordValue | null, out: Expr[]): void {
  if (!v) return;
  if (v.kind === 'expr') out.push(v.expr);
  else if (v.kind === 'fields') pushFields(v, out);
}
function pushFields(b: FieldBlock, out: Expr[]): void {
  for (const f of b.fields) if (f.value) out.push(f.value);
}
function pushExpectation(e: Expectation | null, out: Expr[]): void {
  if (!e) return;
  if (e.kind === 'value') out.push(e.expr);
  else if (e.kind === 'fields') pushFields(e.block, out);
  else if (e.kind === 'entries') out.push(...e.items);
}

/** The expressions a statement evaluates itself (not those of a proc/repeat body), in source order. */
export function statementExprs(s: Stmt): Expr[] {
  const out: Expr[] = [];
  switch (s.kind) {
    case 'let': out.push(s.value); break;
    case 'ctrl': if (s.value) out.push(s.value); break;
    case 'vcpu': out.push(s.vcpu); for (const o of s.options) out.push(o.value); break;
    case 'set': out.push(s.irq); pushWordValue(s.value, out); break;
    case 'get': case 'sync': out.push(s.irq); break;
    case 'set-eq': case 'get-eq': case 'eq':
      if (s.eq.kind === 'id') out.push(s.eq.id); else out.push(s.eq.server, s.eq.priority);
      if (s.kind === 'set-eq') pushWordValue(s.value, out);
      break;
    case 'set-reg': out.push(s.vcpu); pushWordValue(s.value, out); break;
    case 'get-reg': out.push(s.vcpu); break;
    case 'esb': out.push(s.irq, s.offset); if (s.value) out.push(s.value); break;
    case 'tima': out.push(s.vcpu, s.offset); if (s.value) out.push(s.value); break;
    case 'hcall': out.push(s.vcpu); for (const a of s.args) out.push(a.value); break;
    case 'line': out.push(s.irq); if (typeof s.action !== 'string') out.push(s.action); break;
    case 'rtas': out.push(...s.args); break;
    case 'attr': out.push(s.group, s.attr); pushWordValue(s.value, out); break;
    case 'call': out.push(...s.args); break;
    case 'repeat': out.push(s.count); break;
    case 'log': for (const p of s.parts) if (p.kind === 'expr') out.push(p.expr); break;
    default: break;
  }
  pushExpectation(s.expect, out);
  return out;
}

/** Every `name` expression inside `e` (callees of `icp(0)`-style calls and members are not names). */
export function namesIn(e: Expr, out: Extract<Expr, { kind: 'name' }>[] = []): Extract<Expr, { kind: 'name' }>[] {
  switch (e.kind) {
    case 'name': out.push(e); break;
    case 'unary': namesIn(e.operand, out); break;
    case 'binary': namesIn(e.left, out); namesIn(e.right, out); break;
    case 'call': for (const a of e.args) namesIn(a, out); break;
    case 'member': namesIn(e.object, out); break;
    default: break;
  }
  return out;
}
