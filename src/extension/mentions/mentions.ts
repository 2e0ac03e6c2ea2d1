/**
 * What the chat's @-mentions (and #-references: both triggers offer the same) list, and what a
 * picked entry becomes: a context chip read at that moment, its tokens counted, trimmed to the
 * budget it is given (src/core/context/trim.ts says what was left out).
 *
 * Kinds offered:
 * - **Files and folders** of every workspace folder, less `files.exclude`, `search.exclude` and
 *   `.gitignore` (`search.useIgnoreFiles: false` turns that last off), matched fuzzily on the
 *   relative path (src/core/context/fuzzy.ts). The list is kept and listed again after files are
 *   created or deleted, a `.gitignore` or the exclude settings change. Open and recently picked
 *   files rank first among equals. A folder's chip lists its files and holds the contents of as
 *   many of them as the budget allows, smallest first (more files seen whole, rather than one
 *   large file cut), shown in path order.
 * - **Workspace symbols** (`vscode.executeWorkspaceSymbolProvider`, for a query of 2 or more
 *   characters); the chip is the symbol's whole definition: its range among the file's document
 *   symbols, else the symbol's lines and a few around them.
 * - **Open Editors**: every open text tab, each cut to its share of the budget.
 * - **Problems** of the current file and of all files (`vscode.languages.getDiagnostics`), errors
 *   first, each as `path:line:col severity message` with the offending line under it.
 * - **Git changes** through the built-in Git extension's API: staged, unstaged, and against a few
 *   local branches. Not offered when the Git extension is missing or disabled.
 * - **Terminal: last command**: the active terminal's last command line and its output, recorded
 *   through shell integration (`window.onDidStartTerminalShellExecution` /
 *   `onDidEndTerminalShellExecution`, VS Code 1.93+, checked at run time since the engine is
 *   ^1.90). Without it, or before a command ran, the entry says why and resolves to nothing.
 * - **Selection** of the chat's last text editor, and **@workspace** (a search when the message is
 *   sent) when workspace search is on.
 *
 * The special entries match by their names in English and Chinese ("prob", "问题", "git", "变更",
 * "term", "终端"). With an empty query the list is the special entries, then open and recent files.
 * Ids are opaque and remembered for the last few lists only: the webview can only name an entry it
 * was offered, never a path.
 */
import * as vscode from 'vscode';
import type { ContextChip, ContextKind } from '../../common/chat/model';
import type { MentionItem } from '../../common/chat/protocol';
import { estimateTokens } from '../../core/budget/tokens';
import { fenceFor, formatChip } from '../../core/chat/prompt';
import { rank } from '../../core/context/fuzzy';
import { cleanTerminalOutput } from '../../core/context/terminal';
import { trimChip, type OmittedWords } from '../../core/context/trim';
import { GitignoreRules } from '../../core/search/gitignore';
import { excludeGlob, excludePatterns } from '../../core/search/globs';
import { selectionChip } from '../chat/editorContext';
import { documentLabel } from '../documents';
import { Owner } from '../disposables';
import type { Logger } from '../log/logger';
import { GIT_EXTENSION_ID, type GitExtension, type GitRepository } from '../scm/git';
import { withTimeout } from '../timeout';

/** At most this many entries in a list. */
export const MAX_ITEMS = 50;
/** At most this many symbols among them. */
const MAX_SYMBOLS = 15;
/** Lists whose ids are still resolved (the current one and a few before it, for a slow pick). */
const KEPT_LISTS = 4;
/** Files listed per workspace folder, at most. */
const MAX_FILES_PER_FOLDER = 20000;
/** Local branches offered for "Changes against <branch>". */
const MAX_BRANCHES = 3;
/** Local branches are read again after this long. */
const BRANCHES_TTL_MS = 5000;
/** Git repositories offered. */
const MAX_REPOSITORIES = 3;
/** Files whose diff against a branch is read, at most. */
const MAX_BRANCH_DIFF_FILES = 60;
/** A folder chip lists at most this many files… */
const MAX_FOLDER_LISTING = 400;
/** …and reads at most this many of them to choose the contents. */
const MAX_FOLDER_READS = 120;
/** Open editors in the Open Editors chip, at most. */
const MAX_EDITORS = 20;
/** Problems listed, at most (before trimming). */
const MAX_PROBLEMS = 300;
/** A terminal command's output kept, at most (its end). */
const MAX_TERMINAL_OUTPUT = 256 * 1024;
/** How long a terminal chip waits for the rest of a command's output after the command ended. */
const TERMINAL_DRAIN_MS = 2000;
/** Files bigger than this are read in part (enough for any budget of a 32K window). */
const MAX_READ_BYTES = 1024 * 1024;
/** Workspace symbols may take this long (a language server starting); then the list goes without them. */
const SYMBOLS_TIME_LIMIT_MS = 2500;
/** Lines around a symbol's location when its document symbols do not give its range. */
const SYMBOL_CONTEXT_LINES = 3;

/** Extensions of files that are never text: not offered. */
const BINARY = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'tiff', 'psd', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'jar', 'war',
  'class', 'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'pyc', 'wasm', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4',
  'wav', 'ogg', 'flac', 'mov', 'avi', 'mkv', 'webm', 'vsix', 'node', 'bin', 'dat', 'db', 'sqlite', 'ds_store',
]);

// ---- the newer APIs, declared here (engine ^1.90) ------------------------------------------------

interface ShellExecution {
  readonly commandLine: { readonly value: string };
  read(): AsyncIterable<string>;
}
interface ShellExecutionStart {
  readonly terminal: vscode.Terminal;
  readonly execution: ShellExecution;
}
interface ShellExecutionEnd extends ShellExecutionStart {
  readonly exitCode: number | undefined;
}
interface ShellIntegrationEvents {
  readonly onDidStartTerminalShellExecution: vscode.Event<ShellExecutionStart>;
  readonly onDidEndTerminalShellExecution: vscode.Event<ShellExecutionEnd>;
}

