/**
 * Where the chat view cuts a code block into chunks, and a failed Markdown block into pieces.
 *
 * A code block is shown as a column of chunks, each a block box of whole lines: appending to a
 * block still being written lays out only its last chunk, and highlighting works a chunk at a
 * time (in idle time, each chunk once), so no single task grows with the block. The cuts depend
 * only on the text before them, so a block cut while it streams and the same block cut at once
 * give the same chunks. A chunk ends after a blank line once it holds `CHUNK_MIN` characters
 * (where a chunk most likely starts outside a string or comment, so colours stay right), or after
 * any line once it holds `CHUNK_MAX`. Pure.
 */

export const CHUNK_MIN = 1200;
export const CHUNK_MAX = 4000;

/**
 * The end of the chunk that starts at `from` in `code` (an offset just after a line break), or
 * -1 when no cut is due in the text there is so far. `scanFrom` (≥ `from`, at a line start) lets
 * a caller that saw part of the chunk before go on from there.
 */
export function codeChunkEnd(code: string, from: number, scanFrom = from): number {
  let lineStart = scanFrom;
  for (;;) {
    const nl = code.indexOf('\n', lineStart);
    if (nl < 0) return -1;
    const end = nl + 1;
    const size = end - from;
    if (size >= CHUNK_MAX || (size >= CHUNK_MIN && isBlank(code, lineStart, nl))) return end;
    lineStart = end;
  }
}

/** All the chunks of a finished code block (their concatenation is `code`). */
export function splitCode(code: string): string[] {
  const chunks: string[] = [];
  let from = 0;
  for (;;) {
    const end = codeChunkEnd(code, from);
    if (end < 0 || end >= code.length) break;
    chunks.push(code.slice(from, end));
    from = end;
  }
  if (from < code.length || !chunks.length) chunks.push(code.slice(from));
  return chunks;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * A Markdown block that could not be rendered (the parser ran out of stack on thousands of
 * nested quotes, say), cut into smaller pieces to render one by one: at blank lines outside
 * fenced code, so prose after the bad part still renders and a code block stays whole. The
 * pieces' concatenation is `text`.
 */
export function fallbackPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let fence: { char: string; length: number } | undefined;
  let lineStart = 0;
  let previousBlank = false;
  /** The piece so far has more than blank lines. */
  let hasText = false;
  while (lineStart < text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    const line = text.slice(lineStart, nl);
    const blank = !line.trim();
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1][0] === fence.char && marker[1].length >= fence.length && !line.slice(marker[0].length).trim()) fence = undefined;
    } else if (marker) {
      fence = { char: marker[1][0], length: marker[1].length };
    }
    // A piece starts at the first line with text after blank lines outside a fence.
    if (!blank && previousBlank && hasText && !(fence && !marker)) {
      pieces.push(text.slice(start, lineStart));
      start = lineStart;
    }
    previousBlank = blank && !fence;
    hasText ||= !blank;
    lineStart = nl + 1;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/**
 * Whether a line of `text` opens more than `limit` nested containers (block quotes and list
 * items) at its start. marked follows such nesting by recursion, and runs out of stack somewhere
 * past a thousand levels, at a depth that depends on the stack already in use: a renderer that
 * refuses such a block up front fails the same way whatever called it.
 */
export function nestingExceeds(text: string, limit: number): boolean {
  let lineStart = 0;
  while (lineStart < text.length) {
    let depth = 0;
    let i = lineStart;
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t') {
        i++;
      } else if (c === '>') {
        depth++;
        i++;
      } else if ((c === '-' || c === '*' || c === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        depth++;
        i += 2;
      } else if (c >= '0' && c <= '9') {
        let j = i;
        while (j < text.length && j - i < 9 && text[j] >= '0' && text[j] <= '9') j++;
        if ((text[j] === '.' || text[j] === ')') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
          depth++;
          i = j + 2;
        } else {
          break;
        }
      } else {
        break;
      }
      if (depth > limit) return true;
    }
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return false;
}
