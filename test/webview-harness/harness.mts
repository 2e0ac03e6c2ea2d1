// Dev harness for the chat webview: a fake `acquireVsCodeApi` that plays the extension. It
// answers Ready with a realistic snapshot, estimates budgets, reacts to the main notifications
// (Send streams a canned answer, Stop, New Chat, thinking toggle, chips…) and can replay a
// streaming answer step by step for screenshots. Loaded before dist/webview.js. Not shipped.
import type { AssistantTurn, ContextChip, Turn, UserTurn } from '../../src/common/chat/model.js';
import { conversationTotals } from '../../src/common/chat/model.js';
import * as P from '../../src/common/chat/protocol.js';
import { CHAT_STRINGS } from '../../src/common/chat/strings.js';
import type { Envelope, NotificationType } from '../../src/common/ipc/messages.js';
import { chips, conversation, conversations, mentionItems, streamedAnswer, streamedThinking } from './fixtures.mjs';
import { applyTheme, type ThemeName } from './themes.mjs';

const params = new URLSearchParams(location.search);
const theme = (params.get('theme') ?? 'dark') as ThemeName;
const scenario = params.get('scenario') ?? 'full';
const lang = params.get('lang') ?? 'en';

applyTheme(theme);
document.documentElement.lang = lang === 'zh' ? 'zh-cn' : 'en';

