/**
 * The test gateway's scenarios: one table entry per name, each a small handler for
 * `POST chat/completions` built from a few shared pieces (a normal reply in some shape, a fixed
 * error, a stream that fails part-way). server.ts has already checked auth, JSON, model and, as
 * vLLM does before anything else, that prompt + max_tokens fit the context window (contextRefusal).
 */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import {
  DEFAULT_THINKING, DEFAULT_TOOL_CALLS, chunkAt, chunkBody, rawToolCallContent, rawToolCallCuts, toolResultsAnswer, trailingToolResults, chunkBySize, completionBody, generate, makeUsage, streamDeltas, tagCuts,
  toolCallCompletionBody, toolCallDeltas, usageChunkBody,
  type ChatRequest, type CompletionMeta, type Output, type Shape, type ToolCall,
} from './content';
import { countPromptTokens } from './tokenizer';
import { SseStream, pause, sendError, sendHtml, sendJson, untilAborted } from './respond';

export interface ScenarioOptions {
  answer?: string;            // answer text (default: a short markdown answer with a ```ts block)
  thinking?: string;          // thinking text (default: a deterministic paragraph, some Chinese included)
  chunkSize?: number;         // characters per SSE chunk (default 8)
  cuts?: number[];            // offsets in the raw content string where content chunks are cut (overrides chunkSize)
  delayMs?: number;           // delay between SSE chunks (default 0; 'slow': 150)
  retryAfter?: string;        // Retry-After header for 429/503 (default '1' for 429)
  failTimes?: number;         // 'fail-then-ok': failing requests before success (default 1)
  failStatus?: number;        // 'fail-then-ok': status of the failures (default 503)
  chunksBeforeFault?: number; // error-mid-stream / drop-mid-stream / never-ends: chunks before the fault (default 3)
  linesBeforeEnd?: number;    // ends-early: lines of the answer sent, each with its newline, before the close (default half of them, at least 1; 0 allowed)
  usage?: boolean;            // force including (true) / omitting (false) usage
  contextWindow?: number;     // prompt + max_tokens allowed, in the gateway's own count (default: GatewayInit.contextWindow, 32768)
  keepaliveMs?: number;       // streams: only ": OPENROUTER PROCESSING" comments for this long before the first chunk (default 0)
  keepaliveEveryMs?: number;  // ... one comment every this many ms (default 100)
  toolCalls?: ToolCall[];     // 'tool-calls': the calls to make (default: read_file and run_tests)
  hugeLineBytes?: number;     // huge-line: bytes of the line without a newline (default 32 MiB)
  answerChars?: number;       // ignores-max-tokens: characters of the answer, whatever max_tokens says (default 200,000,000)
  redirectTo?: string;        // redirect-307 / redirect-308: the Location (default '/v1/chat/completions': the same origin)
}

/** Everything a scenario needs to answer one chat request. */
export interface ChatContext {
  readonly res: ServerResponse;
  readonly request: ChatRequest;
  readonly options: ScenarioOptions;
  /** Aborts when the client disconnects or the server closes. */
  readonly signal: AbortSignal;
  readonly meta: CompletionMeta;
  /** The Bearer key the request carried (already accepted by the server). */
  readonly apiKey: string;
  /** Counts this request against the scenario's failure counter; returns its 1-based number. */
  attempt(): number;
  /** Adds to the request's recorded `bytesSent` (the endless scenarios report what they wrote). */
  sent(bytes: number): void;
}

/** A fixed error reply, given to every endpoint of the scenario (`models` too). */
export type FixedReply = (res: ServerResponse, options: ScenarioOptions, model: string | undefined) => void;

export interface Scenario {
  readonly description: string;
  chat(ctx: ChatContext): Promise<void> | void;
  readonly fixedReply?: FixedReply;
}

export const KEEPALIVE_COMMENT = 'OPENROUTER PROCESSING';
export const UPSTREAM_ERROR = { code: 502, message: 'Upstream provider returned an error' };

const BAD_GATEWAY_HTML =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>' +
  '<hr><center>nginx</center></body></html>';

// ---------------------------------------------------------------------------------------------
// Error replies

