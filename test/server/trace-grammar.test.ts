/**
 * The QEMU trace grammar is generated from the trace reader's event prefixes;
 * these tests keep the committed file in sync and tokenize real trace lines
 * (QEMU 7.2 and current formats, -d int lines, another machine's events) with
 * the engine VS Code uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TRACE_SCOPE, traceGrammarFileText } from '../../src/server/trace-grammar';
import { TRACE_GRAMMAR_PATH, tokenize } from './textmate';

const innermost = (scopes: readonly string[]): string => scopes[scopes.length - 1]!;

async function scopesOf(line: string): Promise<[string, string][]> {
  return (await tokenize(line, TRACE_SCOPE)).filter((t) => t.text.trim() !== '').map((t) => [t.text, innermost(t.scopes)]);
}

test('committed trace grammar equals the generated one (run: node --import tsx scripts/generate-grammar.mjs)', () => {
  assert.equal(readFileSync(TRACE_GRAMMAR_PATH, 'utf8'), traceGrammarFileText());
});

test('a stamped XIVE event: thread, time, event name, argument names and values', async () => {
  const s = await scopesOf('15906@1796343495.009545:xive_tctx_tm_read @0x20810 sz=2 val=0x8006');
  assert.deepEqual(s, [
    ['15906', 'constant.numeric.integer.thread-id.qemu-trace'],
    ['@', 'punctuation.separator.qemu-trace'],
    ['1796343495.009545', 'constant.numeric.float.time.qemu-trace'],
    [':', 'punctuation.separator.qemu-trace'],
    ['xive_tctx_tm_read', 'entity.name.function.event.qemu-trace'],
    ['@', 'keyword.operator.address.qemu-trace'],
    ['0x20810', 'constant.numeric.hex.address.qemu-trace'],
    ['sz', 'variable.parameter.qemu-trace'],
    ['=', 'keyword.operator.assignment.qemu-trace'],
    ['2', 'constant.numeric.decimal.qemu-trace'],
    ['val', 'variable.parameter.qemu-trace'],
    ['=', 'keyword.operator.assignment.qemu-trace'],
    ['0x8006', 'constant.numeric.hex.qemu-trace'],
  ]);
});

test('current QEMU without a stamp, and an XICS sentence', async () => {
  const current = await scopesOf('xive_tctx_notify target=1 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80 raise !');
  assert.deepEqual(current[0], ['xive_tctx_notify', 'entity.name.function.event.qemu-trace']);
  assert.ok(current.some(([t, s]) => t === 'IPB' && s === 'variable.parameter.qemu-trace'));
  const xics = await scopesOf('8848@1795346598.5:xics_icp_accept icp_accept: XIRR 0xff000002->0x5000000');
  assert.deepEqual(xics.find(([t]) => t === 'xics_icp_accept'), ['xics_icp_accept', 'entity.name.function.event.qemu-trace']);
  assert.ok(xics.some(([t, s]) => t === '->' && s === 'keyword.operator.qemu-trace'));
});

test('lines the replay skips or refuses look so: -d int lines and console output, other subsystems, other machines', async () => {
  const dint = await scopesOf('hypercall r3=000000000000f005 r4=000000000000fe9c');
  assert.deepEqual(dint.map(([, s]) => s), ['comment.line.not-a-trace-event.qemu-trace']);
  const other = await scopesOf('1@2.0:virtio_notify vdev 0x1 vq 0x2');
  assert.deepEqual(other.find(([t]) => t === 'virtio_notify'), ['virtio_notify', 'support.function.other-event.qemu-trace']);
  const pnv = await scopesOf('1@2.0:pnv_xive_ic_hw_trigger addr=0x0 val=0x1');
  assert.deepEqual(pnv.find(([t]) => t === 'pnv_xive_ic_hw_trigger'), ['pnv_xive_ic_hw_trigger', 'invalid.illegal.foreign-machine.qemu-trace']);
  const xive2 = await scopesOf('xive2_something x=1');
  assert.equal(xive2[0]![1], 'invalid.illegal.foreign-machine.qemu-trace');
});
