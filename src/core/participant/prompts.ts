/**
 * What `@hunyuan` in VS Code's Chat view sends: the system prompt and the user message for a
 * request (no command, `/explain`, `/fix`, `/tests`, `/doc`), the chat history as messages, and the
 * fence that closes an answer cut inside a code block. Pure: no `vscode`.
 *
 * It reuses the editor commands' and the panel chat's builders: `explainPrompt` (the question and
 * its system prompt), `chatSystemPrompt`, `userMessageContent`/`formatChip` (attached code with
 * path, lines and language), `fixInstruction` (diagnostics), `fenceFor`, `fenceTag`,
 * `describeIndent`. `/fix` and `/doc` on a target (a selection, or a small file) ask for the
 * complete rewritten target in one fenced block, like the editor commands, but allow a sentence
 * before it for `/fix` (this is a chat): the code cleaner ignores prose outside the block, and the
 * block becomes an inline-diff proposal.
 */
import type { ContextChip } from '../../common/chat/model';
import { chatSystemPrompt, fenceFor, userMessageContent } from '../chat/prompt';
import { commonIndent } from '../edit/clean';
import { fenceTag, languageName } from '../edit/languages';
import { codeBlock, describeIndent, explainPrompt, fixInstruction, type DiagnosticInfo } from '../edit/prompts';
import type { ChatMessage } from '../hunyuan/types';
import { docConvention } from './docComments';
import type { TestFramework } from './testFramework';

export const PARTICIPANT_COMMANDS = ['explain', 'fix', 'tests', 'doc'] as const;
export type ParticipantCommand = (typeof PARTICIPANT_COMMANDS)[number];

export function isParticipantCommand(command: string | undefined): command is ParticipantCommand {
  return (PARTICIPANT_COMMANDS as readonly string[]).includes(command ?? '');
}

/** The code a `/fix` or `/doc` rewrites, with what is around it. */
export interface TargetCode {
  /** The code itself (whole lines), its file, language and 1-based lines. */
  readonly chip: ContextChip;
  /** Code just above and below, for context only. */
  readonly before?: string;
  readonly after?: string;
  /** Problems the editor reports in it (for `/fix`). */
  readonly diagnostics?: readonly DiagnosticInfo[];
}

export interface ParticipantInput {
  /** The slash command, without the slash. */
  readonly command?: string;
  /** What the user typed after the participant and command. */
  readonly prompt: string;
  /** Attached code (`#file`, selections), the target excluded. */
  readonly references: readonly ContextChip[];
  /** Other attached values, as text (`name: value`). */
  readonly notes?: readonly string[];
  readonly target?: TargetCode;
  /** VS Code's display language (`zh-cn`, `en`). */
  readonly displayLanguage: string;
  /** For `/tests`. */
  readonly testFramework?: TestFramework;
}

export interface ParticipantPrompt {
  readonly system: string;
  readonly user: string;
  /** True when the answer's code block is the target rewritten (`/fix`, `/doc` with a target): it can be proposed as an inline diff. */
  readonly proposesTarget: boolean;
}

const lf = (text: string): string => text.replace(/\r\n?/g, '\n');

function contextSection(label: string, code: string | undefined, languageId: string): string[] {
  const text = code === undefined ? '' : lf(code).replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '');
  if (!text.trim()) return [];
  return [`${label}, for context only (already in the file, do not repeat it):`, codeBlock(text, languageId), ''];
}

function linesOf(chip: ContextChip): string {
  return chip.startLine === chip.endLine ? `line ${chip.startLine}` : `lines ${chip.startLine}-${chip.endLine}`;
}

function notesSection(notes: readonly string[] | undefined): string[] {
  return notes?.length ? ['Also attached:', ...notes.map((n) => `- ${n}`), ''] : [];
}

/** Attached code other than the target, as the chat formats it, followed by a blank line. */
function referencesSection(references: readonly ContextChip[]): string[] {
  const text = userMessageContent({ text: '', context: [...references] }).trimEnd();
  return text ? [text, ''] : [];
}

