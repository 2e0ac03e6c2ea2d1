/**
 * What the chat sends: the system prompt, the user's message with its attached code, and the
 * history as clean answers (no thinking, no tags). Pure: no `vscode`, no DOM.
 */
import type { ContextChip, Conversation, Turn, UserTurn } from '../../common/chat/model';
import type { ChatMessage } from '../hunyuan/types';
import { alternating } from '../hunyuan/request';
import { sectionsOf } from '../context/sections';
import { rulesSystemSection } from '../context/rules';

/** A fence longer than any run of backticks in `code`, so the code cannot close it early. */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * A chip as the model reads it: a header naming what it is and where it comes from, the content
 * in a fence (`fenceFor`), and, when it was cut to fit, a line saying what was left out.
 *
 * - `file`: `File src/a.ts (typescript):`; `selection`: `Selection from src/a.ts, lines 3-9 (typescript):`
 * - `symbol`: `Symbol \`add\` (function) from src/a.ts, lines 2-4 (typescript):` (kind and path from
 *   the chip's detail, `function · src/a.ts`)
 * - `folder`: `Folder src (12 files; the contents of 4 follow):` then the listing and each file
 *   as a `file` chip (the text already holds them: src/core/context/sections.ts)
 * - `editors`: `Open editors (3 files):` then each file as a `file` chip
 * - `problems`: `Problems in src/a.ts:` (or `in the workspace:` without a uri), one a line
 * - `git`: `Staged changes (git diff):` (the label says which changes)
 * - `terminal`: `Terminal command \`npm test\` and its output:` (the label is the command line)
 * - `rules`: `Project rules from AGENTS.md:`; `workspace`: the snippets a search found, each fenced
 */
export function formatChip(chip: ContextChip): string {
  const body = formatChipBody(chip);
  return chip.omitted ? `${body}\n[Left out to fit the context window: ${chip.omitted}.]` : body;
}

function fenced(text: string, info: string): string {
  const fence = fenceFor(text);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** `text` as inline code, with enough backticks around it. */
function inlineCode(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  let longest = 0;
  for (const m of one.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${one} ${ticks}` : `${ticks}${one}${ticks}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function formatChipBody(chip: ContextChip): string {
  const lang = chip.languageId;
  switch (chip.kind) {
    case 'file':
    case 'selection': {
      const where = chip.kind === 'file' ? `${chip.label}` : `${chip.label}, lines ${chip.startLine}-${chip.endLine}`;
      const fence = fenceFor(chip.text);
      return `${chip.kind === 'file' ? 'File' : 'Selection from'} ${where} (${lang}):\n${fence}${lang}\n${chip.text}\n${fence}`;
    }
    case 'symbol': {
      // detail: "<kind> · <path>"
      const m = /^(.+?) · (.+)$/.exec(chip.detail ?? '');
      const what = m ? ` (${m[1]}) from ${m[2]}` : '';
      return `Symbol ${inlineCode(chip.label)}${what}, lines ${chip.startLine}-${chip.endLine} (${lang}):\n${fenced(chip.text, lang)}`;
    }
    case 'folder':
    case 'editors': {
      const layout = sectionsOf(chip.text);
      const sections = layout.sectionStarts.length;
      let counts: string;
      if (chip.kind === 'folder') {
        const files = layout.listing?.length ?? sections;
        counts = `${plural(files, 'file', 'files')}${sections ? `; the contents of ${sections === files ? (files === 1 ? 'it' : 'all') : sections} follow` : ''}`;
      } else {
        counts = plural(sections, 'file', 'files');
      }
      const head = chip.kind === 'folder' ? `Folder ${chip.label} (${counts}):` : `Open editors (${counts}):`;
      return chip.text ? `${head}\n${chip.text}` : head;
    }
    case 'problems': {
      const head = chip.uri ? `Problems in ${chip.label}:` : 'Problems in the workspace:';
      return chip.text ? `${head}\n${fenced(chip.text, lang)}` : `${head} none.`;
    }
    case 'git':
      return chip.text ? `${chip.label} (git diff):\n${fenced(chip.text, lang || 'diff')}` : `${chip.label} (git diff): none.`;
    case 'terminal':
      return `Terminal command ${inlineCode(chip.label)} and its output:\n${fenced(chip.text, lang)}`;
    case 'rules':
      return `Project rules from ${chip.label}:\n${fenced(chip.text, lang || 'markdown')}`;
    case 'workspace':
      return chip.text.trim()
        ? `Code found by a search of the workspace (each with its path and lines):\n${chip.text}`
        : 'A search of the workspace found nothing relevant.';
  }
}

/**
 * Whether a chip goes into the user message: not the rules (they go into the system prompt, see
 * chatSystemPrompt) and not a workspace search that found nothing (or has not run).
 */
export function sentInMessage(chip: ContextChip): boolean {
  return chip.kind !== 'rules' && !(chip.kind === 'workspace' && !chip.text);
}

/** The user message as sent: the attached code first (with path and language), then the question. */
export function userMessageContent(turn: Pick<UserTurn, 'text' | 'context'>): string {
  const chips = turn.context.filter(sentInMessage);
  if (!chips.length) return turn.text;
  return `${chips.map(formatChip).join('\n\n')}\n\n${turn.text}`;
}

/** The project rules a user turn was sent with (its `rules` chip's text), if any. */
export function rulesOf(turn: Pick<UserTurn, 'context'> | undefined): string | undefined {
  return turn?.context.find((c) => c.kind === 'rules')?.text || undefined;
}

export interface SystemPromptOptions {
  /** VS Code's display language, e.g. `zh-cn` or `en`. */
  displayLanguage: string;
  /** Names of the workspace folders, to situate paths. */
  workspace?: string;
  /** The project's rules (AGENTS.md, ...), as the rules chip holds them. */
  rules?: string;
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
    'Refer to code in the workspace as path:line (for example src/app.ts:12), with the path as given to you.',
    ...(o.rules ? ['', rulesSystemSection(o.rules)] : []),
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
  // (two user messages in a row, a failed answer between them, are one: a turn of the budget's)
  return alternating(out);
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
