/**
 * What the chat attaches by itself or on request, beyond the editor's selection: the @-mentions
 * (src/extension/mentions), the project rules (src/extension/rules) and the workspace search
 * (src/extension/search). The controller asks it for the chips a message goes with, and fills a
 * message's `@workspace` chip with snippets before the request (inside the answer's turn, so Stop
 * cancels the search too).
 *
 * Decisions:
 * - The rules chip sits first among the pending chips. Removing it skips the rules for the next
 *   message only; it is back after. A user turn keeps the rules it was sent with (its `rules`
 *   chip), and the system prompt of its request carries them (never the user message).
 * - `@workspace` is searched when the message is sent, with the message as the question, and the
 *   snippets take at most MAX_SNIPPET_TOKENS (see snippetBudget). A regenerated answer reuses
 *   the snippets found the first time (what was sent stays what the turn shows).
 * - With `hunyuan.context.workspaceSearch: auto`, a message without attached code that asks about
 *   the project (questionNeedsSearch) gets an `@workspace` chip by itself.
 */
import * as vscode from 'vscode';
import type { ContextChip, SnippetUse, UserTurn } from '../../common/chat/model';
import type { MentionItem } from '../../common/chat/protocol';
import { fillWorkspaceChip, questionNeedsSearch, workspaceSearchMode, type WorkspaceSearchMode } from '../../core/context/workspaceSearch';
import { Owner } from '../disposables';
import type { Logger } from '../log/logger';

/** The @-mention list and what an entry resolves to (src/extension/mentions/mentions.ts). */
export interface MentionSource {
  query(trigger: '@' | '#', query: string, token?: vscode.CancellationToken): Promise<MentionItem[]>;
  resolve(id: string, maxChipTokens: number): Promise<ContextChip | undefined>;
}

/** The project rules as a chip (src/extension/rules/projectRules.ts). */
export interface RulesSource {
  readonly onDidChange: vscode.Event<void>;
  current(): Promise<ContextChip | undefined>;
}

/** The workspace index (src/extension/search/workspaceSearch.ts). */
export interface SearchSource {
  readonly status: { state: string; message?: string };
  start(): void;
  search(question: string, limit: number, token?: vscode.CancellationToken): Promise<{ path: string; startLine: number; endLine: number; text: string }[]>;
}

export interface ContextSources {
  mentions?: MentionSource;
  rules?: RulesSource;
  search?: SearchSource;
}

/** How many hits a search asks for before packing (packing keeps what fits). */
const SEARCH_HITS = 40;

/** A chip that carries code or text the user chose (the rules and an unfilled search do not count). */
const carriesCode = (c: ContextChip) => c.kind !== 'rules' && c.kind !== 'workspace';

export function workspaceChip(id: string, detail: string): ContextChip {
  return { id, kind: 'workspace', uri: '', label: '@workspace', languageId: 'markdown', startLine: 1, endLine: 1, text: '', detail };
}

export class ChatContext extends Owner {
  private rules: ContextChip | undefined;
  private rulesRead: Promise<void> | undefined;
  /** The chat has asked for the rules (a view opened, a message sent): a change is read at once. */
  private rulesWanted = false;
  /** The user removed the rules chip: the next message goes without them. */
  private skipRules = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The pending chips changed by themselves (the rules were edited). */
  readonly onDidChange = this.changed.event;
  private counter = 0;

  constructor(private readonly sources: ContextSources, private readonly log: Logger) {
    super();
    this.own(this.changed);
    if (sources.rules) {
      this.own(sources.rules.onDidChange(() => {
        this.rulesRead = undefined;
        if (this.rulesWanted) void this.readRules().then(() => this.changed.fire());
      }));
    }
  }

  get searchMode(): WorkspaceSearchMode {
    return workspaceSearchMode(vscode.workspace.getConfiguration('hunyuan.context').get('workspaceSearch'));
  }

  /** Reads the rules once (again after a change); never throws. Nothing is read before the chat needs it. */
  readRules(): Promise<void> {
    if (!this.sources.rules) return Promise.resolve();
    this.rulesWanted = true;
    return (this.rulesRead ??= this.sources.rules.current().then(
      (chip) => { this.rules = chip; },
      (err) => { this.log.warn(`chat: could not read the project rules: ${String(err)}`); this.rules = undefined; },
    ));
  }

  /** The chips the input shows: the rules (unless removed for this message), then the user's. */
  pending(userChips: readonly ContextChip[]): ContextChip[] {
    return this.rules && !this.skipRules ? [this.rules, ...userChips] : [...userChips];
  }

