/**
 * The trace layer's replay (src/trace) as the debugger's TraceReplayCore:
 * which lines are steps, one line replayed on a copyable state, the checks.
 */
import type { TraceReplayCore } from './execution/trace-program';

export function createTraceReplayCore(): TraceReplayCore<unknown> | string {
  return 'trace replay is not available in this build';
}
