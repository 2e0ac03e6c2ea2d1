// What a person sees of the inline diff: "Edit Selection with Instruction…" on a function in the
// packaged extension in code-server, the proposal streamed into the editor as hunks (removed lines
// in the theme's diff colour, proposed lines in a zone below them, Accept | Reject above each),
// decided by clicking and by the keys README lists. One code-server for the file; each test makes
// its own file and its own proposal, so any test runs alone (UI_TEST_GREP).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHOTS, ensureApiKey, screenshotOnFailure, startUiSession } from './lib/session.mjs';
import {
  activeEditor, answerInputBox, cursorPosition, editorLines, goToLine, openFile, runCommand, selectLines, until,
} from './lib/workbench.mjs';

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

// Three hunks: the signature (line 2), the loop (lines 4-5), the return (line 7).
const REWRITE = [
  'export function mean(values: readonly number[]): number {',
  '  let total = 0;',
  '  for (const value of values) {',
  '    total += value;',
  '  }',
  '  return values.length === 0 ? NaN : total / values.length;',
  '}',
].join('\n');
const REMOVED_LINES = [2, 4, 5, 7];

const ANSWER = `Here is the rewritten function:\n\n\`\`\`typescript\n${REWRITE}\n\`\`\`\n`;
const INSTRUCTION = 'Take a readonly array, use for-of, and return NaN for an empty array';

