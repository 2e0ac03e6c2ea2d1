/**
 * The messages the editor commands send: "Explain" (a chat question, prose answer), and the
 * code-only ones, "Generate from comment", "Edit selection" and "Fix" (a diagnostic's quick fix).
 * Pure: no `vscode`, no DOM.
 *
 * Design of the code-only prompts (their answers go through `cleanCodeAnswer`):
 * - The reply is asked for as exactly ONE fenced block and nothing else, rather than bare code.
 *   Hunyuan, like most chat models, fences code by habit and often adds a sentence before or
 *   after it; asking for a fence turns that habit into a clean delimiter, the block's language
 *   tag tells the cleaner which block is the code, and a reply that ignores the format (bare
 *   code) is still accepted.
 * - Everything the model sees is labelled: the file path and language, the code before and after
 *   the range as separate blocks marked "for context only, do not repeat", the range itself,
 *   and the instruction last (closest to where the answer starts). The selection is never
 *   merged with its context, so the model cannot mistake where it starts and ends.
 * - Every block's fence is longer than any backtick run in its code (`fenceFor`), and the reply is
 *   asked for with a fence long enough for the selection, so Markdown or code holding ``` cannot
 *   end a block early.
 * - The indentation the code must have is spelled out ("4 spaces", "1 tab"): the model tends to
 *   start a block at column 0. The cleaner restores it anyway when the model dedents.
 * - Code is sent with `\n` line breaks whatever the document uses (fewer tokens, nothing to
 *   confuse); the cleaner puts the document's line break back.
 * - The rules are in the system message, the data and the task in the user message, so a
 *   `/no_think` prefix (fast mode) lands at the start of the user message where the model expects it.
 */
import { chatSystemPrompt, fenceFor, userMessageContent } from '../chat/prompt';
import type { ChatMessage } from '../hunyuan/types';
import { commonIndent } from './clean';
import { fenceTag, languageName } from './languages';

/** A system prompt and one user message. */
export interface PromptMessages {
  readonly system: string;
  readonly user: string;
}

/** The two messages of a prompt, for the request (`applyThinkingMode` may prefix the user message). */
export function toMessages(prompt: PromptMessages): ChatMessage[] {
  return [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
  ];
}

const lf = (text: string): string => text.replace(/\r\n?/g, '\n');

/** `4 spaces`, `1 tab`, `1 tab then 2 spaces`; undefined for no indentation. */
export function describeIndent(indent: string): string | undefined {
  if (!indent) return undefined;
  const runs: string[] = [];
  for (const m of indent.matchAll(/( +|\t+)/g)) {
    const n = m[0].length;
    runs.push(m[0][0] === '\t' ? `${n} tab${n > 1 ? 's' : ''}` : `${n} space${n > 1 ? 's' : ''}`);
  }
  return runs.join(' then ');
}

/** `code` in a fence longer than any backtick run in it, tagged with the language, line breaks `\n`. */
export function codeBlock(code: string, languageId: string): string {
  const text = lf(code);
  const fence = fenceFor(text);
  return `${fence}${fenceTag(languageId)}\n${text}\n${fence}`;
}

function fileLine(path: string, languageId: string): string {
  return `File: \`${path}\` (${languageName(languageId)})`;
}

function lineRange(startLine: number | undefined, endLine: number | undefined): string | undefined {
  if (startLine === undefined) return undefined;
  return endLine === undefined || endLine === startLine ? `line ${startLine}` : `lines ${startLine}-${endLine}`;
}

/** Context before and after the range, as labelled blocks; nothing when empty. */
function contextSection(label: string, code: string | undefined, languageId: string): string[] {
  if (code === undefined || !code.trim()) return [];
  return [`${label}, for context only (already in the file, do not repeat it):`, codeBlock(trimBlankEdges(code), languageId), ''];
}