/** The target, labelled: file, the code before it, the code to rewrite, the code after it. */
function targetSection(target: TargetCode, what: string): string[] {
  const { chip } = target;
  return [
    `File: \`${chip.label}\` (${languageName(chip.languageId)})`,
    '',
    ...contextSection(`Code before the ${what}`, target.before, chip.languageId),
    `The ${what} (${linesOf(chip)}):`,
    codeBlock(chip.text, chip.languageId),
    '',
    ...contextSection(`Code after the ${what}`, target.after, chip.languageId),
  ];
}

function indentNote(code: string): string {
  const described = describeIndent(commonIndent(lf(code)));
  return described ? ` Indent it with ${described}, as the file does there.` : '';
}

const FIX_GUIDE = [
  'When asked to fix code: find the real cause, make the smallest change that fixes it correctly, and keep everything else as it is (names, comments, formatting).',
  'Do not silence a problem with casts, suppression comments or catch-all handlers unless there is no real fix.',
].join(' ');

const TESTS_GUIDE = [
  'When asked for unit tests: test the behaviour, not the implementation; cover the normal cases, the edge cases (empty, zero, negative, large, invalid input) and the errors the code can raise;',
  'keep each test small and named after what it checks; import the code under test from its real path; use no test framework other than the one named, and no network or file system unless the code needs it.',
].join(' ');

const DOC_GUIDE = 'When asked to document code: describe what each item does and why, its parameters, what it returns and what it may fail with, in the doc-comment convention of the language; never change the code itself.';

/** A prompt answered in the chat (nothing proposed for the editor): the notes, then the task with the attached code as the chat formats it. */
function answerAbout(system: string, task: string, code: readonly ContextChip[], notes: readonly string[] | undefined): ParticipantPrompt {
  return { system, user: [...notesSection(notes), userMessageContent({ text: task, context: [...code] })].join('\n'), proposesTarget: false };
}

