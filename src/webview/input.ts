/**
 * The input bar: a growing text area (Enter sends, Shift+Enter adds a line, Escape stops, an IME
 * composition never sends), the pending context chips, Attach Active File, the fast/slow thinking
 * toggle, Send/Stop, and the live context budget with its warnings. The draft is saved to the
 * extension (debounced) so a reload keeps it.
 */
import type { ContextChip } from '../common/chat/model.js';
import {
  AttachActiveFile, DropOldest, EstimateBudget, MAX_TEXT_LENGTH, RemoveContext, SaveDraft, Send, SetThinking, Stop,
  type BudgetView, type ChatSettingsView,
} from '../common/chat/protocol.js';
import type { ViewContext } from './context.js';
import { chipList } from './ui/chips.js';
import { button, formatCount, h, present, setDisabled } from './ui/dom.js';
import { icon } from './ui/icons.js';
import { autoGrow, isComposing, isSubmitKey } from './ui/textInput.js';

const DRAFT_DELAY_MS = 400;
const BUDGET_DELAY_MS = 250;

export class InputBar {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly chips: HTMLElement;
  private readonly send: HTMLButtonElement;
  private readonly thinking: HTMLButtonElement;
  private readonly budget: HTMLElement;
  private readonly warning: HTMLElement;
  private context: readonly ContextChip[] = [];
  private streaming = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private budgetTimer: ReturnType<typeof setTimeout> | undefined;
  private budgetSeq = 0;
  private composing = false;

  constructor(private readonly ctx: ViewContext) {
    const t = ctx.t;
    this.textarea = h('textarea', {
      class: 'chat-input',
      'data-testid': 'chat-input',
      rows: 1,
      'aria-label': t('inputLabel'),
      placeholder: t('inputPlaceholder'),
      // the extension refuses longer messages (and drafts) anyway
      maxlength: MAX_TEXT_LENGTH,
    });
    this.chips = h('div', { class: 'pending-chips' });
    this.send = button({ label: t('send'), title: t('sendTitle'), icon: 'send', testId: 'send-button', className: 'icon-button send-button', onClick: () => this.sendOrStop() });
    this.thinking = button({ label: t('deepThinking'), text: t('deepThinking'), icon: 'bulb', testId: 'thinking-toggle', className: 'toggle', onClick: () => this.toggleThinking() });
    const attach = button({ label: t('attachFile'), icon: 'attach', testId: 'attach-file', onClick: () => ctx.messenger.sendNotification(AttachActiveFile, undefined) });
    this.budget = h('div', { class: 'budget', 'data-testid': 'budget', 'aria-live': 'off' });
    this.warning = h('div', { class: 'budget-warning', 'data-testid': 'budget-warning', role: 'status' });
    this.budget.hidden = true;
    this.element = h('div', { class: 'input-bar', 'data-testid': 'input-bar' },
      h('div', { class: 'input-box' },
        this.chips,
        this.textarea,
        h('div', { class: 'input-toolbar' }, attach, this.thinking, h('span', { class: 'spacer' }), this.send),
      ),
      this.budget,
    );

    this.textarea.addEventListener('compositionstart', () => {
      this.composing = true;
    });
    this.textarea.addEventListener('compositionend', () => {
      this.composing = false;
    });
    this.textarea.addEventListener('keydown', (e) => this.onKey(e));
    this.textarea.addEventListener('input', () => {
      autoGrow(this.textarea);
      this.refreshSend();
      this.scheduleDraft();
      this.scheduleBudget();
    });
    this.textarea.addEventListener('blur', () => this.flushDraft());
    window.addEventListener('pagehide', () => this.flushDraft());
    // The box fits its text, or its placeholder while empty (which wraps in a narrow panel, and
    // in Chinese): again whenever its width changes, including the first layout once shown. The
    // height is set in the next frame, outside the observer's callback (no resize loop).
    let width = -1;
    new ResizeObserver((entries) => {
      const w = entries[entries.length - 1].contentRect.width;
      if (w === width) return;
      width = w;
      requestAnimationFrame(() => autoGrow(this.textarea));
    }).observe(this.textarea);
  }

  /** Puts a saved draft back (on load). */
  restoreDraft(text: string): void {
    if (this.textarea.value !== text) this.textarea.value = text;
    autoGrow(this.textarea);
    this.refreshSend();
  }

  focus(): void {
    this.textarea.focus();
  }

  setContext(context: readonly ContextChip[]): void {
    this.context = context;
    this.chips.replaceChildren(context.length ? chipList(context, this.ctx.t, 'pending-chip', (c) => this.ctx.messenger.sendNotification(RemoveContext, { id: c.id })) : '');
    this.refreshSend();
  }

