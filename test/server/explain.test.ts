/** "Explain at this line" over a real JSON-RPC connection: the code action on a source or vCPU number, and the request it runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { EXPLAIN_AT_LINE_COMMAND, EXPLAIN_AT_LINE_REQUEST, ExplainAtLineParams, ExplainAtLineResult } from '../../src/protocol';
import { fixture, LspTestClient } from './harness';

const SCENARIO = fixture(`scenario "explain"
let uart = 0x1300
device xive
vcpu 0 connect
set eq_config server 0 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1 }
set source uart = 0
set source_config u$0art = { priority 6, server 0, eisn 0x1300 }
esb 0x1300 load 0xc00 -> 1
tima vcpu $20 store8 0x11 0xff
esb 0x1300 store 0x000
log "done"
`);

async function actionsAt(client: LspTestClient, uri: string, offset: number, only?: string[]): Promise<CodeAction[]> {
  const p = SCENARIO.positionAt(offset);
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri }, range: { start: p, end: p }, context: { diagnostics: [], ...(only ? { only } : {}) },
  });
}

test('a code action on a source number (a let name too) or a vCPU number offers to explain it at its line', async () => {
  const client = await LspTestClient.start();
  const uri = 'file:///explain.irq';
  await client.open(uri, SCENARIO.text);
  const onName = (await actionsAt(client, uri, SCENARIO.cursors[0])).filter((a) => a.command?.command === EXPLAIN_AT_LINE_COMMAND);
  assert.equal(onName.length, 1);
  assert.equal(onName[0].title, 'Explain source 0x1300 at this line');
  assert.equal(onName[0].kind, 'refactor.inspect.irq.explain');
  assert.deepEqual(onName[0].command?.arguments, [{ uri, line: 6, target: { kind: 'source', irq: 0x1300 } }]);
  const onVcpu = (await actionsAt(client, uri, SCENARIO.cursors[2])).filter((a) => a.command?.command === EXPLAIN_AT_LINE_COMMAND);
  assert.deepEqual(onVcpu.map((a) => a.title), ['Explain vCPU 0 at this line']);
  // Not on the offset or value; not when only quick fixes are asked for.
  const onOffset = await actionsAt(client, uri, SCENARIO.text.indexOf('0x11 0xff'));
  assert.equal(onOffset.filter((a) => a.command?.command === EXPLAIN_AT_LINE_COMMAND).length, 0);
  assert.deepEqual(await actionsAt(client, uri, SCENARIO.cursors[0], ['quickfix']), []);
  await client.stop();
});

test('irqlab/explainAtLine runs the scenario to the line and explains the route there', async () => {
  const client = await LspTestClient.start();
  const uri = 'file:///explain.irq';
  await client.open(uri, SCENARIO.text);
  const at = (line: number): Promise<ExplainAtLineResult> =>
    client.request<ExplainAtLineResult>(EXPLAIN_AT_LINE_REQUEST, { uri, line, target: { kind: 'source', irq: 0x1300 } } satisfies ExplainAtLineParams);
  const afterConfig = await at(6);
  assert.ok(afterConfig.ok);
  assert.equal(afterConfig.summary, 'blocked: PQ 01 (off)');
  assert.equal(afterConfig.step, 6);
  assert.match(afterConfig.text, /^after line 7 \(step 6\)\nsource 0x1300 \(xive\): blocked: PQ 01 \(off\)/);
  const afterCppr = await at(8);
  assert.ok(afterCppr.ok && afterCppr.summary === 'ready: next trigger reaches vCPU 0');
  const afterTrigger = await at(9);
  assert.ok(afterTrigger.ok && afterTrigger.summary === 'pending at vCPU 0');
  assert.equal(afterTrigger.ok && afterTrigger.explanation.kind, 'source');
  const entry = await client.request<ExplainAtLineResult>(EXPLAIN_AT_LINE_REQUEST, { uri, line: 10, target: { kind: 'entry', server: 0, priority: 6, index: 0 } });
  assert.ok(entry.ok);
  assert.match(entry.text, /written at step 9, file:\/\/\/explain\.irq:10: esb 0x1300 store 0x000 \(source 0x1300\)/);
  await client.stop();
});

test('irqlab/explainAtLine: errors are answers, not crashes', async () => {
  const client = await LspTestClient.start();
  const uri = 'file:///explain.irq';
  await client.open(uri, SCENARIO.text);
  const ask = (p: unknown): Promise<ExplainAtLineResult> => client.request<ExplainAtLineResult>(EXPLAIN_AT_LINE_REQUEST, p);
  assert.deepEqual(await ask({ uri: 'file:///closed.irq', line: 0, target: { kind: 'vcpu', vcpu: 0 } }), { ok: false, message: 'file:///closed.irq is not open' });
  assert.match((await ask({ uri, line: 99, target: { kind: 'vcpu', vcpu: 0 } }) as { message: string }).message, /line 100 is past the end/);
  assert.match((await ask({ uri, line: 1, target: { kind: 'source', irq: -1 } }) as { message: string }).message, /needs \{ uri, line/);
  assert.match((await ask(null) as { message: string }).message, /needs \{ uri, line/);
  await client.change(uri, 2, [{ text: 'device xive\nvcpu 0 conect\n' }]);
  assert.match((await ask({ uri, line: 1, target: { kind: 'vcpu', vcpu: 0 } }) as { message: string }).message, /the scenario has errors; fix them first \(line 2:/);
  await client.stop();
});

test('irqlab lsp --stdio answers irqlab/explainAtLine for a fixture on disk', async () => {
  const file = join(process.cwd(), 'test/dsl/fixtures/explain/xive-eq-not-configured.irq');
  const uri = pathToFileURL(file).toString();
  const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'irqlab.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'irq', version: 1, text: readFileSync(file, 'utf8') } });
  const r = await connection.sendRequest(EXPLAIN_AT_LINE_REQUEST, { uri, line: 10, target: { kind: 'source', irq: 0x1300 } }) as ExplainAtLineResult;
  assert.ok(r.ok);
  assert.equal(r.summary, 'blocked: EQ 0/6 not configured');
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  assert.equal(await exited, 0);
  connection.dispose();
});