/** Terminal shell execution events of VS Code 1.93+, or undefined before. */
function shellIntegrationEvents(): ShellIntegrationEvents | undefined {
  const w = vscode.window as unknown as Partial<ShellIntegrationEvents>;
  return typeof w.onDidStartTerminalShellExecution === 'function' && typeof w.onDidEndTerminalShellExecution === 'function'
    ? (w as ShellIntegrationEvents)
    : undefined;
}

/** The parts of the Git API used here beyond src/extension/scm/git.ts. */
interface GitRef {
  readonly type?: number;
  readonly name?: string;
}
interface GitChangeEntry {
  readonly uri: vscode.Uri;
}
interface MentionRepository extends GitRepository {
  readonly state: GitRepository['state'] & { readonly HEAD?: { readonly name?: string }; readonly refs?: readonly GitRef[] };
  diffWith(ref: string): Promise<GitChangeEntry[]>;
  diffWith(ref: string, path: string): Promise<string>;
  getBranches?(query: { remote?: boolean; count?: number; sort?: 'alphabetically' | 'committerdate' }): Promise<GitRef[]>;
}
/** `RefType.Head`: a local branch. */
const REF_HEAD = 0;

// ---- what an entry is ---------------------------------------------------------------------------

interface FileEntry {
  uri: vscode.Uri;
  /** Workspace-relative, `/`-separated, with the folder's name first when there are several. */
  path: string;
  name: string;
  isFolder: boolean;
}

type Offer =
  | { kind: 'file' | 'folder'; entry: FileEntry }
  | { kind: 'symbol'; symbol: vscode.SymbolInformation; path: string }
  | { kind: 'editors' }
  | { kind: 'problems'; scope: 'current' | 'all' }
  | { kind: 'git'; repo: MentionRepository; which: 'staged' | 'unstaged' | { branch: string }; label: string }
  | { kind: 'terminal'; terminal: vscode.Terminal }
  | { kind: 'selection' }
  | { kind: 'workspace' };

interface Candidate {
  item: Omit<MentionItem, 'id'>;
  offer: Offer;
  /** What the query is matched against. */
  keys: string[];
  /** Ranked before others of the same tier: 2 special entries, 1 open and recent files. */
  priority: number;
}

interface TerminalRecord {
  commandLine: string;
  /** Raw while it is read, cleaned (cleanTerminalOutput) once `read`. */
  output: string;
  exitCode: number | undefined;
  read: boolean;
  /** Resolves when the output stream has ended. */
  done: Promise<void>;
}

export interface MentionsOptions {
  /** The chat's last text editor (the webview has focus while the list is asked for). */
  lastEditor: () => vscode.TextEditor | undefined;
  workspaceSearchEnabled: () => boolean;
}

export class Mentions extends Owner implements vscode.Disposable {
  private files: FileEntry[] | undefined;
  private listing: Promise<FileEntry[]> | undefined;
  private stale = true;
  private watching = false;
  private readonly offered = new Map<string, Offer>();
  /** Ids of each of the last lists, oldest first. */
  private readonly lists: string[][] = [];
  private seq = 0;
  /** Files picked, most recent first (uri strings). */
  private readonly recent: string[] = [];
  private readonly terminals = new Map<vscode.Terminal, TerminalRecord>();
  /** Commands running (their output being read), by execution. */
  private readonly running = new Map<ShellExecution, TerminalRecord>();
  private readonly shell = shellIntegrationEvents();
  private readonly words: OmittedWords;

  constructor(private readonly log: Logger, private readonly options: MentionsOptions) {
    super();
    this.words = omittedWords();
    if (this.shell) {
      this.own(this.shell.onDidStartTerminalShellExecution((e) => this.recordStart(e)));
      this.own(this.shell.onDidEndTerminalShellExecution((e) => this.recordEnd(e)));
      this.own(vscode.window.onDidCloseTerminal((t) => this.terminals.delete(t)));
    }
  }

