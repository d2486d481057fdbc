/**
 * The end-of-session verdict. Statements typed in the Debug Console and Set
 * Value edits are the user's experiments (their location is CONSOLE_URI):
 * they are counted apart from the scenario's own expectations, so a failed
 * edit never makes a passing scenario read as failing.
 */
import { CONSOLE_URI } from '../dsl/runtime';
import type { ExpectationResult } from '../dsl/runtime';

export interface SessionSummary {
  /** `7 passed, 0 failed`, plus `; experiments: 2 failed` when the console or edits produced results. */
  readonly text: string;
  /** Failures of the scenario's own expectations (experiments excluded). */
  readonly failed: number;
}

export function sessionSummary(results: readonly ExpectationResult[]): SessionSummary {
  let passed = 0;
  let failed = 0;
  let experimentsPassed = 0;
  let experimentsFailed = 0;
  for (const r of results) {
    if (r.uri === CONSOLE_URI) {
      if (r.ok) experimentsPassed++;
      else experimentsFailed++;
    } else if (r.ok) passed++;
    else failed++;
  }
  let text = `${passed} passed, ${failed} failed`;
  if (experimentsPassed + experimentsFailed > 0) {
    const parts = [];
    if (experimentsPassed > 0) parts.push(`${experimentsPassed} passed`);
    if (experimentsFailed > 0) parts.push(`${experimentsFailed} failed`);
    text += `; experiments (Debug Console, Set Value): ${parts.join(', ')}`;
  }
  return { text, failed };
}
