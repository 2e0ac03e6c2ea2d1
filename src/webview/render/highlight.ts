/**
 * Syntax highlighting with highlight.js's core and a fixed set of common languages (the full
 * build would triple the bundle). Its output reaches the DOM as nodes built from its token tree
 * (`<span class="hljs-…">` around text nodes), never as HTML; finished code blocks are highlighted
 * in idle time, a chunk at a time.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { fenceLanguage, languageIdForFence, own } from '../../common/markdown/languages.js';
import { flushScheduled, onAfterFlush } from './scheduler.js';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, makefile, markdown, php, plaintext,
  powershell, python, ruby, rust, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// Names models use that highlight.js does not know as aliases.
hljs.registerAliases(['html', 'htm', 'svg', 'vue'], { languageName: 'xml' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['toml'], { languageName: 'ini' });
hljs.registerAliases(['text', 'txt', 'plain'], { languageName: 'plaintext' });

/** The highlight.js language for a fence's info string, if it is one we bundle. */
export function highlightLanguage(info: string): string | undefined {
  const lang = fenceLanguage(info);
  if (!lang) return undefined;
  if (hljs.getLanguage(lang)) return lang;
  const id = languageIdForFence(info);
  const byId: Record<string, string> = { typescriptreact: 'typescript', javascriptreact: 'javascript', shellscript: 'bash', html: 'xml' };
  const name = own(byId, id) ?? id;
  return hljs.getLanguage(name) ? name : undefined;
}

export const highlightStats = {
  calls: 0,
  chars: 0,
  /** Chunks waiting for colour. */
  get pending(): number {
    return queue.length;
  },
};

/** highlight.js HTML for `code` (escaped text in spans), or undefined when not highlighted. */
export function highlightToHtml(code: string, language: string): string | undefined {
  return highlightResult(code, language)?.value;
}

/**
 * Highlighted DOM for `code`: the spans highlight.js would write, built from its token tree with
 * `createElement` and text nodes, so no HTML is parsed at all (and none needs sanitizing: the text
 * only ever becomes text nodes, and the class names come from the bundled grammars). Undefined
 * when not highlighted.
 */
export function highlightToFragment(code: string, language: string): DocumentFragment | undefined {
  const result = highlightResult(code, language);
  const root = (result as { _emitter?: { root?: TokenNode } } | undefined)?._emitter?.root;
  if (!root || !Array.isArray(root.children)) return undefined;
  const fragment = document.createDocumentFragment();
  appendTokens(fragment, root.children);
  return fragment;
}

function highlightResult(code: string, language: string): ReturnType<typeof hljs.highlight> | undefined {
  highlightStats.calls++;
  highlightStats.chars += code.length;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true });
  } catch {
    return undefined;
  }
}

/** A node of highlight.js's token tree (its TokenTreeEmitter). */
interface TokenNode {
  scope?: string;
  children: (TokenNode | string)[];
}

function appendTokens(parent: Node, children: readonly (TokenNode | string)[]): void {
  for (const child of children) {
    if (typeof child === 'string') {
      parent.appendChild(document.createTextNode(child));
    } else if (child && Array.isArray(child.children)) {
      if (typeof child.scope === 'string' && child.scope) {
        const span = document.createElement('span');
        span.className = scopeClass(child.scope);
        appendTokens(span, child.children);
        parent.appendChild(span);
      } else {
        appendTokens(parent, child.children);
      }
    }
  }
}

/** highlight.js's class names for a scope: `title.function` → `hljs-title function_`, `language:xml` → `language-xml`. */
function scopeClass(scope: string): string {
  if (scope.startsWith('language:')) return scope.replace('language:', 'language-');
  const [first, ...rest] = scope.split('.');
  return [`hljs-${first}`, ...rest.map((x, i) => `${x}${'_'.repeat(i + 1)}`)].join(' ');
}

// ---- highlighting off the hot path ---------------------------------------------------------------

/**
 * Chunks of finished code blocks waiting for colour. They are highlighted a few milliseconds at a
 * time and the newest first (what was just written, or the end of a conversation just opened, is
 * what is on screen), each once: right after a render while text streams (so the colour shares
 * that render's frame: every frame costs the main thread), in idle time otherwise.
 */
const queue: { chunk: HTMLElement; language: string }[] = [];
const highlighted = new WeakSet<HTMLElement>();
let idle: ReturnType<typeof setTimeout> | number | undefined;
/** Longest run of highlighting in one task, in ms. */
const SLICE_MS = 6;
/** …after a render of streamed text. */
const AFTER_RENDER_MS = 3;

onAfterFlush(() => drain(AFTER_RENDER_MS));

/** Highlights `chunk` (a span holding a piece of code as text) soon. */
export function queueHighlight(chunk: HTMLElement, language: string): void {
  queue.push({ chunk, language });
  scheduleIdle();
}

/** Highlights everything waiting now (for tests). */
export function flushHighlights(): void {
  while (queue.length) highlightNext();
}

function scheduleIdle(): void {
  if (idle !== undefined || !queue.length) return;
  const run = () => {
    idle = undefined;
    // A render is coming: colour then, in its frame.
    if (!flushScheduled()) drain(SLICE_MS);
    scheduleIdle();
  };
  if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(run, { timeout: 500 });
  else idle = setTimeout(run, 16);
}

function drain(budgetMs: number): void {
  const start = performance.now();
  while (queue.length && performance.now() - start < budgetMs) highlightNext();
}

function highlightNext(): void {
  const item = queue.pop();
  if (!item) return;
  const { chunk, language } = item;
  // A chunk replaced or removed meanwhile (a conversation switched, an answer rendered again).
  if (!chunk.isConnected || highlighted.has(chunk)) return;
  highlighted.add(chunk);
  const fragment = highlightToFragment(chunk.textContent ?? '', language);
  if (fragment) chunk.replaceChildren(fragment);
}
