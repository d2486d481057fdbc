// Bundles every entry point with esbuild. One build serves the extension, the CLI
// (which also hosts `irqlab lsp` and `irqlab dap`) and the end-to-end test suite.
// Every entry is built even when another fails, so one layer mid-edit does not hide the
// rest; the script still exits non-zero if any entry failed.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import wabt from 'wabt';

async function assembleLineScanner(out) {
  const source = 'src/trace/wasm/line-scanner.wat';
  try {
    const wasm = (await wabt()).parseWat(source, readFileSync(source, 'utf8'));
    try {
      wasm.validate();
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, wasm.toBinary({}).buffer);
    } finally {
      wasm.destroy();
    }
  } catch (e) {
    console.error(`${source}: ${e instanceof Error ? e.message : e}`);
    throw e;
  }
  return out;
}

const production = process.argv.includes('--production');
// --outdir=DIR writes the bundles elsewhere (the benchmark measures a production build there).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Kept readable in stacks and in the activation profile even when minified.
  keepNames: true,
};
const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The reading half of a long `irqlab replay` / `import`, on a second core (src/cli/trace-records.ts).
  { entryPoints: ['src/cli/trace-reader-worker.ts'], outfile: 'dist/trace-reader-worker.js' },
  { entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Runs scenarios for the Test Explorer and Run Scenario off the extension host's thread.
  { entryPoints: ['src/extension/scenario-worker.ts'], outfile: 'dist/scenario-worker.js' },
  // The suite runs from the repository (never packaged): mocha is loaded from node_modules
  // rather than bundled, which sidesteps bundled mocha's dynamic requires.
  { entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/test/suite/index.js', external: ['vscode', 'mocha'] },
];
const results = await Promise.allSettled(
  entries.filter((e) => e.entryPoints.every((p) => existsSync(p))).map((e) => ({ ...e, outfile: e.outfile.replace(/^dist\//, `${outdir}/`) }))
    .map((e) => build({ ...common, ...e }).then(() => e.outfile)),
);
// The reader thread's compiled line scanner (src/trace/wasm/line-scanner.wat), assembled with wabt.
results.push(...await Promise.allSettled([assembleLineScanner(`${outdir}/line-scanner.wasm`)]));
const failed = results.filter((r) => r.status === 'rejected');
if (failed.length > 0) {
  console.error(`build: ${failed.length} of ${results.length} bundles failed (errors above)`);
  process.exit(1);
}
