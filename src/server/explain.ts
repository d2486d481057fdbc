/**
 * "Explain at this line": a code action on a source or vCPU number offers to
 * run the scenario to that line and explain the route there; the request runs
 * it (only when asked: nothing runs on hover or while typing, so large files
 * cost nothing until the user picks the action).
 */
import { CodeAction, Range } from 'vscode-languageserver';
import { evaluateConstant } from '../dsl';
import type { Expr, Stmt } from '../dsl/ast';
import { DEFAULT_MAX_STEPS, ScenarioRuntime } from '../dsl/runtime';
import { explainTarget, ExplainTarget, runToLine, scenarioHistory } from '../dsl/runtime/explain-at';
import { renderExplanation } from '../model/explain';
import { EXPLAIN_AT_LINE_COMMAND, ExplainAtLineParams, ExplainAtLineResult } from '../protocol';
import { DocumentAnalysis, DocumentStore, resolveIncludeUri } from './documents';

/** Kind of the code action (under Refactor in VS Code's menus; the lightbulb shows it too). */
export const EXPLAIN_ACTION_KIND = 'refactor.inspect.irq.explain';

const hex = (n: number): string => '0x' + n.toString(16);

/** The source or vCPU number expression of a statement, with what it names. */
function numberedOperand(s: Stmt): { expr: Expr; kind: 'source' | 'vcpu' } | null {
  switch (s.kind) {
    case 'set': case 'get': case 'sync': case 'esb': case 'line':
      return { expr: s.irq, kind: 'source' };
    case 'vcpu': case 'tima': case 'hcall': case 'set-reg': case 'get-reg':
      return { expr: s.vcpu, kind: 'vcpu' };
    default:
      return null;
  }
}

/** What to explain at the cursor: the constant source or vCPU number it sits on. */
export function explainTargetAt(a: DocumentAnalysis, start: number, end: number): { target: ExplainTarget; stmt: Stmt } | null {
  const stmt = a.statementAt(start);
  if (!stmt) return null;
  const operand = numberedOperand(stmt);
  if (!operand || operand.expr.span.start > end || start > operand.expr.span.end) return null;
  const value = evaluateConstant(operand.expr, a.env);
  if (value === null || value < 0n || value > 0xffffffffn) return null;
  const n = Number(value);
  return { target: operand.kind === 'source' ? { kind: 'source', irq: n } : { kind: 'vcpu', vcpu: n }, stmt };
}

export function explainActions(a: DocumentAnalysis, range: Range, only: readonly string[] | undefined): CodeAction[] {
  if (only && !only.some((k) => EXPLAIN_ACTION_KIND === k || EXPLAIN_ACTION_KIND.startsWith(`${k}.`))) return [];
  const start = a.lines.offsetAt(range.start);
  const found = explainTargetAt(a, start, a.lines.offsetAt(range.end));
  if (!found) return [];
  const line = range.start.line;
  const what = found.target.kind === 'source' ? `source ${hex(found.target.irq)}` : found.target.kind === 'vcpu' ? `vCPU ${found.target.vcpu}` : 'entry';
  const params: ExplainAtLineParams = { uri: a.uri, line, target: found.target };
  const title = `Explain ${what} at this line`;
  return [{ title, kind: EXPLAIN_ACTION_KIND, command: { title, command: EXPLAIN_AT_LINE_COMMAND, arguments: [params] } }];
}

function isTarget(t: unknown): t is ExplainTarget {
  if (typeof t !== 'object' || t === null) return false;
  const o = t as Record<string, unknown>;
  const n = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
  if (o.kind === 'source') return n(o.irq);
  if (o.kind === 'vcpu') return n(o.vcpu);
  if (o.kind === 'entry') return n(o.server) && n(o.priority) && n(o.index);
  return false;
}

/** Runs the open document to the line and explains the target there. Errors are values. */
export function explainAtLine(store: DocumentStore, params: ExplainAtLineParams, maxSteps = DEFAULT_MAX_STEPS): ExplainAtLineResult {
  if (typeof params?.uri !== 'string' || !Number.isInteger(params.line) || params.line < 0 || !isTarget(params.target)) {
    return { ok: false, message: 'explainAtLine needs { uri, line (0-based), target: { kind: "source", irq } | { kind: "vcpu", vcpu } | { kind: "entry", server, priority, index } }' };
  }
  const doc = store.documents.get(params.uri);
  if (!doc) return { ok: false, message: `${params.uri} is not open` };
  if (params.line >= doc.lineCount) return { ok: false, message: `line ${params.line + 1} is past the end of the document (${doc.lineCount} lines)` };
  const { runtime, diagnostics } = ScenarioRuntime.create(params.uri, doc.getText(), {
    readFile: (u) => store.readInclude(u), resolveInclude: resolveIncludeUri, maxSteps,
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, message: `the scenario has errors; fix them first (line ${errors[0].span.line + 1}: ${errors[0].message})` };
  runToLine(runtime, params.line);
  const r = explainTarget(scenarioHistory(runtime), params.target);
  if (!r.ok) return { ok: false, message: r.error };
  const limit = runtime.stepLimitHit ? ` (stopped at the step limit, ${maxSteps} statements)` : '';
  return {
    ok: true, line: params.line + 1, step: runtime.stepCount, summary: r.value.summary,
    text: `after line ${params.line + 1} (step ${runtime.stepCount})${limit}\n${renderExplanation(r.value)}`,
    explanation: r.value,
  };
}
