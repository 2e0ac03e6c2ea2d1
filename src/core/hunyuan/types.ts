/** Types shared by the Hunyuan client, its decoder and their callers. Pure: no `vscode`, no DOM. */
import type { Usage as SharedUsage } from '../../common/chat/model';

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  /** For assistant turns: the clean answer only, never thinking text or `<answer>` tags. */
  content: string;
}

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
  | { type: 'error'; error: import('./errors').HunyuanError }
  /** A failed attempt that will be tried again after `delayMs` (only before any text was shown). */
  | { type: 'retry'; attempt: number; delayMs: number; error: import('./errors').HunyuanError };
