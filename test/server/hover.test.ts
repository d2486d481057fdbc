/** Hover and inlay hints over a real JSON-RPC connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import { fixture, LspTestClient } from './harness';

const XIVE = `scenario "hover"
let uart = 0x1300
device xive
vcpu 1 connect
set source $3uart = 0x0
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }
set source_config uart = 0x0000_0$026_0000_000e -> E$5BUSY
set source_config uart = { priority 6, server 1, e$1isn 0x1300 }
set source_config uart = 0x0000_2600_0000_000$2f -> EINVAL
eq server 1 priority 6 -> [0x8000_$41300]
hcall vcpu 1 H_INT_SET_S$6OURCE_CONFIG flags 0x2, lisn uart, target 1, priority 6, eisn 0x1300 -> H_SUCCESS
s$7ync source uart
`;
const XICS = `scenario "xics"
device xics
vcpu 0 connect server 0
set source 0x1000 = 0x0000_0005_0000_0000
get icp vcpu 0 -> 0xff00_1000_ff$005_0000
rtas ibm,int-o$1ff 0x1000
`;

async function hoverText(client: LspTestClient, uri: string, position: { line: number; character: number }): Promise<string> {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

test('hover decodes a word by its context, with the field table and numbering', async () => {
  const client = await LspTestClient.start();
  const f = fixture(XIVE);
  await client.open('file:///hover.irq', f.text);
  const md = await hoverText(client, 'file:///hover.irq', f.position(0));
  assert.match(md, /`xive-source-config` — `0x000000260000000e`/);
  assert.match(md, /bits \(LSB-0, as in the KVM uapi\)/);
  assert.ok(md.includes('| `[2:0]` | priority | `0x6` | 6 |'), md);
  assert.ok(md.includes('| `[31:3]` | server | `0x00000001` | 1 |'), md);
  assert.ok(md.includes('| `[63:33]` | eisn | `0x00000013` | 19 |'), md);

  // A field name inside a block: the field, then the block's word.
  const fieldMd = await hoverText(client, 'file:///hover.irq', f.position(1));
  assert.match(fieldMd, /\*\*eisn\*\* `\[63:33\]` of `xive-source-config`/);
  assert.ok(fieldMd.includes('| `[63:33]` | eisn | `0x00001300` | 4864 |'), fieldMd);

  // Priority 7 is flagged as a kernel rejection.
  const rejected = await hoverText(client, 'file:///hover.irq', f.position(2));
  assert.match(rejected, /kernel rejects this word \(-EINVAL\)\*\*: priority 7/);

  // Queue entries decode as 32-bit xive-eq-entry words.
  const entry = await hoverText(client, 'file:///hover.irq', f.position(4));
  assert.match(entry, /`xive-eq-entry` — `0x80001300`/);
  assert.ok(entry.includes('| `[31]` | generation | `0x1` | 1 |'), entry);
  await client.stop();
});

test('hover explains let names, errno names, hcalls, keywords and RTAS calls', async () => {
  const client = await LspTestClient.start();
  const f = fixture(XIVE);
  await client.open('file:///names.irq', f.text);
  assert.match(await hoverText(client, 'file:///names.irq', f.position(3)), /\*\*let uart\*\* = `0x1300` \(4864\)/);
  const errno = await hoverText(client, 'file:///names.irq', f.position(5));
  assert.match(errno, /\*\*EBUSY\*\* \(-16\)/);
  assert.match(errno, /no event queue/);
  const hcall = await hoverText(client, 'file:///names.irq', f.position(6));
  assert.match(hcall, /H_INT_SET_SOURCE_CONFIG\*\* — hcall 0x3ac/);
  assert.match(hcall, /Arguments: flags, lisn, target, priority, eisn/);
  const kw = await hoverText(client, 'file:///names.irq', f.position(7));
  assert.match(kw, /\*\*sync\*\* — statement/);
  assert.match(kw, /SOURCE_SYNC/);
  assert.match(kw, /Spec §3\.7/);

  const x = fixture(XICS);
  await client.open('file:///xics.irq', x.text);
  const icp = await hoverText(client, 'file:///xics.irq', x.position(0));
  assert.match(icp, /`xics-icp` — `0xff001000ff050000`/);
  assert.ok(icp.includes('| `[63:56]` | cppr | `0xff` | 255 |'), icp);
  assert.ok(icp.includes('| `[23:16]` | ppri | `0x05` | 5 |'), icp);
  assert.match(await hoverText(client, 'file:///xics.irq', x.position(1)), /\*\*ibm,int-off\*\* — RTAS call/);
  // A number outside a word context shows its value.
  assert.equal(await hoverText(client, 'file:///xics.irq', { line: 5, character: 20 }), '`0x1000` = `0x1000` = 4096');
  await client.stop();
});

test('hover numbering follows irqlab.hover.bitNumbering (workspace/configuration and initializationOptions)', async () => {
  const f = fixture(XIVE);
  const viaConfig = await LspTestClient.start({ configuration: { irqlab: { hover: { bitNumbering: 'msb0' } } } });
  await viaConfig.open('file:///msb.irq', f.text);
  // The configuration is pulled after `initialized`; the diagnostics of a later version prove the pull was answered.
  await viaConfig.change('file:///msb.irq', 2, [{ text: f.text }]);
  const md = await hoverText(viaConfig, 'file:///msb.irq', f.position(0));
  assert.match(md, /bits \(IBM MSB-0\)/);
  assert.ok(md.includes('| `[61:63]` | priority | `0x6` | 6 |'), md);
  await viaConfig.stop();

  const viaInit = await LspTestClient.start({ initializationOptions: { bitNumbering: 'msb0' } });
  await viaInit.open('file:///msb.irq', f.text);
  assert.match(await hoverText(viaInit, 'file:///msb.irq', f.position(0)), /\| `\[0:30\]` \| eisn \|/);
  await viaInit.stop();
});

test('inlay hints summarise raw words after them', async () => {
  const client = await LspTestClient.start();
  const f = fixture(XIVE + XICS.replace(/\$\d/g, ''));
  await client.open('file:///hints.irq', f.text);
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
    textDocument: { uri: 'file:///hints.irq' },
    range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
  });
  const labels = hints.map((h) => `${h.position.line}:${h.label}`);
  assert.ok(labels.includes('6:prio=6 server=1 eisn=0x13'), labels.join('\n'));
  assert.ok(labels.includes('8:prio=7 server=1 eisn=0x1300'), labels.join('\n'));
  assert.ok(labels.includes('9:gen=1 eisn=0x1300'), labels.join('\n'));
  assert.ok(labels.includes('15:server=0 prio=0x05'), labels.join('\n'));
  assert.ok(labels.includes('16:cppr=0xff xisr=0x1000 mfrr=0xff ppri=0x05'), labels.join('\n'));
  // The hint sits right after the word.
  const first = hints.find((h) => h.position.line === 6)!;
  assert.equal(first.position.character, f.text.split('\n')[6].indexOf(' -> EBUSY'));
  // Only the requested range is hinted.
  const one = await client.request<InlayHint[]>('textDocument/inlayHint', {
    textDocument: { uri: 'file:///hints.irq' },
    range: { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } },
  });
  assert.deepEqual(one.map((h) => h.label), ['gen=1 eisn=0x1300']);
  await client.stop();
});
