// The chat view's Markdown renderer (src/webview/render), the real bundle in headless Chromium:
// rendering never throws and a block that breaks the parser costs only that block; a streamed
// answer ends as exactly the DOM of the same answer rendered at once, however it was cut and
// whenever it was rendered meanwhile. Random Markdown with fences named after Object.prototype's
// members, deep nesting of quotes, lists and emphasis, very long lines, tables, HTML and link
// reference definitions (fast-check in Node, rendering in the page).
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';

const ROOT = path.resolve(__dirname, '../../..');

interface Rendered {
  html: string;
  raw: number;
  text: string;
  shown?: number[];
}

interface Page {
  evaluate<R, A>(fn: (arg: A) => R, arg?: A): Promise<R>;
  on(event: 'pageerror' | 'console', cb: (e: { type?: () => string; text?: () => string; message?: string }) => void): void;
  setContent(html: string): Promise<void>;
  addScriptTag(options: { content: string }): Promise<unknown>;
}

let browser: { page: Page; close(): Promise<void> } | undefined;
let page: Page;
const pageErrors: string[] = [];

const whole = (text: string) => page.evaluate((t) => (window as { md: { whole(t: string): Rendered } }).md.whole(t), text);
const streamed = (text: string, cuts: number[], renders: boolean[], withText: boolean) =>
  page.evaluate(([t, c, r, w]) => (window as { md: { streamed(...a: unknown[]): Rendered } }).md.streamed(t, c, r, w), [text, cuts, renders, withText] as const);

declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the page's, typed at each use

