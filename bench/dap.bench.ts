/**
 * Debug adapter latency as a user feels it: a step's round trip over stdio
 * (request → `stopped` event) through `irqlab dap`, a step back at the end
 * of a 100,000-step scenario, and the first page of Sources with 1,000,000
 * sources (scopes + the first chunk's variables).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { IrqDebugSession } from '../src/debug/session';
import { median, Report } from './run';

const ROOT = process.cwd();

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', join(ROOT, 'bin', 'irqlab-dap.js'), 'irq');
  dc.defaultTimeout = 120_000;
  await dc.start();
  return dc;
}

async function launch(dc: DebugClient, program: string, extra: Record<string, unknown>, breakLine?: number): Promise<void> {
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([
    dc.launch({ program, ...extra }),
    dc.waitForEvent('initialized').then(async () => {
      if (breakLine !== undefined) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: breakLine }] });
      await dc.configurationDoneRequest();
    }),
  ]);
  await stopped;
}

async function roundTrip(dc: DebugClient, send: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all([send(), dc.waitForEvent('stopped')]);
  return ms(t0);
}

/**
 * The adapter as VS Code runs it inline (DebugAdapterInlineImplementation):
 * messages in through handleMessage, out through onDidSendMessage, no stream.
 */
class InlineClient {
  private seq = 1;
  private readonly pending = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly eventWaiters = new Map<string, ((e: DebugProtocol.Event) => void)[]>();
  readonly session = new IrqDebugSession();

  constructor() {
    this.session.onDidSendMessage((m) => {
      const msg = m as DebugProtocol.ProtocolMessage;
      if (msg.type === 'response') {
        const r = msg as DebugProtocol.Response;
        this.pending.get(r.request_seq)?.(r);
        this.pending.delete(r.request_seq);
      } else if (msg.type === 'event') {
        const e = msg as DebugProtocol.Event;
        const list = this.eventWaiters.get(e.event) ?? [];
        this.eventWaiters.set(e.event, []);
        for (const w of list) w(e);
      }
    });
  }

  request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    const p = new Promise<DebugProtocol.Response>((r) => this.pending.set(seq, r));
    this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return p;
  }

  event(name: string): Promise<DebugProtocol.Event> {
    return new Promise((r) => this.eventWaiters.set(name, [...(this.eventWaiters.get(name) ?? []), r]));
  }
}

async function inlineSteps(program: string): Promise<number[]> {
  const c = new InlineClient();
  await c.request('initialize', { adapterID: 'irq' });
  const initialized = c.event('initialized');
  const stopped = c.event('stopped');
  const launched = c.request('launch', { program, stopOnEntry: true });
  await initialized;
  await c.request('configurationDone');
  await launched;
  await stopped;
  const times: number[] = [];
  for (let i = 0; i < 1050; i++) {
    const t0 = process.hrtime.bigint();
    const s = c.event('stopped');
    await c.request('next', { threadId: 1 });
    await s;
    if (i >= 50) times.push(ms(t0));
  }
  return times.sort((a, b) => a - b);
}

export default async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-dap-bench-'));

  // 1. Step round trip over stdio (1000 `next` requests after 50 to warm up).
  const loop = join(dir, 'loop.irq');
  writeFileSync(loop, 'scenario "steps"\ndevice xive\nvcpu 1 connect\nset source 0x1300 = 0x0\n' + 'line 0x1300 pulse\n'.repeat(1100));
  const dc = await client();
  await launch(dc, loop, { stopOnEntry: true });
  for (let i = 0; i < 50; i++) await roundTrip(dc, () => dc.nextRequest({ threadId: 1 })); // warm-up
  const steps: number[] = [];
  for (let i = 0; i < 1000; i++) steps.push(await roundTrip(dc, () => dc.nextRequest({ threadId: 1 })));
  steps.sort((a, b) => a - b);
  report('dap-step-roundtrip-p50', percentile(steps, 50), 'ms');
  report('dap-step-roundtrip-p95', percentile(steps, 95), 'ms');
  await dc.stop();
  // The same steps inline (how the extension can host the adapter), for the inline-or-executable choice.
  const inline = await inlineSteps(loop);
  report('dap-step-inline-p50', percentile(inline, 50), 'ms');
  report('dap-step-inline-p95', percentile(inline, 95), 'ms');

  // 2. Step back at the end of a 100,000-step scenario.
  const long = join(dir, 'long.irq');
  // Flat statements, so each step back is one statement (a step back over a `repeat` line goes back over the whole loop).
  writeFileSync(long, 'scenario "100k steps"\ndevice xive\nvcpu 1 connect\nset source 0x1300 = 0x0\n' + 'line 0x1300 pulse\n'.repeat(99_996) + 'log "end"\n');
  const back = await client();
  await launch(back, long, { stopOnEntry: false }, 100_001);
  const backs: number[] = [];
  for (let i = 0; i < 21; i++) backs.push(await roundTrip(back, () => back.stepBackRequest({ threadId: 1 })));
  backs.sort((a, b) => a - b);
  report('dap-step-back-100k-p50', percentile(backs, 50), 'ms');
  report('dap-step-back-100k-max', Math.max(...backs), 'ms');
  await back.stop();

  // 3. First page of Sources with 1,000,000 sources.
  const million = join(dir, 'million.irq');
  writeFileSync(million, 'scenario "1M sources"\ndevice xive\nrepeat 1000000 as i {\n  set source i = 0x0\n}\nlog "end"\n');
  const big = await client();
  await launch(big, million, { stopOnEntry: false, maxSteps: 3_000_000 }, 6);
  const firstPageOnce = async (): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const scopes = (await big.scopesRequest({ frameId: 0 })).body.scopes;
    const sources = scopes.find((s) => s.name === 'Sources')!;
    const chunks = (await big.variablesRequest({ variablesReference: sources.variablesReference, filter: 'indexed', start: 0, count: 100 })).body.variables;
    const page = (await big.variablesRequest({ variablesReference: chunks[0].variablesReference, filter: 'indexed', start: 0, count: 100 })).body.variables;
    if (page.length !== 100) throw new Error(`first page has ${page.length} sources`);
    return ms(t0);
  };
  // The first call also compiles the tree code; what a user waits for at each stop is the warm figure.
  report('dap-sources-first-page-1M-cold', await firstPageOnce(), 'ms');
  report('dap-sources-first-page-1M', await median(15, firstPageOnce), 'ms');
  const lastPage = await median(7, async () => {
    const t0 = process.hrtime.bigint();
    const scopes = (await big.scopesRequest({ frameId: 0 })).body.scopes;
    const sources = scopes.find((s) => s.name === 'Sources')!;
    const [chunk] = (await big.variablesRequest({ variablesReference: sources.variablesReference, filter: 'indexed', start: 999, count: 1 })).body.variables;
    await big.variablesRequest({ variablesReference: chunk.variablesReference, filter: 'indexed', start: 0, count: 1000 });
    return ms(t0);
  });
  report('dap-sources-last-chunk-1000-of-1M', lastPage, 'ms');
  await big.stop();
}
