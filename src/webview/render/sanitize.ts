/**
 * Every HTML string goes through DOMPurify before it touches the DOM. Model output is untrusted:
 * an allow-list of formatting tags only (no script, style, iframe, form, input other than a
 * disabled task-list checkbox, svg or math), no event handlers, no `style`/`id`/`data-*`
 * attributes (no spoofing of our own test ids or layout), URLs limited to safe schemes, and
 * `class` kept only as `language-…` on `<code>`.
 */
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub',
  'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
];
const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'class', 'start', 'align', 'colspan', 'rowspan', 'checked', 'disabled', 'type', 'open', 'lang', 'dir'];
const SAFE_URL = /^(?:https?:|mailto:|#|\.{0,2}\/|[\w.-]+(?:[/#?]|$))/i;

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
  for (const attr of ['href', 'src']) {
    const v = node.getAttribute(attr);
    if (v !== null && !(SAFE_URL.test(v.trim()) || (attr === 'src' && /^data:image\/(?:png|gif|jpe?g|webp);/i.test(v)))) node.removeAttribute(attr);
  }
});

const spanPurifier = DOMPurify(window);
spanPurifier.setConfig({ ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], ALLOW_DATA_ATTR: false, RETURN_DOM_FRAGMENT: true });

export const sanitizeStats = { calls: 0, chars: 0 };

/** Sanitized DOM for Markdown's HTML output. */
export function sanitizeMarkdownHtml(html: string): DocumentFragment {
  sanitizeStats.calls++;
  sanitizeStats.chars += html.length;
  return markdownPurifier.sanitize(html) as unknown as DocumentFragment;
}

/** Sanitized DOM for highlight.js output (spans with classes only). */
export function sanitizeHighlightHtml(html: string): DocumentFragment {
  sanitizeStats.calls++;
  sanitizeStats.chars += html.length;
  return spanPurifier.sanitize(html) as unknown as DocumentFragment;
}
