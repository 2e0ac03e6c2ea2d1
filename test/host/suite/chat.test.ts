// The chat inside a real VS Code: its views, the typed protocol end to end against the gateway
// test server, stop/retry/regenerate/edit, the Deep Thinking toggle, context from the editor, code
// actions, persistence (rename, delete with Undo, an unreadable history file).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeFingerprint } from '../../../src/common/chat/fingerprint';
import * as P from '../../../src/common/chat/protocol';
import type { HistoryFile } from '../../../src/core/chat/history';
import { HistoryStore } from '../../../src/extension/chat/historyStore';
import { DEFAULT_ANSWER, DEFAULT_THINKING } from '../../gateway/content';
import { ChatPeer, chatPeerFixture } from './chatPeer';
import { hostFixture, setUserSettings, waitFor, waitForInputBox, waitForLog, waitForMessage } from './helpers';

const CODE = 'export function add(a: number, b: number): number {\n  return a + b;\n}';

describe('chat: view, protocol and persistence', () => {
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
    // a stream that sends a few chunks of thinking and then nothing: Stop always lands mid-stream
    f.gateway.setScenario('never-ends', { thinking: DEFAULT_THINKING, chunkSize: 6, chunksBeforeFault: 4 });
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'long answer please' });
    await waitFor(() => peers.peer.notifications(P.StreamDelta).some((d) => d.thinking), 'streaming to start');
    peers.peer.notify(P.Stop, undefined);
    const stopped = await peers.peer.finishedAnswer();
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.thinking.length > 0 && DEFAULT_THINKING.startsWith(stopped.thinking), JSON.stringify(stopped.thinking));
    assert.ok(stopped.thinking.length < DEFAULT_THINKING.length);
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
      { kind: 'selection', label: 'workspace/sample.ts', languageId: 'typescript', startLine: 1, endLine: last + 1 },
    );
    // removable
    peers.peer.notify(P.RemoveContext, { id: chips[0].id });
    await waitFor(() => peers.peer.notifications(P.PendingContextChanged).at(-1)?.context.length === 0, 'the chip to go');
    await vscode.commands.executeCommand('hunyuan.askAboutSelection');
    await waitFor(() => peers.peer.notifications(P.PendingContextChanged).at(-1)?.context.length === 1, 'the chip again');
    peers.peer.notify(P.Send, { text: 'What does this do?' });
    await peers.peer.finishedAnswer();
    const user = (f.gateway.lastRequest()?.body.messages as { content: string }[]).at(-1)?.content ?? '';
    assert.match(user, /Selection from workspace\/sample\.ts, lines 1-\d+ \(typescript\):\n```typescript\n/);
    assert.ok(user.includes(lines.slice(0, last + 1).join('\n')));
    assert.ok(user.endsWith('What does this do?'));
  });

  it('code block actions: copy, insert at cursor, new file', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'code' });
    const done = await peers.peer.finishedAnswer();
    // the code comes from the stored answer; the message says which block, and what the view showed
    const shown = codeFingerprint(CODE);
    await vscode.env.clipboard.writeText('');
    // the reply says whether it was done (the view shows ✓ only then)
    assert.equal(await peers.peer.messenger.sendRequest(P.RunCodeAction, { action: 'copy', turnId: done.id, blockIndex: 0, shown }), true);
    assert.equal(await vscode.env.clipboard.readText(), CODE);
    assert.equal(await peers.peer.messenger.sendRequest(P.RunCodeAction, { action: 'copy', turnId: done.id, blockIndex: 0, shown: codeFingerprint(`${CODE}x`) }), false,
      'code that differs from the answer is refused, and the reply says so');
    assert.equal(await vscode.env.clipboard.readText(), CODE);

    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'line1\nline2\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    assert.equal(await peers.peer.messenger.sendRequest(P.RunCodeAction, { action: 'insert', turnId: done.id, blockIndex: 0, shown }), true);
    assert.equal(doc.getText(), `line1\n${CODE}line2\n`, 'the insert');

    // the language comes from the block's fence (```ts)
    void peers.peer.messenger.sendRequest(P.RunCodeAction, { action: 'newFile', turnId: done.id, blockIndex: 0, shown });
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
    const saved = (await stored()).conversations.find((c) => c.id === id);
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

  it('the Deep Thinking toggle: fast sends /no_think before the message, slow does not', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.SetThinking, { mode: 'fast' });
    await waitFor(() => vscode.workspace.getConfiguration('hunyuan').get('thinking') === 'fast', 'the toggle to reach the settings');
    assert.equal(peers.peer.notifications(P.SnapshotChanged).at(-1)?.settings.thinking, 'fast');
    peers.peer.notify(P.Send, { text: 'quick one' });
    const fast = await peers.peer.finishedAnswer();
    assert.equal(fast.status, 'done');
    assert.equal(lastUserMessage(), '/no_think quick one');
    assert.equal(fast.thinking, '', 'no thinking in fast mode');

    peers.peer.clear();
    peers.peer.notify(P.SetThinking, { mode: 'slow' });
    await waitFor(() => peers.peer.notifications(P.SnapshotChanged).at(-1)?.settings.thinking === 'slow', 'the toggle back to slow');
    peers.peer.notify(P.Send, { text: 'think it through' });
    const slow = await peers.peer.finishedAnswer();
    assert.equal(lastUserMessage(), 'think it through');
    assert.equal(slow.thinking, DEFAULT_THINKING);

    // Regenerate and Edit & Resend go in the mode the toggle shows now, not the one first sent in
    peers.peer.clear();
    peers.peer.notify(P.SetThinking, { mode: 'fast' });
    peers.peer.notify(P.Regenerate, undefined);
    const again = await peers.peer.finishedAnswer();
    assert.equal(lastUserMessage(), '/no_think think it through', 'regenerated in fast mode');
    assert.equal(again.thinking, '');
    peers.peer.clear();
    peers.peer.notify(P.SetThinking, { mode: 'slow' });
    const question = f.api.chat.conversation.turns.at(-2);
    assert.equal(question?.role, 'user');
    peers.peer.notify(P.EditAndResend, { turnId: question.id, text: 'think it through, again' });
    const resent = await peers.peer.finishedAnswer();
    assert.equal(lastUserMessage(), 'think it through, again', 'resent in slow mode');
    assert.equal(resent.thinking, DEFAULT_THINKING);
  });

  it('a message sent right after the Deep Thinking toggle goes in the mode chosen, and quick toggles end in the last one', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    const setting = (): unknown => vscode.workspace.getConfiguration('hunyuan').get('thinking');
    // the start: slow, written and seen
    peers.peer.notify(P.SetThinking, { mode: 'slow' });
    await waitFor(() => setting() === 'slow', 'slow in the settings');
    peers.peer.clear();

    // three clicks and Enter at once: the last click's mode, though its write is not done yet
    peers.peer.notify(P.SetThinking, { mode: 'fast' });
    peers.peer.notify(P.SetThinking, { mode: 'slow' });
    peers.peer.notify(P.SetThinking, { mode: 'fast' });
    peers.peer.notify(P.Send, { text: 'right away' });
    const answer = await peers.peer.finishedAnswer();
    assert.equal(answer.status, 'done');
    assert.equal(lastUserMessage(), '/no_think right away', 'sent in fast mode, the last one chosen');
    assert.equal(answer.thinking, '');
    await waitFor(() => setting() === 'fast', 'fast in the settings at the end');
    // the views were never told a mode other than the one chosen last once it was chosen
    const shown = peers.peer.notifications(P.SnapshotChanged).map((s) => s.settings.thinking);
    assert.equal(shown.at(-1), 'fast');
    const firstFast = shown.indexOf('fast');
    assert.ok(firstFast >= 0, 'a snapshot showed fast');
    assert.deepEqual(shown.slice(firstFast).filter((m) => m !== 'fast'), [], `no flicker back: ${shown.join(', ')}`);
  });

  it('a message sent while another conversation is answering goes back into the input, and the notice can stop that answer', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    f.gateway.setScenario('slow', { delayMs: 200 });
    peers.peer.notify(P.Send, { text: 'a long answer, please' });
    await waitFor(() => { const t = f.api.chat.conversation.turns[1]; return t?.role === 'assistant' && t.answer; }, 'the answer to start');
    const answering = f.api.chat.conversation.id;
    await f.api.chat.newChat();
    assert.notEqual(f.api.chat.conversation.id, answering);
    peers.peer.notify(P.Send, { text: 'a question for the new chat' });
    await waitFor(() => peers.peer.notifications(P.ReturnMessage).length > 0, 'the message to come back');
    assert.deepEqual(peers.peer.notifications(P.ReturnMessage).at(-1), { text: 'a question for the new chat' });
    assert.equal(f.api.chat.conversation.turns.length, 0, 'nothing was added to the new chat');
    const notice = await waitForMessage(f.api, /still answering in .*Your message is back in the input/);
    assert.deepEqual(notice.items, ['Stop That Answer']);
    assert.ok(f.api.chat.isStreaming);
    await notice.answer('Stop That Answer');
    await waitFor(() => !f.api.chat.isStreaming, 'the other answer to stop');
    f.gateway.setScenario('reasoning');
    // now it is taken
    peers.peer.notify(P.Send, { text: 'a question for the new chat' });
    await waitFor(() => f.api.chat.conversation.turns.length === 2 && f.api.chat.conversation.turns[1].role === 'assistant' && (f.api.chat.conversation.turns[1] as { status: string }).status === 'done', 'the answer in the new chat');
  });

  it('edit and resend while another conversation is answering: that answer stops, kept, and the user is told', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'the question to edit' });
    await peers.peer.finishedAnswer();
    const edited = f.api.chat.conversation;
    const question = edited.turns[0].id;
    await f.api.chat.newChat();
    f.gateway.setScenario('slow', { delayMs: 200 });
    peers.peer.notify(P.Send, { text: 'a long answer elsewhere' });
    await waitFor(() => { const t = f.api.chat.conversation.turns[1]; return t?.role === 'assistant' && t.answer; }, 'the other answer to start');
    const other = f.api.chat.conversation;
    peers.peer.notify(P.SwitchConversation, { id: edited.id });
    await waitFor(() => f.api.chat.conversation.id === edited.id, 'the switch back');
    f.gateway.setScenario('reasoning');
    peers.peer.notify(P.EditAndResend, { turnId: question, text: 'the question, edited' });
    await waitForMessage(f.api, /The answer in .* was stopped to answer this one; what it had written is kept/);
    await waitFor(() => { const t = f.api.chat.conversation.turns[1]; return t?.role === 'assistant' && t.status === 'done'; }, 'the edited question answered');
    const stopped = other.turns[1];
    assert.ok(stopped.role === 'assistant' && stopped.status === 'stopped' && stopped.answer.length > 0, 'the other answer is kept, stopped');
  });

  it('renames a conversation through its input box; the title is kept on disk', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'first title' });
    await peers.peer.finishedAnswer();
    const id = f.api.chat.conversation.id;
    peers.peer.notify(P.RenameConversation, { id });
    const box = await waitForInputBox(f.api, /^Rename conversation$/);
    assert.equal(box.value, 'first title', 'the box opens with the current title');
    await assert.rejects(box.answer('   '), /A title cannot be empty/);
    await box.answer('  Renamed chat  ');
    await waitFor(() => lastSnapshot()?.conversations.find((c) => c.id === id)?.title === 'Renamed chat', 'the new title in the list');
    assert.equal(f.api.chat.conversation.title, 'Renamed chat');
    assert.equal((await stored()).conversations.find((c) => c.id === id)?.title, 'Renamed chat');
  });

  it('deletes a conversation at once, and Undo brings it back with its turns, also on disk', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'delete me' });
    await peers.peer.finishedAnswer();
    const { id } = f.api.chat.conversation;
    const turns = f.api.chat.conversation.turns.map((t) => [t.id, t.role]);
    assert.ok((await stored()).conversations.some((c) => c.id === id), 'saved before the delete');

    peers.peer.notify(P.DeleteConversation, { id });
    const notice = await waitForMessage(f.api, /^Deleted the conversation "delete me"\.$/);
    assert.deepEqual(notice.items, ['Undo']);
    assert.ok(!lastSnapshot()?.conversations.some((c) => c.id === id), 'gone from the list');
    assert.notEqual(f.api.chat.conversation.id, id, 'another conversation is shown');
    assert.ok(!(await stored()).conversations.some((c) => c.id === id), 'gone from disk');

    await notice.answer('Undo');
    await waitFor(() => lastSnapshot()?.conversations.some((c) => c.id === id), 'the conversation back in the list');
    const back = (await stored()).conversations.find((c) => c.id === id);
    assert.ok(back, 'back on disk');
    assert.equal(back.title, 'delete me');
    assert.deepEqual(back.turns.map((t) => [t.id, t.role]), turns);
    const [user, answer] = back.turns;
    assert.ok(user.role === 'user' && user.text === 'delete me');
    assert.ok(answer.role === 'assistant' && answer.answer === DEFAULT_ANSWER);
  });

  it('moves an unreadable history file aside when the chat opens, and says where it went', async () => {
    const store = f.api.history;
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'damage me' });
    await peers.peer.finishedAnswer();
    const { id } = f.api.chat.conversation;
    await f.api.chat.flush();
    // one file per conversation: this conversation's is damaged
    const file = store.conversationFile(id).fsPath;
    const damaged = '{"conversation": { this is not json';
    fs.writeFileSync(file, damaged);
    const before = new Set(fs.readdirSync(store.dir.fsPath));
    // a new window of this workspace reads the history, and its chat view opens
    await f.api.chat.reloadHistory();
    const view = new ChatPeer((w) => f.api.chat.attach(w));
    let aside: string | undefined;
    try {
      const snap = await view.messenger.sendRequest(P.Ready, undefined);
      assert.ok(!snap.conversations.some((c) => c.id === id), 'the damaged conversation is not listed');
      assert.equal(snap.conversation.turns.length, 0, 'a new conversation is shown');

      const added = fs.readdirSync(store.dir.fsPath).filter((n) => !before.has(n));
      assert.equal(added.length, 1, `files added: ${added}`);
      aside = path.join(store.dir.fsPath, added[0]);
      assert.equal(fs.readFileSync(aside, 'utf8'), damaged, 'moved aside whole, nothing lost');
      assert.ok(!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes('this is not json'));

      const notice = await waitForMessage(f.api, /chat history could not be read/);
      assert.equal(notice.severity, 'warning');
      assert.ok(notice.message.includes(aside), `the notification names ${aside}: ${notice.message}`);
      const log = await waitForLog(f.api, `moved to ${aside}`);
      assert.match(log, /chat history: not JSON[^\n]*; moved to /);
    } finally {
      view.dispose();
      if (aside) fs.rmSync(aside, { force: true });
    }
  });

  /** The last user message the gateway received. */
  function lastUserMessage(): string | undefined {
    return (f.gateway.lastRequest()?.body.messages as { role: string; content: string }[] | undefined)?.filter((m) => m.role === 'user').at(-1)?.content;
  }

  function lastSnapshot(): P.ChatSnapshot | undefined {
    return peers.peer.notifications(P.SnapshotChanged).at(-1);
  }

  /** The history as saved on disk, read back the way the extension reads it. */
  async function stored(): Promise<HistoryFile> {
    await f.api.chat.flush();
    const log = { warn: (m: string) => assert.fail(m), error: (m: string) => assert.fail(m) };
    return (await new HistoryStore(f.api.history.folder, log as never).load()).history;
  }
});
