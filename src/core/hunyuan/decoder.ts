/**
 * Turns what the gateway sends into a uniform list of events, whichever of Hunyuan's shapes it
 * uses (see docs in README, "How answers arrive"):
 * - reasoning in `delta.reasoning` / `delta.reasoning_content` (vLLM, OpenRouter-style gateways,
 *   SGLang), the answer in `content`, possibly still wrapped in `<answer>` tags;
 * - everything in `content`: `<think>...</think>` then `<answer>...</answer>` (no reasoning parser);
 * - plain untagged `content`.
 * Tool calls come as OpenAI `delta.tool_calls` (put together by `ToolCallDeltas`, given out at the
 * end once their arguments are whole) or, when the request carried tools (`toolCalls` option), as
 * raw `<tool_calls>[…]</tool_calls>` text inside the answer (taken out by `ToolCallTextStream`,
 * which also drops the "助手：" a reply then may start with). Thinking never goes through either.
 * A tag may be cut between chunks at any character; a possible partial tag is held back until the
 * next chunk decides it. The result does not depend on where chunks were cut (except that at most
 * MAX_HELD_NEWLINES newlines are held back before a possible closing tag).
 * Linear in the text however it is cut: nothing already decided is looked at again, so no chunk
 * of a hostile or broken gateway (a run of 100,000 newlines) can hold the thread.
 * Pure: no `vscode`, no DOM.
 */
import { errorFromPayload } from './errors';
import { TokenCounter } from '../budget/tokens';
import { ToolCallDeltas, ToolCallTextStream, type ToolCallDelta, type ToolTextEvent } from './toolCalls';
import type { StreamEvent, Usage } from './types';

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const ANSWER_OPEN = '<answer>';
const ANSWER_CLOSE = '</answer>';

/**
 * Newlines before a possible closing tag are held back (the tag takes them away); a longer run than
 * this is shown at once, so that each chunk does not look at it again. No real answer has one.
 */
export const MAX_HELD_NEWLINES = 256;
const NON_SPACE = /\S/;

type State =
  /** Nothing but whitespace seen yet. */
  | 'start'
  | 'think'
  /** After `</think>`, before the answer starts. */
  | 'between'
  | 'answer'
  /** After `</answer>`. */
  | 'after'
  /** Untagged content: all of it is the answer. */
  | 'plain';

/** Splits `content` text into thinking and answer text, tags removed. */
export class TagSplitter {
  private state: State = 'start';
  private buf = '';
  /** Drop newlines right after an opening tag. */
  private skipLeadingNewlines = false;
  /** In 'start': everything held is whitespace. */
  private blank = true;

  /** Feeds text; returns the events that are certain now. */
  push(text: string): StreamEvent[] {
    this.buf += text;
    // Before anything but whitespace arrived, more whitespace decides nothing: keep it without
    // looking at what is held again.
    if (this.state === 'start' && this.blank && !NON_SPACE.test(text)) return [];
    return this.drain(false);
  }

  /** End of content: whatever is held back is text after all. */
  end(): StreamEvent[] {
    return this.drain(true);
  }

  private drain(final: boolean): StreamEvent[] {
    const out: StreamEvent[] = [];
    const emit = (type: 'thinking' | 'answer', text: string) => {
      if (!text) return;
      const last = out[out.length - 1];
      if (last && last.type === type) last.text += text;
      else out.push({ type, text });
    };

    for (;;) {
      if (this.skipLeadingNewlines) {
        const m = /^[\r\n]+/.exec(this.buf);
        if (m) this.buf = this.buf.slice(m[0].length);
        if (!this.buf) break;
        this.skipLeadingNewlines = false;
      }
      switch (this.state) {
        case 'start':
        case 'between':
        case 'after': {
          const trimmed = this.buf.replace(/^\s+/, '');
          const opens = this.state === 'after' ? [] : this.state === 'start' ? [THINK_OPEN, ANSWER_OPEN] : [ANSWER_OPEN];
          if (!trimmed || (final && opens.some((t) => t.startsWith(trimmed)))) {
            // Only whitespace, or a stream cut inside an opening tag: nothing to show. After a
            // block, whitespace is dropped whatever follows; at the start it may be indentation.
            if (final || this.state !== 'start') this.buf = '';
            this.blank = true;
            return out;
          }
          const tag = opens.find((t) => trimmed.startsWith(t));
          if (tag) {
            this.buf = trimmed.slice(tag.length);
            this.state = tag === THINK_OPEN ? 'think' : 'answer';
            this.skipLeadingNewlines = true;
            continue;
          }
          if (!final && opens.some((t) => t.startsWith(trimmed))) {
            this.blank = false;
            return out; // could still become a tag
          }
          // Untagged text: from here on it is all answer. At the very start only leading newlines
          // go (indentation of a code-only answer matters); after a block, all separating whitespace.
          this.buf = this.state === 'start' ? this.buf.replace(/^[\r\n]+/, '') : trimmed;
          this.state = 'plain';
          continue;
        }
        case 'think':
        case 'answer': {
          const close = this.state === 'think' ? THINK_CLOSE : ANSWER_CLOSE;
          const type = this.state === 'think' ? 'thinking' : 'answer';
          const at = this.buf.indexOf(close);
          if (at >= 0) {
            emit(type, trimNewlinesEnd(this.buf.slice(0, at)));
            this.buf = this.buf.slice(at + close.length);
            this.state = this.state === 'think' ? 'between' : 'after';
            continue;
          }
          if (final) {
            // Unclosed block (a cut stream, or max_tokens reached): keep what we have.
            emit(type, trimNewlinesEnd(this.buf));
            this.buf = '';
            return out;
          }
          const keep = heldBack(this.buf, close);
          emit(type, this.buf.slice(0, this.buf.length - keep));
          this.buf = this.buf.slice(this.buf.length - keep);
          return out;
        }
        case 'plain': {
          const keep = final ? 0 : trailingNewlines(this.buf);
          emit('answer', final ? trimNewlinesEnd(this.buf) : this.buf.slice(0, this.buf.length - keep));
          this.buf = final ? '' : this.buf.slice(this.buf.length - keep);
          return out;
        }
      }
    }
    return out;
  }
}

