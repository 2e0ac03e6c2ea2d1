/**
 * The inline diff applier: the VS Code layer over `core/diff`'s `DiffSession`.
 *
 * A proposal for a range of a document is shown in every editor of that document without writing
 * anything: the lines it removes get the theme's diff colours, the lines it adds are shown right
 * after them in a comment-thread zone (the stable API's only way to show lines that are not in the
 * document), and CodeLenses offer Accept | Reject per hunk and Accept all | Reject all at the top.
 * Only an accept writes, as one `WorkspaceEdit`: one undo step, no focus change, the cursor left
 * where it is. The user may keep typing at any time: every change is fed to the session, hunks
 * move with it, and a hunk whose lines the user changed turns into a conflict that is never
 * applied (it stays visible, with its proposed text, until dismissed).
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { proposalWindow, windowProposal, windowsOverlap, type ProposalWindow } from '../../core/diff/placement';
import { DiffSession, type FinishOptions, type FinishResult, type Hunk } from '../../core/diff/session';
import { documentLines, type TextChange } from '../../core/diff/text';
import { charRangeOf, documentLabel, eolOf, textChangeOf } from '../documents';
import type { ProposalDocuments } from './virtualDocuments';
import { Owner } from '../disposables';

export interface OpenOptions {
  /** What the proposal is, for the status bar, CodeLens and thread labels ("Edit: make it async"). */
  readonly title: string;
  /** The replacement text for the range so far (cleaned code). Default ''. */
  readonly text?: string;
  /** More text comes through `update` and ends with `finish`. Default false. */
  readonly streaming?: boolean;
}

export function toRange(change: TextChange): vscode.Range {
  return new vscode.Range(change.startLine, change.startCharacter, change.endLine, change.endCharacter);
}

/** One proposal shown in one document. */
export class InlineDiff implements vscode.Disposable {
  /** What Cancel (status bar, CodeLens) does while streaming: set by whoever streams the text. */
  onCancel?: () => void;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  /** Conflicting hunks the user has seen and dismissed. */
  private readonly dismissed = new Set<number>();
  private disposed = false;
  /** Whether the first proposal line has been streamed (it carries the window's prefix). */
  private started = false;
  /** Where streamed lines come from (see `streamed`). */
  private source: (() => readonly string[]) | undefined;
  private visible: { version: number; hunks: Hunk[] } | undefined;

  /** @internal Created by `InlineDiffs.open`. */
  constructor(
    readonly id: number,
    readonly document: vscode.TextDocument,
    readonly title: string,
    private readonly window: ProposalWindow,
    private readonly session: DiffSession,
    private readonly changed: (diff: InlineDiff, streamed?: boolean) => void,
  ) {}

  get hunks(): readonly Hunk[] {
    return this.session.hunks;
  }

  /** Whether a hunk is shown: pending, or a conflict not dismissed. */
  isVisible(hunk: Hunk): boolean {
    return hunk.state === 'pending' || (hunk.state === 'conflict' && !this.dismissed.has(hunk.id));
  }

  /** Hunks still shown: pending ones, and conflicts not dismissed. */
  get visibleHunks(): readonly Hunk[] {
    const version = this.session.version;
    if (this.visible?.version !== version) {
      this.visible = { version, hunks: this.session.hunks.filter((h) => this.isVisible(h)) };
    }
    return this.visible.hunks;
  }

