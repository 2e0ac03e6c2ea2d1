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
//   UNTRUSTED_TIMEOUT_MS  limit of the second pass (default 180000)
//
// Two passes. code-server runs the suite with workspace trust disabled (every folder trusted);
// tests titled `[untrusted]` are left out of that pass. When the suite says some match (the
// result file's `untrusted`), a second, short pass starts a fresh code-server with workspace trust
// on and a workspace never trusted (Restricted Mode) and runs only them (HOST_TEST_PASS=untrusted).
//
// Output: the extension host's console (mocha spec reporter) of each pass, then as the very last
// line `N passed, N failed`, both passes added. Exit code 0 only if every pass reported and
// nothing failed.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, exposeAutomationExit, forwardConsole } from './lib/browser.mjs';
import {
  REPO_ROOT, ensureInstalled, createRunDir, createSampleWorkspace, createMultiRootWorkspace, startCodeServer, findExtHostLog, tail,
} from './lib/codeServer.mjs';

const SUMMARY = /^(\d+) passed, (\d+) failed$/;
/**
 * `[host trust] grant`, logged by an `[untrusted]` test that has opened the Workspace Trust editor
 * (workbench.trust.manage): the runner clicks its Trust button, as the user would.
 */
const TRUST_REQUEST = /^\[host trust\] grant$/;
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

for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15]]) process.on(sig, () => abort(128 + n, `interrupted (${sig})`));

/** Clicks Trust in the Workspace Trust editor (a test opened it); what fails is logged, the test then times out. */
async function grantTrust(page) {
  const button = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
  try {
    await button.click({ timeout: 30000 });
    lap('untrusted pass: clicked Trust in the Workspace Trust editor');
  } catch (err) {
    console.error(`[host] ERROR: could not click Trust in the Workspace Trust editor: ${err instanceof Error ? err.message : String(err)}`);
    const shot = path.join(run.dir, 'workspace-trust.png');
    await page.screenshot({ path: shot }).then(() => console.error(`[host] the workbench then: ${shot}`), () => {});
  }
}

/**
 * One run of the suite in a fresh code-server and Chromium: `untrusted` opens the workspace in
 * Restricted Mode and runs only the `[untrusted]` tests. Resolves to { summary, ok, untrusted }
 * (`untrusted`: how many such tests the suite left for the second pass), or aborts the whole run.
 */
async function runPass({ untrusted = false, limitMs }) {
  const label = untrusted ? 'untrusted pass: ' : '';
  const timer = setTimeout(() => {
    abort(124, `TIMEOUT: the host tests${untrusted ? ' (untrusted pass)' : ''} did not finish within ${limitMs / 1000}s` +
      ` (${untrusted ? 'UNTRUSTED_TIMEOUT_MS' : 'TEST_TIMEOUT_MS'}=${limitMs})`);
  }, limitMs);
  run = createRunDir(untrusted ? { prefix: 'run-untrusted-' } : {});
  // two folders: the sample (workspaceFolders[0], what most tests use) and `lib`, for the context tests
  const workspace = createMultiRootWorkspace(createSampleWorkspace(path.join(run.dir, 'workspace')));
  const resultFile = path.join(run.dir, 'host-results.json');
  const env = { HOST_TEST_RESULT_FILE: resultFile };
  if (process.env.HOST_TEST_GREP) env.HOST_TEST_GREP = process.env.HOST_TEST_GREP;
  env.HOST_TEST_PASS = untrusted ? 'untrusted' : 'trusted';

  cs = await startCodeServer({ run, workspace, env, workspaceTrust: untrusted });
  lap(`${label}code-server up at ${cs.url} (pid ${cs.pid}, run folder ${path.relative(REPO_ROOT, run.dir)}` +
    `${untrusted ? ', workspace trust on, the workspace not trusted' : ''})`);
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
        if (untrusted && TRUST_REQUEST.test(line.trim())) grantTrust(page);
      }
      // once a test grants trust, the workbench enables the built-in TypeScript extension in its web worker, which fails offline
      if (untrusted && /vscode\.typescript-language-features/.test(text)) isNoise = true;
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
  lap(`${label}loading the workbench; the extension host runs ${path.relative(REPO_ROOT, suiteModule)}.js` +
    (process.env.HOST_TEST_GREP ? ` (grep /${process.env.HOST_TEST_GREP}/)` : '') + (untrusted ? ' ([untrusted] tests only)' : ''));
  await page.goto(cs.workbenchUrl({ payload }));

  const outcome = await Promise.race([
    exited.then((code) => ({ code })),
    cs.exited.then((info) => ({ serverDied: info })),
  ]);
  if (outcome.serverDied) {
    await abort(1, `code-server exited during the ${untrusted ? 'untrusted ' : ''}run (${JSON.stringify(outcome.serverDied)})`);
  }
  const exitCode = outcome.code;
  lap(`${label}extension host finished with exit code ${exitCode}`);

  // console messages may trail the exit notification a little
  for (let i = 0; i < 30 && !summary; i++) {
    await fwd.flush();
    if (!summary) await new Promise((r) => setTimeout(r, 100));
  }
  await fwd.flush();
  // The suite also writes its counts to a file: the exact source when the console and it disagree.
  let untrustedLeft;
  if (fs.existsSync(resultFile)) {
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    const line = `${r.passes} passed, ${r.failures} failed`;
    if (!summary) lap(`(the summary line did not arrive through the console; read it from ${path.relative(REPO_ROOT, resultFile)})`);
    else if (summary.line !== line) lap(`(console said "${summary.line}", the result file says "${line}": using the file)`);
    summary = { passed: r.passes, failed: r.failures, line };
    untrustedLeft = r.untrusted;
  }
  if (!summary) {
    await abort(1, `the host suite${untrusted ? ' (untrusted pass)' : ''} never reported a result (extension host exit code ${exitCode}); ` +
      'the extension or the suite probably failed to load: see the messages above');
  }

  if (unresponsiveIn.length) {
    console.error(`[host] ERROR: the extension host was reported unresponsive during: ${[...new Set(unresponsiveIn)].join('; ')}`);
    summary = { ...summary, failed: summary.failed + 1, line: `${summary.passed} passed, ${summary.failed + 1} failed` };
  }

  clearTimeout(timer);
  await cleanup();
  const ok = exitCode === 0 && summary.failed === 0;
  if (!ok && exitCode === 0) console.error(`[host] ERROR: ${label}${summary.failed} failed but the workbench exit code was 0`);
  if (!ok) explainFailure();
  else if (!process.env.KEEP_RUN_DIR) run.remove();
  browser = undefined;
  cs = undefined;
  return { summary, ok, untrusted: untrustedLeft };
}

try {
  await ensureInstalled({ log: lap });
  // the time limit starts after a first-use install
  const first = await runPass({ limitMs: timeoutMs });
  let { passed, failed } = first.summary;
  let ok = first.ok;
  // `untrusted` missing from the result file (an older suite): run the second pass anyway
  if (first.untrusted === 0) {
    lap('no [untrusted] test selected: no pass in Restricted Mode');
  } else {
    const second = await runPass({ untrusted: true, limitMs: Number(process.env.UNTRUSTED_TIMEOUT_MS) || 180000 });
    lap(`untrusted pass: ${second.summary.line}`);
    passed += second.summary.passed;
    failed += second.summary.failed;
    ok &&= second.ok;
  }
  finished = true;
  lap(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(ok ? 0 : 1);
} catch (err) {
  await abort(1, err instanceof Error ? (err.stack ?? err.message) : String(err));
}
