// history-save-share: the share of the extension host's thread spent saving the chat history while
// an answer streams, with 50 conversations of 40 turns of 4 KB.
//
// The real save path runs: src/extension/chat/historyStore.ts and the HistoryFolder it wraps
// (src/extension/chat/historyFolder.ts: its debounce, the check of every conversation for changes,
// serializeConversation from src/core/chat/history.ts, and its writes with node:fs as in the
// extension host: a temporary file, fdatasync, the conversation's lock, a stat, the rename).
// lib/vscodeShim.cjs stands in for the `vscode` module (Uri, events). The history is one file per
// conversation, so a save while streaming writes the streaming conversation only (~170 KB here),
// not the whole history; all 50 conversations are still in memory and looked at by every save.
// It is driven as ChatController drives it while streaming: every token is appended to the
// streaming turn and calls store.scheduleSave(history, conversation) (queueDelta), at 300 tokens a
// second. A run streams for STREAM_MS, then waits SETTLE_MS for the last debounced save. Beside
// each run, the same stream with scheduleSave doing nothing; the difference of main-thread CPU
// (schedstat) is the saving, divided by the streaming time. Runs alternate; the figure is the
// median of the pairs.
import Module from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, constantFrom, figure, fmt, log, median, now, out, sleep, threadClockName, threadCpuMs } from './lib/common.mjs';

const GROUP = 'history';
export const FIGURES = [{ name: 'history-save-share', unit: '%', goal: { op: '<=', value: 1 } }];

const CONVERSATIONS = 50;
const TURNS = 40;
const TURN_BYTES = 4096;
const TOKENS_PER_SECOND = 300;
const TICK_MS = 30;
const STREAM_MS = Number(process.env.BENCH_HISTORY_STREAM_MS) || 3200;
const SETTLE_MS = 1200;
const PAIRS = Number(process.env.BENCH_HISTORY_PAIRS) || 3;

/** `require('vscode')` from the compiled extension code gets the shim. */
function installVscodeShim() {
  const shim = path.join(BENCH_DIR, 'lib/vscodeShim.cjs');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? shim : resolve.call(this, request, ...rest);
  };
  return Module.createRequire(shim)(shim);
}

const PARAGRAPH = 'The function walks the list once and keeps a running total; 我们先检查边界条件,再处理空数组。 ' +
  'Use `Array.prototype.reduce` when the accumulator is simple.\n\n```ts\nconst total = values.reduce((a, b) => a + b, 0);\n```\n\n';
const text = (bytes, seed) => {
  let s = `(${seed}) `;
  while (Buffer.byteLength(s) < bytes) s += PARAGRAPH;
  return s.slice(0, bytes - 40);
};

function makeHistory() {
  const t = Date.parse('2026-01-01T00:00:00Z');
  const conversations = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const turns = [];
    for (let i = 0; i < TURNS; i++) {
      if (i % 2 === 0) {
        turns.push({ id: `u-${c}-${i}`, role: 'user', text: text(TURN_BYTES, `${c}.${i}`), context: [], thinking: 'slow', createdAt: t + i });
      } else {
        turns.push({
          id: `a-${c}-${i}`, role: 'assistant', thinking: '', answer: text(TURN_BYTES, `${c}.${i}`), status: 'done', startedAt: t + i, endedAt: t + i + 1,
          firstTokenMs: 400, usage: { promptTokens: 1200, completionTokens: 900, totalTokens: 2100, estimated: false }, costYuan: 0.009, model: 'tencent/hunyuan-a13b-instruct', finishReason: 'stop',
        });
      }
    }
    conversations.push({ id: `c-${c}`, title: `Conversation ${c}`, createdAt: t + c, updatedAt: t + c, turns });
  }
  return { version: 1, activeId: 'c-0', conversations };
}

