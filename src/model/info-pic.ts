/**
 * QEMU's `info pic` for the sPAPR machine, as plain data and as text.
 *
 * The layout is QEMU's own (hw/intc/xive.c `xive_tctx_pic_print_info`, hw/intc/spapr_xive.c
 * `spapr_xive_pic_print_info` + `xive_end_queue_pic_print_info`, hw/intc/xics.c
 * `icp_pic_print_info` / `ics_pic_print_info`, and spapr's `irqchip:` line). QEMU 7.2 and current
 * QEMU print sPAPR the same way (current QEMU builds the text in a GString; the Gen1 TIMA header
 * is kept for sPAPR, only PowerNV XIVE2 prints another header). Pure: no Node API.
 *
 * Fields the model cannot know (QEMU object pointers, which irqchip QEMU used) are carried as
 * text and printed as placeholders when the dump comes from the model; `compareInfoPic` ignores them.
 */
import type { VmState } from './state';
import { readGuestMemory } from './views';
import { inspectSources, inspectPresenters } from './views';
import { decodeToRecord } from './layouts/codec';
import { SOURCE_FLAG_ASSERTED, SOURCE_FLAG_LSI, SOURCE_FLAG_VALID, SOURCES_PER_BLOCK, MASKED } from './xive/constants';

/** One TIMA ring line: `CPU[0000]:   OS    00   ff  00    ff   ff  00  ff   ff  80000400`. */
export interface InfoPicRing {
  readonly name: 'USER' | 'OS' | 'POOL' | 'PHYS';
  readonly nsr: number;
  readonly cppr: number;
  readonly ipb: number;
  readonly lsmfb: number;
  readonly ack: number;
  readonly inc: number;
  readonly age: number;
  readonly pipr: number;
  readonly w2: number;
}

export interface InfoPicXiveCpu {
  readonly cpu: number;
  readonly rings: readonly InfoPicRing[];
}

/** The END a LISN routes to, as QEMU prints it after CPU/PRIO. */
export interface InfoPicEq {
  readonly cpu: number;
  readonly priority: number;
  readonly index: number;
  readonly entries: number;
  readonly qaddr: bigint;
  readonly toggle: number;
  /** The 6 entries ending at `index` (QEMU marks the last, at `index`, with `^`). */
  readonly window: readonly number[];
}

export interface InfoPicLisn {
  readonly lisn: number;
  readonly type: 'MSI' | 'LSI';
  /** XIVE encoding: P = 2, Q = 1. */
  readonly pq: number;
  readonly asserted: boolean;
  readonly masked: boolean;
  readonly eisn: number;
  /** Absent when masked, or when the END is not valid (QEMU then prints nothing after EISN). */
  readonly eq: InfoPicEq | null;
}

export interface InfoPicXicsCpu {
  readonly cpu: number;
  readonly xirr: number;
  /** `%p` of the XIRR owner: `(nil)` (printed inside parentheses) or a QEMU pointer. Unknowable (not compared). */
  readonly owner: string;
  readonly pp: number;
  readonly mfrr: number;
}

export interface InfoPicIcsSource {
  readonly irq: number;
  readonly type: 'MSI' | 'LSI';
  readonly priority: number;
  /** QEMU XICS_STATUS_* bits (XICS_STATUS). */
  readonly status: number;
}

export interface InfoPicIcs {
  readonly first: number;
  readonly last: number;
  /** `%p` of the ICS object. Unknowable (not compared). */
  readonly pointer: string;
  readonly sources: readonly InfoPicIcsSource[];
}

/** QEMU's ICSIRQState status bits (include/hw/ppc/xics.h). */
export const XICS_STATUS = { asserted: 0x1, sent: 0x2, rejected: 0x4, maskedPending: 0x8, presented: 0x10, queued: 0x20 } as const;

export type InfoPicDump =
  | { readonly kind: 'xive'; readonly cpus: readonly InfoPicXiveCpu[]; readonly lisns: readonly InfoPicLisn[]; readonly irqchip: string | null }
  | { readonly kind: 'xics'; readonly cpus: readonly InfoPicXicsCpu[]; readonly ics: readonly InfoPicIcs[]; readonly irqchip: string | null };

/** What the model prints where QEMU prints a pointer or its irqchip mode. */
export const INFO_PIC_POINTER_PLACEHOLDER = '0x0';
export const INFO_PIC_IRQCHIP_PLACEHOLDER = 'in-kernel';

/** sPAPR: QEMU's NVT of vCPU n is SPAPR_XIVE_NVT_BASE (0x400) + n; the OS ring's W2 holds it with the valid bit. */
const SPAPR_XIVE_NVT_BASE = 0x400;
const TM_QW_W2_VALID = 0x80000000;
/** QEMU prints this many queue entries, the last one at the current index. */
export const EQ_WINDOW = 6;
/** sPAPR XICS: one ICS of 4096 sources from 0x1000 (SPAPR_IRQ_XICS / SPAPR_NR_XIRQS). */
const SPAPR_ICS_FIRST = 0x1000;
const SPAPR_ICS_LAST = 0x1fff;

