// The editor commands that propose code through the inline diff, in a real VS Code: Generate from
// Comment, Edit with Hunyuan and Fix with Hunyuan (with its quick fix). Each test checks what the
// request carried, the hunks shown, that nothing is written before accept, and the text after it;
// then cancel and errors, which must leave the document as it was and no diff behind.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProposalOutcome } from '../../../src/extension/edit/proposeEdit';
import { closeDiffsAndEditors, hostFixture, type HostFixture, undoRedo, waitFor, waitForInputBox, waitForMessage } from './helpers';

const FOLDER = 'edit-commands-test';

/** Messages of the last chat request: [system, user]. */
function lastMessages(f: ReturnType<typeof hostFixture>): { system: string; user: string } {
  const messages = (f.gateway.lastRequest()?.body.messages ?? []) as { role: string; content: string }[];
  return {
    system: messages.find((m) => m.role === 'system')?.content ?? '',
    user: messages.filter((m) => m.role === 'user').at(-1)?.content ?? '',
  };
}

function chatRequests(f: ReturnType<typeof hostFixture>): number {
  return f.gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
}

let counter = 0;

/** A new file in the test folder of the workspace, opened and shown. */
async function workspaceFile(name: string, content: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host tests run with a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, FOLDER, `${counter++}-${name}`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

async function untitled(content: string, language: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Runs a command that opens an input box and answers that box through VS Code's own quick input
 * command (`workbench.action.acceptSelectedQuickOpenItem` = Enter, `closeQuickOpen` = Escape) once
 * it is shown, then waits for the command to settle.
 */
async function answerInputBox<T>(f: HostFixture, running: Thenable<T>, quickInputCommand: string): Promise<T> {
  const box = await waitForInputBox(f.api, /^Edit with Hunyuan$/);
  // The box is on its way to the workbench: the command does nothing until it is there, so repeat
  // it until the box is answered.
  await waitFor(async () => {
    if (!box.settled) await vscode.commands.executeCommand(quickInputCommand);
    return box.settled;
  }, `the input box to take ${quickInputCommand}`);
  return running;
}

describe('editor commands (generate, edit, fix)', () => {
  const f = hostFixture('sk-edit-commands-test');

  afterEach(async () => {
    await closeDiffsAndEditors(f.api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, FOLDER), { recursive: true, useTrash: false }).then(undefined, () => {});
  });

  describe('generate from comment', () => {
    it('sends the comment and proposes the code below it, indented as the code there; nothing is written before accept', async () => {
      const original = 'export class Calc {\n  // return the product of a and b\n}\n';
      const editor = await workspaceFile('calc.ts', original);
      const doc = editor.document;
      editor.selection = new vscode.Selection(1, 8, 1, 8);
      // the model dedents and repeats the comment: both are repaired
      f.gateway.setScenario('reasoning', {
        answer: 'Here is the method:\n```ts\n// return the product of a and b\nmultiply(a: number, b: number): number {\n  return a * b;\n}\n```\n',
      });
      const version = doc.version;

      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.generateFromComment');
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));

      const { system, user } = lastMessages(f);
      assert.match(system, /write the code that a comment in the file asks for/);
      assert.match(user, /The comment:\n```typescript\n\s*\/\/ return the product of a and b\n```/);
      assert.match(user, /Indent it with 2 spaces/);

      const [diff] = f.api.diffs.sessions(doc);
      assert.ok(diff, 'a diff is shown');
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added, h.state]), [
        [2, [], ['  multiply(a: number, b: number): number {', '    return a * b;', '  }'], 'pending'],
      ]);
      assert.equal(doc.getText(), original, 'nothing written before accept');
      assert.equal(doc.version, version);

      assert.equal(await diff.acceptAll(), true);
      assert.equal(
        doc.getText(),
        'export class Calc {\n  // return the product of a and b\n  multiply(a: number, b: number): number {\n    return a * b;\n  }\n}\n',
      );
    });

    it('at the end of a CRLF document, adds a line break and the code with CRLF', async () => {
      const original = 'def f():\r\n    pass\r\n\r\n# print hello world';
      const editor = await workspaceFile('hello.py', original);
      const doc = editor.document;
      assert.equal(doc.eol, vscode.EndOfLine.CRLF);
      editor.selection = new vscode.Selection(3, 3, 3, 3);
      f.gateway.setScenario('reasoning', { answer: "```python\nprint('hello world')\nprint('bye')\n```" });

      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.generateFromComment');
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      assert.match(lastMessages(f).user, /# print hello world/);
      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.removed, h.added]), [[[], ["print('hello world')", "print('bye')"]]]);
      assert.equal(doc.getText(), original);
      await diff.acceptAll();
      assert.equal(doc.getText(), "def f():\r\n    pass\r\n\r\n# print hello world\r\nprint('hello world')\r\nprint('bye')");
    });

    it('finds the comment above blank lines, and in an untitled document', async () => {
      const original = 'let items = [1, 2, 3];\n/* sum of the items */\n\n\nconsole.log(items);\n';
      const editor = await untitled(original, 'javascript');
      const doc = editor.document;
      editor.selection = new vscode.Selection(3, 0, 3, 0);
      f.gateway.setScenario('reasoning', { answer: '```js\nconst sum = items.reduce((a, b) => a + b, 0);\n```', thinking: '' });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.generateFromComment');
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      assert.match(lastMessages(f).user, /\/\* sum of the items \*\//);
      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.added]), [[2, ['const sum = items.reduce((a, b) => a + b, 0);']]]);
      assert.equal(doc.getText(), original);
      await diff.acceptAll();
      assert.equal(doc.getText(), 'let items = [1, 2, 3];\n/* sum of the items */\nconst sum = items.reduce((a, b) => a + b, 0);\n\n\nconsole.log(items);\n');
    });

    it('without a comment at the cursor, sends nothing and shows no diff', async () => {
      const editor = await untitled('const a = 1;\nconst b = 2;\n', 'javascript');
      editor.selection = new vscode.Selection(1, 3, 1, 3);
      const outcome = await vscode.commands.executeCommand<ProposalOutcome | undefined>('hunyuan.generateFromComment');
      assert.equal(outcome, undefined);
      assert.equal(chatRequests(f), 0, 'no request');
      assert.equal(f.api.diffs.sessions().length, 0);
    });
  });

  describe('edit selection', () => {
    const LOOP = [
      'function total(items) {',
      '  let t = 0;',
      '  for (let i = 0; i < items.length; i++) {',
      '    t += items[i].price;',
      '  }',
      '  return t;',
      '}',
      '',
    ].join('\n');

    it('sends the instruction with the selection and its surroundings, and proposes the rewrite of exactly that range', async () => {
      const editor = await workspaceFile('total.js', LOOP);
      const doc = editor.document;
      f.gateway.setScenario('reasoning', {
        // prose around the block, and the block dedented: both repaired
        answer: 'Here is the updated code:\n```javascript\nlet t = 0;\nfor (const item of items) {\n  t += item.price;\n}\n```\nThis version uses a for-of loop.',
      });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', {
        instruction: 'use a for-of loop',
        uri: doc.uri.toString(),
        range: [1, 0, 4, 3],
      });
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));

      const { user } = lastMessages(f);
      assert.match(user, /Instruction: use a for-of loop/);
      assert.match(user, /Selected code \(lines 2-5\), to rewrite:\n```javascript\n {2}let t = 0;\n {2}for \(let i = 0/);
      assert.match(user, /Code before the selection, for context only[^\n]*\n```javascript\nfunction total\(items\) \{\n```/);
      assert.match(user, /Code after the selection, for context only[^\n]*\n```javascript\n {2}return t;\n\}\n```/);

      const [diff] = f.api.diffs.sessions(doc);
      assert.ok(diff && diff.hunks.length > 0, 'a diff with hunks');
      assert.ok(diff.hunks.every((h) => h.startLine >= 1 && h.endLine <= 5), JSON.stringify(diff.hunks));
      assert.equal(doc.getText(), LOOP, 'nothing written before accept');
      assert.equal(doc.isDirty, false);

      await diff.acceptAll();
      assert.equal(doc.getText(), LOOP.replace(
        '  for (let i = 0; i < items.length; i++) {\n    t += items[i].price;\n',
        '  for (const item of items) {\n    t += item.price;\n',
      ));
    });

    it('follows the selection through lines added above it while the instruction box is open; an edit inside it stops the command', async () => {
      const editor = await untitled(LOOP, 'javascript');
      const doc = editor.document;
      editor.selection = new vscode.Selection(3, 0, 3, 24); // `    t += items[i].price;`
      f.gateway.setScenario('reasoning', { answer: '```javascript\n    t += items[i].cost;\n```' });
      const running = vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection');
      const box = await waitForInputBox(f.api, /^Edit with Hunyuan$/);
      // two lines added at the top while the box is open
      const top = new vscode.WorkspaceEdit();
      top.insert(doc.uri, new vscode.Position(0, 0), '// one\n// two\n');
      assert.ok(await vscode.workspace.applyEdit(top));
      await box.answer('use cost');
      const outcome = await running;
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[5, ['    t += items[i].price;'], ['    t += items[i].cost;']]],
        'the line selected, now two lines further down');
      await closeDiffsAndEditors(f.api);

      // an edit inside the selection while the box is open: nothing is proposed, the user is told
      const again = await untitled(LOOP, 'javascript');
      again.selection = new vscode.Selection(3, 0, 3, 24);
      const second = vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection');
      const box2 = await waitForInputBox(f.api, /^Edit with Hunyuan$/);
      const inside = new vscode.WorkspaceEdit();
      inside.insert(again.document.uri, new vscode.Position(3, 6), 'x');
      assert.ok(await vscode.workspace.applyEdit(inside));
      await box2.answer('use cost');
      assert.equal(await second, undefined);
      await waitForMessage(f.api, /The selected code was edited while you wrote the instruction/);
      assert.deepEqual(f.api.diffs.sessions(again.document), []);
    });

    it('keeps everything the user types while the answer streams; accept one hunk, reject another, one undo per accept', async () => {
      const CODE = ['function area(w, h) {', '  var a = w * h;', '  return a;', '}', '', 'function main() {', '  log(area(2, 3));', '}', ''].join('\n');
      const editor = await untitled(CODE, 'javascript');
      const doc = editor.document;
      // two hunks: line 2 and line 7 rewritten, the lines between kept; streamed slowly (about
      // 5 s), so that the typing below lands while it streams even on a busy machine
      const rewrite = ['function area(w, h) {', '  const a = w * h;', '  return a;', '}', '', 'function main() {', '  console.log(area(2, 3));', '}'].join('\n');
      f.gateway.setScenario('reasoning', { answer: '```javascript\n' + rewrite + '\n```', thinking: '', delayMs: 150, chunkSize: 6 });
      const running = vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'modernize', range: [0, 0, 8, 0] });
      await waitFor(() => f.api.diffs.sessions(doc).find((d) => d.isStreaming), 'the proposal to start streaming');
      // the user keeps typing: a comment above, a word inside line 3 (kept by the proposal), a line at the end
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// geometry\n'));
      await editor.edit((b) => b.insert(new vscode.Position(3, 9), '/* the area */ '));
      await editor.edit((b) => b.insert(new vscode.Position(9, 0), 'main();\n'));
      const typed = doc.getText();
      const outcome = await running;
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      assert.equal(doc.getText(), typed, 'nothing written while streaming, all the typing there');

      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added, h.state]), [
        [2, ['  var a = w * h;'], ['  const a = w * h;'], 'pending'],
        [7, ['  log(area(2, 3));'], ['  console.log(area(2, 3));'], 'pending'],
      ]);
      await vscode.commands.executeCommand('hunyuan.diff.acceptHunk', { diff: diff.id, hunk: diff.hunks[0].id });
      await vscode.commands.executeCommand('hunyuan.diff.rejectHunk', { diff: diff.id, hunk: diff.hunks[1].id });
      const accepted = typed.replace('  var a = w * h;', '  const a = w * h;');
      assert.equal(doc.getText(), accepted);
      assert.match(doc.getText(), /^\/\/ geometry\n/);
      assert.match(doc.getText(), /return \/\* the area \*\/ a;/);
      assert.match(doc.getText(), /\nmain\(\);\n$/);
      assert.equal(f.api.diffs.sessions(doc).length, 0, 'decided: the diff is gone');
      await undoRedo('undo', doc);
      assert.equal(doc.getText(), typed, 'one undo reverts the accept, and only it');
    });

    it('with nothing selected in an untitled document, rewrites the cursor line', async () => {
      const editor = await untitled('alpha\nbeta\ngamma\n', 'plaintext');
      const doc = editor.document;
      editor.selection = new vscode.Selection(1, 2, 1, 2);
      f.gateway.setScenario('reasoning', { answer: 'BETA', thinking: '' });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'upper-case it' });
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      assert.match(lastMessages(f).user, /Selected code \(line 2\), to rewrite:\n```\w*\nbeta\n```/);
      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['beta'], ['BETA']]]);
      assert.equal(doc.getText(), 'alpha\nbeta\ngamma\n');
      await diff.acceptAll();
      assert.equal(doc.getText(), 'alpha\nBETA\ngamma\n');
    });

    it('asks for the instruction, offering the last one again; Escape cancels quietly', async () => {
      const editor = await untitled('let a = 1;\nlet b = 2;\n', 'javascript');
      const doc = editor.document;
      editor.selection = new vscode.Selection(1, 0, 1, 10);
      f.gateway.setScenario('reasoning', { answer: '```js\nlet b = 3;\n```', thinking: '' });
      // given once as an argument: remembered
      const first = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'make b three' });
      assert.equal(first?.status, 'proposed');
      f.api.diffs.sessions(doc)[0]?.dispose();
      f.gateway.clear();

      const escaped = await answerInputBox(f, vscode.commands.executeCommand<ProposalOutcome | undefined>('hunyuan.editSelection'), 'workbench.action.closeQuickOpen');
      assert.equal(escaped, undefined, 'Escape: no outcome');
      assert.equal(chatRequests(f), 0, 'Escape: nothing sent');
      assert.equal(f.api.diffs.sessions().length, 0);

      const accepted = await answerInputBox(
        f,
        vscode.commands.executeCommand<ProposalOutcome | undefined>('hunyuan.editSelection'),
        'workbench.action.acceptSelectedQuickOpenItem',
      );
      assert.equal(accepted?.status, 'proposed', JSON.stringify(accepted));
      assert.match(lastMessages(f).user, /Instruction: make b three/);
      assert.equal(doc.getText(), 'let a = 1;\nlet b = 2;\n');
    });

    it('an answer equal to the code closes the diff with "no changes"; an answer without code proposes nothing', async () => {
      const editor = await untitled('let a = 1;\nlet b = 2;\n', 'javascript');
      const doc = editor.document;
      f.gateway.setScenario('reasoning', { answer: '```js\nlet b = 2;\n```', thinking: '' });
      const same = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'keep it', range: [1, 0, 1, 10] });
      assert.equal(same?.status, 'noChanges');
      assert.equal(f.api.diffs.sessions(doc).length, 0);
      f.gateway.setScenario('reasoning', { answer: 'I cannot tell what you want changed. Could you describe it?', thinking: '' });
      const none = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'do it', range: [1, 0, 1, 10] });
      assert.equal(none?.status, 'noCode');
      assert.equal(f.api.diffs.sessions(doc).length, 0);
      assert.equal(doc.getText(), 'let a = 1;\nlet b = 2;\n');
    });
  });

  describe('fix with Hunyuan', () => {
    let collection: vscode.DiagnosticCollection;
    before(() => {
      collection = vscode.languages.createDiagnosticCollection('hunyuan-edit-commands-test');
    });
    after(() => collection.dispose());
    afterEach(() => collection.clear());

    it('offers the quick fix for a diagnostic, sends its message, and proposes the fix of its lines', async () => {
      const original = 'def area(r):\n    return 3.14159 * r * rr\n\nprint(area(2))\n';
      const editor = await workspaceFile('area.py', original);
      const doc = editor.document;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(1, 25, 1, 27), "Undefined name 'rr'", vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'testlint';
      diagnostic.code = 'F821';
      collection.set(doc.uri, [diagnostic]);

      const actions = await waitFor(async () => {
        const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(1, 26, 1, 26));
        return all.find((a) => a.title === 'Fix with Hunyuan') ? all : undefined;
      }, 'the Fix with Hunyuan code action');
      const fix = actions.find((a) => a.title === 'Fix with Hunyuan');
      assert.ok(fix?.command, 'the quick fix carries a command');
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(fix.command.command, 'hunyuan.fixWithHunyuan');
      assert.equal(fix.isPreferred ?? false, false, 'never preferred over the language\'s own fixes');
      assert.ok(!actions.some((a) => a.title === 'Edit with Hunyuan'), 'no refactor without a selection');

      f.gateway.setScenario('reasoning', { answer: '```python\nreturn 3.14159 * r * r\n```' });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>(fix.command.command, ...(fix.command.arguments ?? []));
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      const { user } = lastMessages(f);
      assert.match(user, /Fix this problem: error \(testlint F821\) at line 2: Undefined name 'rr'/);
      assert.match(user, /Selected code \(line 2\), to rewrite:\n```python\n {4}return 3\.14159 \* r \* rr\n```/);

      const [diff] = f.api.diffs.sessions(doc);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['    return 3.14159 * r * rr'], ['    return 3.14159 * r * r']]]);
      assert.equal(doc.getText(), original);
      await diff.acceptAll();
      assert.equal(doc.getText(), original.replace('r * rr', 'r * r'));
    });

    it('offers Explain and Edit with Hunyuan as refactorings of a selection, and no quick fix without diagnostics', async () => {
      const editor = await workspaceFile('refactor.py', 'x = 1\ny = 2\n');
      const doc = editor.document;
      const selection = new vscode.Range(0, 0, 1, 5);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, selection, 'refactor');
      const ours = actions.filter((a) => /Hunyuan/.test(a.title));
      assert.deepEqual(ours.map((a) => [a.title, a.kind?.value, a.command?.command]).sort(), [
        ['Edit with Hunyuan', 'refactor.rewrite.hunyuan', 'hunyuan.editSelection'],
        ['Explain with Hunyuan', 'refactor.rewrite.hunyuan', 'hunyuan.explainSelection'],
      ]);
      const edit = ours.find((a) => a.title === 'Edit with Hunyuan');
      assert.deepEqual(edit?.command?.arguments, [{ uri: doc.uri.toString(), range: [0, 0, 1, 5] }]);
      const quickFixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, selection, 'quickfix');
      assert.ok(!quickFixes.some((a) => a.title === 'Fix with Hunyuan'));
    });

    it('without arguments, fixes the problems on the cursor line', async () => {
      const original = 'a = 1\nb = a +\n';
      const editor = await workspaceFile('cursor.py', original);
      const doc = editor.document;
      collection.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(1, 6, 1, 7), 'Expected expression', vscode.DiagnosticSeverity.Error)]);
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      f.gateway.setScenario('reasoning', { answer: '```python\nb = a + 1\n```', thinking: '' });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.fixWithHunyuan');
      assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
      assert.match(lastMessages(f).user, /Expected expression/);
      const [diff] = f.api.diffs.sessions(doc);
      await diff.acceptAll();
      assert.equal(doc.getText(), 'a = 1\nb = a + 1\n');
    });
  });

  describe('cancel and errors', () => {
    const ORIGINAL = 'one();\ntwo();\nthree();\n';
    // a first line inserted, then the original's first line: a settled hunk while the rest streams
    const LONG_ANSWER = '```js\nzero();\none();\n' + Array.from({ length: 40 }, (_, i) => `call${i}();`).join('\n') + '\n```';

    it('cancel while streaming stops the request and leaves the document as it was', async () => {
      const editor = await untitled(ORIGINAL, 'javascript');
      const doc = editor.document;
      const version = doc.version;
      // some lines, then silence: the cancel always lands while it streams
      f.gateway.setScenario('never-ends', { answer: LONG_ANSWER, chunksBeforeFault: 10 });
      const running = vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'rewrite', range: [0, 0, 2, 8] });
      const diff = await waitFor(() => f.api.diffs.sessions(doc).find((d) => d.isStreaming && d.hunks.length > 0), 'streamed lines');
      await vscode.commands.executeCommand('hunyuan.diff.cancel');
      const outcome = await running;
      assert.equal(outcome?.status, 'cancelled');
      assert.ok(diff.isDisposed);
      assert.equal(f.api.diffs.sessions(doc).length, 0);
      assert.equal(doc.getText(), ORIGINAL);
      assert.equal(doc.version, version, 'never written');
    });

    it('closing the document while streaming stops the request', async () => {
      const editor = await untitled(ORIGINAL, 'javascript');
      const doc = editor.document;
      f.gateway.setScenario('never-ends', { answer: LONG_ANSWER, chunksBeforeFault: 10 });
      const running = vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'rewrite', range: [0, 0, 2, 8] });
      await waitFor(() => f.api.diffs.sessions(doc).find((d) => d.isStreaming), 'the streaming diff');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      const outcome = await running;
      assert.equal(outcome?.status, 'cancelled');
      assert.equal(f.api.diffs.sessions().length, 0);
    });

    it('a request refused before sending (no key) opens no diff and leaves the proposal already shown', async () => {
      const editor = await untitled(ORIGINAL, 'javascript');
      const doc = editor.document;
      const earlier = f.api.diffs.open(doc, new vscode.Range(0, 0, 2, 8), { title: 'Earlier', text: 'uno();\ntwo();\nthree();' });
      await f.api.apiKeys.clear();
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'rewrite', range: [0, 0, 2, 8] });
      assert.equal(outcome?.status, 'error', JSON.stringify(outcome));
      assert.equal(outcome?.error, 'noKey');
      assert.equal(chatRequests(f), 0);
      assert.deepEqual(f.api.diffs.sessions(doc).map((d) => d.title), ['Earlier']);
      assert.equal(earlier.isDisposed, false);
      assert.equal(doc.getText(), ORIGINAL);
    });

    it('an error mid-stream removes the diff and leaves the document as it was', async () => {
      const editor = await workspaceFile('broken.js', ORIGINAL);
      const doc = editor.document;
      f.gateway.setScenario('error-mid-stream', { answer: LONG_ANSWER, chunkSize: 8, chunksBeforeFault: 6 });
      const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'rewrite', range: [0, 0, 2, 8] });
      assert.equal(outcome?.status, 'error', JSON.stringify(outcome));
      assert.notEqual(outcome?.error, 'cancelled');
      assert.equal(chatRequests(f), 1, 'no retry once text has arrived');
      assert.equal(f.api.diffs.sessions().length, 0, 'no diff left');
      assert.equal(doc.getText(), ORIGINAL);
      assert.equal(doc.isDirty, false);
    });

    it('a failed edit offers Retry and Open Partial Code: the code received so far opens, Retry proposes again', async () => {
      const editor = await workspaceFile('retry.js', ORIGINAL);
      const doc = editor.document;
      const args = { instruction: 'rewrite', uri: doc.uri.toString(), range: [0, 0, 2, 8] };
      const code = LONG_ANSWER.replace(/^```js\n/, '').replace(/\n```$/, '');

      // the connection drops after part of the answer
      f.gateway.setScenario('drop-mid-stream', { answer: LONG_ANSWER, chunkSize: 8, chunksBeforeFault: 8 });
      const dropped = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', args);
      assert.deepEqual([dropped?.status, dropped?.error], ['error', 'network'], JSON.stringify(dropped));
      const first = await waitForMessage(f.api, /connection to the gateway was cut after \d+ characters/);
      assert.equal(first.severity, 'error');
      assert.deepEqual(first.items, ['Retry', 'Show Log', 'Open Partial Code']);
      await first.answer('Open Partial Code');
      const partial = await waitFor(() => {
        const d = vscode.window.activeTextEditor?.document;
        return d && d.isUntitled && d !== doc ? d : undefined;
      }, 'the partial code in an editor');
      assert.equal(partial.languageId, 'javascript');
      const text = partial.getText();
      assert.ok(text.startsWith('zero();\none();\ncall0();\n'), `the code received: ${JSON.stringify(text)}`);
      assert.ok(code.startsWith(text) && text.length < code.length, `only what arrived: ${JSON.stringify(text)}`);
      assert.equal(doc.getText(), ORIGINAL);
      assert.equal(f.api.diffs.sessions().length, 0);

      // an error inside the stream; Retry (the gateway well again) runs the edit again
      f.gateway.setScenario('error-mid-stream', { answer: LONG_ANSWER, chunkSize: 8, chunksBeforeFault: 6 });
      const failed = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', args);
      assert.deepEqual([failed?.status, failed?.error], ['error', 'serverError'], JSON.stringify(failed));
      const second = await waitForMessage(f.api, /server error.*Upstream provider returned an error/);
      assert.deepEqual(second.items, ['Retry', 'Show Log', 'Open Partial Code']);
      f.gateway.setScenario('reasoning', { answer: '```js\nuno();\ndos();\ntres();\n```', thinking: '' });
      f.gateway.clear();
      await second.answer('Retry');
      const diff = await waitFor(() => f.api.diffs.sessions(doc).find((d) => !d.isStreaming && d.hunks.length > 0), 'the proposal of the retried edit');
      assert.equal(chatRequests(f), 1);
      assert.match(lastMessages(f).user, /Instruction: rewrite/);
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[0, ['one();', 'two();', 'three();'], ['uno();', 'dos();', 'tres();']]]);
      assert.equal(doc.getText(), ORIGINAL, 'nothing written before accept');
    });

    it('Retry asks about the same code where it is now: after lines added above it; not after it was changed', async () => {
      const editor = await untitled(ORIGINAL, 'javascript');
      const doc = editor.document;
      const args = { instruction: 'rewrite', uri: doc.uri.toString(), range: [0, 0, 2, 8] };
      f.gateway.setScenario('error-mid-stream', { answer: LONG_ANSWER, chunkSize: 8, chunksBeforeFault: 6 });
      const failed = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', args);
      assert.equal(failed?.status, 'error', JSON.stringify(failed));
      const message = await waitForMessage(f.api, /server error/);
      // while the notification is open, the user adds lines above the code (and one below it)
      await editor.edit((b) => {
        b.insert(new vscode.Position(0, 0), '// a header\n// of two lines\n');
        b.insert(new vscode.Position(3, 0), 'four();\n');
      });
      f.gateway.setScenario('reasoning', { answer: '```js\nuno();\ndos();\ntres();\n```', thinking: '' });
      f.gateway.clear();
      await message.answer('Retry');
      const diff = await waitFor(() => f.api.diffs.sessions(doc).find((d) => !d.isStreaming && d.hunks.length > 0), 'the proposal of the retried edit');
      assert.match(lastMessages(f).user, /one\(\);\ntwo\(\);\nthree\(\);/, 'the same code was sent again');
      assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[2, ['one();', 'two();', 'three();'], ['uno();', 'dos();', 'tres();']]],
        'proposed over the lines the code moved to');
      await diff.acceptAll();
      assert.equal(doc.getText(), '// a header\n// of two lines\nuno();\ndos();\ntres();\nfour();\n');
      diff.dispose();

      // the code itself changed since: Retry says so, and asks nothing
      f.gateway.setScenario('error-mid-stream', { answer: LONG_ANSWER, chunkSize: 8, chunksBeforeFault: 6 });
      const again = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { ...args, range: [2, 0, 4, 7] });
      assert.equal(again?.status, 'error', JSON.stringify(again));
      const second = await waitForMessage(f.api, /server error/);
      await editor.edit((b) => b.insert(new vscode.Position(3, 0), '  '));
      f.gateway.clear();
      await second.answer('Retry');
      await waitForMessage(f.api, /has changed since, so Retry would not ask about the same code/);
      assert.equal(chatRequests(f), 0, 'nothing sent');
      assert.equal(f.api.diffs.sessions(doc).length, 0);
    });
  });
});
