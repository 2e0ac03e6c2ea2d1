/** Types shared by the Hunyuan client, its decoder and their callers. Pure: no `vscode`, no DOM. */
import type { Usage as SharedUsage } from '../../common/chat/model';

import type { ToolCall } from './toolCalls';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A call the assistant made, as it goes back to the gateway (OpenAI form: the arguments as JSON text). */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Field names are the wire's (this goes into the request body as it is). */
export interface ChatMessage {
  role: Role;
  /** For assistant turns: the clean answer only, never thinking text or `<answer>` tags. */
  content: string;
  /** Assistant turns: the tools it called. */
  tool_calls?: WireToolCall[];
  /** Tool results (`role: 'tool'`): the call this answers. */
  tool_call_id?: string;
}

/** A tool the model may call, in OpenAI form. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** OpenAI `tool_choice`. */
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface Usage extends SharedUsage {
  /** Reasoning tokens, when the gateway reports them separately (they are completion tokens too). */
  reasoningTokens?: number;
}

/** What a response decodes to, whether it arrived as one JSON body or as an SSE stream. */
export type StreamEvent =
  | { type: 'thinking'; text: string }
  | { type: 'answer'; text: string }
  | { type: 'usage'; usage: Usage }
  /**
   * The answer ended: `reason` is the gateway's finish_reason. `stopSequence` is the entry of the
   * request's `stop` that ended it, when the server names it (vLLM's `stop_reason`, SGLang's
   * `matched_stop`; only a string counts, not a stop token id).
   */
  | { type: 'finish'; reason: string; stopSequence?: string }
  /**
   * The model called a tool: from OpenAI `tool_calls` deltas (at the end of the response, once the
   * arguments are whole) or from a raw `<tool_calls>` block in the answer (as soon as it closes).
   */
  | { type: 'toolCall'; call: ToolCall }
  | { type: 'error'; error: import('./errors').HunyuanError }
  /** A failed attempt that will be tried again after `delayMs` (only before any text was shown). */
  | { type: 'retry'; attempt: number; delayMs: number; error: import('./errors').HunyuanError };
