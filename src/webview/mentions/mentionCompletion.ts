/**
 * @-mention completion in the chat input: typing `@` or `#` where a mention may start (see
 * common/chat/mentions.ts) opens a list above the input of what the extension offers for the
 * query typed so far (QueryMentions, debounced; a reply to an older query is dropped). ↑/↓ move,
 * Enter or Tab picks, Escape closes (and the list stays closed for that mention), a click picks,
 * hovering highlights. Picking removes the typed `@query` from the input and sends PickMention;
 * the extension answers with PendingContextChanged (the new chip).
 *
 * The input is an ARIA combobox that owns a listbox (`aria-expanded`, `aria-controls`,
 * `aria-activedescendant`); focus stays in the input. IME-safe: while a composition is open no
 * query is made and no key is taken, so Enter confirms the candidate and neither picks nor sends.
 */
import { mentionAt, removeMention, type MentionToken } from '../../common/chat/mentions.js';
import { PickMention, QueryMentions, type MentionItem } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import { kindIcon, kindName } from '../ui/chips.js';
import { h } from '../ui/dom.js';
import { isComposing } from '../ui/textInput.js';

/** Wait after the last keystroke before asking the extension. */
export const MENTION_QUERY_DELAY_MS = 60;
/** Most entries shown (the extension ranks and caps its list too). */
const MAX_ITEMS = 50;

let instances = 0;

