/** Small DOM helpers: element creation without HTML strings, buttons, formatting. */
import { icon, type IconName } from './icons.js';

export type Child = Node | string | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;

/** Creates an element; `class` sets the class name, `true` adds an empty attribute, false/null/undefined skip it. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element | DocumentFragment, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
}

export interface ButtonOptions {
  label: string;
  icon?: IconName;
  /** Visible text next to the icon; by default a button with an icon shows only the icon. */
  text?: string;
  title?: string;
  testId?: string;
  className?: string;
  onClick: (event: MouseEvent) => void;
}

/** A button with an accessible name (`aria-label`), a tooltip and an optional icon. */
export function button(o: ButtonOptions): HTMLButtonElement {
  const b = h('button', {
    type: 'button',
    class: o.className ?? (o.text ? 'button' : 'icon-button'),
    'aria-label': o.label,
    title: o.title ?? o.label,
    'data-testid': o.testId,
  });
  if (o.icon) b.append(icon(o.icon));
  if (o.text) b.append(h('span', { class: 'button-text' }, o.text));
  b.addEventListener('click', (e) => {
    if (b.getAttribute('aria-disabled') === 'true') return;
    o.onClick(e);
  });
  return b;
}

/**
 * Shows or removes `el`: conditional parts are absent from the DOM rather than hidden, so tests
 * (and assistive technology) see exactly what is shown. `place` puts it back where it belongs.
 */
export function present(el: Element, shown: boolean, place: (el: Element) => void): void {
  if (!shown) el.remove();
  else if (!el.isConnected) place(el);
}

/** Marks a button unavailable without taking it out of the tab order. */
export function setDisabled(b: HTMLElement, disabled: boolean): void {
  if (disabled) b.setAttribute('aria-disabled', 'true');
  else b.removeAttribute('aria-disabled');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 32768 → "32,768". */
export function formatCount(n: number): string {
  return integer.format(Math.round(n));
}

/** Milliseconds as seconds: one decimal below 10 s, whole seconds above. */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? s.toFixed(1) : String(Math.round(s));
}

/** Tokens in short: 850 → "850", 1234 → "1.2K", 8192 → "8.2K", 32768 → "32.8K", 150000 → "150K". */
export function formatTokens(n: number): string {
  const v = Math.max(0, Math.round(n));
  if (v < 1000) return String(v);
  const k = v / 1000;
  return `${k < 100 ? String(Math.round(k * 10) / 10) : String(Math.round(k))}K`;
}

/** Where a control is: its answer or message (`data-turn-id`), maybe its code block (`data-block-index`), its `data-testid`. */
export interface ControlPlace {
  turnId: string;
  block?: string;
  testId: string;
}

/**
 * The control at `place` as drawn now under `root` (a turn or code block drawn again has new
 * elements): by attribute values compared as strings, never put in a selector.
 */
export function findControl(root: ParentNode, place: ControlPlace): HTMLElement | undefined {
  const byAttr = (parent: ParentNode | undefined, name: string, value: string) =>
    [...(parent?.querySelectorAll(`[${name}]`) ?? [])].find((e) => e.getAttribute(name) === value);
  const turn = byAttr(root, 'data-turn-id', place.turnId);
  const scope = place.block === undefined ? turn : byAttr(turn, 'data-block-index', place.block);
  const found = byAttr(scope, 'data-testid', place.testId);
  return found instanceof HTMLElement && !found.hidden && !found.closest('[hidden]') ? found : undefined;
}
