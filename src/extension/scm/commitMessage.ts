/**
 * "Hunyuan: Generate Commit Message" (the Source Control title bar of a Git repository): writes a
 * commit message for the staged changes (the working tree's when nothing is staged) into the
 * repository's commit input box, streamed as it arrives, in the display language or the one
 * `hunyuan.commitMessage.language` names, in the style of the repository's recent commits. A diff
 * too large for the window is summarized per file with whole hunks only (src/core/scm/pack.ts).
 *
 * Cancelling (the notification's Cancel, or the Stop button that replaces the command in the title
 * bar while it runs) puts back what the input box held before; so does a failure. Typing into the
 * box while the message streams stops the request and leaves the box to the user.
 *
 * Fast thinking: a commit message is a summary of a diff the prompt already holds, not a problem
 * to reason out. Slow thinking would spend hundreds to thousands of tokens (paid, and shown to
 * nobody) before the first word reaches the input box.
 */
import * as vscode from 'vscode';
import { Owner } from '../disposables';
import { ui } from '../ui';
import { COMMANDS } from '../commands/ids';
import type { HunyuanService } from '../hunyuan/service';
import { showHunyuanError } from '../hunyuan/notify';
import type { Logger } from '../log/logger';
import { readSettings, SECTION } from '../settings/configuration';
import { cleanCommitMessage } from '../../core/scm/clean';
import { parseDiff } from '../../core/scm/diff';
import { packDiff, type PackedDiff } from '../../core/scm/pack';
import { commitLanguage, commitSystemPrompt, commitUserPrompt, MAX_SUBJECTS } from '../../core/scm/prompt';
import { detectStyle } from '../../core/scm/style';
import { gitApi, pickRepository, type GitRepository } from './git';

/** Room for the answer: a subject and a short body, with no thinking to pay for (fast). */
export const COMMIT_MAX_TOKENS = 1024;
/** Commits read for the style. */
const LOG_ENTRIES = 30;
const GENERATING_CONTEXT = 'hunyuan.commitMessage.generating';

export interface CommitMessageResult {
  status: 'done' | 'stopped' | 'edited' | 'error' | 'empty' | 'nothing' | 'noGit' | 'noRepository' | 'busy';
  /** What the input box holds at the end. */
  message?: string;
  /** True when the staged changes were described, false for the working tree's. */
  staged?: boolean;
  diff?: Omit<PackedDiff, 'text'>;
}

export class CommitMessages extends Owner {
  private running: AbortController | undefined;

  constructor(
    private readonly service: HunyuanService,
    private readonly log: Logger,
  ) {
    super();
  }