/** Drops blank lines at the start and end (the model needs none of them). */
function trimBlankEdges(code: string): string {
  return lf(code).replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '');
}

const CODE_ONLY_RULES = [
  'You are Hunyuan Coder, a code-editing engine inside the VS Code editor. A program puts your reply into the user\'s file as it is, so the reply must be code only.',
  'Reply format:',
  '- Exactly one fenced code block, and nothing outside it: no explanation, no heading, no note before or after the block.',
  '- Inside the block, only the code that goes into the file: no line numbers, no diff markers (+/-), no placeholders such as "..." or "rest of the code unchanged".',
  '- Code shown "for context only" is already in the file: never repeat it.',
  '- Match the file\'s style: the same indentation (tabs or spaces, and depth), quotes, naming, and the human language of its comments.',
];

const EDIT_TASK = [
  'Task: rewrite the selected code as the instruction says. Your block replaces exactly the selected lines: give all of them, rewritten, and change nothing the instruction does not ask for (keep comments, blank lines and formatting elsewhere).',
  'If the instruction cannot be carried out, reply with the selected code unchanged.',
];

const GENERATE_TASK = [
  'Task: write the code that a comment in the file asks for. Your block is inserted on the line right below the comment: do not repeat the comment, and do not repeat or rewrite the code around it.',
  'Write complete, working code that fits where it goes (inside a class, a function, or at the top level). When the comment leaves details open, choose the simplest reasonable solution.',
];

/** The system message for "edit selection" and "fix". */
export function editSystemPrompt(): string {
  return [...CODE_ONLY_RULES, ...EDIT_TASK].join('\n');
}

/** The system message for "generate from comment". */
export function generateSystemPrompt(): string {
  return [...CODE_ONLY_RULES, ...GENERATE_TASK].join('\n');
}

function replyLine(what: string, code: string, languageId: string, indent: string | undefined): string {
  const fence = fenceFor(lf(code));
  const tag = fenceTag(languageId);
  const described = indent === undefined ? undefined : describeIndent(indent);
  const indentNote = indent === undefined ? '' : described ? ` Indent it with ${described}, as the file does there.` : ' It starts at column 0 (no indentation).';
  return `Reply with ${what} only, in one ${fence}${tag} block, and nothing else.${indentNote}`;
}

// ---- edit selection --------------------------------------------------------------------------

export interface EditSelectionInput {
  /** What the user wants done, in their words. */
  readonly instruction: string;
  /** The selected code (whole lines, best: the cleaner restores their indentation). */
  readonly code: string;
  readonly languageId: string;
  /** Workspace-relative path (or the untitled document's name). */
  readonly path: string;
  /** Code just above and below the selection, already trimmed to the budget. */
  readonly before?: string;
  readonly after?: string;
  /** The selection's lines, 1-based, inclusive (for the model's orientation only). */
  readonly startLine?: number;
  readonly endLine?: number;
}

/** Asks for the selected code rewritten per the instruction: the full replacement of that range, nothing outside it. */
export function editSelectionPrompt(input: EditSelectionInput): PromptMessages {
  const { code, languageId } = input;
  const range = lineRange(input.startLine, input.endLine);
  const selected = lf(code);
  const blankSelection = !selected.trim();
  const user = [
    fileLine(input.path, languageId),
    '',
    ...contextSection('Code before the selection', input.before, languageId),
    blankSelection
      ? `The selection${range ? ` (${range})` : ''} is empty: write new code there.`
      : `Selected code${range ? ` (${range})` : ''}, to rewrite:`,
    ...(blankSelection ? [] : [codeBlock(selected, languageId)]),
    '',
    ...contextSection('Code after the selection', input.after, languageId),
    `Instruction: ${input.instruction.trim()}`,
    '',
    replyLine('the complete rewritten selection', selected, languageId, commonIndent(selected)),
  ].join('\n');
  return { system: editSystemPrompt(), user };
}

