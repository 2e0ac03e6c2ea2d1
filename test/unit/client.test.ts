// The Hunyuan client against a real HTTP gateway on 127.0.0.1, in every shape and failure mode.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { HunyuanClient, backoffDelay, type ClientConfig } from '../../src/core/hunyuan/client';
import {
  ANSWER_SLACK_CHARS, CHARS_PER_TOKEN, DEFAULT_MAX_TOKENS, MAX_EVENT_BYTES, answerCharLimit, isLoopbackHost, isPlainHttpToRemote,
  requestMaxTokens, wholeBodyByteLimit,
} from '../../src/core/hunyuan/transport';
import { buildRequestBody, type ChatRequestBody } from '../../src/core/hunyuan/request';
import { parseSettings } from '../../src/core/settings/settings';
import type { StreamEvent } from '../../src/core/hunyuan/types';
import { startGateway, type GatewayServer } from '../gateway/server';
import { DEFAULT_ANSWER, DEFAULT_THINKING } from '../gateway/content';

const KEY = 'sk-unit-test';

function body(overrides: Partial<ChatRequestBody> = {}, user = 'Write add()'): ChatRequestBody {
  const { settings } = parseSettings({});
  return { ...buildRequestBody(settings, [{ role: 'user', content: user }]), ...overrides };
}

interface Collected {
  events: StreamEvent[];
  thinking: string;
  answer: string;
  kinds: string[];
}

async function collect(gen: AsyncGenerator<StreamEvent>, onEvent?: (e: StreamEvent) => void): Promise<Collected> {
  const events: StreamEvent[] = [];
  for await (const e of gen) {
    events.push(e);
    onEvent?.(e);
  }
  let thinking = '';
  let answer = '';
  for (const e of events) {
    if (e.type === 'thinking') thinking += e.text;
    if (e.type === 'answer') answer += e.text;
  }
  return { events, thinking, answer, kinds: [...new Set(events.map((e) => e.type))] };
}

function lastError(c: Collected) {
  const e = c.events[c.events.length - 1];
  assert.equal(e.type, 'error', `expected the stream to end with an error, got ${e.type}`);
  return (e as Extract<StreamEvent, { type: 'error' }>).error;
}

