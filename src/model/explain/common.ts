/** Small helpers shared by the XIVE and XICS explanations. */
import type { ExplainLink, FactValue, LinkKind, RouteStatus, Verdict } from './types';

export function hex(n: number, digits = 0): string {
  return '0x' + (n >>> 0).toString(16).padStart(digits, '0');
}

/** PQ in XIVE encoding (P = 2, Q = 1) as the two-bit text the ESB loads return. */
export function pqName(pq: number): string {
  return ['00', '01', '10', '11'][pq & 3];
}

export function link(kind: LinkKind, title: string, state: Record<string, FactValue>, verdict: Verdict, rule: string | null, reason: string, short: string): ExplainLink {
  return { link: kind, title, state, verdict, rule, reason, short };
}

/** The one-line summary of a source: "blocked: EQ 1/6 not configured", "pending at vCPU 1", "ready → vCPU 1". */
export function sourceSummary(status: RouteStatus, stop: ExplainLink | null, vcpu: number | null): string {
  if (status === 'blocked' && stop) return `blocked: ${stop.short}`;
  if (status === 'pending') return `pending at vCPU ${vcpu ?? '?'}`;
  return vcpu === null ? 'ready' : `ready: next trigger reaches vCPU ${vcpu}`;
}
