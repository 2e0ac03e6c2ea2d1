/**
 * "Hunyuan: Explain Selection": puts the selection (or, with nothing selected, the function or
 * class around the cursor) into the chat as a context chip and asks for an explanation in the
 * user's display language, or the one `hunyuan.explain.language` names.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { ContextChip } from '../../common/chat/model';
import { explainPrompt } from '../../core/edit/prompts';
import type { ChatController } from '../chat/chatController';
import { selectionChip } from '../chat/editorContext';
import { SECTION } from '../settings/configuration';

const ENCLOSING_KINDS = new Set([
  vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor, vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface, vscode.SymbolKind.Enum, vscode.SymbolKind.Struct,
]);

/** The innermost function-like symbol around `position`, if the language provides symbols. */
export async function enclosingSymbol(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
  } catch {
    return undefined;
  }
  let best: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]) => {
    for (const s of list) {
      if (!s.range.contains(position)) continue;
      if (ENCLOSING_KINDS.has(s.kind)) best = s;
      visit(s.children ?? []);
    }
  };
  visit((symbols ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s));
  return best;
}

/** The language to answer in: `undefined` = follow the display language. */
function answerLanguage(): string | undefined {
  const setting = vscode.workspace.getConfiguration(SECTION).get<string>('explain.language', 'auto');
  if (setting === 'en') return 'English';
  if (setting === 'zh-cn') return 'Simplified Chinese';
  return undefined;
}

export async function explainSelection(chat: ChatController, reveal: () => Promise<void>): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void ui.info(vscode.l10n.t('Select some code in an editor first.'));
    return;
  }
  let kind: string | undefined;
  let name: string | undefined;
  let target = editor;
  if (editor.selection.isEmpty) {
    const symbol = await enclosingSymbol(editor.document, editor.selection.active);
    if (symbol) {
      kind = vscode.SymbolKind[symbol.kind].toLowerCase();
      name = symbol.name;
      // a selection-shaped view of the editor, without moving the user's own selection
      target = { document: editor.document, selection: new vscode.Selection(symbol.range.start, symbol.range.end) } as vscode.TextEditor;
    }
  }
  const chip: ContextChip = selectionChip(target);
  const language = answerLanguage();
  const { question } = explainPrompt({
    code: chip.text,
    languageId: chip.languageId,
    path: chip.label,
    startLine: chip.startLine,
    endLine: chip.endLine,
    displayLanguage: language === 'Simplified Chinese' ? 'zh-cn' : vscode.env.language,
    enclosingKind: kind,
    enclosingName: name,
    answerLanguage: language === 'English' ? language : undefined,
  });
  chat.addContext(chip);
  await reveal();
  await chat.send(question);
}
