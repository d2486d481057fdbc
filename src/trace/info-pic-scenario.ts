/**
 * Writes a `.irq` scenario that rebuilds an `info pic` dump with the operations QEMU uses to
 * restore an in-kernel controller after migration, then expects the state the dump shows.
 * Pure: dump in, text out.
 *
 * XIVE (hw/intc/spapr_xive_kvm.c): `kvmppc_xive_post_load` restores the ENDs first
 * (`kvmppc_xive_set_queue_config`), then per valid EAS the source (`kvmppc_xive_source_reset_one`)
 * and its configuration (`kvmppc_xive_set_source_config`), then each vCPU's OS ring
 * (`kvmppc_xive_cpu_set_state`, ONE_REG VP_STATE); the PQ bits go back when the VM runs again
 * (`kvmppc_xive_change_state_handler`: an ESB load at SET_PQ_00 + (PQ << 8)).
 * XICS (hw/intc/xics_kvm.c): `ics_set_kvm_state` (GRP_SOURCES per source), `icp_set_kvm_state`
 * (ONE_REG ICP_STATE per vCPU).
 */
import type { InfoPicDump, InfoPicEq } from '../model/info-pic';
import { XICS_STATUS } from '../model/info-pic';

export interface InfoPicScenarioOptions {
  /** Shown in the title and the header comment (the dump's file name). */
  readonly source: string;
  /** XICS dumps: which KVM device to restore into (default `xics`). */
  readonly xicsDevice?: 'xics' | 'xics-on-xive' | 'xics-pr';
}

const hx = (v: number | bigint): string => '0x' + v.toString(16);
const hex2 = (v: number): string => '0x' + v.toString(16).padStart(2, '0');

