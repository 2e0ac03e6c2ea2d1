// `@hunyuan` in VS Code's own Chat view, as a person sees it: the packaged extension in
// code-server, a question typed into the Chat view's input, and the rendered response read from
// the workbench: the answer without the thinking, the usage line with the cost in yuan, and the
// Show Thinking button. The Chat view belongs to the built-in Copilot Chat; with AI features on it
// takes participant requests without signing in (checked here, not assumed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHOTS, ensureApiKey, screenshotOnFailure, startUiSession } from './lib/session.mjs';
import { activeEditor, codeLensRows, editorLines, openFile, runCommand, selectLines, until } from './lib/workbench.mjs';

const THINKING_SNIPPET = 'I will write a pure function';

describe('@hunyuan in VS Code\'s Chat view (UI)', () => {
  let session;
  let page;

  before(async () => {
    session = await startUiSession({
      prefix: 'ui-participant-',
      userSettings: { 'chat.disableAIFeatures': false, 'workbench.secondarySideBar.defaultVisibility': 'visible' },
    });
    page = session.page;
  });
  after(async () => session?.close());
  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  /** Types `@hunyuan <text>` into the Chat view's input, sends it, and returns the response once it ends with its cost. */
  async function ask(text) {
    const input = page.locator('.interactive-input-part .monaco-editor').first();
    // opened once (the palette's Escape would clear the editor's selection that /fix works on)
    if (!(await input.isVisible())) await runCommand(page, 'Chat: Open Chat');
    await input.waitFor({ state: 'visible', timeout: 60000 });
    await input.click();
    // the participant is sticky: after an answer the input starts with `@hunyuan` already
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('@hunyuan ');
    await page.keyboard.type(text);
    const before = await page.locator('.interactive-item-container.interactive-response').count();
    // the Send button, not Enter: Enter may pick a suggestion of the slash-command list
    await page.locator('.interactive-input-part [aria-label^="Send"]').first().click();
    const response = page.locator('.interactive-item-container.interactive-response').nth(before);
    await until(async () => /¥\d+\.\d{4}/.test(await response.innerText()), 'the response to end with its cost in yuan');
    return response;
  }

  it('renders the answer without the thinking, then tokens and cost in yuan and Show Thinking', async () => {
    await ensureApiKey(session);
    session.gateway.setScenario('reasoning');
    const response = await ask('write a helper');
    const text = await response.innerText();
    await page.screenshot({ path: path.join(SHOTS, 'participant-chat-view.png') });
    assert.match(text, /Here is a small helper/);
    // seen, not only in the DOM: VS Code folds Markdown that other parts follow into collapsed "steps"
    assert.ok(await response.getByText('Here is a small helper').first().isVisible(), 'the answer is visible, not folded away');
    assert.ok(await response.getByText(/tokens · ¥/).first().isVisible(), 'the usage line is visible');
    assert.ok(!text.includes(THINKING_SNIPPET), `the thinking is not in the rendered response:\n${text}`);
    assert.match(text, /\d+ \+ \d+ tokens · ¥\d+\.\d{4}/);
    const show = response.locator('.monaco-button', { hasText: /Show Thinking/ }).first();
    assert.ok(await show.isVisible(), `a visible Show Thinking button:\n${text}`);
    await show.click();
    const tab = page.locator('.tab', { hasText: 'Thinking.md' }).first();
    await tab.waitFor({ state: 'visible', timeout: 60000 });
    // Monaco draws spaces as no-break spaces
    await until(async () => (await activeEditor(page).locator('.view-lines').innerText()).replace(/\s+/g, ' ').includes('The user wants a small'), 'the thinking in its document');
    await page.screenshot({ path: path.join(SHOTS, 'participant-show-thinking.png') });
    assert.equal(session.gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1);
  });

  it('/fix on the editor\'s selection: Review in Editor opens the inline diff over it, nothing written', async () => {
    await ensureApiKey(session);
    const file = path.join(session.workspace, 'fix-me.ts');
    const original = ['export function add(a: number, b: number): number {', '  return a - b;', '}', '', 'export const one = 1;', ''];
    fs.writeFileSync(file, original.join('\n'));
    session.gateway.setScenario('reasoning', {
      answer: 'The operator was wrong.\n\n```typescript\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n',
    });
    await openFile(page, file);
    await selectLines(page, 1, 3);
    const response = await ask('/fix');
    assert.match(session.gateway.lastRequest()?.body.messages.at(-1).content ?? '', /The selected code \(lines 1-3\)/);
    const review = response.locator('.monaco-button', { hasText: 'Review in Editor' }).first();
    assert.ok(await review.isVisible(), 'a visible Review in Editor button');
    await review.click();
    await until(async () => (await codeLensRows(page)).some((r) => r.titles.some((t) => t.startsWith('Accept'))), 'the inline diff\'s Accept CodeLens');
    await page.screenshot({ path: path.join(SHOTS, 'participant-fix-review.png') });
    assert.equal(fs.readFileSync(file, 'utf8'), original.join('\n'), 'nothing written');
    assert.ok((await editorLines(page)).includes('  return a - b;'), 'the file still shows its own line');
  });
});
