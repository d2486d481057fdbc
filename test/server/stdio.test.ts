/**
 * The real `irqlab lsp --stdio` process (the bundled CLI) serves a client:
 * initialize, diagnostics, hover, shutdown and exit with code 0. The bundle
 * is (re)built first when it is missing or older than the server sources.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection, Hover, MarkupContent, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const root = process.cwd();
const bundle = path.join(root, 'dist', 'cli.js');
const cli = path.join(root, 'bin', 'irqlab.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

before(() => {
  const sources = Math.max(newestSource(path.join(root, 'src', 'server')), newestSource(path.join(root, 'src', 'dsl')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `node scripts/build.mjs failed:\n${build.stdout}\n${build.stderr}`);
});

test('irqlab lsp --stdio: initialize, diagnostics, hover, shutdown, exit 0', async () => {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => resolve(p)),
  );
  connection.listen();
  const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }) as {
    capabilities: { hoverProvider?: boolean }; serverInfo?: { name: string };
  };
  assert.equal(init.serverInfo?.name, 'irqlab-lsp');
  assert.equal(init.capabilities.hoverProvider, true);
  await connection.sendNotification('initialized', {});
  const uri = 'file:///stdio.irq';
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'irq', version: 1, text: 'device xive\nsett source_config 1 = 0x0000_2600_0000_000e\nset source_config 1 = 0x0000_2600_0000_000e\n' },
  });
  const published = await diagnostics;
  assert.equal(published.uri, uri);
  assert.ok(published.diagnostics.some((d) => d.code === 'unknown-keyword'), JSON.stringify(published.diagnostics));
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 30 } }) as Hover;
  assert.match((hover.contents as MarkupContent).value, /\| `\[63:33\]` \| eisn \| `0x00001300` \| 4864 \|/);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  assert.equal(await exited, 0, stderr);
  connection.dispose();
});

test('irqlab lsp without --stdio explains itself and exits 2', () => {
  const r = spawnSync(process.execPath, [cli, 'lsp'], { cwd: root, encoding: 'utf8', input: '' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing --stdio/);
  assert.equal(r.stdout, '');
});
