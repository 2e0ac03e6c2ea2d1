/**
 * Token estimates for Hunyuan-A13B without its tokenizer (its licence keeps us from bundling it).
 *
 * The tokenizer first cuts text into pieces with a published pattern (a word with the one
 * character before it, every digit alone, a run of punctuation with one space before it, a run
 * of whitespace), and no token spans two pieces: each piece costs at least one token. So the
 * estimate follows the same cuts and charges every run of one kind of character, rounded up, at
 * rates below the ones measured on the official vocabulary:
 *
 * | run                                     | estimate                                  | measured            |
 * | --------------------------------------- | ----------------------------------------- | ------------------- |
 * | ASCII letters (each camelCase hump)     | up to 7: 1 token; beyond, 4 letters/token |                     |
 * | digits                                  | 1 token each                              | 1 token each        |
 * | ASCII punctuation                       | 3 per token                               |                     |
 * | spaces and tabs; newlines apart         | 4 per token                               |                     |
 * | CJK ideographs, kana, hangul            | 0.6 tokens per character                  | ~0.57               |
 * | CJK punctuation, full-width forms       | 1 token each                              |                     |
 * | anything else (accents, emoji, symbols) | 1 token per 2 UTF-8 bytes, rounded up     |                     |
 *
 * One blank before a word (or a space before punctuation) rides in its token; any other run of
 * blanks costs one token more than its length says. Then a 12% margin on each message. Overall
 * that is ~3-3.9 characters per token for English prose and code (measured: 4.1-4.4, 3.3 for
 * Markdown with tables), and fewer for numbers, JSON, tables of short cells and emoji, which
 * really do cost more.
 * Counting is incremental (TokenCounter), so a streamed answer is estimated chunk by chunk with
 * the same result as the whole text.
 */

export const ESTIMATE_MARGIN = 1.12;
/** Tokens the chat template adds around each message (role markers, separators). */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens the template adds to prime the assistant's reply. */
export const TOKENS_PER_REPLY = 3;

/** Letters of a run that one token covers: common words and camelCase humps are whole tokens... */
const WORD_LETTERS = 7;
/** ...and beyond them, letters per token (rare words, long runs without humps). */
const LETTERS_PER_TOKEN = 4;
const PUNCT_PER_TOKEN = 3;
const SPACES_PER_TOKEN = 4;
const CJK_TOKENS_PER_CHAR = 0.6;

type Kind = 'lower' | 'upper' | 'digit' | 'punct' | 'space' | 'newline' | 'cjk' | 'cjkPunct' | 'other';

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) || // CJK Unified Ideographs
    (code >= 0x3400 && code <= 0x4dbf) || // Extension A
    (code >= 0xf900 && code <= 0xfaff) || // Compatibility Ideographs
    (code >= 0x3041 && code <= 0x3096) || // hiragana
    (code >= 0x30a1 && code <= 0x30fa) || // katakana
    (code >= 0x30fc && code <= 0x30ff) || // prolonged sound mark, iteration marks
    (code >= 0xac00 && code <= 0xd7af) // hangul syllables
  );
}

function kindOf(code: number): Kind {
  if (code < 0x80) {
    if (code >= 0x61 && code <= 0x7a) return 'lower';
    if (code >= 0x41 && code <= 0x5a) return 'upper';
    if (code >= 0x30 && code <= 0x39) return 'digit';
    if (code === 0x0a || code === 0x0d) return 'newline';
    if (code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c) return 'space';
    return 'punct';
  }
  if (isCjk(code)) return 'cjk';
  if ((code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xffef)) return 'cjkPunct';
  return 'other';
}

/** Tokens of one character of kind 'other': one per two UTF-8 bytes, rounded up. */
function otherCost(code: number): number {
  return code < 0x800 ? 1 : 2;
}

/** Adds up an estimate as text arrives; `tokens` is the same however the text was cut. */
export class TokenCounter {
  private sum = 0;
  /** The open run: its kind ('lower' and 'upper' both mean letters) and length. */
  private run: Kind | undefined;
  private length = 0;
  /** Within a letter run: the last two letters were capitals (for `HTTPServer` -> HTTP|Server). */
  private lastUpper = false;
  private lastTwoUpper = false;
  /** The last character added. */
  private lastCode = 0;

