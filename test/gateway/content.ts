/**
 * What the fake model "writes" for the test gateway: deterministic default texts, token counts
 * (tokenizer.ts), the output shapes Hunyuan can reach a client in, `max_tokens` and `stop` cuts, chunking,
 * and the JSON objects of the OpenAI-compatible protocol (completion, stream chunk, usage).
 *
 * Pure functions only: no I/O here, so the HTTP side (server.ts, scenarios.ts) stays small.
 */

import { DEFAULT_CONTEXT_WINDOW, countPromptTokens, countTokens, messageText, pieces } from './tokenizer';

export const DEFAULT_MODEL = 'tencent/hunyuan-a13b-instruct';
/** The default context window (prompt + max_tokens); GatewayInit.contextWindow and options.contextWindow change it. */
export const CONTEXT_LENGTH = DEFAULT_CONTEXT_WINDOW;

export const DEFAULT_THINKING =
  'The user wants a small TypeScript helper. 用户需要一个简单的函数,我先确认输入和输出的类型。' +
  'I will write a pure function with explicit types, keep it short, and add one example call ' +
  'so the answer is easy to check.';

export const DEFAULT_ANSWER = [
  'Here is a small helper:',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '```',
  '',
  'Call it as `add(1, 2)`; it returns **3**.',
].join('\n');

/** How reasoning and answer reach the client. */
export type Shape =
  | 'reasoning'          // gateway: `reasoning` field, content keeps `<answer>` tags
  | 'reasoning-content'  // vLLM (older) / SGLang: `reasoning_content`, tags removed
  | 'think-tags'         // no reasoning parser: everything in content, tags included
  | 'plain';             // no thinking at all, untagged content

export type Channel = 'reasoning' | 'reasoning_content' | 'content';
export type FinishReason = 'stop' | 'length' | 'tool_calls';

