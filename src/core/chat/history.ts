/**
 * The stored chat history of a workspace: its file format and a tolerant reader. A file that is
 * not JSON, or whose conversations are partly damaged, is reported so the VS Code layer can move
 * it aside; whatever is intact is recovered, down to the single turn: a damaged turn costs only
 * itself, a damaged field of a turn (its usage, its timing, an attached chip's line numbers) only
 * that field. Pure: no `vscode`, no DOM.
 */
import type {
  AssistantTurn, ChatErrorInfo, ContextChip, Conversation, Turn, Usage, UserTurn,
} from '../../common/chat/model';

export const HISTORY_VERSION = 1;

export interface HistoryFile {
  version: number;
  activeId?: string;
  conversations: Conversation[];
}

export type HistoryReadResult =
  | { status: 'ok'; history: HistoryFile }
  /**
   * Readable in part: `history` holds what was recovered. `lost` counts the conversations not
   * recovered whole (dropped, or missing some turns); `lostTurns` the turns dropped from those
   * that were kept.
   */
  | { status: 'damaged'; history: HistoryFile; lost: number; lostConversations: number; lostTurns: number; reason: string }
  | { status: 'corrupt'; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `value` when it is a finite number, else nothing (the field is left out). */
function optionalNumber<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  return (isNum(value) ? { [key]: value } : {}) as { [P in K]?: number };
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (isStr(value) ? { [key]: value } : {}) as { [P in K]?: string };
}

/** An attached chip: its code and label are what matter; the rest is given sane values if broken. */
function readChip(v: unknown, index: number): ContextChip | undefined {
  if (!isObj(v) || !isStr(v.text) || !isStr(v.label)) return undefined;
  const start = isNum(v.startLine) && v.startLine >= 1 ? Math.floor(v.startLine) : 1;
  const lines = v.text.replace(/\r?\n$/, '').split(/\r?\n/).length;
  const end = isNum(v.endLine) && v.endLine >= start ? Math.floor(v.endLine) : start + lines - 1;
  return {
    id: isStr(v.id) ? v.id : `chip-${index}`,
    kind: v.kind === 'selection' ? 'selection' : 'file',
    uri: isStr(v.uri) ? v.uri : '',
    label: v.label,
    languageId: isStr(v.languageId) && v.languageId ? v.languageId : 'plaintext',
    startLine: start,
    endLine: end,
    text: v.text,
  };
}

function readUsage(v: unknown): Usage | undefined {
  if (!isObj(v) || !isNum(v.promptTokens) || !isNum(v.completionTokens)) return undefined;
  return {
    promptTokens: v.promptTokens,
    completionTokens: v.completionTokens,
    totalTokens: isNum(v.totalTokens) ? v.totalTokens : v.promptTokens + v.completionTokens,
    estimated: v.estimated === true,
  };
}

const ERROR_ACTIONS: readonly ChatErrorInfo['actions'][number][] = ['setApiKey', 'openSettings', 'showLog', 'retry'];

function readError(v: unknown): ChatErrorInfo | undefined {
  if (!isObj(v) || !isStr(v.message)) return undefined;
  const actions = Array.isArray(v.actions) ? v.actions.filter((a): a is ChatErrorInfo['actions'][number] => ERROR_ACTIONS.includes(a)) : [];
  return { kind: isStr(v.kind) ? v.kind : 'unknown', message: v.message, actions };
}

function readUserTurn(v: Record<string, unknown>, id: string): UserTurn | undefined {
  if (!isStr(v.text)) return undefined;
  const chips = Array.isArray(v.context) ? v.context.map(readChip).filter((c): c is ContextChip => c !== undefined) : [];
  return {
    id,
    role: 'user',
    text: v.text,
    context: chips,
    thinking: v.thinking === 'fast' ? 'fast' : 'slow',
    createdAt: isNum(v.createdAt) ? v.createdAt : 0,
  };
}

