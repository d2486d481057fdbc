/**
 * Explanations at a point of a run, and where a queue entry came from.
 *
 * Provenance is found by searching history, not recorded: the runtime
 * already keeps snapshots and replays backwards a segment at a time
 * (lastChangeBefore), so "which step wrote EQ 1/6 slot 12" costs a replay of
 * the steps since that write, only when someone asks. Recording it would add
 * a store per routed event on the hot path (~1M events/s in the bench) and a
 * shadow array per queue page to every snapshot, for a question asked rarely.
 *
 * The search works on an ExplainHistory, so a replayed trace (src/trace) can
 * offer the same answer by implementing it.
 */
import { explainQueueEntry, explainSource, explainVcpu, sourcesWithEisn } from '../../model/explain';
import type { Explanation, ExplainResult, QueueEntryExplanation } from '../../model/explain';
import type { VmState } from '../../model/state';
import { queueEntries } from '../../model/xive/queues';
import { vcpuForServer } from '../../model/xive/sources';
import type { ScenarioRuntime } from './scenario-runtime';

/** What to explain. */
export type ExplainTarget =
  | { readonly kind: 'source'; readonly irq: number }
  | { readonly kind: 'vcpu'; readonly vcpu: number }
  | { readonly kind: 'entry'; readonly server: number; readonly priority: number; readonly index: number };

/** A history of model states that can be travelled: a scenario run, or a replayed trace. */
export interface ExplainHistory {
  readonly vm: VmState;
  readonly stepCount: number;
  restoreTo(step: number): void;
  /** See ScenarioRuntime.lastChangeBefore. */
  lastChangeBefore(from: number, floor: number, probe: () => string, accept: (before: string, after: string) => boolean):
    { position: number; before: string; after: string } | null;
  /** The statement (or trace line) that ran as the last step, after a restoreTo. */
  lastStep(): { readonly uri: string; readonly line: number; readonly text: string } | null;
}

/** A ScenarioRuntime as an ExplainHistory. */
export function scenarioHistory(rt: ScenarioRuntime): ExplainHistory {
  return {
    get vm() { return rt.vm; },
    get stepCount() { return rt.stepCount; },
    restoreTo: (n) => rt.restoreTo(n),
    lastChangeBefore: (from, floor, probe, accept) => rt.lastChangeBefore(from, floor, probe, accept),
    lastStep: () => {
      const o = rt.lastOutcome;
      if (!o || o.kind !== 'executed') return null;
      const text = o.location.uri === rt.uri ? rt.program.text.slice(o.stmt.span.start, o.stmt.span.end) : o.stmt.kind;
      return { uri: o.location.uri, line: o.location.line, text: text.split('\n')[0].trim() };
    },
  };
}

/**
 * Runs forward until the top-level statement on 0-based `line` has run: a
 * call, repeat or include there runs whole; a line inside a proc or repeat
 * body stops after the enclosing top-level statement. Returns false when the
 * run ended (or hit its step limit) first.
 */
export function runToLine(rt: ScenarioRuntime, line: number): boolean {
  for (;;) {
    const loc = rt.location;
    if (!loc) return false;
    const stack = rt.callStack;
    const topLevelLine = stack[stack.length - 1].location.line;
    if (topLevelLine > line) return true;
    if (rt.step().kind !== 'executed') return false;
  }
}

/** Reads the 32-bit slot word and whether the writer has just passed it (its next index is the one after). */
function slotProbe(vm: VmState, server: number, priority: number, index: number): string {
  const dev = vm.device;
  if (dev?.kind !== 'xive') return '-';
  const q = vcpuForServer(vm, dev, server)?.vp?.queues[priority];
  if (!q) return '-';
  const entries = queueEntries(q);
  if (entries === 0) return '-';
  const page = vm.memory.pages.get(Math.floor(q.qaddr / 65536));
  const word = page ? page[index] >>> 0 : 0;
  return `${word}|${q.index === (index + 1) % entries ? 'w' : ''}`;
}

/**
 * The step that last wrote the entry: the latest step after which the slot's
 * word changed, or the writer moved just past it (a rewrite of the same
 * word). The history is restored to where it was.
 */
export function queueEntryOrigin(h: ExplainHistory, server: number, priority: number, index: number): QueueEntryExplanation['writtenAt'] | undefined {
  const here = h.stepCount;
  const probe = (): string => slotProbe(h.vm, server, priority, index);
  const passed = (s: string): boolean => s.endsWith('|w');
  const word = (s: string): string => s.split('|')[0];
  try {
    const found = h.lastChangeBefore(here + 1, 0, probe, (b, a) => word(b) !== word(a) || (passed(a) && !passed(b)));
    if (!found) return undefined;
    h.restoreTo(found.position);
    const step = h.lastStep();
    const slot = Number(word(found.after));
    const sources = sourcesWithEisn(h.vm, server, priority, slot & 0x7fffffff);
    return step ? { step: found.position, uri: step.uri, line: step.line, statement: step.text, sources } : undefined;
  } finally {
    h.restoreTo(here);
  }
}

/** The explanation of `target` in the history's current state (a queue entry with its provenance). */
export function explainTarget(h: ExplainHistory, target: ExplainTarget): ExplainResult<Explanation> {
  switch (target.kind) {
    case 'source': return { ok: true, value: explainSource(h.vm, target.irq) };
    case 'vcpu': return explainVcpu(h.vm, target.vcpu);
    case 'entry': {
      const r = explainQueueEntry(h.vm, target.server, target.priority, target.index);
      if (!r.ok) return r;
      if (r.value.word === 0) return r;
      const writtenAt = queueEntryOrigin(h, target.server, target.priority, target.index);
      return { ok: true, value: writtenAt ? { ...r.value, writtenAt } : r.value };
    }
  }
}

/** `source 0x1300`, `vcpu 1`, `eq 1 6 12` (also `entry`): the words after `explain`. */
export function parseExplainTarget(words: readonly string[]): ExplainTarget | { error: string } {
  const num = (t: string | undefined): number | null => {
    if (t === undefined || !/^(0x[0-9a-f_]+|0b[01_]+|[0-9][0-9_]*)$/i.test(t)) return null;
    const n = Number(t.replace(/_/g, ''));
    return Number.isSafeInteger(n) && n >= 0 && n <= 0xffffffff ? n : null;
  };
  const [what, ...rest] = words;
  const usage = 'explain source IRQ | explain vcpu N | explain eq SERVER PRIORITY INDEX';
  if (what === 'source' && rest.length === 1 && num(rest[0]) !== null) return { kind: 'source', irq: num(rest[0])! };
  if (what === 'vcpu' && rest.length === 1 && num(rest[0]) !== null) return { kind: 'vcpu', vcpu: num(rest[0])! };
  if ((what === 'eq' || what === 'entry') && rest.length === 3 && rest.every((t) => num(t) !== null)) {
    return { kind: 'entry', server: num(rest[0])!, priority: num(rest[1])!, index: num(rest[2])! };
  }
  const bad = rest.find((t) => num(t) === null);
  return { error: bad !== undefined ? `'${bad}' is not a number (usage: ${usage})` : `usage: ${usage}` };
}
