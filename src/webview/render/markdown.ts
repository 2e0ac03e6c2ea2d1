/**
 * Markdown to safe DOM, one block at a time: `marked` (GFM) → DOMPurify → enhancements on the
 * sanitized DOM: code blocks get a frame and a toolbar (and colour later, in idle time), tables a
 * scroll box, links a tooltip, remote images become links (loading them would let a
 * prompt-injected answer send data to any server), `path:line` references in answers become file
 * links (fileLinks.ts).
 *
 * Each top-level block renders on its own (see MarkdownStream), so a block that breaks the parser
 * (thousands of nested quotes overflow its stack) costs only that block: it is rendered again in
 * smaller pieces, and what still fails is shown as plain text. Rendering never throws.
 */
import { Lexer, Marked, Parser, type Links } from 'marked';
import { fallbackPieces, nestingExceeds, splitCode } from '../../common/markdown/chunks.js';
import { linkFileRefs, type FileLinkOptions } from './fileLinks.js';
import { highlightLanguage, queueHighlight } from './highlight.js';
import { sanitizeMarkdownHtml } from './sanitize.js';
import { escapeRawTags } from '../../common/markdown/rawHtml.js';

export type { Links } from 'marked';

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
      return escapeRawTags(text).replace(ACTIVE_ATTRIBUTE, '');
    },
  },
});

export const markdownStats = { parseCalls: 0, parsedChars: 0, failedBlocks: 0 };

/** An empty table of link reference definitions (no prototype: a label may be `__proto__`). */
export function newLinks(): Links {
  return Object.create(null) as Links;
}

/**
 * marked's HTML for `text` (not sanitized: never put it in the DOM as is), resolving references
 * with `links` (definitions of earlier blocks) and the text's own definitions; those it adds are
 * returned (the first definition of a label wins, as in a whole document).
 */
export function markdownToHtml(text: string, links: Links = newLinks()): { html: string; newLinks: Links } {
  markdownStats.parseCalls++;
  markdownStats.parsedChars += text.length;
  const lexer = new Lexer(marked.defaults);
  Object.assign(lexer.tokens.links, links);
  const tokens = lexer.lex(text);
  const added = newLinks();
  for (const label of Object.keys(tokens.links)) if (!Object.prototype.hasOwnProperty.call(links, label)) added[label] = tokens.links[label];
  return { html: Parser.parse(tokens, marked.defaults), newLinks: added };
}

/** What a code block's toolbar needs. */
export interface CodeBlockInfo {
  /** Index of the block among all code blocks of the text, in document order. */
  index: number;
  /** The fence's info string (`python`, `ts title=x`), or '' for none. */
  info: string;
  /** The code itself, as written in the Markdown (no trailing newline). */
  code: () => string;
  /** The block is still being written. */
  streaming?: boolean;
}

export interface RenderOptions {
  /** Index of the first code block of this piece within the whole text. */
  codeIndexBase?: number;
  /** Builds the toolbar of a code block; none when absent. */
  codeToolbar?: (info: CodeBlockInfo) => HTMLElement;
  /** Colour code blocks (default true): queued, done in idle time. */
  highlight?: boolean;
  /** Shown only until the next render (the tail of a stream): no colour yet, no toolbars. */
  transient?: boolean;
  /** Link reference definitions of the blocks before this one. */
  links?: Links;
  /** Make `path:line` references links (answers); none when absent. */
  fileLinks?: FileLinkOptions;
}

export interface RenderedBlock {
  fragment: DocumentFragment;
  codeBlocks: number;
  /** Link definitions this block adds. */
  newLinks: Links;
  /** The block could not be rendered whole (parts of it are shown as text). */
  failed: boolean;
}

