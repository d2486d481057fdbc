/** The interpreter's public types (see /tmp contract: src/dsl/runtime). */
import type { Span, Stmt } from '../ast';
import type { Errno } from '../../model/result';

export interface RuntimeOptions {
  /** Statements executed before the run is stopped (default 1,000,000). */
  maxSteps?: number;
  /** Reads an included file; undefined when it cannot be read. */
  readFile: (uri: string) => string | undefined;
  /** Resolves `include "path"` against the including file (default: relative to its directory). */
  resolveInclude?: (fromUri: string, path: string) => string;
  /** Steps between snapshots for step back (default adaptive from 64); 0 keeps only the initial snapshot. */
  snapshotEvery?: number;
}

export interface SourceLocation {
  readonly uri: string;
  /** 0-based, like Span. */
  readonly line: number;
  readonly col: number;
  readonly span: Span;
}

export interface Frame {
  readonly id: number;
  readonly name: string;
  readonly location: SourceLocation;
  readonly kind: 'scenario' | 'proc' | 'repeat' | 'include';
}

export interface ExpectationResult {
  readonly uri: string;
  /** 0-based. */
  readonly line: number;
  readonly col: number;
  readonly ok: boolean;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The step (1-based count after it ran) that produced this result. */
  readonly step: number;
}

export interface OperationResult {
  readonly ok: boolean;
  readonly errno?: Errno;
  readonly hret?: string;
  readonly reason?: string;
  readonly value?: bigint;
  readonly values?: Readonly<Record<string, bigint>>;
  readonly entries?: readonly number[];
  /** One line, e.g. "-> 0x0000002600000000 (prio=6 server=4)" or "EINVAL: priority 7 is reserved". */
  readonly display: string;
  /**
   * Silent effects of the operation, one line each, from the model (src/model/effects.ts):
   * a trigger dropped by PQ 01, a silent retarget, an event left in IPB without NSR, …
   * Every view prints these as they are (run --verbose, the Debug Console, Last operation).
   */
  readonly notes?: readonly string[];
}

export type StepOutcome =
  | { readonly kind: 'executed'; readonly stmt: Stmt; readonly location: SourceLocation; readonly result: OperationResult; readonly expectation: ExpectationResult | null }
  | { readonly kind: 'end' }
  | { readonly kind: 'step-limit'; readonly message: string };

export interface LogEntry {
  readonly step: number;
  readonly location: SourceLocation;
  readonly text: string;
  /** 'step': a statement's result, recorded only while ScenarioRuntime.verbose is on (the Debug Console's `verbose on`). */
  readonly kind: 'log' | 'expect-pass' | 'expect-fail' | 'error' | 'step';
  /** A failure's (or, verbose, a step's) silent effects (OperationResult.notes): they often say why it failed. */
  readonly notes?: readonly string[];
}
