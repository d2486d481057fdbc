/**
 * A whole trace through the model, line by line: reading (with the skip
 * summary), replay, and the divergences kept up to a limit (all counted).
 * Pure: the edge feeds the lines. Memory does not grow with the trace.
 */
import { TraceLineInput, TraceSummary, shownText } from './reader';
import { cloneReplayState, initialReplayState, ReplayState, replayEvent, StatementSink } from './replay';
import type { TraceCheck } from './types';

export interface Divergence {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The trace line (control bytes escaped, cut). */
  readonly event: string;
  readonly what: string;
  readonly qemu: string;
  readonly model: string;
  readonly reason?: string;
  readonly state?: string;
}

export interface ReplayerOptions {
  /** Divergences kept whole (all are counted). */
  readonly maxDivergences?: number;
  /** Receives each statement performed (for import). */
  readonly emit?: StatementSink;
  /** Called before each event's statements (for import's source comments). */
  readonly onEvent?: (file: string, line: number, text: string) => void;
}

export class TraceReplayer {
  readonly summary = new TraceSummary();
  readonly state: ReplayState = initialReplayState();
  readonly divergences: Divergence[] = [];
  divergenceCount = 0;
  checks = 0;
  private readonly max: number;

  constructor(private readonly options: ReplayerOptions = {}) {
    this.max = options.maxDivergences ?? 20;
  }

  /** Replays one line; `line` is 0-based. */
  feed(file: string, line: number, input: TraceLineInput): void {
    const ev = this.summary.read(file, line + 1, input);
    if (!ev) return;
    this.options.onEvent?.(file, line + 1, input.text);
    const r = replayEvent(this.state, ev, { line }, this.options.emit ?? null);
    this.checks += r.checks.length;
    for (const c of r.checks) if (!c.ok) this.diverge(file, line + 1, input.text, c);
  }

  private diverge(file: string, line: number, text: string, c: TraceCheck): void {
    this.divergenceCount++;
    if (this.divergences.length >= this.max) return;
    const i = text.indexOf(':', text.indexOf('@'));
    const event = /^\d+@/.test(text) && i > 0 ? text.slice(i + 1) : text;
    this.divergences.push({ file, line, event: shownText(event), what: c.what, qemu: c.qemu, model: c.model, reason: c.reason, state: c.state });
  }

  snapshot(): ReplayState {
    return cloneReplayState(this.state);
  }
}
