/** Any steppable program (a scenario or a trace) as the history `explain` searches (src/dsl/runtime/explain-at). */
import type { ExplainHistory } from '../../dsl/runtime/explain-at';
import type { SteppableProgram } from './program';

export function programHistory(p: SteppableProgram): ExplainHistory {
  return {
    get vm() { return p.vm; },
    get stepCount() { return p.stepCount; },
    restoreTo: (n) => p.restoreTo(n),
    lastChangeBefore: (from, floor, probe, accept) => p.lastChangeBefore(from, floor, probe, accept),
    lastStep: () => {
      const o = p.lastOutcome;
      const last = p.lastOperation();
      if (!o || o.kind !== 'executed' || !last) return null;
      return { uri: o.location.uri, line: o.location.line, text: last.statement };
    },
  };
}
