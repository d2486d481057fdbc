/**
 * Debugging a QEMU trace through `irqlab dap` (stdio, DebugClient): the small XIVE
 * sample (a copy of ../shared/traces/qemu-7.2-xive-2cpu/trace.log) and copies of it
 * with one value changed, gzipped, or missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, collectOutput, dapClients, evaluate, fixture, frames, launch, scopeRef, step, topLine } from './harness';

const TRACE = fixture('trace/trace.log');
const TEXT = readFileSync(TRACE, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'irqlab-dap-trace-'));

/** 1-based line of the first ESB load in the sample (QEMU returned 0x1: PQ=01 after the source was configured). */
const FIRST_ESB_LOAD = TEXT.split('\n').findIndex((l) => /xive_source_esb_read .* val=0x1$/.test(l)) + 1;

/**
 * The first 1-based line at or after `n` that is a step of its own: not a line whose event only
 * explains the next one (presenter_notify, the PCI side of an MSI/LSI) or joins it (an accept
 * is checked with the TIMA load it happened in).
 */
function stepLine(n: number): number {
  const lines = TEXT.split('\n');
  for (let i = n - 1; i < lines.length; i++) if (!/xive_presenter_notify|xive_tctx_accept|spapr_pci_/.test(lines[i])) return i + 1;
  throw new Error(`no step at or after line ${n}`);
}

/** A copy of the sample with the value of that load changed to 0x3. */
function planted(): string {
  const lines = TEXT.split('\n');
  lines[FIRST_ESB_LOAD - 1] = lines[FIRST_ESB_LOAD - 1].replace(/val=0x1$/, 'val=0x3');
  const path = join(dir, 'planted.trace');
  writeFileSync(path, lines.join('\n'));
  return path;
}

const { client } = dapClients();

async function gotoLine(dc: Awaited<ReturnType<typeof client>>['dc'], path: string, line: number): Promise<DebugProtocol.StoppedEvent> {
  const targets = await dc.gotoTargetsRequest({ source: { path }, line });
  assert.equal(targets.body.targets[0].line, line);
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[0].id });
  return stopped;
}

test('a trace launches: stop on entry on its first event line, in the trace file, one thread', async () => {
  const { dc: first } = await client();
  const init = await first.initializeRequest({ adapterID: 'irq', pathFormat: 'path' });
  assert.ok(init.body?.exceptionBreakpointFilters?.some((f) => f.filter === 'trace-divergence' && f.label === 'Model disagrees with the trace' && f.default === true));
  const { dc } = await client();
  const stopped = await launch(dc, TRACE);
  assert.equal(stopped.body.reason, 'entry');
  const f = await frames(dc);
  assert.equal(f.length, 1);
  assert.equal(f[0].source?.path, TRACE);
  assert.equal(f[0].line, 1);
  assert.match(f[0].name, /^spapr_xive_claim_irq lisn=0x0 lsi=0 +\[tid 8791\]$/);
  assert.deepEqual((await dc.threadsRequest()).body.threads.map((t) => t.name), ['trace']);
});

test('step forwards through the trace; the Variables show the model; step back returns line by line', async () => {
  const { dc } = await client();
  await launch(dc, TRACE);
  for (let i = 0; i < FIRST_ESB_LOAD - 1; i++) await step(dc, 'next');
  assert.equal(await topLine(dc), FIRST_ESB_LOAD);
  await step(dc, 'next');
  assert.equal(await topLine(dc), FIRST_ESB_LOAD + 1);
  const sources = await children(dc, await scopeRef(dc, 'Sources'));
  assert.ok(sources.some((s) => s.name === '0x0'), `source 0x0 among ${sources.map((s) => s.name).join(', ')}`);
  const last = await children(dc, await scopeRef(dc, 'Last operation'));
  assert.ok(last.some((v) => /xive_source_esb_read/.test(v.value)), last.map((v) => `${v.name}=${v.value}`).join('; '));
  assert.equal(await evaluate(dc, 'source(0x0).priority'), '0x6');
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), FIRST_ESB_LOAD);
  await step(dc, 'stepBack');
  assert.equal(await topLine(dc), FIRST_ESB_LOAD - 1);
});

