/** Turns what the user has open in an editor into context chips for the chat. */
import * as vscode from 'vscode';
import type { ContextChip } from '../../common/chat/model';
import { documentLabel } from '../documents';

let counter = 0;
const chipId = () => `ctx-${Date.now().toString(36)}-${(counter++).toString(36)}`;


/** The selection as a chip; an empty selection gives the whole file. */
export function selectionChip(editor: vscode.TextEditor): ContextChip {
  const { document: doc, selection } = editor;
  if (selection.isEmpty) return fileChip(doc);
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const range = new vscode.Range(selection.start.line, 0, endLine, doc.lineAt(endLine).text.length);
  return {
    id: chipId(),
    kind: 'selection',
    uri: doc.uri.toString(),
    label: documentLabel(doc),
    languageId: doc.languageId,
    startLine: range.start.line + 1,
    endLine: range.end.line + 1,
    text: doc.getText(range),
  };
}

export function fileChip(doc: vscode.TextDocument): ContextChip {
  return {
    id: chipId(),
    kind: 'file',
    uri: doc.uri.toString(),
    label: documentLabel(doc),
    languageId: doc.languageId,
    startLine: 1,
    endLine: doc.lineCount,
    text: doc.getText(),
  };
}

/** Same document and lines: adding it again changes nothing. */
export function sameChip(a: ContextChip, b: ContextChip): boolean {
  return a.uri === b.uri && a.kind === b.kind && a.startLine === b.startLine && a.endLine === b.endLine;
}
