/**
 * Line diffs that stay cheap on long ranges: an anchored offline diff (`diffLineRanges`, behind
 * `computeLineHunks`), and an online one that follows a proposal while it streams
 * (`StreamingHunks`). Lines are compared as exact text; line breaks are not part of them.
 *
 * Offline: the anchored diff (patience-style).
 *
 * - The lines both sides start with, and those they end with, are unchanged.
 * - Anchors: lines that occur exactly once on each side. The longest run of anchors in the same
 *   order on both sides (a longest increasing subsequence) is kept as unchanged lines, and each
 *   gap between two of them is diffed the same way on its own (a line repeated elsewhere may be
 *   unique within a gap, and a gap starts and ends by trimming its common lines too).
 * - A gap whose two sides have no line in common (checked first, with counters) is one hunk that
 *   replaces it whole.
 * - A gap with no exact anchor is split at fuzzy anchors: significant lines (at least 4 non-space
 *   characters, a letter or digit among them) whose whitespace-normalized text (trimmed, inner
 *   runs of whitespace as one space) is unique on both sides. The pair is a changed line, but
 *   re-indented code then pairs up line with line, and the blank lines and braces between the
 *   pairs are aligned within their small gaps rather than across the whole range.
 * - What is left (repeated lines only) is aligned by Myers (`diffArrays` from `diff`). Myers costs
 *   (lines × edits), so a gap gets an edit allowance (`maxEditLength`) that keeps that product
 *   under a budget; where Myers gives up, the gap is one hunk.
 * - So the usual code edit costs about linear time, and a full rewrite (every line different, as
 *   when a whole range is re-indented) is one hunk found in linear time, never Myers' N × D. The
 *   hunks are those of a valid diff, not always a minimal one: unique lines like a function's
 *   signature are kept in place even where matching repeated `}` or blank lines instead would save
 *   a line, which reads better for code.
 *
 * Online: `StreamingHunks`, fed complete proposal lines as they arrive.
 *
 * - A new proposal line is an anchor when its text occurs exactly once in the original lines not
 *   yet frozen and not earlier in the unfrozen proposal lines, when it is significant (as above:
 *   not `});`), and when the jump is plausible: the original line is near (at most 2 lines per
 *   unfrozen proposal line, plus 8, past the frozen point) or the proposal line before it matches
 *   the original line before it (a non-blank one, whitespace-normalized). A line whose exact text
 *   is not left in the original can still be a fuzzy anchor by its normalized text, so
 *   re-indented code keeps freezing; the fuzzy pair is a changed line, not an unchanged one.
 * - At an anchor the segment from the frozen point to it is diffed with the offline diff, its
 *   hunks are frozen (final: `frozen` only grows, with the same objects), and the frozen point
 *   moves past the anchor. After a fuzzy anchor the hunk that ends with it stays open, as the next
 *   lines may extend it: it is frozen once an unchanged line follows it, and until then it is the
 *   first provisional hunk.
 * - What follows the frozen point is provisional: the unfrozen proposal lines diffed against a
 *   window of the original of comparable size (never the whole remaining original), with a last
 *   hunk reaching the end of what was pushed held back. That diff is redone only when new lines
 *   may change it, and past 16 unfrozen lines only as they grow by an eighth (`ProvisionalCache`):
 *   each line costs about O(1) amortized whatever the length of the range.
 * - `finish` diffs what follows the frozen point against the rest of the original with the offline
 *   diff, so frozen + the rest is a valid diff of the whole. Lines are examined for anchors only
 *   when `frozen`, `frozenPoint` or `provisional()` are read: lines pushed and never looked at are
 *   diffed by `finish` with the rest, so pushing a whole proposal at once and finishing gives
 *   exactly `computeLineHunks`.
 */

import { diffArrays } from 'diff';
import type { DiffHunk } from './hunks';

/** A hunk being built: its arrays may still grow. */
interface OpenHunk {
  start: number;
  removed: string[];
  added: string[];
}

// ---- lines --------------------------------------------------------------------------------

/** Non-space characters a line needs to be significant. */
const MIN_ANCHOR_CHARS = 4;

/** A fuzzy anchor's key: trimmed, inner runs of whitespace as one space. */
export function normalizeLine(line: string): string {
  const trimmed = line.trim();
  // Most lines have no inner run of whitespace, nor a tab: no new string then. (Past U+1680 a
  // character may be whitespace too: the regular expression decides.)
  for (let k = 0; k < trimmed.length; k++) {
    const c = trimmed.charCodeAt(k);
    const odd = c <= 32 ? c !== 32 || trimmed.charCodeAt(k + 1) <= 32 : c === 0xa0 || c >= 0x1680;
    if (odd) return trimmed.replace(/\s+/g, ' ');
  }
  return trimmed;
}

