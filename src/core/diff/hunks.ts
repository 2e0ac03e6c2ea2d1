/**
 * Line hunks between an original text and a proposed rewrite of it.
 *
 * Texts are compared line by line, line breaks aside: CRLF and LF are the same, and a missing
 * final line break on either side is no difference (see `blockLines`). Any other difference,
 * whitespace included, is a change.
 *
 * The diff is anchored (patience-style, see `lineDiff.ts`): lines unique on both sides are kept in
 * place first, and only small gaps between them are aligned by Myers (the `diff` package), so it
 * costs about linear time on long ranges. It is a valid diff, not always a minimal one. While a
 * proposal streams in, `StreamingHunks` freezes its hunks as anchors arrive instead of diffing
 * everything again for each line.
 */

import { diffLineRanges } from './lineDiff';
import { blockLines, completeLines } from './text';

export { StreamingHunks } from './lineDiff';
export type { StreamingFinish } from './lineDiff';

/**
 * A maximal run of changed lines: the original lines [start, start + removed.length) are replaced
 * by `added`. With no removed line it is a pure insertion before original line `start`
 * (`start` = the number of original lines: after the last one). Hunks come in order, separated by
 * at least one unchanged line.
 */
export interface DiffHunk {
  readonly start: number;
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

export interface HunkOptions {
  /**
   * The proposal is still being written: its unfinished last line is ignored, and so is a last
   * hunk that reaches its end (no unchanged line follows it yet), as the rest of the proposal may
   * still change it — until more arrives, the original lines it would remove may be just the ones
   * the proposal has not reached.
   */
  readonly partial?: boolean;
}

/** The hunks turning `original` into `proposal`. */
export function computeHunks(original: string, proposal: string, opts: HunkOptions = {}): DiffHunk[] {
  return computeLineHunks(blockLines(original), opts.partial ? completeLines(proposal) : blockLines(proposal), opts);
}

/** The hunks turning the lines `original` into the lines `proposal` (the anchored diff). */
export function computeLineHunks(
  original: readonly string[], proposal: readonly string[], opts: HunkOptions = {},
): DiffHunk[] {
  return diffLineRanges(original, 0, original.length, proposal, 0, proposal.length, { partial: opts.partial });
}
