/**
 * Takes every inline style out of an HTML string before anything parses it. The chat view's
 * Content Security Policy allows no inline style, and the browser checks that already while it
 * parses (into any document: DOMParser's, a template's, a fragment's): each `style` attribute or
 * `<style>` element in a model's raw HTML is a violation report in the console, even though
 * DOMPurify removes it right after. So the string is made style-free first; DOMPurify remains
 * the sanitizer.
 *
 * The scan follows the HTML tokenizer (its data state, tags with their quoted and unquoted
 * attribute values, comments, bogus comments and declarations) so that it finds exactly the tags
 * a browser finds, whatever the markup hides in attribute values or comments. The elements that
 * switch the tokenizer to another state (`script`, `style`, `textarea`, `title`, `xmp`,
 * `iframe`, `noembed`, `noframes`, `noscript`, `plaintext`) are removed with their content, and a
 * CDATA section's `<` is escaped: then the browser reads the rest in the data state too, as the
 * scan does, whether it is in HTML or in SVG/MathML. A `style` attribute is renamed
 * (`xstyle`, which DOMPurify then drops) rather than cut out, so the tag still reads the same.
 * Linear in the length. Pure.
 */

/** Elements whose start tag makes the tokenizer leave the data state (in HTML content). */
const STATE_SWITCHING = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

/** Whether the text can hold anything to change at all (most answers cannot). */
const MAY_NEED_WORK = /style|\[CDATA\[|script|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext/i;

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\n' || ch === '\t' || ch === '\f' || ch === '\r';
const isAsciiAlpha = (ch: string | undefined) => ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

interface Tag {
  /** Lower-cased (ASCII only, as the tokenizer does). */
  name: string;
  /** Index just past the tag's `>` (the text's length when it never ends). */
  end: number;
  /** Where each attribute named `style` starts. */
  styles: number[];
}

/** Reads a tag whose name starts at `from` (just after `<` or `</`), as the tokenizer does. */
function readTag(html: string, from: number): Tag {
  const n = html.length;
  let i = from;
  while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++;
  const name = asciiLower(html.slice(from, i));
  const styles: number[] = [];
  while (i < n) {
    const ch = html[i];
    // before attribute name (a `/` not followed by `>` counts as a separator)
    if (isSpace(ch) || ch === '/') {
      i++;
      continue;
    }
    if (ch === '>') return { name, end: i + 1, styles };
    // attribute name: the first character is taken whatever it is (even `=`)
    const start = i++;
    while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') i++;
    if (i - start === 5 && asciiLower(html.slice(start, i)) === 'style') styles.push(start);
    // after attribute name
    while (i < n && isSpace(html[i])) i++;
    if (html[i] !== '=') continue;
    i++;
    // before attribute value
    while (i < n && isSpace(html[i])) i++;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      i = close < 0 ? n : close + 1;
    } else {
      // unquoted (or missing, when `>` comes right away: the loop then ends the tag)
      while (i < n && !isSpace(html[i]) && html[i] !== '>') i++;
    }
  }
  return { name, end: n, styles };
}

/** Index just past a comment that starts at `lt` (`<!--`). */
function commentEnd(html: string, lt: number): number {
  let p = lt + 4;
  if (html[p] === '>') return p + 1; // <!-->
  if (html[p] === '-' && html[p + 1] === '>') return p + 2; // <!--->
  for (;;) {
    const dashes = html.indexOf('--', p);
    if (dashes < 0) return html.length;
    let q = dashes + 2;
    while (html[q] === '-') q++;
    if (html[q] === '>') return q + 1; // -->, --->
    if (html[q] === '!' && html[q + 1] === '>') return q + 2; // --!>
    p = dashes + 1;
  }
}

/** Index just past the first `>` at or after `from` (a bogus comment, a DOCTYPE). */
function bogusEnd(html: string, from: number): number {
  const gt = html.indexOf('>', from);
  return gt < 0 ? html.length : gt + 1;
}

/** Index just past the end tag that closes a `name` element whose content starts at `from`. */
function closingEnd(html: string, from: number, name: string): number {
  if (name === 'plaintext') return html.length;
  const re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />]|$)`, 'gi');
  re.lastIndex = from;
  const m = re.exec(html);
  return m ? readTag(html, m.index + 2).end : html.length;
}

/** `html` with no inline style a browser would find when parsing it; unchanged when it has none. */
export function withoutInlineStyles(html: string): string {
  if (!MAY_NEED_WORK.test(html)) return html;
  const n = html.length;
  let out = '';
  let copied = 0;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const next = html[lt + 1];
    if (next === '!') {
      if (html.startsWith('<!--', lt)) {
        i = commentEnd(html, lt);
      } else if (html.startsWith('<![CDATA[', lt)) {
        // a CDATA section in SVG or MathML, a bogus comment in HTML: text either way once escaped
        out += `${html.slice(copied, lt)}&lt;`;
        copied = i = lt + 1;
      } else {
        i = bogusEnd(html, lt + 2);
      }
    } else if (next === '?') {
      i = bogusEnd(html, lt + 1);
    } else if (next === '/') {
      const after = html[lt + 2];
      if (isAsciiAlpha(after)) i = readTag(html, lt + 2).end;
      else if (after === '>') i = lt + 3;
      else if (after === undefined) break;
      else i = bogusEnd(html, lt + 2);
    } else if (isAsciiAlpha(next)) {
      const tag = readTag(html, lt + 1);
      if (STATE_SWITCHING.has(tag.name)) {
        // the whole element goes: what the browser would have read in another state is gone
        out += html.slice(copied, lt);
        copied = i = closingEnd(html, tag.end, tag.name);
      } else {
        for (const at of tag.styles) {
          out += `${html.slice(copied, at)}x`;
          copied = at;
        }
        i = tag.end;
      }
    } else {
      i = lt + 1;
    }
  }
  return copied === 0 ? html : out + html.slice(copied);
}
