/** The checker's diagnostics as LSP diagnostics (the quick fix travels in `data`). */
import { Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { Diagnostic, Severity } from '../dsl';
import { LineTable } from './positions';

/** Where diagnostics are placed from: a full analysis or an incremental diagnostics view. */
interface Placed {
  readonly lines: LineTable;
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** LSP clients choke on huge publishes; beyond this many the rest is summarised. */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

export function toLspDiagnostic(analysis: Placed, d: Diagnostic): LspDiagnostic {
  return {
    range: analysis.lines.spanRange(d.span),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'irqlab',
    message: d.message,
    ...(d.fix ? { data: { fix: d.fix } } : {}),
  };
}

export function lspDiagnostics(analysis: Placed & { readonly diagnostics: readonly Diagnostic[] }): LspDiagnostic[] {
  const all = analysis.diagnostics;
  const shown = all.slice(0, MAX_PUBLISHED_DIAGNOSTICS).map((d) => toLspDiagnostic(analysis, d));
  if (all.length > MAX_PUBLISHED_DIAGNOSTICS) {
    const last = all[MAX_PUBLISHED_DIAGNOSTICS];
    shown.push({
      range: analysis.lines.spanRange(last.span),
      severity: DiagnosticSeverity.Information,
      code: 'too-many-diagnostics',
      source: 'irqlab',
      message: `${all.length - MAX_PUBLISHED_DIAGNOSTICS} more diagnostics not shown (fix the ones above first)`,
    });
  }
  return shown;
}