const ERROR_MESSAGES: Record<number, string> = {
  400: 'max_tokens is too large',
  401: 'User not found.',
  402: 'Insufficient balance',
  403: 'This API key is disabled',
  408: 'Request timed out',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  503: 'Service temporarily unavailable, no provider is available for this model',
  504: 'Upstream provider timed out',
};

/** The gateway's answer with `status`: JSON `{error}` bodies, nginx's HTML page for 502. */
export function errorReply(res: ServerResponse, status: number, retryAfter: string | undefined, model: string | undefined): void {
  const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': retryAfter } : {};
  if (status === 502) return sendHtml(res, status, BAD_GATEWAY_HTML, headers);
  const message = status === 404 ? `Model ${model ?? 'unknown'} does not exist` : ERROR_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error';
  sendError(res, status, message, headers);
}

function statusScenario(status: number): Scenario {
  const fixedReply: FixedReply = (res, options, model) =>
    errorReply(res, status, options.retryAfter ?? (status === 429 ? '1' : undefined), model);
  return {
    description: `HTTP ${status}${status === 502 ? ' with an nginx HTML page' : ' with a JSON error body'}`,
    fixedReply,
    chat: (ctx) => fixedReply(ctx.res, ctx.options, ctx.request.model),
  };
}

/** vLLM's error body (its older top-level shape, as the status-400-vllm scenario sends it). */
export function vllmError(message: string): object {
  return { object: 'error', message, type: 'BadRequestError', param: null, code: 400 };
}

/** vLLM's words for a request that does not fit (vllm/entrypoints/openai/serving_engine.py). */
export function contextLengthMessage(window: number, promptTokens: number, maxTokens: number | undefined): string {
  if (maxTokens === undefined) {
    return `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens} tokens in the messages, ` +
      'Please reduce the length of the messages.';
  }
  return `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + maxTokens} tokens ` +
    `(${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`;
}

/**
 * The 400 body a vLLM server answers when the prompt (as the gateway counts it, chat template
 * included) plus max_tokens exceeds `window`, or undefined when the request fits. Without
 * max_tokens the completion may take what is left, so only a prompt filling the window is refused.
 */
export function contextRefusal(request: ChatRequest, window: number): object | undefined {
  const prompt = countPromptTokens(request.messages, request.tools);
  const over = request.maxTokens === undefined ? prompt >= window : prompt + request.maxTokens > window;
  return over ? vllmError(contextLengthMessage(window, prompt, request.maxTokens)) : undefined;
}

// A fixed message (host tests quote it); the strict check above uses vLLM's full wording.
const vllmBadRequest: FixedReply = (res) => sendJson(res, 400, {
  object: 'error',
  message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens. Please reduce the length of the messages or completion.",
  type: 'BadRequestError',
  code: 400,
});

const CAPTIVE_PORTAL_HTML =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>CafeNet Wi-Fi: sign in</title></head><body>' +
  '<h1>Welcome to CafeNet</h1><p>Accept the terms of use to continue to the internet.</p>' +
  '<form method="post" action="/login"><button type="submit">Accept and connect</button></form></body></html>';

/** A captive portal (or a proxy's login page) answering in place of the gateway: 200, text/html. */
const portalPage: FixedReply = (res) => sendHtml(res, 200, CAPTIVE_PORTAL_HTML, { 'content-type': 'text/html; charset=utf-8' });

/** What the malformed-chunk scenario sends as its last event: a chunk cut inside its JSON. */
export const TRUNCATED_CHUNK = '{"choices":[{"delta":';

// ---------------------------------------------------------------------------------------------
// Normal replies

interface Style {
  shape: Shape;
  keepalive?: boolean;
  noUsage?: boolean;
  cutTags?: boolean;
  delayMs?: number;
}

/**
 * How a stream goes wrong after `chunksBeforeFault` chunks; or, for 'end', after all the chunks of
 * an already shortened reply, by closing cleanly without a finish chunk or [DONE].
 */
type Fault = 'error' | 'drop' | 'hang' | 'malformed' | 'end';