describe('UI: the inline diff in code-server and Chromium', function () {
  this.timeout(300000);
  let session;
  let gateway;
  let page;

  const lenses = () => page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a');
  const lensTitles = async () => (await lenses().allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
  const acceptCount = async () => (await lensTitles()).filter((t) => t.startsWith('Accept (')).length;
  const zones = () => page.locator('.editor-group-container.active .monaco-editor .review-widget');

  /** Writes `name` (FILE) into the workspace, opens it and selects the mean function (lines 2-8). */
  async function openWithSelection(name) {
    const file = path.join(session.workspace, name);
    fs.writeFileSync(file, FILE);
    await ensureApiKey(session);
    await openFile(page, file);
    await selectLines(page, 2, 8);
    return file;
  }

  /** Waits until the proposal has streamed in completely: its three hunks, lenses and zones. */
  async function proposalComplete() {
    // CodeLenses redraw lazily: wait for the final set
    const titles = await until(async () => {
      const t = await lensTitles();
      return t.filter((x) => x.startsWith('Accept (')).length === 3 && t.some((x) => x.startsWith('Accept all (3)')) && !t.includes('Cancel') ? t : undefined;
    }, 'Accept all (3) and three Accept lenses once the proposal is complete', 120000);
    assert.ok(titles.includes('Reject all'), titles.join(' | '));
    await until(async () => (await zones().count()) === 3, 'three proposal zones');
  }

  /** A file of its own with a complete proposal (Edit Selection from the palette); returns its path. */
  async function propose(name) {
    gateway.setScenario('slow', { delayMs: 40, chunkSize: 12, answer: ANSWER });
    const file = await openWithSelection(name);
    await runCommand(page, 'Hunyuan: Edit Selection with Instruction…', { escape: false });
    await answerInputBox(page, INSTRUCTION);
    await proposalComplete();
    return file;
  }

  /**
   * For each line of the active editor (in order, zones left out): its text and the background
   * colours painted behind it (the decorations Monaco draws in its view overlays).
   */
  const lineBackgrounds = () => page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    const own = (el) => el.closest('.monaco-editor') === editor;
    const overlays = [...editor.querySelectorAll('.view-overlays > div')].filter(own).map((o) => ({
      top: parseFloat(o.style.top),
      colours: [...o.children].map((c) => getComputedStyle(c).backgroundColor).filter((c) => c !== 'rgba(0, 0, 0, 0)'),
    }));
    return [...editor.querySelectorAll('.view-lines .view-line')].filter(own)
      .map((l) => ({ top: parseFloat(l.style.top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => ({ text: l.text, colours: overlays.find((o) => o.top === l.top)?.colours ?? [] }));
  });

  /** A theme colour (e.g. `diffEditor.removedLineBackground`) as the browser computes it. */
  const themeColour = (id) => page.evaluate((name) => {
    const probe = document.createElement('div');
    probe.style.backgroundColor = `var(--vscode-${name.replace('.', '-')})`;
    document.querySelector('.monaco-workbench').append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  }, id);

  before(async function () {
    this.timeout(600000);
    // VS Code opens its Comments panel the first time comment threads (our zones) appear; README
    // tells users this setting keeps it closed. Here it would halve the editor at a moment no test
    // controls.
    session = await startUiSession({ gateway: { scenario: 'reasoning' }, prefix: 'ui-diff-', userSettings: { 'comments.openView': 'never' } });
    ({ gateway, page } = session);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async () => {
    await session?.close();
  });

  it('proposes an edit of the selection as hunks in the editor, removed lines in the theme\'s diff colour, writing nothing', async () => {
    const file = await propose('stats-propose.ts');
    // while it streamed, the status bar offered Cancel; now the proposed lines show in zones
    const zoneText = (await zones().allTextContents()).join('\n');
    assert.match(zoneText, /readonly number\[\]/);
    assert.match(zoneText, /for \(const value of values\)/);
    assert.equal(fs.readFileSync(file, 'utf8'), FILE, 'nothing written to disk');
    assert.deepEqual((await editorLines(page)).slice(0, 8), FILE.split('\n').slice(0, 8), 'nothing written to the editor');

    // the selection collapsed: it paints over the lines
    await goToLine(page, 1);
    const removed = await themeColour('diffEditor.removedLineBackground');
    assert.notEqual(removed, 'rgba(0, 0, 0, 0)', 'the theme has a removed-line colour');
    // exactly the lines the proposal would remove have it; the unchanged ones do not
    const painted = await until(async () => {
      const lines = (await lineBackgrounds()).slice(0, 10);
      return lines.length === 10 && lines.some((l) => l.colours.includes(removed)) ? lines : undefined;
    }, `lines painted ${removed}`);
    const paintedLines = painted.map((l, i) => (l.colours.includes(removed) ? i + 1 : 0)).filter(Boolean);
    assert.deepEqual(paintedLines, REMOVED_LINES, `lines with the removed colour ${removed}: ${JSON.stringify(painted)}`);
    assert.deepEqual(painted.map((l) => l.text), FILE.split('\n').slice(0, 10));
    await page.screenshot({ path: path.join(SHOTS, 'inline-diff-dark.png') });
  });

  it('accepts a hunk, rejects one, accepts the last from its zone, then undoes the last accept with one Ctrl+Z', async () => {
    await propose('stats-click.ts');
    await lenses().filter({ hasText: /^Accept \(/ }).first().click();
    await until(async () => (await editorLines(page))[1] === REWRITE.split('\n')[0], 'the signature to change');
    await until(async () => (await acceptCount()) === 2, 'two hunks left');
    await lenses().filter({ hasText: /^Reject \(/ }).first().click();
    await until(async () => (await acceptCount()) === 1, 'one hunk left');
    assert.match((await editorLines(page))[3], /for \(let i = 0;/, 'the rejected loop is unchanged');
    // the last one from the zone's own title bar (the comment thread's ✓ action)
    await zones().first().getByRole('button', { name: /Accept Proposed Change/ }).click();
    await until(async () => (await editorLines(page))[6] === '  return values.length === 0 ? NaN : total / values.length;', 'the return to change');
    await until(async () => (await lenses().count()) === 0, 'the lenses to go once all is decided');
    // one undo reverts the last accept only
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+Z');
    await until(async () => (await editorLines(page))[6] === '  return total / values.length;', 'the undo');
    assert.equal((await editorLines(page))[1], REWRITE.split('\n')[0], 'the first accept stays');
  });

  it('Ctrl+Alt+K (Edit Selection) asks for the instruction and proposes the edit', async () => {
    gateway.setScenario('slow', { delayMs: 40, chunkSize: 12, answer: ANSWER });
    const file = await openWithSelection('stats-ctrl-alt-k.ts');
    const sent = gateway.requests.length;
    await page.keyboard.press('Control+Alt+KeyK');
    const box = page.locator('.quick-input-widget');
    await until(async () => (await box.isVisible()) && /How should Hunyuan change lines 2.8 of stats-ctrl-alt-k\.ts/.test(await box.textContent() ?? ''), 'the instruction box');
    await answerInputBox(page, INSTRUCTION);
    await proposalComplete();
    const request = gateway.requests.slice(sent).find((r) => /chat\/completions$/.test(r.path));
    assert.ok(request && JSON.stringify(request.body.messages).includes('readonly array'), 'the instruction was sent');
    assert.equal(fs.readFileSync(file, 'utf8'), FILE, 'nothing written');
  });

  it('Alt+F5 / Shift+Alt+F5 go to the next / previous change; Ctrl+Alt+N rejects and Ctrl+Alt+Y accepts the change at the cursor', async () => {
    await propose('stats-keys.ts');
    await goToLine(page, 1);
    const cursorLine = async () => (await cursorPosition(page))?.line;
    const press = async (key, line) => {
      await page.keyboard.press(key);
      await until(async () => (await cursorLine()) === line, `${key} to move the cursor to line ${line}`);
    };
    await press('Alt+F5', 2);
    await press('Alt+F5', 4);
    await press('Alt+F5', 7);
    await press('Shift+Alt+F5', 4);
    // the loop is at the cursor: reject it
    await page.keyboard.press('Control+Alt+KeyN');
    await until(async () => (await acceptCount()) === 2, 'Ctrl+Alt+N to reject a hunk');
    assert.deepEqual((await editorLines(page)).slice(0, 8), FILE.split('\n').slice(0, 8), 'rejecting changes no text');
    // back to the signature: accept it
    await press('Shift+Alt+F5', 2);
    await page.keyboard.press('Control+Alt+KeyY');
    await until(async () => (await editorLines(page))[1] === REWRITE.split('\n')[0], 'Ctrl+Alt+Y to accept the signature');
    await until(async () => (await acceptCount()) === 1, 'one hunk left');
    assert.match((await editorLines(page))[3], /for \(let i = 0;/, 'the rejected loop stays as it was');
    assert.equal((await editorLines(page))[6], '  return total / values.length;', 'the return is still only proposed');
    assert.equal(await cursorLine(), 2, 'accepting does not move the cursor');
  });

  it('Ctrl+Alt+Shift+N rejects all changes and Ctrl+Alt+Shift+Y accepts all', async () => {
    await propose('stats-reject-all.ts');
    await goToLine(page, 1);
    await page.keyboard.press('Control+Alt+Shift+KeyN');
    await until(async () => (await lenses().count()) === 0 && (await zones().count()) === 0, 'Ctrl+Alt+Shift+N to reject everything');
    assert.deepEqual((await editorLines(page)).slice(0, 8), FILE.split('\n').slice(0, 8));

    await propose('stats-accept-all.ts');
    await goToLine(page, 1);
    await page.keyboard.press('Control+Alt+Shift+KeyY');
    await until(async () => (await lenses().count()) === 0 && (await zones().count()) === 0, 'Ctrl+Alt+Shift+Y to accept everything');
    assert.deepEqual((await editorLines(page)).slice(1, 8), REWRITE.split('\n'));
  });

  it('Ctrl+Alt+G (Generate Code from Comment) proposes the code the comment describes below it', async () => {
    const code = ['export function larger(a: number, b: number): number {', '  return a > b ? a : b;', '}'];
    gateway.setScenario('reasoning', { answer: `\`\`\`typescript\n${code.join('\n')}\n\`\`\`\n` });
    await ensureApiKey(session);
    const source = ['// Helpers.', '', '// Return the larger of two numbers.', '', 'export const answer = 42;', ''].join('\n');
    const file = path.join(session.workspace, 'generate.ts');
    fs.writeFileSync(file, source);
    await openFile(page, file);
    await goToLine(page, 3);
    await page.keyboard.press('Control+Alt+KeyG');
    await until(async () => {
      const titles = await lensTitles();
      return titles.includes('Accept (Ctrl+Alt+Y)') && !titles.includes('Cancel') && (await zones().count()) === 1;
    }, 'the generated code proposed');
    const zoneText = (await zones().first().textContent()).replace(/\u00a0/g, ' ');
    assert.ok(zoneText.includes('return a > b ? a : b;'), zoneText);
    assert.equal(fs.readFileSync(file, 'utf8'), source, 'nothing written');
    // the zone sits under the comment
    const box = await zones().first().boundingBox();
    const comment = await activeEditor(page).locator('.view-line', { hasText: 'Return the larger' }).boundingBox();
    const after = await activeEditor(page).locator('.view-line', { hasText: 'export const answer' }).boundingBox();
    assert.ok(box.y >= comment.y + comment.height - 1 && box.y <= after.y, `zone at ${box.y}, comment at ${comment.y}, next code at ${after.y}`);
    await page.keyboard.press('Control+Alt+Shift+KeyY');
    await until(async () => (await editorLines(page)).includes('  return a > b ? a : b;'), 'the generated code accepted');
  });
});