  /**
   * Follows the workspace's files once the list is first asked for (not at activation): a file
   * created or deleted, a .gitignore, the folders or the exclude settings changed make the cached
   * list stale, and the next query lists the files again.
   */
  private watchFiles(): void {
    if (this.watching) return;
    this.watching = true;
    const invalidate = () => {
      this.stale = true;
    };
    const watcher = this.own(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
    this.own(watcher.onDidCreate(invalidate));
    this.own(watcher.onDidDelete(invalidate));
    const ignores = this.own(vscode.workspace.createFileSystemWatcher('**/.gitignore'));
    this.own(ignores.onDidChange(invalidate));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(invalidate));
    this.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude') || e.affectsConfiguration('search.useIgnoreFiles')) invalidate();
    }));
  }

  protected override onDispose(): void {
    this.offered.clear();
    this.terminals.clear();
  }

  // ---- the list ---------------------------------------------------------------------------------

  /** The completion list for what was typed after `@` or `#` (both offer the same), best first, at most MAX_ITEMS. */
  async query(_trigger: '@' | '#', query: string, token?: vscode.CancellationToken): Promise<MentionItem[]> {
    this.watchFiles();
    const q = query.trim();
    const [files, symbols, specials] = await Promise.all([
      this.fileCandidates(q),
      q.length >= 2 ? this.symbolCandidates(q, token) : Promise.resolve([]),
      this.specialCandidates(),
    ]);
    if (token?.isCancellationRequested || this.isDisposed) return [];
    let ranked: Candidate[];
    if (!q) {
      ranked = [...specials, ...files.filter((c) => c.priority > 0)].slice(0, MAX_ITEMS);
    } else {
      // symbols: the provider matched them already; the best few join the rest
      const syms = rank(q, symbols, (c) => c.keys, MAX_SYMBOLS);
      ranked = rank(q, [...specials, ...files, ...syms], (c) => c.keys, MAX_ITEMS, (c) => c.priority);
    }
    return this.remember(ranked);
  }

  /** The chip for an id of the last lists offered; undefined when the id is unknown, stale, or its content cannot be read. */
  async resolve(id: string, maxChipTokens: number): Promise<ContextChip | undefined> {
    const offer = this.offered.get(id);
    if (!offer) return undefined;
    const budget = Math.max(1, Math.floor(maxChipTokens));
    try {
      const chip = await this.chipFor(offer, budget);
      if (!chip) return undefined;
      if (offer.kind === 'file') this.rememberRecent(offer.entry.uri);
      return chip.tokens !== undefined && chip.tokens <= budget ? chip : trimChip(chip, budget, this.words);
    } catch (err) {
      this.log.warn(`mentions: could not read ${offer.kind} (${err instanceof Error ? err.message : String(err)})`);
      return undefined;
    }
  }

  private remember(candidates: Candidate[]): MentionItem[] {
    const ids: string[] = [];
    const items = candidates.map((c) => {
      const id = `mention-${(this.seq++).toString(36)}`;
      this.offered.set(id, c.offer);
      ids.push(id);
      return { id, ...c.item };
    });
    this.lists.push(ids);
    while (this.lists.length > KEPT_LISTS) for (const old of this.lists.shift() ?? []) this.offered.delete(old);
    return items;
  }

  private rememberRecent(uri: vscode.Uri): void {
    const key = uri.toString();
    const i = this.recent.indexOf(key);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(key);
    this.recent.length = Math.min(this.recent.length, 20);
  }

  // ---- files and folders ------------------------------------------------------------------------

  private async fileCandidates(query: string): Promise<Candidate[]> {
    const files = await this.fileList();
    const open = new Set(openTabUris().map((u) => u.toString()));
    const recentRank = new Map(this.recent.map((u, i) => [u, i]));
    const entries = query ? files : files.filter((f) => open.has(f.uri.toString()) || recentRank.has(f.uri.toString()));
    const candidates = entries.map((entry): Candidate => {
      const key = entry.uri.toString();
      const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
      return {
        item: { kind: entry.isFolder ? 'folder' : 'file', label: entry.name, ...(dir ? { detail: dir } : {}) },
        offer: { kind: entry.isFolder ? 'folder' : 'file', entry },
        keys: [entry.name, entry.path],
        priority: open.has(key) || recentRank.has(key) ? 1 : 0,
      };
    });
    // recent picks first, then open files, then the rest (shallow first, as listed)
    const order = (c: Candidate) => {
      const k = (c.offer as { entry: FileEntry }).entry.uri.toString();
      return recentRank.get(k) ?? (open.has(k) ? 100 : 1000);
    };
    return [...candidates].sort((a, b) => order(a) - order(b));
  }

  /**
   * The workspace's files and folders (cached; listed again once something changed). While a list
   * is read again, the previous one answers (a keystroke never waits for a listing but the first).
   */
  private async fileList(): Promise<FileEntry[]> {
    if (this.files && !this.stale) return this.files;
    if (!this.listing) {
      this.stale = false;
      this.listing = this.listFiles().then(
        (files) => {
          this.files = files;
          this.listing = undefined;
          return files;
        },
        (err: unknown) => {
          this.listing = undefined;
          this.stale = true;
          this.log.warn(`mentions: could not list the workspace's files (${err instanceof Error ? err.message : String(err)})`);
          return this.files ?? [];
        },
      );
    }
    return this.files ?? this.listing;
  }

  /** The list as it is once every change so far is in (for a chip: a folder's files). */
  private async freshFileList(): Promise<FileEntry[]> {
    const files = await this.fileList();
    return this.listing ?? files;
  }

  private async listFiles(): Promise<FileEntry[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: FileEntry[] = [];
    for (const folder of folders) out.push(...await listWorkspaceFolder(folder, folders.length > 1));
    return sortEntries(out);
  }

  // ---- symbols ----------------------------------------------------------------------------------

  private async symbolCandidates(query: string, token?: vscode.CancellationToken): Promise<Candidate[]> {
    let symbols: vscode.SymbolInformation[] | undefined;
    try {
      symbols = await withTimeout(
        vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query),
        SYMBOLS_TIME_LIMIT_MS,
      );
    } catch (err) {
      this.log.debug(`mentions: workspace symbols failed (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!symbols || token?.isCancellationRequested) return [];
    const inWorkspace = symbols.filter((s) => s?.location?.uri && vscode.workspace.getWorkspaceFolder(s.location.uri));
    return inWorkspace.slice(0, 200).map((symbol): Candidate => {
      const path = relativePath(symbol.location.uri);
      const kind = symbolKindName(symbol.kind);
      const name = bareName(symbol.name);
      return {
        item: { kind: 'symbol', label: name, detail: `${kind} · ${path}:${symbol.location.range.start.line + 1}` },
        offer: { kind: 'symbol', symbol, path },
        keys: [name, ...(symbol.containerName ? [`${symbol.containerName}.${name}`] : [])],
        priority: 0,
      };
    });
  }

  // ---- the special entries ------------------------------------------------------------------------

  private async specialCandidates(): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const special = (kind: ContextKind, label: string, detail: string | undefined, offer: Offer, names: string[]) => {
      out.push({ item: { kind, label, ...(detail ? { detail } : {}) }, offer, keys: [label, ...names], priority: 2 });
    };
    const editor = this.options.lastEditor();
    if (editor && !editor.selection.isEmpty) {
      const s = editor.selection;
      const end = s.end.character === 0 && s.end.line > s.start.line ? s.end.line : s.end.line + 1;
      special('selection', vscode.l10n.t('Selection'), `${documentLabel(editor.document)}:${s.start.line + 1}-${end}`, { kind: 'selection' },
        ['Selection', 'selected code', '选中内容', '选中的代码', '选区']);
    }
    if (editor) {
      const n = vscode.languages.getDiagnostics(editor.document.uri).length;
      special('problems', vscode.l10n.t('Problems in current file'), `${documentLabel(editor.document)} · ${problemCount(n)}`, { kind: 'problems', scope: 'current' },
        ['Problems in current file', 'problems', 'errors', 'diagnostics', 'warnings', '当前文件的问题', '问题', '错误', '诊断']);
    }
    const all = vscode.languages.getDiagnostics().reduce((sum, [, d]) => sum + d.length, 0);
    special('problems', vscode.l10n.t('All problems'), problemCount(all), { kind: 'problems', scope: 'all' },
      ['All problems', 'problems', 'errors', 'diagnostics', 'warnings', '所有问题', '全部问题', '问题', '错误', '诊断']);
    const tabs = openTabUris();
    if (tabs.length) {
      special('editors', vscode.l10n.t('Open Editors'), vscode.l10n.t('{0} files', tabs.length), { kind: 'editors' },
        ['Open Editors', 'editors', 'tabs', 'open files', '打开的编辑器', '编辑器', '打开的文件', '标签页']);
    }
    for (const c of await this.gitCandidates()) out.push(c);
    const terminal = vscode.window.activeTerminal;
    if (terminal) {
      const record = this.terminals.get(terminal);
      const detail = !this.shell
        ? vscode.l10n.t('needs shell integration (VS Code 1.93 or later)')
        : record
          ? record.commandLine
          : vscode.l10n.t('no command recorded yet (needs shell integration)');
      special('terminal', vscode.l10n.t('Terminal: last command'), detail, { kind: 'terminal', terminal },
        ['Terminal: last command', 'terminal', 'shell', 'command', 'output', 'console', '终端', '终端：上一条命令', '命令', '输出']);
    }
    if (this.options.workspaceSearchEnabled()) {
      special('workspace', '@workspace', vscode.l10n.t('search the workspace when sent'), { kind: 'workspace' },
        ['workspace', 'codebase', 'search', 'project', '工作区', '代码库', '搜索', '项目']);
    }
    return out;
  }

  private async gitCandidates(): Promise<Candidate[]> {
    const repos = await this.gitRepositories();
    if (!repos.length) return [];
    const out: Candidate[] = [];
    const several = repos.length > 1;
    for (const repo of repos) {
      const name = repo.rootUri.path.slice(repo.rootUri.path.lastIndexOf('/') + 1);
      const suffix = several ? ` (${name})` : '';
      const add = (which: 'staged' | 'unstaged' | { branch: string }, label: string, detail: string, names: string[]) => {
        out.push({
          item: { kind: 'git', label: label + suffix, detail },
          offer: { kind: 'git', repo, which, label: label + suffix },
          keys: [label, ...names, ...(several ? [name] : [])],
          priority: 2,
        });
      };
      const staged = repo.state.indexChanges.length;
      const unstaged = repo.state.workingTreeChanges.length;
      add('staged', vscode.l10n.t('Staged changes'), vscode.l10n.t('git diff --cached · {0} files', staged),
        ['Staged changes', 'git', 'changes', 'diff', 'index', 'cached', '暂存的更改', 'Git 更改', '变更', '更改', '暂存']);
      add('unstaged', vscode.l10n.t('Unstaged changes'), vscode.l10n.t('git diff · {0} files', unstaged),
        ['Unstaged changes', 'git', 'changes', 'diff', 'working tree', '未暂存的更改', 'Git 更改', '变更', '更改', '工作区更改']);
      for (const branch of await this.localBranches(repo)) {
        add({ branch }, vscode.l10n.t('Changes against {0}', branch), `git diff ${branch}`,
          [`Changes against ${branch}`, branch, 'git', 'branch', 'changes', 'diff', '分支', '变更', '更改', '差异']);
      }
    }
    return out;
  }

  private async gitRepositories(): Promise<MentionRepository[]> {
    const ext = vscode.extensions.getExtension<GitExtension>(GIT_EXTENSION_ID);
    if (!ext) return [];
    try {
      const exports = ext.isActive ? ext.exports : await withTimeout(Promise.resolve(ext.activate()), 3000);
      if (!exports?.enabled) return [];
      const api = exports.getAPI(1);
      if (api.state !== 'initialized') return [];
      const repos = api.repositories as MentionRepository[];
      // repositories of the workspace first
      const inWorkspace = (r: MentionRepository) => (vscode.workspace.getWorkspaceFolder(r.rootUri) ? 0 : 1);
      return [...repos].sort((a, b) => inWorkspace(a) - inWorkspace(b)).slice(0, MAX_REPOSITORIES);
    } catch (err) {
      this.log.debug(`mentions: the Git extension is not available (${err instanceof Error ? err.message : String(err)})`);
      return [];
    }
  }

  /** A repository's local branches as last read, for BRANCHES_TTL_MS (the list is asked for at every keystroke). */
  private readonly branches = new WeakMap<MentionRepository, { at: number; names: Promise<string[]> }>();

  private localBranches(repo: MentionRepository): Promise<string[]> {
    const cached = this.branches.get(repo);
    if (cached && Date.now() - cached.at < BRANCHES_TTL_MS) return cached.names;
    const names = this.readLocalBranches(repo);
    this.branches.set(repo, { at: Date.now(), names });
    return names;
  }

  private async readLocalBranches(repo: MentionRepository): Promise<string[]> {
    const head = repo.state.HEAD?.name;
    let refs: readonly GitRef[] = [];
    try {
      refs = typeof repo.getBranches === 'function'
        ? (await withTimeout(repo.getBranches({ remote: false, sort: 'committerdate', count: MAX_BRANCHES + 1 }), 2000)) ?? []
        : repo.state.refs ?? [];
    } catch {
      refs = repo.state.refs ?? [];
    }
    return refs
      .filter((r) => (r.type === undefined || r.type === REF_HEAD) && r.name && r.name !== head)
      .map((r) => r.name as string)
      .slice(0, MAX_BRANCHES);
  }

  // ---- chips ------------------------------------------------------------------------------------

  private async chipFor(offer: Offer, budget: number): Promise<ContextChip | undefined> {
    switch (offer.kind) {
      case 'file':
        return this.fileChip(offer.entry, budget);
      case 'folder':
        return this.folderChip(offer.entry, budget);
      case 'symbol':
        return this.symbolChip(offer.symbol, offer.path);
      case 'editors':
        return this.editorsChip(budget);
      case 'problems':
        return this.problemsChip(offer.scope);
      case 'git':
        return this.gitChip(offer.repo, offer.which, offer.label);
      case 'terminal':
        return this.terminalChip(offer.terminal);
      case 'selection': {
        const editor = this.options.lastEditor();
        if (!editor || editor.selection.isEmpty) return undefined;
        return { ...selectionChip(editor), id: this.chipId() };
      }
      case 'workspace':
        return {
          id: this.chipId(), kind: 'workspace', uri: '', label: '@workspace', languageId: 'markdown', startLine: 1, endLine: 1, text: '',
          detail: vscode.l10n.t('search when sent'), tokens: 0,
        };
    }
  }

  private chipId(): string {
    return `ctx-mention-${Date.now().toString(36)}-${(this.seq++).toString(36)}`;
  }

  private finish(chip: Omit<ContextChip, 'id'>, budget: number): ContextChip {
    return trimChip({ id: this.chipId(), ...chip }, budget, this.words);
  }

  private async fileChip(entry: FileEntry, budget: number): Promise<ContextChip | undefined> {
    const read = await readText(entry.uri, budget);
    if (!read) return undefined;
    const chip = this.finish({
      kind: 'file', uri: entry.uri.toString(), label: entry.path, languageId: read.languageId, startLine: 1, endLine: read.totalLines, text: read.text,
    }, budget);
    if (!read.partial) return chip;
    // the text was read in part: say what was left out of the whole file
    let kept = chip.omitted ? chip.text.split('\n').length : read.text.split('\n').length;
    let lines = chip.text.split('\n');
    for (;;) {
      const fixed: ContextChip = { ...chip, text: lines.join('\n'), omitted: this.words.lines(kept + 1, read.totalLines, 1, read.totalLines) };
      fixed.tokens = estimateTokens(formatChip(fixed));
      if (fixed.tokens <= budget || !lines.length) return fixed;
      lines = lines.slice(0, -1);
      kept = lines.length;
    }
  }

  private async folderChip(entry: FileEntry, budget: number): Promise<ContextChip | undefined> {
    const files = (await this.freshFileList()).filter((f) => !f.isFolder && f.path.startsWith(`${entry.path}/`));
    return buildFolderChip(this.chipId(), entry, files, budget, this.words);
  }

  private async symbolChip(symbol: vscode.SymbolInformation, path: string): Promise<ContextChip | undefined> {
    const doc = await vscode.workspace.openTextDocument(symbol.location.uri);
    const at = symbol.location.range.start;
    let range: vscode.Range | undefined;
    try {
      const found = await withTimeout(
        vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', doc.uri),
        SYMBOLS_TIME_LIMIT_MS,
      );
      range = definitionRange(found ?? [], symbol.name, at);
    } catch {
      range = undefined;
    }
    if (!range) {
      const loc = symbol.location.range;
      range = loc.isSingleLine || loc.isEmpty
        ? new vscode.Range(Math.max(0, loc.start.line - SYMBOL_CONTEXT_LINES), 0, Math.min(doc.lineCount - 1, loc.end.line + SYMBOL_CONTEXT_LINES), 0)
        : loc;
    }
    const first = range.start.line;
    const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
    const text = doc.getText(new vscode.Range(first, 0, last, doc.lineAt(last).text.length));
    return {
      id: this.chipId(), kind: 'symbol', uri: doc.uri.toString(), label: bareName(symbol.name), languageId: doc.languageId,
      startLine: first + 1, endLine: last + 1, text, detail: `${symbolKindName(symbol.kind)} · ${path}`,
    };
  }

  private async editorsChip(budget: number): Promise<ContextChip | undefined> {
    const uris = openTabUris();
    if (!uris.length) return undefined;
    const shown = uris.slice(0, MAX_EDITORS);
    const docs: vscode.TextDocument[] = [];
    for (const uri of shown) {
      try {
        docs.push(await vscode.workspace.openTextDocument(uri));
      } catch {
        // a tab whose file is gone or binary
      }
    }
    const head = estimateTokens(`Open editors (${docs.length} files):\n`) + 8;
    const share = Math.max(40, Math.floor((budget - head) / Math.max(1, docs.length)) - 4);
    const sections = docs.map((doc) => formatChip(trimChip({
      id: '', kind: 'file', uri: doc.uri.toString(), label: documentLabel(doc), languageId: doc.languageId, startLine: 1, endLine: doc.lineCount, text: doc.getText(),
    }, share, this.words)));
    return this.finish({
      kind: 'editors', uri: '', label: vscode.l10n.t('Open Editors'), languageId: '', startLine: 1, endLine: 1, text: sections.join('\n\n'),
      detail: vscode.l10n.t('{0} files', docs.length),
      ...(uris.length > shown.length ? { omitted: this.words.files(uris.length - shown.length, uris.length) } : {}),
    }, budget);
  }

  private async problemsChip(scope: 'current' | 'all'): Promise<ContextChip | undefined> {
    let entries: [vscode.Uri, readonly vscode.Diagnostic[]][];
    let label: string;
    let uri = '';
    if (scope === 'current') {
      const editor = this.options.lastEditor();
      if (!editor) return undefined;
      entries = [[editor.document.uri, vscode.languages.getDiagnostics(editor.document.uri)]];
      label = documentLabel(editor.document);
      uri = editor.document.uri.toString();
    } else {
      entries = vscode.languages.getDiagnostics();
      label = vscode.l10n.t('All problems');
    }
    const all = entries.flatMap(([u, ds]) => ds.map((d) => ({ uri: u, d })));
    all.sort((a, b) => a.d.severity - b.d.severity || compare(relativePath(a.uri), relativePath(b.uri)) || a.d.range.start.line - b.d.range.start.line);
    const shown = all.slice(0, MAX_PROBLEMS);
    const lineCache = new Map<string, string[] | undefined>();
    const lineOf = async (u: vscode.Uri, line: number): Promise<string | undefined> => {
      const key = u.toString();
      if (!lineCache.has(key)) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        let lines: string[] | undefined;
        if (open) lines = open.getText().split(/\r?\n/);
        else if (lineCache.size < 50) lines = (await readText(u, 100000, false).catch(() => undefined))?.text.split(/\r?\n/);
        lineCache.set(key, lines);
      }
      return lineCache.get(key)?.[line];
    };
    const out: string[] = [];
    for (const { uri: u, d } of shown) {
      const where = `${relativePath(u)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const code = typeof d.code === 'object' && d.code ? d.code.value : d.code;
      const source = d.source ? ` (${d.source}${code !== undefined && code !== '' ? ` ${code}` : ''})` : code !== undefined && code !== '' ? ` (${code})` : '';
      const [firstLine, ...rest] = d.message.split(/\r?\n/);
      out.push(`${where} ${severityName(d.severity)} ${firstLine}${source}`);
      for (const more of rest) if (more.trim()) out.push(`  ${more.trimEnd()}`);
      const text = await lineOf(u, d.range.start.line);
      if (text !== undefined && text.trim()) out.push(`  > ${text.trim()}`);
    }
    return {
      id: this.chipId(), kind: 'problems', uri, label, languageId: '', startLine: 1, endLine: 1, text: out.join('\n'),
      detail: problemCount(all.length),
      ...(all.length > shown.length ? { omitted: this.words.problems(all.length - shown.length, all.length) } : {}),
    };
  }

  private async gitChip(repo: MentionRepository, which: 'staged' | 'unstaged' | { branch: string }, label: string): Promise<ContextChip | undefined> {
    let text: string;
    let omitted: string | undefined;
    let detail: string;
    if (which === 'staged' || which === 'unstaged') {
      text = await repo.diff(which === 'staged');
      detail = which === 'staged' ? 'git diff --cached' : 'git diff';
    } else {
      const changes = await repo.diffWith(which.branch);
      const parts: string[] = [];
      for (const change of changes.slice(0, MAX_BRANCH_DIFF_FILES)) parts.push(await repo.diffWith(which.branch, change.uri.fsPath));
      text = parts.filter((p) => p.trim()).map((p) => p.replace(/\n$/, '')).join('\n');
      if (changes.length > MAX_BRANCH_DIFF_FILES) omitted = this.words.files(changes.length - MAX_BRANCH_DIFF_FILES, changes.length);
      detail = `git diff ${which.branch}`;
    }
    text = text.replace(/\n$/, '');
    const files = (text.match(/^diff --git /gm) ?? []).length;
    return {
      id: this.chipId(), kind: 'git', uri: '', label, languageId: 'diff', startLine: 1, endLine: 1, text,
      detail: `${detail} · ${vscode.l10n.t('{0} files', files)}`, ...(omitted ? { omitted } : {}),
    };
  }

  private async terminalChip(terminal: vscode.Terminal): Promise<ContextChip | undefined> {
    const record = this.terminals.get(terminal);
    if (!record) return undefined;
    // the end of a command can come before the end of its output
    await withTimeout(record.done, TERMINAL_DRAIN_MS);
    const output = (record.read ? record.output : cleanTerminalOutput(record.output)).replace(/\n+$/, '');
    const text = record.exitCode !== undefined ? `${output}${output ? '\n' : ''}[exit code ${record.exitCode}]` : output;
    return {
      id: this.chipId(), kind: 'terminal', uri: '', label: record.commandLine, languageId: '', startLine: 1, endLine: 1, text,
      detail: `${vscode.l10n.t('Terminal')}: ${terminal.name}${record.exitCode !== undefined ? ` · ${vscode.l10n.t('exit code {0}', record.exitCode)}` : ''}`,
    };
  }

  // ---- the terminal's commands --------------------------------------------------------------------

  private recordStart(e: ShellExecutionStart): void {
    let finished!: () => void;
    const record: TerminalRecord = {
      commandLine: e.execution.commandLine?.value ?? '', output: '', exitCode: undefined, read: false,
      done: new Promise<void>((resolve) => (finished = resolve)),
    };
    this.running.set(e.execution, record);
    void (async () => {
      try {
        for await (const data of e.execution.read()) {
          record.output += data;
          if (record.output.length > MAX_TERMINAL_OUTPUT * 2) record.output = record.output.slice(-MAX_TERMINAL_OUTPUT);
        }
      } catch (err) {
        this.log.debug(`mentions: reading a terminal command's output failed (${err instanceof Error ? err.message : String(err)})`);
      }
      record.output = cleanTerminalOutput(record.output).slice(-MAX_TERMINAL_OUTPUT);
      record.read = true;
      finished();
    })();
  }

  /** A command ended: it is the terminal's last one (its output may still be draining: `done`). */
  private recordEnd(e: ShellExecutionEnd): void {
    const record = this.running.get(e.execution) ?? {
      commandLine: e.execution.commandLine?.value ?? '', output: '', exitCode: undefined, read: true, done: Promise.resolve(),
    };
    this.running.delete(e.execution);
    record.exitCode = e.exitCode;
    if (!record.commandLine) record.commandLine = e.execution.commandLine?.value ?? '';
    this.terminals.set(e.terminal, record);
  }
}