function wantsUsage(ctx: ChatContext, style: Style): boolean {
  if (style.noUsage) return false;
  return ctx.options.usage ?? (!ctx.request.stream || ctx.request.includeUsage);
}

async function reply(ctx: ChatContext, style: Style, fault?: Fault): Promise<void> {
  // Faulty streams think nothing unless asked to, so their few chunks are answer text.
  const output = generate(style.shape, ctx.request, ctx.options, fault ? '' : DEFAULT_THINKING);
  if (ctx.request.stream) await streamReply(ctx, style, output, fault);
  else await wholeReply(ctx, style, output, fault);
}

async function streamReply(ctx: ChatContext, style: Style, output: Output, fault: Fault | undefined): Promise<void> {
  const { options, signal, meta } = ctx;
  const delay = options.delayMs ?? style.delayMs ?? 0;
  const cuts = options.cuts ?? (style.cutTags ? tagCuts(output.content) : undefined);
  const deltas = streamDeltas(output, options.chunkSize ?? 8, cuts);
  const sse = new SseStream(ctx.res, signal);

  let first = true;
  const send = async (payload: object): Promise<boolean> => {
    if (style.keepalive) sse.comment(KEEPALIVE_COMMENT);
    if (!first && !(await pause(delay, signal))) return false;
    first = false;
    sse.data(payload);
    return sse.open;
  };

  sse.start();
  if (!(await keepaliveOnly(sse, options, signal))) return;
  const count = fault && fault !== 'end' ? Math.min(deltas.length, Math.max(0, options.chunksBeforeFault ?? 3)) : deltas.length;
  for (const delta of deltas.slice(0, count)) {
    if (!(await send(chunkBody(meta, delta, null)))) return;
  }
  if (fault === 'error') {
    sse.data({ error: UPSTREAM_ERROR });
    sse.end();
  } else if (fault === 'malformed') {
    sse.data(TRUNCATED_CHUNK);
    sse.end();
  } else if (fault === 'drop') {
    await sse.drop();
  } else if (fault === 'hang') {
    await untilAborted(signal);
  } else if (fault === 'end') {
    sse.end();
  } else {
    if (!(await send(chunkBody(meta, {}, output.finishReason, output.stopReason)))) return;
    if (wantsUsage(ctx, style)) sse.data(usageChunkBody(meta, output.usage));
    sse.data('[DONE]');
    sse.end();
  }
}

async function wholeReply(ctx: ChatContext, style: Style, output: Output, fault: Fault | undefined): Promise<void> {
  const { res, options, signal } = ctx;
  if (fault === 'error') return sendError(res, UPSTREAM_ERROR.code, UPSTREAM_ERROR.message);
  const body = JSON.stringify(completionBody(ctx.meta, output, wantsUsage(ctx, style)));
  if (fault === 'hang') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    return untilAborted(signal);
  }
  if (fault === 'malformed') {
    // The body ends inside its JSON, and says so in its length: not a dropped connection.
    return sendJson(res, 200, body.slice(0, Math.floor(body.length / 2)));
  }
  if (fault === 'drop') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    await new Promise<void>((resolve) => res.write(body.slice(0, Math.floor(body.length / 2)), () => resolve()));
    res.destroy();
    return;
  }
  // A whole reply takes as long as its stream would have.
  const delay = (options.delayMs ?? style.delayMs ?? 0) * streamDeltas(output, options.chunkSize ?? 8, undefined).length;
  if (style.keepalive) {
    // OpenRouter-style gateways keep a waiting non-streaming response alive with whitespace.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('\n');
    if (await pause(delay, signal)) res.end(body);
    return;
  }
  if (await pause(delay, signal)) sendJson(res, 200, body);
}

/** A stream's keep-alive-only start (options.keepaliveMs); false when the client left meanwhile. */
async function keepaliveOnly(sse: SseStream, options: ScenarioOptions, signal: AbortSignal): Promise<boolean> {
  const every = Math.max(1, options.keepaliveEveryMs ?? 100);
  for (let waited = 0; waited < (options.keepaliveMs ?? 0); waited += every) {
    sse.comment(KEEPALIVE_COMMENT);
    if (!(await pause(every, signal))) return false;
  }
  return sse.open;
}

