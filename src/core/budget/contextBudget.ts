/**
 * Fits a conversation into the model's context window: prompt + max_tokens <= contextWindow.
 * The oldest history goes first, a whole turn (user + assistant) at a time; the system prompt and
 * the new message are never dropped. When even they leave too little room, max_tokens is lowered
 * down to a floor before the request is refused. The prompt is counted as it will be sent, with
 * fast thinking's `/no_think` prefix (buildRequestBody adds it later), tool calls and results, and
 * the tools' definitions. A turn is a user message with everything after it up to the next one
 * (assistant answers, tool calls and their results), so a call is never sent without its result.
 * Pure: no `vscode`, no DOM.
 */
import { alternating, applyThinkingMode } from '../hunyuan/request';
import type { ChatMessage, ToolDefinition } from '../hunyuan/types';
import type { ThinkingMode } from '../settings/settings';
import { estimateMessagesTokens, estimateToolsTokens } from './tokens';

/** Below this many completion tokens an answer (with its thinking) is not worth asking for. */
export const MIN_COMPLETION_TOKENS = 1024;

export interface BudgetInput {
  system?: ChatMessage;
  /** Earlier turns, oldest first. */
  history: readonly ChatMessage[];
  /** The new message(s) of this request (usually one user message). */
  current: readonly ChatMessage[];
  contextWindow: number;
  maxTokens: number;
  /**
   * The thinking mode the request will be sent with. Unknown (undefined) counts the `/no_think`
   * prefix that fast mode adds, so the request fits either way.
   */
  thinking?: ThinkingMode;
  /** The tools the request carries: their definitions and the prompt the template adds count too. */
  tools?: readonly ToolDefinition[];
  /**
   * Tokens the prompt will still grow by before it is sent (the workspace search's snippets,
   * found when the message is sent): counted as if they were there, so the plan shown before
   * sending drops the history the request will drop.
   */
  reserveTokens?: number;
}

export interface BudgetResult {
  /** What to send: system, the history that fits, the current messages. */
  messages: ChatMessage[];
  /** Estimated prompt tokens of `messages` as sent (with the `/no_think` prefix unless thinking is slow). */
  promptTokens: number;
  /** max_tokens to send (lowered when the prompt leaves less room). */
  maxTokens: number;
  /** History messages dropped, oldest first. */
  dropped: ChatMessage[];
  /** Whole turns dropped. */
  droppedTurns: number;
  /** False when even without history the prompt does not fit. */
  fits: boolean;
  /** Tokens left in the window after prompt and max_tokens (negative when over). */
  remaining: number;
}

/** Splits history into turns: a user message with the replies that follow it. */
function turns(history: readonly ChatMessage[]): ChatMessage[][] {
  const out: ChatMessage[][] = [];
  for (const m of history) {
    if (m.role === 'user' || out.length === 0) out.push([m]);
    else out[out.length - 1].push(m);
  }
  return out;
}

export function fitToContext(input: BudgetInput): BudgetResult {
  const all = turns(input.history);
  let start = 0;
  const build = () => alternating([...(input.system ? [input.system] : []), ...all.slice(start).flat(), ...input.current]);
  // Counted as buildRequestBody will send them: the last user message may get fast thinking's prefix.
  const tools = estimateToolsTokens(input.tools) + Math.max(0, input.reserveTokens ?? 0);
  const estimate = (messages: ChatMessage[]) =>
    tools + estimateMessagesTokens(input.thinking === 'slow' ? messages : applyThinkingMode(messages, 'fast'));
  let messages = build();
  let promptTokens = estimate(messages);
  while (promptTokens + input.maxTokens > input.contextWindow && start < all.length) {
    start++;
    messages = build();
    promptTokens = estimate(messages);
  }
  const dropped = all.slice(0, start).flat();
  let maxTokens = input.maxTokens;
  const room = input.contextWindow - promptTokens;
  if (promptTokens + maxTokens > input.contextWindow) {
    maxTokens = Math.max(0, room);
  }
  const fits = maxTokens >= Math.min(MIN_COMPLETION_TOKENS, input.maxTokens) && room > 0;

  return {
    messages,
    promptTokens,
    maxTokens: fits ? maxTokens : input.maxTokens,
    dropped,
    droppedTurns: start,
    fits,
    remaining: input.contextWindow - promptTokens - (fits ? maxTokens : input.maxTokens),
  };
}
