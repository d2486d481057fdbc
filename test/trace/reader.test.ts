/** The trace reader: bounded line splitting and the event formats of QEMU 7.2 and current QEMU. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ARG, createByteLineSplitter, createLineSplitter, LINE_OVERLONG, LINE_UNTERMINATED, parseTraceLine, SplitLine, stampOf } from '../../src/trace';
import { replayLines, sampleLines } from './helpers';

function split(chunks: string[], max?: number): SplitLine[] {
  const s = createLineSplitter(max);
  const out: SplitLine[] = [];
  for (const c of chunks) s.push(Buffer.from(c, 'latin1'), (l) => out.push(l));
  s.end((l) => out.push(l));
  return out;
}

describe('line splitter', () => {
  test('lines split across chunks keep their numbers; CRLF is accepted', () => {
    const lines = split(['ab', 'c\r\nde', 'f\n', 'g']);
    assert.deepEqual(lines.map((l) => [l.line, l.text, l.unterminated]), [[1, 'abc', false], [2, 'def', false], [3, 'g', true]]);
  });
  test('a line longer than the bound is cut and flagged, memory stays bounded', () => {
    const lines = split(['x'.repeat(10_000), 'y'.repeat(10_000), '\nok\n'], 100);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.overlong, true);
    assert.equal(lines[0]!.text.length, 100);
    assert.equal(lines[1]!.text, 'ok');
  });
});

describe('byte line splitter', () => {
  test('lines are ranges of the chunk; a line across chunks is copied whole; flags name cut and truncated lines', () => {
    const s = createByteLineSplitter(8);
    const got: [number, string, number][] = [];
    const sink = (b: Uint8Array, start: number, end: number, line: number, flags: number): boolean => {
      got.push([line, Buffer.from(b.subarray(start, end)).toString('latin1'), flags]);
      return true;
    };
    s.push(Buffer.from('ab\ncd'), sink);
    s.push(Buffer.from('ef\r\n0123456789\nxy'), sink);
    s.end(sink);
    assert.deepEqual(got, [[1, 'ab', 0], [2, 'cdef', 0], [3, '01234567', LINE_OVERLONG], [4, 'xy', LINE_UNTERMINATED]]);
  });
  test('a sink returning false stops the splitter', () => {
    const s = createByteLineSplitter();
    let seen = 0;
    assert.equal(s.push(Buffer.from('a\nb\nc\n'), () => ++seen < 2), false);
    assert.equal(seen, 2);
  });
  test('the TID@EPOCH stamp is read from bytes; a line without one has none', () => {
    const b = Buffer.from('8795@1795346588.189641:xive_tctx_notify target=0');
    assert.equal(stampOf(b, 0, b.length), 1795346588.189641);
    const n = Buffer.from('xive_tctx_notify target=0');
    assert.ok(Number.isNaN(stampOf(n, 0, n.length)));
  });
});

describe('event lines', () => {
  test('arguments by key: any case, first value wins, 64-bit values exact, a value with trailing junk is malformed', () => {
    const p = parseTraceLine('1@2.5:xive_tctx_tm_read @0x20000 sz=8 VAL=0xff00ff00ff00ff01 target=0x12zz');
    assert.equal(p.kind, 'event');
    if (p.kind !== 'event') return;
    assert.equal(p.event.epoch, 2.5);
    assert.equal(p.event.num(ARG.addr), 0x20000);
    assert.equal(p.event.num(ARG.sz), 8);
    assert.equal(p.event.big(ARG.val), 0xff00ff00ff00ff01n);
    assert.equal(p.event.num(ARG.target), null);
    assert.equal(p.event.num(ARG.lisn), null);
  });
  test('QEMU 7.2 with the TID@EPOCH prefix', () => {
    const p = parseTraceLine('8795@1795346588.189641:xive_tctx_notify target=0 ring=0x10 IBP=0x02 PIPR=0x06 CPPR=0xff NSR=0x80 raise !');
    assert.equal(p.kind, 'event');
    if (p.kind !== 'event') return;
    assert.equal(p.event.tid, 8795);
    assert.equal(p.event.name, 'xive_tctx_notify');
    assert.equal(p.event.arg('ipb'), '0x02');
    assert.equal(p.event.args.get('ipb'), '0x02');
    assert.equal(p.event.arg('nsr'), '0x80');
  });
  test('current QEMU: IPB= instead of IBP=, target= on TIMA accesses, group_level on presenter_notify; no prefix', () => {
    const tm = parseTraceLine('xive_tctx_tm_read target=1 @0x20810 sz=2 val=0x8006');
    assert.equal(tm.kind, 'event');
    if (tm.kind !== 'event') return;
    assert.equal(tm.event.epoch, -1);
    assert.equal(tm.event.arg('target'), '1');
    assert.equal(tm.event.arg('addr'), '0x20810');
    const acc = parseTraceLine('xive_tctx_accept target=1 ring=0x10 IPB=0x00 PIPR=0xff CPPR=0x06 NSR=0x00 ACK');
    assert.equal(acc.kind === 'event' && acc.event.arg('ipb'), '0x00');
    const pn = parseTraceLine('123@1.5:xive_presenter_notify found NVT 0x0/0x401 ring=0x10 group_level=0');
    assert.equal(pn.kind === 'event' && pn.event.args.get('nvt_idx'), '0x401');
  });
  test('set_cppr\'s "new CPPR=" is the CPPR; sPAPR PCI positional arguments', () => {
    const p = parseTraceLine('1@2.0:xive_tctx_set_cppr target=0 ring=0x10 IBP=0x00 PIPR=0xff new CPPR=0x05 NSR=0x00');
    assert.equal(p.kind === 'event' && p.event.arg('cppr'), '0x05');
    const m = parseTraceLine('8791@1795346591.217750:spapr_pci_msi_write @0x0<=0x1302 IRQ 4866');
    assert.equal(m.kind === 'event' && m.event.args.get('data'), '0x1302');
    assert.equal(m.kind === 'event' && m.event.arg('irq'), '4866');
  });
  test('-d int lines, console noise and other events are noise; PowerNV/XIVE2 events are foreign', () => {
    assert.equal(parseTraceLine('hypercall r3=000000000000f005 r4=000000000000fe9c').kind, 'noise');
    assert.equal(parseTraceLine('Raise exception at 0000000000000144 => SYSCALL (8) error=01').kind, 'noise');
    assert.equal(parseTraceLine('1@2.0:virtio_notify vdev 0x1 vq 0x2').kind, 'noise');
    assert.deepEqual(parseTraceLine('1@2.0:pnv_xive_ic_hw_trigger addr=0x0 val=0x1'), { kind: 'foreign', name: 'pnv_xive_ic_hw_trigger' });
    assert.equal(parseTraceLine('xive2_something x=1').kind, 'foreign');
  });
});

describe('the sample in current QEMU\'s format', () => {
  test('rewritten with IPB= and target= (as QEMU master prints) it replays exactly as the 7.2 original', () => {
    const lines = sampleLines();
    // target= on TIMA accesses: the vCPU of the thread, from its next presenter event.
    const current: string[] = lines.map((l, i) => {
      let out = l.replace(' IBP=', ' IPB=');
      const m = /^(\d+)@[^:]+:xive_tctx_tm_(read|write) /.exec(out);
      if (m) {
        for (let j = i + 1; j < lines.length; j++) {
          const t = new RegExp(`^${m[1]}@[^:]+:xive_tctx_(?:set_cppr|accept) target=(\\d+)`).exec(lines[j]!) ?? (j === i + 1 ? null : null);
          if (t) { out = out.replace(`tm_${m[2]} `, `tm_${m[2]} target=${t[1]} `); break; }
          const prev = new RegExp(`^${m[1]}@[^:]+:xive_tctx_accept target=(\\d+)`).exec(lines[i - 1] ?? '');
          if (prev) { out = out.replace(`tm_${m[2]} `, `tm_${m[2]} target=${prev[1]} `); break; }
        }
      }
      return out.replace(/xive_presenter_notify (.*)$/, 'xive_presenter_notify $1 group_level=0');
    });
    assert.ok(current.some((l) => l.includes('IPB=')) && current.some((l) => l.includes('tm_read target=')));
    const a = replayLines(lines);
    const b = replayLines(current);
    assert.equal(b.divergenceCount, 0, JSON.stringify(b.divergences[0]));
    assert.equal(b.steps, a.steps);
    assert.equal(b.checks, a.checks);
  });
});