/**
 * At least 4 non-space characters, a letter or digit among them (not `});` or `*\/`); any
 * character past ASCII counts as a letter.
 */
function isSignificant(normalized: string): boolean {
  let chars = 0;
  let word = false;
  for (let k = 0; k < normalized.length; k++) {
    const c = normalized.charCodeAt(k);
    if (c === 32) continue;
    chars++;
    word ||= (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
  }
  return chars >= MIN_ANCHOR_CHARS && word;
}


// ---- the offline diff -------------------------------------------------------------------------

export interface LineDiffOptions {
  /** Leave out a last hunk that reaches the end of both sides (see `HunkOptions.partial`). */
  readonly partial?: boolean;
  /**
   * Myers' allowance per anchorless gap, in (gap lines × edit length): the gap's edit length is
   * capped at this divided by its line count (at least 16), past which the gap is one hunk.
   */
  readonly myersBudget?: number;
}

/** What the online diff adds to `LineDiffOptions`. */
interface AnchoredOptions extends LineDiffOptions {
  /**
   * The b side goes on after bTo (a proposal still streaming, diffed against a window of the
   * original): the two sides do not end together, so their last lines are not matched as a
   * common end.
   */
  readonly openEnd?: boolean;
  /** `normalizeLine` of a's and b's lines (by index in a and b), where already known. */
  readonly aNormalized?: readonly (string | undefined)[];
  readonly bNormalized?: readonly (string | undefined)[];
}

/** Default `myersBudget`: a gap of 1000 lines gets up to 100 edits, one of 100 lines every edit. */
const MYERS_BUDGET = 100_000;
/** Myers may always find this many edits, however long the gap. */
const MIN_EDIT_LENGTH = 16;
/**
 * Bound on the lines scanned for anchors, per line of input: gaps nested deeper than that are
 * handed straight to capped Myers (only contrived inputs get there; it keeps the worst case linear).
 */
const ANCHOR_WORK_PER_LINE = 8;

/**
 * The hunks turning lines [aFrom, aTo) of `a` into lines [bFrom, bTo) of `b`, in order, separated
 * by at least one unchanged line, with starts in `a`'s numbering (the first is at least aFrom).
 */
export function diffLineRanges(
  a: readonly string[], aFrom: number, aTo: number, b: readonly string[], bFrom: number, bTo: number,
  opts: LineDiffOptions = {},
): DiffHunk[] {
  return anchoredDiff(a, aFrom, aTo, b, bFrom, bTo, opts);
}

function anchoredDiff(
  a: readonly string[], aFrom: number, aTo: number, b: readonly string[], bFrom: number, bTo: number,
  opts: AnchoredOptions,
): OpenHunk[] {
  // The lines both sides start and end with are unchanged, whatever lies between (the common case
  // of a short segment needs nothing more).
  while (aFrom < aTo && bFrom < bTo && a[aFrom] === b[bFrom]) {
    aFrom++;
    bFrom++;
  }
  let endsUnchanged = false;
  while (!opts.openEnd && aFrom < aTo && bFrom < bTo && a[aTo - 1] === b[bTo - 1]) {
    aTo--;
    bTo--;
    endsUnchanged = true;
  }
  // `partial`: a last hunk reaching the end of both sides is left out.
  const dropLast = !!opts.partial && !endsUnchanged;
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  if (n === 0 || m === 0) {
    // one side is empty: one pure insertion or removal (or nothing)
    return n + m === 0 || dropLast ? [] : [{ start: aFrom, removed: a.slice(aFrom, aTo), added: b.slice(bFrom, bTo) }];
  }
  if (n === 1 && m === 1) {
    // one line changed (the two differ: the common start stopped there): the most common segment
    return dropLast ? [] : [{ start: aFrom, removed: [a[aFrom]], added: [b[bFrom]] }];
  }
  // Lines as small integers: equal text, equal id.
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const aIds = new Int32Array(n);
  const bIds = new Int32Array(m);
  for (let i = 0; i < n; i++) aIds[i] = intern(a[aFrom + i]);
  for (let j = 0; j < m; j++) bIds[j] = intern(b[bFrom + j]);
  const { aNormalized, bNormalized } = opts;
  const matches = new Matcher(aIds, bIds, ids.size, {
    aNormalized: (i) => aNormalized?.[aFrom + i] ?? normalizeLine(a[aFrom + i]),
    bNormalized: (j) => bNormalized?.[bFrom + j] ?? normalizeLine(b[bFrom + j]),
    myersBudget: opts.myersBudget ?? MYERS_BUDGET,
    openEnd: !!opts.openEnd,
  }).run();

  // The gaps between matched lines are the hunks.
  const hunks: OpenHunk[] = [];
  const gap = (i: number, j: number, toI: number, toJ: number): void => {
    if (toI > i || toJ > j) {
      hunks.push({ start: aFrom + i, removed: a.slice(aFrom + i, aFrom + toI), added: b.slice(bFrom + j, bFrom + toJ) });
    }
  };
  let i = 0;
  let j = 0;
  for (let k = 0; k < matches.length; k += 3) {
    gap(i, j, matches[k], matches[k + 1]);
    i = matches[k] + matches[k + 2];
    j = matches[k + 1] + matches[k + 2];
  }
  if (!dropLast) gap(i, j, n, m);
  return hunks;
}

/**
 * Per-id counters for one range: valid where `stamp[id]` is the range's serial, so nothing needs
 * clearing between ranges. Shared by all diffs (one never runs inside another), grown as needed.
 */
interface Counters {
  stamp: Int32Array;
  countA: Int32Array;
  countB: Int32Array;
  atA: Int32Array;
  serial: number;
}

let shared: Counters | undefined;

function countersFor(ids: number): Counters {
  if (!shared || shared.stamp.length < ids) {
    const size = Math.max(ids, 2 * (shared?.stamp.length ?? 128));
    shared = { stamp: new Int32Array(size), countA: new Int32Array(size), countB: new Int32Array(size), atA: new Int32Array(size), serial: 0 };
  }
  return shared;
}

function nextSerial(): number {
  const counters = shared as Counters;
  if (++counters.serial > 0x3fffffff) {
    counters.stamp.fill(0);
    counters.serial = 1;
  }
  return counters.serial;
}

interface MatcherOptions {
  /** `normalizeLine` of a line of either side, by index (asked once at most). */
  readonly aNormalized: (i: number) => string;
  readonly bNormalized: (j: number) => string;
  readonly myersBudget: number;
  /** See `AnchoredOptions.openEnd`. */
  readonly openEnd: boolean;
}

/** The Matcher's tasks: a range to diff, or a run of unchanged lines to emit. */
const RANGE = 0;
const RUN = 1;

/**
 * Finds the unchanged lines between two sequences of line ids, as runs (i, j, count) in order:
 * `a[i + k]` is kept as `b[j + k]` for k < count. Ranges to diff are kept on an explicit stack
 * (nesting can be deep), in order, so runs come out in order.
 */
class Matcher {
  /** Runs found so far, flat: i, j, count. */
  private readonly runs: number[] = [];
  /** Tasks, flat, five numbers each: kind (RANGE or RUN) and its four numbers. */
  private readonly stack: number[] = [];
  private readonly counters: Counters;
  private work = 0;
  private readonly maxWork: number;

  /** Normalized texts (see `normalizeLine`), computed when first needed. */
  private readonly aNormalized: (string | undefined)[] = [];
  private readonly bNormalized: (string | undefined)[] = [];

  constructor(
    private readonly a: Int32Array, private readonly b: Int32Array, ids: number, private readonly how: MatcherOptions,
  ) {
    this.counters = countersFor(ids);
    this.maxWork = ANCHOR_WORK_PER_LINE * (a.length + b.length) + 1024;
  }

  run(): number[] {
    this.pushRange(0, this.a.length, 0, this.b.length);
    const s = this.stack;
    while (s.length) {
      const top = s.length - 5;
      const kind = s[top];
      const w = s[top + 1];
      const x = s[top + 2];
      const y = s[top + 3];
      const z = s[top + 4];
      s.length = top;
      if (kind === RUN) this.emit(w, x, y);
      else this.range(w, x, y, z);
    }
    return this.runs;
  }

  private emit(i: number, j: number, count: number): void {
    const r = this.runs;
    const last = r.length - 3;
    // join a run that continues the previous one
    if (last >= 0 && r[last] + r[last + 2] === i && r[last + 1] + r[last + 2] === j) r[last + 2] += count;
    else r.push(i, j, count);
  }

  private pushRange(aLo: number, aHi: number, bLo: number, bHi: number): void {
    if (aLo < aHi || bLo < bHi) this.stack.push(RANGE, aLo, aHi, bLo, bHi);
  }

  /** Diffs a[aLo, aHi) with b[bLo, bHi); everything before them is done. */
  private range(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b } = this;
    // Lines both sides start with, and end with, are unchanged.
    let p = 0;
    while (aLo + p < aHi && bLo + p < bHi && a[aLo + p] === b[bLo + p]) p++;
    if (p) this.emit(aLo, bLo, p);
    aLo += p;
    bLo += p;
    // (not at the very end when the b side goes on)
    const open = this.how.openEnd && aHi === a.length && bHi === b.length;
    let q = 0;
    while (!open && aLo < aHi - q && bLo < bHi - q && a[aHi - 1 - q] === b[bHi - 1 - q]) q++;
    if (q) this.stack.push(RUN, aHi - q, bHi - q, q, 0);
    aHi -= q;
    bHi -= q;
    if (aLo === aHi || bLo === bHi) return; // a pure insertion or removal (or nothing)
    if (this.work > this.maxWork) {
      this.myers(aLo, aHi, bLo, bHi);
      return;
    }
    this.work += aHi - aLo + bHi - bLo;

    // Count each id on both sides; remember where a line unique in `a` is.
    const { stamp, countA, countB, atA } = this.counters;
    const serial = nextSerial();
    for (let i = aLo; i < aHi; i++) {
      const id = a[i];
      if (stamp[id] !== serial) {
        stamp[id] = serial;
        countA[id] = 0;
        countB[id] = 0;
      }
      countA[id]++;
      atA[id] = i;
    }
    let common = false;
    for (let j = bLo; j < bHi; j++) {
      const id = b[j];
      if (stamp[id] !== serial) {
        stamp[id] = serial;
        countA[id] = 0;
        countB[id] = 0;
      }
      countB[id]++;
      if (countA[id] > 0) common = true;
    }
    if (!common) return; // nothing in common: one hunk replaces the gap

    // Anchors: lines unique on both sides, in b's order; keep the longest run in a's order too.
    const anchorA: number[] = [];
    const anchorB: number[] = [];
    for (let j = bLo; j < bHi; j++) {
      const id = b[j];
      if (countA[id] === 1 && countB[id] === 1) {
        anchorA.push(atA[id]);
        anchorB.push(j);
      }
    }
    if (anchorA.length) {
      this.split(aLo, aHi, bLo, bHi, anchorA, anchorB, true);
      return;
    }
    if (this.fuzzyAnchors(aLo, aHi, bLo, bHi, anchorA, anchorB)) {
      this.split(aLo, aHi, bLo, bHi, anchorA, anchorB, false);
      return;
    }
    this.myers(aLo, aHi, bLo, bHi);
  }

  /**
   * Splits a range at the longest run of anchors in the same order on both sides: the gaps between
   * them are diffed on their own. `kept`: the anchors are unchanged lines (else changed pairs that
   * only split the range).
   */
  private split(
    aLo: number, aHi: number, bLo: number, bHi: number, anchorA: readonly number[], anchorB: readonly number[], kept: boolean,
  ): void {
    const run = longestIncreasing(anchorA);
    // In order: the gap before the first anchor, the anchor, the gap after it, ... (pushed reversed).
    let nextA = aHi;
    let nextB = bHi;
    for (let k = run.length - 1; k >= 0; k--) {
      const i = anchorA[run[k]];
      const j = anchorB[run[k]];
      this.pushRange(i + 1, nextA, j + 1, nextB);
      if (kept) this.stack.push(RUN, i, j, 1, 0);
      nextA = i;
      nextB = j;
    }
    this.pushRange(aLo, nextA, bLo, nextB);
  }

  /**
   * Fuzzy anchors of a range with no exact one: significant lines (see `isSignificant`) whose
   * whitespace-normalized text is unique on both sides, as pairs in b's order (into anchorA and
   * anchorB). Re-indented code pairs up line with line, and the rest of it (blank lines, `}`) is
   * aligned within the small gaps between them rather than across the whole range. True if any.
   */
  private fuzzyAnchors(aLo: number, aHi: number, bLo: number, bHi: number, anchorA: number[], anchorB: number[]): boolean {
    this.work += aHi - aLo + bHi - bLo;
    const seen = new Map<string, { a: number; b: number; i: number }>();
    for (let i = aLo; i < aHi; i++) {
      const key = (this.aNormalized[i] ??= this.how.aNormalized(i));
      if (!isSignificant(key)) continue;
      const entry = seen.get(key);
      if (entry) entry.a++;
      else seen.set(key, { a: 1, b: 0, i });
    }
    if (!seen.size) return false;
    const keys: string[] = [];
    for (let j = bLo; j < bHi; j++) {
      const key = (this.bNormalized[j] ??= this.how.bNormalized(j));
      const entry = seen.get(key);
      if (!entry) continue;
      entry.b++;
      keys[j - bLo] = key;
    }
    for (let j = bLo; j < bHi; j++) {
      const key = keys[j - bLo];
      const entry = key === undefined ? undefined : seen.get(key);
      if (entry && entry.a === 1 && entry.b === 1) {
        anchorA.push(entry.i);
        anchorB.push(j);
      }
    }
    return anchorA.length > 0;
  }

  /** Aligns an anchorless gap by Myers within its edit allowance; past it the gap stays one hunk. */
  private myers(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const lines = aHi - aLo + bHi - bLo;
    const maxEditLength = Math.max(MIN_EDIT_LENGTH, Math.floor(this.how.myersBudget / lines));
    const parts = diffArrays(Array.from(this.a.subarray(aLo, aHi)), Array.from(this.b.subarray(bLo, bHi)), { maxEditLength });
    if (!parts) return;
    let i = aLo;
    let j = bLo;
    for (const part of parts) {
      if (part.added) {
        j += part.count;
      } else if (part.removed) {
        i += part.count;
      } else {
        this.emit(i, j, part.count);
        i += part.count;
        j += part.count;
      }
    }
  }
}