export class MentionCompletion {
  /** The popup (put it in a positioned box above the input). */
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly idPrefix: string;
  private items: MentionItem[] = [];
  private active = -1;
  private open = false;
  /** The mention the list is for (its trigger's position, trigger and query). */
  private token: MentionToken | undefined;
  /** The start of a mention Escape closed the list for: it stays closed until that mention is gone. */
  private dismissedAt: number | undefined;
  private composing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly ctx: ViewContext,
    private readonly textarea: HTMLTextAreaElement,
    /** The input's text changed (a pick removed the query): save the draft, re-estimate… */
    private readonly onTextChanged: () => void,
  ) {
    this.idPrefix = `mention-${++instances}`;
    this.list = h('ul', { class: 'mention-list', role: 'listbox', id: `${this.idPrefix}-list`, 'aria-label': ctx.t('mentionListLabel'), 'data-testid': 'mention-list' });
    this.empty = h('div', { class: 'mention-empty', 'data-testid': 'mention-empty', role: 'status' }, ctx.t('mentionNoMatches'));
    this.element = h('div', { class: 'mention-popup', 'data-testid': 'mention-popup' }, this.list);
    this.element.hidden = true;

    textarea.setAttribute('role', 'combobox');
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-haspopup', 'listbox');
    textarea.setAttribute('aria-controls', this.list.id);
    textarea.setAttribute('aria-expanded', 'false');

    textarea.addEventListener('compositionstart', () => {
      this.composing = true;
    });
    textarea.addEventListener('compositionend', () => {
      this.composing = false;
      this.update();
    });
    textarea.addEventListener('input', (e) => {
      if (this.composing || (e as InputEvent).isComposing) return;
      this.update();
    });
    // The caret moved without typing (arrows, Home/End, a click).
    textarea.addEventListener('keyup', (e) => {
      if (this.composing || isComposing(e)) return;
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key) || (!this.open && (e.key === 'ArrowUp' || e.key === 'ArrowDown'))) this.update();
    });
    textarea.addEventListener('click', () => this.update());
    textarea.addEventListener('blur', () => this.close());
    // A click on an entry must not take the focus from the input (it would close the list first).
    this.element.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const option = (e.target as Element).closest<HTMLElement>('[role="option"]');
      if (option) this.pick(Number(option.dataset.index));
    });
    this.list.addEventListener('mousemove', (e) => {
      const option = (e.target as Element).closest<HTMLElement>('[role="option"]');
      if (option) this.setActive(Number(option.dataset.index), false);
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * A key pressed in the input: the list's keys while it is open (↑ ↓ Enter Tab Escape). Returns
   * whether it took the key (then the input must not act on it). Never during a composition.
   */
  handleKey(e: KeyboardEvent): boolean {
    if (!this.open || this.composing || isComposing(e)) return false;
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    const n = this.items.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!n) return false;
        e.preventDefault();
        this.setActive((this.active + (e.key === 'ArrowDown' ? 1 : -1) + n) % n, true);
        return true;
      case 'Enter':
      case 'Tab':
        if (e.shiftKey || !n || this.active < 0) return false;
        e.preventDefault();
        this.pick(this.active);
        return true;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        this.dismissedAt = this.token?.start;
        this.close();
        return true;
    }
    return false;
  }

  /** Looks at the text around the caret again: opens, refreshes or closes the list. */
  update(): void {
    const ta = this.textarea;
    const token = ta.selectionStart === ta.selectionEnd ? mentionAt(ta.value, ta.selectionStart) : undefined;
    if (!token) {
      this.dismissedAt = undefined;
      this.close();
      return;
    }
    if (token.start === this.dismissedAt) return;
    const previous = this.token;
    this.token = token;
    if (previous && previous.start === token.start && previous.trigger === token.trigger && previous.query === token.query) return;
    this.schedule(token);
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.seq++;
    this.token = undefined;
    if (!this.open) return;
    this.open = false;
    this.items = [];
    this.active = -1;
    this.element.hidden = true;
    this.list.replaceChildren();
    this.empty.remove();
    this.textarea.setAttribute('aria-expanded', 'false');
    this.textarea.removeAttribute('aria-activedescendant');
  }

  // ---- internals -------------------------------------------------------------------------------

  private schedule(token: MentionToken): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const seq = ++this.seq;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.query(token, seq);
    }, MENTION_QUERY_DELAY_MS);
  }

  private async query(token: MentionToken, seq: number): Promise<void> {
    let items: MentionItem[];
    try {
      items = await this.ctx.messenger.sendRequest(QueryMentions, { trigger: token.trigger, query: token.query });
    } catch {
      if (seq === this.seq) this.close();
      return;
    }
    // A newer query went out, or the mention is gone: this reply is stale.
    if (seq !== this.seq || !this.token || this.token.start !== token.start) return;
    this.show(Array.isArray(items) ? items.slice(0, MAX_ITEMS) : []);
  }

  private show(items: MentionItem[]): void {
    const t = this.ctx.t;
    this.items = items;
    this.list.replaceChildren(...items.map((item, i) => h(
      'li',
      {
        class: 'mention-item',
        role: 'option',
        id: `${this.idPrefix}-${i}`,
        'aria-selected': 'false',
        'aria-label': [item.label, item.detail, kindName(item.kind, t)].filter(Boolean).join(', '),
        'data-testid': 'mention-item',
        'data-index': i,
        'data-kind': item.kind,
      },
      kindIcon(item.kind, 'icon mention-icon'),
      h('span', { class: 'mention-label' }, item.label),
      item.detail ? h('span', { class: 'mention-detail' }, item.detail) : null,
    )));
    if (items.length) this.empty.remove();
    else this.element.append(this.empty);
    this.list.hidden = !items.length;
    this.open = true;
    this.element.hidden = false;
    this.textarea.setAttribute('aria-expanded', 'true');
    this.active = -1;
    this.setActive(items.length ? 0 : -1, true);
  }

  private setActive(index: number, scroll: boolean): void {
    if (index === this.active && index >= 0) return;
    const options = this.list.children;
    options[this.active]?.setAttribute('aria-selected', 'false');
    options[this.active]?.classList.remove('active');
    this.active = index;
    const el = options[index] as HTMLElement | undefined;
    if (!el) {
      this.textarea.removeAttribute('aria-activedescendant');
      return;
    }
    el.setAttribute('aria-selected', 'true');
    el.classList.add('active');
    this.textarea.setAttribute('aria-activedescendant', el.id);
    if (scroll) el.scrollIntoView({ block: 'nearest' });
  }

  private pick(index: number): void {
    const item = this.items[index];
    if (!item) return;
    const ta = this.textarea;
    // The mention as it is now (the text may have moved since the list was drawn).
    const token = (ta.selectionStart === ta.selectionEnd ? mentionAt(ta.value, ta.selectionStart) : undefined) ?? this.token;
    if (token) {
      const { text, caret } = removeMention(ta.value, token);
      // Deleted as an edit (execCommand keeps the textarea's undo history: Ctrl+Z brings the
      // typed mention back); assigning the value is the fallback where that does nothing.
      ta.setSelectionRange(token.start, token.end);
      const edited = document.execCommand('delete') && ta.value === text;
      if (!edited) ta.value = text;
      ta.setSelectionRange(caret, caret);
    }
    this.close();
    this.ctx.messenger.sendNotification(PickMention, { id: item.id });
    this.onTextChanged();
  }
}
