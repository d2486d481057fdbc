/**
 * Document formatting through the front end's formatText. As a guard, an
 * output that does not keep every comment (in order) is refused and logged
 * instead of applied: formatting must never lose a comment.
 */
import { TextEdit } from 'vscode-languageserver';
import { formatText } from '../dsl';
import { DocumentAnalysis } from './documents';

export function keepsComments(a: DocumentAnalysis, formatted: string): boolean {
  let from = 0;
  for (const c of a.program.comments) {
    const at = formatted.indexOf(c.text.trimEnd(), from);
    if (at < 0) return false;
    from = at + c.text.trimEnd().length;
  }
  return true;
}

export function formatDocument(a: DocumentAnalysis, log: (m: string) => void): TextEdit[] {
  const formatted = formatText(a.text);
  if (formatted === a.text) return [];
  if (!keepsComments(a, formatted)) {
    log(`formatting ${a.uri}: refused, the formatter's output would drop a comment`);
    return [];
  }
  return [TextEdit.replace(a.lines.range(0, a.text.length), formatted)];
}
