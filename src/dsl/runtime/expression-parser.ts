/**
 * A small parser for one expression, used where the front end's statement
 * parser does not apply: `{...}` interpolations inside `log` strings and the
 * debugger's register expressions (`source(0x1300).pq == 2`). It produces the
 * shared AST `Expr` so one evaluator serves statements and the debugger.
 */
import type { BinaryOp, Expr, Span } from '../ast';

export type ParsedExpression = { ok: true; expr: Expr } | { ok: false; error: string };

interface Token {
  kind: 'number' | 'name' | 'op' | 'end';
  text: string;
  value?: bigint;
  start: number;
  end: number;
}

const OPERATORS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '!', '~', '(', ')', ',', '.'];

/** Binding strength of binary operators (C order). */
const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

class ExpressionSyntaxError {
  constructor(readonly message: string) {}
}

function parseNumber(text: string): bigint | null {
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t) || /^[0-9]+$/.test(t)) return BigInt(t);
  return null;
}

function tokenize(text: string, base: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-zA-Z_]*/.exec(text.slice(i))!;
      const value = parseNumber(m[0]);
      if (value === null) throw new ExpressionSyntaxError(`'${m[0]}' is not a number`);
      out.push({ kind: 'number', text: m[0], value, start: base + i, end: base + i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ kind: 'name', text: m[0], start: base + i, end: base + i + m[0].length });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}'`);
    out.push({ kind: 'op', text: op, start: base + i, end: base + i + op.length });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', start: base + text.length, end: base + text.length });
  return out;
}

function span(start: number, end: number): Span {
  return { start, end, line: 0, col: start };
}

/** Parses `text` as one expression; spans are offset by `base` (the text's position in its file). */
export function parseExpression(text: string, base = 0): ParsedExpression {
  try {
    const tokens = tokenize(text, base);
    let pos = 0;
    const peek = (): Token => tokens[pos];
    const next = (): Token => tokens[pos++];
    const expectOp = (op: string): Token => {
      const t = next();
      if (t.kind !== 'op' || t.text !== op) throw new ExpressionSyntaxError(`expected '${op}' but found '${t.text || 'end of expression'}'`);
      return t;
    };

    const primary = (): Expr => {
      const t = next();
      if (t.kind === 'number') return { kind: 'number', value: t.value!, text: t.text, span: span(t.start, t.end) };
      if (t.kind === 'name') {
        let e: Expr = { kind: 'name', name: t.text, span: span(t.start, t.end) };
        if (peek().kind === 'op' && peek().text === '(') {
          next();
          const args: Expr[] = [];
          if (!(peek().kind === 'op' && peek().text === ')')) {
            for (;;) {
              args.push(binary(0));
              if (peek().kind === 'op' && peek().text === ',') { next(); continue; }
              break;
            }
          }
          const close = expectOp(')');
          e = { kind: 'call', callee: { name: t.text, span: span(t.start, t.end) }, args, span: span(t.start, close.end) };
        }
        return postfix(e);
      }
      if (t.kind === 'op' && t.text === '(') {
        const inner = binary(0);
        expectOp(')');
        return postfix(inner);
      }
      if (t.kind === 'op' && (t.text === '-' || t.text === '~' || t.text === '!')) {
        const operand = primary();
        return { kind: 'unary', op: t.text, operand, span: span(t.start, operand.span.end) };
      }
      throw new ExpressionSyntaxError(t.kind === 'end' ? 'expression expected' : `unexpected '${t.text}'`);
    };

    const postfix = (e: Expr): Expr => {
      let cur = e;
      while (peek().kind === 'op' && peek().text === '.') {
        next();
        const m = next();
        if (m.kind !== 'name') throw new ExpressionSyntaxError(`a field name must follow '.'`);
        cur = { kind: 'member', object: cur, member: { name: m.text, span: span(m.start, m.end) }, span: span(cur.span.start, m.end) };
      }
      return cur;
    };

    const binary = (minPrec: number): Expr => {
      let left = primary();
      for (;;) {
        const t = peek();
        if (t.kind !== 'op') break;
        const prec = PRECEDENCE[t.text as BinaryOp];
        if (prec === undefined || prec <= minPrec) break;
        next();
        const right = binary(prec);
        left = { kind: 'binary', op: t.text as BinaryOp, left, right, span: span(left.span.start, right.span.end) };
      }
      return left;
    };

    const expr = binary(0);
    const rest = peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected '${rest.text}' after the expression`);
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}