describe('HunyuanClient against the gateway test server', function () {
  this.timeout(20000);
  let gateway: GatewayServer;
  const sleeps: number[] = [];
  const client = (scenario: string, extra: Partial<ClientConfig> = {}) =>
    new HunyuanClient({
      baseUrl: gateway.baseUrl(scenario), apiKey: KEY, timeoutMs: 5000, idleTimeoutMs: 5000,
      sleep: async (ms) => { sleeps.push(ms); }, random: () => 0, ...extra,
    });

  before(async () => { gateway = await startGateway(); });
  after(async () => { await gateway.close(); });
  beforeEach(() => {
    gateway.clear();
    sleeps.length = 0;
  });

  for (const scenario of ['reasoning', 'reasoning-content', 'think-tags', 'cut-tags', 'keepalive']) {
    it(`decodes the ${scenario} shape into the same thinking and answer`, async () => {
      gateway.setOptions(scenario, { chunkSize: 5 });
      const c = await collect(client(scenario).chat(body()));
      assert.equal(c.thinking, DEFAULT_THINKING);
      assert.equal(c.answer, DEFAULT_ANSWER);
      assert.deepEqual(c.events.slice(-2).map((e) => e.type), ['usage', 'finish']);
      const usage = c.events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage' && usage.usage.estimated === false && usage.usage.completionTokens > 0);
    });
  }

  it('decodes plain content and a non-streaming response', async () => {
    const plain = await collect(client('plain').chat(body()));
    assert.equal(plain.thinking, '');
    assert.equal(plain.answer, DEFAULT_ANSWER);
    const whole = await collect(client('reasoning').chat(body({ stream: false, stream_options: undefined })));
    assert.equal(whole.thinking, DEFAULT_THINKING);
    assert.equal(whole.answer, DEFAULT_ANSWER);
    assert.equal(gateway.lastRequest()?.body.stream, false);
  });

  it('sends the key as a Bearer token and the body unchanged', async () => {
    const b = body({ temperature: 0.1, top_k: 3 });
    await collect(client('reasoning').chat(b));
    const req = gateway.lastRequest();
    assert.equal(req?.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(req?.body, JSON.parse(JSON.stringify(b)));
  });

  it('estimates usage, marked as such, when the gateway sends none', async () => {
    const c = await collect(client('no-usage').chat(body()));
    const usage = c.events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    assert.equal(usage.usage.estimated, true);
    assert.ok(usage.usage.promptTokens > 0 && usage.usage.completionTokens > 0);
  });

  it('without a key ends at once with noKey', async () => {
    const c = await collect(client('reasoning', { apiKey: '' }).chat(body()));
    assert.equal(lastError(c).kind, 'noKey');
    assert.equal(gateway.requests.length, 0);
  });

  const statuses: [string, string, string | undefined][] = [
    ['status-400', 'badRequest', 'max_tokens is too large'],
    ['status-400-vllm', 'tooLong', undefined],
    ['status-401', 'badKey', 'User not found.'],
    ['status-402', 'outOfBalance', 'Insufficient balance'],
    ['status-404', 'modelNotFound', undefined],
    ['status-502', 'serverError', '502 Bad Gateway'],
  ];
  for (const [scenario, kind, message] of statuses) {
    it(`maps ${scenario} to ${kind}, keeping the gateway's message`, async () => {
      const c = await collect(client(scenario).chat(body()));
      const err = lastError(c);
      assert.equal(err.kind, kind);
      if (message) assert.equal(err.gatewayMessage, message);
      else assert.ok(err.gatewayMessage && err.gatewayMessage.length > 3, `gateway message: ${err.gatewayMessage}`);
      assert.ok(!err.message.includes(KEY));
    });
  }

  it('retries 5xx with backoff and 429 honouring Retry-After, then gives up', async () => {
    const c500 = await collect(client('status-500').chat(body()));
    assert.equal(lastError(c500).kind, 'serverError');
    assert.equal(gateway.requests.length, 3, 'first attempt + 2 retries');
    assert.deepEqual(sleeps, [backoffDelay(1, () => 0), backoffDelay(2, () => 0)]);
    assert.deepEqual(sleeps, [500, 1000]);
    assert.deepEqual(c500.events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.attempt), [1, 2]);

    gateway.clear();
    sleeps.length = 0;
    gateway.setOptions('status-429', { retryAfter: '2' });
    const c429 = await collect(client('status-429').chat(body()));
    const err = lastError(c429);
    assert.equal(err.kind, 'rateLimited');
    assert.equal(err.retryAfterMs, 2000);
    assert.deepEqual(sleeps, [2000, 2000]);
  });

  it('does not wait for a Retry-After longer than the cap', async () => {
    gateway.setOptions('status-429', { retryAfter: '120' });
    const c = await collect(client('status-429').chat(body()));
    assert.equal(lastError(c).retryAfterMs, 120000);
    assert.equal(gateway.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('succeeds after a failure that clears up', async () => {
    gateway.setOptions('fail-then-ok', { failTimes: 2, failStatus: 503 });
    const c = await collect(client('fail-then-ok').chat(body()));
    assert.equal(c.answer, DEFAULT_ANSWER);
    assert.equal(gateway.requests.length, 3);
    assert.ok(c.events.every((e) => e.type !== 'error'));
  });

  it('does not retry 400, 401 or 402', async () => {
    for (const s of ['status-400', 'status-401', 'status-402']) {
      gateway.clear();
      await collect(client(s).chat(body()));
      assert.equal(gateway.requests.length, 1, s);
    }
  });

  it('keeps the partial answer when an error arrives inside a 200 stream, and does not retry it', async () => {
    // content is '<answer>\n' + answer: 3 chunks of 8 characters show the first 15 of the answer
    gateway.setOptions('error-mid-stream', { chunkSize: 8, chunksBeforeFault: 3 });
    const c = await collect(client('error-mid-stream').chat(body()));
    assert.equal(c.answer, DEFAULT_ANSWER.slice(0, 15));
    const err = lastError(c);
    assert.equal(err.kind, 'serverError');
    assert.equal(err.gatewayMessage, 'Upstream provider returned an error');
    assert.equal(gateway.requests.length, 1, 'no retry once text was shown');
    const usage = c.events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage', 'partial usage');
    assert.equal(usage.usage.estimated, true, 'partial usage estimated');
    assert.ok(usage.usage.completionTokens > 0);
  });

  it('keeps the partial answer when the connection drops mid-stream', async () => {
    gateway.setOptions('drop-mid-stream', { chunkSize: 8, chunksBeforeFault: 2 });
    const c = await collect(client('drop-mid-stream').chat(body()));
    assert.equal(c.answer, DEFAULT_ANSWER.slice(0, 7));
    assert.equal(lastError(c).kind, 'network');
    assert.ok((lastError(c).receivedChars ?? 0) >= 7, 'the error says how much had arrived');
    assert.equal(lastError(c).gatewayMessage, undefined, 'a socket error is not the gateway\'s words');
    assert.equal(gateway.requests.length, 1);
  });

  it('ends a stream that stops sending with a timeout (idle timeout)', async () => {
    gateway.setOptions('never-ends', { chunkSize: 12, chunksBeforeFault: 1 });
    const started = Date.now();
    const c = await collect(client('never-ends', { idleTimeoutMs: 300 }).chat(body()));
    assert.equal(c.answer, DEFAULT_ANSWER.slice(0, 3));
    assert.equal(lastError(c).kind, 'timeout');
    assert.ok(Date.now() - started < 5000);
  });

  it('does not count keep-alive comments as activity: they alone do not keep a request alive', async () => {
    // Headers, then nothing but ": OPENROUTER PROCESSING" every 50 ms, for ever.
    gateway.setOptions('keepalive-only', { keepaliveEveryMs: 50 });
    const only = await collect(client('keepalive-only', { idleTimeoutMs: 400 }).chat(body()));
    assert.equal(lastError(only).kind, 'timeout');
    assert.equal(only.thinking + only.answer, '');
    assert.equal(gateway.requests.length, 1, 'a timeout is not retried');
    assert.ok((gateway.lastRequest()?.bytesSent ?? 0) > 0, 'comments were sent');

    // Comments only for 2.5 idle limits before the first chunk: the same.
    gateway.setOptions('keepalive', { keepaliveMs: 1000, keepaliveEveryMs: 50 });
    const before = await collect(client('keepalive', { idleTimeoutMs: 400 }).chat(body()));
    assert.equal(lastError(before).kind, 'timeout');
    assert.equal(before.answer, '');
  });

  it('keeps a stream alive while its data events come within the idle limit, comments between them or not', async () => {
    // 30 chunks 50 ms apart (1.5 s in all, several idle limits) with a comment before each
    gateway.setOptions('keepalive', { delayMs: 50, chunkSize: 40 });
    const c = await collect(client('keepalive', { idleTimeoutMs: 400 }).chat(body()));
    assert.deepEqual(c.events.filter((e) => e.type === 'error'), []);
    assert.equal(c.thinking, DEFAULT_THINKING);
    assert.equal(c.answer, DEFAULT_ANSWER);
  });

  it('does not count the caller\'s own time as the gateway\'s silence', async () => {
    // the caller takes 3 idle limits over one event: the gateway was not silent meanwhile
    gateway.setOptions('reasoning', { chunkSize: 40 });
    let slow = true;
    const events: StreamEvent[] = [];
    for await (const e of client('reasoning', { idleTimeoutMs: 200 }).chat(body())) {
      events.push(e);
      if (slow && e.type === 'thinking') {
        slow = false;
        await new Promise((r) => setTimeout(r, 600));
      }
    }
    assert.deepEqual(events.filter((e) => e.type === 'error'), []);
    assert.equal(events.filter((e) => e.type === 'answer').map((e) => e.type === 'answer' && e.text).join(''), DEFAULT_ANSWER);
  });

  it('times out a server that never answers (request timeout), without retrying', async () => {
    let connections = 0;
    const silent = net.createServer(() => { connections++; /* accept and say nothing */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const c = await collect(
        new HunyuanClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, timeoutMs: 300, idleTimeoutMs: 5000, sleep: async () => {} }).chat(body()),
      );
      assert.equal(lastError(c).kind, 'timeout');
      assert.equal(connections, 1, 'one connection: a timeout is not retried');
      assert.deepEqual(c.events.filter((e) => e.type === 'retry'), []);
    } finally {
      silent.close();
      // destroy the idle connections the client left
      (silent as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  });

  it('reports a refused connection as a network error after retrying', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = await collect(
      new HunyuanClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, timeoutMs: 2000, idleTimeoutMs: 2000, sleep: async (ms) => { sleeps.push(ms); } }).chat(body()),
    );
    assert.equal(lastError(c).kind, 'network');
    assert.equal(lastError(c).receivedChars, undefined, 'nothing arrived');
    assert.equal(sleeps.length, 2);
    assert.deepEqual(c.events.filter((e) => e.type === 'usage'), [], 'no tokens (nor their cost) for a request the gateway never got');
  });

  it('counts no tokens for a request stopped before it was sent', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const c = await collect(client('reasoning').chat(body(), { signal: stopped.signal }));
    assert.equal(lastError(c).kind, 'cancelled');
    assert.deepEqual(c.events.filter((e) => e.type === 'usage'), []);
    assert.equal(gateway.requests.length, 0);
  });

  it('reports a chunk of cut JSON as a malformed response, keeping the text before it, without retrying', async () => {
    gateway.setOptions('malformed-chunk', { chunkSize: 8, chunksBeforeFault: 3 });
    const c = await collect(client('malformed-chunk').chat(body()));
    assert.equal(c.answer, DEFAULT_ANSWER.slice(0, 15));
    assert.equal(lastError(c).kind, 'malformed');
    assert.equal(gateway.requests.length, 1);

    gateway.clear();
    gateway.setOptions('malformed-chunk', { chunksBeforeFault: 0 });
    const early = await collect(client('malformed-chunk').chat(body()));
    assert.equal(lastError(early).kind, 'malformed');
    assert.equal(gateway.requests.length, 1, 'not retried even with nothing shown');

    const whole = await collect(client('malformed-chunk').chat(body({ stream: false, stream_options: undefined })));
    assert.equal(lastError(whole).kind, 'malformed');
    assert.equal(whole.answer, '');
  });

  it('reports an HTML page with status 200 (a captive portal) as a malformed response quoting its title', async () => {
    for (const b of [body(), body({ stream: false, stream_options: undefined })]) {
      const c = await collect(client('html-200').chat(b));
      const err = lastError(c);
      assert.equal(err.kind, 'malformed', `stream: ${b.stream}`);
      assert.equal(err.gatewayMessage, 'CafeNet Wi-Fi: sign in');
      assert.equal(c.answer, '');
      assert.deepEqual(c.kinds, ['error']);
    }
    assert.equal(gateway.requests.length, 2, 'not retried');
  });

  it('reports a 200 stream without a single event (a blank page) as a malformed response', async () => {
    const blank: typeof fetch = async () => new Response('\n', { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const c = await collect(client('reasoning', { fetch: blank }).chat(body()));
    assert.deepEqual(c.kinds, ['error']);
    assert.equal(lastError(c).kind, 'malformed');
  });

  it('ends a tool_calls answer with its finish reason and the thinking, no answer text and no error', async () => {
    gateway.setOptions('tool-calls', { chunkSize: 5 });
    const c = await collect(client('tool-calls').chat(body()));
    assert.equal(c.thinking, DEFAULT_THINKING);
    assert.equal(c.answer, '');
    assert.deepEqual(c.events.slice(-2).map((e) => e.type), ['usage', 'finish']);
    assert.deepEqual(c.events.at(-1), { type: 'finish', reason: 'tool_calls' });
  });

  it('cancels through an AbortSignal mid-stream, keeping what arrived', async () => {
    gateway.setOptions('slow', { delayMs: 50, chunkSize: 4 });
    const abort = new AbortController();
    const c = await collect(client('slow').chat(body(), { signal: abort.signal }), (e) => {
      if (e.type === 'answer' || e.type === 'thinking') abort.abort();
    });
    assert.equal(lastError(c).kind, 'cancelled');
    assert.ok(c.thinking.length > 0 && c.thinking.length < DEFAULT_THINKING.length);
    assert.equal(gateway.requests.length, 1);
  });

  it('stops at one line over 256 KiB without a newline (sent as fast as it reads), keeping the answer before it', async () => {
    // 3 chunks of 8 characters: '<answer>\n' and the first 15 characters of the answer; then a
    // data: line of 32 MiB that never ends
    gateway.setOptions('huge-line', { chunkSize: 8, chunksBeforeFault: 3 });
    const c = await collect(client('huge-line').chat(body()));
    const err = lastError(c);
    assert.equal(err.kind, 'tooLarge');
    assert.equal(err.limitBytes, MAX_EVENT_BYTES);
    assert.equal(err.receivedChars, 15);
    assert.equal(c.answer, DEFAULT_ANSWER.slice(0, 15), 'what arrived before the line is kept');
    assert.equal(gateway.requests.length, 1, 'not retried');
    const sent = gateway.lastRequest()?.bytesSent ?? 0;
    assert.ok(sent > MAX_EVENT_BYTES && sent < 32 * 1024 * 1024, `the client stopped reading: ${sent} bytes were written`);
  });

  it('stops an answer that ignores max_tokens at its limit (16 characters a token + 4096), keeping what arrived', async () => {
    const limit = answerCharLimit(1000);
    assert.equal(limit, 1000 * CHARS_PER_TOKEN + ANSWER_SLACK_CHARS);
    const c = await collect(client('ignores-max-tokens').chat(body({ max_tokens: 1000 })));
    const err = lastError(c);
    assert.equal(err.kind, 'tooLarge');
    assert.equal(err.limitChars, limit);
    assert.equal(err.maxTokens, 1000);
    const arrived = c.thinking.length + c.answer.length;
    assert.equal(c.thinking, DEFAULT_THINKING, 'the thinking is kept');
    assert.ok(arrived > limit - 100 && arrived <= limit + 4096, `kept ${arrived} characters, the limit is ${limit}`);
    assert.equal(err.receivedChars, arrived);
    assert.ok(c.events.some((e) => e.type === 'usage'), 'usage (estimated) for what arrived');
    assert.equal(gateway.requests.length, 1, 'not retried');
    assert.ok((gateway.lastRequest()?.bytesSent ?? 0) < 100_000_000, 'the client stopped reading');

    // within the limit, the same gateway's answer is taken whole
    gateway.setOptions('ignores-max-tokens', { answerChars: limit - DEFAULT_THINKING.length - 10 });
    const fits = await collect(client('ignores-max-tokens').chat(body({ max_tokens: 1000 })));
    assert.deepEqual(fits.events.filter((e) => e.type === 'error'), []);
    assert.equal(fits.answer.length, limit - DEFAULT_THINKING.length - 10);
  });

  it('stops a whole (non-streaming) answer over its limit, by characters or by bytes', async () => {
    const whole = body({ stream: false, stream_options: undefined, max_tokens: 1000 });
    gateway.setOptions('ignores-max-tokens', { answerChars: 100_000 });
    const over = lastError(await collect(client('ignores-max-tokens').chat(whole)));
    assert.equal(over.kind, 'tooLarge');
    assert.equal(over.limitChars, answerCharLimit(1000));

    gateway.setOptions('ignores-max-tokens', { answerChars: 1_000_000 });
    const huge = lastError(await collect(client('ignores-max-tokens').chat(whole)));
    assert.equal(huge.kind, 'tooLarge');
    assert.equal(huge.limitBytes, wholeBodyByteLimit(answerCharLimit(1000)));
  });

  describe('redirects', () => {
    let other: GatewayServer;
    before(async () => { other = await startGateway(); });
    after(async () => { await other.close(); });
    beforeEach(() => other.clear());

    for (const status of [307, 308]) {
      it(`refuses a ${status} to another origin, sending nothing there`, async () => {
        const scenario = `redirect-${status}`;
        gateway.setOptions(scenario, { redirectTo: `${other.baseUrl('reasoning')}/chat/completions` });
        const c = await collect(client(scenario).chat(body()));
        const err = lastError(c);
        assert.equal(err.kind, 'redirected');
        assert.equal(err.status, status);
        assert.equal(err.redirectTo, other.url);
        assert.deepEqual(c.kinds, ['error']);
        assert.equal(other.requests.length, 0, 'nothing reached the other server');
        assert.equal(gateway.requests.length, 1, 'not retried');
      });
    }

    it('follows a 307 within the same origin, sending the same request again', async () => {
      gateway.setScenario('reasoning');
      gateway.setOptions('redirect-307', {});
      const b = body();
      const c = await collect(client('redirect-307').chat(b));
      assert.equal(c.answer, DEFAULT_ANSWER);
      assert.deepEqual(gateway.requests.map((r) => r.scenario), ['redirect-307', 'reasoning']);
      assert.deepEqual(gateway.requests[1].body, JSON.parse(JSON.stringify(b)));
      assert.equal(gateway.requests[1].headers.authorization, `Bearer ${KEY}`);
    });
  });

  it('cancels while waiting to retry', async () => {
    const abort = new AbortController();
    const real = new HunyuanClient({ baseUrl: gateway.baseUrl('status-503'), apiKey: KEY, timeoutMs: 2000, idleTimeoutMs: 2000 });
    const c = await collect(real.chat(body(), { signal: abort.signal }), (e) => { if (e.type === 'retry') abort.abort(); });
    assert.equal(lastError(c).kind, 'cancelled');
    assert.equal(gateway.requests.length, 1);
  });
});

describe('client limits', () => {
  it('derive the answer limit from max_tokens (or max_completion_tokens), else the 32K window', () => {
    assert.equal(requestMaxTokens({ max_tokens: 8192 }), 8192);
    assert.equal(requestMaxTokens({ max_completion_tokens: 100 }), 100);
    for (const bad of [undefined, null, 0, -5, 'many', Number.NaN]) assert.equal(requestMaxTokens({ max_tokens: bad }), DEFAULT_MAX_TOKENS);
    assert.equal(requestMaxTokens({ max_tokens: 1e12 }), 1_048_576);
    assert.equal(answerCharLimit(8192), 8192 * 16 + 4096);
  });

  it('tell plain http to another computer from loopback and https', () => {
    for (const url of ['http://example.com/v1', 'http://10.0.0.5:8000/v1', 'http://[2001:db8::1]/v1', 'http://127.example.com/v1', 'http://localhost.evil.com/v1']) {
      assert.equal(isPlainHttpToRemote(url), true, url);
    }
    for (const url of ['https://example.com/v1', 'http://127.0.0.1:8787/v1', 'http://127.9.9.9/v1', 'http://localhost:8000/v1', 'http://LOCALHOST/v1', 'http://api.localhost/v1', 'http://[::1]:8080/v1', 'http://[::ffff:127.0.0.1]/v1', 'not a url']) {
      assert.equal(isPlainHttpToRemote(url), false, url);
    }
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
  });
});
