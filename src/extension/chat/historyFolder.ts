/**
 * The chat history on disk: one file per conversation in `<storage>/chat-history/`, so that any
 * number of VS Code windows sharing a storage folder (every window without a folder shares the
 * global one) can read and write it at the same time without losing anything. No `vscode` here:
 * plain Node files, so the same code runs in the extension host and in the tests' child processes.
 *
 *   chat-history/<stem>.json      a conversation (format 2, see src/core/chat/history.ts)
 *   chat-history/<stem>.deleted   a tombstone: deleted in some window; others drop it, never rewrite it
 *   chat-history/<stem>.lock/     (a folder) held for the milliseconds of checking and replacing the file
 *   chat-history/_state.json      the conversation shown last (the one a new window opens)
 *
 * A save writes only the conversations that changed (the chat says which; a cheap signature
 * catches any it did not), each to a temporary file of a unique name, then renames it over the
 * conversation's file: a reader sees the old file or the new one, never a part. Under the
 * conversation's lock, the save first checks the file is still the one this window last read or
 * wrote (inode, size, mtime); when another window replaced it meanwhile, the two versions are
 * merged (mergeConversation) and the merge is written and shown. A conversation deleted in another
 * window (its tombstone) is dropped here rather than written back, unless it was listed again here
 * after that (Undo, or a message sent in it).
 *
 * Other windows' changes are read at load and by `refresh()` (the VS Code layer calls it when the
 * window gains focus). The old single file `chat-history.json` is converted on load and kept as
 * `chat-history.migrated-<time>.json`.
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { Conversation } from '../../common/chat/model';
import {
  conversationFileStem,
  conversationSignature,
  idFromStem,
  mergeConversation,
  parseConversationFile,
  parseHistory,
  sameValue,
  serializeConversation,
  snapshotConversation,
  type ConversationBase,
  type HistoryFile,
  type MergedConversation,
} from '../../core/chat/history';

export const LEGACY_FILE = 'chat-history.json';
export const HISTORY_DIR = 'chat-history';
const STATE_FILE = '_state.json';
/** Saves are coalesced over this long (an answer streams hundreds of tokens a second). */
export const SAVE_DELAY_MS = 400;
/** A lock older than this was left by a window that died holding it. */
const LOCK_STALE_MS = 10_000;
/** Temporary files older than this were left by a window that died writing them. */
const TEMP_STALE_MS = 60 * 60_000;
/** Tombstones are kept this long: a window left open longer could bring a deleted conversation back. */
const TOMBSTONE_KEEP_MS = 90 * 24 * 60 * 60_000;

export interface HistoryLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FolderLoadResult {
  history: HistoryFile;
  /** Files moved aside because they could not be read whole. */
  movedAside: string[];
  /** Conversations not recovered whole; Infinity when the whole (old, single) file was unreadable. */
  lost: number;
}

/** Which file a conversation was in when this window last read or wrote it. */
interface DiskStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

interface Tracked {
  conv: Conversation;
  stem: string;
  /** The conversation as in its file when last read or written here (undefined: never on disk). */
  base?: ConversationBase;
  disk?: DiskStamp;
  /** conversationSignature when last read or written here. */
  sig: string;
}

const stampOf = (s: Stats): DiskStamp => ({ ino: s.ino, size: s.size, mtimeMs: s.mtimeMs });
const sameStamp = (a: DiskStamp | undefined, b: DiskStamp | undefined) =>
  a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);
const code = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const timestamp = () => new Date().toISOString().replace(/[:.]/g, '-');

