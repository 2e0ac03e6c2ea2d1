/**
 * Text helpers for the inline diff: splitting text into lines the way VS Code counts them, line
 * breaks, and a minimal line-array model of a document that `TextChange`s are applied to.
 *
 * Positions are 0-based lines and characters, characters being UTF-16 code units (as in
 * `vscode.Position`). Lines never include their line break.
 */
import type { CharRange } from './placement';

/** A document's line break (`vscode.EndOfLine`). */
export type Eol = '\n' | '\r\n';

/**
 * The replacement of a character range by `text`. It is the shape of a
 * `vscode.TextDocumentContentChangeEvent` (its `range` flattened, plus `text`), and of the edits the
 * diff session asks the VS Code layer to make:
 * `edit.replace(uri, new Range(startLine, startCharacter, endLine, endCharacter), text)`.
 */
export interface TextChange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly text: string;
}

/** Every line break VS Code recognises. */
const LINE_BREAK = /\r\n|\r|\n/;
const FINAL_LINE_BREAK = /(?:\r\n|\r|\n)$/;

/**
 * The lines of a document as VS Code numbers them: n line breaks make n + 1 lines, so there is at
 * least one, and a final line break is followed by an empty last line (`'a\n'` → `['a', '']`).
 */
export function documentLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/**
 * The lines of a block of text such as a proposal: a final line break ends the last line rather
 * than starting an empty one, and the empty text has no lines. So `'a\nb\n'` and `'a\nb'` are both
 * `['a', 'b']`, `''` is `[]` and `'\n'` is `['']`.
 */
export function blockLines(text: string): string[] {
  return text === '' ? [] : documentLines(text.replace(FINAL_LINE_BREAK, ''));
}

/**
 * The complete lines of a text that is still being written: what follows the last line break may
 * be cut mid-line, so it is left out (`'a\nb'` → `['a']`, `'a\n'` → `['a']`, `'a'` → `[]`).
 */
export function completeLines(text: string): string[] {
  return documentLines(text).slice(0, -1);
}

/** The line break `text` uses (its first one), `'\n'` when it has none. */
export function detectEol(text: string): Eol {
  return LINE_BREAK.exec(text)?.[0] === '\r\n' ? '\r\n' : '\n';
}

/** Whether `change` is a valid range of the document `lines` (integers, in bounds, start ≤ end). */
export function isValidChange(lines: readonly string[], change: TextChange): boolean {
  const { startLine, startCharacter, endLine, endCharacter } = change;
  const inLine = (line: number, character: number): boolean =>
    Number.isInteger(line) && Number.isInteger(character) && line >= 0 && line < lines.length
    && character >= 0 && character <= lines[line].length;
  return inLine(startLine, startCharacter) && inLine(endLine, endCharacter)
    && comparePositions(startLine, startCharacter, endLine, endCharacter) <= 0;
}

/** Whether `change` replaces nothing with nothing. */
export function isNoop(change: TextChange): boolean {
  return change.text === '' && change.startLine === change.endLine && change.startCharacter === change.endCharacter;
}

/**
 * True if `change` leaves `lines` as they are (empty, or replacing text by the same text, as when a
 * removed line and the same line added next to it are accepted together). VS Code reports such an
 * edit as nothing, or not at all.
 */
export function changesNothing(lines: readonly string[], change: TextChange): boolean {
  if (isNoop(change)) return true;
  const after = applyChange(lines, change);
  return after.length === lines.length && after.every((line, i) => line === lines[i]);
}

/**
 * Applies `change` to `lines` in place (`change` must be valid): for the many changes of one event
 * (a Format Document, a Replace All), where a new array per change would cost the whole document
 * each time.
 */
export function spliceChange(lines: string[], change: TextChange): void {
  const inserted = documentLines(change.text);
  inserted[0] = lines[change.startLine].slice(0, change.startCharacter) + inserted[0];
  inserted[inserted.length - 1] += lines[change.endLine].slice(change.endCharacter);
  if (inserted.length === 1 && change.startLine === change.endLine) {
    lines[change.startLine] = inserted[0];
  } else if (inserted.length <= MAX_SPLICE_ARGUMENTS) {
    lines.splice(change.startLine, change.endLine - change.startLine + 1, ...inserted);
  } else {
    // (a paste of many lines: more than a call takes as arguments)
    const rest = lines.slice(change.endLine + 1);
    lines.length = change.startLine;
    for (const line of inserted) lines.push(line);
    for (const line of rest) lines.push(line);
  }
}

/** Lines `spliceChange` inserts with one `splice` call (each is an argument). */
const MAX_SPLICE_ARGUMENTS = 10_000;

/** `lines` after `change` (a new array; `change` must be valid). */
export function applyChange(lines: readonly string[], change: TextChange): string[] {
  const after = lines.slice();
  spliceChange(after, change);
  return after;
}

/**
 * Orders the non-overlapping changes of one event bottom to top (by range end, then start, both
 * descending), as VS Code applies them: each can then be applied in turn, its range being
 * unaffected by the changes applied before it.
 */
export function bottomToTop(a: TextChange, b: TextChange): number {
  return comparePositions(b.endLine, b.endCharacter, a.endLine, a.endCharacter)
    || comparePositions(b.startLine, b.startCharacter, a.startLine, a.startCharacter);
}

/** Whether `upper` ends at or before the start of `lower` (so the two do not overlap). */
export function endsBefore(upper: TextChange, lower: TextChange): boolean {
  return comparePositions(upper.endLine, upper.endCharacter, lower.startLine, lower.startCharacter) <= 0;
}

function comparePositions(lineA: number, characterA: number, lineB: number, characterB: number): number {
  return lineA - lineB || characterA - characterB;
}

/**
 * Where `span` is once `changes` (one event's, in the document's coordinates before it) are made;
 * undefined if one of them touches it. A change that ends where the span starts (typing just
 * before it) moves it; one that starts where it ends (typing just after it) leaves it as it is.
 */
export function spanAfterChanges(span: CharRange, changes: readonly TextChange[]): CharRange | undefined {
  let s: CharRange = span;
  // bottom to top: each change's coordinates are still those of the document before the event
  for (const c of [...changes].sort(bottomToTop)) {
    if (isNoop(c) || comparePositions(c.startLine, c.startCharacter, s.endLine, s.endCharacter) >= 0) continue; // nothing, or after it
    if (comparePositions(c.endLine, c.endCharacter, s.startLine, s.startCharacter) > 0) return undefined; // in it
    const inserted = documentLines(c.text);
    const endLine = c.startLine + inserted.length - 1;
    const endCharacter = (inserted.length === 1 ? c.startCharacter : 0) + inserted[inserted.length - 1].length;
    const move = (line: number, character: number): [number, number] =>
      line === c.endLine ? [endLine, endCharacter + character - c.endCharacter] : [line + endLine - c.endLine, character];
    const [startLine, startCharacter] = move(s.startLine, s.startCharacter);
    const [lastLine, lastCharacter] = move(s.endLine, s.endCharacter);
    s = { startLine, startCharacter, endLine: lastLine, endCharacter: lastCharacter };
  }
  return s;
}
