/**
 * Fits a diff into a token budget for the commit message prompt. A diff that fits is sent whole,
 * exactly as git printed it. One that does not is summarized: every file on one line (its status,
 * path and +/- line counts), then whole hunks, the most informative first, as many as fit, each
 * under its file's header. A hunk is never cut: it is in whole or left out. Generated files (lock
 * files, minified or bundled code, source maps, snapshots) and binary files contribute their
 * summary line only, unless room is left after everything else. Pure: no `vscode`, no DOM.
 *
 * The result never exceeds the budget by the estimator's count: the text is counted once put
 * together, and hunks are dropped (least informative first) until it fits; when not even the file
 * list fits, its last lines give way to one "… and N more files" line, and with no room at all
 * the result is empty.
 */
import { estimateTokens } from '../budget/tokens';
import type { DiffFile, DiffHunk } from './diff';

export interface PackedDiff {
  /** What to put in the prompt. */
  text: string;
  /** False when `text` is the whole diff, verbatim. */
  summarized: boolean;
  /** Hunks sent whole / all hunks. */
  hunksIncluded: number;
  hunksTotal: number;
  /** Files listed in the summary / all files (equal when nothing had to give way). */
  filesListed: number;
  filesTotal: number;
  /** Estimated tokens of `text`. */
  tokens: number;
}

const GENERATED = [
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|Gemfile\.lock|poetry\.lock|composer\.lock|go\.sum|Pipfile\.lock|uv\.lock|flake\.lock)$/,
  /\.(min\.(js|css)|map|snap|lock)$/,
  /(^|\/)(dist|build|out|vendor|node_modules|__snapshots__|generated)\//,
  /\.(pb\.go|g\.dart|designer\.cs)$/,
  /_pb2\.py$/,
];

/** A lock file, minified or bundled output, a snapshot: its hunks say little about the change. */
export function isGenerated(path: string): boolean {
  return GENERATED.some((re) => re.test(path));
}

const STATUS_LETTER: Record<DiffFile['status'], string> = {
  modified: 'M', added: 'A', deleted: 'D', renamed: 'R', copied: 'C', binary: 'B', mode: 'M',
};

/** One line of the file list: `M src/a.ts (+3 -1)`, `R old.ts -> new.ts (+0 -0)`, `B logo.png (binary)`. */
export function fileSummaryLine(file: DiffFile): string {
  const name = file.oldPath !== undefined && (file.status === 'renamed' || file.status === 'copied') ? `${file.oldPath} -> ${file.path}` : file.path;
  const counts = file.binary ? '(binary)' : file.status === 'mode' ? '(mode change)' : `(+${file.added} -${file.removed})`;
  const extra = isGenerated(file.path) ? ', generated' : '';
  return `${STATUS_LETTER[file.status]} ${name.replace(/[\r\n]/g, ' ')} ${counts.slice(0, -1)}${extra})`;
}

/** The part of a file's header worth sending with its hunks: without the `index` line. */
function shortHeader(file: DiffFile): string {
  return file.header
    .split(/(?<=\n)/)
    .filter((line) => !line.startsWith('index '))
    .join('');
}

interface Candidate {
  file: number;
  hunk: number;
  value: DiffHunk;
  rank: number;
}

/**
 * How informative a hunk is, higher first: changed lines per token (a small hunk that changes a
 * lot says more than a big one of context), source before generated files, and a file's first
 * hunks before its later ones (they usually carry imports and signatures).
 */
function rankOf(file: DiffFile, hunkIndex: number, hunk: DiffHunk, tokens: number): number {
  const changed = hunk.added + hunk.removed;
  let rank = (changed + 1) / Math.max(1, tokens);
  if (file.status === 'added' || file.status === 'deleted') rank *= 0.8; // whole new files: their list line already says much
  rank /= 1 + hunkIndex * 0.25;
  if (isGenerated(file.path)) rank *= 0.001;
  return rank;
}

export const SUMMARY_INTRO =
  'The diff is too large to send whole. Every changed file is listed with its added and removed line counts; ' +
  'after the list come whole hunks of the most informative changes (the others are left out, never cut).';

