/**
 * The checker: what can be known to be wrong before anything runs. Every rule
 * has a stable code (see CHECK_RULES) and its message names the rule. Kernel
 * rejections (reserved priorities, EQ_CONFIG struct rules) come from the
 * model's own table and predicates, and are not reported when the statement
 * expects the failure (`-> EINVAL`): that is the scenario testing the kernel.
 */
import type { Diagnostic, Expectation, Expr, FieldBlock, HcallArg, Program, Span, Stmt, TimaOp, WordValue } from './ast';
import { ERRNO_NAMES, HCALL_RETURNS } from '../model/result';
import { HCALLS, RTAS_CALLS, isHcallName, isRtasName } from '../model/hcalls';
import { FieldDef, LAYOUTS, LAYOUT_NAMES, LayoutName, extractField, splitWord } from '../model/layouts';
import { isValidXivePriority } from '../model/xive/priority';
import { checkQueueConfig, freshQueueToggleProblem } from '../model/xive/queue-config-rules';
import { decodeEqId } from '../model/xive/queues';
import { DEFAULT_VM_CONFIG } from '../model/state';
import type { KvmPpcXiveEq } from '../model/attr';
import { XIVE_GRP } from '../model/attr';
import { ConstEnv, constantEnv, evaluateConstant } from './constants';
import { CTRL_ATTRS, EQ_CONFIG_FIELDS, EQ_FLAG_NAMES } from './keywords';
import { parse } from './parser';
import { resolve } from './scope';
import { closest, didYouMean } from './suggest';
import { layoutOfStatement } from './words';
import { forEachStatement } from './walk';
import { deviceOf, isXicsFamily } from './context';
import { brokenLineEffect, expectsFailure, needsTheDevice, statementLabel, vcpuOperand } from './order';
import { bindParams, ProcSummary, summarizeProc } from './proc-effects';

export interface CheckOptions {
  /** resolve + read an included file; return undefined if missing */
  readFile?: (uri: string) => string | undefined;
  resolveInclude?: (fromUri: string, path: string) => string;
}

/** Every checker rule code with what it means (the parser's codes are listed in PARSE_RULES). */
export const CHECK_RULES: Readonly<Record<string, string>> = {
  'undefined-name': 'a name with no let, parameter or loop variable',
  'used-before-definition': 'a let used on a line before the one that defines it',
  'duplicate-let': 'a let defined twice in the same scope',
  'duplicate-param': 'a proc parameter named twice',
  'duplicate-proc': 'a proc defined twice',
  'unknown-proc': 'call to a proc that does not exist',
  'wrong-arg-count': 'call with a different number of arguments than the proc has parameters',
  'proc-not-top-level': 'a proc defined inside a block',
  'unknown-field': 'a field name that the word\'s layout (or the EQ struct, or the call\'s outputs) does not have',
  'field-too-wide': 'a field value that does not fit the field\'s bits',
  'value-too-wide': 'a raw word or access value wider than its word',
  'ignored-bits': 'a raw word setting bits the kernel ignores',
  'read-only-field': 'a field block writing a field the hardware derives (e.g. pipr)',
  'reserved-priority': 'a priority the kernel rejects (7 is reserved for escalation, xive_prio_from_guest): a warning with the predicted errno; the statement still runs',
  'eq-config-rejected': 'an EQ_CONFIG struct the kernel refuses (flags, qshift, alignment, RAM, restore): a warning with the predicted errno, the first failing rule only',
  'eq-config-restores': 'an EQ_CONFIG for a new queue (qindex 0) with qtoggle other than 1: the kernel restores queue state and the guest reader sees no entry (warning)',
  'errno-not-possible': 'an errno expectation on a guest access that cannot return one (ESB, TIMA: only SIGBUS; a queue scan: none)',
  'eq-config-needs-struct': 'a raw word where EQ_CONFIG takes struct kvm_ppc_xive_eq (a field block)',
  'write-only-attribute': 'a get of an attribute the kernel only accepts in a set (ENXIO)',
  'unknown-errno': 'an errno name the kernel does not return',
  'unknown-hret': 'an hcall return code that does not exist',
  'unknown-hcall': 'an hcall name that does not exist',
  'unknown-hcall-arg': 'a named hcall argument the hcall does not take',
  'duplicate-arg': 'an hcall argument given twice',
  'too-many-args': 'more arguments than the hcall or RTAS call takes',
  'unknown-rtas': 'an RTAS call name KVM does not handle',
  'unknown-ctrl': 'a control attribute that does not exist',
  'ctrl-value': 'a control attribute given a value it does not take, or missing one it needs',
  'no-device': 'a statement that needs the interrupt device before any device statement',
  'vcpu-not-connected': 'a vCPU used before its connect',
  'expectation-not-applicable': 'an expectation kind the statement cannot produce',
  'non-constant-repeat': 'a repeat count that is not a constant',
  'negative-repeat': 'a repeat count below zero',
  'include-missing': 'an included file that cannot be read',
  'include-cycle': 'a file that includes itself, directly or not',
  'include-errors': 'an included file with errors of its own',
};

/** Codes the parser reports. */
export const PARSE_RULES: Readonly<Record<string, string>> = {
  'syntax': 'a line that does not follow the grammar',
  'unknown-keyword': 'a line that starts with a word that is not a statement keyword',
  'unknown-device': 'a device name that does not exist',
  'invalid-number': 'a malformed numeric literal',
  'unterminated-string': 'a string without its closing quote',
  'unexpected-character': 'a character the language does not use',
  'unclosed-block': 'a { that is never closed',
  'nesting-too-deep': 'nesting beyond the parser\'s bound',
  'internal-error': 'a bug in the front end, reported instead of thrown',
};

type Severity = Diagnostic['severity'];

export interface Outline {
  /** Top-level lets and procs an included file contributes (name → proc arity, or -1 for a let). */
  readonly names: Map<string, number>;
  readonly connects: Set<bigint>;
  device: boolean;
}

/**
 * The checker's running state between top-level statements: what a slice of
 * a file (parsed on its own) needs from the statements before it, and leaves
 * for the ones after it. Mutated by `checkSlice`.
 */
export interface CheckState {
  device: boolean;
  readonly connected: Set<bigint>;
  anyVcpu: boolean;
  readonly warnedLibrary: Set<'device' | 'vcpu'>;
  readonly included: Outline;
  env: ConstEnv;
}

