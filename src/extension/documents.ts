/** How every feature names a document and reads its line break. */
import * as vscode from 'vscode';
import type { Eol } from '../core/diff/text';

/** "Untitled-1", or the path relative to the workspace (with the folder's name in a multi-root workspace). */
export function documentLabel(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return doc.fileName;
  return vscode.workspace.asRelativePath(doc.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}

/** The document's line break. */
export function eolOf(doc: vscode.TextDocument): Eol {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
