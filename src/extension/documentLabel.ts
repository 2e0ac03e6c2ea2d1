/** How a document is named to the user and in prompts, wherever it is shown. */
import * as vscode from 'vscode';

/** "Untitled-1", or the path relative to the workspace (with the folder's name in a multi-root workspace). */
export function documentLabel(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return doc.fileName;
  return vscode.workspace.asRelativePath(doc.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}
