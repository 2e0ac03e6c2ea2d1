// Page objects for driving code-server's workbench and our chat webview with playwright-core.
// Every wait is on a condition, with room for a busy machine (a wait that holds early costs nothing).
import fs from 'node:fs';
import path from 'node:path';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** How long a condition may take on a loaded 2-core machine before it counts as failed. */
export const WAIT_MS = 60000;

/** Polls `probe` until it returns something truthy; throws with `what` after `ms`. */
export async function until(probe, what, ms = WAIT_MS, every = 150) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await pause(every);
  }
}

export async function waitForWorkbench(page) {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 120000 });
}

/**
 * Takes the keyboard focus out of a webview (its keys go to its iframe, and a quick input opened
 * from there closes when the webview takes the focus back) so that workbench keys reach the workbench.
 */
export async function focusWorkbench(page) {
  await page.evaluate(() => {
    const active = document.activeElement;
    if (active && active.tagName === 'IFRAME') active.blur();
  });
}

/**
 * Runs a command from the palette by its title. Retries while the extension's commands are not
 * registered yet (the workbench lists an installed extension's commands only after it scanned it).
 * Escape first closes whatever is open; `escape: false` keeps the editor's selection (Escape in
 * an editor clears it).
 */
export async function runCommand(page, title, { escape = true, ms = 120000 } = {}) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  let first = true;
  await focusWorkbench(page);
  await until(async () => {
    if (escape || !first) await page.keyboard.press('Escape');
    first = false;
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    await row.waitFor({ state: 'visible', timeout: 5000 });
    await row.click();
    return true;
  }, `command "${title}" in the palette`, ms, 500);
}

