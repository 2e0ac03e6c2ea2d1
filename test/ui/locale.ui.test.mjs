// VS Code's display language set to Simplified Chinese (code-server --locale zh-cn, with a language
// pack for zh-cn that translates nothing: see lib/languagePack.mjs). The workbench stays English;
// the extension's own strings come from package.nls.zh-cn.json (command titles) and
// l10n/bundle.l10n.zh-cn.json (everything else, the chat webview included), chosen by that
// language. The screenshot shows whether the glyphs render.
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildLanguagePack, registerLanguagePack } from './lib/languagePack.mjs';
import { SHOTS, ensureApiKey, screenshotOnFailure, startUiSession } from './lib/session.mjs';
import { WAIT_MS, chatFrame, narrowSideBar, placeholderFits, reloadChatUntilPlaceholderFits, runCommand, until } from './lib/workbench.mjs';

/** The zh-cn titles and strings the tests look for (package.nls.zh-cn.json, bundle.l10n.zh-cn.json). */
const ZH = {
  setApiKey: 'Hunyuan: 设置 API 密钥',
  keySaved: '混元 API 密钥已保存。',
  openChat: 'Hunyuan: 打开对话',
  newChat: '新建聊天',
  placeholder: '向混元提问…（Enter 发送，Shift+Enter 换行）',
  deepThinking: '深度思考',
  emptyTitle: '向混元询问代码问题',
  rateLimited: /^网关正在限流。请(?:稍等片刻|等待 \d+ 秒)后重试。 网关返回：“Rate limit exceeded”$/,
  retry: '重试',
  you: '你',
  thoughtFor: /^已思考 \d+ 秒$/,
  allProblems: '所有问题',
};

