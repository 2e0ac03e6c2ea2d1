/**
 * An inline diff of a model's rewrite of a range of a document, decided hunk by hunk while the
 * user keeps editing. Pure logic: the VS Code layer feeds it the document's changes and applies
 * the edits it returns; the document itself only ever holds the user's text and accepted hunks.
 *
 * Rules:
 *
 * - Where a hunk is. Each hunk has a region of the live document: the lines that hold its removed
 *   lines while it is pending (empty for a pure insertion: a line boundary), or its added lines
 *   once accepted. Regions move with every change: lines inserted right at a region's top go above
 *   it, lines inserted right at its bottom go below it, and a change that overlaps it stretches or
 *   shrinks it (see `mapStart` / `mapEnd`). While the proposal streams, hunks are not known yet,
 *   so the session follows every line boundary of the range the same way (each boundary twice: as
 *   a region's top and as a region's bottom) and a hunk's region is read off the boundaries.
 * - What state a hunk is in is read from the text, never remembered: a hunk is `pending` when its
 *   region holds exactly its removed lines, `conflict` when it holds anything else (the user
 *   changed those lines), `accepted` when the session applied it and the region no longer holds
 *   the removed lines, `rejected` when the user said so (a reject writes nothing, so it is final).
 *   So a user's edit next to a hunk never conflicts with it, an edit inside it does, and undoing
 *   that edit makes it pending again; undoing an accept makes the hunk pending (acceptable again)
 *   and redoing it makes it accepted again.
 * - Own edits, undo and redo. VS Code does not report an edit as it was made: it reports a minimal
 *   set of changes with the same result (a 6-line replacement by 3 lines can come back as seven
 *   small changes). So the session recognises its own edits by their result: `accept` /
 *   `acceptAll` hand out edits and remember the document they lead to; the next change event that
 *   leads to that very document is those edits, and their exact line effect is applied (the
 *   hunks' regions become their added lines). An event that leads to the document with the latest
 *   accepts reverted (undo), or re-applied (redo), is recognised the same way. Only the edits of
 *   the latest `accept` / `acceptAll` are expected, and only in the next event: VS Code refuses an
 *   edit made for an older version of the document, so it cannot come later.
 * - Other changes are read line by line (`effects.ts`): where a change could mean several things
 *   (a line break between two empty lines), the reading that leaves the most hunks pending wins.
 * - Streaming. While the proposal is still streaming the hunks are provisional, and nothing can be
 *   decided; the hunks before the proposal's last anchor are final already (`StreamingHunks`), so
 *   each streamed line costs about the same at the end of a long answer as at its start. A hunk
 *   over lines the user changed meanwhile comes out `conflict`. When the answer was cut short,
 *   `finish` with `cutShort` keeps the lines the answer never reached.
 * - Out of sync. A change that does not fit the session's copy of the document means a change was
 *   missed: every hunk not yet accepted becomes `conflict` (fail closed), for good.
 */

import { LineEffect, readings, replaceLines } from './effects';
import { DiffHunk, StreamingHunks } from './hunks';
import {
  applyChange, blockLines, bottomToTop, changesNothing, completeLines, detectEol, documentLines, endsBefore, Eol, isNoop, spliceChange,
  isValidChange, TextChange,
} from './text';

export type HunkState = 'pending' | 'accepted' | 'rejected' | 'conflict';

/** `acceptAll` with more groups of hunks than this hands out one edit over all of them. */
const ONE_EDIT_ABOVE = 16;

/** A hunk as it stands in the live document. */
export interface Hunk {
  /** Stable for the session (and, while streaming, for as long as the hunk stays the same). */
  readonly id: number;
  /** First line of the hunk's region: its removed lines while pending; for a pure insertion, the line the added lines go before. */
  readonly startLine: number;
  /**
   * Line after the hunk's region: while pending, the removed lines are [startLine, endLine) (empty
   * for a pure insertion), and the added lines are shown right after them, before line `endLine`.
   * Once accepted, the region holds the added lines. Approximate for a `conflict` hunk.
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
  /** The model is still writing: more comes through `appendLines` (or `updateProposal`) and ends with `finish`. */
  readonly streaming?: boolean;
  /** The document's line break (`TextDocument.eol`); detected from `text` when omitted. */
  readonly eol?: Eol;
}

