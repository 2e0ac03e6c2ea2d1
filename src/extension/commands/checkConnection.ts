/**
 * "Hunyuan: Check Connection": one small request with the user's own settings (in fast thinking,
 * with a small `max_tokens`), to prove the key, the gateway and every parameter work together.
 * Returns what happened, for callers and tests.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { formatYuan } from '../../core/budget/cost';
import { HunyuanError, type ErrorKind } from '../../core/hunyuan/errors';
import type { Usage } from '../../core/hunyuan/types';
import type { HunyuanService } from '../hunyuan/service';
import { describeError } from '../hunyuan/errorMessages';
import { showHunyuanError } from '../hunyuan/notify';
import { readSettings } from '../settings/configuration';

export interface CheckResult {
  ok: boolean;
  answer: string;
  thinkingChars: number;
  usage?: Usage;
  latencyMs: number;
  error?: { kind: ErrorKind; status?: number; message: string };
}

export const CHECK_PROMPT = 'Reply with the single word OK.';
/**
 * Check Connection asks for a one-word answer in fast thinking: slow thinking could reason for a
 * long while, at the user's cost, before saying OK.
 */
export const CHECK_MAX_TOKENS = 32;

/** The answer as one line of plain text for a notification: no fences, backticks, emphasis or headings. */
export function plainAnswer(answer: string): string {
  return answer.replace(/^\s*(`{3,}|~{3,}).*$/gm, ' ').replace(/[`*_#>]+/g, '').replace(/\s+/g, ' ').trim();
}

export async function checkConnection(service: HunyuanService, options: { silent?: boolean } = {}): Promise<CheckResult> {
  const started = Date.now();
  const { settings } = readSettings();
  const ctx = { baseUrl: settings.baseUrl, model: settings.model, timeoutSeconds: settings.requestTimeoutSeconds };
  const run = async (token?: vscode.CancellationToken): Promise<CheckResult> => {
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const turn = await service.run({ purpose: 'check', user: CHECK_PROMPT, thinking: 'fast', maxTokens: CHECK_MAX_TOKENS, signal: abort.signal });
    const { answer, usage } = turn;
    // a cancelled check is an error here too: it proved nothing
    const error = turn.error ?? (turn.status === 'stopped' ? new HunyuanError({ kind: 'cancelled' }) : undefined);
    const result: CheckResult = { ok: !error, answer, thinkingChars: turn.thinking.length, usage, latencyMs: Date.now() - started };
    if (error) result.error = { kind: error.kind, status: error.status, message: describeError(error, ctx).message };
    if (!options.silent) {
      if (error) void showHunyuanError(error, ctx, () => vscode.commands.executeCommand('hunyuan.checkConnection'));
      else {
        const cost = turn.costYuan !== undefined ? formatYuan(turn.costYuan) : '';
        void ui.info(
          vscode.l10n.t('Hunyuan answered in {0} ms ({1}, {2}): "{3}"', String(result.latencyMs), settings.model, cost, plainAnswer(answer).slice(0, 80)),
        );
      }
    }
    return result;
  };
  if (options.silent) return run();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the connection to Hunyuan…'), cancellable: true },
    (_progress, token) => run(token),
  );
}
