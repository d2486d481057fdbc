/** Constant folding of expressions: what hovers, word sites and the checker know before anything runs. */
import type { Expr, Program } from './ast';

export type ConstEnv = ReadonlyMap<string, bigint>;

/** Shifts beyond this are refused (null) rather than building enormous bigints. */
const MAX_SHIFT = 4096n;

export function evaluateConstant(expr: Expr, env: ConstEnv): bigint | null {
  switch (expr.kind) {
    case 'number': return expr.value;
    case 'name': return env.get(expr.name) ?? null;
    case 'unary': {
      const v = evaluateConstant(expr.operand, env);
      if (v === null) return null;
      return expr.op === '-' ? -v : expr.op === '~' ? ~v : v === 0n ? 1n : 0n;
    }
    case 'binary': {
      const a = evaluateConstant(expr.left, env);
      if (a === null) return null;
      const b = evaluateConstant(expr.right, env);
      if (b === null) return null;
      switch (expr.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0n ? null : a / b;
        case '%': return b === 0n ? null : a % b;
        case '<<': return b < 0n || b > MAX_SHIFT ? null : a << b;
        case '>>': return b < 0n ? null : b > MAX_SHIFT ? (a < 0n ? -1n : 0n) : a >> b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return a === b ? 1n : 0n;
        case '!=': return a !== b ? 1n : 0n;
        case '<': return a < b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n;
        case '>': return a > b ? 1n : 0n;
        case '>=': return a >= b ? 1n : 0n;
        case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
        case '||': return a !== 0n || b !== 0n ? 1n : 0n;
      }
      return null;
    }
    default: return null;
  }
}

/** Top-level `let`s whose values fold to constants, in order (a later `let` may use an earlier one). */
export function constantEnv(program: Program): ConstEnv {
  const env = new Map<string, bigint>();
  for (const s of program.statements) {
    if (s.kind !== 'let') continue;
    const v = evaluateConstant(s.value, env);
    if (v !== null) env.set(s.name.name, v);
    else env.delete(s.name.name);
  }
  return env;
}