test('breakpoints on trace lines: continue stops there, reverse continue comes back to it', async () => {
  const { dc } = await client();
  const at = stepLine(40);
  await launch(dc, TRACE, { breakpoints: [{ line: at }] });
  const set = await dc.setBreakpointsRequest({ source: { path: TRACE }, breakpoints: [{ line: at }, { line: 999_999 }] });
  assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.line]), [[true, at], [false, 999_999]]);
  // A breakpoint on a line that is not a step of its own moves to the next one that is.
  const notify = TEXT.split('\n').findIndex((l) => /xive_presenter_notify/.test(l)) + 1;
  const moved = await dc.setBreakpointsRequest({ source: { path: TRACE }, breakpoints: [{ line: notify }] });
  assert.equal(moved.body.breakpoints[0].line, stepLine(notify));
  await dc.setBreakpointsRequest({ source: { path: TRACE }, breakpoints: [{ line: at }] });
  const s = await step(dc, 'continue');
  assert.equal(s.body.reason, 'breakpoint');
  assert.equal(await topLine(dc), at);
  await gotoLine(dc, TRACE, stepLine(300));
  assert.equal(await topLine(dc), stepLine(300));
  const r = await step(dc, 'reverseContinue');
  assert.equal(r.body.reason, 'breakpoint');
  assert.equal(await topLine(dc), at);
});

test('goto any line, forwards and backwards, lands on it with the state the run had there', async () => {
  const { dc } = await client();
  await launch(dc, TRACE);
  const far = stepLine(4000);
  await gotoLine(dc, TRACE, far);
  assert.equal(await topLine(dc), far);
  const atFar = await evaluate(dc, 'vp(0).cppr');
  await gotoLine(dc, TRACE, stepLine(25));
  assert.equal(await topLine(dc), stepLine(25));
  await gotoLine(dc, TRACE, far);
  assert.equal(await evaluate(dc, 'vp(0).cppr'), atFar);
  const last = stepLine(4660);
  await gotoLine(dc, TRACE, last);
  assert.equal(await topLine(dc), last);
});

test('a planted divergence stops behind "Model disagrees with the trace" with QEMU\'s value and the model\'s', async () => {
  const { dc } = await client();
  const path = planted();
  const out = collectOutput(dc);
  const s = await launch(dc, path, { stopOnEntry: false });
  assert.equal(s.body.reason, 'exception');
  assert.match(s.body.description ?? '', /Model disagrees with the trace/);
  assert.equal(await topLine(dc), FIRST_ESB_LOAD);
  assert.match((await frames(dc))[0].name, /^xive_source_esb_read .* val=0x3$/);
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'trace-divergence');
  assert.match(info.body.description ?? '', /QEMU: [^—]*0x3/);
  assert.match(info.body.description ?? '', /model: [^—]*0x1/);
  assert.ok(out.some((o) => /QEMU 0x3|0x3/.test(o)), out.join(''));
  // With the filter off the same trace runs to its end and says how many checks diverged.
  const { dc: quiet } = await client();
  const end = await launch(quiet, path, { stopOnEntry: false, exceptionFilters: ['expectation-failed'] });
  assert.equal(end.body.reason, 'end');
  assert.match(end.body.description ?? '', /Trace finished: \d+ checks agree, 1 diverge/);
});

test('the unchanged sample runs to its end with nothing diverging', async () => {
  const { dc } = await client();
  const end = await launch(dc, TRACE, { stopOnEntry: false });
  assert.equal(end.body.reason, 'end');
  assert.match(end.body.description ?? '', /Trace finished: [1-9]\d* checks agree, 0 diverge/);
});

test('a gzipped trace is read directly and shown as a read-only source by reference', async () => {
  const { dc } = await client();
  const gz = join(dir, 'trace.log.gz');
  writeFileSync(gz, gzipSync(TEXT));
  await launch(dc, gz);
  const [top] = await frames(dc);
  assert.equal(top.source?.path, gz);
  assert.ok((top.source?.sourceReference ?? 0) > 0);
  const src = await dc.sourceRequest({ source: top.source, sourceReference: top.source!.sourceReference! });
  assert.equal(src.body.content, TEXT);
  await step(dc, 'next');
  assert.equal(await topLine(dc), 2);
});