/** Whole-file facts a slice is checked against. */
export interface FileFacts {
  /** The file's constant environment (`constantEnv` of the whole program). */
  readonly env: ConstEnv;
  readonly createsDevice: boolean;
  readonly connects: boolean;
  /** What each top-level proc's body does to the order rules, by name (the last definition, as the runtime calls). */
  readonly procSummaries: ReadonlyMap<string, ProcSummary>;
}

/** The file's proc summaries, as `FileFacts.procSummaries`. */
export function procSummariesOf(statements: readonly Stmt[], text: string): Map<string, ProcSummary> {
  const out = new Map<string, ProcSummary>();
  for (const s of statements) if (s.kind === 'proc') out.set(s.name.name, summarizeProc(s, text));
  return out;
}

/** Whether a statement makes the file count as creating a device / connecting a vCPU (else it reads as an include library). */
export function statementCreatesDevice(s: Stmt): boolean {
  return (s.kind === 'device' && s.device !== 'release') || (s.kind === 'error' && s.keyword.name === 'device') || s.kind === 'include';
}
export function statementConnects(s: Stmt): boolean {
  return (s.kind === 'vcpu' && s.action === 'connect') || (s.kind === 'error' && s.keyword.name === 'vcpu') || s.kind === 'include';
}

export function initialCheckState(env: ConstEnv): CheckState {
  return { device: false, connected: new Set(), anyVcpu: false, warnedLibrary: new Set(), included: { names: new Map(), connects: new Set(), device: false }, env };
}

/** Include chains longer than this are not followed (each level is a nested checker). */
const MAX_INCLUDE_DEPTH = 32;

const HCALL_OUTPUT_REG = /^r([4-9]|1[0-2])$/;

/** `ALL_ONES[w]` = 2^w - 1, the largest value of a w-bit field (widths up to 64; wider ones are computed). */
const ALL_ONES: readonly bigint[] = Array.from({ length: 65 }, (_, w) => (1n << BigInt(w)) - 1n);
function allOnes(width: number): bigint {
  return width >= 0 && width <= 64 ? ALL_ONES[width] : (1n << BigInt(width)) - 1n;
}
/** `MIN_SIGNED[w]` = -2^(w-1), the smallest two's-complement value of w bits (w from 1 to 64). */
const MIN_SIGNED: readonly bigint[] = Array.from({ length: 65 }, (_, w) => (w === 0 ? 0n : -(1n << BigInt(w - 1))));
function minSigned(width: number): bigint {
  return width >= 1 && width <= 64 ? MIN_SIGNED[width] : -(1n << BigInt(width - 1));
}

/**
 * What the checker asks of a layout, computed once at load instead of per
 * field or per word: field lookup by name, the mask of the bits the kernel
 * ignores, and the fields that have values the kernel rejects.
 */
interface LayoutFacts {
  /** Field names in table order (the "fields:" list of unknown-field messages). */
  readonly names: readonly string[];
  /** The first field of each name, as `fieldOf` finds it. */
  readonly fields: ReadonlyMap<string, FieldDef>;
  /** Bits of the word the kernel ignores (within the word's width), or null. */
  readonly ignoredMask: bigint | null;
  /** Fields with rejected values, in table order. */
  readonly rejecting: readonly FieldDef[];
}

function layoutFacts(layout: LayoutName): LayoutFacts {
  const def = LAYOUTS[layout];
  const fields = new Map<string, FieldDef>();
  for (const f of def.fields) if (!fields.has(f.name)) fields.set(f.name, f);
  const widthMask = allOnes(def.width);
  const ignoredMask = def.ignored ? (allOnes(def.ignored.width) << BigInt(def.ignored.lo)) & widthMask : null;
  return { names: def.fields.map((f) => f.name), fields, ignoredMask, rejecting: def.fields.filter((f) => f.rejects && f.rejects.length > 0) };
}

const LAYOUT_FACTS = new Map<LayoutName, LayoutFacts>(LAYOUT_NAMES.map((l) => [l, layoutFacts(l)]));
function factsOf(layout: LayoutName): LayoutFacts {
  return LAYOUT_FACTS.get(layout)!;
}

const EQ_CONFIG_FIELD_NAMES = Object.keys(EQ_CONFIG_FIELDS);
/** struct kvm_ppc_xive_eq's fields (own names of EQ_CONFIG_FIELDS): width and largest value. */
const EQ_FIELDS: ReadonlyMap<string, { readonly width: number; readonly max: bigint }> =
  new Map(EQ_CONFIG_FIELD_NAMES.map((n) => [n, { width: EQ_CONFIG_FIELDS[n], max: allOnes(EQ_CONFIG_FIELDS[n]) }]));

/** The EQ_CONFIG values the kernel's struct checks read (a field not given is 0). */
interface EqValues { flags: bigint; qshift: bigint; qaddr: bigint; qtoggle: bigint; qindex: bigint }
function setEqValue(eq: EqValues, name: string, v: bigint): void {
  switch (name) {
    case 'flags': eq.flags = v; break;
    case 'qshift': eq.qshift = v; break;
    case 'qaddr': eq.qaddr = v; break;
    case 'qtoggle': eq.qtoggle = v; break;
    case 'qindex': eq.qindex = v; break;
    default: break;
  }
}
const ERRNOS: ReadonlySet<string> = new Set(ERRNO_NAMES);
/**
 * The checks the kernel makes before a word's field values (kernel order), which
 * depend on state the checker does not know: a prediction from a word holds if they pass.
 */
const REJECTION_ASSUMES: Partial<Record<LayoutName, readonly string[]>> = {
  // kvmppc_xive_native_set_source_config: find the block, then the source's valid flag, then the priority.
  'xive-source-config': ["the source was declared with 'set source' (else ENOENT or EINVAL)"],
};
const TIMA_BITS: Readonly<Record<TimaOp, number>> = {
  load8: 8, load16: 16, load32: 32, load64: 64, store8: 8, store16: 16, store32: 32, store64: 64,
};

/** How order diagnostics name a statement (`'set source'`, `'hcall H_EOI'`): built only when one is reported. */
function namedArg(args: readonly HcallArg[], name: string): HcallArg | undefined {
  for (const a of args) if (a.name?.name === name) return a;
  return undefined;
}

