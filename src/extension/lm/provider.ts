/**
 * Hunyuan in VS Code's own chat (the model picker of Ask, Edit, Agent and inline chat, and
 * `vscode.lm.selectChatModels({ vendor: 'hunyuan' })` for other extensions), where the running
 * VS Code has the language model provider API (1.104+). Every request goes through the answer
 * engine (`HunyuanService`): the settings and the key are ours, the conversation is VS Code's,
 * fitted into the window the same way, tools passed in OpenAI form; the answer comes back as text
 * parts and tool-call parts (thinking never), errors as `LanguageModelError`s with our messages.
 * On older VS Code nothing is registered (one log line says so).
 */
import * as vscode from 'vscode';
import { estimateMessagesTokens, estimateTokens } from '../../core/budget/tokens';
import type { HunyuanError } from '../../core/hunyuan/errors';
import type { HunyuanSettings } from '../../core/settings/settings';
import { DEFAULTS } from '../../core/settings/settings';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { describeError } from '../hunyuan/errorMessages';
import type { HunyuanService } from '../hunyuan/service';
import type { Logger } from '../log/logger';
import { Owner } from '../disposables';
import { LM_ROLE, LM_TOOL_MODE, lmProviderApi, type LmChatInformation, type LmChatProvider, type LmProviderApi, type LmRequestMessage } from './api';
import { toChatMessages, toToolChoice, toToolDefinitions, type Part, type SortedMessage } from './convert';

/** The vendor in `languageModelChatProviders` (package.json). */
export const LM_VENDOR = 'hunyuan';

/** The model as VS Code lists it, from the current settings. */
export function modelInformation(settings: HunyuanSettings): LmChatInformation {
  const last = settings.model.split('/').pop() || settings.model;
  let host = settings.baseUrl;
  try {
    host = new URL(settings.baseUrl).host;
  } catch {
    // shown as written
  }
  return {
    id: settings.model,
    name: settings.model === DEFAULTS.model ? 'Hunyuan-A13B-Instruct' : last,
    family: last,
    version: settings.model,
    detail: host,
    tooltip: vscode.l10n.t('Tencent Hunyuan ({0}) through the gateway at {1}', settings.model, host),
    // prompt + max_tokens must fit the window: the prompt gets what max_tokens leaves
    maxInputTokens: Math.max(1, settings.contextWindow - settings.maxTokens),
    maxOutputTokens: settings.maxTokens,
    capabilities: { toolCalling: true, imageInput: false },
  };
}

