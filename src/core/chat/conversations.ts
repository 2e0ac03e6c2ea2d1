/**
 * The chat's conversations and what can be done to them, without VS Code: which one is shown,
 * starting a turn, regenerating, editing and resending, dropping the oldest turns, renaming,
 * deleting and undoing it, the list in the order it is shown. The chat controller
 * (src/extension/chat/chatController.ts) adds the webviews, the answering and the dialogs; it
 * saves whatever `changed` names after each operation. Pure: no `vscode`, no DOM.
 */
import { titleFrom, type AssistantTurn, type ContextChip, type Conversation, type ThinkingMode, type UserTurn } from '../../common/chat/model';
import type { HistoryFile } from './history';

let idCounter = 0;
/** A new id, unique in this process and very likely across windows (time + counter). */
export const newId = (prefix: string, now = Date.now()): string => `${prefix}-${now.toString(36)}-${(idCounter++).toString(36)}`;

export function emptyConversation(now = Date.now()): Conversation {
  return { id: newId('c', now), title: '', createdAt: now, updatedAt: now, turns: [] };
}

export class Conversations {
  private history: HistoryFile = { version: 1, conversations: [] };
  private shown: Conversation;

  constructor(private readonly now: () => number = Date.now) {
    this.shown = emptyConversation(now());
  }

  /** The history as read from disk: the conversation it last showed is shown again, else a new one. */
  load(history: HistoryFile): void {
    this.history = history;
    this.shown = history.conversations.find((c) => c.id === history.activeId) ?? emptyConversation(this.now());
  }

  /** The history to save (the same object, updated in place). */
  get file(): HistoryFile {
    return this.history;
  }

  /** The conversation shown. */
  get current(): Conversation {
    return this.shown;
  }

