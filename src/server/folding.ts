/** Folding: proc and repeat bodies, field blocks over several lines, and runs of comment lines. */
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import { FieldBlock } from '../dsl';
import { DocumentAnalysis, forEachStatement } from './documents';

export function foldingRanges(a: DocumentAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = a.lines;
  const addBlock = (startOffset: number, endOffset: number) => {
    const startLine = lines.lineOf(startOffset);
    let endLine = lines.lineOf(Math.max(startOffset, endOffset - 1));
    // Keep the closing brace visible when it stands on its own line.
    if (endLine > startLine && /^\s*[}\]]/.test(lines.lineText(endLine))) endLine--;
    if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
  };
  forEachStatement(a.program.statements, (s) => {
    if (s.kind === 'proc' || s.kind === 'repeat') addBlock(s.span.start, s.span.end);
    const blocks: FieldBlock[] = [];
    if ('value' in s && s.value && typeof s.value === 'object' && 'kind' in s.value && s.value.kind === 'fields') blocks.push(s.value as FieldBlock);
    if (s.expect?.kind === 'fields') blocks.push(s.expect.block);
    for (const b of blocks) addBlock(b.span.start, b.span.end);
  });
  // Consecutive whole-line comments fold together.
  let runStart = -1;
  let runEnd = -1;
  for (const c of a.program.comments) {
    const line = c.span.line;
    const wholeLine = /^\s*$/.test(a.text.slice(lines.starts[line], c.span.start));
    if (!wholeLine) continue;
    if (line === runEnd + 1 && runStart >= 0) runEnd = line;
    else {
      if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
      runStart = runEnd = line;
    }
  }
  if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
  return out.sort((x, y) => x.startLine - y.startLine);
}
