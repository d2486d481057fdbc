/**
 * The `.irq` parser: recursive descent over the lexer's tokens, one statement
 * per line (field blocks, entry lists and argument lists may span lines;
 * proc/repeat bodies are `{ }` blocks). A line that does not parse yields
 * exactly one diagnostic and an `error` statement, and parsing resumes on the
 * next line. Internally a failed statement unwinds with `SyntaxFailure`; it
 * never leaves this module.
 */
import type {
  BinaryOp, Diagnostic, DeviceName, EqTarget, Expectation, Expr, FieldAssign, FieldBlock, HcallArg, Ident,
  LineAction, LogPart, Program, Span, Stmt, TimaOp, WordValue,
} from './ast';
import { recordDevice } from './context';
import {
  CONNECT_OPTIONS, DEVICE_NAMES, LINE_ACTIONS, STATEMENT_KEYWORDS, TIMA_OPS, isStatementKeyword,
} from './keywords';
import {
  arraySource, K_EOF, K_NAME, K_NEWLINE, K_NUMBER, K_OP, K_STRING, lex, lexBuffer, parseNumberText, smallBigInt, spanFrom, spanOf, Token, TokenBuffer,
  TokenSource,
} from './lexer';
import { closest, didYouMean } from './suggest';

/** Deeper nesting (blocks, parentheses, unary chains) is refused with a diagnostic rather than risking the stack. */
export const MAX_NESTING = 64;
/** Binary operators in one statement: bounds the depth of left-leaning trees that tree walkers recurse over. */
export const MAX_OPERATORS = 1024;

class SyntaxFailure {
  constructor(readonly span: Span, readonly message: string, readonly code: string, readonly fix?: Diagnostic['fix']) {}
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
/**
 * BINARY_PRECEDENCE indexed by an operator's two char codes (0 when not a binary operator): every operand
 * ends with this look-up, and a keyed property load with a varying string key was the parser's hottest line.
 */
const PRECEDENCE_BY_CODES: Uint8Array = (() => {
  const t = new Uint8Array(128 * 128);
  for (const [op, prec] of Object.entries(BINARY_PRECEDENCE)) t[op.charCodeAt(0) * 128 + (op.length > 1 ? op.charCodeAt(1) : 0)] = prec;
  return t;
})();
/** The precedence of operator text `op` (from `opAt`: one or two ASCII characters), 0 when it is not binary. */
function precedenceOf(op: string): number {
  const a = op.charCodeAt(0);
  const b = op.length > 1 ? op.charCodeAt(1) : 0;
  return op.length <= 2 && a < 128 && b < 128 ? PRECEDENCE_BY_CODES[a * 128 + b] : 0;
}

/** Slots of the parser's cache of recent number texts (a power of two). */
const NUMBER_SLOTS = 256;
const NO_STRINGS: string[] = [];
const NO_BIGINTS: bigint[] = [];
const NO_NUMBERS: number[] = [];

/**
 * The value of a plain decimal literal in `src[start, end)` (digits only, at most 9, no leading zero),
 * -1 for any other literal. A plain decimal's text is the canonical spelling of its value, so the
 * value alone identifies the text.
 */
function plainDecimal(src: string, start: number, end: number): number {
  if (end - start > 9 || (end - start > 1 && src.charCodeAt(start) === 48)) return -1;
  let acc = 0;
  for (let j = start; j < end; j++) {
    const d = src.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return -1;
    acc = acc * 10 + d;
  }
  return acc;
}

/** Whether `src` holds `known` at `start` (a short compare, inlined: cheaper than a `startsWith` call). */
function textAt(src: string, start: number, known: string): boolean {
  for (let j = 0; j < known.length; j++) if (src.charCodeAt(start + j) !== known.charCodeAt(j)) return false;
  return true;
}

/** A fixed word list (its order is the one shown in messages) with a Set to test membership. */
interface WordSet<T extends string> {
  readonly list: readonly T[];
  readonly has: ReadonlySet<string>;
}
function wordSet<T extends string>(list: readonly T[]): WordSet<T> {
  return { list, has: new Set<string>(list) };
}
const VCPU_ACTIONS = wordSet(['connect', 'run', 'stop'] as const);
const CONNECT_OPTION_WORDS = wordSet(CONNECT_OPTIONS);
const REGISTER_TARGETS = wordSet(['source', 'source_config', 'eq_config', 'icp', 'vp'] as const);
const ESB_ACCESSES = wordSet(['load', 'store'] as const);
const TIMA_OP_WORDS = wordSet<TimaOp>(TIMA_OPS);
const LINE_ACTION_WORDS = wordSet<LineAction>(LINE_ACTIONS);
const ATTR_OPS = wordSet(['set', 'get', 'has'] as const);

/** `/^(E[A-Z0-9]{2,}|SIGBUS)$/` as a character loop (a regular expression per expectation cost more than the check). */
function isErrnoLike(text: string): boolean {
  if (text === 'SIGBUS') return true;
  if (text.length < 3 || text.charCodeAt(0) !== 69) return false; // 'E'
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'newline': return 'end of line';
    case 'string': return 'a string';
    default: return `'${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}'`;
  }
}

export class Parser {
  private pos = 0;
  /** Open proc/repeat blocks: a `}` at depth > 0 ends the statement before it. */
  private depth = 0;
  private exprDepth = 0;
  private operators = 0;
  readonly diagnostics: Diagnostic[] = [];
  private lastDevice: DeviceName | null;
  /** The source text when the tokens are a TokenBuffer over it: number literals are read from it in place. */
  private readonly source: string | null;
  /** Where the source starts in the file its spans count in (a window lexed with an offset; else 0). */
  private readonly sourceOffset: number;
  /**
   * Recently read number literals with their values, by a slot computed from the length and end characters
   * and matched against the source in place: a repeated one costs no new string, and the tree shares one copy.
   * Per parser, so nothing outlives the text (a slice may point into it).
   */
  private readonly numberTexts: string[];
  private readonly numberValues: bigint[];
  /** Per slot: the value of the plain decimal cached there (matched by an integer compare), -1 for other literals. */
  private readonly numberKeys: number[];
  /** `opHere`'s answer and the position it is for. */
  private opPos = -1;
  private op: string | null = null;
  /** Position of the EOF token, the last one. */
  private readonly eofIndex: number;