// ---- files and folders, also for the @hunyuan participant ---------------------------------------

/** The files and folders of one workspace folder, less the exclude settings and `.gitignore` (see the file comment). */
async function listWorkspaceFolder(folder: vscode.WorkspaceFolder, multi: boolean): Promise<FileEntry[]> {
  const patterns = excludePatterns(
    vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude'),
    vscode.workspace.getConfiguration('search', folder.uri).get<Record<string, unknown>>('exclude'),
  );
  const useIgnoreFiles = vscode.workspace.getConfiguration('search', folder.uri).get<boolean>('useIgnoreFiles') !== false;
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), excludeGlob(patterns) ?? null, MAX_FILES_PER_FOLDER);
  const rel = (uri: vscode.Uri) => relativeTo(folder.uri, uri);
  let ignored = (_p: string) => false;
  if (useIgnoreFiles) {
    const texts = new Map<string, string>();
    await Promise.all(uris.filter((u) => u.path.endsWith('/.gitignore')).map(async (u) => {
      const r = rel(u);
      if (r === undefined) return;
      try {
        texts.set(r === '.gitignore' ? '' : r.slice(0, -'/.gitignore'.length), new TextDecoder().decode(await vscode.workspace.fs.readFile(u)));
      } catch {
        // unreadable: as if absent
      }
    }));
    if (texts.size) {
      const rules = new GitignoreRules((dir) => texts.get(dir));
      ignored = (p) => rules.ignores(p);
    }
  }
  const prefix = multi ? `${folder.name}/` : '';
  const dirs = new Set<string>();
  const files: FileEntry[] = [];
  for (const uri of uris) {
    const r = rel(uri);
    if (r === undefined || ignored(r)) continue;
    const name = r.slice(r.lastIndexOf('/') + 1);
    if (name.includes('.') && BINARY.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase())) continue;
    files.push({ uri, path: prefix + r, name, isFolder: false });
    for (let i = r.indexOf('/'); i > 0; i = r.indexOf('/', i + 1)) dirs.add(r.slice(0, i));
  }
  const out: FileEntry[] = [];
  if (multi) out.push({ uri: folder.uri, path: folder.name, name: folder.name, isFolder: true });
  for (const d of dirs) out.push({ uri: vscode.Uri.joinPath(folder.uri, d), path: prefix + d, name: d.slice(d.lastIndexOf('/') + 1), isFolder: true });
  out.push(...files);
  return out;
}

