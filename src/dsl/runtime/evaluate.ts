/**
 * Run-time expression evaluation: let names (innermost scope first), proc
 * parameters, repeat variables, arithmetic on 64-bit-and-wider integers,
 * comparisons, and register expressions read from the model's views.
 * Errors are thrown as EvaluationError inside the runtime and turned into
 * results at its boundary.
 */
import type { Expr, Span } from '../ast';
import type { VmState } from '../../model/state';
import { deviceRegister, presenterRegister, queueRegister, RegisterLookup, RegisterValue, sourceRegister } from './registers';

export class EvaluationError {
  constructor(readonly message: string, readonly span?: Span) {}
}

export interface Scope {
  lookup(name: string): bigint | undefined;
  readonly vm: VmState;
}

export type Value = bigint | boolean | RegisterValue;

/** Values are arbitrary-precision, but no register is wider than 64 bits: this bound stops a loop from growing a number without end. */
const MAGNITUDE_LIMIT = 1n << 256n;

function bounded(v: bigint, span: Span): bigint {
  if (v >= MAGNITUDE_LIMIT || v <= -MAGNITUDE_LIMIT) throw new EvaluationError('value is wider than 256 bits', span);
  return v;
}

const REGISTER_FUNCTIONS: Readonly<Record<string, number>> = { source: 1, icp: 1, vp: 1, eq: 2 };

function isRegister(v: Value): v is RegisterValue {
  return typeof v === 'object';
}

function toInteger(v: Value, span: Span): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v.word === null) throw new EvaluationError(`${v.description} is not a single word; name one of its fields (${Object.keys(v.fields).join(', ')})`, span);
  return v.word;
}

function truthy(v: Value, span: Span): boolean {
  return toInteger(v, span) !== 0n;
}

function smallNumber(v: bigint, what: string, span: Span): number {
  if (v < 0n || v > 0xffffffffn) throw new EvaluationError(`${what} ${v} is out of range`, span);
  return Number(v);
}

function register(lookup: RegisterLookup, span: Span): RegisterValue {
  if (!lookup.ok) throw new EvaluationError(lookup.error, span);
  return lookup.register;
}

export function evaluateValue(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'string':
      throw new EvaluationError('a string is not a number', expr.span);
    case 'name': {
      const v = scope.lookup(expr.name);
      if (v !== undefined) return v;
      if (expr.name === 'device') return register(deviceRegister(scope.vm), expr.span);
      if (expr.name === 'true') return true;
      if (expr.name === 'false') return false;
      throw new EvaluationError(`'${expr.name}' is not defined`, expr.span);
    }
    case 'unary': {
      const v = evaluateValue(expr.operand, scope);
      if (expr.op === '!') return !truthy(v, expr.span);
      const n = toInteger(v, expr.span);
      return expr.op === '-' ? -n : ~n;
    }
    case 'binary':
      return binary(expr, scope);
    case 'call': {
      const name = expr.callee.name;
      const arity = REGISTER_FUNCTIONS[name];
      if (arity === undefined) throw new EvaluationError(`unknown register '${name}' (source, icp, vp, eq)`, expr.callee.span);
      if (expr.args.length !== arity) throw new EvaluationError(`${name}(...) takes ${arity} argument${arity === 1 ? '' : 's'}`, expr.span);
      const args = expr.args.map((a) => smallNumber(evaluate(a, scope), `${name} argument`, a.span));
      switch (name) {
        case 'source': return register(sourceRegister(scope.vm, args[0]), expr.span);
        case 'icp': return register(presenterRegister(scope.vm, 'server', args[0]), expr.span);
        case 'vp': return register(presenterRegister(scope.vm, 'vcpu', args[0]), expr.span);
        default: return register(queueRegister(scope.vm, args[0], args[1]), expr.span);
      }
    }
    case 'member': {
      const obj = evaluateValue(expr.object, scope);
      if (!isRegister(obj)) throw new EvaluationError(`'.${expr.member.name}' needs a register such as source(IRQ) or icp(SERVER)`, expr.member.span);
      // Own fields only: 'constructor' or 'toString' are not register fields.
      const f = Object.prototype.hasOwnProperty.call(obj.fields, expr.member.name) ? obj.fields[expr.member.name] : undefined;
      if (f === undefined) {
        throw new EvaluationError(`${obj.description} has no field '${expr.member.name}' (fields: ${Object.keys(obj.fields).join(', ')})`, expr.member.span);
      }
      return f;
    }
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Value {
  if (expr.op === '&&') return truthy(evaluateValue(expr.left, scope), expr.span) && truthy(evaluateValue(expr.right, scope), expr.span);
  if (expr.op === '||') return truthy(evaluateValue(expr.left, scope), expr.span) || truthy(evaluateValue(expr.right, scope), expr.span);
  const a = toInteger(evaluateValue(expr.left, scope), expr.left.span);
  const b = toInteger(evaluateValue(expr.right, scope), expr.right.span);
  switch (expr.op) {
    case '+': return bounded(a + b, expr.span);
    case '-': return bounded(a - b, expr.span);
    case '*': return bounded(a * b, expr.span);
    case '/':
    case '%':
      if (b === 0n) throw new EvaluationError('division by zero', expr.span);
      return expr.op === '/' ? a / b : a % b;
    case '<<':
      if (b < 0n || b > 128n) throw new EvaluationError(`shift count ${b} is out of range`, expr.span);
      return bounded(a << b, expr.span);
    case '>>':
      if (b < 0n) throw new EvaluationError(`shift count ${b} is out of range`, expr.span);
      return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** An integer value (booleans become 1/0, registers their word). */
export function evaluate(expr: Expr, scope: Scope): bigint {
  return toInteger(evaluateValue(expr, scope), expr.span);
}
