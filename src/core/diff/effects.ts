/**
 * What a character-level change does to whole lines.
 *
 * The diff session tracks lines, not characters, so it reads every `TextChange` as "old lines
 * [from, to) are replaced by `count` new lines". A line of the document survives a change — keeps
 * its identity, only maybe moving — when none of its characters is deleted, nothing is inserted
 * inside it, and it still starts and ends at a line break (or the document's start / end). Line
 * breaks themselves are interchangeable: replacing one by another changes no line.
 *
 * A change spans the old lines `startLine..endLine`; the only ones of those that can survive are
 *  - the first, when the change starts at its end and is followed by a line break there (typing
 *    Enter at the end of a line keeps the line and inserts one after it);
 *  - the last, when the change ends at its start and is preceded by a line break there (pasting
 *    whole lines at the start of a line keeps it and inserts lines before it).
 * Each reading of a change is a choice among those survivors. Usually one reading keeps the most,
 * but a line break between empty lines makes real ambiguity: deleting the break between two empty
 * lines keeps one of them, and which one is not in the text. `readings` lists every valid reading;
 * the session picks the one that keeps the most hunks applicable.
 */

import { documentLines, Eol, TextChange } from './text';

/**
 * Old lines [from, to) are replaced by `count` new lines: lines before `from` keep their numbers,
 * lines from `to` on move by `count - (to - from)`. `from === to` is a pure insertion before line
 * `from`.
 */
export interface LineEffect {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * Survivor choices, most survivors first, keeping the first line before keeping the last:
 * [keeps the first line, keeps the last line].
 */
const CHOICES: readonly (readonly [0 | 1, 0 | 1])[] = [[1, 1], [1, 0], [0, 1], [0, 0]];

/**
 * Every valid line reading of a (non-empty) change to the document `lines`, best first: most
 * surviving lines, then the upper line kept. The last is always the reading that keeps none.
 */
export function readings(lines: readonly string[], change: TextChange): LineEffect[] {
  const { startLine, startCharacter, endLine, endCharacter, text } = change;
  const inserted = documentLines(text);
  const breaks = inserted.length - 1;
  const oldCount = endLine - startLine + 1;
  const newCount = inserted.length;
  // The first line survives if the change starts at its end and a line break follows it there:
  // the inserted text starts with one, or nothing is inserted and the change ends at a line end.
  const keepsFirst = startCharacter === lines[startLine].length
    && (text === '' ? endCharacter === lines[endLine].length : breaks > 0 && inserted[0] === '');
  // The last line survives if the change ends at its start and a line break precedes it there.
  const keepsLast = endCharacter === 0
    && (text === '' ? startCharacter === 0 : breaks > 0 && inserted[breaks] === '');
  return CHOICES
    .filter(([first, last]) => (keepsFirst || !first) && (keepsLast || !last)
      && first + last <= Math.min(oldCount, newCount))
    .map(([first, last]) => ({ from: startLine + first, to: endLine + 1 - last, count: newCount - first - last }));
}

/**
 * The change that replaces lines [from, to) of the document `lines` with `newLines`, written with
 * `eol`, and its intended line effect (one of its `readings`).
 *
 * Lines are replaced together with their line breaks. The last line of a document has none, so
 * at the end of the document the change moves to the line break before the lines instead: a
 * document without a final line break does not gain one, and one with it keeps it.
 */
export function replaceLines(
  lines: readonly string[], from: number, to: number, newLines: readonly string[], eol: Eol,
): { change: TextChange; effect: LineEffect } {
  const last = lines.length - 1;
  const endOfDocument = { endLine: last, endCharacter: lines[last].length };
  const effect = { from, to, count: newLines.length };
  if (to <= last) {
    const text = newLines.map((line) => line + eol).join('');
    return { change: { startLine: from, startCharacter: 0, endLine: to, endCharacter: 0, text }, effect };
  }
  if (from > last) {
    const text = newLines.map((line) => eol + line).join('');
    return { change: { startLine: last, startCharacter: lines[last].length, ...endOfDocument, text }, effect };
  }
  if (newLines.length > 0) {
    return { change: { startLine: from, startCharacter: 0, ...endOfDocument, text: newLines.join(eol) }, effect };
  }
  if (from > 0) {
    return { change: { startLine: from - 1, startCharacter: lines[from - 1].length, ...endOfDocument, text: '' }, effect };
  }
  // Deleting every line leaves the one empty line a document cannot go below.
  return { change: { startLine: 0, startCharacter: 0, ...endOfDocument, text: '' }, effect: { from, to, count: 1 } };
}