/**
 * Indexes into `values` of a longest strictly increasing subsequence (patience sorting,
 * O(k log k)).
 */
export function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = []; // tails[l]: index of the smallest end of an increasing run of length l + 1
  const previous = new Int32Array(values.length);
  for (let x = 0; x < values.length; x++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[x]) lo = mid + 1;
      else hi = mid;
    }
    previous[x] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = x;
  }
  const result = new Array<number>(tails.length);
  for (let x = tails.length ? tails[tails.length - 1] : -1, l = tails.length - 1; x >= 0; x = previous[x], l--) result[l] = x;
  return result;
}

// ---- the online diff --------------------------------------------------------------------------

/** An anchor is near when its original line is at most 2 per proposal line + this past the frozen point. */
const NEAR_SLACK = 8;
/** Past this many unfrozen proposal lines, the provisional diff is redone only as the tail grows by an eighth. */
const SHORT_TAIL = 16;
/** The provisional diff's window of the original: 2 lines per unfrozen proposal line + this. */
const WINDOW_SLACK = 16;
/** The provisional diff is redone often: a smaller Myers allowance. */
const PROVISIONAL_MYERS_BUDGET = 20_000;

/** The positions of one text in the original, ascending; those before `next` are frozen. */
interface Occurrences {
  readonly at: number[];
  next: number;
  /** The last examined proposal line with this text (-1: none yet), for `StreamingHunks`. */
  lastSeen: number;
  /** Exact texts: the occurrences of their normalized text, and whether it may anchor. */
  near?: Occurrences;
  significant?: boolean;
}

