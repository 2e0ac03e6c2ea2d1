/**
 * The one answer engine: every feature that asks Hunyuan something (the chat panel, the editor
 * commands, Check Connection, and later VS Code's own chat) goes through `AnswerEngine`. It reads
 * the settings and the key from its backend, fits the request into the context window (`plan`,
 * also what the chat's budget line shows before sending), builds the body, sends it, logs it (never
 * the key; the user's code only with `hunyuan.debug.logPrompts`), scrubs the key out of every
 * error, and turns the events into one turn: thinking, answer, usage, cost, finish, error, timing
 * (`run`). Pure: no `vscode`, no DOM. What is VS Code's (settings, SecretStorage, the output
 * channel, notifications) is the backend's; what is the gateway's (the HTTP client) is the
 * transport's, so a second model or gateway is one new transport.
 */
import { fitToContext, type BudgetResult } from '../budget/contextBudget';
import { costYuan, formatYuan } from '../budget/cost';
import { HunyuanClient } from '../hunyuan/client';
import { HunyuanError } from '../hunyuan/errors';
import { buildRequestBody, type ChatRequestBody } from '../hunyuan/request';
import type { ToolCall } from '../hunyuan/toolCalls';
import type { ChatMessage, StreamEvent, ToolChoice, ToolDefinition, Usage } from '../hunyuan/types';
import type { HunyuanSettings, ParsedSettings, ThinkingMode } from '../settings/settings';

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** Sends one request body and decodes the answer (the gateway's side: HTTP, SSE, retries). */
export type Transport = (
  body: ChatRequestBody,
  opts: { settings: HunyuanSettings; apiKey: string; signal?: AbortSignal },
) => AsyncIterable<StreamEvent>;

/** Hunyuan through an OpenAI-compatible gateway: HunyuanClient. */
export const gatewayTransport: Transport = (body, { settings, apiKey, signal }) =>
  new HunyuanClient({
    baseUrl: settings.baseUrl,
    apiKey,
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
  }).chat(body, { signal });

/** What the engine needs from where it runs. */
export interface EngineBackend {
  /** The settings as read, with the problems of any bad value. */
  settings(): ParsedSettings;
  apiKey(): Promise<string | undefined>;
  /** Scrubs the key (and its cut-off starts) out of a text that will be shown or saved. */
  redact(text: string): string;
  readonly log: EngineLog;
  /** Called before sending to a base URL; returns true when it warned that it is plain http to another computer. */
  warnPlainHttp?(baseUrl: string): boolean;
  /** Defaults to `gatewayTransport`. */
  readonly transport?: Transport;
}

/**
 * One request: either `user` (with `system` and `history`), or a whole conversation in `messages`
 * (VS Code's language model provider: the caller's messages, tool calls and results included).
 */
export interface TurnRequest {
  /** What the request is for, in the log ("chat", "explain", "check"). */
  purpose: string;
  system?: string;
  /** Earlier turns, oldest first: clean answers only. */
  history?: readonly ChatMessage[];
  /** The new user message (not needed with `messages`). */
  user?: string;
  /**
   * The whole conversation instead of system + history + user: leading system messages stay,
   * the last user message and everything after it (the running tool calls and results) stay, and
   * the turns in between are fitted into the window like `history`.
   */
  messages?: readonly ChatMessage[];
  /** Tools the model may call (OpenAI form). */
  tools?: readonly ToolDefinition[];
  /** `tool_choice`, only sent with tools. */
  toolChoice?: ToolChoice;
  /** Overrides `hunyuan.thinking` for this request. */
  thinking?: ThinkingMode;
  /** At most this many tokens for the answer, below `hunyuan.maxTokens` (Check Connection needs a few). */
  maxTokens?: number;
  /** Only for plan(): tokens the prompt will grow by before it is sent (see BudgetInput.reserveTokens). */
  reserveTokens?: number;
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

export type EngineEvent = StreamEvent | ContextEvent;

/** A request fitted into the window (see `fitToContext`), and the window. */
export interface Plan extends BudgetResult {
  contextWindow: number;
}

/** One answer, as it stands (while streaming) or ended. */
export interface TurnResult {
  status: 'streaming' | 'done' | 'stopped' | 'error';
  thinking: string;
  answer: string;
  /** ms since epoch. */
  startedAt: number;
  endedAt?: number;
  /** Time to the first thinking or answer text. */
  firstTokenMs?: number;
  thinkingStartedAt?: number;
  thinkingEndedAt?: number;
  usage?: Usage;
  costYuan?: number;
  finishReason?: string;
  stopSequence?: string;
  /** Whole turns of the history left out to fit the window. */
  droppedTurns?: number;
  promptTokens?: number;
  /** Set when `status` is `error` (a cancel is `stopped`, with no error). */
  error?: HunyuanError;
  /** The tools the model called, in order. */
  toolCalls?: ToolCall[];
}

/** Hears the turn as it grows (each text as it arrives, after the turn took it in). */
export interface TurnListener {
  onContext?(event: ContextEvent, turn: TurnResult): void;
  onThinking?(text: string, turn: TurnResult): void;
  onAnswer?(text: string, turn: TurnResult): void;
  onRetry?(event: Extract<StreamEvent, { type: 'retry' }>, turn: TurnResult): void;
  onToolCall?(call: ToolCall, turn: TurnResult): void;
}

/** A conversation cut where `fitToContext` needs it: leading system messages (joined), the turns before the last user message, and the rest. */
export function splitConversation(messages: readonly ChatMessage[]): { system?: ChatMessage; history: ChatMessage[]; current: ChatMessage[] } {
  let start = 0;
  while (start < messages.length && messages[start].role === 'system') start++;
  const system = start ? { role: 'system' as const, content: messages.slice(0, start).map((m) => m.content).join('\n\n') } : undefined;
  let lastUser = messages.length - 1;
  while (lastUser >= start && messages[lastUser].role !== 'user') lastUser--;
  if (lastUser < start) return { system, history: [], current: messages.slice(start) };
  return { system, history: messages.slice(start, lastUser), current: messages.slice(lastUser) };
}

/** The error as the user may see it: the gateway's words redacted, and no `cause` (it holds the raw response). */
export function forUser(error: HunyuanError, redact: (text: string) => string): HunyuanError {
  return error.with({
    gatewayMessage: error.gatewayMessage === undefined ? undefined : redact(error.gatewayMessage),
    detail: error.detail === undefined ? undefined : redact(error.detail),
    redirectTo: error.redirectTo === undefined ? undefined : redact(error.redirectTo),
    cause: undefined,
  });
}

/** The limit an error names, for the log: ` (over N chars for max_tokens M)`, a byte limit, a redirect's target. */
function limits(e: HunyuanError): string {
  if (e.limitChars !== undefined) return ` (over the limit of ${e.limitChars} chars for max_tokens ${e.maxTokens ?? '?'})`;
  if (e.limitBytes !== undefined) return ` (one message over ${e.limitBytes} bytes)`;
  if (e.redirectTo !== undefined) return ` (redirect to ${e.redirectTo} refused)`;
  return '';
}

export class AnswerEngine {
  constructor(private readonly backend: EngineBackend) {}

  /** Current settings; throws an `invalidSettings` HunyuanError when any value is bad. */
  settings(): HunyuanSettings {
    const { settings, problems } = this.backend.settings();
    if (problems.length) throw new HunyuanError({ kind: 'invalidSettings', problems: [...problems] });
    return settings;
  }

  /** Current settings read leniently (a bad value reads as its default), for what is shown before sending. */
  settingsLenient(): HunyuanSettings {
    return this.backend.settings().settings;
  }

  /**
   * What `request` would send: the history that fits, the prompt's tokens, max_tokens. The chat's
   * budget line and the request itself both come from here. `settings` defaults to the current
   * ones, read leniently (a bad value reads as its default: the budget line still shows).
   */
  plan(request: Omit<TurnRequest, 'purpose' | 'signal'>, settings: HunyuanSettings = this.backend.settings().settings): Plan {
    const parts = request.messages
      ? splitConversation(request.messages)
      : {
          system: request.system ? { role: 'system' as const, content: request.system } : undefined,
          history: request.history ?? [],
          current: [{ role: 'user' as const, content: request.user ?? '' }],
        };
    const budget = fitToContext({
      ...parts,
      tools: request.tools,
      reserveTokens: request.reserveTokens,
      contextWindow: settings.contextWindow,
      maxTokens: Math.min(settings.maxTokens, request.maxTokens ?? settings.maxTokens),
      thinking: request.thinking ?? settings.thinking,
    });
    return { ...budget, contextWindow: settings.contextWindow };
  }

  /** Sends the request and yields what happens, as it happens (errors already redacted and logged). */
  async *events(request: TurnRequest): AsyncGenerator<EngineEvent, void, undefined> {
    const { log } = this.backend;
    const started = Date.now();
    let settings: HunyuanSettings;
    try {
      settings = this.settings();
    } catch (err) {
      log.warn(`${request.purpose}: not sent, ${(err as Error).message}`);
      yield { type: 'error', error: err as HunyuanError };
      return;
    }

    const apiKey = await this.backend.apiKey();
    if (!apiKey) {
      log.warn(`${request.purpose}: not sent, no API key set`);
      yield { type: 'error', error: new HunyuanError({ kind: 'noKey' }) };
      return;
    }

    const plan = this.plan(request, settings);
    if (!plan.fits) {
      log.warn(`${request.purpose}: not sent, prompt ≈${plan.promptTokens} tokens does not fit ${settings.contextWindow}`);
      yield {
        type: 'error',
        error: new HunyuanError({ kind: 'tooLong', promptTokens: plan.promptTokens, contextWindow: settings.contextWindow }),
      };
      return;
    }
    yield {
      type: 'context',
      promptTokens: plan.promptTokens,
      maxTokens: plan.maxTokens,
      contextWindow: settings.contextWindow,
      droppedTurns: plan.droppedTurns,
    };

    const body = buildRequestBody(settings, plan.messages, {
      maxTokens: plan.maxTokens,
      thinking: request.thinking,
      tools: request.tools,
      toolChoice: request.toolChoice,
    });
    const { model, messages, tools, ...params } = body;
    log.info(
      `${request.purpose}: POST ${settings.baseUrl}/chat/completions model=${model} messages=${messages.length} ` +
        (Array.isArray(tools) ? `tools=${tools.length} ` : '') +
        `prompt≈${plan.promptTokens} tokens params=${JSON.stringify(params)}` +
        (plan.droppedTurns ? ` (dropped ${plan.droppedTurns} oldest turns to fit the window)` : ''),
    );
    if (settings.logPrompts) log.debug(`${request.purpose}: messages ${JSON.stringify(messages)}`);
    if (this.backend.warnPlainHttp?.(settings.baseUrl)) {
      log.warn(`${request.purpose}: ${settings.baseUrl} is plain http to another computer: the key and the prompt travel unencrypted`);
    }

    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    let answerChars = 0;
    let answer = '';
    const redact = (text: string): string => this.backend.redact(text);
    const transport = this.backend.transport ?? gatewayTransport;
    for await (const raw of transport(body, { settings, apiKey, signal: request.signal })) {
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
        case 'toolCall':
          firstTokenAt ??= Date.now();
          log.info(`${request.purpose}: tool call ${event.call.name} (${event.call.id})`);
          if (settings.logPrompts) log.debug(`${request.purpose}: tool call input ${JSON.stringify(event.call.input)}`);
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'retry':
          log.warn(`${request.purpose}: attempt ${event.attempt} failed (${event.error.message}); retrying in ${event.delayMs} ms`);
          break;
        case 'finish':
          log.info(`${request.purpose}: ${summary(started, firstTokenAt, usage, settings)} finish=${event.reason} answer=${answerChars} chars`);
          if (settings.logPrompts) log.debug(`${request.purpose}: answer ${JSON.stringify(answer)}`);
          break;
        case 'error': {
          const e = event.error;
          const line = `${request.purpose}: ${e.kind}${e.status ? ` HTTP ${e.status}` : ''}${e.gatewayMessage ? ` "${e.gatewayMessage}"` : ''}${e.detail ? ` (${e.detail})` : ''}${e.receivedChars ? ` after ${e.receivedChars} chars` : ''}${limits(e)} ${summary(started, firstTokenAt, usage, settings)}`;
          if (e.kind === 'cancelled') log.info(line);
          else log.error(line);
          break;
        }
      }
      yield event;
    }
  }

  /**
   * Sends the request and gathers the answer into one turn, telling `listener` as it grows.
   * Resolves when the answer ended, failed or was cancelled; never rejects for the gateway's
   * sake (a failure is `status: 'error'` with the error). `prices` default to the settings'.
   */
  async run(request: TurnRequest, listener: TurnListener = {}, now: () => number = Date.now): Promise<TurnResult> {
    const turn: TurnResult = { status: 'streaming', thinking: '', answer: '', startedAt: now() };
    const prices = this.backend.settings().settings.prices;
    for await (const e of this.events(request)) {
      applyEvent(turn, e, prices, now);
      if (e.type === 'context') listener.onContext?.(e, turn);
      else if (e.type === 'thinking') listener.onThinking?.(e.text, turn);
      else if (e.type === 'answer') listener.onAnswer?.(e.text, turn);
      else if (e.type === 'retry') listener.onRetry?.(e, turn);
      else if (e.type === 'toolCall') listener.onToolCall?.(e.call, turn);
      if (turn.status !== 'streaming') break;
    }
    return endTurn(turn, !!request.signal?.aborted, now);
  }
}

/** Takes one event into the turn (pure; exported for the tests). */
export function applyEvent(turn: TurnResult, e: EngineEvent, prices: HunyuanSettings['prices'], now: () => number = Date.now): void {
  switch (e.type) {
    case 'context':
      turn.droppedTurns = e.droppedTurns || undefined;
      turn.promptTokens = e.promptTokens;
      break;
    case 'thinking':
      turn.thinkingStartedAt ??= now();
      turn.firstTokenMs ??= now() - turn.startedAt;
      turn.thinking += e.text;
      break;
    case 'answer':
      turn.firstTokenMs ??= now() - turn.startedAt;
      if (turn.thinkingStartedAt && !turn.thinkingEndedAt) turn.thinkingEndedAt = now();
      turn.answer += e.text;
      break;
    case 'toolCall':
      turn.firstTokenMs ??= now() - turn.startedAt;
      if (turn.thinkingStartedAt && !turn.thinkingEndedAt) turn.thinkingEndedAt = now();
      (turn.toolCalls ??= []).push(e.call);
      break;
    case 'usage':
      turn.usage = e.usage;
      turn.costYuan = costYuan(e.usage, prices);
      break;
    case 'finish':
      turn.status = 'done';
      turn.finishReason = e.reason;
      turn.stopSequence = e.stopSequence;
      break;
    case 'error':
      if (e.error.kind === 'cancelled') {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        turn.error = e.error;
      }
      break;
    case 'retry':
      break;
  }
}

/** Ends a turn whose events ran out: a stream that closed without a finish is done (or stopped, when cancelled). */
export function endTurn(turn: TurnResult, aborted: boolean, now: () => number = Date.now): TurnResult {
  if (turn.status === 'streaming') turn.status = aborted ? 'stopped' : 'done';
  if (turn.thinkingStartedAt && !turn.thinkingEndedAt) turn.thinkingEndedAt = now();
  turn.endedAt = now();
  return turn;
}

function summary(started: number, firstTokenAt: number | undefined, usage: Usage | undefined, settings: HunyuanSettings): string {
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
