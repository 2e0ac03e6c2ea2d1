/**
 * Follows new text only while the reader is at the bottom. Scrolling up stops following (and
 * shows "Jump to latest"); reaching the bottom again, or the button, resumes it.
 */

/** How close to the bottom counts as "at the bottom", in pixels. */
const AT_BOTTOM = 4;

export class AutoScroll {
  private following = true;
  private lastTop = 0;
  private readonly observer: ResizeObserver;

  constructor(
    private readonly scroller: HTMLElement,
    content: HTMLElement,
    private readonly onFollowingChange: (following: boolean) => void,
  ) {
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // A wheel or key press upwards is the reader's intent even before the position changes.
    scroller.addEventListener('wheel', (e) => {
      if (e.deltaY < 0 && this.canScroll()) this.setFollowing(false);
    }, { passive: true });
    scroller.addEventListener('keydown', (e) => {
      if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && this.canScroll()) this.setFollowing(false);
    });
    this.observer = new ResizeObserver(() => this.contentChanged());
    this.observer.observe(content);
    this.observer.observe(scroller);
  }

  get isFollowing(): boolean {
    return this.following;
  }

  private canScroll(): boolean {
    return this.scroller.scrollHeight > this.scroller.clientHeight;
  }

  private atBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= AT_BOTTOM;
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    if (this.atBottom()) this.setFollowing(true);
    else if (top < this.lastTop) this.setFollowing(false);
    this.lastTop = top;
  }

  /** Content grew or shrank: stay at the bottom when following. */
  contentChanged(): void {
    if (this.following) this.scrollToBottom();
  }

  scrollToBottom(): void {
    const s = this.scroller;
    s.scrollTop = s.scrollHeight;
    this.lastTop = s.scrollTop;
  }

  jumpToLatest(): void {
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

  private setFollowing(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.onFollowingChange(following);
  }
}
