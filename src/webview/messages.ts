/**
 * The message list: an ARIA log of turn views, kept by turn id so a redraw reuses what did not
 * change (no re-rendering of Markdown, open/closed thinking blocks kept), an empty state, link
 * interception (http(s) links through the extension, file links to OpenLocation), and auto-scroll
 * with "Jump to latest".
 */
import type { AssistantTurn, Turn, UserTurn } from '../common/chat/model.js';
import { httpUrl } from '../common/chat/links.js';
import { OpenLink, OpenLocation } from '../common/chat/protocol.js';
import type { ViewContext } from './context.js';
import { AssistantTurnView, type DeltaParams } from './render/assistantTurn.js';
import { FILE_LINK_CLASS } from './render/fileLinks.js';
import { UserTurnView } from './render/userTurn.js';
import { AutoScroll } from './scroll.js';
import { button, findControl, h, present, type ControlPlace } from './ui/dom.js';
import { icon } from './ui/icons.js';

type TurnView = UserTurnView | AssistantTurnView;

export class MessageList {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly content: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly jump: HTMLButtonElement;
  readonly scroll: AutoScroll;
  private views = new Map<string, TurnView>();
  private order: string[] = [];

  constructor(private readonly ctx: ViewContext) {
    const t = ctx.t;
    this.empty = h('div', { class: 'empty-state', 'data-testid': 'empty-state' });
    this.content = h('div', { class: 'messages-content' });
    this.scroller = h('div', {
      class: 'messages',
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': t('messagesLabel'),
      'data-testid': 'message-list',
      tabindex: 0,
    }, this.content);
    this.jump = button({ label: t('jumpToLatest'), text: t('jumpToLatest'), icon: 'arrowDown', testId: 'jump-to-latest', className: 'button jump-to-latest', onClick: () => {
      this.scroll.jumpToLatest();
    } });
    this.element = h('div', { class: 'messages-wrap' }, this.scroller);
    this.scroll = new AutoScroll(this.scroller, this.content, (following) => {
      present(this.jump, !following, (el) => this.element.append(el));
    });
    this.keepFocus();
    // Links in answers never navigate the webview, and never reach the webview host either (it
    // opens any link whose click gets to the window, relative ones too, which would make a second
    // request): the extension alone opens them, and only absolute http(s) ones.
    // A file link (render/fileLinks.ts: no href, data-path / data-line set by us after sanitizing)
    // opens the file in the editor, through the extension.
    const onLink = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a');
      if (!a || !this.scroller.contains(a)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.type === 'auxclick' && e.button !== 1) return;
      if (this.openFileLink(a)) return;
      const href = httpUrl(a.getAttribute('href'));
      if (href) ctx.messenger.sendNotification(OpenLink, { href });
    };
    this.scroller.addEventListener('click', onLink);
    this.scroller.addEventListener('auxclick', onLink);
    this.scroller.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return;
      const a = (e.target as Element | null)?.closest?.('a');
      if (a && this.scroller.contains(a) && this.openFileLink(a)) e.preventDefault();
    });
  }

  /**
   * A control with the focus that a redraw removes (a turn redrawn after Save & Resend, the
   * Regenerate or Retry button of an answer that is replaced, a code block's toolbar when the
   * block is done, Jump to Latest once at the end) hands the focus on instead of dropping it to
   * the page, where a keyboard or screen reader user would have to find their way back from the
   * top: to the same control of the redrawn turn or code block when there is one, else to the
   * input.
   */
  private keepFocus(): void {
    let focused: { element: Element; place?: ControlPlace } | undefined;
    this.element.addEventListener('focusin', (e) => {
      const el = e.target as Element;
      const turnId = el.closest('[data-turn-id]')?.getAttribute('data-turn-id');
      const testId = el.getAttribute('data-testid');
      const block = el.closest('[data-block-index]')?.getAttribute('data-block-index') ?? undefined;
      focused = { element: el, place: turnId && testId ? { turnId, block, testId } : undefined };
    });
    // The user moving the focus away themselves (a click on text outside the list) ends it: only a
    // control removed while it had the focus hands it on. (A removal may fire focusout too: the
    // element is then gone by the time this runs.)
    this.element.addEventListener('focusout', (e) => {
      const el = e.target as Element;
      queueMicrotask(() => {
        if (focused?.element === el && el.isConnected && document.activeElement !== el) focused = undefined;
      });
    });
    new MutationObserver(() => {
      if (!focused || focused.element.isConnected) return;
      const { place } = focused;
      focused = undefined;
      const active = document.activeElement;
      // it went somewhere on purpose, or the view does not have the focus (never take it from the editor)
      if ((active && active !== document.body && active !== document.documentElement) || !document.hasFocus()) return;
      const same = place && findControl(this.content, place);
      // (no scrolling to it: the list may be following the end of an answer)
      if (same) same.focus({ preventScroll: true });
      else this.ctx.focusInput();
    }).observe(this.element, { childList: true, subtree: true });
  }

  /** Sends OpenLocation for a file link; false for any other element. */
  private openFileLink(a: Element): boolean {
    if (!a.classList.contains(FILE_LINK_CLASS) || a.hasAttribute('href')) return false;
    const path = a.getAttribute('data-path');
    const line = Number(a.getAttribute('data-line') ?? '0');
    if (path) this.ctx.messenger.sendNotification(OpenLocation, { path, line: Number.isInteger(line) && line > 0 ? line : 0 });
    return true;
  }

  /** Shows `turns`, reusing the views of turns that did not change. */
  render(turns: readonly Turn[]): void {
    const next = new Map<string, TurnView>();
    let snippetPaths: string[] = [];
    for (const turn of turns) {
      let view = this.views.get(turn.id);
      if (view && !this.reusable(view, turn)) {
        view.element.remove();
        if (view instanceof AssistantTurnView) view.dispose();
        view = undefined;
      }
      if (turn.role === 'user') snippetPaths = turn.snippets?.refs.map((r) => r.path) ?? [];
      view ??= turn.role === 'user' ? new UserTurnView(this.ctx, turn) : new AssistantTurnView(this.ctx, turn, snippetPaths);
      if (view instanceof AssistantTurnView) view.setKnownPaths(snippetPaths);
      if (view instanceof AssistantTurnView && turn.role === 'assistant' && view.streaming) view.update(turn);
      next.set(turn.id, view);
    }
    for (const [id, view] of this.views) {
      if (next.has(id)) continue;
      view.element.remove();
      if (view instanceof AssistantTurnView) view.dispose();
    }
    this.views = next;
    this.order = turns.map((t) => t.id);
    // Put the views in order, moving only those out of place.
    let cursor: ChildNode | null = this.content.firstChild;
    for (const id of this.order) {
      const el = (next.get(id) as TurnView).element;
      if (el === cursor) cursor = cursor.nextSibling;
      else this.content.insertBefore(el, cursor);
    }
    this.afterChange();
  }

  private reusable(view: TurnView, turn: Turn): boolean {
    if (view instanceof UserTurnView) return turn.role === 'user' && view.shows(turn as UserTurn);
    return turn.role === 'assistant' && view.shows(turn as AssistantTurn);
  }

  /** A turn changed as a whole, or a new one started. */
  upsert(turn: Turn): void {
    const view = this.views.get(turn.id);
    if (!view) {
      const created = turn.role === 'user' ? new UserTurnView(this.ctx, turn) : new AssistantTurnView(this.ctx, turn, this.lastSnippetPaths());
      this.views.set(turn.id, created);
      this.order.push(turn.id);
      this.content.append(created.element);
    } else if (view instanceof AssistantTurnView && turn.role === 'assistant') {
      view.update(turn);
    } else if (view instanceof UserTurnView && turn.role === 'user') {
      view.update(turn);
      // The answer after it links the snippets' paths.
      const after = this.views.get(this.order[this.order.indexOf(turn.id) + 1] ?? '');
      if (after instanceof AssistantTurnView) after.setKnownPaths(view.snippetPaths);
    }
    this.afterChange();
  }

  /** The snippet paths of the last user message shown (the question a new answer answers). */
  private lastSnippetPaths(): string[] {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const view = this.views.get(this.order[i]);
      if (view instanceof UserTurnView) return view.snippetPaths;
    }
    return [];
  }

  delta(params: DeltaParams & { turnId: string }): void {
    const view = this.views.get(params.turnId);
    if (view instanceof AssistantTurnView) view.appendDelta(params);
  }

  /** Updates what depends on the turns' positions and on streaming (Regenerate, empty state). */
  afterChange(): void {
    const lastId = this.order[this.order.length - 1];
    for (const [id, view] of this.views) if (view instanceof AssistantTurnView) view.setLast(id === lastId);
    const isEmpty = this.order.length === 0;
    present(this.empty, isEmpty, (el) => this.scroller.prepend(el));
    if (isEmpty && !this.empty.firstChild) {
      const t = this.ctx.t;
      this.empty.append(icon('sparkle', 'icon empty-icon'), h('h2', { class: 'empty-title' }, t('emptyTitle')), h('p', { class: 'empty-body' }, t('emptyBody')));
    }
  }
}
