/**
 * Finds the comment "generate from comment" works from: the comment the cursor is on, or the one
 * right above the blank line(s) the cursor is on. Line comments on consecutive lines are one
 * block; block comments (`/* *\/`, `/** *\/`, `<!-- -->`, Python docstrings, Ruby `=begin`/`=end`,
 * Haskell `{- -}`, Lua `--[[ ]]`, …) are one block however many lines they span. Only comments
 * that stand on their own lines count: a comment after code on the same line is not an
 * instruction to write code below it.
 *
 * Lines are scanned from the top of the document with a small tokenizer that knows the
 * language's strings, so a `/*` or `#` inside a string does not start a comment. Pure: no
 * `vscode`, no DOM.
 */
import { BlockDelimiter, commentSyntax, CommentSyntax } from './languages';
import { indentWidth } from './clean';

export interface CommentBlock {
  /** First and last line of the comment, 0-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** What the comment says: markers, leading `*`s and the common indentation removed, lines joined with `\n`. */
  readonly text: string;
  /** The indentation of the comment's first line. */
  readonly indent: string;
  /** Consecutive line comments, or one block comment (docstrings included). */
  readonly kind: 'line' | 'block';
  /** A block comment with no end yet (the user is still typing it). */
  readonly unclosed?: boolean;
}

export interface InsertionPoint {
  /**
   * The line the generated code is inserted before (0-based): the line after the comment. Equal
   * to `lines.length` when the comment ends the document; then insert a line break and the code
   * at the end of the comment's last line instead.
   */
  readonly line: number;
  /** The indentation for the generated code. */
  readonly indent: string;
  /** The comment is the document's last line (see `line`). */
  readonly atEndOfDocument: boolean;
}

/** How many blank lines between the comment and the cursor still count as "right below". */
const MAX_BLANK_LINES = 3;
/** How far below the cursor a block comment may end before it counts as unclosed. */
const MAX_BLOCK_LINES = 2000;

interface Region {
  startLine: number;
  startCol: number;
  endLine: number;
  /** Column after the closing delimiter; `-1` while (or if never) closed. */
  endCol: number;
  openLength: number;
  closeLength: number;
  /** `/*`-style comments, whose inner lines may start with `*`. */
  star: boolean;
  ownLine: boolean;
}

type State =
  | { readonly t: 'code' }
  | { readonly t: 'block'; readonly region: Region; readonly close: string; readonly openText: string; readonly delimiter: BlockDelimiter; depth: number }
  | { readonly t: 'string'; readonly quote: string; readonly region?: Region };

interface Scan {
  readonly regions: Region[];
  /** For each scanned line, the marker of the line comment that starts it (after indentation), if any. */
  readonly lineMarkers: (string | undefined)[];
}

const firstNonSpace = (line: string): number => {
  const m = /\S/.exec(line);
  return m ? m.index : line.length;
};
const isBlank = (line: string): boolean => line.trim() === '';

/** The index after the closing `quote` that ends a string starting before `from`, or -1 (backslash escapes). */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
    } else if (line.startsWith(quote, i)) {
      return i + quote.length;
    }
  }
  return -1;
}

