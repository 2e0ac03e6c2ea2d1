/**
 * The test gateway (test/gateway) over real HTTP with plain `fetch`: every scenario's status and
 * shape, SSE framing, recording, failure counting, and prompt shutdown; how its answers end (stop
 * strings, max_tokens, a stream closed early) also as HunyuanClient sees them.
 */
import * as assert from 'node:assert/strict';
import { HunyuanClient } from '../../src/core/hunyuan/client';
import type { ChatRequestBody } from '../../src/core/hunyuan/request';
import type { StreamEvent } from '../../src/core/hunyuan/types';
import { DEFAULT_ANSWER, DEFAULT_MODEL, DEFAULT_THINKING, DEFAULT_TOOL_CALLS } from '../gateway/content';
import { TRUNCATED_CHUNK } from '../gateway/scenarios';
import { SCENARIOS, startGateway, type GatewayServer } from '../gateway/server';
import { countPromptTokens, countTokens, pieces as preTokens, TEMPLATE_TOKENS, TOKENS_PER_MESSAGE_TEMPLATE } from '../gateway/tokenizer';

interface ToolCallDelta { index: number; id?: string; type?: string; function: { name?: string; arguments?: string } }
interface Choice {
  index: number;
  delta: Record<string, string> & { tool_calls?: ToolCallDelta[] };
  finish_reason: string | null;
  native_finish_reason: string | null;
  stop_reason?: string;
}
interface Chunk {
  id?: string;
  object?: string;
  model?: string;
  choices?: Choice[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error?: { code: number; message: string };
}
interface Sse { raw: string; chunks: Chunk[]; comments: string[]; done: boolean }

const KEY = 'test-key';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const TAGGED_ANSWER = `<answer>\n${DEFAULT_ANSWER}\n</answer>`;
const THINK_TAGS = `<think>\n${DEFAULT_THINKING}\n</think>\n${TAGGED_ANSWER}`;

function chatBody(extra: Record<string, unknown> = {}, text = 'Write an add function'): Record<string, unknown> {
  return { model: DEFAULT_MODEL, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: text }], ...extra };
}

