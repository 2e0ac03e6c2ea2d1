/**
 * Incremental Markdown block splitter, for rendering a streamed answer in linear time.
 *
 * Text arrives in chunks. The splitter cuts it into top-level blocks and reports each block once
 * it is *final*: once no text that may still follow can change how it renders. The renderer then
 * parses, sanitizes and highlights each final block exactly once and re-renders only the growing
 * tail. Rendering the blocks one by one gives the same HTML as rendering the whole text, given
 * each block the link reference definitions of the whole text (the renderer collects them from
 * the blocks' own parses, and renders again, at the end, a block that came before a definition).
 *
 * Where blocks end is decided line by line with the same rules `marked` (GFM) uses for top-level
 * tokens, so a cut never lands inside what marked sees as one token: fenced code (``` and ~~~,
 * longer fences, indented fences, blank lines inside), lists (items separated by blank lines,
 * indented continuation lines, lazy lines, nested fences), block quotes with lazy lines, tables,
 * setext headings, indented code, HTML blocks and link definitions. When in doubt it does not
 * cut: a missed cut only costs a larger tail, a wrong one would change the rendering. (A block
 * quote whose lazy continuation lines hold more than prose is the one construct it does not
 * follow: it then stops cutting, and the rest of the stream stays one block.) Checked against
 * marked itself by property tests over generated documents (test/unit/markdownBlocks.test.ts).
 *
 * Cost: each character is scanned for line ends once and each complete line is classified a
 * constant number of times with regexes anchored at its start, so the total work over a whole
 * stream is linear in its length (`work` counts it). Pure: no DOM, no dependencies.
 */

/** An open fenced code block that is the whole tail: lets a renderer stream its text directly. */
export interface OpenFence {
  /** Offset in `tail` where the code starts (after the opening line). */
  readonly contentStart: number;
  readonly char: '`' | '~';
  readonly length: number;
  /** Spaces before the opening fence (0–3); the code's lines lose up to this many. */
  readonly indent: number;
  /** The info string (language and more), trimmed. */
  readonly info: string;
}

// ---- line patterns (single lines, without the newline), after marked's block grammar ----------

/** HTML block tag names (CommonMark type 6), as in marked. */
const HTML_TAGS = 'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const HTML_ATTRIBUTE = '[ \\t]+[a-zA-Z:_][\\w.:-]*(?:[ \\t]*=[ \\t]*"[^"\\n]*"|[ \\t]*=[ \\t]*\'[^\'\\n]*\'|[ \\t]*=[ \\t]*[^\\s"\'=<>`]+)?';

