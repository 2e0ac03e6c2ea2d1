/**
 * Turns a HunyuanError into a short, actionable, localized message with the actions that fix it.
 * The gateway's own words are quoted when it sent any; the API key never appears.
 */
import * as vscode from 'vscode';
import type { HunyuanError } from '../../core/hunyuan/errors';
import type { SettingProblem } from '../../core/settings/settings';

export type ErrorAction = 'setApiKey' | 'openSettings' | 'showLog' | 'retry';

export interface ErrorDescription {
  message: string;
  actions: ErrorAction[];
}

export interface ErrorContext {
  baseUrl?: string;
  model?: string;
  timeoutSeconds?: number;
}

function withGateway(text: string, gatewayMessage: string | undefined): string {
  return gatewayMessage ? vscode.l10n.t('{0} The gateway says: "{1}"', text, gatewayMessage) : text;
}

function show(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export function describeProblem(p: SettingProblem): string {
  switch (p.code) {
    case 'notNumber':
      return vscode.l10n.t('{0} must be a number (it is {1}).', p.setting, show(p.value));
    case 'notInteger':
      return vscode.l10n.t('{0} must be a whole number (it is {1}).', p.setting, show(p.value));
    case 'outOfRange':
      if (p.max === undefined) return vscode.l10n.t('{0} must be at least {1} (it is {2}).', p.setting, String(p.min), show(p.value));
      if (p.min === undefined) return vscode.l10n.t('{0} must be at most {1} (it is {2}).', p.setting, String(p.max), show(p.value));
      return vscode.l10n.t('{0} must be between {1} and {2} (it is {3}).', p.setting, String(p.min), String(p.max), show(p.value));
    case 'notUrl':
      return vscode.l10n.t('{0} must be an http:// or https:// URL without a user name or password (it is {1}).', p.setting, show(p.value));
    case 'notString':
      return vscode.l10n.t('{0} must be a non-empty text.', p.setting);
    case 'notEnum':
      return vscode.l10n.t('{0} must be one of {1} (it is {2}).', p.setting, (p.items ?? []).join(', '), show(p.value));
    case 'notStringList':
      return vscode.l10n.t('{0} must be a list of texts.', p.setting);
    case 'tooMany':
      return vscode.l10n.t('{0} takes at most {1} entries.', p.setting, String(p.max));
    case 'notObject':
      return vscode.l10n.t('{0} must be a JSON object.', p.setting);
    case 'reservedKey':
      return vscode.l10n.t('{0} cannot set {1}: Hunyuan Coder sets those itself.', p.setting, (p.items ?? []).join(', '));
    case 'notPrices':
      return vscode.l10n.t('{0} must look like {"input": 0.0019, "output": 0.0075}, with numbers of 0 or more.', p.setting);
  }
}

export function describeError(error: HunyuanError, ctx: ErrorContext = {}): ErrorDescription {
  const gw = error.gatewayMessage;
  switch (error.kind) {
    case 'noKey':
      return { message: vscode.l10n.t('No Hunyuan API key is set. Set your key to start.'), actions: ['setApiKey'] };
    case 'badKey':
      return {
        message: withGateway(vscode.l10n.t('The gateway rejected the API key (HTTP {0}). Check it, or set a new one.', String(error.status ?? 401)), gw),
        actions: ['setApiKey'],
      };
    case 'outOfBalance':
      return {
        message: withGateway(vscode.l10n.t('Your gateway account is out of balance (HTTP 402). Top it up, then retry.'), gw),
        actions: ['retry'],
      };
    case 'rateLimited':
      return {
        message: withGateway(
          // "Wait 0 s" says nothing: a Retry-After of 0 (or under a second) reads as "a moment"
          error.retryAfterMs !== undefined && error.retryAfterMs >= 1000
            ? vscode.l10n.t('The gateway is limiting requests. Wait {0} s, then retry.', String(Math.ceil(error.retryAfterMs / 1000)))
            : vscode.l10n.t('The gateway is limiting requests. Wait a moment, then retry.'),
          gw,
        ),
        actions: ['retry'],
      };
    case 'modelNotFound':
      return {
        message: withGateway(vscode.l10n.t('The gateway does not know the model "{0}". Check hunyuan.model.', ctx.model ?? '?'), gw),
        actions: ['openSettings'],
      };
    case 'badRequest':
      return {
        message: withGateway(
          vscode.l10n.t('The gateway refused the request (HTTP {0}). Check the sampling settings and hunyuan.extraBody.', String(error.status ?? 400)),
          gw,
        ),
        actions: ['openSettings', 'showLog'],
      };
    case 'serverError':
      return {
        message: withGateway(
          error.status
            ? vscode.l10n.t('The gateway had a server error (HTTP {0}). Retry in a moment.', String(error.status))
            : vscode.l10n.t('The gateway reported an error while answering. Retry in a moment.'),
          gw,
        ),
        actions: ['retry', 'showLog'],
      };
    case 'network': {
      // The client's own words (a socket error), never presented as the gateway's.
      const detail = error.detail ? ` ${vscode.l10n.t('(Connection error: {0})', error.detail)}` : '';
      if (error.receivedChars) {
        return {
          message: vscode.l10n.t(
            'The connection to the gateway was cut after {0} characters of the answer; what arrived is kept. Retry to ask again.',
            String(error.receivedChars),
          ) + detail,
          actions: ['retry', 'showLog'],
        };
      }
      return {
        message: vscode.l10n.t('Could not reach the gateway at {0}. Check your network and hunyuan.baseUrl.', ctx.baseUrl ?? '?') + detail,
        actions: ['retry', 'openSettings'],
      };
    }
    case 'timeout':
      return {
        message: vscode.l10n.t(
          'The gateway did not answer within {0} s. Retry, or raise hunyuan.requestTimeoutSeconds.',
          String(ctx.timeoutSeconds ?? '?'),
        ),
        actions: ['retry', 'openSettings'],
      };
    case 'cancelled':
      return { message: vscode.l10n.t('Request cancelled.'), actions: [] };
    case 'malformed':
      return {
        message: withGateway(vscode.l10n.t('The gateway sent a response Hunyuan Coder cannot read. See the log for details.'), gw),
        actions: ['retry', 'showLog'],
      };
    case 'invalidSettings':
      return {
        message: vscode.l10n.t('Fix these settings first: {0}', (error.problems ?? []).map(describeProblem).join(' ')),
        actions: ['openSettings'],
      };
    case 'tooLarge': {
      if (error.limitChars !== undefined) {
        // a gateway that ignores max_tokens
        return {
          message: vscode.l10n.t(
            'The gateway sent more than {0} characters for an answer of at most {1} tokens (hunyuan.maxTokens), so Hunyuan Coder stopped reading; what arrived is kept. The gateway may be ignoring max_tokens.',
            String(error.limitChars),
            String(error.maxTokens ?? '?'),
          ),
          actions: ['retry', 'showLog'],
        };
      }
      // one line or event far larger than a stream's chunks (or a whole answer far over its limit)
      const kept = error.receivedChars ? ` ${vscode.l10n.t('What arrived before it is kept.')}` : '';
      return {
        message: vscode.l10n.t(
          'The gateway sent a single message of more than {0} KB, far more than a chat-completions stream sends at once, so Hunyuan Coder stopped reading. Check hunyuan.baseUrl.',
          String(Math.round((error.limitBytes ?? 0) / 1024)),
        ) + kept,
        actions: ['openSettings', 'showLog'],
      };
    }
    case 'redirected':
      return {
        message: vscode.l10n.t(
          'The gateway at {0} redirected the request to another server, {1}. Hunyuan Coder does not follow it, so that your key and code go only where hunyuan.baseUrl says. If {1} is the right server, set hunyuan.baseUrl to it.',
          originOf(ctx.baseUrl),
          error.redirectTo ?? '?',
        ),
        actions: ['openSettings'],
      };
    case 'tooLong':
      if (error.status) {
        // the gateway counted it (our estimate thought it fit): its numbers are the ones to quote
        return {
          message: withGateway(
            vscode.l10n.t('The prompt and the room kept for the answer (hunyuan.maxTokens) do not fit the model\'s context window. Select less code, start a new chat, or lower hunyuan.maxTokens.'),
            gw,
          ),
          actions: ['openSettings'],
        };
      }
      return {
        message: vscode.l10n.t(
          'The prompt (about {0} tokens) does not fit the context window ({1} tokens) with room for an answer. Select less code or lower hunyuan.maxTokens.',
          String(error.promptTokens ?? '?'),
          String(error.contextWindow ?? '?'),
        ),
        actions: ['openSettings'],
      };
  }
}

/** The scheme, host and port of a URL (what a redirect is judged by), or the text itself. */
function originOf(url: string | undefined): string {
  if (!url) return '?';
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'setApiKey':
      return vscode.l10n.t('Set API Key');
    case 'openSettings':
      return vscode.l10n.t('Open Settings');
    case 'showLog':
      return vscode.l10n.t('Show Log');
    case 'retry':
      return vscode.l10n.t('Retry');
  }
}
