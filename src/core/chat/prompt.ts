/**
 * What the chat sends: the system prompt, the user's message with its attached code, and the
 * history as clean answers (no thinking, no tags). Pure: no `vscode`, no DOM.
 */
import type { ContextChip, Conversation, Turn, UserTurn } from '../../common/chat/model';
import type { ChatMessage } from '../hunyuan/types';

/** A fence longer than any run of backticks in `code`, so the code cannot close it early. */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function formatChip(chip: ContextChip): string {
  const where = chip.kind === 'file' ? `${chip.label}` : `${chip.label}, lines ${chip.startLine}-${chip.endLine}`;
  const fence = fenceFor(chip.text);
  return `${chip.kind === 'file' ? 'File' : 'Selection from'} ${where} (${chip.languageId}):\n${fence}${chip.languageId}\n${chip.text}\n${fence}`;
}

/** The user message as sent: the attached code first (with path and language), then the question. */
export function userMessageContent(turn: Pick<UserTurn, 'text' | 'context'>): string {
  if (!turn.context.length) return turn.text;
  return `${turn.context.map(formatChip).join('\n\n')}\n\n${turn.text}`;
}

export interface SystemPromptOptions {
  /** VS Code's display language, e.g. `zh-cn` or `en`. */
  displayLanguage: string;
  /** Names of the workspace folders, to situate paths. */
  workspace?: string;
}

export function chatSystemPrompt(o: SystemPromptOptions): string {
  const chinese = o.displayLanguage.toLowerCase().startsWith('zh');
  return [
    'You are Hunyuan Coder, an expert programming assistant inside the VS Code editor.',
    'Answer precisely and concisely. Put code in fenced Markdown code blocks with a language tag.',
    'When the user attaches code, it comes with its file path, line range and language; refer to it by path and line.',
    'When you change attached code, give the complete changed code of that range, not a fragment.',
    chinese
      ? 'Reply in Simplified Chinese unless the user writes in another language.'
      : 'Reply in the language the user writes in.',
    ...(o.workspace ? [`The open workspace is "${o.workspace}".`] : []),
  ].join('\n');
}

/**
 * The history before `upTo` (exclusive) as chat messages: user messages with their code, and
 * assistant answers that produced text. Failed or empty answers and their thinking are left out.
 */
export function historyMessages(turns: readonly Turn[], upTo = turns.length): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const turn of turns.slice(0, upTo)) {
    if (turn.role === 'user') {
      out.push({ role: 'user', content: userMessageContent(turn) });
    } else if (turn.answer.trim() && turn.status !== 'streaming') {
      // An answer the user stopped is still what they saw: keep it, so "go on" makes sense.
      out.push({ role: 'assistant', content: turn.answer });
    }
  }
  // Two user messages in a row (a failed answer between them) are merged, as chat templates expect alternation.
  const merged: ChatMessage[] = [];
  for (const m of out) {
    const last = merged[merged.length - 1];
    if (last && last.role === 'user' && m.role === 'user') last.content = `${last.content}\n\n${m.content}`;
    else merged.push({ ...m });
  }
  return merged;
}

/** A conversation as a Markdown document (for export): questions, attached code, answers, thinking folded. */
export function conversationToMarkdown(c: Conversation, labels: { user: string; assistant: string; thinking: string }): string {
  const parts: string[] = [`# ${c.title || 'Chat'}`, ''];
  for (const turn of c.turns) {
    if (turn.role === 'user') {
      parts.push(`## ${labels.user}`, '', userMessageContent(turn), '');
    } else {
      parts.push(`## ${labels.assistant}`, '');
      if (turn.thinking.trim()) {
        parts.push('<details>', `<summary>${labels.thinking}</summary>`, '', turn.thinking.trim(), '', '</details>', '');
      }
      if (turn.answer) parts.push(turn.answer, '');
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
