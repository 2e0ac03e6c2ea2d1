/**
 * The chat's side of the editors: which editor the user worked in last (the chat view takes the
 * focus, so "the active editor" is often none), what a code block's Apply targets, and the code
 * blocks' buttons (Copy, Insert, New File, Apply), which take the code from the stored answer.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { AssistantTurn, Turn } from '../../common/chat/model';
import { shownCode } from '../../common/chat/fingerprint';
import type { CodeAction } from '../../common/chat/protocol';
import { answerCodeBlocks } from '../../core/chat/codeBlocks';
import type { InlineDiffs } from '../diff/inlineDiff';
import type { Logger } from '../log/logger';
import { Owner } from '../disposables';
import { locationCandidates } from '../../core/context/locations';
import { copyCode, insertCode, locateChip, newFileWithCode, proposeInEditor, type ApplyTarget } from './codeActions';

export class ChatEditors extends Owner {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor(
    private readonly diffs: InlineDiffs,
    private readonly log: Logger,
  ) {
    super();
    this.own(vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e) this.last = e;
    }));
  }

  /** The editor the user worked in last (it may be closed). */
  get lastEditor(): vscode.TextEditor | undefined {
    return this.last;
  }

  /** The last editor if its document is still open (shown in a visible editor where possible), else the active one. */
  liveEditor(): vscode.TextEditor | undefined {
    const e = this.last;
    if (!e || e.document.isClosed) return vscode.window.activeTextEditor;
    return vscode.window.visibleTextEditors.find((v) => v.document === e.document) ?? e;
  }

  /** What Apply on answer `turnId` of `turns` replaces: the code the question was about (if it is still there), else the editor's selection. */
  async applyTarget(turns: readonly Turn[], turnId: string): Promise<ApplyTarget | undefined> {
    const at = turns.findIndex((t) => t.id === turnId);
    for (let i = at - 1; i >= 0; i--) {
      const t = turns[i];
      if (t.role !== 'user') continue;
      const chips = t.context.filter((c) => c.kind === 'selection');
      if (chips.length === 1) {
        const chip = chips[0];
        try {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(chip.uri));
          const range = locateChip(doc, chip);
          if (range) return { document: doc, range, origin: 'context' };
        } catch {
          // the file is gone: fall back to the editor
        }
      }
      break;
    }
    const editor = this.liveEditor();
    if (!editor) return undefined;
    const sel = editor.selection;
    return { document: editor.document, range: new vscode.Range(sel.start, sel.end), origin: sel.isEmpty ? 'cursor' : 'selection' };
  }

  /**
   * A code block's button. The code comes from the stored answer (turn `turnId` of `turns`, code
   * block `blockIndex`), never from the message, and only when it is what the view showed
   * (`shown`); while the answer is still being written only Copy is allowed, of what was shown so far.
   * Whether it was done (a refusal has told the user why).
   */
  async codeAction(turns: readonly Turn[], p: { action: CodeAction; turnId: string; blockIndex: number; shown: string }): Promise<boolean> {
    const turn = turns.find((t): t is AssistantTurn => t.id === p.turnId && t.role === 'assistant');
    const writing = turn?.status === 'streaming';
    const block = turn && (!writing || p.action === 'copy') ? (await answerCodeBlocks(turn.answer))[p.blockIndex] : undefined;
    const code = block && shownCode(block.code, p.shown, { allowPrefix: writing });
    if (!block || code === undefined) {
      this.log.warn(`chat: refused ${p.action} of code block ${p.blockIndex} of turn ${JSON.stringify(p.turnId)}: ${
        !turn ? 'no such answer in this conversation' : writing && p.action !== 'copy' ? 'the answer is still being written' : !block ? 'no such code block' : 'the code differs from the answer'}`);
      void ui.warn(vscode.l10n.t('This code block is not in the answer as Hunyuan wrote it, so nothing was done. Regenerate the answer if it looks wrong.'));
      return false;
    }
    switch (p.action) {
      case 'copy':
        return copyCode(code);
      case 'insert':
        return insertCode(this.liveEditor(), code);
      case 'newFile':
        await newFileWithCode(code, block.languageId);
        return true;
      case 'apply': {
        const target = await this.applyTarget(turns, p.turnId);
        if (!target) {
          void ui.warn(vscode.l10n.t('Open the file to change and select the code to replace, then press Apply again.'));
          return false;
        }
        return !!(await proposeInEditor(target, code, this.diffs));
      }
    }
  }

  /**
   * Opens a `path:line` reference of an answer (or a snippet of a search) at its line, when it is
   * a file of the workspace; anything else is refused with a message.
   */
  async openLocation(path: string, line: number): Promise<boolean> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.path.replace(/\/+$/, ''), uri: f.uri }));
    for (const candidate of locationCandidates(path, folders)) {
      const folder = folders.find((f) => candidate === f.path || candidate.startsWith(`${f.path}/`)) ?? folders[0];
      const uri = folder.uri.with({ path: candidate });
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.Directory) continue;
      } catch {
        continue;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      const at = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
      const range = new vscode.Range(at, 0, at, 0);
      await vscode.window.showTextDocument(doc, { selection: range, preview: true });
      return true;
    }
    this.log.info('chat: a path:line reference names no file of the workspace');
    void ui.info(vscode.l10n.t('{0} is not a file of this workspace.', path.slice(0, 200)));
    return false;
  }
}
