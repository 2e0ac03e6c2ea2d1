/**
 * From a model's answer to the code that goes into the document, for "edit selection", "generate
 * from comment" and "fix": the answer may wrap the code in a fenced block with prose around it,
 * use several blocks, use none, keep `<answer>` / `<think>` leftovers or a `/no_think` echo, use
 * other line breaks than the document, lose the selection's indentation, repeat the code around
 * the range, or stop in the middle (a cut stream). Pure: no `vscode`, no DOM.
 *
 * Rules, in order:
 * 1. Line breaks become `\n` (the document's `eol` is put back at the end).
 * 2. Leftover tags at the start: `<think>…</think>` (an unclosed one means everything is
 *    thinking), a stray `</think>`, `<answer>`, a `/no_think` echo; a line that is just
 *    `</think>` (before any fence) drops everything above it; a `</answer>` at the very end
 *    goes. In markup languages `<answer>` could be an element: there it is a tag only before a
 *    fence.
 * 3. Fenced blocks (``` or ~~~, three or more, indented or not, CommonMark closing rules; an
 *    unclosed block runs to the end): the code is the block whose language matches the
 *    document's, else any block; the longest of those. Outside blocks everything is ignored.
 * 4. No fence: the answer is the code, minus prose lines at its start and end, and only lines
 *    that are clearly prose ("Here is the updated code:", "This version uses a map.", "以下是修改后的
 *    代码：", "**Explanation:**", bullet points after such a line). A line that could be code is
 *    kept. In prose languages (Markdown, plain text, LaTeX) nothing is dropped.
 * 5. Blank lines at the start and end go; so does a first line that is `/no_think`.
 * 6. Echoed context: lines at the start that repeat the end of `contextBefore` (for "generate",
 *    the comment) go, and lines at the end that repeat the start of `contextAfter`, when the
 *    repeated part has a line with a letter or digit and `original` does not start (end) the same.
 * 7. Indentation: when the code's first line is less indented than `originalIndent` (the
 *    selection's indentation), the model dedented the block: every non-blank line moves right by
 *    the difference, keeping the block's inner structure.
 * 8. The result uses `eol`; with `original`, its leading blank lines and what follows its last
 *    non-blank line (its final line break, trailing blank lines) are put back.
 *
 * `cleanPartialCodeAnswer` applies the same rules to an answer still streaming, to its complete
 * lines only, holding back what the next lines could still change: prose or blank lines at the
 * end, a possible echo of the context, and an unfenced start until it has two lines of code (it
 * may be a lead-in to a fence). Its lines are then a prefix of what `cleanCodeAnswer` gives for
 * the whole answer (checked by property tests), with three exceptions the stream cannot foresee:
 * several blocks (the final answer may settle on a longer one than the first, followed while
 * streaming), a fence that starts after two or more lines the rules took for code, and a
 * `</think>` line that arrives after text (thinking without its opening tag).
 *
 * `CodeAnswerStream` (./streamClean.ts) gives the same lines as `cleanPartialCodeAnswer` without
 * reading the whole answer again for each line; the internals it shares with the rules here are
 * exported below (marked "for the stream"), so both follow one definition.
 */
import type { Eol } from '../diff/text';
import { commentSyntax, fenceMatchesLanguage, isMarkupLanguage, isProseLanguage } from './languages';

export interface CleanOptions {
  /** The document's language id: picks the matching fenced block, and the comment markers that are never prose. */
  languageId: string;
  /** The document's line break; the result uses it. */
  eol: Eol;
  /**
   * The indentation the code starts at: for an edit of whole lines, the selection's (common)
   * indentation; for generated code, the insertion point's. When the answer's first line is less
   * indented, the whole answer is shifted right to match. Default: the indentation of the first
   * non-blank line of `original` when given (`''` for a selection that starts after the
   * indentation), else none (no re-indenting).
   */
  originalIndent?: string;
  /**
   * The code being replaced. Its leading blank lines and what follows its last non-blank line
   * (a final line break, trailing blank lines) are kept in the result; echo removal is checked
   * against it.
   */
  original?: string;
  /** End the code with a line break; overrides what `original` implies (default: as `original`, else none). */
  trailingNewline?: boolean;
  /**
   * The code just above the range (for "generate from comment": up to and including the comment).
   * Lines at the start of the answer that repeat its last lines are dropped.
   */
  contextBefore?: string;
  /** The code just below the range. Lines at the end of a final answer that repeat its first lines are dropped. */
  contextAfter?: string;
}

