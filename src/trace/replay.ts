/**
 * The replay driver: located lines in (from any number of files, already
 * merged in time order by the caller), steps applied to one VM, a summary out.
 * Memory stays bounded: steps are applied as they are made and dropped unless
 * the caller keeps them (`onStep`); divergences beyond the cap are counted only.
 */
import { createVm } from '../model/vm';
import type { VmState } from '../model/state';
import { applyStep, Divergence, StepOutcome } from './apply';
import { parseTraceLine } from './events';
import type { SplitLine } from './line-splitter';
import type { TraceStep } from './steps';
import { createTranslator } from './translate';

/** A problem with the input itself (not a divergence): named by file and line. */
export interface InputProblem {
  readonly file: number;
  readonly line: number;
  readonly message: string;
}

export interface ReplaySummary {
  readonly files: readonly string[];
  readonly lines: number;
  readonly events: number;
  readonly steps: number;
  readonly checks: number;
  readonly divergenceCount: number;
  /** The first `maxDivergences`, in trace order. */
  readonly divergences: readonly Divergence[];
  /** Lines that are not interrupt-controller trace events (`-d int`, console noise). */
  readonly nonTraceLines: number;
  /** Events read but not replayed, counted per reason. */
  readonly skipped: ReadonlyMap<string, number>;
  readonly problems: readonly InputProblem[];
  /** True when nothing could be replayed or the trace is of another machine: exit 2. */
  readonly unusable: boolean;
  readonly unusableReason: string;
  readonly vm: VmState;
}

export interface ReplayOptions {
  readonly maxDivergences?: number;
  /** Called after each step with its outcome; return false to stop the replay there. */
  readonly onStep?: (step: TraceStep, outcome: StepOutcome, vm: VmState) => boolean | void;
  /** The VM to replay into (default: a fresh POWER9 host). */
  readonly vm?: VmState;
}

export interface Replay {
  /** One line of file `file` (an index into `files`). Returns false once the replay has stopped. */
  pushLine(file: number, l: SplitLine): boolean;
  /** A problem found by the edge (unreadable file, bad gzip): reported with the rest. */
  addProblem(p: InputProblem): void;
  end(): ReplaySummary;
  readonly vm: VmState;
}

const MAX_PROBLEMS = 100;

/** Control bytes and non-ASCII shown escaped, and long text cut: messages stay one readable line. */
export function escapeForMessage(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[\x00-\x1f\x7f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function createReplay(files: readonly string[], opts: ReplayOptions = {}): Replay {
  const vm = opts.vm ?? createVm();
  const max = opts.maxDivergences ?? 20;
  const tr = createTranslator();
  const divergences: Divergence[] = [];
  const problems: InputProblem[] = [];
  let problemCount = 0;
  let lines = 0;
  let events = 0;
  let steps = 0;
  let checks = 0;
  let divergenceCount = 0;
  let nonTrace = 0;
  let binaryLines = 0;
  let foreignName: string | null = null;
  let stopped = false;

  function problem(p: InputProblem): void {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  }

  function run(batch: readonly TraceStep[]): void {
    for (const s of batch) {
      if (stopped) return;
      const o = applyStep(vm, s);
      steps++;
      checks += o.checks;
      for (const d of o.divergences) {
        divergenceCount++;
        if (divergences.length < max) divergences.push(d);
      }
      if (opts.onStep && opts.onStep(s, o, vm) === false) stopped = true;
    }
  }

  return {
    vm,
    addProblem: problem,
    pushLine(file, l) {
      if (stopped) return false;
      lines++;
      if (l.overlong) {
        problem({ file, line: l.line, message: `line longer than the limit, skipped: ${escapeForMessage(l.text, 60)}` });
        binaryLines++;
        return true;
      }
      const p = parseTraceLine(l.text);
      if (p.kind === 'noise') {
        nonTrace++;
        // eslint-disable-next-line no-control-regex
        if (/[\x00-\x08\x0e-\x1f\x7f-\xff]/.test(l.text)) binaryLines++;
        if (l.unterminated) problem({ file, line: l.line, message: `the last line is not terminated (truncated file?): ${escapeForMessage(l.text)}` });
        return true;
      }
      if (p.kind === 'foreign') {
        if (foreignName === null) {
          foreignName = p.name;
          problem({ file, line: l.line, message: `'${p.name}' is an event of another machine (PowerNV / XIVE2): only sPAPR (pseries) XIVE and XICS traces can be replayed` });
        }
        return true;
      }
      if (l.unterminated) {
        problem({ file, line: l.line, message: `the last line is not terminated (truncated file?), skipped: ${escapeForMessage(l.text)}` });
        return true;
      }
      events++;
      run(tr.push({ file, line: l.line, event: p.event }));
      return !stopped;
    },
    end() {
      if (!stopped) run(tr.finish());
      for (const s of tr.skipped) {
        if (s.reason.includes('unknown event') || s.reason.includes('missing')) problem({ file: s.file, line: s.line, message: s.reason });
      }
      let unusableReason = '';
      if (foreignName !== null) unusableReason = `a trace of another machine ('${foreignName}'): not sPAPR XIVE or XICS`;
      else if (events === 0 && binaryLines > 0) unusableReason = 'no trace events: the input looks binary (not a QEMU log-backend trace)';
      else if (events === 0) unusableReason = 'no interrupt-controller trace events (record with -trace \'xive_*\' -trace \'spapr_xive_*\' -trace \'xics_*\')';
      else if (steps === 0) {
        const xics = [...tr.skippedByReason].filter(([r]) => r.startsWith('xics_')).reduce((n, [, c]) => n + c, 0);
        unusableReason = xics > 0
          ? `a XICS trace whose ${xics} xics_* events give no operation`
          : 'no event could be replayed';
      }
      return {
        files, lines, events, steps, checks, divergenceCount, divergences, nonTraceLines: nonTrace,
        skipped: tr.skippedByReason, problems, unusable: unusableReason !== '', unusableReason, vm,
      };
    },
  };
}

/** A sentence per input problem and skip reason: what `replay` prints after the result. */
export function describeSkips(s: ReplaySummary): string[] {
  const out: string[] = [];
  if (s.nonTraceLines > 0) out.push(`${s.nonTraceLines} line(s) are not interrupt-controller trace events (skipped)`);
  for (const [reason, n] of s.skipped) out.push(`${n} × ${reason}`);
  return out;
}
