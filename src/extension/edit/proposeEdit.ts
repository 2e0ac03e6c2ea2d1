/**
 * The runner behind "Generate from Comment", "Edit with Hunyuan" and "Fix with Hunyuan": opens an
 * inline diff over the range the proposal replaces, streams Hunyuan's answer into it as cleaned
 * code, and settles it. Nothing is written to the document here: the user accepts or rejects the
 * hunks in the diff.
 *
 * - The diff opens once the request is sent: a request refused before (no key, bad settings, a
 *   prompt too long) shows its message and leaves any proposal already shown there alone.
 * - While streaming, the answer goes through `CodeAnswerStream`, which cleans each line once as it
 *   completes: a long answer costs the same per line at its end as at its start. The text is handed
 *   to it when the diff redraws (at most every 100 ms), all that came since at once, not per token.
 * - At the end, `analyzeCodeAnswer` gives the final code. An answer without any code (a refusal, a
 *   question back) closes the diff and offers to show the answer; code equal to what is there
 *   closes it with "no changes". An empty fenced block is a real proposal: delete the range.
 * - An answer cut short (the stream ended without a finish reason, at `max_tokens`, at a stop
 *   sequence, or inside an unclosed code fence) proposes only what the model wrote: the selected
 *   lines after the last one it reached stay unchanged (and, cut at max_tokens or a stop sequence,
 *   a last line stopped mid-way is dropped); the user is told where it stopped, with Retry.
 * - An error closes the diff and shows the message with its fix (Retry runs the same command
 *   again); code already received is not lost: "Open Partial Code" puts it in a new editor.
 * - Cancel (the diff's own Cancel, closing the document, or the diff being closed) aborts the
 *   request and removes the diff quietly.
 *
 * The user's code is never logged here (the service logs prompts only with `hunyuan.debug.logPrompts`).
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { analyzeCodeAnswer, cleanCodeAnswer, type CleanOptions } from '../../core/edit/clean';
import { CodeAnswerStream } from '../../core/edit/streamClean';
import type { PromptMessages } from '../../core/edit/prompts';
import type { ErrorKind, HunyuanError } from '../../core/hunyuan/errors';
import type { TurnResult } from '../../core/engine/engine';
import type { InlineDiff, InlineDiffs } from '../diff/inlineDiff';
import { actionLabel, describeError } from '../hunyuan/errorMessages';
import { runErrorAction } from '../hunyuan/notify';
import type { HunyuanService } from '../hunyuan/service';
import type { Logger } from '../log/logger';
import { readSettings } from '../settings/configuration';
import { documentLabel, trackRange } from '../documents';

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
  /**
   * Why the answer counts as cut short, when it does: no finish reason, `length` (max_tokens), a
   * stop sequence, or an unclosed code fence.
   */
  readonly cutShort?: 'noFinish' | 'length' | 'stop' | 'unclosedFence';
  /** With `cutShort`: the document line (1-based) of the last selected line the answer reached (0: none). */
  readonly stoppedAfterLine?: number;
}

export interface ProposeDeps {
  readonly service: HunyuanService;
  readonly diffs: InlineDiffs;
  readonly log: Logger;
}

/** The text that replaces the range, from the final cleaned code. */
function replacement(code: string, request: ProposalRequest): string {
  if (!code) return '';
  const eol = request.clean.eol;
  if (request.insertion === 'endOfDocument') return eol + code;
  if (request.insertion === 'beforeLine') return code + eol;
  return code;
}

/** Complete lines of the code that replaces the range, as they stream (the first batch gets the line break an insertion at the end needs). */
function streamedLines(lines: readonly string[], request: ProposalRequest, first: boolean): readonly string[] {
  return first && request.insertion === 'endOfDocument' && lines.length ? ['', ...lines] : lines;
}

/**
 * Streams the proposal into an inline diff and settles it (see the top of this file). `retry`
 * is what the error notification's Retry does: run the command again with the same input, on
 * `request.range` where it is now (lines added above it since move it; see `Retry`).
 * Resolves once the answer is complete, failed or cancelled, with what happened; the
 * notifications it shows are not awaited.
 */
