/**
 * The Hunyuan chat client: streaming chat completions through the `openai` SDK (v6, which runs on
 * Node 20, the Node of the VS Code 1.90+ extension host), decoded into events by ResponseDecoder.
 *
 * - Cancel with an AbortSignal; a request timeout (until the response starts) and an idle timeout
 *   (the longest silence inside a stream: only data events end a silence, keep-alive comments do
 *   not, so a gateway sending nothing else times out).
 * - Hard limits (transport.ts): an answer far longer than max_tokens allows, or one SSE line or
 *   event over 256 KiB, stops the request with a `tooLarge` error, keeping what arrived; a
 *   redirect to another origin is refused (`redirected`).
 * - The SDK sends the request and maps HTTP errors; the streamed body is read here (SseParser), in
 *   one pass: no per-chunk timer, no generator between the bytes and the caller.
 * - Retries for connection errors, 408, 429 and 5xx with exponential backoff that honours
 *   Retry-After, but never once any text has been shown: a retry would duplicate it.
 * - Never throws: every failure ends the event stream with one `error` event, after whatever
 *   partial text arrived and a (possibly estimated) usage event.
 * Pure: no `vscode`, no DOM.
 */
import OpenAI from 'openai';
import { decodeCompletion, ResponseDecoder, type DecoderOptions } from './decoder';
import { HunyuanError, cleanGatewayMessage, toHunyuanError } from './errors';
import type { ChatRequestBody } from './request';
import {
  MAX_ERROR_BODY_BYTES, SseParser, answerCharLimit, guardedFetch, readCapped, requestMaxTokens, wholeBodyByteLimit, type FetchGuard,
} from './transport';
import type { StreamEvent } from './types';
import { estimateMessagesTokens, estimateToolsTokens } from '../budget/tokens';

