/**
 * A file cut into snippets for the workspace index: whole top-level declarations where the text
 * shows them (a line at the file's outer indentation that starts a function, class, method block
 * and so on, up to the next such line), long ones cut at blank lines, short neighbours joined.
 * Lines are 0-based, `end` exclusive. Pure: no `vscode`, no DOM.
 */

export interface Chunk {
  /** First line (0-based). */
  start: number;
  /** After the last line. */
  end: number;
}

/** A snippet longer than this is cut (at a blank line where there is one near). */
export const MAX_CHUNK_LINES = 80;
/** Snippets shorter than this are joined to the one before. */
const MIN_CHUNK_LINES = 6;

/** A line that starts a declaration at the outer level (common keywords of the languages people use). */
const DECLARATION =
  /^(?:export\s+|public\s+|private\s+|protected\s+|internal\s+|static\s+|async\s+|default\s+|abstract\s+|final\s+|pub(?:\([^)]*\))?\s+|unsafe\s+|extern\s+|inline\s+|virtual\s+|override\s+|@\w+.*\s*)*(?:function\*?|class|interface|type|enum|const|let|var|def|fn|func|struct|impl|trait|module|namespace|object|record|void|int|bool|char|float|double|long|auto|template)\b/;
const BLANK = /^\s*$/;

/** The snippets of a file's lines. */
export function chunkLines(lines: readonly string[]): Chunk[] {
  const n = lines.length;
  if (n === 0) return [];
  const outer = outerIndent(lines);
  // where a declaration starts (with the comments and decorators right above it)
  const starts: number[] = [0];
  for (let i = 1; i < n; i++) {
    const line = lines[i];
    if (indentOf(line) !== outer || BLANK.test(line)) continue;
    const body = line.slice(outer);
    if (!DECLARATION.test(body)) continue;
    let s = i;
    while (s > 0 && !BLANK.test(lines[s - 1]) && indentOf(lines[s - 1]) === outer && /^\s*(?:\/\/|#|\*|\/\*|@|--|;)/.test(lines[s - 1])) s--;
    if (s > starts[starts.length - 1]) starts.push(s);
  }
  const chunks: Chunk[] = [];
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    const end = k + 1 < starts.length ? starts[k + 1] : n;
    for (const piece of cutLong(lines, start, end)) {
      const last = chunks[chunks.length - 1];
      if (last && (piece.end - piece.start < MIN_CHUNK_LINES || last.end - last.start < MIN_CHUNK_LINES) && piece.end - last.start <= MAX_CHUNK_LINES) {
        last.end = piece.end;
      } else {
        chunks.push(piece);
      }
    }
  }
  return chunks;
}

/** [start, end) in pieces of at most MAX_CHUNK_LINES, cut at the last blank line of each where there is one in its second half. */
function cutLong(lines: readonly string[], start: number, end: number): Chunk[] {
  const out: Chunk[] = [];
  let s = start;
  while (end - s > MAX_CHUNK_LINES) {
    let cut = s + MAX_CHUNK_LINES;
    for (let i = cut - 1; i > s + MAX_CHUNK_LINES / 2; i--) {
      if (BLANK.test(lines[i])) {
        cut = i + 1;
        break;
      }
    }
    out.push({ start: s, end: cut });
    s = cut;
  }
  if (end > s) out.push({ start: s, end });
  return out;
}

function indentOf(line: string): number {
  let k = 0;
  while (k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
  return k;
}

/** The smallest indentation of a non-blank line (a file of methods pasted indented still has an outer level). */
function outerIndent(lines: readonly string[]): number {
  let min = Infinity;
  for (const line of lines) {
    if (BLANK.test(line)) continue;
    min = Math.min(min, indentOf(line));
    if (min === 0) return 0;
  }
  return min === Infinity ? 0 : min;
}
