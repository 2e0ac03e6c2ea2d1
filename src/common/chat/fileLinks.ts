/**
 * File references in an answer's text (`src/util.py:12`, `src/a.ts:3-9`, `C:\proj\a.cs:7`,
 * `lib/x.go#L40`), which the chat view turns into links that open the file there (OpenLocation).
 * Pure: no DOM; the view runs it over one rendered block's text nodes at a time.
 *
 * A reference is a path whose file name has an extension (a letter first: `v1.2:3` and `12.30:45`
 * are not files) followed by a line, or a path the caller knows (the workspace-search snippets sent
 * with the question), with or without a line. Never inside a URL or an address: a path must not
 * follow an ASCII letter, digit, `/`, `\`, `.`, `:` or `@` (so nothing in `http://x:80`,
 * `https://host/a.py:3` or `a@b.com:25` matches), and a bare `host.com:8080` is taken for a host.
 * Trailing punctuation (`src/a.ts:12.`, `见 src/a.ts:12。`) is not part of it.
 */

export interface FileRef {
  /** Where the reference starts and ends in the text (end exclusive), line suffix included. */
  start: number;
  end: number;
  /** The path as written (workspace-relative or absolute; `\` kept for Windows paths). */
  path: string;
  /** 1-based; 0 when the reference names no line. */
  line: number;
  /** The last line of a range (`:3-9` → 9), when one is given. */
  endLine?: number;
}

/** Longest path taken as a reference (OpenLocation accepts up to 4096 characters). */
const MAX_PATH = 1024;
const MAX_LINE = 100_000_000;

// A path: optional drive or ./ ../ / prefix, then segments of file-name characters separated by
// / or \. A line suffix: `:12`, `:12-20`, `:12:5` (line and column), `#L12`, `#L12-L20`.
const REF = /(?<![A-Za-z0-9_./\\:@~$+-])((?:[A-Za-z]:[\\/]|\.{1,2}[\\/]|[\\/])?(?:[\w.@~+$-]+[\\/])*[\w.@~+$-]+)(?:(?::(\d{1,9})(?:(?:[-–]L?|:)(\d{1,9}))?)|(?:#L(\d{1,9})(?:-L?(\d{1,9}))?))?(?![\w\\/])/gu;

/** A file name with an extension that starts with a letter: `util.py`, `a.test.ts`, `.eslintrc.json`. */
const HAS_EXTENSION = /[^\\/.]\.[A-Za-z][A-Za-z0-9_+-]{0,15}$|^\.[A-Za-z][\w.-]*$/;
/** Top-level domains a bare `name.tld:port` is more likely a host than a file. */
const HOST_SUFFIX = /\.(?:com|org|net|io|cn|dev|app|co|edu|gov|info|local|localhost|internal|me|ai|xyz|cloud|site|tech)$/i;

function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** The path with trailing characters that end a sentence rather than a file name removed. */
function trimPath(path: string): string {
  return path.replace(/[.~+$@-]+$/, '');
}

/**
 * The file references in `text`, in order. `known`: workspace-relative paths the caller knows
 * (snippet refs): they match without an extension, and without a line.
 */
export function findFileRefs(text: string, known?: ReadonlySet<string>): FileRef[] {
  const refs: FileRef[] = [];
  // Quick outs: no line suffix anywhere, and no known path to look for.
  if (!/[:#]/.test(text) && !(known && known.size)) return refs;
  REF.lastIndex = 0;
  for (let m = REF.exec(text); m; m = REF.exec(text)) {
    const raw = m[1];
    const lineText = m[2] ?? m[4];
    const endText = m[3] ?? m[5];
    let path = raw;
    let end = m.index + m[0].length;
    if (lineText === undefined) {
      // No line: the path alone, without trailing punctuation, must be a known one.
      path = trimPath(raw);
      end = m.index + path.length;
    }
    if (!path || path.length > MAX_PATH) continue;
    const isKnown = !!known && known.has(path.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (!isKnown) {
      if (lineText === undefined) continue;
      const name = basename(path);
      if (!HAS_EXTENSION.test(name)) continue;
      // `example.com:8080`: a host and port, not a file (a path with a folder is still a file).
      if (!/[\\/]/.test(path) && HOST_SUFFIX.test(name)) continue;
    }
    const line = lineText === undefined ? 0 : Number(lineText);
    if (line > MAX_LINE) continue;
    const ref: FileRef = { start: m.index, end, path, line };
    if (endText !== undefined) {
      const last = Number(endText);
      if (last >= line && last <= MAX_LINE && m[0].includes(`:${lineText}:`) === false) ref.endLine = last;
    }
    refs.push(ref);
  }
  return refs;
}

/** The reference that `text` is, whole (surrounding spaces aside): for inline code like `` `src/a.ts:3` ``. */
export function fileRefOf(text: string, known?: ReadonlySet<string>): FileRef | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > MAX_PATH + 40) return undefined;
  const refs = findFileRefs(trimmed, known);
  return refs.length === 1 && refs[0].start === 0 && refs[0].end === trimmed.length ? refs[0] : undefined;
}

/** `src/a.ts:3-9`, `src/a.ts:3`, or `src/a.ts` for a reference or snippet. */
export function formatFileRef(path: string, startLine: number, endLine?: number): string {
  if (!startLine) return path;
  return endLine !== undefined && endLine > startLine ? `${path}:${startLine}-${endLine}` : `${path}:${startLine}`;
}
