/**
 * The debugger's trace replay: the trace layer's (src/trace), so the
 * debugger, `irqlab replay` and `irqlab import qemu-trace` replay a trace
 * one way. This adapter only names it for the debugger's interface.
 */
import { createTraceReplayCore as createCore, ReplayState } from '../trace';
import type { TraceReplayCore } from './execution/trace-program';

export function createTraceReplayCore(): TraceReplayCore<ReplayState> | string {
  return createCore();
}
