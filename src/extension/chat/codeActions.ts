/**
 * What the buttons on a chat code block do: Copy, Insert at cursor, Apply, New file.
 * Apply proposes the block through the inline diff applier, in the editor and range it is for.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { ContextChip } from '../../common/chat/model';
import { commonIndent, reindent } from '../../core/edit/clean';
import type { InlineDiff, InlineDiffs } from '../diff/inlineDiff';
import { documentLabel, eolOf } from '../documents';

/** Where Apply would put a block: a range of a document. */
export interface ApplyTarget {
  document: vscode.TextDocument;
  range: vscode.Range;
  /** Why this place: the code the question was about, or the editor's selection. */
  origin: 'context' | 'selection' | 'cursor';
}

/** Finds the range a selection chip came from, even if lines moved since. */
export function locateChip(doc: vscode.TextDocument, chip: ContextChip): vscode.Range | undefined {
  const start = chip.startLine - 1;
  const end = chip.endLine - 1;
  if (end < doc.lineCount) {
    const range = new vscode.Range(start, 0, end, doc.lineAt(end).text.length);
    if (doc.getText(range) === chip.text) return range;
  }
  const text = doc.getText();
  const at = text.indexOf(chip.text);
  if (at < 0 || text.indexOf(chip.text, at + 1) >= 0) return undefined; // gone, or ambiguous
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + chip.text.length));
}

/** Whether the code is on the clipboard (a failure is reported). */
export async function copyCode(code: string): Promise<boolean> {
  try {
    await vscode.env.clipboard.writeText(code);
  } catch (err) {
    void ui.warn(vscode.l10n.t('The code could not be copied to the clipboard: {0}', err instanceof Error ? err.message : String(err)));
    return false;
  }
  vscode.window.setStatusBarMessage(vscode.l10n.t('Code copied to the clipboard.'), 3000);
  return true;
}

/** Inserts at the cursor of `editor` (replacing nothing), without moving focus to it. */
export async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<boolean> {
  if (!editor) {
    void ui.warn(vscode.l10n.t('Open an editor and place the cursor where the code should go.'));
    return false;
  }
  const at = editor.selection.active;
  return editor.edit((b) => b.insert(at, code));
}

export async function newFileWithCode(code: string, languageId: string): Promise<vscode.TextDocument> {
  let language = languageId || 'plaintext';
  const known = await vscode.languages.getLanguages();
  if (!known.includes(language)) language = 'plaintext';
  const doc = await vscode.workspace.openTextDocument({ language, content: code });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
  return doc;
}

/**
 * Proposes `code` for `target` through the inline diff: the target editor is shown (keeping the
 * focus where it is) with the change as hunks to accept or reject; nothing is written until then.
 * The code is given the target's indentation when it came dedented, and the document's line breaks.
 */
export async function proposeInEditor(target: ApplyTarget, code: string, diffs: InlineDiffs): Promise<InlineDiff | undefined> {
  const { document: doc, range } = target;
  const eol = eolOf(doc);
  const original = doc.getText(range);
  let text = code.replace(/\r\n?/g, '\n');
  const from = commonIndent(text);
  const to = commonIndent(original);
  if (range.start.character === 0 && to.length > from.length && to.startsWith(from)) text = reindent(text, from, to);
  if (/\n$/.test(original) && !text.endsWith('\n')) text += '\n';
  if (range.isEmpty && range.start.character === 0 && !text.endsWith('\n')) text += '\n';
  text = text.replace(/\n/g, eol);

  // where it is already shown; else beside the chat when the chat is an editor tab, so it stays visible
  const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const chatTab = vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview;
  const viewColumn = shown?.viewColumn ?? (chatTab ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn, preserveFocus: true, preview: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const label = documentLabel(doc);
  const where = `${label}:${range.start.line + 1}`;
  const diff = diffs.open(doc, range, { title: vscode.l10n.t('Apply from chat'), text });
  if (diff.isDisposed) {
    void ui.info(vscode.l10n.t('{0} already has this code; nothing to apply.', where));
    return undefined;
  }
  vscode.window.setStatusBarMessage(vscode.l10n.t('Proposed change in {0}: accept or reject it in the editor.', where), 5000);
  return diff;
}
