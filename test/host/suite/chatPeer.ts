// A test client of the chat protocol: stands where the webview would, speaking the same typed
// messages through a Messenger, so host tests drive the real ChatController end to end.
import * as vscode from 'vscode';
import { Messenger, type Envelope, type NotificationType } from '../../../src/common/ipc/messages';
import * as P from '../../../src/common/chat/protocol';
import type { AssistantTurn } from '../../../src/common/chat/model';
import type { TestApi } from '../../../src/extension/extension';
import { WAIT_MS, waitFor } from './helpers';

export class ChatPeer implements vscode.Disposable {
  private readonly listeners = new Set<(m: unknown) => void>();
  /** Every envelope the extension sent, in order. */
  readonly received: Envelope[] = [];
  readonly messenger: Messenger;
  private readonly attachment: vscode.Disposable;

  /** The webview side of the channel, as the controller sees it. */
  readonly webview = {
    postMessage: async (m: unknown): Promise<boolean> => {
      this.received.push(m as Envelope);
      await this.messenger.receive(m);
      return true;
    },
    onDidReceiveMessage: (listener: (m: unknown) => void): vscode.Disposable => {
      this.listeners.add(listener);
      return new vscode.Disposable(() => this.listeners.delete(listener));
    },
  };

  constructor(attach: (webview: ChatPeer['webview']) => vscode.Disposable) {
    this.messenger = new Messenger((m) => {
      for (const l of this.listeners) l(m);
    });
    this.attachment = attach(this.webview);
  }

  notify<T>(type: NotificationType<T>, params: T): void {
    this.messenger.sendNotification(type, params);
  }

  /** Posts anything to the extension, as a webview can (a hostile or broken one, for tests of the boundary). */
  postRaw(message: unknown): void {
    for (const l of this.listeners) l(message);
  }

  /** Notifications of one type received so far. */
  notifications<T>(type: NotificationType<T>): T[] {
    return this.received.filter((e) => e.type === 'notification' && e.method === type.method).map((e) => (e as { params: T }).params);
  }

  /** The streamed text of a turn, as a webview would assemble it from deltas. */
  streamedText(turnId: string): { thinking: string; answer: string } {
    let thinking = '';
    let answer = '';
    for (const d of this.notifications(P.StreamDelta)) {
      if (d.turnId !== turnId) continue;
      thinking += d.thinking ?? '';
      answer += d.answer ?? '';
    }
    return { thinking, answer };
  }

  /** Waits for the final TurnChanged of an assistant turn (status no longer streaming). */
  async finishedAnswer(timeoutMs = WAIT_MS): Promise<AssistantTurn> {
    return waitFor(() => {
      const turns = this.notifications(P.TurnChanged).map((n) => n.turn);
      const last = turns[turns.length - 1];
      return last && last.role === 'assistant' && last.status !== 'streaming' ? last : undefined;
    }, 'an answer to finish', timeoutMs);
  }

  clear(): void {
    this.received.length = 0;
  }

  dispose(): void {
    this.attachment.dispose();
    this.messenger.dispose();
  }
}

/**
 * Before each test: no answer running, a fresh conversation, and a new peer attached to the chat
 * (disposed after the test). `ready` also fetches the snapshot, as a loading webview does.
 */
export function chatPeerFixture(api: () => TestApi, { ready = false } = {}): { readonly peer: ChatPeer } {
  const holder = {} as { peer: ChatPeer };
  beforeEach(async () => {
    await api().chat.whenIdle();
    await api().chat.newChat();
    holder.peer = new ChatPeer((w) => api().chat.attach(w));
    if (ready) await holder.peer.messenger.sendRequest(P.Ready, undefined);
  });
  afterEach(() => holder.peer.dispose());
  return holder;
}
