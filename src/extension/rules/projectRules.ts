/**
 * The project's own instructions as the chat's **Rules** chip: `AGENTS.md`, `.hunyuan/rules.md`
 * and `.github/copilot-instructions.md` of each workspace folder (all that exist, in that order,
 * folders in workspace order), put together and capped by src/core/context/rules.ts.
 *
 * Read only in a trusted workspace (and again when trust is granted), only while
 * `hunyuan.context.projectRules` is on, through `vscode.workspace.fs` (so virtual workspaces work
 * too), lazily on the first `current()`, then kept until a rules file, the folders, the setting or
 * the trust changes (`onDidChange` fires then).
 */
import * as vscode from 'vscode';
import { estimateTokens } from '../../core/budget/tokens';
import {
  assembleRules, groupDigits, RULES_FILES, RULES_MAX_CHARS, rulesFileName, rulesSystemSection, type RulesCut, type RulesFile,
} from '../../core/context/rules';
import type { ContextChip } from '../../common/chat/model';
import { Owner } from '../disposables';
import type { Logger } from '../log/logger';

/** A rules file larger than this is not read (it would be cut to a few KB anyway). */
export const RULES_MAX_FILE_BYTES = 1024 * 1024;
/** How long file events settle before the rules are read again. */
const DEBOUNCE_MS = 250;
const SETTING = 'hunyuan.context.projectRules';

export const RULES_CHIP_ID = 'rules';

interface FoundFile extends RulesFile {
  uri: vscode.Uri;
}

export class ProjectRules extends Owner implements vscode.Disposable {
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /** Fires when the rules (or their availability) change. */
  readonly onDidChange: vscode.Event<void> = this.changed.event;

  /** The rules as last read (a promise, so concurrent callers share one read); undefined: read again. */
  private cached: Promise<ContextChip | undefined> | undefined;
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly log: Logger) {
    super();
    this.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING)) this.invalidate();
    }));
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.watch();
      this.invalidate();
    }));
    this.watch();
  }

  /**
   * The rules chip as of now, or undefined when the setting is off, the workspace is not trusted
   * or no rules file has any text. Read the first time, then kept until a change.
   */
  current(): Promise<ContextChip | undefined> {
    if (!this.enabled()) return Promise.resolve(undefined);
    if (!this.cached) {
      const reading: Promise<ContextChip | undefined> = this.read().catch((err: unknown) => {
        this.log.error(`Project rules: could not be read: ${err instanceof Error ? err.message : String(err)}`);
        if (this.cached === reading) this.cached = undefined; // try again next time
        return undefined;
      });
      this.cached = reading;
    }
    return this.cached;
  }

  private enabled(): boolean {
    return vscode.workspace.isTrusted && vscode.workspace.getConfiguration().get<boolean>(SETTING, true) !== false;
  }

  private async read(): Promise<ContextChip | undefined> {
    const found: FoundFile[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const rel of RULES_FILES) {
        const file = await this.readFile(folder, rel);
        if (file) found.push(file);
      }
    }
    const rules = assembleRules(found, RULES_MAX_CHARS);
    if (!rules.text && !rules.omitted) return undefined;
    const first = found.find((f) => rulesFileName(f) === rules.files[0]) ?? found[0];
    const lines = rules.text ? rules.text.split('\n').length : 0;
    this.log.info(`Project rules: ${rules.files.join(', ') || 'nothing'} (${rules.text.length} characters)` +
      (rules.omitted ? `; cut to ${RULES_MAX_CHARS} characters, left out: ${rules.omitted}` : ''));
    return {
      id: RULES_CHIP_ID,
      kind: 'rules',
      uri: first.uri.toString(),
      label: vscode.l10n.t('Rules'),
      languageId: 'markdown',
      startLine: 1,
      endLine: Math.max(1, lines),
      text: rules.text,
      detail: rules.files.join(', '),
      tokens: estimateTokens(rulesSystemSection(rules.text)),
      ...(rules.cuts.length ? { omitted: describeCutsForUser(rules.cuts) } : {}),
    };
  }

  private async readFile(folder: vscode.WorkspaceFolder, rel: string): Promise<FoundFile | undefined> {
    const uri = vscode.Uri.joinPath(folder.uri, rel);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined; // not there
    }
    if (stat.type & vscode.FileType.Directory) return undefined;
    if (stat.size > RULES_MAX_FILE_BYTES) {
      this.log.warn(`Project rules: ${folder.name}/${rel} is ${stat.size} bytes, over ${RULES_MAX_FILE_BYTES}: not read`);
      return undefined;
    }
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (err) {
      // deleted between stat and read, or unreadable
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) {
        this.log.warn(`Project rules: could not read ${folder.name}/${rel}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    }
    if (bytes.byteLength > RULES_MAX_FILE_BYTES) return undefined;
    // TextDecoder drops a UTF-8 BOM; invalid bytes become U+FFFD
    const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
    return { folder: folder.name, path: rel, text, uri };
  }

  /** One watcher per rules file and folder (only the folder's own file, not any below it). */
  private watch(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const rel of RULES_FILES) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, rel));
        w.onDidCreate(() => this.fileChanged());
        w.onDidChange(() => this.fileChanged());
        w.onDidDelete(() => this.fileChanged());
        this.watchers.push(w);
      }
    }
  }

  private fileChanged(): void {
    if (this.isDisposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.invalidate();
    }, DEBOUNCE_MS);
  }

  private invalidate(): void {
    if (this.isDisposed) return;
    this.cached = undefined;
    this.changed.fire();
  }

  protected override onDispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.splice(0)) w.dispose();
  }
}

/** What was cut, in the user's language: "3,400 characters of lib/.github/copilot-instructions.md". */
function describeCutsForUser(cuts: readonly RulesCut[]): string {
  return cuts.map((c) => vscode.l10n.t('{0} characters of {1}', groupDigits(c.characters), c.name)).join(', ');
}
