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
  activeEditor, answerInputBox, clickCodeLens, codeLensRows, commentsPanelRows, cursorPosition, editorLines, goToLine, hidePanel, openFile,
  runCommand, selectLines, showCommentsPanel, until,
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

// A rewrite into fewer lines, as two hunks of different shapes with an unchanged line between
// them: `let count = 0;` becomes two lines (+2 −1, line 2) and the four-line loop one (+1 −4,
// lines 4-7); `let total = 0;` (line 3) and the return (line 8) stay.
const MEAN = [
  'function mean(xs) {',
  '  let count = 0;',
  '  let total = 0;',
  '  for (const x of xs) {',
  '    total += x;',
  '    count += 1;',
  '  }',
  '  return total / count;',
  '}',
  '',
];
const MEAN_REWRITE = [
  '  const count = xs.length;',
  '  if (count === 0) return NaN;',
  '  let total = 0;',
  '  for (const x of xs) total += x;',
  '  return total / count;',
];
/** The function with only the first hunk (+2 −1) accepted. */
const MEAN_COUNT_ACCEPTED = [MEAN[0], ...MEAN_REWRITE.slice(0, 2), ...MEAN.slice(2, 9)];

// Three hunks where accepting the first (+1 −3, lines 2-4: two lines fewer) moves the last
// (line 8) to the line where the middle one was (line 6).
const DESCRIBE = [
  'function describe(nums) {',
  '  const sorted = [...nums];',
  '  sorted.sort((a, b) => a - b);',
  '  const n = sorted.length;',
  '  const min = sorted[0];',
  '  const max = sorted[n - 1];',
  '  const total = sorted.reduce((a, b) => a + b, 0);',
  '  const mean = total / n;',
  '  return { min, max, mean };',
  '}',
  '',
];
const DESCRIBE_REWRITE = [
  '  const sorted = [...nums].sort((a, b) => a - b);',
  '  const min = sorted[0];',
  '  const max = sorted[sorted.length - 1];',
  '  const total = sorted.reduce((a, b) => a + b, 0);',
  '  const mean = total / sorted.length;',
];

/** What the gateway answers: the rewrite in a fenced block. */
const answerWith = (lines) => `Here is a shorter version:\n\n\`\`\`javascript\n${lines.join('\n')}\n\`\`\`\n`;
const CONFLICT = 'Not applied: you changed these lines';

