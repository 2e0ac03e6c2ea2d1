/**
 * The chat's data, as the extension keeps it and the webview shows it. Pure types and helpers:
 * shared by the extension and the webview bundle.
 */

export type ThinkingMode = 'slow' | 'fast';

/**
 * What a chip holds. `selection` and `file` come from the editor; the others from an @-mention
 * (src/extension/mentions): a `folder`'s file list, a workspace `symbol`'s definition, the open
 * `editors`, `problems` (of a file or all), `git` changes, the `terminal`'s last command and its
 * output; `rules` are the project's instructions (AGENTS.md, ...), attached by themselves to each
 * message; `workspace` asks for a workspace search when the message is sent (its text is then the
 * snippets found).
 */
export type ContextKind = 'selection' | 'file' | 'folder' | 'symbol' | 'editors' | 'problems' | 'git' | 'terminal' | 'rules' | 'workspace';

/** Context attached to a user message: code, a list, a search's snippets (see ContextKind). */
export interface ContextChip {
  id: string;
  kind: ContextKind;
  /** The document's (or folder's) URI, as a string; empty for kinds that have none (problems of all files, git, ...). */
  uri: string;
  /** Workspace-relative path (or the file name of an untitled document, or a name like "Problems"), for display and the prompt. */
  label: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The content itself, as sent. */
  text: string;
  /** A short line shown with the label ("3 errors", "staged", "function in src/a.ts"). */
  detail?: string;
  /** Estimated tokens of the chip as sent; set by the extension. */
  tokens?: number;
  /**
   * The content was cut to fit: what was left out, in words ("lines 200-950 of 950", "12 of 40
   * files"). Shown on the chip, and the model is told too.
   */
  omitted?: string;
}

/** The workspace search that answered a message: shown as "Used N snippets from M files". */
export interface SnippetUse {
  snippets: number;
  files: number;
  /** Where each came from: workspace-relative path and 1-based lines, in prompt order. */
  refs: { path: string; startLine: number; endLine: number }[];
}

export interface Usage {
  /** `estimated`: the gateway sent no usage and these are our own estimate. */
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
}

export interface UserTurn {
  id: string;
  role: 'user';
  text: string;
  context: ContextChip[];
  thinking: ThinkingMode;
  createdAt: number;
  /** Set when a workspace search added snippets to the message. */
  snippets?: SnippetUse;
}

export type AssistantStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ChatErrorInfo {
  kind: string;
  message: string;
  /** Buttons shown with the message. */
  actions: ('setApiKey' | 'openSettings' | 'showLog' | 'retry')[];
}

export interface AssistantTurn {
  id: string;
  role: 'assistant';
  thinking: string;
  answer: string;
  status: AssistantStatus;
  /** When the thinking started and ended (ms since epoch), for "thought for N s". */
  thinkingStartedAt?: number;
  thinkingEndedAt?: number;
  startedAt: number;
  endedAt?: number;
  /** Time to first token. */
  firstTokenMs?: number;
  usage?: Usage;
  costYuan?: number;
  model?: string;
  error?: ChatErrorInfo;
  /** Turns dropped from the history sent with this request, to fit the context window. */
  droppedTurns?: number;
  finishReason?: string;
}

export type Turn = UserTurn | AssistantTurn;

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turnCount: number;
}

export function summarize(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title, updatedAt: c.updatedAt, turnCount: c.turns.length };
}

/** Totals over a conversation's answers. */
export interface ConversationTotals {
  promptTokens: number;
  completionTokens: number;
  costYuan: number;
  /** True when any figure in the totals is an estimate. */
  estimated: boolean;
}

export function conversationTotals(c: Pick<Conversation, 'turns'>): ConversationTotals {
  const t: ConversationTotals = { promptTokens: 0, completionTokens: 0, costYuan: 0, estimated: false };
  for (const turn of c.turns) {
    if (turn.role !== 'assistant' || !turn.usage) continue;
    t.promptTokens += turn.usage.promptTokens;
    t.completionTokens += turn.usage.completionTokens;
    t.costYuan += turn.costYuan ?? 0;
    t.estimated ||= turn.usage.estimated;
  }
  return t;
}

export { formatYuan } from '../format';

/** A title from the first user message: its first line, trimmed to a readable length. */
export function titleFrom(text: string, max = 48): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
