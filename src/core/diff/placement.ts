/**
 * Where an inline diff sits and how to move around it: the whole-line window a character range
 * turns into, the proposal text for that window, which hunk the cursor is on, the next one, and the
 * document as it would be with every pending hunk applied. Pure: no `vscode`.
 */
import type { Hunk } from './session';
import type { Eol } from './text';

/** A character range, 0-based (the shape of a `vscode.Range`). */
export interface CharRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/**
 * The lines [startLine, endLine) a proposal for a character range rewrites, and the parts of its
 * first and last lines outside the range, which the proposal keeps.
 */
export interface ProposalWindow {
  readonly startLine: number;
  /** Exclusive; equal to `startLine` for a pure insertion before `startLine`. */
  readonly endLine: number;
  /** The first line's text before the range. */
  readonly prefix: string;
  /** The last line's text after the range. */
  readonly suffix: string;
}

/**
 * The window of `range` in a document of `lines`. An empty range at the start of a line is a pure
 * insertion before that line (so the line itself, even a blank one, is never part of the diff); a
 * range that ends at the start of a line does not include that line.
 */
export function proposalWindow(lines: readonly string[], range: CharRange): ProposalWindow {
  const { startLine, startCharacter, endLine, endCharacter } = range;
  if (startLine === endLine && startCharacter === 0 && endCharacter === 0) {
    return { startLine, endLine: startLine, prefix: '', suffix: '' };
  }
  const endsAtLineStart = endCharacter === 0 && endLine > startLine;
  return {
    startLine,
    endLine: endsAtLineStart ? endLine : endLine + 1,
    prefix: (lines[startLine] ?? '').slice(0, startCharacter),
    suffix: endsAtLineStart ? '' : (lines[endLine] ?? '').slice(endCharacter),
  };
}

/**
 * The proposal for the window's lines when `text` replaces the range. While streaming the suffix is
 * left out: the unfinished last line is not shown anyway, and the suffix belongs after the end.
 */
export function windowProposal(window: ProposalWindow, text: string, streaming: boolean): string {
  return window.prefix + text + (streaming ? '' : window.suffix);
}

/**
 * Whether two windows claim the same lines. An empty window (an insertion point) overlaps a window
 * it falls strictly inside.
 */
export function windowsOverlap(a: { startLine: number; endLine: number }, b: { startLine: number; endLine: number }): boolean {
  if (a.startLine === a.endLine) return b.startLine < a.startLine && a.startLine < b.endLine;
  if (b.startLine === b.endLine) return a.startLine < b.startLine && b.startLine < a.endLine;
  return a.startLine < b.endLine && b.startLine < a.endLine;
}

/** The lines a hunk covers for the cursor: its removed lines, or for a pure insertion the line it goes before. */
function covers(hunk: Hunk, line: number): boolean {
  return hunk.startLine <= line && line < Math.max(hunk.endLine, hunk.startLine + 1);
}

/**
 * The hunk the cursor on `line` means: the one covering it, else the first one below it, else the
 * last one above it. Only `pending` hunks count.
 */
export function hunkAtLine(hunks: readonly Hunk[], line: number): Hunk | undefined {
  const pending = hunks.filter((h) => h.state === 'pending');
  return pending.find((h) => covers(h, line)) ?? pending.find((h) => h.startLine > line) ?? pending[pending.length - 1];
}

/** The next (or previous) pending hunk after (or before) the one on `line`, wrapping around. */
export function adjacentHunk(hunks: readonly Hunk[], line: number, direction: 1 | -1): Hunk | undefined {
  const pending = hunks.filter((h) => h.state === 'pending').sort((a, b) => a.startLine - b.startLine);
  if (!pending.length) return undefined;
  if (direction === 1) return pending.find((h) => h.startLine > line) ?? pending[0];
  return [...pending].reverse().find((h) => h.startLine < line && !covers(h, line)) ?? pending[pending.length - 1];
}

/** The document as it would be with every pending hunk of `hunks` applied (for the side-by-side view). */
export function withPendingApplied(lines: readonly string[], hunks: readonly Hunk[], eol: Eol): string {
  const out = [...lines];
  const pending = hunks.filter((h) => h.state === 'pending').sort((a, b) => b.startLine - a.startLine);
  for (const hunk of pending) out.splice(hunk.startLine, hunk.endLine - hunk.startLine, ...hunk.added);
  return out.join(eol);
}

/**
 * The hunks (in document order, as sessions give them) that touch lines [from, to]: found by binary
 * search, so a redraw of the lines on screen costs the hunks there, not every hunk of a long
 * proposal.
 */
export function hunksInLines<T extends { readonly startLine: number; readonly endLine: number }>(hunks: readonly T[], from: number, to: number): T[] {
  // the first hunk that ends at or after `from` (a pure insertion covers the line it goes before)
  let lo = 0;
  let hi = hunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.max(hunks[mid].endLine, hunks[mid].startLine + 1) <= from) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < hunks.length && hunks[i].startLine <= to; i++) out.push(hunks[i]);
  return out;
}
