/**
 * The formatter: canonical spacing token by token, two spaces of indentation
 * per open bracket (proc/repeat bodies and multi-line field blocks alike),
 * every comment kept, at most two blank lines in a row. Lines that do not
 * parse are left exactly as written. Only whitespace changes, so the result
 * parses to the same tree, and formatting it again changes nothing.
 */
import type { Span } from './ast';
import { lexBuffer, Token } from './lexer';
import { lineOfOffset } from './navigation';
import { parse } from './parser';

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

function isUnaryPosition(prev: Token | null): boolean {
  if (!prev) return true;
  return prev.kind === 'op' && !CLOSERS.has(prev.text);
}

export function formatText(text: string): string {
  try {
    return formatProgramText(text);
  } catch {
    // A formatter bug must not cost the user their text: leave it as it is.
    return text;
  }
}

/** `formatText` without the safety net (tests call it so that a formatter bug shows). */
export function formatProgramText(text: string): string {
  const program = parse(text);
  const { buffer, comments, lineStarts } = lexBuffer(text);
  const lineCount = lineStarts.length;

  // Lines that keep their exact text: every line of a statement that did not parse, and every line a parse diagnostic names.
  const verbatim = new Uint8Array(lineCount);
  const markSpan = (span: Span): void => {
    const last = lineOfOffset(lineStarts, Math.max(span.start, span.end - 1));
    for (let l = span.line; l <= last && l < lineCount; l++) verbatim[l] = 1;
  };
  const markErrors = (stmts: typeof program.statements): void => {
    for (const s of stmts) {
      if (s.kind === 'error') markSpan(s.span);
      else if (s.kind === 'proc' || s.kind === 'repeat') markErrors(s.body);
    }
  };
  markErrors(program.statements);
  for (const d of program.diagnostics) markSpan(d.span);

  // Names glued from several tokens (`xics-on-xive`, `ibm,int-off`) stay glued.
  const glueEnds: [number, number][] = [];
  const collectGlue = (stmts: typeof program.statements): void => {
    for (const s of stmts) {
      if (s.kind === 'device') glueEnds.push([s.deviceSpan.start, s.deviceSpan.end]);
      else if (s.kind === 'rtas') glueEnds.push([s.name.span.start, s.name.span.end]);
      else if (s.kind === 'proc' || s.kind === 'repeat') collectGlue(s.body);
    }
  };
  collectGlue(program.statements);
  glueEnds.sort((x, y) => x[0] - y[0]);
  let glueIndex = 0;
  const isGlued = (t: Token): boolean => {
    while (glueIndex < glueEnds.length && glueEnds[glueIndex][1] <= t.start) glueIndex++;
    return glueIndex < glueEnds.length && t.start > glueEnds[glueIndex][0] && t.start < glueEnds[glueIndex][1];
  };

  const commentByLine = new Map<number, string>();
  for (const c of comments) commentByLine.set(c.span.line, c.text);

  const out: string[] = [];
  let depth = 0;
  // Tokens arrive in order; one line's worth is gathered at a time.
  let ti = 0;
  const toks: Token[] = [];
  for (let l = 0; l < lineCount; l++) {
    toks.length = 0;
    for (;;) {
      const t = buffer.at(ti);
      if (t.kind === 'eof') break;
      ti++;
      if (t.kind === 'newline') break;
      toks.push(t);
    }
    const lineEnd = l + 1 < lineCount ? lineStarts[l + 1] - 1 : text.length;
    if (verbatim[l]) {
      let raw = text.slice(lineStarts[l], lineEnd);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      out.push(raw);
      continue;
    }
    const comment = commentByLine.get(l);
    if (toks.length === 0 && comment === undefined) { out.push(''); continue; }
    const startsWithCloser = toks.length > 0 && toks[0].kind === 'op' && CLOSERS.has(toks[0].text);
    const indent = '  '.repeat(Math.max(0, depth - (startsWithCloser ? 1 : 0)));
    let code = '';
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (i > 0) code += gap(toks[i - 1], t, i > 1 ? toks[i - 2] : null, isGlued(t));
      code += t.text;
      if (t.kind === 'op') {
        if (OPENERS.has(t.text)) depth++;
        else if (CLOSERS.has(t.text) && depth > 0) depth--;
      }
    }
    if (comment !== undefined) code = code ? `${code}  ${comment}` : comment;
    out.push(indent + code);
  }

  // At most two blank lines in a row, none at the end; one final newline.
  const kept: string[] = [];
  let blanks = 0;
  for (const line of out) {
    if (line.trim() === '') { if (++blanks > 2) continue; kept.push(''); } else { blanks = 0; kept.push(line); }
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.length === 0 ? '' : kept.join('\n') + '\n';
}

/** The whitespace between two tokens of one line. */
function gap(a: Token, b: Token, beforeA: Token | null, glued: boolean): string {
  if (glued) return '';
  const aOp = a.kind === 'op' ? a.text : '';
  const bOp = b.kind === 'op' ? b.text : '';
  if (bOp === ',' || bOp === ')' || bOp === ']' || bOp === '.' || aOp === '.' || aOp === '(' || aOp === '[') return '';
  if (aOp === '{' && bOp === '}') return '';
  if (bOp === '(' && a.kind === 'name') {
    // `f(x)` is a call only when written adjacent; after proc/call the name is always followed by its list.
    const named = beforeA !== null && beforeA.kind === 'name' && (beforeA.text === 'proc' || beforeA.text === 'call');
    return a.end === b.start || named ? '' : ' ';
  }
  if ((aOp === '-' || aOp === '~' || aOp === '!') && isUnaryPosition(beforeA)) return '';
  // `data -1` after a name is a named hcall argument with a negative value (see the parser): keep it that way.
  if (aOp === '-' && beforeA !== null && beforeA.kind === 'name' && a.start > beforeA.end && b.start === a.end) return '';
  return ' ';
}
