/**
 * The Debug Console's language: a scenario statement (run against the current
 * state and recorded), `decode LAYOUT WORD`, or a register expression. Also
 * the console's completions. The session does the running.
 */
import { KEYWORDS } from '../dsl';
import type { Program, Stmt } from '../dsl/ast';
import { decodeWord } from '../model/layouts/codec';
import { renderText } from '../model/layouts/render';
import { isLayoutName, LAYOUT_NAMES, LayoutName, LAYOUTS } from '../model/layouts/table';
import { parseNumberLiteral } from './format';
import { parseExplainTarget } from '../dsl/runtime/explain-at';
import type { ExplainTarget } from '../dsl/runtime/explain-at';

export type ConsoleInput =
  | { readonly kind: 'statement'; readonly text: string }
  | { readonly kind: 'decode'; readonly layout: LayoutName; readonly word: bigint }
  | { readonly kind: 'decode-error'; readonly error: string }
  /** `verbose on|off`: print every statement's result and its notes of silent effects as the scenario runs. */
  | { readonly kind: 'verbose'; readonly on: boolean }
  | { readonly kind: 'expression'; readonly text: string }
  | { readonly kind: 'explain'; readonly target: ExplainTarget }
  | { readonly kind: 'explain-error'; readonly error: string }
  /** `info pic`: the model's state in QEMU's monitor layout (src/model/info-pic.ts). */
  | { readonly kind: 'info-pic' };

const STATEMENT_WORDS = new Set(KEYWORDS.filter((k) => k.kind === 'statement').map((k) => k.name));

/** `eq(1,6).index` is an expression, `eq server 1 priority 6` a statement: a keyword followed by `(` or `.` is not a statement. */
export function classifyConsoleInput(raw: string): ConsoleInput {
  const text = raw.trim();
  if (/^info\s+pic$/.test(text)) return { kind: 'info-pic' };
  const m = /^([a-z_]+)\b\s*(.?)/i.exec(text);
  if (m && m[1] === 'decode') {
    const parts = text.split(/\s+/);
    if (parts.length !== 3) return { kind: 'decode-error', error: `usage: decode LAYOUT WORD (layouts: ${LAYOUT_NAMES.join(', ')})` };
    if (!isLayoutName(parts[1])) return { kind: 'decode-error', error: `unknown layout '${parts[1]}' (layouts: ${LAYOUT_NAMES.join(', ')})` };
    const word = parseNumberLiteral(parts[2]);
    if (word === null) return { kind: 'decode-error', error: `'${parts[2]}' is not a number` };
    if (word >= 1n << BigInt(LAYOUTS[parts[1]].width)) return { kind: 'decode-error', error: `${parts[2]} is wider than the ${LAYOUTS[parts[1]].width}-bit ${parts[1]} word` };
    return { kind: 'decode', layout: parts[1], word };
  }
  const verbose = /^verbose\s+(on|off)$/.exec(text);
  if (verbose) return { kind: 'verbose', on: verbose[1] === 'on' };
  if (m && m[1] === 'explain' && m[2] !== '(' && m[2] !== '.') {
    const target = parseExplainTarget(text.split(/\s+/).slice(1));
    return 'error' in target ? { kind: 'explain-error', error: target.error } : { kind: 'explain', target };
  }
  if (m && STATEMENT_WORDS.has(m[1]) && m[2] !== '(' && m[2] !== '.') return { kind: 'statement', text };
  return { kind: 'expression', text };
}

/** The CLI's ESR-decoder text of a word, for the console's `decode`. */
export function decodeText(layout: LayoutName, word: bigint, numbering: 'lsb0' | 'msb0'): string {
  return renderText(decodeWord(layout, word), numbering);
}

/** `source(0x1300)`, `icp(0)`, `vp(1)` name a whole register word: its layout, for decoding the value. */
export function registerLayout(expression: string, device: string | null): LayoutName | null {
  const m = /^\s*(source|icp|vp)\s*\([^()]*\)\s*$/.exec(expression);
  if (!m) return null;
  if (m[1] === 'icp') return 'xics-icp';
  if (m[1] === 'vp') return 'xive-vp-state';
  return device === 'xive' ? 'xive-source-config' : 'xics-source';
}

