// What a person sees: the packaged extension installed in code-server, driven in Chromium, talking
// to the gateway test server on 127.0.0.1. The steps build on each other, in order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../host/lib/codeServer.mjs';
import { KEY, SHOTS, screenshotOnFailure, setApiKey, startUiSession } from './lib/session.mjs';
import { chatFrame, openChatView, openFile, runCommand, showChat, sleep, texts, until, waitForWorkbench } from './lib/workbench.mjs';

const require = createRequire(import.meta.url);
const { DEFAULT_ANSWER } = require(path.join(REPO_ROOT, 'out/test/gateway/content.js'));

describe('UI: the chat in code-server and Chromium', function () {
  this.timeout(180000);
  let session;
  let gateway;
  let page;
  let workspace;

  const frame = () => chatFrame(page);
  const input = async () => (await frame()).locator('[data-testid="chat-input"]');
  const assistantTurns = async () => (await frame()).locator('[data-testid="assistant-turn"]');
  const lastAssistant = async () => (await assistantTurns()).last();

  /** Sends a message and returns the locator of the answer turn it creates. */
  async function send(text) {
    const turns = await assistantTurns();
    const before = await turns.count();
    const box = await input();
    await box.click();
    await box.fill(text);
    await box.press('Enter');
    await until(async () => (await turns.count()) > before, `an answer turn for "${text}"`, 20000);
    return turns.nth(before);
  }

  async function waitForDone(turn) {
    await until(async () => (await turn.getAttribute('data-status')) !== 'streaming' && (await turn.getAttribute('aria-busy')) !== 'true', 'the answer to end', 60000);
  }

  before(async function () {
    this.timeout(600000);
    session = await startUiSession({ gateway: { scenario: 'slow', options: { delayMs: 25, chunkSize: 10 } } });
    ({ gateway, page, workspace } = session);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async () => {
    await session?.close();
  });

  it('sets the API key through the command palette (a password box)', async () => {
    await setApiKey(page);
  });

  it('opens the chat from the activity bar', async () => {
    const f = await openChatView(page);
    await f.locator('[data-testid="empty-state"]').waitFor({ state: 'visible', timeout: 20000 });
    assert.equal(await f.locator('[data-testid="api-key-banner"]').count(), 0, 'the key is set: no banner');
  });

  it('streams the thinking first, then the answer, with usage and cost', async () => {
    const turn = await (await send('Write an add function')).elementHandle();
    assert.ok(turn);
    // sample while streaming: thinking must show text before the answer has any
    const seen = await until(async () => {
      const thinking = (await (await turn.$('[data-testid="thinking-body"]'))?.textContent()) ?? '';
      const answer = (await (await turn.$('[data-testid="answer"]'))?.textContent()) ?? '';
      return thinking.length > 0 && answer.trim().length === 0 ? { thinking } : undefined;
    }, 'thinking text before any answer text', 20000, 30);
    assert.ok(seen.thinking.length > 0);
    await until(async () => ((await (await turn.$('[data-testid="answer"]'))?.textContent()) ?? '').includes('Here is a small helper'), 'the answer to stream in', 30000);
    const last = await lastAssistant();
    await waitForDone(last);
    assert.equal(await last.locator('[data-testid="thinking"]').evaluate((d) => d.open), false, 'thinking folds once the answer starts');
    assert.match(await last.locator('[data-testid="thinking-summary"]').textContent(), /\d/);
    const code = await last.locator('[data-testid="code-block"] code').first().textContent();
    assert.ok(code.includes('export function add(a: number, b: number): number {'), code);
    assert.ok(await last.locator('[data-testid="code-block"] .hljs-keyword').count() > 0, 'code is highlighted');
    assert.match(await last.locator('[data-testid="usage"]').textContent(), /\d/);
    assert.match(await last.locator('[data-testid="cost"]').textContent(), /¥0\.\d{4}/);
    const req = gateway.lastRequest();
    assert.equal(req.headers.authorization, `Bearer ${KEY}`, 'the key typed in the box reached the gateway');
    await page.screenshot({ path: path.join(SHOTS, 'chat-dark.png') });
  });

  it('copies a code block to the clipboard and inserts one at the cursor', async () => {
    const last = await lastAssistant();
    await last.locator('[data-testid="code-block"]').first().hover();
    await last.locator('[data-testid="code-copy"]').first().click();
    const clip = await until(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      return t.includes('return a + b;') ? t : undefined;
    }, 'the code on the clipboard', 10000);
    assert.ok(clip.startsWith('export function add'));

    // open sample.ts, cursor at the end, then Insert from the chat: the editor keeps its cursor
    const editor = await openFile(page, 'sample.ts');
    await last.locator('[data-testid="code-block"]').first().hover();
    await last.locator('[data-testid="code-insert"]').first().click();
    await editor.click();
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, 'sample.ts');
    await until(() => (fs.readFileSync(file, 'utf8').match(/export function add/g) ?? []).length === 2, 'the inserted code saved in sample.ts', 15000);
  });

  it('stops mid-stream and keeps the partial answer, marked as stopped', async () => {
    gateway.setScenario('slow', { delayMs: 120, chunkSize: 6 });
    const turn = await send('A long answer please');
    await until(async () => ((await turn.locator('[data-testid="thinking-body"]').textContent()) ?? '').length > 20, 'some thinking', 20000);
    const button = (await frame()).locator('[data-testid="send-button"]');
    assert.equal(await button.getAttribute('data-mode'), 'stop');
    await button.click();
    await turn.locator('[data-testid="stopped-badge"]').waitFor({ state: 'visible', timeout: 10000 });
    assert.ok(((await turn.locator('[data-testid="thinking-body"]').textContent()) ?? '').length > 20, 'the partial text stays');
    assert.equal(await button.getAttribute('data-mode'), 'send');
  });

  it('shows an error with its message, and Retry answers', async () => {
    gateway.setScenario('status-502');
    const turn = await send('This will fail first');
    const message = turn.locator('[data-testid="error-message"]');
    await message.waitFor({ state: 'visible', timeout: 20000 });
    assert.match(await message.textContent(), /502 Bad Gateway/);
    gateway.setScenario('reasoning');
    await turn.locator('[data-testid="error-action-retry"]').click();
    const again = await lastAssistant();
    await until(async () => ((await again.locator('[data-testid="answer"]').textContent()) ?? '').includes('Here is a small helper'), 'the retried answer', 30000);
    await waitForDone(again);
    assert.equal(await again.locator('[data-testid="error"]').count(), 0);
  });

  it('renders hostile model output inert: no script, no handlers, no remote images, no javascript: links', async () => {
    gateway.setScenario('reasoning');
    const hostile = 'ECHO <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> ' +
      '![tracker](https://example.com/t.png) [click](javascript:window.__pwned=3) <a href="https://example.com">ok</a>';
    const turn = await send(hostile);
    await waitForDone(turn);
    const f = await frame();
    const answer = turn.locator('[data-testid="answer"]');
    assert.match(await answer.textContent(), /Echo:/);
    const found = await answer.evaluate((el) => ({
      scripts: el.querySelectorAll('script').length,
      handlers: [...el.querySelectorAll('*')].filter((n) => [...n.attributes].some((a) => a.name.startsWith('on'))).length,
      remoteImages: [...el.querySelectorAll('img')].filter((i) => /^https?:/.test(i.getAttribute('src') ?? '')).length,
      jsLinks: [...el.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
      // the markup was rendered, not just escaped: the safe link stays, the image became a link
      safeLink: !!el.querySelector('a[href="https://example.com"]'),
      imageAsLink: !!el.querySelector('a[href="https://example.com/t.png"]'),
    }));
    assert.deepEqual(found, { scripts: 0, handlers: 0, remoteImages: 0, jsLinks: 0, safeLink: true, imageAsLink: true });
    assert.equal(await f.evaluate(() => window.__pwned), undefined);
  });

  it('finds the conversation again after reloading the window', async () => {
    const before = await texts(await frame(), '[data-testid="user-text"]');
    assert.ok(before.length >= 3, `user turns before reload: ${before}`);
    await runCommand(page, 'Developer: Reload Window');
    await sleep(1500);
    await waitForWorkbench(page);
    const f = await showChat(page);
    await until(async () => (await texts(f, '[data-testid="user-text"]')).length === before.length, 'the conversation after reload', 30000);
    assert.deepEqual(await texts(f, '[data-testid="user-text"]'), before);
    assert.ok((await texts(f, '[data-testid="answer"]')).some((t) => t.includes(DEFAULT_ANSWER.split('\n')[0])));
  });

  it('is readable in a light theme too (screenshots)', async () => {
    await page.screenshot({ path: path.join(SHOTS, 'chat-dark-reloaded.png') });
    await runCommand(page, 'Toggle between Light/Dark Themes');
    await until(async () => page.evaluate(() => !!document.querySelector('.monaco-workbench.vs')), 'the light theme', 20000);
    const f = await frame();
    await until(async () => f.evaluate(() => document.body.classList.contains('vscode-light')), 'the webview to turn light', 20000);
    await sleep(500);
    await page.screenshot({ path: path.join(SHOTS, 'chat-light.png') });
    const [fg, bg] = await f.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.color, s.backgroundColor];
    });
    assert.notEqual(fg, bg);
  });
});
