/**
 * Classified trace lines in a compact, transferable form: what a reader
 * thread hands the replay. Reading (gunzip, split, classify, read the
 * arguments) and replaying (translate, model, compare) then run on two cores,
 * each thread compiling and running only its own half (measured: a replay
 * that also read some lines itself, to help a reader behind it, was slower:
 * it compiled the reading code too, and the translator saw two kinds of event).
 *
 * A batch is columns of typed arrays (one row per line) plus the few strings
 * a row needs: the text a message quotes, and the whole line for the events
 * whose text the translator reads (XICS sentences), whose values a double
 * cannot hold exactly, or whose name has no slot; those rows are re-read from
 * their text on the replay side, by the same reader.
 */
import { ARG, ARG_COUNT, ArgKey } from './arg-keys';
import { bigIntOf } from './bigint-of';
import { canonicalEventName, FAMILY_XICS, parseTraceLine, ScannedEvent, slotReadsArguments, TraceEvent } from './events';
import { NAME_TABLE_SIZE } from './event-names';
import { CLASS_EVENT, CLASS_PROBLEM, LineClass } from './line-class';

export interface EventRecords {
  readonly count: number;
  readonly file: Int32Array;
  readonly line: Int32Array;
  /** CLASS_* of line-class.ts. */
  readonly kind: Uint8Array;
  /** The splitter's LINE_* flags. */
  readonly flags: Uint8Array;
  readonly binary: Uint8Array;
  readonly tid: Int32Array;
  /** The reader thread's name-table slot of the event (−1: none). */
  readonly nameSlot: Int16Array;
  readonly family: Uint8Array;
  /**
   * Row r's arguments are [argEnd[r − 1] (0 for the first row), argEnd[r]),
   * packed: a batch is written once and read once (measured: a column per key,
   * 160 bytes a row, only cost 10 MiB more peak).
   */
  readonly argEnd: Int32Array;
  readonly argKey: Uint8Array;
  /** NaN: present but malformed. */
  readonly argValue: Float64Array;
  /** Per row: index into `texts` of the quoted text (CLASS_PROBLEM: the message), or −1. */
  readonly quoteIndex: Int32Array;
  /** Per row: index into `texts` of the whole line, re-read on the replay side, or −1. */
  readonly rawIndex: Int32Array;
  readonly texts: string[];
  /** Slots first used in this batch and their names. */
  readonly newSlots: number[];
  readonly newNames: string[];
}

/** Event rows read elsewhere, as `addReadRows` takes them: the columns an event line fills. */
export type ReadRows = Pick<EventRecords, 'tid' | 'nameSlot' | 'family' | 'argEnd' | 'argKey' | 'argValue'>;

export const DEFAULT_BATCH_ROWS = 16384;
/** The first batch's rows: the replay waits for it, the reader's start-up still running. */
const FIRST_BATCH_ROWS = 2048;

/** The reader's side: rows appended, a batch taken when full (its buffers then belong to the taker). */
export class EventRecordWriter {
  private count = 0;
  private args = 0;
  private r!: Mutable;
  /** Name-table slots whose names went out in an earlier batch. */
  private readonly sentSlots = new Uint8Array(NAME_TABLE_SIZE);
  /** The batches cycled through when `ring` > 0, and the next one to fill. */
  private readonly reused: Mutable[] = [];
  private next = 0;

  /** Rows that fill the current batch: the first one is small, so that the replay starts sooner. */
  private limit: number;

  /**
   * `ring` > 0: the writer cycles through that many batches, reusing their
   * columns (no allocation per batch, nothing for a collector to sweep): a
   * consumer must be done with a batch before `ring − 1` more are taken (the
   * reader thread's bound on batches in flight guarantees it). `shared`: the
   * columns live in SharedArrayBuffers, seen by the replay's thread without a copy.
   */
  constructor(private readonly rows = DEFAULT_BATCH_ROWS, private readonly ring = 0, private readonly shared = false) {
    this.limit = Math.min(rows, FIRST_BATCH_ROWS);
    this.fresh();
  }

