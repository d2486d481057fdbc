/** Offsets, positions and symbols: what the language server and the debugger ask of a parsed file. */
import type { Program, Span, Stmt } from './ast';
import { resolve } from './scope';

/** The 0-based line holding `offset`, given each line's start offset (ascending). */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function offsetToPosition(program: Program, offset: number): { line: number; character: number } {
  const starts = program.lineStarts;
  const o = Math.max(0, Math.min(offset, program.text.length));
  const line = lineOfOffset(starts, o);
  return { line, character: o - starts[line] };
}

export function positionToOffset(program: Program, line: number, character: number): number {
  const starts = program.lineStarts;
  if (line < 0) return 0;
  if (line >= starts.length) return program.text.length;
  const lineEnd = line + 1 < starts.length ? starts[line + 1] - 1 : program.text.length;
  return Math.min(starts[line] + Math.max(0, character), lineEnd);
}

/** Index of the last statement of `list` (in source order) starting at or before `offset`; -1 if none. */
export function lastStartingAtOrBefore(list: readonly Stmt[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start <= offset) { idx = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return idx;
}

/** The innermost statement whose span holds `offset` (a proc/repeat only when no body statement does). */
export function statementAt(program: Program, offset: number): Stmt | null {
  let list = program.statements;
  let found: Stmt | null = null;
  for (;;) {
    const idx = lastStartingAtOrBefore(list, offset);
    if (idx < 0) return found;
    const s = list[idx];
    if (offset > s.span.end) return found;
    found = s;
    if (s.kind !== 'proc' && s.kind !== 'repeat') return found;
    list = s.body;
  }
}

/** The item whose span holds `offset`, in a list sorted by start (spans of names never overlap). */
function itemAt<T extends { span: Span }>(items: readonly T[], offset: number): T | null {
  let lo = 0;
  let hi = items.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].span.start <= offset) { idx = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return idx >= 0 && offset <= items[idx].span.end ? items[idx] : null;
}

export function findDefinition(program: Program, offset: number):
  { name: string; span: Span; kind: 'let' | 'proc' | 'param' | 'repeat-var' } | null {
  const r = resolve(program);
  const ref = itemAt(r.references, offset);
  if (ref) return ref.definition ? { name: ref.definition.name, span: ref.definition.span, kind: ref.definition.kind } : null;
  const def = itemAt(r.definitions, offset);
  return def ? { name: def.name, span: def.span, kind: def.kind } : null;
}

/** Every occurrence of `name` as a definition or a resolved reference, in source order (for rename). */
export function findReferences(program: Program, name: string): Span[] {
  const r = resolve(program);
  const out: Span[] = [];
  for (const d of r.definitions) if (d.name === name) out.push(d.span);
  for (const ref of r.references) if (ref.name === name && ref.definition) out.push(ref.span);
  return out.sort((a, b) => a.start - b.start);
}
