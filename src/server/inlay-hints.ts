/**
 * Inlay hints after raw words: the one-line summary of the word's decode in
 * its context (`prio=5 server=3 masked eisn=0x1300`). Field blocks and names
 * already say what they are, so only literals get a hint.
 */
import { InlayHint, InlayHintKind, Range } from 'vscode-languageserver';
import { summarizeWord } from '../model/layouts/render';
import { DocumentAnalysis } from './documents';

const HINTED_SOURCES = new Set(['literal', 'expectation', 'entry']);

export function inlayHints(a: DocumentAnalysis, range: Range): InlayHint[] {
  const start = a.lines.offsetAt(range.start);
  const end = a.lines.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const site of a.sitesIn(start, end)) {
    if (!HINTED_SOURCES.has(site.source) || site.value === null) continue;
    const label = summarizeWord(site.layout, site.value);
    if (label === '') continue;
    hints.push({
      position: a.lines.positionAt(site.span.end),
      label,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `${site.layout} decode`,
    });
  }
  return hints;
}
