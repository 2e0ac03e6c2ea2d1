/**
 * Registers the editor commands that propose code through the inline diff ("Generate from
 * Comment", "Edit with Hunyuan", "Fix with Hunyuan") and the code actions that lead to them.
 * Each command resolves, once the answer is complete, failed or cancelled, with a
 * `ProposalOutcome` (undefined when nothing was asked), which tests and other callers can await.
 */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { COMMANDS } from '../commands/ids';
import type { InlineDiffs } from '../diff/inlineDiff';
import type { HunyuanService } from '../hunyuan/service';
import type { Logger } from '../log/logger';
import { CODE_ACTION_SELECTOR, HunyuanCodeActionProvider } from './codeActionProvider';
import { editSelection, type EditSelectionArgs } from './editSelection';
import { fixWithHunyuan, type FixArgs } from './fix';
import { generateFromComment, type GenerateFromCommentArgs } from './generateFromComment';
import type { ProposeDeps } from './proposeEdit';

export interface EditFeatureDeps {
  service: HunyuanService;
  diffs: InlineDiffs;
  chat: ChatController;
  log: Logger;
  /** Shows the chat where the user has it (side view or editor tab) and focuses its input. */
  revealChat: () => Promise<void>;
}

/** A command's argument when it is an object (menus pass a URI, keybindings nothing). */
function objectArg<T extends object>(arg: unknown): T | undefined {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as T) : undefined;
}

export function registerEditFeatures(deps: EditFeatureDeps): vscode.Disposable[] {
  const propose: ProposeDeps = { service: deps.service, diffs: deps.diffs, log: deps.log };
  return [
    vscode.commands.registerCommand(COMMANDS.generateFromComment, (arg?: unknown) =>
      generateFromComment(propose, objectArg<GenerateFromCommentArgs>(arg)),
    ),
    vscode.commands.registerCommand(COMMANDS.editSelection, (arg?: unknown) => editSelection(propose, objectArg<EditSelectionArgs>(arg))),
    vscode.commands.registerCommand(COMMANDS.fixWithHunyuan, (arg?: unknown) => fixWithHunyuan(propose, objectArg<FixArgs>(arg))),
    vscode.languages.registerCodeActionsProvider(CODE_ACTION_SELECTOR, new HunyuanCodeActionProvider(), HunyuanCodeActionProvider.metadata),
  ];
}
