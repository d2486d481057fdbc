/**
 * The extension as shipped: a production build of dist/extension.js is loaded in a fresh
 * Node process with a stand-in `vscode` module (every API a no-op), and the time to
 * evaluate the bundle and to run activate() is measured — the two costs VS Code pays when
 * an .irq file opens. Also reported: bundle sizes, the .vsix size when one was packaged,
 * and activation measured inside a real VS Code by the last end-to-end run.
 * Targets (issue #6): activation ≤ 50 ms, bundle without test code ≤ 1 MB.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, Report } from './run';

const RUNS = 7;

// Runs in the child: hooks `require('vscode')`, loads the bundle, activates, prints timings.
const CHILD = String.raw`
const Module = require('module');
const { performance } = require('perf_hooks');
const handler = {
  get(_t, prop) {
    if (prop === 'then') return undefined; // never a thenable: awaiting a stand-in resolves at once
    if (prop === Symbol.iterator) return function* () {};
    if (prop === Symbol.toPrimitive) return () => '';
    if (prop === 'isTrusted') return true;
    return stub;
  },
  apply: () => stub,
  construct: () => stub,
};
const stub = new Proxy(function () {}, handler);
const uri = (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p });
// A plain object with every name @types/vscode exports (bundlers copy own properties).
const vscode = {};
for (const name of JSON.parse(process.env.IRQLAB_VSCODE_NAMES)) vscode[name] = stub;
vscode.version = '1.100.0'; // the language client checks it against its engine
vscode.Uri = { file: uri, joinPath: (base, ...parts) => uri([base.fsPath, ...parts].join('/')), parse: uri };
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const [bundle, extensionPath] = process.argv.slice(1);
const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
ext.activate({ extensionPath, extensionUri: uri(extensionPath), subscriptions: [] });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1 }));
process.exit(0);
`;

/** Top-level names of `declare module 'vscode'` (namespaces, classes, enums, functions, constants). */
function vscodeExportNames(dts: string): string[] {
  const text = readFileSync(dts, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/^\t?export (?:namespace|class|enum|function|const|let|var) (\w+)/gm)) names.add(m[1]);
  return [...names];
}

export default async function run(report: Report): Promise<void> {
  const root = process.cwd();
  const out = mkdtempSync(join(tmpdir(), 'irqlab-bench-ext-'));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', `--outdir=${out}`], { cwd: root, stdio: 'inherit' });
    const bundle = join(out, 'extension.js');
    // The extension path has no dist/cli.js: the language client's fork fails quietly after
    // activate() returned, instead of starting a server the benchmark would have to stop.
    const names = vscodeExportNames(join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'));
    const measure = (key: 'load' | 'activate') => () => {
      const json = execFileSync(process.execPath, ['-e', CHILD, bundle, out], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, IRQLAB_VSCODE_NAMES: JSON.stringify(names) },
      });
      return (JSON.parse(json) as Record<string, number>)[key];
    };
    report('extension bundle load (production, fresh process)', await median(RUNS, measure('load')), 'ms');
    report('extension activate()', await median(RUNS, measure('activate')), 'ms');
    report('extension bundle size (dist/extension.js, minified)', Math.round(statSync(bundle).size / 1024), 'KiB');
    report('cli bundle size (dist/cli.js: language server + debug adapter, minified)', Math.round(statSync(join(out, 'cli.js')).size / 1024), 'KiB');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(root, `${name}-${version}.vsix`);
  if (existsSync(vsix)) report(`vsix size (${name}-${version}.vsix, last npm run package)`, Math.round(statSync(vsix).size / 1024), 'KiB');
  const duration = join(root, 'test-artifacts', 'e2e-duration.txt');
  if (existsSync(duration)) report('end-to-end run, VSIX install to suite end (last e2e run)', Number(readFileSync(duration, 'utf8')), 's');
  const measured = join(root, 'test-artifacts', 'activation.json');
  if (existsSync(measured)) {
    const { activationMs, phases } = JSON.parse(readFileSync(measured, 'utf8')) as { activationMs: number; phases?: Record<string, number> };
    report('extension activate() inside VS Code (last e2e run)', activationMs, 'ms');
    for (const [phase, ms] of Object.entries(phases ?? {})) {
      // The client starts with the first .irq document: inside activate() when that opened it.
      report(phase === 'language client start' ? '  language client start (first .irq document)' : `  of which ${phase}`, ms, 'ms');
    }
  }
}
