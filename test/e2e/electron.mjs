// `npm run test:electron`: the same mocha suite in desktop VS Code (Electron), downloaded by
// @vscode/test-electron. Needs internet (these CI machines have none: they use run.mjs with
// code-server) and, on a headless Linux, a display (e.g. `xvfb-run -a npm run test:electron`).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './setup.mjs';

const suite = join(repoRoot, 'dist', 'test', 'suite', 'index.js');
if (!existsSync(suite)) {
  console.error(`${suite} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const runDir = mkdtempSync(join(tmpdir(), 'irqlab-electron-'));
const workspace = join(runDir, 'workspace');
cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(runDir, 'user-data')],
    extensionTestsEnv: { IRQLAB_E2E: '1', IRQLAB_E2E_WORKSPACE: workspace },
  });
  console.log('[e2e:electron] passed');
} catch (e) {
  console.error(`[e2e:electron] FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
