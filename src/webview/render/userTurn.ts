/**
 * A user message: its text (plain text, as typed), its context chips, and an Edit button that
 * turns it into an inline editor (Save & Resend → EditAndResend; Escape or Cancel restores it).
 */
import type { UserTurn } from '../../common/chat/model.js';
import { EditAndResend } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import { chipList } from '../ui/chips.js';
import { button, h } from '../ui/dom.js';
import { autoGrow, isSubmitKey } from '../ui/textInput.js';

export class UserTurnView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly editButton: HTMLButtonElement;
  private editor: HTMLElement | undefined;
  private turn: UserTurn;

  constructor(
    private readonly ctx: ViewContext,
    turn: UserTurn,
  ) {
    this.turn = turn;
    this.editButton = button({ label: ctx.t('editMessage'), title: ctx.t('edit'), icon: 'edit', testId: 'edit-button', className: 'icon-button turn-action', onClick: () => this.startEditing() });
    this.body = h('div', { class: 'turn-body' });
    this.element = h(
      'article',
      { class: 'turn turn-user', 'data-testid': 'user-turn', 'data-turn-id': turn.id, 'aria-label': ctx.t('you') },
      h('header', { class: 'turn-header' }, h('span', { class: 'turn-author' }, ctx.t('you')), h('span', { class: 'spacer' }), this.editButton),
      this.body,
    );
    this.renderBody();
  }

  get id(): string {
    return this.turn.id;
  }

  /** Whether this view already shows `turn` as it is. */
  shows(turn: UserTurn): boolean {
    // While the message is being edited, a redraw keeps the editor (and what was typed in it).
    if (this.editor) return true;
    return turn.text === this.turn.text && turn.context.length === this.turn.context.length &&
      turn.context.every((c, i) => c.id === this.turn.context[i].id);
  }

  update(turn: UserTurn): void {
    this.turn = turn;
    if (!this.editor) this.renderBody();
  }

  get editing(): boolean {
    return !!this.editor;
  }

  private renderBody(): void {
    const children: Node[] = [];
    if (this.turn.text) children.push(h('div', { class: 'user-text', 'data-testid': 'user-text' }, this.turn.text));
    if (this.turn.context.length) children.push(chipList(this.turn.context, this.ctx.t, 'turn-chip'));
    this.body.replaceChildren(...children);
  }

  startEditing(): void {
    if (this.editor) return;
    const t = this.ctx.t;
    const textarea = h('textarea', { class: 'edit-textarea', 'data-testid': 'edit-textarea', 'aria-label': t('editMessage'), rows: 1 });
    textarea.value = this.turn.text;
    const save = () => {
      const text = textarea.value.trim();
      if (!text) return;
      this.stopEditing();
      this.ctx.messenger.sendNotification(EditAndResend, { turnId: this.turn.id, text });
    };
    const cancel = () => {
      this.stopEditing();
      this.editButton.focus();
    };
    textarea.addEventListener('input', () => autoGrow(textarea));
    textarea.addEventListener('keydown', (e) => {
      if (isSubmitKey(e)) {
        e.preventDefault();
        save();
      } else if (e.key === 'Escape' && !e.isComposing) {
        e.preventDefault();
        e.stopPropagation();
        cancel();
      }
    });
    this.editor = h(
      'div',
      { class: 'edit-box' },
      textarea,
      h(
        'div',
        { class: 'edit-actions' },
        button({ label: t('cancel'), text: t('cancel'), testId: 'edit-cancel', className: 'button secondary', onClick: cancel }),
        button({ label: t('saveAndResend'), text: t('saveAndResend'), testId: 'edit-save', className: 'button primary', onClick: save }),
      ),
    );
    this.element.classList.add('editing');
    this.body.replaceChildren(this.editor);
    this.editButton.hidden = true;
    autoGrow(textarea);
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  private stopEditing(): void {
    this.editor = undefined;
    this.element.classList.remove('editing');
    this.editButton.hidden = false;
    this.renderBody();
  }
}