export interface CleanResult {
  /** The code, ready to replace the range; `''` when the answer has none. */
  code: string;
  /** Where the code came from: a fenced block, the answer itself (no fence), or nowhere (no code). */
  source: 'fence' | 'plain' | 'none';
  /** The block used was never closed: the answer was probably cut. */
  unclosedFence: boolean;
  /** How many fenced blocks the answer has. */
  fences: number;
}

// ---- indentation ------------------------------------------------------------------------------

const LINE_BREAK = /\r\n|\r|\n/;
/** For the stream: a line with nothing but whitespace. */
const NON_SPACE = /\S/;
/** Whether the line is empty or only white space (as `line.trim() === ''`, without a new string). */
export const isBlank = (line: string): boolean => !NON_SPACE.test(line);
const leadingWhitespace = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** The longest whitespace prefix shared by all non-blank lines of `text` (`''` when there are none). */
export function commonIndent(text: string | readonly string[]): string {
  const lines = typeof text === 'string' ? text.split(LINE_BREAK) : text;
  let common: string | undefined;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const ws = leadingWhitespace(line);
    if (common === undefined) {
      common = ws;
    } else {
      let k = 0;
      while (k < common.length && k < ws.length && common[k] === ws[k]) k++;
      common = common.slice(0, k);
    }
    if (common === '') break;
  }
  return common ?? '';
}

/**
 * Replaces the indentation prefix `from` by `to` on every non-blank line that starts with it;
 * blank lines and line breaks are kept as they are. With `from = commonIndent(text)`,
 * `reindent(reindent(text, from, to), to, from) === text`.
 */
export function reindent(text: string, from: string, to: string): string {
  const parts = text.split(/(\r\n|\r|\n)/);
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i];
    if (!isBlank(line) && line.startsWith(from)) parts[i] = to + line.slice(from.length);
  }
  return parts.join('');
}

/** Columns an indentation takes, tabs to the next multiple of `tabSize`. */
export function indentWidth(indent: string, tabSize = 4): number {
  let width = 0;
  for (const ch of indent) width = ch === '\t' ? width + tabSize - (width % tabSize) : width + 1;
  return width;
}

/**
 * Puts back the indentation the model dropped. The decision is made on the first non-blank line
 * alone, so a streamed answer's earlier lines never change: when it is narrower than `expected`,
 * the model dedented the block, and every non-blank line moves right by the same amount (the
 * block's inner structure is kept). When `expected` does not end with the line's indentation
 * (tabs against spaces), that indentation is replaced by `expected` instead.
 */
function restoreIndent(lines: readonly string[], expected: string): string[] {
  const first = lines.find((l) => !isBlank(l));
  if (!expected || first === undefined) return [...lines];
  return lines.map(indentRestorer(first, expected));
}

/**
 * For the stream: what `restoreIndent` does to each line of code whose first non-blank line is
 * `first` (the identity when that line is indented enough, or nothing is expected).
 */
export function indentRestorer(first: string, expected: string): (line: string) => string {
  const have = leadingWhitespace(first);
  if (!expected || indentWidth(have) >= indentWidth(expected)) return (l) => l;
  const shift = expected.endsWith(have) ? expected.slice(0, expected.length - have.length) : undefined;
  return (l) => {
    if (isBlank(l)) return l;
    if (shift !== undefined) return shift + l;
    return l.startsWith(have) ? expected + l.slice(have.length) : expected + l;
  };
}

// ---- tags ---------------------------------------------------------------------------------------