export interface ClientConfig {
  baseUrl: string;
  apiKey: string;
  /** How long to wait for the response to start. */
  timeoutMs: number;
  /** The longest silence allowed inside a streaming response (keep-alive comments do not end a silence). */
  idleTimeoutMs: number;
  /** Attempts after the first one (default 2). */
  maxRetries?: number;
  /** Longest Retry-After we wait for; a longer one ends the request (default 60 s). */
  maxRetryAfterMs?: number;
  /** For tests: the fetch to use, a sleep and a random source. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface ChatOptions {
  signal?: AbortSignal;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

/** Backoff before retry number `attempt` (1-based): 0.5 s x 2^(n-1), at most 8 s, with up to 25% jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(base * (1 - 0.25 * random()));
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HunyuanError({ kind: 'cancelled' }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HunyuanError({ kind: 'cancelled' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class HunyuanClient {
  constructor(private readonly config: ClientConfig) {}

  /**
   * Sends one chat completion and yields its events: thinking and answer text as they arrive,
   * `retry` before each new attempt, then `usage`, and `finish` or `error` last.
   */
  async *chat(body: ChatRequestBody, options: ChatOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const { signal } = options;
    if (!this.config.apiKey) {
      yield { type: 'error', error: new HunyuanError({ kind: 'noKey' }) };
      return;
    }
    const maxRetries = this.config.maxRetries ?? 2;
    const sleep = this.config.sleep ?? abortableSleep;
    const tools = Array.isArray(body.tools) ? (body.tools as unknown[]) : undefined;
    const promptTokensEstimate = estimateMessagesTokens(body.messages) + estimateToolsTokens(tools);
    // with tools, the answer may hold raw <tool_calls> blocks
    const decoding: DecoderOptions = { promptTokensEstimate, toolCalls: !!tools?.length };
    const maxTokens = requestMaxTokens(body);
    const limitChars = answerCharLimit(maxTokens);

    for (let attempt = 0; ; attempt++) {
      const decoder = new ResponseDecoder(decoding);
      const run = new Attempt(this.config, signal);
      let shown = false;
      let received = 0;
      /** A response came: the gateway has the request (and may count its tokens). */
      let responded = false;
      let error: HunyuanError | undefined;
      try {
        const response = await run.send(body);
        responded = true;
        if (!body.stream) {
          const events = await run.whole(response, decoding, limitChars, maxTokens);
          decoder.finish(); // decodeCompletion already finished: chat() adds nothing twice
          for (const event of events) {
            if (event.type === 'error') {
              error = event.error;
              break;
            }
            yield event;
          }
          if (!error) return;
        } else {
          // A captive portal or a proxy's login page answers 200 with HTML: no event will ever come.
          if (isHtml(response)) throw malformedResponse((await readCapped(response, MAX_ERROR_BODY_BYTES)).text);
          const reader = response.body?.getReader();
          const parser = new SseParser();
          const datas: string[] = [];
          let chunks = 0;
          // One loop from the bytes to the caller. Only data events end a silence: the time since
          // the last of them (and not the caller's own time) is what the idle check measures.
          read: while (reader) {
            run.reading = true;
            const { value, done } = await reader.read();
            run.reading = false;
            if (done) break;
            parser.push(value, datas);
            if (datas.length === 0) continue; // a keep-alive, or part of a line
            for (let i = 0; i < datas.length; i++) {
              if (datas[i].startsWith('[DONE]')) break read;
              chunks++;
              for (const event of decoder.pushChunk(JSON.parse(datas[i]))) {
                if (event.type === 'error') {
                  error = event.error;
                  break read;
                }
                if (event.type === 'thinking' || event.type === 'answer') {
                  shown = true;
                  received += event.text.length;
                }
                if (event.type === 'toolCall') shown = true; // a call handed on is never asked for twice
                yield event;
              }
              // A gateway ignoring max_tokens: stop reading, keep what arrived. (Counted as sent,
              // so whitespace that shows nothing counts too.)
              if (decoder.receivedChars > limitChars) {
                error = new HunyuanError({ kind: 'tooLarge', limitChars, maxTokens, receivedChars: received });
                break read;
              }
            }
            datas.length = 0;
            run.since = Date.now();
          }
          // A 200 whose body holds no event at all (a blank or plain-text page) is no answer either.
          if (!error && chunks === 0) throw new HunyuanError({ kind: 'malformed', status: response.status, gatewayMessage: 'empty response' });
        }
      } catch (err) {
        error = run.explain(err);
      } finally {
        run.close();
      }
      if (!error) {
        yield* decoder.finish();
        return;
      }
      if (signal?.aborted) error = new HunyuanError({ kind: 'cancelled', cause: error });
      else if ((error.kind === 'network' || error.kind === 'tooLarge') && received > 0 && error.receivedChars === undefined) {
        error = error.with({ receivedChars: received }); // cut mid-answer
      }

      const delayMs = this.retryDelay(error, attempt + 1, maxRetries, shown);
      if (delayMs === undefined) {
        if (shown || error.kind === 'cancelled' || error.kind === 'timeout' || error.kind === 'network') {
          // Keep what arrived: flush held-back text and account for it (no usage for a request
          // that never reached the gateway: a refused connection, a Stop before it was sent).
          yield* decoder.finish().filter((e) => e.type !== 'finish' && (responded || e.type !== 'usage'));
        }
        yield { type: 'error', error };
        return;
      }
      yield { type: 'retry', attempt: attempt + 1, delayMs, error };
      try {
        await sleep(delayMs, signal);
      } catch {
        yield { type: 'error', error: new HunyuanError({ kind: 'cancelled' }) };
        return;
      }
    }
  }

  private retryDelay(error: HunyuanError, nextAttempt: number, maxRetries: number, shown: boolean): number | undefined {
    if (shown || !error.retryable || nextAttempt > maxRetries) return undefined;
    const maxRetryAfter = this.config.maxRetryAfterMs ?? 60_000;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= maxRetryAfter ? error.retryAfterMs : undefined;
    }
    return backoffDelay(nextAttempt, this.config.random);
  }
}

/**
 * One HTTP attempt: its abort controller (tied to the caller's signal), the fetch guard, and the
 * idle check. The check is one timer per idle period, not per chunk: `since` is when the current
 * silence began (the response's start, or the end of the last data event's handling), and it fires
 * only while the client is waiting for the gateway (`reading`).
 */
