/**
 * A reader that has learnt an event's argument layout (src/trace/argument-layouts.ts)
 * reads every later line of that event exactly as a fresh reader does with the general
 * scan: lines that keep the layout, and lines that leave it anywhere (a wider value, a
 * new, missing or renamed argument, a malformed value, a 64-bit value, trailing text).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ARG, LINE_EVENT, parseTraceLine, TextLineScanner, TraceEvent } from '../../src/trace';
import type { ArgName } from '../../src/trace/arg-keys';
import { findByte, sameBytes } from '../../src/trace/byte-words';
import { latin1Bytes } from '../../src/trace/bytes-text';

/** Everything a translator can ask of an event's arguments. */
function readAll(e: TraceEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(ARG) as ArgName[]) {
    const key = ARG[name];
    out[name] = { num: e.num(key), big: e.big(key), text: e.arg(name) };
  }
  return out;
}

const LINES = [
  // xive_tctx_notify as QEMU 7.2 and current QEMU print it, then lines that leave the layout.
  '1@2.000001:xive_tctx_notify target=0 ring=0x10 IBP=0x02 PIPR=0x06 CPPR=0xff NSR=0x80',
  '1@2.000002:xive_tctx_notify target=0 ring=0x10 IBP=0x02 PIPR=0x06 CPPR=0xff NSR=0x80',
  '1@2.000003:xive_tctx_notify target=12 ring=0x10 IBP=0x40 PIPR=0x01 CPPR=0x5 NSR=0x0',
  '1@2.000004:xive_tctx_notify target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80',
  '1@2.000005:xive_tctx_notify target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff',
  '1@2.000006:xive_tctx_notify target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80 extra=7',
  '1@2.000007:xive_tctx_notify target=0 ring=0x10 IPB=0x0g PIPR=0x06 CPPR=0xff NSR=0x80',
  '1@2.000008:xive_tctx_notify target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80 raise !',
  '1@2.000009:xive_tctx_notify  target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80',
  '1@2.000010:xive_tctx_notify target=0 target=3 ring=0x10',
  '1@2.000011:xive_tctx_notify',
  '1@2.000012:xive_tctx_notify target=0 ring=0x10 IPB=0x02 PIPR=0x06 CPPR=0xff NSR=0x80',
  // Positional forms and 64-bit values.
  '2@3.0:xive_tctx_tm_read @0x20810 sz=2 val=0x8006',
  '2@3.1:xive_tctx_tm_read @0x20810 sz=2 val=0x80ff',
  '2@3.2:xive_tctx_tm_read @0x20000 sz=8 val=0xff00ff00ff00ff01',
  '2@3.3:xive_tctx_tm_read @0x20000 sz=8 val=0xff00ff00ff00ff02',
  '2@3.4:xive_tctx_tm_read @0x20810 sz=2 val=8006',
  '2@3.5:xive_source_esb_read @0x10c00 IRQ 0x0 val=0x1',
  '2@3.6:xive_source_esb_read @0x30c00 IRQ 0x1 val=0x1',
  '2@3.7:xive_source_esb_read @0x30c00 IRQ 1 val=0x1',
  '2@3.8:spapr_xive_esb flags=0x0 lisn=0x1000 offset=0x800 data=0x0',
  '2@3.9:xive_source_esb_write @0x0<=0x1302 IRQ 0x0 val=0x0',
  '2@3.10:xive_source_esb_write @0x0<=0x1303 IRQ 0x0 val=0x0',
  '2@3.11:xive_source_esb_write @0x0<0x1303 IRQ 0x0 val=0x0',
];

describe('argument layouts', () => {
  test('a reader that learnt layouts reads every line as a fresh reader does', () => {
    const learning = new TextLineScanner();
    for (const line of LINES) {
      const fresh = parseTraceLine(line);
      assert.equal(learning.scan(line), LINE_EVENT, line);
      assert.equal(fresh.kind, 'event', line);
      if (fresh.kind !== 'event') continue;
      assert.deepEqual(readAll(learning.event), readAll(fresh.event), line);
    }
  });

  test('each line read twice in a row (the second time by its layout) reads the same', () => {
    const learning = new TextLineScanner();
    for (const line of LINES) {
      learning.scan(line);
      const first = readAll(learning.event);
      learning.scan(line);
      assert.deepEqual(readAll(learning.event), first, line);
    }
  });
});

describe('word-wise byte search and comparison', () => {
  const text = latin1Bytes('0123456789:abcdefghij klmnop:');
  test('findByte finds the first occurrence in range at every start, or the range end', () => {
    for (let from = 0; from <= text.length; from++) {
      for (let limit = from; limit <= text.length; limit++) {
        for (const byte of [58, 32, 48, 112, 0]) {
          let expected = from;
          while (expected < limit && text[expected] !== byte) expected++;
          assert.equal(findByte(text, from, limit, byte), expected, `${from}..${limit} ${byte}`);
        }
      }
    }
  });

  test('sameBytes compares any length at any offsets, a difference at any position found', () => {
    const other = latin1Bytes('xx0123456789:abcdefghij klmnop:');
    const view = new DataView(other.buffer);
    for (let n = 0; n <= 20; n++) {
      for (let at = 0; at + n <= text.length; at++) {
        assert.equal(sameBytes(text, at, other, view, at + 2, n), true, `${at} ${n}`);
        for (let d = 0; d < n; d++) {
          const changed = Uint8Array.from(other);
          changed[at + 2 + d] ^= 1;
          assert.equal(sameBytes(text, at, changed, new DataView(changed.buffer), at + 2, n), false, `${at} ${n} ${d}`);
        }
      }
    }
  });
});
