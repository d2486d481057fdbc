/**
 * The reader thread's lines read by compiled code (line-scanner.wat) where
 * they are plain, by the JavaScript reader where they are not. The JavaScript
 * reader stays the definition: the compiled scanner only reads an event line
 * whose name that reader has met (and sent to the replay) and whose arguments
 * keep the layout it learnt, which it mirrors here; at any other line it
 * stops, and the line is read by `classifyLine` + `EventRecordWriter.add` as
 * before. Batches come out identical either way (tested row by row).
 *
 * Why: the reader thread is the slower half of a long replay, and nearly all
 * of its time is reading a line's prefix, name and arguments byte by byte,
 * which compiled code does several times faster (no bounds checks, no
 * DataView, eight bytes compared at once).
 *
 * Pure: it takes a compiled WebAssembly module; loading it is the edge's.
 */
import { ARG_COUNT } from '../arg-keys';
import { ArgumentLayout, MAX_LAYOUT_BYTES, MAX_LAYOUT_VALUES } from '../argument-layouts';
import { EventRecordWriter, ReadRows } from '../event-records';
import { FAMILY_XICS, HEX_VALUE, latin1Bytes, ScannedEvent, slotReadsArguments } from '../events';
import { NAME_TABLE_SIZE, nameHash } from '../event-names';
import { CLASS_EVENT, classifyLine, createLineClass } from '../line-class';

/** Below this, a chunk is read by JavaScript (a carried line, a short last chunk): copying it would not pay. */
const MIN_COPIED_CHUNK = 64 * 1024;

interface ScannerExports {
  readonly memory: WebAssembly.Memory;
  readonly scan: (k: number, n: number, maxRows: number, argBase: number, argLimit: number) => number;
  readonly stoppedAtLine: WebAssembly.Global;
  readonly argsWritten: WebAssembly.Global;
}

/** An exported offset or size of the module's memory map. */
function offset(exports: Record<string, unknown>, name: string): number {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`line scanner: no export ${name}`);
  return g.value;
}

export class CompiledLineReader {
  /** The JavaScript reader for the lines the scanner leaves (its layouts mirrored into the scanner). */
  readonly event: ScannedEvent;
  private readonly lineClass = createLineClass();
  private readonly x: ScannerExports;
  private readonly memory: Uint8Array;
  private readonly view: DataView;
  private readonly inputCapacity: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly lineNumbers: Int32Array;
  private readonly rows: ReadRows;
  /** The chunk whose bytes are in the scanner's input (lines of it are pending). */
  private chunk: Uint8Array | null = null;
  private pending = 0;
  private pendingFile = 0;
  /** Name-table slots offered to the scanner (usable or not). */
  private readonly offered = new Uint8Array(NAME_TABLE_SIZE);
  private namePoolUsed = 0;
  /** Lines the scanner read (the others went to the JavaScript reader). */
  scannedLines = 0;
  private readonly map: Record<'slotUsable' | 'slotReads' | 'slotFamily' | 'layoutValues' | 'layoutTail' | 'layoutLiteralLength' | 'layoutKey'
    | 'layoutBytes' | 'layoutMaxValues' | 'layoutMaxBytes' | 'names' | 'namesMask' | 'namePool' | 'namePoolCapacity', number>;

  /**
   * `emit`: the writer's batch is full; take and send it, false when the
   * reading should stop.
   */
  constructor(module: WebAssembly.Module, private readonly writer: EventRecordWriter, private readonly emit: () => boolean) {
    const exports = new WebAssembly.Instance(module, {}).exports;
    this.x = exports as unknown as ScannerExports;
    this.memory = new Uint8Array(this.x.memory.buffer);
    this.view = new DataView(this.x.memory.buffer);
    const at = (name: string): number => offset(exports, name);
    this.inputCapacity = at('IN_CAP');
    const pendingCapacity = at('PEND_CAP');
    this.starts = new Int32Array(this.x.memory.buffer, at('PEND_START'), pendingCapacity);
    this.ends = new Int32Array(this.x.memory.buffer, at('PEND_END'), pendingCapacity);
    this.lineNumbers = new Int32Array(pendingCapacity);
    const argCapacity = at('OUT_ARG_CAP');
    // Built from this source tree, so a mismatch is a bug here, not a user's problem: said loudly.
    if (argCapacity < pendingCapacity * ARG_COUNT || at('IN') !== 0 || at('SLOTS') !== NAME_TABLE_SIZE
      || at('LAYOUT_MAX_VALUES') !== MAX_LAYOUT_VALUES || at('LAYOUT_MAX_BYTES') !== MAX_LAYOUT_BYTES) {
      throw new Error('line scanner: its memory map does not fit this reader');
    }
    const buffer = this.x.memory.buffer;
    this.rows = {
      tid: new Int32Array(buffer, at('OUT_TID'), pendingCapacity),
      nameSlot: new Int16Array(buffer, at('OUT_SLOT'), pendingCapacity),
      family: new Uint8Array(buffer, at('OUT_FAMILY'), pendingCapacity),
      argEnd: new Int32Array(buffer, at('OUT_ARG_END'), pendingCapacity),
      argKey: new Uint8Array(buffer, at('OUT_KEYS'), argCapacity),
      argValue: new Float64Array(buffer, at('OUT_VALUES'), argCapacity),
    };
    this.map = {
      slotUsable: at('SLOT_USABLE'), slotReads: at('SLOT_READS'), slotFamily: at('SLOT_FAMILY'),
      layoutValues: at('LAYOUT_VALUES'), layoutTail: at('LAYOUT_TAIL'), layoutLiteralLength: at('LAYOUT_LITERAL_LENGTH'),
      layoutKey: at('LAYOUT_KEY'), layoutBytes: at('LAYOUT_BYTES'), layoutMaxValues: at('LAYOUT_MAX_VALUES'), layoutMaxBytes: at('LAYOUT_MAX_BYTES'),
      names: at('NAMES'), namesMask: at('NAMES_MASK'), namePool: at('NAME_POOL'), namePoolCapacity: at('NAME_POOL_CAP'),
    };
    this.memory.set(HEX_VALUE, at('HEX'));
    for (let slot = 0; slot < NAME_TABLE_SIZE; slot++) this.view.setInt32(this.map.layoutValues + slot * 4, -1, true);
    this.event = new ScannedEvent((slot, layout) => this.mirrorLayout(slot, layout));
  }

