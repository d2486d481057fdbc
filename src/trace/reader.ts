/**
 * Reading QEMU's log-backend trace lines (`TID@EPOCH:event args`, or the
 * event alone without the prefix) into typed records, and keeping count of
 * every line that is not one: lines that are not trace events (`-d int`
 * output, console noise) are skipped and counted; unknown events, arguments
 * that do not parse, other machines' events, binary garbage, over-long and
 * truncated lines are reported with file and line (the first few of each
 * reason in full, all of them counted). Pure: lines of text in, no I/O.
 */
import { classifyEventName, EventArgs, formatsOf, parseEventArgs, specOf, TraceFamily } from './events';

/** One trace event, typed. */
export class TraceEvent {
  constructor(
    readonly name: string,
    readonly family: TraceFamily,
    /** QEMU's thread id (`TID@`), or null on a line without the prefix. */
    readonly tid: number | null,
    readonly args: EventArgs,
    private readonly stamp: string | null,
  ) {}

  /** Seconds since the epoch (`@EPOCH`), or null (parsed when asked: the replay does not need it). */
  get time(): number | null {
    return this.stamp === null ? null : Number(this.stamp);
  }
}

export type SkipReason = 'not-trace' | 'unknown-event' | 'bad-args' | 'other-machine' | 'binary' | 'over-long' | 'truncated';

export const SKIP_REASONS: readonly SkipReason[] = ['not-trace', 'unknown-event', 'bad-args', 'other-machine', 'binary', 'over-long', 'truncated'];

const REASON_TEXT: Record<SkipReason, string> = {
  'not-trace': 'not a trace event (e.g. -d int output)',
  'unknown-event': 'unknown trace event',
  'bad-args': 'arguments that do not parse',
  'other-machine': 'another machine\'s event (PowerNV / XIVE2)',
  binary: 'binary garbage',
  'over-long': 'over-long line',
  truncated: 'truncated last line',
};

export function describeSkipReason(r: SkipReason): string {
  return REASON_TEXT[r];
}

/** A line as the edge hands it over: its text (cut at the line limit) and what the edge saw. */
export interface TraceLineInput {
  readonly text: string;
  /** The line was longer than the limit; `text` is its beginning. */
  readonly overLong?: boolean;
  /** The file ended without a newline after this line (QEMU always ends its lines: it was cut). */
  readonly unterminated?: boolean;
}

export type LineOutcome =
  | { readonly kind: 'event'; readonly event: TraceEvent }
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly message: string };

// eslint-disable-next-line no-control-regex
const BINARY = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;
const SHOWN_MAX = 120;

