/**
 * Where the lines of the rewritten range are in the live document, and whether they are intact.
 *
 * The range's original lines are numbered 0..m-1; gap g is the line boundary just before
 * original line g (gap m: just after the last one). The tracking keeps, through every line effect:
 *  - for each gap, the document line it is before (`line`), whether it still is a line boundary
 *    (`alive`), and whether lines were ever inserted at it (`split`);
 *  - for each original line, whether it survived every change (`lines[i]`). An intact line i is
 *    at document line `gaps[i].line`.
 *
 * Lines inserted exactly at a gap go before it, so the gap stays glued to the line after it. A gap
 * dies when a change replaces lines on both sides of it, e.g. joins the line before it with the
 * line after it. All three flags only ever go one way, so a hunk that stopped being applicable
 * never becomes applicable again.
 *
 * The end of a document without a final line break counts as a line boundary (gap `lineCount`).
 */

import { LineEffect } from './effects';

export interface Gap {
  readonly line: number;
  readonly alive: boolean;
  readonly split: boolean;
}

export interface Tracking {
  readonly gaps: readonly Gap[];
  readonly lines: readonly boolean[];
}

/** The original `lineCount` lines, untouched, starting at document line `startLine`. */
export function startTracking(startLine: number, lineCount: number): Tracking {
  return {
    gaps: Array.from({ length: lineCount + 1 }, (_, g) => ({ line: startLine + g, alive: true, split: false })),
    lines: new Array<boolean>(lineCount).fill(true),
  };
}

/** The tracking after a change with the line effect `effect`. */
export function track(tracking: Tracking, effect: LineEffect): Tracking {
  const { from, to } = effect;
  return {
    gaps: tracking.gaps.map((gap) => moveGap(gap, effect)),
    lines: tracking.lines.map((alive, i) => {
      const line = tracking.gaps[i].line;
      return alive && !(from <= line && line < to);
    }),
  };
}

function moveGap(gap: Gap, { from, to, count }: LineEffect): Gap {
  const { line } = gap;
  if (line < from) return gap;
  if (line > to) return { ...gap, line: line + count - (to - from) };
  if (line === from && line === to) return { ...gap, line: line + count, split: gap.split || count > 0 };
  if (line === from) return gap;
  if (line === to) return { ...gap, line: from + count };
  return { ...gap, line: from, alive: false };
}

/**
 * Whether the original lines [start, start + length) can still be replaced: all intact and still
 * adjacent (nothing was ever inserted between two of them). With `length` 0 — a pure insertion
 * before original line `start` — whether its gap is still a line boundary.
 */
export function isApplicable(tracking: Tracking, start: number, length: number): boolean {
  if (length === 0) return tracking.gaps[start].alive;
  for (let i = start; i < start + length; i++) {
    if (!tracking.lines[i] || (i > start && tracking.gaps[i].split)) return false;
  }
  return true;
}
