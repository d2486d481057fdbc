/**
 * Hover: a word in a word context is decoded through the layout table (field
 * table, numbering, kernel rejections); keywords, errno names, hcall return
 * codes, hcalls, RTAS calls, let names, proc parameters and field names are
 * explained. Everything comes from the per-version analysis: no re-parse.
 */
import { Hover, MarkupKind } from 'vscode-languageserver';
import { findDefinition, KEYWORDS, KeywordInfo, WordSite, FieldBlock, Stmt } from '../dsl';
import { decodeWord } from '../model/layouts/codec';
import { bitRange, BitNumbering, hexWord, renderMarkdown } from '../model/layouts/render';
import { fieldOf, LAYOUTS, LayoutName, isLayoutName } from '../model/layouts/table';
import { HCALLS, isHcallName, isRtasName, RTAS_CALLS } from '../model/hcalls';
import { ERRNO_NAMES, Errno, ERRNO_NUMBERS, HCALL_RETURNS, HcallReturn } from '../model/result';
import { DocumentAnalysis } from './documents';
import { ServerSettings } from './settings';
import {
  EQ_STRUCT_FIELD_DOCS, ERRNO_DOCS, HCALL_RETURN_DOCS, OUTPUT_REGISTER_DOCS, RTAS_DOCS, rtasSignature,
} from './vocabulary';
import { wordAt } from './words';
import { insideComment } from './comments';
import { parseWordText } from './words';

const KEYWORD_BY_NAME: ReadonlyMap<string, KeywordInfo> = new Map(KEYWORDS.map((k) => [k.name, k]));

export function numberingNote(numbering: BitNumbering, width: 32 | 64): string {
  return numbering === 'lsb0'
    ? `Bits are numbered LSB-0 as in the KVM uapi (bit 0 = value 1, bit ${width - 1} = most significant); IBM documents number them MSB-0.`
    : `Bits are numbered MSB-0 as in IBM documents (bit 0 = most significant); the KVM uapi numbers them LSB-0.`;
}

/** The decode of one word as hover markdown. */
export function wordMarkdown(layout: LayoutName, value: bigint, numbering: BitNumbering): string {
  const def = LAYOUTS[layout];
  return `${renderMarkdown(decodeWord(layout, value), numbering)}\n\n${numberingNote(numbering, def.width)}`;
}

/** Fields of a layout without a value (the word is computed at run time). */
export function layoutMarkdown(layout: LayoutName, numbering: BitNumbering): string {
  const def = LAYOUTS[layout];
  const rows = def.fields.map((f) => `| \`${bitRange(f, def.width, numbering)}\` | ${f.name} | ${f.meaning.replace(/\|/g, '\\|')} |`);
  return [
    `**${def.title}** \`${def.name}\``,
    '',
    `| bits (${numbering === 'lsb0' ? 'LSB-0, as in the KVM uapi' : 'IBM MSB-0'}) | field | meaning |`,
    '|---|---|---|',
    ...rows,
    '',
    `${def.where} · spec ${def.section}`,
  ].join('\n');
}

