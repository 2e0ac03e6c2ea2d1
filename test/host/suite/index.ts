// Entry point of the host test suite: VS Code loads this module in the extension host (given as
// extensionTestsPath) and awaits run(). Used by both runners:
//   test/host/run-code-server.mjs  (code-server + headless Chromium, works offline)
//   test/host/run-electron.mjs     (@vscode/test-electron, downloads VS Code)
//
// Environment (the extension host inherits it from code-server / VS Code):
//   HOST_TEST_GREP         only run tests whose full title matches this regular expression
//   HOST_TEST_RESULT_FILE  also write { passes, failures, pending, failedTests } as JSON to this path
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

export async function run(): Promise<void> {
  const grep = process.env.HOST_TEST_GREP?.trim() || undefined;
  console.log(`[host suite] ${vscode.env.appName} ${vscode.version} (node ${process.version})${grep ? `, grep /${grep}/` : ''}`);

  // A test's limit leaves room for a busy 2-core machine (load average 5-15): tests wait for
  // conditions (helpers.ts waitFor, 60 s each at most), never for fixed times.
  const mocha = new Mocha({ ui: 'bdd', timeout: 180000, color: false, reporter: 'spec' });
  if (grep) mocha.grep(new RegExp(grep));
  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);

  let passes = 0;
  let failures = 0;
  let pending = 0;
  const failedTests: string[] = [];
  try {
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

  if (files.length === 0 || passes + failures === 0) {
    failures++;
    const why = files.length === 0 ? `no *.test.js files in ${__dirname}` : `no test matched${grep ? ` grep /${grep}/` : ''}`;
    failedTests.push(`no tests ran: ${why}`);
    console.error(`[host suite] no tests ran (${why}): counted as a failure`);
  }
  if (pending > 0) console.log(`[host suite] ${pending} pending`);

  const resultFile = process.env.HOST_TEST_RESULT_FILE;
  if (resultFile) {
    try {
      fs.writeFileSync(resultFile, JSON.stringify({ passes, failures, pending, failedTests }, null, 2));
    } catch (err) {
      console.error(`[host suite] could not write ${resultFile}:`, err);
    }
  }
  console.log(`${passes} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
