/**
 * Keeps the chat history of a workspace in one JSON file in the extension's workspace storage
 * (global storage when no folder is open). Writes are debounced while an answer streams, atomic
 * (temp file + rename), and flushed on shutdown. A file that cannot be read is moved aside, never
 * deleted, and the user is told where it went.
 */
import * as vscode from 'vscode';
import { parseHistory, serializeHistory, type HistoryFile } from '../../core/chat/history';
import type { Logger } from '../log/logger';

export const HISTORY_FILE = 'chat-history.json';

export interface LoadOutcome {
  history: HistoryFile;
  /** Where a damaged or corrupt file was moved, if it was. */
  movedTo?: vscode.Uri;
  /** Conversations that could not be recovered from it (Infinity = the whole file). */
  lost?: number;
}

export class HistoryStore implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: HistoryFile | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: vscode.Uri,
    private readonly log: Logger,
    private readonly delayMs = 400,
  ) {}

  get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, HISTORY_FILE);
  }

  async load(): Promise<LoadOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(this.file);
    } catch {
      return { history: { version: 1, conversations: [] } };
    }
    const result = parseHistory(new TextDecoder().decode(bytes));
    if (result.status === 'ok') return { history: result.history };
    const movedTo = vscode.Uri.joinPath(this.folder, `chat-history.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    try {
      await vscode.workspace.fs.rename(this.file, movedTo, { overwrite: false });
    } catch (err) {
      this.log.error(`chat history: could not move the damaged file aside: ${(err as Error).message}`);
    }
    this.log.warn(`chat history: ${result.reason}; moved to ${movedTo.fsPath}`);
    if (result.status === 'damaged') return { history: result.history, movedTo, lost: result.lost };
    return { history: { version: 1, conversations: [] }, movedTo, lost: Infinity };
  }

  /** Saves soon (coalescing rapid changes, e.g. while streaming). */
  scheduleSave(history: HistoryFile): void {
    this.pending = history;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  /** Writes any pending change now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const history = this.pending;
    this.pending = undefined;
    if (history) {
      const text = serializeHistory(history);
      this.writing = this.writing.then(() => this.write(text));
    }
    await this.writing;
  }

  private async write(text: string): Promise<void> {
    const tmp = vscode.Uri.joinPath(this.folder, `${HISTORY_FILE}.tmp`);
    try {
      await vscode.workspace.fs.createDirectory(this.folder);
      await vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(text));
      await vscode.workspace.fs.rename(tmp, this.file, { overwrite: true });
    } catch (err) {
      this.log.error(`chat history: could not save: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    void this.flush();
  }
}