/** Shallow first, then by path (the order equal matches keep). */
function sortEntries(entries: FileEntry[]): FileEntry[] {
  const depth = (p: string) => p.split('/').length;
  return [...entries].sort((a, b) => depth(a.path) - depth(b.path) || compare(a.path, b.path));
}

/**
 * A folder's chip: the listing of its files (paths under it, at most MAX_FOLDER_LISTING), then the
 * contents of as many of them as fit in `budget`, smallest first (more files whole rather than
 * one cut), shown in path order, each as a file chip is sent.
 */
async function buildFolderChip(id: string, entry: FileEntry, files: readonly FileEntry[], budget: number, words: OmittedWords): Promise<ContextChip> {
  const inner = (f: FileEntry) => f.path.slice(entry.path.length + 1);
  const listed = [...files].sort((a, b) => compare(inner(a), inner(b))).slice(0, MAX_FOLDER_LISTING);
  const listingLines = listed.map(inner);
  const listingFence = fenceFor(listingLines.join('\n'));
  const listing = `${listingFence}\n${listingLines.join('\n')}\n${listingFence}`;
  const base: ContextChip = {
    id, kind: 'folder', uri: entry.uri.toString(), label: entry.path, languageId: '', startLine: 1, endLine: 1, text: listing,
    detail: vscode.l10n.t('{0} files', files.length),
    ...(files.length > listed.length ? { omitted: words.files(files.length - listed.length, files.length) } : {}),
  };
  let used = estimateTokens(formatChip(base));
  const sized = await Promise.all(listed.slice(0, MAX_FOLDER_READS).map(async (f) => {
    try {
      return { f, size: (await vscode.workspace.fs.stat(f.uri)).size };
    } catch {
      return { f, size: Infinity };
    }
  }));
  sized.sort((a, b) => a.size - b.size);
  const sections = new Map<FileEntry, string>();
  for (const { f, size } of sized) {
    if (budget - used < 40) break;
    // a byte is rarely less than a third of a token: skip what cannot fit without reading it
    if (size === 0 || size > (budget - used) * 6) continue;
    const read = await readText(f.uri, budget, false);
    if (!read || read.partial) continue;
    const section = formatChip({ id: '', kind: 'file', uri: f.uri.toString(), label: f.path, languageId: read.languageId, startLine: 1, endLine: read.totalLines, text: read.text });
    const cost = estimateTokens(`\n\n${section}`);
    if (used + cost > budget) continue;
    sections.set(f, section);
    used += cost;
  }
  const contents = listed.filter((f) => sections.has(f)).map((f) => sections.get(f) as string);
  return trimChip({ ...base, text: [listing, ...contents].join('\n\n') }, budget, words);
}

