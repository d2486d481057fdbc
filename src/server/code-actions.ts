/**
 * Code actions: convert a raw word to its field block and a field block back
 * to the word (both through the layout table), and quick fixes carried by the
 * checker's diagnostics (`Diagnostic.fix`).
 */
import { CodeAction, CodeActionKind, Diagnostic as LspDiagnostic, Range, TextEdit } from 'vscode-languageserver';
import { encodeFieldBlock, FieldBlock, Stmt, WordSite } from '../dsl';
import { decodeWord } from '../model/layouts/codec';
import { hexWord } from '../model/layouts/render';
import { LAYOUTS, LayoutName } from '../model/layouts/table';
import { toLspDiagnostic } from './diagnostics';
import { DocumentAnalysis } from './documents';

export const CONVERT_TO_FIELDS = 'refactor.rewrite.irq.toFields';
export const CONVERT_TO_WORD = 'refactor.rewrite.irq.toWord';

/** `0x0000_0026_0000_000e` style: 16 hex digits in groups of four (8 for 32-bit layouts). */
export function groupedHex(word: bigint, width: 32 | 64): string {
  const digits = hexWord(word, width).slice(2);
  return '0x' + (digits.match(/.{1,4}/g) ?? [digits]).join('_');
}

/**
 * The field block for a word. A set only needs its non-zero fields (unnamed
 * fields encode as 0); an expectation block compares only the fields it names,
 * so it lists every field to keep the same meaning.
 */
export function fieldBlockText(layout: LayoutName, word: bigint, allFields: boolean): string {
  const parts: string[] = [];
  for (const d of decodeWord(layout, word).fields) {
    if (!allFields && d.value === 0) continue;
    if (d.field.width === 1) parts.push(d.value ? d.field.name : `${d.field.name} 0`);
    else parts.push(`${d.field.name} ${d.field.summary === 'dec' ? String(d.value) : '0x' + d.value.toString(16)}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{ }';
}

function setValueBlock(stmt: Stmt | null): FieldBlock | null {
  if (!stmt) return null;
  if ((stmt.kind === 'set' || stmt.kind === 'set-reg' || stmt.kind === 'attr') && stmt.value?.kind === 'fields') return stmt.value;
  return null;
}

function overlaps(a: { start: number; end: number }, start: number, end: number): boolean {
  return a.start <= end && start <= a.end;
}

function convertActions(a: DocumentAnalysis, start: number, end: number): CodeAction[] {
  const site: WordSite | null = a.siteAt(start) ?? a.sitesIn(start, end + 1)[0] ?? null;
  if (!site || !overlaps(site.span, start, end)) return [];
  const range = a.lines.spanRange(site.span);
  if ((site.source === 'literal' || site.source === 'expectation') && site.value !== null) {
    const block = fieldBlockText(site.layout, site.value, site.source === 'expectation');
    return [{
      title: `Convert to field block (${site.layout})`,
      kind: CONVERT_TO_FIELDS,
      edit: { changes: { [a.uri]: [TextEdit.replace(range, block)] } },
    }];
  }
  if (site.source === 'fields') {
    const stmt = a.statementAt(site.span.start);
    const block = setValueBlock(stmt);
    if (!block || block.span.start !== site.span.start) return [];
    const encoded = encodeFieldBlock(site.layout, block, a.env);
    if (!encoded.ok) {
      return [{ title: `Convert to word: ${encoded.message}`, kind: CONVERT_TO_WORD, disabled: { reason: encoded.message } }];
    }
    return [{
      title: `Convert to word ${groupedHex(encoded.word, LAYOUTS[site.layout].width)} (${site.layout})`,
      kind: CONVERT_TO_WORD,
      edit: { changes: { [a.uri]: [TextEdit.replace(range, groupedHex(encoded.word, LAYOUTS[site.layout].width))] } },
    }];
  }
  return [];
}

function quickFixes(a: DocumentAnalysis, start: number, end: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of a.diagnostics) {
    if (!d.fix || !overlaps(d.span, start, end)) continue;
    const diagnostic: LspDiagnostic = toLspDiagnostic(a, d);
    out.push({
      title: d.fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [a.uri]: [TextEdit.replace(a.lines.spanRange(d.fix.span), d.fix.newText)] } },
    });
  }
  return out;
}

export function codeActions(a: DocumentAnalysis, range: Range, only?: readonly string[]): CodeAction[] {
  const start = a.lines.offsetAt(range.start);
  const end = a.lines.offsetAt(range.end);
  const wanted = (kind: string) => !only || only.length === 0 || only.some((o) => kind === o || kind.startsWith(o + '.'));
  return [...quickFixes(a, start, end), ...convertActions(a, start, end)].filter((c) => wanted(c.kind ?? ''));
}
