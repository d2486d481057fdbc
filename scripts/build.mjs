// Bundles every entry point with esbuild. One build serves the extension, the CLI
// (which also hosts `irqlab lsp` and `irqlab dap`) and the end-to-end test suite.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};
const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/test/suite/index.js', external: ['vscode'] },
];
await Promise.all(
  entries
    .filter((e) => e.entryPoints.every((p) => existsSync(p)))
    .map((e) => build({ ...common, ...e })),
);