/**
 * Thinking, then OpenAI `tool_calls` deltas (arguments in pieces), finish_reason `tool_calls`. When
 * the request ends with tool results, a plain answer quoting them instead (the round trip's end).
 */
async function toolCallReply(ctx: ChatContext): Promise<void> {
  const { request, options, meta, signal } = ctx;
  const results = trailingToolResults(request.messages);
  if (results) return reply({ ...ctx, options: { ...options, answer: toolResultsAnswer(results) } }, { shape: 'reasoning' });
  const calls = options.toolCalls ?? DEFAULT_TOOL_CALLS;
  const thinking = generate('reasoning', request, options).reasoning;
  const usage = makeUsage(request.messages, [thinking, ...calls.flatMap((c) => [c.name, c.arguments])], request.tools);
  const withUsage = ctx.options.usage ?? (!request.stream || request.includeUsage);
  if (!request.stream) return sendJson(ctx.res, 200, toolCallCompletionBody(meta, calls, thinking, withUsage ? usage : undefined));

  const chunkSize = options.chunkSize ?? 8;
  const deltas: Record<string, unknown>[] = [
    ...chunkBySize(thinking, chunkSize).map((piece) => ({ reasoning: piece })),
    ...toolCallDeltas(meta, calls, chunkSize),
  ];
  deltas[0] = { role: 'assistant', content: null, ...deltas[0] };
  const sse = new SseStream(ctx.res, signal);
  sse.start();
  if (!(await keepaliveOnly(sse, options, signal))) return;
  for (const [i, delta] of [...deltas, {}].entries()) {
    if (i > 0 && !(await pause(options.delayMs ?? 0, signal))) return;
    sse.data(chunkBody(meta, delta, i === deltas.length ? 'tool_calls' : null));
  }
  if (withUsage) sse.data(usageChunkBody(meta, usage));
  sse.data('[DONE]');
  sse.end();
}

/**
 * A server without a tool parser: thinking in `reasoning`, then the model's raw
 * `<answer>\n<tool_calls>[…]</tool_calls>\n</answer>` in content, cut inside every tag (or at
 * `cuts`), finish_reason `stop`. With tool results at the end of the request: a plain answer that
 * starts with "助手：", as this model's replies do when the request carries tools.
 */
async function rawToolCallReply(ctx: ChatContext): Promise<void> {
  const { request, options, meta, signal } = ctx;
  const results = trailingToolResults(request.messages);
  if (results) return reply({ ...ctx, options: { ...options, answer: `助手：${toolResultsAnswer(results)}` } }, { shape: 'reasoning' });
  const calls = options.toolCalls ?? DEFAULT_TOOL_CALLS;
  const thinking = generate('reasoning', request, options).reasoning;
  const content = rawToolCallContent(calls);
  const usage = makeUsage(request.messages, [thinking, content], request.tools);
  const withUsage = options.usage ?? (!request.stream || request.includeUsage);
  if (!request.stream) {
    const output: Output = {
      reasoningField: 'reasoning', reasoning: thinking, content, answerStart: 0, answerEnd: content.length, finishReason: 'stop', usage,
    };
    return sendJson(ctx.res, 200, completionBody(meta, output, withUsage));
  }
  const deltas: Record<string, unknown>[] = [
    ...chunkBySize(thinking, options.chunkSize ?? 8).map((piece) => ({ reasoning: piece })),
    ...chunkAt(content, options.cuts ?? rawToolCallCuts(content)).map((piece) => ({ content: piece })),
  ];
  deltas[0] = { role: 'assistant', ...deltas[0] };
  const sse = new SseStream(ctx.res, signal);
  sse.start();
  for (const [i, delta] of [...deltas, {}].entries()) {
    if (i > 0 && !(await pause(options.delayMs ?? 0, signal))) return;
    sse.data(chunkBody(meta, delta, i === deltas.length ? 'stop' : null));
  }
  if (withUsage) sse.data(usageChunkBody(meta, usage));
  sse.data('[DONE]');
  sse.end();
}

