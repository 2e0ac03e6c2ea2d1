/**
 * Cuts a chip to a token budget, as the model will receive it (`formatChip`: header, fence and the
 * "left out" line included), and says in words what was left out. Pure: no `vscode`, no DOM.
 *
 * - Cuts fall on line boundaries: what is kept is the first lines of the text, whole.
 * - Where a chip is a list of entries, whole entries are kept: a git diff's files (`diff --git`),
 *   problems (a line and the indented lines under it), a folder's or the open editors' files
 *   (`File …:` sections, src/core/context/sections.ts). Only when not even the first entry fits is
 *   the text cut by lines (a fence left open by the cut is closed).
 * - A terminal chip keeps its last lines instead: the end of a command's output (the summary, the
 *   error, the exit code) is what a question about it needs.
 * - `omitted` is set exactly when something was cut ("lines 401-1200 of 1200", "12 of 40 files",
 *   "7 of 30 problems"); `tokens` is always set, to the estimate of the chip as sent.
 * - A budget too small for even the header leaves the text empty (and says so).
 */
import type { ContextChip } from '../../common/chat/model';
import { estimateTokens } from '../budget/tokens';
import { formatChip } from '../chat/prompt';
import { closingFence, sectionsOf } from './sections';

/** How `omitted` is worded (the extension passes its display language's words). */
export interface OmittedWords {
  /** Lines `from`-`to` of the chip's lines `first`-`last` (1-based, as the chip numbers them). */
  lines(from: number, to: number, first: number, last: number): string;
  /** `left` of `total` files. */
  files(left: number, total: number): string;
  /** `left` of `total` problems. */
  problems(left: number, total: number): string;
}

export const ENGLISH_OMITTED: OmittedWords = {
  lines: (from, to, first, last) => (first === 1 ? `lines ${from}-${to} of ${last}` : `lines ${from}-${to} of ${first}-${last}`),
  files: (left, total) => `${left} of ${total} files`,
  problems: (left, total) => `${left} of ${total} problems`,
};

/** The estimated tokens of a chip as sent. */
export function chipTokens(chip: ContextChip): number {
  return estimateTokens(formatChip(chip));
}

interface Entries {
  /** First line of each entry, ascending; the first is 0. */
  starts: number[];
  unit: 'files' | 'problems';
  /** Entries that count (a folder's listing is not one of its files). */
  counted: (kept: number) => { left: number; total: number };
}

function entriesOf(chip: ContextChip, lines: readonly string[]): Entries | undefined {
  const countAll = (starts: number[]) => (kept: number) => ({ left: starts.length - kept, total: starts.length });
  switch (chip.kind) {
    case 'git': {
      const starts = lines.flatMap((l, i) => (i === 0 || l.startsWith('diff --git ') ? [i] : []));
      const files = lines.filter((l) => l.startsWith('diff --git ')).length;
      const preamble = lines[0]?.startsWith('diff --git ') ? 0 : 1;
      return { starts, unit: 'files', counted: (kept) => ({ left: files - Math.max(0, kept - preamble), total: files }) };
    }
    case 'problems': {
      const starts = lines.flatMap((l, i) => (i === 0 || (l !== '' && !/^\s/.test(l)) ? [i] : []));
      return { starts, unit: 'problems', counted: countAll(starts) };
    }
    case 'folder':
    case 'editors': {
      const layout = sectionsOf(lines.join('\n'));
      const sections = layout.sectionStarts;
      const lead = sections[0] === 0 ? 0 : 1; // a listing (or anything) before the first section
      const starts = lead ? [0, ...sections] : sections.length ? sections : [0];
      return { starts, unit: 'files', counted: (kept) => ({ left: sections.length - Math.max(0, kept - lead), total: sections.length }) };
    }
    default:
      return undefined;
  }
}

function withText(chip: ContextChip, text: string, omitted: string | undefined): ContextChip {
  const out: ContextChip = { ...chip, text };
  const all = [chip.omitted, omitted].filter((s): s is string => !!s);
  if (all.length) out.omitted = all.join('; ');
  else delete out.omitted;
  out.tokens = chipTokens(out);
  return out;
}

/**
 * The largest `k` in `candidates` (ascending) for which `fits(k)`; -1 when none. A binary search,
 * then a walk down in case the cost is not quite monotonic (a longer fence, a longer number).
 */
function largestFitting(candidates: readonly number[], fits: (k: number) => boolean): number {
  let lo = 0;
  let hi = candidates.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fits(candidates[mid])) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  for (let i = best; i >= 0; i--) if (fits(candidates[i])) return candidates[i];
  return -1;
}

/** `chip` with its text cut to `maxTokens` as sent (see the file comment), `tokens` set. */
export function trimChip(chip: ContextChip, maxTokens: number, words: OmittedWords = ENGLISH_OMITTED): ContextChip {
  const whole = withText(chip, chip.text, undefined);
  if ((whole.tokens ?? 0) <= maxTokens || !chip.text) return whole;

  const text = chip.text.endsWith('\n') ? chip.text.slice(0, -1) : chip.text;
  const lines = text.split('\n');
  const n = lines.length;
  const first = chip.kind === 'file' ? 1 : chip.startLine >= 1 ? chip.startLine : 1;
  const numbered = (i: number) => first + i; // 0-based index → the chip's line number
  const last = numbered(n - 1);

  if (chip.kind === 'terminal') {
    // keep the last `k` lines
    const build = (k: number) => withText(chip, lines.slice(n - k).join('\n'), words.lines(1, n - k, 1, n));
    const k = largestFitting(range(n - 1), (k) => (build(k).tokens ?? 0) <= maxTokens);
    return build(Math.max(0, k));
  }

  const byLines = (k: number) => {
    const kept = lines.slice(0, k);
    const close = closingFence(lines, k);
    if (close) kept.push(close);
    return withText(chip, kept.join('\n'), words.lines(numbered(k), last, first, last));
  };
  const entries = entriesOf(chip, lines);
  if (entries) {
    // keep the first `e` entries, whole
    const byEntries = (e: number) => {
      let end = e < entries.starts.length ? entries.starts[e] : n;
      while (end > 1 && !lines[end - 1].trim()) end--; // the blank lines between entries
      const { left, total } = entries.counted(e);
      return withText(chip, lines.slice(0, end).join('\n'), entries.unit === 'files' ? words.files(left, total) : words.problems(left, total));
    };
    const e = largestFitting(range(entries.starts.length - 1).slice(1), (e) => (byEntries(e).tokens ?? 0) <= maxTokens);
    if (e > 0) return byEntries(e);
  }
  const k = largestFitting(range(n - 1), (k) => (byLines(k).tokens ?? 0) <= maxTokens);
  if (k > 0) return byLines(k);
  return byLines(0);
}

/** 0, 1, …, `max`. */
function range(max: number): number[] {
  return Array.from({ length: Math.max(0, max + 1) }, (_, i) => i);
}
