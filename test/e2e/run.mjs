// End-to-end runner: the mocha suite (dist/test/suite/index.js) inside a real VS Code.
//
//   1. installs and caches Node 24, code-server and Chromium (setup.mjs, `.vscode-test/`);
//   2. installs the packaged extension (irqlab-<version>.vsix) into a fresh extensions dir;
//   3. starts code-server (own process group) with the smoke-test driver and opens a copy of
//      examples/ in headless Chromium with a payload that runs the suite, using the *installed*
//      extension's folder as the development path — so the files that run are the VSIX's;
//   4. prints the suite's output (codeAutomationLog), takes the screenshots the suite asks for,
//      stops everything and exits with the suite's result. A hard timeout bounds the whole run.
//
// Screenshot protocol: the suite logs `[irqlab-e2e] screenshot NAME [expand=SCOPE,...]` and waits for
// `$IRQLAB_E2E_ARTIFACTS/NAME.done`, which this runner writes once NAME.png is saved.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAll, repoRoot } from './setup.mjs';
import { freePort, installVsix, startCodeServer, stopGroup, workbenchUrl } from './code-server.mjs';

const RUN_TIMEOUT_MS = Number(process.env.IRQLAB_E2E_TIMEOUT_MS ?? 6 * 60_000);
// `expand=A,B` first expands those scopes of the Variables view (as a user clicks them open).
const SCREENSHOT_MARKER = /\[irqlab-e2e\] screenshot ([a-z0-9-]+)(?: expand=([^\n]+))?/;
// `map-key LABEL` focuses the interrupt map's node whose accessible name starts with LABEL and
// presses Enter on it, as a keyboard user would; the suite then waits for map-key.done.
const MAP_KEY_MARKER = /\[irqlab-e2e\] map-key ([^\n]+)/;
// Workbench chatter that has nothing to do with the suite (no GitHub sign-in offline).
const NOISE = /^\[AgentHost\] No signed-in session/;
const artifacts = join(repoRoot, 'test-artifacts');
const keep = process.argv.includes('--keep');

function say(message) {
  process.stdout.write(`[e2e] ${message}\n`);
}

function requireFile(path, hint) {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
  return path;
}

function packagedVsix() {
  const { name, version, publisher } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const vsix = requireFile(join(repoRoot, `${name}-${version}.vsix`), 'run `npm run package` first');
  const bundle = requireFile(join(repoRoot, 'dist', 'extension.js'), 'run `npm run build` first');
  if (statSync(vsix).mtimeMs < statSync(bundle).mtimeMs) {
    throw new Error(`${vsix} is older than dist/extension.js: run \`npm run package\` again`);
  }
  // code-server installs an extension into `<publisher>.<name>-<version>/`.
  return { vsix, id: `${publisher}.${name}-${version}` };
}

