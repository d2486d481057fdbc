/**
 * The Debug Adapter Protocol's base framing (`Content-Length: N`, a blank
 * line, N bytes of JSON), read robustly. @vscode/debugadapter's reader glues
 * leftover bytes onto the next header, so one bad header leaves the adapter
 * deaf for good; this one resynchronises on the next `Content-Length:`
 * header, hands over every message it can, reports the rest (escaped) and
 * gives up with a clear reason only when a message is larger than
 * MAX_DAP_MESSAGE_BYTES.
 *
 * Accepted, as in HTTP (which the DAP and LSP base protocols follow): header
 * names in any case, optional spaces around the value, other headers
 * (Content-Type) ignored, and LF as well as CRLF line ends. The length must be
 * decimal digits (`0x10`, `1e1`, `-5`, empty are refused). A declared length
 * longer than the body is noticed when the next header arrives inside it (a
 * JSON body never holds a raw line break after `Content-Length: N`).
 */
import type { Readable } from 'node:stream';
import { escapeExcerpt } from '../edge/escape-text';
import { formatByteSize } from '../edge/read-text-file';

/** The largest message body read; a larger declared length ends the session (README "Limits"). */
export const MAX_DAP_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The event a session emits (with the reason) when its input framing cannot be followed any more. */
export const FRAMING_FATAL_EVENT = 'irqlab-framing-fatal';
/** A header block longer than this is garbage, not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
/** The longest tail of skipped bytes kept in case a header starts in it (`Content-Length:` minus one). */
const HEADER_NAME_TAIL = 'content-length:'.length - 1;

export interface FrameSink {
  /** A decoded message (a JSON object). */
  message(message: Record<string, unknown>): void;
  /** Something that was skipped; reading goes on. */
  problem(text: string): void;
  /** Reading cannot go on safely; no more calls follow. */
  fatal(text: string): void;
}

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const HEADER_START = /content-length[ \t]*:/i;
/** A header inside the bytes taken as a body: the declared length was too long. */
const HEADER_IN_BODY = /content-length[ \t]*:[ \t]*[0-9]+[ \t]*\r?\n/i;

export class DapFrameReader {
  private buffer = Buffer.alloc(0);
  private length = 0;
  /** Bytes consumed since the stream began (offsets in messages). */
  private consumed = 0;
  /** Declared length of the body being read, or -1 while reading headers. */
  private bodyLength = -1;
  /** Where in the pending body the search for an early header resumes. */
  private bodyScanned = 0;
  private dead = false;

  constructor(private readonly sink: FrameSink, private readonly maxBody = MAX_DAP_MESSAGE_BYTES) {}

  push(chunk: Buffer): void {
    if (this.dead) return;
    this.append(chunk);
    this.drain();
  }

  /** The input ended: say what was left unread. */
  end(): void {
    if (this.dead) return;
    if (this.bodyLength >= 0) {
      this.sink.problem(`input ended inside a message: ${this.length} of its ${this.bodyLength} bytes arrived (at byte ${this.consumed})`);
    } else if (this.bytes().toString('latin1').trim() !== '') {
      this.sink.problem(`input ended after ${this.length} bytes that are not a message (at byte ${this.consumed}): ${this.excerpt(this.length)}`);
    }
    this.consume(this.length);
  }

  // ------------------------------------------------------------------ buffer