  get full(): boolean {
    return this.count >= this.limit || this.args > this.r.argKey.length - ARG_COUNT;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Rows that still fit in the batch (≥ 1 unless `full`). */
  get rowsRoom(): number {
    return this.limit - this.count;
  }

  /** The batch's arguments so far, and past which it is full. */
  get argCount(): number {
    return this.args;
  }

  get argLimit(): number {
    return this.r.argKey.length - ARG_COUNT;
  }

  /**
   * `n` complete event rows read elsewhere (the compiled line reader), whose
   * names went out before: what `add` writes for them, column by column.
   * Line numbers are lineNumbers[first, first + n); `rows` holds the rest from
   * row 0, its arguments from 0 (`args` of them, argument ends already counted
   * from this batch's arguments).
   */
  addReadRows(file: number, lineNumbers: Int32Array, first: number, n: number, rows: ReadRows, args: number): void {
    const r = this.r;
    const row = this.count;
    const to = row + n;
    r.file.fill(file, row, to);
    r.line.set(lineNumbers.subarray(first, first + n), row);
    r.kind.fill(CLASS_EVENT, row, to);
    r.flags.fill(0, row, to);
    r.binary.fill(0, row, to);
    r.quoteIndex.fill(-1, row, to);
    r.rawIndex.fill(-1, row, to);
    r.tid.set(rows.tid.subarray(0, n), row);
    r.nameSlot.set(rows.nameSlot.subarray(0, n), row);
    r.family.set(rows.family.subarray(0, n), row);
    r.argEnd.set(rows.argEnd.subarray(0, n), row);
    r.argKey.set(rows.argKey.subarray(0, args), this.args);
    r.argValue.set(rows.argValue.subarray(0, args), this.args);
    this.count = to;
    this.args += args;
  }

  /** One classified line; `ev` holds the event when `c.kind` is CLASS_EVENT. */
  add(file: number, line: number, flags: number, c: LineClass, ev: ScannedEvent): void {
    const r = this.r;
    const row = this.count++;
    r.file[row] = file;
    r.line[row] = line;
    r.kind[row] = c.kind;
    r.flags[row] = flags;
    r.binary[row] = c.binary ? 1 : 0;
    r.quoteIndex[row] = c.text === '' ? -1 : this.text(c.text);
    r.rawIndex[row] = -1;
    if (c.kind === CLASS_EVENT) {
      const slot = ev.nameSlot;
      r.tid[row] = ev.tid;
      r.nameSlot[row] = slot;
      r.family[row] = ev.family;
      if (slot >= 0 && this.sentSlots[slot] === 0) {
        this.sentSlots[slot] = 1;
        r.newSlots.push(slot);
        r.newNames.push(ev.name);
      }
      let needsText = slot < 0 || ev.family === FAMILY_XICS;
      if (slotReadsArguments(slot)) {
        this.args += ev.exportArguments(r.argKey, r.argValue, this.args);
        if (!ev.allExact) needsText = true;
      }
      if (needsText) r.rawIndex[row] = this.text(ev.raw);
    }
    r.argEnd[row] = this.args;
  }

  /** A problem the reading edge met, in its place among the lines. */
  addProblem(file: number, line: number, message: string): void {
    const r = this.r;
    const row = this.count++;
    r.file[row] = file;
    r.line[row] = line;
    r.kind[row] = CLASS_PROBLEM;
    r.flags[row] = 0;
    r.binary[row] = 0;
    r.quoteIndex[row] = this.text(message);
    r.rawIndex[row] = -1;
    r.argEnd[row] = this.args;
  }

  /** The rows so far; the writer starts a new batch. */
  take(): EventRecords {
    const r = this.r;
    const out: EventRecords = { ...r, count: this.count };
    this.limit = this.rows;
    this.fresh();
    return out;
  }

  /** The buffers a batch owns (to transfer it to another thread without a copy); none when they are shared. */
  static buffers(b: EventRecords): ArrayBuffer[] {
    if (b.file.buffer instanceof SharedArrayBuffer) return [];
    return [b.file, b.line, b.kind, b.flags, b.binary, b.tid, b.nameSlot, b.family, b.argEnd, b.argKey, b.argValue, b.quoteIndex, b.rawIndex].map((a) => a.buffer as ArrayBuffer);
  }

  private text(t: string): number {
    this.r.texts.push(t);
    return this.r.texts.length - 1;
  }

  private fresh(): void {
    this.count = 0;
    this.args = 0;
    if (this.ring > 0 && this.reused.length === this.ring) {
      const r = this.reused[this.next]!;
      this.next = (this.next + 1) % this.ring;
      r.texts = [];
      r.newSlots = [];
      r.newNames = [];
      this.r = r;
      return;
    }
    const n = this.rows;
    const args = n * ARGS_PER_ROW;
    const shared = this.shared;
    const bytes = (length: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(length) : new ArrayBuffer(length));
    this.r = {
      count: 0,
      file: new Int32Array(bytes(n * 4)), line: new Int32Array(bytes(n * 4)), kind: new Uint8Array(bytes(n)), flags: new Uint8Array(bytes(n)),
      binary: new Uint8Array(bytes(n)), tid: new Int32Array(bytes(n * 4)), nameSlot: new Int16Array(bytes(n * 2)), family: new Uint8Array(bytes(n)),
      argEnd: new Int32Array(bytes(n * 4)), argKey: new Uint8Array(bytes(args)), argValue: new Float64Array(bytes(args * 8)),
      quoteIndex: new Int32Array(bytes(n * 4)), rawIndex: new Int32Array(bytes(n * 4)),
      texts: [], newSlots: [], newNames: [],
    };
    if (this.ring > 0) this.reused.push(this.r);
  }
}

/** The writer's batch while it fills. */
type Mutable = { -readonly [K in keyof EventRecords]: EventRecords[K] };

/** Room for arguments per row on average (a batch is also full when fewer than ARG_COUNT slots are left). */
const ARGS_PER_ROW = 6;

/**
 * The replay's side: one row of a batch as a TraceEvent (reused row after
 * row). Rows that carry their whole line are read from it instead.
 */
export class RecordedEvent implements TraceEvent {
  name = '';
  family = 0;
  tid = 0;
  private b!: EventRecords;
  /** The batch's argument columns, loaded once per batch. */
  private keys: Uint8Array = new Uint8Array(0);
  private values: Float64Array = new Float64Array(0);
  private from = 0;
  private to = 0;
  /** The row's keys (a bit each) and their values by key: the translator asks for keys, not positions. */
  private mask = 0;
  private readonly valueOf = new Float64Array(ARG_COUNT);