/**
 * A folder's chip for the @hunyuan participant (a `#` reference to a folder): as the @-mention
 * makes it, from the files of the workspace folder that holds it (or, outside the workspace, the
 * files under it less `files.exclude`).
 */
export async function folderChipOf(uri: vscode.Uri, budget: number): Promise<ContextChip> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  let entry: FileEntry;
  let files: FileEntry[];
  if (folder) {
    const all = await listWorkspaceFolder(folder, folders.length > 1);
    const path = folders.length > 1 ? [folder.name, relativeTo(folder.uri, uri)].filter((p) => p).join('/') : relativeTo(folder.uri, uri) ?? '';
    entry = { uri, path, name: path.slice(path.lastIndexOf('/') + 1), isFolder: true };
    files = all.filter((f) => !f.isFolder && (path === '' || f.path.startsWith(`${path}/`)));
    if (path === '') entry = { ...entry, path: folder.name, name: folder.name };
    if (path === '') files = files.map((f) => ({ ...f, path: `${folder.name}/${f.path}` }));
  } else {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), undefined, MAX_FILES_PER_FOLDER);
    const name = uri.path.replace(/\/$/, '').slice(uri.path.replace(/\/$/, '').lastIndexOf('/') + 1);
    entry = { uri, path: name, name, isFolder: true };
    files = uris.flatMap((u) => {
      const r = relativeTo(uri, u);
      return r === undefined ? [] : [{ uri: u, path: `${name}/${r}`, name: r.slice(r.lastIndexOf('/') + 1), isFolder: false }];
    });
  }
  return buildFolderChip(`folder-${Date.now().toString(36)}`, entry, files, budget, omittedWords());
}

