/**
 * Words in context: which layout a number, a let name or a field block uses,
 * decided by where it sits (see the contract in /tmp/irqlab-contracts.md and
 * scenario-language.md "Word layouts"). Hovers, inlay hints, code actions and
 * the checker's width rules are built on these sites.
 */
import type { Expr, FieldBlock, Program, Span, Stmt, WordValue } from './ast';
import { LayoutName, LAYOUTS, describeEncodeError, encodeWord, fieldOf } from '../model/layouts';
import { XICS_GRP, XIVE_GRP } from '../model/attr';
import { ConstEnv, constantEnv, evaluateConstant } from './constants';
import { deviceOf, isXicsFamily } from './context';
import { closest, didYouMean } from './suggest';
import { lastStartingAtOrBefore, statementAt } from './navigation';

export interface WordSite {
  span: Span;
  layout: LayoutName;
  /** null when not constant */
  value: bigint | null;
  source: 'literal' | 'name' | 'fields' | 'expectation' | 'entry';
}

const EMPTY_ENV: ConstEnv = new Map();
/** TIMA offset of the OS ring's word 0 (NSR, CPPR, IPB, LSMFB, ACK#, INC, AGE, PIPR). */
const TIMA_OS_RING_WORD0 = 0x10n;

/** The layout of the word an `attr` statement's group carries, by device family (group numbers differ). */
export function layoutOfAttrGroup(stmt: Stmt, group: bigint | null): LayoutName | null {
  if (group === null) return null;
  if (isXicsFamily(deviceOf(stmt))) return group === BigInt(XICS_GRP.SOURCES) ? 'xics-source' : null;
  if (group === BigInt(XIVE_GRP.SOURCE)) return 'xive-source';
  if (group === BigInt(XIVE_GRP.SOURCE_CONFIG)) return 'xive-source-config';
  return null;
}

/** Which layout a statement's word (its value and its `-> VALUE` / `-> { }` expectation) uses. */
export function layoutOfStatement(stmt: Stmt, env: ConstEnv = EMPTY_ENV): LayoutName | null {
  switch (stmt.kind) {
    case 'set':
    case 'get':
      if (stmt.target === 'source_config') return 'xive-source-config';
      return isXicsFamily(deviceOf(stmt)) ? 'xics-source' : 'xive-source';
    case 'set-reg':
    case 'get-reg':
      return stmt.reg === 'icp' ? 'xics-icp' : 'xive-vp-state';
    case 'eq':
      return 'xive-eq-entry';
    case 'tima':
      // An 8-byte load of the OS ring at 0x10 reads NSR..PIPR: the VP state word, big-endian.
      return stmt.op === 'load64' && evaluateConstant(stmt.offset, env) === TIMA_OS_RING_WORD0 ? 'xive-vp-state' : null;
    case 'attr':
      return layoutOfAttrGroup(stmt, evaluateConstant(stmt.group, env));
    default:
      return null;
  }
}

/** Encodes a field block into a word of `layout`; a bare field name means 1. */
export function encodeFieldBlock(layout: LayoutName, block: FieldBlock, env: ConstEnv):
  { ok: true; word: bigint } | { ok: false; message: string; span: Span } {
  let word = 0n;
  for (const f of block.fields) {
    if (!fieldOf(layout, f.name.name)) {
      const s = closest(f.name.name, LAYOUTS[layout].fields.map((x) => x.name));
      return {
        ok: false, span: f.name.span,
        message: `'${f.name.name}' is not a field of ${layout} (fields: ${LAYOUTS[layout].fields.map((x) => x.name).join(', ')})${didYouMean(s)}`,
      };
    }
    const v = f.value ? evaluateConstant(f.value, env) : 1n;
    if (v === null) return { ok: false, span: f.value ? f.value.span : f.span, message: `${f.name.name}: the value is not a constant` };
    const r = encodeWord(layout, { [f.name.name]: v }, word);
    if (!r.ok) return { ok: false, span: f.value ? f.value.span : f.span, message: describeEncodeError(layout, r.error) };
    word = r.word;
  }
  return { ok: true, word };
}

function exprSite(e: Expr, layout: LayoutName, env: ConstEnv, out: WordSite[], source?: WordSite['source']): void {
  out.push({
    span: e.span, layout, value: evaluateConstant(e, env),
    source: source ?? (e.kind === 'name' ? 'name' : 'literal'),
  });
}