// ---- fix a diagnostic --------------------------------------------------------------------------

export type DiagnosticSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface DiagnosticInfo {
  readonly message: string;
  readonly severity?: DiagnosticSeverity;
  /** Who reported it: `ts`, `eslint`, `pylance`, … */
  readonly source?: string;
  /** The rule or error code: `2322`, `no-unused-vars`, … */
  readonly code?: string | number;
  /** Where, 1-based (for the model's orientation). */
  readonly line?: number;
}

export interface FixDiagnosticInput extends Omit<EditSelectionInput, 'instruction'> {
  readonly diagnostics: DiagnosticInfo | readonly DiagnosticInfo[];
  /** Anything the user added ("keep the public API"). */
  readonly instruction?: string;
}

/** One diagnostic as a line: `error (ts 2322) at line 12: Type 'string' is not assignable to type 'number'.` */
export function describeDiagnostic(d: DiagnosticInfo): string {
  const origin = [d.source, d.code === undefined || d.code === '' ? undefined : String(d.code)].filter((s) => s).join(' ');
  const where = d.line === undefined ? '' : ` at line ${d.line}`;
  const message = lf(d.message).trim().replace(/\s*\n\s*/g, ' ');
  return `${d.severity ?? 'error'}${origin ? ` (${origin})` : ''}${where}: ${message}`;
}

/** The instruction a quick fix sends: the problems to fix, and to change nothing else. */
export function fixInstruction(diagnostics: DiagnosticInfo | readonly DiagnosticInfo[], extra?: string): string {
  const list: readonly DiagnosticInfo[] = Array.isArray(diagnostics) ? diagnostics : [diagnostics as DiagnosticInfo];
  const problems = list.length === 1 ? `this problem: ${describeDiagnostic(list[0])}` : `these problems:\n${list.map((d) => `- ${describeDiagnostic(d)}`).join('\n')}`;
  return [
    `Fix ${problems}`,
    'Make the smallest change that fixes it correctly (no suppression comments or casts that only silence it, unless there is no real fix); keep everything else as it is.',
    ...(extra?.trim() ? [extra.trim()] : []),
  ].join('\n');
}

/** "Fix with Hunyuan": an edit of the range around the problem, with an instruction built from the diagnostic(s). */
export function fixDiagnosticPrompt(input: FixDiagnosticInput): PromptMessages {
  const { diagnostics, instruction, ...rest } = input;
  return editSelectionPrompt({ ...rest, instruction: fixInstruction(diagnostics, instruction) });
}

// ---- generate from comment -----------------------------------------------------------------------

export interface GenerateFromCommentInput {
  /** The comment as it stands in the file (its lines, markers included). */
  readonly comment: string;
  readonly languageId: string;
  readonly path: string;
  /** Code above the comment and below the insertion point, already trimmed to the budget. */
  readonly before?: string;
  readonly after?: string;
  /** The indentation the generated code goes at (`insertionPointAfter(...).indent`). */
  readonly indent: string;
  /** The document's line break; the prompt itself always uses `\n`. */
  readonly eol?: '\n' | '\r\n';
}

/** Asks for the code a comment describes, to be inserted right below it. */
export function generateFromCommentPrompt(input: GenerateFromCommentInput): PromptMessages {
  const { languageId } = input;
  const comment = trimBlankEdges(input.comment);
  let before = input.before === undefined ? undefined : trimBlankEdges(input.before);
  // Callers may pass the code above *including* the comment: show the comment once.
  if (before !== undefined && comment && before.endsWith(comment)) before = before.slice(0, before.length - comment.length);
  const user = [
    fileLine(input.path, languageId),
    '',
    ...contextSection('Code above the comment', before, languageId),
    'The comment:',
    codeBlock(comment, languageId),
    '',
    ...contextSection('Code below the comment', input.after, languageId),
    `Write the code this comment asks for. It goes right below the comment${input.after?.trim() ? ', before the code below it' : ''}.`,
    '',
    replyLine('the new code', comment + (input.after ?? ''), languageId, input.indent),
  ].join('\n');
  return { system: generateSystemPrompt(), user };
}

