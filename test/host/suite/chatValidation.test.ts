// The boundary between the chat view and the extension, in a real extension host: every message
// the view posts is checked against the protocol's validators before the controller acts on it.
// A test peer (chatPeer.ts) stands where the webview is, on the same channel the controller
// listens to, and posts malformed messages: each is refused and logged, and nothing is written
// (settings, conversation, editor, clipboard) or sent to the gateway. Code actions take their
// code from the stored answer, by turn and block, never from the message.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeFingerprint } from '../../../src/common/chat/fingerprint';
import * as P from '../../../src/common/chat/protocol';
import type { Envelope } from '../../../src/common/ipc/messages';
import { chatPeerFixture } from './chatPeer';
import { hostFixture, logText, waitFor, waitForMessage } from './helpers';

const CODE = 'export function add(a: number, b: number): number {\n  return a + b;\n}';
const REFUSED = /chat: refused a message from the chat view/g;
const NOT_IN_ANSWER = /^This code block is not in the answer as Hunyuan wrote it/;

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

describe('chat: every message from the view is validated', () => {
  const f = hostFixture('sk-chat-validation-test');
  const peers = chatPeerFixture(() => f.api);

  const notification = (method: string, params: unknown) => ({ type: 'notification', method, params });

  it('refuses each malformed message: logged, and nothing written or sent', async () => {
    const { peer } = peers;
    await peer.messenger.sendRequest(P.Ready, undefined);
    peer.notify(P.Send, { text: 'first' });
    await peer.finishedAnswer();
    peer.clear();
    peer.notify(P.Send, { text: 'second' });
    const answer = await peer.finishedAnswer();
    const user = f.api.chat.conversation.turns[0];
    const turns = f.api.chat.conversation.turns.map((t) => t.id);
    assert.equal(turns.length, 4);
    const requests = f.gateway.requests.length;
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'line1\nline2\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.env.clipboard.writeText('untouched');
    const logBefore = logText(f.api);
    const shownBefore = f.api.ui.shown.length;

    const malformed: unknown[] = [
      notification(P.SetThinking.method, { mode: 'x'.repeat(1024 * 1024) }),
      notification(P.SetThinking.method, { mode: 'medium' }),
      notification(P.DropOldest.method, { turns: 'all' }),
      notification(P.DropOldest.method, { turns: 0 }),
      { type: 'request', id: 424243, method: P.RunCodeAction.method, params: { action: 'insert', turnId: answer.id, blockIndex: 0, code: 'rm -rf /', languageId: 'shellscript' } },
      notification(P.Send.method, { text: 'x'.repeat(30 * 1024 * 1024) }),
      notification(P.EditAndResend.method, { turnId: user.id, text: 'x'.repeat(P.MAX_TEXT_LENGTH + 1) }),
      notification(P.OpenLink.method, { href: 'x' }),
      notification(P.OpenLink.method, { href: 'javascript:alert(1)' }),
      notification(P.RunErrorAction.method, { action: 'runCommand' }),
      notification('chat/doesNotExist', {}),
      'not a message',
      { type: 'request', id: 424242, method: P.EstimateBudget.method, params: { draft: 'x'.repeat(P.MAX_TEXT_LENGTH + 1) } },
    ];
    for (const m of malformed) peer.postRaw(m);
    // well formed, but not allowed: more turns than there are, code the answer does not have
    peer.notify(P.DropOldest, { turns: 3 });
    const refused = await Promise.all([
      peer.messenger.sendRequest(P.RunCodeAction, { action: 'insert', turnId: answer.id, blockIndex: 0, shown: codeFingerprint('rm -rf /') }),
      peer.messenger.sendRequest(P.RunCodeAction, { action: 'insert', turnId: answer.id, blockIndex: 1, shown: codeFingerprint(CODE) }),
      peer.messenger.sendRequest(P.RunCodeAction, { action: 'copy', turnId: user.id, blockIndex: 0, shown: codeFingerprint(CODE) }),
    ]);
    assert.deepEqual(refused, [false, false, false], 'each refusal is the reply');

    // each malformed message is logged as refused (the log names the rule, not the content)
    const log = await waitFor(() => {
      const text = logText(f.api).slice(logBefore.length);
      return count(text, REFUSED) >= malformed.length ? text : undefined;
    }, 'a refusal logged for each malformed message');
    assert.equal(count(log, REFUSED), malformed.length, log);
    assert.ok(!log.includes('rm -rf') && !log.includes('xxxxxxxxxx'), log);
    assert.equal(count(log, /chat\/setThinking"\): mode: expected one of slow, fast/g), 2);
    assert.match(log, /chat\/dropOldest"\): turns: expected an integer/);
    assert.match(log, /chat\/codeAction"\): unexpected key "code"/);
    assert.match(log, /chat\/send"\): text: longer than 1000000 characters \(31457280\)/);
    // the request got an error reply
    const reply = await waitFor(() => peer.received.find((e): e is Extract<Envelope, { type: 'response' }> => e.type === 'response' && e.id === 424242), 'the reply');
    assert.match(reply.error ?? '', /^invalid chat\/estimate: draft: longer than 1000000 characters/);
    // the well-formed ones the controller refuses: told, and logged
    await waitFor(() => f.api.ui.shown.slice(shownBefore).filter((s) => s.type === 'message' && NOT_IN_ANSWER.test(s.message)).length === 3, 'three code actions refused');
    const later = await waitFor(() => {
      const text = logText(f.api).slice(logBefore.length);
      return count(text, /chat: refused (insert|copy) of code block/g) === 3 && text.includes('refused to drop 3 turns') ? text : undefined;
    }, 'the controller\'s refusals logged');
    assert.match(later, /refused insert of code block 0 of turn "a-[^"]+": the code differs from the answer/);
    assert.match(later, /refused insert of code block 1 of turn "a-[^"]+": no such code block/);
    assert.match(later, /refused copy of code block 0 of turn "u-[^"]+": no such answer in this conversation/);

    // nothing was written or sent
    await peer.messenger.sendRequest(P.Ready, undefined);
    const thinking = vscode.workspace.getConfiguration('hunyuan').inspect('thinking');
    assert.equal(thinking?.globalValue, undefined, 'nothing written to the user settings');
    assert.deepEqual(f.api.chat.conversation.turns.map((t) => t.id), turns, 'the conversation is as it was');
    assert.equal(f.gateway.requests.length, requests, 'nothing sent to the gateway');
    assert.equal(doc.getText(), 'line1\nline2\n', 'nothing inserted');
    assert.equal(await vscode.env.clipboard.readText(), 'untouched', 'nothing copied');

    // and the channel still works: the same action, well formed, inserts the answer's code
    assert.equal(await peer.messenger.sendRequest(P.RunCodeAction, { action: 'insert', turnId: answer.id, blockIndex: 0, shown: codeFingerprint(CODE) }), true);
    assert.equal(doc.getText(), `line1\n${CODE}line2\n`, 'the insert');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('code actions take the code of the block asked for from the stored answer', async () => {
    const { peer } = peers;
    const answer = [
      'Two steps:',
      '',
      '1. Python:',
      '',
      '   ```python',
      '   print("one")',
      '   ```',
      '',
      '2. Then shell:',
      '',
      '   ```sh',
      '   echo two',
      '   ```',
    ].join('\n');
    f.gateway.setScenario('reasoning', { answer });
    await peer.messenger.sendRequest(P.Ready, undefined);
    peer.notify(P.Send, { text: 'two blocks' });
    const done = await peer.finishedAnswer();
    assert.equal(done.answer, answer);

    assert.equal(await peer.messenger.sendRequest(P.RunCodeAction, { action: 'newFile', turnId: done.id, blockIndex: 1, shown: codeFingerprint('echo two') }), true);
    const created = await waitFor(() => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.isUntitled && d.getText() === 'echo two' ? d : undefined;
    }, 'the new file with block 1');
    assert.equal(created.languageId, 'shellscript');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    await vscode.env.clipboard.writeText('');
    assert.equal(await peer.messenger.sendRequest(P.RunCodeAction, { action: 'copy', turnId: done.id, blockIndex: 0, shown: codeFingerprint('print("one")') }), true);
    assert.equal(await vscode.env.clipboard.readText(), 'print("one")', 'block 0 on the clipboard');

    // the code of block 1 asked for as block 0: refused, nothing copied
    await vscode.env.clipboard.writeText('');
    assert.equal(await peer.messenger.sendRequest(P.RunCodeAction, { action: 'copy', turnId: done.id, blockIndex: 0, shown: codeFingerprint('echo two') }), false);
    await waitForMessage(f.api, NOT_IN_ANSWER);
    assert.equal(await vscode.env.clipboard.readText(), '');
  });
});