export interface FinishOptions {
  /**
   * The answer stopped before its end (no finish reason, `max_tokens`, a stop sequence, an
   * unclosed code fence): the original lines after the last one the proposal reached are kept,
   * not proposed for deletion.
   */
  readonly cutShort?: boolean;
  /**
   * With `cutShort`: the text after the range on its last line (`ProposalWindow.suffix`), left out
   * of the proposal since the answer may have stopped before that line. If the proposal reaches
   * the range's last line after all, its last line gets the suffix back.
   */
  readonly suffix?: string;
}

export interface FinishResult {
  /** How many hunks the final proposal has. */
  readonly hunks: number;
  /** How many of the range's original lines the proposal covers (all of them unless cut short). */
  readonly reached: number;
  /** The document line (0-based) just after the last original line reached, where it is now. */
  readonly reachedLine: number;
  /** Whether the proposal reached the range's last line (always, unless cut short). */
  readonly reachedAll: boolean;
}

interface SessionHunk extends DiffHunk {
  readonly id: number;
}

/** `hunk` with an id (a literal, not a spread: this runs for every hunk while streaming). */
function withId(hunk: DiffHunk, id: number): SessionHunk {
  return { start: hunk.start, removed: hunk.removed, added: hunk.added, id };
}

/**
 * Lines [s, e) of the live document; s === e is a line boundary (before line s). `broken`: a
 * boundary that a change replaced lines on both sides of (joined the line before it with the line
 * after it): a pure insertion there has lost its place, for good.
 */
interface Region {
  s: number;
  e: number;
  broken?: boolean;
}

/** Hunks accepted together, as one edit: runs of adjacent hunks (ids in document order). */
interface Batch {
  readonly groups: readonly (readonly number[])[];
}

/** What `accept` / `acceptAll` handed out, until the next change event. */
interface Expectation {
  readonly batch: Batch;
  /** The document once the edits are applied. */
  readonly result: readonly string[];
}

// ---- how line boundaries move ---------------------------------------------------------------

/**
 * A region's top through a change: lines inserted right at it go above it (it moves down), and
 * when the line it starts at is replaced it stays at the replacement's start.
 */
export function mapStart(p: number, { from, to, count }: LineEffect): number {
  if (p < from) return p;
  if (p === from) return from === to ? p + count : p;
  if (p >= to) return p + count - (to - from);
  return from; // inside the replaced lines: the boundary is gone
}

/** A region's bottom through a change: lines inserted right at it go below it (it stays). */
export function mapEnd(p: number, { from, to, count }: LineEffect): number {
  if (p <= from) return p;
  if (p >= to) return p + count - (to - from);
  return from; // inside the replaced lines: the boundary is gone
}

/** Whether a change replaces the lines on both sides of boundary `p`. */
function crosses(p: number, { from, to }: LineEffect): boolean {
  return from < p && p < to;
}

function mapRegion(r: Region, effect: LineEffect): void {
  if (r.s === r.e) {
    if (crosses(r.s, effect)) r.broken = true;
    r.s = r.e = mapStart(r.s, effect);
  } else {
    r.s = mapStart(r.s, effect);
    r.e = mapEnd(r.e, effect);
  }
}

function sameLines(a: readonly string[], from: number, to: number, b: readonly string[]): boolean {
  if (to - from !== b.length || from < 0 || to > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[from + i] !== b[i]) return false;
  return true;
}

function sameArrays(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && sameLines(a, 0, a.length, b);
}

function hunkKey(hunk: DiffHunk): string {
  return `${hunk.start}:${hunk.removed.length}:${hunk.added.length}:${hunk.added.join('\n')}`;
}

export class DiffSession {
  private lines: string[];
  private readonly eol: Eol;
  private readonly original: readonly string[];
  private streaming: boolean;
  private outOfSync = false;
  private nextId = 1;

  // While streaming: every boundary g of the range (before original line g) as a region top and bottom.
  private tops: Int32Array;
  private bottoms: Int32Array;
  /** Boundaries a change crossed (see `Region.broken`). */
  private crossed: Uint8Array;
  private differ: StreamingHunks;
  private frozen: SessionHunk[] = [];
  private provisional: SessionHunk[] = [];
  /** The differ's provisional hunks `provisional` was made from. */
  private provisionalSource: readonly DiffHunk[] = [];