const FENCE_AHEAD = /^\s*(?:`{3,}|~{3,})/;

/** For the stream: what `stripLeadingTags` found. */
export interface LeadingTags {
  /** What follows the tags: a suffix of the input (the input itself when it starts with none). */
  readonly text: string;
  /** An `<answer>` tag was taken off. */
  readonly answerTag: boolean;
  /** Undecided until more lines arrive (inside `<think>`; in markup, after a bare `<answer>`): no code yet. */
  readonly waiting: boolean;
}

/**
 * For the stream: the leading-tag part of rule 2 (everything but the `</answer>` at the end).
 * What it takes off a text of complete lines stays taken off whatever lines follow, so the stream
 * can call it again on the rest alone, passing on `answerTag`.
 */
export function stripLeadingTags(input: string, languageId: string, final: boolean, answerTagBefore = false): LeadingTags {
  let text = input;
  const markup = isMarkupLanguage(languageId);
  let answerTag = answerTagBefore;
  for (;;) {
    const rest = text.replace(/^\s+/, '');
    if (rest.startsWith('<think>')) {
      const end = rest.indexOf('</think>');
      if (end < 0) return { text, answerTag, waiting: true }; // all thinking so far
      text = rest.slice(end + '</think>'.length).replace(/^[ \t]*\n/, '');
      continue;
    }
    if (rest.startsWith('</think>')) {
      text = rest.slice('</think>'.length).replace(/^[ \t]*\n/, '');
      continue;
    }
    if (rest.startsWith('<answer>')) {
      const after = rest.slice('<answer>'.length);
      // In markup `<answer>` may be an element: there it is a tag only before a fence.
      if (!markup || FENCE_AHEAD.test(after)) {
        text = after.replace(/^[ \t]*\n/, '');
        answerTag = true;
        continue;
      }
      if (!final && !after.trim()) return { text, answerTag, waiting: true }; // a markup answer: wait for what follows
    }
    if (/^\/no_think(?:\s|$)/.test(rest)) {
      text = rest.slice('/no_think'.length).replace(/^[ \t]*\n?/, '');
      continue;
    }
    // Thinking that reached the answer without its opening tag: it ends with a `</think>` line.
    const lone = /(?:^|\n)[ \t]*<\/think>[ \t]*(?:\n|$)/.exec(text);
    if (lone && !/(?:^|\n)[ \t]*(?:`{3,}|~{3,})/.test(text.slice(0, lone.index))) {
      text = text.slice(lone.index + lone[0].length);
      continue;
    }
    break;
  }
  return { text, answerTag, waiting: false };
}

/** For the stream: whether a `</answer>` ending the text (what `stripLeadingTags` left) is a tag, not markup. */
export function endsWithAnswerTag(text: string, languageId: string, answerTag: boolean): boolean {
  return !isMarkupLanguage(languageId) || answerTag || FENCE_AHEAD.test(text);
}

/** A `</answer>` at the end, with only whitespace after it. */
export const ANSWER_END = /<\/answer>\s*$/;

/** Drops leftover `<think>` / `<answer>` tags and a `/no_think` echo (see rule 2). */
function stripTags(input: string, languageId: string, final: boolean): string {
  const lead = stripLeadingTags(input, languageId, final);
  if (lead.waiting) return '';
  let { text } = lead;
  if (endsWithAnswerTag(text, languageId, lead.answerTag)) {
    // While streaming only complete lines are seen: `</answer>` ending the last of them may end the answer.
    text = final ? text.replace(ANSWER_END, '') : text.replace(ANSWER_END, '\n');
  }
  return text;
}

// ---- fences ------------------------------------------------------------------------------------

/** For the stream: a fenced block. */
export interface Fence {
  readonly info: string;
  /** Its lines, without (up to) the opening fence's indentation. */
  readonly content: string[];
  readonly closed: boolean;
  readonly char: string;
  readonly length: number;
  /** How many whitespace characters the opening fence is indented by. */
  readonly indent: number;
}

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