/** The system prompt and user message for one request to `@hunyuan`. */
export function participantPrompt(input: ParticipantInput): ParticipantPrompt {
  const chat = chatSystemPrompt({ displayLanguage: input.displayLanguage });
  const extra = input.prompt.trim();
  const command = isParticipantCommand(input.command) ? input.command : undefined;
  const target = input.target;
  const allCode = target ? [target.chip, ...input.references] : [...input.references];

  if (command === 'explain') {
    const code = allCode[0];
    if (!code) return { system: chat, user: [...notesSection(input.notes), extra || 'Explain this.'].join('\n'), proposesTarget: false };
    const explain = explainPrompt({
      code: code.text, languageId: code.languageId, path: code.label, startLine: code.startLine, endLine: code.endLine,
      displayLanguage: input.displayLanguage,
    });
    const question = [explain.question, ...(allCode.length > 1 ? ['The other attached code is context.'] : []), ...(extra ? [extra] : [])].join('\n');
    return {
      system: explain.system,
      user: [...notesSection(input.notes), userMessageContent({ text: question, context: allCode })].join('\n'),
      proposesTarget: false,
    };
  }

  if ((command === 'fix' || command === 'doc') && target) {
    const { chip } = target;
    const fence = fenceFor(lf(chip.text));
    const tag = fenceTag(chip.languageId);
    if (command === 'fix') {
      const diagnostics = target.diagnostics ?? [];
      const task = diagnostics.length
        ? fixInstruction(diagnostics, extra)
        : ['Find and fix the bugs in the selected code.', ...(extra ? [extra] : [])].join('\n');
      return {
        system: [chat, FIX_GUIDE].join('\n'),
        user: [
          ...referencesSection(input.references),
          ...notesSection(input.notes),
          ...targetSection(target, 'selected code'),
          `Task: ${task}`,
          '',
          `Reply with one or two sentences saying what was wrong, then the complete fixed selection in one ${fence}${tag} block: all of the selected lines, fixed, and nothing from the code around them.${indentNote(chip.text)} Nothing after the block.`,
        ].join('\n'),
        proposesTarget: true,
      };
    }
    const convention = docConvention(chip.languageId);
    return {
      system: [chat, DOC_GUIDE].join('\n'),
      user: [
        ...referencesSection(input.references),
        ...notesSection(input.notes),
        ...targetSection(target, 'selected code'),
        `Task: add doc comments to the selected code, as ${convention.name}: ${convention.rules}`,
        ...(convention.example ? ['For example:', codeBlock(convention.example, chip.languageId)] : []),
        ...(extra ? [extra] : []),
        '',
        `Reply with the complete selected code with the doc comments added, in one ${fence}${tag} block, and nothing else: every line of the selection, the code itself unchanged.${indentNote(chip.text)}`,
      ].join('\n'),
      proposesTarget: true,
    };
  }

  if (command === 'fix') {
    const task = allCode.length ? 'Find and fix the bugs in the attached code. Say briefly what was wrong, then give the complete fixed code.' : 'Help me fix this.';
    return {
      system: [chat, FIX_GUIDE].join('\n'),
      user: [...notesSection(input.notes), userMessageContent({ text: [task, ...(extra ? [extra] : [])].join('\n'), context: allCode })].join('\n'),
      proposesTarget: false,
    };
  }

  if (command === 'tests') {
    const fw = input.testFramework;
    const framework = fw
      ? `Use ${fw.name}${fw.detected ? ` (the project uses it${fw.evidence ? `: ${fw.evidence}` : ''})` : ' (no test framework was found in the project, so use this standard one)'}. ${fw.conventions}`
      : 'Use the usual unit-test framework of the language.';
    const task = [
      allCode.length ? 'Write unit tests for the attached code.' : 'Write unit tests.',
      framework,
      'Give the complete test file in one fenced code block, preceded by a line with its suggested path (`File: …`), then at most two sentences on what is covered.',
      ...(extra ? [extra] : []),
    ].join('\n');
    return answerAbout([chat, TESTS_GUIDE].join('\n'), task, allCode, input.notes);
  }

  if (command === 'doc') {
    const languageId = allCode[0]?.languageId;
    const convention = languageId ? docConvention(languageId) : undefined;
    const task = [
      convention ? `Add doc comments to the attached code, as ${convention.name}: ${convention.rules}` : 'Add doc comments in the language\'s usual convention.',
      'Give the documented code in fenced blocks; do not change the code itself.',
      ...(extra ? [extra] : []),
    ].join('\n');
    return answerAbout([chat, DOC_GUIDE].join('\n'), task, allCode, input.notes);
  }

  return answerAbout(chat, extra, allCode, input.notes);
}

/** One turn of the Chat view's history, reduced to its text. */
export interface HistoryTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/**
 * The history as chat messages: empty turns dropped, a reply without a question before it
 * dropped, consecutive messages of one role merged (chat templates expect alternation), and a
 * last question without an answer dropped (the new question follows).
 */
export function participantHistory(turns: readonly HistoryTurn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const turn of turns) {
    const text = turn.text.trim();
    if (!text) continue;
    const last = out[out.length - 1];
    if (!last && turn.role === 'assistant') continue;
    if (last && last.role === turn.role) last.content = `${last.content}\n\n${text}`;
    else out.push({ role: turn.role, content: text });
  }
  if (out.length && out[out.length - 1].role === 'user') out.pop();
  return out;
}

/**
 * What closes a code block the Markdown leaves open (an answer stopped mid-block), so that what is
 * streamed after it (the usage line) is not shown as code: `\n` + the fence + `\n`, or '' when
 * every block is closed. CommonMark rules: a fence of 3+ backticks or tildes, indented at most 3
 * spaces; closed by the same character, at least as long, with nothing after it.
 */
export function closingFence(markdown: string): string {
  let open: { char: string; length: number } | undefined;
  for (const line of lf(markdown).split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!m) continue;
    const run = m[1];
    if (!open) {
      if (run[0] === '`' && m[2].includes('`')) continue; // not a fence: backticks in the info string
      open = { char: run[0], length: run.length };
    } else if (run[0] === open.char && run.length >= open.length && !m[2].trim()) {
      open = undefined;
    }
  }
  if (!open) return '';
  return `${markdown.endsWith('\n') ? '' : '\n'}${open.char.repeat(open.length)}\n`;
}
