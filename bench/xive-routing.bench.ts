/**
 * XIVE native hot path: ESB trigger store → EQ entry → VP notify → TIMA ACK →
 * CPPR reopen → ESB EOI load, over 1,000,000 sources spread across 64 vCPUs
 * and priorities 0..6 (a 64 KiB queue takes at most 16382 sources). Also the
 * heap taken by a device with 1M configured sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, Report } from './run';
import {
  createDevice, createVm, enableCap, esbLoad, esbStore, setAttr, timaLoad, timaStore, VmState, XIVE_GRP,
} from '../src/model';
import * as xive from '../src/model/xive';

const SOURCES = 1_000_000;
const VCPUS = 64;
const PRIOS = 7;
const EVENTS = 200_000;

function vcpuOf(irq: number): number {
  return irq % VCPUS;
}
function prioOf(irq: number): number {
  return Math.floor(irq / VCPUS) % PRIOS;
}

function buildVm(): VmState {
  const vm = createVm();
  createDevice(vm, 'xive');
  for (let v = 0; v < VCPUS; v++) {
    enableCap(vm, v, { server: v });
    for (let p = 0; p < PRIOS; p++) {
      const qaddr = BigInt((v * PRIOS + p + 1) * 0x10000);
      setAttr(vm, XIVE_GRP.EQ_CONFIG, BigInt(v * 8 + p), { kind: 'eq', eq: { flags: 1, qshift: 16, qaddr, qtoggle: 1, qindex: 0 } });
    }
  }
  for (let irq = 0; irq < SOURCES; irq++) {
    setAttr(vm, XIVE_GRP.SOURCE, BigInt(irq), { kind: 'word', word: 0n });
    const cfg = (BigInt(irq) << 33n) | BigInt((vcpuOf(irq) << 3) | prioOf(irq));
    const r = setAttr(vm, XIVE_GRP.SOURCE_CONFIG, BigInt(irq), { kind: 'word', word: cfg });
    if (!r.ok) throw new Error(`setup failed at source ${irq}: ${r.reason}`);
    esbLoad(vm, irq, 0xc00); // PQ 01 → 00: ready
  }
  for (let v = 0; v < VCPUS; v++) timaStore(vm, v, 1, 0x11, 0xffn);
  return vm;
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export default async function (report: Report): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = heapBytes();
  const vm = buildVm();
  gc?.();
  report('xive 1M configured sources heap', (heapBytes() - before) / (1024 * 1024), gc ? 'MiB' : 'MiB (no --expose-gc: approximate)');

  const dev = vm.device as xive.XiveDeviceState;
  const stride = 7919; // visits sources in a scattered order
  let cursor = 0;
  const throughFacade = (): number => {
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < EVENTS; n++) {
      cursor = (cursor + stride) % SOURCES;
      const v = vcpuOf(cursor);
      esbStore(vm, cursor, 0, 0n);
      timaLoad(vm, v, 2, 0x810);
      timaStore(vm, v, 1, 0x11, 0xffn);
      esbLoad(vm, cursor, 0);
    }
    return EVENTS / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  const direct = (): number => {
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < EVENTS; n++) {
      cursor = (cursor + stride) % SOURCES;
      const vcpu = vm.vcpus[vcpuOf(cursor)];
      xive.esbStore(vm, dev, cursor, 0, 0n, 'trigger');
      xive.timaLoad(vm, dev, vcpu, 2, 0x810);
      xive.timaStore(vm, dev, vcpu, 1, 0x11, 0xffn);
      xive.esbLoad(vm, dev, cursor, 0);
    }
    return EVENTS / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  const routedBefore = dev.counters.routed;
  const facadeRate = await median(5, throughFacade);
  const directRate = await median(5, direct);
  report('xive routed events/s (VM facade: trigger, ACK, CPPR, EOI)', facadeRate, 'events/s');
  report('xive routed events/s (device module direct)', directRate, 'events/s');
  if (dev.counters.routed - routedBefore !== 10 * EVENTS) throw new Error('not every trigger was routed');
  const plainRate = await median(5, plainLoop());
  report('xive routed events/s (same loop in plain TypeScript, no model)', plainRate, 'events/s');
  const cRate = runCReference();
  if (cRate !== null) {
    report('xive routed events/s (same loop in C, gcc -O2)', cRate, 'events/s');
    report('xive hot path cost vs C (VM facade)', cRate / facadeRate, 'x');
    report('xive hot path cost vs C (device module direct)', cRate / directRate, 'x');
    report('xive hot path cost vs C (plain TypeScript loop)', cRate / plainRate, 'x');
  }
}

/**
 * bench/c/xive-hot-loop.c transcribed to plain TypeScript (same block layout
 * of typed arrays, no model, no checks beyond the C's): what V8 itself costs
 * for this loop, the floor the model's figures can be compared with.
 */
