/**
 * The pure logic of the editor commands: prompts for "explain", "generate from comment", "edit
 * selection" and "fix"; cleaning the model's code answers (whole or streaming); finding the
 * comment to generate from and where the code goes.
 */

export { analyzeCodeAnswer, cleanCodeAnswer, cleanPartialCodeAnswer, commonIndent, indentWidth, reindent } from './clean';
export type { CleanOptions, CleanResult } from './clean';
export { CodeAnswerStream } from './streamClean';
export { findCommentAt, insertionPointAfter } from './comments';
export type { CommentBlock, InsertionPoint } from './comments';
export {
  describeDiagnostic, describeIndent, editSelectionPrompt, editSystemPrompt, explainPrompt, fixDiagnosticPrompt, fixInstruction,
  generateFromCommentPrompt, generateSystemPrompt, toMessages,
} from './prompts';
export type {
  DiagnosticInfo, DiagnosticSeverity, EditSelectionInput, ExplainInput, ExplainPrompt, FixDiagnosticInput, GenerateFromCommentInput,
  PromptMessages,
} from './prompts';
export { commentSyntax, fenceMatchesLanguage, fenceTag, languageName } from './languages';
export type { CommentSyntax } from './languages';
