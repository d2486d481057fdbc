/**
 * What running a proc does to the order rules: the statements in its body
 * that need the device or a connected vCPU, and the devices, connects and
 * nested calls it makes, in body order. A body runs when it is called, so the
 * checker replays these at each top-level call against the state there (the
 * proc may be defined later in the file, or in another slice: these
 * summaries travel with the whole-file facts).
 */
import type { Expr, Stmt } from './ast';
import { ConstEnv, evaluateConstant } from './constants';
import { brokenLineEffect, expectsFailure, needsTheDevice, statementLabel, vcpuOperand } from './order';
import { namesIn } from './walk';

export type ProcEffect =
  /** `line`: the statement's line (0-based, in the text the proc was parsed from until the facts rebase it). */
  | { readonly kind: 'needs-device'; readonly what: string; readonly line: number }
  /** Only uses whose vCPU does not depend on names the body binds itself (those are unknown before it runs). */
  | { readonly kind: 'uses-vcpu'; readonly what: string; readonly line: number; readonly vcpu: Expr }
  | { readonly kind: 'device'; readonly created: boolean }
  /** `vcpu`: null when it depends on names the body binds itself. */
  | { readonly kind: 'connect'; readonly vcpu: Expr | bigint | null }
  | { readonly kind: 'any-vcpu' }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly (Expr | null)[] };

export interface ProcSummary {
  readonly params: readonly string[];
  readonly effects: readonly ProcEffect[];
}

/** The summary of `proc`'s body; `text` is the text its spans index. */
export function summarizeProc(proc: Extract<Stmt, { kind: 'proc' }>, text: string): ProcSummary {
  const locals = new Set<string>();
  collectLocals(proc.body, locals);
  const known = (e: Expr): Expr | null => (namesIn(e).some((n) => locals.has(n.name)) ? null : e);
  const effects: ProcEffect[] = [];
  const walk = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      const broken = brokenLineEffect(s, text);
      if (broken) effects.push(broken.kind === 'device' ? { kind: 'device', created: true } : broken);
      if (s.kind === 'device') effects.push({ kind: 'device', created: s.device !== 'release' });
      else if (s.kind === 'call') effects.push({ kind: 'call', name: s.name.name, args: s.args.map(known) });
      else if (s.kind === 'repeat') walk(s.body);
      if (expectsFailure(s.expect)) continue;
      if (needsTheDevice(s)) effects.push({ kind: 'needs-device', what: statementLabel(s), line: s.span.line });
      const vcpu = vcpuOperand(s);
      if (vcpu) {
        const v = known(vcpu);
        if (v) effects.push({ kind: 'uses-vcpu', what: statementLabel(s), line: s.span.line, vcpu: v });
      }
      if (s.kind === 'vcpu' && s.action === 'connect') effects.push({ kind: 'connect', vcpu: known(s.vcpu) });
    }
  };
  walk(proc.body);
  return { params: proc.params.map((p) => p.name), effects };
}

/** Names a body binds itself (lets, loop variables): their values are unknown before it runs. */
function collectLocals(stmts: readonly Stmt[], out: Set<string>): void {
  for (const s of stmts) {
    if (s.kind === 'let') out.add(s.name.name);
    else if (s.kind === 'repeat') {
      if (s.variable) out.add(s.variable.name);
      collectLocals(s.body, out);
    }
  }
}

/** The summary with its lines moved down by `lineBase` (a slice's lines to file lines). */
export function rebaseSummary(summary: ProcSummary, lineBase: number): ProcSummary {
  if (lineBase === 0) return summary;
  const effects = summary.effects.map((e) => (e.kind === 'needs-device' || e.kind === 'uses-vcpu' ? { ...e, line: e.line + lineBase } : e));
  return { params: summary.params, effects };
}

/**
 * The constants a body sees when called with `args` (evaluated in `argEnv`,
 * the caller's): the file's constants, each parameter shadowing them with its
 * argument's value when that is a constant (else unknown).
 */
export function bindParams(summary: ProcSummary, args: readonly (Expr | null)[], argEnv: ConstEnv, fileEnv: ConstEnv): ConstEnv {
  if (summary.params.length === 0) return fileEnv;
  const env = new Map(fileEnv);
  summary.params.forEach((name, i) => {
    const arg = args[i];
    const v = arg ? evaluateConstant(arg, argEnv) : null;
    if (v === null) env.delete(name);
    else env.set(name, v);
  });
  return env;
}

/** A text that changes exactly when the summary does (`text` is what its expressions' spans index). */
export function summaryKey(summary: ProcSummary, text: string): string {
  const expr = (e: Expr | bigint | null): string => (e === null ? '?' : typeof e === 'bigint' ? `${e}n` : text.slice(e.span.start, e.span.end));
  const parts: string[] = [summary.params.join(',')];
  for (const e of summary.effects) {
    switch (e.kind) {
      case 'needs-device': parts.push(`d${e.what}@${e.line}`); break;
      case 'uses-vcpu': parts.push(`u${e.what}@${e.line}=${expr(e.vcpu)}`); break;
      case 'device': parts.push(e.created ? '+' : '-'); break;
      case 'connect': parts.push(`c${expr(e.vcpu)}`); break;
      case 'any-vcpu': parts.push('*'); break;
      case 'call': parts.push(`${e.name}(${e.args.map(expr).join(',')})`); break;
    }
  }
  return parts.join(';');
}
