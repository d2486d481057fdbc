/**
 * Parse + check of a whole file for its diagnostics only (`irqlab check`, the
 * benchmark): the same diagnostics as `analyze`, without keeping the tree.
 *
 * A 100,000-line file builds about two million nodes; kept alive together
 * they cost far more in garbage collection than parsing them. So the file is
 * lexed once and parsed a batch of top-level statements at a time, each batch
 * checked and dropped while its nodes are still young.
 *
 * The checker needs whole-file facts (every top-level let and proc, whether
 * the file creates a device or connects a vCPU) before the first statement.
 * Each batch is checked against the facts known when it is read, its own
 * included, and remembers which version of the facts it saw. Facts usually
 * settle in the first lines (lets, procs, the device); batches checked before
 * the last change are parsed and checked again with the final facts, until
 * the running state meets the one a batch was first checked from.
 */
import type { DeviceName, Diagnostic, Program } from './ast';
import { check, CheckOptions, CheckState, checkSlice, initialCheckState, silencedByIncludes } from './checker';
import { lexBuffer } from './lexer';
import { FileFactsBuilder, outlineOf } from './outline';
import { parse, Parser } from './parser';
import { freeze } from './run-state';
import { Definition, resolveSlice } from './scope';

/** Top-level statements per batch: large enough to amortize the per-batch set-up, small enough to die young. */
const BATCH_STATEMENTS = 256;
/** The "did you mean" budget of a whole file, as the whole-file checker starts with. */
const SUGGESTION_BUDGET = 200_000;

interface CheckedBatch {
  /** Where the batch starts in the token buffer, and the device in force there: enough to parse it again. */
  readonly position: number;
  readonly deviceBefore: DeviceName | null;
  /** The facts version the batch was checked under. */
  readonly factsVersion: number;
  /** Key of the running state the batch was checked from. */
  readonly entryKey: string;
  /** Checker then scope diagnostics, in the order the whole-file check reports them. */
  diagnostics: readonly Diagnostic[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/** The diagnostics of `text`, identical to `analyze(text, uri, options).diagnostics`. */
export function diagnose(text: string, uri = 'untitled.irq', options: CheckOptions = {}): Diagnostic[] {
  try {
    return diagnoseInBatches(text, uri, options);
  } catch {
    // A front-end bug must not cost the user the diagnostics: the whole-file path reports it as a diagnostic.
    const program = parse(text, uri);
    return [...program.diagnostics, ...check(program, options)].sort(byPosition);
  }
}

/** `diagnose` without the fallback (exported for tests: a bug here must fail them, not hide behind the whole-file path). */
export function diagnoseInBatches(text: string, uri: string, options: CheckOptions): Diagnostic[] {
  const { buffer, lineStarts } = lexBuffer(text);
  const facts = new FileFactsBuilder();
  const emptyProgram: Program = { uri, text, statements: [], comments: [], diagnostics: [], lineStarts };

  /** Running state of one pass over the batches. */
  interface Pass {
    state: CheckState;
    comparisonsLeft: number;
    readonly topScope: Map<string, Definition>;
  }
  const newPass = (): Pass => ({ state: initialCheckState(facts.env), comparisonsLeft: SUGGESTION_BUDGET, topScope: new Map() });

  const checkBatch = (pass: Pass, statements: Program['statements']): Diagnostic[] => {
    const program: Program = { ...emptyProgram, statements };
    const checks = checkSlice(program, options, pass.state, facts);
    const scope = {
      lineBase: 0, procs: facts.procs, firstLets: facts.firstLets, broken: facts.broken, topScope: pass.topScope,
      comparisonsLeft: pass.comparisonsLeft,
    };
    const scopeDiagnostics = resolveSlice(statements, text, scope);
    pass.comparisonsLeft = scope.comparisonsLeft;
    return checks.length === 0 ? scopeDiagnostics : scopeDiagnostics.length === 0 ? checks : [...checks, ...scopeDiagnostics];
  };

  // First pass: read, fold the facts, check, drop.
  const parser = new Parser(buffer);
  const batches: CheckedBatch[] = [];
  const first = newPass();
  for (;;) {
    const position = parser.position;
    const deviceBefore = parser.deviceAfter;
    const statements = parser.parseTopLevel(BATCH_STATEMENTS);
    if (statements.length === 0) break;
    facts.add(outlineOf(statements, text), 0);
    const entryKey = freeze(first.state, first.comparisonsLeft, facts.env).key;
    const diagnostics = checkBatch(first, statements);
    batches.push({ position, deviceBefore, factsVersion: facts.version, entryKey, diagnostics });
  }
  let finalState = first.state;

  // Batches checked under older facts: again, from the start, until the running state meets the first pass's.
  if (batches.length > 0 && batches[0].factsVersion !== facts.version) {
    const again = newPass();
    const reparser = new Parser(buffer);
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      if (b.factsVersion === facts.version && freeze(again.state, again.comparisonsLeft, facts.env).key === b.entryKey) break;
      reparser.resumeAt(b.position, b.deviceBefore);
      b.diagnostics = checkBatch(again, reparser.parseTopLevel(BATCH_STATEMENTS));
      if (i === batches.length - 1) finalState = again.state;
    }
  }

  // Nothing built from the tokens refers to them: the next large file can lex into the same memory.
  buffer.release();

  // Names that included files define silence scope diagnostics anywhere in the file, as in `check`.
  const included = finalState.included.names.size > 0 ? finalState.included : null;
  const out: Diagnostic[] = [...parser.diagnostics];
  for (const b of batches) {
    for (const d of b.diagnostics) {
      if (included && silencedByIncludes(d.code, text.slice(d.span.start, d.span.end), included)) continue;
      out.push(d);
    }
  }
  return out.sort(byPosition);
}
