/**
 * The commit message prompt: a system prompt with the rules (the message only, the language, the
 * repository's style), and a user message with the recent subjects and the diff (whole, or its
 * summary; see pack.ts). Pure: no `vscode`, no DOM.
 */
import { fenceFor } from '../chat/prompt';
import { styleRules, type CommitStyle } from './style';

export type CommitLanguage = 'en' | 'zh-cn';

/** `hunyuan.commitMessage.language` against VS Code's display language: `auto` follows it (Chinese for any zh-*). */
export function commitLanguage(setting: string | undefined, displayLanguage: string): CommitLanguage {
  if (setting === 'en' || setting === 'zh-cn') return setting;
  return /^zh\b/i.test(displayLanguage) ? 'zh-cn' : 'en';
}

export interface CommitPromptInput {
  /** The diff as packed for the prompt (`PackedDiff.text`). */
  diff: string;
  /** True when `diff` is a per-file summary, not the whole diff. */
  summarized: boolean;
  /** The staged changes (`git diff --cached`), or the working tree's when nothing was staged. */
  staged: boolean;
  /** Recent commit subjects, newest first. */
  subjects: readonly string[];
  style: CommitStyle;
  language: CommitLanguage;
}

/** At most this many recent subjects go into the prompt, each at most SUBJECT_CHARS long. */
export const MAX_SUBJECTS = 15;
const SUBJECT_CHARS = 120;

/** The fence the diff is sent in: longer than any run of backticks in it (the chat's). */
export { fenceFor };

export function commitSystemPrompt(input: Pick<CommitPromptInput, 'style' | 'language'>): string {
  const language =
    input.language === 'zh-cn'
      ? 'Write the message in Simplified Chinese. Keep code identifiers, file names and any Conventional Commits type (feat, fix…) as they are, in English.'
      : 'Write the message in English.';
  return [
    'You write git commit messages from diffs.',
    'Reply with the commit message only: no introduction, no explanation, no code fences, no quotes around it.',
    'The first line is the subject: one line summing up the change. Describe what the diff shows; do not invent reasons, tickets or issue numbers it does not show.',
    'If there is a body, separate it from the subject with a blank line and wrap it at 72 characters.',
    language,
    'Follow this repository\'s style:',
    ...styleRules(input.style, input.language).map((rule) => `- ${rule}`),
  ].join('\n');
}

export function commitUserPrompt(input: CommitPromptInput): string {
  const parts: string[] = [];
  const subjects = input.subjects.slice(0, MAX_SUBJECTS).map((s) => {
    const line = s.replace(/[\r\n]+/g, ' ').trim();
    return [...line].length > SUBJECT_CHARS ? [...line].slice(0, SUBJECT_CHARS).join('') + '…' : line;
  });
  if (subjects.length) {
    parts.push('Recent commit subjects in this repository, newest first:', ...subjects.map((s) => `- ${s}`), '');
  }
  const what = input.staged ? 'the staged changes (git diff --cached)' : 'the changes in the working tree (nothing is staged; git diff)';
  parts.push(input.summarized ? `Write the commit message for ${what}, summarized:` : `Write the commit message for ${what}:`);
  const fence = fenceFor(input.diff);
  parts.push(`${fence}${input.summarized ? '' : 'diff'}`, input.diff.replace(/\n$/, ''), fence);
  return parts.join('\n');
}