/** `eq(S,P).entries[I]`: a queue entry, answered by the debugger from guest memory (the runtime has no such expression). */
export function parseQueueEntryExpression(expression: string): { server: number; priority: number; index: number } | null {
  const m = /^\s*eq\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*\.\s*entries\s*\[\s*(\d+)\s*\]\s*$/.exec(expression);
  return m ? { server: Number(m[1]), priority: Number(m[2]), index: Number(m[3]) } : null;
}

export interface CompletionCandidate {
  readonly label: string;
  readonly type: 'keyword' | 'function' | 'property' | 'variable' | 'value';
  readonly detail?: string;
}

function letNames(program: Program | null): string[] {
  const out: string[] = [];
  const walk = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.kind === 'let') out.push(s.name.name);
      if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body);
    }
  };
  if (program) walk(program.statements);
  return [...new Set(out)];
}

const REGISTER_FUNCTIONS: readonly CompletionCandidate[] = [
  { label: 'source(', type: 'function', detail: 'source(IRQ): a source word and its fields' },
  { label: 'icp(', type: 'function', detail: 'icp(SERVER): XICS presenter' },
  { label: 'vp(', type: 'function', detail: 'vp(VCPU): XIVE VP / TIMA OS ring' },
  { label: 'eq(', type: 'function', detail: 'eq(SERVER, PRIO): event queue' },
  { label: 'device.nr_servers', type: 'property', detail: 'device' },
  { label: 'device.source_count', type: 'property', detail: 'device' },
  { label: 'decode', type: 'keyword', detail: 'decode LAYOUT WORD' },
  { label: 'explain', type: 'keyword', detail: 'explain source IRQ | vcpu N | eq SERVER PRIO INDEX: why an interrupt is (not) delivered' },
];

const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  source: ['pq', 'p', 'q', 'asserted', 'routed', 'lsi', 'act_server', 'act_priority'],
  icp: ['running', 'vcpu', 'server'],
  vp: ['running', 'vcpu', 'server'],
  eq: ['qaddr', 'qshift', 'index', 'generation', 'count', 'entries', 'dirty', 'reader_index', 'reader_toggle'],
  device: ['nr_servers', 'source_count'],
};

/** Candidates for the word being typed at `column` (0-based) of `text`. */
export function consoleCompletions(text: string, column: number, program: Program | null, device: string | null): { start: number; candidates: CompletionCandidate[] } {
  const before = text.slice(0, Math.max(0, Math.min(column, text.length)));
  const member = /\b(source|icp|vp|eq|device)(\([^()]*\))?\.([a-z_]*)$/.exec(before);
  if (member) {
    const prefix = member[3];
    const base = member[1];
    const fieldsFrom = base === 'source' ? (device === 'xive' ? 'xive-source-config' : 'xics-source') : base === 'icp' ? 'xics-icp' : base === 'vp' ? 'xive-vp-state' : null;
    const names = [...(fieldsFrom ? LAYOUTS[fieldsFrom].fields.map((f) => f.name) : []), ...(MEMBERS[base] ?? [])];
    return { start: before.length - prefix.length, candidates: [...new Set(names)].filter((n) => n.startsWith(prefix)).map((label) => ({ label, type: 'property' as const })) };
  }
  const decode = /^\s*decode\s+([a-z-]*)$/.exec(before);
  if (decode) {
    return { start: before.length - decode[1].length, candidates: LAYOUT_NAMES.filter((l) => l.startsWith(decode[1])).map((label) => ({ label, type: 'value' as const, detail: LAYOUTS[label].title })) };
  }
  const word = /([a-z_][a-z0-9_]*)$/i.exec(before);
  const prefix = word ? word[1] : '';
  const atStart = before.trim() === prefix;
  const all: CompletionCandidate[] = [
    ...(atStart ? KEYWORDS.filter((k) => k.kind === 'statement').map((k) => ({ label: k.name, type: 'keyword' as const, detail: k.syntax })) : []),
    ...REGISTER_FUNCTIONS,
    ...letNames(program).map((label) => ({ label, type: 'variable' as const })),
  ];
  return { start: before.length - prefix.length, candidates: all.filter((c) => c.label.startsWith(prefix)) };
}