// ---- explain ---------------------------------------------------------------------------------------

export interface ExplainInput {
  readonly code: string;
  readonly languageId: string;
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** VS Code's display language (`vscode.env.language`): `zh-cn`, `en`, … */
  readonly displayLanguage: string;
  /** What the selection sits in, from the document symbols: `function`, `method`, `class`, … */
  readonly enclosingKind?: string;
  /** That symbol's name. */
  readonly enclosingName?: string;
  /** Answer in this language (a name such as `English` or `日本語`) whatever the display language. */
  readonly answerLanguage?: string;
}

export interface ExplainPrompt extends PromptMessages {
  /** The question alone, in the display language: what the chat shows as the user's message (the code goes as a chip). */
  readonly question: string;
}

const KIND_ZH: Record<string, string> = {
  function: '函数', method: '方法', class: '类', interface: '接口', module: '模块', namespace: '命名空间',
  constructor: '构造函数', property: '属性', field: '字段', struct: '结构体', enum: '枚举', variable: '变量',
  constant: '常量', object: '对象', file: '文件', package: '包', operator: '运算符', event: '事件', type: '类型',
  test: '测试', block: '代码块', component: '组件',
};

const EXPLAIN_GUIDE = [
  'When asked to explain code: start with one or two sentences on what it does and why; then explain how it works, step by step, citing line numbers;',
  'then point out what deserves attention (edge cases, pitfalls, possible bugs, performance) only if there is something worth saying.',
  'Do not rewrite the code unless asked; quote only the lines you discuss.',
].join(' ');

const isChinese = (displayLanguage: string): boolean => displayLanguage.toLowerCase().startsWith('zh');

function explainQuestion(input: ExplainInput): string {
  const kind = input.enclosingKind?.trim().toLowerCase();
  const name = input.enclosingName?.trim();
  const single = input.startLine === input.endLine;
  if (isChinese(input.displayLanguage)) {
    const lines = single ? `第 ${input.startLine} 行` : `第 ${input.startLine}-${input.endLine} 行`;
    const where = kind ? `（位于${KIND_ZH[kind] ?? kind}${name ? ` \`${name}\` ` : ''}中）` : '';
    const lang = input.answerLanguage ? `请用${input.answerLanguage}回答。` : '';
    return `请解释 \`${input.path}\` ${lines}的这段代码${where}：它做什么、如何工作，以及需要注意的地方。${lang}`;
  }
  const lines = single ? `line ${input.startLine}` : `lines ${input.startLine}-${input.endLine}`;
  const where = kind ? ` (in the ${kind}${name ? ` \`${name}\`` : ''})` : '';
  const lang = input.answerLanguage ? ` Answer in ${input.answerLanguage}.` : '';
  return `Explain this code from \`${input.path}\`, ${lines}${where}: what it does, how it works, and anything to watch out for.${lang}`;
}

/** A chat question about the selection; the answer is prose, in the display language (`zh*` → Simplified Chinese) unless `answerLanguage` says otherwise. */
export function explainPrompt(input: ExplainInput): ExplainPrompt {
  const question = explainQuestion(input);
  const system = [
    chatSystemPrompt({ displayLanguage: input.answerLanguage ? 'en' : input.displayLanguage }),
    EXPLAIN_GUIDE,
    ...(input.answerLanguage ? [`Answer in ${input.answerLanguage}.`] : []),
  ].join('\n');
  const user = userMessageContent({
    text: question,
    context: [{
      id: 'explain', kind: 'selection', uri: '', label: input.path, languageId: input.languageId,
      startLine: input.startLine, endLine: input.endLine, text: lf(input.code),
    }],
  });
  return { system, user, question };
}
