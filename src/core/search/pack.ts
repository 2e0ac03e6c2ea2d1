/**
 * Chooses which found snippets go into the prompt: best first, whole snippets only, overlapping
 * or touching ones of a file joined, until the token budget is spent; then orders them by file
 * and line, each with its path and lines, for the model and for "Used N snippets from M files".
 * Pure: no `vscode`, no DOM.
 */
import { estimateTokens } from '../budget/tokens';
import { fenceFor } from '../chat/prompt';

export interface SnippetText {
  path: string;
  /** 0-based lines [start, end). */
  start: number;
  end: number;
  text: string;
}

export interface Packed {
  snippets: SnippetText[];
  files: number;
  tokens: number;
  /** Snippets found but left out for the budget. */
  leftOut: number;
}

/** The prompt text of a packed snippet: its place as `path:first-last` (1-based) and the code fenced. */
export function snippetBlock(s: SnippetText): string {
  const fence = fenceFor(s.text);
  return `${s.path}:${s.start + 1}-${s.end}\n${fence}\n${s.text}\n${fence}`;
}

/**
 * Packs `ranked` (best first) into `budgetTokens`. A snippet that would not fit is skipped (a
 * smaller one after it may still fit); none is ever cut.
 */
export function packSnippets(ranked: readonly SnippetText[], budgetTokens: number): Packed {
  const chosen: SnippetText[] = [];
  let tokens = 0;
  let leftOut = 0;
  for (const s of ranked) {
    if (chosen.some((c) => c.path === s.path && c.start <= s.start && s.end <= c.end)) continue; // already in
    const cost = estimateTokens(snippetBlock(s)) + 1;
    if (tokens + cost > budgetTokens) {
      leftOut++;
      continue;
    }
    chosen.push(s);
    tokens += cost;
  }
  chosen.sort((a, b) => (a.path === b.path ? a.start - b.start : a.path < b.path ? -1 : 1));
  return { snippets: chosen, files: new Set(chosen.map((s) => s.path)).size, tokens, leftOut };
}
