/**
 * Signature help for `hcall vcpu N H_NAME a, b, ...` (argument names from the
 * model's hcall table) and `call proc(a, b)` (the proc's parameters). The
 * active parameter is the named argument being typed, else the comma count.
 */
import { SignatureHelp, SignatureInformation } from 'vscode-languageserver';
import { HCALLS, isHcallName } from '../model/hcalls';
import { DocumentAnalysis } from './documents';

const MAX_CONTEXT_LINE = 4096;

function commasOutsideParens(s: string): number {
  let depth = 0;
  let commas = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) commas++;
  }
  return commas;
}

function signature(label: string, params: readonly string[], doc: string): SignatureInformation {
  return { label: `${label}(${params.join(', ')})`, documentation: doc, parameters: params.map((p) => ({ label: p })) };
}

export function signatureHelp(a: DocumentAnalysis, offset: number): SignatureHelp | null {
  const line = a.lines.lineOf(offset);
  const lineStart = a.lines.starts[line];
  if (offset - lineStart > MAX_CONTEXT_LINE) return null;
  const prefix = a.text.slice(lineStart, offset);
  if (prefix.includes('#') || prefix.includes('->')) return null;

  const hcall = /^\s*hcall\s+vcpu\s+\S+\s+(H_\w+)(\s.*)?$/.exec(prefix);
  if (hcall && isHcallName(hcall[1]) && hcall[2] !== undefined) {
    const def = HCALLS[hcall[1]];
    if (def.args.length === 0) return null;
    const args = hcall[2];
    const current = args.slice(args.lastIndexOf(',') + 1);
    const named = /^\s*([A-Za-z_]\w*)\s/.exec(current);
    const namedIndex = named ? def.args.indexOf(named[1] as never) : -1;
    const active = namedIndex >= 0 ? namedIndex : Math.min(commasOutsideParens(args), def.args.length - 1);
    return {
      signatures: [signature(hcall[1], def.args, def.summary)],
      activeSignature: 0,
      activeParameter: active,
    };
  }

  const call = /^\s*call\s+([A-Za-z_]\w*)\s*\((.*)$/.exec(prefix);
  if (call && !call[2].includes(')')) {
    const proc = a.procs.get(call[1]);
    if (!proc) return null;
    const params = proc.params.map((p) => p.name);
    return {
      signatures: [signature(call[1], params, `proc ${call[1]}, line ${proc.span.line + 1}`)],
      activeSignature: 0,
      activeParameter: Math.min(commasOutsideParens(call[2]), Math.max(0, params.length - 1)),
    };
  }
  return null;
}