function normal(description: string, style: Style): Scenario {
  return { description, chat: (ctx) => reply(ctx, style) };
}

function faulty(description: string, fault: Fault): Scenario {
  return { description, chat: (ctx) => reply(ctx, { shape: 'reasoning' }, fault) };
}

/**
 * The reply up to the end of the `linesBeforeEnd`-th line of its answer, then a clean end of the
 * response: no finish chunk, no usage, no [DONE] (a proxy or upstream that gave up quietly). Not
 * streaming: a whole body whose content is cut at the same place, with finish_reason null.
 */
const endsEarly: Scenario = {
  description: 'reasoning shape, the first `linesBeforeEnd` lines of the answer (default half), then the stream closes cleanly with no finish_reason and no [DONE]',
  chat(ctx) {
    const output = generate('reasoning', ctx.request, ctx.options);
    const content = output.content.slice(0, Math.min(output.content.length, afterAnswerLines(output, ctx.options.linesBeforeEnd)));
    const early: Output = {
      ...output, content, finishReason: null, stopReason: undefined, usage: makeUsage(ctx.request.messages, [output.reasoning, content]),
    };
    const style: Style = { shape: 'reasoning' };
    return ctx.request.stream ? streamReply(ctx, style, early, 'end') : wholeReply(ctx, style, early, 'end');
  },
};

/** The offset in `output.content` right after the answer's `lines`-th line, its newline included. */
function afterAnswerLines(output: Output, lines: number | undefined): number {
  const answer = output.content.slice(output.answerStart, output.answerEnd);
  const wanted = Math.max(0, Math.floor(lines ?? Math.max(1, Math.floor(answer.split('\n').length / 2))));
  let end = 0;
  for (let line = 0; line < wanted; line++) {
    const newline = answer.indexOf('\n', end);
    if (newline < 0) return output.answerEnd;
    end = newline + 1;
  }
  return output.answerStart + end;
}

// ---------------------------------------------------------------------------------------------
// Hostile or broken gateways: replies without end, too big, or sent elsewhere. Each writes with
// backpressure (SseStream.raw) and stops as soon as the client leaves.

/** Headers, then ": OPENROUTER PROCESSING" every `keepaliveEveryMs` (default 100) and nothing else, until the client leaves. */
const keepaliveOnlyReply: Scenario = {
  description: 'headers, then only ": OPENROUTER PROCESSING" comments (every `keepaliveEveryMs`, default 100) until the client leaves: never a data event',
  async chat(ctx) {
    const sse = new SseStream(ctx.res, ctx.signal);
    sse.start();
    const every = Math.max(1, ctx.options.keepaliveEveryMs ?? 100);
    do {
      ctx.sent(await sse.raw(`: ${KEEPALIVE_COMMENT}\n\n`));
    } while (await pause(every, ctx.signal));
  },
};

/** What huge-line writes after `data: `: a chunk whose content string never closes. */
export const HUGE_LINE_PREFIX = '{"id":"chatcmpl-huge","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"';

/**
 * `chunksBeforeFault` (default 3) normal chunks, then one `data:` line of `hugeLineBytes` (default
 * 32 MiB) without a newline, written 64 KiB at a time as fast as the client reads; then (if the
 * client is still there) the line's end and the end of the stream.
 */
const hugeLine: Scenario = {
  description: '`chunksBeforeFault` chunks, then one data: line of `hugeLineBytes` (default 32 MiB) without a newline, as fast as the client reads',
  async chat(ctx) {
    const { options, meta, signal } = ctx;
    const output = generate('reasoning', ctx.request, options, '');
    const deltas = streamDeltas(output, options.chunkSize ?? 8, undefined);
    const sse = new SseStream(ctx.res, signal);
    sse.start();
    for (const delta of deltas.slice(0, Math.max(0, options.chunksBeforeFault ?? 3))) {
      ctx.sent(await sse.raw(`data: ${JSON.stringify(chunkBody(meta, delta, null))}\n\n`));
    }
    const total = Math.max(0, options.hugeLineBytes ?? 32 * 1024 * 1024);
    let written = await sse.raw(`data: ${HUGE_LINE_PREFIX}`);
    ctx.sent(written);
    const block = Buffer.alloc(64 * 1024, 'a');
    while (written < total && sse.open) {
      const n = await sse.raw(total - written >= block.length ? block : block.subarray(0, total - written));
      ctx.sent(n);
      written += n;
      if (n === 0) return;
    }
    ctx.sent(await sse.raw('"}}]}\n\ndata: [DONE]\n\n'));
    sse.end();
  },
};

