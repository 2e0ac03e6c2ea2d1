// What a person sees of the inline diff: "Edit Selection with Instruction…" on a function in the
// packaged extension in code-server, the proposal streamed into the editor as hunks (removed lines
// coloured, proposed lines in a zone below them, Accept | Reject above each), decided by clicking.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHOTS, screenshotOnFailure, setApiKey, startUiSession } from './lib/session.mjs';
import { answerInputBox, openFile, runCommand, sleep, until } from './lib/workbench.mjs';

const FILE = [
  '// Statistics helpers.',
  'export function mean(values: number[]): number {',
  '  let total = 0;',
  '  for (let i = 0; i < values.length; i++) {',
  '    total += values[i];',
  '  }',
  '  return total / values.length;',
  '}',
  '',
  'export function max(values: number[]): number {',
  '  return Math.max(...values);',
  '}',
  '',
].join('\n');

// Three hunks: the signature, the loop, the return.
const REWRITE = [
  'export function mean(values: readonly number[]): number {',
  '  let total = 0;',
  '  for (const value of values) {',
  '    total += value;',
  '  }',
  '  return values.length === 0 ? NaN : total / values.length;',
  '}',
].join('\n');

const ANSWER = `Here is the rewritten function:\n\n\`\`\`typescript\n${REWRITE}\n\`\`\`\n`;

describe('UI: the inline diff in code-server and Chromium', function () {
  this.timeout(180000);
  let session;
  let page;
  let file;

  /** The text of the active editor as Monaco shows it (one entry per line, in order; zones left out). */
  const editorLines = () => page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    const lines = [...(editor?.querySelectorAll('.view-line') ?? [])].filter((l) => l.closest('.monaco-editor') === editor);
    return lines
      .map((l) => ({ top: parseFloat(getComputedStyle(l).top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
  const lenses = () => page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a');
  const lensTitles = async () => (await lenses().allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));

  before(async function () {
    this.timeout(600000);
    session = await startUiSession({ gateway: { scenario: 'slow', options: { delayMs: 40, chunkSize: 12, answer: ANSWER } }, prefix: 'ui-diff-' });
    page = session.page;
    file = path.join(session.workspace, 'stats.ts');
    fs.writeFileSync(file, FILE);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async () => {
    await session?.close();
  });

  it('proposes an edit of the selection as hunks in the editor, writing nothing', async () => {
    await setApiKey(page);
    await openFile(page, 'stats.ts');
    // select the mean function: lines 2-8
    await page.keyboard.press('Control+G');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    await runCommand(page, 'Hunyuan: Edit Selection with Instruction…', { escape: false });
    await answerInputBox(page, 'Take a readonly array, use for-of, and return NaN for an empty array');

    // while it streams: the status bar offers Cancel
    await until(async () => (await page.locator('.statusbar-item', { hasText: 'Hunyuan' }).count()) > 0, 'the progress in the status bar', 20000);
    // CodeLenses redraw lazily: wait for the final set
    const titles = await until(async () => {
      const t = await lensTitles();
      return t.filter((x) => x.startsWith('Accept (')).length === 3 && t.some((x) => x.startsWith('Accept all (3)')) && !t.includes('Cancel') ? t : undefined;
    }, 'Accept all (3) and three Accept lenses once the proposal is complete', 60000);
    assert.ok(titles.includes('Reject all'), titles.join(' | '));
    // the proposed lines show in zones below the removed ones
    const zones = page.locator('.editor-group-container.active .monaco-editor .review-widget');
    await until(async () => (await zones.count()) === 3, 'three proposal zones', 20000);
    const zoneText = (await zones.allTextContents()).join('\n');
    assert.match(zoneText, /readonly number\[\]/);
    assert.match(zoneText, /for \(const value of values\)/);
    assert.equal(fs.readFileSync(file, 'utf8'), FILE, 'nothing written to disk');
    assert.deepEqual((await editorLines()).slice(0, 3), FILE.split('\n').slice(0, 3), 'nothing written to the editor');
    // for the picture: the selection collapsed (so the colours show) and the bottom panel closed
    // (VS Code opens its Comments panel the first time comment threads appear in a window)
    await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click();
    if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
    await sleep(800);
    await page.screenshot({ path: path.join(SHOTS, 'inline-diff-dark.png') });
  });

  it('accepts a hunk, rejects one, accepts the last from its zone, then undoes the last accept with one Ctrl+Z', async () => {
    const acceptCount = async () => (await lensTitles()).filter((t) => t.startsWith('Accept (')).length;
    await lenses().filter({ hasText: /^Accept \(/ }).first().click();
    await until(async () => (await editorLines())[1] === REWRITE.split('\n')[0], 'the signature to change', 10000);
    await until(async () => (await acceptCount()) === 2, 'two hunks left', 10000);
    await lenses().filter({ hasText: /^Reject \(/ }).first().click();
    await until(async () => (await acceptCount()) === 1, 'one hunk left', 10000);
    assert.match((await editorLines())[3], /for \(let i = 0;/, 'the rejected loop is unchanged');
    // the last one from the zone's own title bar (the comment thread's ✓ action)
    const zone = page.locator('.editor-group-container.active .monaco-editor .review-widget').first();
    await zone.getByRole('button', { name: /Accept Proposed Change/ }).click();
    await until(async () => (await editorLines())[6] === '  return values.length === 0 ? NaN : total / values.length;', 'the return to change', 10000);
    await until(async () => (await lenses().count()) === 0, 'the lenses to go once all is decided', 10000);
    // one undo reverts the last accept only
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await until(async () => (await editorLines())[6] === '  return total / values.length;', 'the undo', 10000);
    assert.equal((await editorLines())[1], REWRITE.split('\n')[0], 'the first accept stays');
  });
});
