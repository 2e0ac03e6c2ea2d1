// The chat history across windows and shutdowns, in the real extension: deactivate() waits for the
// last save; another window (a real second process writing the same storage folder) creates,
// renames and deletes conversations, and this window shows it and never writes deleted ones back;
// an old single-file history is converted when the chat opens.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as P from '../../../src/common/chat/protocol';
import type { AssistantTurn, Conversation } from '../../../src/common/chat/model';
import { parseConversationFile, type HistoryFile } from '../../../src/core/chat/history';
import { ChatPeer, chatPeerFixture } from './chatPeer';
import { hostFixture, waitFor } from './helpers';
import type { OtherWindowAction } from './otherWindow';

/** Runs another window's changes in a process of its own, on this window's storage folder. */
function otherWindow(root: string, actions: OtherWindowAction[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'otherWindow.js'), root, JSON.stringify(actions)], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, // under test-electron, execPath is VS Code itself
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && out === 'done' ? resolve() : reject(new Error(`the other window failed (${code}): ${out}`))));
  });
}

describe('chat history: windows and shutdown', () => {
  const f = hostFixture('sk-history-test');
  const peers = chatPeerFixture(() => f.api);

  /** A conversation as its file holds it now. */
  function onDisk(id: string): Conversation | undefined {
    const file = f.api.history.conversationFile(id).fsPath;
    if (!fs.existsSync(file)) return undefined;
    const read = parseConversationFile(fs.readFileSync(file, 'utf8'), id);
    assert.equal(read.status, 'ok');
    return read.status === 'ok' ? read.conversation : undefined;
  }

  async function chatIn(text: string): Promise<string> {
    await f.api.chat.newChat();
    peers.peer.notify(P.Send, { text });
    await peers.peer.finishedAnswer();
    peers.peer.clear();
    return f.api.chat.conversation.id;
  }

  it('deactivate() returns once the last save is on disk: a streaming answer is stopped and saved as it stood', async () => {
    f.gateway.setScenario('slow');
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    peers.peer.notify(P.Send, { text: 'keep this through a shutdown' });
    const { id } = f.api.chat.conversation;
    const turn = await waitFor(() => {
      const t = f.api.chat.conversation.turns[1];
      return t?.role === 'assistant' && t.thinking.length > 0 ? t : undefined;
    }, 'the answer to start streaming');

    // the module VS Code loaded (Node's cache): its deactivate, as VS Code calls it at shutdown
    const main = path.join(f.ext.extensionPath, 'dist', 'extension.js');
    const cached = require.cache[require.resolve(main)];
    assert.ok(cached, `the extension's module is not in Node's cache at ${main}`);
    await (cached.exports as { deactivate(): Promise<void> }).deactivate();

    // nothing awaited since: what is on disk now is what VS Code would keep
    const saved = onDisk(id);
    assert.ok(saved, 'the conversation is on disk');
    const answer = saved.turns[1] as AssistantTurn;
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.thinking, (turn as AssistantTurn).thinking, 'every token that arrived');
    assert.equal(answer.answer, (turn as AssistantTurn).answer);
    assert.equal(saved.turns[0].role === 'user' && saved.turns[0].text, 'keep this through a shutdown');
  });

  it('another window renaming a conversation while this one answers in it: the whole answer is saved, not the copy read back', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    await f.api.chat.newChat();
    // few large chunks with long pauses: the save and the other window's change fall in a pause
    f.gateway.setScenario('slow', { thinking: '', delayMs: 2500, chunkSize: 300 });
    peers.peer.notify(P.Send, { text: 'answer while the other window renames' });
    const id = f.api.chat.conversation.id;
    await waitFor(() => { const t = f.api.chat.conversation.turns[1]; return t?.role === 'assistant' && t.answer; }, 'the answer to start');
    await f.api.chat.flush();
    await otherWindow(f.api.history.folder.fsPath, [{ op: 'rename', id, title: 'Renamed while answering' }]);
    await f.api.history.refresh(); // what the window does when it gains focus
    await waitFor(() => f.api.chat.conversation.title === 'Renamed while answering', 'the rename taken in');
    const answer = await peers.peer.finishedAnswer();
    assert.equal(answer.status, 'done');
    f.gateway.setScenario('reasoning');
    await f.api.chat.flush();
    const saved = onDisk(id);
    assert.equal(saved?.title, 'Renamed while answering');
    const turn = saved?.turns[1] as AssistantTurn | undefined;
    assert.equal(turn?.status, 'done', 'saved as it ended, not as the copy read back (stopped)');
    assert.equal(turn?.answer, answer.answer, 'the whole answer');
    assert.equal(f.api.chat.conversation.turns[1], f.api.chat.conversation.turns.find((t) => t.id === answer.id), 'one answer turn');
  });

  it('shows what another window (another process) created, renamed or deleted, and never writes deleted conversations back', async () => {
    await peers.peer.messenger.sendRequest(P.Ready, undefined);
    const kept = await chatIn('a conversation left alone');
    const renamed = await chatIn('a conversation renamed elsewhere');
    // an answer streams here (its first chunks, then it waits) into the conversation the other window deletes
    await f.api.chat.newChat();
    f.gateway.setScenario('never-ends', { chunksBeforeFault: 6 });
    peers.peer.notify(P.Send, { text: 'a conversation deleted elsewhere while answering' });
    await waitFor(() => { const t = f.api.chat.conversation.turns[1]; return t?.role === 'assistant' && t.answer; }, 'the answer to start');
    const deleted = f.api.chat.conversation.id;
    await f.api.chat.flush();
    assert.ok(onDisk(deleted), 'saved while answering');

    await otherWindow(f.api.history.folder.fsPath, [
      { op: 'add', id: 'c-other-window', title: 'Made in another window', text: 'hello from there' },
      { op: 'rename', id: renamed, title: 'Renamed in another window' },
      { op: 'delete', id: deleted },
    ]);
    assert.equal(onDisk(deleted), undefined);
    assert.ok(f.api.chat.isStreaming, 'still answering');
    peers.peer.notify(P.Stop, undefined);
    const answer = await peers.peer.finishedAnswer();
    assert.equal(answer.status, 'stopped');
    f.gateway.setScenario('reasoning');
    await f.api.chat.flush();
    assert.equal(onDisk(deleted), undefined, 'the save of the answer did not bring it back');

    // what the window does when it gains focus
    await f.api.history.refresh();
    const snap = await waitFor(
      () => peers.peer.notifications(P.SnapshotChanged).find((s) => s.conversations.some((c) => c.id === 'c-other-window')),
      'a snapshot with the other window\'s conversation',
    );
    const titles = new Map(snap.conversations.map((c) => [c.id, c.title]));
    assert.equal(titles.get('c-other-window'), 'Made in another window');
    assert.equal(titles.get(renamed), 'Renamed in another window');
    assert.ok(!titles.has(deleted), 'the deleted conversation is not listed');
    assert.ok(titles.has(kept));

    // this window chats on in the conversation renamed there: its save keeps the rename
    peers.peer.clear();
    peers.peer.notify(P.SwitchConversation, { id: renamed });
    await waitFor(() => f.api.chat.conversation.id === renamed, 'the switch');
    peers.peer.notify(P.Send, { text: 'and one more question' });
    await peers.peer.finishedAnswer();
    await f.api.chat.flush();
    const after = onDisk(renamed);
    assert.equal(after?.title, 'Renamed in another window');
    assert.equal(after?.turns.length, 4);
    assert.equal(onDisk(deleted), undefined, 'the deleted conversation stays deleted');
    assert.equal(onDisk('c-other-window')?.title, 'Made in another window');
  });

  it('converts an old single-file history when the chat opens, without loss', async () => {
    await f.api.chat.flush();
    const t = Date.now();
    const old: HistoryFile = {
      version: 1,
      activeId: 'legacy-2',
      conversations: [1, 2].map((n): Conversation => ({
        id: `legacy-${n}`, title: `旧对话 ${n}`, createdAt: t + n, updatedAt: t + n,
        turns: [
          { id: `legacy-${n}-u`, role: 'user', text: `old question ${n}`, context: [], thinking: 'slow', createdAt: t },
          { id: `legacy-${n}-a`, role: 'assistant', thinking: 'hmm', answer: `old answer ${n}`, status: 'done', startedAt: t, endedAt: t + 1 },
        ],
      })),
    };
    const text = JSON.stringify(old);
    fs.writeFileSync(f.api.history.legacyFile.fsPath, text);
    const before = new Set(fs.readdirSync(f.api.history.folder.fsPath));

    await f.api.chat.reloadHistory();
    const view = new ChatPeer((w) => f.api.chat.attach(w));
    let kept: string | undefined;
    try {
      const snap = await view.messenger.sendRequest(P.Ready, undefined);
      assert.deepEqual(snap.conversation, old.conversations[1], 'the conversation shown last, whole');
      for (const c of old.conversations) {
        assert.ok(snap.conversations.some((s) => s.id === c.id && s.title === c.title), `${c.id} listed`);
        assert.deepEqual(onDisk(c.id), c, `${c.id} in a file of its own`);
      }
      assert.ok(!fs.existsSync(f.api.history.legacyFile.fsPath));
      const added = fs.readdirSync(f.api.history.folder.fsPath).filter((n) => !before.has(n));
      assert.equal(added.length, 1, `files added: ${added}`);
      assert.match(added[0], /^chat-history\.migrated-.*\.json$/);
      kept = path.join(f.api.history.folder.fsPath, added[0]);
      assert.equal(fs.readFileSync(kept, 'utf8'), text, 'the old file is kept as it was');
    } finally {
      view.dispose();
      if (kept) fs.rmSync(kept, { force: true });
    }
  });
});
