/**
 * Builds the chat-completions request body from settings and messages. Pure: no `vscode`, no DOM.
 */
import type { HunyuanSettings } from '../settings/settings';
import { RESERVED_BODY_KEYS } from '../settings/settings';
import type { ChatMessage, ToolChoice, ToolDefinition } from './types';

/** What fast thinking puts before the user's message (the model's own switch; portable across gateways). */
export const NO_THINK_PREFIX = '/no_think';

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  stream_options?: { include_usage: boolean };
  max_tokens: number;
  [param: string]: unknown;
}

export interface BuildOptions {
  stream?: boolean;
  /** Overrides `settings.maxTokens` (the context budget may lower it). */
  maxTokens?: number;
  /** Overrides `settings.thinking` for this request. */
  thinking?: HunyuanSettings['thinking'];
  /** Tools the model may call (sent as `tools` when there is at least one). */
  tools?: readonly ToolDefinition[];
  /** Sent as `tool_choice`, only with tools. */
  toolChoice?: ToolChoice;
}

/**
 * Two user messages in a row merged into one (a question whose answer failed, then the next one):
 * chat templates expect user and assistant to alternate, and some gateways refuse a request that
 * does not.
 */
export function alternating(messages: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const last = out[out.length - 1];
    if (last && last.role === 'user' && m.role === 'user') out[out.length - 1] = { ...last, content: `${last.content}\n\n${m.content}` };
    else out.push(m);
  }
  return out;
}

/** Applies the thinking mode to the last user message. */
export function applyThinkingMode(messages: readonly ChatMessage[], mode: HunyuanSettings['thinking']): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }));
  if (mode !== 'fast') return out;
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i].role === 'user') {
      if (!out[i].content.trimStart().startsWith(NO_THINK_PREFIX)) out[i].content = `${NO_THINK_PREFIX} ${out[i].content}`;
      break;
    }
  }
  return out;
}

/**
 * The body sent on the wire. Parameters the user left empty are not sent; `extraBody` is merged
 * next (it may override sampling parameters, never the model, the messages or streaming); the
 * request's tools, if any, last.
 */
export function buildRequestBody(settings: HunyuanSettings, messages: readonly ChatMessage[], options: BuildOptions = {}): ChatRequestBody {
  const stream = options.stream ?? true;
  const body: ChatRequestBody = {
    model: settings.model,
    messages: applyThinkingMode(messages, options.thinking ?? settings.thinking),
    stream,
    max_tokens: options.maxTokens ?? settings.maxTokens,
  };
  if (stream) body.stream_options = { include_usage: true };
  for (const [key, value] of Object.entries(settings.sampling)) {
    if (value !== undefined && value !== null) body[key] = value;
  }
  if (settings.stop.length) body.stop = [...settings.stop];
  for (const [key, value] of Object.entries(settings.extraBody)) {
    if (!(RESERVED_BODY_KEYS as readonly string[]).includes(key)) body[key] = value;
  }
  // After extraBody: the tools are the request's (extraBody may still add parallel_tool_calls).
  if (options.tools?.length) {
    body.tools = options.tools.map((t) => ({ ...t, function: { ...t.function } }));
    if (options.toolChoice !== undefined) body.tool_choice = options.toolChoice;
  }
  return body;
}
