// `npm test`: every check, in order, with one verdict at the end.
//   1 lint           npx eslint .
//   2 typecheck      npm run typecheck
//   3 build          npm run build
//   4 compile tests  npx tsc -p .   (after removing out/, so no stale compiled test runs)
//   5 unit tests     mocha with .mocharc.json (spec output; counts from a small stats reporter)
//   6 host tests     node test/host/run-code-server.mjs (real VS Code via code-server)
//   7 webview checks node test/webview-harness/run.mjs (the chat webview in Chromium with a fake
//                    extension: themes, focus, auto-scroll, code buttons, hostile output, streaming
//                    equal to the whole render, linear work, @-mentions, chips, budget, file links)
//   8 UI tests       node test/ui/run-ui.mjs (the packaged .vsix in code-server, driven in Chromium)
// A failed step does not stop the later ones, except that host tests need a successful build.
// Lint/typecheck/build/compile failures count as 1 failed each; a test step that does not report
// counts as 1 failed. The last line printed is `N passed, N failed`; the exit code is 0 only if
// N failed is 0.
//
// SKIP_HOST=1 skips the host tests for a quick local run: that counts as 1 failed, on purpose.
// HOST_TEST_GREP / TEST_TIMEOUT_MS are passed on to the host runner (see test/host/run-code-server.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUMMARY = /^(\d+) passed, (\d+) failed$/;
const req = createRequire(import.meta.url);
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const results = [];   // { name, passed, failed, ms, note }

/** Runs a command in the repo root; output goes to the console (and is returned when `capture`). */
function exec(cmd, args, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => {
        process.stdout.write(d);
        out += d;
      });
    }
    child.on('error', (e) => {
      console.error(`cannot run ${cmd}: ${e.message}`);
      resolve({ code: 127, out });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

const total = 8;
let stepNo = 0;
async function step(name, fn) {
  stepNo++;
  console.log(`\n${'='.repeat(78)}\n=== [${stepNo}/${total}] ${name}\n${'='.repeat(78)}`);
  const start = Date.now();
  const r = await fn();
  const ms = Date.now() - start;
  results.push({ name, ms, ...r });
  const verdict = r.failed ? `FAILED${r.note ? ` (${r.note})` : ''}` : 'ok';
  const counts = r.tests ? ` ${r.passed} passed, ${r.failed} failed;` : '';
  console.log(`--- ${name}:${counts} ${verdict} in ${secs(ms)}`);
  return r;
}

/** A check (not a test suite): 0 passed, and 1 failed if the command failed. */
const check = (cmd, args) => async () => {
  const { code } = await exec(cmd, args);
  return { passed: 0, failed: code === 0 ? 0 : 1, note: code === 0 ? '' : `exit code ${code}` };
};

await step('lint: npx eslint .', check('npx', ['eslint', '.']));
await step('typecheck: npm run typecheck', check('npm', ['run', 'typecheck']));
const build = await step('build: npm run build', check('npm', ['run', 'build']));
await step('compile tests: npx tsc -p .', async () => {
  fs.rmSync(path.join(ROOT, 'out'), { recursive: true, force: true });
  return check('npx', ['tsc', '-p', '.'])();
});

await step('unit tests: mocha (.mocharc.json)', async () => {
  // The spec reporter plus a file with the run's stats, written when mocha's run ends.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-all-'));
  const statsFile = path.join(dir, 'stats.json');
  const reporter = path.join(dir, 'stats-spec-reporter.cjs');
  fs.writeFileSync(reporter, [
    `const fs = require('fs');`,
    `const Mocha = require(${JSON.stringify(req.resolve('mocha'))});`,
    `module.exports = class StatsSpec extends Mocha.reporters.Spec {`,
    `  constructor(runner, options) {`,
    `    super(runner, options);`,
    `    const failures = [];`,
    `    runner.on('fail', (test, err) => failures.push(test.fullTitle() + ': ' + String(err && err.message).split('\\n')[0]));`,
    `    runner.once('end', () => fs.writeFileSync(${JSON.stringify(statsFile)}, JSON.stringify({ ...this.stats, failureTitles: failures })));`,
    `  }`,
    `};`,
  ].join('\n'));
  const mochaBin = path.join(path.dirname(req.resolve('mocha/package.json')), 'bin/mocha.js');
  const { code } = await exec(process.execPath, [mochaBin, '--config', '.mocharc.json', '--reporter', reporter]);
  const stats = fs.existsSync(statsFile) ? JSON.parse(fs.readFileSync(statsFile, 'utf8')) : null;
  fs.rmSync(dir, { recursive: true, force: true });
  if (!stats) return { passed: 0, failed: 1, note: `mocha did not report (exit code ${code})` };
  let failed = stats.failures ?? 0;
  const passed = stats.passes ?? 0;
  let note = '';
  if (passed + failed === 0) { failed = 1; note = 'no unit tests ran'; }
  if (code !== 0 && failed === 0) { failed = 1; note = `mocha exited with ${code}`; }
  return { passed, failed, tests: true, note, failures: stats.failureTitles ?? [] };
});

await step('host tests: node test/host/run-code-server.mjs', async () => {
  if (process.env.SKIP_HOST) {
    console.log(`\n${'!'.repeat(78)}\n!!! WARNING: SKIP_HOST is set: the host tests (real VS Code) were NOT run.\n` +
      `!!! This run counts 1 failed so it can never look green. Unset SKIP_HOST for a real verdict.\n${'!'.repeat(78)}`);
    return { passed: 0, failed: 1, note: 'skipped by SKIP_HOST' };
  }
  return suite('test/host/run-code-server.mjs');
});

/** Runs a runner that ends with `N passed, N failed`; a runner that does not report counts as failed. */
async function suite(script, args = []) {
  if (build.failed) {
    console.log(`!!! ${script} NOT run: the build failed, so dist/ is missing or stale`);
    return { passed: 0, failed: 1, note: 'not run: build failed' };
  }
  const { code, out } = await exec(process.execPath, [script, ...args], { capture: true });
  const last = out.split('\n').map((l) => l.trim()).filter((l) => SUMMARY.test(l)).pop();
  if (!last) return { passed: 0, failed: 1, note: `${script} did not report (exit code ${code})` };
  const [, p, f] = SUMMARY.exec(last);
  let failed = Number(f);
  let note = '';
  if (code !== 0 && failed === 0) { failed = 1; note = `runner exited with ${code}`; }
  return { passed: Number(p), failed, tests: true, note, failures: failuresIn(out), notRun: notRunIn(out) };
}

/** Tests that said they cannot run on this machine (`!!! not run here: <title>: <why>`), for the summary. */
function notRunIn(out) {
  return [...new Set(out.split('\n').map((l) => /!!! not run here: (.*)$/.exec(l)?.[1]).filter(Boolean))];
}

/**
 * What failed, from a runner's output, for the summary (CI often shows only the end of the log):
 * the first lines of each entry of mocha's "N failing" list, and the harness's ✘ lines.
 */
function failuresIn(out) {
  const lines = out.split('\n');
  const found = lines.filter((l) => /^\s*✘ /.test(l)).map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\d+ failing\s*$/.test(lines[i])) continue;
    // Each entry: "  1) suite", "       test title:", a blank line, "     Error: message".
    for (let j = i + 1; j < lines.length && !/^\s*\d+ (passing|failing|pending)/.test(lines[j]); j++) {
      if (!/^\s*\d+\) /.test(lines[j])) continue;
      const entry = [lines[j].trim()];
      let k = j + 1;
      for (; k < lines.length && lines[k].trim() && !entry.at(-1).endsWith(':'); k++) entry.push(lines[k].trim());   // the title
      while (k < lines.length && !lines[k].trim()) k++;
      if (k < lines.length && !/^\s*\d+\) /.test(lines[k])) entry.push(lines[k].trim());   // the error's first line
      found.push(entry.join(' ').slice(0, 400));
    }
  }
  return [...new Set(found)];
}