  /** `deviceBefore`: the device in force where the text starts (when it is a slice of a larger file). */
  constructor(private readonly tokens: TokenSource, deviceBefore: DeviceName | null = null) {
    this.lastDevice = deviceBefore;
    this.source = tokens instanceof TokenBuffer ? tokens.text : null;
    this.sourceOffset = tokens instanceof TokenBuffer ? tokens.offset : 0;
    this.eofIndex = tokens.length - 1;
    const cached = this.source !== null;
    this.numberTexts = cached ? new Array<string>(NUMBER_SLOTS).fill('') : NO_STRINGS;
    this.numberValues = cached ? new Array<bigint>(NUMBER_SLOTS).fill(0n) : NO_BIGINTS;
    this.numberKeys = cached ? new Array<number>(NUMBER_SLOTS).fill(-1) : NO_NUMBERS;
  }

  /** The device in force after the statements parsed so far. */
  get deviceAfter(): DeviceName | null {
    return this.lastDevice;
  }

  // ------------------------------------------------------------ token helpers

  private peek(k = 0): Token {
    return this.tokens.at(this.pos + k);
  }
  private next(): Token {
    const t = this.tokens.at(this.pos);
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  /** `next()` when the token itself is not needed (no token object is built). */
  private advance(): void {
    // The EOF token is the last one (lexers end with it): a position compare instead of reading the kind.
    if (this.pos < this.eofIndex) this.pos++;
  }
  /** Name token `index` as an identifier (its text is the lexer's shared string for the name). */
  private identAt(index: number): Ident {
    return { name: this.tokens.nameOf(index), span: this.tokens.spanAt(index) };
  }
  /** The kind code (K_*) of the token `k` ahead: an integer compare, no kind string read. */
  private kindAt(k = 0): number {
    return this.tokens.kindCodeOf(this.pos + k);
  }
  private prev(): Token {
    return this.tokens.at(this.pos > 0 ? this.pos - 1 : 0);
  }
  private isOp(text: string): boolean {
    return this.opHere() === text;
  }
  /**
   * The operator text at the current position (shared strings; null for other kinds), read once per position:
   * a statement asks about the same token several times (line end? `->`? `{`? `[`?), and a two-character
   * operator costs the buffer a Map look-up.
   */
  private opHere(): string | null {
    if (this.opPos !== this.pos) {
      this.opPos = this.pos;
      this.op = this.tokens.opAt(this.pos);
    }
    return this.op;
  }
  private isName(text?: string, k = 0): boolean {
    return this.tokens.kindCodeOf(this.pos + k) === K_NAME && (text === undefined || this.tokens.textIs(this.pos + k, text));
  }
  private atLineEnd(): boolean {
    const kind = this.kindAt();
    return kind === K_NEWLINE || kind === K_EOF || (this.depth > 0 && kind === K_OP && this.isOp('}'));
  }

  private fail(t: Token, expected: string): never {
    if (t.kind === 'bad') throw new SyntaxFailure(spanOf(t), t.problem ?? 'unexpected character', 'unexpected-character');
    if (t.kind === 'number' && t.problem) throw new SyntaxFailure(spanOf(t), t.problem, 'invalid-number');
    if (t.kind === 'string' && t.problem) throw new SyntaxFailure(spanOf(t), t.problem, 'unterminated-string');
    // At a line end the problem sits where the line stops, not on the next line.
    const at = t.kind === 'newline' ? { start: t.start, end: t.start, line: t.line, col: t.col } : spanOf(t);
    throw new SyntaxFailure(at, `expected ${expected}, found ${describe(t)}`, 'syntax');
  }

  private expectOp(text: string, what = `'${text}'`): Token {
    if (!this.isOp(text)) this.fail(this.peek(), what);
    return this.next();
  }
  /** `expectOp` (or a fixed word) when the token itself is not needed (no token object is built). */
  private skipOp(text: string, what = `'${text}'`): void {
    if (!this.isOp(text)) this.fail(this.peek(), what);
    this.pos++;
  }
  private skipWord(word: string): void {
    if (!this.isName(word)) this.fail(this.peek(), `'${word}'`);
    this.pos++;
  }
  private expectName(what: string): Ident {
    if (this.kindAt() !== K_NAME) this.fail(this.peek(), what);
    const i = this.pos++;
    return this.identAt(i);
  }
  /** One of a fixed set of words (consumed; it was at `this.pos - 1`); a near miss gets "did you mean". */
  private expectOneOf<T extends string>(words: WordSet<T>, what: string): T {
    if (this.kindAt() === K_NAME) {
      const text = this.tokens.nameOf(this.pos);
      // A Set, not `includes`: a repeated word is one shared string that keeps its hash, so this is one look-up.
      if (words.has.has(text)) {
        this.pos++;
        return text as T;
      }
    }
    return this.failOneOf(words.list, what);
  }
  private failOneOf(words: readonly string[], what: string): never {
    const t = this.peek();
    if (t.kind === 'name') {
      const s = closest(t.text, words);
      throw new SyntaxFailure(spanOf(t), `expected ${what} (${words.join(', ')}), found '${t.text}'${didYouMean(s)}`, 'syntax',
        s ? { title: `Replace with '${s}'`, span: spanOf(t), newText: s } : undefined);
    }
    this.fail(t, `${what} (${words.join(', ')})`);
  }
  /** A name glued from adjacent tokens: `xics-on-xive`, `ibm,int-off`. */
  private compoundName(what: string): Ident {
    const first = this.peek();
    if (first.kind !== 'name') this.fail(first, what);
    this.advance();
    let end = first;
    let name = first.text;
    for (;;) {
      const sep = this.peek();
      const part = this.peek(1);
      if (sep.kind === 'op' && (sep.text === '-' || sep.text === ',') && sep.start === end.end &&
        (part.kind === 'name' || part.kind === 'number') && part.start === sep.end) {
        this.advance();
        this.advance();
        name += sep.text + part.text;
        end = part;
        continue;
      }
      break;
    }
    return { name, span: spanFrom(spanOf(first), spanOf(end)) };
  }

  /** Expression and field-block nesting. */
  private enter(t: Token): void {
    if (++this.exprDepth > MAX_NESTING) {
      throw new SyntaxFailure(spanOf(t), `nesting deeper than ${MAX_NESTING} levels`, 'nesting-too-deep');
    }
  }
  /** `enter` for the token at `index` (no token object built). */
  private enterAt(index: number): void {
    if (++this.exprDepth > MAX_NESTING) {
      throw new SyntaxFailure(this.tokens.spanAt(index), `nesting deeper than ${MAX_NESTING} levels`, 'nesting-too-deep');
    }
  }
  private leave(): void {
    if (this.exprDepth > 0) this.exprDepth--;
  }

  // --------------------------------------------------------------- program

  parseProgram(): Stmt[] {
    return this.parseStatements(null);
  }

  /** The token position where the next top-level statement starts (after blank lines). */
  get position(): number {
    return this.pos;
  }

  /**
   * The next `max` top-level statements (fewer at the end of the file, none
   * after it), exactly as `parseProgram` reads them: a caller can parse a file
   * batch by batch and drop each batch when done with it. `resumeAt` restarts
   * at a `position` answered earlier, with the device in force there.
   */
  parseTopLevel(max: number): Stmt[] {
    const out: Stmt[] = [];
    while (out.length < max) {
      while (this.kindAt() === K_NEWLINE) this.advance();
      if (this.kindAt() === K_EOF) break;
      if (this.opHere() === '}') {
        this.diagnostics.push({ span: this.tokens.spanAt(this.pos), severity: 'error', code: 'syntax', message: "unexpected '}': no block is open" });
        this.advance();
        continue;
      }
      out.push(this.statementWithRecovery());
    }
    return out;
  }

  resumeAt(position: number, device: DeviceName | null): void {
    this.pos = position;
    this.depth = 0;
    this.lastDevice = device;
  }

  /** Statements until EOF (top level) or the `}` closing `opener`. */
  private parseStatements(opener: Token | null): Stmt[] {
    if (!opener) return this.parseTopLevel(Infinity);
    const out: Stmt[] = [];
    for (;;) {
      while (this.kindAt() === K_NEWLINE) this.advance();
      if (this.kindAt() === K_EOF || this.opHere() === '}') return out;
      out.push(this.statementWithRecovery());
    }
  }

  private statementWithRecovery(): Stmt {
    const startPos = this.pos;
    const savedDepth = this.depth;
    this.exprDepth = 0;
    this.operators = 0;
    try {
      const stmt = this.statement();
      if (!this.atLineEnd()) this.fail(this.peek(), 'end of line');
      return stmt;
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      this.depth = savedDepth;
      const d: Diagnostic = { span: e.span, severity: 'error', message: e.message, code: e.code, ...(e.fix ? { fix: e.fix } : {}) };
      this.diagnostics.push(d);
      this.exprDepth = 0;
      this.recover(startPos);
      const first = this.tokens.at(startPos);
      const last = this.prev();
      const keyword: Ident = { name: first.kind === 'name' ? first.text : '', span: spanOf(first) };
      const end = last.start >= first.start ? spanOf(last) : spanOf(first);
      return { kind: 'error', keyword, expect: null, span: spanFrom(spanOf(first), end) };
    }
  }

  /**
   * Skips the rest of a failed statement: to the end of its line, or past the
   * brackets it opened when they continue on later lines (stopping early at a
   * line that starts with a statement keyword, so an unclosed `{` costs one
   * diagnostic). A failed `proc`/`repeat` header ending in `{` skips its body.
   */
  private recover(startPos: number): void {
    let open = 0;
    for (let i = startPos; i < this.pos; i++) {
      const t = this.tokens.at(i);
      if (t.kind === 'op') {
        if (t.text === '{' || t.text === '[' || t.text === '(') open++;
        else if ((t.text === '}' || t.text === ']' || t.text === ')') && open > 0) open--;
      }
    }
    const first = this.tokens.at(startPos);
    const isBlockStmt = first.kind === 'name' && (first.text === 'proc' || first.text === 'repeat');
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'op' && t.text === '}' && open === 0 && this.depth > 0) return;
      if (t.kind === 'newline') {
        const lastTok = this.tokens.at(this.pos - 1);
        if (isBlockStmt && lastTok && lastTok.kind === 'op' && lastTok.text === '{' && this.pos - 1 >= startPos) {
          // The body of a broken proc/repeat header: parse it (its own lines may be fine) and drop it.
          this.advance();
          if (this.depth >= MAX_NESTING) { this.skipBalanced(); return; }
          this.depth++;
          this.parseStatements(lastTok);
          this.depth--;
          if (this.isOp('}')) this.advance();
          return;
        }
        if (open === 0) return;
        const after = this.peek(1);
        if (after.kind === 'eof' || (after.kind === 'name' && isStatementKeyword(after.text))) return;
        this.advance();
        continue;
      }
      if (t.kind === 'op') {
        if (t.text === '{' || t.text === '[' || t.text === '(') open++;
        else if ((t.text === '}' || t.text === ']' || t.text === ')') && open > 0) open--;
      }
      this.advance();
    }
  }

  /** Skips tokens to the `}` matching an already consumed `{`, without recursion. */
  private skipBalanced(): void {
    let open = 1;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind === 'op' && t.text === '{') open++;
      else if (t.kind === 'op' && t.text === '}' && --open === 0) return;
    }
  }

  // ------------------------------------------------------------ statements

  private statement(): Stmt {
    if (this.kindAt() !== K_NAME) {
      this.fail(this.peek(), 'a statement keyword');
    }
    // Built from the token buffer: no token object per statement.
    const keyword = this.identAt(this.pos);
    const text = keyword.name;
    switch (text) {
      case 'scenario': return this.scenarioStmt(keyword);
      case 'let': return this.letStmt(keyword);
      case 'device': return this.deviceStmt(keyword);
      case 'ctrl': return this.ctrlStmt(keyword);
      case 'vcpu': return this.vcpuStmt(keyword);
      case 'set': return this.setStmt(keyword);
      case 'get': return this.getStmt(keyword);
      case 'sync': return this.syncStmt(keyword);
      case 'esb': return this.esbStmt(keyword);
      case 'tima': return this.timaStmt(keyword);
      case 'eq': return this.eqStmt(keyword);
      case 'hcall': return this.hcallStmt(keyword);
      case 'line': return this.lineStmt(keyword);
      case 'rtas': return this.rtasStmt(keyword);
      case 'attr': return this.attrStmt(keyword);
      case 'proc': return this.procStmt(keyword);
      case 'call': return this.callStmt(keyword);
      case 'repeat': return this.repeatStmt(keyword);
      case 'log': return this.logStmt(keyword);
      case 'include': return this.includeStmt(keyword);
      default: {
        const s = closest(text, STATEMENT_KEYWORDS);
        throw new SyntaxFailure({ ...keyword.span }, `unknown keyword '${text}'${didYouMean(s)}`, 'unknown-keyword',
          s ? { title: `Replace with '${s}'`, span: { ...keyword.span }, newText: s } : undefined);
      }
    }
  }

  /** The statement's span runs from its keyword to the last token consumed. */
  private finish(keyword: Ident): Span {
    return { start: keyword.span.start, end: this.tokens.endOf(this.pos > 0 ? this.pos - 1 : 0), line: keyword.span.line, col: keyword.span.col };
  }
  private expectation(): Expectation | null {
    if (!this.isOp('->')) return null;
    const arrow = this.tokens.spanAt(this.pos);
    this.advance();
    if (this.kindAt() === K_NAME) {
      // Read from the token buffer: no token objects for the common `-> EBUSY`, `-> H_SUCCESS`.
      const span = this.tokens.spanAt(this.pos);
      const text = this.tokens.nameOf(this.pos);
      if (text === 'ok' && this.endsExpectation(1)) {
        this.advance();
        return { kind: 'ok', span: spanFrom(arrow, span) };
      }
      if (text.startsWith('H_') && this.endsExpectation(1)) {
        this.advance();
        return { kind: 'hret', name: { name: text, span }, span: spanFrom(arrow, span) };
      }
      if (isErrnoLike(text) && this.endsExpectation(1)) {
        this.advance();
        return { kind: 'errno', name: { name: text, span }, span: spanFrom(arrow, span) };
      }
    }
    if (this.isOp('{')) {
      const block = this.fieldBlock();
      return { kind: 'fields', block, span: spanFrom(arrow, block.span) };
    }
    if (this.isOp('[')) {
      const open = this.pos;
      this.advance();
      this.enterAt(open);
      const items: Expr[] = [];
      this.skipFieldNewlines(open);
      while (!this.isOp(']')) {
        items.push(this.expr());
        this.skipFieldNewlines(open);
        if (this.isOp(',')) { this.advance(); this.skipFieldNewlines(open); continue; }
        if (!this.isOp(']')) this.fail(this.peek(), "',' or ']'");
      }
      const close = this.next();
      this.leave();
      return { kind: 'entries', items, span: spanFrom(arrow, spanOf(close)) };
    }
    const expr = this.expr();
    return { kind: 'value', expr, span: spanFrom(arrow, expr.span) };
  }
  private endsExpectation(k: number): boolean {
    const kind = this.kindAt(k);
    return kind === K_NEWLINE || kind === K_EOF || this.tokens.opAt(this.pos + k) === '}';
  }

  private scenarioStmt(keyword: Ident): Stmt {
    this.advance();
    const s = this.peek();
    if (s.kind !== 'string' || s.problem) this.fail(s, 'a quoted title');
    this.advance();
    return { kind: 'scenario', keyword, title: s.str, expect: null, span: this.finish(keyword) };
  }

  private letStmt(keyword: Ident): Stmt {
    this.advance();
    const name = this.expectName('a name');
    this.skipOp('=');
    const value = this.expr();
    return { kind: 'let', keyword, name, value, expect: null, span: this.finish(keyword) };
  }

  private deviceStmt(keyword: Ident): Stmt {
    this.advance();
    const id = this.compoundName('a device (xive, xics, xics-pr, xics-on-xive, release)');
    const all = [...DEVICE_NAMES, 'release'] as const;
    if (!(all as readonly string[]).includes(id.name)) {
      const s = closest(id.name, all);
      throw new SyntaxFailure(id.span, `unknown device '${id.name}' (xive, xics, xics-pr, xics-on-xive, release)${didYouMean(s)}`, 'unknown-device',
        s ? { title: `Replace with '${s}'`, span: id.span, newText: s } : undefined);
    }
    const device = id.name as DeviceName | 'release';
    const expect = this.expectation();
    // A creation expected to fail (`device xive -> EEXIST`) leaves the existing device in place.
    if (device !== 'release' && expect?.kind !== 'errno') this.lastDevice = device;
    return { kind: 'device', keyword, device, deviceSpan: id.span, expect, span: this.finish(keyword) };
  }

  private ctrlStmt(keyword: Ident): Stmt {
    this.advance();
    const attr = this.expectName('a control attribute (reset, eq_sync, nr_servers)');
    const value = this.atLineEnd() || this.isOp('->') ? null : this.expr();
    const expect = this.expectation();
    return { kind: 'ctrl', keyword, attr, value, expect, span: this.finish(keyword) };
  }

  private vcpuStmt(keyword: Ident): Stmt {
    this.advance();
    const vcpu = this.expr();
    const action = this.expectOneOf(VCPU_ACTIONS, 'a vCPU action');
    const options: { name: Ident; value: Expr }[] = [];
    while (action === 'connect' && this.isName()) {
      const word = this.expectOneOf(CONNECT_OPTION_WORDS, 'a connect option');
      options.push({ name: { name: word, span: this.tokens.spanAt(this.pos - 1) }, value: this.expr() });
    }
    const expect = this.expectation();
    return { kind: 'vcpu', keyword, vcpu, action, options, expect, span: this.finish(keyword) };
  }

  private eqTarget(): EqTarget {
    const at = this.pos;
    if (this.isName('id')) {
      this.advance();
      const id = this.expr();
      return { kind: 'id', id, span: spanFrom(this.tokens.spanAt(at), id.span) };
    }
    if (!this.isName('server')) this.fail(this.peek(), "'server S priority P' or 'id WORD'");
    this.advance();
    const server = this.expr();
    this.skipWord('priority');
    const priority = this.expr();
    return { kind: 'server-priority', server, priority, span: spanFrom(this.tokens.spanAt(at), priority.span) };
  }

  private vcpuRef(): Expr {
    this.skipWord('vcpu');
    return this.expr();
  }

  private wordValue(): WordValue {
    if (this.isName('badaddr')) {
      return { kind: 'badaddr', span: this.tokens.spanAt(this.pos++) };
    }
    if (this.isOp('{')) return this.fieldBlock();
    const expr = this.expr();
    return { kind: 'expr', expr, span: expr.span };
  }

  private setStmt(keyword: Ident): Stmt {
    this.advance();
    const target = this.expectOneOf(REGISTER_TARGETS, 'what to set');
    if (target === 'eq_config') {
      const eq = this.eqTarget();
      this.skipOp('=');
      const value = this.wordValue();
      const expect = this.expectation();
      return { kind: 'set-eq', keyword, eq, value, expect, span: this.finish(keyword) };
    }
    if (target === 'icp' || target === 'vp') {
      const vcpu = this.vcpuRef();
      this.skipOp('=');
      const value = this.wordValue();
      const expect = this.expectation();
      return { kind: 'set-reg', keyword, reg: target, vcpu, value, expect, span: this.finish(keyword) };
    }
    const irq = this.expr();
    this.skipOp('=');
    const value = this.wordValue();
    const expect = this.expectation();
    const stmt: Stmt = { kind: 'set', keyword, target, irq, value, expect, span: this.finish(keyword) };
    if (this.lastDevice && this.lastDevice !== 'xive') recordDevice(stmt, this.lastDevice);
    return stmt;
  }

  private getStmt(keyword: Ident): Stmt {
    this.advance();
    const target = this.expectOneOf(REGISTER_TARGETS, 'what to get');
    if (target === 'eq_config') {
      const eq = this.eqTarget();
      const expect = this.expectation();
      return { kind: 'get-eq', keyword, eq, expect, span: this.finish(keyword) };
    }
    if (target === 'icp' || target === 'vp') {
      const vcpu = this.vcpuRef();
      const expect = this.expectation();
      return { kind: 'get-reg', keyword, reg: target, vcpu, expect, span: this.finish(keyword) };
    }
    const irq = this.expr();
    const expect = this.expectation();
    const stmt: Stmt = { kind: 'get', keyword, target, irq, expect, span: this.finish(keyword) };
    if (this.lastDevice && this.lastDevice !== 'xive') recordDevice(stmt, this.lastDevice);
    return stmt;
  }

  private syncStmt(keyword: Ident): Stmt {
    this.advance();
    this.skipWord('source');
    const irq = this.expr();
    const expect = this.expectation();
    return { kind: 'sync', keyword, irq, expect, span: this.finish(keyword) };
  }

  private esbStmt(keyword: Ident): Stmt {
    this.advance();
    const irq = this.expr();
    let page: 'trigger' | 'management' = 'management';
    if (this.isName('trigger') || this.isName('management')) page = this.next().text as 'trigger' | 'management';
    const op = this.expectOneOf(ESB_ACCESSES, 'an ESB access');
    const offset = this.expr();
    const value = op === 'store' && !this.atLineEnd() && !this.isOp('->') ? this.expr() : null;
    const expect = this.expectation();
    return { kind: 'esb', keyword, irq, op, offset, value, page, expect, span: this.finish(keyword) };
  }

  private timaStmt(keyword: Ident): Stmt {
    this.advance();
    const vcpu = this.vcpuRef();
    const op = this.expectOneOf(TIMA_OP_WORDS, 'a TIMA access');
    const offset = this.expr();
    let value: Expr | null = null;
    if (op.startsWith('store')) value = this.expr();
    const expect = this.expectation();
    return { kind: 'tima', keyword, vcpu, op, offset, value, expect, span: this.finish(keyword) };
  }

  private eqStmt(keyword: Ident): Stmt {
    this.advance();
    const eq = this.eqTarget();
    const expect = this.expectation();
    return { kind: 'eq', keyword, eq, expect, span: this.finish(keyword) };
  }

  /** Whether the token `k` ahead can start an expression (read from the buffer, no token object). */
  private startsExprAt(k: number): boolean {
    const kind = this.kindAt(k);
    if (kind === K_NUMBER || kind === K_NAME || kind === K_STRING) return true;
    const op = this.tokens.opAt(this.pos + k);
    return op === '(' || op === '~' || op === '!';
  }

  /** `data -1` (space before the minus, none after) is a named argument with a negative value; `x - 1` is arithmetic. */
  private isSignedValueAfter(name: Token): boolean {
    const minus = this.peek(1);
    if (minus.kind !== 'op' || minus.text !== '-' || minus.start === name.end) return false;
    const value = this.peek(2);
    return value.start === minus.end && value.kind !== 'newline' && value.kind !== 'eof';
  }

  private hcallStmt(keyword: Ident): Stmt {
    this.advance();
    const vcpu = this.vcpuRef();
    const name = this.expectName('an hcall name (H_...)');
    const args: HcallArg[] = [];
    while (!this.atLineEnd() && !this.isOp('->')) {
      let argName: Ident | null = null;
      if (this.kindAt() === K_NAME && (this.startsExprAt(1) || this.isSignedValueAfter(this.peek()))) {
        argName = this.identAt(this.pos++);
      }
      const value = this.expr();
      args.push({ name: argName, value, span: spanFrom(argName ? argName.span : value.span, value.span) });
      if (this.isOp(',')) this.advance();
    }
    const expect = this.expectation();
    return { kind: 'hcall', keyword, vcpu, name, args, expect, span: this.finish(keyword) };
  }

  private lineStmt(keyword: Ident): Stmt {
    this.advance();
    const irq = this.expr();
    let action: LineAction | Expr;
    if (this.isName('level')) {
      this.advance();
      action = this.expr();
    } else {
      action = this.expectOneOf(LINE_ACTION_WORDS, 'a line action (or level N)');
    }
    const expect = this.expectation();
    return { kind: 'line', keyword, irq, action, expect, span: this.finish(keyword) };
  }

  private rtasStmt(keyword: Ident): Stmt {
    this.advance();
    const name = this.compoundName('an RTAS call name (e.g. ibm,int-off)');
    const args: Expr[] = [];
    while (!this.atLineEnd() && !this.isOp('->')) {
      args.push(this.expr());
      if (this.isOp(',')) this.advance();
    }
    const expect = this.expectation();
    return { kind: 'rtas', keyword, name, args, expect, span: this.finish(keyword) };
  }

  private attrStmt(keyword: Ident): Stmt {
    this.advance();
    const op = this.expectOneOf(ATTR_OPS, 'an attribute operation');
    this.skipWord('group');
    const group = this.expr();
    this.skipWord('attr');
    const attr = this.expr();
    let value: WordValue | null = null;
    if (op === 'set') {
      this.skipOp('=');
      value = this.wordValue();
    }
    const expect = this.expectation();
    const stmt: Stmt = { kind: 'attr', keyword, op, group, attr, value, expect, span: this.finish(keyword) };
    if (this.lastDevice && this.lastDevice !== 'xive') recordDevice(stmt, this.lastDevice);
    return stmt;
  }

  /** `{` NEWLINE? statements `}` of a proc or repeat. */
  private block(): { body: Stmt[]; bodySpan: Span } {
    // The `{` may also start the next line (Allman style).
    const saved = this.pos;
    while (this.kindAt() === K_NEWLINE) this.advance();
    if (!this.isOp('{')) this.pos = saved;
    const open = this.expectOp('{', "'{'");
    if (this.depth >= MAX_NESTING) throw new SyntaxFailure(spanOf(open), `blocks nested deeper than ${MAX_NESTING} levels`, 'nesting-too-deep');
    this.depth++;
    const body = this.parseStatements(open);
    if (!this.isOp('}')) {
      this.depth--;
      // Reported at the opener; the statements read so far are kept.
      this.diagnostics.push({ span: spanOf(open), severity: 'error', code: 'unclosed-block', message: "this '{' is never closed: add a '}' line" });
      return { body, bodySpan: spanFrom(spanOf(open), spanOf(this.prev())) };
    }
    const close = this.next();
    this.depth--;
    return { body, bodySpan: spanFrom(spanOf(open), spanOf(close)) };
  }

  /** `( item, item, ... )`: a proc's parameters, a call's arguments. */
  private parenthesized<T>(item: () => T): T[] {
    this.skipOp('(');
    const items: T[] = [];
    while (!this.isOp(')')) {
      items.push(item());
      if (this.isOp(',')) { this.advance(); continue; }
      if (!this.isOp(')')) this.fail(this.peek(), "',' or ')'");
    }
    this.advance();
    return items;
  }

  private procStmt(keyword: Ident): Stmt {
    this.advance();
    const name = this.expectName('a procedure name');
    const params = this.parenthesized(() => this.expectName('a parameter name'));
    const { body, bodySpan } = this.block();
    return { kind: 'proc', keyword, name, params, body, bodySpan, expect: null, span: this.finish(keyword) };
  }

  private callStmt(keyword: Ident): Stmt {
    this.advance();
    const name = this.expectName('a procedure name');
    const args = this.parenthesized(() => this.expr());
    const expect = this.expectation();
    return { kind: 'call', keyword, name, args, expect, span: this.finish(keyword) };
  }

  private repeatStmt(keyword: Ident): Stmt {
    this.advance();
    const count = this.expr();
    let variable: Ident | null = null;
    if (this.isName('as')) {
      this.advance();
      variable = this.expectName('a loop variable name');
    }
    const { body, bodySpan } = this.block();
    return { kind: 'repeat', keyword, count, variable, body, bodySpan, expect: null, span: this.finish(keyword) };
  }

  private logStmt(keyword: Ident): Stmt {
    this.advance();
    const s = this.peek();
    if (s.kind !== 'string' || s.problem) this.fail(s, 'a quoted message');
    this.advance();
    const parts = logParts(s);
    return { kind: 'log', keyword, message: s.str.replace(/\\([{}])/g, '$1'), messageSpan: spanOf(s), parts, expect: null, span: this.finish(keyword) };
  }

  private includeStmt(keyword: Ident): Stmt {
    this.advance();
    const s = this.peek();
    if (s.kind !== 'string' || s.problem) this.fail(s, 'a quoted file name');
    this.advance();
    return { kind: 'include', keyword, path: s.str, pathSpan: spanOf(s), expect: null, span: this.finish(keyword) };
  }

  // ------------------------------------------------------------ field blocks

  fieldBlock(): FieldBlock {
    // Token positions, not Token objects: a block is parsed from the buffer.
    const open = this.pos;
    this.skipOp('{');
    this.enterAt(open);
    const fields: FieldAssign[] = [];
    for (;;) {
      this.skipFieldNewlines(open);
      if (this.isOp('}')) break;
      const name = this.expectName("a field name or '}'");
      let value: Expr | null = null;
      // One read of the token after the name (and after the value): an operator's text or null.
      const op = this.opHere();
      if (op === null ? this.kindAt() !== K_NEWLINE && this.kindAt() !== K_EOF : op !== ',' && op !== '}') value = this.expr();
      // A bare field (`masked`) spans just its name: the span object is shared.
      fields.push({ name, value, span: value ? spanFrom(name.span, value.span) : name.span });
      const after = value ? this.opHere() : op;
      if (after === ',') { this.pos++; continue; }
      if (after === '}' || (after === null && this.kindAt() === K_NEWLINE)) continue;
      this.fail(this.peek(), "',' or '}'");
    }
    const close = this.pos;
    this.advance();
    this.leave();
    const o = this.tokens.spanAt(open);
    return { kind: 'fields', fields, span: { start: o.start, end: this.tokens.endOf(close), line: o.line, col: o.col } };
  }
  /** Newlines inside a field block or entry list; a following statement keyword (or EOF) means `open` was never closed. */
  /** `open`: position of the `{` or `[` being read. */
  private skipFieldNewlines(open: number): void {
    const saved = this.pos;
    while (this.kindAt() === K_NEWLINE) this.advance();
    const kind = this.kindAt();
    // Field names never coincide with statement keywords, so a keyword at a line start begins the next statement.
    if (kind === K_EOF || (this.pos > saved && kind === K_NAME && isStatementKeyword(this.tokens.textOf(this.pos)))) {
      this.pos = saved;
      const text = this.tokens.opAt(open);
      const close = text === '[' ? ']' : '}';
      throw new SyntaxFailure(this.tokens.spanAt(open), `this '${text}' is never closed: add '${close}'`, 'unclosed-block');
    }
  }

  // ------------------------------------------------------------ expressions

  expr(): Expr {
    return this.binary(1);
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      // Most operands end at a line end, ',' or '}': decided from the token buffer, no token object.
      const op = this.opHere();
      if (op === null) return left;
      const prec = precedenceOf(op);
      if (prec === 0 || prec < minPrec) return left;
      const at = this.pos;
      this.advance();
      if (++this.operators > MAX_OPERATORS) {
        throw new SyntaxFailure(this.tokens.spanAt(at), `more than ${MAX_OPERATORS} operators in one statement`, 'nesting-too-deep');
      }
      this.enterAt(at);
      const right = this.binary(prec + 1);
      this.leave();
      left = { kind: 'binary', op: op as BinaryOp, left, right, span: spanFrom(left.span, right.span) };
    }
  }

  private unary(): Expr {
    const op = this.opHere();
    if (op === '-' || op === '~' || op === '!') {
      const at = this.pos;
      this.advance();
      this.enterAt(at);
      const operand = this.unary();
      this.leave();
      return { kind: 'unary', op, operand, span: spanFrom(this.tokens.spanAt(at), operand.span) };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    let cur = e;
    for (;;) {
      if (this.isOp('.') && this.kindAt(1) === K_NAME) {
        this.advance();
        const m = this.next();
        cur = { kind: 'member', object: cur, member: { name: m.text, span: spanOf(m) }, span: spanFrom(cur.span, spanOf(m)) };
        continue;
      }
      return cur;
    }
  }

  private primary(): Expr {
    // Numbers and plain names are most of the operands: built straight from the token buffer.
    const kind = this.kindAt();
    if (kind === K_NUMBER) {
      const i = this.pos;
      const span = this.tokens.spanAt(i);
      // Repeated literals share one text and one bigint (both immutable) through a small direct-mapped cache,
      // matched against the source text in place. Not `textOf`: most large literals are unique, and interning
      // them filled the buffer's name table (slowing every name look-up); a Map of every literal did the same.
      const src = this.source;
      let slot = -1;
      let key = -1;
      let text: string;
      if (src !== null) {
        const start = span.start - this.sourceOffset;
        const end = span.end - this.sourceOffset;
        const n = end - start;
        // A plain decimal (most literals) is matched by its value, an integer compare; others by their text.
        key = plainDecimal(src, start, end);
        let hit: boolean;
        if (key >= 0) {
          slot = key & (NUMBER_SLOTS - 1);
          hit = this.numberKeys[slot] === key;
        } else {
          slot = (n * 7 + src.charCodeAt(end - 1) * 31 + (n > 1 ? src.charCodeAt(end - 2) : 0)) & (NUMBER_SLOTS - 1);
          const known = this.numberTexts[slot];
          hit = known.length === n && textAt(src, start, known);
        }
        if (hit) {
          this.pos++;
          return { kind: 'number', value: this.numberValues[slot], text: this.numberTexts[slot], span };
        }
        text = src.slice(start, end);
      } else {
        text = this.tokens.textOf(i);
      }
      // A plain decimal's value is known already (the shared small bigints, as parseNumberText answers).
      const value = key >= 0 ? smallBigInt(key) : parseNumberText(text).value;
      if (value === null) this.fail(this.peek(), 'a number');
      if (slot >= 0) {
        this.numberTexts[slot] = text;
        this.numberValues[slot] = value;
        this.numberKeys[slot] = key;
      }
      this.pos++;
      return { kind: 'number', value, text, span };
    }
    if (kind === K_NAME && this.tokens.opAt(this.pos + 1) !== '(') {
      const span = this.tokens.spanAt(this.pos);
      return { kind: 'name', name: this.tokens.nameOf(this.pos++), span };
    }
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        if (t.value === null) this.fail(t, 'a number');
        this.advance();
        return { kind: 'number', value: t.value, text: t.text, span: spanOf(t) };
      case 'string':
        if (t.problem) this.fail(t, 'a string');
        this.advance();
        return { kind: 'string', value: t.str, span: spanOf(t) };
      case 'name': {
        this.advance();
        const open = this.peek();
        if (open.kind === 'op' && open.text === '(' && open.start === t.end) {
          this.advance();
          this.enter(open);
          const args: Expr[] = [];
          while (!this.isOp(')')) {
            args.push(this.expr());
            if (this.isOp(',')) { this.advance(); continue; }
            if (!this.isOp(')')) this.fail(this.peek(), "',' or ')'");
          }
          const close = this.next();
          this.leave();
          return { kind: 'call', callee: { name: t.text, span: spanOf(t) }, args, span: spanFrom(spanOf(t), spanOf(close)) };
        }
        return { kind: 'name', name: t.text, span: spanOf(t) };
      }
      case 'op':
        if (t.text === '(') {
          this.advance();
          this.enter(t);
          const inner = this.expr();
          this.skipOp(')', "')'");
          this.leave();
          return inner;
        }
        break;
      default:
        break;
    }
    this.fail(t, 'a value');
  }

  /** Whether every token was consumed (used by `parseExpression`). */
  atEnd(): boolean {
    return this.kindAt() === K_EOF;
  }
  current(): Token {
    return this.peek();
  }
  /** Runs `f`, turning a syntax failure into a diagnostic. */
  guard<T>(f: () => T): T | null {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      this.diagnostics.push({ span: e.span, severity: 'error', message: e.message, code: e.code });
      return null;
    }
  }
}

