/**
 * How inline diffs look: removed lines in the theme's diff colours, the proposed lines in a zone
 * right after them (a read-only comment thread per hunk: the stable API's only inline zone), a
 * CodeLens row per hunk and one for the whole proposal, the status bar while a proposal streams,
 * and the context keys the keybindings use. Redrawn by `InlineDiffs` after every change.
 */
import * as vscode from 'vscode';
import { fenceFor } from '../../core/chat/prompt';
import { hunksInLines } from '../../core/diff/placement';
import type { Hunk } from '../../core/diff/session';
import { COMMANDS } from '../commands/ids';
import { Owner } from '../disposables';
import type { InlineDiff, InlineDiffs } from './inlineDiff';

export const COMMENT_CONTROLLER_ID = 'hunyuan.inlineDiff';
export const CONTEXT_ACTIVE = 'hunyuan.inlineDiff.active';
export const CONTEXT_STREAMING = 'hunyuan.inlineDiff.streaming';

/** What a CodeLens or a command names: a diff, and maybe one of its hunks. */
export interface HunkRef {
  diff: number;
  hunk?: number;
}

interface ThreadTarget {
  diff: InlineDiff;
  hunkId: number;
}

interface ShownThread {
  thread: vscode.CommentThread;
  /** What it shows, to skip redundant updates (they make the zone flicker). */
  key: string;
}

/** A diff's comment threads by the id of the hunk each shows (a thread never shows another hunk). */
type ShownThreads = Map<number, ShownThread>;

const isMac = process.platform === 'darwin';
const keyHint = (mac: string, other: string) => (isMac ? mac : other);