  /** A high surrogate at the end of the last chunk, waiting for its pair. */
  private high: number | undefined;

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (this.high !== undefined) {
        const high = this.high;
        this.high = undefined;
        if (code >= 0xdc00 && code <= 0xdfff) {
          this.add(0x10000 + ((high - 0xd800) << 10) + (code - 0xdc00));
          continue;
        }
        this.add(high);
      }
      if (code >= 0xd800 && code <= 0xdbff) this.high = code;
      else this.add(code);
    }
  }

  /** The estimate so far, without the margin. */
  get raw(): number {
    // A lone high surrogate costs what a whole astral character would.
    return this.sum + this.openRunCost(this.high === undefined ? undefined : 'other') + (this.high === undefined ? 0 : otherCost(this.high));
  }

  /** The estimate so far, margin included. */
  get tokens(): number {
    return Math.ceil(this.raw * ESTIMATE_MARGIN);
  }

  private add(code: number): void {
    const kind = kindOf(code);
    this.addKind(kind, code);
    this.lastCode = code;
  }

  private addKind(kind: Kind, code: number): void {
    if (kind === 'other') {
      this.close(kind);
      this.sum += otherCost(code);
      return;
    }
    const letter = kind === 'lower' || kind === 'upper';
    if (letter && (this.run === 'lower' || this.run === 'upper')) {
      if (kind === 'upper' && !this.lastUpper) {
        // camelCase: a capital after a small letter starts a hump
        this.close(kind);
      } else if (kind === 'lower' && this.lastTwoUpper) {
        // `HTTPServer`: the capital before this small letter starts a hump
        this.length--;
        this.close(kind);
        this.length = 1;
      }
      this.length++;
    } else if (kind === this.run) {
      this.length++;
    } else {
      this.close(kind);
      this.run = letter ? 'lower' : kind;
      this.length = 1;
    }
    this.run = letter ? 'lower' : kind;
    this.lastTwoUpper = this.lastUpper && kind === 'upper';
    this.lastUpper = kind === 'upper';
  }

  /** Ends the open run, given the kind of the character after it. */
  private close(next: Kind): void {
    this.sum += this.openRunCost(next);
    this.run = undefined;
    this.length = 0;
    this.lastUpper = false;
    this.lastTwoUpper = false;
  }

  /** The cost of the open run if the character after it is of kind `next` (undefined: the end). */
  private openRunCost(next: Kind | undefined): number {
    const n = this.length;
    if (n === 0) return 0;
    switch (this.run) {
      case 'lower':
      case 'upper':
        return n <= WORD_LETTERS ? 1 : 1 + Math.ceil((n - WORD_LETTERS) / LETTERS_PER_TOKEN);
      case 'digit':
      case 'cjkPunct':
        return n;
      case 'punct':
        return Math.ceil(n / PUNCT_PER_TOKEN);
      case 'newline':
        return Math.ceil(n / SPACES_PER_TOKEN);
      case 'cjk':
        return Math.ceil(n * CJK_TOKENS_PER_CHAR);
      case 'space': {
        // A word takes any one blank before it, punctuation only a space.
        const rides = next === 'lower' || next === 'upper' || (next === 'punct' && this.lastCode === 0x20);
        return Math.ceil((n - 1) / SPACES_PER_TOKEN) + (rides ? 0 : 1);
      }
      default:
        return 0;
    }
  }
}

/** Estimated tokens of a piece of text, margin included. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const counter = new TokenCounter();
  counter.push(text);
  return counter.tokens;
}

/**
 * Tokens the chat template adds once when the request carries tools: a Chinese system prompt that
 * introduces them (~270 tokens measured), rounded up.
 */
export const TOOLS_PROMPT_TOKENS = 320;
/** Tokens around one tool call in an assistant turn (`<tool_calls>[{"name": …, "arguments": …}]`). */
export const TOKENS_PER_TOOL_CALL = 12;
/** Tokens around one tool result (`<tool_response>…</tool_response>`). */
export const TOKENS_PER_TOOL_RESULT = 8;

/** What a message is counted from: its text, and the tool calls or the call it answers. */
export interface CountedMessage {
  content: string;
  tool_calls?: ReadonlyArray<{ id?: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** Estimated tokens of one message, template overhead included. */
export function estimateMessageTokens(m: CountedMessage): number {
  let total = TOKENS_PER_MESSAGE + estimateTokens(m.content);
  for (const call of m.tool_calls ?? []) {
    total += TOKENS_PER_TOOL_CALL + estimateTokens(call.function.name) + estimateTokens(call.function.arguments) + estimateTokens(call.id ?? '');
  }
  if (m.tool_call_id !== undefined) total += TOKENS_PER_TOOL_RESULT + estimateTokens(m.tool_call_id);
  return total;
}

/** Estimated prompt tokens of a list of chat messages, template overhead included. */
export function estimateMessagesTokens(messages: ReadonlyArray<CountedMessage>): number {
  let total = TOKENS_PER_REPLY;
  for (const m of messages) total += estimateMessageTokens(m);
  return total;
}

/** Estimated tokens the tools of a request add to its prompt: their definitions and the template's prompt (0 without tools). */
export function estimateToolsTokens(tools: readonly unknown[] | undefined): number {
  if (!tools?.length) return 0;
  return TOOLS_PROMPT_TOKENS + estimateTokens(JSON.stringify(tools));
}
