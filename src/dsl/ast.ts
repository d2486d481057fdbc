/**
 * The `.irq` syntax tree. Every node carries its exact source span so the
 * checker, the language server and the debugger can point at it. Lines and
 * columns are 0-based (LSP convention); `start`/`end` are character offsets.
 *
 * Contract between the parser (produces), the checker, the interpreter, the
 * formatter, the language server and the debug adapter (consume). Extend it
 * additively.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Expr =
  | { readonly kind: 'number'; readonly value: bigint; readonly text: string; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | '~' | '!'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  /** `icp(0)`, `source(0x1300)` — used by debugger expressions (conditions, watches). */
  | { readonly kind: 'call'; readonly callee: Ident; readonly args: readonly Expr[]; readonly span: Span }
  /** `icp(0).xisr` */
  | { readonly kind: 'member'; readonly object: Expr; readonly member: Ident; readonly span: Span };

/** `name value` inside `{ }`; a bare `name` (e.g. `masked`) means 1. */
export interface FieldAssign {
  readonly name: Ident;
  readonly value: Expr | null;
  readonly span: Span;
}

export interface FieldBlock {
  readonly kind: 'fields';
  readonly fields: readonly FieldAssign[];
  readonly span: Span;
}

/** The right-hand side of `set ... = VALUE`: a raw word, a field block, or `badaddr` (addr faults: -EFAULT). */
export type WordValue =
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  | FieldBlock
  | { readonly kind: 'badaddr'; readonly span: Span };

// --------------------------------------------------------------- expectations

export type Expectation =
  /** `-> VALUE`: success, and the result equals VALUE. */
  | { readonly kind: 'value'; readonly expr: Expr; readonly span: Span }
  /** `-> { field v, ... }`: success, and the named fields equal. */
  | { readonly kind: 'fields'; readonly block: FieldBlock; readonly span: Span }
  /** `-> EINVAL` (also `SIGBUS`). */
  | { readonly kind: 'errno'; readonly name: Ident; readonly span: Span }
  /** `-> H_SUCCESS`, `-> H_P2`, ... */
  | { readonly kind: 'hret'; readonly name: Ident; readonly span: Span }
  /** `-> [0x8000_1300, ...]`: the queue entries read. */
  | { readonly kind: 'entries'; readonly items: readonly Expr[]; readonly span: Span }
  /** `-> ok`: success, whatever the value. */
  | { readonly kind: 'ok'; readonly span: Span };

// ----------------------------------------------------------------- statements

export type DeviceName = 'xive' | 'xics' | 'xics-pr' | 'xics-on-xive';

/** `hcall vcpu 0 H_IPI server 0, mfrr 4` or positional `hcall vcpu 0 H_IPI 0, 4`. */
export interface HcallArg {
  readonly name: Ident | null;
  readonly value: Expr;
  readonly span: Span;
}

/** EQ addressed as `server S priority P` or by its raw identifier word. */
export type EqTarget =
  | { readonly kind: 'server-priority'; readonly server: Expr; readonly priority: Expr; readonly span: Span }
  | { readonly kind: 'id'; readonly id: Expr; readonly span: Span };

export type TimaOp = 'load8' | 'load16' | 'load32' | 'load64' | 'store8' | 'store16' | 'store32' | 'store64';
export type LineAction = 'assert' | 'deassert' | 'pulse' | 'set' | 'unset' | 'set_level';

interface StmtBase {
  readonly span: Span;
  /** The leading keyword (for hovers, semantic tokens, function breakpoints). */
  readonly keyword: Ident;
  readonly expect: Expectation | null;
}