await step('webview checks: node test/webview-harness/run.mjs', () => suite('test/webview-harness/run.mjs'));

await step('UI tests: node test/ui/run-ui.mjs', async () => {
  if (process.env.SKIP_HOST) {
    console.log('!!! WARNING: SKIP_HOST is set: the UI tests (code-server + Chromium) were NOT run; counted as 1 failed.');
    return { passed: 0, failed: 1, note: 'skipped by SKIP_HOST' };
  }
  return suite('test/ui/run-ui.mjs');
});

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${'='.repeat(78)}\n=== summary (${secs(Date.now() - t0)})\n${'='.repeat(78)}`);
for (const r of results) {
  const what = r.tests ? `${r.passed} passed, ${r.failed} failed` : (r.failed ? 'FAILED' : 'ok');
  console.log(`  ${r.failed ? '✘' : '✔'} ${r.name.padEnd(48)} ${what.padEnd(22)} ${secs(r.ms).padStart(7)}${r.note ? `  (${r.note})` : ''}`);
}
const notRun = results.flatMap((r) => (r.notRun ?? []).map((t) => `${r.name.split(':')[0]}: ${t}`));
if (notRun.length) {
  console.log(`\n!!! ${notRun.length} test(s) could not run on this machine (not counted as passed):`);
  for (const t of notRun) console.log(`  - ${t}`);
}
const failures = results.flatMap((r) => (r.failures ?? []).map((f) => `${r.name.split(':')[0]}: ${f}`));
if (failures.length) {
  console.log('\nwhat failed (the first lines of each; the full report is above):');
  for (const f of failures.slice(0, 20)) console.log(`  ✘ ${f}`);
  if (failures.length > 20) console.log(`  … and ${failures.length - 20} more`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
