/**
 * The code blocks of an answer, as the chat view numbers them: every Markdown code block (fenced
 * or indented, also inside lists and block quotes) in document order, read with the same parser
 * the view renders with (`marked`, GFM). The code actions (Copy, Insert, Apply, New File) take
 * their code from here, by the block's index, never from the webview's message.
 */
import { splitMarkdownBlocks } from '../../common/markdown/blocks';
import { nestingExceeds } from '../../common/markdown/chunks';
import { languageIdForFence } from '../../common/markdown/languages';

export interface AnswerCodeBlock {
  /** The code as the view shows it: no trailing line break, `\n` line breaks. */
  code: string;
  /** The fence's info string ('' for none or an indented block). */
  info: string;
  /** The VS Code language id for the info string. */
  languageId: string;
}

type MarkedModule = typeof import('marked', { with: { 'resolution-mode': 'import' } });
let markedModule: Promise<MarkedModule> | undefined;

/** Nested quotes or list items past which the view shows a block as its text (render/markdown.ts). */
const MAX_NESTING = 256;

/**
 * The code blocks of `markdown`, in the order the chat view numbers them. Never throws: an answer
 * the parser cannot take whole (deep nesting overflows marked's stack) is read block by block, as
 * the view renders it, and a block it cannot read, or nested too deep, has no code blocks (the view
 * shows it as text). A block numbered differently anyway is caught by the fingerprint check.
 */
export async function answerCodeBlocks(markdown: string): Promise<AnswerCodeBlock[]> {
  // marked is an ES module; this layer compiles to CommonJS too (unit tests), so it is loaded lazily.
  const { Marked } = await (markedModule ??= import('marked'));
  const marked = new Marked({ gfm: true, breaks: false });
  const read = (text: string): AnswerCodeBlock[] => {
    const blocks: AnswerCodeBlock[] = [];
    marked.walkTokens(marked.lexer(text), (token) => {
      if (token.type !== 'code') return;
      const info = typeof token.lang === 'string' ? token.lang.trim() : '';
      blocks.push({ code: String(token.text).replace(/\n$/, ''), info, languageId: languageIdForFence(info) });
    });
    return blocks;
  };
  try {
    return read(markdown);
  } catch {
    const blocks: AnswerCodeBlock[] = [];
    for (const block of splitMarkdownBlocks(markdown)) {
      if (nestingExceeds(block, MAX_NESTING)) continue;
      try {
        blocks.push(...read(block));
      } catch {
        // shown as text by the view: no code blocks
      }
    }
    return blocks;
  }
}
