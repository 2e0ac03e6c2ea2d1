// search-index-10k, search-index-mb-10k, search-query-10k: the workspace index (src/core/search)
// on a generated workspace of 10,000 source files (TypeScript, Python, Go, Markdown in Chinese and
// English; ~40 lines each). Identifiers are made of common programming words (VERBS, NOUNS, ADJ:
// every file has several) and of a project's own words (DOMAIN: 3000 made-up words drawn with a
// Zipf law, as names in real code are: a few everywhere, most in a few files). Index time is the CPU of reading every file's text (from memory: the disk is not what is
// measured) into a WorkspaceIndex; memory is the heap it holds afterwards (after GC, with
// --expose-gc); query latency is the median wall time of 60 questions in plain words (none is an
// identifier of the workspace), each answered with the best 20 snippets.
//
// search-worker-index-10k, search-worker-query-10k: the same workspace written to a temporary
// folder and indexed by the real worker bundle (dist/searchWorker.js, as the extension runs it):
// wall time from the file list sent to the index built (the worker reads the files from disk), and
// the median wall time of a question's round trip (message to the worker, query, the snippets'
// lines read from disk, answer back), with the CPU it costs the calling thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT, figure, fmt, log, median, now, out, processCpuMs, threadCpuMs } from './lib/common.mjs';

const GROUP = 'search';
export const FIGURES = [
  { name: 'search-index-10k', unit: 's', goal: null },
  { name: 'search-index-mb-10k', unit: 'MB', goal: null },
  { name: 'search-query-10k', unit: 'ms', goal: { op: '<=', value: 50 } },
  { name: 'search-worker-index-10k', unit: 's', goal: null },
  { name: 'search-worker-query-10k', unit: 'ms', goal: { op: '<=', value: 50 } },
];

const FILES = 10_000;
const { WorkspaceIndex } = out('src/core/search/workspaceIndex');