describe('UI: the extension in Simplified Chinese (code-server --locale zh-cn)', function () {
  this.timeout(300000);
  let session;
  let gateway;
  let page;
  const keyOptions = { title: ZH.setApiKey, saved: ZH.keySaved };

  before(async function () {
    this.timeout(600000);
    session = await startUiSession({
      gateway: { scenario: 'reasoning' }, prefix: 'ui-zh-', extraArgs: ['--locale', 'zh-cn'], extensions: (dir) => [buildLanguagePack(dir)],
      beforeStart: (run) => registerLanguagePack(run),
    });
    ({ gateway, page } = session);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async () => {
    await session?.close();
  });

  it('lists the commands with Chinese titles in the command palette', async () => {
    const input = page.locator('.quick-input-widget input');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    // the extension's commands appear once the workbench has scanned it
    const titles = await until(async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10000 });
      await input.fill('>Hunyuan: ');
      await rows.first().waitFor({ state: 'visible', timeout: 5000 });
      const all = await rows.allTextContents();
      return all.some((t) => t.startsWith(ZH.openChat)) ? all : undefined;
    }, 'the Chinese command titles');
    // each row: the title in the display language, then (VS Code adds it) the English original
    for (const [zh, en] of [[ZH.setApiKey, 'Set API Key'], [ZH.openChat, 'Open Chat'], ['Hunyuan: 新建对话', 'New Chat'], ['Hunyuan: 检查连接', 'Check Connection']]) {
      assert.ok(titles.some((t) => t.startsWith(zh) && t.endsWith(`Hunyuan: ${en}`)), `${zh} in:\n${titles.join('\n')}`);
    }
    assert.ok(titles.every((t) => /^Hunyuan: [^A-Za-z]/.test(t)), `every title in Chinese:\n${titles.join('\n')}`);
    await page.keyboard.press('Escape');
  });

  /** The chat opened by its Chinese command, on a new conversation. */
  async function newChatInChinese() {
    await ensureApiKey(session, keyOptions);
    await runCommand(page, ZH.openChat);
    const f = await chatFrame(page);
    await f.locator('[data-testid="new-chat"]').click();
    await f.locator('[data-testid="empty-state"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    return f;
  }

  it('shows the chat, an answer and a rate-limit error in Chinese (screenshot chat-zh-cn.png)', async () => {
    await ensureApiKey(session, keyOptions);
    await runCommand(page, ZH.openChat);
    const f = await chatFrame(page);
    await until(async () => (await f.locator('[data-testid="api-key-banner"]').count()) === 0, 'no API key banner');
    await f.locator('[data-testid="new-chat"]').click();
    await f.locator('[data-testid="empty-state"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.ok((await f.locator('[data-testid="empty-state"]').textContent()).includes(ZH.emptyTitle));
    const box = f.locator('[data-testid="chat-input"]');
    assert.equal(await box.getAttribute('placeholder'), ZH.placeholder);
    assert.equal((await f.locator('[data-testid="thinking-toggle"]').textContent()).trim(), ZH.deepThinking);
    assert.equal(await f.locator('[data-testid="new-chat"]').getAttribute('aria-label'), ZH.newChat);

    // a 429 with Retry-After: 1 (the client retries twice, then gives up): the message and its button in Chinese
    gateway.setScenario('status-429');
    const turns = f.locator('[data-testid="assistant-turn"]');
    await box.fill('用 map 重写这个函数');
    await box.press('Enter');
    await until(async () => (await turns.count()) === 1, 'the answer turn');
    const turn = turns.first();
    const message = turn.locator('[data-testid="error-message"]');
    await message.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await message.textContent()).trim(), ZH.rateLimited);
    const retry = turn.locator('[data-testid="error-action-retry"]');
    assert.equal((await retry.textContent()).trim(), ZH.retry);

    // Retry, now answered: the thinking's label in Chinese too
    gateway.setScenario('reasoning');
    await retry.click();
    const again = turns.last();
    await until(async () => (await again.getAttribute('data-status')) === 'done', 'the answer after Retry', 120000);
    assert.match((await again.locator('[data-testid="thinking-summary"]').textContent()).trim(), ZH.thoughtFor);
    assert.ok((await f.locator('[data-testid="user-turn"]').first().textContent()).includes(ZH.you));
    // one more 429 for the picture: the error in place, below a finished answer
    gateway.setScenario('status-429');
    const n = await turns.count();
    await box.fill('再来一次');
    await box.press('Enter');
    await until(async () => (await turns.count()) > n, 'another answer turn');
    await turns.last().locator('[data-testid="error-message"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    await page.screenshot({ path: path.join(SHOTS, 'chat-zh-cn.png') });
  });

  it('offers @-mentions by their Chinese names, and the chip and budget read in Chinese (screenshot chat-mentions-zh-cn.png)', async () => {
    const f = await newChatInChinese();
    const box = f.locator('[data-testid="chat-input"]');
    const items = f.locator('[data-testid="mention-item"]');
    await box.click();
    // typed after Chinese text with no space, as Chinese is written
    await box.pressSequentially('看看@问题', { delay: 40 });
    await until(async () => (await items.allTextContents()).some((t) => t.startsWith(ZH.allProblems)), `"${ZH.allProblems}" in the @-list`);
    const labels = await items.allTextContents();
    for (let k = 0; k < labels.findIndex((t) => t.startsWith(ZH.allProblems)); k++) await box.press('ArrowDown');
    await box.press('Enter');
    const chip = f.locator('[data-testid="pending-chip"]', { hasText: ZH.allProblems });
    await chip.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await box.inputValue(), '看看', 'the typed mention is taken out, the Chinese text stays');
    await until(async () => /¥/.test((await f.locator('[data-testid="budget"]').textContent()) ?? ''), 'the budget line');
    await page.screenshot({ path: path.join(SHOTS, 'chat-mentions-zh-cn.png') });
    await chip.locator('[data-testid="chip-remove"]').click();
    await box.fill('');
  });

  it('fits the whole Chinese placeholder in a narrow side bar, also when the chat first opens there', async () => {
    const f = await newChatInChinese();
    const restore = await narrowSideBar(page);
    try {
      const narrow = await until(() => placeholderFits(f), 'the placeholder to fit after the side bar narrowed');
      assert.equal(narrow.placeholder, ZH.placeholder);
      const { fit: first } = await reloadChatUntilPlaceholderFits(page, f);
      assert.equal(first.height, narrow.height);
      await page.screenshot({ path: path.join(SHOTS, 'chat-placeholder-narrow-zh-cn.png') });
    } finally {
      await restore();
    }
  });
});
