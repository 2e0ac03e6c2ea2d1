/**
 * The input bar: a growing text area (Enter sends, Shift+Enter adds a line, Escape stops, an IME
 * composition never sends), the pending context chips, Attach Active File, the fast/slow thinking
 * toggle, Send/Stop, @-mention completion (mentions/), and the live context budget: in short the
 * prompt, what is left and the cost in yuan, expandable to what the prompt is made of (system,
 * rules, history, each chip, the workspace search, the message), with its warnings. The draft is
 * saved to the extension (debounced) so a reload keeps it.
 */
import type { ContextChip } from '../common/chat/model.js';
import { formatYuan } from '../common/format.js';
import {
  AttachActiveFile, DropOldest, EstimateBudget, MAX_TEXT_LENGTH, RemoveContext, SaveDraft, Send, SetThinking, Stop,
  type BudgetView, type ChatSettingsView,
} from '../common/chat/protocol.js';
import type { ViewContext } from './context.js';
import { MentionCompletion } from './mentions/mentionCompletion.js';
import { chipList, chipName } from './ui/chips.js';
import { append, button, formatCount, formatTokens, h, present, setDisabled } from './ui/dom.js';
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
  /** A message was sent (the list then shows the end: the question and the answer to come). */
  onSubmit: (() => void) | undefined;
  private budgetTimer: ReturnType<typeof setTimeout> | undefined;
  private budgetSeq = 0;
  private composing = false;
  readonly mentions: MentionCompletion;
  private readonly budgetDetail: HTMLElement;
  private readonly budgetToggle: HTMLButtonElement;
  private budgetOpen = false;

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
    this.budgetToggle = h('button', {
      type: 'button', class: 'budget-summary', 'data-testid': 'budget-toggle', 'aria-expanded': 'false', 'aria-controls': 'budget-detail',
    });
    this.budgetToggle.addEventListener('click', () => this.toggleBudgetDetail());
    this.budgetDetail = h('div', { class: 'budget-detail', id: 'budget-detail', 'data-testid': 'budget-detail', role: 'region', 'aria-label': t('budgetDetails') });
    this.budgetDetail.hidden = true;
    this.budget = h('div', { class: 'budget', 'data-testid': 'budget', 'aria-live': 'off' }, this.budgetToggle, this.budgetDetail);
    this.warning = h('div', { class: 'budget-warning', 'data-testid': 'budget-warning', role: 'status' });
    this.budget.hidden = true;
    this.mentions = new MentionCompletion(ctx, this.textarea, () => this.textChanged());
    this.element = h('div', { class: 'input-bar', 'data-testid': 'input-bar' },
      h('div', { class: 'input-box' },
        this.mentions.element,
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
    this.textarea.addEventListener('input', () => this.textChanged());
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

  /**
   * A message sent that the extension could not take: back in the input, unless something new was
   * typed there meanwhile (then it goes first, on its own line, so neither is lost).
   */
  returnMessage(text: string): void {
    const typed = this.textarea.value;
    if (typed === text) return;
    this.textarea.value = typed.trim() ? `${text}\n${typed}` : text;
    this.textChanged();
    this.textarea.focus();
  }

  setContext(context: readonly ContextChip[]): void {
    // The chips are drawn anew: a keyboard user who removed one (its button had the focus) goes on
    // from the chip now in its place, or the input, not from the top of the page.
    const focused = this.chips.contains(document.activeElement) ? [...this.chips.querySelectorAll('button')].indexOf(document.activeElement as HTMLButtonElement) : -1;
    this.context = context;
    this.chips.replaceChildren(context.length ? chipList(context, this.ctx.t, 'pending-chip', (c) => this.ctx.messenger.sendNotification(RemoveContext, { id: c.id })) : '');
    if (focused >= 0) {
      const buttons = [...this.chips.querySelectorAll('button')];
      (buttons[Math.min(focused, buttons.length - 1)] ?? this.textarea).focus();
    }
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

  /** The text changed (typed, or a mention picked): size, Send, draft, budget. */
  private textChanged(): void {
    autoGrow(this.textarea);
    this.refreshSend();
    this.scheduleDraft();
    this.scheduleBudget();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (this.composing || isComposing(e))) return;
    // The @-mention list takes its keys first (it never takes one during a composition).
    if (this.mentions.handleKey(e)) return;
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
    this.onSubmit?.();
    this.mentions.close();
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

  private toggleBudgetDetail(): void {
    this.budgetOpen = !this.budgetOpen;
    this.budgetToggle.setAttribute('aria-expanded', String(this.budgetOpen));
    this.budgetDetail.hidden = !this.budgetOpen;
  }

  /** What the prompt is made of, the room for the answer and the cost, one [label, value] a row. */
  private budgetRows(b: BudgetView): { label: string; value: string; sub?: boolean; testId: string }[] {
    const t = this.ctx.t;
    const rows: { label: string; value: string; sub?: boolean; testId: string }[] = [
      { label: t('budgetPrompt'), value: `≈${formatCount(b.promptTokens)}`, testId: 'budget-prompt' },
    ];
    const p = b.parts;
    if (p) {
      rows.push({ label: t('budgetSystem'), value: formatCount(p.system), sub: true, testId: 'budget-system' });
      if (p.rules > 0) rows.push({ label: t('budgetRules'), value: formatCount(p.rules), sub: true, testId: 'budget-rules' });
      rows.push({ label: t('budgetHistory'), value: formatCount(p.history), sub: true, testId: 'budget-history' });
      for (const part of p.chips ?? []) {
        const chip = this.context.find((c) => c.id === part.id);
        if (!chip || chip.kind === 'rules') continue;
        rows.push({ label: chipName(chip, t), value: formatCount(part.tokens), sub: true, testId: 'budget-chip' });
      }
      if (p.snippets > 0) rows.push({ label: t('budgetSearch'), value: `≤${formatCount(p.snippets)}`, sub: true, testId: 'budget-search' });
      if (p.draft > 0) rows.push({ label: t('budgetDraft'), value: formatCount(p.draft), sub: true, testId: 'budget-draft' });
    }
    rows.push(
      { label: t('budgetAnswer'), value: `≤${formatCount(b.maxTokens)}`, testId: 'budget-answer' },
      { label: t('budgetLeft', formatCount(b.contextWindow)), value: formatCount(Math.max(0, b.remaining)), testId: 'budget-left' },
    );
    if (b.cost) {
      rows.push(
        { label: t('budgetPromptCost'), value: `≈${formatYuan(b.cost.prompt)}`, testId: 'budget-prompt-cost' },
        { label: t('budgetAnswerCost'), value: `≈${formatYuan(b.cost.answer)}`, testId: 'budget-answer-cost' },
      );
    }
    return rows;
  }

  private renderBudget(b: BudgetView): void {
    const t = this.ctx.t;
    this.budget.hidden = false;
    // In short (a narrow panel): the prompt, what is left, and the cost; the rest in the detail.
    this.budgetToggle.replaceChildren();
    append(this.budgetToggle, [
      icon('chevronRight', 'icon budget-chevron'),
      h('span', { class: 'budget-text', 'data-testid': 'budget-text' }, t('budget', formatTokens(b.promptTokens), formatTokens(Math.max(0, b.remaining)), formatTokens(b.contextWindow))),
      b.cost ? h('span', { class: 'budget-cost', 'data-testid': 'budget-cost' }, t('budgetCost', formatYuan(b.cost.prompt), formatYuan(b.cost.answer))) : null,
    ]);
    const rows = this.budgetRows(b);
    this.budgetToggle.title = [...rows.map((r) => `${r.sub ? '  ' : ''}${r.label}: ${r.value}`), '', t('budgetTitle', formatCount(b.maxTokens))].join('\n');
    this.budgetDetail.replaceChildren(h('dl', { class: 'budget-rows' }, ...rows.flatMap((r) => [
      h('dt', { class: r.sub ? 'sub' : '', 'data-testid': r.testId }, r.label),
      h('dd', { class: r.sub ? 'sub' : '' }, r.value),
    ])));
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
