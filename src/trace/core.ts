/**
 * The replay as the debugger's TraceReplayCore: which lines are steps, one
 * line replayed on a copyable state, the checks. One replay for every door
 * (the debugger, `irqlab replay`, `irqlab import qemu-trace`).
 */
import { knownEventName, readTraceLine, timeOfLine } from './reader';
import { approxReplayBytes, cloneReplayState, initialReplayState, operationNamesOf, ReplayState, replayEvent } from './replay';
import type { TraceReplayCore, TraceStepResult } from './types';

export function applyTraceLine(s: ReplayState, line: string, where: { readonly line: number }): TraceStepResult {
  const o = readTraceLine(line);
  if (o.kind !== 'event') {
    return { result: { ok: true, display: o.message || 'not a trace event' }, checks: [] };
  }
  return replayEvent(s, o.event, where);
}

export function createTraceReplayCore(): TraceReplayCore<ReplayState> {
  return {
    isStep: (line) => knownEventName(line) !== null,
    timeOf: timeOfLine,
    initial: initialReplayState,
    vm: (s) => s.vm,
    clone: cloneReplayState,
    approxBytes: approxReplayBytes,
    apply: (s, line, where) => applyTraceLine(s, line, where),
    operationNames: (line) => {
      const name = knownEventName(line);
      return name ? operationNamesOf({ name }) : [];
    },
  };
}
