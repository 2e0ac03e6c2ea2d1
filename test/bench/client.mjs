// client-overhead: CPU of HunyuanClient (src/core/hunyuan/client.ts) over the raw `openai` SDK,
// both iterating the same local 20,000-chunk SSE stream.
//
// The stream comes from a server on 127.0.0.1 in a worker thread (client/sseWorker.mjs) in the
// gateway's shape: `reasoning` deltas, then `content` with `<answer>` tags, a finish chunk, a usage
// chunk and [DONE]; one event per socket read (lockstep), as tokens arrive from a real gateway. The
// CPU counted is this process's main thread (schedstat), where both clients run entirely, so the
// server thread does not count. Runs alternate (raw, ours, ours, raw, ...) after a warm-up of each;
// the figure is the median of the per-pair ratios.
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { BENCH_DIR, figure, fmt, log, median, out, processCpuMs, requireFromRepo, threadClockName, threadCpuMs } from './lib/common.mjs';

const GROUP = 'client';
export const FIGURES = [{ name: 'client-overhead', unit: 'x', goal: { op: '<=', value: 1.1 } }];

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

export async function measure() {
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
    return [figure({
      ...FIGURES[0], value: ratio,
      note: `median of ${PAIRS} pairs: HunyuanClient ${fmt(median(pairs.map((p) => p.oursMs)))} ms vs raw SDK ${fmt(median(pairs.map((p) => p.rawMs)))} ms ` +
        `main-thread CPU for ${CHUNKS} chunks, one per read`,
      details: { chunks: CHUNKS, clock: threadClockName(), pairs, warmUp: warm.map(({ kind, ms, n, chars }) => ({ kind, ms, n, chars })) },
    })];
  } finally {
    await server.close();
  }
}
