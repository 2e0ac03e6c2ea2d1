// vsix-bytes and activate-ms: the packaged extension.
//
// vsix-bytes: `vsce package --no-dependencies` (which runs vscode:prepublish, the production build)
// in a copy of the working tree (the files git tracks or would track, node_modules linked), so the
// repository's dist/ keeps the development build the other figures and the tests use.
//
// activate-ms: that .vsix and an empty extension (generated, packaged the same way) are installed
// into a fresh code-server (test/host/lib/codeServer.mjs). For each sample a new workbench window
// (so a new extension host) opens with a probe as its extension tests: it waits for the host's
// startup activations to settle (its event loop calm), then times `vscode.extensions.getExtension(id).activate()` of
// both (order alternating between samples), from inside the host. Our extension's activation events
// are removed from its installed manifest (it would otherwise start on the first document of any
// language, an output channel's included, before the probe), so activate() does the whole work. The figure is the median of our
// activation's milliseconds; the line gives the median ratio to the empty extension's, measured in
// the same hosts. No goal was set: reported only.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exposeAutomationExit, launchBrowser } from '../host/lib/browser.mjs';
import { createRunDir, createSampleWorkspace, ensureInstalled, installExtension, startCodeServer } from '../host/lib/codeServer.mjs';
import { REPO_ROOT, failedFigure, figure, fmt, log, median, sleep } from './lib/common.mjs';

const GROUP = 'extension';
export const FIGURES = [
  { name: 'vsix-bytes', unit: 'KB', goal: { op: '<=', value: 300 } },
  { name: 'activate-ms', unit: 'ms', goal: null },
];

const SAMPLES = Number(process.env.BENCH_ACTIVATE_SAMPLES) || 5;
const SETTLE_MS = 1500;

/** The environment for a nested npm/npx: without the outer npm's npm_* settings. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(cmd, args, { cwd, timeoutMs = 300000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}) in ${cwd}:\n${output.slice(-3000)}`));
    });
  });
}

/** Copies the working tree (tracked and untracked-but-not-ignored files) to `dest`, node_modules linked. */
function copyWorkingTree(dest) {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT, maxBuffer: 64 << 20 })
    .toString().split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(REPO_ROOT, f);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
  return files.length;
}

