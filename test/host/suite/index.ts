// Entry point of the host test suite: VS Code loads this module in the extension host (given as
// extensionTestsPath) and awaits run(). Used by both runners:
//   test/host/run-code-server.mjs  (code-server + headless Chromium, works offline)
//   test/host/run-electron.mjs     (@vscode/test-electron, downloads VS Code)
//
// Environment (the extension host inherits it from code-server / VS Code):
//   HOST_TEST_GREP         only run tests whose full title matches this regular expression
//   HOST_TEST_RESULT_FILE  also write { passes, failures, pending, failedTests, untrusted } as JSON to this path
//   HOST_TEST_PASS         `untrusted`: run only the tests titled `[untrusted]` (matching HOST_TEST_GREP too);
//                          test/host/run-code-server.mjs sets it for its second pass, in a workspace
//                          opened in Restricted Mode. Otherwise those tests are left out, and `untrusted`
//                          in the result file counts the ones the grep would have run (0: no second
//                          pass). `trusted` (the first pass, when a second one follows): a grep
//                          selecting only `[untrusted]` tests is not "no tests ran" here.
//
// The last line it prints is `N passed, N failed` (plain, its own console.log), which the runners
// and test/run-all.mjs parse. No tests at all counts as one failure, so a bad grep is never green.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The marker in the title of a test that needs a workspace in Restricted Mode (see HOST_TEST_PASS). */
const UNTRUSTED_MARKER = /\[untrusted\]/;

/**
 * An `[untrusted]` test that grants the workspace trust (the runner clicks Trust when it asks) is
 * titled `[grants trust]` too: the untrusted pass runs it after the others, which need Restricted Mode.
 */
const GRANTS_TRUST = /\[grants trust\]/;

/** Puts the `[grants trust]` tests, and the suites holding some, after the others (at each level). */
function grantsTrustLast(suite: Mocha.Suite): boolean {
  const grants = (t: Mocha.Test) => GRANTS_TRUST.test(t.title);
  const holding = new Set(suite.suites.filter((s) => grantsTrustLast(s)));
  suite.tests.sort((a, b) => Number(grants(a)) - Number(grants(b)));
  suite.suites.sort((a, b) => Number(holding.has(a)) - Number(holding.has(b)));
  return holding.size > 0 || suite.tests.some(grants);
}

/** How many tests of `suite` (and below) are `[untrusted]` ones the user's grep selects. */
function countUntrusted(suite: Mocha.Suite, grep: RegExp | undefined): number {
  let n = 0;
  for (const t of suite.tests) if (UNTRUSTED_MARKER.test(t.fullTitle()) && (!grep || grep.test(t.fullTitle()))) n++;
  for (const s of suite.suites) n += countUntrusted(s, grep);
  return n;
}

export async function run(): Promise<void> {
  const grep = process.env.HOST_TEST_GREP?.trim() || undefined;
  const untrustedPass = process.env.HOST_TEST_PASS === 'untrusted';
  console.log(`[host suite] ${vscode.env.appName} ${vscode.version} (node ${process.version})${grep ? `, grep /${grep}/` : ''}` +
    (untrustedPass ? `, only [untrusted] tests (workspace trusted: ${vscode.workspace.isTrusted})` : ''));

  // A test's limit leaves room for a busy 2-core machine (load average 5-15): tests wait for
  // conditions (helpers.ts waitFor, 60 s each at most), never for fixed times.
  const mocha = new Mocha({ ui: 'bdd', timeout: 180000, color: false, reporter: 'spec' });
  const userGrep = grep ? new RegExp(grep) : undefined;
  // [untrusted] tests run only in the untrusted pass, and only they do
  const marker = UNTRUSTED_MARKER.source;
  mocha.grep(new RegExp(`^${untrustedPass ? `(?=.*${marker})` : `(?!.*${marker})`}${grep ? `(?=.*(?:${grep}))` : ''}`));
  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);

  let passes = 0;
  let failures = 0;
  let pending = 0;
  const failedTests: string[] = [];
  try {
    if (untrustedPass) {
      // load the files now, to reorder their tests; then run() must not load them again
      const loader = mocha as unknown as { loadFiles(): void; lazyLoadFiles(enable: boolean): void };
      loader.loadFiles();
      loader.lazyLoadFiles(true);
      grantsTrustLast(mocha.suite);
    }
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => passes++);
      runner.on('pending', () => pending++);
      runner.on('fail', (test, err: unknown) => {
        failures++;
        failedTests.push(`${test.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
  } catch (err) {
    // loading a test file threw (syntax error, failing top-level code, ...)
    failures++;
    failedTests.push(`loading the test files: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    console.error('[host suite] could not run the tests:', err);
  }

  const untrusted = untrustedPass ? 0 : countUntrusted(mocha.suite, userGrep);
  if (untrusted > 0) {
    console.log(`[host suite] ${untrusted} [untrusted] test(s) left out: they need a workspace in Restricted Mode` +
      (process.env.HOST_TEST_PASS === 'trusted' ? ', the second pass runs them' : ' (test/host/run-code-server.mjs runs them in a second pass)'));
  }

  const secondPass = process.env.HOST_TEST_PASS === 'trusted' && untrusted > 0;
  if (files.length === 0 || (passes + failures === 0 && !secondPass)) {
    failures++;
    const why = files.length === 0 ? `no *.test.js files in ${__dirname}` : `no test matched${grep ? ` grep /${grep}/` : ''}`;
    failedTests.push(`no tests ran: ${why}`);
    console.error(`[host suite] no tests ran (${why}): counted as a failure`);
  }
  if (pending > 0) console.log(`[host suite] ${pending} pending`);

  const resultFile = process.env.HOST_TEST_RESULT_FILE;
  if (resultFile) {
    try {
      fs.writeFileSync(resultFile, JSON.stringify({ passes, failures, pending, failedTests, untrusted }, null, 2));
    } catch (err) {
      console.error(`[host suite] could not write ${resultFile}:`, err);
    }
  }
  console.log(`${passes} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