/** For the stream: `line` without (up to) `n` leading spaces or tabs. */
export function stripIndentUpTo(line: string, n: number): string {
  let k = 0;
  while (k < n && k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
  return line.slice(k);
}

/** For the stream: the fence `line` opens, if it is an opening fence (its content and `closed` left empty). */
export function openingFence(line: string): Fence | undefined {
  const m = FENCE_OPEN.exec(line);
  if (!m) return undefined;
  const [, indent, marker, info] = m;
  const char = marker[0];
  if (char === '`' && info.includes('`')) return undefined; // ```inline``` code, not a fence
  return { info: info.trim(), content: [], closed: false, char, length: marker.length, indent: indent.length };
}

/** For the stream: the lines that close `fence` (CommonMark: at least as many of its characters, nothing else). */
export function closingFence(fence: Pick<Fence, 'char' | 'length'>): RegExp {
  return new RegExp(`^[ \\t]*\\${fence.char}{${fence.length},}[ \\t]*$`);
}

/** For the stream: a line of an unclosed block that may be its closing fence cut short by the end of the stream. */
export function cutFence(fence: Pick<Fence, 'char'>): RegExp {
  return new RegExp(`^[ \\t]*\\${fence.char}+[ \\t]*$`);
}

/** For the stream: the fenced blocks of `lines`, CommonMark-style but with any indentation. */
export function parseFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = openingFence(lines[i]);
    if (!open) continue;
    const close = closingFence(open);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    fences.push({ ...open, content: lines.slice(i + 1, j).map((l) => stripIndentUpTo(l, open.indent)), closed: j < lines.length });
    i = j;
  }
  return fences;
}

const fenceSize = (f: Fence): number => f.content.reduce((n, l) => n + l.length + 1, 0);

/**
 * The block holding the code: language-matching ones first; while streaming the first. Once the
 * answer is complete, with code to rewrite (`original`'s lines), the block most like it: the
 * rewrite, not a longer usage example after it, nor the import line before it, nor the whole file
 * around it (likeness counts the lines they share against the lines of both); ties, and answers
 * with nothing to rewrite, take the longest.
 */
export function chooseFence(fences: readonly Fence[], languageId: string, final: boolean, original: readonly string[] = []): Fence {
  const matching = fences.filter((f) => fenceMatchesLanguage(f.info, languageId));
  let pool = matching.length ? matching : fences;
  if (!final) return pool[0];
  const like = pool.length > 1 ? likeness(original) : undefined;
  const score = new Map(pool.map((f) => [f, like ? like(f.content) : 0]));
  // A block that only quotes the code ("Before: … After: …", the faulty line then its fix) is
  // not the rewrite when another block is one: a changed version of short code, or one still
  // much like longer code (not an unrelated example after "it is fine as it is").
  const copies = pool.filter((f) => score.get(f) === 1);
  const others = pool.filter((f) => score.get(f) !== 1);
  const size = original.filter((l) => l.trim()).length;
  if (copies.length && others.length && (size <= 2 || others.some((f) => (score.get(f) ?? 0) >= 0.3))) pool = others;
  return pool.reduce((best, f) => {
    const d = (score.get(f) ?? 0) - (score.get(best) ?? 0);
    return d > 1e-9 || (Math.abs(d) <= 1e-9 && fenceSize(f) > fenceSize(best)) ? f : best;
  });
}

/**
 * How much lines are like `original`'s (Dice's coefficient of their non-blank lines, trimmed, as
 * multisets): 1 for the same lines, 0 for none shared. Undefined when `original` has none.
 */
function likeness(original: readonly string[]): ((lines: readonly string[]) => number) | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const line of original) {
    const key = line.trim();
    if (!key) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  if (!total) return undefined;
  return (lines) => {
    const left = new Map(counts);
    let shared = 0;
    let size = 0;
    for (const line of lines) {
      const key = line.trim();
      if (!key) continue;
      size++;
      const n = left.get(key) ?? 0;
      if (n > 0) {
        shared++;
        left.set(key, n - 1);
      }
    }
    return (2 * shared) / (size + total);
  };
}

// ---- prose -------------------------------------------------------------------------------------

/** For the stream: what a line of an unfenced answer is (see `dropProse`). */
export type LineClass = 'blank' | 'head' | 'cont' | 'code';

