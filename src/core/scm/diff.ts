/**
 * A unified diff as `git diff` prints it, cut into files and hunks, so that a diff too large for
 * the context window can be summarized per file and sent as whole hunks only (see pack.ts).
 * Lines are kept exactly as they came (a CRLF file's lines keep their `\r`): a hunk's text is a
 * slice of the input. Pure: no `vscode`, no DOM.
 */

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode';

export interface DiffHunk {
  /** The hunk's text, from its `@@` line to its last line, each with its line break (exactly as in the input). */
  readonly text: string;
  readonly added: number;
  readonly removed: number;
}

export interface DiffFile {
  /** The path after the change (before it, for a deleted file). */
  readonly path: string;
  /** The path before a rename or copy. */
  readonly oldPath?: string;
  readonly status: FileStatus;
  /** The lines before the first hunk (`diff --git`, `index`, `---`, `+++`, rename and mode lines, `Binary files … differ`). */
  readonly header: string;
  readonly hunks: readonly DiffHunk[];
  readonly added: number;
  readonly removed: number;
  readonly binary: boolean;
}

/** Git's C-style quoting of unusual paths (`"a/\344\270\255.txt"`), undone; other text as is. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[i + 1];
      const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8));
        i += 3;
        continue;
      }
      if (next in simple) {
        bytes.push(simple[next]);
        i += 1;
        continue;
      }
    }
    for (const b of new TextEncoder().encode(ch)) bytes.push(b);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** `a/x` / `b/x` → `x`; `/dev/null` → undefined. */
function stripPrefix(p: string): string | undefined {
  const path = unquotePath(p.replace(/\t.*$/, '').replace(/\r$/, ''));
  if (path === '/dev/null') return undefined;
  return /^[abciwo12]\//.test(path) ? path.slice(2) : path;
}

/** The two paths of a `diff --git a/x b/y` line, when they can be told apart. */
function gitLinePaths(line: string): { a?: string; b?: string } {
  const rest = line.slice('diff --git '.length).replace(/\r?\n?$/, '');
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted) return { a: stripPrefix(quoted[1]), b: stripPrefix(quoted[2]) };
  // unquoted paths with spaces: `a/x y b/x y` splits in the middle when both halves agree
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const a = stripPrefix(rest.slice(0, half));
    const b = stripPrefix(rest.slice(half + 1));
    if (a === b) return { a, b };
  }
  return {};
}

/** Splits text into lines, each with its `\n` (the last one may have none). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) lines.push(text.slice(start));
      return lines;
    }
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

/** The old and new line counts a `@@ -a,b +c,d @@` line announces. */
function hunkCounts(line: string): { oldLines: number; newLines: number } | undefined {
  const m = /^@@+ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
  if (!m) return undefined;
  return { oldLines: m[1] === undefined ? 1 : Number(m[1]), newLines: m[2] === undefined ? 1 : Number(m[2]) };
}

/**
 * Parses `git diff` output. A file starts at `diff --git`; its hunks at `@@`. A hunk ends when the
 * line counts of its `@@` line are used up (so a removed line that reads `-- a` or a context line
 * that reads `diff --git` inside a hunk stay in it), or at the next file. Text before the first
 * `diff --git` (none from git) is ignored.
 */
export function parseDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  const lines = splitLines(text);
  let i = 0;
  while (i < lines.length && !lines[i].startsWith('diff --git ')) i++;
  while (i < lines.length) {
    const first = lines[i];
    const header: string[] = [first];
    i++;
    let oldPath: string | undefined;
    let newPath: string | undefined;
    let renameFrom: string | undefined;
    let renameTo: string | undefined;
    let copied = false;
    let binary = false;
    let created = false;
    let deleted = false;
    let modeOnly = false;
    while (i < lines.length && !lines[i].startsWith('@@') && !lines[i].startsWith('diff --git ')) {
      const line = lines[i].replace(/\r?\n$/, '');
      header.push(lines[i]);
      i++;
      if (line.startsWith('--- ')) oldPath = stripPrefix(line.slice(4));
      else if (line.startsWith('+++ ')) newPath = stripPrefix(line.slice(4));
      else if (line.startsWith('rename from ')) renameFrom = unquotePath(line.slice(12));
      else if (line.startsWith('rename to ')) renameTo = unquotePath(line.slice(10));
      else if (line.startsWith('copy from ')) {
        renameFrom = unquotePath(line.slice(10));
        copied = true;
      } else if (line.startsWith('copy to ')) renameTo = unquotePath(line.slice(8));
      else if (line.startsWith('new file mode')) created = true;
      else if (line.startsWith('deleted file mode')) deleted = true;
      else if (line.startsWith('old mode') || line.startsWith('new mode')) modeOnly = true;
      else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') binary = true;
    }
    const hunks: DiffHunk[] = [];
    while (i < lines.length && lines[i].startsWith('@@')) {
      const counts = hunkCounts(lines[i]);
      const body: string[] = [lines[i]];
      i++;
      let oldLeft = counts?.oldLines ?? Infinity;
      let newLeft = counts?.newLines ?? Infinity;
      let added = 0;
      let removed = 0;
      while (i < lines.length) {
        const line = lines[i];
        if (line.startsWith('\\')) {
          // "\ No newline at end of file" belongs to the line before it
          body.push(line);
          i++;
          continue;
        }
        if (oldLeft <= 0 && newLeft <= 0) break;
        if (!counts && (line.startsWith('@@') || line.startsWith('diff --git '))) break;
        if (line.startsWith('+')) {
          added++;
          newLeft--;
        } else if (line.startsWith('-')) {
          removed++;
          oldLeft--;
        } else {
          oldLeft--;
          newLeft--;
        }
        body.push(line);
        i++;
      }
      hunks.push({ text: body.join(''), added, removed });
    }
    // anything else before the next file (never from git) stays with the file's last part
    while (i < lines.length && !lines[i].startsWith('diff --git ')) {
      if (hunks.length) {
        const last = hunks[hunks.length - 1];
        hunks[hunks.length - 1] = { ...last, text: last.text + lines[i] };
      } else header.push(lines[i]);
      i++;
    }
    const fromLine = gitLinePaths(first);
    const path = renameTo ?? newPath ?? oldPath ?? fromLine.b ?? fromLine.a ?? '?';
    const status: FileStatus = binary
      ? 'binary'
      : renameFrom !== undefined
        ? copied
          ? 'copied'
          : 'renamed'
        : created
          ? 'added'
          : deleted
            ? 'deleted'
            : modeOnly && hunks.length === 0
              ? 'mode'
              : 'modified';
    files.push({
      path,
      oldPath: renameFrom ?? (fromLine.a !== undefined && fromLine.a !== path ? fromLine.a : undefined),
      status,
      header: header.join(''),
      hunks,
      added: hunks.reduce((n, h) => n + h.added, 0),
      removed: hunks.reduce((n, h) => n + h.removed, 0),
      binary,
    });
  }
  return files;
}