/** How many of `occurrences` are at or after `from` (`from` never decreases: O(1) amortized). */
function remaining(occurrences: Occurrences, from: number): number {
  const { at } = occurrences;
  while (occurrences.next < at.length && at[occurrences.next] < from) occurrences.next++;
  return at.length - occurrences.next;
}

function occurrencesOf(lines: readonly string[]): Map<string, Occurrences> {
  const map = new Map<string, Occurrences>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const found = map.get(line);
    if (found) found.at.push(i);
    else map.set(line, { at: [i], next: 0, lastSeen: -1 });
  }
  return map;
}

/** Where each text of the original is, exact and whitespace-normalized. */
interface OriginalIndex {
  readonly normalized: readonly string[];
  readonly exactAt: Map<string, Occurrences>;
  readonly normalizedAt: Map<string, Occurrences>;
}

/**
 * The last provisional diff, kept until the frozen point moves. It is not redone when the lines
 * pushed since then cannot change it: lines continuing the unchanged run it ends with (`next`),
 * and lines that match no original line of the window (they are added lines of the last hunk,
 * which is held back). Otherwise it is redone at once while the unfrozen tail is short (up to 16
 * lines); past that, only once the tail has grown by an eighth since it was computed, and
 * meanwhile its hunks stand (still settled, only not the latest). So a long stretch without
 * anchors costs about linear time in all, never a diff per line.
 */