const BLANK = /^[ \t]*$/;
const INDENTED_CODE = /^(?: {4}| {0,3}\t)./;
const FENCE_OPEN = /^( {0,3})(`{3,}(?=[^`]*$)|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:\s|$)/;
const HR = /^ {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;
const BLOCKQUOTE = /^ {0,3}>/;
/** A list item that may start a list at a token start (marked's `list` rule). */
const LIST_START = /^( {0,3}(?:[*+-]|\d{1,9}[.)]))(?:[ \t].*)?$/;
/** A list item that may interrupt a paragraph: a bullet or `1.`, with content. */
const LIST_INTERRUPT = /^ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t]/;
/** Any list marker (ends a block quote's lazy paragraph). */
const LIST_ANY = /^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/;
/** HTML that may interrupt a paragraph (types 1–6). */
const HTML_INTERRUPT = new RegExp(`^ {0,3}(?:</?(?:${HTML_TAGS})(?:[ \\t]+|$|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)`, 'i');
const HTML_RAW_TAG = /^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)/i;
const HTML_COMMENT = /^ {0,3}<!--/;
const HTML_PI = /^ {0,3}<\?/;
const HTML_DECLARATION = /^ {0,3}<![A-Z]/i;
const HTML_CDATA = /^ {0,3}<!\[CDATA\[/;
const HTML_BLOCK_TAG = new RegExp(`^ {0,3}</?(?:${HTML_TAGS})(?:[ \\t]+|$|/?>)`, 'i');
const HTML_LONE_TAG = new RegExp(`^ {0,3}(?:<(?!(?:script|pre|style|textarea)(?![a-z0-9-]))[a-z][a-z0-9-]*(?:${HTML_ATTRIBUTE})*?[ \\t]*/?>|</[a-z][a-z0-9-]*\\s*>)[ \\t]*$`, 'i');
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const TABLE_DELIMITER_ROW = /^ {0,3}((?:\| *)?:?-+:? *(?:\| *:?-+:? *)*(?:\| *)?)$/;
/** What the setext-heading rule does not let a paragraph start with, or continue over. */
const LHEADING_BULLET = /^ {0,3}(?:[*+-]|\d{1,9}[.)]) /;
const LHEADING_FENCE = /^ {0,3}(?:`{3,}|~{3,})/;
const LHEADING_TABLE_ROW = /^ {0,3}\|?(?:[:\- ]*\|)+[:\- ]*$/;
const NESTED_BLOCK_MARKER = /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/;
const NESTED_CONTAINER_MARKERS = /^(?: {0,3}(?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?))+/;
const LEADING_WHITESPACE = /^[ \t]+/;
/** A link reference definition may start on this line (after indentation or container markers). */
const LINK_DEFINITION = /^[ \t>*+\-\d.)]*\[[^\]]*\]:/;
const FENCE_CLOSE = /^ {0,3}(`+|~+) *$/;
/** A whole link reference definition on one line (group 1: destination, 2: title). */
const DEF_TITLE = `"(?:\\\\[\\s\\S]|[^"\\\\])*"|'(?:\\\\[\\s\\S]|[^'\\\\])*'|\\((?:\\\\[\\s\\S]|[^()\\\\])*\\)`;
const DEFINITION_LINE = new RegExp(`^ {0,3}\\[(?!\\s*\\])(?:\\\\[\\s\\S]|[^\\[\\]\\\\])+\\]: *([^<\\s][^\\s]*|<(?:\\\\.|[^<>\\\\])*>)(?: +(${DEF_TITLE}))? *$`);
/** A definition's label alone on its line: the destination may follow on the next line. */
const DEFINITION_LABEL_LINE = /^ {0,3}\[(?!\s*\])(?:\\[\s\S]|[^[\]\\])+\]: *$/;
/** The destination (group 1) and maybe a title (group 2) of a definition whose label was on the line before. */
const DEFINITION_DESTINATION_LINE = new RegExp(`^[ \\t]*([^<\\s][^\\s]*|<(?:\\\\.|[^<>\\\\])*>)(?: +(${DEF_TITLE}))? *$`);
/** A definition's title alone on the line after it. */
const DEFINITION_TITLE_LINE = new RegExp(`^[ \\t]*(?:${DEF_TITLE}) *$`);

/** A lazy line of a block quote that can only continue its paragraph. */
const PLAIN_LAZY_LINE = /^ {0,3}[^\s<|=-][^|]*$/;

/** How deep block quotes are followed inside; deeper ones are assumed to take lazy lines. */
const MAX_QUOTE_DEPTH = 8;
const BLOCKQUOTE_TAB = /^( {0,3}>)(\t[ \t]*)/;
const BLOCKQUOTE_STRIP = /^ {0,3}>[ \t]?/;
/** A list item that ends a table (any bullet or `1.`, even without content). */
const TABLE_LIST_INTERRUPT = /^ {0,3}(?:[*+-]|1[.)])[ \t]/;

/** The item-ending patterns of a list item whose content starts at column `indent`, per marked. */
interface ItemBreaks {
  nextBullet: RegExp;
  hr: RegExp;
  fence: RegExp;
  heading: RegExp;
  html: RegExp;
  blockquote: RegExp;
}

const itemBreaksCache: ItemBreaks[] = [];
function itemBreaks(indent: number): ItemBreaks {
  const n = Math.max(0, Math.min(3, indent - 1));
  return (itemBreaksCache[n] ??= {
    nextBullet: new RegExp(`^ {0,${n}}(?:[*+-]|\\d{1,9}[.)])(?:[ \\t]|$)`),
    hr: new RegExp(`^ {0,${n}}(?:(?:-[ \\t]*){3,}|(?:_[ \\t]*){3,}|(?:\\*[ \\t]*){3,})$`),
    fence: new RegExp(`^ {0,${n}}(?:\`\`\`|~~~)`),
    heading: new RegExp(`^ {0,${n}}#{1,6}(?:\\s|$)`),
    html: new RegExp(`^ {0,${n}}(?:</?(?:${HTML_TAGS})(?:[ \\t]+|$|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)`, 'i'),
    blockquote: new RegExp(`^ {0,${n}}>`),
  });
}

