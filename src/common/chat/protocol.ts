/**
 * Every message between the chat view (webview) and the extension, declared once and imported by
 * both sides. The extension owns all state; the webview asks for a snapshot when it (re)loads
 * and then follows notifications, so hiding, moving or reloading the view loses nothing.
 */
import { notification, request, returns } from '../ipc/messages';
import { v } from '../ipc/schema';
import { FINGERPRINT_PATTERN } from './fingerprint';
import { httpUrl, MAX_LINK_LENGTH } from './links';
import type { ChatErrorInfo, ContextChip, ContextKind, Conversation, ConversationSummary, ConversationTotals, ThinkingMode, Turn, Usage } from './model';

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
  /** Estimated tokens of the prompt as it would be sent now (system + rules + history + chips + snippets + draft). */
  promptTokens: number;
  maxTokens: number;
  contextWindow: number;
  /** Tokens left for the prompt to grow (window - prompt - max_tokens). */
  remaining: number;
  /** The whole history does not fit: this many oldest turns would be dropped. */
  overflowTurns: number;
  /** Even without history it does not fit. */
  tooLong: boolean;
  /** What the prompt is made of, in estimated tokens (they add up to about promptTokens). */
  parts: {
    system: number;
    /** The project rules chip, when attached (0 otherwise). */
    rules: number;
    /** The history that will be sent (after dropping what does not fit). */
    history: number;
    /** Each pending chip (rules included), by chip id. */
    chips: { id: string; tokens: number }[];
    /** Room the workspace search may fill when the message is sent (0 when no search will run). */
    snippets: number;
    draft: number;
  };
  /**
   * Estimated cost in yuan at the configured prices: of the prompt, and of a typical answer in
   * the current thinking mode (TYPICAL_ANSWER_TOKENS, capped by max_tokens).
   */
  cost: { prompt: number; answer: number };
}

/** One entry of the @-mention completion list. */
export interface MentionItem {
  /** Opaque: the extension maps it back to what it offered (the webview cannot name a path itself). */
  id: string;
  kind: ContextKind;
  /** What the list shows first: a file name, a symbol name, "Problems", ... */
  label: string;
  /** Shown dimmed after the label: the folder, the symbol's file, "3 errors", ... */
  detail?: string;
}

/** Where a `path:line` link in an answer points: a workspace-relative (or absolute) path, 1-based line. */
export interface FileLocation {
  path: string;
  /** 0 when the link names no line. */
  line: number;
}

export type CodeAction = 'copy' | 'insert' | 'apply' | 'newFile';
export type ErrorAction = ChatErrorInfo['actions'][number];

// ---- limits on what the webview may send ------------------------------------------------------

/** Longest message, edited message or draft, in characters (far beyond the largest context window). */
export const MAX_TEXT_LENGTH = 1_000_000;
/** Longest conversation, turn or context id. */
export const MAX_ID_LENGTH = 200;
/** Most code blocks one answer is taken to have. */
export const MAX_CODE_BLOCKS = 100_000;
/** Most turns Drop Oldest can be asked to drop (the extension also refuses more than there are). */
export const MAX_DROP_TURNS = 100_000;

const text = v.string({ max: MAX_TEXT_LENGTH });
const id = v.string({ min: 1, max: MAX_ID_LENGTH });
const byId = v.object({ id });

// ---- webview -> extension --------------------------------------------------------------------
// Each carries its validator: the extension's Messenger checks every message against it before a
// handler runs, and refuses (and logs) anything else. The payload types are inferred from them.