let uniqueCounter = 0;
/** Unique across processes (pid) and within one (counter), and across pid reuse (random). */
const unique = () => `${process.pid}-${(uniqueCounter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export class HistoryFolder {
  private history: HistoryFile | undefined;
  private readonly tracked = new Map<string, Tracked>();
  private readonly dirty = new Set<Conversation>();
  private activeOnDisk: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Loads, saves and refreshes run one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | undefined;
  /** What the saves did, for the bench and the log. */
  readonly stats = { conversationWrites: 0, bytesWritten: 0, merges: 0, deletes: 0 };

  constructor(
    /** The extension's storage folder (the history is in its `chat-history` subfolder). */
    readonly root: string,
    private readonly log: HistoryLog,
    /** Called when the history in memory changed because of another window (merged, added, deleted). */
    private readonly onExternalChange: () => void = () => {},
    private readonly delayMs = SAVE_DELAY_MS,
  ) {}

  get dir(): string {
    return path.join(this.root, HISTORY_DIR);
  }

  get legacyFile(): string {
    return path.join(this.root, LEGACY_FILE);
  }

  conversationFile(id: string): string {
    return path.join(this.dir, `${conversationFileStem(id)}.json`);
  }

  // ---- loading --------------------------------------------------------------------------------

  /** Reads the whole history (converting an old single file first). The result is the history this folder then saves. */
  load(): Promise<FolderLoadResult> {
    return this.serial(() => this.loadNow());
  }

  private async loadNow(): Promise<FolderLoadResult> {
    this.clearTimer();
    this.tracked.clear();
    this.dirty.clear();
    this.history = undefined;
    await fsp.mkdir(this.dir, { recursive: true });
    const movedAside: string[] = [];
    let lost = 0;
    const legacy = await this.migrate();
    if (legacy) {
      movedAside.push(...legacy.movedAside);
      lost += legacy.lost;
    }
    await this.cleanUp();

    const conversations: Conversation[] = [];
    const names = await fsp.readdir(this.dir);
    const tombs = new Set(names.filter((n) => n.endsWith('.deleted')).map((n) => n.slice(0, -'.deleted'.length)));
    const files = names.filter(isConversationFile).map((n) => n.slice(0, -'.json'.length)).filter((stem) => !tombs.has(stem));
    const reads = await Promise.all(files.map((stem) => this.readConversation(stem)));
    for (const [i, read] of reads.entries()) {
      const stem = files[i];
      if (!read) continue;
      if (read.result.status === 'newer') {
        this.log.warn(`chat history: ${stem}.json ${read.result.reason}; left as it is`);
        continue;
      }
      if (read.result.status !== 'ok') {
        const aside = await this.moveAside(path.join(this.dir, `${stem}.json`), `${stem}.json.damaged-${timestamp()}`, read.result.reason);
        if (aside) movedAside.push(aside);
        lost++;
        if (read.result.status === 'corrupt') continue;
      }
      const conv = read.result.conversation;
      if (this.tracked.has(conv.id)) continue; // two files claiming one id: the first stays
      conversations.push(conv);
      // a damaged file's readable part is written again in full at the next save
      this.track(conv, stem, read.result.status === 'ok' ? read.stamp : undefined);
      if (read.result.status !== 'ok') this.dirty.add(conv);
    }
    conversations.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    this.activeOnDisk = (await this.readState()) ?? legacy?.activeId;
    const history: HistoryFile = {
      version: 1,
      activeId: conversations.some((c) => c.id === this.activeOnDisk) ? this.activeOnDisk : undefined,
      conversations,
    };
    this.history = history;
    if (this.dirty.size) this.schedule();
    return { history, movedAside, lost };
  }

  /** Converts `chat-history.json` (format 1) into conversation files, then keeps it under another name. */
  private async migrate(): Promise<{ movedAside: string[]; lost: number; activeId?: string } | undefined> {
    let text: string;
    try {
      text = await fsp.readFile(this.legacyFile, 'utf8');
    } catch (err) {
      if (code(err) !== 'ENOENT') this.log.error(`chat history: could not read ${this.legacyFile}: ${(err as Error).message}`);
      return undefined;
    }
    const result = parseHistory(text);
    if (result.status === 'corrupt') {
      const aside = await this.moveAside(this.legacyFile, `chat-history.corrupt-${timestamp()}.json`, result.reason, this.root);
      return { movedAside: aside ? [aside] : [], lost: Infinity };
    }
    for (const conv of result.history.conversations) await this.writeMigrated(conv);
    // the conversation the old file had open is the one to open (it is newer than any other choice)
    if (result.history.activeId) await this.writeState(result.history.activeId);
    if (result.status === 'damaged') {
      const aside = await this.moveAside(this.legacyFile, `chat-history.corrupt-${timestamp()}.json`, result.reason, this.root);
      return { movedAside: aside ? [aside] : [], lost: result.lost, activeId: result.history.activeId };
    }
    const kept = path.join(this.root, `chat-history.migrated-${timestamp()}.json`);
    try {
      await fsp.rename(this.legacyFile, kept);
      this.log.info(`chat history: converted ${result.history.conversations.length} conversation(s) to one file each in ${this.dir}; the old file is kept as ${kept}`);
    } catch (err) {
      // another window converting it at the same time moved it first
      if (code(err) !== 'ENOENT') this.log.error(`chat history: could not rename ${this.legacyFile}: ${(err as Error).message}`);
    }
    return { movedAside: [], lost: 0, activeId: result.history.activeId };
  }

  /** Writes a conversation of the old file, joined with its file if one exists (converted before, and changed since). */
  private async writeMigrated(conv: Conversation): Promise<void> {
    const stem = conversationFileStem(conv.id);
    const file = path.join(this.dir, `${stem}.json`);
    await this.withLock(stem, async () => {
      const tomb = await this.readTombstone(stem);
      if (tomb !== undefined && tomb >= conv.updatedAt) return; // deleted since
      const existing = await this.readConversation(stem);
      let out: Conversation = conv;
      if (existing && (existing.result.status === 'ok' || existing.result.status === 'damaged')) {
        const mine = existing.result.conversation;
        const merged = mergeConversation(undefined, mine, conv);
        if (sameMerge(mine, merged)) return;
        out = { ...mine, ...merged };
      } else if (existing?.result.status === 'newer') {
        return;
      } else if (existing?.result.status === 'corrupt') {
        await this.moveAside(file, `${stem}.json.damaged-${timestamp()}`, existing.result.reason);
      }
      await this.replace(stem, serializeConversation(out));
      if (tomb !== undefined) await unlinkQuietly(path.join(this.dir, `${stem}.deleted`));
    });
  }

  /** Removes temporary files and locks of windows that died, and tombstones old enough to forget. */
  private async cleanUp(): Promise<void> {
    const now = Date.now();
    for (const name of await fsp.readdir(this.dir)) {
      const limit = name.endsWith('.tmp') ? TEMP_STALE_MS : name.endsWith('.deleted') ? TOMBSTONE_KEEP_MS : undefined;
      if (limit === undefined) continue;
      const file = path.join(this.dir, name);
      const st = await fsp.stat(file).catch(() => undefined);
      if (st && now - st.mtimeMs > limit) await unlinkQuietly(file);
    }
  }

  // ---- saving ---------------------------------------------------------------------------------

  /**
   * Saves soon (coalescing rapid changes, e.g. while streaming). `changed`: the conversation whose
   * content changed; conversations added to or removed from the list, and the active one, are
   * noticed without it.
   */
  scheduleSave(history: HistoryFile, changed?: Conversation): void {
    this.history = history;
    if (changed) this.dirty.add(changed);
    this.schedule();
  }

  /** Writes any pending change now; resolves when everything asked for so far is on disk. */
  flush(): Promise<void> {
    this.clearTimer();
    this.queuedSave ??= this.serial(() => {
      this.queuedSave = undefined;
      return this.save();
    });
    return this.queuedSave;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async save(): Promise<void> {
    const history = this.history;
    if (!history) return;
    const listed = new Set<Conversation>(history.conversations);
    for (const conv of listed) {
      const t = this.tracked.get(conv.id);
      if (!t || t.conv !== conv || conversationSignature(conv) !== t.sig) this.dirty.add(conv);
    }
    let externalChange = false;
    for (const [id, t] of [...this.tracked]) {
      if (listed.has(t.conv)) continue;
      this.tracked.delete(id);
      if (history.conversations.some((c) => c.id === id)) continue; // replaced by another object of the same id
      try {
        await this.deleteFile(t.stem, id);
      } catch (err) {
        this.log.error(`chat history: could not delete ${t.stem}.json: ${(err as Error).message}`);
      }
    }
    const batch = [...this.dirty].filter((c) => listed.has(c));
    this.dirty.clear();
    for (const conv of batch) {
      if (!history.conversations.includes(conv)) continue; // removed while we were writing others
      try {
        if (await this.writeConversation(history, conv)) externalChange = true;
      } catch (err) {
        this.dirty.add(conv); // tried again at the next save
        this.log.error(`chat history: could not save "${conv.title}": ${(err as Error).message}`);
      }
    }
    if (history.activeId !== this.activeOnDisk) {
      try {
        await this.writeState(history.activeId);
        this.activeOnDisk = history.activeId;
      } catch (err) {
        this.log.error(`chat history: could not save the active conversation: ${(err as Error).message}`);
      }
    }
    if (externalChange) this.onExternalChange();
  }

  /** Writes one conversation; true when what is in memory changed (merged with, or deleted by, another window). */
  private async writeConversation(history: HistoryFile, conv: Conversation): Promise<boolean> {
    const known = this.tracked.get(conv.id);
    const t: Tracked = known && known.conv === conv ? known : { conv, stem: conversationFileStem(conv.id), sig: '' };
    const wasTracked = t === known;
    const file = path.join(this.dir, `${t.stem}.json`);
    let base = snapshotConversation(conv);
    let sig = conversationSignature(conv);
    let bytes = Buffer.from(serializeConversation(conv), 'utf8');
    const tmp = await this.writeTemp(t.stem, bytes);
    let changedHere = false;
    let renamed = false;
    try {
      await this.withLock(t.stem, async () => {
        const now = await statQuietly(file);
        if (!now || !sameStamp(stampOf(now), t.disk)) {
          const tomb = await this.readTombstone(t.stem);
          if (tomb !== undefined) {
            if (wasTracked) {
              // deleted in another window since this one last saved it: the deletion stands
              const at = history.conversations.indexOf(conv);
              if (at >= 0) history.conversations.splice(at, 1);
              if (history.activeId === conv.id) history.activeId = undefined;
              this.tracked.delete(conv.id);
              changedHere = true;
              this.log.info(`chat history: "${conv.title}" was deleted in another window`);
              return;
            }
            // listed again here after the deletion (Undo, or a message sent in it): it comes back
            await unlinkQuietly(path.join(this.dir, `${t.stem}.deleted`));
          }
        }
        if (now && !sameStamp(stampOf(now), t.disk)) {
          // another window wrote it since this one last read or wrote it: join the two
          const theirs = await this.readConversation(t.stem);
          if (theirs?.result.status === 'ok' || theirs?.result.status === 'damaged') {
            const merged = mergeConversation(t.base, conv, theirs.result.conversation);
            changedHere = applyMerge(conv, merged);
            this.stats.merges++;
            base = snapshotConversation(conv);
            sig = conversationSignature(conv);
            bytes = Buffer.from(serializeConversation(conv), 'utf8');
            await this.writeFileDurably(tmp, bytes);
          } else if (theirs?.result.status === 'corrupt') {
            await this.moveAside(file, `${t.stem}.json.damaged-${timestamp()}`, theirs.result.reason);
          }
        }
        await renameRetrying(tmp, file);
        renamed = true;
        const st = await fsp.stat(file);
        t.disk = stampOf(st);
        t.base = base;
        t.sig = sig;
        this.tracked.set(conv.id, t);
        this.stats.conversationWrites++;
        this.stats.bytesWritten += bytes.length;
      });
    } finally {
      if (!renamed) await unlinkQuietly(tmp);
    }
    return changedHere;
  }

  /** Deletes a conversation's file, leaving a tombstone so other windows drop it instead of writing it back. */
  private async deleteFile(stem: string, id: string): Promise<void> {
    await this.withLock(stem, async () => {
      const tomb = path.join(this.dir, `${stem}.deleted`);
      const tmp = await this.writeTemp(stem, JSON.stringify({ id, deletedAt: Date.now() }));
      await renameRetrying(tmp, tomb);
      await unlinkQuietly(path.join(this.dir, `${stem}.json`));
    });
    this.stats.deletes++;
  }

  // ---- other windows' changes -----------------------------------------------------------------

  /**
   * Reads what other windows changed since this one last looked: conversations they created,
   * renamed, continued or deleted. Conversations changed here and not saved yet are merged.
   */
  refresh(): Promise<void> {
    return this.serial(() => this.refreshNow());
  }

  private async refreshNow(): Promise<void> {
    const history = this.history;
    if (!history) return;
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (err) {
      if (code(err) !== 'ENOENT') this.log.error(`chat history: could not list ${this.dir}: ${(err as Error).message}`);
      return;
    }
    const present = new Set(names);
    let changed = false;
    const byStem = new Map([...this.tracked.values()].map((t) => [t.stem, t]));
    for (const t of byStem.values()) {
      if (present.has(`${t.stem}.json`) || !t.disk) continue;
      if (present.has(`${t.stem}.deleted`)) {
        // deleted in another window
        const at = history.conversations.indexOf(t.conv);
        if (at >= 0) history.conversations.splice(at, 1);
        if (history.activeId === t.conv.id) history.activeId = undefined;
        this.tracked.delete(t.conv.id);
        this.dirty.delete(t.conv);
        changed = true;
      } else {
        // gone without a tombstone (moved aside, removed by hand): what this window has is written again
        t.disk = undefined;
        this.dirty.add(t.conv);
        this.schedule();
      }
    }
    for (const name of names) {
      if (!isConversationFile(name)) continue;
      const stem = name.slice(0, -'.json'.length);
      const t = byStem.get(stem);
      if (!t && present.has(`${stem}.deleted`)) continue; // a deletion that did not finish
      if (t) {
        const st = await statQuietly(path.join(this.dir, name));
        if (!st || sameStamp(stampOf(st), t.disk)) continue;
      }
      const read = await this.readConversation(stem);
      if (!read || (read.result.status !== 'ok' && read.result.status !== 'damaged')) continue; // load moves damaged files aside
      const theirs = read.result.conversation;
      if (t) {
        if (!this.tracked.has(t.conv.id) || !history.conversations.includes(t.conv)) continue;
        const pending = this.dirty.has(t.conv) || conversationSignature(t.conv) !== t.sig;
        const merged = pending ? mergeConversation(t.base, t.conv, theirs) : { ...theirs, turns: theirs.turns };
        if (applyMerge(t.conv, merged)) changed = true;
        t.base = snapshotConversation(theirs);
        t.disk = read.stamp;
        t.sig = conversationSignature(theirs);
        if (pending) {
          this.dirty.add(t.conv);
          this.schedule();
        }
      } else if (!this.tracked.has(theirs.id) && !history.conversations.some((c) => c.id === theirs.id)) {
        history.conversations.push(theirs);
        this.track(theirs, stem, read.stamp);
        changed = true;
      }
    }
    if (changed) this.onExternalChange();
  }

  // ---- files ----------------------------------------------------------------------------------

  private track(conv: Conversation, stem: string, stamp: DiskStamp | undefined): void {
    this.tracked.set(conv.id, {
      conv,
      stem,
      base: stamp ? snapshotConversation(conv) : undefined,
      disk: stamp,
      sig: stamp ? conversationSignature(conv) : '',
    });
  }

  /** Reads a conversation file and the stamp of exactly the file read (it may be replaced meanwhile). */
  private async readConversation(stem: string): Promise<{ result: ReturnType<typeof parseConversationFile>; stamp: DiskStamp } | undefined> {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(path.join(this.dir, `${stem}.json`), 'r');
      const stamp = stampOf(await handle.stat());
      const text = await handle.readFile('utf8');
      return { result: parseConversationFile(text, idFromStem(stem)), stamp };
    } catch (err) {
      if (code(err) !== 'ENOENT') this.log.error(`chat history: could not read ${stem}.json: ${(err as Error).message}`);
      return undefined;
    } finally {
      await handle?.close();
    }
  }

  /** When the conversation was deleted, if it was. */
  private async readTombstone(stem: string): Promise<number | undefined> {
    try {
      const json = JSON.parse(await fsp.readFile(path.join(this.dir, `${stem}.deleted`), 'utf8')) as { deletedAt?: unknown };
      return typeof json.deletedAt === 'number' ? json.deletedAt : 0;
    } catch (err) {
      return code(err) === 'ENOENT' ? undefined : 0;
    }
  }

  private async readState(): Promise<string | undefined> {
    try {
      const json = JSON.parse(await fsp.readFile(path.join(this.dir, STATE_FILE), 'utf8')) as { activeId?: unknown };
      return typeof json.activeId === 'string' ? json.activeId : '';
    } catch {
      return undefined;
    }
  }

  private async writeState(activeId: string | undefined): Promise<void> {
    const tmp = await this.writeTemp('_state', JSON.stringify({ activeId: activeId ?? null }));
    try {
      await renameRetrying(tmp, path.join(this.dir, STATE_FILE));
    } finally {
      await unlinkQuietly(tmp);
    }
  }

  /** Replaces a conversation's file whole (the caller holds its lock). */
  private async replace(stem: string, text: string): Promise<void> {
    const tmp = await this.writeTemp(stem, text);
    try {
      await renameRetrying(tmp, path.join(this.dir, `${stem}.json`));
    } finally {
      await unlinkQuietly(tmp);
    }
  }

  /** A temporary file of a name no other writer uses, with `text` in it, on disk. */
  private async writeTemp(stem: string, text: string | Buffer): Promise<string> {
    const tmp = path.join(this.dir, `${stem}.json.${unique()}.tmp`);
    try {
      await this.writeFileDurably(tmp, text);
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
      await fsp.mkdir(this.dir, { recursive: true }); // the folder was removed meanwhile
      await this.writeFileDurably(tmp, text);
    }
    return tmp;
  }

  private async writeFileDurably(file: string, text: string | Buffer): Promise<void> {
    const handle = await fsp.open(file, 'w');
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Runs `fn` holding the conversation's lock: a folder, whose creation is atomic everywhere. One
   * older than LOCK_STALE_MS was left by a window that died holding it, and is removed.
   */
  private async withLock<T>(stem: string, fn: () => Promise<T>): Promise<T> {
    const lock = path.join(this.dir, `${stem}.lock`);
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.mkdir(lock);
        break;
      } catch (err) {
        if (code(err) === 'ENOENT') {
          await fsp.mkdir(this.dir, { recursive: true });
          continue;
        }
        if (code(err) !== 'EEXIST') throw err;
        const st = await statQuietly(lock);
        if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) {
          this.log.warn(`chat history: removing ${lock}, left by a window that stopped while saving`);
          await fsp.rm(lock, { recursive: true, force: true }).catch(() => {});
        }
        await sleep(2 + Math.random() * 8 * Math.min(attempt + 1, 10));
      }
    }
    try {
      return await fn();
    } finally {
      await fsp.rmdir(lock).catch(() => {});
    }
  }

  /** Moves a file that cannot be read whole aside (never deletes it), and logs where. */
  private async moveAside(file: string, name: string, reason: string, dir = this.dir): Promise<string | undefined> {
    const aside = path.join(dir, name);
    try {
      await fsp.rename(file, aside);
    } catch (err) {
      this.log.error(`chat history: could not move the damaged file aside: ${(err as Error).message}`);
      return undefined;
    }
    this.log.warn(`chat history: ${reason}; moved to ${aside}`);
    return aside;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  dispose(): void {
    void this.flush();
  }
}

function isConversationFile(name: string): boolean {
  return name.endsWith('.json') && name !== STATE_FILE && !name.slice(0, -'.json'.length).includes('.');
}

/**
 * Puts a merge into the conversation object the chat holds; true if that changed anything. An
 * answer this window is still streaming stays the object it streams into: read back from the
 * disk it would be a copy (and stopped), the rest of the answer would go into a turn no longer in
 * the conversation, and the conversation would be saved cut short.
 */
function applyMerge(conv: Conversation, theMerge: MergedConversation): boolean {
  const live = new Map(conv.turns.filter((t) => t.role === 'assistant' && t.status === 'streaming').map((t) => [t.id, t]));
  const merged = live.size ? { ...theMerge, turns: theMerge.turns.map((t) => live.get(t.id) ?? t) } : theMerge;
  if (sameMerge(conv, merged)) return false;
  conv.title = merged.title;
  conv.createdAt = merged.createdAt;
  conv.updatedAt = merged.updatedAt;
  conv.turns.splice(0, conv.turns.length, ...merged.turns);
  return true;
}

function sameMerge(conv: Conversation, merged: MergedConversation): boolean {
  return conv.title === merged.title && conv.createdAt === merged.createdAt && conv.updatedAt === merged.updatedAt &&
    conv.turns.length === merged.turns.length && conv.turns.every((t, i) => t === merged.turns[i] || sameValue(t, merged.turns[i]));
}

async function statQuietly(file: string): Promise<Stats | undefined> {
  try {
    return await fsp.stat(file);
  } catch (err) {
    if (code(err) === 'ENOENT') return undefined;
    throw err;
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  await fsp.unlink(file).catch(() => {});
}

/** rename, retried briefly where Windows refuses to replace a file another process is reading. */
async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (err) {
      if (attempt >= 20 || !['EPERM', 'EACCES', 'EBUSY'].includes(code(err) ?? '')) throw err;
      await sleep(5 + attempt * 5);
    }
  }
}