function wordValueSite(v: WordValue | null, layout: LayoutName, env: ConstEnv, out: WordSite[]): void {
  if (!v || v.kind === 'badaddr') return;
  if (v.kind === 'expr') exprSite(v.expr, layout, env, out);
  else {
    const r = encodeFieldBlock(layout, v, env);
    out.push({ span: v.span, layout, value: r.ok ? r.word : null, source: 'fields' });
  }
}

/** The word sites of one statement (not of a proc/repeat body). */
export function statementWordSites(s: Stmt, env: ConstEnv, out: WordSite[] = []): WordSite[] {
  const layout = layoutOfStatement(s, env);
  switch (s.kind) {
    case 'set': case 'set-reg':
      if (layout) wordValueSite(s.value, layout, env, out);
      break;
    case 'attr':
      if (evaluateConstant(s.group, env) === BigInt(XIVE_GRP.EQ_CONFIG) && !isXicsFamily(deviceOf(s))) exprSite(s.attr, 'xive-eq-id', env, out);
      if (layout) wordValueSite(s.value, layout, env, out);
      break;
    case 'set-eq': case 'get-eq': case 'eq':
      if (s.eq.kind === 'id') exprSite(s.eq.id, 'xive-eq-id', env, out);
      break;
    default:
      break;
  }
  const e = s.expect;
  if (e && layout) {
    // A `set` answers with an errno or nothing: its expectation is not a word.
    const readsWord = s.kind === 'get' || s.kind === 'get-reg' || s.kind === 'eq' || s.kind === 'tima' || (s.kind === 'attr' && s.op === 'get');
    if (readsWord) {
      if (e.kind === 'value' && s.kind !== 'eq') exprSite(e.expr, layout, env, out, 'expectation');
      else if (e.kind === 'fields' && s.kind !== 'eq') {
        const r = encodeFieldBlock(layout, e.block, env);
        out.push({ span: e.block.span, layout, value: r.ok ? r.word : null, source: 'fields' });
      } else if (e.kind === 'entries') {
        for (const item of e.items) exprSite(item, 'xive-eq-entry', env, out, 'entry');
      }
    }
  }
  return out;
}

/** Environment inside a body: names bound there (params, loop variables, local lets) hide constants. */
function shadow(env: ConstEnv, names: readonly string[]): ConstEnv {
  if (!names.some((n) => env.has(n))) return env;
  const m = new Map(env);
  for (const n of names) m.delete(n);
  return m;
}

function bodyBindings(s: Extract<Stmt, { kind: 'proc' | 'repeat' }>): string[] {
  const names = s.kind === 'proc' ? s.params.map((p) => p.name) : s.variable ? [s.variable.name] : [];
  for (const b of s.body) if (b.kind === 'let') names.push(b.name.name);
  return names;
}

export function wordSites(program: Program, env?: ConstEnv): WordSite[] {
  const out: WordSite[] = [];
  const walk = (stmts: readonly Stmt[], e: ConstEnv): void => {
    for (const s of stmts) {
      if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body, shadow(e, bodyBindings(s)));
      else statementWordSites(s, e, out);
    }
  };
  walk(program.statements, env ?? cachedEnv(program));
  return out;
}

const envCache = new WeakMap<Program, ConstEnv>();
function cachedEnv(program: Program): ConstEnv {
  let env = envCache.get(program);
  if (!env) {
    env = constantEnv(program);
    envCache.set(program, env);
  }
  return env;
}

/** The innermost word site under `offset` (inclusive of the end, where the cursor sits after a word). */
export function wordSiteAt(program: Program, offset: number): WordSite | null {
  const stmt = statementAt(program, offset);
  if (!stmt) return null;
  let env = cachedEnv(program);
  // Names bound by enclosing bodies are not the top-level constants.
  for (const s of enclosingBodies(program.statements, offset)) env = shadow(env, bodyBindings(s));
  let best: WordSite | null = null;
  for (const site of statementWordSites(stmt, env)) {
    if (site.span.start <= offset && offset <= site.span.end) {
      if (!best || site.span.end - site.span.start < best.span.end - best.span.start) best = site;
    }
  }
  return best;
}

/** The proc/repeat statements around `offset`, outermost first (binary search at each level). */
function enclosingBodies(stmts: readonly Stmt[], offset: number): Extract<Stmt, { kind: 'proc' | 'repeat' }>[] {
  const out: Extract<Stmt, { kind: 'proc' | 'repeat' }>[] = [];
  let list = stmts;
  for (;;) {
    const idx = lastStartingAtOrBefore(list, offset);
    const s = idx >= 0 ? list[idx] : undefined;
    if (!s || offset > s.span.end || (s.kind !== 'proc' && s.kind !== 'repeat')) return out;
    out.push(s);
    list = s.body;
  }
}