export async function proposeEdit(deps: ProposeDeps, request: ProposalRequest, retryAt: (range: vscode.Range) => unknown): Promise<ProposalOutcome> {
  const retry = new Retry(request, retryAt);
  try {
    return await propose(deps, request, retry);
  } finally {
    if (!retry.offered) retry.dispose();
  }
}

async function propose(deps: ProposeDeps, request: ProposalRequest, retry: Retry): Promise<ProposalOutcome> {
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
    retry.proposal = opened;
    return opened;
  };
  const closeDiff = (): void => {
    if (diff && !diff.isDisposed) diff.dispose();
  };

  const code = new CodeAnswerStream(clean);
  // Answer text not cleaned yet: the diff takes it when it next redraws (see InlineDiff.streamed).
  const unread: string[] = [];
  const takeLines = (): readonly string[] => {
    const first = code.lines.length === 0;
    const lines = code.push(unread.join(''));
    unread.length = 0;
    return streamedLines(lines, request, first);
  };
  let turn: TurnResult;
  try {
    turn = await deps.service.run({ purpose, system: request.prompt.system, user: request.prompt.user, signal: abort.signal }, {
      onContext: () => {
        if (!abort.signal.aborted) openDiff();
      },
      onAnswer: (text) => {
        if (abort.signal.aborted) return; // e.g. the document was closed: the cancel follows
        const shownIn = openDiff();
        unread.push(text);
        if (!shownIn.isDisposed) shownIn.streamed(takeLines);
      },
    });
  } catch (err) {
    // The engine reports failures in the turn; anything thrown is a bug, but must not leave a diff behind.
    closeDiff();
    throw err;
  } finally {
    for (const s of subscriptions) s.dispose();
  }
  const { answer, error, finishReason, stopSequence } = turn;

  if (error || abort.signal.aborted || !diff || diff.isDisposed) {
    closeDiff();
    if (!error || error.kind === 'cancelled' || abort.signal.aborted) {
      deps.log.info(`${purpose}: proposal cancelled`);
      return { status: 'cancelled', hunks: 0 };
    }
    const offered = retry.offer();
    void showProposalError(error, cleanCodeAnswer(answer, clean), clean.languageId, offered).finally(() => retry.dispose());
    return { status: 'error', hunks: 0, error: error.kind };
  }

  const result = analyzeCodeAnswer(answer, clean);
  if (result.source === 'none') {
    diff.dispose();
    deps.log.info(`${purpose}: the answer had no code (${answer.length} chars)`);
    void showNoCode(answer);
    return { status: 'noCode', hunks: 0 };
  }
  const cutShort = finishReason === undefined ? 'noFinish'
    : finishReason === 'length' ? 'length'
      : stopSequence !== undefined ? 'stop'
        : result.unclosedFence ? 'unclosedFence' : undefined;
  // Cut at max_tokens or a stop string, the last line may stop mid-way: only the complete lines
  // count. (Without a finish reason, or with an unclosed fence, the answer's text is all there is:
  // the decoder does not tell whether a line break ended it, so its last line is kept.)
  const final = cutShort === 'length' || cutShort === 'stop' ? analyzeCodeAnswer(answer.slice(0, answer.search(/[^\r\n]*$/)), clean) : result;
  const text = replacement(final.code, request);
  const finished = text === original && !cutShort ? undefined : diff.finish(text, { cutShort: !!cutShort });
  const hunks = finished?.hunks ?? 0;
  if (cutShort) {
    // 1-based number of the last selected line reached: the line before `reachedLine` (0-based).
    const stoppedAfterLine = finished && finished.reached > 0 ? finished.reachedLine : 0;
    const reachedAll = !!finished?.reachedAll && finished.reached > 0;
    deps.log.info(`${purpose}: the answer was cut short (${cutShort}${stopSequence ? ` ${JSON.stringify(stopSequence)}` : ''}); proposed ${hunks} hunk(s), reached ${finished?.reached ?? 0} of the range's lines`);
    if (hunks === 0 && !diff.isDisposed) diff.dispose();
    const offered = retry.offer();
    void showCutShort(request, cutShort, { stoppedAfterLine, reachedAll }, hunks, offered).finally(() => retry.dispose());
    return { status: hunks ? 'proposed' : 'noChanges', hunks, cutShort, stoppedAfterLine };
  }
  if (hunks === 0) {
    if (!diff.isDisposed) diff.dispose();
    deps.log.info(`${purpose}: no changes proposed`);
    void ui.info(vscode.l10n.t('Hunyuan proposed no changes.'));
    return { status: 'noChanges', hunks: 0 };
  }
  deps.log.info(`${purpose}: proposed ${hunks} hunk(s)`);
  return { status: 'proposed', hunks };
}