  /** One line from the splitter (the reader's sink); false: stop reading. */
  line(file: number, bytes: Uint8Array, start: number, end: number, line: number, flags: number): boolean {
    if (bytes !== this.chunk || file !== this.pendingFile || flags !== 0) {
      if (!this.flush()) return false;
      if (flags === 0 && bytes.length >= MIN_COPIED_CHUNK && bytes.length <= this.inputCapacity) {
        // A new chunk: its bytes copied once, its lines read by the scanner from there.
        this.memory.set(bytes, 0);
        this.chunk = bytes;
        this.pendingFile = file;
      } else {
        return this.readHere(file, bytes, start, end, line, flags);
      }
    }
    const k = this.pending++;
    this.starts[k] = start;
    this.ends[k] = end;
    this.lineNumbers[k] = line;
    return this.pending < this.starts.length || this.flush();
  }

  /** Reads the pending lines into the writer; false: stop reading. */
  flush(): boolean {
    const n = this.pending;
    this.pending = 0;
    const w = this.writer;
    let k = 0;
    while (k < n) {
      const rows = this.x.scan(k, n, w.rowsRoom, w.argCount, w.argLimit);
      if (rows > 0) w.addReadRows(this.pendingFile, this.lineNumbers, k, rows, this.rows, this.x.argsWritten.value);
      this.scannedLines += rows;
      k += rows;
      if (this.x.stoppedAtLine.value === 1 || (rows === 0 && k < n && !w.full)) {
        // A line the scanner leaves (or, defensively, one it made no progress on): read here.
        if (!this.readHere(this.pendingFile, this.chunk!, this.starts[k]!, this.ends[k]!, this.lineNumbers[k]!, 0)) return false;
        k++;
      } else if (w.full && !this.emit()) {
        return false;
      }
    }
    return true;
  }

  /** A line read by the JavaScript reader, as the reader thread reads every line without the scanner. */
  private readHere(file: number, bytes: Uint8Array, start: number, end: number, line: number, flags: number): boolean {
    const ev = this.event;
    classifyLine(bytes, start, end, flags, ev, this.lineClass);
    this.writer.add(file, line, flags, this.lineClass, ev);
    // The writer has sent this name now (add does, at its first line): the scanner may read its later lines.
    if (this.lineClass.kind === CLASS_EVENT && ev.nameSlot >= 0 && this.offered[ev.nameSlot] === 0) this.offer(ev.nameSlot, ev.name, ev.family);
    return !this.writer.full || this.emit();
  }

  /** Registers an event name with the scanner: its bytes in the scanner's table, found by the reader's own hash. */
  private offer(slot: number, name: string, family: number): void {
    this.offered[slot] = 1;
    // XICS lines carry their text to the replay (the translator reads it): the JavaScript reader's.
    if (family === FAMILY_XICS) return;
    const m = this.map;
    const bytes = latin1Bytes(name);
    const n = bytes.length;
    if (n === 0 || this.namePoolUsed + n > m.namePoolCapacity) return;
    let index = nameHash(bytes, 0, n) & m.namesMask;
    while (this.view.getInt32(m.names + index * 12, true) !== 0) index = (index + 1) & m.namesMask;
    this.memory.set(bytes, m.namePool + this.namePoolUsed);
    const entry = m.names + index * 12;
    this.view.setInt32(entry, slot + 1, true);
    this.view.setInt32(entry + 4, this.namePoolUsed, true);
    this.view.setInt32(entry + 8, n, true);
    this.namePoolUsed += n;
    this.memory[m.slotReads + slot] = slotReadsArguments(slot) ? 1 : 0;
    this.memory[m.slotFamily + slot] = family;
    this.memory[m.slotUsable + slot] = 1;
  }

  /** The JavaScript reader learnt (or forgot) `slot`'s layout: the scanner reads by the same one. */
  private mirrorLayout(slot: number, l: ArgumentLayout): void {
    const m = this.map;
    const values = l.values;
    this.view.setInt32(m.layoutValues + slot * 4, values, true);
    if (values < 0) return;
    let literalBytes = l.tail;
    for (let k = 0; k < values; k++) {
      this.view.setInt32(m.layoutLiteralLength + (slot * m.layoutMaxValues + k) * 4, l.literalLength[k]!, true);
      this.view.setInt32(m.layoutKey + (slot * m.layoutMaxValues + k) * 4, l.key[k]!, true);
      literalBytes += l.literalLength[k]!;
    }
    this.view.setInt32(m.layoutTail + slot * 4, l.tail, true);
    this.memory.set(l.bytes.subarray(0, literalBytes), m.layoutBytes + slot * m.layoutMaxBytes);
  }
}