test('unusable traces are launch errors naming the file', async () => {
  const { dc } = await client();
  await assert.rejects(dc.launch({ program: join(dir, 'missing-trace.log') }), /missing-trace\.log/);
  const { dc: dc2 } = await client();
  const broken = join(dir, 'broken.log.gz');
  writeFileSync(broken, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  await assert.rejects(dc2.launch({ program: broken }), /broken\.log\.gz/);
  const { dc: dc3 } = await client();
  const garbage = join(dir, 'garbage.log');
  writeFileSync(garbage, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)));
  await assert.rejects(dc3.launch({ program: garbage }), /garbage\.log: no QEMU trace event/);
  const { dc: dc4 } = await client();
  const folder = join(dir, 'folder.log');
  mkdirSync(folder, { recursive: true });
  await assert.rejects(dc4.launch({ program: folder }), /folder\.log.*not a regular file/);
  const { dc: dc5 } = await client();
  await assert.rejects(dc5.launch({ program: '/dev/zero', traces: [TRACE] }), /\/dev\/zero.*not a regular file/);
});

test('console statements are refused in a trace session; expressions work', async () => {
  const { dc } = await client();
  await launch(dc, TRACE);
  await assert.rejects(dc.evaluateRequest({ expression: 'esb 0x0 load 0xc00', context: 'repl' }), /trace/);
  assert.equal(await evaluate(dc, '1 + 1'), '0x2');
  // explain works on the trace's history as on a scenario's.
  await gotoLine(dc, TRACE, stepLine(40));
  const explained = await dc.evaluateRequest({ expression: 'explain source 0x0', context: 'repl' });
  assert.match(explained.body.result, /./);
});

test('data breakpoints, function breakpoints and the interrupt map work on a trace', async () => {
  const { dc } = await client();
  await launch(dc, TRACE);
  // vCPU 0's presenter exists once the guest configured its first queue (line 14).
  await gotoLine(dc, TRACE, 20);
  const info = await dc.dataBreakpointInfoRequest({ name: 'vp(0).cppr' });
  assert.equal(info.body.dataId, 'vp(0).cppr');
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'vp(0).cppr' }] });
  const s = await step(dc, 'continue');
  assert.equal(s.body.reason, 'data breakpoint');
  assert.match(s.body.description ?? '', /^vp\(0\)\.cppr changed: /);
  const changedAt = await topLine(dc);
  await step(dc, 'continue');
  const next = await topLine(dc);
  assert.ok(next > changedAt);
  // Backwards: the last change before here is the one found first.
  const back = await step(dc, 'reverseContinue');
  assert.equal(back.body.reason, 'data breakpoint');
  assert.equal(await topLine(dc), changedAt);
  await dc.setDataBreakpointsRequest({ breakpoints: [] });
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'xive_tctx_notify' }] });
  const f = await step(dc, 'continue');
  assert.equal(f.body.reason, 'function breakpoint');
  assert.match((await frames(dc))[0].name, /^xive_tctx_notify /);
  const map = await dc.customRequest('irqlab/interruptMap', {});
  const body = map.body as { device: string; sources: { irq: number }[]; step: number };
  assert.equal(body.device, 'xive');
  assert.ok(body.sources.some((x) => x.irq === 0));
  assert.ok(body.step > 0);
});

test('per-thread logs of one run are merged in time order', async () => {
  // The sample split by thread, as QEMU writes `-D log-%d.txt` with one file per thread.
  const byThread = new Map<string, string[]>();
  for (const line of TEXT.split('\n')) {
    const tid = /^(\d+)@/.exec(line)?.[1];
    if (!tid) continue;
    byThread.set(tid, [...(byThread.get(tid) ?? []), line]);
  }
  const paths = [...byThread].map(([tid, lines]) => {
    const p = join(dir, `log-${tid}.txt`);
    writeFileSync(p, `${lines.join('\n')}\n`);
    return p;
  });
  assert.ok(paths.length >= 3);
  const { dc } = await client();
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.launch({ program: paths[0], traces: paths.slice(1), stopOnEntry: false }),
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
  ]);
  const end = await stopped;
  assert.equal(end.body.reason, 'end');
  const { dc: single } = await client();
  const whole = await launch(single, TRACE, { stopOnEntry: false });
  assert.equal(end.body.description, whole.body.description, 'the same checks as the single log, none diverging');
});
