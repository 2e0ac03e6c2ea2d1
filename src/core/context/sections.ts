/**
 * The text of the chips that hold several files (a folder's, the open editors'): an optional
 * listing of paths in a fence, then one section per file, each as a file chip is sent
 * (`File <path> (<language>):` and the content in a fence long enough for it, see `fenceFor`).
 * Read back by `sectionsOf` (fence-aware: a `File …:` line inside a file's content is content),
 * for trimming whole files and for the header that counts them.
 * Pure: no `vscode`, no DOM.
 */

/** A line that opens or closes a fence: three or more backticks, then an info string (opening only). */
const FENCE = /^(`{3,})(.*)$/;
/** A section's first line (outside any fence). */
export const SECTION_HEADER = /^File .+ \(.*\):$/;

export interface ChipLayout {
  /** Paths of the listing (the first fenced block, when the text starts with one). */
  listing: string[] | undefined;
  /** Index of the first line of each section, in order. */
  sectionStarts: number[];
  /** The text's lines (split on `\n`). */
  lines: string[];
}

/** Where each line's fence state changes: for each line, whether it is inside a fence after it. */
function fenceStates(lines: readonly string[]): boolean[] {
  const inside: boolean[] = [];
  let open: string | undefined;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (open === undefined) {
      if (m) open = m[1];
    } else if (m && m[1].length >= open.length && !m[2].trim()) {
      open = undefined;
    }
    inside.push(open !== undefined);
  }
  return inside;
}

/** The listing and the sections of a multi-file chip's text. */
export function sectionsOf(text: string): ChipLayout {
  const lines = text.split('\n');
  const inside = fenceStates(lines);
  let listing: string[] | undefined;
  if (lines.length && FENCE.test(lines[0])) {
    const close = inside.findIndex((v, i) => i > 0 && !v);
    if (close > 0) listing = lines.slice(1, close);
  }
  const sectionStarts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const outside = i === 0 || !inside[i - 1];
    if (outside && SECTION_HEADER.test(lines[i])) sectionStarts.push(i);
  }
  return { listing, sectionStarts, lines };
}

/**
 * Closing fences for a text cut after its first `kept` lines, so that a cut inside a file's
 * content still leaves well-formed Markdown: the fence line that closes the open block, or none.
 */
export function closingFence(lines: readonly string[], kept: number): string | undefined {
  let open: string | undefined;
  for (const line of lines.slice(0, kept)) {
    const m = FENCE.exec(line);
    if (open === undefined) {
      if (m) open = m[1];
    } else if (m && m[1].length >= open.length && !m[2].trim()) {
      open = undefined;
    }
  }
  return open;
}
