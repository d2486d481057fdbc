/**
 * `irqlab run --verbose`: every statement with its result, then its
 * expectation's verdict, its log line and one `note:` line per silent effect
 * (the notes come from the model through OperationResult.notes; this only prints).
 */
import type { StepOutcome } from '../dsl/runtime';

/** The statement's own text (first line, trimmed to 100 characters), or '' when it cannot be read. */
function statementText(text: string | undefined, outcome: Extract<StepOutcome, { kind: 'executed' }>): string {
  if (text === undefined) return '';
  const span = outcome.stmt.span;
  const line = text.slice(span.start, Math.min(span.end, span.start + 400)).split('\n')[0].trim();
  return line.length > 100 ? line.slice(0, 99) + '…' : line;
}

/** Lines for one executed step: `file:line:col: STATEMENT => RESULT`, then `  note: …` lines. */
export function verboseStepLines(outcome: StepOutcome, readText: (uri: string) => string | undefined): string[] {
  if (outcome.kind !== 'executed') return [];
  const k = outcome.stmt.kind;
  if (k === 'scenario' || k === 'proc' || k === 'log') return [];
  const where = `${outcome.location.uri}:${outcome.location.line + 1}:${outcome.location.col + 1}`;
  const result = outcome.result.display.replace(/^-> /, '');
  const out = [`${where}: ${statementText(readText(outcome.location.uri), outcome)} => ${result}`];
  for (const n of outcome.result.notes ?? []) out.push(`  note: ${n}`);
  return out;
}