/** Splits a log string into text and `{expr}` parts, parsing each interpolation. */
function logParts(s: Token): LogPart[] {
  const raw = s.text;
  const parts: LogPart[] = [];
  const base = s.start;
  const span = (a: number, b: number): Span => ({ start: base + a, end: base + b, line: s.line, col: s.col + a });
  const closeQuote = raw.length > 1 && raw.endsWith('"') ? raw.length - 1 : raw.length;
  let text = '';
  let textStart = 1;
  let i = 1;
  while (i < closeQuote) {
    const c = raw[i];
    if (c === '\\' && i + 1 < closeQuote) {
      const n = raw[i + 1];
      text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i += 2;
      continue;
    }
    if (c === '{') {
      const close = raw.indexOf('}', i + 1);
      if (close < 0 || close >= closeQuote) {
        throw new SyntaxFailure(span(i, i + 1), "'{' in a log message starts an interpolation: close it with '}' or write '\\{'", 'syntax');
      }
      if (text) parts.push({ kind: 'text', text, span: span(textStart, i) });
      text = '';
      const inner = raw.slice(i + 1, close);
      const lexed = lex(inner).tokens.map((t) => ({ ...t, start: t.start + base + i + 1, end: t.end + base + i + 1, line: s.line, col: s.col + i + 1 + t.col }));
      const sub = new Parser(arraySource(lexed));
      if (lexed.length === 1) throw new SyntaxFailure(span(i, close + 1), 'empty interpolation {} in a log message', 'syntax');
      const expr = sub.guard(() => sub.expr());
      if (!expr) {
        const d = sub.diagnostics[0];
        throw new SyntaxFailure(d.span, d.message.replace('end of file', "'}'") + ' in an interpolation', d.code);
      }
      if (!sub.atEnd()) throw new SyntaxFailure(spanOf(sub.current()), `unexpected ${describe(sub.current())} in an interpolation`, 'syntax');
      parts.push({ kind: 'expr', expr, span: span(i, close + 1) });
      i = close + 1;
      textStart = i;
      continue;
    }
    text += c;
    i++;
  }
  if (text) parts.push({ kind: 'text', text, span: span(textStart, closeQuote) });
  return parts;
}