function defaultResolveInclude(fromUri: string, path: string): string {
  if (path.startsWith('/') || /^[a-z]+:/i.test(path)) return path;
  const slash = fromUri.lastIndexOf('/');
  return slash < 0 ? path : fromUri.slice(0, slash + 1) + path;
}

class Checker {
  readonly out: Diagnostic[] = [];
  private device: boolean;
  private readonly connected: Set<bigint>;
  /** A broken `vcpu` line whose vCPU number cannot be read: later uses of any vCPU are not reported. */
  private anyVcpu: boolean;
  private env: ConstEnv;
  /** Depth inside proc bodies: device/vCPU order rules are left to the runtime there (they depend on the call site). */
  private procDepth = 0;
  private readonly included: Outline;

  /** Whether the file itself creates a device / connects a vCPU anywhere (else it reads as an include library). */
  private readonly fileCreatesDevice: boolean;
  private readonly fileConnects: boolean;
  private readonly warnedLibrary: Set<'device' | 'vcpu'>;
  private readonly procSummaries: ReadonlyMap<string, ProcSummary>;

  /** `slice`: check `program` as a slice of a larger file, from and into that running state. */
  constructor(private readonly program: Program, private readonly options: CheckOptions, private readonly visiting: Set<string>,
    slice?: { state: CheckState; file: FileFacts }) {
    const state = slice ? slice.state : initialCheckState(constantEnv(program));
    this.device = state.device;
    this.connected = state.connected;
    this.anyVcpu = state.anyVcpu;
    this.env = state.env;
    this.included = state.included;
    this.warnedLibrary = state.warnedLibrary;
    if (slice) {
      this.fileCreatesDevice = slice.file.createsDevice;
      this.fileConnects = slice.file.connects;
      this.procSummaries = slice.file.procSummaries;
    } else {
      let device = false;
      let connects = false;
      forEachStatement(program.statements, (s) => {
        if (statementCreatesDevice(s)) device = true;
        if (statementConnects(s)) connects = true;
      });
      this.fileCreatesDevice = device;
      this.fileConnects = connects;
      this.procSummaries = procSummariesOf(program.statements, program.text);
    }
  }

  /** Checks the statements without the scope rules (a slice's are resolved separately) and writes the running state back. */
  runSlice(state: CheckState): Diagnostic[] {
    this.block(this.program.statements, 0);
    state.device = this.device;
    state.anyVcpu = this.anyVcpu;
    state.env = this.env;
    return this.out;
  }

  report(span: Span, code: string, message: string, severity: Severity = 'error', fix?: Diagnostic['fix']): void {
    this.out.push({ span, severity, code, message, ...(fix ? { fix } : {}) });
  }

  run(): Diagnostic[] {
    this.block(this.program.statements, 0);
    // Scope rules last, so names from included files (known only after the walk) are not reported.
    for (const d of resolve(this.program).diagnostics) {
      if (silencedByIncludes(d.code, this.program.text.slice(d.span.start, d.span.end), this.included)) continue;
      this.out.push(d);
    }
    return this.out;
  }

  private block(stmts: readonly Stmt[], nesting: number): void {
    for (const s of stmts) {
      this.statement(s);
      if (s.kind === 'proc') {
        if (nesting > 0) this.report(s.keyword.span, 'proc-not-top-level', `proc '${s.name.name}' must be defined at the top level, not inside a block`);
        this.procDepth++;
        this.block(s.body, nesting + 1);
        this.procDepth--;
      } else if (s.kind === 'repeat') {
        this.block(s.body, nesting + 1);
      }
    }
  }

  private constant(e: Expr): bigint | null {
    return evaluateConstant(e, this.env);
  }

  // ---------------------------------------------------------------- order

  private needsDevice(s: Stmt): void {
    if (this.device || this.procDepth > 0 || expectsFailure(s.expect)) return;
    this.noDevice(s.keyword.span, statementLabel(s), 'before it');
  }

  /** `what` (run at `span`) needs the device and none exists yet; `where` says what to put the device statement before. */
  private noDevice(span: Span, what: string, where: string): void {
    if (!this.fileCreatesDevice) {
      // A file with no device statement at all is usually a library for `include`: say so once, as a warning.
      if (this.warnedLibrary.has('device')) return;
      this.warnedLibrary.add('device');
      this.report(span, 'no-device', `${what} needs the interrupt device and this file has no 'device' statement: fine in a file meant to be included, otherwise add one (xive, xics, xics-pr, xics-on-xive)`, 'warning');
      return;
    }
    this.report(span, 'no-device', `${what} needs the interrupt device: add a 'device' statement (xive, xics, xics-pr, xics-on-xive) ${where}`);
  }

  private needsVcpu(s: Stmt, vcpu: Expr): void {
    if (this.procDepth > 0 || expectsFailure(s.expect)) return;
    const v = this.constant(vcpu);
    if (v !== null) this.vcpuNeeded(vcpu.span, statementLabel(s), v, '');
  }

  /** `what` (run at `span`) uses vCPU `v`: it must be connected by now. */
  private vcpuNeeded(span: Span, what: string, v: bigint, where: string): boolean {
    if (this.anyVcpu || this.connected.has(v) || this.included.connects.has(v)) return false;
    if (!this.fileConnects) {
      if (this.warnedLibrary.has('vcpu')) return true;
      this.warnedLibrary.add('vcpu');
      this.report(span, 'vcpu-not-connected', `${what}${where} uses vCPU ${v} and this file connects no vCPU: fine in a file meant to be included, otherwise add 'vcpu ${v} connect'`, 'warning');
      return true;
    }
    this.report(span, 'vcpu-not-connected', `${what}${where} uses vCPU ${v} before 'vcpu ${v} connect'`);
    return true;
  }

  private deviceChange(created: boolean): void {
    this.device = created;
    if (!created) this.connected.clear();
  }

  /**
   * A top-level call runs the proc's body here: its order rules are checked
   * against the state at the call (reported on the call, once per rule), and
   * its devices and connects change the state for what follows.
   */
  private call(s: Extract<Stmt, { kind: 'call' }>): void {
    const reported = { device: false, vcpu: false };
    this.runProc(s, s.name.name, s.args, this.env, reported, new Set());
  }

