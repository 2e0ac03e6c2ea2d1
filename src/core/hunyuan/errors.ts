/**
 * Every failure of a Hunyuan request maps to one of a small set of kinds. The VS Code layer turns
 * a kind into a short, actionable, localized message; `gatewayMessage` carries the gateway's own
 * words when it sent any. Pure: no `vscode`, no DOM.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import type { SettingProblem } from '../settings/settings';

export type ErrorKind =
  | 'noKey'
  | 'badKey'
  | 'outOfBalance'
  | 'rateLimited'
  | 'modelNotFound'
  | 'badRequest'
  | 'serverError'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'malformed'
  /** A setting has a bad value (see `problems`); nothing was sent. */
  | 'invalidSettings'
  /** The prompt alone does not fit the context window; nothing was sent. */
  | 'tooLong'
  /**
   * The gateway sent more than the client accepts (see transport.ts): an answer longer than
   * `limitChars` (tied to `maxTokens`), or one SSE event / body over `limitBytes`. Reading stopped;
   * what arrived before is kept.
   */
  | 'tooLarge'
  /** The gateway redirected the request to another origin (`redirectTo`); it was not followed. */
  | 'redirected';

export interface HunyuanErrorInit {
  kind: ErrorKind;
  status?: number;
  /** The gateway's own words (its error body or page), cleaned. */
  gatewayMessage?: string;
  /** What the client itself saw, e.g. a socket error ("other side closed"): not the gateway's words. */
  detail?: string;
  /** For `network` and `tooLarge`: characters of text (thinking and answer) that had arrived when reading stopped. */
  receivedChars?: number;
  /** For `tooLarge`: the most characters of text (thinking and answer) accepted for `maxTokens`. */
  limitChars?: number;
  /** For `tooLarge`: the request's max_tokens the character limit was derived from. */
  maxTokens?: number;
  /** For `tooLarge`: the most bytes accepted for one SSE event (or a whole non-streaming body). */
  limitBytes?: number;
  /** For `redirected`: the origin the gateway redirected to (scheme, host and port only). */
  redirectTo?: string;
  /** How long the gateway asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** For `invalidSettings`: what is wrong. */
  problems?: SettingProblem[];
  /** For `tooLong`: the estimated prompt and the window. */
  promptTokens?: number;
  contextWindow?: number;
  cause?: unknown;
}

export class HunyuanError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly gatewayMessage?: string;
  readonly detail?: string;
  readonly receivedChars?: number;
  readonly limitChars?: number;
  readonly maxTokens?: number;
  readonly limitBytes?: number;
  readonly redirectTo?: string;
  readonly retryAfterMs?: number;
  readonly problems?: SettingProblem[];
  readonly promptTokens?: number;
  readonly contextWindow?: number;

  constructor(init: HunyuanErrorInit) {
    super(technicalMessage(init));
    this.name = 'HunyuanError';
    this.kind = init.kind;
    this.status = init.status;
    this.gatewayMessage = init.gatewayMessage;
    this.detail = init.detail;
    this.receivedChars = init.receivedChars;
    this.limitChars = init.limitChars;
    this.maxTokens = init.maxTokens;
    this.limitBytes = init.limitBytes;
    this.redirectTo = init.redirectTo;
    this.retryAfterMs = init.retryAfterMs;
    this.problems = init.problems;
    this.promptTokens = init.promptTokens;
    this.contextWindow = init.contextWindow;
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /** The same error with some fields changed. */
  with(changes: Partial<HunyuanErrorInit>): HunyuanError {
    return new HunyuanError({
      kind: this.kind, status: this.status, gatewayMessage: this.gatewayMessage, detail: this.detail, receivedChars: this.receivedChars,
      limitChars: this.limitChars, maxTokens: this.maxTokens, limitBytes: this.limitBytes, redirectTo: this.redirectTo,
      retryAfterMs: this.retryAfterMs, problems: this.problems, promptTokens: this.promptTokens, contextWindow: this.contextWindow,
      cause: (this as { cause?: unknown }).cause, ...changes,
    });
  }

  /** Whether trying the same request again may succeed (before any output was shown). */
  get retryable(): boolean {
    if (this.kind === 'network' || this.kind === 'serverError' || this.kind === 'rateLimited') return true;
    return this.kind === 'timeout' && this.status === 408;
  }
}

function technicalMessage(init: HunyuanErrorInit): string {
  const parts: string[] = [init.kind];
  if (init.status) parts.push(`HTTP ${init.status}`);
  if (init.gatewayMessage) parts.push(init.gatewayMessage);
  if (init.detail) parts.push(init.detail);
  if (init.limitChars !== undefined) parts.push(`over ${init.limitChars} characters for max_tokens ${init.maxTokens ?? '?'}`);
  if (init.limitBytes !== undefined) parts.push(`over ${init.limitBytes} bytes at once`);
  if (init.redirectTo) parts.push(`to ${init.redirectTo}`);
  return parts.join(': ');
}

/** The kind an HTTP status maps to. */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 409:
    case 413:
    case 422:
      return 'badRequest';
    case 401:
    case 403:
      return 'badKey';
    case 402:
      return 'outOfBalance';
    case 404:
      return 'modelNotFound';
    case 408:
      return 'timeout';
    case 429:
      return 'rateLimited';
    default:
      if (status >= 500) return 'serverError';
      return 'badRequest';
  }
}

