// client-overhead: CPU of HunyuanClient (src/core/hunyuan/client.ts) over the raw `openai` SDK,
// both iterating the same local 20,000-chunk SSE stream. (HunyuanClient sends the request through
// the SDK and reads the streamed body itself, in one pass: it can cost less than the SDK's own
// stream, which copies its buffer and goes through three async generators per event.)
//
// The stream comes from a server on 127.0.0.1 in a worker thread (client/sseWorker.mjs) in the
// gateway's shape: `reasoning` deltas, then `content` with `<answer>` tags, a finish chunk, a usage
// chunk and [DONE]; one event per socket read (lockstep), as tokens arrive from a real gateway. The
// CPU counted is this process's main thread (schedstat), where both clients run entirely, so the
// server thread does not count. Runs alternate (raw, ours, ours, raw, ...) after a warm-up of each;
// the figure is the median of the per-pair ratios.
//
// client-longest-stall: the most main-thread CPU between two ticks of a 1 ms timer (so, the longest
// the thread is held at once, the timers and other work kept waiting) while HunyuanClient reads
// hostile or broken responses from the gateway test server (in a worker thread): a 32 MiB data:
// line without a newline, an answer of 200,000,000 characters that ignores max_tokens (stopped at
// its limit), one event whose answer holds a run of 100,000 newlines, and one event just under the
// 256 KiB cap. Median of 3 runs of each; the figure is the worst case. Beside it, the raw SDK on a
// 4 MiB line (its line decoder is quadratic: a 32 MiB one holds the thread ~25 s).
import { clearInterval, setInterval } from 'node:timers';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { BENCH_DIR, REPO_ROOT, figure, fmt, log, median, out, processCpuMs, requireFromRepo, threadClockName, threadCpuMs } from './lib/common.mjs';

const GROUP = 'client';
export const FIGURES = [
  { name: 'client-overhead', unit: 'x', goal: { op: '<=', value: 1.1 } },
  { name: 'client-longest-stall', unit: 'ms', goal: { op: '<=', value: 50 } },
];

const CHUNKS = 20000;
const PAIRS = Number(process.env.BENCH_CLIENT_PAIRS) || 4;
const MODEL = 'tencent/hunyuan-a13b-instruct';

/** The SSE events (each a complete `data: ...\n\n`), CHUNKS data chunks in all before [DONE]. */
function sseEvents() {
  const words = ['the', ' function', ' returns', ' a', ' sorted', ' copy', ' of', ' its', ' input', ';', ' 我们', '先', '检查', ' edge', ' cases', '.\n'];
  const meta = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1760000000, model: MODEL };
  const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...meta, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish, native_finish_reason: finish }] })}\n\n`;
  const events = [];
  const reasoning = Math.floor(CHUNKS * 0.2);
  const content = CHUNKS - reasoning - 2;
  for (let i = 0; i < reasoning; i++) events.push(chunk({ ...(i === 0 ? { role: 'assistant' } : {}), content: '', reasoning: words[i % words.length] }));
  for (let i = 0; i < content; i++) {
    const text = i === 0 ? '<answer>' : i === content - 1 ? '</answer>' : words[(i * 7) % words.length];
    events.push(chunk({ content: text }));
  }
  events.push(chunk({}, 'stop'));
  events.push(`data: ${JSON.stringify({ ...meta, choices: [], usage: { prompt_tokens: 20, completion_tokens: CHUNKS, total_tokens: CHUNKS + 20 } })}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

async function startServer(events, shared) {
  const worker = new Worker(path.join(BENCH_DIR, 'client/sseWorker.mjs'), { workerData: { events, shared } });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m.port));
    worker.once('error', reject);
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.postMessage('close');
      setTimeout(() => worker.terminate(), 2000).unref();
    }),
  };
}

export async function measure({ only } = {}) {
  const wanted = (name) => !only || only.has(name);
  const figures = [];
  if (wanted('client-overhead')) figures.push(await overhead());
  if (wanted('client-longest-stall')) figures.push(await longestStall());
  return figures;
}

