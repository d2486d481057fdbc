/**
 * Builds the TextMate grammar for `.irq` from the same tables the parser, the
 * checker and the model use (keywords, layout fields, errno names, hcalls,
 * RTAS calls), so highlighting cannot drift from the language.
 * `scripts/generate-grammar.mjs` writes it to syntaxes/irq.tmLanguage.json and
 * test/server/grammar.test.ts checks the committed file equals this output.
 */
import { LAYOUTS, LAYOUT_NAMES } from '../model/layouts/table';
import { HCALL_NAMES, RTAS_CALLS } from '../model/hcalls';
import { ERRNO_NAMES, HCALL_RETURNS } from '../model/result';
import { EQ_STRUCT_FIELDS, HCALL_ARG_NAMES, OUTPUT_REGISTER_NAMES } from './vocabulary';

/** The part of `KeywordInfo` the grammar needs. */
export interface GrammarKeyword {
  readonly name: string;
  readonly kind: string;
}

type Rule = Record<string, unknown>;

export interface TmGrammar {
  readonly $schema: string;
  readonly name: string;
  readonly scopeName: string;
  readonly fileTypes: readonly string[];
  readonly patterns: readonly Rule[];
  readonly repository: Record<string, Rule>;
}

/** Scope per keyword kind (KeywordInfo.kind). */
export const KEYWORD_SCOPES: Readonly<Record<string, string>> = {
  statement: 'keyword.control.statement.irq',
  modifier: 'keyword.other.modifier.irq',
  device: 'support.type.device.irq',
  target: 'storage.type.target.irq',
  action: 'keyword.operator.action.irq',
  expectation: 'constant.language.expectation.irq',
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An alternation that matches whole words only. Words may contain `-` and `,`
 * (`xics-on-xive`, `ibm,int-off`), so `\b` is not enough: the neighbours must
 * not be word characters, `-` or `,`. Longest first so `xics-pr` wins over `xics`.
 */
export function wordAlternation(words: Iterable<string>): string {
  const unique = [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `(?<![\\w\\-,])(?:${unique.map(escapeRegex).join('|')})(?![\\w\\-,])`;
}

export function layoutFieldNames(): string[] {
  const names = new Set<string>();
  for (const layout of LAYOUT_NAMES) for (const f of LAYOUTS[layout].fields) names.add(f.name);
  return [...names].sort();
}

export function buildIrqGrammar(keywords: readonly GrammarKeyword[]): TmGrammar {
  const byKind = new Map<string, string[]>();
  for (const k of keywords) {
    const scope = KEYWORD_SCOPES[k.kind] ?? 'keyword.other.irq';
    byKind.set(scope, [...(byKind.get(scope) ?? []), k.name]);
  }
  const keywordRules: Rule[] = [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scope, words]) => ({ name: scope, match: wordAlternation(words) }));

  const fieldNames = [...new Set([...layoutFieldNames(), ...EQ_STRUCT_FIELDS, ...OUTPUT_REGISTER_NAMES])];

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'IRQ Lab scenario',
    scopeName: 'source.irq',
    fileTypes: ['irq'],
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#field-block' },
      { include: '#entries' },
      { include: '#proc-definition' },
      { include: '#call' },
      { include: '#let-definition' },
      { include: '#names' },
      { include: '#keywords' },
      { include: '#hcall-arguments' },
      { include: '#expression' },
    ],
    repository: {
      comment: {
        name: 'comment.line.number-sign.irq',
        match: '#.*$',
      },
      string: {
        name: 'string.quoted.double.irq',
        begin: '"',
        end: '"|$',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.irq' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.irq' } },
        patterns: [
          { name: 'constant.character.escape.irq', match: '\\\\.' },
          {
            name: 'meta.interpolation.irq',
            begin: '\\{',
            end: '\\}',
            beginCaptures: { 0: { name: 'punctuation.section.interpolation.begin.irq' } },
            endCaptures: { 0: { name: 'punctuation.section.interpolation.end.irq' } },
            contentName: 'source.irq.embedded',
            patterns: [{ include: '#expression' }],
          },
        ],
      },
      'field-block': {
        name: 'meta.field-block.irq',
        // A `{` that ends its line opens a proc/repeat body, not a field block.
        begin: '\\{(?!\\s*(?:#.*)?$)',
        end: '\\}',
        beginCaptures: { 0: { name: 'punctuation.section.braces.begin.irq' } },
        endCaptures: { 0: { name: 'punctuation.section.braces.end.irq' } },
        patterns: [
          { include: '#comment' },
          { name: 'variable.other.property.field.irq', match: wordAlternation(fieldNames) },
          { name: 'punctuation.separator.comma.irq', match: ',' },
          { include: '#expression' },
        ],
      },
      entries: {
        name: 'meta.entries.irq',
        begin: '\\[',
        end: '\\]',
        beginCaptures: { 0: { name: 'punctuation.section.brackets.begin.irq' } },
        endCaptures: { 0: { name: 'punctuation.section.brackets.end.irq' } },
        patterns: [{ name: 'punctuation.separator.comma.irq', match: ',' }, { include: '#expression' }],
      },
      'proc-definition': {
        match: '(?<![\\w\\-])(proc)\\s+([A-Za-z_]\\w*)\\s*(\\()([^)]*)(\\))?',
        captures: {
          1: { name: 'keyword.control.statement.irq' },
          2: { name: 'entity.name.function.irq' },
          3: { name: 'punctuation.definition.parameters.begin.irq' },
          4: { patterns: [{ name: 'variable.parameter.irq', match: '[A-Za-z_]\\w*' }, { name: 'punctuation.separator.comma.irq', match: ',' }] },
          5: { name: 'punctuation.definition.parameters.end.irq' },
        },
      },
      call: {
        match: '(?<![\\w\\-])(call)\\s+([A-Za-z_]\\w*)',
        captures: {
          1: { name: 'keyword.control.statement.irq' },
          2: { name: 'entity.name.function.call.irq' },
        },
      },
      'let-definition': {
        match: '(?<![\\w\\-])(let)\\s+([A-Za-z_]\\w*)',
        captures: {
          1: { name: 'keyword.control.statement.irq' },
          2: { name: 'variable.other.constant.definition.irq' },
        },
      },
      names: {
        patterns: [
          { name: 'support.function.rtas.irq', match: wordAlternation(Object.keys(RTAS_CALLS)) },
          { name: 'support.function.hcall.irq', match: wordAlternation(HCALL_NAMES) },
          { name: 'constant.language.hcall-return.irq', match: wordAlternation(Object.keys(HCALL_RETURNS)) },
          { name: 'constant.language.errno.irq', match: wordAlternation(ERRNO_NAMES) },
          { name: 'entity.name.type.layout.irq', match: wordAlternation(LAYOUT_NAMES) },
        ],
      },
      keywords: { patterns: keywordRules },
      'hcall-arguments': {
        name: 'variable.parameter.hcall-argument.irq',
        match: `${wordAlternation(HCALL_ARG_NAMES)}(?=\\s+[^\\s,])`,
      },
      expression: {
        patterns: [
          { include: '#comment' },
          { include: '#string' },
          { name: 'keyword.operator.arrow.irq', match: '->' },
          { name: 'constant.numeric.hex.irq', match: '(?<![\\w])0[xX][0-9a-fA-F_]+(?![\\w])' },
          { name: 'constant.numeric.binary.irq', match: '(?<![\\w])0[bB][01_]+(?![\\w])' },
          { name: 'constant.numeric.decimal.irq', match: '(?<![\\w])[0-9][0-9_]*(?![\\w])' },
          { name: 'keyword.operator.irq', match: '<<|>>|==|!=|<=|>=|&&|\\|\\||[-+*/%&|^~!<>=]' },
          { name: 'punctuation.separator.comma.irq', match: ',' },
          { name: 'punctuation.section.block.irq', match: '[{}()]' },
          { include: '#names' },
          { name: 'variable.other.irq', match: '[A-Za-z_]\\w*' },
        ],
      },
    },
  };
}

/** The file text written to syntaxes/irq.tmLanguage.json. */
export function grammarFileText(keywords: readonly GrammarKeyword[]): string {
  return JSON.stringify(buildIrqGrammar(keywords), null, 2) + '\n';
}
