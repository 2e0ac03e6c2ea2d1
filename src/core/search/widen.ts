/**
 * Whole functions where the language's symbols allow: a found snippet is widened to the
 * functions, methods and class members it cuts into (innermost first, each only while the whole
 * stays within MAX_WIDENED_LINES), and the snippets of a file that then overlap are joined.
 * Lines are 0-based, `end` exclusive. Pure: no `vscode`, no DOM.
 */

export interface LineSpan {
  start: number;
  end: number;
}

/** A widened snippet is at most this long (a longer symbol is left cut). */
export const MAX_WIDENED_LINES = 120;

/**
 * `hit` widened to the symbols (functions, methods, members, classes… as the language's symbol
 * provider gives them) that it cuts into or that enclose it, the smallest first, each taken only
 * if the snippet with it stays within `max` lines.
 */
export function widenToSymbols(hit: LineSpan, symbols: readonly LineSpan[], max = MAX_WIDENED_LINES): LineSpan {
  const candidates = symbols
    .filter((s) => s.end > s.start && s.start < hit.end && s.end > hit.start && (s.start < hit.start || s.end > hit.end))
    .sort((a, b) => a.end - a.start - (b.end - b.start));
  let cur: LineSpan = { start: hit.start, end: hit.end };
  for (const s of candidates) {
    const u = { start: Math.min(cur.start, s.start), end: Math.max(cur.end, s.end) };
    if (u.end - u.start <= max) cur = u;
  }
  return cur;
}

/**
 * Ranked snippets (best first) with those of a file that overlap or touch a better one joined into
 * it when the two together stay within `max` lines, and those inside a better one dropped. The
 * order of the rest is kept; each result says which of the inputs it came from (`from`, indexes).
 */
export function joinSpans<T extends LineSpan & { path: string }>(ranked: readonly T[], max = MAX_WIDENED_LINES): Array<T & { from: number[] }> {
  const out: Array<T & { from: number[] }> = [];
  ranked.forEach((s, i) => {
    for (const k of out) {
      if (k.path !== s.path || s.start > k.end || s.end < k.start) continue;
      if (s.start >= k.start && s.end <= k.end) {
        k.from.push(i);
        return;
      }
      const start = Math.min(k.start, s.start);
      const end = Math.max(k.end, s.end);
      if (end - start <= max) {
        k.start = start;
        k.end = end;
        k.from.push(i);
        return;
      }
    }
    out.push({ ...s, from: [i] });
  });
  return out;
}
