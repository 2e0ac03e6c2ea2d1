// Page objects for driving code-server's workbench and our chat webview with playwright-core.
import fs from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy; throws with `what` after `ms`. */
export async function until(probe, what, ms = 30000, every = 150) {
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
    await sleep(every);
  }
}

export async function waitForWorkbench(page) {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90000 });
}

/**
 * Runs a command from the palette by its title. Retries while the extension's commands are not
 * registered yet (the workbench lists an installed extension's commands only after it scanned it).
 * Escape first closes whatever is open; `escape: false` keeps the editor's selection (Escape in
 * an editor clears it).
 */
export async function runCommand(page, title, { attempts = 20, escape = true } = {}) {
  for (let i = 0; ; i++) {
    if (escape || i > 0) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click();
      return;
    } catch (e) {
      if (i >= attempts) throw new Error(`command "${title}" not found in the palette: ${e.message}`);
      await sleep(500);
    }
  }
}

/** Types into the quick input (an input box opened by a command) and accepts it. */
export async function answerInputBox(page, text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
}

/** The frame of our chat webview (webviews sit in nested iframes). */
export async function chatFrame(page, ms = 30000) {
  return until(async () => {
    for (const f of page.frames()) {
      if (await f.$('[data-testid="chat-input"]').catch(() => null)) return f;
    }
    return undefined;
  }, 'the chat webview', ms);
}

/** Opens the Hunyuan view container from the activity bar (unless it is open) and returns the chat frame. */
export async function openChatView(page) {
  const icon = page.locator('.activitybar .action-item:has([aria-label^="Hunyuan"])').first();
  await until(async () => (await icon.count()) > 0, 'the Hunyuan activity bar icon', 60000);
  // clicking the icon of the open container would close it
  const open = await icon.evaluate((li) => li.classList.contains('checked'));
  if (!open) await icon.click();
  return chatFrame(page, 60000);
}

/** Shows the chat through its command (whatever state the side bar is in) and returns its frame. */
export async function showChat(page) {
  await runCommand(page, 'Hunyuan: Open Chat');
  return chatFrame(page, 60000);
}

/** Opens a workspace file through Quick Open and puts the cursor at its end. */
export async function openFile(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 15000 });
  await row.click();
  const tab = page.locator('.tabs-container .tab.active', { hasText: name });
  await tab.waitFor({ state: 'visible', timeout: 15000 });
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('Control+End');
  return editor;
}

/** Text of every element matching `selector` in the frame. */
export function texts(frame, selector) {
  return frame.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
}

/** Writes the workbench's user settings (code-server picks the change up from disk). */
export function writeUserSettings(file, patch) {
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...patch }, null, 2)}\n`);
}
