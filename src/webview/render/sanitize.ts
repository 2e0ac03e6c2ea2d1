/**
 * Every HTML string goes through DOMPurify before it touches the DOM. Model output is untrusted:
 * an allow-list of formatting tags only (no script, style, iframe, form, input other than a
 * disabled task-list checkbox, svg or math), no event handlers, no `style`/`id`/`data-*`
 * attributes (no spoofing of our own test ids or layout), and `class` kept only as `language-…`
 * on `<code>`.
 *
 * Links: only an absolute http(s) URL is a link; any other `<a>` (relative, `#…`, `mailto:`,
 * `javascript:`, no href) becomes its text. A link's tooltip is the URL it opens (a model's
 * `title` could name another site). An image keeps its source only if it is an absolute http(s)
 * URL (shown as a link, never loaded; markdown.ts) or an inline raster `data:` image; any other
 * image becomes its alt text.
 *
 * Inline styles never reach a parser: the view's CSP would report each one (withoutInlineStyles).
 */
import DOMPurify from 'dompurify';
import { httpUrl } from '../../common/chat/links.js';
import { withoutInlineStyles } from '../../common/markdown/inlineStyles.js';
import { FORMATTING_TAGS } from '../../common/markdown/rawHtml.js';

// what raw HTML may keep, and what marked makes itself (code blocks, images, task-list checkboxes)
const ALLOWED_TAGS = [...FORMATTING_TAGS, 'code', 'img', 'input', 'pre'];const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'class', 'start', 'align', 'colspan', 'rowspan', 'checked', 'disabled', 'type', 'open', 'lang', 'dir'];
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);/i;

/**
 * Puts `node`'s children where it was, then removes it. The children go after it, so DOMPurify
 * (walking the tree in order, at `node` now) still visits and sanitizes each of them.
 */
function unwrap(node: Element): void {
  const parent = node.parentNode;
  if (!parent) return;
  const next = node.nextSibling;
  while (node.firstChild) parent.insertBefore(node.firstChild, next);
  node.remove();
}

/** Only absolute http(s) links stay links, titled with their URL; images keep only sources we allow. */
function linkRules(node: Element): void {
  if (node.tagName === 'A') {
    const url = httpUrl(node.getAttribute('href'));
    if (!url) {
      unwrap(node);
      return;
    }
    node.setAttribute('href', url);
    node.setAttribute('title', url);
    return;
  }
  node.removeAttribute('href');
  if (node.tagName !== 'IMG') {
    node.removeAttribute('src');
    return;
  }
  const src = node.getAttribute('src')?.trim() ?? '';
  if (DATA_IMAGE.test(src)) return;
  const url = httpUrl(src);
  if (url) {
    node.setAttribute('src', url);
    return;
  }
  // not an image we could show or link to: its alt text, if it has one
  const alt = node.getAttribute('alt') ?? '';
  node.replaceWith(node.ownerDocument.createTextNode(alt));
}

const markdownPurifier = DOMPurify(window);
markdownPurifier.setConfig({
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  RETURN_DOM_FRAGMENT: true,
});
markdownPurifier.addHook('uponSanitizeElement', (node, data) => {
  // Only a disabled checkbox (GFM task lists) may stay of all form controls.
  if (data.tagName === 'input' && node instanceof Element && node.getAttribute('type') !== 'checkbox') node.remove();
});
markdownPurifier.addHook('afterSanitizeAttributes', (node) => {
  if (!(node instanceof Element)) return;
  const cls = node.getAttribute('class');
  if (cls !== null) {
    const lang = node.tagName === 'CODE' ? /(?:^|\s)(language-[\w+#.:-]+)/.exec(cls) : null;
    if (lang) node.setAttribute('class', lang[1]);
    else node.removeAttribute('class');
  }
  if (node.tagName === 'INPUT') node.setAttribute('disabled', '');
  linkRules(node);
});

export const sanitizeStats = { calls: 0, chars: 0 };

/** Sanitized DOM for Markdown's HTML output. */
export function sanitizeMarkdownHtml(html: string): DocumentFragment {
  sanitizeStats.calls++;
  sanitizeStats.chars += html.length;
  return markdownPurifier.sanitize(withoutInlineStyles(html)) as unknown as DocumentFragment;
}