function post(base: string, body: unknown, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${base}/chat/completions`, {
    method: 'POST', headers: init.headers ?? HEADERS, body: JSON.stringify(body), signal: init.signal ?? null,
  });
}

function parseSse(raw: string): Sse {
  const result: Sse = { raw, chunks: [], comments: [], done: false };
  for (const block of raw.split('\n\n')) {
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) result.comments.push(line.slice(1).trim());
      else if (line === 'data: [DONE]') result.done = true;
      else if (line.startsWith('data: ')) result.chunks.push(JSON.parse(line.slice(6)) as Chunk);
    }
  }
  return result;
}

async function stream(base: string, extra: Record<string, unknown> = {}, text?: string): Promise<Sse> {
  const res = await post(base, chatBody({ stream: true, ...extra }, text));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  return parseSse(await res.text());
}

/** The pieces of one delta field, in order. */
function pieces(sse: Sse, field: string): string[] {
  return sse.chunks.flatMap((c) => (c.choices ?? []).map((choice) => choice.delta[field]).filter((p): p is string => p !== undefined));
}

function joined(sse: Sse, field: string): string {
  return pieces(sse, field).join('');
}

function finishReasons(sse: Sse): (string | null)[] {
  return sse.chunks.flatMap((c) => (c.choices ?? []).map((choice) => choice.finish_reason)).filter((r) => r !== null);
}

/** The choices of a stream that carry a `stop_reason`. */
function stopReasons(sse: Sse): Choice[] {
  return sse.chunks.flatMap((c) => c.choices ?? []).filter((choice) => 'stop_reason' in choice);
}

interface WholeChoice extends Omit<Choice, 'delta'> { message: { content: string | null; reasoning?: string | null } }

async function whole(base: string, extra: Record<string, unknown> = {}): Promise<{ choices: WholeChoice[]; usage?: Chunk['usage'] }> {
  const res = await post(base, chatBody(extra));
  assert.equal(res.status, 200);
  return await res.json() as { choices: WholeChoice[]; usage?: Chunk['usage'] };
}

/** Everything HunyuanClient yields for one request to `base`. */
async function clientEvents(base: string, extra: Partial<ChatRequestBody> = {}): Promise<StreamEvent[]> {
  const client = new HunyuanClient({ baseUrl: base, apiKey: KEY, timeoutMs: 5000, idleTimeoutMs: 5000, maxRetries: 0 });
  const body: ChatRequestBody = {
    model: DEFAULT_MODEL, messages: [{ role: 'user', content: 'Write an add function' }],
    stream: true, stream_options: { include_usage: true }, max_tokens: 4096, ...extra,
  };
  const events: StreamEvent[] = [];
  for await (const event of client.chat(body)) events.push(event);
  return events;
}

function answerOf(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'answer' ? e.text : '')).join('');
}

const CODE_ANSWER = '```js\nuno();\ndos();\ntres();\n```';

describe('test gateway', () => {
  let gw: GatewayServer;

  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw.close();
  });
  beforeEach(() => {
    gw.setScenario('reasoning');
    for (const name of SCENARIOS) gw.setOptions(name, {});
    gw.clear();
  });

  describe('server basics', () => {
    it('listens on 127.0.0.1 and builds base URLs', () => {
      assert.match(gw.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(gw.baseUrl(), `${gw.url}/v1`);
      assert.equal(gw.baseUrl('plain'), `${gw.url}/s/plain/v1`);
    });

    it('lists every documented scenario', () => {
      for (const name of ['reasoning', 'reasoning-content', 'think-tags', 'plain', 'cut-tags', 'keepalive', 'no-usage',
        'status-400', 'status-400-vllm', 'status-401', 'status-402', 'status-404', 'status-429', 'status-500',
        'status-502', 'status-503', 'error-mid-stream', 'drop-mid-stream', 'slow', 'never-ends', 'fail-then-ok',
        'status-401-echo-key', 'malformed-chunk', 'html-200', 'tool-calls', 'ends-early']) {
        assert.ok(SCENARIOS.includes(name), name);
      }
    });

    it('answers /healthz and lists models', async () => {
      assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
      const res = await fetch(`${gw.baseUrl()}/models`, { headers: HEADERS });
      assert.equal(res.status, 200);
      const list = await res.json() as { object: string; data: { id: string; object: string }[] };
      assert.equal(list.object, 'list');
      assert.deepEqual(list.data.map((m) => m.id), [DEFAULT_MODEL]);
      assert.equal(list.data[0]?.object, 'model');
    });

    it('rejects a missing or bad key with 401', async () => {
      const none = await post(gw.baseUrl(), chatBody(), { headers: { 'content-type': 'application/json' } });
      assert.equal(none.status, 401);
      assert.deepEqual(await none.json(), { error: { code: 401, message: 'No auth credentials found' } });
      const empty = await post(gw.baseUrl(), chatBody(), { headers: { authorization: 'Bearer ' } });
      assert.equal(empty.status, 401);
      await empty.body?.cancel();
      const bad = await post(gw.baseUrl(), chatBody(), { headers: { authorization: 'Bearer bad-key' } });
      assert.equal(bad.status, 401);
      assert.deepEqual(await bad.json(), { error: { code: 401, message: 'User not found.' } });
    });

    it('rejects an unknown model with 404', async () => {
      const res = await post(gw.baseUrl(), chatBody({ model: 'nobody/nothing' }));
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: { code: 404, message: 'Model nobody/nothing does not exist' } });
    });

    it('rejects an unknown scenario path with 404', async () => {
      const res = await post(gw.baseUrl('no-such-scenario'), chatBody());
      assert.equal(res.status, 404);
      await res.body?.cancel();
      assert.throws(() => gw.setScenario('no-such-scenario'));
    });

    it('records requests with method, path, scenario, headers and body', async () => {
      await (await post(gw.baseUrl(), chatBody({ temperature: 0.7 }))).text();
      await (await post(gw.baseUrl('plain'), chatBody({ stream: true }))).text();
      await (await fetch(`${gw.url}/healthz`)).text();
      assert.equal(gw.requests.length, 2);
      const [first, second] = gw.requests;
      assert.equal(first?.method, 'POST');
      assert.equal(first?.path, '/v1/chat/completions');
      assert.equal(first?.scenario, 'reasoning');
      assert.equal(first?.headers.authorization, `Bearer ${KEY}`);
      assert.equal(first?.body.temperature, 0.7);
      assert.deepEqual(first?.body.messages, chatBody().messages);
      assert.ok(typeof first?.receivedAt === 'number' && first.receivedAt <= Date.now());
      assert.equal(second?.scenario, 'plain');
      assert.equal(second?.path, '/s/plain/v1/chat/completions');
      assert.equal(gw.lastRequest(), second);
      gw.clear();
      assert.equal(gw.requests.length, 0);
      assert.equal(gw.lastRequest(), undefined);
    });
  });

  describe('reasoning (default)', () => {
    it('answers like the gateway sample when not streaming', async () => {
      const res = await post(gw.baseUrl(), chatBody());
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = await res.json() as Record<string, unknown> & {
        choices: Record<string, unknown>[]; usage: Record<string, unknown>;
      };
      assert.deepEqual(Object.keys(body), ['id', 'model', 'object', 'created', 'choices', 'usage']);
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.model, DEFAULT_MODEL);
      assert.match(String(body.id), /^chatcmpl-/);
      const choice = body.choices[0] as Record<string, unknown>;
      assert.deepEqual(Object.keys(choice), ['logprobs', 'finish_reason', 'native_finish_reason', 'index', 'message']);
      assert.equal(choice.finish_reason, 'stop');
      assert.equal(choice.native_finish_reason, 'stop');
      assert.deepEqual(choice.message, { role: 'assistant', content: TAGGED_ANSWER, refusal: null, reasoning: DEFAULT_THINKING });
      assert.deepEqual(Object.keys(body.usage), ['prompt_tokens', 'completion_tokens', 'total_tokens', 'prompt_tokens_details']);
      assert.equal(body.usage.prompt_tokens_details, null);
      assert.equal(body.usage.total_tokens, Number(body.usage.prompt_tokens) + Number(body.usage.completion_tokens));
    });

    it('streams reasoning deltas, then tagged content, a finish chunk and [DONE]', async () => {
      const sse = await stream(gw.baseUrl());
      assert.ok(sse.done);
      assert.ok(sse.raw.endsWith('data: [DONE]\n\n'));
      assert.equal(sse.chunks[0]?.choices?.[0]?.delta.role, 'assistant');
      assert.ok(sse.chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === sse.chunks[0]?.id && c.model === DEFAULT_MODEL));
      assert.equal(joined(sse, 'reasoning'), DEFAULT_THINKING);
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER);
      assert.ok(pieces(sse, 'content').every((p) => p.length <= 8));
      assert.deepEqual(finishReasons(sse), ['stop']);
      assert.ok(sse.chunks.every((c) => c.usage === undefined), 'no usage unless asked for');
      const lastChoice = sse.chunks.at(-1)?.choices?.[0];
      assert.deepEqual(lastChoice?.delta, {});
      assert.equal(lastChoice?.native_finish_reason, 'stop');
    });

    it('sends a usage chunk after the finish chunk when include_usage is set', async () => {
      const sse = await stream(gw.baseUrl(), { stream_options: { include_usage: true } });
      const last = sse.chunks.at(-1);
      assert.deepEqual(last?.choices, []);
      assert.ok(last?.usage && last.usage.completion_tokens > 0 && last.usage.prompt_tokens > 0);
      assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
      assert.equal(sse.chunks.at(-2)?.choices?.[0]?.finish_reason, 'stop');
    });

    it('honours options.usage and chunkSize', async () => {
      gw.setScenario('reasoning', { usage: true, chunkSize: 3 });
      const forced = await stream(gw.baseUrl());
      assert.ok(forced.chunks.at(-1)?.usage);
      assert.ok(pieces(forced, 'content').every((p) => p.length <= 3));
      gw.setScenario('reasoning', { usage: false });
      const omitted = await stream(gw.baseUrl(), { stream_options: { include_usage: true } });
      assert.ok(omitted.chunks.every((c) => c.usage === undefined));
    });

    it('thinks nothing in fast mode (/no_think)', async () => {
      const sse = await stream(gw.baseUrl(), {}, '/no_think Write an add function');
      assert.deepEqual(pieces(sse, 'reasoning'), []);
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER);
    });

    it('echoes a message containing ECHO', async () => {
      const sse = await stream(gw.baseUrl(), {}, 'please ECHO 你好 back');
      assert.equal(joined(sse, 'content'), '<answer>\nEcho: please ECHO 你好 back\n</answer>');
    });

    it('cuts at max_tokens with finish_reason length', async () => {
      const sse = await stream(gw.baseUrl(), { max_tokens: 10 });
      assert.deepEqual(finishReasons(sse), ['length']);
      assert.ok(joined(sse, 'reasoning').length < DEFAULT_THINKING.length);
      const res = await post(gw.baseUrl(), chatBody({ max_tokens: 60 }));
      const body = await res.json() as { choices: { finish_reason: string; message: { content: string } }[] };
      assert.equal(body.choices[0]?.finish_reason, 'length');
      assert.ok(TAGGED_ANSWER.startsWith(body.choices[0]?.message.content ?? 'x'));
    });

    it('uses options.answer and options.thinking', async () => {
      gw.setScenario('reasoning', { answer: 'A', thinking: 'T' });
      const sse = await stream(gw.baseUrl());
      assert.equal(joined(sse, 'reasoning'), 'T');
      assert.equal(joined(sse, 'content'), '<answer>\nA\n</answer>');
    });
  });

  describe('other shapes', () => {
    it('reasoning-content: thinking in reasoning_content, untagged content', async () => {
      const sse = await stream(gw.baseUrl('reasoning-content'));
      assert.equal(joined(sse, 'reasoning_content'), DEFAULT_THINKING);
      assert.deepEqual(pieces(sse, 'reasoning'), []);
      assert.equal(joined(sse, 'content'), DEFAULT_ANSWER);
      const body = await (await post(gw.baseUrl('reasoning-content'), chatBody())).json() as { choices: { message: Record<string, unknown> }[] };
      assert.equal(body.choices[0]?.message.reasoning_content, DEFAULT_THINKING);
      assert.equal(body.choices[0]?.message.content, DEFAULT_ANSWER);
    });

    it('think-tags: everything in content, empty think block in fast mode', async () => {
      const sse = await stream(gw.baseUrl('think-tags'));
      assert.equal(joined(sse, 'content'), THINK_TAGS);
      const body = await (await post(gw.baseUrl('think-tags'), chatBody({}, '/no_think hi'))).json() as { choices: { message: Record<string, unknown> }[] };
      assert.equal(body.choices[0]?.message.content, `<think>\n\n</think>\n${TAGGED_ANSWER}`);
      assert.equal('reasoning' in (body.choices[0]?.message ?? {}), false);
    });

    it('plain: untagged content only', async () => {
      const sse = await stream(gw.baseUrl('plain'));
      assert.equal(joined(sse, 'content'), DEFAULT_ANSWER);
      assert.deepEqual(pieces(sse, 'reasoning'), []);
    });

    it('cut-tags: cuts inside every tag, content intact', async () => {
      const sse = await stream(gw.baseUrl('cut-tags'));
      const chunks = pieces(sse, 'content');
      assert.equal(chunks.join(''), THINK_TAGS);
      for (const tag of ['<think>', '</think>', '<answer>', '</answer>']) {
        assert.ok(chunks.every((c) => !c.includes(tag)), `${tag} is never whole in a chunk`);
      }
      assert.ok(chunks.includes('<thi'));
      assert.ok(chunks.some((c) => c.endsWith('</ans')));
      assert.equal(chunks.at(-1), 'wer>');
    });

    it('cuts content at options.cuts', async () => {
      gw.setOptions('cut-tags', { cuts: [3, 10, 20] });
      const chunks = pieces(await stream(gw.baseUrl('cut-tags')), 'content');
      assert.deepEqual(chunks.map((c) => c.length).slice(0, 3), [3, 7, 10]);
      assert.equal(chunks.length, 4);
      assert.equal(chunks.join(''), THINK_TAGS);
      gw.setScenario('plain', { cuts: [1, 5] });
      assert.deepEqual(pieces(await stream(gw.baseUrl()), 'content'),
        [DEFAULT_ANSWER.slice(0, 1), DEFAULT_ANSWER.slice(1, 5), DEFAULT_ANSWER.slice(5)]);
    });

    it('keepalive: comment lines before and between chunks, still well framed', async () => {
      const sse = await stream(gw.baseUrl('keepalive'));
      assert.ok(sse.raw.startsWith(': OPENROUTER PROCESSING\n\n'));
      assert.ok(sse.comments.length >= sse.chunks.length);
      assert.ok(sse.comments.every((c) => c === 'OPENROUTER PROCESSING'));
      assert.equal(joined(sse, 'reasoning'), DEFAULT_THINKING);
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER);
      assert.ok(sse.done);
      const body = await (await post(gw.baseUrl('keepalive'), chatBody())).json() as { choices: { message: { content: string } }[] };
      assert.equal(body.choices[0]?.message.content, TAGGED_ANSWER);
    });

    it('no-usage: never sends usage', async () => {
      const sse = await stream(gw.baseUrl('no-usage'), { stream_options: { include_usage: true } });
      assert.ok(sse.done);
      assert.ok(sse.chunks.every((c) => c.usage === undefined));
      const body = await (await post(gw.baseUrl('no-usage'), chatBody())).json() as Record<string, unknown>;
      assert.equal('usage' in body, false);
    });
  });

  describe('error statuses', () => {
    const expected: [string, number, string][] = [
      ['status-400', 400, 'max_tokens is too large'],
      ['status-401', 401, 'User not found.'],
      ['status-402', 402, 'Insufficient balance'],
      ['status-404', 404, `Model ${DEFAULT_MODEL} does not exist`],
      ['status-429', 429, 'Rate limit exceeded'],
      ['status-500', 500, 'Internal Server Error'],
    ];
    for (const [scenario, status, message] of expected) {
      it(`${scenario} answers ${status} with a JSON error body`, async () => {
        const res = await post(gw.baseUrl(scenario), chatBody({ stream: true }));
        assert.equal(res.status, status);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(await res.json(), { error: { code: status, message } });
      });
    }

    it('status-503 has a JSON error body and no Retry-After unless configured', async () => {
      const res = await post(gw.baseUrl('status-503'), chatBody());
      assert.equal(res.status, 503);
      const body = await res.json() as { error: { code: number; message: string } };
      assert.equal(body.error.code, 503);
      assert.ok(body.error.message.length > 0);
      assert.equal(res.headers.get('retry-after'), null);
      gw.setOptions('status-503', { retryAfter: '7' });
      const again = await post(gw.baseUrl('status-503'), chatBody());
      assert.equal(again.headers.get('retry-after'), '7');
      await again.body?.cancel();
    });

    it('status-429 carries Retry-After (default 1, configurable)', async () => {
      const res = await post(gw.baseUrl('status-429'), chatBody());
      assert.equal(res.headers.get('retry-after'), '1');
      await res.body?.cancel();
      gw.setScenario('status-429', { retryAfter: '3' });
      const custom = await post(gw.baseUrl(), chatBody());
      assert.equal(custom.status, 429);
      assert.equal(custom.headers.get('retry-after'), '3');
      await custom.body?.cancel();
    });

    it('status-502 is an nginx HTML page', async () => {
      const res = await post(gw.baseUrl('status-502'), chatBody());
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('content-type'), 'text/html');
      assert.match(await res.text(), /<title>502 Bad Gateway<\/title>.*nginx/);
    });

    it('status-400-vllm uses the old top-level shape', async () => {
      const res = await post(gw.baseUrl('status-400-vllm'), chatBody());
      assert.equal(res.status, 400);
      const body = await res.json() as Record<string, unknown>;
      assert.equal(body.object, 'error');
      assert.equal(body.type, 'BadRequestError');
      assert.equal(body.code, 400);
      assert.equal(typeof body.message, 'string');
    });

    it('status scenarios also fail the models endpoint', async () => {
      const res = await fetch(`${gw.baseUrl('status-402')}/models`, { headers: HEADERS });
      assert.equal(res.status, 402);
      await res.body?.cancel();
    });

    it('fail-then-ok fails failTimes requests, then succeeds; clear() restarts the count', async () => {
      gw.setOptions('fail-then-ok', { failTimes: 2, failStatus: 429, retryAfter: '2' });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await post(gw.baseUrl('fail-then-ok'), chatBody());
        statuses.push(res.status);
        if (res.status === 429) assert.equal(res.headers.get('retry-after'), '2');
        await res.text();
      }
      assert.deepEqual(statuses, [429, 429, 200]);
      gw.clear();
      const again = await post(gw.baseUrl('fail-then-ok'), chatBody());
      assert.equal(again.status, 429);
      await again.body?.cancel();
    });

    it('fail-then-ok defaults to one 503 without Retry-After', async () => {
      gw.setScenario('fail-then-ok');
      const first = await post(gw.baseUrl(), chatBody({ stream: true }));
      assert.equal(first.status, 503);
      assert.equal(first.headers.get('retry-after'), null);
      await first.body?.cancel();
      const sse = await stream(gw.baseUrl());
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER);
    });
  });

  describe('faults', () => {
    it('error-mid-stream: 200, a few chunks, then an error event and no [DONE]', async () => {
      const sse = await stream(gw.baseUrl('error-mid-stream'));
      assert.equal(sse.done, false);
      const last = sse.chunks.at(-1);
      assert.deepEqual(last, { error: { code: 502, message: 'Upstream provider returned an error' } });
      const content = sse.chunks.slice(0, -1);
      assert.equal(content.length, 3);
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER.slice(0, 24));
    });

    it('error-mid-stream honours chunksBeforeFault', async () => {
      gw.setOptions('error-mid-stream', { chunksBeforeFault: 1 });
      const sse = await stream(gw.baseUrl('error-mid-stream'));
      assert.equal(sse.chunks.length, 2);
      assert.ok(sse.chunks[1]?.error);
    });

    it('drop-mid-stream: the body read rejects', async () => {
      const res = await post(gw.baseUrl('drop-mid-stream'), chatBody({ stream: true }));
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
      const whole = await post(gw.baseUrl('drop-mid-stream'), chatBody());
      await assert.rejects(whole.text());
    });

    it('slow: waits delayMs between chunks', async () => {
      gw.setOptions('slow', { delayMs: 40, thinking: 'x', answer: 'abcdefghij' });
      const started = Date.now();
      const sse = await stream(gw.baseUrl('slow'));
      const elapsed = Date.now() - started;
      // 1 reasoning + 4 content chunks + the finish chunk: 5 pauses.
      assert.equal(sse.chunks.length, 6);
      assert.ok(elapsed >= 5 * 40 - 10, `took ${elapsed} ms`);
    });

    it('a client abort mid-stream leaves the server healthy', async () => {
      gw.setOptions('slow', { delayMs: 50 });
      const controller = new AbortController();
      const res = await post(gw.baseUrl('slow'), chatBody({ stream: true }), { signal: controller.signal });
      const reader = res.body?.getReader();
      assert.ok(reader);
      await reader.read();
      controller.abort();
      await assert.rejects(reader.read());
      const sse = await stream(gw.baseUrl('plain'));
      assert.ok(sse.done);
    });

    it('never-ends: headers arrive, then nothing; close() returns promptly', async () => {
      const own = await startGateway({ options: { chunksBeforeFault: 0 }, scenario: 'never-ends' });
      const silent = await post(own.baseUrl(), chatBody({ stream: true }));
      assert.equal(silent.status, 200);
      const silentBody = silent.text();
      own.setOptions('never-ends', { chunksBeforeFault: 2 });
      const res = await post(own.baseUrl('never-ends'), chatBody({ stream: true }));
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /^data: /);
      const started = Date.now();
      await own.close();
      assert.ok(Date.now() - started < 2000, 'close() returned promptly');
      await assert.rejects(silentBody);
      await assert.rejects(async () => {
        for (;;) if ((await reader.read()).done) return;
      });
    });
  });

  describe('how answers end: stop strings, max_tokens, a stream closed early', () => {
    const returnAt = TAGGED_ANSWER.indexOf('  return');

    it('stop: cuts before the earliest stop string, finish_reason stop with stop_reason on the finish chunk (streamed)', async () => {
      const sse = await stream(gw.baseUrl(), { stop: ['}\n```', '  return', 'Call it'], stream_options: { include_usage: true } });
      assert.equal(joined(sse, 'reasoning'), DEFAULT_THINKING);
      assert.equal(joined(sse, 'content'), TAGGED_ANSWER.slice(0, returnAt));
      assert.deepEqual(finishReasons(sse), ['stop']);
      const withStop = stopReasons(sse);
      assert.equal(withStop.length, 1, 'only the finish chunk names the stop string');
      assert.equal(withStop[0]?.stop_reason, '  return');
      assert.equal(withStop[0]?.finish_reason, 'stop');
      assert.ok(sse.chunks.at(-1)?.usage, 'usage still follows');
      assert.ok(sse.done);
    });

    it('stop: the same cut and stop_reason in a whole response; a single string is a stop list of one', async () => {
      const body = await whole(gw.baseUrl(), { stop: '  return' });
      const choice = body.choices[0];
      assert.deepEqual(Object.keys(choice ?? {}), ['logprobs', 'finish_reason', 'native_finish_reason', 'stop_reason', 'index', 'message']);
      assert.equal(choice?.finish_reason, 'stop');
      assert.equal(choice?.stop_reason, '  return');
      assert.equal(choice?.message.content, TAGGED_ANSWER.slice(0, returnAt));
      assert.equal(choice?.message.reasoning, DEFAULT_THINKING);
      assert.equal(body.usage?.completion_tokens, countTokens(DEFAULT_THINKING) + countTokens(TAGGED_ANSWER.slice(0, returnAt)));
    });

    it('stop: at one position the shorter string wins; a string in the thinking ends the reply there', async () => {
      gw.setOptions('plain', { answer: 'abc END here' });
      const plain = await whole(gw.baseUrl('plain'), { stop: ['END here', 'x', 'END'] });
      assert.equal(plain.choices[0]?.message.content, 'abc ');
      assert.equal(plain.choices[0]?.stop_reason, 'END');
      const thinking = await stream(gw.baseUrl(), { stop: ['TypeScript'] });
      assert.equal(joined(thinking, 'reasoning'), DEFAULT_THINKING.slice(0, DEFAULT_THINKING.indexOf('TypeScript')));
      assert.equal(joined(thinking, 'content'), '');
      assert.equal(stopReasons(thinking)[0]?.stop_reason, 'TypeScript');
    });

    it('stop strings that never occur change nothing: finish_reason stop, no stop_reason, [DONE], in every normal scenario', async () => {
      gw.setOptions('slow', { delayMs: 1 });
      for (const scenario of ['reasoning', 'reasoning-content', 'think-tags', 'plain', 'cut-tags', 'keepalive', 'no-usage', 'slow']) {
        const sse = await stream(gw.baseUrl(scenario), { stop: ['NEVER WRITTEN'] });
        assert.deepEqual(finishReasons(sse), ['stop'], scenario);
        assert.deepEqual(stopReasons(sse), [], scenario);
        assert.ok(sse.done && sse.raw.endsWith('data: [DONE]\n\n'), scenario);
        const body = await whole(gw.baseUrl(scenario), { stop: ['NEVER WRITTEN'] });
        assert.equal(body.choices[0]?.finish_reason, 'stop', scenario);
        assert.equal('stop_reason' in (body.choices[0] ?? {}), false, scenario);
      }
    });

    it('refuses a stop that is neither a string nor a list of strings', async () => {
      for (const stop of [5, ['a', 1], { a: 'b' }]) {
        const res = await post(gw.baseUrl(), chatBody({ stop }));
        assert.equal(res.status, 400, JSON.stringify(stop));
        assert.deepEqual(await res.json(), { error: { code: 400, message: 'stop must be a string or a list of strings.' } });
      }
    });

    it('max_tokens smaller than the answer: the answer cut at max_tokens tokens, finish_reason length', async () => {
      const sse = await stream(gw.baseUrl('plain'), { max_tokens: 7, stream_options: { include_usage: true } });
      const content = joined(sse, 'content');
      assert.ok(content.length > 0 && content.length < DEFAULT_ANSWER.length && DEFAULT_ANSWER.startsWith(content), content);
      assert.ok(countTokens(content) <= 7);
      // the next pre-token piece would not have fitted
      const next = preTokens(DEFAULT_ANSWER.slice(content.length))[0] ?? '';
      assert.ok(countTokens(content) + countTokens(next) > 7);
      assert.deepEqual(finishReasons(sse), ['length']);
      assert.deepEqual(stopReasons(sse), []);
      assert.equal(sse.chunks.at(-1)?.usage?.completion_tokens, countTokens(content));
      assert.ok(sse.done);
      const body = await whole(gw.baseUrl('plain'), { max_tokens: 7 });
      assert.equal(body.choices[0]?.finish_reason, 'length');
      assert.equal(body.choices[0]?.message.content, content);
    });

    it('max_tokens before a stop string: length; a stop string written before max_tokens: stop', async () => {
      const early = await whole(gw.baseUrl('plain'), { max_tokens: 7, stop: ['Call it'] });
      assert.equal(early.choices[0]?.finish_reason, 'length');
      assert.equal('stop_reason' in (early.choices[0] ?? {}), false);
      const late = await whole(gw.baseUrl('plain'), { max_tokens: 200, stop: ['Call it'] });
      assert.equal(late.choices[0]?.finish_reason, 'stop');
      assert.equal(late.choices[0]?.stop_reason, 'Call it');
      assert.equal(late.choices[0]?.message.content, DEFAULT_ANSWER.slice(0, DEFAULT_ANSWER.indexOf('Call it')));
    });

    it('ends-early: thinking, the first linesBeforeEnd lines of the answer, then a clean close: no finish_reason, usage or [DONE]', async () => {
      gw.setOptions('ends-early', { answer: CODE_ANSWER, thinking: 'T', linesBeforeEnd: 2 });
      const res = await post(gw.baseUrl('ends-early'), chatBody({ stream: true, stream_options: { include_usage: true } }));
      assert.equal(res.status, 200);
      const sse = parseSse(await res.text()); // a clean end: the body read resolves
      assert.equal(joined(sse, 'reasoning'), 'T');
      assert.equal(joined(sse, 'content'), '<answer>\n```js\nuno();\n');
      assert.deepEqual(finishReasons(sse), []);
      assert.ok(sse.chunks.every((c) => c.usage === undefined && c.error === undefined));
      assert.equal(sse.done, false);
      assert.ok(sse.raw.endsWith('\n\n'), 'the last event is whole');
    });

    it('ends-early: half the answer\'s lines by default, 0 to all of them; not streaming, finish_reason null', async () => {
      const half = await stream(gw.baseUrl('ends-early'));
      assert.equal(joined(half, 'content'), `<answer>\n${DEFAULT_ANSWER.split('\n').slice(0, 4).join('\n')}\n`);
      assert.equal(joined(half, 'reasoning'), DEFAULT_THINKING);
      gw.setOptions('ends-early', { answer: CODE_ANSWER, linesBeforeEnd: 0 });
      assert.equal(joined(await stream(gw.baseUrl('ends-early')), 'content'), '<answer>\n');
      gw.setOptions('ends-early', { answer: CODE_ANSWER, linesBeforeEnd: 99 });
      const all = await stream(gw.baseUrl('ends-early'));
      assert.equal(joined(all, 'content'), `<answer>\n${CODE_ANSWER}`, 'the whole answer, but never </answer>');
      assert.deepEqual(finishReasons(all), []);
      gw.setOptions('ends-early', { answer: CODE_ANSWER, linesBeforeEnd: 3 });
      const body = await whole(gw.baseUrl('ends-early'));
      assert.equal(body.choices[0]?.finish_reason, null);
      assert.equal(body.choices[0]?.native_finish_reason, null);
      assert.equal(body.choices[0]?.message.content, '<answer>\n```js\nuno();\ndos();\n');
    });

    describe('as HunyuanClient sees them', () => {
      it('ends-early: the answer so far and an estimated usage, but no finish event and no error', async () => {
        gw.setOptions('ends-early', { answer: CODE_ANSWER, thinking: '', linesBeforeEnd: 2 });
        const events = await clientEvents(gw.baseUrl('ends-early'));
        assert.equal(answerOf(events), '```js\nuno();');
        assert.deepEqual(events.filter((e) => e.type === 'finish' || e.type === 'error' || e.type === 'retry'), []);
        const last = events.at(-1);
        assert.equal(last?.type, 'usage');
        assert.ok(last?.type === 'usage' && last.usage.estimated);
        assert.equal(gw.requests.length, 1, 'not retried');
        const notStreamed = await clientEvents(gw.baseUrl('ends-early'), { stream: false, stream_options: undefined });
        assert.equal(answerOf(notStreamed), '```js\nuno();');
        assert.deepEqual(notStreamed.filter((e) => e.type === 'finish' || e.type === 'error'), []);
      });

      it('a stop string: finish stop with its stopSequence, streamed and not', async () => {
        const expected = DEFAULT_ANSWER.slice(0, DEFAULT_ANSWER.indexOf('  return')).replace(/\n+$/, '');
        for (const stream of [true, false]) {
          const events = await clientEvents(gw.baseUrl(), { stream, stream_options: stream ? { include_usage: true } : undefined, stop: ['  return'] });
          assert.equal(answerOf(events), expected, `stream: ${stream}`);
          assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop', stopSequence: '  return' }, `stream: ${stream}`);
        }
      });

      it('max_tokens: finish length without a stopSequence; a normal answer: finish stop without one', async () => {
        const cut = await clientEvents(gw.baseUrl('plain'), { max_tokens: 7, stop: ['Call it'] });
        assert.deepEqual(cut.at(-1), { type: 'finish', reason: 'length' });
        assert.ok(DEFAULT_ANSWER.startsWith(answerOf(cut)) && answerOf(cut).length < DEFAULT_ANSWER.length);
        const done = await clientEvents(gw.baseUrl('plain'));
        assert.deepEqual(done.at(-1), { type: 'finish', reason: 'stop' });
        assert.equal(answerOf(done), DEFAULT_ANSWER);
      });
    });
  });

  describe('its own token count', () => {
    it('cuts text as Hunyuan\'s pre-tokenizer does, CJK runs apart', () => {
      assert.deepEqual(preTokens("It's getUserById(42);\n    return 混元，ok"),
        ['It', "'s", ' getUserById', '(', '4', '2', ');\n', '   ', ' return', ' ', '混元', '，ok']);
    });

    it('counts digits one by one, CJK at 0.6 a character, and punctuation and words by their runs', () => {
      assert.equal(countTokens('1234567890'), 10);
      assert.equal(countTokens('混元'.repeat(10)), 12);
      assert.equal(countTokens('混元。'), 2 + 1);
      assert.equal(countTokens(' getElementById'), 4, 'camelCase humps');
      assert.equal(countTokens(' hello world'), 2);
      assert.equal(countTokens('{"a":1}'), 1 + 1 + 1 + 1 + 1);
      assert.equal(countTokens('😀👍'), 4, 'emoji: byte tokens, two each');
      assert.equal(countTokens(' '.repeat(40)), 10);
    });

    it('is stricter than characters / 4 on code, JSON and numbers, and close to the measured 4.1 on prose', () => {
      const code = 'export function add(a: number, b: number): number {\n  return a + b; // 2 + 3 = 5\n}\n'.repeat(20);
      assert.ok(countTokens(code) > code.length / 4);
      const json = JSON.stringify({ id: 12345, tags: ['a', 'b'], ok: true, n: [1, 2, 3] }).repeat(20);
      assert.ok(countTokens(json) > json.length / 3);
      const prose = 'The decoder handles all of them, including a tag cut between two chunks at any character. '.repeat(20);
      const ratio = prose.length / countTokens(prose);
      assert.ok(ratio > 3.5 && ratio < 4.5, `prose: ${ratio} characters per token`);
    });

    it('adds the chat template: a few tokens per message and for the reply', () => {
      const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }];
      assert.equal(countTokens('Be brief.') + countTokens('hi'), 3 + 1);
      assert.equal(countPromptTokens(messages), 3 + 2 * 4 + 3 + 1);
      assert.equal(countPromptTokens([]), TEMPLATE_TOKENS);
      assert.equal(countPromptTokens([{ role: 'user', content: '' }]) - countPromptTokens([]), TOKENS_PER_MESSAGE_TEMPLATE);
    });
  });

  describe('the context window (as vLLM checks it, before any scenario)', () => {
    const messages = chatBody().messages as unknown[];
    const prompt = countPromptTokens(messages);
    const over = (window: number, max: number) =>
      `This model's maximum context length is ${window} tokens. However, you requested ${prompt + max} tokens ` +
      `(${prompt} in the messages, ${max} in the completion). Please reduce the length of the messages or completion.`;

    it('accepts prompt + max_tokens up to the window, and refuses one token more with vLLM\'s 400', async () => {
      gw.setOptions('plain', { contextWindow: prompt + 50 });
      const fits = await post(gw.baseUrl('plain'), chatBody({ max_tokens: 50 }));
      assert.equal(fits.status, 200);
      await fits.text();
      assert.equal(gw.lastRequest()?.promptTokens, prompt);
      for (const stream of [false, true]) {
        const res = await post(gw.baseUrl('plain'), chatBody({ max_tokens: 51, stream }));
        assert.equal(res.status, 400);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(await res.json(), { object: 'error', message: over(prompt + 50, 51), type: 'BadRequestError', param: null, code: 400 });
      }
      const completionTokens = await post(gw.baseUrl('plain'), chatBody({ max_completion_tokens: 51 }));
      assert.equal(completionTokens.status, 400, 'max_completion_tokens counts too');
      await completionTokens.text();
    });

    it('without max_tokens refuses only a prompt that fills the window', async () => {
      gw.setOptions('plain', { contextWindow: prompt + 1 });
      const fits = await post(gw.baseUrl('plain'), chatBody());
      assert.equal(fits.status, 200);
      await fits.text();
      gw.setOptions('plain', { contextWindow: prompt });
      const res = await post(gw.baseUrl('plain'), chatBody());
      assert.equal(res.status, 400);
      assert.equal((await res.json() as { message: string }).message,
        `This model's maximum context length is ${prompt} tokens. However, you requested ${prompt} tokens in the messages, ` +
        'Please reduce the length of the messages.');
    });

    it('is 32768 tokens by default, and checked in every scenario before anything else', async () => {
      for (const scenario of ['reasoning', 'status-500', 'html-200', 'fail-then-ok', 'never-ends']) {
        const res = await post(gw.baseUrl(scenario), chatBody({ max_tokens: 32768 - prompt + 1, stream: true }));
        assert.equal(res.status, 400, scenario);
        assert.equal((await res.json() as { message: string }).message, over(32768, 32768 - prompt + 1));
      }
      const fits = await post(gw.baseUrl(), chatBody({ max_tokens: 32768 - prompt }));
      assert.equal(fits.status, 200);
      await fits.text();
    });

    it('counts the prompt its own way: stricter than 4 characters per token on digits', async () => {
      const digits = '0123456789'.repeat(400); // 4000 tokens here, 1000 by characters / 4
      const res = await post(gw.baseUrl(), chatBody({ max_tokens: 32768 - 3000 }, digits));
      assert.equal(res.status, 400);
      await res.text();
      assert.ok((gw.lastRequest()?.promptTokens ?? 0) > 4000);
    });

    it('takes its window from startGateway, and lists it with the model', async () => {
      const own = await startGateway({ contextWindow: prompt + 10 });
      try {
        const list = await (await fetch(`${own.baseUrl()}/models`, { headers: HEADERS })).json() as { data: { context_length: number }[] };
        assert.equal(list.data[0]?.context_length, prompt + 10);
        const res = await post(own.baseUrl(), chatBody({ max_tokens: 11 }));
        assert.equal(res.status, 400);
        assert.equal((await res.json() as { message: string }).message, over(prompt + 10, 11));
      } finally {
        await own.close();
      }
    });

    it('refuses a max_tokens below 1 as vLLM does', async () => {
      const res = await post(gw.baseUrl(), chatBody({ max_tokens: 0 }));
      assert.equal(res.status, 400);
      await res.text();
    });
  });

  describe('broken answers and tool calls', () => {
    it('malformed-chunk: chunks, then a data event cut inside its JSON, and the end', async () => {
      const res = await post(gw.baseUrl('malformed-chunk'), chatBody({ stream: true }));
      assert.equal(res.status, 200);
      const raw = await res.text();
      assert.ok(raw.endsWith(`data: ${TRUNCATED_CHUNK}\n\n`), raw.slice(-80));
      const good = parseSse(raw.slice(0, raw.length - `data: ${TRUNCATED_CHUNK}\n\n`.length));
      assert.equal(good.chunks.length, 3);
      assert.equal(good.done, false);
      assert.throws(() => JSON.parse(TRUNCATED_CHUNK), SyntaxError);
    });

    it('malformed-chunk: half a JSON body when not streaming', async () => {
      const res = await post(gw.baseUrl('malformed-chunk'), chatBody());
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const text = await res.text();
      assert.match(text, /^\{"id":"chatcmpl-/);
      assert.throws(() => JSON.parse(text), SyntaxError);
    });

    it('html-200: a captive portal\'s login page with status 200, on every endpoint', async () => {
      for (const res of [await post(gw.baseUrl('html-200'), chatBody({ stream: true })), await fetch(`${gw.baseUrl('html-200')}/models`, { headers: HEADERS })]) {
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(await res.text(), /^<!DOCTYPE html>.*<title>CafeNet Wi-Fi: sign in<\/title>/);
      }
    });

    it('tool-calls: thinking, then two calls whose arguments come in pieces, finish_reason tool_calls', async () => {
      const sse = await stream(gw.baseUrl('tool-calls'), { stream_options: { include_usage: true } });
      assert.ok(sse.done);
      assert.equal(joined(sse, 'reasoning'), DEFAULT_THINKING);
      assert.deepEqual(pieces(sse, 'content'), [null], 'content: null in the first chunk, as OpenAI sends it');
      const deltas = sse.chunks.flatMap((c) => (c.choices ?? []).flatMap((choice) => choice.delta.tool_calls ?? []));
      const calls = DEFAULT_TOOL_CALLS.map((_, index) => deltas.filter((d) => d.index === index));
      for (const [index, parts] of calls.entries()) {
        assert.match(parts[0]?.id ?? '', /^call_/);
        assert.equal(parts[0]?.type, 'function');
        assert.equal(parts[0]?.function.name, DEFAULT_TOOL_CALLS[index]?.name);
        assert.equal(parts.map((d) => d.function.arguments ?? '').join(''), DEFAULT_TOOL_CALLS[index]?.arguments);
        assert.ok(parts.filter((d) => d.function.arguments).length > 1, 'the arguments are split across chunks');
        assert.ok(parts.slice(1).every((d) => d.id === undefined && d.function.name === undefined));
      }
      assert.notEqual(calls[0]?.[0]?.id, calls[1]?.[0]?.id);
      assert.deepEqual(finishReasons(sse), ['tool_calls']);
      assert.ok(sse.chunks.at(-1)?.usage);
    });

    it('tool-calls: the whole message when not streaming, and options.toolCalls', async () => {
      gw.setOptions('tool-calls', { toolCalls: [{ name: 'f', arguments: '{}' }] });
      const body = await (await post(gw.baseUrl('tool-calls'), chatBody())).json() as {
        choices: { finish_reason: string; message: { content: null; reasoning: string; tool_calls: { id: string; type: string; function: object }[] } }[];
      };
      const choice = body.choices[0];
      assert.equal(choice?.finish_reason, 'tool_calls');
      assert.equal(choice?.message.content, null);
      assert.equal(choice?.message.reasoning, DEFAULT_THINKING);
      assert.deepEqual(choice?.message.tool_calls.map((c) => [c.type, c.function]), [['function', { name: 'f', arguments: '{}' }]]);
    });

    it('keepaliveMs: only comments, one every keepaliveEveryMs, before the first chunk', async () => {
      gw.setOptions('plain', { keepaliveMs: 200, keepaliveEveryMs: 50 });
      const sse = await stream(gw.baseUrl('plain'));
      assert.ok(sse.raw.startsWith(': OPENROUTER PROCESSING\n\n'.repeat(4) + 'data: '));
      assert.equal(sse.comments.length, 4);
      assert.equal(joined(sse, 'content'), DEFAULT_ANSWER);
    });
  });

  describe('configuration', () => {
    it('serves the models given to startGateway', async () => {
      const own = await startGateway({ models: ['acme/model-1'] });
      try {
        const ok = await post(own.baseUrl(), chatBody({ model: 'acme/model-1' }));
        assert.equal(ok.status, 200);
        assert.equal((await ok.json() as { model: string }).model, 'acme/model-1');
        const missing = await post(own.baseUrl(), chatBody());
        assert.equal(missing.status, 404);
        await missing.body?.cancel();
      } finally {
        await own.close();
      }
    });

    it('control endpoints set the scenario, list and reset requests', async () => {
      const set = await fetch(`${gw.url}/__gateway/scenario`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'plain', options: { answer: 'hi' } }),
      });
      assert.equal(set.status, 200);
      await set.text();
      const sse = await stream(gw.baseUrl());
      assert.equal(joined(sse, 'content'), 'hi');
      const listed = await (await fetch(`${gw.url}/__gateway/requests`)).json() as { scenario: string; body: { stream: boolean } }[];
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.scenario, 'plain');
      assert.equal(listed[0]?.body.stream, true);
      const reset = await fetch(`${gw.url}/__gateway/reset`, { method: 'POST' });
      assert.equal(reset.status, 200);
      await reset.text();
      assert.equal(gw.requests.length, 0);
      const bad = await fetch(`${gw.url}/__gateway/scenario`, { method: 'POST', body: JSON.stringify({ name: 'nope' }) });
      assert.equal(bad.status, 400);
      await bad.text();
    });
  });
});
