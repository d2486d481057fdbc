/**
 * Completion by position: statement keywords at the start of a line, the
 * right layout's field names inside `{ }`, errno and H_* names after `->`,
 * hcall names after `hcall vcpu N`, RTAS calls, devices, procs after `call`,
 * vCPU ids in use after `vcpu`, and let names / parameters in scope elsewhere.
 * The context is read from the current line's text before the cursor plus the
 * cached analysis (the statement may not parse while it is being typed).
 */
import { CompletionItem, CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import { evaluateConstant, KEYWORDS, KeywordInfo, layoutOfStatement, Stmt } from '../dsl';
import { HCALLS, HCALL_NAMES, RTAS_CALLS, RtasName } from '../model/hcalls';
import { LAYOUTS, LAYOUT_NAMES, LayoutName } from '../model/layouts/table';
import { ERRNO_NAMES, HCALL_RETURNS, HcallReturn } from '../model/result';
import { DocumentAnalysis, forEachStatement } from './documents';
import { errnoMarkdown, hcallMarkdown, hretMarkdown, keywordMarkdown } from './hover';
import { insideComment } from './comments';
import { EQ_STRUCT_FIELD_DOCS, OUTPUT_REGISTER_DOCS, RTAS_DOCS } from './vocabulary';

/** Lines longer than this get only name completion (context regexes would scan them whole). */
const MAX_CONTEXT_LINE = 4096;

interface DocumentFacts {
  readonly lets: readonly string[];
  readonly vcpuIds: readonly string[];
}
const factsCache = new WeakMap<DocumentAnalysis, DocumentFacts>();

function facts(a: DocumentAnalysis): DocumentFacts {
  let f = factsCache.get(a);
  if (!f) {
    const lets = new Set<string>();
    const vcpus = new Set<bigint>();
    for (const s of a.program.statements) if (s.kind === 'let') lets.add(s.name.name);
    forEachStatement(a.program.statements, (s) => {
      if (s.kind === 'vcpu') {
        const v = evaluateConstant(s.vcpu, a.env);
        if (v !== null) vcpus.add(v);
      }
    });
    f = { lets: [...lets], vcpuIds: [...vcpus].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).map(String) };
    factsCache.set(a, f);
  }
  return f;
}

function md(value: string) {
  return { kind: MarkupKind.Markdown, value };
}

const keywordItemCache = new Map<string, CompletionItem[]>();

/** Keyword items by a named selection; built once (their markdown is static). */
function keywordItems(selection: 'statement' | 'device' | 'target' | 'expectation' | 'other'): CompletionItem[] {
  let items = keywordItemCache.get(selection);
  if (!items) {
    const filter = (k: KeywordInfo) => (selection === 'other' ? k.kind !== 'statement' : k.kind === selection);
    items = KEYWORDS.filter(filter).map((k) => ({
      label: k.name,
      kind: CompletionItemKind.Keyword,
      detail: k.syntax,
      documentation: md(keywordMarkdown(k)),
    }));
    keywordItemCache.set(selection, items);
  }
  return items;
}

function fieldItems(names: readonly string[], docs: (n: string) => string, used: ReadonlySet<string>): CompletionItem[] {
  return names.filter((n) => !used.has(n)).map((n) => ({
    label: n,
    kind: CompletionItemKind.Field,
    documentation: md(docs(n)),
    insertText: `${n} `,
  }));
}

function layoutFieldItems(layout: LayoutName, used: ReadonlySet<string>): CompletionItem[] {
  const def = LAYOUTS[layout];
  return def.fields.filter((f) => !used.has(f.name)).map((f) => ({
    label: f.name,
    kind: CompletionItemKind.Field,
    detail: `${layout} [${f.lo + f.width - 1}:${f.lo}]`,
    documentation: md(f.meaning),
    insertText: `${f.name} `,
  }));
}

function deviceBefore(a: DocumentAnalysis, offset: number): string | null {
  return a.deviceAt(offset);
}

