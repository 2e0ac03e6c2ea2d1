/**
 * "Hunyuan: Generate from Comment": the comment the cursor is in (or right below, or the one
 * selected) describes code; Hunyuan writes it, and it is proposed as an insertion on the line
 * below the comment, at the indentation of the code there, with the document's line breaks.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { findCommentAt, insertionPointAfter, type CommentBlock } from '../../core/edit/comments';
import { generateFromCommentPrompt } from '../../core/edit/prompts';
import { documentLabel } from '../documents';
import { documentLines } from '../../core/diff/text';
import { eolOf } from '../documents';
import { CONTEXT_LINES, editorFor, MAX_CONTEXT_CHARS, shorten, targetDocument } from './editorTarget';
import { proposeEdit, type ProposalOutcome, type ProposeDeps } from './proposeEdit';

/** Arguments, for tests and other callers: the document and the line (0-based) of the comment or below it. */
export interface GenerateFromCommentArgs {
  uri?: string;
  line?: number;
}

/** Lines `from`..`to` (inclusive, clamped) joined with `\n`, keeping at most `MAX_CONTEXT_CHARS` next to `keepEnd`. */
function slice(lines: readonly string[], from: number, to: number, keepEnd: 'start' | 'end'): string {
  const part = lines.slice(Math.max(0, from), Math.max(0, to + 1));
  let text = part.join('\n');
  if (text.length > MAX_CONTEXT_CHARS) {
    if (keepEnd === 'end') {
      const cut = text.indexOf('\n', text.length - MAX_CONTEXT_CHARS);
      text = cut < 0 ? '' : text.slice(cut + 1);
    } else {
      const cut = text.lastIndexOf('\n', MAX_CONTEXT_CHARS);
      text = cut < 0 ? '' : text.slice(0, cut);
    }
  }
  return text;
}

/** The lines to look for a comment on: the given one, else the cursor's, or for a selection its last and first lines. */
function candidateLines(document: vscode.TextDocument, args: GenerateFromCommentArgs | undefined): number[] {
  if (args?.line !== undefined && Number.isInteger(args.line)) return [Math.min(Math.max(0, args.line), document.lineCount - 1)];
  const selection = editorFor(document)?.selection;
  if (!selection) return [0];
  if (selection.isEmpty) return [selection.active.line];
  // A selection ending at column 0 of a line does not include that line.
  const end = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return [...new Set([end, selection.start.line, selection.active.line])];
}

export async function generateFromComment(deps: ProposeDeps, args?: GenerateFromCommentArgs): Promise<ProposalOutcome | undefined> {
  const document = await targetDocument(args?.uri, vscode.l10n.t('Open a file and put the cursor in a comment that describes the code to write.'));
  if (!document) return undefined;
  const lines = documentLines(document.getText());
  const candidates = candidateLines(document, args);
  let found: CommentBlock | undefined;
  for (const line of candidates) {
    found = findCommentAt(lines, line, document.languageId);
    if (found) break;
  }
  const comment = found;
  if (!comment) {
    void ui.info(
      vscode.l10n.t('Put the cursor in or just below a comment that describes the code to write, then run Generate from Comment again.'),
    );
    return undefined;
  }
  if (comment.unclosed) {
    void ui.info(vscode.l10n.t('The comment is not closed yet. Close it, then run Generate from Comment again.'));
    return undefined;
  }
  if (!comment.text.trim()) {
    void ui.info(vscode.l10n.t('The comment is empty. Write in it what the code should do, then run Generate from Comment again.'));
    return undefined;
  }

  const point = insertionPointAfter(comment, lines);
  const eol = eolOf(document);
  const commentCode = lines.slice(comment.startLine, comment.endLine + 1).join('\n');
  const before = slice(lines, comment.startLine - CONTEXT_LINES, comment.startLine - 1, 'end');
  const after = slice(lines, point.line, point.line + CONTEXT_LINES - 1, 'start');
  const prompt = generateFromCommentPrompt({
    comment: commentCode,
    languageId: document.languageId,
    path: documentLabel(document),
    before,
    after,
    indent: point.indent,
    eol,
  });
  const range = point.atEndOfDocument
    ? new vscode.Range(comment.endLine, lines[comment.endLine].length, comment.endLine, lines[comment.endLine].length)
    : new vscode.Range(point.line, 0, point.line, 0);
  const firstLine = comment.text.split('\n')[0];
  return proposeEdit(
    deps,
    {
      purpose: 'generate',
      title: vscode.l10n.t('Generate from comment: {0}', shorten(firstLine, 40)),
      document,
      range,
      prompt,
      clean: {
        languageId: document.languageId,
        eol,
        originalIndent: point.indent,
        // The code above, up to and including the comment: an answer repeating it loses the repeat.
        contextBefore: before ? `${before}\n${commentCode}` : commentCode,
        contextAfter: after,
      },
      insertion: point.atEndOfDocument ? 'endOfDocument' : 'beforeLine',
    },
    // Retry: the same comment, where lines added above it since have moved it
    (now) => generateFromComment(deps, { uri: document.uri.toString(), line: comment.endLine + now.start.line - range.start.line }),
  );
}