/** Tokenizes `lines` from the top until past line `upTo` (and the block comment around it, if any). */
function scan(lines: readonly string[], syntax: CommentSyntax, upTo: number): Scan {
  const regions: Region[] = [];
  const lineMarkers: (string | undefined)[] = [];
  let state: State = { t: 'code' };
  const limit = Math.min(lines.length, upTo + MAX_BLOCK_LINES);
  for (let i = 0; i < limit; i++) {
    // Past the cursor only to finish the comment around it: a block comment, or consecutive line comments.
    if (i > upTo && state.t === 'code' && lineMarkers[i - 1] === undefined) break;
    const line = lines[i];
    const first = firstNonSpace(line);
    let col = 0;
    while (col < line.length) {
      if (state.t === 'block') {
        const s = state;
        if (s.delimiter.ownLine) {
          if (line.trim().startsWith(s.close)) {
            s.region.endLine = i;
            s.region.endCol = line.length;
            state = { t: 'code' };
          }
          col = line.length;
          break;
        }
        const close = line.indexOf(s.close, col);
        const open = s.delimiter.nested ? line.indexOf(s.openText, col) : -1;
        if (open >= 0 && (close < 0 || open < close)) {
          s.depth++;
          col = open + s.openText.length;
          continue;
        }
        if (close < 0) break;
        col = close + s.close.length;
        if (--s.depth === 0) {
          s.region.endLine = i;
          s.region.endCol = col;
          state = { t: 'code' };
        }
        continue;
      }
      if (state.t === 'string') {
        const end = closingQuote(line, col, state.quote);
        if (end < 0) break;
        if (state.region) {
          state.region.endLine = i;
          state.region.endCol = end;
        }
        col = end;
        state = { t: 'code' };
        continue;
      }
      // Code.
      let matched = false;
      for (const delimiter of syntax.blocks) {
        if (delimiter.ownLine && col !== first) continue;
        delimiter.open.lastIndex = col;
        const m = delimiter.open.exec(line);
        if (!m) continue;
        if (delimiter.ownLine && /\S/.test(line.slice(col + m[0].length, col + m[0].length + 1))) continue; // `=beginning`
        const region: Region = {
          startLine: i, startCol: col, endLine: i, endCol: -1, openLength: m[0].length, closeLength: delimiter.close(m).length,
          star: m[0] === '/*', ownLine: !!delimiter.ownLine,
        };
        regions.push(region);
        state = { t: 'block', region, close: delimiter.close(m), openText: m[0], delimiter, depth: 1 };
        col = delimiter.ownLine ? line.length : col + m[0].length;
        matched = true;
        break;
      }
      if (matched) continue;
      const marker = syntax.line.find((mk) => line.startsWith(mk, col) && (!syntax.markerAfterSpace || col === 0 || /\s/.test(line[col - 1])));
      if (marker) {
        if (col === first && !syntax.notComment?.test(line.slice(col))) lineMarkers[i] = marker;
        break;
      }
      if (syntax.tripleQuotes) {
        const m = /([rRuUbBfF]{0,2})("""|''')/y;
        m.lastIndex = col;
        const t = m.exec(line);
        if (t && (col === 0 || !/\w/.test(line[col - 1]))) {
          const quote = t[2];
          let region: Region | undefined;
          if (col === first) {
            // A string standing alone is a docstring: a comment.
            region = { startLine: i, startCol: col, endLine: i, endCol: -1, openLength: t[0].length, closeLength: 3, star: false, ownLine: false };
            regions.push(region);
          }
          state = { t: 'string', quote, region };
          col += t[0].length;
          continue;
        }
      }
      const ch = line[col];
      if (syntax.quotes.includes(ch) || syntax.multilineQuotes.includes(ch)) {
        const end = closingQuote(line, col + 1, ch);
        if (end >= 0) {
          col = end;
          continue;
        }
        if (syntax.multilineQuotes.includes(ch)) state = { t: 'string', quote: ch };
        break; // an unterminated string ends the line
      }
      col++;
    }
    if (state.t === 'block') state.region.endLine = i;
    if (state.t === 'string' && state.region) state.region.endLine = i;
  }
  return { regions, lineMarkers };
}

// ---- comment text ------------------------------------------------------------------------------

/** Removes the lines' common indentation, trailing spaces, and blank lines at both ends. */
function tidy(lines: readonly string[]): string {
  const trimmed = lines.map((l) => l.replace(/\s+$/, ''));
  let a = 0;
  let b = trimmed.length;
  while (a < b && !trimmed[a]) a++;
  while (b > a && !trimmed[b - 1]) b--;
  const body = trimmed.slice(a, b);
  let common: number | undefined;
  for (const l of body) if (l) common = Math.min(common ?? Infinity, firstNonSpace(l));
  return body.map((l) => l.slice(Math.min(common ?? 0, firstNonSpace(l)))).join('\n');
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text of consecutive line comments: the marker (repeated, as in `///` or `;;`), a `!` (`//!`) and one space go. */
function lineCommentText(lines: readonly string[], marker: string): string {
  const strip = new RegExp(`^\\s*${escapeRe(marker)}(?:${escapeRe(marker[marker.length - 1])})*!? ?`);
  return tidy(lines.map((l) => l.replace(strip, '')));
}

function blockCommentText(lines: readonly string[], r: Region): string {
  if (r.ownLine) return tidy(lines.slice(r.startLine + 1, r.endCol < 0 ? r.endLine + 1 : r.endLine));
  const parts: string[] = [];
  for (let i = r.startLine; i <= r.endLine; i++) {
    const line = lines[i];
    const from = i === r.startLine ? r.startCol + r.openLength : 0;
    const to = i === r.endLine && r.endCol >= 0 ? r.endCol - r.closeLength : line.length;
    parts.push(line.slice(from, Math.max(from, to)));
  }
  // `/**`, `/*!`, `{-|`, `--[[` leftovers on the first line; `**/` on the last.
  parts[0] = parts[0].replace(/^[*!|]+/, '');
  if (r.star) {
    parts[parts.length - 1] = parts[parts.length - 1].replace(/\s*\*+$/, '');
    const inner = parts.slice(1);
    if (inner.length && inner.every((l) => isBlank(l) || /^\s*\*/.test(l))) {
      for (let k = 1; k < parts.length; k++) parts[k] = parts[k].replace(/^\s*\*(?!\/) ?/, '');
    }
  }
  // The first line's text starts after the delimiter: do not let its column set the common indentation.
  const [head, ...rest] = parts;
  const body = tidy(rest);
  const text = [head.trim(), ...(body ? body.split('\n') : [])];
  return tidy(text);
}

// ---- finding ---------------------------------------------------------------------------------

function standalone(lines: readonly string[], r: Region): boolean {
  if (r.startCol !== firstNonSpace(lines[r.startLine])) return false;
  return r.endCol < 0 || isBlank(lines[r.endLine].slice(r.endCol));
}

/**
 * The comment block at or right above `line` (0-based), or undefined when the cursor is neither
 * in a comment nor on a blank line right below one (up to three blank lines).
 */
export function findCommentAt(documentLines: readonly string[], line: number, languageId: string): CommentBlock | undefined {
  if (!Number.isInteger(line) || line < 0 || line >= documentLines.length) return undefined;
  const lines = documentLines.map((l) => l.replace(/\r$/, ''));
  const { regions, lineMarkers } = scan(lines, commentSyntax(languageId), line);

  const commentOn = (t: number): CommentBlock | undefined => {
    const region = regions.find((r) => r.startLine <= t && t <= r.endLine);
    if (region) {
      if (!standalone(lines, region)) return undefined;
      let endLine = region.endLine;
      if (region.endCol < 0) {
        // Unclosed: the comment is being typed; it ends at the last line before a blank one.
        endLine = region.startLine;
        while (endLine + 1 < lines.length && endLine + 1 <= Math.max(t, region.startLine) + MAX_BLOCK_LINES && !isBlank(lines[endLine + 1])) endLine++;
        endLine = Math.max(endLine, t);
      }
      const r = { ...region, endLine };
      return {
        startLine: r.startLine,
        endLine,
        text: blockCommentText(lines, r),
        indent: lines[r.startLine].slice(0, r.startCol),
        kind: 'block',
        ...(region.endCol < 0 ? { unclosed: true } : {}),
      };
    }
    const marker = lineMarkers[t];
    if (!marker) return undefined;
    const inRegion = (k: number): boolean => regions.some((r) => r.startLine <= k && k <= r.endLine);
    let start = t;
    while (start > 0 && lineMarkers[start - 1] === marker && !inRegion(start - 1)) start--;
    let end = t;
    while (end + 1 < lines.length && lineMarkers[end + 1] === marker && !inRegion(end + 1)) end++;
    const block = lines.slice(start, end + 1);
    return {
      startLine: start,
      endLine: end,
      text: lineCommentText(block, marker),
      indent: lines[start].slice(0, firstNonSpace(lines[start])),
      kind: 'line',
    };
  };

  const onLine = commentOn(line);
  if (onLine || !isBlank(lines[line])) return onLine;
  if (regions.some((r) => r.startLine <= line && line <= r.endLine)) return undefined; // a blank line in a string
  let k = line - 1;
  while (k >= 0 && isBlank(lines[k])) k--;
  if (k < 0 || line - k > MAX_BLANK_LINES) return undefined;
  const above = commentOn(k);
  return above && above.endLine === k ? above : undefined;
}

/**
 * Where code generated from `comment` goes: the line after it, indented like the comment, or like
 * the next non-blank line below when that one is deeper (a comment above a function's body).
 */
export function insertionPointAfter(comment: Pick<CommentBlock, 'endLine' | 'indent'>, lines: readonly string[]): InsertionPoint {
  const line = comment.endLine + 1;
  let indent = comment.indent;
  for (let k = line; k < lines.length; k++) {
    const text = lines[k].replace(/\r$/, '');
    if (isBlank(text)) continue;
    const next = text.slice(0, firstNonSpace(text));
    if (indentWidth(next) > indentWidth(indent)) indent = next;
    break;
  }
  return { line, indent, atEndOfDocument: line >= lines.length };
}