/** The webview has loaded (or reloaded): reply with the full state. */
export const Ready = request('chat/ready', v.none, returns<ChatSnapshot>());
export const Send = notification('chat/send', v.object({ text }));
export const Stop = notification('chat/stop', v.none);
/** Answer the last user message again (replaces the last answer). */
export const Regenerate = notification('chat/regenerate', v.none);
/** Replace a user message's text and resend from there (later turns are discarded). */
export const EditAndResend = notification('chat/editAndResend', v.object({ turnId: id, text }));
/** Retry the failed last answer. */
export const Retry = notification('chat/retry', v.none);
export const NewChat = notification('chat/new', v.none);
export const SwitchConversation = notification('chat/switch', byId);
export const RenameConversation = notification('chat/rename', byId);
export const DeleteConversation = notification('chat/delete', byId);
export const ExportConversation = notification('chat/export', byId);
export const RemoveContext = notification('chat/removeContext', byId);
export const AttachActiveFile = notification('chat/attachActiveFile', v.none);
export const SetThinking = notification('chat/setThinking', v.object({ mode: v.keyOf<ThinkingMode>({ slow: 1, fast: 1 }) }));
/** Estimate the prompt for the draft as typed. */
export const EstimateBudget = request('chat/estimate', v.object({ draft: text }), returns<BudgetView>());
/**
 * The @-mention list for what follows the trigger character in the input (`@src/ut`, `#Probl`):
 * files, folders, symbols, open editors, problems, git changes, the terminal, the selection,
 * @workspace. The extension ranks and caps the list.
 */
export const QueryMentions = request('chat/mentions', v.object({
  trigger: v.keyOf<'@' | '#'>({ '@': 1, '#': 1 }),
  query: v.string({ max: 500 }),
}), returns<MentionItem[]>());
/** The user picked an entry of the last list: the extension resolves it into a pending chip. */
export const PickMention = notification('chat/pickMention', v.object({ id }));
/** A `path:line` link of an answer: open the file there, if it is in the workspace. */
export const OpenLocation = notification('chat/openLocation', v.object({
  path: v.string({ min: 1, max: 4096 }),
  /** 1-based; 0 when the link names no line. */
  line: v.integer({ min: 0, max: 100_000_000 }),
}));
/** Drop the oldest turns of the conversation so the prompt fits. */
export const DropOldest = notification('chat/dropOldest', v.object({ turns: v.integer({ min: 1, max: MAX_DROP_TURNS }) }));
export const SaveDraft = notification('chat/saveDraft', v.object({ text }));
/**
 * A code block's button. The extension takes the code from the stored answer (turn `turnId`, its
 * code block `blockIndex`), never from the message; `shown` is the fingerprint of the code as the
 * view shows it (src/common/chat/fingerprint.ts), so nothing but what the user saw is acted on.
 * The reply says whether it was done (Copy shows ✓ only then); a refusal is explained by the
 * extension.
 */
export const RunCodeAction = request('chat/codeAction', v.object({
  action: v.keyOf<CodeAction>({ copy: 1, insert: 1, apply: 1, newFile: 1 }),
  turnId: id,
  blockIndex: v.integer({ min: 0, max: MAX_CODE_BLOCKS }),
  shown: v.string({ max: 30, test: (s) => FINGERPRINT_PATTERN.test(s), expected: 'a code fingerprint' }),
}), returns<boolean>());
/** Open an absolute http(s) link, through VS Code (which asks before opening an untrusted site). */
export const OpenLink = notification('chat/openLink', v.object({
  href: v.string({ max: MAX_LINK_LENGTH, test: (s) => httpUrl(s) !== undefined, expected: 'an absolute http(s) URL' }),
}));
/** A button of an inline error. */
export const RunErrorAction = notification('chat/errorAction', v.object({
  action: v.keyOf<ErrorAction>({ setApiKey: 1, openSettings: 1, showLog: 1, retry: 1 }),
}));

// ---- extension -> webview --------------------------------------------------------------------
// The webview trusts the extension (it owns all state): these carry no validator, and a
// validating Messenger refuses to handle them.

/** Redraw everything (conversation switched, history changed, settings changed). */
export const SnapshotChanged = notification<ChatSnapshot>('chat/snapshot');
/** A turn was added or changed as a whole (not streaming text). */
export const TurnChanged = notification<{ turn: Turn; totals: ConversationTotals }>('chat/turn');
/** Streaming text appended to an assistant turn. */
export const StreamDelta = notification<{ turnId: string; thinking?: string; answer?: string; thinkingEndedAt?: number; firstTokenMs?: number }>('chat/delta');
export const PendingContextChanged = notification<{ context: ContextChip[] }>('chat/context');
export const FocusInput = notification<void>('chat/focus');
/** A message the extension could not take (another conversation is still answering): back into the input. */
export const ReturnMessage = notification<{ text: string }>('chat/returnMessage');

export type { Usage };
