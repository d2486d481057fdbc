/**
 * The argument layout of each event name, learnt from a line of that name:
 * the literal bytes before each value (`target=`, ` ring=`, ` IRQ `, `<=`),
 * the key each value belongs to (−1: a value the reader skips) and the
 * literal tail after the last value. QEMU prints an event from one format
 * string, so the next line of the same name almost always has the same
 * literals: its values are then found by comparing bytes, without looking
 * for keys. The general scan stays the definition: a layout is learnt only
 * from a line it read cleanly, and a line whose literals differ anywhere is
 * read by it again (events.ts).
 *
 * Why this is exact: the general scan's state at the end of a value depends
 * only on the bytes that follow, so equal literals lead it to the same values
 * with the same keys, and an equal tail holds no value.
 */
import { NAME_TABLE_SIZE } from './event-names';

/** Values a layout holds at most (a longer line is always read by the general scan). */
export const MAX_LAYOUT_VALUES = 24;
/** Literal bytes a layout holds at most. */
export const MAX_LAYOUT_BYTES = 256;

export interface ArgumentLayout {
  /** The literals, one after the other, and a DataView of them (compared a word at a time). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Per value: the length of the literal before it, and its key (−1: skipped). */
  readonly literalLength: Int32Array;
  readonly key: Int32Array;
  /** How many values; −1 while nothing has been learnt. */
  values: number;
  /** The length of the literal after the last value (its bytes follow the others). */
  tail: number;
}

function emptyLayout(): ArgumentLayout {
  const bytes = new Uint8Array(MAX_LAYOUT_BYTES);
  return {
    bytes, view: new DataView(bytes.buffer), literalLength: new Int32Array(MAX_LAYOUT_VALUES), key: new Int32Array(MAX_LAYOUT_VALUES), values: -1, tail: 0,
  };
}

/** Told of `slot`'s layout after it was learnt (`values` ≥ 0) or forgotten (−1). */
export type LayoutObserver = (slot: number, layout: ArgumentLayout) => void;

/** One reader's layouts, by name-table slot. */
export class ArgumentLayouts {
  private readonly bySlot: (ArgumentLayout | undefined)[] = new Array<ArgumentLayout | undefined>(NAME_TABLE_SIZE);

  constructor(private readonly observer?: LayoutObserver) {}

  /** The layout learnt for `slot`, if any. */
  get(slot: number): ArgumentLayout | undefined {
    const l = this.bySlot[slot];
    return l !== undefined && l.values >= 0 ? l : undefined;
  }

  /**
   * Learn `slot`'s layout from a line the general scan read cleanly: the
   * values were at [from[k], to[k]) of `bytes` with keys `keys[k]`; the
   * arguments span [start, end). Reuses the slot's buffers (no allocation
   * when names keep changing layout); a line too long to hold is forgotten.
   */
  learn(slot: number, bytes: Uint8Array, start: number, end: number, count: number, from: Int32Array, to: Int32Array, keys: Int32Array): void {
    const l = (this.bySlot[slot] ??= emptyLayout());
    this.fill(l, bytes, start, end, count, from, to, keys);
    this.observer?.(slot, l);
  }

  private fill(l: ArgumentLayout, bytes: Uint8Array, start: number, end: number, count: number, from: Int32Array, to: Int32Array, keys: Int32Array): void {
    l.values = -1;
    if (count > MAX_LAYOUT_VALUES) return;
    let n = 0;
    let at = start;
    for (let k = 0; k < count; k++) {
      const length = from[k]! - at;
      if (n + length > MAX_LAYOUT_BYTES) return;
      l.bytes.set(bytes.subarray(at, from[k]!), n);
      n += length;
      l.literalLength[k] = length;
      l.key[k] = keys[k]!;
      at = to[k]!;
    }
    if (n + (end - at) > MAX_LAYOUT_BYTES) return;
    l.bytes.set(bytes.subarray(at, end), n);
    l.tail = end - at;
    l.values = count;
  }
}
