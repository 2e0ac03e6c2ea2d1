/** Shows a HunyuanError as a notification whose buttons fix it. Never awaited by request flows. */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { HunyuanError } from '../../core/hunyuan/errors';
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