function blockLayoutFromLine(a: DocumentAnalysis, prefix: string, offset: number): LayoutName | 'eq' | 'hcall' | 'rtas' | null {
  const m = /^\s*(set|get)\s+(source_config|source|eq_config|icp|vp)\b/.exec(prefix);
  if (m) {
    switch (m[2]) {
      case 'source_config': return 'xive-source-config';
      case 'source': return (deviceBefore(a, offset) ?? 'xive').startsWith('xics') ? 'xics-source' : 'xive-source';
      case 'eq_config': return 'eq';
      case 'icp': return 'xics-icp';
      case 'vp': return 'xive-vp-state';
    }
  }
  if (/^\s*hcall\b/.test(prefix)) return 'hcall';
  if (/^\s*rtas\b/.test(prefix)) return 'rtas';
  return null;
}

function blockContext(a: DocumentAnalysis, stmt: Stmt | null, prefix: string, offset: number): LayoutName | 'eq' | 'hcall' | 'rtas' | null {
  if (stmt && stmt.kind !== 'error') {
    if (stmt.kind === 'set-eq' || stmt.kind === 'get-eq') return 'eq';
    if (stmt.kind === 'hcall') return 'hcall';
    if (stmt.kind === 'rtas') return 'rtas';
    const layout = layoutOfStatement(stmt);
    if (layout) return layout;
  }
  return blockLayoutFromLine(a, prefix, offset);
}

function scopeNames(a: DocumentAnalysis, offset: number): CompletionItem[] {
  const items: CompletionItem[] = facts(a).lets.map((n) => ({
    label: n,
    kind: CompletionItemKind.Constant,
    detail: a.env.has(n) ? `let ${n} = 0x${a.env.get(n)!.toString(16)}` : `let ${n}`,
  }));
  for (const s of a.statementPath(offset)) {
    if (s.kind === 'proc') for (const p of s.params) items.push({ label: p.name, kind: CompletionItemKind.Variable, detail: `parameter of ${s.name.name}` });
    if (s.kind === 'repeat' && s.variable) items.push({ label: s.variable.name, kind: CompletionItemKind.Variable, detail: 'repeat counter' });
  }
  return items;
}

const expectationItemCache = new Map<boolean, CompletionItem[]>();

/** errno names, hcall return codes and `ok`; return codes first on hcall lines. Built once per ordering. */
function expectationItems(hcallLine: boolean): CompletionItem[] {
  let items = expectationItemCache.get(hcallLine);
  if (!items) {
    const hrets = (Object.keys(HCALL_RETURNS) as HcallReturn[]).map((n) => ({
      label: n, kind: CompletionItemKind.EnumMember, documentation: md(hretMarkdown(n)), sortText: (hcallLine ? '0' : '1') + n,
    }));
    const errnos = ERRNO_NAMES.map((n) => ({
      label: n, kind: CompletionItemKind.EnumMember, documentation: md(errnoMarkdown(n)), sortText: (hcallLine ? '1' : '0') + n,
    }));
    items = [...errnos, ...hrets, ...keywordItems('expectation')];
    expectationItemCache.set(hcallLine, items);
  }
  return items;
}

/** Builds the per-version facts completion uses, so the first request after an edit does not pay for them. */
export function warmCompletion(a: DocumentAnalysis): void {
  facts(a);
}

/**
 * `triggerCharacter` is set when the editor asked on its own after typing one
 * of the trigger characters; then only contexts that expect a particular word
 * answer, so typing a space does not pop up a generic list.
 */
export function complete(a: DocumentAnalysis, offset: number, triggerCharacter?: string): CompletionItem[] {
  return completeAt(a, offset, triggerCharacter !== undefined);
}

