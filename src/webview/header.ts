/**
 * The header: the conversation's title (a button opening the conversation menu: switch to a
 * recent chat, rename, export as Markdown, delete), the running total (tokens and ¥, with ≈ when
 * estimated) and New Chat.
 */
import { formatYuan, type Conversation, type ConversationSummary, type ConversationTotals } from '../common/chat/model.js';
import { DeleteConversation, ExportConversation, NewChat, RenameConversation, SwitchConversation } from '../common/chat/protocol.js';
import type { ViewContext } from './context.js';
import { button, formatCount, h, setDisabled } from './ui/dom.js';
import { icon } from './ui/icons.js';
import { PopupMenu } from './ui/menu.js';

export class Header {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly totals: HTMLElement;
  private readonly menu: PopupMenu;
  private readonly menuButton: HTMLButtonElement;
  private conversation: Pick<Conversation, 'id' | 'title' | 'turns'> | undefined;
  private conversations: readonly ConversationSummary[] = [];

  constructor(private readonly ctx: ViewContext) {
    const t = ctx.t;
    this.title = h('span', { class: 'title', 'data-testid': 'conversation-title' });
    const menuButton = h('button', {
      type: 'button',
      class: 'title-button',
      'data-testid': 'conversation-menu-button',
      'aria-label': t('chatHistory'),
      title: t('chatHistory'),
    }, this.title, icon('chevronDown', 'icon chevron'));
    this.menuButton = menuButton;
    this.menu = new PopupMenu(menuButton, t('chatHistory'), 'conversation-menu', () => this.menuItems());
    this.totals = h('span', { class: 'totals', 'data-testid': 'totals' });
    const newChat = button({ label: t('newChat'), icon: 'plus', testId: 'new-chat', onClick: () => ctx.messenger.sendNotification(NewChat, undefined) });
    this.element = h('header', { class: 'header', 'data-testid': 'chat-header' },
      h('div', { class: 'title-wrap' }, menuButton, this.menu.element),
      this.totals,
      newChat,
    );
  }

  render(conversation: Conversation, conversations: readonly ConversationSummary[], totals: ConversationTotals): void {
    this.conversation = conversation;
    this.conversations = conversations;
    const title = conversation.title || this.ctx.t('newChat');
    this.title.textContent = title;
    this.title.title = title;
    this.renderTotals(totals);
    setDisabled(this.menuButton, !conversations.length && !conversation.turns.length);
    if (this.menu.isOpen) this.menu.close(false);
  }

  renderTotals(totals: ConversationTotals): void {
    const t = this.ctx.t;
    const tokens = totals.promptTokens + totals.completionTokens;
    this.totals.hidden = tokens === 0 && totals.costYuan === 0;
    const approx = totals.estimated ? '≈' : '';
    this.totals.textContent = `${approx}${t('tokenCount', formatCount(tokens))} · ${approx}${formatYuan(totals.costYuan)}`;
    const title = t('totalsTitle', formatCount(totals.promptTokens), formatCount(totals.completionTokens), formatYuan(totals.costYuan));
    this.totals.title = totals.estimated ? `${title}\n${t('estimatedNote')}` : title;
  }

  private menuItems(): HTMLElement[] {
    const t = this.ctx.t;
    const m = this.ctx.messenger;
    const current = this.conversation;
    const items: HTMLElement[] = [];
    const lang = document.documentElement.lang || undefined;
    const date = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    if (this.conversations.length) {
      items.push(h('div', { class: 'menu-label', role: 'presentation' }, t('recentChats')));
      for (const c of this.conversations) {
        const checked = c.id === current?.id;
        const item = h('button', {
          type: 'button',
          class: 'menu-item conversation-item',
          role: 'menuitemradio',
          'aria-checked': String(checked),
          'data-testid': 'conversation-item',
          'data-conversation-id': c.id,
          title: c.title,
        },
        icon('check', 'icon menu-check'),
        h('span', { class: 'menu-item-text' }, c.title || t('newChat')),
        h('span', { class: 'menu-item-meta' }, `${t('messageCount', c.turnCount)} · ${date.format(c.updatedAt)}`));
        item.addEventListener('click', () => {
          if (!checked) m.sendNotification(SwitchConversation, { id: c.id });
        });
        items.push(item);
      }
    }
    if (current && current.turns.length) {
      if (items.length) items.push(h('div', { class: 'menu-separator', role: 'separator' }));
      const action = (label: string, testId: string, iconName: Parameters<typeof icon>[0], run: () => void) => {
        const item = h('button', { type: 'button', class: 'menu-item', role: 'menuitem', 'data-testid': testId, 'aria-label': label }, icon(iconName, 'icon menu-icon'), h('span', { class: 'menu-item-text' }, label));
        item.addEventListener('click', run);
        return item;
      };
      const id = current.id;
      items.push(
        action(t('renameChat'), 'menu-rename', 'edit', () => m.sendNotification(RenameConversation, { id })),
        action(t('exportChat'), 'menu-export', 'newFile', () => m.sendNotification(ExportConversation, { id })),
        action(t('deleteChat'), 'menu-delete', 'close', () => m.sendNotification(DeleteConversation, { id })),
      );
    }
    return items;
  }
}
