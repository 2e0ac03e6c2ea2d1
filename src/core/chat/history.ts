/**
 * The stored chat history of a workspace: its file formats and a tolerant reader. A file that is
 * not JSON, or whose conversations are partly damaged, is reported so the VS Code layer can move
 * it aside; whatever is intact is recovered, down to the single turn: a damaged turn costs only
 * itself, a damaged field of a turn (its usage, its timing, an attached chip's line numbers) only
 * that field.
 *
 * Format 1 (`parseHistory`) is the old single file holding every conversation; it is only read now,
 * to be converted. Format 2 keeps one conversation per file (`parseConversationFile`), so windows
 * sharing a storage folder write only the conversations they changed; when two of them changed the
 * same one, `mergeConversation` joins the two versions against the one both started from.
 * Pure: no `vscode`, no DOM, no I/O.
 */
import type {
  AssistantTurn, ChatErrorInfo, ContextChip, ContextKind, Conversation, SnippetUse, Turn, Usage, UserTurn,
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
    kind: isStr(v.kind) && (CONTEXT_KINDS as readonly string[]).includes(v.kind) ? (v.kind as ContextKind) : 'file',
    uri: isStr(v.uri) ? v.uri : '',
    label: v.label,
    languageId: isStr(v.languageId) && v.languageId ? v.languageId : 'plaintext',
    startLine: start,
    endLine: end,
    text: v.text,
    ...optionalString('detail', v.detail),
    ...optionalNumber('tokens', v.tokens),
    ...optionalString('omitted', v.omitted),
  };
}

const CONTEXT_KINDS: readonly ContextKind[] = ['selection', 'file', 'folder', 'symbol', 'editors', 'problems', 'git', 'terminal', 'rules', 'workspace'];

/** A search's snippet list; broken refs are left out, the counts kept only when they are numbers. */
function readSnippets(v: unknown): SnippetUse | undefined {
  if (!isObj(v) || !isNum(v.snippets) || !isNum(v.files)) return undefined;
  const refs = Array.isArray(v.refs)
    ? v.refs.filter((r): r is SnippetUse['refs'][number] => isObj(r) && isStr(r.path) && isNum(r.startLine) && isNum(r.endLine))
      .map((r) => ({ path: r.path, startLine: r.startLine, endLine: r.endLine }))
    : [];
  return { snippets: v.snippets, files: v.files, refs };
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
    ...(readSnippets(v.snippets) ? { snippets: readSnippets(v.snippets) } : {}),
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

function readConversation(v: unknown, index: number, seen: Set<string>, fallbackId = `conversation-${index}`): ReadConversation | undefined {
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
      id: uniqueId(isStr(v.id) && v.id ? v.id : fallbackId, seen),
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

// ---- format 2: one conversation per file ------------------------------------------------------

export const CONVERSATION_FORMAT = 2;

export type ConversationReadResult =
  | { status: 'ok'; conversation: Conversation }
  /** Readable in part: `conversation` holds the turns that could be read. */
  | { status: 'damaged'; conversation: Conversation; lostTurns: number; reason: string }
  /** Written by a newer version of the extension (another window may run one): left alone. */
  | { status: 'newer'; reason: string }
  | { status: 'corrupt'; reason: string };

export function serializeConversation(c: Conversation): string {
  return JSON.stringify({ version: CONVERSATION_FORMAT, conversation: c });
}

/** Reads a conversation file; `fallbackId` (from the file's name) stands in for a missing id. */
export function parseConversationFile(text: string, fallbackId: string): ConversationReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { status: 'corrupt', reason: `not JSON: ${(err as Error).message}` };
  }
  if (!isObj(json) || !isObj(json.conversation)) return { status: 'corrupt', reason: 'no conversation' };
  if (isNum(json.version) && json.version > CONVERSATION_FORMAT) {
    return { status: 'newer', reason: `written by a newer version (format ${json.version})` };
  }
  const read = readConversation(json.conversation, 0, new Set(), fallbackId);
  if (!read) return { status: 'corrupt', reason: 'no turns list' };
  if (!read.lostTurns) return { status: 'ok', conversation: read.conversation };
  return { status: 'damaged', conversation: read.conversation, lostTurns: read.lostTurns, reason: `${read.lostTurns} turn(s) unreadable` };
}

/**
 * The file name (without extension) of a conversation: its id, with every character but `a-z`,
 * `0-9` and `-` written as `_` and four hex digits (a UTF-16 unit), so names differ on
 * case-insensitive file systems too, never contain a dot, and never start like `_state`. A very
 * long id is cut and ends with `~` and a hash of the whole id.
 */
