/** Text form of a parse result for golden files: spans as `line:col-line:col` (1-based), bigints as decimal+hex. */
import type { Diagnostic, Program, Span } from '../../src/dsl';

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && 'start' in v && 'end' in v && 'line' in v && 'col' in v && Object.keys(v).length === 4;
}

export function spanText(program: Program, s: Span): string {
  // The end position is derived from the offset so multi-line nodes show where they end.
  let endLine = s.line;
  while (endLine + 1 < program.lineStarts.length && program.lineStarts[endLine + 1] <= s.end) endLine++;
  return `${s.line + 1}:${s.col + 1}-${endLine + 1}:${s.end - program.lineStarts[endLine] + 1}`;
}

export function diagnosticText(program: Program, d: Diagnostic): string {
  const fix = d.fix ? ` [fix: ${d.fix.title}]` : '';
  return `${spanText(program, d.span)} ${d.severity} ${d.code}: ${d.message}${fix}`;
}

export function serializeProgram(program: Program): string {
  const json = JSON.stringify(
    program.statements,
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return value > 0xffffn ? `${value}n (0x${value.toString(16)})` : `${value}n`;
      if (isSpan(value)) return spanText(program, value);
      return value;
    },
    1,
  );
  const lines = [
    `statements: ${program.statements.length}`,
    json,
    `comments: ${program.comments.length}`,
    ...program.comments.map((c) => `  ${spanText(program, c.span)} ${JSON.stringify(c.text)}`),
    `diagnostics: ${program.diagnostics.length}`,
    ...program.diagnostics.map((d) => '  ' + diagnosticText(program, d)),
  ];
  return lines.join('\n') + '\n';
}
