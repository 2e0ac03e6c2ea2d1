/**
 * `path:line` references in a rendered answer become links that open the file there: plain text
 * (outside links and code blocks) and inline code that is a reference whole (`` `src/a.ts:3` ``).
 * Run on one block's sanitized DOM as it is rendered (markdown.ts), so streaming costs stay flat.
 *
 * A file link is an `<a>` without `href` (nothing the webview or its host could navigate to),
 * marked `data-path` / `data-line`, which the message list's click handler turns into
 * OpenLocation. Model output cannot forge one: the sanitizer drops every `data-*` attribute and
 * class from it before this runs.
 */
import { fileRefOf, findFileRefs, type FileRef } from '../../common/chat/fileLinks.js';

export interface FileLinkOptions {
  /** Paths the answer may name without extension or line (the snippets sent with the question). */
  known?: ReadonlySet<string>;
  /** The link's tooltip and accessible name. */
  title: (path: string, line: number) => string;
}

export const FILE_LINK_CLASS = 'file-link';

/** Elements whose text is never linked: links, code blocks (inline code is looked at whole). */
const SKIP = new Set(['A', 'PRE', 'CODE', 'KBD', 'SAMP', 'SCRIPT', 'STYLE', 'TEXTAREA']);

function link(ref: FileRef, options: FileLinkOptions): HTMLAnchorElement {
  const a = document.createElement('a');
  a.className = FILE_LINK_CLASS;
  a.dataset.testid = 'file-link';
  a.dataset.path = ref.path;
  a.dataset.line = String(ref.line);
  a.setAttribute('role', 'link');
  a.tabIndex = 0;
  a.title = options.title(ref.path, ref.line);
  return a;
}

function skipped(node: Node, root: Node): boolean {
  for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
    if (SKIP.has(el.tagName) || el.classList.contains('code-block')) return true;
  }
  return false;
}

/** Turns the references in `root` (one rendered block) into file links. */
export function linkFileRefs(root: DocumentFragment | Element, options: FileLinkOptions): void {
  const known = options.known;
  const anyKnown = !!known && known.size > 0;
  // Inline code that is a reference whole.
  for (const code of Array.from(root.querySelectorAll('code'))) {
    if (code.closest('pre, a, .code-block')) continue;
    const text = code.textContent ?? '';
    if (!anyKnown && !/[:#]/.test(text)) continue;
    const ref = fileRefOf(text, known);
    if (!ref) continue;
    const a = link(ref, options);
    code.replaceWith(a);
    a.append(code);
  }
  // References in plain text.
  const doc = root.ownerDocument ?? document;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const data = (n as Text).data;
    if (data.length < 3 || (!anyKnown && !/[:#]/.test(data))) continue;
    if (!skipped(n, root)) texts.push(n as Text);
  }
  for (const text of texts) {
    const refs = findFileRefs(text.data, known);
    if (!refs.length) continue;
    const data = text.data;
    const pieces: Node[] = [];
    let at = 0;
    for (const ref of refs) {
      if (ref.start > at) pieces.push(doc.createTextNode(data.slice(at, ref.start)));
      const a = link(ref, options);
      a.textContent = data.slice(ref.start, ref.end);
      pieces.push(a);
      at = ref.end;
    }
    if (at < data.length) pieces.push(doc.createTextNode(data.slice(at)));
    text.replaceWith(...pieces);
  }
}