  /** Removes a chip the context owns (the rules, for one message); false when `id` is not one of them. */
  remove(id: string): boolean {
    if (!this.rules || this.rules.id !== id) return false;
    this.skipRules = true;
    return true;
  }

  /**
   * A chat view opened: the index starts building in the background (a worker thread; the status
   * bar shows its progress), so @workspace is ready when first used. Nothing when the search is off.
   */
  chatOpened(): void {
    if (this.searchMode !== 'off') this.sources.search?.start();
    void this.readRules().then(() => this.changed.fire());
  }

  mentions(trigger: '@' | '#', query: string): Promise<MentionItem[]> {
    return this.sources.mentions?.query(trigger, query) ?? Promise.resolve([]);
  }

  /** The chip for a picked mention; `@workspace` starts the index so it is ready when the message is sent. */
  async pick(id: string, maxChipTokens: number): Promise<ContextChip | undefined> {
    const chip = await this.sources.mentions?.resolve(id, maxChipTokens);
    if (chip?.kind === 'workspace') this.sources.search?.start();
    return chip;
  }

  /** Whether a message with these chips will be searched when sent. */
  willSearch(text: string, userChips: readonly ContextChip[]): boolean {
    if (!this.sources.search || this.searchMode === 'off') return false;
    if (userChips.some((c) => c.kind === 'workspace')) return true;
    return this.searchMode === 'auto' && questionNeedsSearch(text, userChips.some(carriesCode));
  }

  /** The chips a message is sent with: the rules (unless removed), the user's, and an automatic @workspace. Resets the removal. */
  forMessage(text: string, userChips: readonly ContextChip[]): ContextChip[] {
    const chips = this.pending(userChips);
    this.skipRules = false;
    if (!userChips.some((c) => c.kind === 'workspace') && this.willSearch(text, userChips)) {
      chips.push(workspaceChip(`ctx-auto-${Date.now().toString(36)}-${(this.counter++).toString(36)}`, vscode.l10n.t('added automatically')));
      this.sources.search?.start();
    }
    return chips;
  }

  /**
   * Searches for the user turn's unfilled `@workspace` chip (if any) and fills it with what fits
   * `budgetTokens`; sets `user.snippets`. Returns whether the turn changed. A search that fails or
   * finds nothing leaves the chip empty with a detail saying why; the message is sent anyway.
   */
  async fillSearch(user: UserTurn, budgetTokens: number, signal: AbortSignal): Promise<boolean> {
    // searched already (a regenerated answer): the snippets stay what was sent
    const index = user.snippets ? -1 : user.context.findIndex((c) => c.kind === 'workspace');
    if (index < 0) return false;
    const chip = user.context[index];
    const search = this.sources.search;
    let use: SnippetUse | undefined;
    let filled: ContextChip;
    if (!search || this.searchMode === 'off') {
      filled = { ...chip, detail: vscode.l10n.t('workspace search is off') };
    } else if (budgetTokens <= 0) {
      filled = { ...chip, detail: vscode.l10n.t('no room left in the context window') };
    } else {
      const cts = new vscode.CancellationTokenSource();
      const onAbort = () => cts.cancel();
      signal.addEventListener('abort', onAbort);
      try {
        const hits = await search.search(user.text, SEARCH_HITS, cts.token);
        const result = fillWorkspaceChip(chip, hits, budgetTokens);
        use = result.use;
        filled = { ...result.chip, detail: use.snippets ? snippetsDetail(use.snippets, use.files) : vscode.l10n.t('nothing relevant found') };
        this.log.info(`chat: workspace search found ${hits.length} snippets, sent ${use.snippets} from ${use.files} files (≈${result.chip.tokens ?? 0} tokens)`);
      } catch (err) {
        if (signal.aborted) return false;
        const reason = err instanceof Error ? err.message : String(err);
        this.log.warn(`chat: workspace search failed: ${reason}`);
        filled = { ...chip, detail: vscode.l10n.t('search failed: {0}', reason) };
      } finally {
        signal.removeEventListener('abort', onAbort);
        cts.dispose();
      }
    }
    user.context = user.context.map((c, i) => (i === index ? filled : c));
    // left unset when the search failed, so a retry searches again
    if (use) user.snippets = use;
    return true;
  }
}

/** "3 snippets from 2 files", in the display language. */
function snippetsDetail(snippets: number, files: number): string {
  if (snippets === 1) return vscode.l10n.t('1 snippet from 1 file');
  return files === 1 ? vscode.l10n.t('{0} snippets from 1 file', snippets) : vscode.l10n.t('{0} snippets from {1} files', snippets, files);
}
