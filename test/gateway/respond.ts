/**
 * Small HTTP helpers for the test gateway: JSON / HTML / error replies, an SSE writer that stops
 * quietly once the client is gone, and abortable pauses (so no timer outlives a request).
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** `{"error":{"code":N,"message":...}}`, the gateway's error shape. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code: status, message } }, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

/** Waits `ms`; resolves false (at once, without leaving a timer) when `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Writes a `text/event-stream` response; every write is a no-op once the client went away. */
export class SseStream {
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly res: ServerResponse, private readonly signal: AbortSignal) {}

  get open(): boolean {
    return !this.signal.aborted && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Sends the headers at once, so the client sees the response start even before any event. */
  start(): void {
    if (!this.open) return;
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    this.res.flushHeaders();
  }

  data(payload: object | string): void {
    this.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /**
   * Writes raw bytes (no SSE framing), waiting while the client is not reading (backpressure), so
   * that an endless reply does not pile up in the server's memory. Resolves with the bytes written,
   * 0 once the client is gone.
   */
  async raw(bytes: string | Buffer): Promise<number> {
    if (!this.open) return 0;
    if (!this.res.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.signal.removeEventListener('abort', done);
          resolve();
        };
        this.res.on('drain', done);
        this.signal.addEventListener('abort', done);
      });
    }
    return this.open ? Buffer.byteLength(bytes) : 0;
  }

  end(): void {
    if (this.open) this.res.end();
  }

  /** Lets what was written reach the socket, then destroys the connection mid-response. */
  async drop(): Promise<void> {
    await Promise.race([this.lastWrite, untilAborted(this.signal)]);
    this.res.destroy();
  }

  private write(text: string): void {
    if (!this.open) return;
    this.lastWrite = new Promise((resolve) => this.res.write(text, () => resolve()));
  }
}
