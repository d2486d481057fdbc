/**
 * Expectations (`-> ...`) per the language's MEANING section: VALUE, { fields },
 * ERRNO, H_*, [entries], ok. An operation that fails without an expectation
 * is itself a failure (like `set -e`), reported with the errno and reason.
 */
import type { Expectation } from '../ast';
import { decodeToRecord } from '../../model/layouts/codec';
import { LAYOUTS } from '../../model/layouts/table';
import { evaluate, Scope } from './evaluate';
import { describeEntries, describeWord, hex } from './format';
import { EQ_STRUCT_FIELDS, Executed, fieldValues } from './operations';
import type { OperationResult } from './types';

export interface Verdict {
  readonly ok: boolean;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

const EQ_FLAG_NAMES: Readonly<Record<string, bigint>> = { always_notify: 1n };

function outcomeText(r: OperationResult): string {
  if (r.ok) return r.display.startsWith('-> ') ? r.display.slice(3) : r.display;
  return r.display;
}

function eq64(a: bigint, b: bigint): boolean {
  return BigInt.asUintN(64, a) === BigInt.asUintN(64, b);
}

function pass(message: string, expected: string, actual: string): Verdict {
  return { ok: true, message, expected, actual };
}

function fail(message: string, expected: string, actual: string): Verdict {
  return { ok: false, message, expected, actual };
}

/** What a failed operation without an expectation reports. */
export function unexpectedFailure(r: OperationResult): Verdict {
  const what = r.errno ?? r.hret ?? (r.values?.status !== undefined ? `status ${r.values.status}` : 'error');
  return { ok: false, message: `operation failed: ${r.display}`, expected: 'success', actual: what };
}

function checkValue(x: Executed, expected: bigint): Verdict {
  const r = x.result;
  const want = x.layout ? describeWord(x.layout, expected) : hex(expected);
  if (x.shape === 'rtas') {
    const status = r.values?.status ?? 0n;
    return eq64(status, expected)
      ? pass(`status ${status}`, String(expected), String(status))
      : fail(`expected status ${expected}, got ${r.display}`, String(expected), String(status));
  }
  if (!r.ok) return fail(`expected ${want}, got ${r.display}`, want, outcomeText(r));
  if (x.shape === 'entries') return fail('a queue read gives entries: expect [ ... ]', want, outcomeText(r));
  if (x.shape === 'eq-struct') return fail('get eq_config gives a struct: expect { flags, qshift, qaddr, qtoggle, qindex }', want, outcomeText(r));
  const got = r.value ?? 0n;
  const gotText = x.layout ? describeWord(x.layout, got) : hex(got);
  const what = x.shape === 'hcall' ? 'r4 ' : '';
  return eq64(got, expected) ? pass(`${what}${gotText}`, want, gotText) : fail(`expected ${what}${want}, got ${gotText}`, want, gotText);
}

function checkFields(x: Executed, block: Extract<Expectation, { kind: 'fields' }>['block'], scope: Scope): Verdict {
  const r = x.result;
  const wanted = fieldValues(block, scope, x.shape === 'eq-struct' ? EQ_FLAG_NAMES : {});
  const wantText = '{ ' + Object.entries(wanted).map(([k, v]) => `${k} ${hex(v)}`).join(', ') + ' }';
  if (x.shape === 'rtas') {
    // RTAS: status is compared even on failure (it is the result).
  } else if (!r.ok) {
    return fail(`expected ${wantText}, got ${r.display}`, wantText, outcomeText(r));
  }
  let actual: Record<string, bigint>;
  let known: readonly string[];
  if (x.shape === 'hcall' || x.shape === 'rtas' || x.shape === 'eq-struct') {
    actual = { ...(r.values ?? {}) };
    known = x.shape === 'eq-struct' ? EQ_STRUCT_FIELDS : Object.keys(actual);
  } else if (x.layout && r.value !== undefined) {
    const rec = decodeToRecord(x.layout, r.value);
    actual = {};
    for (const [k, v] of Object.entries(rec)) actual[k] = BigInt(v);
    known = LAYOUTS[x.layout].fields.map((f) => f.name);
  } else {
    return fail('this operation gives no word with named fields: expect a value', wantText, outcomeText(r));
  }
  const mismatches: string[] = [];
  for (const [name, want] of Object.entries(wanted)) {
    const got = actual[name];
    if (got === undefined) {
      if (x.shape === 'hcall' && /^r([4-9]|1[0-2])$/.test(name)) {
        mismatches.push(`${name} was not set by the hcall`);
        continue;
      }
      mismatches.push(`'${name}' is not a field here (${known.join(', ') || 'no outputs'})`);
      continue;
    }
    if (!eq64(got, want)) mismatches.push(`${name} ${hex(got)} ≠ ${hex(want)}`);
  }
  const gotText = '{ ' + Object.keys(wanted).map((k) => `${k} ${actual[k] === undefined ? '?' : hex(actual[k])}`).join(', ') + ' }';
  return mismatches.length === 0 ? pass(gotText, wantText, gotText) : fail(`expected ${wantText}: ${mismatches.join('; ')}`, wantText, gotText);
}

/** Checks `stmt.expect` against an executed operation; null when there is nothing to report. */
export function checkExpectation(x: Executed, expect: Expectation | null, scope: Scope): Verdict | null {
  const r = x.result;
  if (expect === null) return r.ok ? null : unexpectedFailure(r);
  switch (expect.kind) {
    case 'ok':
      return r.ok ? pass(outcomeText(r), 'ok', outcomeText(r)) : fail(`expected success, got ${r.display}`, 'ok', outcomeText(r));
    case 'value':
      return checkValue(x, evaluate(expect.expr, scope));
    case 'fields':
      return checkFields(x, expect.block, scope);
    case 'errno': {
      const want = expect.name.name;
      if (r.errno === want) return pass(`${want}: ${r.reason ?? ''}`.trim(), want, want);
      return fail(`expected ${want}, got ${r.ok ? 'success ' + outcomeText(r) : r.display}`, want, r.errno ?? outcomeText(r));
    }
    case 'hret': {
      const want = expect.name.name;
      if (x.shape !== 'hcall') return fail(`${want} is an hcall return code; this is not an hcall`, want, outcomeText(r));
      if (r.hret === want) return pass(r.display, want, want);
      return fail(`expected ${want}, got ${r.display}`, want, r.hret ?? outcomeText(r));
    }
    case 'entries': {
      const want = expect.items.map((e) => Number(BigInt.asUintN(32, evaluate(e, scope))));
      const wantText = describeEntries(want);
      if (!r.ok) return fail(`expected ${wantText}, got ${r.display}`, wantText, outcomeText(r));
      if (x.shape !== 'entries' || !r.entries) return fail('only a queue read (eq server S priority P) gives entries', wantText, outcomeText(r));
      const got = r.entries;
      const gotText = describeEntries(got);
      const same = got.length === want.length && got.every((g, i) => g >>> 0 === want[i] >>> 0);
      return same ? pass(gotText, wantText, gotText) : fail(`expected ${wantText}, got ${gotText}`, wantText, gotText);
    }
  }
}
