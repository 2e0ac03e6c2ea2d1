/**
 * Renders Markdown that arrives in pieces, at about the cost of rendering it once.
 *
 * The text goes through the incremental block splitter (common/markdown/blocks.ts). Each block
 * that became final is parsed, sanitized and enhanced exactly once, on its own, and its DOM is
 * frozen; its code is coloured later, in idle time. Only the growing tail is rendered again, and
 * never more than a bounded share: a small tail on every render, a large one (a long list, say)
 * only after it grew by an eighth, its newest text shown as plain text meanwhile. An open fenced
 * code block at the tail is not rendered again at all: its text is appended, a chunk of lines at
 * a time. Renders are coalesced by the scheduler (a few per second while text streams).
 *
 * Finished blocks are kept in groups (`.md-group`) that the stylesheet gives
 * `content-visibility: auto`: the browser skips the layout and paint of the groups off screen,
 * so a render at the end of a long answer costs what one at its start costs.
 *
 * `renderWhole` renders a finished text with the same blocks and groups, so a streamed answer ends
 * as the same DOM as the answer loaded at once. Nothing here throws: a block that cannot be
 * rendered is shown in pieces or as text (markdown.ts), and the rest of the answer renders.
 */
import { MarkdownBlockSplitter, splitMarkdownBlocks, type OpenFence } from '../../common/markdown/blocks.js';
import { codeChunkEnd } from '../../common/markdown/chunks.js';
import { codeBlockFrame, codeChunk, fenceLanguage, newLinks, rawText, renderBlock, type CodeBlockInfo, type Links, type RenderOptions } from './markdown.js';
import type { FileLinkOptions } from './fileLinks.js';
import { highlightLanguage } from './highlight.js';
import { cancelFlush, scheduleFlush, type Flushable } from './scheduler.js';

/** A group of finished blocks closes at this many blocks or characters of Markdown. */
const GROUP_BLOCKS = 24;
const GROUP_CHARS = 12_000;
/** A tail up to this long is rendered again on every render. */
const SMALL_TAIL = 2048;
/** A longer tail is rendered again once it grew by 1/TAIL_GROWTH of its length. */
const TAIL_GROWTH = 8;
/** Show the plain-text part of a large tail rendered after this pause in the stream. */
const IDLE_RENDER_MS = 300;
/** …or when the last render is this old, and at least this many times its own cost ago. */
const STALE_TAIL_MS = 500;
const STALE_TAIL_COST_FACTOR = 20;

export const streamStats = { splitterWork: 0, finalBlocks: 0, tailRenders: 0, tailChars: 0, linkRerenders: 0 };

export interface StreamOptions {
  /** Builds a code block's toolbar; `streaming` is true while the block is still being written. */
  codeToolbar?: (info: CodeBlockInfo) => HTMLElement;
  highlight?: boolean;
  /** Make `path:line` references links (see fileLinks.ts). */
  fileLinks?: FileLinkOptions;
}

/** A finished block and the DOM it rendered to. */
interface Block {
  source: string;
  nodes: ChildNode[];
  group: HTMLElement;
  codeIndexBase: number;
  /** Link definitions known when it was rendered (its own included). */
  linkCount: number;
}

type TailState =
  | { kind: 'empty' }
  | { kind: 'markdown'; start: number; rendered: number; plain: Text | undefined; plainShown: number; at: number; cost: number }
  | {
    kind: 'fence'; start: number; code: HTMLElement; text: Text; shown: number; chunkStart: number; scanFrom: number; visible: string;
  };

export class MarkdownStream implements Flushable {
  private splitter = new MarkdownBlockSplitter();
  private pending = '';
  private all = '';
  /** Length of the text reported final so far. */
  private finalLength = 0;
  private codeBlocks = 0;
  private links: Links = newLinks();
  private linkCount = 0;
  private blocks: Block[] = [];
  private group: HTMLElement | undefined;
  private groupBlocks = 0;
  private groupChars = 0;
  private tail: HTMLElement | undefined;
  private tailState: TailState = { kind: 'empty' };
  private idle: ReturnType<typeof setTimeout> | undefined;
  private done = false;
  /** Something failed beyond a block (never expected): the text is shown as it is from then on. */
  private broken: HTMLElement | undefined;

  constructor(
    readonly element: HTMLElement,
    private readonly options: StreamOptions = {},
  ) {}

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

  /** Renders what arrived since the last render (called by the scheduler). */
  flush(): void {
    if (this.done) return;
    this.clearIdle();
    this.safely(() => {
      if (this.pending) {
        const blocks = this.push(this.pending);
        this.pending = '';
        for (const block of blocks) this.addBlock(block);
      }
      this.renderTail(false);
    });
  }

