/**
 * What the client accepts from a gateway, and how it reads it: the hard limits, the SSE parser, and
 * the fetch given to the `openai` SDK. Pure: no `vscode`, no DOM.
 *
 * Limits (a gateway is a remote party: none of them can be raised by what it sends):
 * - An answer (thinking included) of more than `answerCharLimit(max_tokens)` characters is stopped:
 *   CHARS_PER_TOKEN characters per token plus ANSWER_SLACK_CHARS. Hunyuan's tokens average ~4.4
 *   characters in code, ~4.1 in prose, ~1.75 in Chinese; a run of indentation is one token of a few
 *   more. 16 is several times the worst real average, so only a gateway that ignores max_tokens hits it.
 * - One SSE line, or the data of one SSE event, of more than MAX_EVENT_BYTES (256 KiB) is refused. A
 *   real chunk carries a few tokens (under 1 KB); reading, parsing and decoding one at the cap takes
 *   a few milliseconds, so no single line holds the extension host's thread for long. The parser is
 *   linear in what it reads (the SDK's own SSE decoder copies and rescans its whole buffer for each
 *   network read: a 32 MB line without a newline took it ~25 s), and never buffers more than the cap.
 * - An error body is read up to MAX_ERROR_BODY_BYTES; a whole (non-streaming) answer up to
 *   `wholeBodyByteLimit` of its character limit.
 * - Redirects are followed only within the base URL's origin (MAX_REDIRECTS at most): a 307/308 to
 *   another origin would send the user's code (and, with some clients, the key) to a server the user
 *   never chose.
 */
import { HunyuanError } from './errors';

export const CHARS_PER_TOKEN = 16;
export const ANSWER_SLACK_CHARS = 4096;
/** max_tokens assumed when a request has none (or a nonsensical one): the model's whole 32K window. */
export const DEFAULT_MAX_TOKENS = 32768;
/** The largest max_tokens the limit follows (`hunyuan.contextWindow`'s maximum). */
const MAX_TOKENS_CAP = 1_048_576;
export const MAX_EVENT_BYTES = 256 * 1024;
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 5;

/** The request's max_tokens (or max_completion_tokens) as the limits use it. */
export function requestMaxTokens(body: { max_tokens?: unknown; max_completion_tokens?: unknown }): number {
  const value = body.max_tokens ?? body.max_completion_tokens;
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.min(Math.floor(value), MAX_TOKENS_CAP) : DEFAULT_MAX_TOKENS;
}

/** The most characters of text (thinking and answer together) accepted for an answer of `maxTokens`. */
export function answerCharLimit(maxTokens: number): number {
  return maxTokens * CHARS_PER_TOKEN + ANSWER_SLACK_CHARS;
}

/**
 * The most bytes of a whole (non-streaming) body for `limitChars` characters of text: each character
 * may take 6 bytes as a JSON `\uXXXX` escape, and a gateway may send the thinking twice
 * (`reasoning` and `reasoning_content`); plus room for the rest of the JSON.
 */