function plainLoop(): () => number {
  const blocks: { flags: Uint8Array; pq: Uint8Array; prio: Uint8Array; server: Uint32Array; eisn: Uint32Array }[] = [];
  for (let b = 0; b * 1024 < SOURCES; b++) {
    const buf = new ArrayBuffer(1024 * 11);
    blocks.push({
      flags: new Uint8Array(buf, 0, 1024), pq: new Uint8Array(buf, 1024, 1024), prio: new Uint8Array(buf, 2048, 1024),
      server: new Uint32Array(buf, 3072, 1024), eisn: new Uint32Array(buf, 7168, 1024),
    });
  }
  interface Queue { page: Uint32Array; index: number; toggle: number }
  interface Vp { q: Queue[]; nsr: number; cppr: number; ipb: number; pipr: number }
  const vps: Vp[] = [];
  for (let v = 0; v < VCPUS; v++) {
    const q: Queue[] = [];
    for (let p = 0; p < 8; p++) q.push({ page: new Uint32Array(16384), index: 0, toggle: 1 });
    vps.push({ q, nsr: 0, cppr: 0xff, ipb: 0, pipr: 0xff });
  }
  for (let irq = 0; irq < SOURCES; irq++) {
    const b = blocks[irq >> 10];
    const i = irq & 1023;
    b.flags[i] = 1;
    b.server[i] = vcpuOf(irq);
    b.prio[i] = prioOf(irq);
    b.eisn[i] = irq;
  }
  const signal = (v: Vp): void => {
    v.pipr = v.ipb === 0 ? 0xff : Math.clz32(v.ipb) - 24;
    if (v.pipr < v.cppr) v.nsr |= 0x80;
  };
  const route = (b: (typeof blocks)[number], i: number): void => {
    const v = vps[b.server[i]];
    const p = b.prio[i];
    const q = v.q[p];
    q.page[q.index] = ((q.toggle << 31) | (b.eisn[i] & 0x7fffffff)) >>> 0;
    if (++q.index === 16384) {
      q.index = 0;
      q.toggle ^= 1;
    }
    v.ipb |= 0x80 >> p;
    signal(v);
  };
  let cursor = 0;
  let sink = 0;
  return () => {
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < EVENTS; n++) {
      cursor = (cursor + 7919) % SOURCES;
      const v = vps[vcpuOf(cursor)];
      const b = blocks[cursor >> 10];
      const i = cursor & 1023;
      if ((b.flags[i] & 1) !== 0 && b.pq[i] === 0) {
        b.pq[i] = 2;
        route(b, i);
      }
      const nsr = v.nsr;
      if (nsr & 0x80) {
        v.cppr = v.pipr;
        v.ipb &= ~(0x80 >> v.cppr) & 0xff;
        v.pipr = v.ipb === 0 ? 0xff : Math.clz32(v.ipb) - 24;
        v.nsr &= 0x7f;
      }
      sink += (nsr << 8) | v.cppr;
      v.cppr = 0xff;
      signal(v);
      if (b.pq[i] === 2) b.pq[i] = 0;
    }
    if (sink < 0) throw new Error('unreachable: keeps the ACK results live');
    return EVENTS / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
}

/** Compiles and runs bench/c/xive-hot-loop.c when a C compiler is present; null otherwise. */
function runCReference(): number | null {
  const source = join(process.cwd(), 'bench', 'c', 'xive-hot-loop.c');
  const binary = join(mkdtempSync(join(tmpdir(), 'irqlab-bench-')), 'xive-hot-loop');
  try {
    execFileSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' });
    const out = execFileSync(binary, { encoding: 'utf8' });
    return Number(out.split(' ')[0]);
  } catch {
    return null;
  }
}
