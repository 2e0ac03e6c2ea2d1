// Runs the host test suite (out/test/host/suite/index.js, compiled from test/host/suite/*.ts)
// inside a real VS Code extension host: code-server (VS Code 1.139, installed by
// test/host/setup.sh from npm, offline) + headless Chromium loading its web workbench.
//
//   npm run test:host                  (= build + compile tests + this script)
//   node test/host/run-code-server.mjs (after `npm run build && npx tsc -p .`)
//
// Environment:
//   HOST_TEST_GREP=regex  run only tests whose full title matches. The extension host inherits
//                         code-server's environment, so the suite reads process.env.HOST_TEST_GREP.
//   TEST_TIMEOUT_MS       overall limit (default 600000: a guard against a hung run, with room
//                         for a busy 2-core machine); exceeding it fails loudly (exit 124)
//   KEEP_RUN_DIR=1        keep the run folder (.vscode-test/host/runs/run-*) even on success
//   HOST_VERBOSE=1        also print the workbench/extension-host messages filtered as noise
//   VSHOST                where setup.sh installed code-server (default <repo>/.vscode-test/host)
//   HOST_EXT_DEV_PATH     extension folder to test (default: the repo root)
//
// Output: the extension host's console (mocha spec reporter), then as the very last line the
// suite's `N passed, N failed`. Exit code 0 only if the suite reported and nothing failed.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, exposeAutomationExit, forwardConsole } from './lib/browser.mjs';
import {
  REPO_ROOT, ensureInstalled, createRunDir, createSampleWorkspace, createMultiRootWorkspace, startCodeServer, findExtHostLog, tail,
} from './lib/codeServer.mjs';

const SUMMARY = /^(\d+) passed, (\d+) failed$/;
/** `[unresponsive guard] begin <test>` / `[unresponsive guard] end <test>`, logged by a host test. */
const UNRESPONSIVE_GUARD = /\[unresponsive guard\] (begin|end) (.*)$/;
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS) || 600000;
const extDevPath = path.resolve(process.env.HOST_EXT_DEV_PATH || REPO_ROOT);
const suiteModule = path.join(REPO_ROOT, 'out/test/host/suite/index');   // without .js, as VS Code expects
const t0 = Date.now();
const lap = (msg) => console.log(`[host ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

function preflight() {
  const problems = [];
  const pkg = JSON.parse(fs.readFileSync(path.join(extDevPath, 'package.json'), 'utf8'));
  const main = pkg.main && path.resolve(extDevPath, pkg.main);
  if (main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`)) problems.push(`${path.relative(REPO_ROOT, main) || main} is missing: run \`npm run build\``);
  if (!fs.existsSync(`${suiteModule}.js`)) problems.push(`${path.relative(REPO_ROOT, suiteModule)}.js is missing: run \`npx tsc -p .\``);
  if (problems.length) {
    console.error(`[host] ERROR: cannot run the host tests:\n  ${problems.join('\n  ')}`);
    process.exit(2);
  }
}

preflight();
let run, cs, browser, fwd;
let finished = false;

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (cs) await cs.stop().catch(() => {});
}

function explainFailure() {
  if (!run) return;
  console.error(`[host] run folder kept for inspection: ${run.dir}`);
  if (cs) console.error(`[host] code-server log: ${cs.logFile}`);
  const exthostLog = findExtHostLog(run.userDataDir);
  if (exthostLog) console.error(`[host] extension host log: ${exthostLog}`);
}

async function abort(code, message) {
  if (finished) return;
  finished = true;
  console.error(`\n[host] ERROR: ${message}`);
  if (cs) {
    const log = tail(cs.logFile, 25);
    if (log.trim()) console.error(`[host] code-server log (tail):\n${log}`);
  }
  // never hang while failing: give the console and the cleanup a bounded time
  setTimeout(() => process.exit(code), 20000).unref();
  await Promise.race([fwd?.flush(), new Promise((r) => setTimeout(r, 2000))]);
  await cleanup();
  explainFailure();
  process.exit(code);
}

let timer;
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15]]) process.on(sig, () => abort(128 + n, `interrupted (${sig})`));