interface ProvisionalCache {
  /** Proposal lines it covers. */
  pushed: number;
  /** Unfrozen proposal lines when it was computed. */
  readonly computedTail: number;
  readonly hunks: DiffHunk[];
  /**
   * The original line the next proposal line would continue an unchanged run at; NO_RUN: the diff
   * ends with added lines; STALE: a line pushed since may change it.
   */
  next: number;
}

const NO_RUN = -1;
const STALE = -2;

export interface StreamingFinish {
  /** All the hunks: the frozen ones (the same objects), then the rest. */
  readonly hunks: DiffHunk[];
  /**
   * How many original lines the proposal covers: `original.length` unless the proposal was cut
   * short before the end of the original.
   */
  readonly reached: number;
}

/**
 * The hunks of a proposal that arrives line by line, frozen as anchors come (see the top of this
 * file). Every operation costs about O(1) per line pushed, plus the diff of a bounded tail.
 */
export class StreamingHunks {
  private readonly original: readonly string[];
  /** Built when lines are first examined (a proposal pushed at once and finished needs none of it). */
  private index: OriginalIndex | undefined;
  private readonly proposal: string[] = [];
  /** `normalizeLine` of the examined proposal lines, where it was needed (else worked out on demand). */
  private readonly normalizedProposal: (string | undefined)[] = [];
  /** Proposal lines examined for anchors. */
  private examined = 0;
  private readonly frozenHunks: DiffHunk[] = [];
  /** The hunk ending at the frozen point after a fuzzy anchor: the next lines may extend it. */
  private open: OpenHunk | undefined;
  /** The frozen point: original[0, i0) became proposal[0, j0), hunks `frozenHunks` + `open`. */
  private i0 = 0;
  private j0 = 0;
  /** The last provisional diff (dropped when the frozen point moves). */
  private cache: ProvisionalCache | undefined;
  private finished: StreamingFinish | undefined;