  /** The two commands, and this (its dispose stops a running request). */
  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(COMMANDS.generateCommitMessage, (arg?: unknown) => this.generate(arg)),
      vscode.commands.registerCommand(COMMANDS.cancelCommitMessage, () => this.cancel()),
      this,
    ];
  }

  /** Stops the message being written (the input box gets back what it held); false when none was. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort();
    return true;
  }

  protected override onDispose(): void {
    this.cancel();
  }

  async generate(arg?: unknown): Promise<CommitMessageResult> {
    if (this.running) return { status: 'busy' };
    const api = await gitApi();
    if (api === 'missing' || api === 'disabled') {
      void ui.error(
        api === 'missing'
          ? vscode.l10n.t('The built-in Git extension (vscode.git) is not available, so Hunyuan cannot read the changes. Enable it in the Extensions view.')
          : vscode.l10n.t('Git is disabled (git.enabled is off), so Hunyuan cannot read the changes.'),
      );
      return { status: 'noGit' };
    }
    const repo = pickRepository(api, arg);
    if (!repo) {
      void ui.info(vscode.l10n.t('Open a folder with a Git repository first.'));
      return { status: 'noRepository' };
    }
    const abort = new AbortController();
    this.running = abort;
    void vscode.commands.executeCommand('setContext', GENERATING_CONTEXT, true);
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.SourceControl }, () =>
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Hunyuan is writing a commit message…'), cancellable: true },
          async (_progress, token) => {
            const sub = token.onCancellationRequested(() => abort.abort());
            try {
              return await this.write(repo, abort, arg);
            } catch (err) {
              // git itself failed (the repository went away, a lock file…): nothing was changed
              this.log.error(`commit: ${(err as Error).message}`);
              void ui.error(vscode.l10n.t('Git could not read the changes: {0}', (err as Error).message));
              return { status: 'error' } as CommitMessageResult;
            } finally {
              sub.dispose();
            }
          },
        ),
      );
    } finally {
      this.running = undefined;
      void vscode.commands.executeCommand('setContext', GENERATING_CONTEXT, false);
    }
  }

  private async write(repo: GitRepository, abort: AbortController, arg: unknown): Promise<CommitMessageResult> {
    let staged = true;
    let diff = await repo.diff(true);
    if (!diff.trim()) {
      staged = false;
      diff = await repo.diff(false);
    }
    if (!diff.trim()) {
      void ui.info(vscode.l10n.t('There are no changes to describe. (New files count once they are staged.)'));
      return { status: 'nothing', staged };
    }
    const commits = await repo.log({ maxEntries: LOG_ENTRIES }).catch(() => []);
    const messages = commits.map((c) => c.message);
    const style = detectStyle(messages);
    const subjects = messages
      .map((m) => m.split(/\r?\n/, 1)[0].trim())
      .filter((s) => s && !/^Merge (branch|pull request|remote-tracking branch)/.test(s))
      .slice(0, MAX_SUBJECTS);
    const language = commitLanguage(vscode.workspace.getConfiguration(SECTION).get<string>('commitMessage.language', 'auto'), vscode.env.language);
    const system = commitSystemPrompt({ style, language });
    const files = parseDiff(diff);

    // the diff gets what the window leaves after the rest of the prompt and the answer
    const request = { system, thinking: 'fast' as const, maxTokens: COMMIT_MAX_TOKENS };
    const userFor = (packed: PackedDiff) => commitUserPrompt({ diff: packed.text, summarized: packed.summarized, staged, subjects, style, language });
    const bare = this.service.plan({ ...request, user: userFor({ text: '', summarized: true } as PackedDiff) });
    let budget = bare.contextWindow - bare.maxTokens - bare.promptTokens - 16;
    let packed = packDiff(diff, files, Math.max(0, budget));
    let user = userFor(packed);
    for (let attempt = 0; attempt < 4; attempt++) {
      const plan = this.service.plan({ ...request, user });
      if (plan.fits && plan.maxTokens >= Math.min(COMMIT_MAX_TOKENS, bare.maxTokens)) break;
      budget -= Math.max(32, plan.promptTokens + bare.maxTokens - plan.contextWindow + 16);
      packed = packDiff(diff, files, Math.max(0, budget));
      user = userFor(packed);
    }
    const { text: _text, ...shape } = packed;
    this.log.info(
      `commit: ${staged ? 'staged' : 'working tree'} diff of ${files.length} files, ${diff.length} chars; ` +
        (packed.summarized ? `summarized: ${packed.hunksIncluded} of ${packed.hunksTotal} hunks, ${packed.filesListed} of ${packed.filesTotal} files listed` : 'sent whole') +
        `; style from ${style.sample} commits; ${language}`,
    );

    const before = repo.inputBox.value;
    let written = before;
    // Every value set here comes back from the workbench a little later (possibly after a newer
    // one was set): a value the box shows that is none of these is the user's typing.
    const ours = new Set([before]);
    let edited = false;
    const turn = await this.service.run(
      { purpose: 'commit', ...request, user, signal: abort.signal },
      {
        onAnswer: (_text, t) => {
          if (abort.signal.aborted) return;
          if (!ours.has(repo.inputBox.value)) {
            // the user typed into the box: theirs from now on
            edited = true;
            abort.abort();
            return;
          }
          const partial = cleanCommitMessage(t.answer, { partial: true });
          if (partial && partial !== written) {
            ours.add(partial);
            repo.inputBox.value = partial;
            written = partial;
          }
        },
      },
    );
    const result = { staged, diff: shape };
    if (edited || !ours.has(repo.inputBox.value)) {
      this.log.info('commit: the input box was edited while the message was written: left as it is');
      return { ...result, status: 'edited', message: repo.inputBox.value };
    }
    if (turn.status === 'stopped') {
      repo.inputBox.value = before;
      return { ...result, status: 'stopped', message: before };
    }
    if (turn.status === 'error') {
      repo.inputBox.value = before;
      const { settings } = readSettings();
      if (turn.error) {
        void showHunyuanError(turn.error, { baseUrl: settings.baseUrl, model: settings.model, timeoutSeconds: settings.requestTimeoutSeconds }, () =>
          vscode.commands.executeCommand(COMMANDS.generateCommitMessage, arg),
        );
      }
      return { ...result, status: 'error', message: before };
    }
    const message = cleanCommitMessage(turn.answer);
    if (!message) {
      repo.inputBox.value = before;
      void ui.warn(vscode.l10n.t('Hunyuan answered without a commit message. Try again, or write it yourself.'));
      return { ...result, status: 'empty', message: before };
    }
    repo.inputBox.value = message;
    if (turn.finishReason === 'length') this.log.warn('commit: the answer reached max_tokens; the message may be cut short');
    return { ...result, status: 'done', message };
  }
}