/** Letters, digits, spaces and punctuation of a sentence, once `inline code` spans are taken out. */
const withoutCodeSpans = (line: string): string => line.replace(/`[^`]*`/g, 'x');
const CODE_PUNCTUATION = /[;{}=<>[\]|\\]|\/\/|\/\*/;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Starts of sentences that open or close an answer ("Here is…", "This version…", "I've…"). */
const LEAD_PHRASE = new RegExp(
  '^(?:' +
    [
      "(?:sure|certainly|of course|okay|ok|alright|great)\\b",
      "here(?:'s|’s| is| are)\\b",
      'below (?:is|are)\\b',
      'the (?:following|updated|modified|revised|corrected|fixed|complete|new|rewritten|refactored|resulting|generated|final|above|changes?|code|function|method|implementation)\\b',
      'this (?:is|code|version|implementation|function|method|change|updated|solution|snippet|rewrite|keeps|uses|adds|removes|replaces|avoids|handles|makes|ensures|way)\\b',
      'these changes\\b',
      "i(?:'ve|’ve| have| made| changed| updated| added| removed| replaced| renamed| refactored| fixed| kept| used| also| hope)\\b",
      'in this (?:version|code|change)\\b',
      'let me\\b',
      '(?:replace|change) (?:it|this|that|the \\w+(?: \\w+)?) (?:with|to)\\b',
      '(?:you can|try|use) (?:this|the following)\\b',
      'note that\\b',
      'hope this\\b',
      'now\\b,',
    ].join('|') +
    ')',
  'i',
);
/** Labels that start an explanation: "Explanation:", "**Changes:**". Config languages use these as keys. */
const LABEL = /^(?:\*\*)?(?:Notes?|Explanation|Changes(?: made)?|Summary|Key changes|Improvements|Output|Usage|Example|解释|说明|修改说明|注意)(?:(?:\*\*)?\s*[:：]|\s*[:：]\*\*)/;
const CJK_LEAD = /^(?:以下|下面|这是|这里|这段|上面|修改|我|已|说明|注意|解释|该|此)/;
const CONFIG_LANGUAGES = new Set(['yaml', 'toml', 'ini', 'properties', 'dotenv', 'json', 'jsonc', 'makefile', 'dockerfile']);
/** C-family languages where `# word` is a preprocessor line, so only `##` headings are prose. */
const HASH_DIRECTIVE_LANGUAGES = new Set(['c', 'cpp', 'objective-c', 'objective-cpp', 'csharp', 'cuda', 'cuda-cpp', 'hlsl', 'glsl']);