async function main() {
  // The one-time install (minutes, cold) is not part of the run's time budget.
  const paths = ensureAll();
  const started = Date.now();
  const suite = requireFile(join(repoRoot, 'dist', 'test', 'suite', 'index.js'), 'run `npm run build` first');
  const { vsix, id } = packagedVsix();
  // IRQLAB_E2E_EXAMPLES points the run at another folder of scenarios (development only).
  const examples = requireFile(process.env.IRQLAB_E2E_EXAMPLES ?? join(repoRoot, 'examples'), 'the suite opens a copy of examples/');

  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'irqlab-e2e-'));
  const workspace = join(runDir, 'workspace');
  cpSync(examples, workspace, { recursive: true });
  const dirs = {
    home: join(runDir, 'home'),
    userDataDir: join(runDir, 'user-data'),
    extensionsDir: join(runDir, 'extensions'),
  };

  say(`installing ${vsix.slice(repoRoot.length + 1)} into a fresh extensions dir`);
  installVsix({ paths, vsix, ...dirs });
  const installed = readdirSync(dirs.extensionsDir).find((d) => d.toLowerCase() === id.toLowerCase());
  if (!installed) throw new Error(`the VSIX did not install as ${id} (found: ${readdirSync(dirs.extensionsDir).join(', ')})`);
  const extensionPath = join(dirs.extensionsDir, installed);

  const port = await freePort();
  const server = await startCodeServer({
    paths,
    port,
    ...dirs,
    logFile: join(artifacts, 'code-server.log'),
    smokeTestDriver: true,
    // The extension host inherits these: the suite learns where it runs and where artifacts go.
    env: {
      IRQLAB_E2E: '1',
      IRQLAB_E2E_ARTIFACTS: artifacts,
      IRQLAB_E2E_WORKSPACE: workspace,
      IRQLAB_E2E_EXTENSION_PATH: extensionPath,
      IRQLAB_E2E_SCREENSHOTS: '1',
    },
  });
  say(`code-server ${server.url} (process group ${server.pgid}), workspace ${workspace}`);

  let browser;
  let timer;
  const cleanup = async () => {
    clearTimeout(timer);
    if (browser) await browser.close().catch(() => {});
    stopGroup(server.pgid);
    if (!keep) rmSync(runDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stopGroup(server.pgid);
      process.exit(130);
    });
  }

  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(join(runDir, 'chromium-profile'), {
      executablePath: paths.chromium,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    let screenshots = Promise.resolve();
    const hostLog = join(artifacts, 'extension-host.log');
    const result = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = String(message);
      const line = text.endsWith('\n') ? text : `${text}\n`;
      appendFileSync(hostLog, `[${level}] ${line}`);
      if (!NOISE.test(text)) process.stdout.write(line);
      const key = MAP_KEY_MARKER.exec(text);
      if (key) {
        const label = key[1].trim();
        screenshots = screenshots.then(async () => {
          // The webview is two iframes deep: the host frame, then the page's active frame.
          const map = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
          const node = map.getByRole('button', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
          await node.focus({ timeout: 10_000 });
          await node.press('Enter');
          writeFileSync(join(artifacts, 'map-key.done'), '');
          say(`pressed Enter on the map node '${label}'`);
        }).catch((e) => say(`map-key ${label} failed: ${e.message}`));
      }
      const m = SCREENSHOT_MARKER.exec(text);
      if (m) {
        const name = m[1];
        const scopes = m[2] ? m[2].split(',').map((x) => x.trim()) : [];
        screenshots = screenshots.then(async () => {
          for (const scope of scopes) {
            const row = page.getByRole('treeitem', { name: `Scope ${scope}`, exact: true });
            if ((await row.getAttribute('aria-expanded', { timeout: 5000 })) === 'false') await row.click();
          }
          // The workbench paints asynchronously; give the hover/view/webview a moment to render.
          await page.waitForTimeout(scopes.length > 0 ? 1000 : 600);
          await page.screenshot({ path: join(artifacts, `${name}.png`) });
          writeFileSync(join(artifacts, `${name}.done`), '');
          say(`screenshot test-artifacts/${name}.png`);
        }).catch((e) => say(`screenshot ${name} failed: ${e.message}`));
      }
    });
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(10_000, RUN_TIMEOUT_MS - (Date.now() - started)));
    });
    await page.goto(
      workbenchUrl({ url: server.url, port, folder: workspace, extensionDevelopmentPath: extensionPath, extensionTestsPath: suite }),
    );
    const outcome = await Promise.race([result, timeout]);
    await screenshots;
    await page.screenshot({ path: join(artifacts, 'final.png') }).catch(() => {});
    for (const f of readdirSync(artifacts)) if (f.endsWith('.done')) rmSync(join(artifacts, f));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome === 'timeout') {
      say(`FAILED: hard timeout (${RUN_TIMEOUT_MS / 1000} s) — the suite did not finish; see test-artifacts/final.png`);
      return 1;
    }
    writeFileSync(join(artifacts, 'e2e-duration.txt'), `${seconds}\n`);
    say(outcome === 0 ? `passed in ${seconds} s (artifacts in test-artifacts/)` : `FAILED (exit ${outcome}) after ${seconds} s`);
    return outcome === 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    say(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
