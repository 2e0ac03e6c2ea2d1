// chat-stream-64k, chat-stream-1m, chat-longest-task-1m: streaming a long Markdown answer into the
// real chat webview bundle (dist/webview.js, dist/webview.css from `npm run build`) in Chromium.
//
// The page (chat/page/) stands in for VS Code: the webview shell's CSP, a dark theme, and an
// `acquireVsCodeApi` that answers Ready with a conversation holding one question. The answer
// arrives as ChatController sends it: a TurnChanged (streaming), StreamDelta batches, a final
// TurnChanged. The batches are what queueDelta/flushDelta make of a model writing TOKENS_PER_SECOND
// tokens (the first token queued arms a DELTA_INTERVAL_MS timer, read from chatController.ts), and
// a worker posts them in real time, independently of the page's main thread, as the extension host
// does. Main-thread time is Chromium's TaskDuration (CDP Performance.getMetrics, thread time) over
// the stream, until the page has rendered the end; the baseline is the same page loading the
// finished answer once (SnapshotChanged), measured before and after the stream (mean of the two).
// "Until the page has rendered" includes the renderer's queued work (code colour, done in idle
// time: the page waits until none is left). Each figure also reports the floor under any renderer:
// the same batches delivered with a method no one handles (600 of them, scaled), i.e. what
// receiving the messages costs the page by itself.
//
// 64 KB streams in full. 1 MB would take 20 minutes in real time, so it is sampled: the batches are
// cut into SEGMENTS parts; in each, LEAD_IN batches play unmeasured, WINDOW batches play measured
// (and traced), and the rest of the part arrives as one delta, unmeasured. The estimate is each
// window's time per batch times the batches of its part, plus the final TurnChanged (measured).
// The longest task is the longest RunTask of the renderer's main thread in those traced windows
// (thread time), while the answer grows from 0 to 1 MB.
/* global window, document */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../host/lib/browser.mjs';
import { batches, makeAnswer, tokenize } from './chat/answer.mjs';
import { BENCH_DIR, REPO_ROOT, constantFrom, figure, fmt, log, out, requireFromRepo, sum } from './lib/common.mjs';

const GROUP = 'chat';
export const FIGURES = [
  { name: 'chat-stream-64k', unit: 'x', goal: { op: '<=', value: 2 } },
  { name: 'chat-stream-1m', unit: 'x', goal: { op: '<=', value: 2 } },
  { name: 'chat-longest-task-1m', unit: 'ms', goal: { op: '<=', value: 50 } },
];

const TOKENS_PER_SECOND = 300;
const SEGMENTS = Number(process.env.BENCH_CHAT_SEGMENTS) || 12;
const LEAD_IN = 10;
const WINDOW = Number(process.env.BENCH_CHAT_WINDOW) || 80;
/** Batches delivered unhandled to measure the floor (message delivery alone). */
const FLOOR_BATCHES = 600;
const VIEWPORT = { width: 420, height: 900 }; // the side panel
const MODEL = 'tencent/hunyuan-a13b-instruct';

const P = out('src/common/chat/protocol');
const { CHAT_STRINGS } = out('src/common/chat/strings');

// ---- the page ---------------------------------------------------------------------------------

async function buildHost(dir) {
  const esbuild = requireFromRepo('esbuild');
  await esbuild.build({
    entryPoints: [path.join(BENCH_DIR, 'chat/page/host.mjs')],
    outfile: path.join(dir, 'host.js'),
    bundle: true, format: 'iife', platform: 'browser', target: ['chrome114'], logLevel: 'warning',
  });
}