/** Streams for STREAM_MS as ChatController.queueDelta does (append, scheduleSave per token), then settles. */
async function stream(history, save, runIndex) {
  const conv = history.conversations[0];
  const user = { id: `u-run-${runIndex}`, role: 'user', text: 'Explain the function above.', context: [], thinking: 'fast', createdAt: Date.now() };
  const turn = { id: `a-run-${runIndex}`, role: 'assistant', thinking: '', answer: '', status: 'streaming', startedAt: Date.now(), model: 'tencent/hunyuan-a13b-instruct' };
  conv.turns.push(user, turn);
  conv.updatedAt = Date.now();
  const perTick = Math.round((TOKENS_PER_SECOND * TICK_MS) / 1000);
  const words = [' the', ' list', ' is', ' sorted', ' in', ' place', ';', ' 然后', '返回', '。', '\n'];
  const cpu0 = threadCpuMs();
  const t0 = now();
  let tokens = 0;
  for (let tick = 1; now() - t0 < STREAM_MS; tick++) {
    for (let k = 0; k < perTick; k++) {
      turn.answer += words[tokens++ % words.length];
      turn.firstTokenMs ??= 300;
      save(history, conv);
    }
    await sleep(Math.max(0, t0 + tick * TICK_MS - now()));
  }
  const streamedMs = now() - t0;
  await sleep(SETTLE_MS);
  const cpuMs = threadCpuMs() - cpu0;
  // the answer ends: out of the measured time, drop it again so every run starts from the same history
  conv.turns.splice(conv.turns.indexOf(user), 2);
  return { cpuMs, streamedMs, tokens };
}

export async function measure() {
  const vscode = installVscodeShim();
  const { HistoryStore } = out('src/extension/chat/historyStore');
  const period = constantFrom('src/extension/chat/historyFolder.ts', /SAVE_DELAY_MS\s*=\s*([\d_]+)/, 400);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-bench-history-'));
  const logger = { info() {}, warn() {}, error: (m) => log(GROUP, `store: ${m}`), debug() {}, trace() {} };
  try {
    const store = new HistoryStore(vscode.Uri.file(folder), logger);
    await store.load();
    const history = makeHistory();
    const bytes = Buffer.byteLength(JSON.stringify(history));
    store.scheduleSave(history);
    await store.flush();
    log(GROUP, `history of ${CONVERSATIONS} × ${TURNS} turns × ${TURN_BYTES} B (${fmt(bytes / 1e6)} MB) in ${store.stats.conversationWrites} files; ${threadClockName()}`);

    const stats = store.stats;
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      const order = i % 2 ? ['none', 'store'] : ['store', 'none'];
      const r = {};
      for (const kind of order) {
        const writes0 = stats.conversationWrites;
        const bytes0 = stats.bytesWritten;
        const res = await stream(history, kind === 'store' ? (h, c) => store.scheduleSave(h, c) : () => {}, `${i}-${kind}`);
        res.writes = stats.conversationWrites - writes0;
        res.bytes = stats.bytesWritten - bytes0;
        r[kind] = res;
        await store.flush();
      }
      const savingMs = r.store.cpuMs - r.none.cpuMs;
      const share = (100 * savingMs) / r.store.streamedMs;
      pairs.push({ withSavesMs: r.store.cpuMs, withoutMs: r.none.cpuMs, streamedMs: r.store.streamedMs, writes: r.store.writes, bytesPerSave: r.store.bytes / Math.max(1, r.store.writes), savingMs, share });
      log(GROUP, `pair ${i + 1}: ${r.store.writes} saves, main thread ${fmt(r.store.cpuMs)} ms with vs ${fmt(r.none.cpuMs)} ms without → ${fmt(share)} %`);
    }
    const share = median(pairs.map((p) => p.share));
    const writes = median(pairs.map((p) => p.writes));
    const perSave = median(pairs.map((p) => p.savingMs / Math.max(1, p.writes)));
    const bytesPerSave = median(pairs.map((p) => p.bytesPerSave));
    return [figure({
      ...FIGURES[0], value: share,
      note: `median of ${PAIRS} pairs: ${Math.round(writes)} saves in ${fmt(STREAM_MS / 1000)} s of streaming (the streaming conversation's file, ${fmt(bytesPerSave / 1000)} KB), ~${fmt(perSave)} ms of main thread each; ` +
        `save period ${period.value} ms${period.found ? '' : ' (assumed)'}`,
      details: { conversations: CONVERSATIONS, turns: TURNS, turnBytes: TURN_BYTES, historyBytes: bytes, streamMs: STREAM_MS, settleMs: SETTLE_MS, savePeriodMs: period.value, clock: threadClockName(), pairs },
    })];
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
