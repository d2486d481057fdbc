/**
 * `irqlab import qemu-trace --info-pic DUMP`: QEMU's dumped final state as the last expectations
 * of the imported scenario (ONE_REG VP / ICP state, END configuration, ESB PQ loads, XICS sources).
 * Only what the scenario can read back is expected; what a replay cannot know is left out, each
 * with a comment saying why (REPLAY_INFO_PIC_IGNORED). Pure: dumps in, text out.
 */
import { infoPicFromVm, InfoPicDump } from '../model/info-pic';
import type { VmState } from '../model/state';

const hx = (v: number | bigint): string => '0x' + v.toString(16);
const hex2 = (v: number): string => '0x' + v.toString(16).padStart(2, '0');

/** The closing lines; `source` names the dump in the comment. */
export function infoPicExpectations(dump: InfoPicDump, vm: VmState, source: string): string {
  const name = source.replace(/[\u0000-\u001f\u007f]/g, '_');
  const model = infoPicFromVm(vm);
  const out: string[] = ['', `# The final state QEMU dumped (info pic ${name}), as expectations (irqlab import --info-pic).`];
  if (dump.kind === 'xive') {
    const m = model?.kind === 'xive' ? model : null;
    out.push('# The OS ring\'s LSMFB and AGE are not expected: QEMU\'s TCG reset prints ff, a KVM VP starts at 0.');
    for (const c of dump.cpus) {
      const os = c.rings.find((r) => r.name === 'OS');
      if (os) out.push(`get vp vcpu ${c.cpu} -> { nsr ${hex2(os.nsr)}, cppr ${hex2(os.cppr)}, ipb ${hex2(os.ipb)}, ack ${hex2(os.ack)}, inc ${hex2(os.inc)}, pipr ${hex2(os.pipr)} }`);
    }
    const ends = new Set<string>();
    for (const l of dump.lisns) {
      if (!l.eq) continue;
      const key = `${l.eq.cpu}/${l.eq.priority}`;
      if (ends.has(key)) continue;
      ends.add(key);
      out.push(`get eq_config server ${l.eq.cpu} priority ${l.eq.priority} -> { qaddr ${hx(l.eq.qaddr)}, qtoggle ${l.eq.toggle}, qindex ${l.eq.index} }`);
    }
    const known = new Set(m?.lisns.map((l) => l.lisn) ?? []);
    for (const l of dump.lisns) {
      if (!known.has(l.lisn)) { out.push(`# LISN ${hx(l.lisn)}: never in the trace (claimed at machine setup): not expected`); continue; }
      out.push(`esb ${hx(l.lisn)} load 0x800 -> ${l.pq}`);
    }
  } else {
    const m = model?.kind === 'xics' ? model : null;
    for (const c of dump.cpus) {
      out.push(`get icp vcpu ${c.cpu} -> { cppr ${hex2(c.xirr >>> 24)}, xisr ${hx(c.xirr & 0xffffff)}, mfrr ${hex2(c.mfrr)}, ppri ${hex2(c.pp)} }`);
    }
    const known = new Set(m?.ics.flatMap((i) => i.sources.map((s) => s.irq)) ?? []);
    for (const ics of dump.ics) {
      for (const s of ics.sources) {
        if (!known.has(s.irq)) { out.push(`# source ${hx(s.irq)}: never in the trace (claimed at machine setup): not expected`); continue; }
        // info pic prints neither the server nor the saved priority of a masked source: priority only.
        out.push(`get source ${hx(s.irq)} -> { priority ${hex2(s.priority)} }`);
      }
    }
  }
  return out.join('\n') + '\n';
}
