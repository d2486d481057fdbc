/**
 * Line breakpoints of one session: verification against the lines that hold
 * statements (a breakpoint on a blank or comment line moves to the next
 * statement), conditions, hit conditions and logpoints. Evaluation is passed
 * in, so this file knows neither DAP nor the runtime.
 */

export interface LineBreakpointRequest {
  /** 0-based line the user clicked. */
  readonly line: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

export interface LineBreakpoint extends LineBreakpointRequest {
  readonly id: number;
  readonly verified: boolean;
  /** 0-based line the breakpoint sits on after verification. */
  readonly actualLine: number;
  readonly message?: string;
  hits: number;
}

export type HitCheck = { readonly ok: true; readonly test: (hits: number) => boolean } | { readonly ok: false; readonly error: string };

/** `5` / `==5` (exactly the 5th), `>=5`, `>5`, `<5`, `<=5`, `%3` (every 3rd). */
export function parseHitCondition(text: string): HitCheck {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, error: `hit condition '${text}' is not N, ==N, >=N, >N, <N, <=N or %N` };
  const n = Number(m[2]);
  switch (m[1] ?? '==') {
    case '==': return { ok: true, test: (h) => h === n };
    case '>=': return { ok: true, test: (h) => h >= n };
    case '>': return { ok: true, test: (h) => h > n };
    case '<': return { ok: true, test: (h) => h < n };
    case '<=': return { ok: true, test: (h) => h <= n };
    default: return n === 0 ? { ok: false, error: 'hit condition %0 divides by zero' } : { ok: true, test: (h) => h % n === 0 };
  }
}

/** What to do when execution reaches a breakpoint's line. */
export type BreakpointDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'stop'; readonly breakpoint: LineBreakpoint; readonly description?: string }
  | { readonly kind: 'log'; readonly text: string };

export type Evaluate = (expression: string) => { ok: true; value: bigint | boolean; display: string } | { ok: false; error: string };

export class LineBreakpoints {
  private nextId = 1;
  private readonly byUri = new Map<string, Map<number, LineBreakpoint>>();

  /** Replaces the breakpoints of one file. `statementLines` are the 0-based lines that hold statements. */
  set(uri: string, requests: readonly LineBreakpointRequest[], statementLines: readonly number[]): LineBreakpoint[] {
    const lines = [...statementLines].sort((a, b) => a - b);
    const map = new Map<number, LineBreakpoint>();
    const out: LineBreakpoint[] = [];
    for (const r of requests) {
      const actual = lines.find((l) => l >= r.line);
      const hit = r.hitCondition ? parseHitCondition(r.hitCondition) : null;
      let message: string | undefined;
      if (actual === undefined) message = lines.length ? 'no statement on or after this line' : 'this file has no statements (yet)';
      else if (hit && !hit.ok) message = hit.error;
      const bp: LineBreakpoint = { ...r, id: this.nextId++, verified: message === undefined, actualLine: actual ?? r.line, message, hits: 0 };
      out.push(bp);
      // Two requests that move to the same statement share it: the first one wins.
      if (bp.verified && !map.has(bp.actualLine)) map.set(bp.actualLine, bp);
    }
    this.byUri.set(uri, map);
    return out;
  }

  isEmpty(): boolean {
    for (const m of this.byUri.values()) if (m.size > 0) return false;
    return true;
  }

  /** The lines of `uri` holding a verified breakpoint (for searching backwards). */
  lines(uri: string): { has(line: number): boolean; keys(): Iterable<number> } | undefined {
    return this.byUri.get(uri);
  }

  at(uri: string, line: number): LineBreakpoint | undefined {
    return this.byUri.get(uri)?.get(line);
  }

  /** Every file that has breakpoints, with the requests as the user made them (to re-verify after a restart). */
  files(): [string, LineBreakpointRequest[]][] {
    return [...this.byUri.entries()].map(([uri, m]) => [uri, [...m.values()].map(({ line, condition, hitCondition, logMessage }) => ({ line, condition, hitCondition, logMessage }))]);
  }

  resetHits(): void {
    for (const m of this.byUri.values()) for (const bp of m.values()) bp.hits = 0;
  }

  /**
   * Reaching a breakpoint: a condition that errs stops (and says why), a false
   * one passes; hits count only when the condition holds; logpoints log.
   */
  reach(uri: string, line: number, evaluate: Evaluate, countHits = true): BreakpointDecision {
    const bp = this.at(uri, line);
    if (!bp) return { kind: 'none' };
    if (bp.condition && bp.condition.trim() !== '') {
      const r = evaluate(bp.condition);
      if (!r.ok) return { kind: 'stop', breakpoint: bp, description: `breakpoint condition '${bp.condition}' failed: ${r.error}` };
      if (!truthy(r.value)) return { kind: 'none' };
    }
    if (countHits) bp.hits++;
    if (bp.hitCondition) {
      const hit = parseHitCondition(bp.hitCondition);
      if (hit.ok && !hit.test(bp.hits)) return { kind: 'none' };
    }
    if (bp.logMessage !== undefined) return { kind: 'log', text: interpolate(bp.logMessage, evaluate) };
    return { kind: 'stop', breakpoint: bp };
  }
}

export function truthy(v: bigint | boolean): boolean {
  return typeof v === 'boolean' ? v : v !== 0n;
}

/** `{expr}` in a logpoint message → its value; `{{` and `}}` are literal braces. */
export function interpolate(message: string, evaluate: Evaluate): string {
  return message.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, expr: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const r = evaluate((expr ?? '').trim());
    return r.ok ? r.display : `<${r.error}>`;
  });
}
