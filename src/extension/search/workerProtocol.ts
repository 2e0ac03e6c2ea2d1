/**
 * The messages between the extension host (workspaceSearch.ts) and the index worker
 * (indexWorker.ts): one declaration both sides are typed from. Pure types: the worker bundle
 * imports nothing of `vscode` through it.
 *
 * Files are keyed by their absolute file-system path (`fsPath`); `path` is the one the user sees
 * (workspace-relative, prefixed with the folder's name when there are several folders), whose
 * words are searched too. The worker applies every operation in the order it receives them, so a
 * query sent after an update sees it.
 */

/** A workspace folder on disk and what leaves its files out of the index. */
export interface FolderSpec {
  /** Absolute file-system path. */
  root: string;
  /** Globs in force of `files.exclude` and `search.exclude` for this folder (relative to it). */
  excludes: string[];
  /** Honour `.gitignore` files (`search.useIgnoreFiles`). */
  useIgnoreFiles: boolean;
}

export interface FileRef {
  fsPath: string;
  path: string;
  /** Index into the folders of the last `build`. */
  folder: number;
}

export interface IndexCounts {
  /** Files in the index. */
  indexed: number;
  /** Files of the workspace to index (after exclusion and `.gitignore`): indexed + skipped. */
  total: number;
  /** Files left out: over the file limit, too big, binary. */
  skipped: number;
}

/** A found snippet with its text. Lines 0-based, [start, end). */
export interface WorkerHit {
  fsPath: string;
  path: string;
  start: number;
  end: number;
  score: number;
  /** The lines' text as the file is now (`\n`-joined); '' when it can no longer be read. */
  text: string;
}

export interface LineRange {
  fsPath: string;
  start: number;
  end: number;
}

export type HostToWorker =
  /** Index these files from scratch (a new generation: an older build still running stops). */
  | { type: 'build'; generation: number; folders: FolderSpec[]; files: FileRef[]; maxFiles: number }
  /** Files (or folders) created, changed or deleted since. */
  | { type: 'changes'; changes: Array<{ file: FileRef; deleted: boolean }> }
  | { type: 'query'; id: number; question: string; limit: number }
  /** The text of line ranges (snippets widened to whole functions). */
  | { type: 'read'; id: number; ranges: LineRange[] };

export type WorkerToHost =
  | ({ type: 'progress'; generation: number; processed: number } & IndexCounts)
  | ({ type: 'built'; generation: number; ignored: number; ms: number } & IndexCounts)
  | ({ type: 'changed' } & IndexCounts)
  | { type: 'result'; id: number; hits: WorkerHit[] }
  | { type: 'texts'; id: number; texts: string[] }
  /** A request (query, read) failed; `id` 0: an operation without a reply (build, changes). */
  | { type: 'failed'; id: number; message: string };

