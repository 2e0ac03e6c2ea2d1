/**
 * Raw HTML in a model's Markdown: only formatting tags stay tags; any other tag is shown as the
 * text it is. A model writing about HTML names tags in its prose ("use <textarea> for…", "wrap it
 * in <pre><code>") without backticks: as tags, `<textarea>`, `<script>`, `<style>`, `<title>` would
 * swallow the rest of the block (the sanitizer removes them with their content), and `<pre>` would
 * make a code block of the prose after it (with a toolbar, counted among the answer's code blocks
 * though the extension, which counts fenced blocks, has no such block). Pure: no DOM.
 *
 * Applies to what marked passes its `html` renderer (HTML blocks and inline tags), not to the HTML
 * marked makes itself. The sanitizer still decides what any kept tag may carry.
 */

/**
 * Tags that only format text: kept as tags (the sanitizer allows these and the ones marked makes:
 * `code`, `pre`, `img`, `input`). Not `code`: a model writes code in backticks, and an unclosed
 * `<code>` named in prose would set the rest of its paragraph as code.
 */
export const FORMATTING_TAGS: readonly string[] = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
];
const KEPT = new Set(FORMATTING_TAGS);

/** A start or end tag: `<name …>`, `</name>`, also cut short at the end of the text. */
const TAG = /<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)[^>]*>?/g;

const escapeTag = (tag: string): string => tag.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `html` (raw HTML from the Markdown) with every tag that is not a formatting tag escaped to text. */
export function escapeRawTags(html: string): string {
  return html.replace(TAG, (tag, name: string) => (KEPT.has(name.toLowerCase()) ? tag : escapeTag(tag)));
}
