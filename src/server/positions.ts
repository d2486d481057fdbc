/**
 * Offset ↔ LSP position conversion over a parse's own line table, so cached
 * analyses stay self-consistent while the live TextDocument moves on.
 * Offsets and characters are UTF-16 code units on both sides (JS strings, LSP default).
 */
import { Position, Range } from 'vscode-languageserver';
import { Span } from '../dsl/ast';
import { lineOfOffset } from '../dsl/navigation';

export class LineTable {
  readonly starts: readonly number[];

  constructor(readonly text: string, starts?: readonly number[]) {
    this.starts = starts && starts.length > 0 ? starts : computeLineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    return lineOfOffset(this.starts, offset);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** Offset of the end of a line, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  spanRange(span: Span): Range {
    return this.range(span.start, span.end);
  }
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function spanContains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