async function overhead() {
  const OpenAI = requireFromRepo('openai').default ?? requireFromRepo('openai');
  const { HunyuanClient } = out('src/core/hunyuan/client');
  const shared = new SharedArrayBuffer(4);
  const counter = new Int32Array(shared);
  const tick = () => {
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  const server = await startServer(sseEvents(), shared);
  const body = {
    model: MODEL, messages: [{ role: 'user', content: 'Write a sorting function.' }], stream: true,
    stream_options: { include_usage: true }, max_tokens: 32768,
  };
  const apiKey = 'sk-bench-not-a-real-key';

  const runs = {
    async raw() {
      const openai = new OpenAI({ apiKey, baseURL: server.baseUrl, maxRetries: 0, timeout: 60000, logLevel: 'off' });
      const stream = await openai.chat.completions.create(body);
      let chars = 0;
      let n = 0;
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta;
        if (d) chars += (d.content?.length ?? 0) + (d.reasoning?.length ?? 0);
        n++;
        tick();
      }
      return { chars, n };
    },
    async ours() {
      const client = new HunyuanClient({ baseUrl: server.baseUrl, apiKey, timeoutMs: 60000, idleTimeoutMs: 60000 });
      let chars = 0;
      let n = 0;
      let error;
      for await (const e of client.chat(body)) {
        if (e.type === 'thinking' || e.type === 'answer') chars += e.text.length;
        if (e.type === 'error') error = e.error;
        n++;
        tick();
      }
      if (error) throw new Error(`HunyuanClient ended with an error: ${error.kind}: ${error.message}`);
      return { chars, n };
    },
  };
  const timed = async (kind) => {
    const c0 = threadCpuMs();
    const p0 = processCpuMs();
    const r = await runs[kind]();
    return { kind, ms: threadCpuMs() - c0, processMs: processCpuMs() - p0, ...r };
  };

  try {
    log(GROUP, `warm-up (${CHUNKS} chunks per run, ${threadClockName()})`);
    const warm = [await timed('raw'), await timed('ours')];
    if (warm[0].n < CHUNKS - 1) throw new Error(`the raw SDK saw ${warm[0].n} chunks, expected ${CHUNKS}`);
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      const order = i % 2 ? ['ours', 'raw'] : ['raw', 'ours'];
      const a = await timed(order[0]);
      const b = await timed(order[1]);
      const raw = a.kind === 'raw' ? a : b;
      const ours = a.kind === 'ours' ? a : b;
      pairs.push({ rawMs: raw.ms, oursMs: ours.ms, ratio: ours.ms / raw.ms, rawProcessMs: raw.processMs, oursProcessMs: ours.processMs });
      log(GROUP, `pair ${i + 1}: raw ${fmt(raw.ms)} ms, HunyuanClient ${fmt(ours.ms)} ms → ${fmt(ours.ms / raw.ms)}`);
    }
    const ratio = median(pairs.map((p) => p.ratio));
    return figure({
      ...FIGURES[0], value: ratio,
      note: `median of ${PAIRS} pairs: HunyuanClient ${fmt(median(pairs.map((p) => p.oursMs)))} ms vs raw SDK ${fmt(median(pairs.map((p) => p.rawMs)))} ms ` +
        `main-thread CPU for ${CHUNKS} chunks, one per read`,
      details: { chunks: CHUNKS, clock: threadClockName(), pairs, warmUp: warm.map(({ kind, ms, n, chars }) => ({ kind, ms, n, chars })) },
    });
  } finally {
    await server.close();
  }
}

// ---- client-longest-stall ----------------------------------------------------------------------

const MIB = 1024 * 1024;
const RUNS = 3;

/** The most main-thread CPU (ms) spent between two ticks of a 1 ms interval while `run` runs. */
async function stallOf(run) {
  let last = threadCpuMs();
  let longest = 0;
  const tick = () => {
    const t = threadCpuMs();
    longest = Math.max(longest, t - last);
    last = t;
  };
  const timer = setInterval(tick, 1);
  const c0 = threadCpuMs();
  let result;
  try {
    result = await run();
  } finally {
    clearInterval(timer);
    tick();
  }
  return { longest, totalMs: threadCpuMs() - c0, result };
}

async function startGatewayWorker(workerData) {
  const worker = new Worker(path.join(BENCH_DIR, 'client/gatewayWorker.mjs'), { workerData: { repoRoot: REPO_ROOT, ...workerData } });
  const url = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m.url));
    worker.once('error', reject);
  });
  return {
    url,
    close: () => new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.postMessage('close');
      setTimeout(() => worker.terminate(), 2000).unref();
    }),
  };
}

