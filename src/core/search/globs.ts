/**
 * The workspace index's exclusions as VS Code writes them (`files.exclude`, `search.exclude`:
 * `{ "<glob>": true | false | { when } }`): the patterns in force, one exclude glob for
 * `workspace.findFiles` (whose default exclude covers only `files.exclude`), and a matcher for the
 * files a watcher reports later. Globs are matched against the path relative to the workspace
 * folder, `/`-separated; a pattern that matches a folder excludes everything under it.
 * Pure: no `vscode`, no DOM.
 */

export type ExcludeSetting = Record<string, unknown> | undefined | null;

/**
 * Files the workspace search never reads, whatever the settings say: where keys and passwords
 * usually live. A search sends what it finds to the model by itself, so these stay out of it (the
 * user can still attach such a file on purpose, with an @-mention).
 */
export const SECRET_FILE_PATTERNS: readonly string[] = [
  '**/.env', '**/.env.*', '**/*.pem', '**/*.key', '**/*.p12', '**/*.pfx', '**/*.keystore', '**/*.jks',
  '**/id_rsa*', '**/id_dsa*', '**/id_ecdsa*', '**/id_ed25519*', '**/.npmrc', '**/.pypirc', '**/.netrc',
  '**/.git-credentials', '**/.aws/credentials', '**/.docker/config.json', '**/secrets.json', '**/secrets.yaml', '**/secrets.yml',
];

/** At most this many alternatives come out of one pattern's braces (`{a,b}{c,d}` → 4). */
const MAX_EXPANSIONS = 64;

/**
 * The patterns in force of some exclude settings, in order, each once. A pattern is in force when
 * its value is `true`; `{ when: … }` clauses (exclude `x.js` only beside an `x.ts`) are left out:
 * a plain glob cannot say them, and leaving out less is the safe side for a search.
 */
export function excludePatterns(...settings: ExcludeSetting[]): string[] {
  const out = new Set<string>();
  for (const setting of settings) {
    if (!setting || typeof setting !== 'object') continue;
    for (const [pattern, value] of Object.entries(setting)) {
      const p = pattern.trim();
      if (value === true && p) out.add(p);
    }
  }
  return [...out];
}

/**
 * `pattern` with its braces expanded (`**\/*.{js,ts}` → `**\/*.js`, `**\/*.ts`), so that the
 * patterns can be joined in one `{…,…}` without nesting braces (which ripgrep, behind findFiles,
 * refuses). Unbalanced braces are kept as they are; more than MAX_EXPANSIONS alternatives stops
 * the expansion (the pattern is returned unexpanded).
 */
export function expandBraces(pattern: string): string[] {
  const open = findTopBrace(pattern);
  if (!open) return [pattern];
  const { start, end, parts } = open;
  const head = pattern.slice(0, start);
  const tails = expandBraces(pattern.slice(end + 1));
  const out: string[] = [];
  for (const part of parts) {
    for (const mid of expandBraces(part)) {
      for (const tail of tails) {
        out.push(head + mid + tail);
        if (out.length > MAX_EXPANSIONS) return [pattern];
      }
    }
  }
  return out;
}

/** The first balanced `{…}` group of `s` and its top-level comma-separated parts. */
function findTopBrace(s: string): { start: number; end: number; parts: string[] } | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] !== '{') continue;
    let depth = 0;
    let from = i + 1;
    const parts: string[] = [];
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          parts.push(s.slice(from, j));
          return { start: i, end: j, parts };
        }
      } else if (c === ',' && depth === 1) {
        parts.push(s.slice(from, j));
        from = j + 1;
      }
    }
    return undefined; // unbalanced
  }
  return undefined;
}

/**
 * One exclude glob for `workspace.findFiles` from the patterns in force: `{p1,p1/**,p2,…}` (each
 * pattern also as a folder, everything under it), braces expanded so none nests. `undefined` when
 * nothing is excluded (findFiles then takes `null`: no exclusion at all).
 */
export function excludeGlob(patterns: readonly string[]): string | undefined {
  const out = new Set<string>();
  for (const pattern of patterns) {
    for (const p of expandBraces(pattern.replace(/\/+$/, ''))) {
      if (!p || p.includes(',')) continue; // a comma outside braces would split the group
      out.add(p);
      if (!p.endsWith('/**')) out.add(`${p}/**`);
    }
  }
  if (!out.size) return undefined;
  return out.size === 1 ? [...out][0] : `{${[...out].join(',')}}`;
}

/**
 * A regular expression matching what VS Code's glob `pattern` matches: `*` and `?` within a path
 * segment, `**` across segments (`**\/` also none), `{a,b}` alternatives, `[abc]` / `[!abc]` /
 * `[^abc]` classes. Case-sensitive, as VS Code's globs are.
 */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${globSource(pattern.replace(/^\.\//, ''))})$`);
}

function globSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**` as a whole segment matches any number of segments, none included
        const atStart = i === 0 || glob[i - 1] === '/';
        let j = i + 2;
        while (glob[j] === '*') j++;
        if (atStart && glob[j] === '/') {
          re += '(?:[^/]*/)*';
          i = j;
        } else if (atStart && j === glob.length) {
          re += '.*';
          i = j - 1;
        } else {
          re += '[^/]*';
          i = j - 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      const group = findTopBrace(glob.slice(i));
      if (!group) {
        re += '\\{';
        continue;
      }
      re += `(?:${group.parts.map(globSource).join('|')})`;
      i += group.end;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[++i]);
    } else {
      re += escapeRe(c);
    }
  }
  return re;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Whether a path relative to its workspace folder (`/`-separated) is excluded by `patterns`: the path or one of its folders matches one. */
export class ExcludeMatcher {
  private readonly res: RegExp[];

  constructor(patterns: readonly string[]) {
    this.res = patterns.map((p) => globToRegExp(p.replace(/\/+$/, '')));
  }

  get empty(): boolean {
    return this.res.length === 0;
  }

  excludes(relPath: string): boolean {
    if (!this.res.length) return false;
    const parts = relPath.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = i === parts.length ? relPath : parts.slice(0, i).join('/');
      if (this.res.some((re) => re.test(p))) return true;
    }
    return false;
  }
}