function serve(hostDir) {
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const routes = [
    ['/dist/', path.join(REPO_ROOT, 'dist')],
    ['/bench/host.js', path.join(hostDir, 'host.js')],
    ['/bench/producer.js', path.join(BENCH_DIR, 'chat/page/producer.js')],
  ];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    let file = url.pathname === '/' ? path.join(BENCH_DIR, 'chat/page/index.html') : undefined;
    for (const [prefix, target] of routes) {
      if (url.pathname === prefix) file = target;
      else if (prefix.endsWith('/') && url.pathname.startsWith(prefix)) file = path.join(target, decodeURIComponent(url.pathname.slice(prefix.length)));
    }
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- the conversation -------------------------------------------------------------------------

const T0 = Date.parse('2026-01-01T00:00:00Z');
const userTurn = { id: 'u-bench', role: 'user', text: 'Walk me through the whole implementation, with examples in every language.', context: [], thinking: 'fast', createdAt: T0 };
const streamingTurn = { id: 'a-bench', role: 'assistant', thinking: '', answer: '', status: 'streaming', startedAt: T0 + 10, model: MODEL };
const totals = (turn) => ({ promptTokens: turn?.usage?.promptTokens ?? 0, completionTokens: turn?.usage?.completionTokens ?? 0, costYuan: turn?.costYuan ?? 0, estimated: false });

function finalTurn(answer) {
  const completion = Math.round(answer.length / 3);
  return {
    ...streamingTurn, answer, status: 'done', endedAt: T0 + 60000, firstTokenMs: 420, finishReason: 'stop',
    usage: { promptTokens: 1500, completionTokens: completion, totalTokens: 1500 + completion, estimated: false },
    costYuan: (1500 * 0.0019 + completion * 0.0075) / 1000,
  };
}

function snapshot(turns) {
  const conversation = { id: 'c-bench', title: 'Walk me through the whole implementation', createdAt: T0, updatedAt: T0, turns };
  return {
    conversation,
    conversations: [{ id: conversation.id, title: conversation.title, updatedAt: T0, turnCount: turns.length }],
    totals: totals(turns.find((t) => t.role === 'assistant')),
    pendingContext: [],
    settings: { thinking: 'fast', collapseThinking: true, contextWindow: 32768, model: MODEL, hasApiKey: true },
    strings: CHAT_STRINGS,
    draft: '',
  };
}

const notification = (type, params) => ({ type: 'notification', method: type.method, params });

// ---- measuring --------------------------------------------------------------------------------

class Bench {
  constructor(context, base) {
    this.context = context;
    this.base = base;
    this.errors = [];
  }

  /** A fresh page showing the question, ready; one page at a time, so the renderer's main thread is its own. */
  async open() {
    const page = await this.context.newPage();
    const config = {
      theme: 'dark', settleMs: 350, snapshot: snapshot([userTurn]),
      methods: { ready: P.Ready.method, estimate: P.EstimateBudget.method },
      budget: { promptTokens: 1500, maxTokens: 8192, contextWindow: 32768, remaining: 23076, overflowTurns: 0, tooLong: false },
    };
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location()?.url ?? ''}`); });
    await page.addInitScript((c) => { window.benchConfig = c; }, config);
    await page.goto(this.base);
    await page.waitForFunction(() => window.bench && window.bench.ready(), null, { timeout: 60000 });
    await page.evaluate(() => window.bench.settle());
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    return { page, cdp, errors };
  }

  static async metrics(cdp) {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
  }

  /** Plays messages in the page; returns main-thread time (and parts) over it. */
  static async play(p, messages, times, { label, settle = 'full' }) {
    await p.page.evaluate(([m, t]) => { window.benchNext = [m, t]; }, [messages, times]);
    const m0 = await Bench.metrics(p.cdp);
    await p.page.evaluate(([l, s]) => window.bench.play(window.benchNext[0], window.benchNext[1], l, s), [label, settle]);
    const m1 = await Bench.metrics(p.cdp);
    await p.page.evaluate(() => { window.benchNext = undefined; });
    return { ms: m1.task - m0.task, scriptMs: m1.script - m0.script, layoutMs: m1.layout - m0.layout, styleMs: m1.style - m0.style };
  }

  /** What the answer looks like once rendered (to check the runs rendered the same thing). */
  static async rendered(p) {
    return p.page.evaluate(() => {
      const el = document.querySelector('[data-turn-id="a-bench"] [data-testid="answer"]') ?? document.querySelector('[data-turn-id="a-bench"]');
      return { found: !!el, chars: el?.textContent.length ?? 0, codeBlocks: el?.querySelectorAll('pre').length ?? 0, elements: el?.querySelectorAll('*').length ?? 0 };
    });
  }

  /** Closes the page; errors it logged are kept for the report (a page that did not render fails in renderCheck). */
  async close(p) {
    await p.cdp.detach().catch(() => {});
    await p.page.close();
    if (p.errors.length) {
      this.errors.push(...p.errors);
      log(GROUP, `the page logged ${p.errors.length} error(s): ${p.errors.slice(0, 3).join(' | ')}`);
    }
  }

  /** Loading the finished answer once: a SnapshotChanged with the whole conversation. */
  async loadOnce(answer) {
    const p = await this.open();
    const r = await Bench.play(p, [notification(P.SnapshotChanged, snapshot([userTurn, finalTurn(answer)]))], [0], { label: 'load' });
    r.rendered = await Bench.rendered(p);
    await this.close(p);
    return r;
  }

  /** The whole answer in real time. */
  async streamFull(answer, list) {
    const p = await this.open();
    const messages = [
      notification(P.TurnChanged, { turn: streamingTurn, totals: totals() }),
      ...list.map((b) => notification(P.StreamDelta, { turnId: streamingTurn.id, answer: b.text, firstTokenMs: 420 })),
      notification(P.TurnChanged, { turn: finalTurn(answer), totals: totals(finalTurn(answer)) }),
    ];
    const times = [0, ...list.map((b) => b.at + 5), list[list.length - 1].at + 5];
    const r = await Bench.play(p, messages, times, { label: 'stream' });
    r.rendered = await Bench.rendered(p);
    await this.close(p);
    return r;
  }

  /**
   * The floor under any renderer: the same batches, at the same times, delivered to the page with
   * a method no one handles (the page only receives and dispatches them), for the first
   * FLOOR_BATCHES; scaled to all of them.
   */
  async deliveryFloor(list) {
    const part = list.slice(0, Math.min(FLOOR_BATCHES, list.length));
    const p = await this.open();
    const ignored = { method: 'bench/ignored' };
    const r = await Bench.play(p, part.map((b) => notification(ignored, { turnId: streamingTurn.id, answer: b.text })), part.map((b) => b.at - part[0].at + 5), { label: 'floor', settle: 'frames' });
    await this.close(p);
    return { ms: (r.ms * list.length) / part.length, measuredBatches: part.length };
  }

  /** The answer in SEGMENTS parts: each with a measured (and traced) window, the rest fast-forwarded. */
  async streamSampled(answer, list) {
    const p = await this.open();
    const tracer = new Tracer(p.cdp);
    const delta = (b) => notification(P.StreamDelta, { turnId: streamingTurn.id, answer: b.text, firstTokenMs: 420 });
    const realTime = (part) => part.map((b) => b.at - part[0].at + 5);
    const bounds = Array.from({ length: SEGMENTS + 1 }, (_, s) => Math.round((s * list.length) / SEGMENTS));
    const windows = [];
    for (let s = 0; s < SEGMENTS; s++) {
      const [a, z] = [bounds[s], bounds[s + 1]];
      const lead = list.slice(a, a + LEAD_IN);
      const win = list.slice(a + LEAD_IN, Math.min(z, a + LEAD_IN + WINDOW));
      const rest = list.slice(a + LEAD_IN + win.length, z);
      await tracer.start();
      const leadMessages = lead.map(delta);
      const leadTimes = realTime(lead);
      if (s === 0) {
        leadMessages.unshift(notification(P.TurnChanged, { turn: streamingTurn, totals: totals() }));
        leadTimes.unshift(0);
      }
      await Bench.play(p, leadMessages, leadTimes, { label: `lead-${s}`, settle: 'frames' });
      const w = await Bench.play(p, win.map(delta), realTime(win), { label: `window-${s}`, settle: 'frames' });
      const trace = await tracer.stop(`window-${s}`);
      windows.push({
        segment: s, fromChars: sum(list.slice(0, a + LEAD_IN).map((b) => b.text.length)), batches: win.length, segmentBatches: z - a,
        ms: w.ms, msPerBatch: w.ms / win.length, scriptMs: w.scriptMs, layoutMs: w.layoutMs, styleMs: w.styleMs, longestTaskMs: trace.longest, longestTaskWallMs: trace.longestWall,
      });
      log(GROUP, `1 MB, part ${s + 1}/${SEGMENTS} (from ${fmt(windows[s].fromChars / 1024)} KB): ${fmt(w.ms / win.length)} ms per batch, longest task ${fmt(trace.longest)} ms`);
      if (rest.length) await Bench.play(p, [delta({ text: rest.map((b) => b.text).join('') })], [0], { label: `jump-${s}` });
    }
    await tracer.start();
    const end = await Bench.play(p, [notification(P.TurnChanged, { turn: finalTurn(answer), totals: totals(finalTurn(answer)) })], [0], { label: 'end' });
    const endTrace = await tracer.stop('end');
    const rendered = await Bench.rendered(p);
    await this.close(p);
    const estimate = sum(windows.map((w) => w.msPerBatch * w.segmentBatches)) + end.ms;
    return {
      ms: estimate, windows, endMs: end.ms, endLongestTaskMs: endTrace.longest, rendered,
      longest: Math.max(endTrace.longest, ...windows.map((w) => w.longestTaskMs)),
      longestWall: Math.max(endTrace.longestWall, ...windows.map((w) => w.longestTaskWallMs)),
    };
  }
}

/** CDP tracing of the page's main-thread tasks between two performance marks. */
class Tracer {
  constructor(cdp) {
    this.cdp = cdp;
  }

  async start() {
    this.events = [];
    this.onData = (e) => this.events.push(...e.value);
    this.cdp.on('Tracing.dataCollected', this.onData);
    await this.cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' });
  }

  /** The longest main-thread task between the marks bench:<label>:start and :end (thread ms, wall ms). */
  async stop(label) {
    const complete = new Promise((resolve) => this.cdp.once('Tracing.tracingComplete', resolve));
    await this.cdp.send('Tracing.end');
    await complete;
    this.cdp.off('Tracing.dataCollected', this.onData);
    const events = this.events;
    this.events = [];
    const mark = (name) => events.find((e) => e.name === name);
    const start = mark(`bench:${label}:start`);
    const end = mark(`bench:${label}:end`);
    if (!start || !end) throw new Error(`trace of ${label}: marks missing (${events.length} events)`);
    const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start.pid).map((e) => e.tid));
    const tasks = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.pid === start.pid && main.has(e.tid)
      && e.ts >= start.ts && e.ts + e.dur <= end.ts);
    if (!tasks.length) throw new Error(`trace of ${label}: no main-thread tasks found`);
    return {
      longest: Math.max(...tasks.map((e) => (e.tdur ?? e.dur) / 1000)),
      longestWall: Math.max(...tasks.map((e) => e.dur / 1000)),
      tasks: tasks.length,
    };
  }
}

// ---- the figures ------------------------------------------------------------------------------

export async function measure({ only }) {
  for (const f of ['dist/webview.js', 'dist/webview.css']) {
    if (!fs.existsSync(path.join(REPO_ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const interval = constantFrom('src/extension/chat/chatController.ts', /DELTA_INTERVAL_MS\s*=\s*([\d_]+)/, 30);
  const batching = { tokensPerSecond: TOKENS_PER_SECOND, intervalMs: interval.value };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-bench-chat-'));
  await buildHost(dir);
  const server = await serve(dir);
  const browser = await launchBrowser({ dir, viewport: VIEWPORT });
  const bench = new Bench(browser.context, `http://127.0.0.1:${server.address().port}/`);
  const results = [];
  const batchNote = `${TOKENS_PER_SECOND} tokens/s in ${interval.value} ms batches${interval.found ? '' : ' (interval assumed)'}`;
  try {
    if (only.has('chat-stream-64k')) {
      const answer = makeAnswer(64 * 1024);
      const list = batches(tokenize(answer), batching);
      log(GROUP, `64 KB: ${answer.length} chars, ${list.length} batches, ${fmt(list[list.length - 1].at / 1000)} s in real time`);
      const before = await bench.loadOnce(answer);
      const stream = await bench.streamFull(answer, list);
      const after = await bench.loadOnce(answer);
      const once = (before.ms + after.ms) / 2;
      const floor = await bench.deliveryFloor(list);
      log(GROUP, `64 KB: streaming ${fmt(stream.ms)} ms, loading once ${fmt(before.ms)} / ${fmt(after.ms)} ms; delivering the batches alone ~${fmt(floor.ms)} ms`);
      const details = { chars: answer.length, batches: list.length, realTimeS: list[list.length - 1].at / 1000, stream, loadOnce: [before, after], deliveryFloor: floor, ...renderCheck(stream, before), pageErrors: bench.errors };
      results.push(figure({
        ...FIGURES[0], value: stream.ms / once,
        note: `main-thread time streaming ${fmt(stream.ms)} ms (${list.length} batches) vs loading it once ${fmt(once)} ms; ` +
          `of that, receiving the batches alone (no rendering) ~${fmt(floor.ms)} ms (${fmt(floor.ms / once)}x); ${batchNote}${caveats(details, bench.errors)}`,
        details,
      }));
    }
    if (only.has('chat-stream-1m') || only.has('chat-longest-task-1m')) {
      const answer = makeAnswer(1024 * 1024);
      const list = batches(tokenize(answer), batching);
      log(GROUP, `1 MB: ${answer.length} chars, ${list.length} batches (${fmt(list[list.length - 1].at / 60000)} min in real time): sampled`);
      const before = await bench.loadOnce(answer);
      const stream = await bench.streamSampled(answer, list);
      const after = await bench.loadOnce(answer);
      const once = (before.ms + after.ms) / 2;
      const floor = await bench.deliveryFloor(list);
      log(GROUP, `1 MB: streaming ~${fmt(stream.ms)} ms, loading once ${fmt(before.ms)} / ${fmt(after.ms)} ms; delivering the batches alone ~${fmt(floor.ms)} ms`);
      const perBatch = stream.windows.map((w) => w.msPerBatch);
      const details = {
        chars: answer.length, batches: list.length, realTimeS: list[list.length - 1].at / 1000, segments: SEGMENTS, leadIn: LEAD_IN, window: WINDOW,
        estimatedStreamMs: stream.ms, endMs: stream.endMs, windows: stream.windows, loadOnce: [before, after], deliveryFloor: floor, ...renderCheck(stream, before), pageErrors: bench.errors,
      };
      if (only.has('chat-stream-1m')) {
        results.push(figure({
          ...FIGURES[1], value: stream.ms / once, bound: 'estimate',
          note: `estimated from ${SEGMENTS} windows of ${WINDOW} batches: ~${fmt(stream.ms / 1000)} s main-thread time for ${list.length} batches ` +
            `vs loading it once ${fmt(once)} ms (receiving the batches alone ~${fmt(floor.ms / 1000)} s, ${fmt(floor.ms / once)}x); ` +
            `per batch ${fmt(perBatch[0])} ms in the first part, ${fmt(perBatch[perBatch.length - 1])} ms in the last` +
            caveats(details, bench.errors),
          details,
        }));
      }
      if (only.has('chat-longest-task-1m')) {
        results.push(figure({
          ...FIGURES[2], value: stream.longest,
          note: `the renderer's main thread (thread time; wall ${fmt(stream.longestWall)} ms), traced in the ${SEGMENTS} windows and the final TurnChanged`,
          details: { perWindow: stream.windows.map((w) => ({ fromChars: w.fromChars, longestTaskMs: w.longestTaskMs, longestTaskWallMs: w.longestTaskWallMs })), endLongestTaskMs: stream.endLongestTaskMs },
        }));
      }
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** The streamed page must show what loading the answer once shows. */
function renderCheck(stream, once) {
  const a = stream.rendered;
  const b = once.rendered;
  if (!a.found || !b.found || a.chars === 0) throw new Error(`the answer was not rendered (streamed ${JSON.stringify(a)}, loaded ${JSON.stringify(b)})`);
  const same = a.codeBlocks === b.codeBlocks && Math.abs(a.chars - b.chars) <= 2;
  return { rendered: { streamed: a, loadedOnce: b, same } };
}

/** What to add to a line when the runs did not render the same answer, or the page logged errors. */
function caveats(details, errors) {
  const out = [];
  if (!details.rendered.same) out.push('the streamed answer did not render like the loaded one');
  if (errors.length) out.push(`the page logged ${errors.length} error(s)`);
  return out.length ? `; CHECK: ${out.join(', ')}` : '';
}
