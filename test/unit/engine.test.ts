// The answer engine with a plain backend (settings from an object, a key in memory, a log in an
// array) against the real gateway test server on 127.0.0.1: the one loop every feature uses.
import * as assert from 'node:assert/strict';
import { AnswerEngine, applyEvent, endTurn, type EngineBackend, type TurnResult } from '../../src/core/engine/engine';
import { redactKeys } from '../../src/core/hunyuan/redact';
import { parseSettings } from '../../src/core/settings/settings';
import { startGateway, type GatewayServer } from '../gateway/server';
import { DEFAULT_ANSWER, DEFAULT_THINKING } from '../gateway/content';

const KEY = 'sk-engine-0123456789abcdef';

describe('AnswerEngine against the gateway test server', function () {
  this.timeout(20000);
  let gateway: GatewayServer;
  before(async () => { gateway = await startGateway(); });
  after(async () => { await gateway.close(); });
  beforeEach(() => gateway.clear());

  function engine(raw: Record<string, unknown>, key: string | null = KEY): { engine: AnswerEngine; lines: string[]; warned: string[] } {
    const lines: string[] = [];
    const warned: string[] = [];
    const backend: EngineBackend = {
      settings: () => parseSettings({ requestTimeoutSeconds: 5, ...raw }),
      apiKey: async () => key ?? undefined,
      redact: (text) => redactKeys(text, key ? [key] : []),
      log: {
        info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`),
        error: (m) => lines.push(`error ${m}`), debug: (m) => lines.push(`debug ${m}`),
      },
      warnPlainHttp: (url) => { warned.push(url); return false; },
    };
    return { engine: new AnswerEngine(backend), lines, warned };
  }

  it('gathers one turn: thinking, answer, usage, cost in yuan, finish, timing; listeners hear each piece', async () => {
    const { engine: e, lines } = engine({ baseUrl: gateway.baseUrl('reasoning'), prices: { input: 1, output: 2 } });
    const heard = { context: 0, thinking: '', answer: '' };
    const t = await e.run({ purpose: 'test', system: 'Be brief.', user: 'Write add()' }, {
      onContext: (ev) => { heard.context = ev.promptTokens; },
      onThinking: (text) => { heard.thinking += text; },
      onAnswer: (text, turn) => {
        heard.answer += text;
        assert.equal(turn.answer, heard.answer, 'the turn took the text in before the listener heard it');
      },
    });
    assert.equal(t.status, 'done');
    assert.equal(t.finishReason, 'stop');
    assert.equal(t.thinking, DEFAULT_THINKING);
    assert.equal(t.answer, DEFAULT_ANSWER);
    assert.equal(heard.thinking, DEFAULT_THINKING);
    assert.equal(heard.answer, DEFAULT_ANSWER);
    assert.ok(heard.context > 0 && t.promptTokens === heard.context);
    assert.ok(t.usage && t.usage.completionTokens > 0);
    assert.equal(t.costYuan, (t.usage.promptTokens / 1000) * 1 + (t.usage.completionTokens / 1000) * 2);
    assert.ok(t.firstTokenMs !== undefined && t.endedAt !== undefined && t.endedAt >= t.startedAt);
    assert.ok(t.thinkingStartedAt !== undefined && t.thinkingEndedAt !== undefined && t.thinkingEndedAt >= t.thinkingStartedAt);
    const sent = gateway.lastRequest()?.body;
    assert.deepEqual(sent.messages.map((m: { role: string }) => m.role), ['system', 'user']);
    assert.ok(lines.some((l) => /^info test: POST .*\/chat\/completions model=/.test(l)), lines.join('\n'));
    assert.ok(!lines.join('\n').includes(KEY), 'the key is never logged');
  });

  it('plan() is what the request sends: the same prompt tokens and max_tokens', async () => {
    const { engine: e } = engine({ baseUrl: gateway.baseUrl('reasoning'), maxTokens: 4096 });
    const request = { purpose: 'test', system: 'sys', history: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'hello' }], user: 'next' };
    const plan = e.plan(request);
    const t = await e.run(request);
    assert.equal(t.promptTokens, plan.promptTokens);
    assert.equal(gateway.lastRequest()?.body.max_tokens, plan.maxTokens);
    assert.equal(gateway.lastRequest()?.body.messages.length, plan.messages.length);
  });

  it('refuses before sending: no key, bad settings, a prompt that cannot fit (nothing reaches the gateway)', async () => {
    const noKey = await engine({ baseUrl: gateway.baseUrl('reasoning') }, null).engine.run({ purpose: 't', user: 'x' });
    assert.equal(noKey.status, 'error');
    assert.equal(noKey.error?.kind, 'noKey');
    const bad = await engine({ baseUrl: gateway.baseUrl('reasoning'), temperature: 'hot' }).engine.run({ purpose: 't', user: 'x' });
    assert.equal(bad.error?.kind, 'invalidSettings');
    const long = await engine({ baseUrl: gateway.baseUrl('reasoning'), contextWindow: 1024 }).engine.run({ purpose: 't', user: 'word '.repeat(5000) });
    assert.equal(long.error?.kind, 'tooLong');
    assert.equal(gateway.requests.length, 0);
  });

  it('scrubs a key the gateway echoes out of the error (the log line too)', async () => {
    const { engine: e, lines } = engine({ baseUrl: gateway.baseUrl('status-401-echo-key') });
    const t = await e.run({ purpose: 't', user: 'x' });
    assert.equal(t.status, 'error');
    assert.equal(t.error?.kind, 'badKey');
    assert.ok(t.error?.gatewayMessage?.includes('[redacted]'), t.error?.gatewayMessage);
    assert.ok(!JSON.stringify({ message: t.error?.message, g: t.error?.gatewayMessage, d: t.error?.detail }).includes(KEY));
    assert.equal(t.error?.cause, undefined, 'no raw response kept on what the user sees');
    assert.ok(!lines.join('\n').includes(KEY));
  });

  it('a cancelled request is stopped (no error), keeping what arrived', async () => {
    const { engine: e } = engine({ baseUrl: gateway.baseUrl('slow') });
    const abort = new AbortController();
    const t = await e.run({ purpose: 't', user: 'x', signal: abort.signal }, {
      onAnswer: (_text, turn) => { if (turn.answer.length > 5) abort.abort(); },
      onThinking: (_text, turn) => { if (turn.thinking.length > 5) abort.abort(); },
    });
    assert.equal(t.status, 'stopped');
    assert.equal(t.error, undefined);
    assert.ok(t.thinking.length + t.answer.length > 5);
    assert.ok(DEFAULT_THINKING.startsWith(t.thinking));
  });

  it('a connection cut mid-answer is an error that keeps the partial answer', async () => {
    const { engine: e } = engine({ baseUrl: gateway.baseUrl('drop-mid-stream') });
    const t = await e.run({ purpose: 't', user: 'x' });
    assert.equal(t.status, 'error');
    assert.ok(t.thinking.length + t.answer.length > 0);
  });

  it('asks the backend about plain http before sending', async () => {
    const { engine: e, warned } = engine({ baseUrl: gateway.baseUrl('reasoning') });
    await e.run({ purpose: 't', user: 'x' });
    assert.deepEqual(warned, [gateway.baseUrl('reasoning')]);
  });
});

describe('applyEvent / endTurn', () => {
  const prices = { input: 0.5, output: 2 };
  it('times thinking from its first piece to the first answer piece, and the first token', () => {
    let clock = 1000;
    const now = () => clock;
    const t: TurnResult = { status: 'streaming', thinking: '', answer: '', startedAt: 1000 };
    clock = 1100;
    applyEvent(t, { type: 'thinking', text: 'a' }, prices, now);
    clock = 1500;
    applyEvent(t, { type: 'thinking', text: 'b' }, prices, now);
    clock = 1700;
    applyEvent(t, { type: 'answer', text: 'c' }, prices, now);
    applyEvent(t, { type: 'usage', usage: { promptTokens: 1000, completionTokens: 500, totalTokens: 1500, estimated: false } }, prices, now);
    assert.deepEqual([t.firstTokenMs, t.thinkingStartedAt, t.thinkingEndedAt, t.thinking, t.answer, t.costYuan], [100, 1100, 1700, 'ab', 'c', 1.5]);
    clock = 2000;
    endTurn(t, false, now);
    assert.equal(t.status, 'done', 'a stream that ended without a finish reason is still done');
    assert.equal(t.endedAt, 2000);
  });

  it('thinking that never reached an answer ends with the turn; an aborted turn is stopped', () => {
    const t: TurnResult = { status: 'streaming', thinking: '', answer: '', startedAt: 0 };
    applyEvent(t, { type: 'thinking', text: 'hmm' }, prices, () => 10);
    endTurn(t, true, () => 50);
    assert.deepEqual([t.status, t.thinkingEndedAt], ['stopped', 50]);
  });
});
