/**
 * A `.irq` scenario as a SteppableProgram: the DSL runtime plus what the
 * debugger asks about statements (operation names for function breakpoints,
 * the layout of a word under the mouse, the Last operation record). Its
 * timeline is recorded by the controller while it runs.
 */
import { basename } from 'node:path';
import { parse, wordSites } from '../../dsl';
import type { Program, Stmt } from '../../dsl/ast';
import { CONSOLE_URI } from '../../dsl/runtime';
import type { ScenarioRuntime } from '../../dsl/runtime';
import type { LayoutName } from '../../model/layouts/table';
import { StepHistory } from '../history';
import { configurationLines } from '../interrupt-map';
import { operationNames, statementsByOffset } from '../operations';
import { LastOperationInfo, operationResultFields } from '../variables-tree';
import type { SteppableProgram } from './program';

export class ScenarioProgram implements SteppableProgram {
  readonly kind = 'scenario';
  readonly timeline = new StepHistory();
  private readonly statementIndex: Map<string, Map<number, Stmt>>;
  private configuredAt: Map<number, number> | null = null;

  constructor(readonly runtime: ScenarioRuntime, private readonly readFile: (path: string) => string | undefined) {
    this.statementIndex = new Map([[runtime.uri, statementsByOffset(runtime.program)]]);
  }

  get uri(): string { return this.runtime.uri; }
  get vm() { return this.runtime.vm; }
  get stepCount(): number { return this.runtime.stepCount; }
  get finished(): boolean { return this.runtime.finished; }
  get depth(): number { return this.runtime.depth; }
  get location() { return this.runtime.location; }
  get callStack() { return this.runtime.callStack; }
  get lastOutcome() { return this.runtime.lastOutcome; }
  get results() { return this.runtime.results; }
  get log() { return this.runtime.log; }
  get program(): Program { return this.runtime.program; }

  stepLines(uri: string): readonly number[] { return this.runtime.statementLines(uri); }
  virtualSource(): undefined { return undefined; }
  checkCounts(): { passed: number; failed: number } {
    const own = this.runtime.results.filter((r) => r.uri !== CONSOLE_URI);
    const failed = own.filter((r) => !r.ok).length;
    return { passed: own.length - failed, failed };
  }
  /** Console statements and Set Value edits are the user's experiments: counted apart. */
  experimentCounts(): { passed: number; failed: number } {
    const mine = this.runtime.results.filter((r) => r.uri === CONSOLE_URI);
    const failed = mine.filter((r) => !r.ok).length;
    return { passed: mine.length - failed, failed };
  }
  consoleStatementsBetween(from: number, to: number): string[] { return this.runtime.consoleStatementsBetween(from, to); }
  get verbose(): boolean { return this.runtime.verbose; }
  set verbose(on: boolean) { this.runtime.verbose = on; }
  step() { return this.runtime.step(); }
  stepBack(): boolean { return this.runtime.stepBack(); }
  restoreTo(stepCount: number): void { this.runtime.restoreTo(stepCount); }
  lastChangeBefore(from: number, floor: number, probe: () => string, accept: (before: string, after: string) => boolean) {
    return this.runtime.lastChangeBefore(from, floor, probe, accept);
  }
  evaluateExpression(text: string) { return this.runtime.evaluateExpression(text); }
  executeText(text: string) { return this.runtime.executeText(text); }

  operationNamesAt(uri: string, offset: number): readonly string[] {
    const stmt = this.statementAt(uri, offset);
    return stmt ? operationNames(stmt) : [];
  }

  configurationLines(): Map<number, number> {
    this.configuredAt ??= configurationLines(this.runtime.program);
    return this.configuredAt;
  }

  /** The statement at a location; included files are parsed on first need (the runtime reports their URIs). */
  private statementAt(uri: string, offset: number): Stmt | undefined {
    let index = this.statementIndex.get(uri);
    if (!index) {
      const text = this.readFile(uri);
      index = text === undefined ? new Map() : statementsByOffset(parse(text, uri));
      this.statementIndex.set(uri, index);
    }
    return index.get(offset);
  }

  lastOperation(): LastOperationInfo | null {
    const rt = this.runtime;
    const o = rt.lastOutcome;
    if (!o || o.kind !== 'executed') return null;
    const text = o.location.uri === rt.uri ? rt.program.text.slice(o.stmt.span.start, o.stmt.span.end) : o.stmt.kind;
    return {
      statement: text.split('\n')[0].trim(),
      location: o.location.uri === CONSOLE_URI ? 'typed in the Debug Console (or a Set Value edit)' : `${basename(o.location.uri)}:${o.location.line + 1}:${o.location.col + 1}`,
      step: rt.stepCount,
      ...operationResultFields(o.result),
      layout: layoutOfResult(o.stmt, rt.vm.device?.kind ?? null),
      expectation: o.expectation,
    };
  }

  /**
   * The layout of a literal word under the mouse, from the front end's word
   * sites (every literal whose layout its statement fixes); the one in the
   * current statement wins. The hover request carries no position, so the
   * literal's text is what identifies it.
   */
  layoutOfLiteral(literal: string): LayoutName | null {
    const rt = this.runtime;
    const text = rt.program.text;
    const sites = wordSites(rt.program).filter((w) => text.slice(w.span.start, w.span.end) === literal);
    const here = rt.location?.uri === rt.uri ? rt.location.span : null;
    const inHere = here ? sites.find((w) => w.span.start >= here.start && w.span.end <= here.end) : undefined;
    if (inHere ?? sites[0]) return (inHere ?? sites[0]).layout;
    return this.layoutFromStatementText(literal);
  }

  /** Fallback: the statement whose text holds the literal and whose result has a layout. */
  private layoutFromStatementText(literal: string): LayoutName | null {
    const rt = this.runtime;
    const candidates: Stmt[] = [];
    const loc = rt.location;
    if (loc) {
      const s = this.statementAt(loc.uri, loc.span.start);
      if (s) candidates.push(s);
    }
    for (const s of this.statementIndex.get(rt.uri)?.values() ?? []) candidates.push(s);
    for (const s of candidates) {
      const text = rt.program.text.slice(s.span.start, s.span.end);
      if (text.includes(literal)) {
        const layout = layoutOfResult(s, rt.vm.device?.kind ?? null);
        if (layout) return layout;
      }
    }
    return null;
  }
}

/** Which layout a statement's result word has (for decoding the Last operation and console results). */
export function layoutOfResult(stmt: Stmt, device: string | null): LayoutName | null {
  switch (stmt.kind) {
    case 'get':
    case 'set':
      return stmt.target === 'source_config' ? 'xive-source-config' : device === 'xive' ? 'xive-source' : 'xics-source';
    case 'get-reg':
    case 'set-reg':
      return stmt.reg === 'icp' ? 'xics-icp' : 'xive-vp-state';
    case 'eq':
      return 'xive-eq-entry';
    default:
      return null;
  }
}
