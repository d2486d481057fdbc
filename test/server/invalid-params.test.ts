/**
 * Over a real `irqlab lsp --stdio` connection: requests whose params are
 * null, not an object, or miss a part the handler reads are answered with
 * -32602 Invalid params and a sentence (never -32603 quoting JavaScript),
 * and the server keeps serving.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../debug/harness';

const root = process.cwd();
const cli = path.join(root, 'bin', 'irqlab.js');
const INVALID_PARAMS = -32602;

before(() => ensureBuilt());

interface Published {
  uri: string;
  diagnostics: { code?: string; message: string; range: { start: { line: number; character: number } } }[];
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

/** Raw JSON-RPC over the child's stdio: a typed client would refuse to send `params: null`. */
class RawLsp {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  private pending = Buffer.alloc(0);
  private readonly responses = new Map<number, RpcResponse>();
  private waiters: (() => void)[] = [];
  private nextId = 1;
  readonly published: Published[] = [];

  constructor() {
    this.child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: root });
    this.child.stdout.on('data', (d: Buffer) => this.read(d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => {
      resolve(code);
      this.wake();
    }));
  }

  private read(d: Buffer): void {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      const head = /^Content-Length: (\d+)\r\n\r\n/.exec(this.pending.toString('latin1', 0, 64));
      if (!head) break;
      const start = head[0].length;
      const n = Number(head[1]);
      if (this.pending.length < start + n) break;
      const m = JSON.parse(this.pending.toString('utf8', start, start + n)) as RpcResponse & { method?: string };
      if (m.method === undefined && typeof m.id === 'number') this.responses.set(m.id, m);
      if (m.method === 'textDocument/publishDiagnostics') this.published.push((m as unknown as { params: Published }).params);
      this.pending = this.pending.subarray(start + n);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private write(message: Record<string, unknown>): void {
    const json = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  async request(method: string, params: unknown): Promise<RpcResponse> {
    const id = this.nextId++;
    this.write({ id, method, params });
    for (;;) {
      const r = this.responses.get(id);
      if (r) return r;
      if (this.child.exitCode !== null) throw new Error(`server exited before answering ${method}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async diagnostics(uri: string): Promise<Published> {
    for (;;) {
      const p = this.published.find((d) => d.uri === uri);
      if (p) return p;
      if (this.child.exitCode !== null) throw new Error(`server exited before publishing for ${uri}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async expectInvalid(method: string, params: unknown, pattern: RegExp): Promise<void> {
    const r = await this.request(method, params);
    assert.ok(r.error, `${method} ${JSON.stringify(params)} answered ${JSON.stringify(r.result)}`);
    assert.equal(r.error.code, INVALID_PARAMS, r.error.message);
    assert.match(r.error.message, pattern);
    assert.doesNotMatch(r.error.message, /Cannot read properties|TypeError|undefined/);
  }
}

test('null or non-object params get -32602 Invalid params with a sentence; the server keeps serving', { timeout: 60_000 }, async () => {
  const lsp = new RawLsp();
  try {
    await lsp.expectInvalid('initialize', null, /^initialize needs an object as params, not null\.$/);
    await lsp.expectInvalid('initialize', 5, /not a number/);
    await lsp.expectInvalid('initialize', undefined, /^initialize needs params, an object; none were given\.$/);
    const init = await lsp.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok(init.result, JSON.stringify(init.error));
    lsp.notify('initialized', {});
    const uri = 'file:///params.irq';
    lsp.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'irq', version: 1, text: 'device xive\nset source_config 1 = 0x0000_2600_0000_000e\n' },
    });

    await lsp.expectInvalid('textDocument/hover', null, /^textDocument\/hover needs an object as params, not null\.$/);
    await lsp.expectInvalid('textDocument/hover', 'x', /not a string/);
    await lsp.expectInvalid('textDocument/hover', undefined, /none were given/);
    await lsp.expectInvalid('textDocument/hover', [1], /not an array/);
    await lsp.expectInvalid('textDocument/hover', { textDocument: null }, /needs params\.textDocument\.uri, a string/);
    await lsp.expectInvalid('textDocument/hover', { textDocument: { uri } }, /needs params\.position as \{ line, character \}/);
    await lsp.expectInvalid('textDocument/hover', { textDocument: { uri }, position: { line: 'one', character: 0 } }, /params\.position/);
    await lsp.expectInvalid('textDocument/completion', null, /textDocument\/completion needs an object/);
    await lsp.expectInvalid('textDocument/definition', 42, /not a number/);
    await lsp.expectInvalid('textDocument/references', { textDocument: { uri }, position: { line: 0, character: 0 } }, /needs params\.context/);
    await lsp.expectInvalid('textDocument/rename', { textDocument: { uri }, position: { line: 0, character: 0 } }, /needs params\.newName/);
    await lsp.expectInvalid('textDocument/codeAction', { textDocument: { uri } }, /needs params\.range/);
    await lsp.expectInvalid('textDocument/inlayHint', { textDocument: { uri }, range: null }, /needs params\.range/);
    await lsp.expectInvalid('textDocument/documentSymbol', null, /documentSymbol needs an object/);
    await lsp.expectInvalid('textDocument/formatting', null, /formatting needs an object/);
    await lsp.expectInvalid('textDocument/semanticTokens/full', null, /semanticTokens\/full needs an object/);

    // Still serving, exactly.
    const hover = await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
    assert.match(JSON.stringify(hover.result), /eisn/);
    await lsp.request('shutdown', null);
    lsp.notify('exit', null);
    assert.equal(await lsp.exited, 0);
  } finally {
    if (lsp.child.exitCode === null) lsp.child.kill('SIGKILL');
  }
});

test('an include of /dev/zero or of a FIFO with no writer is reported at once, not waited for', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'irqlab-lsp-include-'));
  execFileSync('mkfifo', [path.join(dir, 'nobody.irq')]);
  const lsp = new RawLsp();
  try {
    await lsp.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    lsp.notify('initialized', {});
    const uri = pathToFileURL(path.join(dir, 'main.irq')).href;
    lsp.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'irq', version: 1, text: 'device xive\ninclude "/dev/zero"\ninclude "nobody.irq"\nvcpu 1 connect\n' },
    });
    const published = await lsp.diagnostics(uri);
    const missing = published.diagnostics.filter((d) => d.code === 'include-missing');
    assert.deepEqual(missing.map((d) => d.range.start.line), [1], JSON.stringify(published.diagnostics));
    assert.match(missing[0].message, /cannot read included file '\/dev\/zero'/);
    await lsp.request('shutdown', null);
    lsp.notify('exit', null);
    assert.equal(await lsp.exited, 0);
  } finally {
    if (lsp.child.exitCode === null) lsp.child.kill('SIGKILL');
  }
});
