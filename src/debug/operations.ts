/**
 * Operation names of a statement, for function breakpoints: a breakpoint
 * named `H_EOI`, `esb`, `set source_config`, `tima` or `call route` stops
 * before any statement that performs that operation.
 */
import type { Program, Stmt } from '../dsl/ast';

export function operationNames(stmt: Stmt): string[] {
  switch (stmt.kind) {
    case 'set':
    case 'get':
      return [stmt.kind, `${stmt.kind} ${stmt.target}`, stmt.target];
    case 'set-eq':
      return ['set', 'set eq_config', 'eq_config'];
    case 'get-eq':
      return ['get', 'get eq_config', 'eq_config'];
    case 'set-reg':
      return ['set', `set ${stmt.reg}`, stmt.reg];
    case 'get-reg':
      return ['get', `get ${stmt.reg}`, stmt.reg];
    case 'esb':
      return ['esb', `esb ${stmt.op}`];
    case 'tima':
      return ['tima', `tima ${stmt.op}`, stmt.op];
    case 'hcall':
      return ['hcall', stmt.name.name];
    case 'rtas':
      return ['rtas', stmt.name.name];
    case 'line':
      return typeof stmt.action === 'string' ? ['line', `line ${stmt.action}`] : ['line'];
    case 'attr':
      return ['attr', `attr ${stmt.op}`];
    case 'vcpu':
      return ['vcpu', `vcpu ${stmt.action}`, stmt.action];
    case 'device':
      return ['device', `device ${stmt.device}`];
    case 'ctrl':
      return ['ctrl', `ctrl ${stmt.attr.name}`, stmt.attr.name];
    case 'sync':
      return ['sync', 'sync source'];
    case 'eq':
      return ['eq', 'eq scan'];
    case 'call':
      return ['call', `call ${stmt.name.name}`, stmt.name.name];
    default:
      return [stmt.kind];
  }
}

/** Lower case, single spaces: `Set  Source_Config` matches `set source_config`. */
export function normalizeOperationName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whether a function breakpoint named `wanted` stops before `stmt`. */
export function matchesOperation(stmt: Stmt, wanted: string): boolean {
  return namesMatch(operationNames(stmt), wanted);
}

/** Whether a function breakpoint named `wanted` stops before an operation with these names. */
export function namesMatch(names: readonly string[], wanted: string): boolean {
  const w = normalizeOperationName(wanted);
  return names.some((n) => normalizeOperationName(n) === w);
}

/** Statements of a program by start offset, nested bodies included (locations point at statements). */
export function statementsByOffset(program: Program): Map<number, Stmt> {
  const out = new Map<number, Stmt>();
  const walk = (list: readonly Stmt[]): void => {
    for (const s of list) {
      out.set(s.span.start, s);
      if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body);
    }
  };
  walk(program.statements);
  return out;
}
