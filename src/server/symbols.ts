/** Document outline: the scenario, procs (with their nested lets and repeats), lets, devices, repeats. */
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { Stmt } from '../dsl';
import { DocumentAnalysis } from './documents';

function symbolsOf(a: DocumentAnalysis, list: readonly Stmt[]): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of list) {
    const range = a.lines.spanRange(s.span);
    switch (s.kind) {
      case 'scenario':
        out.push({ name: s.title || 'scenario', detail: 'scenario', kind: SymbolKind.Module, range, selectionRange: a.lines.spanRange(s.keyword.span) });
        break;
      case 'let':
        out.push({ name: s.name.name, detail: constantDetail(a, s.name.name), kind: SymbolKind.Constant, range, selectionRange: a.lines.spanRange(s.name.span) });
        break;
      case 'device':
        out.push({ name: `device ${s.device}`, kind: SymbolKind.Object, range, selectionRange: a.lines.spanRange(s.deviceSpan) });
        break;
      case 'proc':
        out.push({
          name: s.name.name,
          detail: `(${s.params.map((p) => p.name).join(', ')})`,
          kind: SymbolKind.Function,
          range,
          selectionRange: a.lines.spanRange(s.name.span),
          children: symbolsOf(a, s.body),
        });
        break;
      case 'repeat':
        out.push({
          name: `repeat ${a.text.slice(s.count.span.start, s.count.span.end)}${s.variable ? ` ${s.variable.name}` : ''}`,
          kind: SymbolKind.Namespace,
          range,
          selectionRange: a.lines.spanRange(s.keyword.span),
          children: symbolsOf(a, s.body),
        });
        break;
      default:
        break;
    }
  }
  return out;
}

function constantDetail(a: DocumentAnalysis, name: string): string | undefined {
  const v = a.env.get(name);
  return v === undefined ? undefined : `0x${v.toString(16)}`;
}

export function documentSymbols(a: DocumentAnalysis): DocumentSymbol[] {
  return symbolsOf(a, a.program.statements);
}
