/**
 * What the buttons on a chat code block do: Copy, Insert at cursor, Apply, New file.
 * Apply shows the change as a diff against a virtual document of the original (no temp files) and
 * changes nothing until the user accepts; the inline hunk-by-hunk applier will take this over.
 */
import * as vscode from 'vscode';
import type { ContextChip } from '../../common/chat/model';

export const PROPOSAL_SCHEME = 'hunyuan-proposal';

/** Serves the read-only texts shown in diff previews. */
export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private next = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  }

  /** A URI whose document is `text`, named after `label`. */
  add(label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.next++}/${label.replace(/^\/+/, '')}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}

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

export async function copyCode(code: string): Promise<void> {
  await vscode.env.clipboard.writeText(code);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Code copied to the clipboard.'), 3000);
}

/** Inserts at the cursor of `editor` (replacing nothing), without moving focus to it. */
export async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<boolean> {
  if (!editor) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open an editor and place the cursor where the code should go.'));
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
 * Shows `code` replacing `target` as a diff, then asks. Returns whether it was applied. Refuses
 * (and says so) when the user changed the target text meanwhile.
 */
export async function applyWithPreview(target: ApplyTarget, code: string, proposals: ProposalDocuments): Promise<boolean> {
  const { document: doc, range } = target;
  const version = doc.version;
  const originalText = doc.getText(range);
  const whole = doc.getText();
  const start = doc.offsetAt(range.start);
  const proposed = whole.slice(0, start) + code + whole.slice(doc.offsetAt(range.end));
  const label = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri);
  const left = proposals.add(label, whole);
  const right = proposals.add(label, proposed);
  const where = `${label}:${range.start.line + 1}-${range.end.line + 1}`;
  await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0} ↔ proposed change', label), { preview: true });
  const apply = vscode.l10n.t('Apply');
  const picked = await vscode.window.showInformationMessage(vscode.l10n.t('Apply the proposed change to {0}?', where), apply, vscode.l10n.t('Discard'));
  if (picked !== apply) return false;
  if (doc.version !== version && doc.getText(range) !== originalText) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed since the proposal was made; nothing was applied.', where));
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, code);
  return vscode.workspace.applyEdit(edit);
}
