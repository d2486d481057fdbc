/**
 * Where the scenario stood before each step, recorded while stepping forward.
 * The model is deterministic, so this stays true after the runtime travels
 * back (it re-executes the same steps); only a console statement, which
 * records a new step, makes the steps after it a different future.
 */
import type { LineSet, Timeline } from './execution/timeline';

export interface HistoryEntry {
  readonly uri: string;
  /** 0-based. */
  readonly line: number;
  /** Which statement is about to run, for function breakpoints backwards: a scenario's span start, a trace's step. */
  readonly offset: number;
  readonly depth: number;
}

export class StepHistory implements Timeline {
  private readonly entries: (HistoryEntry | null)[] = [];

  /** The position at `step` (statements executed so far); null at the end of the scenario. */
  record(step: number, entry: HistoryEntry | null): void {
    if (step > this.entries.length) return; // a gap (should not happen): keep what is contiguous
    this.entries[step] = entry;
  }

  /** A different future from `step` on: forget what came after it. */
  truncateAfter(step: number): void {
    if (this.entries.length > step + 1) this.entries.length = step + 1;
  }

  at(step: number): HistoryEntry | null | undefined {
    return this.entries[step];
  }

  get length(): number {
    return this.entries.length;
  }

  /** Latest step before `from` whose entry satisfies `test`. */
  findBack(from: number, test: (e: HistoryEntry, step: number) => boolean): number | undefined {
    for (let k = Math.min(from, this.entries.length) - 1; k >= 0; k--) {
      const e = this.entries[k];
      if (e && test(e, k)) return k;
    }
    return undefined;
  }

  /** Latest step before `from` on one of `lines` or passing `test` (the Timeline's search). */
  searchBack(from: number, lines: LineSet | null, test: ((e: HistoryEntry, step: number) => boolean) | null): number | undefined {
    return this.findBack(from, (e, k) => (lines?.(e.uri)?.has(e.line) ?? false) || (test !== null && test(e, k)));
  }

  /** The recorded step nearest `from` at this line (earlier wins a tie). */
  nearest(from: number, uri: string, line: number): number | undefined {
    let best: number | undefined;
    for (let k = 0; k < this.entries.length; k++) {
      const e = this.entries[k];
      if (!e || e.uri !== uri || e.line !== line) continue;
      if (best === undefined || Math.abs(k - from) < Math.abs(best - from)) best = k;
    }
    return best;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
