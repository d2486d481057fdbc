/**
 * Semantic tokens (full document). A lexical pass over the text classifies
 * each word with what the analysis knows: declared lets, procs and their
 * parameters, field names inside field blocks, hcalls, errno names, keywords.
 * Cached per document version.
 */
import { Range, SemanticTokens, SemanticTokensBuilder, SemanticTokensLegend } from 'vscode-languageserver';
import { KEYWORDS } from '../dsl';
import { HCALL_NAMES, RTAS_CALLS } from '../model/hcalls';
import { ERRNO_NAMES, HCALL_RETURNS } from '../model/result';
import { DocumentAnalysis } from './documents';
import { layoutFieldNames } from './grammar';
import { EQ_STRUCT_FIELDS, OUTPUT_REGISTER_NAMES } from './vocabulary';

export const TOKEN_TYPES = ['keyword', 'function', 'variable', 'parameter', 'property', 'number', 'string', 'comment', 'enumMember', 'type', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
const DECLARATION = 1;
const READONLY = 2;
const DEFAULT_LIBRARY = 4;

const KEYWORD_KIND = new Map(KEYWORDS.map((k) => [k.name, k.kind]));
const LIBRARY_FUNCTIONS = new Set<string>([...HCALL_NAMES, ...Object.keys(RTAS_CALLS)]);
const ENUM_MEMBERS = new Set<string>([...ERRNO_NAMES, ...Object.keys(HCALL_RETURNS)]);
const FIELD_NAMES = new Set<string>([...layoutFieldNames(), ...EQ_STRUCT_FIELDS, ...OUTPUT_REGISTER_NAMES]);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

interface Scope {
  readonly startLine: number;
  readonly endLine: number;
  readonly names: ReadonlySet<string>;
}

const cache = new WeakMap<DocumentAnalysis, SemanticTokens>();

export function semanticTokens(a: DocumentAnalysis): SemanticTokens {
  const cached = cache.get(a);
  if (cached) return cached;
  const result = computeTokens(a, 0, a.lines.lineCount - 1);
  cache.set(a, result);
  return result;
}

/** Tokens of the lines a range covers (editors ask for the visible part of large files). */
export function semanticTokensInRange(a: DocumentAnalysis, range: Range): SemanticTokens {
  return computeTokens(a, Math.max(0, range.start.line), Math.min(a.lines.lineCount - 1, range.end.line));
}

function computeTokens(a: DocumentAnalysis, fromLine: number, toLine: number): SemanticTokens {
  const lets = new Set<string>();
  const procs = new Set<string>();
  const scopes: Scope[] = [];
  for (const s of a.program.statements) {
    if (s.kind === 'let') lets.add(s.name.name);
    if (s.kind === 'proc') {
      procs.add(s.name.name);
      scopes.push({ startLine: s.span.line, endLine: a.lines.lineOf(s.span.end), names: new Set(s.params.map((p) => p.name)) });
    }
  }
  const builder = new SemanticTokensBuilder();
  const text = a.text;
  let scopeIndex = 0;
  for (let line = fromLine; line <= toLine; line++) {
    while (scopeIndex < scopes.length && scopes[scopeIndex].endLine < line) scopeIndex++;
    const scope = scopeIndex < scopes.length && scopes[scopeIndex].startLine <= line ? scopes[scopeIndex] : null;
    const start = a.lines.starts[line];
    const end = a.lines.lineEnd(line);
    let inBlock = false;
    let expectFieldName = false;
    let previousWord = '';
    let i = start;
    const push = (from: number, to: number, type: number, mods = 0) => builder.push(line, from - start, to - from, type, mods);
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 35 /* # */) {
        push(i, end, T.comment);
        break;
      }
      if (c === 34 /* " */) {
        let j = i + 1;
        while (j < end && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
        j = Math.min(end, j + 1);
        push(i, j, T.string);
        i = j;
        continue;
      }
      if (c >= 48 && c <= 57) {
        let j = i + 1;
        while (j < end && isIdentPart(text.charCodeAt(j))) j++;
        push(i, j, T.number);
        expectFieldName = false;
        i = j;
        continue;
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < end && isIdentPart(text.charCodeAt(j))) j++;
        // Joined words: ibm,int-off and the hyphenated device names.
        const rest = text.slice(j, Math.min(end, j + 16));
        const joined = /^(,[a-z][\w-]*)/.exec(rest);
        if (text.slice(i, j) === 'ibm' && joined) j += joined[1].length;
        else if (text.slice(i, j) === 'xics' && /^-(on-xive|pr)\b/.test(rest)) j += /^-(on-xive|pr)/.exec(rest)![0].length;
        const word = text.slice(i, j);
        classify(word, i, j);
        previousWord = word;
        i = j;
        continue;
      }
      if (c === 123 /* { */) {
        inBlock = !/^\s*(#.*)?$/.test(text.slice(i + 1, Math.min(end, i + 200)));
        expectFieldName = inBlock;
      } else if (c === 125 /* } */) {
        inBlock = false;
        expectFieldName = false;
      } else if (c === 44 /* , */) {
        expectFieldName = inBlock;
      } else if (c === 45 && text.charCodeAt(i + 1) === 62 /* -> */) {
        push(i, i + 2, T.operator);
        i += 2;
        continue;
      }
      i++;
    }

    function classify(word: string, from: number, to: number): void {
      if (inBlock && expectFieldName && FIELD_NAMES.has(word)) {
        push(from, to, T.property);
        expectFieldName = false;
        return;
      }
      expectFieldName = false;
      if (previousWord === 'proc') return push(from, to, T.function, DECLARATION);
      if (previousWord === 'let') return push(from, to, T.variable, DECLARATION | READONLY);
      if (scope && scope.names.has(word)) return push(from, to, T.parameter);
      if (previousWord === 'call' && procs.has(word)) return push(from, to, T.function);
      if (LIBRARY_FUNCTIONS.has(word)) return push(from, to, T.function, DEFAULT_LIBRARY);
      if (ENUM_MEMBERS.has(word)) return push(from, to, T.enumMember);
      const kind = KEYWORD_KIND.get(word);
      if (kind === 'device') return push(from, to, T.type);
      if (kind) return push(from, to, T.keyword);
      if (lets.has(word)) return push(from, to, T.variable, READONLY);
      push(from, to, T.variable);
    }
  }
  return builder.build();
}