/** Control bytes escaped, long text cut: safe to print in a message. */
export function shownText(text: string): string {
  const cut = text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Where the `TID@EPOCH:` prefix ends (the event name's start), or 0 without one; `at` is the `@`'s index.
 * Scanned by hand: it runs for every line.
 */
function prefixEnd(line: string): number {
  let i = 0;
  let c = line.charCodeAt(0);
  while (c >= 48 && c <= 57 && i < 11) c = line.charCodeAt(++i);
  if (i === 0 || c !== 64) return 0;
  const at = i;
  c = line.charCodeAt(++i);
  let dot = false;
  while (((c >= 48 && c <= 57) || (c === 46 && !dot)) && i - at < 24) {
    if (c === 46) dot = true;
    c = line.charCodeAt(++i);
  }
  return c === 58 && i > at + 1 ? i + 1 : 0;
}

/** The time stamp of a line (`TID@EPOCH:`), or null. Cheap: for merging per-thread logs. */
export function timeOfLine(line: string): number | null {
  const end = prefixEnd(line);
  return end === 0 ? null : Number(line.slice(line.indexOf('@') + 1, end - 1));
}

/** The event name of a line when it is a known event (no argument parsing): decides steps cheaply. */
export function knownEventName(line: string): string | null {
  const start = prefixEnd(line);
  let end = line.indexOf(' ', start);
  if (end < 0) end = line.length;
  const name = line.slice(start, end);
  return specOf(name) ? name : null;
}

function binary(text: string): LineOutcome {
  return { kind: 'skip', reason: 'binary', message: `binary bytes in the line: ${shownText(text)}` };
}

/** Reads one line: an event, or why it is skipped. */
export function readTraceLine(input: TraceLineInput | string): LineOutcome {
  const { text, overLong, unterminated } = typeof input === 'string' ? { text: input, overLong: false, unterminated: false } : input;
  if (overLong) return { kind: 'skip', reason: 'over-long', message: `line longer than the limit, not read: ${shownText(text)}` };
  const start = prefixEnd(text);
  const m = start > 0;
  let end = text.indexOf(' ', start);
  if (end < 0) end = text.length;
  const name = text.slice(start, end);
  const spec = specOf(name);
  if (spec && !unterminated) {
    const args = parseEventArgs(name, text, end < text.length ? end + 1 : end);
    if (args && (spec.family !== 'pci' || !BINARY.test(text))) {
      const at = m ? text.indexOf('@') : -1;
      return { kind: 'event', event: new TraceEvent(name, spec.family, m ? Number(text.slice(0, at)) : null, args, m ? text.slice(at + 1, start - 1) : null) };
    }
  }
  const kind = classifyEventName(name);
  if (BINARY.test(text)) return binary(text);
  if (unterminated && (m || kind !== 'foreign')) {
    return { kind: 'skip', reason: 'truncated', message: `the file ends in the middle of this line (no newline): ${shownText(text)}` };
  }
  if (kind === 'foreign') {
    if (m) return { kind: 'skip', reason: 'unknown-event', message: `unknown trace event '${shownText(name)}'` };
    return { kind: 'skip', reason: 'not-trace', message: '' };
  }
  if (kind === 'other-machine') {
    return { kind: 'skip', reason: 'other-machine', message: `'${shownText(name)}' is an event of another machine (PowerNV or XIVE2): IRQ Lab models sPAPR guests on KVM` };
  }
  if (kind === 'unknown') return { kind: 'skip', reason: 'unknown-event', message: `unknown trace event '${shownText(name)}'` };
  const rest = end < text.length ? text.slice(end + 1) : '';
  return { kind: 'skip', reason: 'bad-args', message: `arguments of ${name} do not parse: '${shownText(rest)}' (expected ${formatsOf(name).map((f) => `'${f}'`).join(' or ')})` };
}

export interface TraceIssue {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly reason: SkipReason;
  readonly message: string;
}

/** Counts of what was read and skipped; the first issues of each reason kept whole. */
export class TraceSummary {
  events = 0;
  lines = 0;
  readonly skipped: Record<SkipReason, number> = { 'not-trace': 0, 'unknown-event': 0, 'bad-args': 0, 'other-machine': 0, binary: 0, 'over-long': 0, truncated: 0 };
  readonly issues: TraceIssue[] = [];

  constructor(private readonly keepPerReason = 20) {}

  /** Reads a line and records its outcome. */
  read(file: string, line: number, input: TraceLineInput | string): TraceEvent | null {
    this.lines++;
    const o = readTraceLine(input);
    if (o.kind === 'event') {
      this.events++;
      return o.event;
    }
    this.skip(file, line, o.reason, o.message);
    return null;
  }

  skip(file: string, line: number, reason: SkipReason, message: string): void {
    const n = ++this.skipped[reason];
    if (reason !== 'not-trace' && n <= this.keepPerReason) this.issues.push({ file, line, reason, message });
  }

  /** Whether any line was skipped for a reason other than "not a trace event". */
  get hasProblems(): boolean {
    return SKIP_REASONS.some((r) => r !== 'not-trace' && this.skipped[r] > 0);
  }

  /** `12 lines skipped: 10 not a trace event…, 2 unknown trace event` or null when nothing was skipped. */
  describe(): string | null {
    const parts = SKIP_REASONS.filter((r) => this.skipped[r] > 0).map((r) => `${this.skipped[r]} ${REASON_TEXT[r]}`);
    if (parts.length === 0) return null;
    const total = SKIP_REASONS.reduce((s, r) => s + this.skipped[r], 0);
    return `${total} line${total === 1 ? '' : 's'} skipped: ${parts.join(', ')}`;
  }
}