  private append(chunk: Buffer): void {
    if (this.length + chunk.length > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + chunk.length, 4096));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
  }

  private bytes(end = this.length): Buffer {
    return this.buffer.subarray(0, end);
  }

  private consume(n: number): void {
    this.buffer.copy(this.buffer, 0, n, this.length);
    this.length -= n;
    this.consumed += n;
    // Give back memory a huge message took once it is gone.
    if (this.buffer.length > 1 << 20 && this.length < this.buffer.length / 8) {
      const smaller = Buffer.allocUnsafe(Math.max(4096, this.length * 2));
      this.buffer.copy(smaller, 0, 0, this.length);
      this.buffer = smaller;
    }
  }

  private excerpt(n: number): string {
    return escapeExcerpt(this.buffer.toString('latin1', 0, Math.min(n, 4096)));
  }

  // ------------------------------------------------------------------ parsing

  private drain(): void {
    while (!this.dead && (this.bodyLength >= 0 ? this.readBody() : this.readHeader()));
  }

  /** Skips to the next `Content-Length:` after the first byte (all but a possible partial one when there is none). */
  private resync(reason: string): void {
    const text = this.bytes().toString('latin1');
    const next = HEADER_START.exec(text.slice(1));
    const skip = next ? next.index + 1 : Math.max(1, this.length - HEADER_NAME_TAIL);
    this.sink.problem(`${reason}; skipped ${skip} byte${skip === 1 ? '' : 's'} at byte ${this.consumed}: ${this.excerpt(skip)}`);
    this.consume(skip);
  }

  /** Reads one header block; false when more bytes are needed. */
  private readHeader(): boolean {
    // Blank lines between messages are harmless.
    let lead = 0;
    while (lead < this.length && (this.buffer[lead] === 0x0d || this.buffer[lead] === 0x0a)) lead++;
    if (lead > 0) this.consume(lead);
    if (this.length === 0) return false;
    const window = this.buffer.toString('latin1', 0, Math.min(this.length, MAX_HEADER_BYTES + 4));
    const blank = /\r?\n\r?\n/.exec(window);
    const blockEnd = blank ? blank.index : window.length;
    const lines = window.slice(0, blockEnd).split(/\r?\n/);
    // Without a blank line yet, the last line may be incomplete: judge only the complete ones.
    const complete = blank ? lines : lines.slice(0, -1);
    const bad = complete.find((l) => !HEADER_LINE.test(l));
    if (bad !== undefined) {
      this.resync(`not a header line: '${escapeExcerpt(bad, 60)}'`);
      return true;
    }
    if (!blank) {
      if (this.length > MAX_HEADER_BYTES) {
        this.resync(`no blank line ends the header within ${MAX_HEADER_BYTES} bytes`);
        return true;
      }
      return false;
    }
    const blockBytes = blank.index + blank[0].length;
    const values = lines.map((l) => HEADER_LINE.exec(l)!).filter((m) => m[1].toLowerCase() === 'content-length').map((m) => m[2]);
    const at = this.consumed;
    if (values.length === 0) {
      this.sink.problem(`a header without Content-Length at byte ${at} was skipped: ${this.excerpt(blockBytes)}`);
      this.consume(blockBytes);
      return true;
    }
    if (values.some((v) => v !== values[0])) {
      this.sink.problem(`a header with differing Content-Length values (${values.map((v) => `'${escapeExcerpt(v, 30)}'`).join(', ')}) at byte ${at} was skipped`);
      this.consume(blockBytes);
      return true;
    }
    if (!/^[0-9]+$/.test(values[0])) {
      this.sink.problem(`Content-Length '${escapeExcerpt(values[0], 30)}' at byte ${at} is not a decimal number of bytes; the header was skipped`);
      this.consume(blockBytes);
      return true;
    }
    const n = Number(values[0]);
    if (!(n <= this.maxBody)) {
      this.dead = true;
      this.sink.fatal(
        `a message at byte ${at} declares Content-Length ${escapeExcerpt(values[0], 30)}, more than the maximum of ${formatByteSize(this.maxBody)}; ` +
        'reading on would mean trusting a length that cannot be checked, so the adapter stops',
      );
      return false;
    }
    this.consume(blockBytes);
    this.bodyLength = n;
    this.bodyScanned = 0;
    return true;
  }

  /** Reads the body being waited for; false when more bytes are needed. */
  private readBody(): boolean {
    // The next message's header inside the declared length means that length was too long.
    const from = Math.max(0, this.bodyScanned - 64);
    const to = Math.min(this.length, this.bodyLength + 64);
    const found = from < to ? HEADER_IN_BODY.exec(this.buffer.toString('latin1', from, to)) : null;
    this.bodyScanned = to;
    const declared = this.bodyLength;
    if (found && from + found.index < declared) {
      this.bodyLength = -1;
      this.deliver(from + found.index, declared);
      return true;
    }
    if (this.length < declared) return false;
    this.bodyLength = -1;
    this.deliver(declared, null);
    return true;
  }

  /** Hands over the first n bytes as a message (declared: the longer length the header claimed). */
  private deliver(n: number, declared: number | null): void {
    const at = this.consumed;
    const text = this.buffer.toString('utf8', 0, n);
    const short = declared === null ? '' : ` (its header claimed ${declared} bytes, but the next header starts after ${n})`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.sink.problem(`the ${n}-byte body at byte ${at} is not JSON${short} (${escapeExcerpt(e instanceof Error ? e.message : String(e), 80)}): ${this.excerpt(n)}`);
      this.consume(n);
      return;
    }
    this.consume(n);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.sink.problem(`the body at byte ${at} is JSON but not an object, so not a message: ${escapeExcerpt(text)}`);
      return;
    }
    if (declared !== null) this.sink.problem(`the message at byte ${at} was read${short}`);
    this.sink.message(value as Record<string, unknown>);
  }
}

/** Feeds a byte stream through a DapFrameReader; `closed` runs once when the stream ends or fails. */
export function readDapFrames(input: Readable | NodeJS.ReadableStream, sink: FrameSink, closed: () => void): DapFrameReader {
  const reader = new DapFrameReader(sink);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    reader.end();
    closed();
  };
  input.on('data', (chunk: Buffer | string) => reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
  input.on('end', finish);
  input.on('close', finish);
  input.on('error', (e: Error) => {
    sink.problem(`input error: ${escapeExcerpt(e.message)}`);
    finish();
  });
  input.resume();
  return reader;
}