/** Expands tabs in leading whitespace to the next multiple of 4 columns, from column `start`. */
function expandTabs(ws: string, start = 0): string {
  let col = start;
  let out = '';
  for (const ch of ws) {
    if (ch === '\t') {
      const n = 4 - (col % 4);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col++;
    }
  }
  return out;
}

/** A whole link reference definition, as marked accepts it. */
function isDefinition(line: string): boolean {
  const m = DEFINITION_LINE.exec(line);
  return !!m && (m[1].startsWith('<') || balancedParentheses(m[1]));
}

/** The line after a definition's label alone: its destination (and maybe title), as marked accepts it. */
function isDestinationLine(line: string): boolean {
  const m = DEFINITION_DESTINATION_LINE.exec(line);
  return !!m && (m[1].startsWith('<') || balancedParentheses(m[1]));
}

/** marked accepts a definition's destination only with balanced parentheses. */
function balancedParentheses(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Number of cells of a table row, split on unescaped pipes as marked does. */
function tableCells(row: string): number {
  const spaced = row.replace(/\|/g, (_m, offset: number, s: string) => {
    let escaped = false;
    for (let i = offset - 1; i >= 0 && s[i] === '\\'; i--) escaped = !escaped;
    return escaped ? '|' : ' |';
  });
  const cells = spaced.split(/ \|/);
  if (!cells[0].trim()) cells.shift();
  if (cells.length > 0 && !cells[cells.length - 1].trim()) cells.pop();
  return cells.length;
}

/** `header` and `delimiter` form the head of a GFM table, as marked decides it. */
function isTableHead(header: string, delimiter: string): boolean {
  const d = TABLE_DELIMITER_ROW.exec(delimiter);
  if (!d || !/[:|]/.test(d[1]) || BLANK.test(header)) return false;
  const aligns = d[1].replace(/^\||\| *$/g, '').split('|').length;
  return tableCells(header.replace(/^ +/, '')) === aligns;
}

// ---- the state machine --------------------------------------------------------------------------

type State =
  | { kind: 'none' }
  | { kind: 'paragraph'; lheading: boolean; previous: string; continued: boolean }
  | { kind: 'table' }
  | { kind: 'html' }
  | { kind: 'rawHtml'; closer: RegExp }
  | { kind: 'fence'; char: '`' | '~'; length: number; indent: number; info: string; openerStart: number; contentStart: number; alone?: boolean }
  | { kind: 'indentedCode' }
  | { kind: 'definition'; titled: boolean }
  | { kind: 'definitionLabel'; line: string }
  | { kind: 'blockquote'; lazy: boolean; inner: MarkdownBlockSplitter | undefined }
  | { kind: 'list'; list: ListState };

interface ListState {
  /** An item of this list (same bullet, or same delimiter for ordered lists). */
  item: RegExp;
  phase: 'firstLineBlank' | 'item' | 'betweenItems';
  /** Column where the item's content starts. */
  indent: number;
  breaks: ItemBreaks;
  /** The previous line was blank. */
  blank: boolean;
  /** The previous line, relative to the item's content column. */
  previous: string;
  /** The item has more than one line. */
  multiline: boolean;
  /** The previous line was a lazy continuation. */
  lazy: boolean;
}

const NONE: State = { kind: 'none' };

/** Cuts a line asks for: the block so far ends before the line, and/or the line ends a block. */
const CUT_BEFORE = 1;
const CUT_AFTER = 2;

export class MarkdownBlockSplitter {
  /** Text not yet reported as a final block: the tail. */
  private buffer = '';
  /** Start of the first line not yet read in full. */
  private lineStart = 0;
  /** Where the search for the next newline goes on (everything before it was scanned). */
  private scanned = 0;
  /** The buffer holds more than blank lines before the line being read. */
  private hasContent = false;
  private state: State = NONE;
  private finished = false;
  private workDone = 0;
  private linkDefinitions = false;
  /** Nesting depth, for the machines that follow the content of block quotes. */
  private depth = 0;
  /**
   * A paragraph was ended by a line that a setext heading could still continue over: if an
   * underline comes before a line that stops setext headings, all of it becomes one heading.
   * Until that is settled, nothing is cut.
   */
  private setextPending = false;
  /** Met a construct it does not model exactly: no more cuts (the rest is one block). */
  private unsure = false;
  /** Offset of the line being read. */
  private currentLine = 0;

  /** The text that is not final yet. All blocks returned so far, then `tail`, make up all text pushed. */
  get tail(): string {
    return this.buffer;
  }

  /** Characters examined so far (scanning and classifying lines): grows linearly with the input. */
  get work(): number {
    return this.workDone;
  }

  /**
   * The text may contain link reference definitions (`[id]: url`), which Markdown applies to the
   * whole document: render it whole once at the end to resolve references across blocks.
   */
  get mayHaveLinkDefinitions(): boolean {
    return this.linkDefinitions;
  }

  /**
   * When the tail is a fenced code block still open (after optional blank lines), its shape: a
   * renderer can then append the code as it comes instead of re-rendering the tail.
   */
  get openFence(): OpenFence | undefined {
    const s = this.state;
    if (s.kind !== 'fence') return undefined;
    // A fence always starts a block; checked once per block all the same.
    s.alone ??= !/\S/.test(this.buffer.slice(0, s.openerStart));
    if (!s.alone) return undefined;
    return { contentStart: s.contentStart, char: s.char, length: s.length, indent: s.indent, info: s.info };
  }

  /** Appends text; returns the blocks that became final (often none). */
  push(text: string): string[] {
    if (this.finished) throw new Error('MarkdownBlockSplitter: push after finish');
    if (!text) return [];
    this.buffer += text;
    const blocks: string[] = [];
    for (;;) {
      const nl = this.buffer.indexOf('\n', this.scanned);
      if (nl < 0) {
        this.workDone += this.buffer.length - this.scanned;
        this.scanned = this.buffer.length;
        return blocks;
      }
      this.workDone += nl + 1 - this.scanned;
      this.scanned = nl + 1;
      const start = this.lineStart;
      this.currentLine = start;
      let line = this.buffer.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.lineStart = nl + 1;
      let cuts = 0;
      if (!this.unsure) cuts = this.readLine(line);
      else if (!this.linkDefinitions && LINK_DEFINITION.test(line)) this.linkDefinitions = true;
      if (cuts & CUT_BEFORE) {
        this.cut(start, blocks);
        this.hasContent = true;
      }
      if (cuts & CUT_AFTER) {
        this.cut(this.lineStart, blocks);
        this.hasContent = false;
      }
    }
  }

  /** The stream ended: the tail is final. Returns it as the last block, if there is text left. */
  finish(): string[] {
    if (this.finished) return [];
    this.finished = true;
    const rest = this.buffer;
    const partial = rest.slice(this.lineStart);
    this.workDone += partial.length;
    if (LINK_DEFINITION.test(partial)) this.linkDefinitions = true;
    this.buffer = '';
    this.lineStart = this.scanned = 0;
    this.state = NONE;
    this.setextPending = false;
    return rest ? [rest] : [];
  }

  private cut(at: number, blocks: string[]): void {
    if (at <= 0) return;
    blocks.push(this.buffer.slice(0, at));
    this.buffer = this.buffer.slice(at);
    this.lineStart -= at;
    this.scanned -= at;
    if (this.state.kind === 'fence') {
      this.state.openerStart = Math.max(0, this.state.openerStart - at);
      this.state.contentStart -= at;
      this.state.alone = undefined;
    }
  }

  /** Reads one complete line (without its newline). */
  private readLine(line: string): number {
    this.workDone += line.length;
    if (!this.linkDefinitions && LINK_DEFINITION.test(line)) this.linkDefinitions = true;
    if (this.setextPending) {
      if (SETEXT_UNDERLINE.test(line)) {
        this.setextPending = false;
        this.state = NONE;
        return CUT_AFTER;
      }
      if (BLANK.test(line) || continuesOutsideLheading(line)) this.setextPending = false;
      else return this.dispatch(line) & ~CUT_BEFORE;
    }
    return this.dispatch(line);
  }

  private dispatch(line: string): number {
    const s = this.state;
    switch (s.kind) {
      case 'none':
        return this.startToken(line);
      case 'fence': {
        const m = FENCE_CLOSE.exec(line);
        if (m && m[1][0] === s.char && m[1].length >= s.length) {
          this.state = NONE;
          return CUT_AFTER;
        }
        return 0;
      }
      case 'rawHtml':
        // The HTML token takes the blank lines after its closing line too: no cut after it.
        if (s.closer.test(line)) this.state = NONE;
        return 0;
      case 'definitionLabel': {
        // `[label]:` then its destination: one definition (marked), even when the destination
        // looks like a fence (```js) or a quote (>). Anything else: the label began a paragraph.
        const m = DEFINITION_DESTINATION_LINE.exec(line);
        if (m && isDestinationLine(line)) {
          this.state = { kind: 'definition', titled: m[2] !== undefined };
          return 0;
        }
        this.state = { kind: 'paragraph', lheading: !startsOutsideLheading(s.line), previous: s.line, continued: false };
        return this.dispatch(line);
      }
      case 'definition':
        this.state = NONE;
        // A title may follow on the next line, or start there and go on (rare: stop cutting).
        if (!s.titled && DEFINITION_TITLE_LINE.test(line)) return 0;
        if (!s.titled && /^[ \t]*["'(]/.test(line)) {
          this.unsure = true;
          return 0;
        }
        return this.startToken(line);
      case 'html':
        if (BLANK.test(line)) this.state = NONE;
        return 0;
      case 'indentedCode':
        if (BLANK.test(line) || INDENTED_CODE.test(line)) return 0;
        return this.restart(line);
      case 'table':
        if (/^ *$/.test(line)) {
          this.state = NONE;
          return 0;
        }
        if (
          HR.test(line) || ATX_HEADING.test(line) || BLOCKQUOTE.test(line) || INDENTED_CODE.test(line) || FENCE_OPEN.test(line) ||
          TABLE_LIST_INTERRUPT.test(line) || HTML_INTERRUPT.test(line)
        ) {
          return this.restart(line);
        }
        return 0;
      case 'blockquote':
        return this.blockquoteLine(s, line);
      case 'paragraph':
        return this.paragraphLine(s, line);
      case 'list':
        return this.listLine(s.list, line);
    }
  }

  /** The open token ended before `line`; `line` starts the next one. */
  private restart(line: string): number {
    this.state = NONE;
    return this.startToken(line);
  }

  /** A line where a new token may start (nothing open). */
  private startToken(line: string): number {
    if (BLANK.test(line)) return 0;
    const cuts = this.hasContent ? CUT_BEFORE : 0;
    this.hasContent = true;
    return this.classify(line) ? cuts | CUT_AFTER : cuts;
  }

  /** Sets the state for a token starting with `line`; true when the token is this line alone. */
  private classify(line: string): boolean {
    if (INDENTED_CODE.test(line)) {
      this.state = { kind: 'indentedCode' };
      return false;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      this.state = {
        kind: 'fence',
        char: fence[2][0] as '`' | '~',
        length: fence[2].length,
        indent: fence[1].length,
        info: fence[3].trim(),
        openerStart: this.currentLine,
        // The line was read up to `lineStart`, which is already past its newline.
        contentStart: this.lineStart,
      };
      return false;
    }
    if (ATX_HEADING.test(line) || HR.test(line)) {
      this.state = NONE;
      return true;
    }
    if (BLOCKQUOTE.test(line)) {
      const quote: State = { kind: 'blockquote', lazy: false, inner: this.innerMachine() };
      this.state = quote;
      this.quoteLine(quote, line);
      return false;
    }
    const list = LIST_START.exec(line);
    if (list) {
      this.state = { kind: 'list', list: newList(list[1], line) };
      return false;
    }
    const raw = rawHtmlCloser(line);
    if (raw) {
      this.state = raw.closesOnFirstLine ? NONE : { kind: 'rawHtml', closer: raw.closer };
      return false;
    }
    if (HTML_BLOCK_TAG.test(line) || HTML_LONE_TAG.test(line)) {
      this.state = { kind: 'html' };
      return false;
    }
    const definition = DEFINITION_LINE.exec(line);
    if (definition && isDefinition(line)) {
      this.state = { kind: 'definition', titled: definition[2] !== undefined };
      return false;
    }
    if (DEFINITION_LABEL_LINE.test(line)) {
      this.state = { kind: 'definitionLabel', line };
      return false;
    }
    this.state = { kind: 'paragraph', lheading: !startsOutsideLheading(line), previous: line, continued: false };
    return false;
  }

  private innerMachine(): MarkdownBlockSplitter | undefined {
    if (this.depth >= MAX_QUOTE_DEPTH) {
      this.unsure = true;
      return undefined;
    }
    const inner = new MarkdownBlockSplitter();
    inner.depth = this.depth + 1;
    return inner;
  }

  /** A `>` line of a block quote: its content goes to the machine that follows the quote's inside. */
  private quoteLine(s: Extract<State, { kind: 'blockquote' }>, line: string): void {
    const content = line.replace(BLOCKQUOTE_TAB, (_m, marker: string, ws: string) => marker + expandTabs(ws, marker.length)).replace(BLOCKQUOTE_STRIP, '');
    s.lazy = !BLANK.test(content);
    const inner = s.inner;
    if (!inner) return;
    this.follow(inner, () => inner.readLine(content));
  }

  private blockquoteLine(s: Extract<State, { kind: 'blockquote' }>, line: string): number {
    if (BLOCKQUOTE.test(line)) {
      this.quoteLine(s, line);
      return 0;
    }
    // A lazy line continues the quote's paragraph, unless it starts a block of its own, or the
    // quote's content does not end in a paragraph (marked then ends the quote before the line).
    if (s.lazy && !BLANK.test(line) && !(HR.test(line) || ATX_HEADING.test(line) || FENCE_OPEN.test(line) || LIST_ANY.test(line) || HTML_INTERRUPT.test(line))) {
      // Prose wrapped without `>` is common and modelled; anything else in a lazy line (code, a definition,
      // HTML, table rows, a list or quote inside) can end the quote in ways that depend on what
      // follows, so the splitter stops cutting for good: still correct, only less incremental.
      const inner = s.inner;
      if (inner?.state.kind === 'paragraph' && PLAIN_LAZY_LINE.test(line) && !isDefinition(line) && !DEFINITION_LABEL_LINE.test(line)) {
        this.follow(inner, () => inner.absorbsLazyLine(line));
        return 0;
      }
      if (inner && this.follow(inner, () => inner.absorbsLazyLine(line))) {
        this.unsure = true;
        return 0;
      }
      // After a definition, or its label alone, marked may take the lazy line into the quote too.
      if (inner && (inner.state.kind === 'definition' || inner.state.kind === 'definitionLabel')) {
        this.unsure = true;
        return 0;
      }
    }
    return this.restart(line);
  }

  /** Runs `read` on an inner machine, counting its work as ours. */
  private follow<T>(inner: MarkdownBlockSplitter, read: () => T): T {
    const before = inner.workDone;
    const result = read();
    this.workDone += inner.workDone - before;
    return result;
  }

  /** Whether the open token takes `line` as a lazy continuation line (it then reads it). */
  private absorbsLazyLine(line: string): boolean {
    const s = this.state;
    if (s.kind === 'paragraph') {
      s.previous = line;
      return true;
    }
    if (s.kind !== 'list' && s.kind !== 'blockquote') return false;
    this.readLine(line);
    return this.state === s;
  }

  private paragraphLine(s: Extract<State, { kind: 'paragraph' }>, line: string): number {
    if (BLANK.test(line)) {
      this.state = NONE;
      return 0;
    }
    // At a token start marked tries a table (header and delimiter rows) before a setext heading.
    if (!s.continued && isTableHead(s.previous, line)) {
      this.state = { kind: 'table' };
      return 0;
    }
    // A setext underline makes the paragraph a heading, which ends with it.
    if (s.lheading && SETEXT_UNDERLINE.test(line)) {
      this.state = NONE;
      return CUT_AFTER;
    }
    // marked ends a paragraph before a line that looks like a table header (the previous line,
    // followed by this delimiter-like row) even when no table follows, and that line then starts
    // a token. Whatever it becomes decides how the lines before render: no cut before this line.
    if (s.continued && TABLE_DELIMITER_ROW.test(line)) {
      const pending = s.lheading && !continuesOutsideLheading(line);
      const header = s.previous;
      let cuts: number;
      if (INDENTED_CODE.test(header) || isDefinition(header)) {
        // Indented code or a definition after a paragraph merges into it; this line starts a token.
        this.state = NONE;
        cuts = this.startToken(line);
      } else if (DEFINITION_LABEL_LINE.test(header) && isDestinationLine(line)) {
        // A definition whose destination is this line merges into the paragraph too, and so may
        // what follows (marked joins a paragraph cut at a table-like line back up): rare enough
        // to stop cutting for good rather than model (still correct, only less incremental).
        this.state = { kind: 'paragraph', lheading: false, previous: line, continued: true };
        this.unsure = true;
        cuts = 0;
      } else {
        const list = LIST_START.exec(header);
        if (list) {
          const ls = newList(list[1], header);
          this.state = { kind: 'list', list: ls };
          cuts = this.listLine(ls, line);
        } else {
          const p: State = { kind: 'paragraph', lheading: !startsOutsideLheading(header), previous: header, continued: false };
          this.state = p;
          cuts = this.paragraphLine(p, line);
        }
      }
      this.setextPending = pending && !(cuts & CUT_AFTER);
      return cuts & ~CUT_BEFORE;
    }
    if (HR.test(line) || ATX_HEADING.test(line) || BLOCKQUOTE.test(line) || FENCE_OPEN.test(line) || LIST_INTERRUPT.test(line) || HTML_INTERRUPT.test(line)) {
      // A list item with a tab after its bullet ends the paragraph, but not a setext heading.
      if (s.lheading && !continuesOutsideLheading(line)) {
        const cuts = this.restart(line);
        this.setextPending = !(cuts & CUT_AFTER);
        return cuts & ~CUT_BEFORE;
      }
      return this.restart(line);
    }
    if (s.lheading && continuesOutsideLheading(line)) s.lheading = false;
    s.previous = line;
    s.continued = true;
    return 0;
  }

  private listLine(ls: ListState, line: string): number {
    if (ls.phase === 'firstLineBlank') {
      // An item whose first line is empty and whose next line is blank is an empty item.
      if (!line.trim()) {
        ls.phase = 'betweenItems';
        return 0;
      }
      ls.phase = 'item';
    }
    if (ls.phase === 'item' && itemContinues(ls, line)) return 0;
    // The item ended before this line: another item, or the end of the list.
    if (ls.item.test(line) && !HR.test(line)) {
      startItem(ls, line);
      return 0;
    }
    return this.restart(line);
  }
}

/** A list starting with the item on `line`; `marker` is the item's indentation and bullet. */
function newList(marker: string, line: string): ListState {
  const bullet = marker.trim();
  const pattern = bullet.length > 1 ? `\\d{1,9}\\${bullet.slice(-1)}` : `\\${bullet}`;
  const ls: ListState = {
    item: new RegExp(`^( {0,3}${pattern})((?:[\\t ].*)?)$`),
    phase: 'item',
    indent: 0,
    breaks: itemBreaks(1),
    blank: false,
    previous: '',
    multiline: false,
    lazy: false,
  };
  startItem(ls, line);
  return ls;
}

/** Starts a list item on `line`, which matches the list's item pattern. */
function startItem(ls: ListState, line: string): void {
  const m = ls.item.exec(line) ?? ['', '', ''];
  const markerWidth = m[1].length;
  const first = m[2].replace(LEADING_WHITESPACE, (ws) => expandTabs(ws, markerWidth));
  const empty = !first.trim();
  let indent = markerWidth + 1;
  if (!empty) {
    const offset = first.search(/[^ ]/);
    indent = (offset > 4 ? 1 : offset) + markerWidth;
  }
  ls.indent = indent;
  ls.breaks = itemBreaks(indent);
  ls.blank = empty;
  ls.previous = first;
  ls.multiline = false;
  ls.lazy = false;
  ls.phase = empty ? 'firstLineBlank' : 'item';
}

/** marked's rule for whether `line` belongs to the current list item. */
function itemContinues(ls: ListState, line: string): boolean {
  const b = ls.breaks;
  if (b.fence.test(line) || b.heading.test(line) || b.html.test(line) || b.blockquote.test(line) || b.nextBullet.test(line) || b.hr.test(line)) {
    return false;
  }
  const expanded = line.replace(LEADING_WHITESPACE, (ws) => expandTabs(ws));
  if (expanded.search(/[^ ]/) >= ls.indent || !line.trim()) {
    ls.lazy = false;
  } else {
    // Not indented enough: only a lazy continuation of a paragraph can go on.
    if (ls.blank) return false;
    let prev = ls.previous;
    if (!ls.multiline && !prev.includes('\t')) {
      let m: RegExpExecArray | null;
      while (!b.hr.test(prev) && (m = NESTED_BLOCK_MARKER.exec(prev))) prev = prev.slice(m[0].length);
      if (!prev.trim()) return false;
    }
    if (prev.replace(/\t/g, '    ').search(/[^ ]/) >= 4 || b.fence.test(prev) || b.heading.test(prev) || b.html.test(prev) || b.hr.test(prev)) {
      return false;
    }
    if (!ls.lazy) {
      const content = ls.previous.replace(NESTED_CONTAINER_MARKERS, '');
      if (FENCE_OPEN.test(content) || ATX_HEADING.test(content) || HR.test(content)) return false;
    }
    ls.lazy = true;
  }
  ls.blank = !line.trim();
  ls.previous = expanded.slice(ls.indent);
  ls.multiline = true;
  return true;
}

/** HTML blocks of types 1–5 end at a closing marker (or never), not at a blank line. */
function rawHtmlCloser(line: string): { closer: RegExp; closesOnFirstLine: boolean } | undefined {
  let closer: RegExp;
  let from: number;
  const tag = HTML_RAW_TAG.exec(line);
  if (tag) {
    closer = new RegExp(`</${tag[1]}>`, 'i');
    from = tag[0].length;
  } else if (HTML_COMMENT.test(line)) {
    from = line.indexOf('<!--') + 4;
    const rest = line.slice(from);
    if (rest.startsWith('>') || rest.startsWith('->')) return { closer: /-->/, closesOnFirstLine: true };
    closer = /-->/;
  } else if (HTML_PI.test(line)) {
    closer = /\?>/;
    from = line.indexOf('<?') + 2;
  } else if (HTML_CDATA.test(line)) {
    closer = /\]\]>/;
    from = line.indexOf('<![CDATA[') + 9;
  } else if (HTML_DECLARATION.test(line)) {
    closer = />/;
    from = line.indexOf('<!') + 2;
  } else {
    return undefined;
  }
  return { closer, closesOnFirstLine: closer.test(line.slice(from)) };
}

/** The first line of a paragraph that the setext-heading rule cannot start with. */
function startsOutsideLheading(line: string): boolean {
  return LHEADING_BULLET.test(line) || INDENTED_CODE.test(line) || LHEADING_FENCE.test(line) || BLOCKQUOTE.test(line) ||
    ATX_HEADING.test(line) || HTML_INTERRUPT.test(line) || LHEADING_TABLE_ROW.test(line);
}

/** A continuation line that the setext-heading rule cannot continue over. */
function continuesOutsideLheading(line: string): boolean {
  return LHEADING_BULLET.test(line) || LHEADING_FENCE.test(line) || BLOCKQUOTE.test(line) || ATX_HEADING.test(line) ||
    HR.test(line) || HTML_INTERRUPT.test(line) || LHEADING_TABLE_ROW.test(line);
}

/** Splits a whole text into the blocks the incremental splitter would report. */
export function splitMarkdownBlocks(text: string): string[] {
  const splitter = new MarkdownBlockSplitter();
  return [...splitter.push(text), ...splitter.finish()];
}