function completeAt(a: DocumentAnalysis, offset: number, onlySpecific: boolean): CompletionItem[] {
  if (insideComment(a.program, offset)) return [];
  const line = a.lines.lineOf(offset);
  const lineStart = a.lines.starts[line];
  if (offset - lineStart > MAX_CONTEXT_LINE) return scopeNames(a, offset);
  const prefix = a.text.slice(lineStart, offset);
  if ((prefix.match(/"/g)?.length ?? 0) % 2 === 1) return [];
  const stmt = a.statementAt(offset);

  const open = prefix.lastIndexOf('{');
  if (open > prefix.lastIndexOf('}') && !/^\s*(proc|repeat)\b/.test(prefix)) {
    const inBlock = prefix.slice(open + 1);
    // After a field name and a space the user types a value, not another name.
    if (/(^|,)\s*flags\s+\w*$/.test(inBlock) && blockContext(a, stmt, prefix, offset) === 'eq') {
      return [{ label: 'always_notify', kind: CompletionItemKind.EnumMember, detail: 'KVM_XIVE_EQ_ALWAYS_NOTIFY (1), the only accepted flag' }, ...scopeNames(a, offset)];
    }
    if (/(^|,)\s*[A-Za-z_]\w*\s+\S*$/.test(inBlock)) return onlySpecific ? [] : scopeNames(a, offset);
    const used = new Set([...inBlock.matchAll(/(?:^|,)\s*([A-Za-z_]\w*)/g)].map((m) => m[1]));
    const ctx = blockContext(a, stmt, prefix, offset);
    if (ctx === 'eq') return fieldItems(Object.keys(EQ_STRUCT_FIELD_DOCS), (n) => EQ_STRUCT_FIELD_DOCS[n], used);
    if (ctx === 'hcall' || ctx === 'rtas') {
      const names = Object.keys(OUTPUT_REGISTER_DOCS).filter((n) => (ctx === 'hcall' ? n.startsWith('r') && n !== 'r1' && n !== 'r2' : !/^r[4-7]$/.test(n)));
      return fieldItems(names, (n) => OUTPUT_REGISTER_DOCS[n], used);
    }
    if (ctx) return layoutFieldItems(ctx, used);
    return LAYOUT_NAMES.flatMap((l) => layoutFieldItems(l, used)).filter((x, i, all) => all.findIndex((y) => y.label === x.label) === i);
  }

  if (onlySpecific && prefix.endsWith('>') && !prefix.endsWith('->')) return [];
  if (/->\s*[A-Za-z_]*$/.test(prefix)) return expectationItems(/^\s*hcall\b/.test(prefix));

  if (/^\s*hcall\s+vcpu\s+\S+\s+\w*$/.test(prefix)) {
    const device = deviceBefore(a, offset) ?? 'xive';
    const family = device === 'xive' ? 'xive' : 'xics';
    return HCALL_NAMES.map((n) => ({
      label: n,
      kind: CompletionItemKind.Function,
      detail: `${n}(${HCALLS[n].args.join(', ')})`,
      documentation: md(hcallMarkdown(n) ?? ''),
      sortText: (HCALLS[n].family === family ? '0' : '1') + n,
    }));
  }
  const hcallArgs = /^\s*hcall\s+vcpu\s+\S+\s+(H_\w+)\s+(.*)$/.exec(prefix);
  if (hcallArgs && /(^|,)\s*\w*$/.test(hcallArgs[2])) {
    const def = (HCALLS as Record<string, { args: readonly string[] }>)[hcallArgs[1]];
    const used = new Set([...hcallArgs[2].matchAll(/(?:^|,)\s*([A-Za-z_]\w*)\s+\S/g)].map((m) => m[1]));
    const argItems: CompletionItem[] = (def?.args ?? []).filter((n) => !used.has(n)).map((n) => ({
      label: n, kind: CompletionItemKind.Property, detail: `${hcallArgs[1]} argument`, insertText: `${n} `, sortText: '0' + n,
    }));
    return [...argItems, ...scopeNames(a, offset)];
  }
  if (/^\s*rtas\s+[\w,-]*$/.test(prefix)) {
    return (Object.keys(RTAS_CALLS) as RtasName[]).map((n) => ({
      label: n, kind: CompletionItemKind.Function, detail: `rtas ${n} ${RTAS_CALLS[n].args.join(' ')}`, documentation: md(RTAS_DOCS[n]),
    }));
  }
  if (/^\s*call\s+\w*$/.test(prefix)) {
    return [...a.procs.values()].map((p) => ({
      label: p.name.name, kind: CompletionItemKind.Function, detail: `proc ${p.name.name}(${p.params.map((x) => x.name).join(', ')})`,
    }));
  }
  if (/^\s*device\s+[\w-]*$/.test(prefix)) return keywordItems('device');
  if (/^\s*(set|get)\s+\w*$/.test(prefix)) return keywordItems('target');
  if (/\bvcpu\s+\w*$/.test(prefix)) {
    return [
      ...facts(a).vcpuIds.map((id) => ({ label: id, kind: CompletionItemKind.Value, detail: 'vCPU in use', sortText: '0' + id.padStart(8, '0') })),
      ...scopeNames(a, offset),
    ];
  }
  if (onlySpecific) return [];
  if (/^\s*[A-Za-z_]*$/.test(prefix)) return keywordItems('statement');
  return [...scopeNames(a, offset), ...keywordItems('other')];
}