// ---- helpers ------------------------------------------------------------------------------------

function omittedWords(): OmittedWords {
  return {
    lines: (from, to, first, last) =>
      first === 1 ? vscode.l10n.t('lines {0}-{1} of {2}', from, to, last) : vscode.l10n.t('lines {0}-{1} of {2}-{3}', from, to, first, last),
    files: (left, total) => vscode.l10n.t('{0} of {1} files', left, total),
    problems: (left, total) => vscode.l10n.t('{0} of {1} problems', left, total),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `uri`'s path under `base`, `/`-separated, or undefined when it is not under it. */
function relativeTo(base: vscode.Uri, uri: vscode.Uri): string | undefined {
  const root = base.path.endsWith('/') ? base.path : `${base.path}/`;
  if (uri.scheme !== base.scheme || uri.authority !== base.authority || !uri.path.startsWith(root)) return undefined;
  return uri.path.slice(root.length);
}

/** Workspace-relative, with the folder's name first when there are several (as documentLabel). */
function relativePath(uri: vscode.Uri): string {
  const folders = vscode.workspace.workspaceFolders;
  return vscode.workspace.asRelativePath(uri, folders !== undefined && folders.length > 1);
}

/** The text tabs open, the active group's first, each once. */
function openTabUris(): vscode.Uri[] {
  const groups = [...vscode.window.tabGroups.all].sort((a, b) => Number(b.isActive) - Number(a.isActive));
  const seen = new Set<string>();
  const out: vscode.Uri[] = [];
  for (const group of groups) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputText)) continue;
      const key = input.uri.toString();
      if (seen.has(key) || input.uri.scheme === 'output') continue;
      seen.add(key);
      out.push(input.uri);
    }
  }
  return out;
}

