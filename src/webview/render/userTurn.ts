/**
 * A user message: its text (plain text, as typed), its context chips, the workspace search's
 * "Used N snippets from M files" (unfolding to each snippet's `path:start-end`, a button that opens
 * it there), and an Edit button that turns it into an inline editor (Save & Resend →
 * EditAndResend; Escape or Cancel restores it).
 */
import { formatFileRef } from '../../common/chat/fileLinks.js';
import type { SnippetUse, UserTurn } from '../../common/chat/model.js';
import { EditAndResend, MAX_TEXT_LENGTH, OpenLocation } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import { chipList } from '../ui/chips.js';
import { button, h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
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
      turn.context.every((c, i) => c.id === this.turn.context[i].id) && sameSnippets(turn.snippets, this.turn.snippets);
  }

  /** The paths of the snippets sent with this message (an answer's references to them are links). */
  get snippetPaths(): string[] {
    return this.turn.snippets?.refs.map((r) => r.path) ?? [];
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
    if (this.turn.snippets && this.turn.snippets.snippets > 0) children.push(this.snippetsView(this.turn.snippets));
    this.body.replaceChildren(...children);
  }

  /** "Used N snippets from M files", unfolding to the list of snippets, each opening its file there. */
  private snippetsView(use: SnippetUse): HTMLElement {
    const t = this.ctx.t;
    const text = use.snippets === 1 && use.files <= 1 ? t('snippetUsedOne') : use.files === 1 ? t('snippetsUsedOneFile', use.snippets) : t('snippetsUsed', use.snippets, use.files);
    const list = h('ul', { class: 'snippet-refs', 'aria-label': t('snippetsLabel') });
    for (const ref of use.refs) {
      const label = formatFileRef(ref.path, ref.startLine, ref.endLine);
      list.append(h('li', {}, button({
        label: ref.startLine > 0 ? t('openLocation', ref.path, ref.startLine) : t('openFile', ref.path),
        text: label,
        icon: 'file',
        testId: 'snippet-ref',
        className: 'snippet-ref',
        onClick: () => this.ctx.messenger.sendNotification(OpenLocation, { path: ref.path, line: Math.max(0, ref.startLine) }),
      })));
    }
    return h(
      'details',
      { class: 'snippets', 'data-testid': 'snippets' },
      h('summary', { class: 'snippets-summary', 'data-testid': 'snippets-summary' }, icon('chevronRight', 'icon chevron'), icon('search', 'icon snippets-icon'), h('span', {}, text)),
      list,
    );
  }

  startEditing(): void {
    if (this.editor) return;
    const t = this.ctx.t;
    // no longer than the input allows (the extension refuses a longer message)
    const textarea = h('textarea', { class: 'edit-textarea', 'data-testid': 'edit-textarea', 'aria-label': t('editMessage'), rows: 1, maxlength: MAX_TEXT_LENGTH });
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

function sameSnippets(a: SnippetUse | undefined, b: SnippetUse | undefined): boolean {
  if (!a || !b) return a === b;
  return a.snippets === b.snippets && a.files === b.files && a.refs.length === b.refs.length &&
    a.refs.every((r, i) => r.path === b.refs[i].path && r.startLine === b.refs[i].startLine && r.endLine === b.refs[i].endLine);
}