export class DiffView extends Owner implements vscode.CodeLensProvider {
  private readonly removedLines = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly conflictLines = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    border: '1px dashed',
    borderColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly streamingLines = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  });
  private readonly controller = vscode.comments.createCommentController(COMMENT_CONTROLLER_ID, vscode.l10n.t('Hunyuan proposals'));
  private readonly threads = new Map<InlineDiff, ShownThreads>();
  private readonly targets = new WeakMap<vscode.CommentThread, ThreadTarget>();
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly status = vscode.window.createStatusBarItem('hunyuan.inlineDiff.progress', vscode.StatusBarAlignment.Left, 100);
  private contextActive = false;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;
  private contextStreaming = false;

  constructor(private readonly diffs: InlineDiffs) {
    super();
    this.status.name = vscode.l10n.t('Hunyuan proposal progress');
    this.ownAll(
      this.removedLines, this.conflictLines, this.streamingLines, this.controller, this.lensChanged, this.status,
      vscode.languages.registerCodeLensProvider({ pattern: '**' }, this),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.scrolled(e.textEditor.document)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const doc of new Set(editors.map((e) => e.document))) this.decorate(doc);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      diffs.onDidChangeDocument((document) => this.render(document)),
    );
  }

  /**
   * An editor scrolled: draws the hunks that came near what it shows (at most every 100 ms while
   * scrolling, and once when it stops).
   */
  private scrolled(document: vscode.TextDocument): void {
    if (!this.diffs.sessions(document).length || this.scrollTimer) return;
    this.scrollTimer = setTimeout(() => {
      this.scrollTimer = undefined;
      if (document.isClosed) return;
      this.decorate(document);
      this.syncThreads(document);
      this.lensChanged.fire();
    }, 100);
  }

  /** Redraws everything about `document` (after any change to its diffs or its text). */
  render(document: vscode.TextDocument): void {
    this.decorate(document);
    this.syncThreads(document);
    this.lensChanged.fire();
    this.updateContext();
    this.updateStatus();
  }

  /** The comment threads shown for a document's diffs (for tests): their lines, label and hunk. */
  shownThreads(document: vscode.TextDocument): { startLine: number; endLine: number; label: string; hunkId: number; contextValue: string }[] {
    const out: { startLine: number; endLine: number; label: string; hunkId: number; contextValue: string }[] = [];
    for (const [diff, shown] of this.threads) {
      if (diff.document !== document) continue;
      for (const { thread } of shown.values()) {
        const target = this.targets.get(thread);
        out.push({
          startLine: thread.range?.start.line ?? -1, endLine: thread.range?.end.line ?? -1, label: thread.label ?? '',
          hunkId: target?.hunkId ?? -1, contextValue: thread.contextValue ?? '',
        });
      }
    }
    return out;
  }

  /** The diff and hunk a comment thread shows (its title actions get the thread). */
  targetOf(thread: vscode.CommentThread): ThreadTarget | undefined {
    return this.targets.get(thread);
  }

  // ---- decorations ---------------------------------------------------------------------------

  /**
   * Decorates, in each editor of the document, the hunks on and around its visible lines (a
   * proposal for thousands of lines has hundreds of hunks: decorating all of them on every redraw
   * would cost their number each time, on the extension host's thread and in the workbench).
   * Scrolling redraws (see the constructor).
   */
  private decorate(document: vscode.TextDocument): void {
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
    if (!editors.length) return;
    const last = document.lineCount - 1;
    const lines = (from: number, to: number) => new vscode.Range(Math.min(from, last), 0, Math.min(Math.max(from, to - 1), last), 0);
    const diffs = this.diffs.sessions(document);
    for (const editor of editors) {
      const { from, to } = drawnLines(editor);
      const removed: vscode.Range[] = [];
      const conflicts: vscode.Range[] = [];
      const streaming: vscode.Range[] = [];
      for (const diff of diffs) {
        const hunks = hunksInLines(diff.hunks, from, to).filter((h) => diff.isVisible(h));
        for (const hunk of hunks) {
          if (hunk.endLine <= hunk.startLine) continue;
          (hunk.state === 'conflict' ? conflicts : removed).push(lines(hunk.startLine, hunk.endLine));
        }
        if (diff.isStreaming) {
          // the range's lines not (yet) in a hunk, as runs
          const range = diff.range;
          let line = Math.max(range.startLine, from);
          const end = Math.min(range.endLine, to + 1, last + 1);
          for (const hunk of hunks) {
            if (hunk.startLine > line) streaming.push(lines(line, Math.min(hunk.startLine, end)));
            line = Math.max(line, hunk.endLine);
          }
          if (line < end) streaming.push(lines(line, end));
        }
      }
      editor.setDecorations(this.removedLines, removed);
      editor.setDecorations(this.conflictLines, conflicts);
      editor.setDecorations(this.streamingLines, streaming);
    }
  }

  // ---- proposed lines: one read-only comment thread per hunk ---------------------------------------

  /**
   * One thread per hunk, for as long as the hunk is shown: a thread is never handed to another
   * hunk. When an edit moves the line a zone hangs on (its range's last line), the workbench moves
   * the thread's range by itself without telling the extension host, whose copy stays the range we
   * last set, and setting that same range again is dropped as no change. So a thread passed on to
   * the next hunk after an accept could be given exactly the range it had before and keep the
   * workbench's shifted one: its zone under the wrong line, the Comments panel showing wrong lines
   * (line 0 once shifted past the top). A thread that stays on its hunk moves with it: an edit that
   * moves its zone's line moves the hunk the same way (one that changes the hunk's own lines makes
   * it a conflict), so the range we set differs from the old one and reaches the workbench.
   */
  private syncThreads(document: vscode.TextDocument): void {
    const live = new Set(this.diffs.sessions());
    for (const [diff, shown] of this.threads) {
      if (!live.has(diff)) {
        for (const s of shown.values()) s.thread.dispose();
        this.threads.delete(diff);
      }
    }
    // Zones only for the hunks on and around what the editors show (a long proposal has hundreds:
    // a zone each would keep the workbench busy relaying them out on every change); scrolling
    // brings the others.
    const near = this.nearVisible(document);
    for (const diff of this.diffs.sessions(document)) {
      const hunks = diff.visibleHunks;
      const shown = this.threads.get(diff) ?? new Map<number, ShownThread>();
      const next: ShownThreads = new Map();
      hunks.forEach((hunk, i) => {
        if (!near(hunk, i)) return;
        const range = this.threadRange(document, hunk);
        const label = this.threadLabel(diff, hunk, i, hunks.length);
        const body = this.threadBody(document, hunk);
        const contextValue = hunk.state === 'conflict' ? 'hunyuanConflict' : diff.isStreaming ? 'hunyuanStreaming' : 'hunyuanHunk';
        const key = JSON.stringify([range.start.line, range.end.line, label, body.value, contextValue]);
        let entry = shown.get(hunk.id);
        if (!entry) {
          const thread = this.controller.createCommentThread(document.uri, range, []);
          thread.canReply = false;
          thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
          this.targets.set(thread, { diff, hunkId: hunk.id });
          entry = { thread, key: '' };
        }
        next.set(hunk.id, entry);
        if (entry.key === key) return;
        entry.key = key;
        const { thread } = entry;
        if (!thread.range.isEqual(range)) thread.range = range;
        thread.label = label;
        thread.contextValue = contextValue;
        // the author line says what the hunk does: lines added and removed
        const author = { name: `+${hunk.added.length} −${hunk.removed.length}` };
        thread.comments = [{ body, mode: vscode.CommentMode.Preview, author, contextValue }];
      });
      for (const [id, old] of shown) if (!next.has(id)) old.thread.dispose();
      this.threads.set(diff, next);
    }
  }

  /**
   * Whether a hunk (the i-th shown) is on or around the lines an editor of the document shows; with
   * no editor showing it, whether it is among the first MAX_UNSEEN_THREADS.
   */
  private nearVisible(document: vscode.TextDocument): (hunk: Hunk, i: number) => boolean {
    const windows = vscode.window.visibleTextEditors.filter((e) => e.document === document).map(drawnLines);
    return (hunk, i) => (windows.length
      ? windows.some((w) => hunk.startLine <= w.to && Math.max(hunk.endLine, hunk.startLine + 1) > w.from)
      : i < MAX_UNSEEN_THREADS);
  }

  /** The removed lines (the zone shows below the range); for a pure insertion, the line above it. */
  private threadRange(document: vscode.TextDocument, hunk: Hunk): vscode.Range {
    const last = document.lineCount - 1;
    if (hunk.endLine > hunk.startLine) {
      return new vscode.Range(Math.min(hunk.startLine, last), 0, Math.min(hunk.endLine - 1, last), 0);
    }
    const line = Math.min(Math.max(hunk.startLine - 1, 0), last);
    return new vscode.Range(line, 0, line, 0);
  }

  private threadLabel(diff: InlineDiff, hunk: Hunk, index: number, count: number): string {
    if (hunk.state === 'conflict') return vscode.l10n.t('Not applied: you changed these lines');
    if (diff.isStreaming) return vscode.l10n.t('Hunyuan is writing: {0}', diff.title);
    return count > 1 ? vscode.l10n.t('{0} ({1} of {2})', diff.title, index + 1, count) : diff.title;
  }

  private threadBody(document: vscode.TextDocument, hunk: Hunk): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    if (hunk.state === 'conflict') {
      md.appendMarkdown('$(warning) ');
      md.appendText(vscode.l10n.t('You edited these lines, so this change was not applied. The proposal was:'));
      md.appendMarkdown('\n\n');
    }
    if (hunk.added.length) {
      const code = hunk.added.join('\n');
      const fence = fenceFor(code);
      md.appendMarkdown(`${fence}${document.languageId}\n${code}\n${fence}\n`);
    } else {
      md.appendMarkdown('*');
      md.appendText(vscode.l10n.t('Removes {0} line(s).', hunk.removed.length));
      md.appendMarkdown('*');
    }
    return md;
  }

  // ---- CodeLens ----------------------------------------------------------------------------------

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const last = document.lineCount - 1;
    const at = (line: number) => new vscode.Range(Math.min(line, last), 0, Math.min(line, last), 0);
    for (const diff of this.diffs.sessions(document)) {
      const top = at(diff.range.startLine);
      if (diff.isStreaming) {
        lenses.push(
          new vscode.CodeLens(top, { title: `$(loading~spin) ${vscode.l10n.t('Hunyuan is writing: {0}', diff.title)}`, command: '' }),
          new vscode.CodeLens(top, { title: vscode.l10n.t('Cancel'), command: COMMANDS.cancelProposal, arguments: [ref(diff)] }),
        );
        continue;
      }
      const all = diff.visibleHunks;
      const pending = all.filter((h) => h.state === 'pending');
      // Per-hunk lenses only around what the editors show, like the zones (scrolling asks again).
      const near = this.nearVisible(document);
      const hunks = all.filter((h, i) => near(h, i));
      if (pending.length > 1) {
        lenses.push(
          new vscode.CodeLens(top, { title: vscode.l10n.t('Accept all ({0})', pending.length), command: COMMANDS.acceptAll, arguments: [ref(diff)] }),
          new vscode.CodeLens(top, { title: vscode.l10n.t('Reject all'), command: COMMANDS.rejectAll, arguments: [ref(diff)] }),
        );
      }
      if (pending.length) {
        lenses.push(new vscode.CodeLens(top, { title: vscode.l10n.t('Side by side'), command: COMMANDS.showSideBySide, arguments: [ref(diff)] }));
      }
      for (const hunk of hunks) {
        const range = at(hunk.startLine);
        if (hunk.state === 'conflict') {
          lenses.push(
            new vscode.CodeLens(range, { title: `$(warning) ${vscode.l10n.t('Not applied: you changed these lines')}`, command: '' }),
            new vscode.CodeLens(range, { title: vscode.l10n.t('Dismiss'), command: COMMANDS.dismissConflict, arguments: [ref(diff, hunk)] }),
          );
        } else {
          lenses.push(
            new vscode.CodeLens(range, {
              title: vscode.l10n.t('Accept ({0})', keyHint('⌥⌘Y', 'Ctrl+Alt+Y')),
              command: COMMANDS.acceptHunk,
              arguments: [ref(diff, hunk)],
            }),
            new vscode.CodeLens(range, {
              title: vscode.l10n.t('Reject ({0})', keyHint('⌥⌘N', 'Ctrl+Alt+N')),
              command: COMMANDS.rejectHunk,
              arguments: [ref(diff, hunk)],
            }),
          );
        }
      }
    }
    return lenses;
  }

  // ---- status bar and context keys -------------------------------------------------------------

  private updateStatus(): void {
    const streaming = this.diffs.sessions().filter((d) => d.isStreaming);
    if (!streaming.length) {
      this.status.hide();
      return;
    }
    this.status.text = streaming.length === 1
      ? `$(loading~spin) ${vscode.l10n.t('Hunyuan: {0}', streaming[0].title)} $(close)`
      : `$(loading~spin) ${vscode.l10n.t('Hunyuan: {0} proposals', streaming.length)} $(close)`;
    this.status.tooltip = vscode.l10n.t('Hunyuan is writing a proposal; nothing is changed until you accept it. Click to cancel.');
    this.status.command = { title: vscode.l10n.t('Cancel'), command: COMMANDS.cancelProposal, arguments: [] };
    this.status.show();
  }

  private updateContext(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const active = !!doc && this.diffs.sessions(doc).some((d) => !d.isStreaming && d.visibleHunks.length > 0);
    const streaming = this.diffs.sessions().some((d) => d.isStreaming);
    if (active !== this.contextActive) {
      this.contextActive = active;
      void vscode.commands.executeCommand('setContext', CONTEXT_ACTIVE, active);
    }
    if (streaming !== this.contextStreaming) {
      this.contextStreaming = streaming;
      void vscode.commands.executeCommand('setContext', CONTEXT_STREAMING, streaming);
    }
  }

  protected override onDispose(): void {
    clearTimeout(this.scrollTimer);
    for (const shown of this.threads.values()) for (const s of shown.values()) s.thread.dispose();
    this.threads.clear();
  }
}

function ref(diff: InlineDiff, hunk?: Hunk): HunkRef {
  return hunk ? { diff: diff.id, hunk: hunk.id } : { diff: diff.id };
}

/** Lines drawn around what an editor shows: its visible lines and a screenful or more either side. */
const DRAW_MARGIN = 200;
/** Zones shown for a document no editor shows (they are listed in the Comments panel). */
const MAX_UNSEEN_THREADS = 100;

function drawnLines(editor: vscode.TextEditor): { from: number; to: number } {
  const ranges = editor.visibleRanges;
  if (!ranges.length) return { from: 0, to: DRAW_MARGIN };
  return {
    from: Math.max(0, ranges[0].start.line - DRAW_MARGIN),
    to: ranges[ranges.length - 1].end.line + DRAW_MARGIN,
  };
}
