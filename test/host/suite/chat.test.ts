// The chat inside a real VS Code: its views, the typed protocol end to end against the gateway
// test server, stop/retry/regenerate/edit, context from the editor, code actions, persistence.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as P from '../../../src/common/chat/protocol';
import { HistoryStore } from '../../../src/extension/chat/historyStore';
import { DEFAULT_ANSWER, DEFAULT_THINKING } from '../../gateway/content';
import { ChatPeer, chatPeerFixture } from './chatPeer';
import { hostFixture, setUserSettings, waitFor } from './helpers';

const CODE = 'export function add(a: number, b: number): number {\n  return a + b;\n}';

describe('chat: view, protocol and persistence', function () {
  this.timeout(60000);
  const f = hostFixture('sk-chat-test');
  const peers = chatPeerFixture(() => f.api);

  it('shows the chat view with a strict CSP, scripts only from the bundle', async () => {
    await vscode.commands.executeCommand('hunyuan.chatView.focus');
    const view = await waitFor(() => f.api.chatView.visibleView, 'the chat view to resolve');
    const { webview } = view;
    assert.equal(webview.options.enableScripts, true);
    assert.equal(webview.options.enableCommandUris, false);
    const roots = (webview.options.localResourceRoots ?? []).map((u) => u.path);
    assert.deepEqual(roots, [vscode.Uri.joinPath(f.ext.extensionUri, 'dist').path]);
    const html = webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, `no nonce in ${csp}`);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce}"`));
    assert.match(scripts[0][1], /src="[^"]+dist\/webview\.js"/);
    assert.equal(scripts[0][2].trim(), '', 'no inline script');
  });

  it('opens the same chat in an editor tab, once', async () => {
    await vscode.commands.executeCommand('hunyuan.openChatInEditor');
    const panel = await waitFor(() => f.api.chatPanels.current, 'the chat panel');
    await vscode.commands.executeCommand('hunyuan.openChatInEditor');
    assert.equal(f.api.chatPanels.current, panel);
    assert.match(panel.webview.html, /dist\/webview\.js/);
    panel.dispose();
    await waitFor(() => !f.api.chatPanels.current, 'the panel to close');
  });

  it('answers a message: snapshot, then thinking and answer streamed, then usage and cost', async () => {
    const snap = await peers.peer.messenger.sendRequest(P.Ready, undefined);
    assert.equal(snap.conversation.turns.length, 0);
    assert.equal(snap.settings.hasApiKey, true);
    assert.equal(snap.settings.contextWindow, 32768);
    assert.ok(Object.keys(snap.strings).length > 10, 'localized strings for the webview');
    peers.peer.notify(P.Send, { text: 'Write an add function' });
    const done = await peers.peer.finishedAnswer();
    assert.equal(done.status, 'done');
    assert.equal(done.answer, DEFAULT_ANSWER);
    assert.equal(done.thinking, DEFAULT_THINKING);
    assert.deepEqual(peers.peer.streamedText(done.id), { thinking: DEFAULT_THINKING, answer: DEFAULT_ANSWER });
    assert.equal(done.usage?.estimated, false);
    assert.ok((done.costYuan ?? 0) > 0);
    assert.ok(done.thinkingStartedAt && done.thinkingEndedAt && done.thinkingEndedAt >= done.thinkingStartedAt);
    const totals = peers.peer.notifications(P.TurnChanged).at(-1)?.totals;
    assert.equal(totals?.completionTokens, done.usage?.completionTokens);
    const body = f.gateway.lastRequest()?.body;
    assert.equal(body.messages[0].role, 'system');
    assert.equal(body.messages.at(-1).content, 'Write an add function');
  });

  it('sends earlier answers back clean: no thinking, no tags', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'first' });
    await peers.peer.finishedAnswer();
    peers.peer.clear();
    peers.peer.notify(P.Send, { text: 'second' });
    await peers.peer.finishedAnswer();
    const msgs = f.gateway.lastRequest()?.body.messages as { role: string; content: string }[];
    assert.deepEqual(msgs.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(msgs[2].content, DEFAULT_ANSWER);
    assert.ok(!msgs[2].content.includes('<answer>') && !msgs[2].content.includes(DEFAULT_THINKING.slice(0, 20)));
  });

  it('stops mid-stream and keeps the partial answer, marked as stopped', async () => {
    f.gateway.setScenario('slow', { delayMs: 40, chunkSize: 6 });
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'long answer please' });
    await waitFor(() => peers.peer.notifications(P.StreamDelta).length >= 2, 'streaming to start');
    peers.peer.notify(P.Stop, undefined);
    const stopped = await peers.peer.finishedAnswer();
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.thinking.length > 0 && stopped.thinking.length < DEFAULT_THINKING.length + DEFAULT_ANSWER.length);
    assert.equal(f.api.chat.conversation.turns.at(-1)?.id, stopped.id, 'the partial answer stays in the conversation');
  });

  it('shows an error inline with its actions, and Retry replaces it with an answer', async () => {
    await setUserSettings({ baseUrl: f.gateway.baseUrl('status-402') });
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'hello' });
    const failed = await peers.peer.finishedAnswer();
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.kind, 'outOfBalance');
    assert.match(failed.error?.message ?? '', /Insufficient balance/);
    assert.deepEqual(failed.error?.actions, ['retry']);
    await setUserSettings({ baseUrl: f.gateway.baseUrl() });
    peers.peer.clear();
    peers.peer.notify(P.RunErrorAction, { action: 'retry' });
    const ok = await peers.peer.finishedAnswer();
    assert.equal(ok.status, 'done');
    const turns = f.api.chat.conversation.turns;
    assert.deepEqual(turns.map((t) => t.role), ['user', 'assistant']);
    assert.equal(turns[1].id, ok.id);
  });

  it('without a key, the inline error offers Set API Key and nothing is sent', async () => {
    await f.api.apiKeys.clear();
    const snap = await peers.peer.messenger.sendRequest(P.Ready, undefined);
    assert.equal(snap.settings.hasApiKey, false);
    peers.peer.notify(P.Send, { text: 'hello' });
    const failed = await peers.peer.finishedAnswer();
    assert.equal(failed.error?.kind, 'noKey');
    assert.deepEqual(failed.error?.actions, ['setApiKey']);
    assert.equal(f.gateway.requests.length, 0);
  });

  it('regenerates the last answer and resends an edited message, dropping what followed', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'one' });
    await peers.peer.finishedAnswer();
    peers.peer.clear();
    peers.peer.notify(P.Send, { text: 'two' });
    const second = await peers.peer.finishedAnswer();
    peers.peer.clear();
    peers.peer.notify(P.Regenerate, undefined);
    const regenerated = await peers.peer.finishedAnswer();
    assert.notEqual(regenerated.id, second.id);
    assert.equal(f.api.chat.conversation.turns.length, 4);
    const firstUser = f.api.chat.conversation.turns[0];
    peers.peer.clear();
    peers.peer.notify(P.EditAndResend, { turnId: firstUser.id, text: 'one, edited ECHO' });
    const edited = await peers.peer.finishedAnswer();
    assert.equal(f.api.chat.conversation.turns.length, 2);
    assert.match(edited.answer, /one, edited ECHO/);
    const msgs = f.gateway.lastRequest()?.body.messages as { role: string }[];
    assert.deepEqual(msgs.map((m) => m.role), ['system', 'user']);
  });

  it('asks about the selection: a chip with file, language and lines; the prompt carries the code', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'sample.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    const lines = doc.getText().split('\n');
    const last = Math.min(2, doc.lineCount - 1);
    editor.selection = new vscode.Selection(0, 0, last, lines[last].length);
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    await vscode.commands.executeCommand('hunyuan.askAboutSelection');
    const chips = await waitFor(() => peers.peer.notifications(P.PendingContextChanged).at(-1)?.context, 'the chip');
    assert.equal(chips.length, 1);
    assert.deepEqual(
      { kind: chips[0].kind, label: chips[0].label, languageId: chips[0].languageId, startLine: chips[0].startLine, endLine: chips[0].endLine },
      { kind: 'selection', label: 'sample.ts', languageId: 'typescript', startLine: 1, endLine: last + 1 },
    );
    // removable
    peers.peer.notify(P.RemoveContext, { id: chips[0].id });
    await waitFor(() => peers.peer.notifications(P.PendingContextChanged).at(-1)?.context.length === 0, 'the chip to go');
    await vscode.commands.executeCommand('hunyuan.askAboutSelection');
    await waitFor(() => peers.peer.notifications(P.PendingContextChanged).at(-1)?.context.length === 1, 'the chip again');
    peers.peer.notify(P.Send, { text: 'What does this do?' });
    await peers.peer.finishedAnswer();
    const user = (f.gateway.lastRequest()?.body.messages as { content: string }[]).at(-1)?.content ?? '';
    assert.match(user, /Selection from sample\.ts, lines 1-\d+ \(typescript\):\n```typescript\n/);
    assert.ok(user.includes(lines.slice(0, last + 1).join('\n')));
    assert.ok(user.endsWith('What does this do?'));
  });

  it('code block actions: copy, insert at cursor, new file', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'code' });
    const done = await peers.peer.finishedAnswer();
    await vscode.env.clipboard.writeText('');
    peers.peer.notify(P.RunCodeAction, { action: 'copy', turnId: done.id, blockIndex: 0, code: CODE, languageId: 'ts' });
    await waitFor(async () => (await vscode.env.clipboard.readText()) === CODE, 'the clipboard');

    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'line1\nline2\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    peers.peer.notify(P.RunCodeAction, { action: 'insert', turnId: done.id, blockIndex: 0, code: 'X;\n', languageId: 'ts' });
    await waitFor(() => doc.getText() === 'line1\nX;\nline2\n', 'the insert');

    peers.peer.notify(P.RunCodeAction, { action: 'newFile', turnId: done.id, blockIndex: 0, code: CODE, languageId: 'typescript' });
    const created = await waitFor(() => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.isUntitled && d.getText() === CODE ? d : undefined;
    }, 'the new file');
    assert.equal(created.languageId, 'typescript');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('estimates the prompt and offers to drop the oldest turns when the history does not fit', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    for (const t of ['a', 'b']) {
      peers.peer.clear();
      peers.peer.notify(P.Send, { text: t });
      await peers.peer.finishedAnswer();
    }
    const small = await peers.peer.messenger.sendRequest(P.EstimateBudget, { draft: 'hi' });
    assert.equal(small.overflowTurns, 0);
    assert.ok(small.promptTokens > 0 && small.remaining > 0);
    await setUserSettings({ contextWindow: 1024, maxTokens: 900 });
    const tight = await peers.peer.messenger.sendRequest(P.EstimateBudget, { draft: 'x'.repeat(200) });
    assert.ok(tight.overflowTurns > 0, JSON.stringify(tight));
    peers.peer.notify(P.DropOldest, { turns: tight.overflowTurns });
    await waitFor(() => f.api.chat.conversation.turns.length === 4 - 2 * tight.overflowTurns, 'the oldest turns to go');
  });

  it('keeps conversations across reloads; lists, switches, exports and deletes them', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'persist me' });
    await peers.peer.finishedAnswer();
    const id = f.api.chat.conversation.id;
    await f.api.chat.flush();
    const folder = (f.api.chat as unknown as { store: HistoryStore }).store.folder;
    const reread = await new HistoryStore(folder, undefined as never).load();
    const saved = reread.history.conversations.find((c) => c.id === id);
    assert.ok(saved, 'the conversation is in the stored history');
    assert.equal(saved.title, 'persist me');
    assert.equal(saved.turns.length, 2);

    // a reloaded view gets everything back from the extension
    const again = new ChatPeer((w) => f.api.chat.attach(w));
    const snap = await again.messenger.sendRequest(P.Ready, undefined);
    again.dispose();
    assert.equal(snap.conversation.id, id);
    assert.ok(snap.conversations.some((c) => c.id === id));

    await f.api.chat.newChat();
    assert.notEqual(f.api.chat.conversation.id, id);
    peers.peer.notify(P.SwitchConversation, { id });
    await waitFor(() => f.api.chat.conversation.id === id, 'the switch');

    const md = await f.api.chat.exportMarkdown(id);
    assert.ok(md);
    assert.match(md.getText(), /^# persist me\n/);
    assert.ok(md.getText().includes(DEFAULT_ANSWER));
    assert.ok(md.getText().includes('<details>'), 'thinking folded in the export');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    peers.peer.notify(P.DeleteConversation, { id });
    await waitFor(() => !peers.peer.notifications(P.SnapshotChanged).at(-1)?.conversations.some((c) => c.id === id), 'the delete');
  });

  it('moves a corrupt history file aside and starts afresh', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-history-'));
    fs.writeFileSync(path.join(dir, 'chat-history.json'), '{"conversations": [ this is not json');
    const logLines: string[] = [];
    const log = { warn: (m: string) => logLines.push(m), error: (m: string) => logLines.push(m) };
    const outcome = await new HistoryStore(vscode.Uri.file(dir), log as never).load();
    assert.deepEqual(outcome.history.conversations, []);
    assert.ok(outcome.movedTo);
    assert.equal(outcome.lost, Infinity);
    const files = fs.readdirSync(dir);
    assert.ok(!files.includes('chat-history.json'));
    const aside = files.find((f) => f.startsWith('chat-history.corrupt-'));
    assert.ok(aside, `files: ${files}`);
    assert.equal(fs.readFileSync(path.join(dir, aside), 'utf8'), '{"conversations": [ this is not json', 'nothing lost');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
