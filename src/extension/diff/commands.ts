/**
 * The inline diff's commands: accept / reject a hunk or all of them, move between hunks, show the
 * proposal side by side, cancel a streaming one, dismiss a conflict. Each takes what its caller
 * has: a `HunkRef` from a CodeLens, a comment thread from the zone's title actions, or nothing
 * (keybindings, palette): then the hunk at the cursor of the active editor.
 */
import * as vscode from 'vscode';
import { adjacentHunk, hunkAtLine, withPendingApplied } from '../../core/diff/placement';
import type { Hunk } from '../../core/diff/session';
import { documentLines } from '../../core/diff/text';
import { COMMANDS } from '../commands/ids';
import { documentLabel, eolOf } from '../documents';
import type { InlineDiff, InlineDiffs } from './inlineDiff';
import type { DiffView, HunkRef } from './view';

interface Target {
  diff: InlineDiff;
  hunk: Hunk;
}

function isRef(arg: unknown): arg is HunkRef {
  return typeof arg === 'object' && arg !== null && typeof (arg as HunkRef).diff === 'number';
}

function isThread(arg: unknown): arg is vscode.CommentThread {
  return typeof arg === 'object' && arg !== null && 'uri' in arg && 'comments' in arg;
}

/** Every hunk of the active editor's diffs, with its diff. */
function editorHunks(diffs: InlineDiffs, editor: vscode.TextEditor): Map<Hunk, InlineDiff> {
  const all = new Map<Hunk, InlineDiff>();
  for (const diff of diffs.sessions(editor.document)) {
    if (diff.isStreaming) continue;
    for (const hunk of diff.hunks) all.set(hunk, diff);
  }
  return all;
}

/** The hunk a command is about: named by its argument, else the one at the cursor. */
function resolveHunk(diffs: InlineDiffs, view: DiffView, arg: unknown): Target | undefined {
  if (isThread(arg)) {
    const target = view.targetOf(arg);
    const hunk = target?.diff.hunks.find((h) => h.id === target.hunkId);
    return target && hunk ? { diff: target.diff, hunk } : undefined;
  }
  if (isRef(arg)) {
    const diff = diffs.find(arg.diff);
    const hunk = diff?.hunks.find((h) => h.id === arg.hunk);
    return diff && hunk ? { diff, hunk } : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const all = editorHunks(diffs, editor);
  const hunk = hunkAtLine([...all.keys()].sort((a, b) => a.startLine - b.startLine), editor.selection.active.line);
  return hunk && { diff: all.get(hunk)!, hunk };
}

/** The diffs a command about a whole proposal means: the one named, else all in the active editor. */
function resolveDiffs(diffs: InlineDiffs, arg: unknown): InlineDiff[] {
  if (isRef(arg)) {
    const diff = diffs.find(arg.diff);
    return diff ? [diff] : [];
  }
  const doc = vscode.window.activeTextEditor?.document;
  return doc ? diffs.sessions(doc).filter((d) => !d.isStreaming) : [];
}

function nothingHere(): void {
  vscode.window.setStatusBarMessage(vscode.l10n.t('No Hunyuan proposal here.'), 3000);
}

function goToHunk(diffs: InlineDiffs, direction: 1 | -1): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return nothingHere();
  const hunks = [...editorHunks(diffs, editor).keys()];
  const hunk = adjacentHunk(hunks, editor.selection.active.line, direction);
  if (!hunk) return nothingHere();
  const line = Math.min(hunk.startLine, editor.document.lineCount - 1);
  const position = new vscode.Position(line, editor.document.lineAt(line).firstNonWhitespaceCharacterIndex);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function showSideBySide(diffs: InlineDiffs, arg: unknown): Promise<void> {
  const [diff] = resolveDiffs(diffs, arg);
  if (!diff) return nothingHere();
  const doc = diff.document;
  const label = documentLabel(doc);
  const text = doc.getText();
  const left = diffs.documents.add(label, text);
  const right = diffs.documents.add(label, withPendingApplied(documentLines(text), diff.hunks, eolOf(doc)));
  await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0}: yours ↔ Hunyuan proposal', label), { preview: true });
}

export function registerDiffCommands(diffs: InlineDiffs, view: DiffView): vscode.Disposable[] {
  const onHunk = (act: (t: Target) => unknown) => async (arg?: unknown) => {
    const target = resolveHunk(diffs, view, arg);
    if (!target) return nothingHere();
    await act(target);
  };
  return [
    vscode.commands.registerCommand(COMMANDS.acceptHunk, onHunk(({ diff, hunk }) => diff.accept(hunk.id))),
    vscode.commands.registerCommand(COMMANDS.rejectHunk, onHunk(({ diff, hunk }) => diff.reject(hunk.id))),
    vscode.commands.registerCommand(COMMANDS.dismissConflict, onHunk(({ diff, hunk }) => diff.dismiss(hunk.id))),
    vscode.commands.registerCommand(COMMANDS.acceptAll, async (arg?: unknown) => {
      const targets = resolveDiffs(diffs, arg);
      if (!targets.length) return nothingHere();
      for (const diff of targets) await diff.acceptAll();
    }),
    vscode.commands.registerCommand(COMMANDS.rejectAll, (arg?: unknown) => {
      const targets = resolveDiffs(diffs, arg);
      if (!targets.length) return nothingHere();
      for (const diff of targets) diff.rejectAll();
    }),
    vscode.commands.registerCommand(COMMANDS.nextHunk, () => goToHunk(diffs, 1)),
    vscode.commands.registerCommand(COMMANDS.previousHunk, () => goToHunk(diffs, -1)),
    vscode.commands.registerCommand(COMMANDS.showSideBySide, (arg?: unknown) => showSideBySide(diffs, arg)),
    vscode.commands.registerCommand(COMMANDS.cancelProposal, (arg?: unknown) => {
      const streaming = isRef(arg) ? [diffs.find(arg.diff)] : diffs.sessions().filter((d) => d.isStreaming);
      for (const diff of streaming) if (diff) diffs.close(diff);
    }),
  ];
}
