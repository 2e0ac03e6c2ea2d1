// The inline diff applier in a real VS Code: proposals shown without writing, hunks accepted and
// rejected one by one (each accept one undo step), the user's typing during streaming kept,
// conflicts never applied, untitled documents, several editors, side by side, the chat's Apply.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeFingerprint } from '../../../src/common/chat/fingerprint';
import * as P from '../../../src/common/chat/protocol';
import type { InlineDiff } from '../../../src/extension/diff/inlineDiff';
import { chatPeerFixture } from './chatPeer';
import { closeDiffsAndEditors, hostFixture, undoRedo, waitFor } from './helpers';

const ORIGINAL = ['function a() {', '  return 1;', '}', '', 'function b() {', '  return 2;', '}', ''].join('\n');
// Rewrites line 2 (hunk 1) and line 6 (hunk 2).
const PROPOSAL = ['function a() {', '  return 10;', '}', '', 'function b() {', '  return 20;', '}', ''].join('\n');

async function untitled(content: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'javascript', content });
  return vscode.window.showTextDocument(doc, { viewColumn: column });
}

function wholeDocument(doc: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length);
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('inline diff applier', () => {
  const f = hostFixture('sk-inline-diff-test');
  const peers = chatPeerFixture(() => f.api);

  afterEach(async () => {
    await closeDiffsAndEditors(f.api);
    await closeAll();
  });

  it('shows a proposal without writing, accepts one hunk and rejects another, one undo per accept', async () => {
    const editor = await untitled(ORIGINAL);
    const doc = editor.document;
    editor.selection = new vscode.Selection(7, 0, 7, 0);
    const version = doc.version;
    const diff = f.api.diffs.open(doc, wholeDocument(doc), { title: 'Test', text: PROPOSAL });
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.endLine, h.removed, h.added, h.state]), [
      [1, 2, ['  return 1;'], ['  return 10;'], 'pending'],
      [5, 6, ['  return 2;'], ['  return 20;'], 'pending'],
    ]);
    assert.equal(doc.getText(), ORIGINAL, 'nothing written');
    assert.equal(doc.version, version);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title ?? ''}`);
    assert.ok(titles.some((t) => /^0:Accept all \(2\)/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => /^1:Accept/.test(t)) && titles.some((t) => /^5:Reject/.test(t)), titles.join(' | '));

    const [first, second] = diff.hunks;
    assert.equal(await diff.accept(first.id), true);
    assert.equal(doc.getText(), ORIGINAL.replace('return 1;', 'return 10;'));
    assert.equal(diff.reject(second.id), true);
    assert.equal(doc.getText(), ORIGINAL.replace('return 1;', 'return 10;'), 'a reject writes nothing');
    assert.ok(diff.isSettled && !f.api.diffs.sessions(doc).includes(diff), 'a decided diff is no longer shown');
    assert.ok(editor.selection.isEqual(new vscode.Selection(7, 0, 7, 0)), 'the cursor did not move');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'focus stays');

    await undoRedo('undo', doc);
    assert.equal(doc.getText(), ORIGINAL, 'one undo reverts the accept');
    // and the hunk is back, pending: it can be accepted again (the rejected one stays rejected)
    await waitFor(() => f.api.diffs.sessions(doc).includes(diff), 'the undone hunk to be shown again');
    assert.deepEqual(diff.hunks.map((h) => h.state), ['pending', 'rejected']);
    assert.equal(await diff.accept(first.id), true);
    assert.equal(doc.getText(), ORIGINAL.replace('return 1;', 'return 10;'));
    await undoRedo('undo', doc);
    await undoRedo('redo', doc);
    assert.equal(doc.getText(), ORIGINAL.replace('return 1;', 'return 10;'), 'redo re-applies it');
    assert.deepEqual(diff.hunks.map((h) => h.state), ['accepted', 'rejected']);
  });

  it('each accept is its own undo step, and accept all is one', async () => {
    const editor = await untitled(ORIGINAL);
    const doc = editor.document;
    const diff = f.api.diffs.open(doc, wholeDocument(doc), { title: 'Test', text: PROPOSAL });
    const [first, second] = diff.hunks;
    await diff.accept(second.id);
    await diff.accept(first.id);
    assert.equal(doc.getText(), PROPOSAL);
    await undoRedo('undo', doc);
    assert.equal(doc.getText(), ORIGINAL.replace('return 2;', 'return 20;'), 'the first undo reverts the last accept only');
    await undoRedo('undo', doc);
    assert.equal(doc.getText(), ORIGINAL);

    const all = f.api.diffs.open(doc, wholeDocument(doc), { title: 'Test', text: PROPOSAL });
    await vscode.commands.executeCommand('hunyuan.diff.acceptAll', { diff: all.id });
    assert.equal(doc.getText(), PROPOSAL);
    await undoRedo('undo', doc);
    assert.equal(doc.getText(), ORIGINAL);
  });

  it('keeps the user typing while the proposal streams; a hunk over edited lines is a conflict, never applied', async () => {
    const editor = await untitled(ORIGINAL);
    const doc = editor.document;
    const diff = f.api.diffs.open(doc, wholeDocument(doc), { title: 'Test', streaming: true });
    diff.append(PROPOSAL.split('\n').slice(0, 3));
    assert.equal(diff.isStreaming, true);
    // the user types above, inside hunk 2's line, and adds a line at the end, while it streams
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// top\n'));
    await editor.edit((b) => b.insert(new vscode.Position(6, 2), '/* mine */ '));
    await editor.edit((b) => b.insert(new vscode.Position(8, 0), 'tail();\n'));
    const typed = doc.getText();
    diff.finish(PROPOSAL);
    const states = diff.hunks.map((h) => [h.startLine, h.state]);
    assert.deepEqual(states, [[2, 'pending'], [6, 'conflict']]);
    assert.equal(await diff.acceptAll(), true);
    assert.equal(doc.getText(), typed.replace('return 1;', 'return 10;'), 'all of the typing survives');
    assert.match(doc.getText(), /\/\* mine \*\/ return 2;/);
    // the conflict stays visible until dismissed
    assert.equal(diff.isDisposed, false);
    const conflict = diff.hunks.find((h) => h.state === 'conflict');
    assert.ok(conflict);
    await vscode.commands.executeCommand('hunyuan.diff.dismissConflict', { diff: diff.id, hunk: conflict.id });
    assert.ok(diff.isSettled && !f.api.diffs.sessions(doc).includes(diff), 'nothing left to show');
  });

  it('hunks follow edits made before deciding, and accept at the cursor works from the keyboard command', async () => {
    const editor = await untitled(ORIGINAL);
    const doc = editor.document;
    f.api.diffs.open(doc, wholeDocument(doc), { title: 'Test', text: PROPOSAL });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// 1\n// 2\n'));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('hunyuan.diff.nextHunk');
    assert.equal(editor.selection.active.line, 3, 'next hunk moved down with the inserted lines');
    await vscode.commands.executeCommand('hunyuan.diff.nextHunk');
    assert.equal(editor.selection.active.line, 7);
    await vscode.commands.executeCommand('hunyuan.diff.acceptHunk');
    assert.match(doc.getText(), /return 20;/);
    assert.match(doc.getText(), /return 1;/);
    await vscode.commands.executeCommand('hunyuan.diff.previousHunk');
    assert.equal(editor.selection.active.line, 3);
    await vscode.commands.executeCommand('hunyuan.diff.rejectHunk');
    assert.equal(f.api.diffs.sessions(doc).length, 0);
    assert.equal(doc.getText(), '// 1\n// 2\n' + ORIGINAL.replace('return 2;', 'return 20;'));
  });

  it('works in several editors at once, without moving focus to the one being changed', async () => {
    const left = await untitled(ORIGINAL, vscode.ViewColumn.One);
    const right = await untitled('x = 1;\ny = 2;\n', vscode.ViewColumn.Two);
    const a = f.api.diffs.open(left.document, wholeDocument(left.document), { title: 'A', text: PROPOSAL });
    const b = f.api.diffs.open(right.document, new vscode.Range(1, 0, 2, 0), { title: 'B', text: 'y = 3;\n' });
    assert.deepEqual(b.hunks.map((h) => [h.startLine, h.added]), [[1, ['y = 3;']]]);
    assert.equal(vscode.window.activeTextEditor?.document, right.document);
    await vscode.commands.executeCommand('hunyuan.diff.acceptHunk', { diff: a.id, hunk: a.hunks[0].id });
    assert.equal(vscode.window.activeTextEditor?.document, right.document, 'focus stays in the other editor');
    assert.match(left.document.getText(), /return 10;/);
    await b.acceptAll();
    assert.equal(right.document.getText(), 'x = 1;\ny = 3;\n');
    assert.deepEqual(f.api.diffs.sessions().map((d) => d.title), ['A']);
  });

  it('keeps the text around a partial-line range, and inserts at a line without touching it', async () => {
    const editor = await untitled('const x = compute(1, 2);\n\nend();\n');
    const doc = editor.document;
    const range = new vscode.Range(0, 10, 0, 23); // compute(1, 2)
    const diff = f.api.diffs.open(doc, range, { title: 'Partial', text: 'compute(2, 1)' });
    assert.deepEqual(diff.hunks.map((h) => h.added), [['const x = compute(2, 1);']]);
    await diff.acceptAll();
    assert.equal(doc.getText(), 'const x = compute(2, 1);\n\nend();\n');
    // a pure insertion before the blank line 1 keeps the blank line
    const insert = f.api.diffs.open(doc, new vscode.Range(1, 0, 1, 0), { title: 'Insert', text: 'log(x);\n' });
    assert.deepEqual(insert.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, [], ['log(x);']]]);
    await insert.acceptAll();
    assert.equal(doc.getText(), 'const x = compute(2, 1);\nlog(x);\n\nend();\n');
  });

  it('shows the proposal side by side against virtual documents', async () => {
    const editor = await untitled(ORIGINAL);
    const diff = f.api.diffs.open(editor.document, wholeDocument(editor.document), { title: 'Test', text: PROPOSAL });
    await vscode.commands.executeCommand('hunyuan.diff.showSideBySide', { diff: diff.id });
    const tab = await waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    }, 'a diff editor');
    assert.equal(tab.original.scheme, 'hunyuan-proposal');
    assert.equal(tab.modified.scheme, 'hunyuan-proposal');
    assert.equal((await vscode.workspace.openTextDocument(tab.original)).getText(), ORIGINAL);
    assert.equal((await vscode.workspace.openTextDocument(tab.modified)).getText(), PROPOSAL);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('closing the document drops its diff; cancel stops a streaming one', async () => {
    const editor = await untitled(ORIGINAL);
    let cancelled = 0;
    const diff: InlineDiff = f.api.diffs.open(editor.document, wholeDocument(editor.document), { title: 'Test', streaming: true });
    diff.onCancel = () => cancelled++;
    await vscode.commands.executeCommand('hunyuan.diff.cancel');
    assert.equal(cancelled, 1);
    assert.ok(diff.isDisposed);
    const again = f.api.diffs.open(editor.document, wholeDocument(editor.document), { title: 'Test', text: PROPOSAL });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => again.isDisposed, 'the diff to close with its document');
  });

  it("the chat's Apply proposes the block in the editor it came from and writes nothing before accept", async () => {
    const editor = await untitled('let a = 1;\nlet b = 2;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 10);
    f.api.chat.attachSelection(editor);
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    f.gateway.setScenario('reasoning', { answer: 'Like this:\n\n```js\nlet b = 3;\n```\n' });
    peers.peer.notify(P.Send, { text: 'change b' });
    const done = await peers.peer.finishedAnswer();
    // the user moves on to another editor before pressing Apply
    await untitled('other\n', vscode.ViewColumn.Two);
    assert.equal(await peers.peer.messenger.sendRequest(P.RunCodeAction, { action: 'apply', turnId: done.id, blockIndex: 0, shown: codeFingerprint('let b = 3;') }), true);
    const diff = f.api.diffs.sessions(editor.document)[0];
    assert.ok(diff, 'the proposal');
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['let b = 2;'], ['let b = 3;']]]);
    assert.equal(editor.document.getText(), 'let a = 1;\nlet b = 2;\n');
    await diff.acceptAll();
    assert.equal(editor.document.getText(), 'let a = 1;\nlet b = 3;\n');
  });
});