/**
 * A gateway that ignores max_tokens: the default thinking, then an answer of `answerChars`
 * characters (default 200,000,000), in chunks of `chunkSize` (default 4096) as fast as the client
 * reads, then the usual end. Not streaming: one body (keep `answerChars` small).
 */
const ignoresMaxTokens: Scenario = {
  description: 'reasoning shape whose answer ignores max_tokens: `answerChars` characters (default 200,000,000) in chunks of `chunkSize` (default 4096), as fast as the client reads',
  async chat(ctx) {
    const { options, meta, signal, request } = ctx;
    const total = Math.max(0, options.answerChars ?? 200_000_000);
    const size = Math.max(1, options.chunkSize ?? 4096);
    const piece = 'All work and no play makes Jack a dull boy. 只工作不玩耍，聪明孩子也变傻。\n'.repeat(Math.ceil(size / 40)).slice(0, size);
    if (!request.stream) {
      const content = piece.repeat(Math.ceil(total / size)).slice(0, total);
      const output: Output = {
        reasoningField: 'reasoning', reasoning: DEFAULT_THINKING, content, answerStart: 0, answerEnd: content.length, finishReason: 'stop',
        usage: makeUsage(request.messages, [DEFAULT_THINKING, content]),
      };
      return sendJson(ctx.res, 200, completionBody(meta, output, true));
    }
    const sse = new SseStream(ctx.res, signal);
    sse.start();
    const send = async (delta: Record<string, unknown>, finish: 'stop' | null = null) =>
      sse.raw(`data: ${JSON.stringify(chunkBody(meta, delta, finish))}\n\n`);
    ctx.sent(await send({ role: 'assistant', content: '', reasoning: DEFAULT_THINKING }));
    const full = `data: ${JSON.stringify(chunkBody(meta, { content: piece }, null))}\n\n`;
    for (let written = 0; written < total; written += size) {
      const n = await (total - written >= size ? sse.raw(full) : send({ content: piece.slice(0, total - written) }));
      if (n === 0) return;
      ctx.sent(n);
    }
    ctx.sent(await send({}, 'stop'));
    ctx.sent(await sse.raw(`data: ${JSON.stringify(usageChunkBody(meta, makeUsage(request.messages, [DEFAULT_THINKING])))}\n\ndata: [DONE]\n\n`));
    sse.end();
  },
};

/** A 307 or 308 to `redirectTo` (default `/v1/chat/completions`: the same server's default scenario). */
function redirectScenario(status: 307 | 308): Scenario {
  return {
    description: `HTTP ${status} to \`redirectTo\` (default /v1/chat/completions on the same server; give another server's URL for a cross-origin one)`,
    chat(ctx) {
      ctx.res.writeHead(status, { location: ctx.options.redirectTo ?? '/v1/chat/completions', 'content-type': 'text/plain' });
      ctx.res.end(`Redirecting to ${ctx.options.redirectTo ?? '/v1/chat/completions'}`);
    },
  };
}

const failThenOk: Scenario = {
  description: "the first `failTimes` requests answer `failStatus` (default 1 x 503), later ones succeed",
  chat(ctx) {
    if (ctx.attempt() <= (ctx.options.failTimes ?? 1)) {
      return errorReply(ctx.res, ctx.options.failStatus ?? 503, ctx.options.retryAfter, ctx.request.model);
    }
    return reply(ctx, { shape: 'reasoning' });
  },
};

/** A 401 whose body quotes the key it was given, as careless gateways do: tests of redaction. */
const echoKey: Scenario = {
  description: 'HTTP 401 whose JSON error message echoes the request\'s Bearer key',
  chat: (ctx) => sendError(ctx.res, 401, `Invalid API key: ${ctx.apiKey} (Authorization: Bearer ${ctx.apiKey})`),
};

