// `npm run package`: a minified production build, then `vsce package` into
// <name>-<version>.vsix. esbuild already inlines every dependency, so vsce runs with
// --no-dependencies and .vscodeignore whitelists the few files the VSIX needs.
// Prints the VSIX size and the size of each bundle it carries (target: under 1 MB).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `${name}-${version}.vsix`;

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(['scripts/build.mjs', '--production']);
run([
  'node_modules/@vscode/vsce/vsce',
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--skip-license',
  '--out',
  vsix,
]);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const size = statSync(join(root, vsix)).size;
console.log(`${vsix}: ${kib(size)}${size >= 1024 * 1024 ? ' (over the 1 MB target)' : ''}`);
for (const bundle of ['dist/extension.js', 'dist/cli.js', 'dist/scenario-worker.js', 'dist/trace-reader-worker.js']) {
  console.log(`  ${bundle}: ${kib(statSync(join(root, bundle)).size)}`);
}
