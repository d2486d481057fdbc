/**
 * Why fields are extracted from two 32-bit halves: this compares the table-driven
 * field extraction of codec.ts (number arithmetic on halves) with the same loop
 * done with bigint shifts and masks on the 64-bit word, and the full decode
 * (which also builds the result record).
 */
// Imported from the defining modules: re-export getters would distort a hot loop.
import { decodeWord, extractField, splitWord } from '../src/model/layouts/codec';
import { FieldDef, LAYOUTS } from '../src/model/layouts/table';
import { median, Report } from './run';

const N = 400_000;

function words(): bigint[] {
  const out: bigint[] = [];
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 1024; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    out.push(x);
  }
  return out;
}

function viaHalves(ws: readonly bigint[], fields: readonly FieldDef[]): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const { hi, lo } = splitWord(ws[i & 1023]);
    for (let j = 0; j < fields.length; j++) sum = (sum + extractField(hi, lo, fields[j])) | 0;
  }
  return sum;
}

function viaBigint(ws: readonly bigint[], fields: readonly FieldDef[]): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const w = ws[i & 1023];
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      sum = (sum + Number((w >> BigInt(f.lo)) & ((1n << BigInt(f.width)) - 1n))) | 0;
    }
  }
  return sum;
}

function viaDecodeWord(ws: readonly bigint[]): number {
  let sum = 0;
  for (let i = 0; i < N; i++) sum = (sum + decodeWord('xive-source-config', ws[i & 1023]).fields[3].value) | 0;
  return sum;
}

function rate(fn: () => number): () => number {
  return () => {
    const t0 = process.hrtime.bigint();
    fn();
    return N / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
}

export default async function bench(report: Report): Promise<void> {
  const ws = words();
  const fields = LAYOUTS['xive-source-config'].fields;
  report('layout-decode-halves', await median(7, rate(() => viaHalves(ws, fields))), 'words/s');
  report('layout-decode-bigint', await median(7, rate(() => viaBigint(ws, fields))), 'words/s');
  report('layout-decode-full', await median(7, rate(() => viaDecodeWord(ws))), 'words/s');
}
