/**
 * Workspace search for the chat (`@workspace`): a lexical index of the workspace's text files
 * (src/core/search) kept in a worker thread (./indexWorker.ts, dist/searchWorker.js), so the
 * extension host's thread never reads or tokenizes file contents. Built in the background with a
 * progress indicator in the status bar, kept up to date from a file watcher and saves, rebuilt
 * when a `.gitignore`, the exclude settings or the workspace folders change.
 *
 * Which files: those `workspace.findFiles` lists in every workspace folder on disk (`file:`),
 * less `files.exclude`, `search.exclude` and `.gitignore` (root and nested, as git reads them;
 * `search.useIgnoreFiles: false` turns that off), at most `hunyuan.context.maxIndexedFiles`; the
 * worker leaves out binary files and files over 1 MB. `hunyuan.context.workspaceSearch: "off"`
 * indexes nothing.
 *
 * A search returns the best snippets with their text; the best few are widened to the whole
 * functions, methods or class members they cut into where the language's document symbols show
 * them (within MAX_WIDENED_LINES).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { excludeGlob, excludePatterns, SECRET_FILE_PATTERNS } from '../../core/search/globs';
import { joinSpans, widenToSymbols, type LineSpan } from '../../core/search/widen';
import { Owner } from '../disposables';
import type { Logger } from '../log/logger';
import type { FileRef, FolderSpec, HostToWorker, IndexCounts, WorkerHit, WorkerToHost } from './workerProtocol';
import { withTimeout } from '../timeout';

export interface SearchStatus {
  state: 'idle' | 'indexing' | 'ready' | 'failed' | 'off';
  indexed: number;
  total: number;
  /** files left out: over maxIndexedFiles, too big, binary */
  skipped: number;
  message?: string;
}

export interface WorkspaceSnippet {
  uri: string;
  /** workspace-relative path; prefixed with the folder name when there are several workspace folders (as vscode.workspace.asRelativePath(uri, true) gives) */
  path: string;
  /** 1-based, inclusive */
  startLine: number;
  endLine: number;
  languageId: string;
  text: string;
  score: number;
}

/** Changes are sent to the worker this long after the last one (a burst, e.g. a checkout, goes as one). */
const CHANGE_DEBOUNCE_MS = 500;
/** A rebuild waits this long after the last reason for it. */
const REBUILD_DEBOUNCE_MS = 500;
/** The best this many snippets are widened to whole functions… */
const WIDEN_TOP = 5;
/** …if the language's symbols come within this long. */
const SYMBOLS_TIME_LIMIT_MS = 1500;
/** findFiles lists at most this many times the file limit (`.gitignore` leaves some out after). */
const LIST_FACTOR = 5;
const LIST_MAX = 500_000;

/** Symbol kinds that are not code (Markdown headings, JSON keys) or too wide to be a snippet. */
const NOT_CODE = new Set([
  vscode.SymbolKind.File, vscode.SymbolKind.Module, vscode.SymbolKind.Namespace, vscode.SymbolKind.Package, vscode.SymbolKind.String,
  vscode.SymbolKind.Key, vscode.SymbolKind.Number, vscode.SymbolKind.Boolean, vscode.SymbolKind.Array, vscode.SymbolKind.Null,
]);

const SETTINGS_THAT_REBUILD = [
  'hunyuan.context.workspaceSearch', 'hunyuan.context.maxIndexedFiles', 'files.exclude', 'search.exclude', 'search.useIgnoreFiles',
];

interface Pending {
  resolve(msg: WorkerToHost): void;
  reject(err: Error): void;
}

export class WorkspaceSearch extends Owner implements vscode.Disposable {
  private readonly changed = this.own(new vscode.EventEmitter<SearchStatus>());
  readonly onDidChangeStatus: vscode.Event<SearchStatus> = this.changed.event;

  private current: SearchStatus;
  private started = false;
  private worker: Worker | undefined;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The `file:` folders of the latest build, in the order the worker knows them. */
  private folders: vscode.WorkspaceFolder[] = [];
  /** Message about folders left out (not on disk), kept with the status. */
  private folderNote: string | undefined;
  private readonly changes = new Map<string, { file: FileRef; deleted: boolean }>();
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private progress: { report(text: string): void; end(): void } | undefined;
  /** The checks of the searches waiting for the index, run at every change of status and at dispose. */
  private readonly waiting = new Set<() => void>();
  /** Between the start of a rebuild and its file list reaching the worker (changes wait for it). */
  private listing = false;
  private languages: { byExtension: Map<string, string>; byName: Map<string, string> } | undefined;

