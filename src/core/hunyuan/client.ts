/**
 * The Hunyuan chat client: streaming chat completions through the `openai` SDK (v6, which runs on
 * Node 20, the Node of the VS Code 1.90+ extension host), decoded into events by ResponseDecoder.
 *
 * - Cancel with an AbortSignal; a request timeout (until the response starts) and an idle timeout
 *   (the longest silence inside a stream; keep-alive comments count as activity).
 * - Retries for connection errors, 408, 429 and 5xx with exponential backoff that honours
 *   Retry-After, but never once any text has been shown: a retry would duplicate it.
 * - Never throws: every failure ends the event stream with one `error` event, after whatever
 *   partial text arrived and a (possibly estimated) usage event.
 * Pure: no `vscode`, no DOM.
 */
import OpenAI from 'openai';
import { decodeCompletion, ResponseDecoder } from './decoder';
import { HunyuanError, cleanGatewayMessage, toHunyuanError } from './errors';
import type { ChatRequestBody } from './request';
import type { StreamEvent } from './types';
import { estimateMessagesTokens } from '../budget/tokens';

export interface ClientConfig {
  baseUrl: string;
  apiKey: string;
  /** How long to wait for the response to start. */
  timeoutMs: number;
  /** The longest silence allowed inside a streaming response. */
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
    const promptTokensEstimate = estimateMessagesTokens(body.messages);

    for (let attempt = 0; ; attempt++) {
      const decoder = new ResponseDecoder({ promptTokensEstimate });
      let shown = false;
      let received = 0;
      let error: HunyuanError | undefined;
      try {
        for await (const event of this.attempt(body, decoder, signal)) {
          if (event.type === 'thinking' || event.type === 'answer') {
            shown = true;
            received += event.text.length;
          }
          if (event.type === 'error') {
            error = event.error;
            break;
          }
          yield event;
        }
      } catch (err) {
        error = toHunyuanError(err);
      }
      if (!error) {
        yield* decoder.finish();
        return;
      }
      if (signal?.aborted) error = new HunyuanError({ kind: 'cancelled', cause: error });
      else if (error.kind === 'network' && received > 0) error = error.with({ receivedChars: received }); // cut mid-answer

      const delayMs = this.retryDelay(error, attempt + 1, maxRetries, shown);
      if (delayMs === undefined) {
        if (shown || error.kind === 'cancelled' || error.kind === 'timeout' || error.kind === 'network') {
          // Keep what arrived: flush held-back text and account for it.
          yield* decoder.finish().filter((e) => e.type !== 'finish');
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

  /** One HTTP attempt: yields decoded events; errors come as one `error` event or a throw. */
  private async *attempt(body: ChatRequestBody, decoder: ResponseDecoder, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) throw new HunyuanError({ kind: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });

    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idleFired = false;
    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idleFired = true;
        controller.abort();
      }, this.config.idleTimeoutMs);
    };

    const openai = new OpenAI({
      apiKey: this.config.apiKey,
      baseURL: this.config.baseUrl,
      maxRetries: 0,
      timeout: this.config.timeoutMs,
      logLevel: 'off',
      fetch: tappedFetch(this.config.fetch ?? globalThis.fetch, armIdle),
    });

    try {
      if (!body.stream) {
        const { data: completion, response } = await openai.chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal: controller.signal },
        ).withResponse();
        // The SDK hands back any non-JSON body as a string: a proxy's page, not an answer.
        const raw = completion as unknown;
        if (isHtml(response) || typeof raw !== 'object' || raw === null || !('choices' in raw || 'error' in raw)) {
          throw malformedResponse(typeof raw === 'string' ? raw : JSON.stringify(raw));
        }
        const events = decodeCompletion(completion, { promptTokensEstimate: estimateMessagesTokens(body.messages) });
        // decodeCompletion already finished; mark the decoder finished so chat() adds nothing twice.
        decoder.finish();
        yield* events;
        return;
      }
      const { data: stream, response } = await openai.chat.completions.create(
        body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
        { signal: controller.signal },
      ).withResponse();
      // A captive portal or a proxy's login page answers 200 with HTML: no event will ever come.
      if (isHtml(response)) throw malformedResponse(await response.text());
      armIdle();
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        const events = decoder.pushChunk(chunk);
        for (const event of events) yield event;
      }
      // The SDK ends the iteration quietly when the request is aborted: say why it ended.
      if (idleFired) throw new HunyuanError({ kind: 'timeout' });
      if (controller.signal.aborted) throw new HunyuanError({ kind: 'cancelled' });
      // A 200 whose body holds no event at all (a blank or plain-text page) is no answer either.
      if (chunks === 0) throw new HunyuanError({ kind: 'malformed', status: response.status, gatewayMessage: 'empty response' });
    } catch (err) {
      if (idleFired && !signal?.aborted && !(err instanceof HunyuanError)) {
        throw new HunyuanError({ kind: 'timeout', cause: err });
      }
      throw err;
    } finally {
      if (idleTimer) clearTimeout(idleTimer);
      signal?.removeEventListener('abort', onAbort);
      controller.abort(); // releases the connection if the consumer stopped early
    }
  }
}

function isHtml(response: Response): boolean {
  return /\b(text\/html|application\/xhtml\+xml)\b/i.test(response.headers.get('content-type') ?? '');
}

/** A 200 response that is not an answer; its text (an HTML page is reduced to its title) is quoted. */
function malformedResponse(text: string): HunyuanError {
  return new HunyuanError({ kind: 'malformed', status: 200, gatewayMessage: cleanGatewayMessage(text) });
}

/**
 * Wraps fetch so that every byte of a response body counts as activity for the idle timeout, and
 * error bodies in vLLM's top-level shape (`{object: 'error', message}`) reach the SDK in the
 * OpenAI shape (`{error: {...}}`) so their message is kept.
 */
function tappedFetch(base: typeof fetch, onActivity: () => void): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    onActivity();
    if (!res.ok) {
      const text = await res.text();
      let out = text;
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        if (json && typeof json === 'object' && json.error === undefined && (json.message !== undefined || json.detail !== undefined)) {
          out = JSON.stringify({ error: { ...json, message: json.message ?? json.detail } });
        }
      } catch {
        // not JSON (an HTML page from a proxy): the SDK keeps it as the message
      }
      return new Response(out, { status: res.status, statusText: res.statusText, headers: res.headers });
    }
    if (!res.body) return res;
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctrl) {
        onActivity();
        ctrl.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(tap), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