export function parse(text: string, uri = 'untitled.irq'): Program {
  return parseSlice(text, uri, null).program;
}

/**
 * Parses `text` as a slice of a larger file that starts at a top-level
 * statement, with `deviceBefore` in force there (the device decides how later
 * words decode); also answers the device in force at the slice's end.
 */
export function parseSlice(text: string, uri: string, deviceBefore: DeviceName | null): { program: Program; deviceAfter: DeviceName | null } {
  const { buffer, comments, lineStarts } = lexBuffer(text);
  const parser = new Parser(buffer, deviceBefore);
  try {
    const statements = parser.parseProgram();
    return { program: { uri, text, statements, comments, diagnostics: parser.diagnostics, lineStarts }, deviceAfter: parser.deviceAfter };
  } catch (e) {
    // Nothing may throw across the layer boundary: a parser bug becomes a diagnostic, not a crash.
    const at = { start: 0, end: 0, line: 0, col: 0 };
    const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    return { program: { uri, text, statements: [], comments, diagnostics: [{ span: at, severity: 'error', code: 'internal-error', message }], lineStarts }, deviceAfter: deviceBefore };
  }
}

/** Parses one expression (debugger conditions, watches, console); diagnostics instead of exceptions. */
export function parseExpression(text: string): { expr: Expr | null; diagnostics: Diagnostic[] } {
  const tokens = lex(text).tokens.filter((t) => t.kind !== 'newline');
  const parser = new Parser(arraySource(tokens));
  const expr = parser.guard(() => parser.expr());
  if (expr && !parser.atEnd()) {
    const t = parser.current();
    return { expr: null, diagnostics: [{ span: spanOf(t), severity: 'error', code: 'syntax', message: `unexpected ${describe(t)} after the expression` }] };
  }
  return { expr, diagnostics: parser.diagnostics };
}