  private runProc(call: Extract<Stmt, { kind: 'call' }>, name: string, args: readonly (Expr | null)[], argEnv: ConstEnv,
    reported: { device: boolean; vcpu: boolean }, active: Set<string>): void {
    const summary = this.procSummaries.get(name);
    // Recursion is left to the runtime (its depth is a runtime matter): each proc is replayed once per chain.
    if (!summary || active.has(name)) return;
    const env = bindParams(summary, args, argEnv, this.env);
    active.add(name);
    const where = (e: { what: string; line: number }): string => `'call ${call.name.name}' runs ${e.what} (line ${e.line + 1}), which`;
    for (const e of summary.effects) {
      switch (e.kind) {
        case 'needs-device':
          if (!this.device && !reported.device) {
            reported.device = true;
            this.noDevice(call.name.span, where(e), 'before the call');
          }
          break;
        case 'uses-vcpu': {
          const v = reported.vcpu ? null : evaluateConstant(e.vcpu, env);
          if (v !== null && this.vcpuNeeded(call.name.span, where(e), v, '')) reported.vcpu = true;
          break;
        }
        case 'device': this.deviceChange(e.created); break;
        case 'connect': {
          const v = e.vcpu === null ? null : typeof e.vcpu === 'bigint' ? e.vcpu : evaluateConstant(e.vcpu, env);
          // A connect whose vCPU is only known when it runs: no later use of a vCPU is reported.
          if (v === null) this.anyVcpu = true;
          else this.connected.add(v);
          break;
        }
        case 'any-vcpu': this.anyVcpu = true; break;
        case 'call': this.runProc(call, e.name, e.args, env, reported, active); break;
      }
    }
    active.delete(name);
  }

  // ---------------------------------------------------------------- statements

  private statement(s: Stmt): void {
    if (needsTheDevice(s)) this.needsDevice(s);
    const vcpu = vcpuOperand(s);
    if (vcpu) this.needsVcpu(s, vcpu);
    // A proc body's devices and connects happen where it is called (see call), not where it is defined.
    const here = this.procDepth === 0;
    switch (s.kind) {
      case 'error': {
        const effect = here ? brokenLineEffect(s, this.program.text) : null;
        if (effect?.kind === 'device') this.device = true;
        else if (effect?.kind === 'connect') this.connected.add(effect.vcpu);
        else if (effect?.kind === 'any-vcpu') this.anyVcpu = true;
        break;
      }
      case 'device':
        if (here) this.deviceChange(s.device !== 'release');
        this.expectOnlyFailure(s);
        break;
      case 'ctrl': this.ctrl(s); break;
      case 'vcpu':
        if (s.action === 'connect' && here) {
          const v = this.constant(s.vcpu);
          if (v !== null && !expectsFailure(s.expect)) this.connected.add(v);
        }
        this.expectOnlyFailure(s);
        break;
      case 'set':
        this.wordValue(s, layoutOfStatement(s, this.env), s.value);
        this.expectOnlyFailure(s);
        break;
      case 'get': {
        const layout = layoutOfStatement(s, this.env);
        if (s.target === 'source_config' || (s.target === 'source' && !isXicsFamily(deviceOf(s)))) {
          if (!expectsFailure(s.expect)) {
            this.report(s.keyword.span, 'write-only-attribute',
              `KVM_DEV_XIVE_GRP_${s.target === 'source' ? 'SOURCE' : 'SOURCE_CONFIG'} is write-only: the kernel answers a get with ENXIO (expect '-> ENXIO')`, 'warning');
          }
        }
        this.wordExpectation(s, layout);
        break;
      }
      case 'set-eq':
        this.setEqConfig(s, s.eq, s.value);
        this.expectOnlyFailure(s);
        break;
      case 'get-eq':
        this.eqTarget(s, s.eq, 'get');
        if (s.expect) this.errnoName(s.expect, 'errno');
        if (s.expect?.kind === 'fields') this.eqFields(s.expect.block, null);
        else if (s.expect && s.expect.kind !== 'errno' && s.expect.kind !== 'ok') this.notApplicable(s.expect, "'get eq_config' reads a struct: expect { fields }, an errno or ok");
        break;
      case 'set-reg':
        this.wordValue(s, layoutOfStatement(s, this.env), s.value);
        this.expectOnlyFailure(s);
        break;
      case 'get-reg':
        this.wordExpectation(s, layoutOfStatement(s, this.env));
        break;
      case 'sync':
        this.expectOnlyFailure(s);
        break;
      case 'esb':
        this.mmioErrno(s, 'an ESB access');
        if (s.op === 'store') this.expectOnlyFailure(s);
        else this.scalarExpectation(s, 64);
        break;
      case 'tima': this.tima(s); break;
      case 'eq':
        this.eqTarget(s, s.eq, 'scan');
        if (s.expect?.kind === 'errno') {
          this.report(s.expect.span, 'errno-not-possible', `a queue scan reads guest memory and makes no kernel call: it returns no errno (where there is no queue it reads nothing: expect [])`);
        } else if (s.expect && s.expect.kind !== 'entries' && s.expect.kind !== 'ok') {
          this.notApplicable(s.expect, "'eq' reads queue entries: expect [entries] or ok");
        }
        if (s.expect?.kind === 'entries') for (const item of s.expect.items) this.rawWidth(item, 'xive-eq-entry');
        break;
      case 'hcall': this.hcall(s); break;
      case 'line':
        this.expectOnlyFailure(s);
        break;
      case 'rtas': this.rtas(s); break;
      case 'attr': this.attr(s); break;
      case 'call':
        if (s.expect) this.notApplicable(s.expect, "'call' has no result of its own: put expectations on the statements in the proc");
        if (here) this.call(s);
        break;
      case 'repeat': {
        const n = this.constant(s.count);
        if (n === null) this.report(s.count.span, 'non-constant-repeat', 'the repeat count is not a constant: it is evaluated when the loop starts', 'warning');
        else if (n < 0n) this.report(s.count.span, 'negative-repeat', `repeat count ${n} is negative`);
        break;
      }
      case 'include': this.include(s); break;
      default: break;
    }
  }

  // ---------------------------------------------------------------- expectations

  private notApplicable(e: Expectation, why: string): void {
    this.report(e.span, 'expectation-not-applicable', `this expectation cannot apply: ${why}`);
  }

