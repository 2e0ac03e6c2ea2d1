/**
 * The @-mention (or #-reference) the caret of the chat input is in, if any: which trigger, the
 * query typed after it up to the caret, and the whole token (so a pick can remove it). Pure: the
 * webview calls it on every keystroke and caret move; the unit tests call it directly.
 *
 * A trigger starts a mention only at the start of the text or after a character that cannot be
 * part of a word: whitespace, an opening bracket or quote, or a non-ASCII punctuation mark or CJK
 * character (Chinese does not put spaces between words: `请解释@src/a.ts`, `看看，@a.ts`). After an
 * ASCII letter, digit or symbol it is not one: `a@b.com`, `C#`, `x#1` never open the list.
 *
 * The query runs up to the caret over anything but whitespace and non-ASCII punctuation (`，。`
 * end it; CJK letters do not: `@文档`). The token ends where the query would end after the caret
 * too, so picking with the caret in the middle of `@src/ut|il` removes all of `@src/util`.
 */

export type MentionTrigger = '@' | '#';

export interface MentionToken {
  trigger: MentionTrigger;
  /** What was typed between the trigger and the caret. */
  query: string;
  /** Index of the trigger character. */
  start: number;
  /** End of the token (exclusive): the caret, or further when the caret is inside it. */
  end: number;
}

/** Longest query the extension accepts (QueryMentions); past it, the text is not a mention. */
export const MAX_MENTION_QUERY = 500;

const ASCII_BOUNDARY = /[\s([{"'`<]/;
const WIDE_BOUNDARY = /[\p{P}\p{S}\p{Z}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WIDE_PUNCTUATION = /[\p{P}\p{Z}]/u;

function isTrigger(ch: string): ch is MentionTrigger {
  return ch === '@' || ch === '#';
}

/** The character (a whole code point) that ends at `end`. */
function charBefore(text: string, end: number): string {
  const low = text.charCodeAt(end - 1);
  if (low >= 0xdc00 && low <= 0xdfff && end >= 2) {
    const high = text.charCodeAt(end - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(end - 2, end);
  }
  return text.charAt(end - 1);
}

/** Whether `ch` can be part of a mention's query. */
function isQueryChar(ch: string): boolean {
  if (/\s/.test(ch)) return false;
  return ch.charCodeAt(0) < 0x80 || !WIDE_PUNCTUATION.test(ch);
}

/** Whether a trigger right after `prev` (undefined: the start of the text) starts a mention. */
function startsMention(prev: string | undefined): boolean {
  if (prev === undefined || prev === '') return true;
  if (prev.charCodeAt(0) < 0x80) return ASCII_BOUNDARY.test(prev);
  return WIDE_BOUNDARY.test(prev) || /\s/.test(prev);
}

/** The mention the caret is in (see the file comment), or undefined. */
export function mentionAt(text: string, caret: number): MentionToken | undefined {
  if (!Number.isInteger(caret) || caret < 1 || caret > text.length) return undefined;
  // Back from the caret over query characters; the nearest trigger that may start a mention wins.
  let i = caret;
  let start = -1;
  while (i > 0) {
    const ch = charBefore(text, i);
    if (!isQueryChar(ch)) break;
    i -= ch.length;
    if (caret - i - 1 > MAX_MENTION_QUERY) return undefined;
    if (isTrigger(ch) && startsMention(i > 0 ? charBefore(text, i) : undefined)) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  let end = caret;
  while (end < text.length) {
    const cp = text.codePointAt(end) as number;
    const ch = String.fromCodePoint(cp);
    if (!isQueryChar(ch)) break;
    end += ch.length;
  }
  return { trigger: text[start] as MentionTrigger, query: text.slice(start + 1, caret), start, end };
}

/** `text` without the token, and where the caret goes (where the token was). */
export function removeMention(text: string, token: Pick<MentionToken, 'start' | 'end'>): { text: string; caret: number } {
  return { text: text.slice(0, token.start) + text.slice(token.end), caret: token.start };
}
