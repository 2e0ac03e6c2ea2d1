// What a person sees: the packaged extension installed in code-server, driven in Chromium, talking
// to the gateway test server on 127.0.0.1. One code-server for the file; each test sets up what it
// needs (the key, the chat open in a new conversation, its own gateway scenario, a finished answer
// to act on), so `UI_TEST_GREP` can run any one alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../host/lib/codeServer.mjs';
import { backdropUnder, textContrasts } from './lib/contrast.mjs';
import { KEY, SHOTS, ensureApiKey, screenshotOnFailure, setApiKey, startUiSession } from './lib/session.mjs';
import {
  WAIT_MS, chatFrame, clearNotifications, editorLines, hunyuanIcon, narrowSideBar, openFile, placeholderFits, reloadChatUntilPlaceholderFits, runCommand, selectLines, showChat, texts, toast, until,
  waitForWorkbench,
} from './lib/workbench.mjs';

const require = createRequire(import.meta.url);
const { DEFAULT_ANSWER, DEFAULT_THINKING, lastUserText } = require(path.join(REPO_ROOT, 'out/test/gateway/content.js'));

/** A thinking long enough that the stream is still going, however slow the machine, when Stop is pressed. */
const LONG_THINKING = 'Let me think about this step by step. '.repeat(60);
/**
 * A slow stream with a few seconds of thinking before the answer: the extension batches what
 * arrives, and a host stalled by a busy machine must not get thinking and answer in one batch.
 */
const THINK_THEN_ANSWER = { delayMs: 40, chunkSize: 20, thinking: DEFAULT_THINKING.repeat(4) };

