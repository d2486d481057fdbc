/** Trace bytes as text and back, one char per byte (trace lines are ASCII; anything else stays one char per byte). */

/** Bytes → text, one char per byte (messages, the XICS sentences, rare lookups). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 4096) out += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 4096))));
  return out;
}

/** Text → bytes, one byte per char (the low 8 bits): lines given as strings take the same path. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
