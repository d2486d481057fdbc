/** Replay against the model: the sample agrees, and each mutation is reported at its line with QEMU's and the model's values. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStep, createReplay, TraceStep } from '../../src/trace';
import { createVm } from '../../src/model/vm';
import { replayLines, replayText, sampleLines } from './helpers';

const lines = sampleLines();

function indexOf(re: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
  throw new Error(`no line matches ${re}`);
}

describe('replay of the 2-cpu XIVE sample', () => {
  test('no divergence; every returned value and presenter state is checked', () => {
    const s = replayLines(lines);
    assert.equal(s.unusable, false);
    assert.equal(s.divergenceCount, 0, JSON.stringify(s.divergences[0]));
    assert.equal(s.lines, 4665);
    // 582 ESB loads + 561 TIMA loads are values; 560 notify + 557 accept + 564 set_cppr are states.
    assert.ok(s.checks > 4000, `${s.checks} checks`);
  });

  test('one returned value changed: exactly that line is reported, with both values', () => {
    const i = indexOf(/xive_tctx_tm_read @0x20810 sz=2 val=0x8006/, 2000);
    const mutated = [...lines];
    mutated[i] = mutated[i]!.replace('val=0x8006', 'val=0x8005');
    const s = replayLines(mutated);
    assert.equal(s.divergenceCount, 1, JSON.stringify(s.divergences));
    const d = s.divergences[0]!;
    assert.equal(d.line, i + 1);
    assert.equal(d.qemu, '0x8005');
    assert.equal(d.model, '0x8006');
    assert.match(d.operation, /^tima vcpu \d load16 0x810$/);
    assert.match(d.state, /OS ring: NSR=/);
  });

  test('an ESB load value changed is reported at its line', () => {
    const i = indexOf(/xive_source_esb_read @0x10c00 IRQ 0x0 val=0x2/, 1000);
    const mutated = [...lines];
    mutated[i] = mutated[i]!.replace('val=0x2', 'val=0x3');
    const s = replayLines(mutated);
    assert.equal(s.divergenceCount, 1, JSON.stringify(s.divergences));
    assert.deepEqual([s.divergences[0]!.line, s.divergences[0]!.qemu, s.divergences[0]!.model], [i + 1, '0x3', '0x2']);
  });

  test('one trigger deleted: the next presenter state QEMU states is reported at its line', () => {
    const i = indexOf(/xive_source_esb_write @0x0 IRQ 0x0 val=0x0/, 3000);
    const mutated = lines.filter((_, k) => k !== i);
    const s = replayLines(mutated);
    assert.ok(s.divergenceCount >= 1);
    const d = s.divergences[0]!;
    // The notify that followed the deleted trigger (now at index i, line i + 1 of the mutated file).
    assert.match(mutated[d.line - 1]!, /xive_tctx_notify|xive_presenter_notify|xive_tctx_accept|tm_read/);
    assert.ok(d.line >= i + 1 && d.line <= i + 3, `reported at ${d.line}, deleted line was ${i + 1}`);
  });

  test('one event duplicated (a second ACK): reported at the duplicate', () => {
    const i = indexOf(/xive_tctx_tm_read @0x20810 sz=2 val=0x8006/, 3000);
    const mutated = [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
    const s = replayLines(mutated);
    assert.ok(s.divergenceCount >= 1);
    assert.equal(s.divergences[0]!.line, i + 2);
    assert.equal(s.divergences[0]!.qemu, '0x8006');
  });
});

describe('bad input', () => {
  test('a truncated last line is reported with its file and line; the rest replays', () => {
    const cut = `${lines.slice(0, 40).join('\n')}\n${lines[40]!.slice(0, 30)}`;
    const s = replayText(cut, 'cut.log');
    assert.equal(s.unusable, false);
    assert.equal(s.divergenceCount, 0);
    assert.ok(s.problems.some((p) => p.line === 41 && /not terminated/.test(p.message)), JSON.stringify(s.problems));
  });
  test('an unknown event and unparsable arguments: named with their line, counted, not fatal', () => {
    const s = replayLines([...lines.slice(0, 20), '1@2.0:xive_unheard_of x=1', '8794@1795346588.123443:xive_source_esb_read @zz IRQ what', ...lines.slice(20, 40)]);
    assert.equal(s.divergenceCount, 0);
    assert.ok(s.problems.some((p) => p.line === 21 && /unknown event/.test(p.message)));
    assert.ok(s.problems.some((p) => p.line === 22 && /missing/.test(p.message)));
  });
  test('a PowerNV / XIVE2 trace is unusable, naming the event', () => {
    const s = replayLines(['1@2.0:pnv_xive_ic_hw_trigger addr=0x0 val=0x1', '1@2.1:xive_tctx_tm_read @0x20810 sz=2 val=0x0']);
    assert.equal(s.unusable, true);
    assert.match(s.unusableReason, /pnv_xive_ic_hw_trigger/);
    assert.equal(s.problems[0]!.line, 1);
  });
  test('binary garbage is unusable, with escaped bytes in messages and no hang on a missing newline', () => {
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
    const s = replayText(bytes.toString('latin1'), 'garbage.bin');
    assert.equal(s.unusable, true);
    assert.match(s.unusableReason, /binary/);
    for (const p of s.problems) assert.doesNotMatch(p.message, /[\x00-\x08\x0e-\x1f\x7f]/);
  });
});

describe('steps for the debugger and explain', () => {
  test('onStep sees every step with its line and can stop the replay at a line', () => {
    const seen: TraceStep[] = [];
    const r = createReplay(['trace.log'], { onStep: (s) => { seen.push(s); return s.line < 100; } });
    let n = 0;
    for (const text of lines) if (!r.pushLine(0, { line: ++n, text, overlong: false, unterminated: false })) break;
    r.end();
    assert.ok(seen.length > 0);
    assert.equal(seen.at(-1)!.line >= 100, true);
    assert.ok(seen.every((s, k) => k === 0 || s.line >= seen[k - 1]!.line - 2));
    // Re-executing the same steps on a fresh VM gives the same outcomes (what checkpoints rely on).
    const vm = createVm();
    for (const s of seen) assert.equal(applyStep(vm, s).divergences.length, 0);
  });
});
