/**
 * The test gateway's own token count, used to refuse what does not fit its context window and
 * to report usage. It approximates a byte-level BPE tokenizer of the kind Hunyuan-A13B uses
 * (tiktoken-style, ~128K entries, many of them Chinese) and is written apart from the client's
 * estimator (src/core/budget): the client must stay inside the window as *this* counts, so it is
 * deliberately a little stricter than the ratios measured on the real vocabulary (about 4.1-4.4
 * ASCII characters per token for prose and code, ~3.3 for Markdown tables, 0.57 tokens per
 * Chinese character, one token per digit).
 *
 * Like a BPE pre-tokenizer, the text is first cut into pieces (a word with the space before it, a
 * single digit, a run of punctuation, a run of whitespace, a run of CJK characters); a piece never
 * shares a token with its neighbours, so every piece costs at least one token. Pure functions.
 */

/** Context window of the served model (prompt + max_tokens), as vLLM's `--max-model-len`. */
export const DEFAULT_CONTEXT_WINDOW = 32768;

/** Chat template tokens: BOS and the assistant's opening, and per message its role marker and end. */
export const TEMPLATE_TOKENS = 3;
export const TOKENS_PER_MESSAGE_TEMPLATE = 4;

const CJK_CHAR = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30fc';
/**
 * Hunyuan's own pre-tokenizer pattern (its tokenization_hy.py: contractions, letters with one
 * leading non-letter, each digit alone, punctuation runs with one leading space and trailing
 * newlines, whitespace ending in newlines, other whitespace), with CJK runs cut apart from
 * other letters so that they can be counted at their own rate.
 */
const PIECES = new RegExp(
  [
    "'(?:[sdmt]|ll|ve|re)",
    `[${CJK_CHAR}]+`,
    `[^\\r\\n\\p{L}\\p{N}${CJK_CHAR}]?(?:(?![${CJK_CHAR}])[\\p{L}\\p{M}])+`,
    '\\p{N}',
    ` ?(?:(?![${CJK_CHAR}])[^\\s\\p{L}\\p{N}])+[\\r\\n]*`,
    '\\s*[\\r\\n]+',
    '\\s+(?!\\S)',
    '\\s+',
  ].join('|'),
  'giu',
);

/** Tokens per common CJK character (measured 0.57); a run is rounded up. */
const CJK_TOKENS_PER_CHAR = 0.6;
/** ASCII letters one token covers in a word part (common words are whole tokens, rare ones split). */
const LETTERS_PER_TOKEN = 7;
/** ASCII punctuation characters one token covers (`");`, `{"` and `":[` are each one or two). */
const PUNCT_PER_TOKEN = 3;
/** Whitespace characters one token covers (indentation, blank lines). */
const SPACES_PER_TOKEN = 4;
/** UTF-8 bytes one token covers for characters the vocabulary barely knows (emoji, symbols). */
const RARE_BYTES_PER_TOKEN = 2;
/** ... and for letters of other scripts (accented Latin, Cyrillic, Greek, Arabic...). */
const LETTER_BYTES_PER_TOKEN = 3;

const CJK_RUN = new RegExp(`^[${CJK_CHAR}]`, 'u');
const LETTER = /\p{L}/u;
const DIGIT = /^\p{N}$/u;
const WHITESPACE = /^\s+$/u;
const CJK_PUNCT = /[\u3000-\u303f\uff00-\uffef]/u;
/** Word parts in ASCII letters: camelCase humps and all-caps runs are separate tokens. */
const WORD_PARTS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[^A-Za-z]+/g;

function utf8Bytes(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

function cjkRunTokens(run: string): number {
  let common = 0;
  let rare = 0;
  for (const ch of run) {
    if (ch.length > 1) rare += Math.ceil(utf8Bytes(ch) / RARE_BYTES_PER_TOKEN); // beyond the BMP: byte tokens
    else common++;
  }
  return Math.ceil(common * CJK_TOKENS_PER_CHAR) + rare;
}

function wordTokens(piece: string): number {
  // The one character before the word (a space, a quote, a dot) merges into its first token.
  const word = LETTER.test(piece[0] ?? '') ? piece : piece.slice(1);
  let tokens = 0;
  let bytes = 0;
  for (const part of word.match(WORD_PARTS) ?? []) {
    if (/^[A-Za-z]/.test(part)) tokens += Math.ceil(part.length / LETTERS_PER_TOKEN);
    else for (const ch of part) bytes += utf8Bytes(ch);
  }
  return tokens + Math.ceil(bytes / LETTER_BYTES_PER_TOKEN);
}

function punctTokens(piece: string): number {
  let ascii = 0;
  let tokens = 0;
  for (const ch of piece.replace(/^ /, '').replace(/[\r\n]+$/, '')) {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) ascii++;
    else if (CJK_PUNCT.test(ch)) tokens += 1;
    else tokens += Math.ceil(utf8Bytes(ch) / RARE_BYTES_PER_TOKEN);
  }
  return tokens + Math.ceil(ascii / PUNCT_PER_TOKEN);
}

function pieceTokens(piece: string): number {
  if (CJK_RUN.test(piece)) return cjkRunTokens(piece);
  if (DIGIT.test(piece)) return 1;
  if (WHITESPACE.test(piece)) return Math.ceil(piece.length / SPACES_PER_TOKEN);
  if (LETTER.test(piece)) return wordTokens(piece);
  return Math.max(1, punctTokens(piece));
}

/** The pieces the pre-tokenizer cuts `text` into (exported for tests). */
export function pieces(text: string): string[] {
  return text.match(PIECES) ?? [];
}

/** Tokens of a text as the test gateway counts them. */
export function countTokens(text: string): number {
  let tokens = 0;
  for (const piece of pieces(text)) tokens += pieceTokens(piece);
  return tokens;
}

/** The text of a message's `content`: a string or an array of `{type:'text', text}` parts. */
export function messageText(message: unknown): string {
  if (typeof message !== 'object' || message === null) return '';
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
      ? (part as { text: string }).text : ''))
    .join('');
}

/** Chat template tokens around one tool call of an assistant message, and its system prompt when the request has tools (~270 measured). */
export const TOOL_CALL_TEMPLATE_TOKENS = 10;
export const TOOLS_TEMPLATE_TOKENS = 270;

/** The tool calls of an assistant message: their names and arguments, as the template writes them. */
function toolCallTokens(message: unknown): number {
  const calls = typeof message === 'object' && message !== null ? (message as { tool_calls?: unknown }).tool_calls : undefined;
  if (!Array.isArray(calls)) return 0;
  return calls.reduce<number>((sum, c: unknown) => {
    const fn = (typeof c === 'object' && c !== null ? (c as { function?: unknown }).function : undefined) as { name?: unknown; arguments?: unknown } | undefined;
    const text = `${typeof fn?.name === 'string' ? fn.name : ''} ${typeof fn?.arguments === 'string' ? fn.arguments : ''}`;
    return sum + TOOL_CALL_TEMPLATE_TOKENS + countTokens(text);
  }, 0);
}

/** Prompt tokens of a chat request's messages (and its tools), chat template included. */
export function countPromptTokens(messages: readonly unknown[], tools?: readonly unknown[]): number {
  const toolTokens = tools?.length ? TOOLS_TEMPLATE_TOKENS + countTokens(JSON.stringify(tools)) : 0;
  return messages.reduce<number>(
    (sum, m) => sum + TOKENS_PER_MESSAGE_TEMPLATE + countTokens(messageText(m)) + toolCallTokens(m),
    TEMPLATE_TOKENS + toolTokens,
  );
}