function siteHover(a: DocumentAnalysis, site: WordSite, offset: number, settings: ServerSettings): string {
  const parts: string[] = [];
  const def = LAYOUTS[site.layout];
  const word = wordAt(a.text, offset);
  if (site.source === 'fields' && word) {
    const field = fieldOf(site.layout, word.text);
    if (field) {
      parts.push(`**${field.name}** \`${bitRange(field, def.width, settings.bitNumbering)}\` of \`${site.layout}\` — ${field.meaning}` +
        (field.constant ? ` (\`${field.constant}\`)` : ''));
    }
  }
  if (site.source === 'name' && word) {
    parts.push(`\`${word.text}\`${site.value !== null ? ` = \`${hexWord(site.value, def.width)}\`` : ''}`);
  }
  if (site.value === null) {
    parts.push(`Word computed at run time (not a constant here); it is read as:`);
    parts.push(layoutMarkdown(site.layout, settings.bitNumbering));
  } else {
    parts.push(wordMarkdown(site.layout, site.value, settings.bitNumbering));
  }
  return parts.join('\n\n');
}

/** A number outside any word context: its value in hex and decimal. */
export function numberMarkdown(text: string): string | null {
  const value = parseWordText(text);
  if (value === null) return null;
  return `\`${text}\` = \`0x${value.toString(16)}\` = ${value}`;
}

export function keywordMarkdown(k: KeywordInfo): string {
  return [`**${k.name}** — ${k.kind}`, '```irq\n' + k.syntax + '\n```', k.summary, k.spec ? `Spec ${k.spec}.` : '']
    .filter((s) => s !== '')
    .join('\n\n');
}

export function hcallMarkdown(name: string): string | null {
  if (!isHcallName(name)) return null;
  const h = HCALLS[name];
  const args = h.args.length ? h.args.join(', ') : 'no arguments';
  const outs = h.outputs.length ? h.outputs.map((o, i) => `r${i + 4} ${o}`).join(', ') : 'none';
  return [
    `**${name}** — hcall 0x${h.number.toString(16)} (${h.family === 'xics' ? 'XICS, handled by KVM' : 'XIVE, handled by QEMU\'s H_INT_* layer'})`,
    '```irq\n' + `hcall vcpu N ${name}${h.args.length ? ' ' + h.args.map((x) => `${x} V`).join(', ') : ''}` + '\n```',
    h.summary,
    `Arguments: ${args}. Outputs: ${outs}.`,
    `Spec ${h.family === 'xics' ? '§2.6.6' : '§3.11'}.`,
  ].join('\n\n');
}

export function errnoMarkdown(name: Errno): string {
  const num = name === 'SIGBUS' ? '' : ` (-${ERRNO_NUMBERS[name]})`;
  return `**${name}**${num}\n\nIn this kernel code: ${ERRNO_DOCS[name]}\n\nSpec Appendix A.`;
}

export function hretMarkdown(name: HcallReturn): string {
  return `**${name}** = ${HCALL_RETURNS[name]}\n\n${HCALL_RETURN_DOCS[name]}\n\nSpec §1.6, Appendix A.`;
}

function blockAt(stmt: Stmt | null, offset: number): FieldBlock | null {
  if (!stmt) return null;
  const inside = (b: FieldBlock | null) => (b && b.span.start <= offset && offset <= b.span.end ? b : null);
  if ('value' in stmt && stmt.value && typeof stmt.value === 'object' && 'kind' in stmt.value && stmt.value.kind === 'fields') {
    const b = inside(stmt.value as FieldBlock);
    if (b) return b;
  }
  if (stmt.expect?.kind === 'fields') return inside(stmt.expect.block);
  return null;
}

function fieldNameHover(a: DocumentAnalysis, name: string, offset: number, settings: ServerSettings): string | null {
  const stmt = a.statementAt(offset);
  if (!blockAt(stmt, offset)) return null;
  if (stmt && (stmt.kind === 'set-eq' || stmt.kind === 'get-eq') && EQ_STRUCT_FIELD_DOCS[name]) {
    return `**${name}** — \`struct kvm_ppc_xive_eq\` member\n\n${EQ_STRUCT_FIELD_DOCS[name]}\n\nSpec §3.6.2.`;
  }
  if (stmt && (stmt.kind === 'hcall' || stmt.kind === 'rtas') && OUTPUT_REGISTER_DOCS[name]) {
    return `**${name}** — ${OUTPUT_REGISTER_DOCS[name]}`;
  }
  for (const layout of Object.keys(LAYOUTS) as LayoutName[]) {
    const f = fieldOf(layout, name);
    if (f) {
      const def = LAYOUTS[layout];
      return `**${name}** — ${f.meaning}\n\n\`${bitRange(f, def.width, settings.bitNumbering)}\` in \`${layout}\`${f.constant ? ` (\`${f.constant}\`)` : ''}`;
    }
  }
  return null;
}

function nameHover(a: DocumentAnalysis, offset: number): string | null {
  const def = findDefinition(a.program, offset);
  if (!def) return null;
  switch (def.kind) {
    case 'let': {
      const value = a.env.get(def.name);
      return value === undefined
        ? `**let ${def.name}** (line ${def.span.line + 1}) — value computed at run time`
        : `**let ${def.name}** = \`0x${value.toString(16)}\` (${value})`;
    }
    case 'proc': {
      const proc = a.procs.get(def.name);
      return `**proc ${def.name}**(${proc ? proc.params.map((p) => p.name).join(', ') : ''}) — line ${def.span.line + 1}`;
    }
    case 'param':
      return `**${def.name}** — procedure parameter (line ${def.span.line + 1})`;
    case 'repeat-var':
      return `**${def.name}** — repeat counter, 0 on the first iteration`;
  }
}

export function hover(a: DocumentAnalysis, offset: number, settings: ServerSettings): Hover | null {
  if (insideComment(a.program, offset)) return null;
  const site = a.siteAt(offset);
  if (site) {
    return { contents: { kind: MarkupKind.Markdown, value: siteHover(a, site, offset, settings) }, range: a.lines.spanRange(site.span) };
  }
  const word = wordAt(a.text, offset);
  if (!word) return null;
  const range = a.lines.range(word.start, word.end);
  const md = wordMarkdownFor(a, word.text, offset, settings);
  return md ? { contents: { kind: MarkupKind.Markdown, value: md }, range } : null;
}

function wordMarkdownFor(a: DocumentAnalysis, name: string, offset: number, settings: ServerSettings): string | null {
  const field = fieldNameHover(a, name, offset, settings);
  if (field) return field;
  if ((ERRNO_NAMES as readonly string[]).includes(name)) return errnoMarkdown(name as Errno);
  if (Object.prototype.hasOwnProperty.call(HCALL_RETURNS, name)) return hretMarkdown(name as HcallReturn);
  const hcall = hcallMarkdown(name);
  if (hcall) return hcall;
  if (isRtasName(name)) {
    return `**${name}** — RTAS call (${RTAS_CALLS[name].args.length} args, ${RTAS_CALLS[name].nret} rets)\n\n` +
      '```irq\n' + rtasSignature(name) + '\n```\n\n' + RTAS_DOCS[name];
  }
  if (a.declaredNames.has(name)) {
    const named = nameHover(a, offset);
    if (named) return named;
  }
  const kw = KEYWORD_BY_NAME.get(name);
  if (kw) return keywordMarkdown(kw);
  if (isLayoutName(name)) return layoutMarkdown(name, settings.bitNumbering);
  return numberMarkdown(name);
}
