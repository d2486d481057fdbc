/**
 * `irqlab explain TRACE ...`: a QEMU trace replayed (the debugger's TraceProgram over the trace
 * layer) up to a line, then explained through the same ExplainHistory a scenario gives.
 */
import { basename } from 'node:path';
import { programHistory } from '../debug/execution/explain-history';
import { TraceProgram } from '../debug/execution/trace-program';
import { createTraceReplayCore } from '../debug/trace-core';
import { readTraceFile } from '../debug/trace-launch';
import { explainTarget, ExplainTarget } from '../dsl/runtime/explain-at';
import type { Explanation, ExplainResult } from '../model/explain';

export interface TraceExplainResult {
  /** 1-based line of the last trace line replayed (null when none was). */
  readonly line: number | null;
  readonly step: number;
  readonly explanation: Explanation;
}

/** Replays `path` through the trace lines up to `at` (1-based, inclusive; null: the end) and explains. */
export function explainTraceFile(path: string, at: number | null, target: ExplainTarget): ExplainResult<TraceExplainResult> {
  const text = readTraceFile(path);
  if (typeof text === 'string') return { ok: false, error: text };
  const lines = text.text.length === 0 ? 0 : text.text.split('\n', -1).length - (text.text.endsWith('\n') ? 1 : 0);
  if (at !== null && at > lines) return { ok: false, error: `--at ${at} is past the end of ${basename(path)} (${lines} lines)` };
  const core = createTraceReplayCore();
  if (typeof core === 'string') return { ok: false, error: core };
  // Explanations search back for the step that changed a register: keep checkpoints for that.
  const trace = new TraceProgram([text], core);
  if (trace.finished) return { ok: false, error: `${basename(path)}: no QEMU trace event in it that replays as an operation (lines TID@EPOCH:xive_… / spapr_xive_… / xics_…)` };
  for (;;) {
    const next = trace.positionOf(trace.stepCount);
    if (!next || (at !== null && next.line > at - 1)) break;
    if (trace.step().kind !== 'executed') break;
  }
  const r = explainTarget(programHistory(trace), target);
  if (!r.ok) return r;
  const last = trace.stepCount > 0 ? trace.positionOf(trace.stepCount - 1) : undefined;
  return { ok: true, value: { line: last ? last.line + 1 : null, step: trace.stepCount, explanation: r.value } };
}
