/**
 * Line hunks between an original text and a proposed rewrite of it.
 *
 * Texts are compared line by line with the `diff` package, line breaks aside: CRLF and LF are the
 * same, and a missing final line break on either side is no difference (see `blockLines`). Any
 * other difference, whitespace included, is a change.
 */

import { diffArrays } from 'diff';
import { blockLines, completeLines } from './text';

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

/** The hunks turning the lines `original` into the lines `proposal`. */
export function computeLineHunks(
  original: readonly string[], proposal: readonly string[], opts: HunkOptions = {},
): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let start = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    if (removed.length + added.length > 0) hunks.push({ start, removed, added });
  };
  for (const part of diffArrays([...original], [...proposal])) {
    if (part.added) {
      added = added.concat(part.value);
    } else if (part.removed) {
      removed = removed.concat(part.value);
    } else {
      flush();
      start += removed.length + part.value.length;
      removed = [];
      added = [];
    }
  }
  if (!opts.partial) flush();
  return hunks;
}
