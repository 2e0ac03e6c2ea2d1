/**
 * A popup menu under a button, keyboard-first: the button opens it (click, Enter, Space, Down),
 * arrows move between items, Home/End jump, Escape or Tab closes it and focus returns to the
 * button, a click outside closes it.
 */
import { h } from './dom.js';

export class PopupMenu {
  readonly element: HTMLElement;
  private open = false;
  private readonly onDocumentPointer = (e: PointerEvent) => {
    if (!this.element.contains(e.target as Node) && !this.anchor.contains(e.target as Node)) this.close(false);
  };

  constructor(
    private readonly anchor: HTMLButtonElement,
    label: string,
    testId: string,
    private readonly build: () => HTMLElement[],
  ) {
    this.element = h('div', { class: 'menu', role: 'menu', 'aria-label': label, 'data-testid': testId, tabindex: -1 });
    this.element.hidden = true;
    anchor.setAttribute('aria-haspopup', 'menu');
    anchor.setAttribute('aria-expanded', 'false');
    const disabled = () => anchor.getAttribute('aria-disabled') === 'true';
    anchor.addEventListener('click', () => {
      if (this.open) this.close(true);
      else if (!disabled()) this.show('first');
    });
    anchor.addEventListener('keydown', (e) => {
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !disabled()) {
        e.preventDefault();
        this.show(e.key === 'ArrowDown' ? 'first' : 'last');
      }
    });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => {
      if ((e.target as Element).closest('[role^="menuitem"]')) this.close(true);
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  private items(): HTMLElement[] {
    return Array.from(this.element.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])'));
  }

  show(focus: 'first' | 'last' | 'checked'): void {
    this.element.replaceChildren(...this.build());
    for (const item of this.element.querySelectorAll<HTMLElement>('[role^="menuitem"]')) item.tabIndex = -1;
    this.element.hidden = false;
    this.open = true;
    this.anchor.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', this.onDocumentPointer, true);
    const items = this.items();
    const checked = items.find((i) => i.getAttribute('aria-checked') === 'true');
    const target = focus === 'last' ? items[items.length - 1] : focus === 'checked' ? checked ?? items[0] : checked ?? items[0];
    target?.focus();
  }

  close(returnFocus: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.anchor.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', this.onDocumentPointer, true);
    if (returnFocus) this.anchor.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => {
      e.preventDefault();
      items[(i + items.length) % items.length]?.focus();
    };
    switch (e.key) {
      case 'ArrowDown': return go(at + 1);
      case 'ArrowUp': return go(at - 1);
      case 'Home': return go(0);
      case 'End': return go(items.length - 1);
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        this.close(true);
        return;
      case 'Tab':
        this.close(false);
        return;
    }
  }
}
