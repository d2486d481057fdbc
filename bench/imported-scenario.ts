/**
 * Generates a scenario shaped like one `irqlab import` writes from a real XIVE
 * trace: a device, vCPU connects, then long straight-line operations (hcalls,
 * ESB and TIMA loads and stores, `set`/`get` attributes, line changes), each
 * with an expectation and a comment naming its trace line. Every expectation
 * holds: the body is a steady cycle (trigger, ACK, EOI, reopen) that leaves the
 * model as it found it, so the file can be made as long as wanted.
 */

const HEAD = [
  '# imported from trace.log by irqlab import qemu-trace',
  'device xive',
  'vcpu 0 connect',
  'vcpu 1 connect',
  'set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 } -> ok',
  'set source 0x1300 = 0',
  'set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }',
  'tima vcpu 1 store8 0x11 0xff',
  'esb 0x1300 load 0xc00 -> 1',
];

/** One steady cycle: the interrupt is raised, presented, acknowledged and ended; the model is back where it started. */
const CYCLE: readonly string[] = [
  'esb 0x1300 store 0x000',
  'esb 0x1300 load 0x800 -> 2',
  'get vp vcpu 1 -> { cppr 0xff, pipr 6 }',
  'tima vcpu 1 load16 0x810 -> 0x8006',
  'get eq_config server 1 priority 6 -> { flags always_notify, qshift 16, qaddr 0x10000 }',
  'esb 0x1300 load 0x000 -> 0',
  'tima vcpu 1 store8 0x11 0xff',
  'hcall vcpu 1 H_INT_GET_SOURCE_CONFIG flags 0, lisn 0x1300 -> H_SUCCESS',
];

/** The head lines, then cycle lines each with a trace-line comment, until about `bytes` long. */
export function generateImportedScenario(bytes: number): string {
  const parts: string[] = HEAD.map((l, i) => `${l.padEnd(72)} # trace.log:${i + 1}`);
  let size = parts.reduce((n, l) => n + l.length + 1, 0);
  for (let i = 0; size < bytes; i++) {
    const line = `${CYCLE[i % CYCLE.length].padEnd(72)} # trace.log:${HEAD.length + i + 1}`;
    parts.push(line);
    size += line.length + 1;
  }
  return parts.join('\n') + '\n';
}