export type Stmt =
  | (StmtBase & { readonly kind: 'scenario'; readonly title: string })
  | (StmtBase & { readonly kind: 'let'; readonly name: Ident; readonly value: Expr })
  | (StmtBase & { readonly kind: 'device'; readonly device: DeviceName | 'release'; readonly deviceSpan: Span })
  | (StmtBase & { readonly kind: 'ctrl'; readonly attr: Ident; readonly value: Expr | null })
  | (StmtBase & {
      readonly kind: 'vcpu';
      readonly vcpu: Expr;
      readonly action: 'connect' | 'run' | 'stop';
      /** connect options: server S, flags F, fd N, cap C */
      readonly options: readonly { readonly name: Ident; readonly value: Expr }[];
    })
  | (StmtBase & { readonly kind: 'set'; readonly target: 'source' | 'source_config'; readonly irq: Expr; readonly value: WordValue })
  | (StmtBase & { readonly kind: 'get'; readonly target: 'source' | 'source_config'; readonly irq: Expr })
  | (StmtBase & { readonly kind: 'set-eq'; readonly eq: EqTarget; readonly value: WordValue })
  | (StmtBase & { readonly kind: 'get-eq'; readonly eq: EqTarget })
  | (StmtBase & { readonly kind: 'set-reg'; readonly reg: 'icp' | 'vp'; readonly vcpu: Expr; readonly value: WordValue })
  | (StmtBase & { readonly kind: 'get-reg'; readonly reg: 'icp' | 'vp'; readonly vcpu: Expr })
  | (StmtBase & { readonly kind: 'sync'; readonly irq: Expr })
  | (StmtBase & {
      readonly kind: 'esb';
      readonly irq: Expr;
      readonly op: 'load' | 'store';
      readonly offset: Expr;
      readonly value: Expr | null;
      /** Which ESB page is accessed: `esb IRQ trigger store OFF` names the trigger page; default management. */
      readonly page: 'trigger' | 'management';
    })
  | (StmtBase & { readonly kind: 'tima'; readonly vcpu: Expr; readonly op: TimaOp; readonly offset: Expr; readonly value: Expr | null })
  | (StmtBase & { readonly kind: 'eq'; readonly eq: EqTarget })
  | (StmtBase & { readonly kind: 'hcall'; readonly vcpu: Expr; readonly name: Ident; readonly args: readonly HcallArg[] })
  | (StmtBase & { readonly kind: 'line'; readonly irq: Expr; readonly action: LineAction | Expr })
  | (StmtBase & { readonly kind: 'rtas'; readonly name: Ident; readonly args: readonly Expr[] })
  | (StmtBase & { readonly kind: 'attr'; readonly op: 'set' | 'get' | 'has'; readonly group: Expr; readonly attr: Expr; readonly value: WordValue | null })
  | (StmtBase & { readonly kind: 'proc'; readonly name: Ident; readonly params: readonly Ident[]; readonly body: readonly Stmt[]; readonly bodySpan: Span })
  | (StmtBase & { readonly kind: 'call'; readonly name: Ident; readonly args: readonly Expr[] })
  | (StmtBase & { readonly kind: 'repeat'; readonly count: Expr; readonly variable: Ident | null; readonly body: readonly Stmt[]; readonly bodySpan: Span })
  | (StmtBase & {
      readonly kind: 'log';
      readonly message: string;
      readonly messageSpan: Span;
      /** The message split into literal text and `{expr}` interpolations, in order. */
      readonly parts: readonly LogPart[];
    })
  | (StmtBase & { readonly kind: 'include'; readonly path: string; readonly pathSpan: Span })
  /** A line that did not parse; the diagnostic says why. */
  | (StmtBase & { readonly kind: 'error' });

export type StmtKind = Stmt['kind'];

/** A piece of a `log "text {expr}"` message. */
export type LogPart =
  | { readonly kind: 'text'; readonly text: string; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span };

export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  readonly span: Span;
  readonly severity: Severity;
  readonly message: string;
  /** Stable rule id, e.g. `unknown-keyword`, `field-too-wide`, `reserved-priority`. */
  readonly code: string;
  /** A replacement the editor can offer as a quick fix. */
  readonly fix?: { readonly title: string; readonly span: Span; readonly newText: string };
  /**
   * A predicted kernel rejection (a warning: the statement still runs): the errno of
   * the first rule that fails, in the kernel's order, and the unknown earlier checks
   * taken to pass on the way (empty when the prediction is unconditional).
   */
  readonly predicted?: { readonly errno: string; readonly assuming: readonly string[] };
}

export interface Program {
  readonly uri: string;
  readonly text: string;
  readonly statements: readonly Stmt[];
  readonly comments: readonly Comment[];
  /** Parse diagnostics (the checker adds its own). */
  readonly diagnostics: readonly Diagnostic[];
  /** Offsets where each line starts, for offset ↔ position conversion. */
  readonly lineStarts: readonly number[];
}
