/**
 * Typed messages between the extension and a webview. A message is declared once, as a
 * descriptor, and both sides import the same descriptor: the compiler then checks the payload on
 * the sending side and the handler on the receiving side, so the two cannot drift.
 *
 *   export const Send = notification('chat/send', v.object({ text: v.string({ max: 100_000 }) }));
 *   export const Ready = request('chat/ready', v.none, returns<ChatSnapshot>());
 *   export const Changed = notification<Snapshot>('chat/changed');    // trusted direction: no validator
 *
 * A descriptor with a validator (src/common/ipc/schema.ts) gets its payload type from it, so the
 * type and the check are one declaration. A Messenger created with `validate: true` (the
 * extension's end, which must not trust the webview) runs the validator on every message it
 * receives, before any handler sees it, and refuses the message (and every message of a method
 * declared without a validator, or of a method it does not handle) with a report to `onInvalid`;
 * a refused request gets an error reply.
 *
 * Requests get a reply (a Promise on the sender's side); notifications do not.
 * Pure: runs in the extension host and in the webview, imports neither `vscode` nor the DOM.
 */
import type { Schema } from './schema';

export interface RequestType<P, R> {
  readonly kind: 'request';
  readonly method: string;
  /** Checks the params a receiver gets; absent only for messages whose receiver trusts the sender. */
  readonly params?: Schema<P>;
  /** Phantom fields: carry the types, never set. */
  readonly _params?: P;
  readonly _result?: R;
}

export interface NotificationType<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params?: Schema<P>;
  readonly _params?: P;
}

/** Marks a request's result type: `request('m', v.none, returns<Snapshot>())`. */
export interface Returns<R> {
  readonly _result?: R;
}

export function returns<R>(): Returns<R> {
  return {};
}

export function request<P, R>(method: string, params?: Schema<P>, _result?: Returns<R>): RequestType<P, R> {
  return params ? { kind: 'request', method, params } : { kind: 'request', method };
}

export function notification<P>(method: string, params?: Schema<P>): NotificationType<P> {
  return params ? { kind: 'notification', method, params } : { kind: 'notification', method };
}

/** Longest method name a validating Messenger looks at. */
const MAX_METHOD = 100;

/** What actually crosses postMessage. */
export type Envelope =
  | { readonly type: 'request'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly type: 'response'; readonly id: number; readonly result?: unknown; readonly error?: string }
  | { readonly type: 'notification'; readonly method: string; readonly params: unknown };

export function isEnvelope(value: unknown): value is Envelope {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'response') return Number.isSafeInteger(v.id);
  if (v.type === 'request') return Number.isSafeInteger(v.id) && typeof v.method === 'string';
  if (v.type === 'notification') return typeof v.method === 'string';
  return false;
}

type RequestHandler = (params: unknown) => unknown | Promise<unknown>;
type NotificationHandler = (params: unknown) => void;

export interface Disposable {
  dispose(): void;
}

export interface MessengerOptions {
  /**
   * Check every message received against its descriptor's validator before a handler sees it,
   * and refuse messages of methods declared without one or not handled here.
   */
  validate?: boolean;
  /** Told about each refused message: its method (cut to 100 characters) and what was wrong. */
  onInvalid?: (method: string, problem: string) => void;
}

/**
 * One end of the channel. `post` sends an envelope to the other side; feed every message received
 * from the other side to `receive`. Used by the extension (around `webview.postMessage`) and by
 * the webview (around `acquireVsCodeApi().postMessage`).
 */
export class Messenger {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly requestHandlers = new Map<string, { handler: RequestHandler; params?: Schema<unknown> }>();
  private readonly notificationHandlers = new Map<string, { handlers: Set<NotificationHandler>; params?: Schema<unknown> }>();

  constructor(
    private readonly post: (message: Envelope) => unknown,
    private readonly onError: (error: unknown, method: string) => void = () => {},
    private readonly options: MessengerOptions = {},
  ) {}

