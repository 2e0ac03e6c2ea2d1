// "Explain Selection" in a real VS Code: the selection goes to the chat as a chip, the question is
// asked in the chosen language, and the request carries the code with its path and lines.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chatPeerFixture } from './chatPeer';
import { hostFixture, setUserSettings, waitFor } from './helpers';

describe('explain selection', () => {
  const f = hostFixture('sk-explain-test');
  // a chat view is attached and loaded, as when the user has it open
  chatPeerFixture(() => f.api, { ready: true });

  async function openSample(): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'sample.ts'));
    return vscode.window.showTextDocument(doc);
  }

  it('explains the selection in the chat, with the code, its path and lines in the prompt', async () => {
    const editor = await openSample();
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    await vscode.commands.executeCommand('hunyuan.explainSelection');
    const turns = f.api.chat.conversation.turns;
    assert.deepEqual(turns.map((t) => t.role), ['user', 'assistant']);
    const user = turns[0];
    assert.ok(user.role === 'user');
    assert.deepEqual(user.context.map((c) => [c.kind, c.label, c.startLine, c.endLine]), [['selection', 'workspace/sample.ts', 2, 4]]);
    const sent = (f.gateway.lastRequest()?.body.messages as { content: string }[]).at(-1)?.content ?? '';
    assert.match(sent, /Selection from workspace\/sample\.ts, lines 2-4 \(typescript\):\n```typescript\nexport function add/);
    assert.equal(turns[1].role === 'assistant' && turns[1].status, 'done');
    assert.ok(editor.selection.isEqual(new vscode.Selection(1, 0, 3, 1)), 'the selection is left alone');
  });

  it('asks in the language the setting names', async () => {
    const editor = await openSample();
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    await setUserSettings({ 'explain.language': 'zh-cn' });
    await vscode.commands.executeCommand('hunyuan.explainSelection');
    const chinese = f.api.chat.conversation.turns[0];
    assert.ok(chinese.role === 'user' && /[\u4e00-\u9fff]/.test(chinese.text), `question: ${chinese.role === 'user' && chinese.text}`);
    await f.api.chat.newChat();
    await setUserSettings({ 'explain.language': 'en' });
    await vscode.commands.executeCommand('hunyuan.explainSelection');
    const english = f.api.chat.conversation.turns[0];
    assert.ok(english.role === 'user' && !/[\u4e00-\u9fff]/.test(english.text), `question: ${english.role === 'user' && english.text}`);
  });

  it('with nothing selected, explains the function around the cursor: exactly its lines', async () => {
    const editor = await openSample();
    const doc = editor.document;
    // TypeScript's symbols come once its language server is up: wait for them, so that the
    // fallback (the whole file) cannot stand in for the function
    await waitFor(async () => {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
      return symbols?.some((s) => s.name === 'add');
    }, 'TypeScript document symbols for sample.ts');
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    await vscode.commands.executeCommand('hunyuan.explainSelection');
    const user = f.api.chat.conversation.turns[0];
    assert.ok(user.role === 'user');
    assert.equal(user.context.length, 1);
    const chip = user.context[0];
    // sample.ts: line 1 a comment, lines 2-4 `export function add(...) { return a + b; }`, then more code
    assert.deepEqual([chip.kind, chip.label, chip.startLine, chip.endLine], ['selection', 'workspace/sample.ts', 2, 4], JSON.stringify(chip));
    assert.equal(chip.text, [1, 2, 3].map((l) => doc.lineAt(l).text).join('\n'));
    assert.match(user.text, /lines 2-4 \(in the function `add`\)/, 'the question names the function');
    const sent = (f.gateway.lastRequest()?.body.messages as { content: string }[]).at(-1)?.content ?? '';
    assert.match(sent, /workspace\/sample\.ts, lines 2-4 \(typescript\)/);
    assert.ok(editor.selection.isEqual(new vscode.Selection(2, 4, 2, 4)), 'the cursor is left alone');
  });
});
