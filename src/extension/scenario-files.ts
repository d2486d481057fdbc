/**
 * Running a scenario file in-process (Run command, Test Explorer) and listing its
 * expectations (test items). Node-only, no `vscode`: includes are read from disk,
 * relative to the including file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, Stmt } from '../dsl';
import { runScenarioText, ScenarioRunSummary } from '../dsl/runtime';

export function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function runScenarioFile(path: string, text: string, maxSteps: number): ScenarioRunSummary {
  return runScenarioText(path, text, {
    maxSteps,
    readFile: readFileOrUndefined,
    resolveInclude: (from, included) => resolve(dirname(from), included),
  });
}

export interface ExpectationSite {
  /** 0-based line of the statement carrying the expectation. */
  readonly line: number;
  /** The statement's source text (first line), for the test item's label. */
  readonly label: string;
}

export interface ScenarioOutline {
  /** `scenario "title"` of the file, when it has one. */
  readonly title: string | null;
  /** 0-based line of each `scenario` statement (for code lenses). */
  readonly scenarioLines: readonly number[];
  readonly expectations: readonly ExpectationSite[];
}

/** The file's scenario titles and every statement with an expectation, nested bodies included. */
export function outlineScenario(text: string, uri?: string): ScenarioOutline {
  const program = parse(text, uri);
  const lines = text.split(/\r?\n/);
  const expectations: ExpectationSite[] = [];
  const scenarioLines: number[] = [];
  let title: string | null = null;
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'scenario') {
        scenarioLines.push(s.span.line);
        title ??= s.title;
      }
      if (s.expect) expectations.push({ line: s.span.line, label: (lines[s.span.line] ?? '').trim() });
      if (s.kind === 'proc' || s.kind === 'repeat') visit(s.body);
    }
  };
  visit(program.statements);
  return { title, scenarioLines, expectations };
}
