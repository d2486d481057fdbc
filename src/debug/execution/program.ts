/**
 * What the execution controller needs from a program it steps: a scenario
 * (ScenarioProgram over the DSL runtime) or a QEMU trace (TraceProgram). Both
 * are a sequence of model operations with checks, run one per step, and both
 * travel back exactly (checkpoints plus re-execution). Nothing here is DAP.
 */
import type { Program } from '../../dsl/ast';
import type { ExpectationResult, Frame, LogEntry, OperationResult, SourceLocation } from '../../dsl/runtime';
import type { LayoutName } from '../../model/layouts/table';
import type { VmState } from '../../model/state';
import type { LastOperationInfo } from '../variables-tree';
import type { Timeline } from './timeline';

/** The model and the trace disagree on a value QEMU printed (or QEMU did something the model refuses). */
export interface Divergence {
  /** One line: what disagrees, e.g. `xive_source_esb_read 0x1300: QEMU 0x1, model 0x3`. */
  readonly message: string;
  /** QEMU's value as the trace printed it. */
  readonly qemu: string;
  /** The model's value, or its errno / H_* with the kernel's reason. */
  readonly model: string;
  /** The kernel rule behind the model's answer, when it has one. */
  readonly reason?: string;
  /** What the trace line says (the event and its arguments). */
  readonly event?: string;
}

export type ProgramStep =
  | {
    readonly kind: 'executed';
    readonly location: SourceLocation;
    readonly result: OperationResult;
    readonly expectation: ExpectationResult | null;
    /** Set when the step came from a trace and the model disagrees with it. */
    readonly divergence?: Divergence | null;
  }
  | { readonly kind: 'end' }
  | { readonly kind: 'step-limit'; readonly message: string };

export type ExpressionValue = { ok: true; value: bigint | boolean; display: string } | { ok: false; error: string };

export interface SteppableProgram {
  /** 'scenario' or 'trace': only words in messages depend on it. */
  readonly kind: 'scenario' | 'trace';
  /** The file the program was launched from. */
  readonly uri: string;
  readonly vm: VmState;
  /** Steps executed so far. */
  readonly stepCount: number;
  readonly finished: boolean;
  /** Frames on the stack now (a trace has one). */
  readonly depth: number;
  /** The next step's location, null at the end. */
  readonly location: SourceLocation | null;
  readonly callStack: readonly Frame[];
  readonly lastOutcome: ProgramStep | null;
  /** Checks so far (expectations of a scenario, QEMU's values of a trace). */
  readonly results: readonly ExpectationResult[];
  readonly log: readonly LogEntry[];
  /** The scenario text, when the program is one (let names for console completions). */
  readonly program: Program | null;
  /**
   * Where the program stood before each step. A scenario's is recorded while
   * it runs (the controller records into it); a trace knows its own from the
   * index (recording is then a no-op).
   */
  readonly timeline: Timeline;

  /**
   * 0-based lines of `uri` that hold steps (breakpoints and goto are placed
   * on them). A program with very many (a trace) may return only the first
   * at or after each line of `near`.
   */
  stepLines(uri: string, near: readonly number[]): readonly number[];
  /** Checks that held and failed up to here (a trace keeps only its failures in `results`). */
  checkCounts(): { passed: number; failed: number };
  /** Results of the user's experiments (Debug Console statements, Set Value edits), counted apart from checkCounts. */
  experimentCounts?(): { passed: number; failed: number };
  /** The console statements among steps from+1..to: what travelling back from `to` to `from` undoes. */
  consoleStatementsBetween?(from: number, to: number): string[];
  /** Every statement's result and notes go to the log as it runs (the Debug Console's `verbose on`). */
  verbose?: boolean;
  /** The text of `uri` when the editor cannot open it itself (a .gz trace), else undefined. */
  virtualSource(uri: string): string | undefined;
  /** Work done while the user looks (a trace's index and checkpoints ahead), ~budgetMs at a time; false when none is left. */
  backgroundWork?(budgetMs: number): boolean;
  step(): ProgramStep;
  stepBack(): boolean;
  restoreTo(stepCount: number): void;
  /** See ScenarioRuntime.lastChangeBefore. */
  lastChangeBefore(from: number, floor: number, probe: () => string, accept: (before: string, after: string) => boolean):
    { position: number; before: string; after: string } | null;
  evaluateExpression(text: string): ExpressionValue;
  /** A statement typed in the console (or a Set Value), run as a recorded step. */
  executeText(text: string): OperationResult | { error: string };
  /** Operation names of the step at a timeline position's `key` in `uri`, for function breakpoints. */
  operationNamesAt(uri: string, key: number): readonly string[];
  /** The Variables pane's "Last operation". */
  lastOperation(): LastOperationInfo | null;
  /** The layout of a literal word under the mouse, when the program text fixes one. */
  layoutOfLiteral(literal: string): LayoutName | null;
  /** The 1-based line configuring each source (the interrupt map's "reveal line"). */
  configurationLines(): Map<number, number>;
}