/** Types into the quick input (an input box opened by a command) and accepts it. */
export async function answerInputBox(page, text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** The frame of our chat webview (webviews sit in nested iframes). */
export async function chatFrame(page, ms = WAIT_MS) {
  return until(async () => {
    for (const f of page.frames()) {
      if (await f.$('[data-testid="chat-input"]').catch(() => null)) return f;
    }
    return undefined;
  }, 'the chat webview', ms);
}

/** The Hunyuan icon in the activity bar. */
export const hunyuanIcon = (page) => page.locator('.activitybar .action-item:has([aria-label^="Hunyuan"])').first();

/** Opens the Hunyuan view container from the activity bar (unless it is open) and returns the chat frame. */
export async function openChatView(page) {
  const icon = hunyuanIcon(page);
  await until(async () => (await icon.count()) > 0, 'the Hunyuan activity bar icon', WAIT_MS);
  // clicking the icon of the open container would close it
  const open = await icon.evaluate((li) => li.classList.contains('checked'));
  if (!open) await icon.click();
  return chatFrame(page);
}

/** Shows the chat through its command (whatever state the side bar is in) and returns its frame. */
export async function showChat(page, { title = 'Hunyuan: Open Chat' } = {}) {
  await runCommand(page, title);
  return chatFrame(page);
}

/** The active editor group's text editor (not a zone's or a widget's inner editor). */
export const activeEditor = (page) => page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/**
 * Opens a file through Quick Open and puts the cursor at its end. Give an absolute path for a file
 * created while the workbench runs: Quick Open's file search may not list it yet, but it opens any
 * path typed in full.
 */
export async function openFile(page, file) {
  const name = path.basename(file);
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  const tab = page.locator('.tabs-container .tab.active', { hasText: name });
  // retried: a webview that takes the focus back (the chat focusing its input) closes Quick Open
  await until(async () => {
    await focusWorkbench(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(file, { timeout: 10000 });
    await row.click({ timeout: 10000 });
    await tab.waitFor({ state: 'visible', timeout: 10000 });
    return true;
  }, `${name} open in an editor`, WAIT_MS, 500);
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('Control+End');
  return editor;
}

/** The cursor as the status bar shows it: { line, column } (1-based). */
export async function cursorPosition(page) {
  const text = await page.locator('#status\\.editor\\.selection').first().textContent();
  const m = /Ln (\d+), Col (\d+)/.exec(text ?? '');
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/**
 * Moves the cursor to the start of `line` (Go to Line with column 1, so an indented line too: Home
 * would stop at its first non-blank character) and waits until the status bar says so.
 */
export async function goToLine(page, line) {
  await until(async () => {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`:${line}:1`);
    await input.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
    return until(async () => {
      const at = await cursorPosition(page);
      return at?.line === line && at.column === 1;
    }, `the status bar to show Ln ${line}, Col 1`, 10000);
  }, `the cursor on line ${line}`);
}

/**
 * Selects whole lines `from`..`to` (1-based) as a person does from the keyboard, the selection
 * ending at the start of the line after.
 */
export async function selectLines(page, from, to) {
  await goToLine(page, from);
  for (let i = from; i <= to; i++) await page.keyboard.press('Shift+ArrowDown');
  // the selection ends at the start of line `to` + 1 (so `to` must not be the document's last line)
  await until(async () => {
    const text = await page.locator('#status\\.editor\\.selection').first().textContent() ?? '';
    return /\((\d+) selected\)/.test(text) && text.startsWith(`Ln ${to + 1}, Col 1 `);
  }, `lines ${from}-${to} selected (the status bar)`);
}

/** The text of the active editor as Monaco shows it (one entry per line, in order; zones left out). */
export function editorLines(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    const lines = [...(editor?.querySelectorAll('.view-line') ?? [])].filter((l) => l.closest('.monaco-editor') === editor);
    return lines
      .map((l) => ({ top: parseFloat(getComputedStyle(l).top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

/**
 * The CodeLens rows of the active editor, top to bottom: the 1-based line each sits above and
 * its titles (the rendered ones: lines in view).
 */
export function codeLensRows(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    const own = (el) => el.closest('.monaco-editor') === editor;
    const numbers = [...(editor?.querySelectorAll('.margin-view-overlays .line-numbers') ?? [])].filter(own)
      .map((n) => ({ line: Number(n.textContent), top: n.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top);
    return [...(editor?.querySelectorAll('.codelens-decoration') ?? [])].filter(own)
      .map((lens) => {
        const bottom = lens.getBoundingClientRect().bottom;
        return {
          line: numbers.find((n) => n.top >= bottom - 4)?.line,
          titles: [...lens.querySelectorAll('a')].map((a) => (a.textContent ?? '').replace(/\u00a0/g, ' ')),
        };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  });
}

/** Clicks the CodeLens whose title starts with `title` in the row above `line` (1-based) of the active editor. */
export async function clickCodeLens(page, line, title) {
  let n = 0;
  await until(async () => {
    const mark = `lens-${Date.now()}-${n++}`;
    const found = await page.evaluate(([at, start, id]) => {
      const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
      const own = (el) => el.closest('.monaco-editor') === editor;
      const numbers = [...(editor?.querySelectorAll('.margin-view-overlays .line-numbers') ?? [])].filter(own)
        .map((x) => ({ line: Number(x.textContent), top: x.getBoundingClientRect().top }))
        .sort((a, b) => a.top - b.top);
      for (const lens of [...(editor?.querySelectorAll('.codelens-decoration') ?? [])].filter(own)) {
        const bottom = lens.getBoundingClientRect().bottom;
        if (numbers.find((x) => x.top >= bottom - 4)?.line !== at) continue;
        const a = [...lens.querySelectorAll('a')].find((x) => (x.textContent ?? '').replace(/\u00a0/g, ' ').startsWith(start));
        if (a) {
          a.setAttribute('data-ui-test', id);
          return true;
        }
      }
      return false;
    }, [line, title, mark]);
    // CodeLenses are redrawn lazily: a row redrawn meanwhile is looked up again
    if (found) await page.locator(`[data-ui-test="${mark}"]`).click({ timeout: 5000 });
    return found;
  }, `the CodeLens "${title}" above line ${line}`);
}

/**
 * Shows the Comments panel (View: Focus on Comments View; the view is listed once some extension
 * has comments) and, with `filter`, types it into the view's filter box, so only the comments
 * containing it are listed.
 */
export async function showCommentsPanel(page, { filter } = {}) {
  const panel = page.locator('.comments-panel');
  await until(async () => {
    await runCommand(page, 'Focus on Comments View');
    await panel.waitFor({ state: 'visible', timeout: 10000 });
    return true;
  }, 'the Comments panel');
  if (filter === undefined) return;
  const input = page.locator('.viewpane-filter input').first();
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  if ((await input.inputValue()) !== filter) await input.fill(filter);
}

/**
 * The Comments panel's rows as shown, top to bottom: `{ file }` for a file, `{ author, text, lines }`
 * for a comment thread (`lines` as the panel writes them: "[Ln 4-7]").
 */
export function commentsPanelRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('.comments-panel .monaco-list-row')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    .map((row) => {
      const file = row.querySelector('.resource-container .label-name');
      if (file) return { file: file.textContent ?? '' };
      const part = (selector) => (row.querySelector(`.comment-metadata ${selector}`)?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      return { author: part('.user'), text: part('.text'), lines: part('.range') };
    }));
}

/** Hides the panel (the Comments panel among others) and waits until it is gone. */
export async function hidePanel(page) {
  await runCommand(page, 'View: Hide Panel');
  await until(async () => !(await page.locator('.part.panel').first().isVisible()), 'the panel to hide');
}

/** Notification toasts showing `text` (a string or RegExp). */
export const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/** Closes every notification (they cover the bottom right of the editor). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await until(async () => (await page.locator('.notifications-toasts .notification-toast').count()) === 0, 'the notifications to go');
}

/** Text of every element matching `selector` in the frame. */
export function texts(frame, selector) {
  return frame.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
}

/**
 * Changes user settings the way a person does (code-server does not pick up writes to the file
 * from outside): the JSON settings editor, its whole text replaced (through the clipboard, so no
 * auto-closing brackets), saved and closed. `undefined` removes a setting. Returns the settings.
 */
export async function updateUserSettings(page, file, patch) {
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const next = { ...current, ...patch };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  const text = `${JSON.stringify(next, null, 2)}\n`;
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  // VS Code 1.139 opens it in a modal editor: find it by its document
  const editor = page.locator('.monaco-editor[data-uri$="/User/settings.json"] .view-lines').first();
  await editor.waitFor({ state: 'visible', timeout: WAIT_MS });
  await editor.click();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await until(() => {
    try {
      return JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))) === JSON.stringify(next);
    } catch {
      return false;
    }
  }, 'the settings saved');
  await runCommand(page, 'View: Close Editor');
  await until(async () => (await page.locator('.monaco-editor[data-uri$="/User/settings.json"]').count()) === 0, 'the settings editor to close');
  // the palette fades out: gone before anyone takes a screenshot
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
  return next;
}

/**
 * Makes the side bar as narrow as VS Code lets it be, by dragging its edge as a person would.
 * Returns a function that drags it back to the width it had.
 */
export async function narrowSideBar(page) {
  const bar = page.locator('.part.sidebar').first();
  const box = await bar.boundingBox();
  const y = box.y + box.height / 2;
  const drag = async (from, to) => {
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move(to, y, { steps: 10 });
    await page.mouse.up();
  };
  // VS Code's minimum is 170 px; dragged past it, the side bar snaps closed
  await drag(box.x + box.width, box.x + 180);
  const narrow = await until(async () => {
    const b = await bar.boundingBox();
    return b && b.width < box.width - 50 ? b : undefined;
  }, 'a narrower side bar');
  return () => drag(narrow.x + narrow.width, box.x + box.width);
}

/**
 * The chat input, empty, shows its whole placeholder: the box is as tall as the placeholder's
 * lines (more than one: it wraps), nothing cut off. Returns its measures; throws with them if not
 * (for `until`, which reports the last error when it gives up).
 */
/**
 * Reloads the webviews (as when the chat is first opened at the current width) and waits for the
 * chat to load again and its placeholder to fit; returns the new frame and the fit.
 */
export async function reloadChatUntilPlaceholderFits(page, frame) {
  await frame.evaluate(() => {
    window.__beforeReload = true;
  });
  await runCommand(page, 'Developer: Reload Webviews');
  const g = await until(async () => {
    const f = await chatFrame(page);
    return (await f.evaluate(() => !window.__beforeReload)) ? f : undefined;
  }, 'the chat loaded again');
  return { frame: g, fit: await until(() => placeholderFits(g), 'the placeholder to fit on first open') };
}

export async function placeholderFits(frame) {
  const m = await frame.evaluate(() => {
    const t = document.querySelector('[data-testid="chat-input"]');
    return { value: t.value, placeholder: t.placeholder, width: t.clientWidth, height: t.clientHeight, needed: t.scrollHeight, lineHeight: parseFloat(getComputedStyle(t).lineHeight) };
  });
  if (m.value === '' && m.placeholder && m.needed <= m.height && m.height > 1.6 * m.lineHeight) return m;
  throw new Error(`placeholder cut off or not wrapped: ${JSON.stringify(m)}`);
}