  // Once final.
  private final: SessionHunk[] = [];
  private readonly regions = new Map<number, Region>();
  private readonly applied = new Set<number>();
  private readonly rejected = new Set<number>();
  /** Accepted batches, oldest first (for undo and redo). */
  private batches: Batch[] = [];
  private expectation: Expectation | undefined;
  /** Batches whose accept deleted the whole document (leaving the one empty line a document keeps). */
  private readonly emptied = new WeakSet<Batch>();
  private rangeRegion: Region;

  private readonly byId = new Map<number, SessionHunk>();
  /** Lines were pushed since the streaming hunks were last worked out. */
  private tailStale = false;
  /** The hunks' views, rebuilt only where something changed (see `hunks`). */
  private views: Hunk[] = [];
  /** Final: whether `views` is up to date. Streaming: how many frozen hunks' views at its start are. */
  private viewsValid = false;
  private frozenViews = 0;
  private changes = 0;

  constructor(opts: DiffSessionOptions) {
    this.lines = documentLines(opts.text);
    const { startLine, endLine } = opts;
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 0 || startLine > endLine
      || endLine > this.lines.length) {
      throw new RangeError(`Invalid line range [${startLine}, ${endLine}) for a document of ${this.lines.length} lines`);
    }
    this.eol = opts.eol ?? detectEol(opts.text);
    this.original = this.lines.slice(startLine, endLine);
    const m = this.original.length;
    this.tops = Int32Array.from({ length: m + 1 }, (_, g) => startLine + g);
    this.bottoms = Int32Array.from(this.tops);
    this.crossed = new Uint8Array(m + 1);
    this.rangeRegion = { s: startLine, e: endLine };
    this.differ = new StreamingHunks(this.original);
    this.streaming = true;
    if (opts.streaming) {
      this.appendLines(completeLines(opts.proposal));
    } else {
      this.finish(opts.proposal);
    }
  }

  /**
   * All hunks, in document order. The array is the session's own, updated in place: read it, do
   * not keep it. While streaming only what changed is recomputed: a new line costs the views of the
   * hunks it froze and of the provisional ones, not of every hunk before.
   */
  get hunks(): readonly Hunk[] {
    if (this.streaming) {
      this.syncTail();
      if (this.frozenViews < this.frozen.length || !this.viewsValid) {
        this.views.length = this.frozenViews;
        for (let i = this.frozenViews; i < this.frozen.length; i++) this.views.push(this.streamingView(this.frozen[i]));
        this.frozenViews = this.frozen.length;
        for (const hunk of this.provisional) this.views.push(this.streamingView(hunk));
        this.viewsValid = true;
      }
    } else if (!this.viewsValid) {
      this.views = this.final.map((h) => this.finalView(h));
      // Edits of the user's can move hunks past one another (lines deleted around two of them, then
      // typed back between): in document order again (stable: a tie keeps the proposal's order).
      if (this.views.some((v, i) => i > 0 && v.startLine < this.views[i - 1].startLine)) this.views.sort((a, b) => a.startLine - b.startLine);
      this.viewsValid = true;
    }
    return this.views;
  }

  /** Goes up by one with every change to the hunks or their states (to cache what is read from them). */
  get version(): number {
    return this.changes;
  }

  /** The hunks that can still be accepted or rejected. */
  get pending(): Hunk[] {
    return this.hunks.filter((hunk) => hunk.state === 'pending');
  }

  /** The proposal is complete and no hunk is pending. */
  get isDone(): boolean {
    return !this.streaming && this.pending.length === 0;
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Whether some hunk was applied by the session (its accept could still be undone). */
  get hasApplied(): boolean {
    return this.applied.size > 0;
  }

  /** Where the rewritten range currently is: lines [startLine, endLine) (best effort once edited inside). */
  get range(): { startLine: number; endLine: number } {
    if (this.streaming) return { startLine: this.tops[0], endLine: Math.max(this.tops[0], this.bottoms[this.original.length]) };
    return { startLine: this.rangeRegion.s, endLine: Math.max(this.rangeRegion.s, this.rangeRegion.e) };
  }

  /** The session's copy of the document (to check it is in sync with the real one). */
  get text(): string {
    return this.lines.join(this.eol);
  }

  /** Adds complete proposal lines while streaming. Costs about the same per line whatever came before. */
  appendLines(lines: readonly string[]): void {
    if (!this.streaming) throw new Error('The proposal is already complete');
    if (!lines.length) return;
    this.differ.push(lines);
    // The hunks are worked out when they are read (a redraw, at most every 100 ms), not per line.
    this.tailStale = true;
    this.changes++;
  }

  /** Brings the streaming hunks up to date with the lines pushed: new frozen hunks, the provisional ones. */
  private syncTail(): void {
    if (!this.tailStale) return;
    this.tailStale = false;
    const frozen = this.differ.frozen;
    const grew = frozen.length > this.frozen.length;
    for (let i = this.frozen.length; i < frozen.length; i++) this.frozen.push(withId(frozen[i], this.nextId++));
    if (this.setProvisional(this.differ.provisional()) || grew) this.viewsValid = false;
  }

  /**
   * The latest proposal text while streaming (each call replaces the previous text); `final` with
   * the complete text ends streaming, as `finish` does. When the text extends what was pushed, only
   * the new lines are diffed.
   */
  updateProposal(text: string, opts: { final?: boolean } & FinishOptions = {}): void {
    if (!this.streaming) throw new Error('The proposal is already complete');
    if (opts.final) {
      this.finish(text, opts);
      return;
    }
    const lines = completeLines(text);
    if (this.extends(lines)) {
      this.appendLines(lines.slice(this.differ.lines.length));
    } else {
      this.restart(lines);
    }
  }

  /**
   * The complete proposal: ends streaming and allows decisions. The hunks frozen while streaming are
   * kept when `text` starts with the lines streamed; otherwise everything is diffed again, once.
   */
  finish(text: string, opts: FinishOptions = {}): FinishResult {
    if (!this.streaming) throw new Error('The proposal is already complete');
    const lines = blockLines(text);
    // (No need to work out the streaming hunks first: the ones shown keep their ids, see below.)
    if (this.extends(lines)) {
      this.differ.push(lines.slice(this.differ.lines.length));
    } else {
      this.differ = new StreamingHunks(this.original);
      this.frozen = [];
      this.differ.push(lines);
    }
    let { hunks, reached } = this.differ.finish({ cutShort: opts.cutShort });
    if (opts.cutShort && opts.suffix && lines.length && reached === this.original.length) {
      // It reached the range's last line: the text after the range on that line stays, and nothing
      // is left unreached (the hunks shown keep their ids by their text, below).
      this.differ = new StreamingHunks(this.original);
      this.differ.push([...lines.slice(0, -1), lines[lines.length - 1] + opts.suffix]);
      ({ hunks, reached } = this.differ.finish());
    }
    // The hunks frozen while streaming come first, the same objects: they keep their ids.
    const differFrozen = this.differ.frozen;
    const frozenId = (h: DiffHunk, i: number): number | undefined => (i < this.frozen.length && differFrozen[i] === h ? this.frozen[i].id : undefined);
    // Hunks not frozen while streaming keep the id of an equal one shown before (keys made only if needed).
    let byKey: Map<string, number> | undefined;
    const shownId = (h: DiffHunk): number | undefined => {
      byKey ??= new Map([...this.frozen, ...this.provisional].map((x) => [hunkKey(x), x.id]));
      return byKey.get(hunkKey(h));
    };
    this.final = hunks.map((h, i) => withId(h, frozenId(h, i) ?? shownId(h) ?? this.nextId++));
    for (const hunk of this.final) this.byId.set(hunk.id, hunk);
    for (const hunk of this.final) this.regions.set(hunk.id, this.streamingRegion(hunk));
    const reachedLine = this.bottoms[reached];
    this.rangeRegion = { s: this.tops[0], e: this.bottoms[this.original.length] };
    this.streaming = false;
    this.frozen = [];
    this.provisional = [];
    this.provisionalSource = [];
    this.invalidate();
    return { hunks: this.final.length, reached, reachedLine, reachedAll: reached === this.original.length };
  }

  /**
   * Reports a document change event (`TextDocumentChangeEvent.contentChanges`). The ranges refer to
   * the document before the event and must not overlap; they are applied bottom to top, as VS Code
   * does, whatever order they come in. Every change to the document must be reported, the
   * session's own edits included.
   */
  onDocumentChange(changes: readonly TextChange[]): void {
    const expectation = this.expectation;
    this.expectation = undefined;
    const ordered = [...changes].sort(bottomToTop).filter((c) => !isNoop(c));
    const fits = ordered.every((change, i) => isValidChange(this.lines, change) && (i === 0 || endsBefore(change, ordered[i - 1])));
    if (!fits) {
      this.outOfSync = true;
      this.invalidate();
      return;
    }
    if (!ordered.length) return;
    this.invalidate();
    if (!this.streaming && this.recognise(ordered, expectation)) return;
    // one copy for the whole event, changed in place (an array per change costs the whole document each time)
    const lines = this.lines.slice();
    this.lines = lines;
    for (const change of ordered) {
      this.applyEffect(this.bestReading(change), new Set());
      spliceChange(lines, change);
    }
    this.forgetUndone();
  }

  /**
   * An accepted hunk whose lines hold its removed text again (an undo not recognised as such, or
   * the user typing it back) is pending again, for good: edits there from now on conflict with it.
   */
  private forgetUndone(): void {
    for (const id of this.applied) {
      const hunk = this.byId.get(id);
      const r = this.regions.get(id);
      if (hunk && r && !r.broken && r.s <= r.e && sameLines(this.lines, r.s, r.e, hunk.removed)) this.applied.delete(id);
    }
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
    this.rejected.add(id);
    this.invalidate();
    return true;
  }

  /**
   * The edits that apply every pending hunk, to apply right away as one edit (one `WorkspaceEdit`
   * or `TextEditor.edit`): bottom to top, one per group of adjacent hunks, as non-touching ranges
   * of the current document; past ONE_EDIT_ABOVE groups, one change over the lines from the first
   * to the last, the lines between them (conflicts included) as they are. Conflicts are left alone.
   */
  acceptAll(): TextChange[] {
    const pending = this.final.filter((hunk) => this.decidable(hunk.id));
    return this.expect(this.adjacentGroups(pending).reverse());
  }

  /** Rejects every pending hunk. */
  rejectAll(): void {
    for (const hunk of this.pending) this.reject(hunk.id);
  }

  /** `all`: the document changed, so every view may have (not only the streaming tail). */
  private invalidate(all = true): void {
    this.changes++;
    this.viewsValid = false;
    if (all) this.frozenViews = 0;
  }

  // ---- streaming -----------------------------------------------------------------------------

  private extends(lines: readonly string[]): boolean {
    const pushed = this.differ.lines;
    return lines.length >= pushed.length && sameLines(lines, 0, pushed.length, pushed);
  }

  /** The streamed text changed before its end (not the usual case): diff it again from the start. */
  private restart(lines: readonly string[]): void {
    const previous = new Map([...this.frozen, ...this.provisional].map((h) => [hunkKey(h), h.id]));
    this.differ = new StreamingHunks(this.original);
    this.frozen = [];
    this.provisional = [];
    this.provisionalSource = [];
    this.appendLines(lines);
    this.syncTail();
    const rekey = (h: SessionHunk): SessionHunk => ({ ...h, id: previous.get(hunkKey(h)) ?? h.id });
    this.frozen = this.frozen.map(rekey);
    this.provisional = this.provisional.map(rekey);
    this.invalidate();
  }

  /**
   * The provisional hunks, with the ids of the same hunks before (the differ hands out the same
   * objects while its provisional diff stands). False when nothing changed.
   */
  private setProvisional(hunks: readonly DiffHunk[]): boolean {
    const before = this.provisionalSource;
    if (hunks.length === before.length && hunks.every((h, i) => h === before[i])) return false;
    const byObject = new Map(before.map((h, i) => [h, this.provisional[i].id]));
    let byKey: Map<string, number> | undefined;
    this.provisional = hunks.map((h) => {
      let id = byObject.get(h);
      if (id === undefined) {
        byKey ??= new Map(this.provisional.map((p) => [hunkKey(p), p.id]));
        id = byKey.get(hunkKey(h)) ?? this.nextId++;
      }
      return withId(h, id);
    });
    this.provisionalSource = hunks;
    return true;
  }

  /** A hunk's region read off the streaming boundaries (`tops` / `bottoms`: these, or a trial mapping of them). */
  private streamingRegion(hunk: DiffHunk, tops = this.tops, bottoms = this.bottoms): Region {
    const s = tops[hunk.start];
    if (!hunk.removed.length) return { s, e: s, broken: this.crossed[hunk.start] === 1 };
    return { s, e: Math.max(s, bottoms[hunk.start + hunk.removed.length]) };
  }

  private streamingView(hunk: SessionHunk): Hunk {
    const r = this.streamingRegion(hunk);
    const state: HunkState = !this.outOfSync && !r.broken && sameLines(this.lines, r.s, r.e, hunk.removed) ? 'pending' : 'conflict';
    return { id: hunk.id, startLine: r.s, endLine: Math.max(r.s, r.e), removed: hunk.removed, added: hunk.added, state };
  }

  // ---- states --------------------------------------------------------------------------------

  private finalView(hunk: SessionHunk): Hunk {
    const r = this.regions.get(hunk.id) as Region;
    return { id: hunk.id, startLine: r.s, endLine: Math.max(r.s, r.e), removed: hunk.removed, added: hunk.added, state: this.stateOf(hunk, r, this.lines) };
  }

  private stateOf(hunk: SessionHunk, r: Region, lines: readonly string[]): HunkState {
    if (this.rejected.has(hunk.id)) return 'rejected';
    const holdsRemoved = r.s <= r.e && !r.broken && sameLines(lines, r.s, r.e, hunk.removed);
    if (this.applied.has(hunk.id)) return holdsRemoved && !this.outOfSync ? 'pending' : 'accepted';
    return holdsRemoved && !this.outOfSync ? 'pending' : 'conflict';
  }

  /** The hunk `id` if it can be decided now: pending, and the proposal complete. */
  private decidable(id: number): SessionHunk | undefined {
    if (this.streaming) return undefined;
    const hunk = this.byId.get(id);
    return hunk && this.stateOf(hunk, this.regions.get(id) as Region, this.lines) === 'pending' ? hunk : undefined;
  }

  /** `hunks` (in document order) in runs where each ends on the line the next starts. */
  private adjacentGroups(hunks: readonly SessionHunk[]): SessionHunk[][] {
    const groups: SessionHunk[][] = [];
    let end = -1;
    for (const hunk of hunks) {
      const r = this.regions.get(hunk.id) as Region;
      if (r.s === end) groups[groups.length - 1].push(hunk);
      else groups.push([hunk]);
      end = r.e;
    }
    return groups;
  }

  // ---- own edits, undo, redo -----------------------------------------------------------------

  /**
   * The edits replacing each group of adjacent hunks. They replace the edits handed out before:
   * only one batch of edits can be in flight, since VS Code refuses an edit made for an older
   * version of the document. Groups whose edit changes nothing (a removed line and the same line
   * added next to it) are accepted at once: VS Code reports no change for them.
   */
  private expect(groups: readonly (readonly SessionHunk[])[]): TextChange[] {
    this.expectation = undefined;
    const changes: TextChange[] = [];
    const pending: SessionHunk[][] = [];
    for (const group of groups) {
      const r0 = this.regions.get(group[0].id) as Region;
      const r1 = this.regions.get(group[group.length - 1].id) as Region;
      const { change } = replaceLines(this.lines, r0.s, r1.e, group.flatMap((hunk) => hunk.added), this.eol);
      if (changesNothing(this.lines, change)) {
        this.applyGroup(group, 'apply', this.lines);
        this.invalidate();
      } else {
        pending.push([...group]);
      }
      changes.push({ ...change });
    }
    if (!pending.length) return changes;
    const batch: Batch = { groups: pending.map((g) => g.map((h) => h.id)) };
    const result = this.batchResult(batch, 'apply') as string[];
    this.expectation = { batch, result };
    if (pending.length <= ONE_EDIT_ABOVE) return changes;
    // Many groups: one edit over the lines from the first to the last, the lines between them as
    // they are. VS Code applies a WorkspaceEdit of hundreds of edits one by one (154 edits to a
    // 5000-line document took 1.9 s, the workbench busy meanwhile; one edit 0.9 s), and reports one
    // edit as its minimal changes. (Fewer groups keep one edit each: VS Code then touches nothing
    // but their lines, where its minimal changes of one big edit may realign equal lines.)
    let from = Infinity;
    let to = -Infinity;
    for (const group of pending) {
      from = Math.min(from, (this.regions.get(group[0].id) as Region).s);
      to = Math.max(to, (this.regions.get(group[group.length - 1].id) as Region).e);
    }
    const delta = result.length - this.lines.length;
    const { change } = replaceLines(this.lines, from, to, result.slice(from, to + delta), this.eol);
    return [{ ...change }];
  }

  /**
   * The document after applying (`apply`) or reverting (`revert`) every group of `batch`, or
   * undefined when the batch's hunks are not where that can be done (each group's regions must be
   * contiguous and hold the removed lines to apply, the added lines to revert).
   */
  private batchResult(batch: Batch, how: 'apply' | 'revert'): string[] | undefined {
    const spans: { s: number; e: number; lines: string[] }[] = [];
    for (const ids of batch.groups) {
      let at: number | undefined;
      const s = (this.regions.get(ids[0]) as Region | undefined)?.s;
      const lines: string[] = [];
      for (const id of ids) {
        const hunk = this.byId.get(id);
        const r = this.regions.get(id);
        if (!hunk || !r || (at !== undefined && r.s !== at)) return undefined;
        const [now, next] = how === 'apply' ? [hunk.removed, hunk.added] : [hunk.added, hunk.removed];
        if (!sameLines(this.lines, r.s, r.e, now)) return undefined;
        if (how === 'apply' && this.rejected.has(id)) return undefined;
        if (how === 'revert' && !this.applied.has(id)) return undefined;
        lines.push(...next);
        at = r.e;
      }
      spans.push({ s: s as number, e: at as number, lines });
    }
    spans.sort((a, b) => b.s - a.s);
    // Reverting the deletion of a whole document: its one empty line is not part of the text.
    if (how === 'revert' && this.emptied.has(batch) && this.wholeDocumentEmpty()) return spans[0].lines.length ? [...spans[0].lines] : [''];
    const out = [...this.lines];
    let end = Infinity;
    for (const span of spans) {
      if (span.e > end) return undefined;
      out.splice(span.s, span.e - span.s, ...span.lines);
      end = span.s;
    }
    if (out.length === 0) out.push(''); // a document has at least one line
    return out;
  }

  /**
   * Recognises an event as the session's own edits (the expected accept), as the undo of the latest
   * accepts still applied, or as the redo of accepts that were undone. Applies it and returns true.
   */
  private recognise(changes: readonly TextChange[], expectation: Expectation | undefined): boolean {
    const candidates: { batch: Batch; how: 'apply' | 'revert'; result?: readonly string[] }[] = [];
    if (expectation) candidates.push({ batch: expectation.batch, how: 'apply', result: expectation.result });
    for (let i = this.batches.length - 1; i >= 0; i--) {
      const batch = this.batches[i];
      const applied = batch.groups.every((g) => g.every((id) => this.applied.has(id)));
      candidates.push({ batch, how: applied ? 'revert' : 'apply' });
    }
    let after: string[] | undefined;
    const delta = changes.reduce((d, c) => d + documentLines(c.text).length - 1 - (c.endLine - c.startLine), 0);
    for (const candidate of candidates) {
      // A cheap test first: the number of lines the event adds or removes. (Where the changes are
      // tells little: VS Code may place an insertion anywhere in a run of equal lines.)
      if (candidate.result ? candidate.result.length - this.lines.length !== delta : this.batchDelta(candidate.batch, candidate.how) !== delta) continue;
      const result = candidate.result ?? this.batchResult(candidate.batch, candidate.how);
      if (!result) continue;
      if (!after) {
        after = this.lines.slice();
        for (const change of changes) spliceChange(after, change);
      }
      if (!sameArrays(after, result)) continue;
      const before = this.lines;
      const groups = candidate.batch.groups.map((ids) => ids.map((id) => this.byId.get(id) as SessionHunk));
      // bottom to top, so each group's region is still where it was when the edit was made
      groups.sort((a, b) => (this.regions.get(b[0].id) as Region).s - (this.regions.get(a[0].id) as Region).s);
      const emptied = candidate.how === 'revert' && this.emptied.has(candidate.batch) && this.wholeDocumentEmpty();
      for (const group of groups) {
        if (this.applyGroup(group, candidate.how, before, emptied)) this.emptied.add(candidate.batch);
      }
      if (candidate.how === 'revert') this.emptied.delete(candidate.batch);
      this.lines = after;
      if (candidate === candidates[0] && expectation) this.batches.push(expectation.batch);
      return true;
    }
    return false;
  }

  /** How many lines applying (or reverting) `batch` adds, give or take the one line of an emptied document. */
  private batchDelta(batch: Batch, how: 'apply' | 'revert'): number {
    let delta = 0;
    for (const ids of batch.groups) {
      for (const id of ids) {
        const hunk = this.byId.get(id);
        if (hunk) delta += how === 'apply' ? hunk.added.length - hunk.removed.length : hunk.removed.length - hunk.added.length;
      }
    }
    if (how === 'revert' && this.emptied.has(batch)) delta -= 1;
    // A document keeps one line: deleting all of it leaves an empty one.
    return Math.max(delta, 1 - this.lines.length);
  }

  /**
   * A group of adjacent hunks was applied (or reverted) as one edit: the other regions move by its
   * exact line effect, and the group's hunks get regions over their new lines.
   */
  private applyGroup(group: readonly SessionHunk[], how: 'apply' | 'revert', lines: readonly string[], emptied = false): boolean {
    const first = this.regions.get(group[0].id) as Region;
    const last = this.regions.get(group[group.length - 1].id) as Region;
    const from = first.s;
    const to = last.e;
    const size = (h: SessionHunk): number => (how === 'apply' ? h.added : h.removed).length;
    const count = group.reduce((n, h) => n + size(h), 0);
    // Deleting every line of a document leaves one empty line, which reverting replaces.
    const emptiesDocument = how === 'apply' && count === 0 && from === 0 && to >= lines.length;
    const effect = emptiesDocument ? { from, to, count: 1 } : emptied ? { from: 0, to: 1, count } : { from, to, count };
    this.applyEffect(effect, new Set(group.map((h) => h.id)));
    let at = from;
    for (const hunk of group) {
      this.regions.set(hunk.id, { s: at, e: at + size(hunk) });
      at += size(hunk);
      if (how === 'apply') {
        this.applied.add(hunk.id);
        this.rejected.delete(hunk.id); // rejected after its accept was handed out: the edit decides
      } else {
        this.applied.delete(hunk.id);
      }
    }
    this.rangeRegion.s = Math.min(this.rangeRegion.s, from);
    this.rangeRegion.e = Math.max(this.rangeRegion.e, from + count);
    return emptiesDocument;
  }

  /** The document is one empty line (what deleting all of it leaves). */
  private wholeDocumentEmpty(lines: readonly string[] = this.lines): boolean {
    return lines.length === 1 && lines[0] === '';
  }

  // ---- other changes -------------------------------------------------------------------------

  /** Moves every region (or, while streaming, every boundary) through `effect`, except those of `skip`. */
  private applyEffect(effect: LineEffect, skip: ReadonlySet<number>): void {
    if (this.streaming) {
      for (let g = 0; g < this.tops.length; g++) {
        if (crosses(this.tops[g], effect)) this.crossed[g] = 1;
        this.tops[g] = mapStart(this.tops[g], effect);
        this.bottoms[g] = mapEnd(this.bottoms[g], effect);
      }
      return;
    }
    for (const [id, region] of this.regions) if (!skip.has(id)) mapRegion(region, effect);
    this.rangeRegion.s = mapStart(this.rangeRegion.s, effect);
    this.rangeRegion.e = mapEnd(this.rangeRegion.e, effect);
  }

  /** The reading of `change` that leaves the most hunks pending (the first of the best). */
  private bestReading(change: TextChange): LineEffect {
    const options = readings(this.lines, change);
    if (options.length === 1) return options[0];
    const after = applyChange(this.lines, change);
    const scores = options.map((effect) => this.countPending(effect, after));
    return options[scores.indexOf(Math.max(...scores))];
  }

  private countPending(effect: LineEffect, after: readonly string[]): number {
    let n = 0;
    if (this.streaming) {
      this.syncTail();
      const tops = this.tops.map((p) => mapStart(p, effect));
      const bottoms = this.bottoms.map((p) => mapEnd(p, effect));
      for (const hunk of [...this.frozen, ...this.provisional]) {
        const r = this.streamingRegion(hunk, tops, bottoms);
        if (!r.broken && sameLines(after, r.s, r.e, hunk.removed)) n++;
      }
      return n;
    }
    for (const hunk of this.final) {
      const r = { ...(this.regions.get(hunk.id) as Region) };
      mapRegion(r, effect);
      if (this.stateOf(hunk, r, after) === 'pending') n++;
    }
    return n;
  }
}