/** Renders one Markdown block to sanitized, enhanced DOM. Never throws. */
export function renderBlock(text: string, options: RenderOptions = {}): RenderedBlock {
  try {
    return { ...renderOne(text, options), failed: false };
  } catch (err) {
    markdownStats.failedBlocks++;
    console.warn('[Hunyuan chat] a Markdown block could not be rendered; showing it in pieces', err);
  }
  const fragment = document.createDocumentFragment();
  const added = newLinks();
  let codeBlocks = 0;
  const pieces = fallbackPieces(text);
  for (const piece of pieces) {
    if (pieces.length > 1) {
      try {
        const r = renderOne(piece, { ...options, codeIndexBase: (options.codeIndexBase ?? 0) + codeBlocks });
        fragment.append(r.fragment);
        codeBlocks += r.codeBlocks;
        Object.assign(added, r.newLinks);
        continue;
      } catch {
        markdownStats.failedBlocks++;
      }
    }
    fragment.append(rawText(piece));
  }
  return { fragment, codeBlocks, newLinks: added, failed: true };
}

/** Renders Markdown (a whole text, in one piece: for short texts such as a user's message). */
export function renderMarkdown(text: string, options: RenderOptions = {}): { fragment: DocumentFragment; codeBlocks: number } {
  const { fragment, codeBlocks } = renderBlock(text, options);
  return { fragment, codeBlocks };
}

/** Nesting of quotes and lists past which a block is not given to marked (see nestingExceeds). */
const MAX_NESTING = 256;

function renderOne(text: string, options: RenderOptions): Omit<RenderedBlock, 'failed'> {
  if (nestingExceeds(text, MAX_NESTING)) throw new RangeError(`more than ${MAX_NESTING} nested quotes or list items`);
  const { html, newLinks: added } = markdownToHtml(text, options.links);
  const fragment = sanitizeMarkdownHtml(html);
  const codeBlocks = enhance(fragment, options);
  return { fragment, codeBlocks, newLinks: added };
}

/** Markdown that could not be rendered, shown as text. */
export function rawText(text: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'md-raw';
  el.dataset.testid = 'raw-block';
  el.textContent = text.replace(/^\n+|\n+$/g, '');
  return el;
}

/** Enhances sanitized DOM in place; returns the number of code blocks. */
export function enhance(root: DocumentFragment | Element, options: RenderOptions): number {
  let index = options.codeIndexBase ?? 0;
  const first = index;
  for (const code of Array.from(root.querySelectorAll('pre > code'))) {
    const pre = code.parentElement as HTMLElement;
    const info = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const text = code.textContent ?? '';
    fillCode(code as HTMLElement, text, info, options);
    const block = codeBlock(info, index, text, options);
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
  if (options.fileLinks) linkFileRefs(root, options.fileLinks);
  return index - first;
}

/**
 * Puts `text` into `code` as chunks of whole lines (see common/markdown/chunks.ts), and queues
 * their highlighting unless the render is transient.
 */
function fillCode(code: HTMLElement, text: string, info: string, options: RenderOptions): void {
  const chunks = splitCode(text).map((piece) => codeChunk(piece));
  code.replaceChildren(...chunks);
  const language = options.highlight === false ? undefined : highlightLanguage(info);
  if (!language || language === 'plaintext') return;
  code.classList.add('hljs');
  if (!options.transient) for (const chunk of chunks) queueHighlight(chunk, language);
}

/** A chunk of a code block: a block box of whole lines. */
export function codeChunk(text: string): HTMLElement {
  const chunk = document.createElement('span');
  chunk.className = 'code-chunk';
  chunk.textContent = text;
  return chunk;
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
function codeBlock(info: string, index: number, text: string, options: RenderOptions): HTMLElement {
  const { block, header } = codeBlockFrame(info, index);
  // A transient render (the tail of a stream, drawn again a few times a second) has no toolbar:
  // its code may still grow, and building four buttons each time costs; the block gets its
  // toolbar once it is final.
  const toolbar = options.codeToolbar;
  if (toolbar && !options.transient) header.append(toolbar({ index, info, code: () => text.replace(/\n$/, '') }));
  block.append(header);
  return block;
}