/**
 * A file's text: the open document's when it is open (unsaved edits included), else read from
 * disk; a file over MAX_READ_BYTES is read in part (`partial`, with its whole line count).
 * Undefined for a binary file (a NUL byte in its first 8 KB).
 */
async function readText(uri: vscode.Uri, budget: number, asDocument = true): Promise<{ text: string; languageId: string; totalLines: number; partial: boolean } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), languageId: open.languageId, totalLines: open.lineCount, partial: false };
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) return undefined;
  if (stat.size <= MAX_READ_BYTES) {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8192).includes(0)) return undefined;
    if (!asDocument) {
      const text = new TextDecoder().decode(bytes);
      return { text, languageId: languageOf(uri), totalLines: text.split('\n').length, partial: false };
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    return { text: doc.getText(), languageId: doc.languageId, totalLines: doc.lineCount, partial: false };
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  let totalLines = 1;
  for (const b of bytes) if (b === 10) totalLines++;
  if (bytes[bytes.length - 1] === 10) totalLines--;
  // enough characters for any budget (a token is at least a character, and rarely under 2)
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, Math.max(budget * 8, 4096))));
  const text = head.slice(0, head.lastIndexOf('\n') > 0 ? head.lastIndexOf('\n') : head.length);
  return { text, languageId: languageOf(uri), totalLines, partial: true };
}

/** A language id from a file's extension, for files too big to open as documents. */
function languageOf(uri: vscode.Uri): string {
  const ext = uri.path.slice(uri.path.lastIndexOf('.') + 1).toLowerCase();
  const ids: Record<string, string> = {
    ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript', py: 'python',
    json: 'json', md: 'markdown', go: 'go', rs: 'rust', java: 'java', c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', hpp: 'cpp', cs: 'csharp',
    rb: 'ruby', php: 'php', sh: 'shellscript', yml: 'yaml', yaml: 'yaml', xml: 'xml', html: 'html', css: 'css', sql: 'sql', log: 'log',
    csv: 'csv', txt: 'plaintext',
  };
  return ids[ext] ?? 'plaintext';
}

/** The range of the document symbol named `name` whose range holds `at` (the innermost), if any. */
function definitionRange(symbols: ReadonlyArray<vscode.DocumentSymbol | vscode.SymbolInformation>, name: string, at: vscode.Position): vscode.Range | undefined {
  let best: vscode.Range | undefined;
  const consider = (symbolName: string, range: vscode.Range, selection: vscode.Range | undefined) => {
    if (bareName(symbolName) !== bareName(name)) return;
    if (!range.contains(at) && !(selection?.contains(at))) return;
    if (!best || best.contains(range)) best = range;
  };
  const visit = (list: readonly vscode.DocumentSymbol[]) => {
    for (const s of list) {
      consider(s.name, s.range, s.selectionRange);
      if (s.children?.length) visit(s.children);
    }
  };
  for (const s of symbols) {
    if ('children' in s) visit([s]);
    else if ('location' in s) consider(s.name, s.location.range, undefined);
  }
  return best;
}

/** A symbol's name without the `()` some providers add to functions (TypeScript's workspace symbols: `add()`). */
function bareName(name: string): string {
  return name.replace(/\(\)$/, '');
}

function symbolKindName(kind: vscode.SymbolKind): string {
  const name = vscode.SymbolKind[kind] as string | undefined;
  return name ? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'symbol';
}

function severityName(s: vscode.DiagnosticSeverity): string {
  return s === vscode.DiagnosticSeverity.Error ? 'error' : s === vscode.DiagnosticSeverity.Warning ? 'warning' : s === vscode.DiagnosticSeverity.Information ? 'info' : 'hint';
}

function problemCount(n: number): string {
  return n === 0 ? vscode.l10n.t('no problems') : n === 1 ? vscode.l10n.t('1 problem') : vscode.l10n.t('{0} problems', n);
}

