/**
 * The stored chat history of a workspace: its file format and a tolerant reader. A file that is
 * not JSON, or whose conversations are partly damaged, is reported so the VS Code layer can move
 * it aside; whatever is intact is recovered. Pure: no `vscode`, no DOM.
 */
import type { AssistantTurn, Conversation, Turn, UserTurn } from '../../common/chat/model';

export const HISTORY_VERSION = 1;

export interface HistoryFile {
  version: number;
  activeId?: string;
  conversations: Conversation[];
}

export type HistoryReadResult =
  | { status: 'ok'; history: HistoryFile }
  /** Readable in part: `history` holds what was recovered, `lost` how many conversations were not. */
  | { status: 'damaged'; history: HistoryFile; lost: number; reason: string }
  | { status: 'corrupt'; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function readTurn(v: unknown): Turn | undefined {
  if (!isObj(v) || !isStr(v.id)) return undefined;
  if (v.role === 'user') {
    if (!isStr(v.text)) return undefined;
    const context = Array.isArray(v.context) ? v.context.filter((c) => isObj(c) && isStr(c.text) && isStr(c.label)) : [];
    return {
      ...(v as unknown as UserTurn),
      context: context as unknown as UserTurn['context'],
      thinking: v.thinking === 'fast' ? 'fast' : 'slow',
      createdAt: isNum(v.createdAt) ? v.createdAt : 0,
    };
  }
  if (v.role === 'assistant') {
    if (!isStr(v.answer) || !isStr(v.thinking)) return undefined;
    const status = v.status === 'done' || v.status === 'stopped' || v.status === 'error' ? v.status : 'stopped';
    // An answer still "streaming" in the file was cut off when VS Code closed: it is a stopped answer now.
    return { ...(v as unknown as AssistantTurn), status, startedAt: isNum(v.startedAt) ? v.startedAt : 0 };
  }
  return undefined;
}

function readConversation(v: unknown): Conversation | undefined {
  if (!isObj(v) || !isStr(v.id) || !Array.isArray(v.turns)) return undefined;
  const turns: Turn[] = [];
  for (const t of v.turns) {
    const turn = readTurn(t);
    if (!turn) return undefined;
    turns.push(turn);
  }
  return {
    id: v.id,
    title: isStr(v.title) ? v.title : '',
    createdAt: isNum(v.createdAt) ? v.createdAt : 0,
    updatedAt: isNum(v.updatedAt) ? v.updatedAt : 0,
    turns,
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
  let lost = 0;
  for (const c of json.conversations) {
    const conv = readConversation(c);
    if (conv) conversations.push(conv);
    else lost++;
  }
  const history: HistoryFile = {
    version: HISTORY_VERSION,
    activeId: isStr(json.activeId) && conversations.some((c) => c.id === json.activeId) ? json.activeId : undefined,
    conversations,
  };
  if (lost) return { status: 'damaged', history, lost, reason: `${lost} conversation(s) unreadable` };
  return { status: 'ok', history };
}

export function serializeHistory(h: HistoryFile): string {
  return JSON.stringify({ version: HISTORY_VERSION, activeId: h.activeId, conversations: h.conversations });
}