async function longestStall() {
  const OpenAI = requireFromRepo('openai').default ?? requireFromRepo('openai');
  const { HunyuanClient } = out('src/core/hunyuan/client');
  const newlines = `x${'\n'.repeat(100_000)}y`;
  const atCap = 'ab 12 '.repeat(40_000); // 240,000 characters: one event just under 256 KiB
  const gateway = await startGatewayWorker({
    contextWindow: 2_000_000,
    options: {
      'huge-line': { hugeLineBytes: 32 * MIB, chunksBeforeFault: 3 },
      'reasoning': { answer: newlines, thinking: 'Short.', chunkSize: 10_000_000 },
      'plain': { answer: atCap, chunkSize: 10_000_000 },
    },
    // the raw SDK's line, on /v1
    defaultScenario: { name: 'huge-line', options: { hugeLineBytes: 4 * MIB, chunksBeforeFault: 3 } },
  });
  const apiKey = 'sk-bench-not-a-real-key';
  const request = (maxTokens) => ({
    model: MODEL, messages: [{ role: 'user', content: 'Write a sorting function.' }], stream: true,
    stream_options: { include_usage: true }, max_tokens: maxTokens,
  });
  const cases = [
    { name: 'a 32 MiB line', scenario: 'huge-line', maxTokens: 8192, expect: 'tooLarge' },
    { name: '200 M characters ignoring max_tokens 8192', scenario: 'ignores-max-tokens', maxTokens: 8192, expect: 'tooLarge' },
    { name: '100,000 newlines in one event', scenario: 'reasoning', maxTokens: 1_000_000, expect: 'finish' },
    { name: 'one event of 240,000 characters', scenario: 'plain', maxTokens: 1_000_000, expect: 'finish' },
  ];
  const ours = async (c) => {
    const client = new HunyuanClient({ baseUrl: `${gateway.url}/s/${c.scenario}/v1`, apiKey, timeoutMs: 60000, idleTimeoutMs: 60000 });
    let end = '';
    let chars = 0;
    for await (const e of client.chat(request(c.maxTokens))) {
      if (e.type === 'thinking' || e.type === 'answer') chars += e.text.length;
      if (e.type === 'finish') end = 'finish';
      if (e.type === 'error') end = e.error.kind;
    }
    if (end !== c.expect) throw new Error(`${c.name}: HunyuanClient ended with ${end || 'nothing'}, expected ${c.expect}`);
    return { chars };
  };
  try {
    const results = [];
    for (const c of cases) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await stallOf(() => ours(c)));
      const longest = median(runs.map((r) => r.longest));
      results.push({ case: c.name, longestMs: longest, runs: runs.map((r) => ({ longestMs: r.longest, totalMs: r.totalMs, chars: r.result.chars })) });
      log(GROUP, `${c.name}: longest ${fmt(longest)} ms (CPU ${fmt(median(runs.map((r) => r.totalMs)))} ms in all)`);
    }
    // Beside it: the raw SDK on a 4 MiB line.
    const raw = await stallOf(async () => {
      const openai = new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0, timeout: 600000, logLevel: 'off' });
      const stream = await openai.chat.completions.create(request(8192));
      let chars = 0;
      for await (const chunk of stream) chars += chunk.choices[0]?.delta?.content?.length ?? 0;
      return { chars };
    });
    log(GROUP, `raw openai SDK, a 4 MiB line: longest ${fmt(raw.longest)} ms (CPU ${fmt(raw.totalMs)} ms in all)`);
    const worst = results.reduce((a, b) => (b.longestMs > a.longestMs ? b : a));
    return figure({
      ...FIGURES[1], value: worst.longestMs,
      note: `worst of ${results.length} hostile responses (${worst.case}), median of ${RUNS} runs; the raw SDK on a 4 MiB line: ${fmt(raw.longest)} ms`,
      details: { clock: threadClockName(), cases: results, rawSdk4MiBLine: { longestMs: raw.longest, totalMs: raw.totalMs } },
    });
  } finally {
    await gateway.close();
  }
}