  constructor(
    private readonly log: Logger,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    this.current = this.off()
      ? { state: 'off', indexed: 0, total: 0, skipped: 0, message: offMessage() }
      : { state: 'idle', indexed: 0, total: 0, skipped: 0 };
    // the setting is watched from the start, so `status` says 'off' or not even before start()
    this.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!SETTINGS_THAT_REBUILD.some((s) => e.affectsConfiguration(s))) return;
      if (this.off()) this.turnOff();
      else if (this.started) this.scheduleRebuild('settings changed');
      else if (this.current.state === 'off') this.setStatus({ state: 'idle', indexed: 0, total: 0, skipped: 0 });
    }));
  }

  get status(): SearchStatus {
    return { ...this.current };
  }

  /** Starts building the index in the background if not built yet (idempotent). */
  start(): void {
    if (this.started || this.isDisposed || this.off()) return;
    this.started = true;
    const watcher = this.own(vscode.workspace.createFileSystemWatcher('**/*'));
    this.ownAll(
      watcher.onDidCreate((uri) => this.queueChange(uri, false)),
      watcher.onDidChange((uri) => this.queueChange(uri, false)),
      watcher.onDidDelete((uri) => this.queueChange(uri, true)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.queueChange(doc.uri, false)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRebuild('workspace folders changed')),
    );
    void this.rebuild('start');
  }

  /** Starts if needed, waits for the index (or cancellation), returns the best snippets, best first. */
  async search(question: string, limit: number, token?: vscode.CancellationToken): Promise<WorkspaceSnippet[]> {
    if (this.isDisposed) throw new Error(vscode.l10n.t('Workspace search has been shut down.'));
    if (this.off()) return [];
    this.start();
    await this.whenReady(token);
    if (this.current.state === 'off' || limit <= 0) return [];
    this.flushChanges();
    const result = await this.request({ type: 'query', id: 0, question, limit: limit + WIDEN_TOP }, token);
    if (result.type !== 'result') throw new Error(`unexpected answer ${result.type}`);
    const snippets = await this.widen(result.hits, token);
    return snippets.slice(0, limit);
  }

  protected override onDispose(): void {
    clearTimeout(this.changeTimer);
    clearTimeout(this.rebuildTimer);
    this.changes.clear();
    this.stopWorker(new Error(vscode.l10n.t('Workspace search has been shut down.')));
    this.progress?.end();
    for (const wake of [...this.waiting]) wake();
  }

  // --- status -------------------------------------------------------------------------------

  private off(): boolean {
    return vscode.workspace.getConfiguration('hunyuan').get<string>('context.workspaceSearch') === 'off';
  }

  private setStatus(status: SearchStatus): void {
    this.current = status;
    if (this.isDisposed) return;
    this.changed.fire({ ...status });
    for (const wake of [...this.waiting]) wake();
  }

  private turnOff(): void {
    this.generation++;
    clearTimeout(this.rebuildTimer);
    this.changes.clear();
    this.stopWorker(undefined);
    this.progress?.end();
    this.setStatus({ state: 'off', indexed: 0, total: 0, skipped: 0, message: offMessage() });
  }

  private fail(message: string, err?: unknown): void {
    this.log.error(`workspace search: ${message}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
    this.generation++;
    this.stopWorker(new Error(message));
    this.progress?.end();
    this.setStatus({ state: 'failed', indexed: 0, total: 0, skipped: 0, message });
  }

  /** Resolves once the index is ready (or search is off); rejects when it fails, is disposed or `token` is cancelled. */
  private whenReady(token?: vscode.CancellationToken): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const subs: vscode.Disposable[] = [];
      const done = (err?: Error) => {
        this.waiting.delete(check);
        for (const s of subs.splice(0)) s.dispose();
        if (err) reject(err);
        else resolve();
      };
      const check = (): boolean => {
        if (this.isDisposed) done(new Error(vscode.l10n.t('Workspace search has been shut down.')));
        else if (token?.isCancellationRequested) done(new vscode.CancellationError());
        else if (this.current.state === 'ready' || this.current.state === 'off') done();
        else if (this.current.state === 'failed') done(new Error(this.current.message ?? vscode.l10n.t('The workspace index stopped.')));
        else return false;
        return true;
      };
      if (check()) return;
      this.waiting.add(check);
      if (token) subs.push(token.onCancellationRequested(() => check()));
    });
  }

  // --- building -----------------------------------------------------------------------------

  private scheduleRebuild(reason: string): void {
    if (!this.started || this.isDisposed) return;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => void this.rebuild(reason), REBUILD_DEBOUNCE_MS);
  }

  private async rebuild(reason: string): Promise<void> {
    if (this.isDisposed) return;
    if (this.off()) return this.turnOff();
    const generation = ++this.generation;
    clearTimeout(this.rebuildTimer);
    this.listing = true;
    this.setStatus({ state: 'indexing', indexed: 0, total: 0, skipped: 0 });
    this.showProgress(0, 0);
    try {
      // settings.json can hold anything: kept to the setting's declared range (100-200000)
      const raw = vscode.workspace.getConfiguration('hunyuan').get<unknown>('context.maxIndexedFiles');
      const maxFiles = typeof raw === 'number' && Number.isFinite(raw) ? Math.min(200_000, Math.max(100, Math.floor(raw))) : 20000;
      const t0 = Date.now();
      const { specs, files } = await this.listFiles(maxFiles);
      if (generation !== this.generation || this.isDisposed) return;
      this.log.info(`workspace search: indexing ${files.length} files listed in ${Date.now() - t0} ms (${reason})`);
      this.post({ type: 'build', generation, folders: specs, files, maxFiles });
      // changes seen while listing go after the list (the worker applies them in order)
      this.listing = false;
      this.flushChanges();
    } catch (err) {
      if (generation === this.generation) this.fail(vscode.l10n.t('The workspace index could not be built: {0}', errorText(err)), err);
    } finally {
      if (generation === this.generation) this.listing = false;
    }
  }

  /** Every file of the `file:` workspace folders that the exclude settings leave in (the worker applies `.gitignore`). */
  private async listFiles(maxFiles: number): Promise<{ specs: FolderSpec[]; files: FileRef[] }> {
    const all = vscode.workspace.workspaceFolders ?? [];
    const folders = all.filter((f) => f.uri.scheme === 'file');
    this.folders = folders;
    const elsewhere = all.filter((f) => f.uri.scheme !== 'file');
    this.folderNote = !all.length
      ? vscode.l10n.t('No folder is open.')
      : elsewhere.length
        ? vscode.l10n.t('Only folders on this computer\'s disk are indexed; not indexed: {0}', elsewhere.map((f) => f.name).join(', '))
        : undefined;
    const specs: FolderSpec[] = [];
    const files: FileRef[] = [];
    const limit = Math.min(Math.max(maxFiles * LIST_FACTOR, maxFiles + 1000), LIST_MAX);
    for (const [i, folder] of folders.entries()) {
      const patterns = [
        ...excludePatterns(
          vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude'),
          vscode.workspace.getConfiguration('search', folder.uri).get<Record<string, unknown>>('exclude'),
        ),
        ...SECRET_FILE_PATTERNS,
      ];
      const useIgnoreFiles = vscode.workspace.getConfiguration('search', folder.uri).get<boolean>('useIgnoreFiles') !== false;
      specs.push({ root: folder.uri.fsPath, excludes: patterns, useIgnoreFiles });
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), excludeGlob(patterns) ?? null, limit);
      for (const uri of uris) files.push({ fsPath: uri.fsPath, path: vscode.workspace.asRelativePath(uri, folders.length > 1 || all.length > 1), folder: i });
    }
    // shallow files first, so that the file limit leaves out the deepest (generated, vendored) ones
    const depth = (p: string) => p.split('/').length;
    files.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { specs, files };
  }

  private showProgress(processed: number, total: number): void {
    const text = vscode.l10n.t('indexing the workspace ({0}/{1} files)', String(processed), String(total));
    if (this.progress) {
      this.progress.report(text);
      return;
    }
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const state = {
      report: (_t: string) => {},
      end: () => {
        if (this.progress === state) this.progress = undefined;
        end();
      },
    };
    this.progress = state;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Hunyuan') }, (p) => {
      state.report = (t) => p.report({ message: t });
      state.report(text);
      return ended;
    });
  }

  // --- the worker ---------------------------------------------------------------------------

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = vscode.Uri.joinPath(this.extensionUri, 'dist', 'searchWorker.js').fsPath;
    const worker = new Worker(file, { name: 'hunyuan-search' });
    worker.on('message', (msg: WorkerToHost) => this.onMessage(msg));
    worker.on('error', (err) => {
      if (this.worker === worker) this.fail(vscode.l10n.t('The workspace index stopped: {0}', errorText(err)), err);
    });
    worker.on('messageerror', (err) => {
      if (this.worker === worker) this.fail(vscode.l10n.t('The workspace index stopped: {0}', errorText(err)), err);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(vscode.l10n.t('The workspace index stopped: {0}', `exit code ${code}`));
    });
    // the worker does not keep the extension host alive on its own
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private stopWorker(reason: Error | undefined): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
    const err = reason ?? new Error(offMessage());
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private post(msg: HostToWorker): void {
    this.ensureWorker().postMessage(msg);
  }

  /** Sends a query or read to the worker and waits for its answer. */
  private request(msg: Extract<HostToWorker, { id: number }>, token?: vscode.CancellationToken): Promise<WorkerToHost> {
    if (token?.isCancellationRequested) return Promise.reject(new vscode.CancellationError());
    const id = this.nextId++;
    return new Promise<WorkerToHost>((resolve, reject) => {
      const sub = token?.onCancellationRequested(() => {
        this.pending.delete(id);
        sub?.dispose();
        reject(new vscode.CancellationError());
      });
      this.pending.set(id, {
        resolve: (m) => {
          sub?.dispose();
          resolve(m);
        },
        reject: (e) => {
          sub?.dispose();
          reject(e);
        },
      });
      try {
        this.post({ ...msg, id });
      } catch (err) {
        this.pending.delete(id);
        sub?.dispose();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private onMessage(msg: WorkerToHost): void {
    switch (msg.type) {
      case 'progress':
        if (msg.generation !== this.generation || this.current.state !== 'indexing') return;
        this.setStatus({ state: 'indexing', ...counts(msg) });
        this.showProgress(msg.processed, msg.total);
        return;
      case 'built':
        if (msg.generation !== this.generation) return;
        this.log.info(`workspace search: ${msg.indexed} files indexed, ${msg.skipped} skipped, ${msg.ignored} excluded or ignored, in ${msg.ms} ms`);
        this.progress?.end();
        this.setStatus({ state: 'ready', ...counts(msg), ...(this.folderNote ? { message: this.folderNote } : {}) });
        return;
      case 'changed':
        if (this.current.state === 'ready') this.setStatus({ ...this.current, ...counts(msg) });
        return;
      case 'result':
      case 'texts': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg);
        return;
      }
      case 'failed': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (p) p.reject(new Error(vscode.l10n.t('Workspace search failed: {0}', firstLine(msg.message))));
        else if (this.current.state === 'indexing') this.fail(vscode.l10n.t('The workspace index could not be built: {0}', firstLine(msg.message)));
        this.log.error(`workspace search worker: ${msg.message}`);
        return;
      }
    }
  }

  // --- changes ------------------------------------------------------------------------------

  private queueChange(uri: vscode.Uri, deleted: boolean): void {
    if (uri.scheme !== 'file' || !this.started || this.isDisposed || this.current.state === 'off' || this.current.state === 'failed') return;
    if (path.basename(uri.fsPath) === '.gitignore') return this.scheduleRebuild('.gitignore changed');
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const index = folder ? this.folders.findIndex((f) => f.uri.toString() === folder.uri.toString()) : -1;
    if (index < 0) return;
    const all = vscode.workspace.workspaceFolders ?? [];
    this.changes.set(uri.fsPath, { file: { fsPath: uri.fsPath, path: vscode.workspace.asRelativePath(uri, all.length > 1), folder: index }, deleted });
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.flushChanges(), CHANGE_DEBOUNCE_MS);
  }

  /** Sends the changes waiting for their debounce now (a query sent after them sees them). */
  private flushChanges(): void {
    clearTimeout(this.changeTimer);
    if (!this.changes.size || this.listing || this.current.state === 'off' || this.current.state === 'failed') return;
    const changes = [...this.changes.values()];
    this.changes.clear();
    this.log.debug(`workspace search: ${changes.length} changed: ${changes.slice(0, 5).map((c) => `${c.deleted ? '-' : ''}${c.file.path}`).join(', ')}`);
    this.post({ type: 'changes', changes });
  }

  // --- results ------------------------------------------------------------------------------

  /** The hits as snippets, the best few widened to whole functions where symbols show them; overlapping ones joined. */
  private async widen(hits: WorkerHit[], token?: vscode.CancellationToken): Promise<WorkspaceSnippet[]> {
    const top = [...new Set(hits.slice(0, WIDEN_TOP).map((h) => h.fsPath))];
    const symbols = new Map<string, LineSpan[]>();
    await Promise.all(top.map(async (fsPath) => {
      const spans = await withTimeout(documentSymbols(vscode.Uri.file(fsPath)), SYMBOLS_TIME_LIMIT_MS).catch(() => undefined);
      if (spans?.length) symbols.set(fsPath, spans);
    }));
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const widened = hits.map((h, i) => {
      const s = i < WIDEN_TOP ? symbols.get(h.fsPath) : undefined;
      const span = s ? widenToSymbols(h, s) : { start: h.start, end: h.end };
      return { ...span, path: h.fsPath };
    });
    const joined = joinSpans(widened);
    const reread = joined.filter((j) => j.start !== hits[j.from[0]].start || j.end !== hits[j.from[0]].end);
    const texts = new Map<(typeof joined)[number], string>();
    if (reread.length) {
      const answer = await this.request({ type: 'read', id: 0, ranges: reread.map((j) => ({ fsPath: j.path, start: j.start, end: j.end })) }, token);
      if (answer.type === 'texts') reread.forEach((j, k) => texts.set(j, answer.texts[k] ?? ''));
    }
    return joined.map((j) => {
      const best = hits[j.from[0]];
      const text = texts.get(j) ?? best.text;
      const uri = vscode.Uri.file(best.fsPath);
      return {
        uri: uri.toString(),
        path: best.path,
        startLine: j.start + 1,
        endLine: Math.max(j.start + 1, j.end),
        languageId: this.languageOf(uri),
        text,
        score: best.score,
      };
    });
  }

  /** The language of a file: its open document's, else the one VS Code's language contributions give its name or extension. */
  private languageOf(uri: vscode.Uri): string {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.languageId;
    if (!this.languages) {
      const byExtension = new Map<string, string>();
      const byName = new Map<string, string>();
      for (const ext of vscode.extensions.all) {
        const langs = (ext.packageJSON as { contributes?: { languages?: unknown } } | undefined)?.contributes?.languages;
        if (!Array.isArray(langs)) continue;
        for (const lang of langs as Array<{ id?: unknown; extensions?: unknown; filenames?: unknown }>) {
          if (typeof lang.id !== 'string') continue;
          for (const e of Array.isArray(lang.extensions) ? lang.extensions : []) {
            if (typeof e === 'string' && !byExtension.has(e.toLowerCase())) byExtension.set(e.toLowerCase(), lang.id);
          }
          for (const n of Array.isArray(lang.filenames) ? lang.filenames : []) {
            if (typeof n === 'string' && !byName.has(n)) byName.set(n, lang.id);
          }
        }
      }
      this.languages = { byExtension, byName };
    }
    const name = path.basename(uri.fsPath);
    const byName = this.languages.byName.get(name);
    if (byName) return byName;
    // the longest matching extension (`.d.ts` before `.ts`)
    const lower = name.toLowerCase();
    for (let dot = lower.indexOf('.'); dot >= 0; dot = lower.indexOf('.', dot + 1)) {
      const id = this.languages.byExtension.get(lower.slice(dot));
      if (id) return id;
    }
    return 'plaintext';
  }
}

function counts(c: IndexCounts): IndexCounts {
  return { indexed: c.indexed, total: c.total, skipped: c.skipped };
}

function offMessage(): string {
  return vscode.l10n.t('Workspace search is off (hunyuan.context.workspaceSearch).');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}

/** The code symbols of a file (functions, methods, members, classes) as 0-based line spans, [start, end). */
async function documentSymbols(uri: vscode.Uri): Promise<LineSpan[]> {
  const result = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>(
    'vscode.executeDocumentSymbolProvider', uri,
  );
  const spans: LineSpan[] = [];
  const add = (kind: vscode.SymbolKind, range: vscode.Range) => {
    if (NOT_CODE.has(kind)) return;
    const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
    spans.push({ start: range.start.line, end });
  };
  const visit = (symbols: readonly vscode.DocumentSymbol[]) => {
    for (const s of symbols) {
      add(s.kind, s.range);
      if (s.children?.length) visit(s.children);
    }
  };
  for (const s of result ?? []) {
    if ('children' in s) visit([s]);
    else if ('location' in s) add(s.kind, s.location.range);
  }
  return spans;
}