  constructor(original: readonly string[]) {
    this.original = original;
  }

  /** The proposal lines pushed so far. */
  get lines(): readonly string[] {
    return this.proposal;
  }

  /** Appends complete proposal lines (no line breaks inside). */
  push(lines: readonly string[]): void {
    if (this.finished) throw new Error('The proposal is already complete');
    for (const line of lines) this.proposal.push(line);
  }

  /** Hunks before the last anchor: final, never change again; the array only grows (same objects). */
  get frozen(): readonly DiffHunk[] {
    this.examine();
    return this.frozenHunks;
  }

  /**
   * Original and proposal lines consumed by the frozen part (the frozen point). After a fuzzy
   * anchor the hunk ending at it is consumed but not in `frozen` yet: it is still open, and comes
   * first in `provisional()`.
   */
  get frozenPoint(): { original: number; proposal: number } {
    this.examine();
    return { original: this.i0, proposal: this.j0 };
  }

  /**
   * Hunks after the frozen point as far as they are known: provisional. A last hunk that reaches
   * the end of what was pushed is held back (as `HunkOptions.partial` does). Costs at most the diff
   * of the unfrozen lines against a window of the original of comparable size; see
   * `ProvisionalCache` for when that diff is not redone.
   */
  provisional(): DiffHunk[] {
    if (this.finished) return this.finished.hunks.slice(this.frozenHunks.length);
    this.examine();
    const pushed = this.proposal.length;
    const tail = pushed - this.j0;
    const cache = this.cache;
    if (cache && (cache.pushed === pushed || this.follows(cache) || (tail > SHORT_TAIL && tail * 8 < cache.computedTail * 9))) {
      return cache.hunks.slice();
    }

    const { i0, j0, original, open } = this;
    const end = this.windowEnd(Math.min(original.length, i0 + 2 * tail + WINDOW_SLACK));
    const hunks: DiffHunk[] = anchoredDiff(original, i0, end, this.proposal, j0, pushed, {
      myersBudget: PROVISIONAL_MYERS_BUDGET, openEnd: true,
      aNormalized: this.index?.normalized, bNormalized: this.normalizedProposal,
    });
    // Held back: a last hunk reaching the end of the window (so of what was pushed), and the open
    // hunk if nothing but that hunk follows it. The open hunk is copied only when shown.
    const last = hunks[hunks.length - 1];
    const heldBack = last && last.start + last.removed.length === end ? hunks.pop() : undefined;
    if (open) {
      const first = hunks[0];
      if (first && first.start === i0) hunks[0] = joined(open, first);
      else if (!(heldBack && heldBack.start === i0) && !(end === i0 && !first)) hunks.unshift(joined(open));
    }
    // Where the next line would continue the last unchanged run: after it, unless the diff ends
    // with added lines (or with the open hunk, which an unchanged line would show). Original lines
    // the proposal has not reached yet (a held-back pure removal) do not count.
    let next = end;
    if (tail === 0 && open) next = NO_RUN;
    else if (heldBack) next = heldBack.added.length ? NO_RUN : heldBack.start;
    this.cache = { pushed, computedTail: tail, hunks, next };
    return hunks.slice();
  }

  /**
   * Whether the lines pushed since `cache` leave its hunks as they are (then brings it up to
   * date): each either continues the unchanged run the cached diff ends with, or matches no
   * original line of the window and so only extends the last hunk, which is held back.
   */
  private follows(cache: ProvisionalCache): boolean {
    const { original, proposal, i0, j0 } = this;
    let next = cache.next;
    if (next === STALE) return false;
    for (let j = cache.pushed; j < proposal.length; j++) {
      const line = proposal[j];
      if (next >= 0 && next < original.length && original[next] === line) {
        next++;
        continue;
      }
      const found = this.indexed.exactAt.get(line);
      const limit = i0 + 2 * (j + 1 - j0) + WINDOW_SLACK;
      if (found && remaining(found, i0) > 0 && found.at[found.next] < limit) {
        cache.next = STALE;
        return false;
      }
      next = NO_RUN;
    }
    cache.pushed = proposal.length;
    cache.next = next;
    return true;
  }

