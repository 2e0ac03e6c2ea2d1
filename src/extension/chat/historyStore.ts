/**
 * The chat history of a workspace, kept in the extension's workspace storage (global storage when
 * no folder is open, shared by every such window): one file per conversation, written by
 * HistoryFolder (see there for how windows share it). This is its VS Code side: storage URIs,
 * refreshing when the window gains focus (so another window's new, renamed or deleted
 * conversations show), and an event when that changed the history in memory.
 */
import * as vscode from 'vscode';
import { Owner } from '../disposables';
import type { Conversation } from '../../common/chat/model';
import type { HistoryFile } from '../../core/chat/history';
import type { Logger } from '../log/logger';
import { HistoryFolder, SAVE_DELAY_MS } from './historyFolder';

export interface LoadOutcome {
  history: HistoryFile;
  /** Where a damaged or corrupt file was moved, if one was (the first of them, when several). */
  movedTo?: vscode.Uri;
  /** Conversations that could not be recovered from it (Infinity = the whole file). */
  lost?: number;
}

export class HistoryStore extends Owner {
  private readonly files: HistoryFolder;
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /** The history in memory changed because of another window: merged, added or deleted conversations. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly folder: vscode.Uri,
    log: Logger,
    delayMs = SAVE_DELAY_MS,
  ) {
    super();
    this.files = new HistoryFolder(folder.fsPath, log, () => this.changed.fire(), delayMs);
    this.own(this.files);
    this.own(vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) void this.refresh();
    }));
  }

  /** The single history file of earlier versions, converted (and renamed) when found. */
  get legacyFile(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, 'chat-history.json');
  }

  /** The folder of the conversation files. */
  get dir(): vscode.Uri {
    return vscode.Uri.file(this.files.dir);
  }

  conversationFile(id: string): vscode.Uri {
    return vscode.Uri.file(this.files.conversationFile(id));
  }

  /** What the saves did so far (bench, log). */
  get stats(): HistoryFolder['stats'] {
    return this.files.stats;
  }

  async load(): Promise<LoadOutcome> {
    const r = await this.files.load();
    if (!r.movedAside.length && !r.lost) return { history: r.history };
    return { history: r.history, movedTo: r.movedAside[0] ? vscode.Uri.file(r.movedAside[0]) : undefined, lost: r.lost };
  }

  /**
   * Saves soon (coalescing rapid changes, e.g. while streaming). `changed`: the conversation whose
   * turns or title changed (only changed conversations are written).
   */
  scheduleSave(history: HistoryFile, changed?: Conversation): void {
    this.files.scheduleSave(history, changed);
  }

  /** Writes any pending change now. */
  flush(): Promise<void> {
    return this.files.flush();
  }

  /** Reads what other windows changed; `onDidChange` fires if that changed anything here. */
  refresh(): Promise<void> {
    return this.files.refresh();
  }

}