  /** Unknown errno / H_* names, where that kind of expectation applies (elsewhere the not-applicable rule speaks). */
  private errnoName(e: Expectation, applies: 'errno' | 'hret'): void {
    if (applies === 'errno' && e.kind === 'errno' && !ERRNOS.has(e.name.name)) {
      const s = closest(e.name.name, ERRNO_NAMES);
      this.report(e.name.span, 'unknown-errno', `'${e.name.name}' is not an errno the kernel returns here (${ERRNO_NAMES.join(', ')})${didYouMean(s)}`,
        'error', s ? { title: `Replace with '${s}'`, span: e.name.span, newText: s } : undefined);
    }
    if (applies === 'hret' && e.kind === 'hret' && !Object.prototype.hasOwnProperty.call(HCALL_RETURNS, e.name.name)) {
      const names = Object.keys(HCALL_RETURNS);
      const s = closest(e.name.name, names);
      this.report(e.name.span, 'unknown-hret', `'${e.name.name}' is not an hcall return code (${names.join(', ')})${didYouMean(s)}`,
        'error', s ? { title: `Replace with '${s}'`, span: e.name.span, newText: s } : undefined);
    }
  }

  /** Operations that answer only success or an errno. */
  private expectOnlyFailure(s: Stmt): void {
    const e = s.expect;
    if (!e) return;
    this.errnoName(e, 'errno');
    if (e.kind === 'hret') this.notApplicable(e, `'${s.keyword.name}' is not an hcall: expect an errno or ok`);
    else if (e.kind === 'value' || e.kind === 'fields' || e.kind === 'entries') {
      this.notApplicable(e, `'${s.keyword.name}' returns no value: expect an errno or ok`);
    }
  }

  private scalarExpectation(s: Stmt, width: number): void {
    const e = s.expect;
    if (!e) return;
    this.errnoName(e, 'errno');
    if (e.kind === 'hret') this.notApplicable(e, `'${s.keyword.name}' is not an hcall`);
    else if (e.kind === 'fields' || e.kind === 'entries') this.notApplicable(e, `'${s.keyword.name}' returns a plain value: expect a value, an errno or ok`);
    else if (e.kind === 'value') this.scalarWidth(e.expr, width);
  }

  private wordExpectation(s: Stmt, layout: LayoutName | null): void {
    const e = s.expect;
    if (!e) return;
    this.errnoName(e, 'errno');
    if (e.kind === 'hret') this.notApplicable(e, `'${s.keyword.name}' is not an hcall`);
    else if (e.kind === 'entries') this.notApplicable(e, "queue entries come from 'eq server S priority P'");
    else if (layout && e.kind === 'value') this.rawWidth(e.expr, layout);
    else if (layout && e.kind === 'fields') this.layoutFields(e.block, layout, false);
  }

  // ---------------------------------------------------------------- words

  private wordValue(s: Stmt, layout: LayoutName | null, v: WordValue | null): void {
    if (!v || !layout || v.kind === 'badaddr') return;
    const fails = expectsFailure(s.expect);
    if (v.kind === 'fields') {
      this.layoutFields(v, layout, !fails);
      const fields = factsOf(layout).fields;
      for (const f of v.fields) {
        const def = fields.get(f.name.name);
        if (def?.readOnly) {
          this.report(f.name.span, 'read-only-field', `${def.name} is derived by the hardware in ${layout}: writing it has no direct effect`, 'warning');
        }
      }
      return;
    }
    const word = this.rawWidth(v.expr, layout);
    if (word === null) return;
    const ignoredMask = factsOf(layout).ignoredMask;
    const ignoredBits = ignoredMask === null ? 0n : word & ignoredMask;
    if (ignoredBits !== 0n) {
      this.report(v.expr.span, 'ignored-bits', `${layout}: ${LAYOUTS[layout].ignored!.note} (set here: 0x${ignoredBits.toString(16)})`, 'warning');
    }
    if (!fails) this.rejections(v.expr.span, layout, word);
  }

  /** The kernel's rejections of a raw word within its layout's width (e.g. priority 7), as `rejectionsOf(decodeWord(...))` lists them. */
  private rejections(at: Span, layout: LayoutName, word: bigint): void {
    const rejecting = factsOf(layout).rejecting;
    if (rejecting.length === 0) return;
    const { hi, lo } = splitWord(word);
    for (const f of rejecting) {
      const value = extractField(hi, lo, f);
      for (const r of f.rejects!) {
        if (r.value === value) this.predict(at, 'reserved-priority', r.errno, `${f.name} ${value}: ${r.reason}`, REJECTION_ASSUMES[layout] ?? []);
      }
    }
  }

  /** A raw word: constant and within the layout's width; returns its value. */
  private rawWidth(e: Expr, layout: LayoutName): bigint | null {
    return this.scalarWidth(e, LAYOUTS[layout].width, layout);
  }

  /** A constant within `width` bits; `signed` also admits two's-complement negatives (hcall registers). */
  private scalarWidth(e: Expr, width: number, layout?: LayoutName, signed = false): bigint | null {
    const v = this.constant(e);
    if (v === null) return null;
    const max = allOnes(width);
    const min = signed ? minSigned(width) : 0n;
    if (v < min || v > max) {
      const shown = v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
      this.report(e.span, 'value-too-wide', `${shown} does not fit ${layout ? `a ${layout} word` : 'the value'} (${width} bits, ${signed ? `min -0x${(-min).toString(16)}, ` : ''}max 0x${max.toString(16)})`);
      return null;
    }
    return v;
  }

  private unknownField(name: { name: string; span: Span }, known: readonly string[], what: string): void {
    const s = closest(name.name, known);
    this.report(name.span, 'unknown-field', `'${name.name}' is not a field of ${what} (fields: ${known.join(', ')})${didYouMean(s)}`,
      'error', s ? { title: `Replace with '${s}'`, span: name.span, newText: s } : undefined);
  }

  private layoutFields(block: FieldBlock, layout: LayoutName, checkRejects: boolean): void {
    const facts = factsOf(layout);
    for (const f of block.fields) {
      const def = facts.fields.get(f.name.name);
      if (!def) { this.unknownField(f.name, facts.names, layout); continue; }
      const v = f.value ? this.constant(f.value) : 1n;
      if (v === null) continue;
      const max = allOnes(def.width);
      const at = f.value ? f.value.span : f.name.span;
      if (v < 0n || v > max) {
        this.report(at, 'field-too-wide', `${def.name} = ${v < 0n ? v : '0x' + v.toString(16)} does not fit its ${def.width} bit${def.width === 1 ? '' : 's'} in ${layout} (max 0x${max.toString(16)})`);
        continue;
      }
      if (checkRejects) {
        const r = def.rejects?.find((x) => BigInt(x.value) === v);
        if (r) this.predict(at, 'reserved-priority', r.errno, `${def.name} ${v}: ${r.reason}`, REJECTION_ASSUMES[layout] ?? []);
      }
    }
  }

