/**
 * The debugger on the 1.36M-line XIVE sample (../shared/traces, gzip read by
 * the adapter), over stdio against `irqlab dap` as a user's editor drives it:
 * launch → first stop, then step back, reverse continue to a breakpoint and
 * goto a line (each its p95 over many requests, spread over the whole trace),
 * and the adapter's peak memory (VmHWM). Beside them, the machine's floor: a
 * gunzip plus split of the same file in this process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { median, Report } from './run';

const ROOT = process.cwd();
const SAMPLE = join(ROOT, '..', '..', 'shared', 'traces', 'qemu-7.2-xive-4cpu-load', 'trace.log.gz');
const SAMPLE_FALLBACK = '/work/shared/traces/qemu-7.2-xive-4cpu-load/trace.log.gz';

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Peak resident memory of a process, from /proc (Linux); NaN elsewhere. */
function peakMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function roundTrip(dc: DebugClient, send: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all([send(), dc.waitForEvent('stopped')]);
  return ms(t0);
}

/** launch (stop on entry) → the first `stopped`, in ms; the client stays open. */
async function launchTimed(program: string): Promise<{ dc: DebugClient; ms: number }> {
  const dc = new DebugClient('node', join(ROOT, 'bin', 'irqlab-dap.js'), 'irq');
  dc.defaultTimeout = 120_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'irq', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const t0 = process.hrtime.bigint();
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([dc.launchRequest({ program, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest())]);
  await stopped;
  return { dc, ms: ms(t0) };
}

async function topLine(dc: DebugClient): Promise<number> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].line;
}

async function gotoLine(dc: DebugClient, program: string, line: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const targets = await dc.gotoTargetsRequest({ source: { path: program }, line });
  const stopped = dc.waitForEvent('stopped');
  await dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[0].id });
  await stopped;
  return ms(t0);
}

export default async function run(report: Report): Promise<void> {
  const program = existsSync(SAMPLE) ? SAMPLE : SAMPLE_FALLBACK;
  if (!existsSync(program)) {
    console.log(`dap-trace: skipped (${SAMPLE} is missing)`);
    return;
  }
  // The machine's floor: decompress and split the sample's lines.
  report('dap-trace-floor-gunzip-split-1.36M', await median(3, () => {
    const t0 = process.hrtime.bigint();
    const text = gunzipSync(readFileSync(program)).toString('latin1');
    let n = 0;
    for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) n++;
    if (n < 1_000_000) throw new Error(`only ${n} lines`);
    return ms(t0);
  }), 'ms');

  // 1. First stop: launch → `stopped` (entry), median of 3 fresh adapters.
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { dc, ms: t } = await launchTimed(program);
    firsts.push(t);
    await dc.stop();
  }
  firsts.sort((a, b) => a - b);
  report('dap-trace-first-stop-1.36M', firsts[1], 'ms');

  const { dc } = await launchTimed(program);
  const pid = (dc as unknown as { _adapterProcess?: { pid?: number } })._adapterProcess?.pid;
  const lines = 1_364_390;
  // 2. The worst goto: to the last line right after launch, before the background replay got there
  //    (it replays the whole trace once; every later request finds a checkpoint near it).
  report('dap-trace-goto-last-line-at-launch', await gotoLine(dc, program, lines), 'ms');
  // Then gotos to lines spread over the trace.
  const gotos: number[] = [];
  for (let i = 0; i < 60; i++) {
    // Golden-ratio strides: lines spread over the whole trace, in no order.
    const line = 1 + Math.floor(((i * 0.6180339887) % 1) * (lines - 10));
    gotos.push(await gotoLine(dc, program, line));
  }
  gotos.sort((a, b) => a - b);
  report('dap-trace-goto-any-line-p95', percentile(gotos, 95), 'ms');
  report('dap-trace-goto-any-line-p50', percentile(gotos, 50), 'ms');

  // 3. Step back, at places spread over the trace (each after a goto there).
  const backs: number[] = [];
  for (let i = 0; i < 40; i++) {
    await gotoLine(dc, program, 1000 + Math.floor((i / 40) * (lines - 2000)));
    for (let j = 0; j < 3; j++) backs.push(await roundTrip(dc, () => dc.stepBackRequest({ threadId: 1 })));
  }
  backs.sort((a, b) => a - b);
  report('dap-trace-step-back-p95', percentile(backs, 95), 'ms');
  report('dap-trace-step-back-p50', percentile(backs, 50), 'ms');

  // 4. Reverse continue to a breakpoint ~10,000 lines back, from places spread over the trace.
  const reverse: number[] = [];
  for (let i = 0; i < 30; i++) {
    const at = 20_000 + Math.floor((i / 30) * (lines - 40_000));
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: at - 10_000 }] });
    await gotoLine(dc, program, at);
    const t = await roundTrip(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    const line = await topLine(dc);
    if (line < at - 10_000 || line > at - 9_990) throw new Error(`reverse continue stopped at ${line}, not near ${at - 10_000}`);
    reverse.push(t);
  }
  reverse.sort((a, b) => a - b);
  report('dap-trace-reverse-continue-p95', percentile(reverse, 95), 'ms');
  report('dap-trace-adapter-peak-rss', peakMiB(pid), 'MiB');
  await dc.stop();
}

