// `npm run bench`: measures the figures below, each against a baseline measured beside it in the
// same run, prints one line per figure
//
//   bench <name>: <value> <unit> (goal <op> <goal>) ok|MISS  [how it was measured]
//
// and writes them all to bench-results.json at the repository root. Not part of `npm test`: the
// figures are reported, never asserted. Exit code 0 when every figure was measured (MISS included),
// 1 when a measurement failed.
//
//   BENCH_ONLY=<regexp>   only the figures whose name matches, e.g. BENCH_ONLY='^diff-' or 'chat|vsix'
//
// Each module runs in a child process of its own, in this order (cheap and CPU-only first):
//   client.mjs      client-overhead, client-longest-stall
//   diff.mjs        diff-stream-1000, diff-stream-5000, diff-longest-update-5000, diff-redraw-5000,
//                   diff-event-5000-changes
//   history.mjs     history-save-share
//   search.mjs      search-index-10k, search-index-mb-10k, search-query-10k, search-worker-index-10k, search-worker-query-10k
//   chat.mjs        chat-stream-64k, chat-stream-1m, chat-longest-task-1m   (Chromium)
//   extension.mjs   vsix-bytes, activate-ms                                 (vsce, code-server)
// Progress goes to stderr; the figure lines to stdout at the end.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, REPO_ROOT, failedFigure, line } from './lib/common.mjs';

const MODULES = ['client.mjs', 'diff.mjs', 'history.mjs', 'search.mjs', 'chat.mjs', 'extension.mjs'];
const RESULTS_FILE = path.join(REPO_ROOT, 'bench-results.json');

function runChild(moduleName, names) {
  return new Promise((resolve) => {
    const child = fork(path.join(BENCH_DIR, 'lib/child.mjs'), [moduleName, names.join(',')], {
      cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'],
    });
    let message;
    child.on('message', (m) => { message = m; });
    child.on('error', (e) => resolve({ error: String(e) }));
    child.on('exit', (code, signal) => {
      if (message) resolve(message);
      else resolve({ error: `${moduleName} exited (${signal ?? code}) without results` });
    });
  });
}

async function main() {
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
  const t0 = Date.now();
  const figures = [];
  for (const moduleName of MODULES) {
    let FIGURES;
    try {
      ({ FIGURES } = await import(pathToFileURL(path.join(BENCH_DIR, moduleName)).href));
    } catch (err) {
      // a module that does not even load: its figures are unknown here, so it fails under its own name
      figures.push(failedFigure(moduleName.replace(/\.mjs$/, ''), '', null, err instanceof Error ? (err.stack ?? err.message) : err));
      process.stderr.write(`[bench] ${moduleName} does not load:\n${err instanceof Error ? err.stack : err}\n`);
      continue;
    }
    const wanted = FIGURES.filter((f) => !only || only.test(f.name));
    if (!wanted.length) continue;
    const m0 = Date.now();
    process.stderr.write(`[bench] ${moduleName}: ${wanted.map((f) => f.name).join(', ')}\n`);
    const result = await runChild(moduleName, wanted.map((f) => f.name));
    const got = result.figures ?? [];
    for (const f of wanted) {
      const hit = got.find((g) => g.name === f.name);
      const fig = hit ?? failedFigure(f.name, f.unit, f.goal, result.error ?? 'not measured');
      if (!hit && result.error) fig.error = result.error;
      figures.push(fig);
      process.stderr.write(`[bench] ${line(fig)}\n`);
    }
    if (result.error) process.stderr.write(`[bench] ${moduleName} failed:\n${result.error}\n`);
    process.stderr.write(`[bench] ${moduleName} took ${((Date.now() - m0) / 1000).toFixed(1)} s\n`);
  }
  if (!figures.length) {
    console.error(`[bench] no figure matches BENCH_ONLY=${process.env.BENCH_ONLY}`);
    process.exit(2);
  }
  const seconds = (Date.now() - t0) / 1000;
  const report = {
    date: new Date().toISOString(),
    seconds,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    only: process.env.BENCH_ONLY ?? null,
    figures,
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  for (const f of figures) console.log(line(f));
  const failed = figures.filter((f) => f.status === 'FAILED').length;
  const missed = figures.filter((f) => f.status === 'MISS').length;
  console.log(`${figures.length} figures in ${seconds.toFixed(0)} s: ${figures.length - failed - missed} ok, ${missed} MISS, ${failed} failed; ` +
    `written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