  // ---------------------------------------------------------------- event queues

  /** The constant (server, priority) of an EQ target, or null; reports an id word too wide for xive-eq-id. */
  private eqTargetValues(eq: Extract<Stmt, { kind: 'eq' }>['eq']): { server: bigint; priority: bigint; at: Span } | null {
    if (eq.kind === 'server-priority') {
      const server = this.constant(eq.server);
      const priority = this.constant(eq.priority);
      return server === null || priority === null ? null : { server, priority, at: eq.priority.span };
    }
    const w = this.rawWidth(eq.id, 'xive-eq-id');
    if (w === null) return null;
    const { server, priority } = decodeEqId(w);
    return { server: BigInt(server), priority: BigInt(priority), at: eq.id.span };
  }

  /**
   * A reserved priority in a get or a scan. GET_EQ_CONFIG looks the server up
   * first (ENOENT), then refuses the priority (EINVAL); a scan is no kernel
   * call, it reads nothing.
   */
  private eqTarget(s: Stmt, eq: Extract<Stmt, { kind: 'eq' }>['eq'], op: 'get' | 'scan'): void {
    const t = this.eqTargetValues(eq);
    if (t === null || expectsFailure(s.expect)) return;
    const p = t.priority;
    if (p >= 0n && p <= 0xffn && isValidXivePriority(Number(p))) return;
    if (op === 'scan') {
      this.report(t.at, 'reserved-priority', `priority ${p} names no event queue: only 0..6 do (xive_prio_from_guest(${p}) != ${p}); the guest's scan reads nothing`, 'warning');
      return;
    }
    this.predict(t.at, 'reserved-priority', 'EINVAL', `priority ${p} is reserved: only 0..6 name an event queue (xive_prio_from_guest(${p}) != ${p}) (kvmppc_xive_native_get_queue_config)`,
      [`server ${t.server} has a connected vCPU (else ENOENT)`]);
  }

  /** A predicted kernel rejection: a warning naming the errno and the unknown checks taken to pass. */
  private predict(at: Span, code: string, errno: string, reason: string, assuming: readonly string[]): void {
    const when = assuming.length > 0 ? ` — if ${assuming.join(' and ')}` : '';
    this.out.push({
      span: at, severity: 'warning', code,
      message: `the kernel rejects this with ${errno}: ${reason}${when} (predicted; the statement still runs)`,
      predicted: { errno, assuming },
    });
  }

  /**
   * EQ_CONFIG set: the model's own rules (queue-config-rules.ts) in the
   * kernel's order give the first failure, the only one the kernel returns.
   * Whether the server has a connected vCPU is not known before running.
   */
  private setEqConfig(s: Stmt, target: Extract<Stmt, { kind: 'eq' }>['eq'], v: WordValue): void {
    const t = this.eqTargetValues(target);
    let eq: KvmPpcXiveEq | undefined;
    if (v.kind === 'expr') {
      this.report(v.span, 'eq-config-needs-struct', "EQ_CONFIG takes a struct, not a word: write { flags always_notify, qshift 16, qaddr A, qtoggle T, qindex I }");
    } else if (v.kind === 'fields') {
      const values: EqValues = { flags: 0n, qshift: 0n, qaddr: 0n, qtoggle: 0n, qindex: 0n };
      if (this.eqFields(v, values)) {
        eq = { flags: Number(values.flags), qshift: Number(values.qshift), qaddr: values.qaddr, qtoggle: Number(values.qtoggle), qindex: Number(values.qindex) };
      }
    }
    // A bad address (EFAULT) or an expected failure is the scenario testing the kernel.
    if (t === null || v.kind === 'badaddr' || expectsFailure(s.expect)) return;
    const server = Number(t.server & 0xffffffffn);
    const priority = Number(t.priority & 0xffn);
    if (eq === undefined) {
      // The struct is not known: only the priority, checked before it, can be predicted.
      if (!isValidXivePriority(priority)) {
        this.predict(t.at, 'reserved-priority', 'EINVAL', `priority ${priority} is reserved (xive_prio_from_guest(${priority}) != ${priority})`, [`server ${server} has a connected vCPU (else ENOENT)`]);
      }
      return;
    }
    const verdict = checkQueueConfig({ server, priority, eq }, { serverConnected: undefined, ramSize: DEFAULT_VM_CONFIG.ramSize });
    const f = verdict.failure;
    if (f) {
      const at = f.rule === 'reserved-priority' ? t.at : v.span;
      this.predict(at, f.rule === 'reserved-priority' ? 'reserved-priority' : 'eq-config-rejected', f.errno, f.reason, verdict.assuming);
      return;
    }
    const restores = freshQueueToggleProblem(eq);
    if (restores) this.report(v.span, 'eq-config-restores', restores, 'warning');
  }

  /** Checks an EQ_CONFIG field block; the values go `into` the struct when given. Whether every field is known, constant and fits. */
  private eqFields(block: FieldBlock, into: EqValues | null): boolean {
    let complete = true;
    for (const f of block.fields) {
      const field = EQ_FIELDS.get(f.name.name);
      if (!field) { this.unknownField(f.name, EQ_CONFIG_FIELD_NAMES, 'the EQ_CONFIG struct (struct kvm_ppc_xive_eq)'); complete = false; continue; }
      let v: bigint | null = null;
      if (!f.value) v = 1n;
      else if (f.name.name === 'flags' && f.value.kind === 'name' && !this.env.has(f.value.name) &&
        Object.prototype.hasOwnProperty.call(EQ_FLAG_NAMES, f.value.name)) v = EQ_FLAG_NAMES[f.value.name];
      else v = this.constant(f.value);
      if (v === null) { complete = false; continue; }
      const max = field.max;
      if (v < 0n || v > max) {
        this.report(f.value ? f.value.span : f.name.span, 'field-too-wide', `${f.name.name} = 0x${v.toString(16)} does not fit its ${field.width} bits in struct kvm_ppc_xive_eq (max 0x${max.toString(16)})`);
        complete = false;
        continue;
      }
      if (into) setEqValue(into, f.name.name, v);
    }
    return complete;
  }

  // ---------------------------------------------------------------- guest side