/** The request fields the fake model looks at (everything else is only recorded). */
export interface ChatRequest {
  model: string;
  messages: unknown[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
  /** The request's `stop` strings (one string or a list on the wire; empty ones dropped). */
  stop: string[];
  /** The request's `tools`, when it has any (counted in the prompt with the template's tool prompt). */
  tools?: unknown[];
}

export interface TextOptions {
  answer?: string;
  thinking?: string;
}

/** One generated reply, already cut to `max_tokens` or at a stop string. */
export interface Output {
  /** The reasoning channel's field name, or undefined when the shape has none. */
  reasoningField: 'reasoning' | 'reasoning_content' | undefined;
  reasoning: string;
  /** The raw content string, exactly as the client receives it (tags included where the shape has them). */
  content: string;
  /** Where the answer starts and ends in `content` before any cut (the tags around it excluded). */
  answerStart: number;
  answerEnd: number;
  /** null: the reply ends without one (ends-early). */
  finishReason: FinishReason | null;
  /** The stop string that ended the reply (finish_reason `stop`), sent as vLLM's `stop_reason`. */
  stopReason?: string;
  usage: Usage;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: null;
}

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

// ---------------------------------------------------------------------------------------------
// Tokens: the gateway's own count (tokenizer.ts), for usage and for cutting at max_tokens

export { countTokens as estimateTokens, messageText };

/** Length (in UTF-16 units) of the longest prefix of `text`, cut between pieces, that fits in `tokens`. */
function prefixWithin(text: string, tokens: number): number {
  let cost = 0;
  let length = 0;
  for (const piece of pieces(text)) {
    cost += countTokens(piece);
    if (cost > tokens) break;
    length += piece.length;
  }
  return length;
}

// ---------------------------------------------------------------------------------------------
// Reading the request

export function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (typeof message === 'object' && message !== null && (message as { role?: unknown }).role === 'user') {
      return messageText(message);
    }
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Generating the reply

interface Segment { channel: Channel; text: string }

/** What the content carries before the answer in `shape`. */
function contentPrefix(shape: Shape, thinking: string): string {
  switch (shape) {
    case 'reasoning':
      return '<answer>\n';
    case 'think-tags':
      return `<think>\n${thinking}\n</think>\n<answer>\n`;
    case 'reasoning-content':
    case 'plain':
      return '';
  }
}

function segmentsFor(shape: Shape, thinking: string, answer: string): Segment[] {
  const prefix = contentPrefix(shape, thinking);
  switch (shape) {
    case 'reasoning':
      return [{ channel: 'reasoning', text: thinking }, { channel: 'content', text: `${prefix}${answer}\n</answer>` }];
    case 'reasoning-content':
      return [{ channel: 'reasoning_content', text: thinking }, { channel: 'content', text: answer }];
    case 'think-tags':
      return [{ channel: 'content', text: `${prefix}${answer}\n</answer>` }];
    case 'plain':
      return [{ channel: 'content', text: answer }];
  }
}

/** Cuts the segments (in order) so that they fit in `maxTokens`; reports whether anything was cut. */
function limitSegments(segments: Segment[], maxTokens: number | undefined): { segments: Segment[]; cut: boolean } {
  if (maxTokens === undefined) return { segments, cut: false };
  let left = maxTokens;
  const kept: Segment[] = [];
  for (const segment of segments) {
    const cost = countTokens(segment.text);
    if (cost <= left) {
      kept.push(segment);
      left -= cost;
      continue;
    }
    kept.push({ channel: segment.channel, text: segment.text.slice(0, prefixWithin(segment.text, left)) });
    return { segments: kept, cut: true };
  }
  return { segments: kept, cut: false };
}

/**
 * Cuts the segments right before the earliest occurrence of one of `stops` (at one position, the
 * shorter string), as vLLM does: it matches stop strings in all the text the model writes, thinking
 * included, and leaves the stop string out. Undefined when no stop string occurs.
 */
function stopSegments(segments: Segment[], stops: readonly string[]): { segments: Segment[]; stop: string } | undefined {
  for (const [i, segment] of segments.entries()) {
    let hit: { at: number; stop: string } | undefined;
    for (const stop of stops) {
      const at = segment.text.indexOf(stop);
      if (at >= 0 && (!hit || at < hit.at || (at === hit.at && stop.length < hit.stop.length))) hit = { at, stop };
    }
    if (hit) return { segments: [...segments.slice(0, i), { channel: segment.channel, text: segment.text.slice(0, hit.at) }], stop: hit.stop };
  }
  return undefined;
}

/**
 * The reply to `request` in `shape`. Fast mode (`/no_think` at the start of the last user message)
 * empties the thinking; a last user message containing `ECHO` is echoed back as the answer.
 * Like a real server it ends at whichever comes first: `max_tokens` (finish_reason `length`) or
 * one of the request's `stop` strings (finish_reason `stop`, that string as `stopReason`).
 */
export function generate(shape: Shape, request: ChatRequest, texts: TextOptions, defaultThinking = DEFAULT_THINKING): Output {
  const userText = lastUserText(request.messages);
  const fast = userText.trimStart().startsWith('/no_think');
  const answer = userText.includes('ECHO') ? `Echo: ${userText}` : texts.answer ?? DEFAULT_ANSWER;
  const thinking = fast ? '' : texts.thinking ?? defaultThinking;

  // A stop string counts only when all of it was written before max_tokens ran out.
  const limited = limitSegments(segmentsFor(shape, thinking, answer), request.maxTokens);
  const stopped = stopSegments(limited.segments, request.stop);
  const segments = stopped?.segments ?? limited.segments;
  const join = (channel: Channel): string => segments.filter((s) => s.channel === channel).map((s) => s.text).join('');
  const reasoningField = shape === 'reasoning' ? 'reasoning' : shape === 'reasoning-content' ? 'reasoning_content' : undefined;
  const reasoning = reasoningField ? join(reasoningField) : '';
  const content = join('content');
  const answerStart = contentPrefix(shape, thinking).length;

  return {
    reasoningField,
    reasoning,
    content,
    answerStart,
    answerEnd: answerStart + answer.length,
    finishReason: limited.cut && !stopped ? 'length' : 'stop',
    ...(stopped ? { stopReason: stopped.stop } : {}),
    usage: makeUsage(request.messages, [reasoning, content]),
  };
}

/** Usage of a reply: the prompt as the gateway counts it, and the completion's texts (at least 1 token). */
export function makeUsage(messages: readonly unknown[], completion: readonly string[], tools?: readonly unknown[]): Usage {
  const prompt = countPromptTokens(messages, tools);
  const completionTokens = Math.max(1, completion.reduce((sum, text) => sum + countTokens(text), 0));
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens, prompt_tokens_details: null };
}