  /** Every saved conversation, the latest first. */
  sorted(): Conversation[] {
    return [...this.history.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** A saved conversation, or the one shown (it may not be saved yet). */
  find(id: string): Conversation | undefined {
    return this.history.conversations.find((x) => x.id === id) ?? (this.shown.id === id ? this.shown : undefined);
  }

  /** Whether `c` is saved (listed). */
  isListed(c: Conversation): boolean {
    return this.history.conversations.includes(c);
  }

  /** Lists `c` (if it was not), makes it the active one, and marks it updated now. */
  touch(c: Conversation): void {
    if (!this.history.conversations.includes(c)) this.history.conversations.push(c);
    this.history.activeId = c.id;
    c.updatedAt = this.now();
  }

  /**
   * Shows a new conversation, unless the one shown is new and untouched (it is reused). Returns
   * whether the history changed.
   */
  newChat(): boolean {
    if (!this.shown.turns.length && !this.history.conversations.includes(this.shown)) return false;
    this.shown = emptyConversation(this.now());
    this.history.activeId = undefined;
    return true;
  }

  /** Shows a saved conversation; false when there is none with that id. */
  switchTo(id: string): boolean {
    const c = this.history.conversations.find((x) => x.id === id);
    if (!c) return false;
    this.shown = c;
    this.history.activeId = id;
    return true;
  }

  /**
   * The user's message, added to the conversation shown (titled after it when it had no title).
   * Undefined when there is nothing to send (no text, no context).
   */
  addUserTurn(text: string, context: readonly ContextChip[], thinking: ThinkingMode): UserTurn | undefined {
    const trimmed = text.trim();
    if (!trimmed && !context.length) return undefined;
    const turn: UserTurn = { id: newId('u', this.now()), role: 'user', text: trimmed, context: [...context], thinking, createdAt: this.now() };
    const conv = this.shown;
    if (!conv.title) conv.title = titleFrom(trimmed || context.map((c) => c.label).join(', '));
    conv.turns.push(turn);
    this.touch(conv);
    return turn;
  }

  /** A new, empty answer to the last user turn of `conv`, added to it. */
  addAssistantTurn(conv: Conversation, model: string): AssistantTurn {
    const turn: AssistantTurn = { id: newId('a', this.now()), role: 'assistant', thinking: '', answer: '', status: 'streaming', startedAt: this.now(), model };
    conv.turns.push(turn);
    conv.updatedAt = this.now();
    return turn;
  }

  /**
   * Removes the answers after the last user turn of the conversation shown; false when no user turn
   * is left to answer. It is answered again in `thinking` (the toggle's mode now, not the one it
   * was first sent in: turning Deep Thinking on, then Regenerate, is how one asks for a deeper answer).
   */
  prepareRegenerate(thinking: ThinkingMode): boolean {
    const conv = this.shown;
    while (conv.turns.length && conv.turns[conv.turns.length - 1].role === 'assistant') conv.turns.pop();
    const last = conv.turns[conv.turns.length - 1];
    if (last?.role === 'user') last.thinking = thinking;
    return conv.turns.length > 0;
  }

  /**
   * Replaces the text of a user turn of the conversation shown and drops what followed it; false
   * when there is no such turn or no text. It is sent again in `thinking` (the toggle's mode now).
   */
  prepareResend(turnId: string, text: string, thinking: ThinkingMode): boolean {
    const conv = this.shown;
    const at = conv.turns.findIndex((t) => t.id === turnId && t.role === 'user');
    if (at < 0 || !text.trim()) return false;
    const user = conv.turns[at] as UserTurn;
    user.text = text.trim();
    user.thinking = thinking;
    conv.turns.splice(at + 1);
    return true;
  }

  /**
   * Drops the oldest `turns` exchanges (a user turn and its answers) of the conversation shown.
   * Refused (with the reason) for anything but a whole number from 1 to the number of user turns:
   * "drop 1000" must not quietly mean "drop everything".
   */
  dropOldest(turns: number): { dropped: true } | { dropped: false; reason: string } {
    const conv = this.shown;
    const userTurns = conv.turns.filter((t) => t.role === 'user').length;
    if (!Number.isInteger(turns) || turns <= 0) return { dropped: false, reason: `not a number of turns: ${turns}` };
    if (turns > userTurns) return { dropped: false, reason: `refused to drop ${turns} turns of a conversation with ${userTurns}` };
    let users = 0;
    let cut = 0;
    while (cut < conv.turns.length) {
      if (conv.turns[cut].role === 'user') {
        if (users === turns) break;
        users++;
      }
      cut++;
    }
    conv.turns.splice(0, cut);
    return { dropped: true };
  }

  /**
   * Renames a conversation (listing it if it was the new one shown); undefined when there is none.
   * Which one is shown does not change.
   */
  rename(id: string, title: string): Conversation | undefined {
    const c = this.find(id);
    if (!c || !title.trim()) return undefined;
    c.title = title.trim();
    if (!this.history.conversations.includes(c)) this.history.conversations.push(c);
    if (c === this.shown) this.history.activeId = c.id;
    c.updatedAt = this.now();
    return c;
  }

  /**
   * Deletes a saved conversation; when it was shown, the latest other one is shown (or a new one).
   * Returns what `restore` needs to undo it, or undefined when there is none with that id.
   */
  delete(id: string): { removed: Conversation; index: number } | undefined {
    const index = this.history.conversations.findIndex((x) => x.id === id);
    if (index < 0) return undefined;
    const [removed] = this.history.conversations.splice(index, 1);
    if (this.shown === removed) {
      this.shown = this.sorted()[0] ?? emptyConversation(this.now());
      this.history.activeId = this.shown.turns.length ? this.shown.id : undefined;
    }
    return { removed, index };
  }

  /** Undoes `delete` (where it was in the list); false when it is back already. */
  restore({ removed, index }: { removed: Conversation; index: number }): boolean {
    if (this.history.conversations.includes(removed)) return false;
    this.history.conversations.splice(Math.min(index, this.history.conversations.length), 0, removed);
    return true;
  }
}
