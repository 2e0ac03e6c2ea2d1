// Shared helpers of `npm run bench`: paths, the compiled sources in out/, CPU clocks, statistics
// and the figure record every bench module returns.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BENCH_DIR = path.join(REPO_ROOT, 'test/bench');

/** `require` for the CommonJS output of `tsc -p .` (out/src/..., out/test/...) and node_modules. */
export const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

/** A compiled module of the repository, e.g. `out('src/core/diff/session')`. Clear message when missing. */
export function out(modulePath) {
  const file = path.join(REPO_ROOT, 'out', `${modulePath}.js`);
  if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`npm run compile-tests\` first`);
  return requireFromRepo(file);
}

/** Reads a numeric constant from a source file (`const NAME = 30;` or `name = 400,`), so the bench follows the code. */
export function constantFrom(file, pattern, fallback) {
  try {
    const m = pattern.exec(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    if (m) return { value: Number(m[1].replace(/_/g, '')), found: true };
  } catch { /* fall through */ }
  return { value: fallback, found: false };
}

// ---- clocks ---------------------------------------------------------------------------------

let schedFd;
const schedBuf = Buffer.alloc(128);

/**
 * CPU time of this process's main thread, in ms: from /proc/self/task/<pid>/schedstat (nanoseconds,
 * Linux), so other threads (libuv's pool, GC helpers, a server in a worker) and time spent waiting
 * for the CPU on a loaded machine do not count. Falls back to process.cpuUsage() (user + system of
 * the whole process, µs resolution) elsewhere.
 */
export function threadCpuMs() {
  if (schedFd === undefined) {
    try {
      schedFd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    } catch {
      schedFd = null;
    }
  }
  if (schedFd !== null) {
    const n = fs.readSync(schedFd, schedBuf, 0, schedBuf.length, 0);
    const ns = schedBuf.toString('latin1', 0, n).split(' ')[0];
    if (/^\d+$/.test(ns)) return Number(ns) / 1e6;
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Which clock threadCpuMs() uses. */
export function threadClockName() {
  threadCpuMs();
  return schedFd ? 'main-thread CPU (schedstat)' : 'process CPU (process.cpuUsage)';
}

/** Whole-process CPU (user + system) in ms. */
export function processCpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const now = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- statistics -----------------------------------------------------------------------------

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export const sum = (values) => values.reduce((a, b) => a + b, 0);

/** A number for a line: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  const a = Math.abs(x);
  if (a >= 100) return String(Math.round(x));
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

// ---- figures --------------------------------------------------------------------------------

/**
 * One measured figure: name, value (a number), unit, goal ({ op: '<=', value } or null for a figure
 * that is only reported), bound ('exact'; 'estimate', shown as "~"; 'lower', a lower bound shown
 * as ">", which never counts as meeting a goal), note (printed after the verdict) and details (for
 * bench-results.json only).
 */
export function figure({ name, value, unit, goal = null, bound = 'exact', note, details = {} }) {
  let status = 'ok';
  if (goal) {
    const meets = goal.op === '<=' ? value <= goal.value : goal.op === '>=' ? value >= goal.value : false;
    status = meets && bound !== 'lower' ? 'ok' : 'MISS';
  }
  const prefix = bound === 'estimate' ? '~' : bound === 'lower' ? '>' : '';
  return { name, value, unit, goal, bound, display: `${prefix}${fmt(value)}`, status, note, details };
}

/** A figure whose measurement failed. */
export function failedFigure(name, unit, goal, error) {
  const message = error instanceof Error ? error.message : String(error);
  return { name, value: null, unit, goal, bound: 'exact', display: '-', status: 'FAILED', note: message.split('\n')[0], error: message, details: {} };
}

/** The printed line: `bench <name>: <value> <unit> (goal <op> <goal>) ok|MISS [note]`. */
export function line(f) {
  const goal = f.goal ? `(goal ${f.goal.op} ${f.goal.value})` : '(goal: report)';
  return `bench ${f.name}: ${f.display} ${f.unit} ${goal} ${f.status}${f.note ? `  [${f.note}]` : ''}`;
}

/** Progress messages of a bench module (stderr, so stdout keeps only the figure lines and the summary). */
export function log(group, message) {
  process.stderr.write(`[bench ${group}] ${message}\n`);
}
