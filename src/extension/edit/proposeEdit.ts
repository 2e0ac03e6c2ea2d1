/**
 * The runner behind "Generate from Comment", "Edit with Hunyuan" and "Fix with Hunyuan": opens an
 * inline diff over the range the proposal replaces, streams Hunyuan's answer into it as cleaned
 * code, and settles it. Nothing is written to the document here: the user accepts or rejects the
 * hunks in the diff.
 *
 * - The diff opens once the request is sent: a request refused before (no key, bad settings, a
 *   prompt too long) shows its message and leaves any proposal already shown there alone.
 * - While streaming, the answer is cleaned again only when it gained a line break
 *   (`cleanPartialCodeAnswer` reads the whole answer, and only complete lines are shown anyway).
 * - At the end, `analyzeCodeAnswer` gives the final code. An answer without any code (a refusal, a
 *   question back) closes the diff and offers to show the answer; code equal to what is there
 *   closes it with "no changes". An empty fenced block is a real proposal: delete the range.
 * - An error closes the diff and shows the message with its fix (Retry runs the same command
 *   again); code already received is not lost: "Open Partial Code" puts it in a new editor.
 * - Cancel (the diff's own Cancel, closing the document, or the diff being closed) aborts the
 *   request and removes the diff quietly.
 *
 * The user's code is never logged here (the service logs prompts only with `hunyuan.debug.logPrompts`).
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { analyzeCodeAnswer, cleanCodeAnswer, cleanPartialCodeAnswer, type CleanOptions } from '../../core/edit/clean';
import type { PromptMessages } from '../../core/edit/prompts';
import type { HunyuanError, ErrorKind } from '../../core/hunyuan/errors';
import type { InlineDiff, InlineDiffs } from '../diff/inlineDiff';
import { actionLabel, describeError } from '../hunyuan/errorMessages';
import { runErrorAction } from '../hunyuan/notify';
import type { HunyuanService } from '../hunyuan/service';
import type { Logger } from '../log/logger';
import { readSettings } from '../settings/configuration';

export type ProposalPurpose = 'edit' | 'generate' | 'fix';

export interface ProposalRequest {
  /** What the request is for, in the log. */
  readonly purpose: ProposalPurpose;
  /** The diff's label ("Edit: make it async"). */
  readonly title: string;
  readonly document: vscode.TextDocument;
  /** The character range the proposal replaces; empty for an insertion. */
  readonly range: vscode.Range;
  readonly prompt: PromptMessages;
  /** How the answer becomes the code for `range`. */
  readonly clean: CleanOptions;
  /**
   * For an insertion: `beforeLine` (an empty range at the start of a line; the code gets a line
   * break after it) or `endOfDocument` (an empty range at the end of the last line; the code gets
   * a line break before it).
   */
  readonly insertion?: 'beforeLine' | 'endOfDocument';
}

export interface ProposalOutcome {
  /**
   * `proposed`: the diff is shown with `hunks` hunks. `noChanges`: the answer's code is what is
   * there already. `noCode`: the answer had no code. `cancelled`: stopped by the user (or the
   * document or the diff was closed). `error`: the request failed (`error` says how).
   */
  readonly status: 'proposed' | 'noChanges' | 'noCode' | 'cancelled' | 'error';
  readonly hunks: number;
  readonly error?: ErrorKind;
}

export interface ProposeDeps {
  readonly service: HunyuanService;
  readonly diffs: InlineDiffs;
  readonly log: Logger;
}

/** The text that replaces the range, from cleaned code (`partial`: complete lines, each with its line break). */
function replacement(code: string, request: ProposalRequest, partial: boolean): string {
  if (!code) return '';
  const eol = request.clean.eol;
  if (request.insertion === 'endOfDocument') return eol + code;
  if (request.insertion === 'beforeLine' && !partial) return code + eol;
  return code;
}

/**
 * Streams the proposal into an inline diff and settles it (see the top of this file). `retry`
 * is what the error notification's Retry does: run the command again with the same input.
 * Resolves once the answer is complete, failed or cancelled, with what happened; the
 * notifications it shows are not awaited.
 */