// ---------------------------------------------------------------------------------------------
// Chunking

export function chunkBySize(text: string, size: number): string[] {
  const step = Math.max(1, Math.floor(size));
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += step) chunks.push(text.slice(i, i + step));
  return chunks;
}

/** Splits `text` at the given offsets (out-of-range and duplicate offsets are ignored). */
export function chunkAt(text: string, cuts: readonly number[]): string[] {
  const offsets = [...new Set(cuts.map(Math.floor))].filter((c) => c > 0 && c < text.length).sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const offset of [...offsets, text.length]) {
    if (offset > start) chunks.push(text.slice(start, offset));
    start = offset;
  }
  return chunks;
}

const TAGS = ['<think>', '</think>', '<answer>', '</answer>'];

/** Offsets that cut every think/answer tag in `text` in the middle: `<thi|nk>`, `</ans|wer>`. */
export function tagCuts(text: string): number[] {
  const cuts: number[] = [];
  for (const tag of TAGS) {
    for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + 1)) cuts.push(at + Math.ceil(tag.length / 2));
  }
  return cuts.sort((a, b) => a - b);
}

/** The deltas of a stream, in order; the first one carries `role: 'assistant'`. */
export function streamDeltas(output: Output, chunkSize: number, contentCuts: readonly number[] | undefined): Record<string, string>[] {
  const deltas: Record<string, string>[] = [];
  if (output.reasoningField) {
    for (const piece of chunkBySize(output.reasoning, chunkSize)) deltas.push({ [output.reasoningField]: piece });
  }
  const contentChunks = contentCuts ? chunkAt(output.content, contentCuts) : chunkBySize(output.content, chunkSize);
  for (const piece of contentChunks) deltas.push({ content: piece });
  if (deltas.length === 0) deltas.push({ content: '' });
  deltas[0] = { role: 'assistant', ...deltas[0] };
  return deltas;
}

// ---------------------------------------------------------------------------------------------
// Protocol objects (key order follows the gateway's sample response)

export function completionBody(meta: CompletionMeta, output: Output, withUsage: boolean): object {
  const message: Record<string, unknown> = { role: 'assistant', content: output.content, refusal: null };
  if (output.reasoningField) message[output.reasoningField] = output.reasoning === '' ? null : output.reasoning;
  return {
    id: meta.id,
    model: meta.model,
    object: 'chat.completion',
    created: meta.created,
    choices: [{
      logprobs: null,
      finish_reason: output.finishReason,
      native_finish_reason: output.finishReason,
      ...(output.stopReason !== undefined ? { stop_reason: output.stopReason } : {}),
      index: 0,
      message,
    }],
    ...(withUsage ? { usage: output.usage } : {}),
  };
}

/** A stream chunk; `stopReason` (vLLM's `stop_reason`, the stop string hit) goes on the finish chunk only. */
export function chunkBody(meta: CompletionMeta, delta: Record<string, unknown>, finishReason: FinishReason | null, stopReason?: string): object {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: [{
      index: 0, delta, logprobs: null, finish_reason: finishReason, native_finish_reason: finishReason,
      ...(stopReason !== undefined ? { stop_reason: stopReason } : {}),
    }],
  };
}

