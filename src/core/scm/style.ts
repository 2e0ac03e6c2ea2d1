/**
 * The style of a repository's commit messages, read from its recent commits, so the generated
 * message looks like the others: Conventional Commits (`feat(scope): …`) and which types and
 * scopes, a ticket prefix (`ABC-123: `, `[ABC-123] `, `#123 `), gitmoji, imperative or past tense,
 * a capital letter after the prefix, a final period, the usual length, bodies or one-liners, and
 * the language of the subjects. A trait counts when at least half the commits that can show it
 * do. Merges, reverts and fixup!/squash! commits are not looked at. Pure: no `vscode`, no DOM.
 */

export interface CommitStyle {
  /** Commits the style was read from (after leaving out merges and the like). */
  sample: number;
  conventional?: {
    /** Types by use, most used first. */
    types: string[];
    /** Scopes by use, most used first; empty when scopes are rare. */
    scopes: string[];
    usesScopes: boolean;
  };
  /** A ticket prefix as the commits write it, with the number as `123`: `ABC-123: `, `[ABC-123] `, `#123 `. */
  ticketPrefix?: string;
  gitmoji: boolean;
  tense?: 'imperative' | 'past' | 'present';
  /** Whether the first word after any prefix starts with a capital letter (undefined: mixed, or nothing to tell). */
  capitalized?: boolean;
  trailingPeriod: boolean;
  /** The median subject length, in characters. */
  typicalLength?: number;
  /** The longest usual subject (90th percentile). */
  maxLength?: number;
  /** Most commits have a body after the subject. */
  bodies: boolean;
  /** The subjects are mostly in Chinese. */
  chinese: boolean;
  /** Subjects end with a pull-request number `(#123)` that a merge added. */
  prSuffix: boolean;
}