  setSettings(settings: ChatSettingsView): void {
    const slow = settings.thinking === 'slow';
    this.thinking.setAttribute('aria-pressed', String(slow));
    this.thinking.title = this.ctx.t(slow ? 'thinkingSlowTitle' : 'thinkingFastTitle');
  }

  setStreaming(streaming: boolean): void {
    this.streaming = streaming;
    const t = this.ctx.t;
    this.send.dataset.mode = streaming ? 'stop' : 'send';
    this.send.setAttribute('aria-label', t(streaming ? 'stop' : 'send'));
    this.send.title = t(streaming ? 'stopTitle' : 'sendTitle');
    this.send.replaceChildren(icon(streaming ? 'stop' : 'send'));
    this.refreshSend();
  }

  /** Asks the extension for the budget of the draft as it is (debounced unless `now`). */
  scheduleBudget(now = false): void {
    if (this.budgetTimer !== undefined) clearTimeout(this.budgetTimer);
    this.budgetTimer = setTimeout(() => {
      this.budgetTimer = undefined;
      void this.estimate();
    }, now ? 0 : BUDGET_DELAY_MS);
  }

  // ---- internals -------------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (this.composing || isComposing(e))) return;
    if (isSubmitKey(e)) {
      e.preventDefault();
      if (!this.streaming) this.submit();
    } else if (e.key === 'Escape' && this.streaming && !isComposing(e)) {
      e.preventDefault();
      e.stopPropagation();
      this.ctx.messenger.sendNotification(Stop, undefined);
    }
  }

  private sendOrStop(): void {
    if (this.streaming) this.ctx.messenger.sendNotification(Stop, undefined);
    else this.submit();
    this.textarea.focus();
  }

  private canSend(): boolean {
    return !!this.textarea.value.trim() || this.context.length > 0;
  }

  private submit(): void {
    if (!this.canSend()) return;
    const text = this.textarea.value;
    // The extension clears its copy of the draft when it takes the message.
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.ctx.messenger.sendNotification(Send, { text });
    this.textarea.value = '';
    autoGrow(this.textarea);
    this.refreshSend();
    this.scheduleBudget();
  }

  private refreshSend(): void {
    setDisabled(this.send, !this.streaming && !this.canSend());
  }

  private toggleThinking(): void {
    const mode = this.ctx.settings.thinking === 'slow' ? 'fast' : 'slow';
    this.ctx.settings = { ...this.ctx.settings, thinking: mode };
    this.setSettings(this.ctx.settings);
    this.ctx.messenger.sendNotification(SetThinking, { mode });
  }

  private scheduleDraft(): void {
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDraft(), DRAFT_DELAY_MS);
  }

  private flushDraft(): void {
    if (this.draftTimer === undefined) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.ctx.messenger.sendNotification(SaveDraft, { text: this.textarea.value });
  }

  private async estimate(): Promise<void> {
    const seq = ++this.budgetSeq;
    let view: BudgetView;
    try {
      view = await this.ctx.messenger.sendRequest(EstimateBudget, { draft: this.textarea.value });
    } catch {
      if (seq === this.budgetSeq) this.budget.hidden = true;
      return;
    }
    if (seq === this.budgetSeq) this.renderBudget(view);
  }

  private renderBudget(b: BudgetView): void {
    const t = this.ctx.t;
    this.budget.hidden = false;
    this.budget.textContent = t('budget', formatCount(b.promptTokens), formatCount(Math.max(0, b.remaining)), formatCount(b.contextWindow));
    this.budget.title = t('budgetTitle', formatCount(b.maxTokens));
    this.budget.classList.toggle('low', b.tooLong || b.overflowTurns > 0 || b.remaining < b.contextWindow * 0.1);
    const parts: Node[] = [];
    if (b.tooLong) {
      parts.push(icon('error', 'icon warning-icon'), h('span', { class: 'warning-text', 'data-testid': 'too-long' }, t('tooLong')));
      this.warning.classList.add('error');
    } else if (b.overflowTurns > 0) {
      const turns = b.overflowTurns;
      const drop = turns === 1 ? t('dropOldestOne') : t('dropOldest', turns);
      parts.push(
        icon('warning', 'icon warning-icon'),
        h('span', { class: 'warning-text', 'data-testid': 'overflow' }, turns === 1 ? t('overflowOne') : t('overflow', turns)),
        button({ label: drop, text: drop, testId: 'drop-oldest', className: 'button secondary small', onClick: () => this.ctx.messenger.sendNotification(DropOldest, { turns }) }),
      );
      this.warning.classList.remove('error');
    }
    this.warning.replaceChildren(...parts);
    present(this.warning, parts.length > 0, (el) => this.element.prepend(el));
  }
}