export function usageChunkBody(meta: CompletionMeta, usage: Usage): object {
  return { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage };
}

// ---------------------------------------------------------------------------------------------
// Tool calls (OpenAI shape, as vLLM's hunyuan_a13b tool parser sends them)

export interface ToolCall {
  name: string;
  /** The arguments as the JSON text the model wrote. */
  arguments: string;
}

export const DEFAULT_TOOL_CALLS: readonly ToolCall[] = [
  { name: 'read_file', arguments: '{"path":"src/math/add.ts","startLine":1,"endLine":40}' },
  { name: 'run_tests', arguments: '{"pattern":"add","watch":false,"reporter":"spec"}' },
];

export function toolCallId(meta: CompletionMeta, index: number): string {
  return `call_${meta.id.replace(/^chatcmpl-/, '').slice(0, 12)}_${index}`;
}

/**
 * The deltas of a tool-call answer after its thinking: per call, one delta with its id, type,
 * name and empty arguments, then the arguments in pieces of `chunkSize` characters.
 */
export function toolCallDeltas(meta: CompletionMeta, calls: readonly ToolCall[], chunkSize: number): Record<string, unknown>[] {
  const deltas: Record<string, unknown>[] = [];
  calls.forEach((call, index) => {
    deltas.push({ tool_calls: [{ index, id: toolCallId(meta, index), type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const piece of chunkBySize(call.arguments, chunkSize)) {
      deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  return deltas;
}

/**
 * The raw text a server without a tool parser sends: the model's own `<tool_calls>` block inside
 * `<answer>` (the thinking goes in `reasoning`). Arguments as the model writes them: a JSON object,
 * not a string.
 */
export function rawToolCallContent(calls: readonly ToolCall[]): string {
  const list = calls.map((c) => `{"name": ${JSON.stringify(c.name)}, "arguments": ${c.arguments}}`).join(', ');
  return `<answer>\n<tool_calls>[${list}]</tool_calls>\n</answer>`;
}

/** Offsets that cut every tag of a raw tool-call answer in the middle (`<tool_c|alls>`, `</ans|wer>`). */
export function rawToolCallCuts(content: string): number[] {
  const cuts: number[] = [];
  for (const tag of ['<answer>', '</answer>', '<tool_calls>', '</tool_calls>']) {
    for (let at = content.indexOf(tag); at >= 0; at = content.indexOf(tag, at + 1)) cuts.push(at + Math.ceil(tag.length / 2));
  }
  return cuts.sort((a, b) => a - b);
}

/** The tool results of the request's last turn (`role: 'tool'` messages after the last assistant one), or undefined. */
export function trailingToolResults(messages: readonly unknown[]): { id: string; text: string }[] | undefined {
  const out: { id: string; text: string }[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; tool_call_id?: unknown } | null;
    if (!m || m.role !== 'tool') break;
    out.unshift({ id: typeof m.tool_call_id === 'string' ? m.tool_call_id : '', text: messageText(m) });
  }
  return out.length ? out : undefined;
}

/** What the fake model answers once it has the results of its calls. */
export function toolResultsAnswer(results: readonly { id: string; text: string }[]): string {
  return `I read ${results.length} tool result(s): ${results.map((r) => `${r.id}=${r.text}`).join('; ')}`;
}

/** A whole (non-streaming) tool-call answer. */
export function toolCallCompletionBody(meta: CompletionMeta, calls: readonly ToolCall[], reasoning: string, usage: Usage | undefined): object {
  return {
    id: meta.id,
    model: meta.model,
    object: 'chat.completion',
    created: meta.created,
    choices: [{
      logprobs: null,
      finish_reason: 'tool_calls',
      native_finish_reason: 'tool_calls',
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        reasoning: reasoning === '' ? null : reasoning,
        tool_calls: calls.map((call, index) => ({ id: toolCallId(meta, index), type: 'function', function: { ...call } })),
      },
    }],
    ...(usage ? { usage } : {}),
  };
}
