/**
 * What one line of a trace is, decided once from its bytes: the replay acts on
 * this whether it read the bytes itself or received the verdict from a reader
 * thread (event-records.ts). Only the rare lines a message quotes carry text.
 */
import { foreignName, latin1, LINE_EVENT, LINE_FOREIGN, LINE_NOISE, ScannedEvent, scanTraceLine } from './events';
import { LINE_OVERLONG, LINE_UNTERMINATED } from './line-splitter';

export const CLASS_NOISE = LINE_NOISE;
export const CLASS_EVENT = LINE_EVENT;
export const CLASS_FOREIGN = LINE_FOREIGN;
/** Longer than the line bound: skipped and reported. */
export const CLASS_OVERLONG = 3;
/** Not a line: a problem the reading edge met (unreadable file, bad gzip), with its message. */
export const CLASS_PROBLEM = 4;

/** How much of a line a message quotes (one char more than shown, so the cut is marked). */
export const QUOTE_OVERLONG = 61;
export const QUOTE_LINE = 121;

export interface LineClass {
  kind: number;
  /** Control bytes or bytes above ASCII: not a text line. */
  binary: boolean;
  /** What a message quotes: the foreign event's name, or the start of an overlong or unterminated line; else ''. */
  text: string;
}

export function createLineClass(): LineClass {
  return { kind: CLASS_NOISE, binary: false, text: '' };
}

/** Control bytes other than tab/LF/VT/FF/CR, DEL, and bytes above ASCII. */
export function hasBinaryBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c <= 8 || (c >= 14 && c <= 31) || c >= 127) return true;
  }
  return false;
}

/** Classify bytes[start, end) (splitter flags `flags`) into `out`; an event is read into `ev`. */
export function classifyLine(bytes: Uint8Array, start: number, end: number, flags: number, ev: ScannedEvent, out: LineClass): void {
  if ((flags & LINE_OVERLONG) !== 0) {
    out.kind = CLASS_OVERLONG;
    out.binary = true;
    out.text = latin1(bytes, start, Math.min(end, start + QUOTE_OVERLONG));
    return;
  }
  const kind = scanTraceLine(bytes, start, end, ev);
  out.kind = kind;
  out.binary = kind === LINE_NOISE && hasBinaryBytes(bytes, start, end);
  out.text = kind === LINE_FOREIGN ? foreignName()
    : (flags & LINE_UNTERMINATED) !== 0 ? latin1(bytes, start, Math.min(end, start + QUOTE_LINE)) : '';
}
