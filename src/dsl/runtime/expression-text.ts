/**
 * A register expression typed by a user (debugger conditions, watches, the
 * console) evaluated on a scope: the value and one line to show. Shared by
 * every program the debugger steps (scenarios and traces).
 */
import { parseExpression } from '../index';
import { evaluateValue, EvaluationError, Scope } from './evaluate';
import { describeWord, hex } from './format';

export type ExpressionResult = { ok: true; value: bigint | boolean; display: string } | { ok: false; error: string };

export function evaluateExpressionText(text: string, scope: Scope): ExpressionResult {
  let parsed: ReturnType<typeof parseExpression>;
  try {
    parsed = parseExpression(text.trim());
  } catch (e) {
    return { ok: false, error: `internal error in the expression parser: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!parsed.expr) return { ok: false, error: parsed.diagnostics.map((d) => d.message).join('; ') || 'not an expression' };
  try {
    const v = evaluateValue(parsed.expr, scope);
    if (typeof v === 'boolean') return { ok: true, value: v, display: String(v) };
    if (typeof v === 'bigint') return { ok: true, value: v, display: v >= 0n && v < 10n ? String(v) : `${hex(v)} (${v})` };
    if (v.word === null) {
      return { ok: true, value: 0n, display: `${v.description} { ${Object.entries(v.fields).map(([k, x]) => `${k} ${hex(x)}`).join(', ')} }` };
    }
    return { ok: true, value: v.word, display: describeWord(v.layout, v.word) };
  } catch (e) {
    if (e instanceof EvaluationError) return { ok: false, error: e.message };
    return { ok: false, error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
