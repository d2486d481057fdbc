/**
 * package.json's contributions against the code that implements them: commands,
 * activation events, settings, menus, debugger type, packaged files. Runs without VS Code.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS, DEBUG_TYPE, LANGUAGE_ID, TRACE_LANGUAGE_ID } from '../../src/extension/command-ids';
import { TRACE_DOCUMENT_SCHEME } from '../../src/extension/gzip-trace-text';
import { SETTINGS_SECTION, SETTING_DEFAULTS, SETTING_KEYS, readSettings } from '../../src/extension/settings';

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: unknown }; virtualWorkspaces?: unknown };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[] }> };
    debuggers?: { type: string; languages?: string[] }[];
    grammars?: { path: string }[];
    snippets?: { path: string }[];
    languages?: { id: string; configuration?: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[] }[];
    breakpoints?: { language: string }[];
  };
}

const root = process.cwd();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const extensionDir = join(root, 'src', 'extension');
const sources = new Map(readdirSync(extensionDir).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(extensionDir, f), 'utf8')]));
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('contributes.commands is exactly the command-ids list, each in the IRQ Lab category', () => {
  const contributed = manifest.contributes.commands;
  assert.deepEqual(sorted(contributed.map((c) => c.command)), sorted(COMMAND_IDS));
  for (const c of contributed) {
    assert.equal(c.category, 'IRQ Lab', `${c.command} category`);
    assert.ok(c.title.length > 0, `${c.command} has a title`);
  }
});

test('every command id has an implementation in the COMMANDS record, and registration goes through it', () => {
  const commands = sources.get('commands.ts') ?? '';
  const record = commands.slice(commands.indexOf('export const COMMANDS'));
  for (const id of COMMAND_IDS) assert.match(record, new RegExp(`'${id.replace('.', '\\.')}':`), `${id} in COMMANDS`);
  // The only registerCommand call is the loop over COMMAND_IDS in context.ts.
  const calls = [...sources].flatMap(([file, text]) => [...text.matchAll(/registerCommand\(([^,]+),/g)].map((m) => `${file}: ${m[1]}`));
  assert.deepEqual(calls, ['context.ts: id']);
  assert.match(sources.get('context.ts') ?? '', /for \(const id of COMMAND_IDS\)/);
});

test('commands the code invokes or offers (code lenses, executeCommand) exist', () => {
  const known = new Set<string>(COMMAND_IDS);
  for (const [file, text] of sources) {
    for (const m of text.matchAll(/(?:command: |executeCommand\()'(irqlab\.[A-Za-z]+)'/g)) {
      assert.ok(known.has(m[1]), `${file} refers to unknown command ${m[1]}`);
    }
  }
});

test('activation: the language, the debug type and every command; no star activation', () => {
  const events = new Set(manifest.activationEvents);
  for (const e of [`onLanguage:${LANGUAGE_ID}`, `onDebugResolve:${DEBUG_TYPE}`, `onDebugDynamicConfigurations:${DEBUG_TYPE}`]) {
    assert.ok(events.has(e), `missing activation event ${e}`);
  }
  assert.ok(!events.has('*') && !events.has('onStartupFinished'), 'IRQ Lab must not activate at startup');
  const onCommand = manifest.activationEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
  assert.deepEqual(sorted(onCommand), sorted(COMMAND_IDS));
});

test('configuration properties are exactly the typed settings, with the same defaults', () => {
  const props = manifest.contributes.configuration.properties;
  const expected = Object.values(SETTING_KEYS).map((k) => `${SETTINGS_SECTION}.${k}`);
  assert.deepEqual(sorted(Object.keys(props)), sorted(expected));
  for (const [field, key] of Object.entries(SETTING_KEYS) as [keyof typeof SETTING_KEYS, string][]) {
    const prop = props[`${SETTINGS_SECTION}.${key}`];
    assert.deepEqual(prop.default, SETTING_DEFAULTS[field], `default of ${key}`);
    // Every enum value the manifest offers is one the settings reader accepts.
    for (const value of prop.enum ?? []) {
      assert.equal(readSettings((k) => (k === key ? value : undefined))[field], value, `${key}=${value} is accepted`);
    }
  }
});

test('the settings reader falls back to defaults on wrong types and ranges', () => {
  const wrong: Record<string, unknown> = { maxSteps: 0, 'hover.bitNumbering': 'msb1', 'trace.server': true };
  assert.deepEqual(readSettings((k) => wrong[k]), SETTING_DEFAULTS);
  const right: Record<string, unknown> = { maxSteps: 5, 'hover.bitNumbering': 'msb0', 'trace.server': 'verbose' };
  assert.deepEqual(readSettings((k) => right[k]), { maxSteps: 5, hoverBitNumbering: 'msb0', traceServer: 'verbose' });
});

test('menus refer only to contributed commands', () => {
  const known = new Set<string>(COMMAND_IDS);
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(known.has(item.command), `menu ${menu} refers to unknown command ${item.command}`);
  }
});

test('the debugger contribution is for the type and language the extension registers', () => {
  const debuggers = manifest.contributes.debuggers ?? [];
  assert.equal(debuggers.length, 1, 'one debugger contribution');
  assert.equal(debuggers[0].type, DEBUG_TYPE);
  assert.ok(debuggers[0].languages?.includes(LANGUAGE_ID));
});

test('QEMU trace logs: a language the debugger accepts, with breakpoints and activation, that does not claim every .log file', () => {
  const trace = (manifest.contributes.languages ?? []).find((l) => l.id === TRACE_LANGUAGE_ID);
  assert.ok(trace, `language ${TRACE_LANGUAGE_ID} contributed`);
  assert.ok(!(trace.extensions ?? []).includes('.log') && !(trace.extensions ?? []).includes('.txt'), 'no blanket .log / .txt association');
  assert.ok((trace.filenames ?? []).includes('trace.log'));
  assert.ok((trace.filenamePatterns ?? []).every((p) => p !== '*.log' && p !== '*.txt'));
  assert.ok(manifest.contributes.debuggers?.[0].languages?.includes(TRACE_LANGUAGE_ID), 'the irq debugger accepts traces');
  assert.ok((manifest.contributes.breakpoints ?? []).some((b) => b.language === TRACE_LANGUAGE_ID), 'breakpoints in traces');
  assert.ok(manifest.activationEvents.includes(`onLanguage:${TRACE_LANGUAGE_ID}`));
  assert.match(sources.get('debug.ts') ?? '', /TRACE_LANGUAGE_ID/, 'F5 without launch.json accepts a trace');
});

test('capabilities are declared (restricted mode is limited: no running or debugging)', () => {
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
  assert.ok(manifest.capabilities?.virtualWorkspaces !== undefined);
  for (const file of ['commands.ts', 'debug.ts', 'code-lens.ts']) assert.match(sources.get(file) ?? '', /isTrusted/, `${file} checks workspace trust`);
});

test('.vscodeignore keeps every file the manifest points at', () => {
  const keep = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).trim());
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*\*/g, '§').replace(/\*/g, '[^/]*').replace(/§/g, '.*')}$`);
  const kept = (path: string) => keep.some((p) => glob(p).test(path.replace(/^\.\//, '')));
  const needed = [
    manifest.main,
    'dist/cli.js', // the language server the client starts
    'dist/scenario-worker.js', // runs scenarios for the Test Explorer and Run Scenario
    'dist/trace-reader-worker.js', // the CLI's reader thread for long traces (dist/cli.js ships in the VSIX)
    'media/interrupt-map.js',
    'media/interrupt-map.css',
    ...(manifest.contributes.grammars ?? []).map((g) => g.path),
    ...(manifest.contributes.snippets ?? []).map((s) => s.path),
    ...(manifest.contributes.languages ?? []).flatMap((l) => (l.configuration ? [l.configuration] : [])),
  ];
  for (const path of needed) assert.ok(kept(path), `${path} would be left out of the VSIX`);
  assert.ok(!kept('dist/test/suite/index.js') && !kept('src/extension/main.ts') && !kept('node_modules/vscode-languageclient/package.json'));
});

test('gzipped traces: each plain trace name has its .gz twin in the trace language, and the decompressed-document scheme activates the extension', () => {
  const trace = (manifest.contributes.languages ?? []).find((l) => l.id === TRACE_LANGUAGE_ID);
  const names = [...(trace?.filenames ?? []), ...(trace?.filenamePatterns ?? []).filter((p) => !p.endsWith('.gz'))];
  const plain = [...names, ...(trace?.extensions ?? []).map((e) => `*${e}`)];
  for (const p of plain) assert.ok(trace?.filenamePatterns?.includes(`${p}.gz`), `${p}.gz is a qemu-trace pattern`);
  assert.ok(manifest.activationEvents.includes(`onFileSystem:${TRACE_DOCUMENT_SCHEME}`), 'a restored decompressed document activates the extension');
  assert.match(sources.get('context.ts') ?? '', /registerTraceDocuments\(\)/, 'the content provider is registered on activation');
});