describe('UI: the inline diff in code-server and Chromium', function () {
  this.timeout(300000);
  let session;
  let gateway;
  let page;

  const lenses = () => page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a');
  const lensTitles = async () => (await lenses().allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
  const acceptCount = async () => (await lensTitles()).filter((t) => t.startsWith('Accept (')).length;
  const zones = () => page.locator('.editor-group-container.active .monaco-editor .review-widget');

  /** The CodeLens rows of the editor as `{ line: 'title | title' }` (1-based lines). */
  const lensRows = async () => Object.fromEntries((await codeLensRows(page)).map((r) => [r.line, r.titles.join(' | ')]));
  const ACCEPT_REJECT = 'Accept (Ctrl+Alt+Y) | Reject (Ctrl+Alt+N)';
  const zoneTexts = async () => (await zones().allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));

  /** Waits until `probe()` deep-equals `want`; on time-out fails showing the last value seen. */
  async function untilEqual(probe, want, what, ms) {
    let seen;
    try {
      await until(async () => JSON.stringify(seen = await probe()) === JSON.stringify(want), what, ms);
    } catch (e) {
      assert.deepEqual(seen, want, e.message);
      throw e;
    }
  }

  /** Whether the conflict notice shows anywhere in the workbench (zones, CodeLenses, the Comments panel). */
  const conflictShown = () => page.evaluate((text) => document.body.innerText.includes(text), CONFLICT);

  /**
   * Opens the Comments panel, shows only the comments containing `filter`, waits until its
   * threads read `want` (each "author [Ln …]", in any order; the file rows left out), checks that
   * no conflict notice shows anywhere, and hides the panel again.
   */
  async function commentsPanelShows(filter, want, what) {
    await showCommentsPanel(page, { filter });
    try {
      const threads = async () => (await commentsPanelRows(page)).filter((r) => !('file' in r)).map((r) => `${r.author} ${r.lines}`).sort();
      await untilEqual(threads, [...want].sort(), `the Comments panel's threads ${what}`);
      assert.equal(await conflictShown(), false, `no "${CONFLICT}" ${what}`);
    } finally {
      await hidePanel(page);
    }
  }

  /**
   * Where each zone of the active editor sits: "<key>@<line>" with the 1-based line right above the
   * zone, the key being the first of `keys` ({ key: text }) whose text the zone shows. Sorted.
   */
  const zonePlaces = (keys) => page.evaluate((byText) => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    const own = (el) => el.closest('.monaco-editor') === editor;
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].filter(own)
      .map((n) => ({ line: Number(n.textContent), top: n.getBoundingClientRect().top }));
    return [...editor.querySelectorAll('.review-widget')].filter(own).map((zone) => {
      const text = (zone.textContent ?? '').replace(/\u00a0/g, ' ');
      const key = Object.keys(byText).find((k) => text.includes(byText[k])) ?? '?';
      const top = zone.getBoundingClientRect().top;
      const above = numbers.filter((n) => n.top < top).sort((a, b) => b.top - a.top)[0];
      return `${key}@${above?.line}`;
    }).sort();
  }, keys);

  /** Writes `name` (FILE) into the workspace, opens it and selects the mean function (lines 2-8). */
  async function openWithSelection(name, content = FILE) {
    const file = path.join(session.workspace, name);
    fs.writeFileSync(file, content);
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
  /** Runs Edit Selection on lines 2-8 of a new file, the gateway streaming `answer`; returns once the instruction is in. */
  async function startEdit(name, { content = FILE, answer = ANSWER, instruction = INSTRUCTION } = {}) {
    gateway.setScenario('slow', { delayMs: 40, chunkSize: 12, answer });
    const file = await openWithSelection(name, content);
    await runCommand(page, 'Hunyuan: Edit Selection with Instruction…', { escape: false });
    await answerInputBox(page, instruction);
    return file;
  }

  async function propose(name) {
    const file = await startEdit(name);
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

  it('accepts a hunk that changes the line count by its CodeLens and rejects the other; Ctrl+Z makes it pending again, Ctrl+Alt+Y accepts it; the Comments panel names their lines (light screenshot)', async () => {
    const theme = JSON.parse(fs.readFileSync(session.settingsFile, 'utf8'))['workbench.colorTheme'];
    await session.updateSettings({ 'workbench.colorTheme': 'Light Modern' });
    try {
      await until(async () => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs')), 'the Light Modern theme');
      await startEdit('mean.js', {
        content: MEAN.join('\n'), answer: answerWith(MEAN_REWRITE), instruction: 'Shorter: take the count from the array, one line for the loop',
      });

      // two hunks, their shapes in the zones' author lines; lenses above line 2 and line 4
      const pending = {
        2: `Accept all (2) | Reject all | Side by side | ${ACCEPT_REJECT}`,
        4: ACCEPT_REJECT,
      };
      await untilEqual(lensRows, pending, 'the lenses of the complete proposal', 120000);
      await until(async () => (await zones().count()) === 2, 'two zones');
      const shapes = await zoneTexts();
      assert.ok(shapes.some((t) => /\+2 −1\s*const count = xs\.length;\s*if \(count === 0\) return NaN;/.test(t)), shapes.join('\n'));
      assert.ok(shapes.some((t) => /\+1 −4\s*for \(const x of xs\) total \+= x;/.test(t)), shapes.join('\n'));
      assert.deepEqual((await editorLines(page)).slice(0, 9), MEAN.slice(0, 9), 'nothing written yet');
      // both hunks pending, before deciding (for the README: with no progress spinning in the status
      // bar, as long as that comes soon)
      await goToLine(page, 1);
      await until(async () => (await page.locator('.part.statusbar .codicon-modifier-spin').count()) === 0, 'the status bar to settle', 20000).catch(() => {});
      await page.screenshot({ path: path.join(SHOTS, 'inline-diff-light.png') });
      await commentsPanelShows('xs', ['+2 −1 [Ln 2]', '+1 −4 [Ln 4-7]'], 'while both hunks are pending');

      // accept the +2 −1 hunk: one line more, so the loop's hunk and its lenses move down to line 5
      await clickCodeLens(page, 2, 'Accept (');
      await untilEqual(async () => (await editorLines(page)).slice(0, 10), MEAN_COUNT_ACCEPTED, 'the accepted hunk in the text');
      await untilEqual(lensRows, { 2: 'Side by side', 5: ACCEPT_REJECT }, 'its lenses gone, the other hunk\'s above line 5');
      await until(async () => (await zones().count()) === 1, 'its zone gone');
      assert.equal(await conflictShown(), false, `no "${CONFLICT}" after the accept`);
      await commentsPanelShows('xs', ['+1 −4 [Ln 5-8]'], 'after the accept');

      // reject the loop's hunk
      await clickCodeLens(page, 5, 'Reject (');
      await until(async () => (await lenses().count()) === 0 && (await zones().count()) === 0, 'everything decided');
      assert.deepEqual((await editorLines(page)).slice(0, 10), MEAN_COUNT_ACCEPTED, 'the rejected loop stays');

      // one undo: the accepted hunk is pending again, the text the original
      await activeEditor(page).locator('.view-line', { hasText: 'function mean' }).first().click();
      await page.keyboard.press('Control+Z');
      await untilEqual(async () => (await editorLines(page)).slice(0, 9), MEAN.slice(0, 9), 'the original text after the undo');
      await untilEqual(lensRows, { 2: `Side by side | ${ACCEPT_REJECT}` }, 'the hunk pending again');
      await until(async () => (await zones().count()) === 1, 'its zone back');
      assert.match((await zoneTexts())[0], /\+2 −1\s*const count = xs\.length;/);
      assert.equal(await conflictShown(), false, `no "${CONFLICT}" after the undo`);
      await commentsPanelShows('xs', ['+2 −1 [Ln 2]'], 'after the undo');

      // accept it again with the cursor on it
      await goToLine(page, 2);
      await page.keyboard.press('Control+Alt+KeyY');
      await untilEqual(async () => (await editorLines(page)).slice(0, 10), MEAN_COUNT_ACCEPTED, 'Ctrl+Alt+Y to accept it again');
      await until(async () => (await lenses().count()) === 0 && (await zones().count()) === 0, 'nothing left to decide');
      assert.equal(await conflictShown(), false);
    } finally {
      await session.updateSettings({ 'workbench.colorTheme': theme });
    }
  });

  it('keeps each zone and Comments panel entry on its own hunk\'s lines when an accept above moves the hunks, through undo and redo', async () => {
    await startEdit('describe.js', { content: DESCRIBE.join('\n'), answer: answerWith(DESCRIBE_REWRITE), instruction: 'Sort in one line, no n' });
    await until(async () => (await acceptCount()) === 3 && (await lensTitles()).includes('Accept all (3)') && (await zones().count()) === 3,
      'three hunks', 120000);
    const keys = { sort: '[...nums].sort(', max: 'sorted[sorted.length - 1]', mean: 'total / sorted.length' };
    // each zone right under its hunk's last removed line
    const placed = (want, what) => untilEqual(() => zonePlaces(keys), want, `the zones ${what}`);

    await placed(['max@6', 'mean@8', 'sort@4'], 'pending');
    await commentsPanelShows('sorted', ['+1 −3 [Ln 2-4]', '+1 −1 [Ln 6]', '+1 −1 [Ln 8]'], 'while the three hunks are pending');

    // two lines fewer above: the mean's hunk moves to line 6, where the max's was
    await clickCodeLens(page, 2, 'Accept (');
    await until(async () => (await editorLines(page))[1] === DESCRIBE_REWRITE[0], 'the first hunk accepted');
    await placed(['max@4', 'mean@6'], 'after the accept');
    await commentsPanelShows('sorted', ['+1 −1 [Ln 4]', '+1 −1 [Ln 6]'], 'after the accept');

    await activeEditor(page).locator('.view-line', { hasText: 'function describe' }).first().click();
    await page.keyboard.press('Control+Z');
    await until(async () => (await editorLines(page))[1] === DESCRIBE[1], 'the undo');
    await placed(['max@6', 'mean@8', 'sort@4'], 'after the undo');
    await commentsPanelShows('sorted', ['+1 −3 [Ln 2-4]', '+1 −1 [Ln 6]', '+1 −1 [Ln 8]'], 'after the undo');

    await activeEditor(page).locator('.view-line', { hasText: 'function describe' }).first().click();
    await page.keyboard.press('Control+Shift+Z');
    await until(async () => (await editorLines(page))[1] === DESCRIBE_REWRITE[0], 'the redo');
    await placed(['max@4', 'mean@6'], 'after the redo');
    await commentsPanelShows('sorted', ['+1 −1 [Ln 4]', '+1 −1 [Ln 6]'], 'after the redo');

    await page.keyboard.press('Control+Alt+Shift+KeyN');
    await until(async () => (await lenses().count()) === 0 && (await zones().count()) === 0, 'the rest rejected');
  });
});
