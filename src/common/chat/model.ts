/**
 * The chat's data, as the extension keeps it and the webview shows it. Pure types and helpers:
 * shared by the extension and the webview bundle.
 */

export type ThinkingMode = 'slow' | 'fast';

/** Code attached to a user message: a selection or a whole file. */
export interface ContextChip {
  id: string;
  kind: 'selection' | 'file';
  /** The document's URI, as a string. */
  uri: string;
  /** Workspace-relative path (or the file name of an untitled document), for display and the prompt. */
  label: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The code itself. */
  text: string;
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