/**
 * Retry, for a notification that may stay open a while: the range is followed through the edits
 * made meanwhile, so Retry asks about the same code even when lines were added above it. When the
 * code itself was changed (a hunk accepted, say), Retry says so rather than send other code, or
 * old coordinates. The tracking ends with the notification (`dispose`).
 */
class Retry implements vscode.Disposable {
  private readonly tracked: ReturnType<typeof trackRange>;
  /** Handed to a notification, which disposes it once answered or closed. */
  offered = false;
  /** The proposal shown for the request: an accepted hunk of it changed the code (even one only adding lines at its edge). */
  proposal: InlineDiff | undefined;

  constructor(private readonly request: ProposalRequest, private readonly retryAt: (range: vscode.Range) => unknown) {
    this.tracked = trackRange(request.document, request.range);
  }

  /** What the notification's Retry runs. */
  offer(): () => Promise<void> {
    this.offered = true;
    return () => this.run();
  }

  private async run(): Promise<void> {
    const accepted = this.proposal?.hunks.some((h) => h.state === 'accepted');
    const now = accepted ? undefined : this.tracked.current();
    this.dispose();
    const { document } = this.request;
    if (document.isClosed) {
      void ui.warn(vscode.l10n.t('{0} was closed. Open it and run the command again.', documentLabel(document)));
    } else if (!now) {
      void ui.warn(vscode.l10n.t('The code this request was about has changed since, so Retry would not ask about the same code. Select it and run the command again.'));
    } else {
      await this.retryAt(now);
    }
  }

  dispose(): void {
    this.tracked.dispose();
  }
}

/**
 * Tells the user an answer stopped early and what that means for their code, with Retry. For a
 * rewrite: where it stopped (`stoppedAfterLine`, 0: before the selection's first line), and that
 * the rest of the selection is unchanged, unless it reached the selection's last line.
 */
async function showCutShort(
  request: ProposalRequest, reason: NonNullable<ProposalOutcome['cutShort']>, where: { stoppedAfterLine: number; reachedAll: boolean },
  hunks: number, retry: () => unknown,
): Promise<void> {
  const { stoppedAfterLine, reachedAll } = where;
  const why = {
    noFinish: vscode.l10n.t('the gateway ended the answer without saying it was complete'),
    length: vscode.l10n.t('it reached the length limit (hunyuan.maxTokens)'),
    stop: vscode.l10n.t('it hit a stop sequence (hunyuan.stop)'),
    unclosedFence: vscode.l10n.t('its code block was never closed'),
  }[reason];
  const insertion = request.range.isEmpty;
  let message: string;
  if (insertion || reachedAll) {
    message = vscode.l10n.t('The answer stopped early ({0}): the generated code may be incomplete. Check it before accepting.', why);
  } else if (stoppedAfterLine > 0) {
    message = vscode.l10n.t('The answer stopped after line {0}; the rest of the selection is unchanged ({1}).', stoppedAfterLine, why);
  } else {
    message = vscode.l10n.t('The answer stopped before reaching the selected lines; the selection is unchanged ({0}).', why);
  }
  if (!hunks && !insertion) message += ` ${vscode.l10n.t('Nothing was proposed.')}`;
  const retryLabel = vscode.l10n.t('Retry');
  const picked = await ui.warn(message, retryLabel);
  if (picked === retryLabel) await retry();
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
