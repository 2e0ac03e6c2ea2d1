/**
 * The chat view. The extension owns all state: on load the view asks for a snapshot (Ready) and
 * draws it, then follows notifications: SnapshotChanged redraws (reusing unchanged turns),
 * TurnChanged replaces one turn, StreamDelta appends streamed text, PendingContextChanged and
 * FocusInput update the input bar.
 */
import type { Turn } from '../common/chat/model.js';
import {
  FocusInput, PendingContextChanged, Ready, ReturnMessage, RunErrorAction, SnapshotChanged, Stop, StreamDelta, TurnChanged,
  type ChatSnapshot,
} from '../common/chat/protocol.js';
import { stringsWithDefaults } from '../common/chat/strings.js';
import type { Messenger } from '../common/ipc/messages.js';
import type { ViewContext } from './context.js';
import { Header } from './header.js';
import { InputBar } from './input.js';
import { MessageList } from './messages.js';
import { button, h, present } from './ui/dom.js';
import { icon } from './ui/icons.js';
import { readState, type VsCodeApi, type WebviewState } from './vscodeApi.js';

export class App {
  private ctx: ViewContext | undefined;
  private snapshot: ChatSnapshot | undefined;
  private header!: Header;
  private banner!: HTMLElement;
  private list!: MessageList;
  private input!: InputBar;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly messenger: Messenger,
    private readonly api: VsCodeApi,
  ) {}

  async start(): Promise<void> {
    const m = this.messenger;
    m.onNotification(SnapshotChanged, (s) => this.applySnapshot(s));
    m.onNotification(TurnChanged, ({ turn, totals }) => this.turnChanged(turn, totals));
    m.onNotification(StreamDelta, (d) => this.list?.delta(d));
    m.onNotification(PendingContextChanged, ({ context }) => {
      if (!this.snapshot) return;
      this.snapshot.pendingContext = context;
      this.input.setContext(context);
      this.input.scheduleBudget();
    });
    m.onNotification(FocusInput, () => this.input?.focus());
    m.onNotification(ReturnMessage, ({ text }) => this.input?.returnMessage(text));
    // The view taking the focus (Open Chat, a click on its tab or title, Ctrl+Alt+I…) puts it in
    // the input, unless something in the view has it already (a button, a code block, a link).
    // Not when the focus comes from a click (the pointer goes down first): the click may be the
    // start of a text selection in an answer, which must not be taken away.
    let pointerAt = -Infinity;
    window.addEventListener('pointerdown', () => { pointerAt = performance.now(); }, true);
    window.addEventListener('focus', () => {
      if (performance.now() - pointerAt > 500) this.focusInputIfIdle();
    });
    const snapshot = await m.sendRequest(Ready, undefined);
    this.applySnapshot(snapshot);
    // opened by a command: the view had the focus before the input existed
    this.focusInputIfIdle();
  }

  private focusInputIfIdle(): void {
    if (!this.input || !document.hasFocus()) return;
    const active = document.activeElement;
    if (!active || active === document.body || active === document.documentElement) this.input.focus();
  }

  private build(snapshot: ChatSnapshot): ViewContext {
    const ctx: ViewContext = {
      messenger: this.messenger,
      t: stringsWithDefaults(snapshot.strings),
      settings: snapshot.settings,
      streamingId: snapshot.streamingId,
      focusInput: () => this.input.focus(),
    };
    this.ctx = ctx;
    this.header = new Header(ctx);
    this.list = new MessageList(ctx);
    this.input = new InputBar(ctx);
    // Sending from higher up in the conversation: the list follows the end again, where the
    // question and its answer appear.
    this.input.onSubmit = () => this.list.scroll.jumpToLatest();
    this.banner = h('div', { class: 'banner', role: 'status', 'data-testid': 'api-key-banner' },
      icon('key', 'icon banner-icon'),
      h('span', { class: 'banner-text' }, ctx.t('apiKeyMissing')),
      button({ label: ctx.t('setApiKey'), text: ctx.t('setApiKey'), testId: 'set-api-key', className: 'button primary small', onClick: () => this.messenger.sendNotification(RunErrorAction, { action: 'setApiKey' }) }),
    );
    this.root.classList.add('chat-app');
    this.root.dataset.testid = 'chat-app';
    this.root.replaceChildren(this.header.element, this.list.element, this.input.element);
    this.list.scroller.addEventListener('scroll', () => this.saveStateSoon(), { passive: true });
    // Escape stops a running answer from anywhere in the view (menus and editors handle theirs first).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing && this.ctx?.streamingId) {
        e.preventDefault();
        this.messenger.sendNotification(Stop, undefined);
      }
    });
    return ctx;
  }

  private applySnapshot(s: ChatSnapshot): void {
    const first = !this.ctx;
    const ctx = this.ctx ?? this.build(s);
    const previous = this.snapshot;
    this.snapshot = s;
    ctx.settings = s.settings;
    ctx.streamingId = s.streamingId;
    this.header.render(s.conversation, s.conversations, s.totals);
    present(this.banner, !s.settings.hasApiKey, (el) => this.header.element.after(el));
    this.list.render(s.conversation.turns);
    this.input.setContext(s.pendingContext);
    this.input.setSettings(s.settings);
    this.input.setStreaming(!!s.streamingId);
    this.input.scheduleBudget(true);
    if (first) {
      this.input.restoreDraft(s.draft);
      const state = readState(this.api);
      const same = state.conversationId === s.conversation.id;
      requestAnimationFrame(() => this.list.scroll.restore(same ? state.scrollTop : undefined, !same || state.following !== false));
    } else if (previous?.conversation.id !== s.conversation.id) {
      this.list.scroll.jumpToLatest();
    }
    this.saveStateSoon();
  }

  private turnChanged(turn: Turn, totals: ChatSnapshot['totals']): void {
    const s = this.snapshot;
    const ctx = this.ctx;
    if (!s || !ctx) return;
    const turns = s.conversation.turns;
    const at = turns.findIndex((t) => t.id === turn.id);
    if (at >= 0) turns[at] = turn;
    else turns.push(turn);
    s.totals = totals;
    if (turn.role === 'assistant') {
      if (turn.status === 'streaming') ctx.streamingId = turn.id;
      else if (ctx.streamingId === turn.id) ctx.streamingId = undefined;
      s.streamingId = ctx.streamingId;
    }
    this.list.upsert(turn);
    this.header.renderTotals(totals);
    this.input.setStreaming(!!ctx.streamingId);
    if (turn.role === 'assistant' && turn.status !== 'streaming') this.input.scheduleBudget();
  }

  private saveStateSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      if (!this.snapshot) return;
      const state: WebviewState = {
        conversationId: this.snapshot.conversation.id,
        scrollTop: Math.round(this.list.scroller.scrollTop),
        following: this.list.scroll.isFollowing,
      };
      this.api.setState(state);
    }, 200);
  }
}