const hex = (v: number | bigint, width: number): string => v.toString(16).padStart(width, '0');
const padLeft = (s: string, width: number): string => s.padStart(width, ' ');

function ringLine(cpu: number, r: InfoPicRing): string {
  return `CPU[${hex(cpu, 4)}]: ${padLeft(r.name, 4)}    ${hex(r.nsr, 2)}   ${hex(r.cppr, 2)}  ${hex(r.ipb, 2)}    ${hex(r.lsmfb, 2)}   ` +
    `${hex(r.ack, 2)}  ${hex(r.inc, 2)}  ${hex(r.age, 2)}   ${hex(r.pipr, 2)}  ${hex(r.w2, 8)}`;
}

function lisnLine(l: InfoPicLisn): string {
  const pq = `${l.pq & 2 ? 'P' : '-'}${l.pq & 1 ? 'Q' : '-'}${l.asserted ? 'A' : ' '}`;
  let s = `  ${hex(l.lisn, 8)} ${l.type} ${pq} ${l.masked ? 'M' : ' '} ${hex(l.eisn, 8)} `;
  const eq = l.eq;
  if (eq) {
    // "%3d/%d % 6d/%5d @%"PRIx64" ^%d", then " [ " entries " ]"
    s += `${padLeft(String(eq.cpu), 3)}/${eq.priority} ${padLeft(String(eq.index), 6)}/${padLeft(String(eq.entries), 5)} ` +
      `@${eq.qaddr.toString(16)} ^${eq.toggle}`;
    s += ' [ ' + eq.window.map((w, i) => `${i === eq.window.length - 1 ? '^' : ''}${hex(w, 8)} `).join('') + ']';
  }
  return s;
}

/** The dump as QEMU prints it, one `\n` per line (QEMU's monitor turns them into CRLF on a terminal). */
export function formatInfoPic(dump: InfoPicDump): string {
  const lines: string[] = [];
  if (dump.kind === 'xive') {
    for (const c of dump.cpus) {
      lines.push(`CPU[${hex(c.cpu, 4)}]:   QW   NSR CPPR IPB LSMFB ACK# INC AGE PIPR  W2`);
      for (const r of c.rings) lines.push(ringLine(c.cpu, r));
    }
    lines.push('  LISN         PQ    EISN     CPU/PRIO EQ');
    for (const l of dump.lisns) lines.push(lisnLine(l));
  } else {
    for (const c of dump.cpus) {
      lines.push(`CPU ${c.cpu} XIRR=${hex(c.xirr, 8)} (${c.owner}) PP=${hex(c.pp, 2)} MFRR=${hex(c.mfrr, 2)}`);
    }
    for (const ics of dump.ics) {
      lines.push(`ICS ${padLeft(ics.first.toString(16), 4)}..${padLeft(ics.last.toString(16), 4)} ${ics.pointer}`);
      for (const s of ics.sources) {
        lines.push(`  ${padLeft(s.irq.toString(16), 4)} ${s.type} ${hex(s.priority, 2)} ${hex(s.status, 2)}`);
      }
    }
  }
  if (dump.irqchip !== null) lines.push(`irqchip: ${dump.irqchip}`);
  return lines.map((l) => l + '\n').join('');
}

function zeroRing(name: InfoPicRing['name'], pipr = 0): InfoPicRing {
  return { name, nsr: 0, cppr: 0, ipb: 0, lsmfb: 0, ack: 0, inc: 0, age: 0, pipr, w2: 0 };
}