class Attempt {
  readonly controller = new AbortController();
  readonly guard: FetchGuard = {};
  /** Waiting for the gateway's next bytes (not for the caller to take an event). */
  reading = false;
  /** When the current silence began (ms since the epoch). */
  since = 0;
  private idleFired = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.controller.abort();

  constructor(private readonly config: ClientConfig, private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends the request; resolves with the response once its headers arrived (the request timeout covers that). */
  async send(body: ChatRequestBody): Promise<Response> {
    if (this.signal?.aborted) throw new HunyuanError({ kind: 'cancelled' });
    const openai = new OpenAI({
      apiKey: this.config.apiKey,
      baseURL: this.config.baseUrl,
      maxRetries: 0,
      timeout: this.config.timeoutMs,
      logLevel: 'off',
      fetch: guardedFetch(this.config.fetch ?? globalThis.fetch, this.guard),
    });
    // asResponse: the SDK sends the request and turns an HTTP error into its error classes; the
    // body of a success is read here, with the limits.
    const response = await openai.chat.completions.create(
      body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
      { signal: this.controller.signal },
    ).asResponse();
    this.watchIdle();
    return response;
  }

  /** A whole (non-streaming) response, decoded; its body read up to its byte limit. */
  async whole(response: Response, decoding: DecoderOptions, limitChars: number, maxTokens: number): Promise<StreamEvent[]> {
    if (isHtml(response)) throw malformedResponse((await readCapped(response, MAX_ERROR_BODY_BYTES)).text);
    const limitBytes = wholeBodyByteLimit(limitChars);
    this.reading = true;
    // Whitespace alone (OpenRouter-style keep-alive of a waiting response) does not end a silence.
    const { text, over } = await readCapped(response, limitBytes, (chunk) => {
      if (!isBlank(chunk)) this.since = Date.now();
    });
    this.reading = false;
    if (over) throw new HunyuanError({ kind: 'tooLarge', limitBytes });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw malformedResponse(text);
    }
    if (typeof raw !== 'object' || raw === null || !('choices' in raw || 'error' in raw)) throw malformedResponse(text);
    const events = decodeCompletion(raw, decoding);
    let chars = 0;
    for (const e of events) if (e.type === 'thinking' || e.type === 'answer') chars += e.text.length;
    if (chars > limitChars) throw new HunyuanError({ kind: 'tooLarge', limitChars, maxTokens, receivedChars: chars });
    return events;
  }

  private watchIdle(): void {
    this.since = Date.now();
    const ms = this.config.idleTimeoutMs;
    const check = () => {
      // While the caller holds an event, the gateway is not being waited for: look again soon.
      if (!this.reading) {
        this.idleTimer = setTimeout(check, Math.min(ms, 250));
        return;
      }
      const left = this.since + ms - Date.now();
      if (left > 0) {
        this.idleTimer = setTimeout(check, left);
        return;
      }
      this.idleFired = true;
      this.controller.abort();
    };
    this.idleTimer = setTimeout(check, ms);
  }

  /** The HunyuanError for whatever ended the attempt. */
  explain(err: unknown): HunyuanError {
    if (this.guard.refused) return this.guard.refused;
    if (this.idleFired && !this.signal?.aborted && !(err instanceof HunyuanError)) return new HunyuanError({ kind: 'timeout', cause: err });
    return toHunyuanError(err);
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.controller.abort(); // releases the connection if the stream was left early
  }
}

function isBlank(chunk: Uint8Array): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

function isHtml(response: Response): boolean {
  return /\b(text\/html|application\/xhtml\+xml)\b/i.test(response.headers.get('content-type') ?? '');
}

/** A 200 response that is not an answer; its text (an HTML page is reduced to its title) is quoted. */
function malformedResponse(text: string): HunyuanError {
  return new HunyuanError({ kind: 'malformed', status: 200, gatewayMessage: cleanGatewayMessage(text) });
}
