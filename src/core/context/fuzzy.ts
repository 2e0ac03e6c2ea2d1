/**
 * The @-mention list's matcher and ranker. Pure: no `vscode`, no DOM.
 *
 * A candidate has one or more keys (a file's name and its workspace-relative path; a special
 * entry's names in English and Chinese). A query matches a key in one of three tiers, best first:
 *
 * 1. **prefix**: the key, or one of its words or path segments, starts with the query
 *    (`slu` → `slug.ts`, `prob` → `Problems in current file`, `问题` → `问题`);
 * 2. **substring**: the key contains the query (`til` → `util.py`);
 * 3. **fuzzy**: the query's characters appear in the key in order (`strslug` → `strings/slug.ts`).
 *
 * Case is ignored; `\` in a query is read as `/`. Within a tier, the score of the best key
 * decides: fzf's scheme (v1: the shortest window of the first left-to-right match; 16 points a
 * character, bonuses for the start of a word or path segment and for runs, a small penalty per
 * gap), then shorter keys. Ties keep the candidates' order (the sort is stable), so callers put
 * open and recent files first.
 */

export const Tier = { None: 0, Fuzzy: 1, Substring: 2, Prefix: 3 } as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

export interface Match {
  tier: Tier;
  score: number;
}

const SCORE_MATCH = 16;
const BONUS_BOUNDARY = 8;
const BONUS_SEGMENT = 10;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 4;
const PENALTY_GAP_START = 3;
const PENALTY_GAP_EXTENSION = 1;

function normalize(s: string): string {
  return s.replace(/\\/g, '/').toLowerCase();
}

const isLower = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isUpper = (c: number) => c >= 65 && c <= 90;
/** `/` */
const SLASH = 47;
/** Characters after which a word starts: whitespace, `_ - . : @ # (` */
const SEPARATORS = new Set([32, 9, 95, 45, 46, 58, 64, 35, 40]);

/** The bonus of a match at `i` of `key` (the original case, for camelCase humps). */
function boundaryBonus(key: string, i: number): number {
  if (i === 0) return BONUS_SEGMENT;
  const prev = key.charCodeAt(i - 1);
  if (prev === SLASH) return BONUS_SEGMENT;
  if (SEPARATORS.has(prev)) return BONUS_BOUNDARY;
  if (isLower(prev) && isUpper(key.charCodeAt(i))) return BONUS_CAMEL;
  return 0;
}

/** Whether `query` starts `key` or one of its words or path segments (both normalized). */
function startsAWord(key: string, lowerKey: string, query: string): boolean {
  if (lowerKey.startsWith(query)) return true;
  for (let i = lowerKey.indexOf(query, 1); i > 0; i = lowerKey.indexOf(query, i + 1)) {
    if (boundaryBonus(key, i) > 0) return true;
  }
  return false;
}

/** fzf v1's score of `query` in `key`, or undefined when the characters are not all there in order. */
function fuzzyScore(key: string, lowerKey: string, query: string): number | undefined {
  // forward: the first left-to-right match ends at `end`
  let qi = 0;
  let end = -1;
  for (let i = 0; i < lowerKey.length && qi < query.length; i++) {
    if (lowerKey[i] === query[qi]) {
      qi++;
      if (qi === query.length) end = i;
    }
  }
  if (end < 0) return undefined;
  // backward from there: the shortest window that still holds the query
  let start = end;
  qi = query.length - 1;
  for (let i = end; i >= 0; i--) {
    if (lowerKey[i] === query[qi]) {
      qi--;
      if (qi < 0) {
        start = i;
        break;
      }
    }
  }
  // score the window left to right, greedily
  let score = 0;
  let consecutive = 0;
  let inGap = false;
  let firstBonus = 0;
  qi = 0;
  for (let i = start; i <= end && qi < query.length; i++) {
    if (lowerKey[i] === query[qi]) {
      const bonus = boundaryBonus(key, i);
      if (qi === 0) firstBonus = bonus;
      score += SCORE_MATCH + Math.max(bonus, consecutive > 0 ? Math.max(BONUS_CONSECUTIVE, firstBonus) : 0);
      if (bonus > 0 && consecutive === 0) firstBonus = bonus;
      consecutive++;
      inGap = false;
      qi++;
    } else {
      score -= inGap ? PENALTY_GAP_EXTENSION : PENALTY_GAP_START;
      inGap = true;
      consecutive = 0;
    }
  }
  // the first character counts double its bonus (as fzf does)
  return score + firstBonus;
}

/** How `query` matches one key (see the file comment). An empty query matches everything as a prefix. */
export function matchKey(query: string, key: string): Match {
  return matchNormalized(normalize(query.trim()), key);
}

function matchNormalized(q: string, key: string): Match {
  if (!q) return { tier: Tier.Prefix, score: 0 };
  const k = key.includes('\\') ? key.replace(/\\/g, '/') : key;
  const lower = k.toLowerCase();
  const score = fuzzyScore(k, lower, q);
  if (score === undefined) return { tier: Tier.None, score: 0 };
  if (startsAWord(k, lower, q)) return { tier: Tier.Prefix, score: score + (lower.startsWith(q) ? BONUS_SEGMENT : 0) };
  if (lower.includes(q)) return { tier: Tier.Substring, score };
  return { tier: Tier.Fuzzy, score };
}


function bestOf(q: string, keys: readonly string[]): Match & { key: number } {
  let best: Match & { key: number } = { tier: Tier.None as Tier, score: 0, key: -1 };
  keys.forEach((key, i) => {
    const m = matchNormalized(q, key);
    if (m.tier > best.tier || (m.tier === best.tier && m.tier !== Tier.None && m.score > best.score)) best = { ...m, key: i };
  });
  return best;
}

/**
 * The candidates that match `query`, best first: tier, then `priority` (higher first: the caller's
 * own preference among equals, e.g. open files), then score, then the shorter best key; at most
 * `limit`. Stable: equal candidates keep their order in `items`. An empty query keeps `items` as
 * they are.
 */
export function rank<T>(
  query: string, items: readonly T[], keys: (item: T) => readonly string[], limit = Infinity, priority: (item: T) => number = () => 0,
): T[] {
  const q = normalize(query.trim());
  if (!q) return items.slice(0, limit);
  const scored: { item: T; tier: Tier; priority: number; score: number; length: number; index: number }[] = [];
  items.forEach((item, index) => {
    const ks = keys(item);
    const m = bestOf(q, ks);
    if (m.tier === Tier.None) return;
    scored.push({ item, tier: m.tier, priority: priority(item), score: m.score, length: ks[m.key]?.length ?? 0, index });
  });
  scored.sort((a, b) => b.tier - a.tier || b.priority - a.priority || b.score - a.score || a.length - b.length || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.item);
}
