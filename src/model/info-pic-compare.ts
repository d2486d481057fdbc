/**
 * Compares two `info pic` dumps field by field, ignoring what the model cannot know: QEMU's
 * object pointers (the ICS address, the XIRR owner) and the `irqchip:` mode line.
 * Pure. Used by `irqlab replay --info-pic` and by `irqlab import info-pic` tests.
 */
import type { InfoPicDump, InfoPicRing } from './info-pic';
import { parseInfoPic } from './info-pic-parse';

export interface InfoPicDifference {
  /** 1-based line in the expected text (in the actual text when the expected has no such line). */
  readonly line: number;
  /** What differs, e.g. `CPU[0001] OS CPPR`, `LISN 00001000 PQ`, `ICS 1203 priority`. */
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

export interface CompareInfoPicOptions {
  /**
   * Also ignore the queue window (the 6 entries QEMU reads from guest memory). A scenario that
   * rebuilds a dump cannot write guest RAM (QEMU migrates RAM separately), so it cannot match them.
   */
  readonly ignoreQueueEntries?: boolean;
}

/** Fields never compared, and why (the README lists the same). */
export const INFO_PIC_IGNORED_FIELDS: readonly { field: string; why: string }[] = [
  { field: 'ICS pointer (`ICS 1000..1fff 0x557b6eead800`)', why: 'the address of a QEMU object in QEMU\'s heap' },
  { field: 'XIRR owner (`(nil)` / `(0x…)` after XIRR=)', why: 'the address of the QEMU ICS that owns the pending XISR' },
  { field: '`irqchip: emulated|in-kernel`', why: 'how QEMU ran the controller, not its state; the model is the kernel\'s semantics either way' },
];

const hex = (v: number | bigint, w: number): string => v.toString(16).padStart(w, '0');

const RING_FIELDS: readonly [Exclude<keyof InfoPicRing, 'name'>, string, number][] = [
  ['nsr', 'NSR', 2], ['cppr', 'CPPR', 2], ['ipb', 'IPB', 2], ['lsmfb', 'LSMFB', 2], ['ack', 'ACK#', 2],
  ['inc', 'INC', 2], ['age', 'AGE', 2], ['pipr', 'PIPR', 2], ['w2', 'W2', 8],
];

function pqText(pq: number, asserted: boolean): string {
  return `${pq & 2 ? 'P' : '-'}${pq & 1 ? 'Q' : '-'}${asserted ? 'A' : ''}`;
}

/** Compares parsed dumps; `expLines`/`actLines` map print order to source lines. */
export function compareInfoPicDumps(
  expected: InfoPicDump, actual: InfoPicDump, expLines: readonly number[], actLines: readonly number[], opts: CompareInfoPicOptions = {},
): InfoPicDifference[] {
  const out: InfoPicDifference[] = [];
  if (expected.kind !== actual.kind) {
    return [{ line: expLines[0] ?? 1, field: 'controller', expected: expected.kind.toUpperCase(), actual: actual.kind.toUpperCase() }];
  }
  const diff = (line: number, field: string, e: string, a: string): void => {
    if (e !== a) out.push({ line, field, expected: e, actual: a });
  };
  if (expected.kind === 'xive' && actual.kind === 'xive') {
    // Print order: per CPU a header and 4 rings, then the LISN header, then LISNs.
    let k = 0;
    const actCpus = new Map(actual.cpus.map((c) => [c.cpu, c]));
    for (const c of expected.cpus) {
      const headerLine = expLines[k] ?? 1;
      k += 1 + c.rings.length;
      const name = `CPU[${hex(c.cpu, 4)}]`;
      const a = actCpus.get(c.cpu);
      actCpus.delete(c.cpu);
      if (!a) { out.push({ line: headerLine, field: name, expected: 'present', actual: 'absent' }); continue; }
      c.rings.forEach((r, ri) => {
        const ar = a.rings.find((x) => x.name === r.name);
        const line = expLines[k - c.rings.length + ri] ?? headerLine;
        if (!ar) { out.push({ line, field: `${name} ${r.name}`, expected: 'present', actual: 'absent' }); return; }
        for (const [key, label, w] of RING_FIELDS) diff(line, `${name} ${r.name} ${label}`, hex(r[key], w), hex(ar[key], w));
      });
    }
    for (const c of actCpus.values()) out.push({ line: expLines[k] ?? 1, field: `CPU[${hex(c.cpu, 4)}]`, expected: 'absent', actual: 'present' });
    k += 1; // LISN header
    const actLisns = new Map(actual.lisns.map((l) => [l.lisn, l]));
    for (const l of expected.lisns) {
      const line = expLines[k++] ?? 1;
      const name = `LISN ${hex(l.lisn, 8)}`;
      const a = actLisns.get(l.lisn);
      actLisns.delete(l.lisn);
      if (!a) { out.push({ line, field: name, expected: 'present', actual: 'absent' }); continue; }
      diff(line, `${name} type`, l.type, a.type);
      diff(line, `${name} PQ`, pqText(l.pq, l.asserted), pqText(a.pq, a.asserted));
      diff(line, `${name} mask`, l.masked ? 'M' : '-', a.masked ? 'M' : '-');
      diff(line, `${name} EISN`, hex(l.eisn, 8), hex(a.eisn, 8));
      const e = l.eq, q = a.eq;
      if (!e || !q) {
        diff(line, `${name} EQ`, e ? 'present' : 'none', q ? 'present' : 'none');
        continue;
      }
      diff(line, `${name} CPU/PRIO`, `${e.cpu}/${e.priority}`, `${q.cpu}/${q.priority}`);
      diff(line, `${name} EQ index/size`, `${e.index}/${e.entries}`, `${q.index}/${q.entries}`);
      diff(line, `${name} EQ @qpage`, e.qaddr.toString(16), q.qaddr.toString(16));
      diff(line, `${name} EQ ^toggle`, String(e.toggle), String(q.toggle));
      if (!opts.ignoreQueueEntries) {
        diff(line, `${name} EQ entries`, e.window.map((w) => hex(w, 8)).join(' '), q.window.map((w) => hex(w, 8)).join(' '));
      }
    }
    for (const a of actLisns.values()) {
      out.push({ line: expLines[k - 1] ?? 1, field: `LISN ${hex(a.lisn, 8)}`, expected: 'absent', actual: 'present' });
    }
    return out;
  }
  if (expected.kind === 'xics' && actual.kind === 'xics') {
    let k = 0;
    const actCpus = new Map(actual.cpus.map((c) => [c.cpu, c]));
    for (const c of expected.cpus) {
      const line = expLines[k++] ?? 1;
      const name = `CPU ${c.cpu}`;
      const a = actCpus.get(c.cpu);
      actCpus.delete(c.cpu);
      if (!a) { out.push({ line, field: name, expected: 'present', actual: 'absent' }); continue; }
      diff(line, `${name} XIRR`, hex(c.xirr, 8), hex(a.xirr, 8));
      diff(line, `${name} PP`, hex(c.pp, 2), hex(a.pp, 2));
      diff(line, `${name} MFRR`, hex(c.mfrr, 2), hex(a.mfrr, 2));
    }
    for (const c of actCpus.values()) out.push({ line: expLines[k] ?? 1, field: `CPU ${c.cpu}`, expected: 'absent', actual: 'present' });
    // Sources are compared by number over all ICSes (the model has one ICS per machine, as sPAPR).
    const actSources = new Map(actual.ics.flatMap((i) => i.sources).map((s) => [s.irq, s]));
    for (const [ii, i] of expected.ics.entries()) {
      const icsLine = expLines[k++] ?? 1;
      const a = actual.ics[ii];
      diff(icsLine, 'ICS range', `${hex(i.first, 4)}..${hex(i.last, 4)}`, a ? `${hex(a.first, 4)}..${hex(a.last, 4)}` : 'absent');
      for (const s of i.sources) {
        const line = expLines[k++] ?? 1;
        const name = `ICS ${s.irq.toString(16)}`;
        const as = actSources.get(s.irq);
        actSources.delete(s.irq);
        if (!as) { out.push({ line, field: name, expected: 'present', actual: 'absent' }); continue; }
        diff(line, `${name} type`, s.type, as.type);
        diff(line, `${name} priority`, hex(s.priority, 2), hex(as.priority, 2));
        diff(line, `${name} flags`, hex(s.status, 2), hex(as.status, 2));
      }
    }
    for (const s of actSources.values()) {
      out.push({ line: actLines[0] ?? 1, field: `ICS ${s.irq.toString(16)}`, expected: 'absent', actual: 'present' });
    }
  }
  return out;
}

/**
 * Compares two dumps given as text (QEMU's `info pic`, or the model's). A text that does not
 * parse yields one difference on field `dump` naming its line and cause.
 */
export function compareInfoPic(expectedText: string, actualText: string, opts: CompareInfoPicOptions = {}): InfoPicDifference[] {
  const e = parseInfoPic(expectedText);
  if (!e.ok) return [{ line: e.line, field: 'dump (expected)', expected: 'a readable info pic dump', actual: e.reason }];
  const a = parseInfoPic(actualText);
  if (!a.ok) return [{ line: a.line, field: 'dump (actual)', expected: 'a readable info pic dump', actual: a.reason }];
  return compareInfoPicDumps(e.dump, a.dump, e.lines, a.lines, opts);
}
