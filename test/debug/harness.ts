/**
 * DAP test harness: a DebugClient against the real executable
 * (`node bin/irqlab-dap.js`, i.e. `irqlab dap`), or against the session served
 * in-process over a socket (same code, no spawn) for the heavy cases.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { IrqDebugSession } from '../../src/debug/session';
import { renderTree, RenderedVariable } from './golden';

export const ROOT = process.cwd();
export const FIXTURES = join(ROOT, 'test', 'debug', 'fixtures');
export const fixture = (name: string): string => join(FIXTURES, name);

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** bin/irqlab.js runs dist/cli.js: build it when it is missing or older than the sources. */
export function ensureBuilt(): void {
  const bundle = join(ROOT, 'dist', 'cli.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(ROOT, 'src'))) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export interface Client {
  readonly dc: DebugClient;
  close(): Promise<void>;
}

export async function stdioClient(): Promise<Client> {
  const dc = new DebugClient('node', join(ROOT, 'bin', 'irqlab-dap.js'), 'irq');
  dc.defaultTimeout = 20_000;
  await dc.start();
  return { dc, close: () => dc.stop() };
}

/**
 * The set-up every DAP suite shares: build the bundle before its tests, hand out
 * stdio clients, and close every client handed out (or tracked) after its tests.
 * Call once at the top level of a test file.
 */
export function dapClients(): { client(): Promise<Client>; track(c: Client): Client } {
  const clients: Client[] = [];
  before(() => ensureBuilt());
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
  });
  const track = (c: Client): Client => {
    clients.push(c);
    return c;
  };
  return { client: async () => track(await stdioClient()), track };
}

let server: Server | null = null;
let port = 0;

/** The session in this process behind a socket: one session per connection. */
export async function inProcessClient(): Promise<Client> {
  if (!server) {
    server = createServer((socket) => {
      const session = new IrqDebugSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    server.unref();
  }
  const dc = new DebugClient('node', '', 'irq');
  dc.defaultTimeout = 30_000;
  await dc.start(port);
  return { dc, close: () => dc.stop() };
}

export interface LaunchOptions {
  readonly stopOnEntry?: boolean;
  readonly maxSteps?: number;
  readonly hex?: boolean;
  readonly noDebug?: boolean;
  readonly breakpoints?: readonly DebugProtocol.SourceBreakpoint[];
  readonly functionBreakpoints?: readonly string[];
  readonly exceptionFilters?: readonly string[];
}

/** initialize → launch → (breakpoints, configurationDone) → the first stop. */
export async function launch(dc: DebugClient, program: string, o: LaunchOptions = {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const configured = dc.waitForEvent('initialized').then(async () => {
    if (o.breakpoints) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [...o.breakpoints] });
    if (o.functionBreakpoints) await dc.setFunctionBreakpointsRequest({ breakpoints: o.functionBreakpoints.map((name) => ({ name })) });
    if (o.exceptionFilters) await dc.setExceptionBreakpointsRequest({ filters: [...o.exceptionFilters] });
    await dc.configurationDoneRequest();
  });
  await Promise.all([
    dc.launch({ program, stopOnEntry: o.stopOnEntry ?? true, maxSteps: o.maxSteps, hex: o.hex, noDebug: o.noDebug }),
    configured,
  ]);
  return stopped;
}

type StepKind = 'next' | 'stepIn' | 'stepOut' | 'continue' | 'stepBack' | 'reverseContinue';

export async function step(dc: DebugClient, kind: StepKind): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const args = { threadId: 1 };
  switch (kind) {
    case 'next': await dc.nextRequest(args); break;
    case 'stepIn': await dc.stepInRequest(args); break;
    case 'stepOut': await dc.stepOutRequest(args); break;
    case 'continue': await dc.continueRequest(args); break;
    case 'stepBack': await dc.stepBackRequest(args); break;
    case 'reverseContinue': await dc.reverseContinueRequest(args); break;
  }
  return stopped;
}

export async function frames(dc: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

export async function topLine(dc: DebugClient): Promise<number> {
  return (await frames(dc))[0].line;
}

export async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context, frameId: 0 })).body.result;
}

export async function scopeRef(dc: DebugClient, name: string): Promise<number> {
  const scopes = (await dc.scopesRequest({ frameId: 0 })).body.scopes;
  const s = scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  return s.variablesReference;
}

export async function children(dc: DebugClient, ref: number, args: Partial<DebugProtocol.VariablesArguments> = {}): Promise<DebugProtocol.Variable[]> {
  return (await dc.variablesRequest({ variablesReference: ref, ...args })).body.variables;
}

export async function child(dc: DebugClient, ref: number, name: string | RegExp): Promise<DebugProtocol.Variable> {
  const list = await children(dc, ref);
  const v = list.find((x) => (typeof name === 'string' ? x.name === name : name.test(x.name)));
  assert.ok(v, `variable ${name} among ${list.map((x) => x.name).join(', ')}`);
  return v;
}

/** Every scope's whole tree as text (the golden format). */
export async function renderVariables(dc: DebugClient): Promise<string> {
  const scopes = (await dc.scopesRequest({ frameId: 0 })).body.scopes;
  const fetch = async (ref: number): Promise<RenderedVariable[]> => children(dc, ref);
  const parts: string[] = [];
  for (const s of scopes) parts.push(await renderTree(s.name, s.variablesReference, fetch));
  return parts.join('\n');
}

/** Collects output events from now on. */
export function collectOutput(dc: DebugClient): string[] {
  const out: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
  return out;
}