  /** A guest MMIO access has no errno: the only failure is SIGBUS (the page is not mapped). */
  private mmioErrno(s: Stmt, what: string): void {
    const e = s.expect;
    if (e?.kind !== 'errno' || e.name.name === 'SIGBUS' || !ERRNOS.has(e.name.name)) return;
    this.report(e.span, 'errno-not-possible', `${what} is a guest MMIO access, not a kernel call: it cannot return ${e.name.name} (an unmapped page gives SIGBUS; anything else succeeds)`);
  }

  private tima(s: Extract<Stmt, { kind: 'tima' }>): void {
    this.mmioErrno(s, 'a TIMA access');
    const bits = TIMA_BITS[s.op];
    if (s.value) this.scalarWidth(s.value, bits);
    const layout = layoutOfStatement(s, this.env);
    if (s.op.startsWith('store')) this.expectOnlyFailure(s);
    else if (layout) this.wordExpectation(s, layout);
    else this.scalarExpectation(s, bits);
  }

  private hcall(s: Extract<Stmt, { kind: 'hcall' }>): void {
    const e = s.expect;
    if (e) {
      this.errnoName(e, 'hret');
      if (e.kind === 'errno') this.notApplicable(e, 'an hcall returns an H_* code, not an errno');
      else if (e.kind === 'entries') this.notApplicable(e, "queue entries come from 'eq server S priority P'");
      else if (e.kind === 'value') this.scalarWidth(e.expr, 64, undefined, true);
    }
    if (!isHcallName(s.name.name)) {
      const sug = closest(s.name.name, Object.keys(HCALLS));
      this.report(s.name.span, 'unknown-hcall', `'${s.name.name}' is not an hcall the model knows (${Object.keys(HCALLS).join(', ')})${didYouMean(sug)}`,
        'error', sug ? { title: `Replace with '${sug}'`, span: s.name.span, newText: sug } : undefined);
      return;
    }
    const def = HCALLS[s.name.name];
    const argNames: readonly string[] = def.args;
    // Argument names given so far, as bits by first position in `argNames` (an hcall takes a handful).
    let seen = 0;
    for (let i = 0; i < s.args.length; i++) {
      const a = s.args[i];
      if (a.name) {
        const at = argNames.indexOf(a.name.name);
        if (at < 0) {
          const sug = closest(a.name.name, argNames);
          this.report(a.name.span, 'unknown-hcall-arg',
            `${s.name.name} has no argument '${a.name.name}' (arguments: ${argNames.join(', ') || 'none'})${didYouMean(sug)}`,
            'error', sug ? { title: `Replace with '${sug}'`, span: a.name.span, newText: sug } : undefined);
          continue;
        }
        if (seen & (1 << at)) this.report(a.name.span, 'duplicate-arg', `${s.name.name}: argument '${a.name.name}' is given twice`);
        seen |= 1 << at;
      } else if (i < argNames.length) {
        const bit = 1 << argNames.indexOf(argNames[i]);
        if (seen & bit) this.report(a.span, 'duplicate-arg', `${s.name.name}: argument '${argNames[i]}' is given twice`);
        seen |= bit;
      }
      this.scalarWidth(a.value, 64, undefined, true);
    }
    // QEMU's H_INT_* layer refuses reserved priorities with an H_P* code (0xff masks a source, so it passes).
    const prioIndex = argNames.indexOf('priority');
    if (prioIndex >= 0 && !expectsFailure(s.expect)) {
      const arg = namedArg(s.args, 'priority') ?? (s.args[prioIndex]?.name === null ? s.args[prioIndex] : undefined);
      const p = arg ? this.constant(arg.value) : null;
      if (arg && p !== null && p >= 0n && p < 0xffn && !isValidXivePriority(Number(p))) {
        this.report(arg.value.span, 'reserved-priority',
          `${s.name.name} refuses priority ${p} with an H_P* code: only 0..6 name an event queue (xive_prio_from_guest(${p}) != ${p})`);
      }
    }
    if (s.args.length > argNames.length) {
      this.report(s.args[argNames.length].span, 'too-many-args',
        `${s.name.name} takes ${argNames.length} argument${argNames.length === 1 ? '' : 's'} (${argNames.join(', ') || 'none'}), ${s.args.length} given`);
    }
    if (e?.kind === 'fields') {
      const outputs: readonly string[] = def.outputs;
      for (const f of e.block.fields) {
        if (HCALL_OUTPUT_REG.test(f.name.name) || outputs.includes(f.name.name)) continue;
        this.unknownField(f.name, ['r4', 'r5', 'r6', 'r7', ...outputs], `${s.name.name}'s outputs`);
      }
    }
  }

  private rtas(s: Extract<Stmt, { kind: 'rtas' }>): void {
    const e = s.expect;
    if (e) {
      if (e.kind === 'errno' || e.kind === 'hret' || e.kind === 'entries') this.notApplicable(e, 'RTAS answers a status: expect a status value, { status S, r1 V } or ok');
    }
    if (!isRtasName(s.name.name)) {
      const names = Object.keys(RTAS_CALLS);
      const sug = closest(s.name.name, names);
      this.report(s.name.span, 'unknown-rtas', `'${s.name.name}' is not an RTAS call KVM handles (${names.join(', ')})${didYouMean(sug)}`,
        'error', sug ? { title: `Replace with '${sug}'`, span: s.name.span, newText: sug } : undefined);
      return;
    }
    const def = RTAS_CALLS[s.name.name];
    if (s.args.length > def.args.length) {
      this.report(s.args[def.args.length].span, 'too-many-args', `${s.name.name} takes ${def.args.length} argument${def.args.length === 1 ? '' : 's'} (${def.args.join(', ')}), ${s.args.length} given`);
    }
    if (e?.kind === 'fields') {
      const known = ['status'];
      for (let i = 1; i < def.nret; i++) known.push(`r${i}`);
      for (const f of e.block.fields) if (!known.includes(f.name.name)) this.unknownField(f.name, known, `${s.name.name}'s returns`);
    }
  }

  // ---------------------------------------------------------------- host side