const CONVENTIONAL = /^([a-z]+|[A-Z][a-z]+)(?:\(([^)]*)\))?!?: \S/;
const TICKET_FORMS: { re: RegExp; form: (m: RegExpExecArray) => string }[] = [
  { re: /^\[([A-Z][A-Z0-9]+)-\d+\]\s*/, form: (m) => `[${m[1]}-123] ` },
  { re: /^([A-Z][A-Z0-9]+)-\d+(:?)\s+/, form: (m) => `${m[1]}-123${m[2]} ` },
  { re: /^\(([A-Z][A-Z0-9]+)-\d+\)\s*/, form: (m) => `(${m[1]}-123) ` },
  { re: /^#\d+(:?)\s+/, form: (m) => `#123${m[1]} ` },
];
const GITMOJI = /^(:[a-z0-9_+-]+:|\p{Extended_Pictographic})/u;
const SKIP = /^(Merge (branch|pull request|remote-tracking branch|tag)|Revert "|fixup!|squash!|amend!|Initial commit$)/i;
const CJK = /[\u3400-\u9fff]/;
const PR_SUFFIX = /\s\(#\d+\)$/;

/** Past-tense forms that do not end in -ed. */
const IRREGULAR_PAST = new Set(['made', 'wrote', 'built', 'ran', 'set', 'put', 'got', 'took', 'gave', 'kept', 'left', 'split', 'moved', 'rewrote', 'brought', 'began', 'chose', 'did', 'found', 'held', 'hid', 'led', 'lost', 'met', 'read', 'sent', 'spent', 'went', 'won']);
/** Imperative verbs that look like other forms (`-ed`, `-s`). */
const IMPERATIVE_EXCEPTIONS = new Set(['embed', 'shed', 'seed', 'feed', 'need', 'speed', 'proceed', 'exceed', 'succeed', 'bleed', 'breed', 'process', 'pass', 'bypass', 'access', 'address', 'express', 'focus', 'suppress', 'compress', 'discuss', 'dismiss', 'miss', 'toggle', 'is', 'has', 'bus', 'status', 'alias', 'canvas']);

/** The subject with its prefixes (gitmoji, ticket, conventional type) taken off. */
export function subjectText(subject: string): string {
  let s = subject.trim().replace(GITMOJI, '').trim();
  for (const { re } of TICKET_FORMS) {
    const m = re.exec(s);
    if (m) {
      s = s.slice(m[0].length);
      break;
    }
  }
  const c = CONVENTIONAL.exec(s);
  if (c) s = s.slice(s.indexOf(':') + 1).trim();
  return s.replace(GITMOJI, '').trim();
}

function tenseOf(word: string): CommitStyle['tense'] | undefined {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w || !/^[a-z]+$/.test(w)) return undefined;
  if (IMPERATIVE_EXCEPTIONS.has(w)) return w === 'is' || w === 'has' ? 'present' : 'imperative';
  if (IRREGULAR_PAST.has(w) || (w.endsWith('ed') && w.length > 3)) return 'past';
  if (/[^s]s$/.test(w) && w.length > 3) return 'present';
  return 'imperative';
}

function mostUsed(values: string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Reads the style from whole commit messages (subject, blank line, body), newest first. */
export function detectStyle(messages: readonly string[]): CommitStyle {
  const commits = messages
    .map((m) => m.replace(/\r\n?/g, '\n').trim())
    .filter((m) => m && !SKIP.test(m));
  const subjects = commits.map((m) => m.split('\n', 1)[0].trim());
  const n = subjects.length;
  const half = (count: number, of = n) => of > 0 && count * 2 >= of;
  const style: CommitStyle = { sample: n, gitmoji: false, trailingPeriod: false, bodies: false, chinese: false, prSuffix: false };
  if (n === 0) return style;

  const conv = subjects.map((s) => CONVENTIONAL.exec(s.replace(GITMOJI, '').trim().replace(/^\[[A-Z][A-Z0-9]+-\d+\]\s*/, '')));
  const convHits = conv.filter((m): m is RegExpExecArray => !!m);
  if (half(convHits.length)) {
    const scoped = convHits.filter((m) => m[2]);
    const usesScopes = scoped.length * 10 >= convHits.length * 3;
    style.conventional = {
      types: mostUsed(convHits.map((m) => m[1].toLowerCase())).slice(0, 8),
      scopes: usesScopes ? mostUsed(scoped.map((m) => m[2])).slice(0, 8) : [],
      usesScopes,
    };
  }

  for (const { re, form } of TICKET_FORMS) {
    const forms = subjects.map((s) => re.exec(s.replace(GITMOJI, '').trim())).filter((m): m is RegExpExecArray => !!m).map(form);
    if (half(forms.length)) {
      style.ticketPrefix = mostUsed(forms)[0];
      break;
    }
  }

  style.gitmoji = half(subjects.filter((s) => GITMOJI.test(s)).length);
  style.prSuffix = half(subjects.filter((s) => PR_SUFFIX.test(s)).length);
  style.chinese = half(subjects.filter((s) => CJK.test(subjectText(s))).length);
  style.bodies = half(commits.filter((m) => m.split('\n').slice(1).some((l) => l.trim())).length);

  const texts = subjects.map((s) => subjectText(s.replace(PR_SUFFIX, '')));
  const latin = texts.filter((t) => /^[A-Za-z]/.test(t));
  if (latin.length) {
    const upper = latin.filter((t) => /^[A-Z]/.test(t)).length;
    if (upper * 4 >= latin.length * 3) style.capitalized = true;
    else if (upper * 4 <= latin.length) style.capitalized = false;
    const tenses = latin.map((t) => tenseOf(t.split(/\s+/, 1)[0])).filter((t): t is NonNullable<CommitStyle['tense']> => !!t);
    const top = mostUsed(tenses)[0];
    if (top && half(tenses.filter((t) => t === top).length, tenses.length) && tenses.length >= 2) style.tense = top as CommitStyle['tense'];
  }
  style.trailingPeriod = half(texts.filter((t) => /[.。]$/.test(t)).length);

  const lengths = subjects.map((s) => [...s.replace(PR_SUFFIX, '')].length).sort((a, b) => a - b);
  style.typicalLength = percentile(lengths, 0.5);
  style.maxLength = percentile(lengths, 0.9);
  return style;
}

/**
 * The style as instructions for the prompt, one per line (English: the prompt's own language).
 * For a message in Chinese, English grammar (tense, capitals) does not apply.
 */
export function styleRules(style: CommitStyle, language: 'en' | 'zh-cn' = 'en'): string[] {
  const rules: string[] = [];
  if (style.sample === 0) {
    rules.push('This repository has no earlier commits to follow: use the Conventional Commits form `type(scope): summary` only if it suits; otherwise a short imperative summary.');
    return rules;
  }
  if (style.gitmoji) rules.push('Start the subject with a gitmoji that fits the change, as the other commits do.');
  if (style.ticketPrefix) {
    rules.push(
      `Start the subject with a ticket reference in the form \`${style.ticketPrefix.trim()}\`. The ticket of this change is not known: write the number as \`???\` for the author to fill in; never make one up.`,
    );
  }
  if (style.conventional) {
    const c = style.conventional;
    rules.push(
      `Use Conventional Commits: \`type${c.usesScopes ? '(scope)' : ''}: summary\`, with one of the types this repository uses (${c.types.join(', ')}).` +
        (c.usesScopes ? ` Scopes used so far: ${c.scopes.join(', ')}; pick one of them when it fits, another short one otherwise.` : ' Scopes are rarely used here: leave them out.'),
    );
  } else {
    rules.push('Do not use a Conventional Commits `type:` prefix: this repository does not.');
  }
  const english = language === 'en';
  if (!english) {
    // nothing about tense or capitals
  } else if (style.tense === 'imperative') rules.push('Write the summary in the imperative mood ("Add", "Fix", not "Added", "Fixes").');
  else if (style.tense === 'past') rules.push('Write the summary in the past tense ("Added", "Fixed"), as the other commits do.');
  else if (style.tense === 'present') rules.push('Write the summary in the third person present ("Adds", "Fixes"), as the other commits do.');
  if (!english) {
    // see above
  } else if (style.capitalized === true) rules.push('Start the summary (after any prefix) with a capital letter.');
  else if (style.capitalized === false) rules.push('Start the summary (after any prefix) with a lowercase letter.');
  rules.push(style.trailingPeriod ? 'End the subject with a period.' : 'Do not end the subject with a period.');
  if (style.typicalLength !== undefined) {
    const limit = Math.max(50, Math.min(100, style.maxLength ?? 72));
    rules.push(`Subjects here are about ${style.typicalLength} characters long; keep the subject under ${limit}.`);
  }
  rules.push(
    style.bodies
      ? 'Most commits here have a body: after the subject, a blank line, then a few lines on what changed and why.'
      : 'Most commits here are a single line: add a body (after a blank line) only when the change needs explaining.',
  );
  if (style.prSuffix) rules.push('Do not add a pull-request number like `(#123)`: it is added when the change is merged.');
  return rules;
}