function startsWithComment(line: string, markers: readonly string[]): boolean {
  const t = line.trimStart();
  return markers.some((m) => t.startsWith(m)) || /^(?:\/\*|\*(?:\s|\/|$)|<!--|"""|''')/.test(t);
}

/** A line that is surely prose: the start or end of an explanation, never code. */
function isProseHead(line: string, languageId: string, markers: readonly string[]): boolean {
  if (/^\s/.test(line) || startsWithComment(line, markers)) return false;
  const t = line.trimEnd();
  const hashIsComment = markers.includes('#');
  if (!hashIsComment && (HASH_DIRECTIVE_LANGUAGES.has(languageId) ? /^#{2,6}\s+\S/ : /^#{1,6}\s+\S/).test(t)) return true;
  if (/^\*\*[^*]+\*\*[:：]?$/.test(t) || /^\*\*[^*]+[:：]\*\*$/.test(t)) return true;
  const plain = withoutCodeSpans(t);
  if (CODE_PUNCTUATION.test(plain)) return false;
  if (!CONFIG_LANGUAGES.has(languageId) && LABEL.test(t)) return true;
  const ends = /[:.!：。！]\**$/.test(t);
  const sentence = t.replace(/^\*\*/, '');
  if (ends && /^[A-Z]/.test(sentence) && LEAD_PHRASE.test(sentence) && /\s|^\S+[.!]$/.test(sentence)) return true;
  if (CJK.test(plain) && !/["'`]/.test(plain) && (ends || (CJK_LEAD.test(t) && /[：:]/.test(t)))) return true;
  return false;
}

/** A line that continues an explanation started by a head line: a bullet point or a sentence. */
function isProseContinuation(line: string, markers: readonly string[]): boolean {
  if (startsWithComment(line, markers)) return false;
  const plain = withoutCodeSpans(line.trim());
  if (CODE_PUNCTUATION.test(plain)) return false;
  if (/^(?:[-*+]|\d+[.)])\s+\S/.test(plain)) return true;
  if (/^\s/.test(line)) return false;
  const words = plain.split(/\s+/).length;
  return /^[\p{Lu}\u3400-\u9fff]/u.test(plain) && (words >= 3 || CJK.test(plain)) && /[.。!！:：]$/.test(plain);
}

/** A first line that reads like a sentence: while streaming, wait for a line of code (or a fence) before showing it. */
function mayBeProse(line: string, markers: readonly string[]): boolean {
  if (/^\s/.test(line) || startsWithComment(line, markers)) return false;
  const plain = withoutCodeSpans(line.trim());
  return /^[\p{Lu}\p{Lo}]/u.test(plain) && !/[;{}=<>[\]"]/.test(plain) && (/\S\s+\S+\s+\S/.test(plain) || CJK.test(plain));
}

/**
 * For the stream: the class of a line of an unfenced answer (`markers`: the language's line
 * comment markers). In prose languages every non-blank line is content (`code`).
 */
export function classifyPlainLine(line: string, languageId: string, markers: readonly string[]): LineClass {
  if (isBlank(line)) return 'blank';
  if (isProseLanguage(languageId)) return 'code';
  return isProseHead(line, languageId, markers) ? 'head' : isProseContinuation(line, markers) ? 'cont' : 'code';
}

/**
 * For the stream: a line that counts towards the two lines of code an unfenced answer needs
 * before it shows (in prose languages: a line that is not a lead-in).
 */
export function countsAsCode(line: string, languageId: string, markers: readonly string[]): boolean {
  if (isBlank(line)) return false;
  if (isProseLanguage(languageId)) return !isProseHead(line, 'plaintext', markers);
  return classifyPlainLine(line, languageId, markers) === 'code' && !mayBeProse(line, markers);
}

/**
 * For the stream: where the code of an unfenced answer starts and ends (`lines.slice(start, end)`
 * is what `dropProse` keeps before its last check), or nothing while streaming until two lines
 * of code arrived.
 */
export function plainBounds(lines: readonly string[], languageId: string, final: boolean): { start: number; end: number } | undefined {
  const markers = commentSyntax(languageId).line;
  if (isProseLanguage(languageId)) {
    // Everything is content; while streaming, wait for two lines that are not a lead-in.
    if (final) return { start: 0, end: lines.length };
    let content = 0;
    for (let k = 0; k < lines.length && content < 2; k++) if (countsAsCode(lines[k], languageId, markers)) content++;
    return content < 2 ? undefined : { start: 0, end: lines.length };
  }
  const cls: LineClass[] = lines.map((l) => classifyPlainLine(l, languageId, markers));
  let start = 0;
  while (start < lines.length && (cls[start] === 'blank' || cls[start] === 'head')) start++;
  if (!final) {
    // Until two lines of code arrive, the lines so far may be the lead-in to a fence (a sentence
    // the rules do not know): show nothing yet rather than lines that would then disappear.
    let code = 0;
    for (let k = start; k < lines.length && code < 2; k++) if (cls[k] === 'code' && !mayBeProse(lines[k], markers)) code++;
    if (code < 2) return undefined;
  }
  let end = lines.length;
  let uncovered = false; // a continuation line below that no head (yet, going up) explains
  for (let k = lines.length - 1; k >= start; k--) {
    const c = cls[k];
    if (c === 'code') break;
    if (c === 'cont') {
      uncovered = true;
    } else if (c === 'head') {
      uncovered = false;
      end = k;
    } else if (!uncovered) {
      end = k;
    }
  }
  return { start, end: Math.max(start, end) };
}

/**
 * The code lines of an unfenced answer: drops the prose at the start (heads and blank lines) and
 * at the end (heads, blank lines, and bullet points or sentences after a head).
 */
function dropProse(lines: readonly string[], languageId: string, final: boolean): string[] {
  const bounds = plainBounds(lines, languageId, final);
  if (!bounds) return [];
  const code = lines.slice(bounds.start, bounds.end);
  if (isProseLanguage(languageId)) return code;
  const markers = commentSyntax(languageId).line;
  // Nothing but sentences (a refusal, a question back): no code at all.
  if (final && code.every((l) => isBlank(l) || (mayBeProse(l, markers) && /[.!?。！？]$/.test(l.trim())))) return [];
  return code;
}

// ---- echoed context ----------------------------------------------------------------------------

const same = (a: string, b: string): boolean => a.trim() === b.trim();
const meaningful = (lines: readonly string[]): boolean => lines.some((l) => /[\p{L}\p{N}]/u.test(l));
/** For the stream: the lines of `text` from its first non-blank line to its last, `\n` line breaks. */
export const contentLines = (text: string): string[] => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let a = 0;
  let b = lines.length;
  while (a < b && isBlank(lines[a])) a++;
  while (b > a && isBlank(lines[b - 1])) b--;
  return lines.slice(a, b);
};
/** For the stream: how many lines of the context around the range echo removal looks at. */
export const MAX_CONTEXT_LINES = 200;

function matchAt(a: readonly string[], from: number, b: readonly string[], at: number, k: number): boolean {
  if (from < 0 || at < 0 || from + k > a.length || at + k > b.length) return false;
  for (let i = 0; i < k; i++) if (!same(a[from + i], b[at + i])) return false;
  return true;
}

/**
 * How many lines at the start of `out` repeat the end of `before`; while streaming, `hold` when
 * the lines so far could still turn out to be (the start of) a longer repetition. For the stream:
 * once `hold` is false it stays false as lines are added to `out`, and `drop` stays as it is.
 */
export function leadingEcho(out: readonly string[], before: readonly string[], original: readonly string[], final: boolean): { drop: number; hold: boolean } {
  const n = before.length;
  const m = out.length;
  let drop = 0;
  for (let k = 1; k <= Math.min(m, n); k++) {
    if (matchAt(out, 0, before, n - k, k) && meaningful(out.slice(0, k)) && !matchAt(out, 0, original, 0, k)) drop = k;
  }
  let hold = false;
  if (!final && m > 0) {
    for (let k = m + 1; k <= n && !hold; k++) hold = matchAt(out, 0, before, n - k, m);
  }
  return { drop, hold };
}

/** How many lines at the end of `out` repeat the start of `after` (at least one line of `out` stays). */
function trailingEcho(out: readonly string[], after: readonly string[], original: readonly string[]): number {
  let drop = 0;
  for (let k = 1; k < out.length && k <= after.length; k++) {
    const tail = out.slice(out.length - k);
    if (matchAt(tail, 0, after, 0, k) && meaningful(tail) && !matchAt(tail, 0, original, original.length - k, k)) drop = k;
  }
  return drop;
}

/** The longest run of lines at the end of `out` that is the start of `after`. */
function possibleTrailingEcho(out: readonly string[], after: readonly string[]): number {
  for (let k = Math.min(out.length, after.length); k > 0; k--) if (matchAt(out, out.length - k, after, 0, k)) return k;
  return 0;
}

// ---- assembling ---------------------------------------------------------------------------------

function trimBlankStart(lines: string[]): string[] {
  let a = 0;
  while (a < lines.length && isBlank(lines[a])) a++;
  return a ? lines.slice(a) : lines;
}

function trimBlankEnd(lines: string[]): string[] {
  let b = lines.length;
  while (b > 0 && isBlank(lines[b - 1])) b--;
  return b < lines.length ? lines.slice(0, b) : lines;
}

/** For the stream: what `original` has before its first non-blank line and after its last one, with `eol` line breaks. */
export function frame(original: string | undefined, eol: Eol): { lead: string; tail: string } {
  if (original === undefined) return { lead: '', tail: '' };
  const lines = original.split(LINE_BREAK);
  const first = lines.findIndex((l) => !isBlank(l));
  if (first < 0) return { lead: '', tail: LINE_BREAK.test(original) ? eol : '' };
  let last = lines.length - 1;
  while (isBlank(lines[last])) last--;
  return {
    lead: lines.slice(0, first).map((l) => l + eol).join(''),
    tail: lines.slice(last + 1).map((l) => eol + l).join(''),
  };
}

/** For the stream: the indentation the code should start at (`original`: `contentLines` of `opts.original`). */
export function expectedIndent(opts: CleanOptions, original: readonly string[]): string {
  return opts.originalIndent ?? (original.length ? leadingWhitespace(original[0]) : '');
}

function run(answer: string, opts: CleanOptions, final: boolean): CleanResult {
  let text = answer.replace(/\r\n?/g, '\n');
  if (!final) text = text.slice(0, text.lastIndexOf('\n') + 1); // complete lines only
  text = stripTags(text, opts.languageId, final);
  let lines = text.split('\n');
  if (!final || text.endsWith('\n')) lines.pop();

  const original = opts.original === undefined ? [] : contentLines(opts.original);
  const fences = parseFences(lines);
  let source: CleanResult['source'];
  let unclosedFence = false;
  if (fences.length) {
    const fence = chooseFence(fences, opts.languageId, final, original);
    lines = fence.content;
    unclosedFence = !fence.closed;
    // A stream cut inside the closing fence leaves a shorter run of its characters.
    const last = lines[lines.length - 1];
    if (final && !fence.closed && last !== undefined && cutFence(fence).test(last)) lines = lines.slice(0, -1);
    source = 'fence';
  } else {
    lines = dropProse(lines, opts.languageId, final);
    // A one-line answer in `inline code`.
    const single = lines.filter((l) => !isBlank(l));
    if (single.length === 1 && /^\s*`[^`]+`\s*$/.test(single[0]) && opts.languageId !== 'shellscript') {
      if (!final) lines = [];
      else lines = [single[0].trim().slice(1, -1)];
    }
    source = 'plain';
  }

  lines = trimBlankStart(lines);
  if (lines.length && lines[0].trim() === '/no_think') lines = trimBlankStart(lines.slice(1));

  if (opts.contextBefore) {
    const before = contentLines(opts.contextBefore).slice(-MAX_CONTEXT_LINES);
    const { drop, hold } = leadingEcho(lines, before, original, final);
    lines = hold ? [] : trimBlankStart(lines.slice(drop));
  }
  lines = trimBlankEnd(lines);
  if (opts.contextAfter) {
    const after = contentLines(opts.contextAfter).slice(0, MAX_CONTEXT_LINES);
    // While streaming, hold back the lines that could still turn out to repeat the code below.
    const drop = final ? trailingEcho(lines, after, original) : possibleTrailingEcho(lines, after);
    lines = trimBlankEnd(lines.slice(0, lines.length - drop));
  }

  lines = restoreIndent(lines, expectedIndent(opts, original));

  if (!lines.length) return { code: '', source: fences.length ? 'fence' : 'none', unclosedFence, fences: fences.length };
  const { eol } = opts;
  const framed = frame(opts.original, eol);
  const { lead } = framed;
  let { tail } = framed;
  if (opts.trailingNewline === true && !tail.includes('\n')) tail += eol;
  if (opts.trailingNewline === false) tail = '';
  const code = final ? lead + lines.join(eol) + tail : lead + lines.map((l) => l + eol).join('');
  return { code, source, unclosedFence, fences: fences.length };
}

/** The code in a complete answer, cleaned (see the rules at the top of this file). */
export function cleanCodeAnswer(answer: string, opts: CleanOptions): string {
  return run(answer, opts, true).code;
}

/**
 * The code so far in an answer still streaming: its complete lines, each followed by `eol` (the
 * unfinished last line and whatever the next lines could change are held back). Feed it to the
 * inline diff while streaming, then `cleanCodeAnswer` once the answer is complete.
 */
export function cleanPartialCodeAnswer(partialAnswer: string, opts: CleanOptions): string {
  return run(partialAnswer, opts, false).code;
}

/** `cleanCodeAnswer` (or, with `partial`, `cleanPartialCodeAnswer`) with where the code came from. */
export function analyzeCodeAnswer(answer: string, opts: CleanOptions & { partial?: boolean }): CleanResult {
  return run(answer, opts, !opts.partial);
}