  /**
   * The proposal is complete: all hunks, the frozen ones then the rest diffed with the offline
   * diff. `cutShort`: the answer stopped early (no finish reason, max_tokens, a stop sequence, an
   * unclosed fence), so the proposal is a rewrite of only the start of the original, and the
   * original lines after those it reached are not removed:
   * - The rest of the proposal is diffed against the original only as far as its lines can reach
   *   (the window `provisional()` uses: just past the furthest original line one of them may be,
   *   the k-th occurrence of a text for its k-th line, and no further than 2 original lines per
   *   proposal line): its last line is never paired with the original's last line across lines it
   *   never reached (a cut after `}` would remove everything up to the original's last `}`).
   * - A last hunk reaching the end of that window was a rewrite about line for line: it takes over
   *   as many of the original lines after the window as it adds beyond those it removes, and
   *   removes at most as many lines as it adds. A last pure removal there is dropped.
   * `reached` is then where the proposal stopped in the original.
   */
  finish(opts: { cutShort?: boolean } = {}): StreamingFinish {
    const { original, proposal, i0, j0 } = this;
    const n = original.length;
    const tail = proposal.length - j0;
    const end = opts.cutShort ? this.windowEnd(Math.min(n, i0 + 2 * tail + WINDOW_SLACK)) : n;
    const rest: DiffHunk[] = anchoredDiff(original, i0, end, proposal, j0, proposal.length, {
      aNormalized: this.index?.normalized, bNormalized: this.normalizedProposal,
    });
    if (this.open) {
      const first = rest[0];
      if (first && first.start === i0) rest[0] = joined(this.open, first);
      else rest.unshift(joined(this.open));
    }
    const hunks = [...this.frozenHunks, ...rest];
    let reached = end;
    const last = hunks[hunks.length - 1];
    if (opts.cutShort && last && last.start + last.removed.length === end) {
      const { start, removed, added } = last;
      if (added.length === 0) {
        hunks.pop();
        reached = start;
      } else if (removed.length > added.length) {
        hunks[hunks.length - 1] = { start, removed: removed.slice(0, added.length), added };
        reached = start + added.length;
      } else if (added.length > removed.length && end < n) {
        const more = Math.min(n - end, added.length - removed.length);
        hunks[hunks.length - 1] = { start, removed: [...removed, ...original.slice(end, end + more)], added };
        reached = end + more;
      }
    }
    this.finished = { hunks, reached };
    this.cache = undefined;
    return { hunks: hunks.slice(), reached };
  }

  /**
   * The end of the provisional diff's window: just after the furthest original line (from the
   * frozen point, before `limit`) that an unfrozen proposal line may be matched with, the k-th
   * occurrence of a text being for its k-th unfrozen line. Past it the window only holds lines the
   * proposal has not reached yet, or more repeats than it has: leaving them out keeps that diff
   * small, and aligns the proposal with the nearest original lines.
   */
  private windowEnd(limit: number): number {
    let end = this.i0;
    const seen = new Map<string, number>();
    for (let j = this.j0; j < this.proposal.length; j++) {
      const line = this.proposal[j];
      const found = this.indexed.exactAt.get(line);
      if (!found || remaining(found, this.i0) === 0) continue;
      const k = seen.get(line) ?? 0;
      seen.set(line, k + 1);
      const at = found.at[found.next + k];
      if (at !== undefined && at < limit && at >= end) end = at + 1;
    }
    return end;
  }

  private get indexed(): OriginalIndex {
    if (!this.index) {
      const normalized = this.original.map(normalizeLine);
      const exactAt = occurrencesOf(this.original);
      const normalizedAt = occurrencesOf(normalized);
      // A proposal line found among the original's needs no normalizing: its text says it all.
      for (const found of exactAt.values()) {
        const text = normalized[found.at[0]];
        found.near = normalizedAt.get(text);
        found.significant = isSignificant(text);
      }
      this.index = { normalized, exactAt, normalizedAt };
    }
    return this.index;
  }

