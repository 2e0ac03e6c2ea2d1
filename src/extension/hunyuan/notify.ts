/** Shows a HunyuanError as a notification whose buttons fix it. Never awaited by request flows. */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { HunyuanError } from '../../core/hunyuan/errors';
import { isPlainHttpToRemote } from '../../core/hunyuan/transport';
import { actionLabel, describeError, type ErrorAction, type ErrorContext } from './errorMessages';
import { COMMANDS } from '../commands/ids';

export async function showHunyuanError(error: HunyuanError, ctx: ErrorContext, retry?: () => unknown): Promise<void> {
  if (error.kind === 'cancelled') return;
  const { message, actions } = describeError(error, ctx);
  const available = actions.filter((a) => a !== 'retry' || retry);
  const picked = await ui.error(message, ...available.map(actionLabel));
  const action = available.find((a) => actionLabel(a) === picked);
  if (action) await runErrorAction(action, retry);
}

export async function runErrorAction(action: ErrorAction, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(COMMANDS.setApiKey);
      return;
    case 'openSettings':
      await vscode.commands.executeCommand(COMMANDS.openSettings);
      return;
    case 'showLog':
      await vscode.commands.executeCommand(COMMANDS.showLog);
      return;
    case 'retry':
      await retry?.();
      return;
  }
}

/** Base URLs already warned about in this window (once each, not at every request). */
const warnedPlainHttp = new Set<string>();

/**
 * Warns, once per base URL in this window, that requests to `baseUrl` would travel unencrypted to
 * another computer (http:// to a host that is not this one): the key and the user's code can be
 * read or changed on the way. The request still goes. Returns whether it warned now.
 */
export function warnPlainHttp(baseUrl: string): boolean {
  if (!isPlainHttpToRemote(baseUrl) || warnedPlainHttp.has(baseUrl)) return false;
  warnedPlainHttp.add(baseUrl);
  const open = actionLabel('openSettings');
  void ui.warn(
    vscode.l10n.t(
      'hunyuan.baseUrl is {0}: plain http:// to another computer. Your API key and your code travel unencrypted and can be read or changed on the way. Use https:// unless you trust every network in between.',
      baseUrl,
    ),
    open,
  ).then((picked) => (picked === open ? runErrorAction('openSettings') : undefined));
  return true;
}
