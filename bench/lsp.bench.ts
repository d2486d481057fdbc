/**
 * Language server latency on a generated 100,000-line scenario, measured at
 * the client over a real JSON-RPC connection (in-memory streams):
 * diagnostics after a one-character edit (median, incremental analysis), hover and completion
 * latency (p50/p95) on a stable version. Targets: diagnostics ≤ 100 ms,
 * hover p95 ≤ 5 ms. `lsp-analyze-only` is the front end's parse + check of
 * the same text, to tell the server's own share of the diagnostics time.
 */
import { analyze } from '../src/dsl';
import { LspTestClient } from '../test/server/harness';
import { median, Report } from './run';

const LINES = 100_000;

/** A scenario that exercises every word context, procs, repeats and comments. */
export function generateScenario(lines: number): string {
  const out = ['scenario "100k lines"', 'let uart = 0x1300', 'device xive', 'vcpu 1 connect', 'vcpu 2 connect',
    'set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }',
    'proc route(irq, target, prio) {', '  set source_config irq = { priority prio, server target, eisn irq }', '}'];
  for (let i = 0; out.length < lines; i++) {
    const irq = `0x${(0x1000 + (i % 4096)).toString(16)}`;
    switch (i % 8) {
      case 0: out.push(`# block ${i}`); break;
      case 1: out.push(`set source ${irq} = 0x0`); break;
      case 2: out.push(`set source_config ${irq} = 0x0000_2600_0000_000e`); break;
      case 3: out.push(`esb ${irq} store 0x000`); break;
      case 4: out.push(`eq server 1 priority 6 -> [0x8000_1300]`); break;
      case 5: out.push(`tima vcpu 1 load16 0x810 -> 0x8006`); break;
      case 6: out.push(`hcall vcpu 1 H_INT_SET_SOURCE_CONFIG flags 0x2, lisn uart, target 1, priority 6, eisn 0x1300 -> H_SUCCESS`); break;
      default: out.push(`call route(${irq}, 1, 6)`); break;
    }
  }
  return out.join('\n') + '\n';
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timedSync(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Wall time and this process's CPU time of one request. Client and server
 * share the process, so on a loaded machine the CPU figure tells the work
 * from the time spent waiting for a core.
 */
async function timedBoth<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const wall = await timed(fn);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export default async function bench(report: Report): Promise<void> {
  const text = generateScenario(LINES);
  const lines = text.split('\n');
  const client = await LspTestClient.start();
  const uri = 'file:///bench-100k.irq';
  report('lsp-open-100k-lines', await timed(() => client.open(uri, text)), 'ms');

  // One character typed and removed again on a `set source_config` line in the middle.
  let version = 1;
  const line = lines.findIndex((l, i) => i > LINES / 2 && l.startsWith('set source_config'));
  const diagnosticsMs = await median(7, async () => {
    const insert = ++version % 2 === 0;
    const change = insert
      ? { range: { start: { line, character: 3 }, end: { line, character: 3 } }, text: 't' }
      : { range: { start: { line, character: 3 }, end: { line, character: 4 } }, text: '' };
    return timed(() => client.change(uri, version, [change]));
  });
  // Served by the per-document incremental analyzer: only the edited slice of statements is re-analysed.
  report('lsp diagnostics after 1-char edit (incremental)', diagnosticsMs, 'ms');
  // The front end's share: parse + check of the same text, called directly.
  report('lsp-analyze-only-100k-lines', await median(3, () => timedSync(() => analyze(text, uri))), 'ms');

  // Hovers over words (raw words, field blocks, names, keywords) spread over the file.
  const hoverPositions: { line: number; character: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const l = 9 + ((i * 7919) % (LINES - 10));
    const t = lines[l];
    const word = t.indexOf('0x0000_2600') >= 0 ? t.indexOf('0x0000_2600') + 5 : t.indexOf('[') >= 0 ? t.indexOf('[') + 3 : 1;
    hoverPositions.push({ line: l, character: word });
  }
  // The first request after an edit builds the version's caches; measure steady state.
  await client.request('textDocument/hover', { textDocument: { uri }, position: hoverPositions[0] });
  const hoverMs: number[] = [];
  const hoverCpuMs: number[] = [];
  for (const position of hoverPositions) {
    const t = await timedBoth(() => client.request('textDocument/hover', { textDocument: { uri }, position }));
    hoverMs.push(t.wall);
    hoverCpuMs.push(t.cpu);
  }
  report('lsp-hover-p50', percentile(hoverMs, 50), 'ms');
  report('lsp-hover-p95', percentile(hoverMs, 95), 'ms');
  report('lsp-hover-cpu-p95', percentile(hoverCpuMs, 95), 'ms');

  // Completion at the end of lines of each kind (keywords, fields, names, errno after ->).
  const completionMs: number[] = [];
  const completionCpuMs: number[] = [];
  for (let i = 0; i < 400; i++) {
    const l = 9 + ((i * 104729) % (LINES - 10));
    const character = lines[l].includes('{') ? lines[l].indexOf('{') + 2 : lines[l].length;
    const t = await timedBoth(() => client.request('textDocument/completion', { textDocument: { uri }, position: { line: l, character } }));
    completionMs.push(t.wall);
    completionCpuMs.push(t.cpu);
  }
  report('lsp-completion-p50', percentile(completionMs, 50), 'ms');
  report('lsp-completion-p95', percentile(completionMs, 95), 'ms');
  report('lsp-completion-cpu-p95', percentile(completionCpuMs, 95), 'ms');
  await client.stop();
}

/** The harness (bench/run.ts) calls the default export; `run` is the same function under the contract's name. */
export const run = bench;
