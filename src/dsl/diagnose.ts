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
 * settle in the first lines (lets, procs, the device); of the batches checked
 * before the last change, those that could read a fact that changed later
 * (see staleBatches) are parsed and checked again with the final facts, and
 * so are any whose running state then differs from the first pass's.
 */
import type { DeviceName, Diagnostic, Program, Stmt } from './ast';
import { check, CheckOptions, CheckState, checkSlice, initialCheckState, silencedByIncludes } from './checker';
import { K_NAME, K_STRING, lexBuffer, TokenBuffer } from './lexer';
import { FileFactsBuilder, outlineOf } from './outline';
import { parse, Parser } from './parser';
import { freeze, RunState, thaw } from './run-state';
import { Definition, resolveSlice } from './scope';

/** Top-level statements per batch: large enough to amortize the per-batch set-up, small enough to die young. */
const BATCH_STATEMENTS = 256;
/** The "did you mean" budget of a whole file, as the whole-file checker starts with. */
const SUGGESTION_BUDGET = 200_000;

interface CheckedBatch {
  /** Where the batch starts and ends in the token buffer, and the device in force there: enough to parse it again. */
  readonly position: number;
  readonly endPosition: number;
  readonly deviceBefore: DeviceName | null;
  /** The facts version the batch was checked under, and the facts it added (names its lets, procs and broken lines declare). */
  readonly factsVersion: number;
  readonly declares: readonly string[];
  readonly declaresProcs: boolean;
  /** Its top-level lets are `facts.lets[letsFrom, letsTo)`. */
  readonly letsFrom: number;
  readonly letsTo: number;
  readonly includes: boolean;
  /** Whether the file looked like it creates a device / connects a vCPU when the batch was checked. */
  readonly createsDevice: boolean;
  readonly connects: boolean;
  /** The running state the batch was checked from (its key) and left. */
  readonly entryKey: string;
  readonly exit: RunState;
  /** Checker then scope diagnostics, in the order the whole-file check reports them. */
  diagnostics: readonly Diagnostic[];
}

/**
 * Which batches may have been checked differently than the final facts would
 * have it: any that reported something (messages quote names, lines and
 * suggestions from the facts), read an include, saw other device/connect
 * flags, or mentions a name declared in a later batch (a later proc may also
 * change what any earlier `call` runs; a log message reads names inside its
 * string). The rest read only facts that were final when they were checked.
 */
function staleBatches(batches: readonly CheckedBatch[], tokens: TokenBuffer, createsDevice: boolean, connects: boolean): boolean[] {
  const stale: boolean[] = new Array(batches.length).fill(false);
  const later = new Set<string>();
  for (let i = batches.length - 1; i >= 0; i--) {
    const b = batches[i];
    stale[i] = b.diagnostics.length > 0 || b.includes || b.createsDevice !== createsDevice || b.connects !== connects ||
      (later.size > 0 && mentionsAny(tokens, b.position, b.endPosition, later));
    for (const name of b.declares) later.add(name);
    if (b.declaresProcs) later.add('call');
  }
  return stale;
}

/** Whether tokens [from, to) hold one of `names`, or a string that may interpolate one. */
function mentionsAny(tokens: TokenBuffer, from: number, to: number, names: ReadonlySet<string>): boolean {
  for (let i = from; i < to; i++) {
    const kind = tokens.kindCodeOf(i);
    if (kind === K_NAME && names.has(tokens.nameOf(i))) return true;
    if (kind === K_STRING && tokens.textOf(i).includes('{')) return true;
  }
  return false;
}

/** One batch of top-level statements as the parser read it, and where it starts. */
export interface StatementBatch {
  readonly position: number;
  readonly deviceBefore: DeviceName | null;
  readonly statements: Stmt[];
}

/**
 * The file's top-level statements, `batchStatements` at a time, parsed from the parser's position on.
 * The one iterator of batches: the check below and the streaming run (runtime/stream-run.ts) both read it.
 */
export function* statementBatches(parser: Parser, batchStatements = BATCH_STATEMENTS): Generator<StatementBatch> {
  for (;;) {
    const position = parser.position;
    const deviceBefore = parser.deviceAfter;
    const statements = parser.parseTopLevel(batchStatements);
    if (statements.length === 0) return;
    yield { position, deviceBefore, statements };
  }
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

/**
 * `diagnose` without the fallback (exported for tests: a bug here must fail them, not hide behind the
 * whole-file path); tests also pass small batches, so that short files are read in many.
 */
export function diagnoseInBatches(
  text: string, uri: string, options: CheckOptions, batchStatements = BATCH_STATEMENTS,
  /** The text already lexed (without comments) by a caller that reads the tokens again afterwards: it keeps them. */
  lexed?: { readonly buffer: TokenBuffer; readonly lineStarts: number[] },
): Diagnostic[] {
  // The checker reads no comment: none is collected.
  const { buffer, lineStarts } = lexed ?? lexBuffer(text, false);
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
  for (const { position, deviceBefore, statements } of statementBatches(parser, batchStatements)) {
    const outline = outlineOf(statements, text);
    const letsFrom = facts.lets.length;
    facts.add(outline, 0);
    const entryKey = freeze(first.state, first.comparisonsLeft, facts.env).key;
    const diagnostics = checkBatch(first, statements);
    batches.push({
      position, endPosition: parser.position, deviceBefore, factsVersion: facts.version,
      declares: [...outline.lets.map((l) => l.name), ...outline.procs.map((q) => q.name), ...outline.broken],
      declaresProcs: outline.procs.length > 0, letsFrom, letsTo: facts.lets.length, includes: outline.includes,
      createsDevice: facts.createsDevice, connects: facts.connects,
      entryKey, exit: freeze(first.state, first.comparisonsLeft, facts.env), diagnostics,
    });
  }
  let finalState = first.state;

  // Batches checked under older facts that could depend on what changed: again, with the final facts.
  if (batches.length > 0 && batches[0].factsVersion !== facts.version) {
    const stale = staleBatches(batches, buffer, facts.createsDevice, facts.connects);
    const again = newPass();
    const reparser = new Parser(buffer);
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      if ((!stale[i] || b.factsVersion === facts.version) && freeze(again.state, again.comparisonsLeft, facts.env).key === b.entryKey) {
        // Checked from the same state, with the final facts or reading none that changed since: the first pass's answer stands.
        again.state = thaw(b.exit);
        again.comparisonsLeft = b.exit.comparisonsLeft;
        for (let l = b.letsFrom; l < b.letsTo; l++) again.topScope.set(facts.lets[l].name, facts.lets[l].def);
        continue;
      }
      reparser.resumeAt(b.position, b.deviceBefore);
      b.diagnostics = checkBatch(again, reparser.parseTopLevel(batchStatements));
    }
    finalState = again.state;
  }

  // Nothing built from the tokens refers to them: the next large file can lex into the same memory.
  if (!lexed) buffer.release();

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
