/** The `.irq` front end: parse, check, format, words in context, navigation, keywords. */
import type { Diagnostic, Program } from './ast';
import { check, CheckOptions } from './checker';
import { parse } from './parser';

export * from './ast';
export { parse, parseExpression, MAX_NESTING } from './parser';
export { check, CHECK_RULES, PARSE_RULES } from './checker';
export type { CheckOptions } from './checker';
export { formatText } from './format';
export { KEYWORDS, keywordInfo, isStatementKeyword, STATEMENT_KEYWORDS } from './keywords';
export type { KeywordInfo } from './keywords';
export { wordSites, wordSiteAt, layoutOfStatement, encodeFieldBlock, statementWordSites } from './words';
export type { WordSite } from './words';
export { constantEnv, evaluateConstant } from './constants';
export type { ConstEnv } from './constants';
export { offsetToPosition, positionToOffset, findDefinition, findReferences, statementAt, lineOfOffset, lastStartingAtOrBefore } from './navigation';
export { forEachStatement, statementExprs } from './walk';
export { deviceOf } from './context';
export { createIncrementalAnalyzer, sliceStarts } from './incremental';
export type { IncrementalAnalyzer } from './incremental';
export { diagnose } from './diagnose';

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/** Parse + check; diagnostics of both, sorted by position. */
export function analyze(text: string, uri?: string, options?: CheckOptions): { program: Program; diagnostics: Diagnostic[] } {
  const program = parse(text, uri);
  const diagnostics = [...program.diagnostics, ...check(program, options)].sort(byPosition);
  return { program, diagnostics };
}