export function conversationFileStem(id: string): string {
  let stem = '';
  for (let i = 0; i < id.length; i++) {
    const ch = id[i];
    stem += /[a-z0-9-]/.test(ch) ? ch : `_${id.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  if (stem.length <= 160) return stem;
  return `${stem.slice(0, 150)}~${hash32(id).toString(16).padStart(8, '0')}`;
}

/** The id a stem was made from (for a file whose id is missing); a cut stem is its own id. */
export function idFromStem(stem: string): string {
  if (stem.includes('~')) return stem;
  return stem.replace(/_([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** FNV-1a over UTF-16 units. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A cheap fingerprint of what a save is most likely to have to write: the title, times, the number
 * of turns and the state of the last one. A store compares it to catch a change nobody told it
 * about; it costs the same whatever the size of the conversation.
 */
export function conversationSignature(c: Conversation): string {
  const last = c.turns[c.turns.length - 1];
  const tail = !last
    ? ''
    : last.role === 'user'
      ? `${last.id}|u|${last.text.length}`
      : `${last.id}|a|${last.status}|${last.thinking.length}|${last.answer.length}|${last.endedAt ?? ''}|${last.usage?.totalTokens ?? ''}`;
  return `${c.title}\u0000${c.createdAt}\u0000${c.updatedAt}\u0000${c.turns.length}\u0000${tail}`;
}

/**
 * A conversation as it was when last read from or written to its file: the version a later merge
 * starts from. The turns are shallow copies: their strings are shared, never copied, and the chat
 * replaces a turn's nested objects (usage, error, attached code) rather than changing them.
 */
export interface ConversationBase {
  title: string;
  turns: readonly Turn[];
}

export function snapshotConversation(c: Conversation): ConversationBase {
  return { title: c.title, turns: c.turns.map((t) => ({ ...t })) };
}

/** Equal as JSON would write them: a field holding `undefined` counts as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
}

export interface MergedConversation {
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

/**
 * Joins two versions of a conversation that two windows changed independently since `base` (the
 * version on disk when this window last read or wrote it; undefined when unknown, e.g. an old
 * single-file history met again). Turns are matched by id:
 *
 * - a turn either side added is kept; theirs go right after the turn they follow in their version,
 *   before our own new turns there (theirs were saved first: both windows end up with one order);
 * - a turn one side removed (Drop Oldest, Edit and Resend) is removed, unless the other side changed
 *   it since `base`;
 * - a turn only one side changed takes that side's version; changed on both sides, ours wins (it
 *   is the newer: ours is being saved now);
 * - the title: whichever side renamed it (ours if both did).
 *
 * Without `base` nothing counts as removed and the newer version's title wins. The turn objects of
 * the result are those of `ours` or `theirs`, never copies.
 */
export function mergeConversation(base: ConversationBase | undefined, ours: Conversation, theirs: Conversation): MergedConversation {
  const inBase = new Map(base?.turns.map((t) => [t.id, t]) ?? []);
  const changed = (t: Turn) => !base || !inBase.has(t.id) || !sameValue(inBase.get(t.id), t);
  const theirsById = new Map(theirs.turns.map((t) => [t.id, t]));
  const oursIds = new Set(ours.turns.map((t) => t.id));

  const turns: Turn[] = [];
  for (const t of ours.turns) {
    const their = theirsById.get(t.id);
    if (!their) {
      if (base && inBase.has(t.id) && !changed(t)) continue; // they removed it, we did not touch it
      turns.push(t);
    } else {
      turns.push(!changed(t) && changed(their) ? their : t);
    }
  }

  let at = -1; // where the last of their turns went (or was found)
  for (const their of theirs.turns) {
    if (oursIds.has(their.id)) {
      const i = turns.findIndex((t) => t.id === their.id);
      if (i >= 0) at = i;
      continue;
    }
    if (base && inBase.has(their.id) && !changed(their)) continue; // we removed it, they did not touch it
    turns.splice(at + 1, 0, their);
    at++;
  }

  const weRenamed = base ? ours.title !== base.title : ours.updatedAt >= theirs.updatedAt;
  return {
    title: weRenamed ? ours.title : theirs.title,
    createdAt: Math.min(ours.createdAt, theirs.createdAt),
    updatedAt: Math.max(ours.updatedAt, theirs.updatedAt),
    turns,
  };
}
