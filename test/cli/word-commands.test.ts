import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { CliIo } from '../../src/cli/io';

function fakeIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readFile: () => undefined, cwd: '/' };
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('decode prints every field of a source configuration word with bit range, hex and meaning', async () => {
  const r = await run('decode', 'xive-source-config', '0x000026010000001d');
  assert.equal(r.code, 0);
  assert.match(r.out, /^xive-source-config 0x000026010000001d/);
  assert.match(r.out, /\[2:0\]\s+priority\s+0x5\s+5/);
  assert.match(r.out, /\[31:3\]\s+server\s+0x00000003\s+3/);
  assert.match(r.out, /\[32\]\s+masked\s+0x1\s+1/);
  assert.match(r.out, /\[63:33\]\s+eisn\s+0x00001300\s+4864/);
});

test('decode --json gives one object per word with integer fields and a 0x%016x word', async () => {
  const r = await run('decode', '--json', 'xics-icp', '0xff001000ff050000', '0x00000000ffff0000');
  assert.equal(r.code, 0);
  const parsed = JSON.parse(r.out) as { layout: string; word: string; fields: Record<string, number> }[];
  assert.deepEqual(parsed, [
    { layout: 'xics-icp', word: '0xff001000ff050000', fields: { cppr: 0xff, xisr: 0x1000, mfrr: 0xff, ppri: 5 } },
    { layout: 'xics-icp', word: '0x00000000ffff0000', fields: { cppr: 0, xisr: 0, mfrr: 0xff, ppri: 0xff } },
  ]);
});

test('decode warns about what the kernel rejects: priority 7 in a source configuration', async () => {
  const r = await run('decode', 'xive-source-config', '0xfffffffe00000017');
  assert.equal(r.code, 0);
  assert.match(r.out, /warning: priority 7: priority 7 is reserved/);
});

test('decode --msb0 numbers bits the IBM way', async () => {
  const r = await run('decode', '--msb0', 'xive-eq-entry', '0x80000010');
  assert.match(r.out, /\[0\]\s+generation\s+0x1/);
  assert.match(r.out, /\[1:31\]\s+eisn/);
});

test('decode accepts _ separators and rejects words wider than the layout', async () => {
  assert.equal((await run('decode', 'xive-eq-entry', '0x8000_1300')).code, 0);
  const r = await run('decode', 'xive-eq-entry', '0x1_0000_0000');
  assert.equal(r.code, 2);
  assert.match(r.err, /does not fit in a 32-bit xive-eq-entry word/);
});

test('encode builds the word from fields', async () => {
  const r = await run('encode', 'xive-source-config', 'priority=6', 'server=1', 'eisn=0x1300');
  assert.equal(r.code, 0);
  assert.equal(r.out, '0x000026000000000e\n');
});

test('encode of an unknown field names the layout\'s fields (exit 2)', async () => {
  const r = await run('encode', 'xics-icp', 'prio=5');
  assert.equal(r.code, 2);
  assert.match(r.err, /'prio' is not a field of xics-icp \(fields: cppr, xisr, mfrr, ppri\)/);
});

test('encode of a value wider than its field names the field and its width (exit 2)', async () => {
  const r = await run('encode', 'xive-source-config', 'priority=8');
  assert.equal(r.code, 2);
  assert.match(r.err, /priority = 0x8 does not fit its 3 bits/);
});

test('unknown layouts, commands and options are usage errors (exit 2); help exits 0', async () => {
  assert.equal((await run('decode', 'xive-nope', '0')).code, 2);
  assert.equal((await run('frobnicate')).code, 2);
  assert.equal((await run('decode', '--frob', 'xics-icp', '0')).code, 2);
  const help = await run('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /decode LAYOUT WORD/);
  const decodeHelp = await run('decode', '--help');
  assert.match(decodeHelp.out, /xive-vp-state/);
});

test('every layout round-trips: encode(decode(w)) == w on the layout\'s bits', async () => {
  const { LAYOUT_NAMES, LAYOUTS, decodeToRecord, encodeWord } = await import('../../src/model/layouts');
  const fc = await import('fast-check');
  for (const layout of LAYOUT_NAMES) {
    const def = LAYOUTS[layout];
    let fieldMask = 0n;
    for (const f of def.fields) fieldMask |= ((1n << BigInt(f.width)) - 1n) << BigInt(f.lo);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << BigInt(def.width)) - 1n }), (w) => {
        const r = encodeWord(layout, decodeToRecord(layout, w));
        return r.ok && r.word === (w & fieldMask);
      }),
      { numRuns: 300 },
    );
  }
});

test('decode xive-vp-state takes the whole 128-bit KVM_REG_PPC_VP_STATE: element 0 decoded, element 1 named unused', async () => {
  const both = await run('decode', 'xive-vp-state', '0x00ff0000_00000000_00000000_00000000');
  assert.equal(both.code, 0);
  assert.match(both.out, /\[55:48\]\s+cppr\s+0xff/);
  assert.match(both.out, /element 1 0x0000000000000000 {2}unused: kvmppc_xive_native_set_vp ignores it/);
  const lost = await run('decode', 'xive-vp-state', '0x00ff0000_00000000_00000000_00000001');
  assert.match(lost.out, /element 1 0x0000000000000001 {2}warning: not zero; .* so this value is lost/);
  const asJson = JSON.parse((await run('decode', '--json', 'xive-vp-state', '0x00ff0000_00000000_00000000_00000002')).out) as { fields: Record<string, number>; element1: string }[];
  assert.equal(asJson[0].fields.cppr, 0xff);
  assert.equal(asJson[0].element1, '0x0000000000000002');
  const tooWide = await run('decode', 'xive-vp-state', '0x1_00000000_00000000_00000000_00000000');
  assert.equal(tooWide.code, 2);
  assert.match(tooWide.err, /does not fit in a 128-bit xive-vp-state register/);
  // Other layouts stay 64 bits wide.
  assert.equal((await run('decode', 'xive-source-config', '0x1_00000000_00000000')).code, 2);
});
