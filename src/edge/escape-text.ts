/**
 * Makes untrusted text safe to print on one terminal line: control bytes
 * (C0, DEL, C1), line and paragraph separators and bidirectional overrides
 * become visible escapes (`\x1b`, `\n`, `\u{202e}`), so a file name, an
 * argument or a byte from a file can neither drive the terminal nor split
 * a message over several lines. Pure: no Node API.
 */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 controls, DEL, C1 controls, U+2028/2029, and the bidi embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControlBytes(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** `escapeControlBytes`, cut to `max` characters (with `…`) for logs of raw input. */
export function escapeExcerpt(text: string, max = 120): string {
  const escaped = escapeControlBytes(text.length > max * 4 ? text.slice(0, max * 4) : text);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
