/**
 * Typed messages between the extension and a webview. A message is declared once, as a
 * descriptor, and both sides import the same descriptor: the compiler then checks the payload on
 * the sending side and the handler on the receiving side, so the two cannot drift.
 *
 *   export const Send = notification<{ text: string }>('chat/send');
 *   export const Ready = request<void, ChatSnapshot>('chat/ready');
 *
 * Requests get a reply (a Promise on the sender's side); notifications do not.
 * Pure: runs in the extension host and in the webview, imports neither `vscode` nor the DOM.
 */

export interface RequestType<P, R> {
  readonly kind: 'request';
  readonly method: string;
  /** Phantom fields: carry the types, never set. */
  readonly _params?: P;
  readonly _result?: R;
}

export interface NotificationType<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly _params?: P;
}

export function request<P, R>(method: string): RequestType<P, R> {
  return { kind: 'request', method };
}

export function notification<P>(method: string): NotificationType<P> {
  return { kind: 'notification', method };
}

/** What actually crosses postMessage. */
export type Envelope =
  | { readonly type: 'request'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly type: 'response'; readonly id: number; readonly result?: unknown; readonly error?: string }
  | { readonly type: 'notification'; readonly method: string; readonly params: unknown };

export function isEnvelope(value: unknown): value is Envelope {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'response') return typeof v.id === 'number';
  if (v.type === 'request') return typeof v.id === 'number' && typeof v.method === 'string';
  if (v.type === 'notification') return typeof v.method === 'string';
  return false;
}

type RequestHandler = (params: unknown) => unknown | Promise<unknown>;
type NotificationHandler = (params: unknown) => void;

export interface Disposable {
  dispose(): void;
}

/**
 * One end of the channel. `post` sends an envelope to the other side; feed every message received
 * from the other side to `receive`. Used by the extension (around `webview.postMessage`) and by
 * the webview (around `acquireVsCodeApi().postMessage`).
 */
export class Messenger {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly requestHandlers = new Map<string, RequestHandler>();
  private readonly notificationHandlers = new Map<string, Set<NotificationHandler>>();

  constructor(
    private readonly post: (message: Envelope) => unknown,
    private readonly onError: (error: unknown, method: string) => void = () => {},
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
    this.requestHandlers.set(type.method, handler as RequestHandler);
    return { dispose: () => this.requestHandlers.delete(type.method) };
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    let set = this.notificationHandlers.get(type.method);
    if (!set) this.notificationHandlers.set(type.method, (set = new Set()));
    set.add(handler as NotificationHandler);
    return { dispose: () => set?.delete(handler as NotificationHandler) };
  }

  /** Handles one message from the other side; anything that is not an envelope is ignored. */
  async receive(message: unknown): Promise<void> {
    if (!isEnvelope(message)) return;
    switch (message.type) {
      case 'response': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) p.reject(new Error(message.error));
        else p.resolve(message.result);
        return;
      }
      case 'notification': {
        for (const handler of this.notificationHandlers.get(message.method) ?? []) {
          try {
            handler(message.params);
          } catch (err) {
            this.onError(err, message.method);
          }
        }
        return;
      }
      case 'request': {
        const handler = this.requestHandlers.get(message.method);
        if (!handler) {
          this.postSafely({ type: 'response', id: message.id, error: `no handler for ${message.method}` });
          return;
        }
        try {
          const result = await handler(message.params);
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
