/**
 * Reads an `info pic` dump of the sPAPR machine (QEMU 7.2 and current QEMU) into an InfoPicDump.
 * Pure: text in, data or a line-numbered error out. CRLF (the monitor's line ends) and LF both
 * read; a `(qemu) info pic` prompt line and blank lines are skipped.
 */
import type { InfoPicDump, InfoPicEq, InfoPicIcs, InfoPicIcsSource, InfoPicLisn, InfoPicRing, InfoPicXicsCpu, InfoPicXiveCpu } from './info-pic';

export type InfoPicParseResult =
  | { readonly ok: true; readonly dump: InfoPicDump; /** 1-based line of each printed line, in print order. */ readonly lines: readonly number[] }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/** Longest line echoed back in an error message. */
const MAX_ECHO = 80;

function echo(text: string): string {
  const cut = text.length > MAX_ECHO ? text.slice(0, MAX_ECHO) + '…' : text;
  // Control bytes are shown escaped so that a binary file cannot drive the user's terminal.
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const XIVE_HEADER = /^CPU\[([0-9a-f]{4,})\]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2$/;
const XIVE_RING = /^CPU\[([0-9a-f]{4,})\]: +(USER|OS|POOL|PHYS) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{2}) +([0-9a-f]{8})$/;
/** XIVE2 (PowerNV, POWER10) prints another ring header: not this machine. */
const XIVE2_HEADER = /^CPU\[[0-9a-f]+\]:   QW   NSR CPPR IPB LSMFB +- +LGS/;
const LISN_HEADER = /^  (LISN|LSIN)         PQ    EISN     CPU\/PRIO EQ$/;
const LISN = /^  ([0-9a-f]{8}) (MSI|LSI) ([P-])([Q-])([A ]) ([M ]) ([0-9a-f]{8}) ?(.*)$/;
const EQ = /^ *(-?\d+)\/(\d+) +(\d+)\/ *(\d+) @([0-9a-f]+) \^([01]) \[ ((?:\^?[0-9a-f]{8} )*)\]$/;
const ICP = /^CPU (-?\d+) XIRR=([0-9a-f]{8}) \((\(nil\)|[^()\s]+)\) PP=([0-9a-f]{2}) MFRR=([0-9a-f]{2})$/;
const ICS = /^ICS +([0-9a-f]+)\.\. *([0-9a-f]+) (\S+)$/;
const ICS_SOURCE = /^  +([0-9a-f]+) (MSI|LSI) ([0-9a-f]{2}) ([0-9a-f]{2})$/;
const IRQCHIP = /^irqchip: (\S+)$/;

const h = (s: string): number => parseInt(s, 16);

function parseEq(text: string): InfoPicEq | string {
  const m = EQ.exec(text);
  if (!m) return 'the EQ part does not read as "CPU/PRIO INDEX/ENTRIES @QADDR ^TOGGLE [ ENTRIES ]"';
  const window = m[7].trim().split(' ').filter((w) => w !== '');
  if (window.length === 0) return 'the EQ window lists no entries';
  const marked = window.findIndex((w) => w.startsWith('^'));
  if (marked !== window.length - 1) return 'the EQ window must mark its last entry (the current index) with ^';
  return {
    cpu: Number(m[1]), priority: Number(m[2]), index: Number(m[3]), entries: Number(m[4]),
    qaddr: BigInt('0x' + m[5]), toggle: Number(m[6]),
    window: window.map((w) => h(w.replace('^', ''))),
  };
}