  /** Points at `row` of `b`, whose slot's name is `name`. */
  at(b: EventRecords, row: number, name: string): void {
    if (b !== this.b) {
      this.b = b;
      this.keys = b.argKey;
      this.values = b.argValue;
    }
    this.name = name;
    this.family = b.family[row]!;
    this.tid = b.tid[row]!;
    const from = row === 0 ? 0 : b.argEnd[row - 1]!;
    const to = b.argEnd[row]!;
    // A row holds each key once (its first value in the line).
    let mask = 0;
    for (let i = from; i < to; i++) {
      const key = this.keys[i]!;
      mask |= 1 << key;
      this.valueOf[key] = this.values[i]!;
    }
    this.from = from;
    this.to = to;
    this.mask = mask;
  }

  /** Not carried across threads (the replay does not use it). */
  get epoch(): number {
    return -1;
  }

  /** The event as `name key=value…`: the line itself stays with the reader. */
  get raw(): string {
    let out = this.name;
    for (const [k, v] of this.args) out += ` ${k}=${v}`;
    return out;
  }

  get args(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (let i = this.from; i < this.to; i++) {
      const v = this.values[i]!;
      if (v === v) out.set(ARG_NAMES[this.keys[i]!]!, `0x${v.toString(16)}`);
    }
    return out;
  }

  num(key: ArgKey): number | null {
    if ((this.mask & (1 << key)) === 0) return null;
    const v = this.valueOf[key]!;
    return v === v ? v : null;
  }

  big(key: ArgKey): bigint | null {
    // Exact: a row with an inexact value carries its text and is read from it instead.
    const v = this.num(key);
    return v === null ? null : bigIntOf(v);
  }

  arg(name: string): string | undefined {
    return this.args.get(name);
  }
}

const ARG_NAMES: string[] = [];
for (const [name, key] of Object.entries(ARG)) ARG_NAMES[key] = name;

/** Names of the reader thread's slots, learnt batch by batch, as this thread's shared spellings. */
export class SlotNames {
  /** Filled up front: an array written at scattered slots would fall back to slow dictionary elements. */
  private readonly names: string[] = new Array<string>(NAME_TABLE_SIZE).fill('');

  learn(b: EventRecords): void {
    for (let i = 0; i < b.newSlots.length; i++) this.names[b.newSlots[i]!] = canonicalEventName(b.newNames[i]!);
  }

  name(slot: number): string {
    return this.names[slot] ?? '';
  }
}

/** A row that carries its whole line, read again here (the same reader as the reader thread's). */
export function eventFromRawText(b: EventRecords, row: number): TraceEvent | null {
  const p = parseTraceLine(b.texts[b.rawIndex[row]!]!);
  return p.kind === 'event' ? p.event : null;
}