// ---------------------------------------------------------------------------------------------
// The table

const TABLE: Readonly<Record<string, Scenario>> = {
  'reasoning': normal('gateway shape: thinking in delta.reasoning, content in <answer> tags (default)', { shape: 'reasoning' }),
  'reasoning-content': normal('vLLM/SGLang shape: thinking in delta.reasoning_content, untagged content', { shape: 'reasoning-content' }),
  'think-tags': normal('no reasoning parser: <think>...</think>\\n<answer>...</answer> all in content', { shape: 'think-tags' }),
  'plain': normal('untagged content only, no thinking', { shape: 'plain' }),
  'cut-tags': normal('think-tags shape, chunks cut inside every tag (<thi|nk>, </ans|wer>) or at options.cuts', { shape: 'think-tags', cutTags: true }),
  'keepalive': normal('reasoning shape with ": OPENROUTER PROCESSING" comment lines before and between chunks', { shape: 'reasoning', keepalive: true }),
  'no-usage': normal('reasoning shape that never sends usage', { shape: 'reasoning', noUsage: true }),
  'status-400': statusScenario(400),
  'status-400-vllm': { description: "HTTP 400 in old vLLM's top-level {object:'error'} shape", fixedReply: vllmBadRequest, chat: (ctx) => vllmBadRequest(ctx.res, ctx.options, ctx.request.model) },
  'status-401': statusScenario(401),
  'status-402': statusScenario(402),
  'status-404': statusScenario(404),
  'status-429': statusScenario(429),
  'status-500': statusScenario(500),
  'status-502': statusScenario(502),
  'status-503': statusScenario(503),
  'error-mid-stream': faulty('HTTP 200 stream, `chunksBeforeFault` chunks, then a data: {error} event and the end', 'error'),
  'drop-mid-stream': faulty('`chunksBeforeFault` chunks, then the connection is destroyed (no [DONE])', 'drop'),
  'slow': normal('reasoning shape, `delayMs` (default 150) between chunks; a non-streaming reply waits as long as the stream would', { shape: 'reasoning', delayMs: 150 }),
  'never-ends': faulty('headers and `chunksBeforeFault` chunks (0 allowed), then silence until the client leaves', 'hang'),
  'fail-then-ok': failThenOk,
  'status-401-echo-key': echoKey,
  'malformed-chunk': faulty('HTTP 200 stream, `chunksBeforeFault` chunks, then `data: {"choices":[{"delta":` (cut JSON) and the end; not streaming: half a JSON body', 'malformed'),
  'html-200': { description: 'a captive portal: HTTP 200 with an HTML login page (text/html) on every endpoint', fixedReply: portalPage, chat: (ctx) => portalPage(ctx.res, ctx.options, undefined) },
  'ends-early': endsEarly,
  'tool-calls': { description: 'thinking, then two OpenAI tool_calls (arguments cut across chunks), finish_reason tool_calls; after tool results, an answer quoting them', chat: toolCallReply },
  'tool-calls-text': { description: 'no tool parser: thinking, then the raw <tool_calls>[…]</tool_calls> in the answer, cut inside every tag; after tool results, an answer starting with 助手：', chat: rawToolCallReply },
  'keepalive-only': keepaliveOnlyReply,
  'huge-line': hugeLine,
  'ignores-max-tokens': ignoresMaxTokens,
  'redirect-307': redirectScenario(307),
  'redirect-308': redirectScenario(308),
};

export const SCENARIOS: readonly string[] = Object.freeze(Object.keys(TABLE));

/**
 * The scenario called `name`: one of the table, or `status-NNN` for any other error status
 * (400-599, a JSON error body with the standard reason phrase).
 */
export function findScenario(name: string): Scenario | undefined {
  if (Object.prototype.hasOwnProperty.call(TABLE, name)) return TABLE[name];
  const status = /^status-([45]\d\d)$/.exec(name);
  return status ? statusScenario(Number(status[1])) : undefined;
}