  /**
   * Looks for anchors among the lines pushed since last time (not after `finish`). Where each text
   * (and normalized text) was last seen among the proposal lines is kept on its occurrences in the
   * original: a text the original lacks can never anchor, so it needs no record.
   */
  private examine(): void {
    if (this.finished || this.examined === this.proposal.length) return;
    const { exactAt, normalizedAt } = this.indexed;
    while (this.examined < this.proposal.length) {
      const j = this.examined++;
      const line = this.proposal[j];
      const exact = exactAt.get(line);
      let near: Occurrences | undefined;
      if (exact) {
        this.normalizedProposal.push(undefined);
        // Only significant lines anchor, so only theirs are recorded.
        if (!exact.significant) continue;
        near = exact.near;
      } else {
        const normalized = normalizeLine(line);
        this.normalizedProposal.push(normalized);
        if (!isSignificant(normalized)) continue;
        near = normalizedAt.get(normalized);
      }
      this.tryAnchor(j, exact, near);
      if (exact) exact.lastSeen = j;
      if (near) near.lastSeen = j;
    }
  }

  /** Freezes up to proposal line j if it is an anchor (see the rules at the top of this file). */
  private tryAnchor(j: number, exact: Occurrences | undefined, near: Occurrences | undefined): void {
    const { i0, j0 } = this;
    const exactLeft = exact ? remaining(exact, i0) : 0;
    if (exactLeft > 1) return;
    let found: Occurrences;
    let fuzzy = false;
    if (exact && exactLeft === 1) {
      if (exact.lastSeen >= j0) return;
      found = exact;
    } else {
      if (!near || remaining(near, i0) !== 1 || near.lastSeen >= j0) return;
      found = near;
      fuzzy = true;
    }
    const i = found.at[found.next];
    if (!this.plausible(i, j)) return;
    this.freeze(i, j, fuzzy);
  }

  /** Original line i is near enough to be proposal line j, or the lines before them match. */
  private plausible(i: number, j: number): boolean {
    const { i0, j0 } = this;
    if (i - i0 <= 2 * (j - j0) + NEAR_SLACK) return true;
    if (j === j0 || i === i0) return false;
    const before = this.normalizedProposal[j - 1] ?? normalizeLine(this.proposal[j - 1]);
    return before !== '' && before === this.indexed.normalized[i - 1];
  }

  /**
   * Freezes the segment from the frozen point to the anchor original[i] ~ proposal[j]: its hunks
   * join `frozen` (the open hunk first, extended if the segment starts with a change), and the
   * frozen point moves past the anchor. After a fuzzy anchor the hunk holding it stays open.
   */
  private freeze(i: number, j: number, fuzzy: boolean): void {
    if (!fuzzy && !this.open && i === this.i0 && j === this.j0) {
      // The common case: the next line of each side, unchanged. Nothing to diff, nothing to keep.
      this.i0 = i + 1;
      this.j0 = j + 1;
      const cache = this.cache;
      if (cache && cache.pushed === j && cache.computedTail === 0 && !cache.hunks.length) {
        cache.pushed = this.j0;
        cache.next = this.i0;
      } else {
        this.cache = { pushed: this.j0, computedTail: 0, hunks: [], next: this.i0 };
      }
      return;
    }
    const pieces = anchoredDiff(this.original, this.i0, i, this.proposal, this.j0, j, {
      aNormalized: this.index?.normalized, bNormalized: this.normalizedProposal,
    });
    if (fuzzy) {
      const last = pieces[pieces.length - 1];
      if (last && last.start + last.removed.length === i) {
        last.removed.push(this.original[i]);
        last.added.push(this.proposal[j]);
      } else {
        pieces.push({ start: i, removed: [this.original[i]], added: [this.proposal[j]] });
      }
    }
    const open = this.open;
    if (open) {
      const first = pieces[0];
      if (first && first.start === this.i0) {
        append(open.removed, first.removed);
        append(open.added, first.added);
        pieces[0] = open;
      } else {
        pieces.unshift(open);
      }
    }
    this.open = fuzzy ? pieces.pop() : undefined;
    for (const { start, removed, added } of pieces) {
      this.frozenHunks.push(Object.freeze({ start, removed: Object.freeze(removed), added: Object.freeze(added) }));
    }
    this.i0 = i + 1;
    this.j0 = j + 1;
    // Nothing unfrozen yet: nothing provisional (the open hunk reaches the end: held back).
    this.cache = { pushed: this.j0, computedTail: 0, hunks: [], next: this.open ? NO_RUN : this.i0 };
  }
}

/** A new hunk: `first` followed by `second` (which starts where `first` ends). */
function joined(first: OpenHunk, second?: DiffHunk): DiffHunk {
  return second
    ? { start: first.start, removed: [...first.removed, ...second.removed], added: [...first.added, ...second.added] }
    : { start: first.start, removed: first.removed.slice(), added: first.added.slice() };
}

/** Appends `more` to `to` (no spread: it may be long). */
function append(to: string[], more: readonly string[]): void {
  for (const line of more) to.push(line);
}