describe('chat Markdown rendering in Chromium (property tests)', function () {
  this.timeout(120000);

  before(async function () {
    this.timeout(900000);
    const imp = (p: string) => import(pathToFileURL(path.join(ROOT, p)).href);
    const { missingSystemPieces, ensureInstalled } = await imp('test/host/lib/codeServer.mjs');
    // Chromium comes with the test host (test/host/setup.sh); install it on first use.
    if ((missingSystemPieces() as string[]).includes('chromium')) await ensureInstalled();
    const { launchBrowser } = await imp('test/host/lib/browser.mjs');
    const esbuild = await import('esbuild');
    const bundle = await esbuild.build({
      entryPoints: [path.join(ROOT, 'test/unit/render/page.mjs')], bundle: true, write: false, format: 'iife', platform: 'browser',
      target: ['chrome114'], logLevel: 'silent',
    });
    browser = await launchBrowser({ viewport: { width: 420, height: 900 } });
    page = browser!.page;
    page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e)));
    page.on('console', (m) => {
      if (m.type?.() === 'error') pageErrors.push(m.text?.() ?? '');
    });
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(() => {
    assert.deepEqual(pageErrors.splice(0), [], 'the page logged errors');
  });

  // ---- generators ---------------------------------------------------------------------------------

  const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);
  const word = fc.constantFrom('alpha', 'beta', '数据', 'x_y', 'a*b', '`c`', '**bold**', '_it_', '[l](https://e.x/a)', '[r][ref]', '[ref]', '<b>', '&amp;', '\\*', '~~s~~');
  const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
  const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n'));
  const language = fc.constantFrom(...PROTO_NAMES, 'ts', 'python', 'js', '', 'c++', 'text');
  const code = fc.array(fc.constantFrom('let a = 1;', '', '  return x;', '"str"', '/* c */', '<div>', '```not a fence end', '    indented'), { minLength: 0, maxLength: 6 });
  const fence = fc.tuple(language, code, fc.constantFrom('```', '~~~', '````')).map(([lang, lines, f]) => [`${f}${lang}`, ...lines, f].join('\n'));
  const list = fc.array(fc.tuple(fc.constantFrom('- ', '* ', '1. ', '2) '), line, fc.constantFrom('', '  ', '    ')), { minLength: 1, maxLength: 5 })
    .map((items) => items.map(([bullet, text, indent]) => `${indent}${bullet}${text}`).join('\n'));
  const quote = fc.tuple(fc.integer({ min: 1, max: 6 }), paragraph).map(([depth, p]) => p.split('\n').map((l) => `${'> '.repeat(depth)}${l}`).join('\n'));
  const table = fc.tuple(line, line).map(([a, b]) => `| ${a} | b |\n| --- | :-: |\n| ${b} | 2 |`);
  const other = fc.constantFrom('# Heading', '## 标题 *two*', '---', '***', '<div>\nhtml\n</div>', '[ref]: https://e.x/ref "T"', '    indented code', 'Setext\n===', '<!-- c -->', '- [ ] task\n- [x] done', '> quote\nlazy line');
  // What overflows a parser's stack or takes it long: deep nesting, very long lines.
  const deep = fc.oneof(
    fc.integer({ min: 50, max: 3000 }).map((n) => `${'>'.repeat(n)} deep`),
    fc.integer({ min: 20000, max: 50000 }).map((n) => `${'>'.repeat(n)} deeper`),
    fc.integer({ min: 20, max: 400 }).map((n) => `${'> '.repeat(n)}deep`),
    fc.integer({ min: 20, max: 300 }).map((n) => `${'- '.repeat(n)}deep`),
    fc.integer({ min: 20, max: 80 }).map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}- level ${i}`).join('\n')),
    fc.integer({ min: 20, max: 400 }).map((n) => `${'*a '.repeat(n)}b${' a*'.repeat(n)}`),
    fc.integer({ min: 20, max: 1000 }).map((n) => `${'_'.repeat(n)}a${'_'.repeat(n)}`),
    fc.integer({ min: 20, max: 1000 }).map((n) => `${'['.repeat(n)}a${']'.repeat(n)}(x)`),
    fc.integer({ min: 1000, max: 60000 }).map((n) => 'word '.repeat(n / 5)),
    fc.integer({ min: 1000, max: 30000 }).map((n) => `\`\`\`ts\n${'x'.repeat(n)}\n\`\`\``),
  );
  const block = fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 2, arbitrary: fence }, { weight: 2, arbitrary: list }, { weight: 1, arbitrary: quote },
    { weight: 1, arbitrary: table }, { weight: 2, arbitrary: other }, { weight: 1, arbitrary: deep });
  const markdown = fc.array(fc.tuple(block, fc.constantFrom('\n\n', '\n', '\n\n\n')), { minLength: 1, maxLength: 10 })
    .map((parts) => parts.map(([b, sep]) => b + sep).join(''));
  const cutsOf = (text: string) => fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 30 }).map((c) => [...new Set(c)].sort((a, b) => a - b));

  // ---- properties ---------------------------------------------------------------------------------

  it('a streamed answer ends as the DOM of the answer rendered at once, however it was cut and rendered meanwhile', async function () {
    this.timeout(300000);
    await fc.assert(fc.asyncProperty(
      markdown.chain((text) => fc.tuple(fc.constant(text), cutsOf(text), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean())),
      async ([text, cuts, renders, withText]) => {
        const once = await whole(text);
        const stream = await streamed(text, cuts, renders, withText);
        assert.equal(stream.html, once.html);
        assert.equal(pageErrors.length, 0, pageErrors.join('\n'));
      },
    ), { numRuns: 100, seed: Number(process.env.FC_SEED) || undefined });
  });

  it('never throws: every block renders, a block the parser cannot take shows as its text, the rest still renders', async () => {
    // Blocks a blank line apart: joined by a single line break, Markdown may rightly run one into
    // the next (an HTML block takes the fence line after it, whose closing fence then opens a code
    // block that swallows FIRST_MARK), which is not what this property is about.
    const apart = fc.array(block, { minLength: 1, maxLength: 10 }).map((bs) => bs.join('\n\n'));
    await fc.assert(fc.asyncProperty(fc.tuple(apart, deep, apart), async ([before, bad, after]) => {
      const text = `${before}\n\nFIRST_MARK\n\n${bad}\n\nLAST_MARK\n\n${after}`;
      const r = await whole(text);
      // the blocks around the bad one render as Markdown, whatever happened to it
      assert.match(r.html, /<p>FIRST_MARK<\/p>/);
      assert.match(r.html, /<p>LAST_MARK<\/p>/);
      assert.equal(pageErrors.length, 0, pageErrors.join('\n'));
    }), { numRuns: 30, seed: Number(process.env.FC_SEED) || undefined });
  });

  it('renders 2 KB of nested quotes, and the paragraphs around them as paragraphs; a block that breaks the parser shows as its text', async () => {
    // 2 KB of `>` overflowed marked's stack in the webview (the saved answer then broke the view
    // each time it opened); 40 KB overflows it anywhere.
    for (const depth of [2048, 40000]) {
      const text = `Before the quotes.\n\n${'>'.repeat(depth)} deep\n\nAfter the quotes, **bold**.\n\n\`\`\`constructor\nlet a = 1;\n\`\`\`\n`;
      for (const r of [await whole(text), await streamed(text, [5, 100, 1000, depth + 12, depth + 20], [true, false, true], false)]) {
        assert.match(r.html, /<p>Before the quotes\.<\/p>/);
        assert.match(r.html, /<p>After the quotes, <strong>bold<\/strong>\.<\/p>/);
        assert.match(r.html, /data-language="constructor"/);
        assert.match(r.text, /let a = 1;/);
        assert.match(r.text, /deep/);
        if (depth > 2048) assert.equal(r.raw, 1, 'the quotes, as text');
      }
    }
    assert.ok((await page.evaluate(() => (window as { md: { stats(): { failedBlocks: number } } }).md.stats())).failedBlocks > 0);
  });

  it('fences named after every Object.prototype member render as code blocks with their text', async () => {
    const text = PROTO_NAMES.map((name, i) => `\`\`\`${name}\nline ${i}\n\`\`\``).join('\n\n');
    const r = await whole(text);
    assert.equal(r.raw, 0);
    for (const [i, name] of PROTO_NAMES.entries()) {
      assert.ok(r.html.includes(`data-language="${name}"`), name);
      assert.ok(r.text.includes(`line ${i}`), name);
    }
  });

  it('tags named in prose (<textarea>, <pre><code>) show as text: nothing after them is lost, no code block appears', async () => {
    const text = '表单里用 <textarea> 输入多行文本，再用 CSS 调整大小。\n\n在 HTML 中可以用 <pre><code> 包裹代码块。\n\n```html\n<pre><code>x</code></pre>\n```\n';
    for (const r of [await whole(text), await streamed(text, [12, 40, 90], [true, false, true], false)]) {
      assert.match(r.text, /表单里用 <textarea> 输入多行文本，再用 CSS 调整大小。/);
      assert.match(r.text, /在 HTML 中可以用 <pre><code> 包裹代码块。/);
      assert.equal((r.html.match(/<pre/g) ?? []).length, 1, 'one code block: the fenced one');
    }
  });

  it('resolves a reference whose definition comes in a later block, streamed or not', async () => {
    const text = 'See [the docs][d] first.\n\n- a list\n- of things\n\n[d]: https://example.com/docs\n';
    const once = await whole(text);
    assert.match(once.html, /<a href="https:\/\/example.com\/docs"[^>]*>the docs<\/a>/);
    assert.equal((await streamed(text, [10, 30, 50], [true], false)).html, once.html);
  });
});
