/**
 * Where a program stood before each step: what reverse continue, step back
 * and goto search. A scenario's timeline is recorded while it runs
 * (StepHistory); a trace's is its index, known without running.
 */
import type { HistoryEntry } from '../history';

export type { HistoryEntry } from '../history';

/** Lines with a breakpoint, by file. */
export type LineSet = (uri: string) => { has(line: number): boolean; keys(): Iterable<number> } | undefined;

export interface Timeline {
  /** The position at `step`; null at the end. A no-op where positions are known in advance. */
  record(step: number, entry: HistoryEntry | null): void;
  /** A different future from `step` on: forget what came after it. */
  truncateAfter(step: number): void;
  at(step: number): HistoryEntry | null | undefined;
  /** Positions known (recorded or indexed). */
  readonly length: number;
  /**
   * Latest step before `from` whose position is on one of `lines` or passes
   * `test` (function breakpoints); either may be absent.
   */
  searchBack(from: number, lines: LineSet | null, test: ((e: HistoryEntry, step: number) => boolean) | null): number | undefined;
  /** The known step nearest `from` at this line (earlier wins a tie). */
  nearest(from: number, uri: string, line: number): number | undefined;
  clear(): void;
}