async function packageOurs(tmp) {
  const tree = path.join(tmp, 'tree');
  const count = copyWorkingTree(tree);
  const vsix = path.join(tmp, 'hunyuan-coder.vsix');
  log(GROUP, `packaging a copy of the working tree (${count} files) with vsce`);
  const output = await run('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: tree });
  const summary = output.split('\n').find((l) => /Packaged:/.test(l))?.trim();
  return { vsix, bytes: fs.statSync(vsix).size, summary };
}

/** The floor: an extension whose activate() does nothing, packaged the same way. */
async function packageEmpty(tmp) {
  const dir = path.join(tmp, 'empty-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'bench-empty', displayName: 'Bench: empty extension', description: 'Activates and does nothing (benchmark floor).',
    version: '0.0.1', publisher: 'hunyuan-bench', license: 'MIT', engines: { vscode: '^1.90.0' },
    main: './extension.js', activationEvents: ['onCommand:hunyuanBench.never'],
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = function activate() {};\nexports.deactivate = function deactivate() {};\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# Bench: empty extension\n\nThe activation floor for `npm run bench` (activate-ms).\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsix = path.join(tmp, 'bench-empty.vsix');
  await run(path.join(REPO_ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: dir });
  return { vsix, id: 'hunyuan-bench.bench-empty' };
}

/** The extension-tests module that times activations inside the extension host. */
function writeProbe(tmp) {
  const dir = path.join(tmp, 'probe');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'bench-probe', version: '0.0.1', publisher: 'hunyuan-bench', engines: { vscode: '^1.90.0' }, main: './extension.js',
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = function activate() {};\n');
  fs.writeFileSync(path.join(dir, 'probe.js'), `// Runs inside the extension host as its "extension tests" (bench only).
const fs = require('fs');
const { performance } = require('perf_hooks');
const vscode = require('vscode');

function threadCpuMs() {
  try {
    return Number(fs.readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

/** Waits at least minMs, then until the event loop has been calm (timer lag < 3 ms) for 10 ticks of 50 ms (at most maxMs). */
async function quiet(minMs, maxMs) {
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, minMs));
  let calm = 0;
  while (calm < 10 && performance.now() - t0 < maxMs) {
    const a = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    calm = performance.now() - a - 50 < 3 ? calm + 1 : 0;
  }
  return performance.now() - t0;
}

exports.run = async function run() {
  const cfg = JSON.parse(fs.readFileSync(process.env.HUNYUAN_BENCH_PROBE, 'utf8'));
  const result = { activations: {}, activeBefore: [] };
  try {
    // let the host's own startup activations finish first
    result.waitedMs = await quiet(cfg.settleMs, cfg.settleMs + 10000);
    result.activeBefore = vscode.extensions.all.filter((e) => e.isActive).map((e) => e.id);
    for (const id of cfg.order) {
      const ext = vscode.extensions.getExtension(id);
      if (!ext) { result.activations[id] = { error: 'not installed' }; continue; }
      if (ext.isActive) { result.activations[id] = { error: 'already active' }; continue; }
      const c0 = threadCpuMs();
      const t0 = performance.now();
      await ext.activate();
      result.activations[id] = { ms: performance.now() - t0, cpuMs: threadCpuMs() - c0 };
    }
  } catch (err) {
    result.error = String(err && err.stack || err);
  }
  fs.writeFileSync(cfg.out, JSON.stringify(result));
};
`);
  return { dir, module: path.join(dir, 'probe') };
}

/**
 * Our extension starts on `onLanguage` (any document, an output channel's included), so it is
 * usually active before the probe runs. In the installed copy only, its activation events are
 * dropped (same bundle, same activate()): it then starts when the probe activates it.
 */
function withoutActivationEvents(extensionsDir, id) {
  const dir = fs.readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!dir) throw new Error(`${id} is not in ${extensionsDir} after installing it`);
  const file = path.join(extensionsDir, dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.activationEvents = [];
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
}

async function measureActivation(tmp, oursVsix, onlyLog) {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const oursId = `${pkg.publisher}.${pkg.name}`;
  const empty = await packageEmpty(tmp);
  const probe = writeProbe(tmp);
  await ensureInstalled({ log: (m) => log(GROUP, m) });
  const runDir = createRunDir({ prefix: 'bench-' });
  const workspace = createSampleWorkspace(path.join(runDir.dir, 'workspace'));
  const probeFile = path.join(runDir.dir, 'probe.json');
  let cs;
  let browser;
  try {
    log(GROUP, 'installing both extensions into code-server');
    await installExtension(oursVsix, { run: runDir });
    await installExtension(empty.vsix, { run: runDir });
    withoutActivationEvents(runDir.extensionsDir, oursId);
    cs = await startCodeServer({ run: runDir, workspace, env: { HUNYUAN_BENCH_PROBE: probeFile } });
    browser = await launchBrowser({ dir: runDir.dir });
    const samples = [];
    for (let i = 0; i < SAMPLES; i++) {
      const order = i % 2 ? [empty.id, oursId] : [oursId, empty.id];
      const outFile = path.join(runDir.dir, `probe-out-${i}.json`);
      fs.writeFileSync(probeFile, JSON.stringify({ order, out: outFile, settleMs: SETTLE_MS }));
      const page = await browser.context.newPage();
      const exited = exposeAutomationExit(page);
      await page.goto(cs.workbenchUrl({
        payload: [['extensionDevelopmentPath', cs.remoteUri(probe.dir)], ['extensionTestsPath', cs.remoteUri(probe.module)], ['skipWelcome', 'true']],
      }));
      const deadline = Date.now() + 120000;
      while (!fs.existsSync(outFile) && Date.now() < deadline) await Promise.race([exited, sleep(200)]);
      await Promise.race([exited, sleep(2000)]);
      await page.close().catch(() => {});
      if (!fs.existsSync(outFile)) throw new Error(`the probe did not report within 120 s (sample ${i + 1}); see ${cs.logFile}`);
      const r = JSON.parse(fs.readFileSync(outFile, 'utf8'));
      if (r.error) throw new Error(`the probe failed: ${r.error}`);
      const ours = r.activations[oursId];
      const base = r.activations[empty.id];
      if (!ours?.ms || !base?.ms) {
        log(GROUP, `sample ${i + 1} unusable: ${JSON.stringify(r.activations)}`);
        continue;
      }
      samples.push({ waitedMs: r.waitedMs, order, oursMs: ours.ms, emptyMs: base.ms, oursCpuMs: ours.cpuMs, emptyCpuMs: base.cpuMs, ratio: ours.ms / base.ms });
      onlyLog(`sample ${i + 1}: ours ${fmt(ours.ms)} ms, empty ${fmt(base.ms)} ms (${order[0] === oursId ? 'ours first' : 'empty first'})`);
    }
    if (samples.length < Math.ceil(SAMPLES / 2)) throw new Error(`only ${samples.length} of ${SAMPLES} activation samples were usable`);
    return { oursId, samples };
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs) await cs.stop().catch(() => {});
    runDir.remove();
  }
}

export async function measure({ only }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-bench-ext-'));
  const results = [];
  try {
    const ours = await packageOurs(tmp);
    if (only.has('vsix-bytes')) {
      results.push(figure({
        ...FIGURES[0], value: ours.bytes / 1024,
        note: `${ours.bytes} bytes; vsce package --no-dependencies (production build)`,
        details: { bytes: ours.bytes, vsce: ours.summary },
      }));
    }
    if (only.has('activate-ms')) {
      let samples;
      try {
        ({ samples } = await measureActivation(tmp, ours.vsix, (m) => log(GROUP, m)));
      } catch (err) {
        results.push(failedFigure(FIGURES[1].name, FIGURES[1].unit, FIGURES[1].goal, err));
        log(GROUP, `activate-ms failed: ${err instanceof Error ? err.stack : err}`);
        return results;
      }
      const ms = median(samples.map((s) => s.oursMs));
      const emptyMs = median(samples.map((s) => s.emptyMs));
      const ratio = median(samples.map((s) => s.ratio));
      const cpu = [median(samples.map((s) => s.oursCpuMs)), median(samples.map((s) => s.emptyCpuMs))];
      results.push(figure({
        ...FIGURES[1], value: ms,
        note: `${fmt(ratio)}x an empty extension (${fmt(emptyMs)} ms; host thread CPU ${fmt(cpu[0])} vs ${fmt(cpu[1])} ms), ` +
          `medians of ${samples.length} extension hosts; activate() of the packaged .vsix timed inside code-server's host`,
        details: { ratio, emptyMs, oursCpuMs: cpu[0], emptyCpuMs: cpu[1], samples },
      }));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}