/**
 * How many characters at the end of `text` must wait for the next chunk: a suffix that may be the
 * start of `tag`, together with the newlines before it (trimmed if the tag does follow).
 */
function heldBack(text: string, tag: string): number {
  let partial = 0;
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) {
      partial = n;
      break;
    }
  }
  return partial + trailingNewlines(text, text.length - partial);
}

function isNewline(code: number): boolean {
  return code === 10 || code === 13;
}

/** How many newlines end `text.slice(0, end)`, at most MAX_HELD_NEWLINES. (A scan from the end: `/[\r\n]+$/` is quadratic in a run of newlines followed by text.) */
function trailingNewlines(text: string, end = text.length): number {
  let i = end;
  while (i > 0 && end - i < MAX_HELD_NEWLINES && isNewline(text.charCodeAt(i - 1))) i--;
  return end - i;
}

/** `text` without the newlines that end it. */
function trimNewlinesEnd(text: string): string {
  let i = text.length;
  while (i > 0 && isNewline(text.charCodeAt(i - 1))) i--;
  return i === text.length ? text : text.slice(0, i);
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface DecoderOptions {
  /** Estimated prompt tokens, used when the gateway sends no usage. */
  promptTokensEstimate?: number;
  /**
   * The request carried tools: read raw `<tool_calls>` blocks in the answer as tool calls and drop
   * a leading "助手：". (OpenAI `tool_calls` deltas are read either way.)
   */
  toolCalls?: boolean;
  /** Start of the ids made up for calls that came without one (default: unique per decoder). */
  toolCallIdPrefix?: string;
}

let decoders = 0;

/** A call id prefix no other response of this process uses (the raw shape carries no ids). */
function uniquePrefix(): string {
  return `call_${Date.now().toString(36)}${(decoders++).toString(36)}_`;
}

/**
 * Decodes one response, chunk by chunk. Call `pushChunk` with each parsed SSE `data:` object, then
 * `finish` once; `decodeCompletion` does the same for a non-streaming body.
 */
export class ResponseDecoder {
  private readonly splitter = new TagSplitter();
  private usage: RawUsage | undefined;
  private finishReason: string | undefined;
  private stopSequence: string | undefined;
  private readonly completionCounter = new TokenCounter();
  private finished = false;
  private rawChars = 0;
  private readonly deltas: ToolCallDeltas;
  private readonly toolText: ToolCallTextStream | undefined;

  constructor(private readonly options: DecoderOptions = {}) {
    const prefix = options.toolCallIdPrefix ?? uniquePrefix();
    this.deltas = new ToolCallDeltas(prefix);
    this.toolText = options.toolCalls ? new ToolCallTextStream(`${prefix}t`) : undefined;
  }

  pushChunk(chunk: unknown): StreamEvent[] {
    if (!chunk || typeof chunk !== 'object') return [];
    const c = chunk as Record<string, unknown>;
    if (c.error !== undefined && c.error !== null) return [{ type: 'error', error: errorFromPayload(c) }];
    if (c.usage && typeof c.usage === 'object') this.usage = c.usage as RawUsage;
    const out: StreamEvent[] = [];
    const choices = Array.isArray(c.choices) ? c.choices : [];
    const choice = (choices.find((x) => (x as { index?: number })?.index === 0 || (x as { index?: number })?.index === undefined) ??
      choices[0]) as Record<string, unknown> | undefined;
    if (!choice) return out;
    const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
    const reasoning = firstText(delta.reasoning, delta.reasoning_content);
    if (reasoning) {
      this.rawChars += reasoning.length;
      this.count(reasoning);
      out.push({ type: 'thinking', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content) {
      this.rawChars += delta.content.length;
      this.count(delta.content);
      out.push(...this.answerTools(this.splitter.push(delta.content)));
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length) {
      const calls = delta.tool_calls.filter((d): d is ToolCallDelta => !!d && typeof d === 'object');
      for (const d of calls) this.rawChars += (d.function?.name?.length ?? 0) + (d.function?.arguments?.length ?? 0);
      this.deltas.push(calls);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    // The stop sequence that ended the answer: vLLM's stop_reason, SGLang's matched_stop. A number
    // there is a stop token id and null the end of sequence: neither names a stop string.
    const stop = firstText(choice.stop_reason, choice.matched_stop);
    if (stop) this.stopSequence = stop;
    return mergeTextEvents(out);
  }

  /**
   * End of the response: flushes held-back text, then usage (real or estimated), then the finish
   * reason with the stop sequence that ended the answer, if any. A stream that closed without a
   * finish_reason gets no `finish` event: its answer may have been cut short.
   */
  finish(): StreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const out = this.answerTools(this.splitter.end());
    if (this.toolText) out.push(...fromToolText(this.toolText.finish()));
    const { calls, bad } = this.deltas.finish();
    // A call whose arguments cannot be read is shown as the text the model wrote, not lost.
    for (const b of bad) out.push({ type: 'answer', text: b.raw });
    for (const call of calls) out.push({ type: 'toolCall', call });
    out.push({ type: 'usage', usage: this.resolveUsage() });
    if (this.finishReason) {
      out.push({ type: 'finish', reason: this.finishReason, ...(this.stopSequence ? { stopSequence: this.stopSequence } : {}) });
    }
    return out;
  }

  /**
   * Characters of text received so far, thinking and content as the gateway sent them (tags and
   * whitespace included, even what is not shown yet): what the client's answer limit counts.
   */
  get receivedChars(): number {
    return this.rawChars;
  }

  /** Answer text through the raw tool-call reader, when the request carried tools. */
  private answerTools(events: StreamEvent[]): StreamEvent[] {
    const toolText = this.toolText;
    if (!toolText) return events;
    return mergeTextEvents(events.flatMap((e) => (e.type === 'answer' ? fromToolText(toolText.push(e.text)) : [e])));
  }

  private count(text: string): void {
    this.completionCounter.push(text);
  }

  private resolveUsage(): Usage {
    const u = this.usage;
    if (u && typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number') {
      const reasoning = u.completion_tokens_details?.reasoning_tokens;
      return {
        promptTokens: u.prompt_tokens,
        completionTokens: u.completion_tokens,
        totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : u.prompt_tokens + u.completion_tokens,
        ...(typeof reasoning === 'number' ? { reasoningTokens: reasoning } : {}),
        estimated: false,
      };
    }
    const completion = this.completionCounter.tokens;
    const prompt = this.options.promptTokensEstimate ?? 0;
    return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, estimated: true };
  }
}

function fromToolText(events: ToolTextEvent[]): StreamEvent[] {
  return events.map((e): StreamEvent =>
    e.type === 'text' ? { type: 'answer', text: e.text }
    : e.type === 'toolCall' ? { type: 'toolCall', call: e.call }
    : { type: 'answer', text: `<tool_calls>${e.bad.raw}</tool_calls>` },
  );
}

function firstText(...values: unknown[]): string {
  for (const v of values) if (typeof v === 'string' && v) return v;
  return '';
}

/** Joins adjacent thinking (or answer) events into one, so differently cut streams compare equal. */
export function mergeTextEvents(events: StreamEvent[]): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (last && (e.type === 'thinking' || e.type === 'answer') && last.type === e.type) last.text += e.text;
    else out.push(e.type === 'thinking' || e.type === 'answer' ? { ...e } : e);
  }
  return out;
}

/** Decodes a non-streaming chat completion body to the same events a stream gives. */
export function decodeCompletion(body: unknown, options: DecoderOptions = {}): StreamEvent[] {
  const decoder = new ResponseDecoder(options);
  const events = decoder.pushChunk(body);
  if (events.some((e) => e.type === 'error')) return events;
  return mergeTextEvents([...events, ...decoder.finish()]);
}