try {
  await ensureInstalled({ log: lap });
  // the time limit starts after a first-use install
  timer = setTimeout(() => {
    abort(124, `TIMEOUT: the host tests did not finish within ${timeoutMs / 1000}s (TEST_TIMEOUT_MS=${timeoutMs})`);
  }, timeoutMs);
  run = createRunDir();
  // two folders: the sample (workspaceFolders[0], what most tests use) and `lib`, for the context tests
  const workspace = createMultiRootWorkspace(createSampleWorkspace(path.join(run.dir, 'workspace')));
  const resultFile = path.join(run.dir, 'host-results.json');
  const env = { HOST_TEST_RESULT_FILE: resultFile };
  if (process.env.HOST_TEST_GREP) env.HOST_TEST_GREP = process.env.HOST_TEST_GREP;

  cs = await startCodeServer({ run, workspace, env });
  lap(`code-server up at ${cs.url} (pid ${cs.pid}, run folder ${path.relative(REPO_ROOT, run.dir)})`);
  // Chromium's own temp files go to the run folder too
  browser = await launchBrowser({ dir: run.dir });
  const { page } = browser;
  const exited = exposeAutomationExit(page);

  let summary = null;
  const verbose = !!process.env.HOST_VERBOSE;
  // A test may ask that the extension host never be reported unresponsive while it runs (VS Code's
  // own check: no answer to the workbench for 3 s): it logs UNRESPONSIVE_GUARD begin/end lines.
  let guarded = null;
  const unresponsiveIn = [];
  fwd = forwardConsole(page, {
    onLine: (text, { isNoise }) => {
      const lines = text.split('\n');
      for (const line of lines) {
        const m = SUMMARY.exec(line.trim());
        if (m) summary = { passed: Number(m[1]), failed: Number(m[2]), line: line.trim() };
        const guard = UNRESPONSIVE_GUARD.exec(line);
        if (guard) guarded = guard[1] === 'begin' ? guard[2] : null;
        if (guarded && /Extension host \(.*\) is unresponsive/.test(line)) unresponsiveIn.push(guarded);
      }
      if (isNoise && !verbose) return;
      // the summary line is printed last, after the runner's own messages
      const kept = lines.filter((l) => !SUMMARY.test(l.trim()));
      if (kept.length) console.log(kept.join('\n'));
    },
  });

  const payload = [
    ['extensionDevelopmentPath', cs.remoteUri(extDevPath)],
    ['extensionTestsPath', cs.remoteUri(suiteModule)],
    ['skipWelcome', 'true'],
  ];
  lap(`loading the workbench; the extension host runs ${path.relative(REPO_ROOT, suiteModule)}.js` +
    (process.env.HOST_TEST_GREP ? ` (grep /${process.env.HOST_TEST_GREP}/)` : ''));
  await page.goto(cs.workbenchUrl({ payload }));

  const outcome = await Promise.race([
    exited.then((code) => ({ code })),
    cs.exited.then((info) => ({ serverDied: info })),
  ]);
  if (outcome.serverDied) {
    await abort(1, `code-server exited during the run (${JSON.stringify(outcome.serverDied)})`);
  }
  const exitCode = outcome.code;
  lap(`extension host finished with exit code ${exitCode}`);

  // console messages may trail the exit notification a little
  for (let i = 0; i < 30 && !summary; i++) {
    await fwd.flush();
    if (!summary) await new Promise((r) => setTimeout(r, 100));
  }
  await fwd.flush();
  // The suite also writes its counts to a file: the exact source when the console and it disagree.
  if (fs.existsSync(resultFile)) {
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    const line = `${r.passes} passed, ${r.failures} failed`;
    if (!summary) lap(`(the summary line did not arrive through the console; read it from ${path.relative(REPO_ROOT, resultFile)})`);
    else if (summary.line !== line) lap(`(console said "${summary.line}", the result file says "${line}": using the file)`);
    summary = { passed: r.passes, failed: r.failures, line };
  }
  if (!summary) {
    await abort(1, `the host suite never reported a result (extension host exit code ${exitCode}); ` +
      'the extension or the suite probably failed to load: see the messages above');
  }

  if (unresponsiveIn.length) {
    console.error(`[host] ERROR: the extension host was reported unresponsive during: ${[...new Set(unresponsiveIn)].join('; ')}`);
    summary = { ...summary, failed: summary.failed + 1, line: `${summary.passed} passed, ${summary.failed + 1} failed` };
  }

  clearTimeout(timer);
  finished = true;
  await cleanup();
  const ok = exitCode === 0 && summary.failed === 0;
  if (!ok && exitCode === 0) console.error(`[host] ERROR: ${summary.failed} failed but the workbench exit code was 0`);
  if (!ok) explainFailure();
  else if (!process.env.KEEP_RUN_DIR) run.remove();
  lap(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(summary.line);
  process.exit(ok ? 0 : 1);
} catch (err) {
  await abort(1, err instanceof Error ? (err.stack ?? err.message) : String(err));
}