  private ctrl(s: Extract<Stmt, { kind: 'ctrl' }>): void {
    this.expectOnlyFailure(s);
    if (!(CTRL_ATTRS as readonly string[]).includes(s.attr.name)) {
      const sug = closest(s.attr.name, CTRL_ATTRS);
      this.report(s.attr.span, 'unknown-ctrl', `'${s.attr.name}' is not a control attribute (${CTRL_ATTRS.join(', ')})${didYouMean(sug)}`,
        'error', sug ? { title: `Replace with '${sug}'`, span: s.attr.span, newText: sug } : undefined);
      return;
    }
    if (s.attr.name === 'nr_servers' && !s.value) this.report(s.attr.span, 'ctrl-value', "'ctrl nr_servers' needs a value: ctrl nr_servers N");
    if (s.attr.name !== 'nr_servers' && s.value) this.report(s.value.span, 'ctrl-value', `'ctrl ${s.attr.name}' takes no value`);
    if (s.value) this.scalarWidth(s.value, 32);
  }

  private attr(s: Extract<Stmt, { kind: 'attr' }>): void {
    const layout = layoutOfStatement(s, this.env);
    const eqGroup = !isXicsFamily(deviceOf(s)) && this.constant(s.group) === BigInt(XIVE_GRP.EQ_CONFIG);
    const eqId = { kind: 'id' as const, id: s.attr, span: s.attr.span };
    if (eqGroup && s.op === 'get') this.eqTarget(s, eqId, 'get');
    if (s.op === 'set') {
      if (eqGroup && s.value) this.setEqConfig(s, eqId, s.value);
      else this.wordValue(s, layout, s.value);
      this.expectOnlyFailure(s);
    } else if (s.op === 'get' && eqGroup) {
      if (s.expect) this.errnoName(s.expect, 'errno');
      if (s.expect?.kind === 'fields') this.eqFields(s.expect.block, null);
      else if (s.expect && s.expect.kind !== 'errno' && s.expect.kind !== 'ok') this.notApplicable(s.expect, 'EQ_CONFIG reads a struct: expect { fields }, an errno or ok');
    } else if (s.op === 'has') {
      this.expectOnlyFailure(s);
    } else {
      this.wordExpectation(s, layout);
    }
  }

  // ---------------------------------------------------------------- include

  private include(s: Extract<Stmt, { kind: 'include' }>): void {
    const read = this.options.readFile;
    if (!read) return;
    const uri = (this.options.resolveInclude ?? defaultResolveInclude)(this.program.uri, s.path);
    if (this.visiting.size >= MAX_INCLUDE_DEPTH) {
      this.report(s.pathSpan, 'include-errors', `includes nested deeper than ${MAX_INCLUDE_DEPTH} files: '${s.path}' is not checked`);
      return;
    }
    if (this.visiting.has(uri)) {
      this.report(s.pathSpan, 'include-cycle', `'${s.path}' is already being included (an include cycle through ${[...this.visiting].join(' -> ')})`);
      return;
    }
    let text: string | undefined;
    try { text = read(uri); } catch { text = undefined; }
    if (text === undefined) {
      this.report(s.pathSpan, 'include-missing', `cannot read included file '${s.path}' (${uri})`);
      return;
    }
    const program = parseIncluded(uri, text);
    this.visiting.add(uri);
    const inner = new Checker(program, this.options, this.visiting);
    inner.device = this.device;
    for (const v of this.connected) inner.connected.add(v);
    const diags = [...program.diagnostics, ...inner.run()].filter((d) => d.severity === 'error');
    this.visiting.delete(uri);
    const cycle = diags.find((d) => d.code === 'include-cycle');
    if (cycle) this.report(s.pathSpan, 'include-cycle', `'${s.path}' ${cycle.message.replace(/^'[^']*' is/, 'includes a file')}`);
    else if (diags.length > 0) {
      const d = diags[0];
      this.report(s.pathSpan, 'include-errors', `'${s.path}' has ${diags.length} error${diags.length === 1 ? '' : 's'}; first at ${d.span.line + 1}:${d.span.col + 1}: ${d.message}`);
    }
    // What the included file leaves behind for the statements after the include.
    if (inner.device) this.device = true;
    for (const v of inner.connected) this.connected.add(v);
    for (const [k, v] of inner.included.names) this.included.names.set(k, v);
    for (const st of program.statements) {
      if (st.kind === 'let') {
        this.included.names.set(st.name.name, -1);
        const v = evaluateConstant(st.value, this.env);
        if (v !== null && !this.env.has(st.name.name)) this.env = new Map(this.env).set(st.name.name, v);
      } else if (st.kind === 'proc') this.included.names.set(st.name.name, st.params.length);
    }
  }
}

/**
 * Parsed included files, by uri, while their text is unchanged: a library
 * included by every scenario (and re-checked at every keystroke in the
 * editor) is parsed once. Trees are never modified, so sharing is safe; the
 * oldest entry goes when the table is full.
 */
const includedTrees = new Map<string, Program>();
const MAX_INCLUDED_TREES = 64;

function parseIncluded(uri: string, text: string): Program {
  const known = includedTrees.get(uri);
  if (known && known.text === text) return known;
  const program = parse(text, uri);
  includedTrees.delete(uri);
  if (includedTrees.size >= MAX_INCLUDED_TREES) includedTrees.delete(includedTrees.keys().next().value as string);
  includedTrees.set(uri, program);
  return program;
}

/**
 * The checker's own diagnostics (no scope rules) for a slice of a file that
 * starts at a top-level statement, given the running state before it (updated
 * to the state after it) and the whole file's facts.
 */
export function checkSlice(program: Program, options: CheckOptions, state: CheckState, file: FileFacts): Diagnostic[] {
  return new Checker(program, options, new Set<string>([program.uri]), { state, file }).runSlice(state);
}

/** Scope diagnostics that names from included files silence (applied after the whole walk, as `check` does). */
export function silencedByIncludes(code: string, name: string, included: Outline): boolean {
  if (code !== 'undefined-name' && code !== 'used-before-definition' && code !== 'unknown-proc') return false;
  const inc = included.names.get(name);
  return inc !== undefined && (code !== 'unknown-proc' || inc >= 0);
}

export function check(program: Program, options: CheckOptions = {}): Diagnostic[] {
  const visiting = new Set<string>([program.uri]);
  try {
    return new Checker(program, options, visiting).run();
  } catch (e) {
    // Nothing may throw across the layer boundary: a checker bug becomes a diagnostic, not a crash.
    const at = { start: 0, end: 0, line: 0, col: 0 };
    return [{ span: at, severity: 'error', code: 'internal-error', message: `internal checker error: ${e instanceof Error ? e.message : String(e)}` }];
  }
}
