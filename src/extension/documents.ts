/** How every feature names a document, reads its line break, and hands ranges and changes to the pure layer. */
import * as vscode from 'vscode';
import type { CharRange } from '../core/diff/placement';
import { spanAfterChanges, type Eol, type TextChange } from '../core/diff/text';

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

/**
 * Follows `range` of `document` through the edits made around it from now on (lines added above
 * move it): `current()` is where it is now, undefined while its text is not what it was. An edit
 * in it (accepting a hunk, typing) loses it until its text is back where it was (an undo).
 * Dispose it when done.
 */
export function trackRange(document: vscode.TextDocument, range: vscode.Range): vscode.Disposable & { current(): vscode.Range | undefined } {
  const text = document.getText(range);
  let span = charRangeOf(range);
  let touched = false;
  const listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document) return;
    const changes = e.contentChanges.map(textChangeOf);
    // Text typed at the start of a range of whole lines goes into its first line, not above it.
    if (span.startCharacter === 0 && changes.some((c) => c.startLine === span.startLine && c.startCharacter === 0 && c.text && !/[\r\n]$/.test(c.text))) {
      touched = true;
      return;
    }
    const moved = spanAfterChanges(span, changes);
    if (moved) span = moved;
    else touched = true; // stays where it was: an undo puts the text back there
  });
  return {
    current: () => {
      const now = new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter);
      return !touched || document.getText(now) === text ? now : undefined;
    },
    dispose: () => listener.dispose(),
  };
}
