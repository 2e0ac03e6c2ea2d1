/**
 * An inline diff of a model's rewrite of a range of a document, decided hunk by hunk while the
 * user keeps editing. Pure logic: the VS Code layer feeds it the document's changes and applies
 * the edits it returns; the document itself only ever holds the user's text and accepted hunks.
 *
 * Rules (see `effects.ts` and `tracking.ts` for the line-level details):
 *
 * - Tracking. The session follows each original line of the range, and each line boundary between
 *   them, through every change. A hunk with removed lines is applicable while all of its lines are
 *   intact and adjacent; it then sits at the current line of its first one. A change conflicts
 *   with it when it deletes or inserts a character inside those lines, or inserts lines between
 *   two of them. A change that only touches its boundary does not: typing at the end of the line
 *   before it, Enter at the end of its last line, pasting lines just before it, deleting the line
 *   just after it, inserting lines between two hunks.
 * - Pure insertions (no removed line) are anchored to a line boundary: "before original line g",
 *   i.e. right after the line break ending the previous line. Lines typed at the anchor go above
 *   the proposal's lines; editing the lines on either side does not conflict. It conflicts only
 *   when the anchor stops being a line boundary: a change that deletes across it or joins the line
 *   before it with the line after it.
 * - Conflicts are final: a `conflict` hunk is never offered again, even if undo restores its text.
 * - Own edits. `accept` returns an edit and remembers it; the hunk stays `pending` until the VS
 *   Code layer reports that very change back through `onDocumentChange`, which makes the hunk
 *   `accepted` (so if applying the edit fails, nothing changes and it can be accepted again). VS
 *   Code reports edits minimally, with what the replacement leaves as it was trimmed off (`'  return
 *   1;'` → `'  return 10;'` comes back as inserting `0`): that counts as the same change. The
 *   edit must be applied right away, as one edit: only the edits of the latest `accept` /
 *   `acceptAll` are expected, and only in the next reported event (VS Code refuses an edit made
 *   for an older version of the document, so it cannot come later). The edit only touches the
 *   hunk's own lines (or, at the end of the document, the line break before them), so even if it
 *   came back in another shape it would not conflict with another hunk.
 * - Streaming. While the proposal is still streaming the hunks are provisional: recomputed on every
 *   `updateProposal`, with the unfinished tail held back, and nothing can be decided. User edits
 *   are tracked all along, so a hunk over lines the user changed meanwhile comes out `conflict`.
 *   Decisions start once the final proposal is in.
 * - Out of sync. A change that does not fit the session's copy of the document means a change was
 *   missed: every undecided hunk becomes `conflict` (fail closed).
 */

import { LineEffect, readings, replaceLines } from './effects';
import { computeLineHunks, DiffHunk } from './hunks';
import {
  applyChange, blockLines, changesNothing, bottomToTop, completeLines, detectEol, documentLines, endsBefore, Eol, isNoop,
  isValidChange, sameEffect, TextChange,
} from './text';
import { isApplicable, startTracking, track, Tracking } from './tracking';

export type HunkState = 'pending' | 'accepted' | 'rejected' | 'conflict';

/** A hunk as it stands in the live document. */
export interface Hunk {
  /** Stable for the session (and, while streaming, for as long as the hunk stays the same). */
  readonly id: number;
  /** First removed line in the document; for a pure insertion, the line the added lines go before. */
  readonly startLine: number;
  /**
   * Line after the removed lines: they are [startLine, endLine) (empty for a pure insertion), and
   * the added lines are shown right after them, i.e. before line `endLine`. Approximate for a
   * `conflict` hunk.
   */
  readonly endLine: number;
  /** The original lines the hunk replaces (while `pending`, exactly the document's lines [startLine, endLine)). */
  readonly removed: readonly string[];
  readonly added: readonly string[];
  readonly state: HunkState;
}

export interface DiffSessionOptions {
  /** The document's full text when the proposal was asked for. */
  readonly text: string;
  /** First line of the range the proposal rewrites (0-based). */
  readonly startLine: number;
  /**
   * Line after the range (exclusive); `startLine` for an empty range, where the proposal is
   * inserted before `startLine`. Up to the line count; a selection that ends at character 0 of a
   * line should end the range before that line.
   */
  readonly endLine: number;
  /** The proposal's text so far; the whole proposal unless `streaming`. */
  readonly proposal: string;
  /** The model is still writing: more comes through `updateProposal`. */
  readonly streaming?: boolean;
  /** The document's line break (`TextDocument.eol`); detected from `text` when omitted. */
  readonly eol?: Eol;
}