/** Parses a whole dump. The first line that is not QEMU's layout ends the parse with its number and why. */
export function parseInfoPic(text: string): InfoPicParseResult {
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  let kind: 'xive' | 'xics' | null = null;
  const xiveCpus: InfoPicXiveCpu[] = [];
  const lisns: InfoPicLisn[] = [];
  const xicsCpus: InfoPicXicsCpu[] = [];
  const ics: { first: number; last: number; pointer: string; sources: InfoPicIcsSource[] }[] = [];
  let irqchip: string | null = null;
  let inLisns = false;
  let ringCpu: { cpu: number; rings: InfoPicRing[] } | null = null;
  const lines: number[] = [];
  const fail = (n: number, reason: string, l: string): InfoPicParseResult =>
    ({ ok: false, line: n, reason: `${reason}: "${echo(l)}"` });

  for (let i = 0; i < raw.length; i++) {
    const n = i + 1;
    const l = raw[i].endsWith('\r') ? raw[i].slice(0, -1) : raw[i];
    if (l.trim() === '' || /^\(qemu\)/.test(l)) continue;
    if (irqchip !== null) return fail(n, 'a line after the "irqchip:" line, which ends a dump', l);
    let m: RegExpExecArray | null;
    if ((m = IRQCHIP.exec(l))) {
      irqchip = m[1];
      lines.push(n);
      continue;
    }
    if (XIVE2_HEADER.test(l)) return fail(n, 'a XIVE2 (PowerNV) thread context: only the sPAPR machine (pseries) is read', l);
    if ((m = XIVE_HEADER.exec(l))) {
      if (kind === 'xics') return fail(n, 'a XIVE line in a XICS dump', l);
      if (inLisns) return fail(n, 'a CPU line after the LISN table', l);
      kind = 'xive';
      ringCpu = { cpu: h(m[1]), rings: [] };
      xiveCpus.push(ringCpu as InfoPicXiveCpu);
      lines.push(n);
      continue;
    }
    if ((m = XIVE_RING.exec(l))) {
      if (!ringCpu || h(m[1]) !== ringCpu.cpu) return fail(n, 'a ring line without its CPU header line before it', l);
      if (ringCpu.rings.length >= 4) return fail(n, 'a fifth ring line for one CPU', l);
      ringCpu.rings.push({
        name: m[2] as InfoPicRing['name'], nsr: h(m[3]), cppr: h(m[4]), ipb: h(m[5]), lsmfb: h(m[6]), ack: h(m[7]),
        inc: h(m[8]), age: h(m[9]), pipr: h(m[10]), w2: h(m[11]),
      });
      lines.push(n);
      continue;
    }
    if (LISN_HEADER.test(l)) {
      if (kind === 'xics') return fail(n, 'a XIVE line in a XICS dump', l);
      if (inLisns) return fail(n, 'a second LISN header', l);
      kind = 'xive';
      inLisns = true;
      lines.push(n);
      continue;
    }
    if ((m = LISN.exec(l))) {
      if (!inLisns) return fail(n, 'a LISN line before the "LISN PQ EISN CPU/PRIO EQ" header', l);
      const rest = m[8];
      let eq: InfoPicEq | null = null;
      if (rest.trim() !== '') {
        if (m[6] === 'M') return fail(n, 'a masked LISN with an EQ after it (QEMU prints none)', l);
        const r = parseEq(rest);
        if (typeof r === 'string') return fail(n, r, l);
        eq = r;
      }
      lisns.push({
        lisn: h(m[1]), type: m[2] as 'MSI' | 'LSI', pq: (m[3] === 'P' ? 2 : 0) | (m[4] === 'Q' ? 1 : 0),
        asserted: m[5] === 'A', masked: m[6] === 'M', eisn: h(m[7]), eq,
      });
      lines.push(n);
      continue;
    }
    if ((m = ICP.exec(l))) {
      if (kind === 'xive') return fail(n, 'a XICS line in a XIVE dump', l);
      if (ics.length > 0) return fail(n, 'a CPU line after an ICS', l);
      kind = 'xics';
      xicsCpus.push({ cpu: Number(m[1]), xirr: h(m[2]), owner: m[3], pp: h(m[4]), mfrr: h(m[5]) });
      lines.push(n);
      continue;
    }
    if ((m = ICS.exec(l))) {
      if (kind === 'xive') return fail(n, 'a XICS line in a XIVE dump', l);
      kind = 'xics';
      ics.push({ first: h(m[1]), last: h(m[2]), pointer: m[3], sources: [] });
      lines.push(n);
      continue;
    }
    if ((m = ICS_SOURCE.exec(l))) {
      const cur = ics[ics.length - 1];
      if (!cur) return fail(n, 'a source line before any "ICS FIRST..LAST" line', l);
      cur.sources.push({ irq: h(m[1]), type: m[2] as 'MSI' | 'LSI', priority: h(m[3]), status: h(m[4]) });
      lines.push(n);
      continue;
    }
    return fail(n, 'not a line of QEMU\'s sPAPR "info pic"', l);
  }
  for (const c of xiveCpus) {
    if (c.rings.length !== 4) {
      return { ok: false, line: raw.length, reason: `CPU[${c.cpu.toString(16).padStart(4, '0')}] has ${c.rings.length} ring lines, QEMU prints 4 (truncated dump?)` };
    }
  }
  if (kind === null) return { ok: false, line: Math.max(1, raw.length), reason: 'no "info pic" lines found (empty dump?)' };
  const dump: InfoPicDump = kind === 'xive'
    ? { kind, cpus: xiveCpus, lisns, irqchip }
    : { kind, cpus: xicsCpus, ics: ics as InfoPicIcs[], irqchip };
  return { ok: true, dump, lines };
}
