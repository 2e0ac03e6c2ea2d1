/** How every feature names a document, reads its line break, and hands ranges and changes to the pure layer. */
import * as vscode from 'vscode';
import type { CharRange } from '../core/diff/placement';
import type { Eol, TextChange } from '../core/diff/text';

/** "Untitled-1", or the path relative to the workspace (with the folder's name in a multi-root workspace). */
export function documentLabel(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return doc.fileName;
  return vscode.workspace.asRelativePath(doc.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}

/** The document's line break. */
export function eolOf(doc: vscode.TextDocument): Eol {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** A range as the pure layer takes it. */
export function charRangeOf(range: vscode.Range): CharRange {
  return { startLine: range.start.line, startCharacter: range.start.character, endLine: range.end.line, endCharacter: range.end.character };
}

/** A document change as the pure layer takes it. */
export function textChangeOf(c: vscode.TextDocumentContentChangeEvent): TextChange {
  return { ...charRangeOf(c.range), text: c.text };
}
