// Helpers to run code-server (a real VS Code with a Node extension host) from the tests.
// Used by test/host/run-code-server.mjs (host tests) and meant for a UI runner too:
//
//   const host = hostPaths();                       // where setup.sh installed things
//   await ensureInstalled();                        // runs setup.sh on first use
//   const run = createRunDir();                     // fresh folder with HOME/XDG/TMPDIR inside
//   const ws = createSampleWorkspace(`${run.dir}/workspace`);
//   await installExtension('x.vsix', { run });      // optional (UI tests): code-server --install-extension
//   const cs = await startCodeServer({ run, workspace: ws, extraArgs: [], env: {} });
//   page.goto(cs.workbenchUrl({ payload: [['skipWelcome', 'true']] }));
//   ...
//   await cs.stop();                                // kills code-server's whole process group
//   run.remove();
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CODE_SERVER_VERSION = '4.139.1';
export const SETUP_SCRIPT = path.join(REPO_ROOT, 'test/host/setup.sh');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Paths of the installation made by test/host/setup.sh (env VSHOST overrides the folder). */
export function hostPaths(vshost = process.env.VSHOST || path.join(REPO_ROOT, '.vscode-test/host')) {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch] ?? process.arch;
  const node24 = process.env.NODE24 || path.join(vshost, 'node24/node_modules', `node-linux-${arch}`);
  const csDir = path.join(vshost, 'cs/node_modules/code-server');
  return {
    vshost,
    node24,
    nodeBin: path.join(node24, 'bin/node'),
    csDir,
    csEntry: path.join(csDir, 'out/node/entry.js'),
    runsDir: path.join(vshost, 'runs'),
  };
}

/** What setup.sh installs from Debian that the tests need at run time, and is missing here. */
export function missingSystemPieces() {
  const missing = [];
  const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (!onPath('chromium')) missing.push('chromium');
  if (!onPath('git')) missing.push('git');
  const fonts = (args) => spawnSync('fc-list', args, { encoding: 'utf8' }).stdout ?? '';
  if (!fonts([':lang=zh']).trim()) missing.push('a CJK font');
  if (!/emoji/i.test(fonts([]))) missing.push('an emoji font');
  return missing;
}

/** True when Node 24 and a complete code-server are in `host`. */
export function isCodeServerInstalled(host = hostPaths()) {
  return fs.existsSync(host.nodeBin) && fs.existsSync(host.csEntry) &&
    fs.existsSync(path.join(host.csDir, 'lib/vscode/node_modules/node-pty/package.json'));
}

/** True when setup.sh has completed: code-server, and Chromium and the fonts from Debian. */
export function isInstalled(host = hostPaths()) {
  return isCodeServerInstalled(host) && missingSystemPieces().length === 0;
}

/**
 * The environment for setup.sh: this process's, without what an enclosing npm put there
 * (`npm test` runs us with npm_config_user_agent and friends, which the npm inside setup.sh would
 * take as its own). setup.sh drops them as well; doing it here too keeps every nested npm clean.
 */
export function setupEnv(extra = {}) {
  const keep = /^npm_config_(registry|.*_registry|.*proxy|noproxy|cafile|ca|strict_ssl)$/;
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.test(k))),
    ...extra,
  };
}

