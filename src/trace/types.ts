/**
 * What one replayed trace line gives: the model's result, and the checks of
 * what QEMU printed against what the model says. Structurally the debugger's
 * `TraceReplayCore` (src/debug/execution/trace-program.ts): the trace layer
 * does not import the debugger.
 */
import type { OperationResult } from '../dsl/runtime';
import type { LayoutName } from '../model/layouts/table';
import type { VmState } from '../model/state';

/** One value the trace states, compared with the model. */
export interface TraceCheck {
  readonly ok: boolean;
  /** What was compared, e.g. `ESB load 0xc00 of source 0x1300`. */
  readonly what: string;
  readonly qemu: string;
  readonly model: string;
  /** The model's reason (the kernel rule) when it refused or differs. */
  readonly reason?: string;
  /** The state that matters there, e.g. `vCPU 0: CPPR 0xff PIPR 0x6 IPB 0x2 NSR 0x80`. */
  readonly state?: string;
}

export interface TraceStepResult {
  readonly result: OperationResult;
  readonly checks: readonly TraceCheck[];
  readonly layout?: LayoutName | null;
}

export interface TraceReplayCore<S> {
  isStep(line: string): boolean;
  timeOf(line: string): number | null;
  initial(): S;
  vm(state: S): VmState;
  clone(state: S): S;
  approxBytes(state: S): number;
  apply(state: S, line: string, where: { readonly uri: string; readonly line: number }): TraceStepResult;
  operationNames(line: string): readonly string[];
}

/** A scenario statement the replay performed, for `irqlab import qemu-trace`. */
export interface PerformedStatement {
  /** The statement in the scenario language, its expectation included (`esb 0x1300 load 0xc00 -> 0x1`). */
  readonly text: string;
  /** Why it is there when QEMU did not print it (an inferred operation), for a comment. */
  readonly note?: string;
}
