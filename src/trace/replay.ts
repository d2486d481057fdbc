/**
 * The replay driver: located lines in (from any number of files, already
 * merged in time order by the caller), steps applied to one VM, a summary out.
 * Memory stays bounded: steps are applied as they are made and dropped unless
 * the caller keeps them (`onStep`); divergences beyond the cap are counted only.
 */
import { createVm } from '../model/vm';
import type { VmState } from '../model/state';
import { applyStep, Divergence, StepOutcome } from './apply';
import { latin1Bytes, ScannedEvent, TraceEvent } from './events';
import { eventFromRawText, EventRecords, RecordedEvent, SlotNames } from './event-records';
import {
  CLASS_EVENT, CLASS_FOREIGN, CLASS_NOISE, CLASS_OVERLONG, CLASS_PROBLEM, classifyLine, createLineClass, QUOTE_LINE, QUOTE_OVERLONG,
} from './line-class';
import { LINE_OVERLONG, LINE_UNTERMINATED, SplitLine } from './line-splitter';
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
  /**
   * One line of file `file` (an index into `files`): bytes[start, end) without
   * its newline, its 1-based number and the splitter's LINE_* flags. Returns
   * false once the replay has stopped.
   */
  pushBytes(file: number, bytes: Uint8Array, start: number, end: number, line: number, flags: number): boolean;
  /** The same for a line given as text. */
  pushLine(file: number, l: SplitLine): boolean;
  /** Lines a reader thread classified (event-records.ts), in order. False once stopped. */
  pushRecords(b: EventRecords): boolean;
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
  let foreignEvent: string | null = null;
  let stopped = false;

  function problem(p: InputProblem): void {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  }

  const event = new ScannedEvent();
  const onStep = opts.onStep;

  /** One step, applied as the translator makes it (nothing is gathered per line). */
  function apply(s: TraceStep): void {
    if (stopped) return;
    const o = applyStep(vm, s);
    steps++;
    checks += o.checks;
    if (o.divergences.length > 0) {
      for (const d of o.divergences) {
        divergenceCount++;
        if (divergences.length < max) divergences.push(d);
      }
    }
    if (onStep !== undefined && onStep(s, o, vm) === false) stopped = true;
  }

  function run(made: readonly TraceStep[]): void {
    for (let k = 0; k < made.length; k++) apply(made[k]!);
  }

  const lineClass = createLineClass();
  const recorded = new RecordedEvent();
  const slotNames = new SlotNames();

  /** One classified line (`text`: what a message quotes, see LineClass), its event in `ev`. */
  function acceptLine(file: number, line: number, flags: number, kind: number, binary: boolean, text: string, ev: TraceEvent | null): boolean {
    if (stopped) return false;
    if (kind === CLASS_PROBLEM) { problem({ file, line, message: text }); return true; }
    lines++;
    if (binary) binaryLines++;
    if (kind === CLASS_OVERLONG) {
      problem({ file, line, message: `line longer than the limit, skipped: ${escapeForMessage(text, QUOTE_OVERLONG - 1)}` });
      return true;
    }
    if (kind === CLASS_NOISE) {
      nonTrace++;
      if ((flags & LINE_UNTERMINATED) !== 0) problem({ file, line, message: `the last line is not terminated (truncated file?): ${escapeForMessage(text, QUOTE_LINE - 1)}` });
      return true;
    }
    if (kind === CLASS_FOREIGN) {
      if (foreignEvent === null) {
        foreignEvent = text;
        problem({ file, line, message: `'${foreignEvent}' is an event of another machine (PowerNV / XIVE2): only sPAPR (pseries) XIVE and XICS traces can be replayed` });
      }
      return true;
    }
    if ((flags & LINE_UNTERMINATED) !== 0) {
      problem({ file, line, message: `the last line is not terminated (truncated file?), skipped: ${escapeForMessage(text, QUOTE_LINE - 1)}` });
      return true;
    }
    events++;
    if (ev !== null) tr.pushEvent(file, line, ev, apply);
    return !stopped;
  }

  function pushBytes(file: number, bytes: Uint8Array, start: number, end: number, line: number, flags: number): boolean {
    classifyLine(bytes, start, end, flags, event, lineClass);
    return acceptLine(file, line, flags, lineClass.kind, lineClass.binary, lineClass.text, event);
  }

  function pushRecords(b: EventRecords): boolean {
    slotNames.learn(b);
    const kinds = b.kind;
    const flags = b.flags;
    const rawIndex = b.rawIndex;
    const files = b.file;
    const lineNumbers = b.line;
    const nameSlots = b.nameSlot;
    for (let row = 0; row < b.count; row++) {
      const kind = kinds[row]!;
      if (kind === CLASS_EVENT && flags[row] === 0 && rawIndex[row]! < 0) {
        // Most rows: a complete event line read in place by the reader thread (what acceptLine does for it).
        if (stopped) return false;
        lines++;
        events++;
        recorded.at(b, row, slotNames.name(nameSlots[row]!));
        tr.pushEvent(files[row]!, lineNumbers[row]!, recorded, apply);
        continue;
      }
      const quote = b.quoteIndex[row]!;
      let ev: TraceEvent | null = null;
      if (kind === CLASS_EVENT) {
        if (rawIndex[row]! >= 0) ev = eventFromRawText(b, row);
        else { recorded.at(b, row, slotNames.name(nameSlots[row]!)); ev = recorded; }
      }
      if (!acceptLine(files[row]!, lineNumbers[row]!, flags[row]!, kind, b.binary[row] === 1, quote < 0 ? '' : b.texts[quote]!, ev)) return false;
    }
    return !stopped;
  }

  return {
    vm,
    addProblem: problem,
    pushBytes,
    pushRecords,
    pushLine(file, l) {
      const bytes = latin1Bytes(l.text);
      return pushBytes(file, bytes, 0, bytes.length, l.line, (l.overlong ? LINE_OVERLONG : 0) | (l.unterminated ? LINE_UNTERMINATED : 0));
    },
    end() {
      if (!stopped) run(tr.finish());
      for (const s of tr.skipped) {
        if (s.reason.includes('unknown event') || s.reason.includes('missing')) problem({ file: s.file, line: s.line, message: s.reason });
      }
      let unusableReason = '';
      if (foreignEvent !== null) unusableReason = `a trace of another machine ('${foreignEvent}'): not sPAPR XIVE or XICS`;
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
