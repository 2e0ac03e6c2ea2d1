/**
 * Every message between the chat view (webview) and the extension, declared once and imported by
 * both sides. The extension owns all state; the webview asks for a snapshot when it (re)loads
 * and then follows notifications, so hiding, moving or reloading the view loses nothing.
 */
import { notification, request } from '../ipc/messages';
import type { ChatErrorInfo, ContextChip, Conversation, ConversationSummary, ConversationTotals, ThinkingMode, Turn, Usage } from './model';

/** Strings the webview shows, localized by the extension (the webview has no `vscode.l10n`). */
export type ChatStrings = Record<string, string>;

export interface ChatSettingsView {
  thinking: ThinkingMode;
  /** Fold the thinking block once the answer starts. */
  collapseThinking: boolean;
  contextWindow: number;
  model: string;
  hasApiKey: boolean;
}

/** Everything the webview needs to draw itself from nothing. */
export interface ChatSnapshot {
  conversation: Conversation;
  conversations: ConversationSummary[];
  totals: ConversationTotals;
  /** Context waiting to be sent with the next message. */
  pendingContext: ContextChip[];
  settings: ChatSettingsView;
  strings: ChatStrings;
  /** The id of the assistant turn being streamed, if any. */
  streamingId?: string;
  /** Text the user was typing, kept across reloads. */
  draft: string;
}

export interface BudgetView {
  /** Estimated tokens of the prompt as it would be sent now (history + context + draft). */
  promptTokens: number;
  maxTokens: number;
  contextWindow: number;
  /** Tokens left for the prompt to grow (window - prompt - max_tokens). */
  remaining: number;
  /** The whole history does not fit: this many oldest turns would be dropped. */
  overflowTurns: number;
  /** Even without history it does not fit. */
  tooLong: boolean;
}

export type CodeAction = 'copy' | 'insert' | 'apply' | 'newFile';

// ---- webview -> extension --------------------------------------------------------------------

/** The webview has loaded (or reloaded): reply with the full state. */
export const Ready = request<void, ChatSnapshot>('chat/ready');
export const Send = notification<{ text: string }>('chat/send');
export const Stop = notification<void>('chat/stop');
/** Answer the last user message again (replaces the last answer). */
export const Regenerate = notification<void>('chat/regenerate');
/** Replace a user message's text and resend from there (later turns are discarded). */
export const EditAndResend = notification<{ turnId: string; text: string }>('chat/editAndResend');
/** Retry the failed last answer. */
export const Retry = notification<void>('chat/retry');
export const NewChat = notification<void>('chat/new');
export const SwitchConversation = notification<{ id: string }>('chat/switch');
export const RenameConversation = notification<{ id: string }>('chat/rename');
export const DeleteConversation = notification<{ id: string }>('chat/delete');
export const ExportConversation = notification<{ id: string }>('chat/export');
export const RemoveContext = notification<{ id: string }>('chat/removeContext');
export const AttachActiveFile = notification<void>('chat/attachActiveFile');
export const SetThinking = notification<{ mode: ThinkingMode }>('chat/setThinking');
/** Estimate the prompt for the draft as typed. */
export const EstimateBudget = request<{ draft: string }, BudgetView>('chat/estimate');
/** Drop the oldest turns of the conversation so the prompt fits. */
export const DropOldest = notification<{ turns: number }>('chat/dropOldest');
export const SaveDraft = notification<{ text: string }>('chat/saveDraft');
export const RunCodeAction = notification<{ action: CodeAction; turnId: string; blockIndex: number; code: string; languageId: string }>('chat/codeAction');
export const OpenLink = notification<{ href: string }>('chat/openLink');
/** A button of an inline error. */
export const RunErrorAction = notification<{ action: ChatErrorInfo['actions'][number] }>('chat/errorAction');

// ---- extension -> webview --------------------------------------------------------------------

/** Redraw everything (conversation switched, history changed, settings changed). */
export const SnapshotChanged = notification<ChatSnapshot>('chat/snapshot');
/** A turn was added or changed as a whole (not streaming text). */
export const TurnChanged = notification<{ turn: Turn; totals: ConversationTotals }>('chat/turn');
/** Streaming text appended to an assistant turn. */
export const StreamDelta = notification<{ turnId: string; thinking?: string; answer?: string; thinkingEndedAt?: number; firstTokenMs?: number }>('chat/delta');
export const PendingContextChanged = notification<{ context: ContextChip[] }>('chat/context');
export const FocusInput = notification<void>('chat/focus');

export type { Usage };
