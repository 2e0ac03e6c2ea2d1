// An edit whose answer stops early proposes only what the model wrote, in a real VS Code: for each
// of the four endings (the stream closes without a finish reason, max_tokens, a stop sequence, an
// unclosed code fence) the selected lines after the last one the answer reached stay as they are,
// Accept all leaves them, and the user is told where it stopped, with Retry.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProposalOutcome } from '../../../src/extension/edit/proposeEdit';
import { countTokens } from '../../gateway/tokenizer';
import { closeDiffsAndEditors, hostFixture, setUserSettings, undoRedo, waitFor, waitForMessage } from './helpers';

// Lines 2-6 (1-based) are selected; the answer rewrites them line for line.
const CODE = ['function main() {', '  one();', '  two();', '  three();', '  four();', '  five();', '}', ''].join('\n');
const REWRITE = ['  uno();', '  dos();', '  tres();', '  cuatro();', '  cinco();'];
const FULL = '```js\n' + REWRITE.join('\n') + '\n```';

async function untitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'javascript', content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

describe('an edit whose answer stops early', () => {
  const f = hostFixture('sk-cut-short-test');

  afterEach(() => closeDiffsAndEditors(f.api));

  /** Runs Edit Selection on lines 2-6 and checks the proposal covers only lines 2-3, the rest kept. */
  async function expectCutAfterTwoLines(reason: ProposalOutcome['cutShort'], why: RegExp): Promise<vscode.TextDocument> {
    const editor = await untitled(CODE);
    const doc = editor.document;
    const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'translate', range: [1, 0, 5, 9] });
    assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
    assert.equal(outcome?.cutShort, reason);
    assert.equal(outcome?.stoppedAfterLine, 3, 'lines 2 and 3 were reached');
    const [diff] = f.api.diffs.sessions(doc);
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['  one();', '  two();'], ['  uno();', '  dos();']]],
      'only the lines the answer wrote are replaced; nothing is proposed for deletion');
    const message = await waitForMessage(f.api, /The answer stopped after line 3; the rest of the selection is unchanged/);
    assert.match(message.message, why);
    assert.equal(message.severity, 'warning');
    assert.deepEqual(message.items, ['Retry']);
    await diff.acceptAll();
    assert.equal(doc.getText(), CODE.replace('one();', 'uno();').replace('two();', 'dos();'), 'lines 4-6 are still there');
    return doc;
  }

  it('the stream closes without a finish reason: lines after the last one received stay; Retry proposes again', async () => {
    // the answer's lines are the fence and the code: 3 lines = the fence, uno, dos
    f.gateway.setScenario('ends-early', { answer: FULL, thinking: '', linesBeforeEnd: 3 });
    const doc = await expectCutAfterTwoLines('noFinish', /without saying it was complete/);
    const message = f.api.ui.shown.find((m) => m.type === 'message' && /stopped after line 3/.test(m.message));
    assert.ok(message && message.type === 'message');

    // Retry, the gateway well again: the whole rewrite is proposed
    await undoRedo('undo', doc);
    assert.equal(doc.getText(), CODE);
    const revived = await waitFor(() => f.api.diffs.sessions(doc)[0], 'undoing the accept to bring its hunk back');
    assert.deepEqual(revived.hunks.map((h) => h.state), ['pending']);
    f.gateway.setScenario('reasoning', { answer: FULL, thinking: '' });
    await vscode.window.showTextDocument(doc);
    await message.answer('Retry');
    const diff = await waitFor(() => f.api.diffs.sessions(doc).find((d) => d !== revived && !d.isStreaming && d.hunks.length > 0), 'the retried proposal');
    assert.ok(revived.isDisposed, 'the new proposal replaced the old one');
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed.length, h.added]), [[1, 5, REWRITE]]);
  });

  it('max_tokens (finish_reason length): the line cut in the middle is not proposed either', async () => {
    // room for the answer up to the middle of its third code line
    const upTo = '<answer>\n```js\n  uno();\n  dos();\n  tr';
    await setUserSettings({ maxTokens: countTokens(upTo) });
    f.gateway.setScenario('reasoning', { answer: FULL, thinking: '' });
    await expectCutAfterTwoLines('length', /length limit/);
  });

  it('a stop sequence (hunyuan.stop): what follows it is never proposed for deletion', async () => {
    await setUserSettings({ stop: ['tres'] });
    f.gateway.setScenario('reasoning', { answer: FULL, thinking: '' });
    await expectCutAfterTwoLines('stop', /stop sequence/);
  });

  it('an unclosed code fence counts as cut short too', async () => {
    f.gateway.setScenario('reasoning', { answer: '```js\n  uno();\n  dos();\n', thinking: '' });
    await expectCutAfterTwoLines('unclosedFence', /never closed/);
  });

  it('stopped after a line repeated further down (a `}`): the functions it never reached stay', async () => {
    const code = ['function a() {', '  x = 1;', '}', 'function b() {', '  y = 2;', '}', ''].join('\n');
    const editor = await untitled(code);
    const doc = editor.document;
    f.gateway.setScenario('reasoning', { answer: '```js\nfunction a() {\n  x = 10;\n}\n', thinking: '' });
    const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'change', range: [0, 0, 5, 1] });
    assert.equal(outcome?.cutShort, 'unclosedFence');
    assert.equal(outcome?.stoppedAfterLine, 3, 'the answer reached the first function only');
    const [diff] = f.api.diffs.sessions(doc);
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['  x = 1;'], ['  x = 10;']]]);
    await diff.acceptAll();
    assert.equal(doc.getText(), code.replace('x = 1;', 'x = 10;'), 'function b is still there');
  });

  it('a selection ending inside a line, the answer in an unclosed fence: the text after the selection stays', async () => {
    const code = ['function f(a, b) {', '  return a + b;', '}', ''].join('\n');
    const editor = await untitled(code);
    const doc = editor.document;
    f.gateway.setScenario('reasoning', { answer: '```js\na - b\n', thinking: '' });
    const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'subtract', range: [1, 9, 1, 14] });
    assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
    assert.equal(outcome?.cutShort, 'unclosedFence');
    const [diff] = f.api.diffs.sessions(doc);
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, ['  return a + b;'], ['  return a - b;']]]);
    const message = await waitForMessage(f.api, /never closed/);
    assert.doesNotMatch(message.message, /rest of the selection is unchanged/, 'the whole selection was reached');
    await diff.acceptAll();
    assert.equal(doc.getText(), code.replace('a + b', 'a - b'));
  });

  it('max_tokens before the first line of code was complete: nothing is proposed, the selection stays', async () => {
    const code = ['function f(a, b) {', '  return a + b;', '}', ''].join('\n');
    const editor = await untitled(code);
    const doc = editor.document;
    await setUserSettings({ maxTokens: countTokens('<answer>\n```js\na -') });
    f.gateway.setScenario('reasoning', { answer: '```js\na - b\n```', thinking: '' });
    const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'subtract', range: [1, 9, 1, 14] });
    assert.equal(outcome?.cutShort, 'length');
    assert.equal(outcome?.hunks, 0, JSON.stringify(outcome));
    await waitForMessage(f.api, /Nothing was proposed/);
    assert.equal(doc.getText(), code);
    assert.deepEqual(f.api.diffs.sessions(doc).filter((d) => !d.isDisposed && d.hunks.length), []);
  });

  it('Retry after accepting a hunk that only added a line above the code: says the code changed, and sends nothing', async () => {
    const editor = await untitled(CODE);
    const doc = editor.document;
    // the answer adds a comment above the selected lines, then stops after the first of them
    f.gateway.setScenario('ends-early', { answer: '```js\n  // greets five times\n' + CODE.split('\n').slice(1, 6).join('\n') + '\n```', thinking: '', linesBeforeEnd: 3 });
    const outcome = await vscode.commands.executeCommand<ProposalOutcome>('hunyuan.editSelection', { instruction: 'document it', range: [1, 0, 5, 9] });
    assert.equal(outcome?.status, 'proposed', JSON.stringify(outcome));
    const [diff] = f.api.diffs.sessions(doc);
    assert.deepEqual(diff.hunks.map((h) => [h.startLine, h.removed, h.added]), [[1, [], ['  // greets five times']]]);
    const message = await waitForMessage(f.api, /stopped after line/);
    await diff.acceptAll();
    assert.equal(doc.getText(), CODE.replace('function main() {\n', 'function main() {\n  // greets five times\n'));
    f.gateway.clear();
    await message.answer('Retry');
    await waitForMessage(f.api, /has changed since, so Retry would not ask about the same code/);
    assert.equal(f.gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'nothing sent');
  });
});