function assemble(files: readonly DiffFile[], listed: number, chosen: ReadonlySet<string>, total: { hunks: number }): string {
  const parts: string[] = [SUMMARY_INTRO, '', `Changed files (${files.length}):`];
  for (let f = 0; f < listed; f++) parts.push(fileSummaryLine(files[f]));
  if (listed < files.length) {
    const rest = files.slice(listed);
    const added = rest.reduce((n, f) => n + f.added, 0);
    const removed = rest.reduce((n, f) => n + f.removed, 0);
    parts.push(`… and ${rest.length} more files (+${added} -${removed})`);
  }
  let text = parts.join('\n') + '\n';
  if (chosen.size) {
    text += `\nHunks included (${chosen.size} of ${total.hunks}):\n`;
    files.forEach((file, f) => {
      const hunks = file.hunks.filter((_h, h) => chosen.has(`${f}:${h}`));
      if (!hunks.length) return;
      text += shortHeader(file) + hunks.map((h) => (h.text.endsWith('\n') ? h.text : h.text + '\n')).join('');
    });
  }
  return text;
}

/**
 * `rawDiff` (the text `files` were parsed from) whole when it fits `budget` tokens, else the
 * summary described above. `count` defaults to the prompt's estimator.
 */
export function packDiff(
  rawDiff: string,
  files: readonly DiffFile[],
  budget: number,
  count: (text: string) => number = estimateTokens,
): PackedDiff {
  const hunksTotal = files.reduce((n, f) => n + f.hunks.length, 0);
  const whole = count(rawDiff);
  if (whole <= budget) {
    return { text: rawDiff, summarized: false, hunksIncluded: hunksTotal, hunksTotal, filesListed: files.length, filesTotal: files.length, tokens: whole };
  }
  const empty = (): PackedDiff => ({ text: '', summarized: true, hunksIncluded: 0, hunksTotal, filesListed: 0, filesTotal: files.length, tokens: 0 });
  const total = { hunks: hunksTotal };

  // 1. the file list: as many lines as fit, the rest as one "… and N more" line
  let listed = files.length;
  let base = assemble(files, listed, new Set(), total);
  let baseTokens = count(base);
  if (baseTokens > budget) {
    // find the longest prefix of the list that fits (the tokens grow with the prefix)
    let lo = 0;
    let hi = files.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (count(assemble(files, mid, new Set(), total)) <= budget) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return empty();
    listed = best;
    base = assemble(files, listed, new Set(), total);
    baseTokens = count(base);
    if (baseTokens > budget) return empty();
    return { text: base, summarized: true, hunksIncluded: 0, hunksTotal, filesListed: listed, filesTotal: files.length, tokens: baseTokens };
  }

  // 2. whole hunks, most informative first, while the estimate says they fit
  const candidates: Candidate[] = [];
  files.forEach((file, f) => {
    file.hunks.forEach((hunk, h) => {
      candidates.push({ file: f, hunk: h, value: hunk, rank: rankOf(file, h, hunk, count(hunk.text)) });
    });
  });
  candidates.sort((a, b) => b.rank - a.rank || a.file - b.file || a.hunk - b.hunk);
  const chosen = new Set<string>();
  const headerCost = new Map<number, number>();
  // the "Hunks included" line's cost, counted once (its digits grow by a token or two at most)
  let used = baseTokens + count(`\nHunks included (${hunksTotal} of ${hunksTotal}):\n`);
  for (const c of candidates) {
    const header = headerCost.has(c.file) ? 0 : count(shortHeader(files[c.file]));
    const cost = count(c.value.text) + header + 1;
    if (used + cost > budget) continue;
    used += cost;
    chosen.add(`${c.file}:${c.hunk}`);
    if (!headerCost.has(c.file)) headerCost.set(c.file, header);
  }

  // 3. the whole text counted as it is; the least informative hunks give way until it fits
  const order = candidates.filter((c) => chosen.has(`${c.file}:${c.hunk}`));
  let text = assemble(files, listed, chosen, total);
  let tokens = count(text);
  while (tokens > budget && order.length) {
    const drop = order.pop() as Candidate;
    chosen.delete(`${drop.file}:${drop.hunk}`);
    text = assemble(files, listed, chosen, total);
    tokens = count(text);
  }
  if (tokens > budget) return empty();
  return { text, summarized: true, hunksIncluded: chosen.size, hunksTotal, filesListed: listed, filesTotal: files.length, tokens };
}
