// Runs the same host test suite (out/test/host/suite/index.js) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code from update.code.visualstudio.com.
// Offline machines (like our CI) use `npm run test:host` (code-server) instead.
//
//   npm run test:electron                 (= build + compile tests + this script)
//   VSCODE_VERSION=stable npm run test:electron
//
// Environment:
//   VSCODE_VERSION   VS Code to download (default: the minimum of package.json engines.vscode)
//   HOST_TEST_GREP   run only tests whose full title matches (passed to the extension host env)
//   TEST_TIMEOUT_MS  overall limit for the test run after the download (default 240000)
//   KEEP_RUN_DIR=1   keep the run folder (.vscode-test/electron-runs/run-*) even on success
// On Linux without a display it re-runs itself under `xvfb-run -a` when available.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import testElectron from '@vscode/test-electron';
import { REPO_ROOT, hostPaths, createRunDir, createSampleWorkspace } from './lib/codeServer.mjs';

const { downloadAndUnzipVSCode, runTests } = testElectron;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const engineMin = /(\d+\.\d+\.\d+)/.exec(pkg.engines?.vscode ?? '')?.[1];
const version = process.env.VSCODE_VERSION || engineMin || 'stable';
const suiteModule = path.join(REPO_ROOT, 'out/test/host/suite/index');
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS) || 240000;
const t0 = Date.now();
const lap = (msg) => console.log(`[electron ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const fail = (msg, code = 1) => {
  console.error(`[electron] ERROR: ${msg}`);
  process.exit(code);
};

const main = pkg.main && path.resolve(REPO_ROOT, pkg.main);
if (main && !fs.existsSync(main)) fail(`${path.relative(REPO_ROOT, main)} is missing: run \`npm run build\``, 2);
if (!fs.existsSync(`${suiteModule}.js`)) fail(`${path.relative(REPO_ROOT, suiteModule)}.js is missing: run \`npx tsc -p .\``, 2);

// ---- 1. download (cached in .vscode-test/vscode-<platform>-<version>) ----------------------
lap(`VS Code ${version}${process.env.VSCODE_VERSION ? ' (VSCODE_VERSION)' : ' (package.json engines.vscode minimum)'}`);
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: path.join(REPO_ROOT, '.vscode-test'), timeout: 30000 });
} catch (err) {
  fail(`could not download VS Code ${version} from update.code.visualstudio.com: ${err instanceof Error ? err.message : String(err)}\n` +
    '  @vscode/test-electron needs internet access to download VS Code. On a machine without it, run the same suite\n' +
    '  offline in code-server instead:  npm run test:host');
}
lap(`VS Code at ${vscodeExecutablePath}`);

// ---- 2. a display (Electron needs one) -----------------------------------------------------
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (process.env.HOST_UNDER_XVFB) fail('still no DISPLAY under xvfb-run');
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status !== 0) {
    fail('no DISPLAY and xvfb-run is not installed: install it (apt-get install xvfb) or set DISPLAY.\n' +
      '  Headless alternative without Electron: npm run test:host');
  }
  lap('no DISPLAY: re-running under xvfb-run -a');
  const child = spawn('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, HOST_UNDER_XVFB: '1' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else {
  await runSuite();
}

// ---- 3. the suite --------------------------------------------------------------------------
async function runSuite() {
  const run = createRunDir({ host: { ...hostPaths(), runsDir: path.join(REPO_ROOT, '.vscode-test/electron-runs') } });
  const workspace = createSampleWorkspace(path.join(run.dir, 'workspace'));
  const resultFile = path.join(run.dir, 'host-results.json');
  const timer = setTimeout(() => fail(`TIMEOUT: the host tests did not finish within ${timeoutMs / 1000}s (TEST_TIMEOUT_MS); ` +
    `run folder ${run.dir}`, 124), timeoutMs);

  let exitCode;
  try {
    exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suiteModule,
      extensionTestsEnv: {
        HOST_TEST_RESULT_FILE: resultFile,
        ...(process.env.HOST_TEST_GREP ? { HOST_TEST_GREP: process.env.HOST_TEST_GREP } : {}),
      },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--disable-gpu', '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir],
    });
  } catch (err) {
    exitCode = typeof err?.code === 'number' ? err.code : 1;
    console.error(`[electron] VS Code test run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  clearTimeout(timer);
  lap(`VS Code exited with code ${exitCode}`);

  let summary = null;
  if (fs.existsSync(resultFile)) {
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    summary = { failed: r.failures, line: `${r.passes} passed, ${r.failures} failed` };
  }
  if (!summary) fail(`the host suite never reported a result (exit code ${exitCode}); run folder ${run.dir}`);
  const ok = exitCode === 0 && summary.failed === 0;
  if (ok && !process.env.KEEP_RUN_DIR) run.remove();
  else if (!ok) console.error(`[electron] run folder kept for inspection: ${run.dir}`);
  console.log(summary.line);
  process.exit(ok ? 0 : 1);
}