/** Runs test/host/setup.sh when code-server is not installed yet (first use). Throws if it fails. */
export async function ensureInstalled({ host = hostPaths(), log = console.log } = {}) {
  if (isInstalled(host)) return host;
  const missing = missingSystemPieces();
  log(`[host] the test host is not complete in ${host.vshost}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}: ` +
    `running ${path.relative(REPO_ROOT, SETUP_SCRIPT)} (first use, a few minutes)`);
  const code = await new Promise((resolve) => {
    const p = spawn('bash', [SETUP_SCRIPT], { stdio: 'inherit', env: setupEnv({ VSHOST: host.vshost }) });
    p.on('error', () => resolve(127));
    p.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  if (code !== 0 || !isInstalled(host)) throw new Error(`test/host/setup.sh failed (exit ${code}); see its output above`);
  return host;
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A fresh run folder under <VSHOST>/runs with home/, tmp/ and the environment that keeps
 * code-server and everything it starts (extension host, terminals) inside it.
 * `remove()` deletes it (and the short TMPDIR if one had to be used).
 */
export function createRunDir({ host = hostPaths(), prefix = 'run-' } = {}) {
  fs.mkdirSync(host.runsDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(host.runsDir, prefix));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.config'), { recursive: true });
  fs.mkdirSync(path.join(home, '.local/share'), { recursive: true });
  fs.mkdirSync(path.join(home, '.cache'), { recursive: true });
  // VS Code puts unix sockets (vscode-ipc-<uuid>.sock, ~50 chars) in TMPDIR and socket paths are
  // limited to 107 bytes: if the repo is cloned deep, fall back to a short folder under /tmp.
  let tmp = path.join(dir, 'tmp');
  let ownTmp = null;
  if (tmp.length > 50) {
    ownTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-'));
    tmp = ownTmp;
  } else {
    fs.mkdirSync(tmp);
  }
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: tmp,
  };
  return {
    dir, home, tmp, env, host,
    userDataDir: path.join(dir, 'user'),
    extensionsDir: path.join(dir, 'ext'),
    remove() {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      if (ownTmp) fs.rmSync(ownTmp, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** Creates `dir` with a couple of small files that tests can open. Returns `dir`. */
export function createSampleWorkspace(dir) {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'sample.ts'), [
    '// Sample file for the Hunyuan Coder host tests.',
    'export function add(a: number, b: number): number {',
    '  return a + b;',
    '}',
    '',
    'export const greeting = `hello ${add(1, 2)}`;',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'src/util.py'), [
    'def fib(n: int) -> int:',
    '    """Return the n-th Fibonacci number."""',
    '    return n if n < 2 else fib(n - 1) + fib(n - 2)',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# Sample workspace\n\nUsed by the Hunyuan Coder host tests.\n');
  return dir;
}

/**
 * A multi-root workspace for the host tests: `first` (a createSampleWorkspace folder, which stays
 * workspaceFolders[0]) and a second folder `lib` beside it with a little code of its own, in a
 * `.code-workspace` file. Returns the workspace file's path (startCodeServer opens it as a workspace).
 */
export function createMultiRootWorkspace(first, second = path.join(path.dirname(first), 'lib')) {
  fs.mkdirSync(path.join(second, 'strings'), { recursive: true });
  fs.writeFileSync(path.join(second, 'strings/slug.ts'), [
    '/** Turns a title into a URL slug. */',
    'export function slugify(title: string): string {',
    "  return title.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');",
    '}',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(second, 'package.json'), '{ "name": "sample-lib", "version": "1.0.0" }\n');
  const file = path.join(path.dirname(first), 'host.code-workspace');
  fs.writeFileSync(file, `${JSON.stringify({ folders: [{ path: first }, { path: second }], settings: {} }, null, 2)}\n`);
  return file;
}

/** Sends `signal` to the whole process group led by `pid` (code-server, its extension hosts, ...). */
export function killProcessGroup(pid, signal = 'SIGTERM') {
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}

/** Path of the remote extension host log under a user-data-dir, or null. */
export function findExtHostLog(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return null;
  const hit = fs.readdirSync(logs, { recursive: true }).map(String).find((f) => f.endsWith('remoteexthost.log'));
  return hit ? path.join(logs, hit) : null;
}

/**
 * Makes sure the process group `pgid` does not outlive this process, however it ends: a SIGKILL of
 * the test runner included. An 'exit' handler covers process.exit() and uncaught exceptions; a tiny
 * detached shell covers the rest by polling for this process.
 */
function startWatchdog(pgid) {
  process.once('exit', () => killProcessGroup(pgid, 'SIGKILL'));
  const script = 'while kill -0 "$0" 2>/dev/null && kill -0 -"$1" 2>/dev/null; do sleep 1; done; ' +
    'kill -TERM -"$1" 2>/dev/null; sleep 3; kill -KILL -"$1" 2>/dev/null; exit 0';
  const w = spawn('sh', ['-c', script, String(process.pid), String(pgid)], { detached: true, stdio: 'ignore' });
  w.on('error', () => {});
  w.unref();
  return w;
}

function spawnEnv(host, run, env) {
  // Variables of an enclosing VS Code (e.g. running from its terminal) would make code-server act as
  // a client of that instance (VSCODE_IPC_HOOK_CLI) or confuse the extension host: drop them.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'ELECTRON_NO_ATTACH_CONSOLE'));
  return {
    ...inherited,
    ...run.env,
    PATH: `${path.join(host.node24, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    ...env,
  };
}

/**
 * Runs the code-server CLI once (e.g. `--install-extension x.vsix`, `--list-extensions`) against
 * the run folder's user-data and extensions dirs. Resolves to { code, output }.
 */
export async function runCodeServerCli(args, { run, env = {}, timeoutMs = 120000 } = {}) {
  const host = run.host;
  const child = spawn(host.nodeBin, [host.csEntry, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: spawnEnv(host, run, env), detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const timer = setTimeout(() => { output += `\n[host] timed out after ${timeoutMs} ms`; killProcessGroup(child.pid, 'SIGKILL'); }, timeoutMs);
  const code = await new Promise((resolve) => {
    child.on('error', (e) => { output += String(e); resolve(127); });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  clearTimeout(timer);
  return { code, output };
}

/** Installs a packaged extension (.vsix; a folder does not work) into the run's extensions dir. */
export async function installExtension(vsix, { run, env = {} }) {
  const { code, output } = await runCodeServerCli(['--install-extension', path.resolve(vsix), '--force'], { run, env });
  if (code !== 0 || !/successfully installed|already installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${output}`);
  }
  return output;
}

/**
 * User settings written to <user-data-dir>/User/settings.json before code-server starts (unless the
 * file exists): quiet, offline-friendly defaults. The workspace lives inside the repository's
 * .vscode-test/, so git must not adopt the parent repository.
 */
export const DEFAULT_USER_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
});

/**
 * Starts code-server on 127.0.0.1 and a free port (auth none, no TLS, telemetry/update checks
 * off, workspace trust off unless `workspaceTrust`) with the run folder's user-data/extensions
 * dirs and environment, detached in its own process group, and waits for GET /healthz.
 *
 * options:
 *   run            a createRunDir() result (default: a new one; `stop()` does not remove it)
 *   workspace      folder or `.code-workspace` file opened by default (last CLI argument; also workbenchUrl's default)
 *   extraArgs      more code-server CLI arguments
 *   env            more environment for code-server and (inherited) its extension host
 *   smokeTestDriver  pass `--vscode-option enable-smoke-test-driver` (default true): makes the
 *                  workbench honour `?payload=` (extensionDevelopmentPath/extensionTestsPath)
 *                  and call window.codeAutomationExit(code) when the tests settle
 *   port           fixed port (default: a free one)
 *   startTimeoutMs how long to wait for /healthz (default 60000)
 *   userSettings   object for User/settings.json (default DEFAULT_USER_SETTINGS; null: write none)
 *   workspaceTrust false (default): `--disable-workspace-trust`, every folder is trusted. true: no
 *                  such flag, and the user settings get `security.workspace.trust.enabled: true` and
 *                  `security.workspace.trust.startupPrompt: 'never'` (unless they set them), so a
 *                  folder not trusted yet (any, in a fresh user-data dir) opens in Restricted Mode
 *                  without a dialog
 *
 * Returns { url, port, authority, pid, run, runDir, logFile, userDataDir, extensionsDir, workspace,
 *           remoteUri(absPath), workbenchUrl({ folder, payload }), exited, stop() }.
 */
export async function startCodeServer({
  run = createRunDir(), workspace, extraArgs = [], env = {}, smokeTestDriver = true, port, startTimeoutMs = 60000,
  userSettings = DEFAULT_USER_SETTINGS, workspaceTrust = false,
} = {}) {
  const host = run.host;
  if (!isCodeServerInstalled(host)) throw new Error(`code-server is not installed in ${host.vshost}; run: bash test/host/setup.sh`);
  const settingsFile = path.join(run.userDataDir, 'User/settings.json');
  if (userSettings && workspaceTrust) {
    userSettings = { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', ...userSettings };
  }
  if (userSettings && !fs.existsSync(settingsFile)) {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, `${JSON.stringify(userSettings, null, 2)}\n`);
  }
  const logFile = path.join(run.dir, 'code-server.log');
  for (let attempt = 1; ; attempt++) {
    const p = port ?? await freePort();
    const config = path.join(run.dir, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${p}\nauth: none\ncert: false\n`);
    const args = [host.csEntry, '--config', config,
      '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...extraArgs,
      ...(workspace ? [workspace] : [])];
    const out = fs.openSync(logFile, 'a');
    const child = spawn(host.nodeBin, args, { detached: true, stdio: ['ignore', out, out], env: spawnEnv(host, run, env) });
    fs.closeSync(out);
    let exitInfo = null;
    const exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => { exitInfo = { code, signal }; resolve(exitInfo); });
      child.on('error', (error) => { exitInfo = { code: 127, error }; resolve(exitInfo); });
    });
    const url = `http://127.0.0.1:${p}`;
    const deadline = Date.now() + startTimeoutMs;
    let up = false;
    while (!exitInfo && Date.now() < deadline) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) { up = true; break; }
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    if (up) {
      const authority = `127.0.0.1:${p}`;
      const watchdog = startWatchdog(child.pid);
      const stop = async () => {
        killProcessGroup(watchdog.pid, 'SIGKILL');
        // the group can outlive code-server itself (extension hosts wait for a reconnect)
        if (!groupAlive(child.pid)) return;
        killProcessGroup(child.pid, 'SIGTERM');
        const t = Date.now();
        while (groupAlive(child.pid) && Date.now() - t < 5000) await sleep(100);
        killProcessGroup(child.pid, 'SIGKILL');
      };
      return {
        url, port: p, authority, pid: child.pid, run, runDir: run.dir, logFile, workspace,
        userDataDir: run.userDataDir, extensionsDir: run.extensionsDir, exited, stop,
        /** vscode-remote:// URI of a path on this machine, as the workbench payload expects. */
        remoteUri: (absPath) => `vscode-remote://${authority}${path.resolve(absPath)}`,
        /** Workbench URL opening `folder` (a `.code-workspace` file opens as a workspace); `payload` = [[key, value], ...] (smoke-test driver options). */
        workbenchUrl: ({ folder = workspace, payload } = {}) => {
          const q = [];
          if (folder) q.push(`${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}`);
          if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
          return `${url}/${q.length ? `?${q.join('&')}` : ''}`;
        },
      };
    }
    killProcessGroup(child.pid, 'SIGKILL');
    const log = tail(logFile, 30);
    if (!exitInfo || port || attempt >= 3 || !/EADDRINUSE/.test(log)) {
      throw new Error(`code-server did not start on port ${p} ` +
        `(${exitInfo ? `exited ${JSON.stringify({ code: exitInfo.code, signal: exitInfo.signal })}` : `no /healthz within ${startTimeoutMs} ms`}); ` +
        `log ${logFile}:\n${log}`);
    }
    // lost the race for the free port: try another one
  }
}