function quote(s: string): string {
  // A file name may hold anything: keep the string literal and the comment single-line and valid.
  return s.replace(/[\u0000-\u001f\u007f"\\{}]/g, '_');
}

function log2(n: number): number | null {
  const l = Math.log2(n);
  return Number.isInteger(l) ? l : null;
}

function vpWordHex(r: { nsr: number; cppr: number; ipb: number; lsmfb: number; ack: number; inc: number; age: number; pipr: number }): string {
  const b = [r.nsr, r.cppr, r.ipb, r.lsmfb, r.ack, r.inc, r.age, r.pipr].map((x) => x.toString(16).padStart(2, '0'));
  return `0x${b[0]}${b[1]}_${b[2]}${b[3]}_${b[4]}${b[5]}_${b[6]}${b[7]}`;
}

export type InfoPicScenarioResult = { ok: true; text: string } | { ok: false; reason: string };

function xiveScenario(dump: Extract<InfoPicDump, { kind: 'xive' }>, opts: InfoPicScenarioOptions): InfoPicScenarioResult {
  const out: string[] = [];
  const name = quote(opts.source);
  out.push(`# Rebuilt from the QEMU "info pic" dump ${name} (irqlab import info-pic).`);
  out.push('# The order is QEMU\'s restore of an in-kernel XIVE device (hw/intc/spapr_xive_kvm.c):');
  out.push('# kvmppc_xive_post_load restores the ENDs, then each source and its configuration, then the');
  out.push('# vCPU contexts; the PQ bits go back when the VM runs (kvmppc_xive_change_state_handler).');
  out.push('# The queue pages are guest RAM: QEMU migrates them separately, a scenario cannot write them.');
  out.push(`scenario "info pic: ${name}"`);
  out.push('');
  out.push('device xive');
  for (const c of dump.cpus) out.push(`vcpu ${c.cpu} connect`);
  // Each END once, keyed by CPU/priority, in the order QEMU walks them (CPU, then priority).
  const ends = new Map<string, InfoPicEq>();
  for (const l of dump.lisns) {
    if (!l.eq) continue;
    const key = `${l.eq.cpu}/${l.eq.priority}`;
    const prev = ends.get(key);
    if (prev && (prev.index !== l.eq.index || prev.qaddr !== l.eq.qaddr || prev.toggle !== l.eq.toggle || prev.entries !== l.eq.entries)) {
      return { ok: false, reason: `LISN ${hx(l.lisn)}: END ${key} is printed twice with different queues` };
    }
    ends.set(key, l.eq);
  }
  const sortedEnds = [...ends.values()].sort((a, b) => a.cpu - b.cpu || a.priority - b.priority);
  const cpus = new Set(dump.cpus.map((c) => c.cpu));
  out.push('');
  out.push('# 1. ENDs first: the targeting of the sources depends on them (kvmppc_xive_set_queue_config).');
  for (const e of sortedEnds) {
    const entryBytes = log2(e.entries * 4);
    if (entryBytes === null) return { ok: false, reason: `END ${e.cpu}/${e.priority}: ${e.entries} entries is not a power of two` };
    if (!cpus.has(e.cpu)) return { ok: false, reason: `END ${e.cpu}/${e.priority}: CPU ${e.cpu} has no thread context in the dump` };
    out.push(`set eq_config server ${e.cpu} priority ${e.priority} = { flags always_notify, qshift ${entryBytes}, qaddr ${hx(e.qaddr)}, qtoggle ${e.toggle}, qindex ${e.index} }`);
  }
  out.push('');
  out.push('# 2. Each valid source: created (kvmppc_xive_source_reset_one), then configured (kvmppc_xive_set_source_config).');
  for (const l of dump.lisns) {
    const create = l.type === 'LSI' ? (l.asserted ? '{ level_sensitive, asserted }' : '{ level_sensitive }') : '0';
    out.push(`set source ${hx(l.lisn)} = ${create}`);
    if (l.masked) {
      out.push(`set source_config ${hx(l.lisn)} = { masked, eisn ${hx(l.eisn)} }`);
    } else if (l.eq) {
      out.push(`set source_config ${hx(l.lisn)} = { priority ${l.eq.priority}, server ${l.eq.cpu}, eisn ${hx(l.eisn)} }`);
    } else {
      // QEMU prints no EQ when the END is not valid: the source cannot be targeted in KVM either.
      out.push(`# LISN ${hx(l.lisn)} is unmasked but its END is not valid: left unconfigured`);
    }
  }
  out.push('');
  out.push('# 3. The vCPUs\' OS ring, word 0-1 (kvmppc_xive_cpu_set_state, ONE_REG VP_STATE).');
  for (const c of dump.cpus) {
    const os = c.rings.find((r) => r.name === 'OS');
    if (os) out.push(`set vp vcpu ${c.cpu} = ${vpWordHex(os)}`);
  }
  out.push('');
  out.push('# 4. The PQ bits, as the VM resumes: an ESB load at SET_PQ_00 + (PQ << 8).');
  for (const l of dump.lisns) out.push(`esb ${hx(l.lisn)} load ${hx(0xc00 + (l.pq << 8))}`);
  out.push('');
  out.push('# The state now equals the dump.');
  for (const c of dump.cpus) {
    const os = c.rings.find((r) => r.name === 'OS');
    if (os) out.push(`get vp vcpu ${c.cpu} -> ${vpWordHex(os)}`);
  }
  for (const e of sortedEnds) {
    out.push(`get eq_config server ${e.cpu} priority ${e.priority} -> { qaddr ${hx(e.qaddr)}, qtoggle ${e.toggle}, qindex ${e.index} }`);
  }
  for (const l of dump.lisns) {
    out.push(`esb ${hx(l.lisn)} load 0x800 -> ${l.pq}`);
  }
  // SOURCE_CONFIG is write-only in KVM: the routing is checked by `irqlab run --info-pic` against the dump.
  return { ok: true, text: out.join('\n') + '\n' };
}

function xicsScenario(dump: Extract<InfoPicDump, { kind: 'xics' }>, opts: InfoPicScenarioOptions): InfoPicScenarioResult {
  const out: string[] = [];
  const name = quote(opts.source);
  out.push(`# Rebuilt from the QEMU "info pic" dump ${name} (irqlab import info-pic).`);
  out.push('# The order is QEMU\'s restore of an in-kernel XICS device (hw/intc/xics_kvm.c):');
  out.push('# ics_set_kvm_state writes every source, icp_set_kvm_state every presenter.');
  out.push('# "info pic" does not print a source\'s server, nor the saved priority of a masked source:');
  out.push('# they are restored as server 0 and priority 0xff (edit them if you know better).');
  out.push(`scenario "info pic: ${name}"`);
  out.push('');
  out.push(`device ${opts.xicsDevice ?? 'xics'}`);
  for (const c of dump.cpus) out.push(`vcpu ${c.cpu} connect`);
  out.push('');
  out.push('# 1. Sources (ics_set_kvm_state, GRP_SOURCES).');
  const words: string[] = [];
  for (const ics of dump.ics) {
    for (const s of ics.sources) {
      const f: string[] = ['server 0', `priority ${hex2(s.priority)}`];
      if (s.type === 'LSI') {
        f.push('level_sensitive');
        if (s.status & XICS_STATUS.asserted) f.push('pending');
      } else if (s.status & XICS_STATUS.maskedPending) {
        f.push('pending');
      }
      if (s.status & XICS_STATUS.presented) f.push('presented');
      if (s.status & XICS_STATUS.queued) f.push('queued');
      const block = `{ ${f.join(', ')} }`;
      out.push(`set source ${hx(s.irq)} = ${block}`);
      words.push(`get source ${hx(s.irq)} -> ${block}`);
    }
  }
  out.push('');
  out.push('# 2. Presenters (icp_set_kvm_state, ONE_REG ICP_STATE).');
  const icps: string[] = [];
  for (const c of dump.cpus) {
    const block = `{ cppr ${hex2(c.xirr >>> 24)}, xisr ${hx(c.xirr & 0xffffff)}, mfrr ${hex2(c.mfrr)}, ppri ${hex2(c.pp)} }`;
    out.push(`set icp vcpu ${c.cpu} = ${block}`);
    icps.push(`get icp vcpu ${c.cpu} -> ${block}`);
  }
  out.push('');
  out.push('# The state now equals the dump.');
  out.push(...icps, ...words);
  return { ok: true, text: out.join('\n') + '\n' };
}

/** The scenario text, or why this dump cannot be rebuilt. */
export function scenarioFromInfoPic(dump: InfoPicDump, opts: InfoPicScenarioOptions): InfoPicScenarioResult {
  return dump.kind === 'xive' ? xiveScenario(dump, opts) : xicsScenario(dump, opts);
}
