/**
 * Markdown to safe DOM: `marked` (GFM) → DOMPurify → enhancements on the sanitized DOM: code
 * blocks get highlighting and a toolbar, tables a scroll box, links a tooltip, remote images
 * become links (loading them would let a prompt-injected answer send data to any server).
 */
import { Marked } from 'marked';
import { highlightLanguage, highlightToHtml } from './highlight.js';
import { sanitizeHighlightHtml, sanitizeMarkdownHtml } from './sanitize.js';

/**
 * Event handler and style attributes in raw HTML are dropped before the HTML is parsed at all:
 * DOMPurify would remove them, but parsing them already trips the webview's CSP (a violation
 * report in the console for each). DOMPurify remains the sanitizer.
 */
const ACTIVE_ATTRIBUTE = /\s(?:on[a-z]+|style)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)/gi;

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text }) {
      return text.replace(ACTIVE_ATTRIBUTE, '');
    },
  },
});

export const markdownStats = { parseCalls: 0, parsedChars: 0 };

/** marked's HTML for `text` (not sanitized: never put it in the DOM as is). */
export function markdownToHtml(text: string): string {
  markdownStats.parseCalls++;
  markdownStats.parsedChars += text.length;
  return marked.parse(text, { async: false });
}

/** What a code block's toolbar needs. */
export interface CodeBlockInfo {
  /** Index of the block among all code blocks of the text, in document order. */
  index: number;
  /** The fence's info string (`python`, `ts title=x`), or '' for none. */
  info: string;
  /** The code itself, as written in the Markdown (no trailing newline). */
  code: () => string;
}

export interface RenderOptions {
  /** Index of the first code block of this piece within the whole text. */
  codeIndexBase?: number;
  /** Builds the toolbar of a code block; none when absent. */
  codeToolbar?: (info: CodeBlockInfo) => HTMLElement;
  /** Highlight code blocks (default true). */
  highlight?: boolean;
}

/** Renders Markdown to sanitized, enhanced DOM. Returns the fragment and its number of code blocks. */
export function renderMarkdown(text: string, options: RenderOptions = {}): { fragment: DocumentFragment; codeBlocks: number } {
  const fragment = sanitizeMarkdownHtml(markdownToHtml(text));
  const codeBlocks = enhance(fragment, options);
  return { fragment, codeBlocks };
}

/** Enhances sanitized DOM in place; returns the number of code blocks. */
export function enhance(root: DocumentFragment | Element, options: RenderOptions): number {
  let index = options.codeIndexBase ?? 0;
  const first = index;
  for (const code of Array.from(root.querySelectorAll('pre > code'))) {
    const pre = code.parentElement as HTMLElement;
    const info = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const text = code.textContent ?? '';
    if (options.highlight !== false) highlightInto(code as HTMLElement, text, info);
    const block = codeBlock(info, index, text, options.codeToolbar);
    pre.replaceWith(block);
    block.append(pre);
    index++;
  }
  for (const table of Array.from(root.querySelectorAll('table'))) {
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    wrap.tabIndex = 0;
    table.replaceWith(wrap);
    wrap.append(table);
  }
  for (const a of Array.from(root.querySelectorAll('a[href]'))) {
    const href = a.getAttribute('href') ?? '';
    if (!a.hasAttribute('title')) a.setAttribute('title', href);
  }
  for (const img of Array.from(root.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (/^data:image\//i.test(src)) continue;
    const link = document.createElement('a');
    link.className = 'image-link';
    if (src) link.setAttribute('href', src);
    link.setAttribute('title', src);
    link.textContent = `🖼 ${img.getAttribute('alt') || src}`;
    img.replaceWith(link);
  }
  return index - first;
}

/** Replaces the children of `code` with highlighted spans of `text`, when the language is known. */
export function highlightInto(code: HTMLElement, text: string, info: string): boolean {
  const language = highlightLanguage(info);
  if (!language || language === 'plaintext') return false;
  const html = highlightToHtml(text, language);
  if (html === undefined) return false;
  code.replaceChildren(sanitizeHighlightHtml(html));
  code.classList.add('hljs');
  return true;
}

/** The language a fence's info string names (`ts`, `python {linenos}`, `js:file.js` → the first word). */
export function fenceLanguage(info: string): string {
  return info.trim().split(/[\s:{]/, 1)[0];
}

/** The frame of a code block, finished or streaming: the block and its header with the language label. */
export function codeBlockFrame(info: string, index: number): { block: HTMLElement; header: HTMLElement } {
  const block = document.createElement('div');
  block.className = 'code-block';
  block.dataset.testid = 'code-block';
  block.dataset.blockIndex = String(index);
  const lang = fenceLanguage(info);
  if (lang) block.dataset.language = lang;
  const header = document.createElement('div');
  header.className = 'code-header';
  const label = document.createElement('span');
  label.className = 'code-lang';
  label.textContent = lang || 'text';
  header.append(label);
  return { block, header };
}

/** The frame of a code block (its `<pre>` goes in last). */
function codeBlock(info: string, index: number, text: string, toolbar: RenderOptions['codeToolbar']): HTMLElement {
  const { block, header } = codeBlockFrame(info, index);
  if (toolbar) header.append(toolbar({ index, info, code: () => text.replace(/\n$/, '') }));
  block.append(header);
  return block;
}
