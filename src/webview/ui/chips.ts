/**
 * Context chips: what is attached to a message. Each kind has its icon and a meta line of its
 * own (a selection's language and lines, a folder's file count, a symbol's file…; the extension's
 * `detail` when it sent one), the chip's token cost, and a "✂ trimmed" mark when the extension
 * cut it to fit (what was left out in its tooltip and accessible name). The project rules read
 * "Rules" (removing them leaves them out of one message), a workspace search "@workspace".
 */
import type { ContextChip, ContextKind } from '../../common/chat/model.js';
import type { ChatStringKey } from '../../common/chat/strings.js';
import type { Translate } from '../context.js';
import { button, formatTokens, h } from './dom.js';
import { icon, type IconName } from './icons.js';

/** The label a workspace-search chip shows: the mention as typed, not translated. */
export const WORKSPACE_LABEL = '@workspace';

const KIND_ICONS: Record<ContextKind, IconName> = {
  selection: 'code', file: 'file', folder: 'folder', symbol: 'symbol', editors: 'editors', problems: 'problems',
  git: 'git', terminal: 'terminal', rules: 'rules', workspace: 'search',
};

const KIND_NAMES: Record<ContextKind, ChatStringKey> = {
  selection: 'kindSelection', file: 'kindFile', folder: 'kindFolder', symbol: 'kindSymbol', editors: 'kindEditors',
  problems: 'kindProblems', git: 'kindGit', terminal: 'kindTerminal', rules: 'kindRules', workspace: 'kindWorkspace',
};

/** The icon of a context kind (chips and the @-mention list); a file's for a kind this view does not know. */
export function kindIcon(kind: ContextKind, className = 'icon'): SVGSVGElement {
  return icon(KIND_ICONS[kind] ?? 'file', className);
}

/** The kind's name ("Folder", "Git changes"), for accessible names and fallbacks. */
export function kindName(kind: ContextKind, t: Translate): string {
  return t(KIND_NAMES[kind] ?? 'kindFile');
}

/** "lines 12–40", "line 7", or "whole file". */
export function chipRange(chip: ContextChip, t: Translate): string {
  if (chip.kind === 'file') return t('wholeFile');
  return chip.startLine === chip.endLine ? t('chipLine', chip.startLine) : t('chipLines', chip.startLine, chip.endLine);
}

function fileName(label: string): string {
  const parts = label.split(/[\\/]/);
  return parts[parts.length - 1] || label;
}

/** What the chip shows as its name. */
export function chipName(chip: ContextChip, t: Translate): string {
  switch (chip.kind) {
    case 'rules': return t('rulesChip');
    case 'workspace': return WORKSPACE_LABEL;
    case 'selection':
    case 'file':
    case 'folder':
      return fileName(chip.label);
    default:
      return chip.label || kindName(chip.kind, t);
  }
}

/** The short line after the name: kind-specific, the extension's `detail` when it sent one. */
export function chipMeta(chip: ContextChip, t: Translate): string {
  const hasLines = chip.startLine > 0 && chip.endLine >= chip.startLine;
  switch (chip.kind) {
    case 'selection': return `${chip.languageId} · ${chipRange(chip, t)}`;
    case 'file': return chip.detail ?? chip.languageId;
    case 'symbol': return chip.detail ?? (hasLines ? `${chip.languageId} · ${chipRange(chip, t)}` : chip.languageId);
    case 'rules': return chip.detail ?? (chip.label && chip.label !== t('rulesChip') ? chip.label : '');
    default: return chip.detail ?? kindName(chip.kind, t);
  }
}

/** The chip's tooltip and accessible name: everything it shows, in full. */
function describe(chip: ContextChip, t: Translate): string {
  let base: string;
  if (chip.kind === 'selection' || chip.kind === 'file') base = `${chip.label} · ${chip.languageId} · ${chipRange(chip, t)}`;
  else if (chip.kind === 'rules') base = t('rulesTitle', chip.detail ?? chip.label);
  else if (chip.kind === 'workspace') base = `${WORKSPACE_LABEL} · ${t('workspaceTitle')}`;
  else base = [kindName(chip.kind, t), chip.label, chip.detail].filter(Boolean).join(' · ');
  if (chip.kind === 'selection' || chip.kind === 'file') {
    if (chip.detail) base += ` · ${chip.detail}`;
  }
  const parts = [base];
  if (chip.tokens !== undefined) parts.push(t('tokenCount', formatTokens(chip.tokens)));
  if (chip.omitted) parts.push(t('chipTrimmedTitle', chip.omitted));
  return parts.join(' · ');
}

/** One chip; with `onRemove`, a remove (×) button. */
export function chipElement(chip: ContextChip, t: Translate, testId: string, onRemove?: () => void): HTMLLIElement {
  const name = chipName(chip, t);
  const meta = chipMeta(chip, t);
  const description = describe(chip, t);
  const li = h(
    'li',
    { class: `chip chip-${chip.kind}${chip.omitted ? ' trimmed' : ''}`, 'data-testid': testId, 'data-chip-id': chip.id, 'data-kind': chip.kind, title: description, 'aria-label': description },
    kindIcon(chip.kind, 'icon chip-icon'),
    h('span', { class: 'chip-label', 'data-testid': 'chip-label' }, name),
    meta ? h('span', { class: 'chip-meta', 'data-testid': 'chip-meta' }, meta) : null,
    // an @workspace not searched yet has no size of its own (the budget line shows the room kept for it)
    chip.tokens !== undefined && !(chip.kind === 'workspace' && !chip.text)
      ? h('span', { class: 'chip-tokens', 'data-testid': 'chip-tokens' }, t('tokenCount', formatTokens(chip.tokens)))
      : null,
    chip.omitted ? h('span', { class: 'chip-trimmed', 'data-testid': 'chip-trimmed', title: t('chipTrimmedTitle', chip.omitted) }, t('chipTrimmed')) : null,
  );
  if (onRemove) {
    const label = chip.kind === 'rules' ? t('removeRules') : t('removeChip', name);
    li.append(button({ label, icon: 'close', className: 'icon-button chip-remove', testId: 'chip-remove', onClick: onRemove }));
  }
  return li;
}

export function chipList(chips: readonly ContextChip[], t: Translate, testId: string, onRemove?: (chip: ContextChip) => void): HTMLUListElement {
  const ul = h('ul', { class: 'chips', 'aria-label': t('attachedContext') });
  for (const chip of chips) ul.append(chipElement(chip, t, testId, onRemove ? () => onRemove(chip) : undefined));
  return ul;
}
