/** Whether an offset falls inside a comment (binary search over the parse's comments). */
import { Program } from '../dsl';

export function insideComment(program: Program, offset: number): boolean {
  const list = program.comments;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid].span;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return true;
  }
  return false;
}