  get isStreaming(): boolean {
    return this.session.isStreaming;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Where the rewritten lines are now: [startLine, endLine). */
  get range(): { startLine: number; endLine: number } {
    return this.session.range;
  }

  /**
   * More of the answer arrived while streaming. `source` turns what arrived since it was last
   * called into complete lines of the replacement text (cleaned code, no line breaks); it is called
   * when the diff next redraws (at most every REDRAW_MS, see `InlineDiffs`), not per answer event,
   * so the cleaning and the diff run once per redraw on everything that came in between. Costs about
   * the same per line at the end of a long answer as at its start.
   */
  streamed(source: () => readonly string[]): void {
    if (this.disposed || !this.session.isStreaming) return;
    this.source = source;
    this.changed(this, true);
  }

  /** More complete lines of the replacement text while streaming, appended at once (see `streamed`). */
  append(lines: readonly string[]): void {
    if (this.disposed || !this.session.isStreaming) return;
    this.appendNow(lines);
    this.changed(this, true);
  }

  /** @internal Before a redraw: appends the lines streamed in since the last one. */
  takeStreamed(): void {
    const source = this.source;
    if (!source || this.disposed || !this.session.isStreaming) return;
    this.appendNow(source());
  }

  private appendNow(lines: readonly string[]): void {
    if (!lines.length) return;
    if (!this.started) {
      this.started = true;
      lines = [this.window.prefix + lines[0], ...lines.slice(1)];
    }
    this.session.appendLines(lines);
  }

  /**
   * The final replacement text. When it changes nothing the diff closes itself. With `cutShort`
   * (the answer stopped early) the window's suffix is not added and the lines the answer never
   * reached stay as they are.
   */
  finish(text: string, opts: FinishOptions = {}): FinishResult {
    if (this.disposed || !this.session.isStreaming) {
      return { hunks: this.disposed ? 0 : this.session.hunks.length, reached: 0, reachedLine: this.session.range.startLine, reachedAll: false };
    }
    this.source = undefined;
    // Cut short, the answer's complete lines only: none at all proposes nothing (not the first
    // line's text before the range on its own), and the text after the range comes back only if
    // the answer reached its last line (DiffSession.finish).
    const proposal = opts.cutShort && !text ? '' : windowProposal(this.window, text, !!opts.cutShort);
    const result = this.session.finish(proposal, opts.cutShort ? { ...opts, suffix: this.window.suffix } : opts);
    this.changed(this);
    return result;
  }

  /** Applies a pending hunk as one edit (one undo step); false if it is not pending or the edit failed. */
  async accept(hunkId: number): Promise<boolean> {
    const change = this.session.accept(hunkId);
    return change ? this.apply([change]) : false;
  }

  /** Drops a pending hunk; nothing is written. */
  reject(hunkId: number): boolean {
    const done = this.session.reject(hunkId);
    if (done) this.changed(this);
    return done;
  }

  /** Applies every pending hunk as one edit; conflicts are left alone. */
  async acceptAll(): Promise<boolean> {
    const changes = this.session.acceptAll();
    return changes.length ? this.apply(changes) : false;
  }

  rejectAll(): void {
    this.session.rejectAll();
    this.changed(this);
  }

  /** Hides a conflicting hunk (it was never applied, and never will be). */
  dismiss(hunkId: number): boolean {
    const hunk = this.session.hunks.find((h) => h.id === hunkId);
    if (!hunk || hunk.state !== 'conflict') return false;
    this.dismissed.add(hunkId);
    this.visible = undefined;
    this.changed(this);
    return true;
  }

  /** Nothing is left to show or decide. */
  get isSettled(): boolean {
    return !this.session.isStreaming && this.visibleHunks.length === 0;
  }

  /**
   * Settled, but an accept of it could still be undone: it stays, unseen, listening to the
   * document, so that undo makes the hunk pending again (and redo accepted again).
   */
  get isDormant(): boolean {
    return this.isSettled && this.session.hasApplied;
  }

  /** @internal The document changed (the session's own accepts included). */
  onDocumentChange(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    this.session.onDocumentChange(changes.map(textChangeOf));
  }

  /** Removes the diff (nothing is written); fires `onDidDispose`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.changed(this);
  }

  private async apply(changes: readonly TextChange[]): Promise<boolean> {
    // Built and sent in the same tick as the session handed the edits out: the session expects
    // them back in the very next change event.
    const edit = new vscode.WorkspaceEdit();
    for (const change of changes) edit.replace(this.document.uri, toRange(change), change.text);
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) {
      const name = documentLabel(this.document);
      void ui.warn(vscode.l10n.t('VS Code refused the change to {0} (is it read-only?). Nothing was written.', name));
    }
    this.changed(this);
    return ok;
  }
}

/** Settled diffs kept per document so that undoing an accept brings its hunk back. */
const MAX_DORMANT = 3;
/** While streaming, the least time between two redraws of a document's diffs. */
const REDRAW_MS = 100;

export class InlineDiffs extends Owner {
  private readonly diffs: InlineDiff[] = [];
  private readonly drawEmitter = this.own(new vscode.EventEmitter<vscode.TextDocument>());
  /**
   * A document's diffs changed (opened, streamed, decided, closed, or its text edited): whoever
   * shows them redraws it (the DiffView). Fired at most every REDRAW_MS per document while streaming.
   */
  readonly onDidChangeDocument = this.drawEmitter.event;
  private nextId = 1;
  private updating = false;
  private readonly redraws = new Map<vscode.TextDocument, ReturnType<typeof setTimeout>>();
  private readonly lastRedraw = new WeakMap<vscode.TextDocument, number>();

  constructor(readonly documents: ProposalDocuments) {
    super();
    this.ownAll(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        const affected = this.diffs.filter((d) => d.document === e.document);
        for (const diff of affected) diff.onDocumentChange(e.contentChanges);
        if (affected.length) this.changed(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        for (const diff of this.allOf(doc)) this.close(diff);
      }),
    );
  }

  /**
   * Shows a proposal to replace `range` of `document` (a character range; an empty range at the
   * start of a line inserts before that line). Diffs already shown over overlapping lines of the
   * same document are closed first (a streaming one is cancelled).
   */
  open(document: vscode.TextDocument, range: vscode.Range, options: OpenOptions): InlineDiff {
    const text = document.getText();
    const lines = documentLines(text);
    const window = proposalWindow(lines, charRangeOf(range));
    for (const old of this.allOf(document)) {
      if (windowsOverlap(old.range, window)) this.close(old);
    }
    const streaming = options.streaming ?? false;
    const session = new DiffSession({
      text,
      startLine: window.startLine,
      endLine: window.endLine,
      proposal: windowProposal(window, options.text ?? '', streaming),
      streaming,
      eol: eolOf(document),
    });
    const diff = new InlineDiff(this.nextId++, document, options.title, window, session, (d, streamed) => {
      if (streamed) this.changedWhileStreaming(d.document);
      else this.changed(d.document);
    });
    this.diffs.push(diff);
    this.changed(document);
    return diff;
  }

  /** The diffs shown (not the dormant ones), in a document or everywhere, oldest first. */
  sessions(document?: vscode.TextDocument): InlineDiff[] {
    return this.diffs.filter((d) => (!document || d.document === document) && !d.isDormant);
  }

  /** Every diff of a document, dormant ones included. */
  private allOf(document: vscode.TextDocument): InlineDiff[] {
    return this.diffs.filter((d) => d.document === document);
  }

  find(id: number): InlineDiff | undefined {
    return this.diffs.find((d) => d.id === id);
  }

  /** Cancels a streaming diff (stopping its request) or closes a finished one. */
  close(diff: InlineDiff): void {
    if (diff.isStreaming) diff.onCancel?.();
    diff.dispose();
  }

  /**
   * More lines streamed in: redraws at most every REDRAW_MS (the first time at once). A redraw works
   * out the session's streaming hunks and reads all of them (the view then draws those near the
   * visible lines), so redrawing on every line of a long answer would cost the square of its
   * length on the extension host's thread.
   */
  private changedWhileStreaming(document: vscode.TextDocument): void {
    if (this.redraws.has(document)) return;
    const wait = Math.max(0, (this.lastRedraw.get(document) ?? 0) + REDRAW_MS - Date.now());
    if (wait === 0) {
      this.changed(document);
      return;
    }
    this.redraws.set(document, setTimeout(() => {
      this.redraws.delete(document);
      if (!document.isClosed) this.changed(document);
    }, wait));
  }

  /** After any change: drops what is settled or closed, then redraws the document's editors. */
  private changed(document: vscode.TextDocument): void {
    if (this.updating) return; // a diff disposed below reports back here
    this.updating = true;
    try {
      for (const diff of this.allOf(document)) {
        if (diff.isSettled && !diff.isDormant) diff.dispose();
      }
      // Keep the latest few dormant diffs of a document (their accepts may be undone), not more.
      const dormant = this.allOf(document).filter((d) => d.isDormant);
      for (const diff of dormant.slice(0, Math.max(0, dormant.length - MAX_DORMANT))) diff.dispose();
      for (let i = this.diffs.length - 1; i >= 0; i--) {
        if (this.diffs[i].isDisposed) this.diffs.splice(i, 1);
      }
    } finally {
      this.updating = false;
    }
    clearTimeout(this.redraws.get(document));
    this.redraws.delete(document);
    this.lastRedraw.set(document, Date.now());
    for (const diff of this.allOf(document)) diff.takeStreamed();
    this.drawEmitter.fire(document);
  }

  protected override onDispose(): void {
    for (const timer of this.redraws.values()) clearTimeout(timer);
    this.redraws.clear();
    for (const diff of [...this.diffs]) diff.dispose();
  }
}
