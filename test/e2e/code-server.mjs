// Starts and stops code-server (VS Code's server + workbench) the way ../shared/e2e/README.md
// verified: own HOME and data dirs, setsid so the whole process group can be stopped at once,
// ready when /healthz answers. Shared by the e2e runner and `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { node24Env } from './setup.mjs';

/** Asks the kernel for a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Installs a .vsix into `extensionsDir` offline; throws with code-server's output on failure. */
export function installVsix({ paths, vsix, extensionsDir, userDataDir, home }) {
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(
    paths.node,
    [paths.codeServerEntry, '--install-extension', vsix, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { env: node24Env(paths.nodeDir, { HOME: home }), encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  return r.stdout.trim();
}

/**
 * Starts code-server in its own process group. Returns { url, port, pgid, stop() }.
 * `logFile` receives the server's stdout/stderr (its noise about open-vsx and telemetry is harmless).
 */
/** User settings for a quiet, offline workbench: no chat side bar, no update or telemetry traffic. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
};

export async function startCodeServer({ paths, port, userDataDir, extensionsDir, home, logFile, smokeTestDriver = false, env = {} }) {
  for (const d of [userDataDir, extensionsDir, home]) mkdirSync(d, { recursive: true });
  const userSettings = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(userSettings)) {
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(userSettings, JSON.stringify(WORKBENCH_SETTINGS, null, 2) + '\n');
  }
  const args = [
    paths.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn('setsid', [paths.node, ...args], {
    env: node24Env(paths.nodeDir, { HOME: home, ...env }),
    stdio: ['ignore', out, out],
    detached: false,
  });
  // setsid execs in place (we are not a group leader), so the child's pid is the new group's id.
  const pgid = child.pid;
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () => stopGroup(pgid);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited before it was ready${logFile ? ` (see ${logFile})` : ''}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) return { url, port, pgid, stop, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`code-server did not answer /healthz within 60 s${logFile ? ` (see ${logFile})` : ''}`);
}

/** SIGTERM the whole group, then SIGKILL whatever is left a moment later. */
export function stopGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // group already gone
  }
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone between the check and the kill
  }
}

/** The URL that opens `folder` and, with the smoke-test driver on, runs the extension tests. */
export function workbenchUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const query = new URLSearchParams({ folder });
  if (extensionTestsPath) {
    const payload = [];
    if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
    payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    query.set('payload', JSON.stringify(payload));
  }
  return `${url}?${query.toString()}`;
}