export async function proposeEdit(deps: ProposeDeps, request: ProposalRequest, retry: () => unknown): Promise<ProposalOutcome> {
  const { document, range, clean, purpose } = request;
  const original = document.getText(range);
  const abort = new AbortController();
  const subscriptions: vscode.Disposable[] = [
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === document) abort.abort();
    }),
  ];
  // Opened once the request is on its way (its `context` event): a request refused before
  // sending (no key, bad settings, too long) must not close a proposal already shown there.
  let diff: InlineDiff | undefined;
  const openDiff = (): InlineDiff => {
    if (diff) return diff;
    const opened = deps.diffs.open(document, range, { title: request.title, streaming: true });
    opened.onCancel = () => abort.abort();
    subscriptions.push(opened.onDidDispose(() => abort.abort()));
    diff = opened;
    return opened;
  };
  const closeDiff = (): void => {
    if (diff && !diff.isDisposed) diff.dispose();
  };

  let answer = '';
  let shown = '';
  let error: HunyuanError | undefined;
  let finishReason: string | undefined;
  try {
    for await (const event of deps.service.chat({ purpose, system: request.prompt.system, user: request.prompt.user, signal: abort.signal })) {
      if (event.type === 'error') {
        error = event.error;
        continue;
      }
      if (abort.signal.aborted) continue; // e.g. the document was closed: the error event follows
      const shownIn = openDiff();
      if (event.type === 'answer') {
        answer += event.text;
        // Only complete lines are shown: clean again when a line was completed.
        if (!/[\r\n]/.test(event.text) || shownIn.isDisposed) continue;
        const text = replacement(cleanPartialCodeAnswer(answer, clean), request, true);
        if (text !== shown) {
          shown = text;
          shownIn.update(text);
        }
      } else if (event.type === 'finish') {
        finishReason = event.reason;
      }
    }
  } catch (err) {
    // The service reports failures as events; anything thrown is a bug, but must not leave a diff behind.
    closeDiff();
    throw err;
  } finally {
    for (const s of subscriptions) s.dispose();
  }

  if (error || abort.signal.aborted || !diff || diff.isDisposed) {
    closeDiff();
    if (!error || error.kind === 'cancelled' || abort.signal.aborted) {
      deps.log.info(`${purpose}: proposal cancelled`);
      return { status: 'cancelled', hunks: 0 };
    }
    void showProposalError(error, cleanCodeAnswer(answer, clean), clean.languageId, retry);
    return { status: 'error', hunks: 0, error: error.kind };
  }

  const result = analyzeCodeAnswer(answer, clean);
  if (result.source === 'none') {
    diff.dispose();
    deps.log.info(`${purpose}: the answer had no code (${answer.length} chars)`);
    void showNoCode(answer);
    return { status: 'noCode', hunks: 0 };
  }
  const text = replacement(result.code, request, false);
  const hunks = text === original ? 0 : diff.finish(text);
  if (hunks === 0) {
    if (!diff.isDisposed) diff.dispose();
    deps.log.info(`${purpose}: no changes proposed`);
    void ui.info(vscode.l10n.t('Hunyuan proposed no changes.'));
    return { status: 'noChanges', hunks: 0 };
  }
  deps.log.info(`${purpose}: proposed ${hunks} hunk(s)${finishReason === 'length' ? ', answer cut at max_tokens' : ''}`);
  if (finishReason === 'length') {
    void ui.warn(
      vscode.l10n.t('The answer was cut off at the length limit (hunyuan.maxTokens): the proposed code may be incomplete. Check it before accepting.'),
    );
  }
  return { status: 'proposed', hunks };
}

/** Opens `content` in a new untitled editor beside the current one. */
async function openUntitled(content: string, language: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

/** The error with the actions that fix it, plus "Open Partial Code" when some code had arrived. */
async function showProposalError(error: HunyuanError, partialCode: string, languageId: string, retry: () => unknown): Promise<void> {
  const { settings } = readSettings();
  const { message, actions } = describeError(error, { baseUrl: settings.baseUrl, model: settings.model, timeoutSeconds: settings.requestTimeoutSeconds });
  const openPartial = vscode.l10n.t('Open Partial Code');
  const labels = actions.map(actionLabel);
  const picked = await ui.error(message, ...labels, ...(partialCode.trim() ? [openPartial] : []));
  if (picked === undefined) return;
  if (picked === openPartial) {
    await openUntitled(partialCode, languageId);
    return;
  }
  const action = actions.find((a) => actionLabel(a) === picked);
  if (action) await runErrorAction(action, retry);
}

async function showNoCode(answer: string): Promise<void> {
  const show = vscode.l10n.t('Show Answer');
  const picked = await ui.info(vscode.l10n.t('Hunyuan answered without any code, so there is nothing to propose.'), ...(answer.trim() ? [show] : []));
  if (picked === show) await openUntitled(answer.trim(), 'markdown');
}
