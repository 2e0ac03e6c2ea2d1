/**
 * The VS Code side of the Hunyuan client: reads settings and the key, fits the conversation into
 * the context window, sends it, and logs the request (never the key; the user's code only when
 * `hunyuan.debug.logPrompts` is on). Features (chat, commands) talk to the model only through this.
 *
 * Every error leaves here through `forUser`: the gateway's words scrubbed of the key by the same
 * redactor the log uses (a careless gateway may echo the key in an error body, and these messages
 * are shown, sent to the webview and saved in the chat history).
 */
import { fitToContext } from '../../core/budget/contextBudget';
import { costYuan, formatYuan } from '../../core/budget/cost';
import { HunyuanClient } from '../../core/hunyuan/client';
import { HunyuanError } from '../../core/hunyuan/errors';
import { buildRequestBody } from '../../core/hunyuan/request';
import type { ChatMessage, StreamEvent, Usage } from '../../core/hunyuan/types';
import type { HunyuanSettings, ThinkingMode } from '../../core/settings/settings';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import type { Logger, Redactor } from '../log/logger';
import { readSettings } from '../settings/configuration';

export interface ChatTurn {
  /** What the request is for, in the log ("chat", "explain", "check"). */
  purpose: string;
  system?: string;
  /** Earlier turns, oldest first: clean answers only. */
  history?: readonly ChatMessage[];
  /** The new user message. */
  user: string;
  /** Overrides `hunyuan.thinking` for this request. */
  thinking?: ThinkingMode;
  /** At most this many tokens for the answer, below `hunyuan.maxTokens` (Check Connection needs a few). */
  maxTokens?: number;
  signal?: AbortSignal;
}

/** Before the first byte: what is being sent, after fitting it into the window. */
export interface ContextEvent {
  type: 'context';
  promptTokens: number;
  maxTokens: number;
  contextWindow: number;
  droppedTurns: number;
}

export type ServiceEvent = StreamEvent | ContextEvent;

/**
 * The error as the user may see it: the gateway's message redacted, and no `cause` (it holds the
 * raw response).
 */
export function forUser(error: HunyuanError, redact: Redactor): HunyuanError {
  return error.with({
    gatewayMessage: error.gatewayMessage === undefined ? undefined : redact(error.gatewayMessage),
    detail: error.detail === undefined ? undefined : redact(error.detail),
    cause: undefined,
  });
}

export class HunyuanService {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: Logger,
  ) {}

  /** Current settings; throws an `invalidSettings` HunyuanError when any value is bad. */
  settings(): HunyuanSettings {
    const { settings, problems } = readSettings();
    if (problems.length) throw new HunyuanError({ kind: 'invalidSettings', problems });
    return settings;
  }

  async *chat(turn: ChatTurn): AsyncGenerator<ServiceEvent, void, undefined> {
    const started = Date.now();
    let settings: HunyuanSettings;
    try {
      settings = this.settings();
    } catch (err) {
      this.log.warn(`${turn.purpose}: not sent, ${(err as Error).message}`);
      yield { type: 'error', error: err as HunyuanError };
      return;
    }

    const apiKey = await this.keys.get();
    if (!apiKey) {
      this.log.warn(`${turn.purpose}: not sent, no API key set`);
      yield { type: 'error', error: new HunyuanError({ kind: 'noKey' }) };
      return;
    }

    const budget = fitToContext({
      system: turn.system ? { role: 'system', content: turn.system } : undefined,
      history: turn.history ?? [],
      current: [{ role: 'user', content: turn.user }],
      contextWindow: settings.contextWindow,
      maxTokens: Math.min(settings.maxTokens, turn.maxTokens ?? settings.maxTokens),
      thinking: turn.thinking ?? settings.thinking,
    });
    if (!budget.fits) {
      this.log.warn(`${turn.purpose}: not sent, prompt ≈${budget.promptTokens} tokens does not fit ${settings.contextWindow}`);
      yield {
        type: 'error',
        error: new HunyuanError({ kind: 'tooLong', promptTokens: budget.promptTokens, contextWindow: settings.contextWindow }),
      };
      return;
    }
    yield {
      type: 'context',
      promptTokens: budget.promptTokens,
      maxTokens: budget.maxTokens,
      contextWindow: settings.contextWindow,
      droppedTurns: budget.droppedTurns,
    };

    const body = buildRequestBody(settings, budget.messages, { maxTokens: budget.maxTokens, thinking: turn.thinking });
    const { model, messages, ...params } = body;
    this.log.info(
      `${turn.purpose}: POST ${settings.baseUrl}/chat/completions model=${model} messages=${messages.length} ` +
        `prompt≈${budget.promptTokens} tokens params=${JSON.stringify(params)}` +
        (budget.droppedTurns ? ` (dropped ${budget.droppedTurns} oldest turns to fit the window)` : ''),
    );
    if (settings.logPrompts) this.log.debug(`${turn.purpose}: messages ${JSON.stringify(messages)}`);

    const client = new HunyuanClient({
      baseUrl: settings.baseUrl,
      apiKey,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
    });

    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    let answerChars = 0;
    let answer = '';
    const redact: Redactor = (text) => this.keys.redact(text);
    for await (const raw of client.chat(body, { signal: turn.signal })) {
      const event: StreamEvent = raw.type === 'error' || raw.type === 'retry' ? { ...raw, error: forUser(raw.error, redact) } : raw;
      switch (event.type) {
        case 'thinking':
        case 'answer':
          firstTokenAt ??= Date.now();
          if (event.type === 'answer') {
            answerChars += event.text.length;
            if (settings.logPrompts) answer += event.text;
          }
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'retry':
          this.log.warn(
            `${turn.purpose}: attempt ${event.attempt} failed (${event.error.message}); retrying in ${event.delayMs} ms`,
          );
          break;
        case 'finish':
          this.log.info(`${turn.purpose}: ${this.summary(started, firstTokenAt, usage, settings)} finish=${event.reason} answer=${answerChars} chars`);
          if (settings.logPrompts) this.log.debug(`${turn.purpose}: answer ${JSON.stringify(answer)}`);
          break;
        case 'error': {
          const e = event.error;
          const line = `${turn.purpose}: ${e.kind}${e.status ? ` HTTP ${e.status}` : ''}${e.gatewayMessage ? ` "${e.gatewayMessage}"` : ''}${e.detail ? ` (${e.detail})` : ''}${e.receivedChars ? ` after ${e.receivedChars} chars` : ''} ${this.summary(started, firstTokenAt, usage, settings)}`;
          if (e.kind === 'cancelled') this.log.info(line);
          else this.log.error(line);
          break;
        }
      }
      yield event;
    }
  }

  private summary(started: number, firstTokenAt: number | undefined, usage: Usage | undefined, settings: HunyuanSettings): string {
    const parts = [`${Date.now() - started} ms`];
    if (firstTokenAt) parts.push(`first token ${firstTokenAt - started} ms`);
    if (usage) {
      parts.push(
        `tokens ${usage.promptTokens}+${usage.completionTokens}${usage.estimated ? ' (estimated)' : ''}`,
        formatYuan(costYuan(usage, settings.prices)),
      );
    }
    return parts.join(', ');
  }
}
