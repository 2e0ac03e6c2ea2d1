/**
 * The chat, owned by the extension. Any number of webviews (the side view, an editor tab) attach
 * to it; each gets a snapshot when it loads and then follows notifications, so hiding, moving or
 * reloading a view loses nothing. History persists per workspace.
 *
 * Split by what each part does: the conversations and what can be done to them are
 * `Conversations` (src/core/chat/conversations.ts, pure, unit-tested); the answer comes from the
 * answer engine (src/core/engine/engine.ts); the editors and the code blocks' buttons are
 * `ChatEditors` (./chatEditors.ts). What stays here: the webviews' channel, running an answer into
 * the conversation and the views, and the dialogs (rename, delete with Undo, export).
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import {
  conversationTotals,
  summarize,
  type AssistantTurn,
  type ContextChip,
  type Conversation,
  type ThinkingMode,
  type Turn,
  type UserTurn,
} from '../../common/chat/model';
import { httpUrl } from '../../common/chat/links';
import * as P from '../../common/chat/protocol';
import { Messenger, type NotificationType } from '../../common/ipc/messages';
import { Conversations } from '../../core/chat/conversations';
import { chatSystemPrompt, conversationToMarkdown, formatChip, historyMessages, rulesOf, sentInMessage, userMessageContent } from '../../core/chat/prompt';
import { TYPICAL_ANSWER_TOKENS } from '../../core/budget/cost';
import { estimateMessagesTokens, estimateTokens } from '../../core/budget/tokens';
import { snippetBudget } from '../../core/context/workspaceSearch';
import { parseSettings } from '../../core/settings/settings';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { describeError, type ErrorAction } from '../hunyuan/errorMessages';
import { runErrorAction } from '../hunyuan/notify';
import type { HunyuanService } from '../hunyuan/service';
import type { TurnResult } from '../../core/engine/engine';
import type { Logger } from '../log/logger';
import { readRawSettings, SECTION } from '../settings/configuration';
import type { ApplyTarget } from './codeActions';
import { ChatEditors } from './chatEditors';
import { Owner } from '../disposables';
import type { InlineDiffs } from '../diff/inlineDiff';
import { fileChip, sameChip, selectionChip } from './editorContext';
import type { HistoryStore } from './historyStore';
import { chatStrings } from './webviewStrings';
import { ChatContext, type ContextSources } from './chatContext';

/**
 * Streamed text goes to the views at most this often: the view renders at most every 200 ms
 * anyway, and each message it receives costs its main thread (at 30 ms, receiving alone cost more
 * than rendering the whole answer once).
 */
const DELTA_INTERVAL_MS = 100;


interface Streaming {
  conversation: Conversation;
  turn: AssistantTurn;
  abort: AbortController;
  done: Promise<void>;
}

export class ChatController extends Owner {
  private readonly conversations = new Conversations();
  private pendingContext: ContextChip[] = [];
  private draft = '';
  private streaming: Streaming | undefined;
  /** The Deep Thinking toggle's choice while its write to the settings is under way (see setThinking). */
  private chosenThinking: ThinkingMode | undefined;
  private thinkingWrites = 0;
  private readonly peers = new Set<Messenger>();
  private pendingDelta: { turnId: string; thinking: string; answer: string; thinkingEndedAt?: number; firstTokenMs?: number } | undefined;
  private deltaTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly editors: ChatEditors;
  private readonly context: ChatContext;
  private loading: Promise<void>;

