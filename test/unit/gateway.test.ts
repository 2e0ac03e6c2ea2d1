/**
 * The test gateway (test/gateway) over real HTTP with plain `fetch`: every scenario's status and
 * shape, SSE framing, recording, failure counting, and prompt shutdown.
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_ANSWER, DEFAULT_MODEL, DEFAULT_THINKING } from '../gateway/content';
import { SCENARIOS, startGateway, type GatewayServer } from '../gateway/server';

interface Choice {
  index: number;
  delta: Record<string, string>;
  finish_reason: string | null;
  native_finish_reason: string | null;
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
        'status-502', 'status-503', 'error-mid-stream', 'drop-mid-stream', 'slow', 'never-ends', 'fail-then-ok']) {
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
