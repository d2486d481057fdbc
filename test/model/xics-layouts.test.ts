/** Spec §6.1 / §6.2: every XICS source and ICP vector, decoded and encoded through the layout table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToRecord, encodeWord, LayoutName } from '../../src/model/layouts';
import { xicsIcpWordProblems } from '../../src/model/xics';

interface Vector {
  readonly id: string;
  readonly layout: LayoutName;
  readonly word: bigint;
  readonly fields: Readonly<Record<string, number>>;
}

const src = (server: number, priority: number, lsi: number, masked: number, pending: number, presented: number, queued: number) =>
  ({ server, priority, level_sensitive: lsi, masked, pending, presented, queued });
const icp = (cppr: number, xisr: number, mfrr: number, ppri: number) => ({ cppr, xisr, mfrr, ppri });

const VECTORS: readonly Vector[] = [
  { id: 'V01', layout: 'xics-source', word: 0x000002ff00000000n, fields: src(0, 0xff, 0, 1, 0, 0, 0) },
  { id: 'V02', layout: 'xics-source', word: 0x0000000500000003n, fields: src(3, 5, 0, 0, 0, 0, 0) },
  { id: 'V03', layout: 'xics-source', word: 0x00000d0500000001n, fields: src(1, 5, 1, 0, 1, 1, 0) },
  { id: 'V04', layout: 'xics-source', word: 0x0000060400000002n, fields: src(2, 4, 0, 1, 1, 0, 0) },
  { id: 'V05', layout: 'xics-source', word: 0x0000188012345678n, fields: src(0x12345678, 0x80, 0, 0, 0, 1, 1) },
  { id: 'V06', layout: 'xics-source', word: 0x0000030600000007n, fields: src(7, 6, 1, 1, 0, 0, 0) },
  { id: 'V07', layout: 'xics-icp', word: 0x00000000ffff0000n, fields: icp(0, 0, 0xff, 0xff) },
  { id: 'V08', layout: 'xics-icp', word: 0xff000000ffff0000n, fields: icp(0xff, 0, 0xff, 0xff) },
  { id: 'V09', layout: 'xics-icp', word: 0xff001000ff050000n, fields: icp(0xff, 0x1000, 0xff, 5) },
  { id: 'V10', layout: 'xics-icp', word: 0xff00000204040000n, fields: icp(0xff, 2, 4, 4) },
  { id: 'V11', layout: 'xics-icp', word: 0x05001234ff050000n, fields: icp(5, 0x1234, 0xff, 5) },
];

for (const v of VECTORS) {
  test(`${v.id} decodes to its fields`, () => {
    assert.deepEqual(decodeToRecord(v.layout, v.word), v.fields);
  });
  test(`${v.id} encodes back to 0x${v.word.toString(16).padStart(16, '0')}`, () => {
    const e = encodeWord(v.layout, v.fields);
    assert.ok(e.ok);
    assert.equal(e.word, v.word);
  });
}

test('the ICP SET consistency rules accept V07–V10 and reject V11 for PPRI 5 ≥ CPPR 5', () => {
  for (const v of VECTORS.filter((x) => x.layout === 'xics-icp' && x.id !== 'V11')) {
    assert.deepEqual(xicsIcpWordProblems(v.word), [], v.id);
  }
  const problems = xicsIcpWordProblems(0x05001234ff050000n);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /PPRI 0x05 ≥ CPPR 0x05.*kvmppc_xics_set_icp/);
});

test('source bits 63..45 are ignored on decode and the field is too narrow for a 9-bit priority', () => {
  assert.deepEqual(decodeToRecord('xics-source', 0xffffe00500000003n), src(3, 5, 0, 0, 0, 0, 0));
  const e = encodeWord('xics-source', { priority: 0x100 });
  assert.equal(e.ok, false);
});