  constructor(
    private readonly service: HunyuanService,
    private readonly keys: ApiKeyStore,
    private readonly store: HistoryStore,
    diffs: InlineDiffs,
    private readonly log: Logger,
    sources: ContextSources = {},
  ) {
    super();
    this.editors = this.own(new ChatEditors(diffs, log));
    this.context = this.own(new ChatContext(sources, log));
    this.ownAll(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.broadcastSnapshot();
      }),
      keys.onDidChange(() => this.broadcastSnapshot()),
      // another window changed the stored history (a conversation added, continued, renamed or deleted)
      store.onDidChange(() => this.broadcastSnapshot()),
      // the rules changed on disk (or trust was granted): the input's chips follow
      this.context.onDidChange(() => this.broadcastContext()),
    );
    this.loading = this.load();
  }

  /** Resolves once the history has been read. */
  get loaded(): Promise<void> {
    return this.loading;
  }

  /**
   * Reads the history file again, as a new window of this workspace would (after saving what is
   * pending here): a running answer is stopped first.
   */
  async reloadHistory(): Promise<void> {
    await this.loading;
    this.stop();
    await this.whenIdle();
    await this.store.flush();
    this.loading = this.load();
    await this.loading;
  }

  private async load(): Promise<void> {
    const outcome = await this.store.load();
    this.conversations.load(outcome.history);
    if (outcome.movedTo) {
      const msg = outcome.lost === Infinity
        ? vscode.l10n.t('The chat history could not be read. It was moved to {0} and a new history was started.', outcome.movedTo.fsPath)
        : vscode.l10n.t('{0} conversation(s) in the chat history could not be read. The original file was kept at {1}.', String(outcome.lost), outcome.movedTo.fsPath);
      void ui.warn(msg);
    }
    this.broadcastSnapshot();
  }

  // ---- views ------------------------------------------------------------------------------

  /** Connects a webview to the chat. Dispose the result when the webview goes away. */
  attach(webview: Pick<vscode.Webview, 'postMessage' | 'onDidReceiveMessage'>): vscode.Disposable {
    // The webview shows model output: it is treated as untrusted. Every message it sends is checked
    // against the protocol's validators here, before any handler runs; what fails is refused and logged.
    const m = new Messenger((msg) => webview.postMessage(msg), (err, method) => this.log.error(`chat ${method}: ${String(err)}`), {
      validate: true,
      onInvalid: (method, problem) => this.log.warn(`chat: refused a message from the chat view (${JSON.stringify(method)}): ${problem}`),
    });
    const subs: vscode.Disposable[] = [webview.onDidReceiveMessage((msg) => void m.receive(msg))];
    const on = <T>(type: NotificationType<T>, fn: (p: T) => unknown) =>
      m.onNotification(type, (p) => {
        Promise.resolve(fn(p)).catch((err) => this.log.error(`chat ${type.method}: ${String(err)}`));
      });
    m.onRequest(P.Ready, async () => {
      await this.loaded;
      this.flushDelta();
      return this.snapshot();
    });
    m.onRequest(P.EstimateBudget, ({ draft }) => this.estimate(draft));
    m.onRequest(P.QueryMentions, ({ trigger, query }) => this.context.mentions(trigger, query));
    on(P.PickMention, ({ id }) => this.pickMention(id));
    on(P.OpenLocation, ({ path, line }) => this.editors.openLocation(path, line));
    on(P.Send, ({ text }) => this.send(text));
    on(P.Stop, () => this.stop());
    on(P.Regenerate, () => this.regenerate());
    on(P.Retry, () => this.regenerate());
    on(P.EditAndResend, ({ turnId, text }) => this.editAndResend(turnId, text));
    on(P.NewChat, () => this.newChat());
    on(P.SwitchConversation, ({ id }) => this.switchTo(id));
    on(P.RenameConversation, ({ id }) => this.rename(id));
    on(P.DeleteConversation, ({ id }) => this.delete(id));
    on(P.ExportConversation, ({ id }) => this.exportMarkdown(id));
    on(P.RemoveContext, ({ id }) => this.removeContext(id));
    on(P.AttachActiveFile, () => this.attachActiveFile());
    on(P.SetThinking, ({ mode }) => this.setThinking(mode));
    on(P.DropOldest, ({ turns }) => this.dropOldest(turns));
    on(P.SaveDraft, ({ text }) => {
      this.draft = text;
    });
    m.onRequest(P.RunCodeAction, (p) => this.editors.codeAction(this.current.turns, p));
    on(P.OpenLink, ({ href }) => this.openLink(href));
    on(P.RunErrorAction, ({ action }) => this.errorAction(action));
    this.peers.add(m);
    this.context.chatOpened();
    return new vscode.Disposable(() => {
      this.peers.delete(m);
      m.dispose();
      for (const s of subs) s.dispose();
    });
  }

  private broadcast<T>(type: NotificationType<T>, params: T): void {
    for (const peer of this.peers) peer.sendNotification(type, params);
  }

  private broadcastSnapshot(): void {
    if (!this.peers.size) return;
    this.flushDelta();
    this.broadcast(P.SnapshotChanged, this.snapshot());
  }

  snapshot(): P.ChatSnapshot {
    const { settings } = parseSettings(this.rawSettings());
    return {
      conversation: this.current,
      conversations: this.conversations.sorted().map(summarize),
      totals: conversationTotals(this.current),
      pendingContext: this.pendingView(),
      settings: {
        thinking: settings.thinking,
        collapseThinking: vscode.workspace.getConfiguration(SECTION).get<boolean>('chat.collapseThinking', true),
        contextWindow: settings.contextWindow,
        model: settings.model,
        hasApiKey: this.keys.hasKeyCached,
      },
      strings: chatStrings(),
      streamingId: this.streaming && this.streaming.conversation === this.current ? this.streaming.turn.id : undefined,
      draft: this.draft,
    };
  }

  // ---- public operations (commands use them too) -------------------------------------------

  get conversation(): Conversation {
    return this.current;
  }

  private get current(): Conversation {
    return this.conversations.current;
  }

  /** The text editor the user worked in last (the chat view has the focus now). */
  get lastEditor(): vscode.TextEditor | undefined {
    return this.editors.liveEditor();
  }

  get isStreaming(): boolean {
    return !!this.streaming;
  }

  /** Resolves when the running answer (if any) has ended. */
  async whenIdle(): Promise<void> {
    await this.streaming?.done;
  }

  addContext(chip: ContextChip): void {
    if (!this.pendingContext.some((c) => sameChip(c, chip))) this.pendingContext = [...this.pendingContext, chip];
    this.broadcastContext();
  }

  /** The chips the input shows: the rules (unless removed for this message) and the user's, each with its tokens. */
  pendingView(): ContextChip[] {
    return this.context.pending(this.pendingContext).map(withTokens);
  }

  private broadcastContext(): void {
    this.broadcast(P.PendingContextChanged, { context: this.pendingView() });
  }

  /** The most tokens one mention's chip may take: half of what the window leaves besides the answer. */
  private maxChipTokens(): number {
    const { settings } = parseSettings(this.rawSettings());
    return Math.max(500, Math.floor((settings.contextWindow - settings.maxTokens) / 2));
  }

  /** Resolves a picked @-mention into a pending chip (nothing when the id is not one the list offered). */
  async pickMention(id: string): Promise<ContextChip | undefined> {
    const chip = await this.context.pick(id, this.maxChipTokens());
    if (!chip) {
      this.log.warn('chat: a picked mention is no longer offered');
      return undefined;
    }
    if (chip.kind === 'workspace' && this.pendingContext.some((c) => c.kind === 'workspace')) return chip;
    this.addContext(chip);
    return chip;
  }

  focusInput(): void {
    this.broadcast(P.FocusInput, undefined);
  }

  async send(text: string): Promise<void> {
    await this.loaded;
    // a message sent before any chat view opened (a command) still goes with the rules
    await this.context.readRules();
    const trimmed = text.trim();
    if (!trimmed && !this.pendingContext.length) return;
    if (this.streaming) {
      // Not lost: back in the input (the view cleared it), and kept as the draft.
      this.draft = text;
      this.broadcast(P.ReturnMessage, { text });
      void this.stillAnswering();
      return;
    }
    const { settings } = parseSettings(this.rawSettings());
    const conv = this.current;
    if (!this.conversations.addUserTurn(trimmed, this.context.forMessage(trimmed, this.pendingContext), settings.thinking)) return;
    this.pendingContext = [];
    this.draft = '';
    this.save(conv);
    this.broadcastSnapshot();
    await this.answer(conv);
  }

  stop(): void {
    this.streaming?.abort.abort();
  }

  /** A message came while an answer streams: says so, and offers to stop it when it is in another conversation (whose view has no Stop). */
  private async stillAnswering(): Promise<void> {
    const streaming = this.streaming;
    if (!streaming) return;
    if (streaming.conversation === this.current) {
      void ui.info(vscode.l10n.t('Hunyuan is still answering. Stop it first, or wait.'));
      return;
    }
    const stopLabel = vscode.l10n.t('Stop That Answer');
    const picked = await ui.info(
      vscode.l10n.t('Hunyuan is still answering in “{0}”. Your message is back in the input: send it once that answer ends, or stop it.', streaming.conversation.title),
      stopLabel,
    );
    if (picked === stopLabel && this.streaming === streaming) streaming.abort.abort();
  }

  async regenerate(): Promise<void> {
    if (this.streaming) return;
    const conv = this.current;
    if (!this.conversations.prepareRegenerate(parseSettings(this.rawSettings()).settings.thinking)) return;
    this.broadcastSnapshot();
    await this.answer(conv);
  }

  async editAndResend(turnId: string, text: string): Promise<void> {
    if (this.streaming) {
      // (one answer at a time: the one in another conversation stops, and the user is told)
      const other = this.streaming.conversation !== this.current ? this.streaming.conversation.title : undefined;
      this.stop();
      await this.whenIdle();
      if (other !== undefined) void ui.info(vscode.l10n.t('The answer in “{0}” was stopped to answer this one; what it had written is kept.', other));
    }
    const conv = this.current;
    if (!this.conversations.prepareResend(turnId, text, parseSettings(this.rawSettings()).settings.thinking)) return;
    this.broadcastSnapshot();
    await this.answer(conv);
  }

  async newChat(): Promise<void> {
    await this.loaded;
    // An untouched new chat is reused; anything that was ever saved starts a fresh one.
    if (this.conversations.newChat()) this.save();
    this.broadcastSnapshot();
    this.focusInput();
  }

  async switchTo(id: string): Promise<void> {
    if (!this.conversations.switchTo(id)) return;
    this.save();
    this.broadcastSnapshot();
  }

  async rename(id: string): Promise<void> {
    const c = this.conversations.find(id);
    if (!c) return;
    const title = await ui.input({
      title: vscode.l10n.t('Rename conversation'),
      value: c.title,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A title cannot be empty.')),
    });
    if (title === undefined || !this.conversations.rename(id, title)) return;
    this.save(c);
    this.broadcastSnapshot();
  }

  /** Deletes at once and offers Undo, rather than asking first. */
  async delete(id: string): Promise<void> {
    const deleted = this.conversations.delete(id);
    if (!deleted) return;
    const { removed } = deleted;
    if (this.streaming?.conversation === removed) this.stop();
    this.save();
    this.broadcastSnapshot();
    const undo = vscode.l10n.t('Undo');
    const picked = await ui.info(
      vscode.l10n.t('Deleted the conversation "{0}".', removed.title || vscode.l10n.t('Untitled')),
      undo,
    );
    if (picked === undo && this.conversations.restore(deleted)) {
      this.save(removed);
      this.broadcastSnapshot();
    }
  }

  async exportMarkdown(id: string): Promise<vscode.TextDocument | undefined> {
    const c = this.conversations.find(id);
    if (!c) return undefined;
    const content = conversationToMarkdown(c, {
      user: vscode.l10n.t('You'),
      assistant: 'Hunyuan',
      thinking: vscode.l10n.t('Thinking'),
    });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  removeContext(id: string): void {
    if (!this.context.remove(id)) this.pendingContext = this.pendingContext.filter((c) => c.id !== id);
    this.broadcastContext();
  }

  attachActiveFile(): void {
    const editor = this.editors.lastEditor;
    if (!editor || editor.document.isClosed) {
      void ui.info(vscode.l10n.t('Open a file in an editor first.'));
      return;
    }
    this.addContext(fileChip(editor.document));
  }

  /** Attaches the selection of the active editor (the whole file when nothing is selected). */
  attachSelection(editor: vscode.TextEditor): ContextChip {
    const chip = selectionChip(editor);
    this.addContext(chip);
    return chip;
  }

  /**
   * The Deep Thinking toggle. Writing the setting takes a moment; until the last write is done, the
   * mode chosen is the one in force (`rawSettings()`): a message sent right after the click goes in
   * that mode, and the views keep showing it (no flicker back while earlier writes land).
   */
  async setThinking(mode: ThinkingMode): Promise<void> {
    this.chosenThinking = mode;
    const write = ++this.thinkingWrites;
    const config = vscode.workspace.getConfiguration(SECTION);
    const info = config.inspect('thinking');
    const target = info?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : info?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    let failed = false;
    try {
      await config.update('thinking', mode, target);
    } catch (err) {
      failed = true;
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`chat: the Deep Thinking setting was not saved: ${message}`);
      void ui.warn(vscode.l10n.t('Deep Thinking could not be saved in the settings: {0}', message));
    }
    // VS Code writes settings in order: once the last write is done, the settings hold its mode
    // (and the views were sent it when the settings changed). After a failed one, they are shown
    // what the settings hold.
    if (write === this.thinkingWrites) {
      this.chosenThinking = undefined;
      if (failed) this.broadcastSnapshot();
    }
  }

  /** The settings, with the mode the Deep Thinking toggle chose while its write is under way. */
  private rawSettings(): Record<string, unknown> {
    const raw = readRawSettings();
    return this.chosenThinking ? { ...raw, thinking: this.chosenThinking } : raw;
  }

  /**
   * The budget line: the same plan the request will be sent with (the engine's), in the thinking
   * mode the toggle shows, with the room a workspace search will fill counted in, and what each
   * part costs.
   */
  estimate(draft: string): P.BudgetView {
    const { settings } = parseSettings(this.rawSettings());
    const pending = this.context.pending(this.pendingContext);
    const rulesChip = pending.find((c) => c.kind === 'rules');
    const chips = pending.filter(sentInMessage);
    const systemBase = this.systemPrompt();
    const system = this.systemPrompt(rulesChip?.text);
    const user = userMessageContent({ text: draft, context: chips });
    const fixed = estimateMessagesTokens([{ content: system }, { content: user }]);
    const snippets = this.context.willSearch(draft, this.pendingContext)
      ? snippetBudget({ contextWindow: settings.contextWindow, maxTokens: settings.maxTokens, fixedTokens: fixed })
      : 0;
    const history = historyMessages(this.current.turns);
    const plan = this.service.plan({ system, history, user, reserveTokens: snippets });
    const systemTokens = estimateMessagesTokens([{ content: systemBase }]);
    const rulesTokens = rulesChip ? estimateTokens(system) - estimateTokens(systemBase) : 0;
    const chipTokens = pending.map((c) => ({ id: c.id, tokens: c.kind === 'rules' ? rulesTokens : sentInMessage(c) ? withTokens(c).tokens ?? 0 : 0 }));
    const draftTokens = estimateTokens(draft);
    const sent = history.slice(plan.dropped.length);
    const historyTokens = sent.length ? estimateMessagesTokens(sent) : 0;
    const typical = Math.min(plan.maxTokens, TYPICAL_ANSWER_TOKENS[settings.thinking]);
    return {
      promptTokens: plan.promptTokens,
      maxTokens: plan.maxTokens,
      contextWindow: plan.contextWindow,
      remaining: plan.remaining,
      overflowTurns: plan.droppedTurns,
      tooLong: !plan.fits,
      parts: { system: systemTokens, rules: rulesTokens, history: historyTokens, chips: chipTokens, snippets, draft: draftTokens },
      cost: { prompt: (plan.promptTokens / 1000) * settings.prices.input, answer: (typical / 1000) * settings.prices.output },
    };
  }

  dropOldest(turns: number): void {
    if (this.streaming) return;
    const conv = this.current;
    const outcome = this.conversations.dropOldest(turns);
    if (!outcome.dropped) {
      this.log.warn(`chat: ${outcome.reason}`);
      return;
    }
    this.save(conv);
    this.broadcastSnapshot();
  }

  // ---- answering ----------------------------------------------------------------------------

  private systemPrompt(rules?: string): string {
    return chatSystemPrompt({
      displayLanguage: vscode.env.language,
      workspace: vscode.workspace.workspaceFolders?.map((f) => f.name).join(', '),
      rules,
    });
  }

  /** Streams the answer to the last user turn of `conv`. */
  private answer(conv: Conversation): Promise<void> {
    const userIndex = conv.turns.length - 1;
    const user = conv.turns[userIndex] as UserTurn;
    const { settings } = parseSettings(this.rawSettings());
    const turn = this.conversations.addAssistantTurn(conv, settings.model);
    const abort = new AbortController();
    const streaming: Streaming = { conversation: conv, turn, abort, done: Promise.resolve() };
    this.streaming = streaming;
    this.sendTurn(conv, turn);
    streaming.done = this.run(conv, turn, user, historyMessages(conv.turns, userIndex), abort.signal).finally(() => {
      if (this.streaming === streaming) this.streaming = undefined;
    });
    return streaming.done;
  }

  private async run(conv: Conversation, turn: AssistantTurn, user: UserTurn, history: ReturnType<typeof historyMessages>, signal: AbortSignal): Promise<void> {
    const { settings } = parseSettings(this.rawSettings());
    // The engine keeps the turn's text and timing; the chat's turn (what the view and the history
    // hold) follows it at each piece of text, and takes the rest at the end.
    const follow = (r: TurnResult): void => {
      turn.thinking = r.thinking;
      turn.answer = r.answer;
      turn.firstTokenMs = r.firstTokenMs;
      turn.thinkingStartedAt = r.thinkingStartedAt;
      turn.thinkingEndedAt = r.thinkingEndedAt;
    };
    const system = this.systemPrompt(rulesOf(user));
    // An @workspace chip is searched now, with the question, into the room the rest leaves.
    const budget = snippetBudget({
      contextWindow: settings.contextWindow,
      maxTokens: settings.maxTokens,
      fixedTokens: estimateMessagesTokens([{ content: system }, { content: userMessageContent(user) }]),
    });
    if (await this.context.fillSearch(user, budget, signal)) {
      this.sendTurn(conv, user);
      this.save(conv);
    }
    try {
      const r = await this.service.run({
        purpose: 'chat',
        system,
        history,
        user: userMessageContent(user),
        thinking: user.thinking,
        signal,
      }, {
        onContext: (e) => {
          turn.droppedTurns = e.droppedTurns || undefined;
        },
        onThinking: (text, r) => {
          follow(r);
          this.queueDelta(conv, turn, { thinking: text });
        },
        onAnswer: (text, r) => {
          follow(r);
          this.queueDelta(conv, turn, { answer: text });
        },
      });
      follow(r);
      turn.status = r.status === 'streaming' ? 'done' : r.status;
      turn.finishReason = r.finishReason;
      turn.endedAt = r.endedAt;
      if (r.usage) {
        const { promptTokens, completionTokens, totalTokens, estimated } = r.usage;
        turn.usage = { promptTokens, completionTokens, totalTokens, estimated };
        turn.costYuan = r.costYuan;
      }
      if (r.error) {
        const d = describeError(r.error, { baseUrl: settings.baseUrl, model: settings.model, timeoutSeconds: settings.requestTimeoutSeconds });
        turn.error = { kind: r.error.kind, message: d.message, actions: d.actions };
      }
    } catch (err) {
      this.log.error(`chat: ${String(err)}`);
      turn.status = 'error';
      turn.error = { kind: 'malformed', message: String(err), actions: ['retry', 'showLog'] };
    }
    if (turn.thinkingStartedAt && !turn.thinkingEndedAt) turn.thinkingEndedAt = Date.now();
    turn.endedAt ??= Date.now();
    // Idle before anyone hears the answer ended, so a message sent right after it is taken.
    if (this.streaming?.turn === turn) this.streaming = undefined;
    conv.updatedAt = turn.endedAt;
    this.flushDelta();
    this.sendTurn(conv, turn);
    this.save(conv);
    await this.store.flush();
  }

  private sendTurn(conv: Conversation, turn: Turn): void {
    if (conv !== this.current) return;
    this.flushDelta();
    this.broadcast(P.TurnChanged, { turn, totals: conversationTotals(conv) });
    this.save(conv);
  }

  private queueDelta(conv: Conversation, turn: AssistantTurn, part: { thinking?: string; answer?: string }): void {
    if (conv !== this.current) return;
    if (this.pendingDelta && this.pendingDelta.turnId !== turn.id) this.flushDelta();
    const d = (this.pendingDelta ??= { turnId: turn.id, thinking: '', answer: '' });
    d.thinking += part.thinking ?? '';
    d.answer += part.answer ?? '';
    d.thinkingEndedAt = turn.thinkingEndedAt;
    d.firstTokenMs = turn.firstTokenMs;
    this.deltaTimer ??= setTimeout(() => this.flushDelta(), DELTA_INTERVAL_MS);
    this.store.scheduleSave(this.conversations.file, conv);
  }

  private flushDelta(): void {
    if (this.deltaTimer) clearTimeout(this.deltaTimer);
    this.deltaTimer = undefined;
    const d = this.pendingDelta;
    this.pendingDelta = undefined;
    if (!d || (!d.thinking && !d.answer)) return;
    this.broadcast(P.StreamDelta, {
      turnId: d.turnId,
      ...(d.thinking ? { thinking: d.thinking } : {}),
      ...(d.answer ? { answer: d.answer } : {}),
      ...(d.thinkingEndedAt ? { thinkingEndedAt: d.thinkingEndedAt } : {}),
      ...(d.firstTokenMs !== undefined ? { firstTokenMs: d.firstTokenMs } : {}),
    });
  }

  // ---- code blocks, links, error buttons ----------------------------------------------------

  /** What Apply on answer `turnId` of the conversation shown replaces (see ChatEditors.applyTarget). */
  applyTarget(turnId: string): Promise<ApplyTarget | undefined> {
    return this.editors.applyTarget(this.current.turns, turnId);
  }

  /** Opens an absolute http(s) link through VS Code, which asks first for a site the user has not trusted. */
  private async openLink(href: string): Promise<void> {
    const url = httpUrl(href);
    if (!url) {
      this.log.warn('chat: refused to open a link that is not an absolute http(s) URL');
      return;
    }
    this.log.info(`chat: opening a link to ${new URL(url).origin}`);
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private errorAction(action: ErrorAction): Promise<void> {
    return runErrorAction(action, () => this.regenerate());
  }

  // ---- persistence ---------------------------------------------------------------------------

  /** `changed`: the conversation whose content changed (only changed conversations are written). */
  private save(changed?: Conversation): void {
    this.store.scheduleSave(this.conversations.file, changed);
  }

  /** Writes the history now (tests, shutdown). */
  async flush(): Promise<void> {
    await this.store.flush();
  }

  protected override onDispose(): void {
    this.stop();
    this.flushDelta();
    for (const p of this.peers) p.dispose();
    this.peers.clear();
  }
}

/** The chip with its tokens as sent set (kept when already set). */
function withTokens(chip: ContextChip): ContextChip {
  return chip.tokens !== undefined ? chip : { ...chip, tokens: estimateTokens(formatChip(chip)) };
}