describe('UI: the chat in code-server and Chromium', function () {
  this.timeout(300000);
  let session;
  let gateway;
  let page;
  let workspace;

  const frame = () => chatFrame(page);
  const lastAssistant = async () => (await frame()).locator('[data-testid="assistant-turn"]').last();

  /**
   * Waits until the chat's input has the keyboard focus. New Chat focuses it through a message to
   * the webview: when that arrives late it takes the focus from whatever has it then (a Quick Open,
   * which closes), so tests wait for it before going on.
   */
  const inputFocused = (f) => until(() => f.evaluate(() => document.hasFocus() && document.activeElement?.getAttribute('data-testid') === 'chat-input'), 'the chat input to take the focus');

  /** The key set, the chat shown (no key banner); returns its frame. */
  async function ready() {
    await ensureApiKey(session);
    const f = await showChat(page);
    await until(async () => (await f.locator('[data-testid="api-key-banner"]').count()) === 0, 'no API key banner');
    return f;
  }

  /** A new, empty conversation with no pending context and no answer running; returns the chat frame. */
  async function newChat() {
    const f = await ready();
    // an answer left running (a test that failed half-way) would refuse the next message
    const button = f.locator('[data-testid="send-button"]');
    if ((await button.getAttribute('data-mode')) === 'stop') {
      await button.click();
      await until(async () => (await button.getAttribute('data-mode')) === 'send', 'the running answer to stop');
    }
    await f.locator('[data-testid="new-chat"]').click();
    await f.locator('[data-testid="empty-state"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    // the click moved the focus to the button; New Chat gives it back to the input
    await inputFocused(f);
    await removePendingChips(f);
    return f;
  }

  async function removePendingChips(f) {
    const remove = f.locator('[data-testid="pending-chip"] [data-testid="chip-remove"]');
    await until(async () => {
      if ((await remove.count()) === 0) return true;
      await remove.first().click();
      return false;
    }, 'no pending context chips');
  }

  /** Sends a message and returns the locator of the answer turn it creates. */
  async function send(text) {
    const f = await frame();
    const turns = f.locator('[data-testid="assistant-turn"]');
    const before = await turns.count();
    const box = f.locator('[data-testid="chat-input"]');
    await box.click();
    await box.fill(text);
    await box.press('Enter');
    await until(async () => (await turns.count()) > before, `an answer turn for "${text}"`);
    return turns.nth(before);
  }

  async function waitForDone(turn, ms = 120000) {
    await until(async () => ['done', 'stopped', 'error'].includes(await turn.getAttribute('data-status')) && (await turn.getAttribute('aria-busy')) !== 'true', 'the answer to end', ms);
  }

  /** A finished answer with the default text (a ```ts block) in a new conversation; returns its turn. */
  async function finishedAnswer(question = 'Write an add function') {
    await newChat();
    gateway.setScenario('reasoning');
    const turn = await send(question);
    await waitForDone(turn);
    assert.equal(await turn.getAttribute('data-status'), 'done');
    return turn;
  }

  /** Makes the Deep Thinking toggle show `on` (slow thinking). */
  async function setDeepThinking(on) {
    const toggle = (await frame()).locator('[data-testid="thinking-toggle"]');
    if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
    await until(async () => (await toggle.getAttribute('aria-pressed')) === String(on), `Deep Thinking ${on ? 'on' : 'off'}`);
    // the toggle writes hunyuan.thinking to the user settings; the next message reads it there
    await until(() => (readSettings()['hunyuan.thinking'] ?? 'slow') === (on ? 'slow' : 'fast'), `hunyuan.thinking = ${on ? 'slow' : 'fast'} in settings.json`);
  }

  const readSettings = () => {
    try {
      return JSON.parse(fs.readFileSync(session.settingsFile, 'utf8'));
    } catch {
      return {};
    }
  };

  /**
   * Records, inside the webview, every state the next answer turn goes through (a mutation
   * observer, so nothing is missed however fast the stream is): whether it streams, the lengths of
   * its thinking and answer, and whether the thinking is open. `samples()` returns them.
   */
  async function watchNextTurn() {
    const f = await frame();
    await f.evaluate(() => {
      const known = new Set([...document.querySelectorAll('[data-testid="assistant-turn"]')].map((t) => t.dataset.turnId));
      window.__turnSamples = [];
      window.__turnObserver?.disconnect();
      window.__turnObserver = new window.MutationObserver(() => {
        const turn = [...document.querySelectorAll('[data-testid="assistant-turn"]')].find((t) => !known.has(t.dataset.turnId));
        if (!turn) return;
        window.__turnSamples.push({
          status: turn.dataset.status,
          thinking: (turn.querySelector('[data-testid="thinking-body"]')?.textContent ?? '').length,
          answer: (turn.querySelector('[data-testid="answer"]')?.textContent ?? '').trim().length,
          open: turn.querySelector('[data-testid="thinking"]')?.open,
        });
      });
      window.__turnObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    return {
      samples: () => f.evaluate(() => window.__turnSamples),
      stop: () => f.evaluate(() => window.__turnObserver?.disconnect()).catch(() => {}),
    };
  }

  before(async function () {
    this.timeout(600000);
    session = await startUiSession({ gateway: { scenario: 'reasoning' } });
    ({ gateway, page, workspace } = session);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async () => {
    await session?.close();
  });

  it('sets the API key through the command palette (a password box)', async () => {
    // start from no key: the chat says so
    await runCommand(page, 'Hunyuan: Clear API Key');
    await toast(page, 'Hunyuan API key removed').first().waitFor({ state: 'visible', timeout: WAIT_MS });
    await clearNotifications(page);
    session.keySet = false;
    let f = await showChat(page);
    await f.locator('[data-testid="api-key-banner"]').waitFor({ state: 'visible', timeout: WAIT_MS });

    await setApiKey(page);
    session.keySet = true;
    f = await frame();
    await until(async () => (await f.locator('[data-testid="api-key-banner"]').count()) === 0, 'the banner to go once the key is set');
    gateway.setScenario('plain');
    const turn = await send('ECHO key check');
    await waitForDone(turn);
    assert.equal(await turn.getAttribute('data-status'), 'done');
    assert.equal(gateway.lastRequest().headers.authorization, `Bearer ${KEY}`, 'the key typed in the box reached the gateway');
  });

  it('opens the chat from the activity bar', async () => {
    await ensureApiKey(session);
    const icon = hunyuanIcon(page);
    await until(async () => (await icon.count()) > 0, 'the Hunyuan activity bar icon');
    const sideBarWidth = () => page.evaluate(() => document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0);
    const checked = (item) => item.evaluate((li) => li.classList.contains('checked'));
    const sideBarTitle = async () => (await page.locator('.part.sidebar .composite.title').first().textContent()) ?? '';
    // start from another view (the Explorer) in the side bar, so that the click below is what opens the chat
    const explorer = page.locator('.activitybar .action-item:has([aria-label^="Explorer"])').first();
    if (!(await checked(explorer))) await explorer.click();
    await until(async () => (await checked(explorer)) && !(await checked(icon)) && (await sideBarWidth()) > 0 && /Explorer/i.test(await sideBarTitle()), 'the Explorer in the side bar');
    await icon.click();
    await until(async () => (await checked(icon)) && (await sideBarWidth()) > 0 && /Hunyuan/.test(await sideBarTitle()), 'the Hunyuan view in the side bar');
    const f = await frame();
    await f.locator('[data-testid="chat-input"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await f.locator('[data-testid="api-key-banner"]').count(), 0, 'the key is set: no banner');
    // Open Chat from the editor, the chat's view closed before (its webview gone: the Explorer took
    // the side bar), puts the keyboard in the new view's input: typing goes there at once
    await explorer.click();
    await until(async () => (await checked(explorer)) && /Explorer/i.test(await sideBarTitle()), 'the Explorer in the side bar again');
    await until(async () => (await page.locator('iframe.webview.ready').count()) === 0, 'the chat webview to go');
    await openFile(page, 'sample.ts');
    await runCommand(page, 'Hunyuan: Open Chat');
    await inputFocused(await frame());
  });

  it('streams the thinking first, then the answer, with usage and cost', async () => {
    await newChat();
    await setDeepThinking(true);
    gateway.setScenario('slow', THINK_THEN_ANSWER);
    const watch = await watchNextTurn();
    const last = await send('Write an add function');
    await waitForDone(last);
    const samples = await watch.samples();
    await watch.stop();
    assert.equal(await last.getAttribute('data-status'), 'done');
    // while it streamed: thinking text came before any answer text, and folded when the answer started
    const streaming = samples.filter((s) => s.status === 'streaming');
    assert.ok(streaming.some((s) => s.thinking > 0 && s.answer === 0), 'thinking text shown before any answer text');
    const answering = streaming.filter((s) => s.answer > 0);
    assert.ok(answering.length > 0, 'the answer streamed in');
    assert.ok(answering.every((s) => s.open === false), 'the thinking folds once the answer starts');
    assert.equal(await last.locator('[data-testid="thinking"]').evaluate((d) => d.open), false, 'thinking folded at the end');
    assert.equal((await last.locator('[data-testid="thinking-body"]').textContent()).trim().length > 0, true);
    assert.match(await last.locator('[data-testid="thinking-summary"]').textContent(), /Thought for \d+ s/);
    assert.ok((await last.locator('[data-testid="answer"]').textContent()).includes('Here is a small helper'));
    const code = await last.locator('[data-testid="code-block"] code').first().textContent();
    assert.ok(code.includes('export function add(a: number, b: number): number {'), code);
    // code is coloured in idle time, right after the answer is rendered
    await until(async () => (await last.locator('[data-testid="code-block"] .hljs-keyword').count()) > 0, 'the code to be highlighted');
    assert.match(await last.locator('[data-testid="usage"]').textContent(), /\d+ \+ \d+ tokens/);
    assert.match(await last.locator('[data-testid="cost"]').textContent(), /¥0\.\d{4}/);
    assert.equal(gateway.lastRequest().headers.authorization, `Bearer ${KEY}`);
    await page.screenshot({ path: path.join(SHOTS, 'chat-dark.png') });
  });

  it('copies a code block to the clipboard and inserts one at the cursor', async () => {
    const last = await finishedAnswer();
    await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
    await last.locator('[data-testid="code-block"]').first().hover();
    await last.locator('[data-testid="code-copy"]').first().click();
    const clip = await until(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      return t.includes('return a + b;') ? t : undefined;
    }, 'the code on the clipboard');
    assert.ok(clip.startsWith('export function add'));

    // open sample.ts, cursor at the end, then Insert from the chat: the editor keeps its cursor
    const file = path.join(workspace, 'sample.ts');
    const count = () => (fs.readFileSync(file, 'utf8').match(/export function add/g) ?? []).length;
    const before = count();
    const editor = await openFile(page, path.join(workspace, 'sample.ts'));
    const inEditor = async () => (await editorLines(page)).filter((l) => l.startsWith('export function add')).length;
    assert.equal(await inEditor(), before);
    await last.locator('[data-testid="code-block"]').first().hover();
    await last.locator('[data-testid="code-insert"]').first().click();
    await until(async () => (await inEditor()) === before + 1, 'the code inserted in the editor');
    await editor.click();
    await page.keyboard.press('Control+S');
    await until(() => count() === before + 1, 'the inserted code saved in sample.ts');
  });

  const thinkingText = async (turn) => ((await turn.locator('[data-testid="thinking-body"]').textContent()) ?? '').trim();

  /** An answer that is still streaming (a long, slow thinking) once it has shown some text. */
  async function streamingAnswer() {
    await newChat();
    await setDeepThinking(true);
    gateway.setScenario('slow', { delayMs: 250, chunkSize: 4, thinking: LONG_THINKING });
    const turn = await send('A long answer please');
    await until(async () => (await turn.getAttribute('data-status')) === 'streaming' && (await thinkingText(turn)).length > 20, 'some thinking, still streaming');
    const button = (await frame()).locator('[data-testid="send-button"]');
    await until(async () => (await button.getAttribute('data-mode')) === 'stop', 'the Stop button');
    return { turn, button };
  }

  /** What was shown before stopping stays (and the rest of the stream never came). */
  async function assertStopped(turn, button, shown) {
    await turn.locator('[data-testid="stopped-badge"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await turn.getAttribute('data-status'), 'stopped');
    const kept = await thinkingText(turn);
    assert.ok(kept.startsWith(shown), `the partial text stays: shown ${JSON.stringify(shown)}, kept ${JSON.stringify(kept)}`);
    assert.ok(kept.length < LONG_THINKING.trim().length, 'the stream was cut short');
    await until(async () => (await button.getAttribute('data-mode')) === 'send', 'the Send button back');
  }

  it('stops mid-stream and keeps the partial answer, marked as stopped', async () => {
    const { turn, button } = await streamingAnswer();
    const shown = await thinkingText(turn);
    await button.click();
    await assertStopped(turn, button, shown);
  });

  it('Escape in the input stops the answer too', async () => {
    const { turn, button } = await streamingAnswer();
    const shown = await thinkingText(turn);
    await (await frame()).locator('[data-testid="chat-input"]').press('Escape');
    await assertStopped(turn, button, shown);
  });

  it('shows an error with its message, and Retry answers', async () => {
    await newChat();
    gateway.setScenario('status-502');
    const turn = await send('This will fail first');
    const message = turn.locator('[data-testid="error-message"]');
    await message.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await message.textContent(), /502 Bad Gateway/);
    gateway.setScenario('reasoning');
    await turn.locator('[data-testid="error-action-retry"]').click();
    const again = await lastAssistant();
    await until(async () => ((await again.locator('[data-testid="answer"]').textContent()) ?? '').includes('Here is a small helper'), 'the retried answer');
    await waitForDone(again);
    assert.equal(await again.locator('[data-testid="error"]').count(), 0);
  });

  it('renders hostile model output inert: no script, no handlers, no remote images, no javascript: links', async () => {
    await newChat();
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
      safeLink: !!el.querySelector('a[href="https://example.com/"]'),
      imageAsLink: !!el.querySelector('a[href="https://example.com/t.png"]'),
    }));
    assert.deepEqual(found, { scripts: 0, handlers: 0, remoteImages: 0, jsLinks: 0, safeLink: true, imageAsLink: true });
    assert.equal(await f.evaluate(() => window.__pwned), undefined);
  });

  it('only absolute http(s) links are links; a click opens the real URL once, through VS Code', async () => {
    await newChat();
    gateway.setScenario('reasoning', {
      answer: [
        'See [the docs](https://evil.example/?d=secret "https://docs.python.org/3/") and ![diagram](https://example.com/diagram.png).',
        '',
        'Not links: <img src=x> <img src="img/y.png" alt="local picture"> <a href="x">relative</a> [mail](mailto:a@b.c) [top](#top)',
        '[script](javascript:alert(1)) <a href="//evil.example/">scheme-less</a> [cmd](command:workbench.action.terminal.new)',
      ].join('\n'),
    });
    const turn = await send('Links please');
    await waitForDone(turn);
    const answer = turn.locator('[data-testid="answer"]');
    const links = await answer.evaluate((el) => [...el.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href'), title: a.getAttribute('title') })));
    // the tooltip is the URL the link opens, not the model's title
    assert.deepEqual(links, [
      { text: 'the docs', href: 'https://evil.example/?d=secret', title: 'https://evil.example/?d=secret' },
      { text: '🖼 diagram', href: 'https://example.com/diagram.png', title: 'https://example.com/diagram.png' },
    ]);
    const text = await answer.textContent();
    for (const t of ['local picture', 'relative', 'mail', 'top', 'script', 'scheme-less', 'cmd']) assert.ok(text.includes(t), `"${t}" is shown as text: ${text}`);

    const pages = session.browser.context.pages().length;
    const dialog = page.locator('.monaco-dialog-box');
    /** Waits for VS Code's "open the external website?" dialog, checks it names `url`, and cancels it. */
    const confirmation = async (url) => {
      await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
      const said = await dialog.textContent();
      assert.match(said, /open the external website\?/);
      assert.ok(said.includes(url), `the dialog names ${url}: ${said}`);
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
    };
    await answer.locator('a', { hasText: 'the docs' }).click();
    await confirmation('https://evil.example/?d=secret');
    // text that is not a link does nothing; the next dialog is the image link's, so the click on
    // the docs asked once (a second request would have shown its dialog again first)
    await answer.getByText('relative').click();
    await answer.locator('a', { hasText: 'diagram' }).click();
    await confirmation('https://example.com/diagram.png');
    assert.equal(session.browser.context.pages().length, pages, 'nothing opened in the browser');
  });

  it('renders a hostile answer with no CSP violation: no inline style reaches a parser', async () => {
    const f = await newChat();
    const cspInConsole = [];
    const onConsole = (m) => {
      if (/Content Security Policy/i.test(m.text())) cspInConsole.push(m.text());
    };
    page.on('console', onConsole);
    try {
      await f.evaluate(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      gateway.setScenario('reasoning', {
        thinking: '',
        // streamed in small pieces: every growing tail is rendered too
        chunkSize: 9,
        answer: [
          'Styles everywhere:',
          '',
          '<div style="color:red">div</div> <span/style="color:red">span</span> <p',
          'style=color:red>para</p>',
          '',
          '<style>body { display: none }</style>',
          '',
          '<svg><style>circle { fill: red }</style><circle style="fill:red" r="5"/></svg>',
          '',
          '<table style="width:1px"><tr><td style="color:red">cell</td></tr></table>',
          '',
          '<details style="x"><summary style="y">more</summary>inside</details>',
          '',
          '<img src="https://example.com/a.png" style="width:1px" alt="remote"> <img src=x onerror="window.__pwned=1"> <a href="https://example.com/" style="color:red">styled link</a>',
          '',
          '<math><mi style="color:red">x</mi></math> <noscript><p style="x">n</p></noscript> <textarea><p style="x"></textarea>',
          '',
          '```html',
          '<p style="color:red">code is text</p>',
          '```',
          '',
          'The end.',
        ].join('\n'),
      });
      const turn = await send('Show me something');
      await waitForDone(turn);
      const answer = turn.locator('[data-testid="answer"]');
      await until(async () => (await answer.textContent()).includes('The end.'), 'the whole answer rendered');
      const text = await answer.textContent();
      for (const t of ['div', 'span', 'para', 'cell', 'more', 'styled link', '<p style="color:red">code is text</p>']) assert.ok(text.includes(t), `"${t}" rendered: ${text}`);
      assert.equal(await answer.evaluate((el) => el.querySelectorAll('[style], style').length), 0);
      // Violations are reported asynchronously, in order: one made on purpose now (a remote image,
      // which the CSP blocks) comes after any the rendering caused, so once it is in, all are.
      await f.evaluate(() => {
        new window.Image().src = 'https://sentinel.invalid/csp.png';
      });
      const seen = await until(() => f.evaluate(() => (window.__csp.some((v) => v.includes('sentinel.invalid')) ? window.__csp : undefined)), 'the sentinel violation');
      await until(() => cspInConsole.some((t) => t.includes('sentinel.invalid')), 'the sentinel violation in the console');
      assert.deepEqual(seen, ['img-src https://sentinel.invalid/csp.png'], 'no violation but the sentinel');
      assert.deepEqual(cspInConsole.filter((t) => !t.includes('sentinel.invalid')), [], 'no CSP error in the console but the sentinel');
      assert.equal(await f.evaluate(() => window.__pwned), undefined);
    } finally {
      page.off('console', onConsole);
    }
  });

  it('fits the input\'s whole placeholder in a narrow side bar, also when the chat first opens there', async () => {
    const f = await newChat();
    const restore = await narrowSideBar(page);
    try {
      const narrow = await until(() => placeholderFits(f), 'the placeholder to fit after the side bar narrowed');
      assert.ok(narrow.width < 260, `a narrow input (${narrow.width} px)`);
      // the chat loads again at this width (as when it is first opened there)
      const { fit: first } = await reloadChatUntilPlaceholderFits(page, f);
      assert.equal(first.height, narrow.height);
      await page.screenshot({ path: path.join(SHOTS, 'chat-placeholder-narrow.png') });
    } finally {
      await restore();
    }
  });

  it('renders fences named constructor, __proto__ and toString as code, and the chat goes on', async () => {
    await newChat();
    // a fence label that is an Object.prototype member once made highlighting throw, and the
    // saved answer broke the view every time the conversation opened
    gateway.setScenario('reasoning', {
      answer: 'Three blocks:\n\n```constructor\nlet a = 1;\n```\n\n```__proto__\nlet b = 2;\n```\n\n```toString\nlet c = 3;\n```\n',
    });
    const turn = await send('Show me three blocks');
    await waitForDone(turn);
    const codes = await turn.locator('[data-testid="code-block"] code').allTextContents();
    assert.deepEqual(codes.map((c) => c.trim()), ['let a = 1;', 'let b = 2;', 'let c = 3;']);
    gateway.setScenario('reasoning');
    const next = await send('ECHO still there?');
    await waitForDone(next);
    assert.match(await next.locator('[data-testid="answer"]').textContent(), /Echo:/);
  });

  it('opens a conversation whose answer breaks the Markdown parser, also saved and reloaded: the rest renders, the draft stays', async () => {
    await newChat();
    // 2 KB of nested quotes overflow marked's stack in the webview (6 KB to be sure); the saved
    // answer once made the view fail to start every time the conversation opened
    const hostile = [
      'Before the quotes.', `${'>'.repeat(2048)} two kilobytes`, `${'>'.repeat(6000)} six kilobytes`, 'After the quotes, **still Markdown**.',
      '```constructor\nlet a = 1;\n```', '- a list\n  - nested', `${'*a '.repeat(300)}b${' a*'.repeat(300)}`, 'The last paragraph.',
    ].join('\n\n');
    gateway.setScenario('reasoning', { answer: hostile, chunkSize: 4096 });
    const turn = await send('Break the renderer');
    await waitForDone(turn);
    const check = async (t) => {
      const answer = t.locator('[data-testid="answer"]');
      assert.equal(await answer.locator('strong', { hasText: 'still Markdown' }).count(), 1);
      assert.match(await answer.textContent(), /The last paragraph\./);
      assert.ok((await answer.locator('[data-testid="raw-block"]').count()) >= 1, 'the block the parser could not take, as text');
      assert.equal((await answer.locator('[data-testid="code-block"] code').allTextContents()).map((c) => c.trim()).join('|'), 'let a = 1;');
    };
    await check(turn);
    // a draft, then the view starts again (the draft is the extension's), then the whole window
    // reloads (the conversation comes back from storage): the answer renders each time
    const f = await frame();
    const draft = 'a draft that must survive the view starting again';
    await f.locator('[data-testid="chat-input"]').fill(draft);
    await f.locator('[data-testid="chat-input"]').blur();
    await f.evaluate(() => { window.__beforeReload = true; });
    await runCommand(page, 'Developer: Reload Webviews');
    const again = await until(async () => {
      const next = await chatFrame(page);
      return (await next.evaluate(() => !window.__beforeReload && !!document.querySelector('[data-testid="assistant-turn"]'))) ? next : undefined;
    }, 'the chat loaded again');
    await check(again.locator('[data-testid="assistant-turn"]').first());
    await until(async () => (await again.locator('[data-testid="chat-input"]').inputValue()) === draft, 'the draft after the view started again');
    await page.evaluate(() => { window.__beforeReload = true; });
    await runCommand(page, 'Developer: Reload Window');
    await until(async () => page.evaluate(() => !window.__beforeReload).catch(() => false), 'the page to reload', 120000);
    await waitForWorkbench(page);
    const g = await showChat(page);
    await until(async () => (await g.locator('[data-testid="assistant-turn"]').count()) === 1, 'the conversation after reload', 120000);
    await check(g.locator('[data-testid="assistant-turn"]').first());
    // and the chat goes on
    gateway.setScenario('reasoning');
    await g.locator('[data-testid="chat-input"]').fill('ECHO still there?');
    await g.locator('[data-testid="chat-input"]').press('Enter');
    const next = g.locator('[data-testid="assistant-turn"]').nth(1);
    await next.waitFor({ timeout: WAIT_MS });
    await waitForDone(next);
    assert.match(await next.locator('[data-testid="answer"]').textContent(), /Echo:/);
  });

  it('takes typing without delay while a long answer streams (prints the input delay)', async () => {
    await newChat();
    const { makeAnswer } = await import(path.join(REPO_ROOT, 'test/bench/chat/answer.mjs'));
    gateway.setScenario('reasoning', { answer: makeAnswer(48 * 1024), thinking: 'Planning.', chunkSize: 12, delayMs: 8 });
    const turn = await send('A long answer, please');
    const answer = turn.locator('[data-testid="answer"]');
    await until(async () => ((await answer.textContent()) ?? '').length > 4000, 'a few KB of the answer', 120000);
    const f = await frame();
    // keydown to handler (the input delay) and to the next frame, for each key, inside the webview
    await f.evaluate(() => {
      window.__typing = [];
      document.querySelector('[data-testid="chat-input"]').addEventListener('keydown', (e) => {
        const delay = window.performance.now() - e.timeStamp;
        window.requestAnimationFrame(() => window.__typing.push({ delay, frame: window.performance.now() - e.timeStamp }));
      }, { capture: true });
    });
    const box = f.locator('[data-testid="chat-input"]');
    await box.click();
    const typed = 'typing while the answer streams, 打字不卡';
    await box.pressSequentially(typed, { delay: 40 });
    assert.equal(await turn.getAttribute('data-status'), 'streaming', 'the answer was still streaming while the keys were typed');
    assert.equal(await box.inputValue(), typed);
    const samples = await f.evaluate(() => window.__typing);
    // the Chinese characters arrive as text input, without key events
    assert.ok(samples.length >= [...typed].filter((c) => c.charCodeAt(0) < 128).length, `delays measured for ${samples.length} keys`);
    const stat = (key) => {
      const v = samples.map((s) => s[key]).sort((a, b) => a - b);
      return `median ${v[Math.floor(v.length / 2)].toFixed(1)} ms, max ${v[v.length - 1].toFixed(1)} ms`;
    };
    console.log(`      typing while streaming (${samples.length} keys): key to handler ${stat('delay')}; key to next frame ${stat('frame')}`);
    await box.fill('');
    await f.locator('[data-testid="send-button"]').click();
    await waitForDone(turn);
  });

  it('finds the conversation again after reloading the window', async () => {
    await newChat();
    gateway.setScenario('reasoning');
    await waitForDone(await send('First question before the reload'));
    await waitForDone(await send('Second question before the reload'));
    const before = await texts(await frame(), '[data-testid="user-text"]');
    assert.deepEqual(before, ['First question before the reload', 'Second question before the reload']);
    // a mark on the page that the reload wipes: the workbench below is the new one
    await page.evaluate(() => { window.__beforeReload = true; });
    await runCommand(page, 'Developer: Reload Window');
    await until(async () => page.evaluate(() => !window.__beforeReload).catch(() => false), 'the page to reload', 120000);
    await waitForWorkbench(page);
    const f = await showChat(page);
    await until(async () => (await texts(f, '[data-testid="user-text"]')).length === before.length, 'the conversation after reload', 120000);
    assert.deepEqual(await texts(f, '[data-testid="user-text"]'), before);
    const answers = await texts(f, '[data-testid="answer"]');
    assert.equal(answers.filter((t) => t.includes(DEFAULT_ANSWER.split('\n')[0])).length, 2, answers.join(' | '));
    await page.screenshot({ path: path.join(SHOTS, 'chat-dark-reloaded.png') });
  });

  it('the Deep Thinking toggle sends /no_think while off, and not once it is on again', async () => {
    await newChat();
    gateway.setScenario('reasoning');
    await setDeepThinking(false);
    try {
      let turn = await send('Quick question, no thinking');
      await waitForDone(turn);
      let text = lastUserText(gateway.lastRequest().body.messages);
      assert.ok(text.startsWith('/no_think'), `the user message starts with /no_think: ${JSON.stringify(text.slice(0, 60))}`);
      assert.equal(await turn.locator('[data-testid="thinking"]').count(), 0, 'no thinking shown in fast mode');

      await setDeepThinking(true);
      turn = await send('Now think about it');
      await waitForDone(turn);
      text = lastUserText(gateway.lastRequest().body.messages);
      assert.ok(!text.includes('/no_think'), `no /no_think once Deep Thinking is on again: ${JSON.stringify(text.slice(0, 60))}`);
      assert.ok(text.startsWith('Now think about it'), text.slice(0, 60));
      assert.equal(await turn.locator('[data-testid="thinking"]').count(), 1, 'thinking shown in slow mode');
    } finally {
      await setDeepThinking(true);
    }
  });

  it('keeps the thinking open after the answer starts with hunyuan.chat.collapseThinking: false', async () => {
    await newChat();
    // The setting reaches the webview with the next snapshot. To know that it has, change
    // hunyuan.thinking in the same save (the toggle shows it), then put it back.
    await session.updateSettings({ 'hunyuan.chat.collapseThinking': false, 'hunyuan.thinking': 'fast' });
    try {
      const toggle = (await frame()).locator('[data-testid="thinking-toggle"]');
      await until(async () => (await toggle.getAttribute('aria-pressed')) === 'false', 'the webview to get the new settings');
      await session.updateSettings({ 'hunyuan.thinking': 'slow' });
      await until(async () => (await toggle.getAttribute('aria-pressed')) === 'true', 'the webview to get hunyuan.thinking back');

      gateway.setScenario('slow', THINK_THEN_ANSWER);
      const watch = await watchNextTurn();
      const turn = await send('Show me your thinking');
      await waitForDone(turn);
      const samples = await watch.samples();
      await watch.stop();
      const answering = samples.filter((s) => s.status === 'streaming' && s.answer > 0);
      assert.ok(answering.length > 0, 'the answer streamed in');
      assert.ok(answering.every((s) => s.open === true), 'the thinking stays open while the answer streams');
      assert.equal(await turn.locator('[data-testid="thinking"]').evaluate((d) => d.open), true, 'and after it ended');
      assert.ok((await turn.locator('[data-testid="thinking-body"]').textContent()).includes(DEFAULT_THINKING.slice(0, 30)));
      assert.ok(await turn.locator('[data-testid="thinking-body"]').isVisible(), 'the thinking text is visible');
    } finally {
      await session.updateSettings({ 'hunyuan.chat.collapseThinking': undefined, 'hunyuan.thinking': undefined });
    }
  });

  it('Ctrl+Alt+H (Ask About Selection) puts the selection in the input bar as a chip', async () => {
    await newChat();
    await openFile(page, path.join(workspace, 'sample.ts'));
    await selectLines(page, 2, 4);
    await page.keyboard.press('Control+Alt+KeyH');
    const f = await frame();
    const chips = f.locator('[data-testid="pending-chip"]');
    await until(async () => (await chips.count()) === 1, 'one pending chip');
    const title = await chips.first().getAttribute('title');
    assert.match(title, /sample\.ts · typescript · lines 2–4/);
    await removePendingChips(f);
  });

  it('Ctrl+Alt+E (Explain Selection) asks about the selection in the chat', async () => {
    await newChat();
    gateway.setScenario('reasoning');
    const sent = gateway.requests.length;
    await openFile(page, path.join(workspace, 'sample.ts'));
    await selectLines(page, 2, 4);
    await page.keyboard.press('Control+Alt+KeyE');
    const f = await frame();
    const userTurn = f.locator('[data-testid="user-turn"]').last();
    await userTurn.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await userTurn.locator('[data-testid="turn-chip"]').first().getAttribute('title'), /sample\.ts · typescript · lines 2–4/);
    await waitForDone(await lastAssistant());
    const request = await until(() => gateway.requests.slice(sent).find((r) => /chat\/completions$/.test(r.path)), 'the explain request');
    const text = lastUserText(request.body.messages);
    assert.ok(text.includes('return a + b;'), 'the selected code is in the prompt');
    assert.ok(!text.includes('export const greeting'), 'only the selection');
  });

  const THEMES = [
    { name: 'Dark Modern', workbench: 'vs-dark', body: 'vscode-dark', shot: 'dark' },
    { name: 'Light Modern', workbench: 'vs', body: 'vscode-light', shot: 'light' },
    { name: 'Default High Contrast', workbench: 'hc-black', body: 'vscode-high-contrast', shot: 'hc-dark' },
    { name: 'Default High Contrast Light', workbench: 'hc-light', body: 'vscode-high-contrast-light', shot: 'hc-light' },
  ];

  it('keeps text readable in dark, light and both high contrast themes (WCAG contrast; screenshots)', async () => {
    await finishedAnswer();
    const original = readSettings()['workbench.colorTheme'];
    const report = [];
    try {
      for (const theme of THEMES) {
        await session.updateSettings({ 'workbench.colorTheme': theme.name });
        await until(async () => page.evaluate((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), theme.workbench), `the ${theme.name} theme in the workbench`);
        const f = await frame();
        // the webview has the theme once its class and colours are the workbench's
        const workbenchFg = await page.evaluate(() => getComputedStyle(document.querySelector('.monaco-workbench')).getPropertyValue('--vscode-foreground').trim());
        await until(async () => f.evaluate(([c, fg]) => document.body.classList.contains(c) &&
          getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim() === fg, [theme.body, workbenchFg]), `the ${theme.name} theme in the webview`);
        await page.screenshot({ path: path.join(SHOTS, `chat-theme-${theme.shot}.png`) });
        const backdrop = await backdropUnder(page);
        const check = async (what, selector, min) => {
          const found = await textContrasts(f, selector, backdrop);
          assert.ok(found.length > 0, `${what}: nothing matches ${selector}`);
          for (const c of found) {
            report.push(`${theme.shot} ${what} ${c.className || ''} ${c.ratio}`);
            assert.ok(c.ratio >= min, `${theme.name}: ${what} "${c.text}" has contrast ${c.ratio} < ${min} (text ${c.fg} on ${c.bg})`);
          }
        };
        // body text (WCAG AA, 4.5:1): the answer's prose and the user's message
        await check('answer text', '[data-testid="answer"] p', 4.5);
        await check('user text', '[data-testid="user-text"]', 4.5);
        // code-block text against the block's own background: 4.5:1 for the code, and at least 3:1
        // for each highlighted token (AA for large text and UI; the theme picks these colours)
        await check('code text', '[data-testid="code-block"] pre code', 4.5);
        await check('code token', '[data-testid="code-block"] pre code span[class*="hljs-"]', 3);
      }
    } finally {
      console.log(`      contrast: ${report.filter((r) => !r.includes('token')).join('; ')}`);
      console.log(`      token contrast: ${[...new Set(report.filter((r) => r.includes('token')))].join('; ')}`);
      await session.updateSettings({ 'workbench.colorTheme': original });
    }
  });
  it('@-mentions a file and a symbol, searches @workspace, and shows the chips, their tokens, the budget and "Used N snippets" (#12)', async () => {
    // a function the search must find by a question that shares no identifier with it
    fs.mkdirSync(path.join(workspace, 'src/auth'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'src/auth/session.ts'), [
      "import { createHmac } from 'node:crypto';",
      '',
      '/** Reads the user id out of a signed session token. */',
      'export function parseUserAuthToken(token: string, secret: string): string | undefined {',
      "  const [userId, signature] = token.split('.');",
      "  return signature === createHmac('sha256', secret).update(userId).digest('hex') ? userId : undefined;",
      '}',
      '',
    ].join('\n'));
    // the symbol list comes from the TypeScript server: it knows the project once a file is open
    await openFile(page, 'sample.ts');
    const f = await newChat();
    const box = f.locator('[data-testid="chat-input"]');
    const items = f.locator('[data-testid="mention-item"]');
    const chips = f.locator('[data-testid="pending-chip"]');

    /** Types `text` into the input and picks the list's entry that `match`es (Enter on it, by keyboard). */
    const mention = async (text, match, what) => {
      const before = await chips.count();
      await box.click();
      await box.pressSequentially(text, { delay: 30 });
      await until(async () => (await items.count()) > 0 && (await items.allTextContents()).some((t) => match.test(t)), `${what} in the @-list`);
      const labels = await items.allTextContents();
      const index = labels.findIndex((t) => match.test(t));
      for (let k = 0; k < index; k++) await box.press('ArrowDown');
      await until(async () => match.test((await f.locator('[data-testid="mention-item"][aria-selected="true"]').textContent()) ?? ''), `${what} selected`);
      await box.press('Enter');
      await until(async () => (await chips.count()) > before, `the chip for ${what}`);
      assert.ok(!(await box.inputValue()).includes(text), 'the typed mention is taken out of the input');
    };
    await mention('@samp', /sample\.ts/, 'the file sample.ts');
    // an entry's text is its label then its detail ("addfunction · sample.ts:2")
    await mention('#add', /^add/, 'the symbol add');
    await mention('@workspace', /@workspace/, '@workspace');
    const labels = await texts(f, '[data-testid="pending-chip"] [data-testid="chip-label"]');
    assert.equal(labels.length, 3, labels.join(' | '));
    const tokens = await texts(f, '[data-testid="pending-chip"] [data-testid="chip-tokens"]');
    assert.ok(tokens.length >= 2 && tokens.every((t) => /\d/.test(t)), `each chip shows its tokens: ${tokens.join(' | ')}`);

    const question = 'How do we decode the authentication tokens of our users?';
    await box.click();
    await box.fill(question);
    await until(async () => /¥/.test((await f.locator('[data-testid="budget"]').textContent()) ?? ''), 'the budget line with the cost in yuan');
    await f.locator('[data-testid="budget-toggle"]').click();
    await f.locator('[data-testid="budget-search"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.ok((await f.locator('[data-testid="budget-chip"]').count()) >= 2, 'the detail lists each chip');
    await page.screenshot({ path: path.join(SHOTS, 'chat-context-chips.png') });

    gateway.setScenario('reasoning', { answer: 'The token is checked in `src/auth/session.ts:4`, where `parseUserAuthToken` compares the signature.' });
    const turns = f.locator('[data-testid="assistant-turn"]');
    const before = await turns.count();
    await box.press('Enter');
    await until(async () => (await turns.count()) > before, 'the answer turn');
    const turn = turns.nth(before);
    await waitForDone(turn);
    assert.equal(await turn.getAttribute('data-status'), 'done');
    const user = f.locator('[data-testid="user-turn"]').last();
    const sent = await user.locator('[data-testid="chip-label"]').allTextContents();
    assert.ok(sent.length >= 3, `the sent turn shows its chips: ${sent.join(' | ')}`);
    const used = (await user.locator('[data-testid="snippets-summary"]').textContent()) ?? '';
    assert.match(used, /Used \d+ snippets? from \d+ files?/);
    const body = gateway.lastRequest()?.body;
    assert.match(body.messages.at(-1).content, /src\/auth\/session\.ts:\d+-\d+\n`{3,}\n[\s\S]*parseUserAuthToken/, 'the snippet went to the model');
    await page.screenshot({ path: path.join(SHOTS, 'chat-context-sent.png') });

    // the answer's path:line reference opens the file at that line
    await turn.locator('[data-testid="file-link"]').first().click();
    await until(async () => /session\.ts/.test((await page.locator('.tabs-container .tab.active').textContent()) ?? ''), 'session.ts to open');
  });
});