export function wholeBodyByteLimit(limitChars: number): number {
  return limitChars * 12 + MAX_ERROR_BODY_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Server-sent events

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

function tooLarge(limitBytes: number): HunyuanError {
  return new HunyuanError({ kind: 'tooLarge', limitBytes });
}

/**
 * An incremental parser of `text/event-stream` bytes (the WHATWG rules: lines end with CRLF, LF or
 * CR; a blank line ends an event; `:` starts a comment; `data:` lines are joined with `\n`; other
 * fields are not used here). Linear in its input: each byte is looked at a constant number of
 * times, whatever the chunking. Throws a `tooLarge` HunyuanError as soon as an unfinished line, or
 * the data of one event, is over `maxBytes`, before buffering more.
 */
export class SseParser {
  /** Pieces of a line that has not ended yet (copies). */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The current event's data, lines joined by `\n`; undefined before its first `data:` line. */
  private data: string | undefined;
  private dataBytes = 0;
  /** The last chunk ended with CR: an LF at the start of the next one belongs to it. */
  private afterCR = false;
  private readonly utf8 = new TextDecoder();

  constructor(readonly maxBytes = MAX_EVENT_BYTES) {}

  /** Feeds bytes; appends the data of every event they complete to `out`, in order. */
  push(chunk: Uint8Array, out: string[]): void {
    const end = chunk.length;
    let pos = 0;
    if (this.afterCR && end > 0) {
      if (chunk[0] === LF) pos = 1;
      this.afterCR = false;
    }
    // The next LF and CR at or after pos: -2 not searched yet, -1 none left in this chunk.
    let lf = -2;
    let cr = -2;
    while (pos < end) {
      if (lf !== -1 && lf < pos) lf = chunk.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf(CR, pos);
      const eol = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (eol === -1) {
        this.keep(chunk, pos, end);
        return;
      }
      this.line(chunk, pos, eol, out);
      pos = eol + 1;
      if (chunk[eol] === CR) {
        if (pos === end) this.afterCR = true;
        else if (chunk[pos] === LF) pos++;
      }
    }
  }

  /** Bytes waiting for the end of their line (for tests: never more than maxBytes). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    if (this.pendingBytes + (to - from) > this.maxBytes) throw tooLarge(this.maxBytes);
    this.pending.push(chunk.slice(from, to));
    this.pendingBytes += to - from;
  }

  private line(chunk: Uint8Array, from: number, to: number, out: string[]): void {
    let bytes: Uint8Array;
    if (this.pendingBytes === 0) {
      bytes = chunk.subarray(from, to);
    } else {
      const length = this.pendingBytes + (to - from);
      if (length > this.maxBytes) throw tooLarge(this.maxBytes);
      bytes = new Uint8Array(length);
      let at = 0;
      for (const piece of this.pending) {
        bytes.set(piece, at);
        at += piece.length;
      }
      bytes.set(chunk.subarray(from, to), at);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const n = bytes.length;
    if (n > this.maxBytes) throw tooLarge(this.maxBytes);
    if (n === 0) {
      // A blank line ends the event (one without data, or with empty data, is no event).
      if (this.data) out.push(this.data);
      this.data = undefined;
      this.dataBytes = 0;
      return;
    }
    if (bytes[0] === COLON) return; // a comment (keep-alive)
    // `data`, then the end of the line or a colon (and one optional space)
    if (n < 4 || bytes[0] !== 0x64 || bytes[1] !== 0x61 || bytes[2] !== 0x74 || bytes[3] !== 0x61) return;
    if (n > 4 && bytes[4] !== COLON) return;
    const start = n > 5 && bytes[5] === SPACE ? 6 : Math.min(n, 5);
    this.dataBytes += n - start;
    if (this.dataBytes > this.maxBytes) throw tooLarge(this.maxBytes);
    const text = this.utf8.decode(bytes.subarray(start));
    this.data = this.data === undefined ? text : `${this.data}\n${text}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a body with a cap

/**
 * The body's text, reading at most `maxBytes` (the rest is cancelled, not read). `over` tells
 * whether there was more. `onChunk` sees every chunk read.
 */
export async function readCapped(res: Response, maxBytes: number, onChunk?: (chunk: Uint8Array) => void): Promise<{ text: string; over: boolean }> {
  if (!res.body) return { text: '', over: false };
  const reader = res.body.getReader();
  const utf8 = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      onChunk?.(value);
      if (bytes + value.length > maxBytes) {
        text += utf8.decode(value.subarray(0, maxBytes - bytes));
        await reader.cancel().catch(() => undefined);
        return { text, over: true };
      }
      bytes += value.length;
      text += utf8.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return { text: text + utf8.decode(), over: false };
}

// ---------------------------------------------------------------------------------------------
// The fetch given to the SDK

/** Where the guarded fetch leaves an error of its own, so it survives whatever the SDK wraps it in. */
export interface FetchGuard {
  refused?: HunyuanError;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses whose response cannot have a body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps fetch for the SDK:
 * - redirects are handled here (`redirect: 'manual'`): followed within the first URL's origin, as
 *   fetch would (303, and 301/302 of a POST, become a GET without body), at most MAX_REDIRECTS;
 *   one to another origin is refused with a `redirected` error, before anything is sent there;
 * - an error body is read up to MAX_ERROR_BODY_BYTES, and vLLM's top-level shape
 *   (`{object: 'error', message}`) is handed on in the OpenAI shape (`{error: {...}}`), so the SDK
 *   keeps its message.
 * A successful response is returned as it is: its body is read by the client (SseParser, readCapped).
 */
export function guardedFetch(base: typeof fetch, guard: FetchGuard): typeof fetch {
  const refuse = (error: HunyuanError): never => {
    guard.refused = error;
    throw error;
  };
  return async (input, init) => {
    let url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const origin = url.origin;
    let request: RequestInit = { ...init, redirect: 'manual' };
    for (let hop = 0; ; hop++) {
      const res = await base(url.href, request);
      const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) return res.ok ? res : withReadableError(res);
      await res.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return refuse(new HunyuanError({ kind: 'malformed', status: res.status, detail: 'a redirect to an invalid URL' }));
      }
      if (next.origin !== origin) return refuse(new HunyuanError({ kind: 'redirected', status: res.status, redirectTo: next.origin }));
      if (hop >= MAX_REDIRECTS) return refuse(new HunyuanError({ kind: 'malformed', status: res.status, detail: `more than ${MAX_REDIRECTS} redirects` }));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && (request.method ?? 'GET').toUpperCase() === 'POST')) {
        request = { ...request, method: 'GET', body: undefined };
      }
      url = next;
    }
  };
}

async function withReadableError(res: Response): Promise<Response> {
  const { text } = await readCapped(res, MAX_ERROR_BODY_BYTES);
  let out = text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (json && typeof json === 'object' && json.error === undefined && (json.message !== undefined || json.detail !== undefined)) {
      out = JSON.stringify({ error: { ...json, message: json.message ?? json.detail } });
    }
  } catch {
    // not JSON (an HTML page from a proxy): the SDK keeps it as the message
  }
  return new Response(NULL_BODY.has(res.status) ? null : out, { status: res.status, statusText: res.statusText, headers: res.headers });
}

// ---------------------------------------------------------------------------------------------
// Plain http

/** Whether `hostname` (as URL parses it) is this computer: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host) || /^\[::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}\]$/.test(host);
}

/** Whether requests to `baseUrl` travel unencrypted to another computer (http:// to a non-loopback host). */
export function isPlainHttpToRemote(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}
