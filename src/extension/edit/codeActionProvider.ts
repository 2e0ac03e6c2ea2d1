/**
 * Hunyuan in the light bulb, for every language in files and untitled documents:
 *
 * - "Fix with Hunyuan" (a quick fix) when the range has diagnostics: one action for all of them,
 *   never marked preferred (the language's own fixes stay first and on Ctrl+.'s auto-apply);
 * - "Explain with Hunyuan" and "Edit with Hunyuan" (`refactor.rewrite.hunyuan`) when code is
 *   selected.
 *
 * The actions only carry commands: nothing is computed or sent until one is chosen.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import type { EditSelectionArgs } from './editSelection';
import { diagnosticArg, type FixArgs } from './fix';

export const HUNYUAN_REFACTOR = vscode.CodeActionKind.RefactorRewrite.append('hunyuan');

export const CODE_ACTION_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export class HunyuanCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, HUNYUAN_REFACTOR],
  };

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind);
    const actions: vscode.CodeAction[] = [];

    if (context.diagnostics.length && wants(vscode.CodeActionKind.QuickFix)) {
      const fix = new vscode.CodeAction(vscode.l10n.t('Fix with Hunyuan'), vscode.CodeActionKind.QuickFix);
      fix.diagnostics = [...context.diagnostics];
      const args: FixArgs = { uri: document.uri.toString(), diagnostics: context.diagnostics.map(diagnosticArg) };
      fix.command = { command: COMMANDS.fixWithHunyuan, title: fix.title, arguments: [args] };
      actions.push(fix);
    }

    if (!range.isEmpty && wants(HUNYUAN_REFACTOR)) {
      const explain = new vscode.CodeAction(vscode.l10n.t('Explain with Hunyuan'), HUNYUAN_REFACTOR);
      // Explain works on the active editor's selection, which is this range when the light bulb shows.
      explain.command = { command: COMMANDS.explainSelection, title: explain.title };
      const edit = new vscode.CodeAction(vscode.l10n.t('Edit with Hunyuan'), HUNYUAN_REFACTOR);
      const args: EditSelectionArgs = {
        uri: document.uri.toString(),
        range: [range.start.line, range.start.character, range.end.line, range.end.character],
      };
      edit.command = { command: COMMANDS.editSelection, title: edit.title, arguments: [args] };
      actions.push(explain, edit);
    }
    return actions;
  }
}