  sendRequest<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.postSafely({ type: 'request', id, method: type.method, params });
    });
  }

  sendNotification<P>(type: NotificationType<P>, params: P): void {
    this.postSafely({ type: 'notification', method: type.method, params });
  }

  onRequest<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): Disposable {
    this.requireValidator(type);
    this.requestHandlers.set(type.method, { handler: handler as RequestHandler, params: type.params as Schema<unknown> | undefined });
    return { dispose: () => this.requestHandlers.delete(type.method) };
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    this.requireValidator(type);
    let entry = this.notificationHandlers.get(type.method);
    if (!entry) this.notificationHandlers.set(type.method, (entry = { handlers: new Set(), params: type.params as Schema<unknown> | undefined }));
    const set = entry.handlers;
    set.add(handler as NotificationHandler);
    return { dispose: () => set.delete(handler as NotificationHandler) };
  }

  /** Handles one message from the other side; anything that is not an envelope is ignored (refused when validating). */
  async receive(message: unknown): Promise<void> {
    if (!isEnvelope(message)) {
      this.refuse('(not a message)', 'not a request, response or notification');
      return;
    }
    switch (message.type) {
      case 'response': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) p.reject(new Error(String(message.error)));
        else p.resolve(message.result);
        return;
      }
      case 'notification': {
        const entry = this.notificationHandlers.get(message.method);
        if (this.options.validate) {
          const problem = !entry ? 'no such notification' : this.problem(entry.params, message.params);
          if (problem) {
            this.refuse(message.method, problem);
            return;
          }
        }
        for (const handler of entry?.handlers ?? []) {
          try {
            handler(message.params);
          } catch (err) {
            this.onError(err, message.method);
          }
        }
        return;
      }
      case 'request': {
        const entry = this.requestHandlers.get(message.method);
        if (!entry) {
          if (this.options.validate) this.refuse(message.method, 'no such request');
          this.postSafely({ type: 'response', id: message.id, error: `no handler for ${message.method.slice(0, MAX_METHOD)}` });
          return;
        }
        const problem = this.options.validate ? this.problem(entry.params, message.params) : undefined;
        if (problem) {
          this.refuse(message.method, problem);
          this.postSafely({ type: 'response', id: message.id, error: `invalid ${message.method.slice(0, MAX_METHOD)}: ${problem}` });
          return;
        }
        try {
          const result = await entry.handler(message.params);
          this.postSafely({ type: 'response', id: message.id, result });
        } catch (err) {
          this.onError(err, message.method);
          this.postSafely({ type: 'response', id: message.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
  }

  /** Rejects every request still waiting for a reply (the other side went away). */
  dispose(): void {
    for (const p of this.pending.values()) p.reject(new Error('channel closed'));
    this.pending.clear();
    this.requestHandlers.clear();
    this.notificationHandlers.clear();
  }

  private requireValidator(type: { method: string; params?: Schema<unknown> }): void {
    if (this.options.validate && !type.params) throw new Error(`${type.method} has no validator: a validating Messenger cannot handle it`);
  }

  private problem(params: Schema<unknown> | undefined, value: unknown): string | undefined {
    if (!params) return 'declared without a validator';
    try {
      return params.check(value);
    } catch {
      return 'could not be checked';
    }
  }

  private refuse(method: string, problem: string): void {
    if (this.options.validate) this.options.onInvalid?.(method.slice(0, MAX_METHOD), problem);
  }

  private postSafely(message: Envelope): void {
    try {
      const r = this.post(message) as { then?: unknown } | undefined;
      if (r && typeof r.then === 'function') {
        (r as PromiseLike<unknown>).then(undefined, (err: unknown) => this.onError(err, 'method' in message ? message.method : 'response'));
      }
    } catch (err) {
      this.onError(err, 'method' in message ? message.method : 'response');
    }
  }
}