const VERBS = ['load', 'save', 'parse', 'render', 'fetch', 'update', 'validate', 'compute', 'resolve', 'merge', 'sort', 'filter', 'send', 'open', 'close', 'refresh', 'encode', 'decode', 'schedule', 'cancel'];
const NOUNS = ['user', 'session', 'token', 'config', 'setting', 'order', 'invoice', 'payment', 'cart', 'image', 'thumbnail', 'message', 'channel', 'queue', 'job', 'report', 'chart', 'layout', 'theme', 'cache', 'route', 'request', 'response', 'header', 'cookie', 'account', 'profile', 'avatar', 'comment', 'post'];
const ADJ = ['pending', 'active', 'stale', 'remote', 'local', 'cached', 'signed', 'encrypted', 'daily', 'partial'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The project's own words: made-up, pronounceable, distinct. */
const DOMAIN = (() => {
  const a = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z'];
  const v = ['a', 'e', 'i', 'o', 'u'];
  const words = new Set();
  const r = rng(7);
  while (words.size < 3000) {
    let w = '';
    for (let k = 0; k < 3; k++) w += a[Math.floor(r() * a.length)] + v[Math.floor(r() * v.length)];
    words.add(w + a[Math.floor(r() * a.length)]);
  }
  return [...words];
})();

/** A Zipf(1.07) draw over DOMAIN (rank 1 most often). */
function zipf(r) {
  const n = DOMAIN.length;
  const x = r();
  // inverse of the continuous approximation of the Zipf CDF
  const s = 1.07;
  const h = (k) => (k ** (1 - s) - 1) / (1 - s);
  const target = x * h(n + 1);
  const k = Math.floor(((1 - s) * target + 1) ** (1 / (1 - s)));
  return DOMAIN[Math.min(n - 1, Math.max(0, k - 1))];
}

function makeFile(i, r) {
  const pick = (xs) => (xs === NOUNS && r() < 0.6 ? zipf(r) : xs[Math.floor(r() * xs.length)]);
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const kind = i % 10;
  const lines = [];
  if (kind < 6) {
    for (let f = 0; f < 4; f++) {
      const v = pick(VERBS); const n = pick(NOUNS); const a = pick(ADJ);
      lines.push(`/** ${cap(v)}s the ${a} ${n} of a ${pick(NOUNS)}. */`, `export function ${v}${cap(a)}${cap(n)}(${pick(NOUNS)}Id: string, ${pick(NOUNS)}: ${cap(pick(NOUNS))}): ${cap(n)} {`,
        `  const ${n}List = store.${v}${cap(n)}s(${pick(NOUNS)}Id);`, `  if (!${n}List.length) throw new Error('no ${a} ${n}');`,
        `  return ${n}List.filter((x) => x.${pick(ADJ)}).map((x) => ${pick(VERBS)}${cap(pick(NOUNS))}(x))[0];`, '}', '');
    }
    return { path: `src/${pick(NOUNS)}/${pick(VERBS)}${cap(pick(NOUNS))}${i}.ts`, text: lines.join('\n') };
  }
  if (kind < 8) {
    for (let f = 0; f < 4; f++) {
      const v = pick(VERBS); const n = pick(NOUNS); const a = pick(ADJ);
      lines.push(`def ${v}_${a}_${n}(${pick(NOUNS)}_id, ${pick(NOUNS)}):`, `    """${cap(v)} the ${a} ${n}."""`, `    items = db.${v}_${n}s(${pick(NOUNS)}_id)`,
        `    return [x for x in items if x.${pick(ADJ)}]`, '');
    }
    return { path: `app/${pick(NOUNS)}s/${pick(VERBS)}_${pick(NOUNS)}_${i}.py`, text: lines.join('\n') };
  }
  if (kind === 8) {
    for (let f = 0; f < 4; f++) {
      const v = pick(VERBS); const n = pick(NOUNS);
      lines.push(`// ${cap(v)}${cap(n)} handles the ${n}.`, `func ${cap(v)}${cap(n)}(ctx context.Context, id string) (*${cap(n)}, error) {`, `\tres, err := repo.${cap(v)}(ctx, id)`,
        '\tif err != nil {', '\t\treturn nil, err', '\t}', `\treturn res.(*${cap(n)}), nil`, '}', '');
    }
    return { path: `pkg/${pick(NOUNS)}/${pick(VERBS)}_${i}.go`, text: `package ${pick(NOUNS)}\n\n${lines.join('\n')}` };
  }
  const zh = ['用户', '会话', '配置', '订单', '支付', '缓存', '消息', '报表', '主题', '路由'];
  for (let f = 0; f < 6; f++) lines.push(`## ${pick(zh)}${pick(['加载', '保存', '解析', '刷新'])}`, '', `${pick(zh)}的${pick(['读取', '更新', '校验'])}方法见 ${pick(VERBS)}${cap(pick(NOUNS))}。`, '');
  return { path: `docs/${i}.md`, text: lines.join('\n') };
}

// Questions in plain words: common programming words and some of the project's words (the i-th
// most common, for i spread over the ranks), as a user asking about their own code does.
const DOMAIN_QUESTIONS = [3, 10, 30, 100, 300, 1000, 2000, 2900].map((k, i) => `where do we ${VERBS[i]} the ${DOMAIN[k]} of a ${NOUNS[i]}`);
const QUESTIONS = [...DOMAIN_QUESTIONS,
  'where are stale sessions refreshed', 'how do we validate a signed invoice', 'code that loads cached thumbnails', 'sorting pending orders',
  'which function decodes encrypted cookies', 'saving the daily report chart', 'how is a remote avatar fetched', 'cancel a scheduled job in the queue',
  'update the active theme layout', 'merging partial profiles', 'resolve local routes', 'filter comments of a post', 'compute payments of a cart',
  'parse the response header', 'send a message to a channel', 'open an account session', 'close remote channels', 'encode request tokens',
  '用户配置在哪里加载', '订单支付如何校验',
];

export async function measure({ only }) {
  const results = [];
  if (['search-index-10k', 'search-index-mb-10k', 'search-query-10k'].some((n) => only.has(n))) results.push(...measureInProcess(only));
  if (['search-worker-index-10k', 'search-worker-query-10k'].some((n) => only.has(n))) results.push(...(await measureWorker(only)));
  return results;
}

function measureInProcess(only) {
  const r = rng(12345);
  const files = Array.from({ length: FILES }, (_, i) => makeFile(i, r));
  const mb = files.reduce((t, f) => t + f.text.length, 0) / 1e6;
  log(GROUP, `${FILES} files, ${fmt(mb)} MB of text`);
  const gc = globalThis.gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const c0 = processCpuMs();
  const index = new WorkspaceIndex();
  for (const f of files) index.setFile(f.path, f.text);
  const indexMs = processCpuMs() - c0;
  files.length = 0;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  log(GROUP, `indexed ${index.files} files, ${index.snippets} snippets in ${fmt(indexMs / 1000)} s CPU; heap +${fmt(heapMb)} MB${gc ? '' : ' (no --expose-gc: approximate)'}`);
  for (const q of QUESTIONS.slice(0, 5)) index.query(q); // warm
  const times = [];
  let hits = 0;
  for (let k = 0; k < 3; k++) {
    for (const q of QUESTIONS) {
      const t0 = now();
      hits += index.query(q, 20).length;
      times.push(now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const p95 = times[Math.floor(times.length * 0.95)];
  const results = [];
  if (only.has('search-index-10k')) {
    results.push(figure({ ...FIGURES[0], value: indexMs / 1000, note: `CPU to index ${FILES} files (${fmt(mb)} MB, ${index.snippets} snippets), text from memory`, details: { files: FILES, mb, snippets: index.snippets } }));
  }
  if (only.has('search-index-mb-10k')) {
    results.push(figure({ ...FIGURES[1], value: heapMb, bound: gc ? 'exact' : 'estimate', note: `heap the index holds after GC (${fmt(heapMb / mb)}x the text)` }));
  }
  if (only.has('search-query-10k')) {
    results.push(figure({ ...FIGURES[2], value: median(times), note: `median of ${times.length} questions in plain words (p95 ${fmt(p95)} ms, ${fmt(hits / times.length)} hits each), best 20 snippets` }));
  }
  return results;
}

async function measureWorker(only) {
  const workerFile = path.join(REPO_ROOT, 'dist/searchWorker.js');
  if (!fs.existsSync(workerFile)) throw new Error('dist/searchWorker.js is missing: run `npm run build` first');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
  const worker = new Worker(workerFile);
  try {
    const r = rng(12345);
    const files = [];
    for (let i = 0; i < FILES; i++) {
      const f = makeFile(i, r);
      const fsPath = path.join(root, f.path);
      fs.mkdirSync(path.dirname(fsPath), { recursive: true });
      fs.writeFileSync(fsPath, f.text);
      files.push({ fsPath, path: f.path, folder: 0 });
    }
    log(GROUP, `worker: ${FILES} files written to ${root}`);
    let nextId = 1;
    const message = (type, pred = () => true) => new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onError = (err) => {
        cleanup();
        reject(err);
      };
      const onMessage = (m) => {
        if (m.type === 'failed') onError(new Error(m.message));
        else if (m.type === type && pred(m)) {
          cleanup();
          resolve(m);
        }
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
    const t0 = now();
    const built = message('built');
    worker.postMessage({ type: 'build', generation: 1, folders: [{ root, excludes: [], useIgnoreFiles: true }], files, maxFiles: 20000 });
    const b = await built;
    const indexS = (now() - t0) / 1000;
    log(GROUP, `worker: indexed ${b.indexed} files (${b.skipped} skipped) in ${fmt(indexS)} s wall (${b.ms} ms in the worker)`);
    const ask = async (question) => {
      const id = nextId++;
      const answer = message('result', (m) => m.id === id);
      worker.postMessage({ type: 'query', id, question, limit: 20 });
      return (await answer).hits;
    };
    for (const q of QUESTIONS.slice(0, 5)) await ask(q); // warm
    const times = [];
    const cpu = [];
    let hits = 0;
    let chars = 0;
    for (let k = 0; k < 3; k++) {
      for (const q of QUESTIONS) {
        const c0 = threadCpuMs();
        const q0 = now();
        const h = await ask(q);
        times.push(now() - q0);
        cpu.push(threadCpuMs() - c0);
        hits += h.length;
        chars += h.reduce((t, x) => t + x.text.length, 0);
      }
    }
    times.sort((a, b2) => a - b2);
    const p95 = times[Math.floor(times.length * 0.95)];
    const results = [];
    if (only.has('search-worker-index-10k')) {
      results.push(figure({ ...FIGURES[3], value: indexS, note: `wall time of dist/searchWorker.js indexing ${FILES} files read from disk (${b.ms} ms inside the worker)`, details: { indexed: b.indexed, skipped: b.skipped } }));
    }
    if (only.has('search-worker-query-10k')) {
      results.push(figure({ ...FIGURES[4], value: median(times), note: `median round trip of ${times.length} questions through the worker, best 20 snippets with their text (p95 ${fmt(p95)} ms, ${fmt(hits / times.length)} hits, ${fmt(chars / times.length / 1000)} K chars each; calling thread CPU median ${fmt(median(cpu))} ms)` }));
    }
    return results;
  } finally {
    await worker.terminate();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
