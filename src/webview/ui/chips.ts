/** Context chips: a file or a selection attached to a message (file label, language, lines). */
import type { ContextChip } from '../../common/chat/model.js';
import type { Translate } from '../context.js';
import { button, h } from './dom.js';
import { icon } from './icons.js';

/** "lines 12–40", "line 7", or "whole file". */
export function chipRange(chip: ContextChip, t: Translate): string {
  if (chip.kind === 'file') return t('wholeFile');
  return chip.startLine === chip.endLine ? t('chipLine', chip.startLine) : t('chipLines', chip.startLine, chip.endLine);
}

function fileName(label: string): string {
  const parts = label.split(/[\\/]/);
  return parts[parts.length - 1] || label;
}

/** One chip; with `onRemove`, a remove (×) button. */
export function chipElement(chip: ContextChip, t: Translate, testId: string, onRemove?: () => void): HTMLLIElement {
  const range = chipRange(chip, t);
  const description = `${chip.label} · ${chip.languageId} · ${range}`;
  const li = h(
    'li',
    { class: `chip chip-${chip.kind}`, 'data-testid': testId, 'data-chip-id': chip.id, title: description },
    icon(chip.kind === 'file' ? 'file' : 'code', 'icon chip-icon'),
    h('span', { class: 'chip-label' }, fileName(chip.label)),
    h('span', { class: 'chip-meta' }, chip.kind === 'file' ? chip.languageId : `${chip.languageId} · ${range}`),
  );
  if (onRemove) {
    li.append(button({ label: t('removeChip', fileName(chip.label)), icon: 'close', className: 'icon-button chip-remove', testId: 'chip-remove', onClick: onRemove }));
  }
  return li;
}

export function chipList(chips: readonly ContextChip[], t: Translate, testId: string, onRemove?: (chip: ContextChip) => void): HTMLUListElement {
  const ul = h('ul', { class: 'chips', 'aria-label': t('attachedContext') });
  for (const chip of chips) ul.append(chipElement(chip, t, testId, onRemove ? () => onRemove(chip) : undefined));
  return ul;
}