/** Everything the webview posted, for tests. */
const posted: Envelope[] = [];
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`));

let strings: Record<string, string> = { ...CHAT_STRINGS };
async function loadStrings(): Promise<void> {
  if (lang !== 'zh') return;
  const bundle = (await (await fetch('/l10n/bundle.l10n.zh-cn.json')).json()) as Record<string, string>;
  strings = Object.fromEntries(Object.entries(CHAT_STRINGS).map(([k, en]) => [k, bundle[en] ?? en]));
}
const stringsReady = loadStrings();

const state: P.ChatSnapshot = {
  conversation: scenario === 'empty' ? { id: 'c0', title: '', createdAt: Date.now(), updatedAt: Date.now(), turns: [] } : conversation(),
  conversations: scenario === 'empty' ? [] : conversations,
  totals: { promptTokens: 0, completionTokens: 0, costYuan: 0, estimated: false },
  pendingContext: scenario === 'empty' ? [] : [...chips],
  settings: { thinking: 'slow', collapseThinking: true, contextWindow: scenario === 'overflow' ? 9000 : 32768, model: 'tencent/hunyuan-a13b-instruct', hasApiKey: scenario !== 'nokey' },
  strings: {},
  draft: scenario === 'empty' ? '' : '帮我把这个函数改成迭代版本',
};
state.totals = conversationTotals(state.conversation);

function snapshot(): P.ChatSnapshot {
  return { ...state, strings, conversation: structuredClone(state.conversation), streamingId: stream?.turn.id };
}

function deliver(message: Envelope): void {
  window.postMessage(message, '*');
}

function notify<T>(type: NotificationType<T>, params: T): void {
  deliver({ type: 'notification', method: type.method, params });
}

function broadcastSnapshot(): void {
  notify(P.SnapshotChanged, snapshot());
}

function sendTurn(turn: Turn): void {
  state.totals = conversationTotals(state.conversation);
  notify(P.TurnChanged, { turn: structuredClone(turn), totals: state.totals });
}

// ---- streaming ------------------------------------------------------------------------------------

interface Stream {
  turn: AssistantTurn;
  thinking: string;
  answer: string;
  sentThinking: number;
  sentAnswer: number;
  timer?: ReturnType<typeof setInterval>;
}
let stream: Stream | undefined;

/** Starts an answer to the last user turn; returns controls to drive it. */
function startStream(text = { thinking: streamedThinking, answer: streamedAnswer }): Stream {
  stopTimer();
  const turn: AssistantTurn = { id: `a-${Date.now().toString(36)}`, role: 'assistant', thinking: '', answer: '', status: 'streaming', startedAt: Date.now(), model: state.settings.model };
  state.conversation.turns.push(turn);
  stream = { turn, thinking: state.settings.thinking === 'slow' ? text.thinking : '', answer: text.answer, sentThinking: 0, sentAnswer: 0 };
  sendTurn(turn);
  return stream;
}

/** Sends the next `n` characters (thinking first, then the answer). */
function step(n: number): void {
  const s = stream;
  if (!s) return;
  const delta: { turnId: string; thinking?: string; answer?: string; thinkingEndedAt?: number; firstTokenMs?: number } = { turnId: s.turn.id };
  if (s.sentThinking < s.thinking.length) {
    s.turn.thinkingStartedAt ??= Date.now();
    s.turn.firstTokenMs ??= Date.now() - s.turn.startedAt;
    delta.thinking = s.thinking.slice(s.sentThinking, s.sentThinking + n);
    s.sentThinking += delta.thinking.length;
    s.turn.thinking += delta.thinking;
  } else if (s.sentAnswer < s.answer.length) {
    s.turn.firstTokenMs ??= Date.now() - s.turn.startedAt;
    if (s.turn.thinkingStartedAt && !s.turn.thinkingEndedAt) s.turn.thinkingEndedAt = Date.now();
    delta.answer = s.answer.slice(s.sentAnswer, s.sentAnswer + n);
    s.sentAnswer += delta.answer.length;
    s.turn.answer += delta.answer;
  } else {
    finish('done');
    return;
  }
  delta.firstTokenMs = s.turn.firstTokenMs;
  if (s.turn.thinkingEndedAt) delta.thinkingEndedAt = s.turn.thinkingEndedAt;
  notify(P.StreamDelta, delta);
}

function finish(status: 'done' | 'stopped' | 'error'): void {
  const s = stream;
  if (!s) return;
  stopTimer();
  stream = undefined;
  const turn = s.turn;
  turn.status = status;
  turn.endedAt = Date.now();
  if (turn.thinkingStartedAt && !turn.thinkingEndedAt) turn.thinkingEndedAt = turn.endedAt;
  const completion = Math.ceil((turn.thinking.length + turn.answer.length) / 3);
  turn.usage = { promptTokens: 1500, completionTokens: completion, totalTokens: 1500 + completion, estimated: status !== 'done' };
  turn.costYuan = (1500 * 0.0019 + completion * 0.0075) / 1000;
  turn.finishReason = status === 'done' ? 'stop' : undefined;
  if (status === 'error') turn.error = { kind: 'network', message: 'Could not reach the gateway at https://wcode.net/api/gpt/v1. Check your network and hunyuan.baseUrl.', actions: ['retry', 'showLog'] };
  sendTurn(turn);
}

function auto(chunk = 6, everyMs = 30): void {
  stopTimer();
  if (!stream) startStream();
  const s = stream as Stream;
  s.timer = setInterval(() => step(chunk), everyMs);
}

function stopTimer(): void {
  if (stream?.timer) clearInterval(stream.timer);
  if (stream) stream.timer = undefined;
}

// ---- the fake extension ---------------------------------------------------------------------------

function estimate(draft: string): P.BudgetView {
  const history = state.conversation.turns.reduce((n, t) => n + (t.role === 'user' ? t.text.length : t.answer.length), 0);
  const context = state.pendingContext.reduce((n, c) => n + c.text.length, 0);
  const promptTokens = Math.ceil((history + context + draft.length) / 3) + 350;
  const maxTokens = 8192;
  const remaining = state.settings.contextWindow - promptTokens - maxTokens;
  const tooLong = draft.length > 60_000 || scenario === 'toolong';
  const chipParts = state.pendingContext.map((c) => ({ id: c.id, tokens: c.tokens ?? Math.ceil(c.text.length / 3) }));
  const rules = chipParts.find((c) => state.pendingContext.find((p) => p.id === c.id)?.kind === 'rules')?.tokens ?? 0;
  const search = state.pendingContext.some((c) => c.kind === 'workspace') ? 4000 : 0;
  const answer = state.settings.thinking === 'slow' ? 2000 : 800;
  return {
    promptTokens, maxTokens, contextWindow: state.settings.contextWindow, remaining, overflowTurns: !tooLong && remaining < 0 ? 2 : 0, tooLong,
    parts: { system: 350, rules, history: Math.ceil(history / 3), chips: chipParts, snippets: search, draft: Math.ceil(draft.length / 3) },
    cost: { prompt: (promptTokens * 0.0019) / 1000, answer: (answer * 0.0075) / 1000 },
  };
}

/** Replies to QueryMentions: the fixture items whose label or detail contain the query. */
const mentionDelays: Record<string, number> = {};
/** What the fake extension replies to RunCodeAction: whether it did it, and after how long. */
let codeActionsDone = true;
let codeActionDelayMs = 0;
function mentions(query: string): P.MentionItem[] {
  const q = query.toLowerCase();
  return mentionItems.filter((m) => `${m.label} ${m.detail ?? ''}`.toLowerCase().includes(q));
}

async function handle(message: Envelope): Promise<void> {
  posted.push(message);
  if (message.type === 'request') {
    let result: unknown;
    if (message.method === P.Ready.method) {
      await stringsReady;
      result = snapshot();
    } else if (message.method === P.EstimateBudget.method) {
      result = estimate((message.params as { draft: string }).draft);
    } else if (message.method === P.QueryMentions.method) {
      const { query } = message.params as { query: string };
      const delay = mentionDelays[query] ?? 0;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      result = mentions(query);
    } else if (message.method === P.RunCodeAction.method) {
      if (codeActionDelayMs) await new Promise((r) => setTimeout(r, codeActionDelayMs));
      result = codeActionsDone;
    } else {
      deliver({ type: 'response', id: message.id, error: `harness: no handler for ${message.method}` });
      return;
    }
    deliver({ type: 'response', id: message.id, result });
    return;
  }
  if (message.type !== 'notification') return;
  const p = message.params as Record<string, unknown>;
  const turns = state.conversation.turns;
  switch (message.method) {
    case P.Send.method: {
      if (stream) return;
      const user: UserTurn = { id: `u-${Date.now().toString(36)}`, role: 'user', text: String(p.text).trim(), context: state.pendingContext, thinking: state.settings.thinking, createdAt: Date.now() };
      state.pendingContext = [];
      state.draft = '';
      if (!state.conversation.title) state.conversation.title = user.text.slice(0, 40);
      turns.push(user);
      broadcastSnapshot();
      auto();
      return;
    }
    case P.Stop.method:
      finish('stopped');
      return;
    case P.Regenerate.method:
    case P.Retry.method:
      while (turns.length && turns[turns.length - 1].role === 'assistant') turns.pop();
      broadcastSnapshot();
      auto();
      return;
    case P.EditAndResend.method: {
      const at = turns.findIndex((t) => t.id === p.turnId);
      if (at < 0) return;
      (turns[at] as UserTurn).text = String(p.text);
      turns.splice(at + 1);
      broadcastSnapshot();
      auto();
      return;
    }
    case P.NewChat.method:
      state.conversation = { id: `c-${Date.now().toString(36)}`, title: '', createdAt: Date.now(), updatedAt: Date.now(), turns: [] };
      state.totals = conversationTotals(state.conversation);
      broadcastSnapshot();
      notify(P.FocusInput, undefined);
      return;
    case P.SwitchConversation.method:
      state.conversation = p.id === 'c1' ? conversation() : { id: String(p.id), title: conversations.find((c) => c.id === p.id)?.title ?? '', createdAt: 0, updatedAt: 0, turns: conversation().turns.slice(0, 2) };
      state.totals = conversationTotals(state.conversation);
      broadcastSnapshot();
      return;
    case P.SetThinking.method:
      state.settings = { ...state.settings, thinking: p.mode as 'slow' | 'fast' };
      broadcastSnapshot();
      return;
    case P.RemoveContext.method:
      state.pendingContext = state.pendingContext.filter((c) => c.id !== p.id);
      notify(P.PendingContextChanged, { context: state.pendingContext });
      return;
    case P.AttachActiveFile.method: {
      const chip: ContextChip = { ...chips[1], id: `chip-${Date.now().toString(36)}` };
      state.pendingContext = [...state.pendingContext, chip];
      notify(P.PendingContextChanged, { context: state.pendingContext });
      return;
    }
    case P.PickMention.method: {
      const item = mentionItems.find((m) => m.id === p.id);
      if (!item) return;
      const chip: ContextChip = {
        id: `chip-${item.id}-${Date.now().toString(36)}`, kind: item.kind, uri: '', label: item.kind === 'file' ? `${item.detail}/${item.label}` : item.label,
        languageId: item.kind === 'file' || item.kind === 'symbol' ? 'typescript' : '', startLine: item.kind === 'symbol' ? 12 : 1, endLine: item.kind === 'symbol' ? 40 : 1,
        text: item.label, detail: item.kind === 'file' ? undefined : item.detail, tokens: 1500,
      };
      state.pendingContext = [...state.pendingContext, chip];
      notify(P.PendingContextChanged, { context: state.pendingContext });
      return;
    }
    case P.OpenLocation.method:
      return;
    case P.DropOldest.method:
      turns.splice(0, 2 * Number(p.turns));
      state.totals = conversationTotals(state.conversation);
      broadcastSnapshot();
      return;
    case P.SaveDraft.method:
      state.draft = String(p.text);
      return;
    case P.RunErrorAction.method:
      if (p.action === 'setApiKey') {
        state.settings = { ...state.settings, hasApiKey: true };
        broadcastSnapshot();
      }
      return;
  }
}

let acquired = false;
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi may be called only once');
  acquired = true;
  let saved: unknown = JSON.parse(sessionStorage.getItem('webviewState') ?? 'null');
  return {
    postMessage: (m: Envelope) => void handle(structuredClone(m)),
    getState: () => saved,
    setState: (s: unknown) => {
      saved = s;
      sessionStorage.setItem('webviewState', JSON.stringify(s));
    },
  };
};

// Controls for the screenshot script and for poking at the page by hand.
Object.assign(window, {
  harness: {
    posted,
    cspViolations,
    startStream,
    step,
    auto,
    finish,
    stopTimer,
    streamAll: (chunk = 5) => {
      if (!stream) startStream();
      while (stream) step(chunk);
    },
    snapshot,
    broadcastSnapshot,
    state,
    notify: (method: string, params: unknown) => deliver({ type: 'notification', method, params }),
    /** Whether the fake extension does (true) or refuses (false) the code actions asked from now on. */
    setCodeActionsDone: (done: boolean, delayMs = 0) => {
      codeActionsDone = done;
      codeActionDelayMs = delayMs;
    },
    /** Delays the reply to QueryMentions for `query` (stale replies). */
    delayMentions: (query: string, ms: number) => {
      mentionDelays[query] = ms;
    },
  },
});
