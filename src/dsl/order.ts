/**
 * The order rules' view of one statement: whether it needs the interrupt
 * device, which vCPU it uses, and what a line that did not parse meant to do.
 * The checker applies them where a statement runs: top-level statements in
 * place, a proc body's at each call (see proc-effects.ts).
 */
import type { Expectation, Expr, Stmt } from './ast';

/** `-> EINVAL` or `-> H_P2`: the scenario tests the failure, so the order rules stay silent. */
export function expectsFailure(e: Expectation | null): boolean {
  return !!e && (e.kind === 'errno' || e.kind === 'hret');
}

/** Whether `s` talks to the interrupt device (so a `device` statement must come first). */
export function needsTheDevice(s: Stmt): boolean {
  switch (s.kind) {
    case 'vcpu': return s.action === 'connect';
    case 'ctrl': case 'set': case 'get': case 'set-eq': case 'get-eq': case 'set-reg': case 'get-reg': case 'sync':
    case 'esb': case 'tima': case 'eq': case 'hcall': case 'line': case 'rtas': case 'attr':
      return true;
    default: return false;
  }
}

/** The vCPU `s` uses, which must be connected first (a connect itself uses none). */
export function vcpuOperand(s: Stmt): Expr | null {
  switch (s.kind) {
    case 'vcpu': return s.action === 'connect' ? null : s.vcpu;
    case 'set-reg': case 'get-reg': case 'tima': case 'hcall': return s.vcpu;
    default: return null;
  }
}

/** How messages name a statement. */
export function statementLabel(s: Stmt): string {
  switch (s.kind) {
    case 'vcpu': return `'vcpu ${s.action}'`;
    case 'set': return `'set ${s.target}'`;
    case 'get': return `'get ${s.target}'`;
    case 'set-eq': return "'set eq_config'";
    case 'get-eq': return "'get eq_config'";
    case 'set-reg': return `'set ${s.reg}'`;
    case 'get-reg': return `'get ${s.reg}'`;
    case 'sync': return "'sync source'";
    case 'hcall': return `'hcall ${s.name.name}'`;
    case 'rtas': return `'rtas ${s.name.name}'`;
    case 'ctrl': return `'ctrl ${s.attr.name}'`;
    case 'attr': return `'attr ${s.op}'`;
    default: return `'${s.kind}'`;
  }
}

/** What a broken `device` or `vcpu` line meant to do, assumed done so it costs one diagnostic, not one per later line. */
export type BrokenLineEffect =
  | { readonly kind: 'device' }
  | { readonly kind: 'connect'; readonly vcpu: bigint }
  /** A vCPU line whose number cannot be read: later uses of any vCPU are not reported. */
  | { readonly kind: 'any-vcpu' };

export function brokenLineEffect(s: Stmt, text: string): BrokenLineEffect | null {
  if (s.kind !== 'error' || (s.keyword.name !== 'device' && s.keyword.name !== 'vcpu')) return null;
  const line = text.slice(s.span.start, Math.min(s.span.end, s.span.start + 200));
  if (s.keyword.name === 'device') return /^device\s+release\b/.test(line) ? null : { kind: 'device' };
  const m = /^vcpu\s+(0x[0-9a-fA-F_]+|0b[01_]+|[0-9_]+)\b/.exec(line);
  if (!m) return { kind: 'any-vcpu' };
  return /\bconnect\b/.test(line) ? { kind: 'connect', vcpu: BigInt(m[1].replace(/_/g, '')) } : null;
}
