/**
 * Renders Markdown that arrives in pieces, in total time linear in its length.
 *
 * Text goes through the incremental block splitter once per frame. Each block that became final
 * is parsed, sanitized and highlighted exactly once and appended. Only the growing tail is
 * rendered again, and never more than a bounded share: a small tail is re-rendered each frame; a
 * large one (a long list, say) only after it grew by an eighth, its newest text shown as plain
 * text meanwhile, so re-rendering costs at most a constant per character. An open fenced code
 * block at the tail is not re-rendered at all: its text is appended to a text node and
 * highlighted a chunk of lines at a time, each chunk once.
 */
import { MarkdownBlockSplitter, type OpenFence } from '../../common/markdown/blocks.js';
import { highlightLanguage, highlightToHtml } from './highlight.js';
import { codeBlockFrame, fenceLanguage, renderMarkdown, type RenderOptions } from './markdown.js';
import { sanitizeHighlightHtml } from './sanitize.js';
import { cancelFlush, scheduleFlush, type Flushable } from './scheduler.js';

/** A tail up to this long is re-rendered on every frame. */
const SMALL_TAIL = 2048;
/** A longer tail is re-rendered once it grew by 1/TAIL_GROWTH of its length. */
const TAIL_GROWTH = 8;
/** Show the plain-text part of a large tail rendered after this pause in the stream. */
const IDLE_RENDER_MS = 200;
/** …or when the last render is this old, and at least this many times its own cost ago. */
const STALE_TAIL_MS = 250;
const STALE_TAIL_COST_FACTOR = 20;
/** An open code block is highlighted in chunks of about this many characters. */
const FENCE_CHUNK = 600;
const FENCE_FIRST_CHUNK = 160;

export const streamStats = { splitterWork: 0, finalBlocks: 0, tailRenders: 0, tailChars: 0 };

export interface StreamOptions {
  /** Builds a code block's toolbar; `streaming` is true while the block is still being written. */
  codeToolbar?: (info: Parameters<NonNullable<RenderOptions['codeToolbar']>>[0] & { streaming?: boolean }) => HTMLElement;
  highlight?: boolean;
}

type TailState =
  | { kind: 'empty' }
  | { kind: 'markdown'; start: number; rendered: number; plain: Text | undefined; plainShown: number; at: number; cost: number; codeBlocks: number }
  | { kind: 'fence'; start: number; code: HTMLElement; text: Text; shown: number; highlighted: number; visible: string; language: string | undefined };