class HunyuanChatProvider extends Owner implements LmChatProvider {
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(
    private readonly api: LmProviderApi,
    private readonly service: HunyuanService,
    keys: ApiKeyStore,
    private readonly log: Logger,
  ) {
    super();
    this.own(keys.onDidChange(() => this.changed.fire()));
    this.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (['model', 'baseUrl', 'contextWindow', 'maxTokens'].some((k) => e.affectsConfiguration(`hunyuan.${k}`))) this.changed.fire();
    }));
  }

  provideLanguageModelChatInformation(): LmChatInformation[] {
    // Listed with or without a key: a request without one fails with a message saying how to set it.
    return [modelInformation(this.service.settingsLenient())];
  }

  async provideLanguageModelChatResponse(
    model: LmChatInformation,
    messages: readonly LmRequestMessage[],
    options: { readonly tools?: readonly { name: string; description: string; inputSchema?: object }[]; readonly toolMode: number },
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      const tools = toToolDefinitions(options.tools);
      const request = {
        purpose: 'lm',
        messages: toChatMessages(messages.map((m) => this.sort(m))),
        tools,
        toolChoice: toToolChoice(options.toolMode === LM_TOOL_MODE.required, tools),
        signal: abort.signal,
      };
      if (model.id !== this.service.settingsLenient().model) this.log.info(`lm: asked for ${model.id}; hunyuan.model is now used`);
      for await (const e of this.service.events(request)) {
        if (e.type === 'answer') progress.report(new this.api.LanguageModelTextPart(e.text));
        else if (e.type === 'toolCall') progress.report(new this.api.LanguageModelToolCallPart(e.call.id, e.call.name, e.call.input));
        else if (e.type === 'error') {
          if (e.error.kind === 'cancelled' || token.isCancellationRequested) return;
          throw this.languageModelError(e.error);
        }
      }
    } finally {
      cancel.dispose();
      abort.abort(); // a consumer that stopped reading closes the request too
    }
  }

  async provideTokenCount(_model: LmChatInformation, text: string | LmRequestMessage): Promise<number> {
    if (typeof text === 'string') return estimateTokens(text);
    // one message, template overhead included (without the reply's priming, counted once per request)
    return Math.max(0, estimateMessagesTokens(toChatMessages([this.sort(text)])) - estimateMessagesTokens([]));
  }

  /** A request message's parts by kind (VS Code's classes, checked at run time). */
  private sort(m: LmRequestMessage): SortedMessage {
    const role = m.role === LM_ROLE.assistant ? 'assistant' : m.role === LM_ROLE.system ? 'system' : 'user';
    return { role, parts: m.content.map((p) => this.part(p)) };
  }

  private part(p: unknown): Part {
    const a = this.api;
    if (p instanceof a.LanguageModelTextPart) return { kind: 'text', text: String((p as { value: unknown }).value) };
    if (p instanceof a.LanguageModelToolCallPart) {
      const c = p as { callId: string; name: string; input: unknown };
      return { kind: 'toolCall', callId: c.callId, name: c.name, input: c.input };
    }
    if (a.LanguageModelToolResultPart && p instanceof a.LanguageModelToolResultPart) {
      return { kind: 'toolResult', callId: p.callId, text: p.content.map((c) => this.resultText(c)).join('') };
    }
    return { kind: 'skip' };
  }

  /** The text of a tool result's piece: text, a prompt-tsx value as JSON, data of a text type decoded. */
  private resultText(c: unknown): string {
    const a = this.api;
    if (c instanceof a.LanguageModelTextPart) return String((c as { value: unknown }).value);
    if (a.LanguageModelPromptTsxPart && c instanceof a.LanguageModelPromptTsxPart) return JSON.stringify(c.value);
    if (a.LanguageModelDataPart && c instanceof a.LanguageModelDataPart) {
      return /^text\/|json/.test(c.mimeType) ? new TextDecoder().decode(c.data) : '';
    }
    return typeof c === 'object' && c !== null && typeof (c as { value?: unknown }).value === 'string' ? (c as { value: string }).value : '';
  }

  /** Our message for the error, in VS Code's error type (NoPermissions for the key, NotFound for the model). */
  private languageModelError(error: HunyuanError): vscode.LanguageModelError {
    const s = this.service.settingsLenient();
    const { message } = describeError(error, { baseUrl: s.baseUrl, model: s.model, timeoutSeconds: s.requestTimeoutSeconds });
    if (error.kind === 'noKey' || error.kind === 'badKey') return vscode.LanguageModelError.NoPermissions(message);
    if (error.kind === 'modelNotFound') return vscode.LanguageModelError.NotFound(message);
    return new this.api.LanguageModelErrorCtor(message, `hunyuan.${error.kind}`);
  }
}

/**
 * Registers Hunyuan as vendor `hunyuan` where VS Code has the provider API (1.104+); elsewhere
 * logs that it is skipped and returns nothing.
 */
export function registerLanguageModelProvider(service: HunyuanService, keys: ApiKeyStore, log: Logger): vscode.Disposable[] {
  const api = lmProviderApi();
  if (!api) {
    log.info(`VS Code ${vscode.version} has no language model provider API (1.104+): Hunyuan is not offered in VS Code's model picker`);
    return [];
  }
  const provider = new HunyuanChatProvider(api, service, keys, log);
  try {
    const registration = api.register(LM_VENDOR, provider);
    log.info(`Hunyuan registered as language model vendor "${LM_VENDOR}" in VS Code's chat`);
    return [registration, provider];
  } catch (err) {
    provider.dispose();
    log.warn(`could not register the language model provider: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}
