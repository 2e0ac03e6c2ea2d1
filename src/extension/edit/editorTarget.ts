/**
 * What the editor commands work on: the document (the active editor's, or one named by a
 * command argument), whole-line ranges, and the code around a range that goes into the prompt as
 * context.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { EditSelectionInput } from '../../core/edit/prompts';
import { documentLabel } from '../documents';

/** Lines of context sent on each side of the range (fewer when they are long, see `MAX_CONTEXT_CHARS`). */
export const CONTEXT_LINES = 60;
/** Characters of context sent on each side at most: a minified file must not fill the 32K window. */
export const MAX_CONTEXT_CHARS = 8000;

/** A range as a command argument: `[startLine, startCharacter, endLine, endCharacter]`, 0-based. */
export type RangeTuple = [number, number, number, number];

/** Lines `startLine`..`endLine`, from the first character of the first to the last of the last (no final line break). */
export function wholeLines(document: vscode.TextDocument, startLine: number, endLine: number): vscode.Range {
  return new vscode.Range(startLine, 0, endLine, document.lineAt(endLine).text.length);
}

/** A `RangeTuple` argument as a range of `document` (clamped to it); undefined when malformed. */
export function rangeFromTuple(document: vscode.TextDocument, tuple: unknown): vscode.Range | undefined {
  if (!Array.isArray(tuple) || tuple.length !== 4 || !tuple.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  const [sl, sc, el, ec] = tuple as RangeTuple;
  return document.validateRange(new vscode.Range(sl, sc, el, ec));
}

/**
 * A selection as the range an edit replaces: when only indentation precedes its start, it starts
 * at the beginning of the line instead, so the code sent is whole lines and the cleaner can keep
 * their indentation (the text replaced is the same). The end is left where it is.
 */
export function editRange(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const line = document.lineAt(range.start.line);
  if (range.start.character > 0 && range.start.character <= line.firstNonWhitespaceCharacterIndex) {
    return new vscode.Range(range.start.line, 0, range.end.line, range.end.character);
  }
  return range;
}

/** The last line a range covers, 0-based: a range ending at column 0 of a later line does not cover that line. */
export function lastLine(range: vscode.Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

/** What the edit prompts say about a range: its code, language, path, 1-based lines and the code around it. */
export function rangePromptInput(document: vscode.TextDocument, range: vscode.Range): Omit<EditSelectionInput, 'instruction'> {
  const { before, after } = surroundingCode(document, range);
  return {
    code: document.getText(range),
    languageId: document.languageId,
    path: documentLabel(document),
    before,
    after,
    startLine: range.start.line + 1,
    endLine: lastLine(range) + 1,
  };
}

/**
 * The code above `range` (from up to `CONTEXT_LINES` lines before it to its start, so a partial
 * first line's beginning is included) and below it (from its end, `CONTEXT_LINES` lines down),
 * each cut to `MAX_CONTEXT_CHARS` on the side away from the range.
 */
export function surroundingCode(document: vscode.TextDocument, range: vscode.Range): { before: string; after: string } {
  const firstLine = Math.max(0, range.start.line - CONTEXT_LINES);
  const lastLine = Math.min(document.lineCount - 1, range.end.line + CONTEXT_LINES);
  let before = document.getText(new vscode.Range(firstLine, 0, range.start.line, range.start.character));
  let after = document.getText(new vscode.Range(range.end, document.lineAt(lastLine).range.end));
  if (before.length > MAX_CONTEXT_CHARS) {
    // keep whole lines: cut after the first line break inside the budget
    const cut = before.length - MAX_CONTEXT_CHARS;
    const lineStart = before.indexOf('\n', cut);
    before = lineStart < 0 ? '' : before.slice(lineStart + 1);
  }
  if (after.length > MAX_CONTEXT_CHARS) {
    const lineEnd = after.lastIndexOf('\n', MAX_CONTEXT_CHARS);
    after = lineEnd < 0 ? '' : after.slice(0, lineEnd);
  }
  return { before, after };
}

/**
 * The document a command works on: the one `uri` names (opened and shown if needed), else the
 * active editor's. Undefined, after telling the user why, when there is none.
 */
export async function targetDocument(uri: string | undefined, noEditorMessage: string): Promise<vscode.TextDocument | undefined> {
  if (uri === undefined) {
    const editor = vscode.window.activeTextEditor;
    if (!editor) void ui.info(noEditorMessage);
    return editor?.document;
  }
  let document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (!document) {
    try {
      document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
    } catch (err) {
      void ui.error(vscode.l10n.t('Cannot open {0}: {1}', uri, err instanceof Error ? err.message : String(err)));
      return undefined;
    }
  }
  // The proposal is shown in the editor: make sure there is one.
  if (!vscode.window.visibleTextEditors.some((e) => e.document === document)) {
    await vscode.window.showTextDocument(document, { preview: false });
  }
  return document;
}

/** The editor showing `document`, the active one first. */
export function editorFor(document: vscode.TextDocument): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active?.document === document) return active;
  return vscode.window.visibleTextEditors.find((e) => e.document === document);
}

/** Shortens `text` to one line of at most `max` characters, for titles. */
export function shorten(text: string, max = 48): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