/** XIVE: the model's state as QEMU would print it after `kvmppc_xive_synchronize_state`. */
function xiveDumpFromVm(vm: VmState): InfoPicDump {
  const dev = vm.device;
  const cpus: InfoPicXiveCpu[] = [];
  const vcpus = [...vm.vcpus].filter((v) => v.mode === 'xive' && v.vp).sort((a, b) => a.id - b.id);
  for (const v of vcpus) {
    const vp = v.vp!;
    const os: InfoPicRing = {
      name: 'OS', nsr: vp.nsr, cppr: vp.cppr, ipb: vp.ipb, lsmfb: vp.lsmfb, ack: vp.ack, inc: vp.inc, age: vp.age,
      pipr: vp.pipr, w2: (TM_QW_W2_VALID | (SPAPR_XIVE_NVT_BASE + v.id)) >>> 0,
    };
    // QEMU's sPAPR leaves USER and POOL at zero; PHYS has PIPR 0xff from the reset.
    cpus.push({ cpu: v.id, rings: [zeroRing('USER'), os, zeroRing('POOL'), zeroRing('PHYS', 0xff)] });
  }
  const lisns: InfoPicLisn[] = [];
  if (dev && dev.kind === 'xive') {
    for (const id of dev.blockIds) {
      const sb = dev.blocks[id];
      if (!sb || sb.validCount === 0) continue;
      for (let i = 0; i < SOURCES_PER_BLOCK; i++) {
        const flags = sb.flags[i];
        if ((flags & SOURCE_FLAG_VALID) === 0) continue;
        const prio = sb.actPriority[i];
        const masked = prio === MASKED;
        let eq: InfoPicEq | null = null;
        if (!masked) {
          const vcpuIndex = dev.vcpuByServer.get(sb.actServer[i]);
          const vcpu = vcpuIndex === undefined ? undefined : vm.vcpus[vcpuIndex];
          const q = vcpu?.vp?.queues[prio];
          if (vcpu && q && q.mode === 'enqueue') {
            const entries = 2 ** Math.max(0, q.qshift - 2);
            const window: number[] = [];
            for (let k = 0; k < EQ_WINDOW; k++) {
              const idx = (((q.index - (EQ_WINDOW - 1) + k) % entries) + entries) % entries;
              const b = readGuestMemory(vm, BigInt(q.qaddr) + BigInt(idx * 4), 4);
              window.push(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0);
            }
            eq = { cpu: vcpu.id, priority: prio, index: q.index, entries, qaddr: BigInt(q.qaddr), toggle: q.toggle, window };
          }
        }
        lisns.push({
          lisn: id * SOURCES_PER_BLOCK + i,
          type: (flags & SOURCE_FLAG_LSI) !== 0 ? 'LSI' : 'MSI',
          pq: sb.pq[i] & 3,
          asserted: (flags & SOURCE_FLAG_LSI) !== 0 && (flags & SOURCE_FLAG_ASSERTED) !== 0,
          masked,
          eisn: sb.eisn[i] >>> 0,
          eq,
        });
      }
    }
  }
  return { kind: 'xive', cpus, lisns, irqchip: INFO_PIC_IRQCHIP_PLACEHOLDER };
}

/** XICS: QEMU's view after `icp_get_kvm_state` / `ics_get_kvm_state` (hw/intc/xics_kvm.c). */
function xicsDumpFromVm(vm: VmState): InfoPicDump {
  const cpus: InfoPicXicsCpu[] = inspectPresenters(vm)
    .filter((p) => p.layout === 'xics-icp')
    .sort((a, b) => a.vcpu - b.vcpu)
    .map((p) => {
      const f = decodeToRecord('xics-icp', p.word);
      return {
        cpu: p.vcpu,
        xirr: ((f.cppr << 24) | f.xisr) >>> 0,
        owner: f.xisr === 0 ? '(nil)' : INFO_PIC_POINTER_PLACEHOLDER,
        pp: f.ppri,
        mfrr: f.mfrr,
      };
    });
  const sources: InfoPicIcsSource[] = [];
  let first = SPAPR_ICS_FIRST;
  let last = SPAPR_ICS_LAST;
  for (const s of inspectSources(vm)) {
    const f = decodeToRecord('xics-source', s.word);
    let status = 0;
    // hw/intc/xics_kvm.c ics_get_kvm_state: a pending MSI reads back as MASKED_PENDING | REJECTED.
    if (f.pending) status |= f.level_sensitive ? XICS_STATUS.asserted : XICS_STATUS.maskedPending | XICS_STATUS.rejected;
    if (f.presented) status |= XICS_STATUS.presented;
    if (f.queued) status |= XICS_STATUS.queued;
    sources.push({ irq: s.irq, type: f.level_sensitive ? 'LSI' : 'MSI', priority: f.masked ? 0xff : f.priority, status });
    first = Math.min(first, s.irq);
    last = Math.max(last, s.irq);
  }
  return {
    kind: 'xics', cpus,
    ics: [{ first, last, pointer: INFO_PIC_POINTER_PLACEHOLDER, sources }],
    irqchip: INFO_PIC_IRQCHIP_PLACEHOLDER,
  };
}

/** The model's state as a dump, or null when there is no interrupt device. */
export function infoPicFromVm(vm: VmState): InfoPicDump | null {
  const dev = vm.device;
  if (!dev) return null;
  return dev.kind === 'xive' ? xiveDumpFromVm(vm) : xicsDumpFromVm(vm);
}

/** `info pic` of the model as text (QEMU's layout); a one-line note when there is no device. */
export function formatModelInfoPic(vm: VmState): string {
  const dump = infoPicFromVm(vm);
  return dump ? formatInfoPic(dump) : 'info pic: no interrupt controller device (the scenario created none)\n';
}