  /**
   * The stream ended. `text`, when given, is the whole text as the extension has it: any part not
   * received yet is added; if it differs otherwise, everything is rendered again from it.
   */
  finish(text?: string): void {
    if (this.done) return;
    if (text !== undefined && text !== this.all) {
      if (!text.startsWith(this.all)) {
        this.renderWhole(text);
        return;
      }
      this.pending += text.slice(this.all.length);
      this.all = text;
    }
    cancelFlush(this);
    this.clearIdle();
    this.done = true;
    this.safely(() => {
      const blocks = [...this.push(this.pending), ...this.splitter.finish()];
      this.pending = '';
      for (const block of blocks) this.addBlock(block);
      this.tail?.remove();
      this.tail = undefined;
      this.tailState = { kind: 'empty' };
      this.resolveLinks();
    });
  }

  /** Renders `text` at once (a finished answer), replacing anything shown: the same DOM a stream of it ends with. */
  renderWhole(text: string): void {
    cancelFlush(this);
    this.clearIdle();
    this.splitter = new MarkdownBlockSplitter();
    this.all = text;
    this.pending = '';
    this.finalLength = 0;
    this.codeBlocks = 0;
    this.links = newLinks();
    this.linkCount = 0;
    this.blocks = [];
    this.group = undefined;
    this.groupBlocks = this.groupChars = 0;
    this.tail = undefined;
    this.tailState = { kind: 'empty' };
    this.broken = undefined;
    this.done = true;
    this.element.replaceChildren();
    this.safely(() => {
      for (const block of splitMarkdownBlocks(text)) this.addBlock(block);
      this.resolveLinks();
    });
  }

  // ---- internals -------------------------------------------------------------------------------

  private push(text: string): string[] {
    const before = this.splitter.work;
    const blocks = this.splitter.push(text);
    streamStats.splitterWork += this.splitter.work - before;
    return blocks;
  }

  /** Runs `render`; if anything throws (a bug, never a block: those are caught), shows the text as it is. */
  private safely(render: () => void): void {
    if (this.broken) {
      this.broken.textContent = this.all;
      return;
    }
    try {
      render();
    } catch (err) {
      console.error('[Hunyuan chat] rendering failed; showing the text as it is', err);
      this.broken = rawText(this.all);
      this.element.replaceChildren(this.broken);
    }
  }

  private renderOptions(transient: boolean): RenderOptions {
    return {
      codeIndexBase: this.codeBlocks, codeToolbar: this.options.codeToolbar, highlight: this.options.highlight, transient, links: this.links,
      fileLinks: this.options.fileLinks,
    };
  }

  /** Renders a final block once and adds it to the current group. */
  private addBlock(source: string): void {
    streamStats.finalBlocks++;
    this.finalLength += source.length;
    if (!source.trim()) return;
    const codeIndexBase = this.codeBlocks;
    const r = renderBlock(source, this.renderOptions(false));
    this.addLinks(r.newLinks);
    this.codeBlocks += r.codeBlocks;
    const nodes = Array.from(r.fragment.childNodes);
    const group = this.groupFor(source);
    group.append(r.fragment);
    this.blocks.push({ source, nodes, group, codeIndexBase, linkCount: this.linkCount });
  }

  private addLinks(links: Links): void {
    for (const label of Object.keys(links)) {
      if (Object.prototype.hasOwnProperty.call(this.links, label)) continue;
      this.links[label] = links[label];
      this.linkCount++;
    }
  }

  /** The group a new block goes in (a new one when the current one is full). */
  private groupFor(source: string): HTMLElement {
    if (!this.group || this.groupBlocks >= GROUP_BLOCKS || this.groupChars >= GROUP_CHARS) {
      this.group = document.createElement('div');
      this.group.className = 'md-group';
      this.element.insertBefore(this.group, this.tail ?? null);
      this.groupBlocks = this.groupChars = 0;
    }
    this.groupBlocks++;
    this.groupChars += source.length;
    return this.group;
  }

  /**
   * Link reference definitions apply to the whole text: a block rendered before a definition it
   * uses came is rendered again, once, at the end (only blocks with a `[` can use one).
   */
  private resolveLinks(): void {
    this.blocks.forEach((b, i) => {
      if (b.linkCount === this.linkCount || !b.source.includes('[')) return;
      streamStats.linkRerenders++;
      const r = renderBlock(b.source, { ...this.renderOptions(false), codeIndexBase: b.codeIndexBase });
      const nodes = Array.from(r.fragment.childNodes);
      const next = b.nodes[0] ?? this.blocks.slice(i + 1).find((n) => n.group === b.group && n.nodes.length)?.nodes[0] ?? null;
      b.group.insertBefore(r.fragment, next);
      for (const node of b.nodes) node.remove();
      b.nodes = nodes;
      b.linkCount = this.linkCount;
    });
  }

