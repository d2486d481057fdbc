/**
 * The replay's last check: QEMU's `info pic` dump against the model's, after the trace.
 * `compareInfoPic` already ignores QEMU's pointers and its irqchip line; a replay also cannot
 * know what the trace never shows and what QEMU's TCG emulation sets differently from KVM.
 * Those differences are set aside here, each with its reason, and counted. Pure.
 */
import { formatModelInfoPic } from '../model/info-pic';
import { compareInfoPic, InfoPicDifference } from '../model/info-pic-compare';
import { parseInfoPic } from '../model/info-pic-parse';
import type { VmState } from '../model/state';

/** Differences a replay sets aside, and why (the README lists the same). */
export const REPLAY_INFO_PIC_IGNORED: readonly { field: string; why: string }[] = [
  {
    field: 'XIVE thread context LSMFB and AGE (QW1 OS ring)',
    why: 'QEMU\'s TCG reset of a thread context writes ff into them; a KVM VP (the model) starts at 0, and no trace event states them',
  },
  {
    field: 'a source the trace never mentions, at its reset state in the dump',
    why: 'QEMU claims these at machine setup, before tracing shows anything (XICS: priority ff, no status; XIVE: masked, no EISN)',
  },
];

export interface ReplayInfoPicCheck {
  /** The model's dump (QEMU's layout). */
  readonly model: string;
  /** Differences that count: `expected` is QEMU's, `actual` the model's. */
  readonly differences: readonly InfoPicDifference[];
  /** How many differences were set aside, per REPLAY_INFO_PIC_IGNORED field. */
  readonly ignored: ReadonlyMap<string, number>;
}

const TCG_RESET_FIELD = /^CPU\[[0-9a-f]+\] OS (LSMFB|AGE)$/;

/** The dump's sources at their reset state, by the field name the comparer gives them. */
function untouchedSources(dumpText: string): Set<string> {
  const out = new Set<string>();
  const p = parseInfoPic(dumpText);
  if (!p.ok) return out;
  if (p.dump.kind === 'xics') {
    for (const i of p.dump.ics) for (const s of i.sources) if (s.priority === 0xff && s.status === 0) out.add(`ICS ${s.irq.toString(16)}`);
  } else {
    for (const l of p.dump.lisns) if (l.masked && l.eisn === 0 && !l.asserted) out.add(`LISN ${l.lisn.toString(16).padStart(8, '0')}`);
  }
  return out;
}

export function checkReplayInfoPic(dumpText: string, vm: VmState): ReplayInfoPicCheck {
  const model = formatModelInfoPic(vm);
  const untouched = untouchedSources(dumpText);
  const ignored = new Map<string, number>();
  const skip = (i: number): void => {
    const f = REPLAY_INFO_PIC_IGNORED[i]!.field;
    ignored.set(f, (ignored.get(f) ?? 0) + 1);
  };
  const differences = compareInfoPic(dumpText, model).filter((d) => {
    if (TCG_RESET_FIELD.test(d.field) && d.expected === 'ff' && d.actual === '00') { skip(0); return false; }
    if (d.actual === 'absent' && untouched.has(d.field)) { skip(1); return false; }
    return true;
  });
  return { model, differences, ignored };
}