function readAssistantTurn(v: Record<string, unknown>, id: string): AssistantTurn | undefined {
  if (!isStr(v.answer) && !isStr(v.thinking)) return undefined;
  const error = readError(v.error);
  // An answer still "streaming" in the file was cut off when VS Code closed: it is a stopped answer now.
  let status: AssistantTurn['status'] = v.status === 'done' || v.status === 'error' ? v.status : 'stopped';
  if (status === 'error' && !error) status = 'stopped';
  const usage = readUsage(v.usage);
  return {
    id,
    role: 'assistant',
    thinking: isStr(v.thinking) ? v.thinking : '',
    answer: isStr(v.answer) ? v.answer : '',
    status,
    startedAt: isNum(v.startedAt) ? v.startedAt : 0,
    ...optionalNumber('thinkingStartedAt', v.thinkingStartedAt),
    ...optionalNumber('thinkingEndedAt', v.thinkingEndedAt),
    ...optionalNumber('endedAt', v.endedAt),
    ...optionalNumber('firstTokenMs', v.firstTokenMs),
    ...optionalNumber('costYuan', v.costYuan),
    ...optionalNumber('droppedTurns', v.droppedTurns),
    ...optionalString('model', v.model),
    ...optionalString('finishReason', v.finishReason),
    ...(usage ? { usage } : {}),
    ...(error ? { error } : {}),
  };
}

/** A turn, or undefined when it has no role or no text to show. Ids are made unique within `seen`. */
function readTurn(v: unknown, index: number, seen: Set<string>): Turn | undefined {
  if (!isObj(v)) return undefined;
  const id = uniqueId(isStr(v.id) && v.id ? v.id : `turn-${index}`, seen);
  if (v.role === 'user') return readUserTurn(v, id);
  if (v.role === 'assistant') return readAssistantTurn(v, id);
  return undefined;
}

/** `id`, or `id~2`, `id~3`... when it was taken already (two conversations, or turns, sharing one). */
function uniqueId(id: string, seen: Set<string>): string {
  let unique = id;
  for (let n = 2; seen.has(unique); n++) unique = `${id}~${n}`;
  seen.add(unique);
  return unique;
}

interface ReadConversation {
  conversation: Conversation;
  lostTurns: number;
}

function readConversation(v: unknown, index: number, seen: Set<string>): ReadConversation | undefined {
  if (!isObj(v) || !Array.isArray(v.turns)) return undefined;
  const turns: Turn[] = [];
  const turnIds = new Set<string>();
  let lostTurns = 0;
  v.turns.forEach((t, i) => {
    const turn = readTurn(t, i, turnIds);
    if (turn) turns.push(turn);
    else lostTurns++;
  });
  return {
    conversation: {
      id: uniqueId(isStr(v.id) && v.id ? v.id : `conversation-${index}`, seen),
      title: isStr(v.title) ? v.title : '',
      createdAt: isNum(v.createdAt) ? v.createdAt : 0,
      updatedAt: isNum(v.updatedAt) ? v.updatedAt : 0,
      turns,
    },
    lostTurns,
  };
}

export function parseHistory(text: string): HistoryReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { status: 'corrupt', reason: `not JSON: ${(err as Error).message}` };
  }
  if (!isObj(json) || !Array.isArray(json.conversations)) return { status: 'corrupt', reason: 'no conversations list' };
  if (isNum(json.version) && json.version > HISTORY_VERSION) {
    return { status: 'corrupt', reason: `written by a newer version (format ${json.version})` };
  }
  const conversations: Conversation[] = [];
  const ids = new Set<string>();
  let lostConversations = 0;
  let partial = 0;
  let lostTurns = 0;
  json.conversations.forEach((c, i) => {
    const read = readConversation(c, i, ids);
    if (!read) {
      lostConversations++;
      return;
    }
    conversations.push(read.conversation);
    if (read.lostTurns) {
      partial++;
      lostTurns += read.lostTurns;
    }
  });
  const history: HistoryFile = {
    version: HISTORY_VERSION,
    activeId: isStr(json.activeId) && conversations.some((c) => c.id === json.activeId) ? json.activeId : undefined,
    conversations,
  };
  if (!lostConversations && !lostTurns) return { status: 'ok', history };
  const reasons = [
    ...(lostConversations ? [`${lostConversations} conversation(s) unreadable`] : []),
    ...(lostTurns ? [`${lostTurns} turn(s) unreadable in ${partial} conversation(s)`] : []),
  ];
  return { status: 'damaged', history, lost: lostConversations + partial, lostConversations, lostTurns, reason: reasons.join(', ') };
}

export function serializeHistory(h: HistoryFile): string {
  return JSON.stringify({ version: HISTORY_VERSION, activeId: h.activeId, conversations: h.conversations });
}