interface SessionHunk extends DiffHunk {
  readonly id: number;
}

/** An edit handed out by `accept` / `acceptAll`, until the VS Code layer reports it back. */
interface Expectation {
  readonly change: TextChange;
  readonly effect: LineEffect;
  readonly ids: readonly number[];
}

export class DiffSession {
  private lines: readonly string[];
  private readonly eol: Eol;
  private readonly original: readonly string[];
  private tracking: Tracking;
  private diffHunks: readonly SessionHunk[] = [];
  private readonly decisions = new Map<number, 'accepted' | 'rejected'>();
  private expectations: Expectation[] = [];
  private streaming: boolean;
  private outOfSync = false;
  private nextId = 1;

  constructor(opts: DiffSessionOptions) {
    this.lines = documentLines(opts.text);
    const { startLine, endLine } = opts;
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 0 || startLine > endLine
      || endLine > this.lines.length) {
      throw new RangeError(`Invalid line range [${startLine}, ${endLine}) for a document of ${this.lines.length} lines`);
    }
    this.eol = opts.eol ?? detectEol(opts.text);
    this.original = this.lines.slice(startLine, endLine);
    this.tracking = startTracking(startLine, this.original.length);
    this.streaming = opts.streaming ?? false;
    this.setProposal(opts.proposal);
  }

  /** All hunks, in document order. */
  get hunks(): Hunk[] {
    return this.diffHunks.map((hunk) => this.view(hunk));
  }

  /** The hunks that can still be accepted or rejected. */
  get pending(): Hunk[] {
    return this.hunks.filter((hunk) => hunk.state === 'pending');
  }

  /** The proposal is complete and every hunk is decided or in conflict. */
  get isDone(): boolean {
    return !this.streaming && this.pending.length === 0;
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Where the rewritten range currently is: lines [startLine, endLine) (best effort once edited inside). */
  get range(): { startLine: number; endLine: number } {
    const { gaps } = this.tracking;
    return { startLine: gaps[0].line, endLine: gaps[gaps.length - 1].line };
  }

  /** The session's copy of the document (to check it is in sync with the real one). */
  get text(): string {
    return this.lines.join(this.eol);
  }

  /**
   * The latest proposal text while streaming (each call replaces the previous text); `final` with
   * the complete text ends streaming and allows decisions.
   */
  updateProposal(text: string, opts: { final?: boolean } = {}): void {
    if (!this.streaming) throw new Error('The proposal is already complete');
    this.streaming = !opts.final;
    this.setProposal(text);
  }

  /**
   * Reports a document change event (`TextDocumentChangeEvent.contentChanges`). The ranges refer to
   * the document before the event and must not overlap; they are applied bottom to top, as VS Code
   * does, whatever order they come in. Every change to the document must be reported, the
   * session's own edits included.
   */
  onDocumentChange(changes: readonly TextChange[]): void {
    const ordered = [...changes].sort(bottomToTop);
    const fits = ordered.every((change, i) => isValidChange(this.lines, change)
      && (i === 0 || endsBefore(change, ordered[i - 1])));
    if (fits) {
      for (const change of ordered.filter((c) => !isNoop(c))) {
        this.apply(change, this.ownEffect(change) ?? this.bestReading(readings(this.lines, change)));
      }
    } else {
      this.outOfSync = true;
    }
    // Edits handed out and not in this event were made for an older version of the document:
    // VS Code refuses them now, so they can no longer come back.
    this.expectations = [];
  }

  /**
   * The edit that applies a pending hunk, or undefined if the hunk is not pending (or the proposal
   * still streaming). Apply it right away, before any other edit; the hunk becomes `accepted` when
   * it is reported back.
   */
  accept(id: number): TextChange | undefined {
    const hunk = this.decidable(id);
    return hunk && this.expect([[hunk]])[0];
  }

  /** Rejects a pending hunk (no document change); false if it was not pending. */
  reject(id: number): boolean {
    if (!this.decidable(id)) return false;
    this.decisions.set(id, 'rejected');
    return true;
  }

  /**
   * The edits that apply every pending hunk, bottom to top, as non-touching ranges of the current
   * document (hunks that became adjacent share one edit), to apply right away as one edit (one
   * `WorkspaceEdit` or `TextEditor.edit`). Conflicts are left alone.
   */
  acceptAll(): TextChange[] {
    const pending = this.diffHunks.filter((hunk) => this.decidable(hunk.id));
    return this.expect(this.adjacentGroups(pending).reverse());
  }

  /** Rejects every pending hunk. */
  rejectAll(): void {
    for (const hunk of this.pending) this.reject(hunk.id);
  }

  private setProposal(text: string): void {
    const proposal = this.streaming ? completeLines(text) : blockLines(text);
    const ids = new Map(this.diffHunks.map((hunk) => [hunkKey(hunk), hunk.id]));
    this.diffHunks = computeLineHunks(this.original, proposal, { partial: this.streaming })
      .map((hunk) => ({ ...hunk, id: ids.get(hunkKey(hunk)) ?? this.nextId++ }));
  }

  /** The hunk `id` if it can be decided now: pending, and the proposal complete. */
  private decidable(id: number): SessionHunk | undefined {
    const hunk = this.diffHunks.find((h) => h.id === id);
    return hunk && !this.streaming && this.stateOf(hunk) === 'pending' ? hunk : undefined;
  }

  /** `hunks` (in document order) in runs where each ends on the line the next starts. */
  private adjacentGroups(hunks: readonly SessionHunk[]): SessionHunk[][] {
    const groups: SessionHunk[][] = [];
    let end = -1;
    for (const hunk of hunks) {
      if (this.lineOf(hunk) === end) groups[groups.length - 1].push(hunk);
      else groups.push([hunk]);
      end = this.lineOf(hunk) + hunk.removed.length;
    }
    return groups;
  }

  private view(hunk: SessionHunk): Hunk {
    const startLine = this.lineOf(hunk);
    const { id, removed, added } = hunk;
    return { id, startLine, endLine: startLine + removed.length, removed, added, state: this.stateOf(hunk) };
  }

  private lineOf(hunk: DiffHunk): number {
    return this.tracking.gaps[hunk.start].line;
  }

  private stateOf(hunk: SessionHunk): HunkState {
    return this.decisions.get(hunk.id) ?? (this.isApplicable(hunk, this.tracking) ? 'pending' : 'conflict');
  }

  private isApplicable(hunk: DiffHunk, tracking: Tracking): boolean {
    return !this.outOfSync && isApplicable(tracking, hunk.start, hunk.removed.length);
  }

  /**
   * The edits replacing each group of adjacent hunks, remembered until they are reported back. They
   * replace the edits handed out before: only one batch of edits can be in flight, since VS Code
   * refuses an edit made for an older version of the document (and two hunks may even need the
   * same edit, e.g. deleting either of two adjacent empty lines).
   */
  private expect(groups: readonly (readonly SessionHunk[])[]): TextChange[] {
    this.expectations = [];
    return groups.map((group) => {
      const last = group[group.length - 1];
      const from = this.lineOf(group[0]);
      const to = this.lineOf(last) + last.removed.length;
      const { change, effect } = replaceLines(this.lines, from, to, group.flatMap((hunk) => hunk.added), this.eol);
      const ids = group.map((hunk) => hunk.id);
      if (changesNothing(this.lines, change)) {
        // Nothing to apply, nor to wait for: deleting the only, empty, line of a document, or a
        // group whose removed and added lines are the same text (VS Code reports no change).
        for (const id of ids) this.decisions.set(id, 'accepted');
      } else {
        this.expectations.push({ change, effect, ids });
      }
      return { ...change };
    });
  }

  private apply(change: TextChange, effect: LineEffect): void {
    this.tracking = track(this.tracking, effect);
    this.lines = applyChange(this.lines, change);
  }

  /** If `change` is an edit the session handed out, marks its hunks accepted and returns its effect. */
  private ownEffect(change: TextChange): LineEffect | undefined {
    const index = this.expectations.findIndex((e) => sameEffect(this.lines, e.change, change));
    if (index < 0) return undefined;
    const [own] = this.expectations.splice(index, 1);
    for (const id of own.ids) this.decisions.set(id, 'accepted');
    return own.effect;
  }

  /** The reading that leaves the most undecided hunks applicable (the first of the best). */
  private bestReading(options: readonly LineEffect[]): LineEffect {
    if (options.length === 1) return options[0];
    const scores = options.map((option) => this.countApplicable(track(this.tracking, option)));
    return options[scores.indexOf(Math.max(...scores))];
  }

  private countApplicable(tracking: Tracking): number {
    return this.diffHunks.filter((hunk) => !this.decisions.has(hunk.id) && this.isApplicable(hunk, tracking)).length;
  }
}

function hunkKey(hunk: DiffHunk): string {
  return JSON.stringify([hunk.start, hunk.removed.length, hunk.added]);
}
