// `npm start`: builds and packages IRQ Lab, installs the VSIX into a code-server kept in
// `.vscode-test/`, opens examples/ as the workspace on 127.0.0.1 and prints the URL.
// Stays in the foreground; Ctrl-C (or SIGTERM) stops code-server's whole process group.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, cacheDir, ensureAll, repoRoot } from '../test/e2e/setup.mjs';
import { freePort, installVsix, startCodeServer, stopGroup, workbenchUrl } from '../test/e2e/code-server.mjs';

function step(args) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step(['scripts/package.mjs']);
const paths = ensureAll({ browser: false });
const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const state = join(cacheDir, 'start');
const dirs = { home: join(state, 'home'), userDataDir: join(state, 'user-data'), extensionsDir: join(state, 'extensions') };
installVsix({ paths, vsix: join(repoRoot, `${name}-${version}.vsix`), ...dirs });

const workspace = join(repoRoot, 'examples');
if (!existsSync(workspace)) {
  console.error(`${workspace} is missing: npm start opens the examples as its workspace`);
  process.exit(1);
}
const requested = Number(process.env.PORT);
const port = Number.isInteger(requested) && requested > 0 ? requested : await freePort();
const server = await startCodeServer({ paths, port, ...dirs, logFile: join(state, 'code-server.log') });
const stop = () => {
  stopGroup(server.pgid);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
server.child.on('exit', (code) => {
  console.error(`code-server exited (${code}); log: ${join(state, 'code-server.log')}`);
  process.exit(1);
});
console.log(`\nIRQ Lab is running in VS Code (code-server ${CODE_SERVER_VERSION}, extension ${name}-${version}):\n`);
console.log(`  ${workbenchUrl({ url: server.url, port, folder: workspace })}\n`);
console.log('Open it in a browser on this machine (forward the port to reach it from elsewhere). Ctrl-C stops it.');
