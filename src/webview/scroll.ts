/**
 * Follows new text only while the reader is at the bottom. Scrolling up stops following (and
 * shows "Jump to latest"); reaching the bottom again, or the button, resumes it.
 *
 * Nothing here reads the layout while text streams. Staying at the bottom is the browser's scroll
 * anchoring: while following, the only anchor candidate is a 1-pixel sentinel after the messages,
 * so the browser keeps it in place as content grows above it, inside its own layout. Whether the
 * bottom is in view comes from an IntersectionObserver on that sentinel (computed by the browser
 * after layout, delivered asynchronously). Scroll anchoring does not act at scroll offset 0 (the
 * first time content outgrows the view) or when the view itself shrinks: the observer then sees
 * the sentinel leave while following, and scrolls to the bottom. When not following, anchoring
 * falls back to the browser's normal choice, which keeps what the reader looks at in place.
 *
 * The reader's intent to leave the bottom is read from their input: a wheel or key upwards, a
 * click that opens a section (a `<summary>`), or a scroll while they drag the scroll
 * bar, touch, or move the focus; a scroll the page makes itself (content shrinking under the
 * anchor) never stops following.
 */

/** How close to the bottom counts as "at the bottom", in pixels beyond the sentinel. */
const AT_BOTTOM = 4;
/** A scroll this soon after the reader's input is theirs. */
const INTENT_MS = 1000;

export class AutoScroll {
  private following = true;
  private lastTop = 0;
  private dragging = false;
  private intentUntil = 0;
  private readonly sentinel: HTMLElement;
  private readonly observer: IntersectionObserver;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly content: HTMLElement,
    private readonly onFollowingChange: (following: boolean) => void,
  ) {
    this.sentinel = document.createElement('div');
    this.sentinel.className = 'scroll-sentinel';
    this.sentinel.setAttribute('aria-hidden', 'true');
    scroller.append(this.sentinel);
    content.classList.add('scroll-pinned');
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // A wheel or key press upwards is the reader's intent even before the position changes.
    scroller.addEventListener('wheel', (e) => {
      this.intent();
      if (e.deltaY < 0 && this.canScroll()) this.setFollowing(false);
    }, { passive: true });
    scroller.addEventListener('keydown', (e) => {
      this.intent();
      if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && this.canScroll()) this.setFollowing(false);
    });
    // The scroll bar (a press on the scroller itself, not on its content), touch, focus moving.
    scroller.addEventListener('pointerdown', (e) => {
      this.intent();
      if (e.target === scroller) this.dragging = true;
    });
    window.addEventListener('pointerup', () => {
      this.dragging = false;
    });
    window.addEventListener('pointercancel', () => {
      this.dragging = false;
    });
    scroller.addEventListener('touchstart', () => this.intent(), { passive: true });
    // Opening a section (the thinking, the snippets): the reader is reading there, so it stays
    // where it is, rather than the end being kept in view and the section pushed up out of sight.
    // (Closing one keeps following: that is how one makes room to watch the answer.)
    scroller.addEventListener('click', (e) => {
      const details = e.target instanceof Element ? e.target.closest('summary')?.parentElement : null;
      if (details instanceof HTMLDetailsElement && !details.open && this.canScroll()) {
        this.intent();
        this.setFollowing(false);
      }
    });
    scroller.addEventListener('focusin', () => this.intent());
    this.observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) this.onSentinel(last.isIntersecting);
    }, { root: scroller, rootMargin: `0px 0px ${AT_BOTTOM}px 0px` });
    this.observer.observe(this.sentinel);
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** Content changed in a way anchoring does not cover: stay at the bottom when following. */
  contentChanged(): void {
    if (this.following) this.scrollToBottom();
  }

  scrollToBottom(): void {
    const s = this.scroller;
    s.scrollTop = s.scrollHeight;
    this.lastTop = s.scrollTop;
  }

  jumpToLatest(): void {
    // (a jump ends the reader's own scrolling: the scrolls the new content makes are not theirs)
    this.intentUntil = 0;
    this.setFollowing(true);
    this.scrollToBottom();
  }

  /** Restores a saved position (after a reload); following if it was at the bottom. */
  restore(scrollTop: number | undefined, following: boolean): void {
    if (following || scrollTop === undefined) {
      this.jumpToLatest();
      return;
    }
    this.scroller.scrollTop = scrollTop;
    this.lastTop = this.scroller.scrollTop;
    this.setFollowing(this.atBottom());
  }

  private intent(): void {
    // The position the reader starts from: read once per input, never per render.
    if (performance.now() > this.intentUntil) this.lastTop = this.scroller.scrollTop;
    this.intentUntil = performance.now() + INTENT_MS;
  }

  private canScroll(): boolean {
    return this.scroller.scrollHeight > this.scroller.clientHeight;
  }

  private atBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= AT_BOTTOM;
  }

  private onScroll(): void {
    // Scrolls the page makes (anchoring, following) are not looked at.
    if (!this.dragging && performance.now() > this.intentUntil) return;
    const top = this.scroller.scrollTop;
    if (top < this.lastTop - 1 && !this.atBottom()) this.setFollowing(false);
    this.lastTop = top;
  }

  private onSentinel(visible: boolean): void {
    if (visible) this.setFollowing(true);
    else if (this.following) this.scrollToBottom();
  }

  private setFollowing(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    // While following, only the sentinel anchors; otherwise the browser picks what is in view.
    this.content.classList.toggle('scroll-pinned', following);
    this.onFollowingChange(following);
  }
}