  private ensureTail(): HTMLElement {
    if (!this.tail) {
      this.tail = document.createElement('div');
      this.tail.className = 'md-tail';
      this.element.append(this.tail);
    }
    return this.tail;
  }

  private renderTail(force: boolean): void {
    const text = this.splitter.tail;
    if (!text.trim()) {
      if (this.tailState.kind !== 'empty') this.tail?.replaceChildren();
      this.tailState = { kind: 'empty' };
      return;
    }
    const fence = this.splitter.openFence;
    if (fence && fence.indent === 0) this.renderFenceTail(text, fence);
    else this.renderMarkdownTail(text, force);
  }

  private renderMarkdownTail(text: string, force: boolean): void {
    const tail = this.ensureTail();
    const s = this.tailState;
    // A large tail is rendered again once it grew by a share of its length (work stays linear in
    // the text), or once the last render is long past compared with what it cost (CPU stays low).
    const now = performance.now();
    if (
      // (the same tail: a block cut from it since, and what it shows is out of date)
      !force && s.kind === 'markdown' && s.start === this.finalLength && text.length > SMALL_TAIL &&
      (text.length - s.rendered) * TAIL_GROWTH < text.length &&
      now - s.at < Math.max(STALE_TAIL_MS, STALE_TAIL_COST_FACTOR * s.cost)
    ) {
      // Large tail, grown a little: show the new text plain until the next full render.
      if (!s.plain) {
        const span = document.createElement('span');
        span.className = 'md-plain';
        s.plain = document.createTextNode('');
        span.append(s.plain);
        tail.append(span);
        s.plainShown = s.rendered;
      }
      if (text.length > s.plainShown) s.plain.appendData(text.slice(s.plainShown));
      s.plainShown = text.length;
      this.idle = setTimeout(() => {
        this.idle = undefined;
        if (!this.done) this.safely(() => this.renderTail(true));
      }, IDLE_RENDER_MS);
      return;
    }
    streamStats.tailRenders++;
    streamStats.tailChars += text.length;
    const { fragment } = renderBlock(text, this.renderOptions(true));
    tail.replaceChildren(fragment);
    const done = performance.now();
    this.tailState = { kind: 'markdown', start: this.finalLength, rendered: text.length, plain: undefined, plainShown: 0, at: done, cost: done - now };
  }

  /** An open fence: its code is appended as it comes, in chunks of whole lines (as the finished block will have). */
  private renderFenceTail(text: string, fence: OpenFence): void {
    let s = this.tailState;
    if (s.kind !== 'fence' || s.start !== this.finalLength) {
      s = this.newFenceView(fence.info);
      this.tailState = s;
    }
    const content = text.slice(fence.contentStart);
    // Hide a last line that may be the closing fence being typed.
    const nl = content.lastIndexOf('\n');
    const closing = /^ {0,3}(`+|~+)$/.exec(content.slice(nl + 1));
    const visible = closing && closing[1][0] === fence.char ? content.slice(0, nl + 1) : content;
    s.visible = visible;
    let from = s.shown;
    for (;;) {
      const end = codeChunkEnd(visible, s.chunkStart, s.scanFrom);
      if (end < 0) break;
      if (end > from) s.text.appendData(visible.slice(from, end));
      from = Math.max(from, end);
      s.chunkStart = s.scanFrom = end;
      const chunk = codeChunk('');
      s.text = chunk.appendChild(document.createTextNode(''));
      s.code.append(chunk);
    }
    if (visible.length > from) s.text.appendData(visible.slice(from));
    s.shown = Math.max(from, visible.length);
    // Lines already looked at need no second look.
    s.scanFrom = Math.max(s.chunkStart, visible.lastIndexOf('\n') + 1);
  }

  private newFenceView(info: string): Extract<TailState, { kind: 'fence' }> {
    const code = document.createElement('code');
    const lang = fenceLanguage(info);
    if (lang) code.className = `language-${lang}`;
    const language = this.options.highlight === false ? undefined : highlightLanguage(info);
    if (language && language !== 'plaintext') code.classList.add('hljs');
    const first = codeChunk('');
    const text = document.createTextNode('');
    first.replaceChildren(text);
    code.append(first);
    const pre = document.createElement('pre');
    pre.append(code);
    const { block, header } = codeBlockFrame(info, this.codeBlocks);
    block.classList.add('streaming');
    const state: Extract<TailState, { kind: 'fence' }> = {
      kind: 'fence', start: this.finalLength, code, text, shown: 0, chunkStart: 0, scanFrom: 0, visible: '',
    };
    if (this.options.codeToolbar) {
      header.append(this.options.codeToolbar({ index: this.codeBlocks, info, code: () => state.visible.replace(/\n$/, ''), streaming: true }));
    }
    block.append(header, pre);
    this.ensureTail().replaceChildren(block);
    return state;
  }

  private clearIdle(): void {
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = undefined;
  }
}