/** vLLM's (and OpenAI's) words for a prompt plus max_tokens over the model's window. */
const CONTEXT_LENGTH_MESSAGE = /maximum context length|context length exceeded|context_length_exceeded/i;

/**
 * The kind of an error with `status` and the gateway's `message`: as kindForStatus, except that a
 * refusal saying the prompt is over the model's window is `tooLong`, not a bad parameter.
 */
export function kindFor(status: number, message: string | undefined): ErrorKind {
  const kind = kindForStatus(status);
  return kind === 'badRequest' && CONTEXT_LENGTH_MESSAGE.test(message ?? '') ? 'tooLong' : kind;
}

/** The longest gateway message kept (characters); longer ones are cut, with an ellipsis. */
export const MAX_GATEWAY_MESSAGE = 300;

/**
 * The gateway's own message, cleaned for display: an HTML error page from a proxy is reduced to
 * its title, whitespace is collapsed and the text is cut to a readable length.
 */
export function cleanGatewayMessage(raw: unknown): string | undefined {
  if (raw == null) return undefined;
  let text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (/<\s*(!doctype|html|head|body|title)\b/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
    text = title ? title.replace(/<[^>]*>/g, '') : '';
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return text.length > MAX_GATEWAY_MESSAGE ? `${text.slice(0, MAX_GATEWAY_MESSAGE - 1)}…` : text;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * An error object as gateways send it, in a response body or inside a 200 stream:
 * `{error: {code, message}}`, vLLM's top-level `{object: 'error', message, code}`, or a bare string.
 */
export function errorFromPayload(payload: unknown, status?: number): HunyuanError {
  const obj = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const inner = (obj.error && typeof obj.error === 'object' ? obj.error : obj) as Record<string, unknown>;
  const message = cleanGatewayMessage(
    typeof obj.error === 'string' ? obj.error : inner.message ?? inner.msg ?? inner.detail,
  );
  const code = typeof inner.code === 'number' ? inner.code : Number.parseInt(String(inner.code ?? ''), 10);
  const effective = status ?? (Number.isFinite(code) && code >= 400 && code < 600 ? code : undefined);
  return new HunyuanError({
    kind: effective ? kindFor(effective, message) : 'serverError',
    status: effective,
    gatewayMessage: message,
    cause: payload,
  });
}

/**
 * Maps anything a request can throw (the openai SDK's error classes, fetch errors, our own
 * errors) to a HunyuanError.
 */
export function toHunyuanError(err: unknown): HunyuanError {
  if (err instanceof HunyuanError) return err;
  if (err instanceof APIUserAbortError) return new HunyuanError({ kind: 'cancelled', cause: err });
  if (err instanceof APIConnectionTimeoutError) return new HunyuanError({ kind: 'timeout', cause: err });
  // What the client's own fetch refused (a redirect elsewhere, an oversized body), as the SDK wrapped it.
  if (err instanceof APIConnectionError && err.cause instanceof HunyuanError) return err.cause;
  if (err instanceof APIConnectionError) {
    return new HunyuanError({ kind: 'network', detail: cleanGatewayMessage(causeMessage(err)), cause: err });
  }
  if (err instanceof APIError) {
    const retryAfterMs = parseRetryAfter(err.headers?.get('retry-after'));
    if (err.status === undefined) {
      // An `error` object inside a 200 stream.
      const fromPayload = errorFromPayload({ error: err.error ?? err.message });
      return new HunyuanError({
        kind: fromPayload.kind, status: fromPayload.status, gatewayMessage: fromPayload.gatewayMessage, cause: err,
      });
    }
    const body = err.error as Record<string, unknown> | undefined;
    const raw = body?.message ?? (body ? body : err.message.replace(/^\d{3}\s*/, ''));
    let gatewayMessage = cleanGatewayMessage(raw);
    if (gatewayMessage === 'status code (no body)') gatewayMessage = undefined;
    return new HunyuanError({ kind: kindFor(err.status, gatewayMessage), status: err.status, gatewayMessage, retryAfterMs, cause: err });
  }
  if (isAbortError(err)) return new HunyuanError({ kind: 'cancelled', cause: err });
  if (err instanceof SyntaxError) {
    return new HunyuanError({ kind: 'malformed', gatewayMessage: cleanGatewayMessage(err.message), cause: err });
  }
  if (err instanceof TypeError && /fetch|network|socket|terminated/i.test(`${err.message} ${causeMessage(err)}`)) {
    return new HunyuanError({ kind: 'network', detail: cleanGatewayMessage(causeMessage(err) || err.message), cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HunyuanError({ kind: 'network', gatewayMessage: cleanGatewayMessage(message), cause: err });
}

function isAbortError(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: string }).name === 'AbortError';
}

function causeMessage(err: unknown): string {
  let cur: unknown = (err as { cause?: unknown })?.cause;
  let last = '';
  for (let i = 0; cur && i < 5; i++) {
    const code = (cur as { code?: string }).code;
    const msg = (cur as { message?: string }).message;
    if (msg) last = code && !msg.includes(code) ? `${code}: ${msg}` : msg;
    cur = (cur as { cause?: unknown }).cause;
  }
  return last;
}