export class MarkdownStream implements Flushable {
  private splitter = new MarkdownBlockSplitter();
  private pending = '';
  private all = '';
  private finalLength = 0;
  private codeBlocks = 0;
  private tail: HTMLElement;
  private tailState: TailState = { kind: 'empty' };
  private idle: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    readonly element: HTMLElement,
    private readonly options: StreamOptions = {},
  ) {
    this.tail = this.newTail();
  }

  /** All text received so far. */
  get text(): string {
    return this.all;
  }

  get finished(): boolean {
    return this.done;
  }

  append(delta: string): void {
    if (this.done || !delta) return;
    this.all += delta;
    this.pending += delta;
    scheduleFlush(this);
  }

  /** Renders what arrived since the last frame (called by the scheduler). */
  flush(): void {
    if (this.done) return;
    this.clearIdle();
    if (this.pending) {
      const before = this.splitter.work;
      const blocks = this.splitter.push(this.pending);
      streamStats.splitterWork += this.splitter.work - before;
      this.pending = '';
      for (const block of blocks) this.renderFinal(block);
    }
    this.renderTail(false);
  }

  /**
   * The stream ended. `text`, when given, is the whole text as the extension has it: any part not
   * received yet is added; if it differs otherwise, everything is rendered again from it.
   */
  finish(text?: string): void {
    if (this.done) return;
    if (text !== undefined && text !== this.all) {
      if (text.startsWith(this.all)) {
        this.append(text.slice(this.all.length));
      } else {
        this.renderWhole(text);
        return;
      }
    }
    cancelFlush(this);
    this.clearIdle();
    const before = this.splitter.work;
    const blocks = [...this.splitter.push(this.pending), ...this.splitter.finish()];
    streamStats.splitterWork += this.splitter.work - before;
    this.pending = '';
    const s = this.tailState;
    for (const [i, block] of blocks.entries()) {
      // The last block is often the tail exactly as last rendered: keep that DOM.
      if (i === blocks.length - 1 && s.kind === 'markdown' && s.start === this.finalLength && s.rendered === block.length && !s.plain) {
        this.finalLength += block.length;
        this.codeBlocks += s.codeBlocks;
        this.tail.replaceWith(...Array.from(this.tail.childNodes));
      } else {
        this.renderFinal(block);
      }
    }
    this.tail.remove();
    this.tailState = { kind: 'empty' };
    this.done = true;
    // Link reference definitions apply to the whole text: render it whole once.
    if (this.splitter.mayHaveLinkDefinitions) this.renderWhole(this.all);
  }

  /** Renders `text` at once (a finished answer), replacing anything shown. */
  renderWhole(text: string): void {
    cancelFlush(this);
    this.clearIdle();
    this.all = text;
    this.pending = '';
    this.done = true;
    this.tailState = { kind: 'empty' };
    const { fragment } = renderMarkdown(text, this.renderOptions(0));
    this.element.replaceChildren(fragment);
  }

  private renderOptions(codeIndexBase: number): RenderOptions {
    return { codeIndexBase, codeToolbar: this.options.codeToolbar, highlight: this.options.highlight };
  }

  private newTail(): HTMLElement {
    const tail = document.createElement('div');
    tail.className = 'md-tail';
    this.element.append(tail);
    return tail;
  }

  private renderFinal(block: string): void {
    streamStats.finalBlocks++;
    this.finalLength += block.length;
    if (!block.trim()) return;
    const { fragment, codeBlocks } = renderMarkdown(block, this.renderOptions(this.codeBlocks));
    this.codeBlocks += codeBlocks;
    this.element.insertBefore(fragment, this.tail);
  }

  private renderTail(force: boolean): void {
    const text = this.splitter.tail;
    if (!text.trim()) {
      if (this.tailState.kind !== 'empty') this.tail.replaceChildren();
      this.tailState = { kind: 'empty' };
      return;
    }
    const fence = this.splitter.openFence;
    if (fence && fence.indent === 0) this.renderFenceTail(text, fence);
    else this.renderMarkdownTail(text, force);
  }

  private renderMarkdownTail(text: string, force: boolean): void {
    const s = this.tailState;
    // A large tail is rendered again once it grew by a share of its length (work stays linear in
    // the text), or once the last render is long past compared with what it cost (CPU stays low).
    const now = performance.now();
    if (
      !force && s.kind === 'markdown' && s.start === this.finalLength && text.length > SMALL_TAIL &&
      (text.length - s.rendered) * TAIL_GROWTH < text.length && now - s.at < Math.max(STALE_TAIL_MS, STALE_TAIL_COST_FACTOR * s.cost)
    ) {
      // Large tail, grown a little: show the new text plain until the next full render.
      if (!s.plain) {
        const span = document.createElement('span');
        span.className = 'md-plain';
        s.plain = document.createTextNode('');
        span.append(s.plain);
        this.tail.append(span);
        s.plainShown = s.rendered;
      }
      s.plain.appendData(text.slice(s.plainShown));
      s.plainShown = text.length;
      this.idle = setTimeout(() => {
        this.idle = undefined;
        if (!this.done) this.renderTail(true);
      }, IDLE_RENDER_MS);
      return;
    }
    streamStats.tailRenders++;
    streamStats.tailChars += text.length;
    const { fragment, codeBlocks } = renderMarkdown(text, this.renderOptions(this.codeBlocks));
    this.tail.replaceChildren(fragment);
    const done = performance.now();
    this.tailState = { kind: 'markdown', start: this.finalLength, rendered: text.length, plain: undefined, plainShown: 0, at: done, cost: done - now, codeBlocks };
  }

  private renderFenceTail(text: string, fence: OpenFence): void {
    let s = this.tailState;
    if (s.kind !== 'fence' || s.start !== this.finalLength) {
      const state = this.newFenceView(fence.info);
      s = state;
      this.tailState = state;
    }
    const content = text.slice(fence.contentStart);
    // Hide a last line that may be the closing fence being typed.
    const nl = content.lastIndexOf('\n');
    const last = content.slice(nl + 1);
    const closing = /^ {0,3}(`+|~+)$/.exec(last);
    const visible = closing && closing[1][0] === fence.char ? content.slice(0, nl + 1) : content;
    // While the fence stays open its text only grows: append what is new.
    if (visible.length > s.shown) s.text.appendData(visible.slice(s.shown));
    s.shown = visible.length;
    s.visible = visible;
    this.highlightFenceChunk(s);
  }

  /**
   * Highlights the open fence's code a chunk of whole lines at a time, each chunk once (cut at a
   * blank line when there is one, where a chunk most likely starts outside a string or comment).
   * The finished block is highlighted again as a whole, which fixes colours across chunks.
   */
  private highlightFenceChunk(s: Extract<TailState, { kind: 'fence' }>): void {
    // The first chunk comes early, so a short block is in colour while it is written.
    const size = s.highlighted ? FENCE_CHUNK : FENCE_FIRST_CHUNK;
    if (!s.language || s.visible.length - s.highlighted < size) return;
    const region = s.visible.slice(s.highlighted);
    const lastLine = region.lastIndexOf('\n');
    if (lastLine < size / 2) return;
    const blank = region.slice(size / 2, lastLine + 1).lastIndexOf('\n\n');
    const cut = blank >= 0 ? size / 2 + blank + 2 : lastLine + 1;
    const html = highlightToHtml(region.slice(0, cut), s.language);
    if (html === undefined) {
      s.language = undefined;
      return;
    }
    // Each chunk is its own block, so appending to the open one lays out only that one.
    const chunk = document.createElement('span');
    chunk.className = 'code-chunk';
    chunk.append(sanitizeHighlightHtml(html));
    s.code.insertBefore(chunk, s.text.parentNode);
    s.text.data = region.slice(cut);
    s.highlighted += cut;
  }

  private newFenceView(info: string): Extract<TailState, { kind: 'fence' }> {
    const code = document.createElement('code');
    const lang = fenceLanguage(info);
    if (lang) code.className = `language-${lang}`;
    const text = document.createTextNode('');
    const open = document.createElement('span');
    open.className = 'code-chunk';
    open.append(text);
    code.append(open);
    const pre = document.createElement('pre');
    pre.append(code);
    const { block, header } = codeBlockFrame(info, this.codeBlocks);
    block.classList.add('streaming');
    const language = this.options.highlight === false ? undefined : highlightLanguage(info);
    if (language) code.classList.add('hljs');
    const state: Extract<TailState, { kind: 'fence' }> = {
      kind: 'fence', start: this.finalLength, code, text, shown: 0, highlighted: 0, visible: '', language: language === 'plaintext' ? undefined : language,
    };
    if (this.options.codeToolbar) {
      header.append(this.options.codeToolbar({ index: this.codeBlocks, info, code: () => state.visible.replace(/\n$/, ''), streaming: true }));
    }
    block.append(header, pre);
    this.tail.replaceChildren(block);
    return state;
  }

  private clearIdle(): void {
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = undefined;
  }
}
