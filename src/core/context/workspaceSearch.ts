/**
 * The chat's use of the workspace search, pure: when a message asks for it (an `@workspace` chip,
 * or the `auto` setting and a question about the project), how many tokens the snippets may take,
 * and the `workspace` chip's text once they are found. Pure: no `vscode`, no DOM.
 */
import type { ContextChip, SnippetUse } from '../../common/chat/model';
import { estimateTokens } from '../budget/tokens';
import { packSnippets, snippetBlock, type SnippetText } from '../search/pack';

/** The snippets never take more than this many tokens (a third of the 32K window with 8K for the answer). */
export const MAX_SNIPPET_TOKENS = 6000;
/** Below this many tokens of room, no search is worth running. */
export const MIN_SNIPPET_TOKENS = 300;

/** What the setting allows: `mention` (only @workspace), `auto` (also when the question needs it), `off`. */
export type WorkspaceSearchMode = 'mention' | 'auto' | 'off';

export function workspaceSearchMode(value: unknown): WorkspaceSearchMode {
  return value === 'auto' || value === 'off' ? value : 'mention';
}

/**
 * Whether a question is about the project's code, for `auto`: it asks where or how something is
 * done in the project, or names an identifier (camelCase, snake_case, a call, a file name), and the
 * user attached no code of their own. In English and Chinese. Conservative: a general question
 * ("what is a closure?") does not search.
 */
export function questionNeedsSearch(text: string, attachedCode: boolean): boolean {
  if (attachedCode) return false;
  const t = text.trim();
  if (!t) return false;
  const lower = t.toLowerCase();
  const aboutProject = /\b(this|our|the) (project|codebase|code base|repo|repository|workspace|app|extension)\b|\bin (the|this|our) (code|project|repo)\b/.test(lower)
    || /\bwhere (is|are|do|does|did)\b|\bwhich (file|function|class|module|method)\b|\bhow (is|are|does|do) .+ (implemented|handled|computed|done|work)/.test(lower)
    || /项目|代码库|仓库|工作区|在哪|哪里|哪个文件|哪个函数|是怎么实现|如何实现|怎么处理|在哪儿/.test(t);
  const identifier = /\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[a-z0-9]+_[a-z0-9_]+\b|\b\w+\(\)|\b[\w-]+\.(ts|js|py|go|rs|java|cs|cpp|c|h|rb|php|kt|swift|tsx|jsx|vue)\b/.test(t);
  return aboutProject || identifier;
}

/**
 * Tokens the snippets may take: what is left of the window after the answer's `max_tokens` and the
 * rest of the prompt without history (`fixedTokens`: system, rules, chips, the question), up to
 * MAX_SNIPPET_TOKENS; 0 when less than MIN_SNIPPET_TOKENS is left. Older history is dropped before
 * the snippets are (the budget plan drops it to fit), as a search answers the question at hand.
 */
export function snippetBudget(o: { contextWindow: number; maxTokens: number; fixedTokens: number }): number {
  const room = o.contextWindow - o.maxTokens - o.fixedTokens - 64;
  const budget = Math.min(MAX_SNIPPET_TOKENS, room);
  return budget >= MIN_SNIPPET_TOKENS ? budget : 0;
}

/**
 * Fills a `workspace` chip with the best snippets that fit `budgetTokens` (whole snippets, best
 * first; see packSnippets), and says what was used. `ranked`: the search's hits, best first, lines
 * 1-based inclusive.
 */
export function fillWorkspaceChip(
  chip: ContextChip,
  ranked: readonly { path: string; startLine: number; endLine: number; text: string }[],
  budgetTokens: number,
): { chip: ContextChip; use: SnippetUse } {
  const asText: SnippetText[] = ranked.map((s) => ({ path: s.path, start: s.startLine - 1, end: s.endLine, text: s.text }));
  // formatChip puts a header line of ~20 tokens before the snippets
  const packed = packSnippets(asText, Math.max(0, budgetTokens - 24));
  const refs = packed.snippets.map((s) => ({ path: s.path, startLine: s.start + 1, endLine: s.end }));
  const text = packed.snippets.length
    ? packed.snippets.map(snippetBlock).join('\n\n')
    : '';
  const filled: ContextChip = {
    ...chip,
    text,
    startLine: 1,
    endLine: Math.max(1, text.split('\n').length),
    tokens: text ? estimateTokens(text) : 0,
    ...(packed.leftOut ? { omitted: `${packed.leftOut} more snippet${packed.leftOut === 1 ? '' : 's'} found (no room)` } : {}),
  };
  return { chip: filled, use: { snippets: packed.snippets.length, files: packed.files, refs } };
}
