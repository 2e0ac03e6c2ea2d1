// The incremental Markdown block splitter (src/common/markdown/blocks.ts): blocks + tail always
// equal the input, any chunking gives the same blocks, rendering block by block gives the HTML of
// rendering the whole text (checked with marked itself), and the work stays linear.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MarkdownBlockSplitter, splitMarkdownBlocks } from '../../src/common/markdown/blocks';

type MarkedModule = typeof import('marked', { with: { 'resolution-mode': 'import' } });
let marked: MarkedModule;
let render: (text: string) => string;

let renderBlocks: (text: string, blocks: readonly string[]) => string;

before(async () => {
  // marked is an ES module; these tests compile to CommonJS, so load it dynamically.
  marked = await import('marked');
  const instance = new marked.Marked({ gfm: true });
  render = (text) => instance.parse(text, { async: false });
  // Link reference definitions apply to the whole document (the renderer renders it whole once
  // when the splitter reports them): give each block the links of the whole text.
  renderBlocks = (text, blocks) => {
    const links = new marked.Lexer({ gfm: true }).lex(text).links;
    return blocks.map((b) => {
      const lexer = new marked.Lexer({ gfm: true });
      Object.assign(lexer.tokens.links, links);
      return marked.Parser.parse(lexer.lex(b));
    }).join('');
  };
});

/** Feeds `chunks` one by one; returns the final blocks and checks the invariant at every step. */
function feed(chunks: readonly string[]): { blocks: string[]; splitter: MarkdownBlockSplitter } {
  const s = new MarkdownBlockSplitter();
  const blocks: string[] = [];
  let input = '';
  for (const chunk of chunks) {
    input += chunk;
    blocks.push(...s.push(chunk));
    assert.equal(blocks.join('') + s.tail, input, 'blocks + tail must equal the input');
  }
  blocks.push(...s.finish());
  assert.equal(blocks.join(''), input);
  assert.equal(s.tail, '');
  return { blocks, splitter: s };
}

/** Splits `text` into chunks at the given cut points. */
function chunked(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let at = 0;
  for (const p of points) {
    if (p > at) out.push(text.slice(at, p));
    at = Math.max(at, p);
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function assertSameHtml(text: string, blocks: readonly string[]): void {
  const whole = render(text);
  const pieces = renderBlocks(text, blocks);
  assert.equal(pieces, whole, `block rendering differs for ${JSON.stringify(text)}\nblocks: ${JSON.stringify(blocks)}`);
}

// ---- a corpus of answers as Hunyuan writes them --------------------------------------------------

const CORPUS: Record<string, string> = {
  codeFences: [
    '要读取文件，可以这样写：',
    '```python',
    'def read(path):',
    '    with open(path) as f:',
    '',
    '        return f.read()',
    '```',
    '',
    'Or in TypeScript:',
    '',
    '````ts',
    'const s = "```";',
    '```',
    'still code',
    '````',
    '~~~',
    'tilde fence with ``` inside',
    '',
    '~~~',
    'Done.',
  ].join('\n'),
  listsWithBlankLines: [
    '## 步骤',
    '',
    '1. **安装依赖**',
    '',
    '   运行下面的命令：',
    '',
    '   ```bash',
    '   npm install marked',
    '',
    '   npm test',
    '   ```',
    '',
    '2. **配置**',
    '',
    '   - 打开设置',
    '   - 搜索 `hunyuan`',
    '',
    '     继续说明。',
    '',
    '3. 完成',
    '',
    '- a bullet list after',
    '- with two items',
    '',
    'Closing paragraph.',
  ].join('\n'),
  tables: [
    'Compare:',
    '',
    '| 方法 | 复杂度 | 说明 |',
    '|------|:------:|-----:|',
    '| `push` | O(1) | 追加 |',
    '| `sort` | O(n log n) | 排序 |',
    '',
    'Text right after.',
    'Here is a table without a blank line:',
    '| a | b |',
    '| - | - |',
    '| 1 | 2 |',
    '## Next heading',
  ].join('\n'),
  headings: [
    '# Title',
    'Intro paragraph',
    'Setext heading',
    '==============',
    'Another',
    '---',
    '***',
    '### Third',
    '> A quote',
    'lazy line',
    '> - quoted list',
    '',
    '> second quote',
  ].join('\n'),
  nestedLists: [
    '- level one',
    '  - level two',
    '    - level three',
    '      ```js',
    '      console.log(1);',
    '      ```',
    '  - back to two',
    '',
    '    paragraph in two',
    '- one again',
    '',
    '',
    '1. ordered',
    '   1. nested ordered',
    '   2. second',
    '2. next',
    '* star list',
    '+ plus list',
  ].join('\n'),
  chinese: [
    '好的，我来解释一下这段代码。',
    '',
    '这段代码实现了**快速排序**算法：',
    '',
    '1. 选择一个基准元素',
    '2. 将小于基准的元素放在左边',
    '3. 递归处理',
    '',
    '> 注意：最坏情况下时间复杂度为 O(n²)。',
    '',
    '```java',
    'public class QuickSort {',
    '    // 排序',
    '    void sort(int[] a) {}',
    '}',
    '```',
    '',
    '希望对你有帮助！',
  ].join('\n'),
  fencesInListsAtColumnZero: [
    '1. Write this:',
    '```python',
    'x = 1',
    '',
    'y = 2',
    '```',
    '2. Then this:',
    '   ```python',
    'def f():',
    '',
    '    pass',
    '   ```',
    '',
    'After.',
  ].join('\n'),
  htmlAndMisc: [
    '<details>',
    '<summary>More</summary>',
    '',
    'Hidden *text*.',
    '',
    '</details>',
    '',
    '<!-- a comment',
    '',
    'spanning blank lines -->',
    'Text',
    '',
    '    indented code',
    '',
    '    more code',
    'para',
    '- [ ] task',
    '- [x] done',
    '',
    'Trailing text without newline',
  ].join('\n'),
  unclosedFence: ['Answer:', '```rust', 'fn main() {', '', '    println!("hi");'].join('\n'),
};

describe('markdown blocks: MarkdownBlockSplitter', () => {
  it('reports blocks + tail equal to the input at every step, and the same blocks for any chunking', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(CORPUS)), fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        const reference = feed([text]).blocks;
        assert.deepEqual(feed(chunked(text, cuts)).blocks, reference);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same blocks when fed one character at a time', () => {
    for (const text of Object.values(CORPUS)) {
      assert.deepEqual(feed([...text]).blocks, splitMarkdownBlocks(text));
    }
  });

  for (const [name, text] of Object.entries(CORPUS)) {
    it(`renders "${name}" block by block exactly as a whole`, () => {
      const blocks = splitMarkdownBlocks(text);
      assertSameHtml(text, blocks);
    });
  }

  it('actually splits typical answers into several blocks', () => {
    assert.ok(splitMarkdownBlocks(CORPUS.codeFences).length >= 5);
    assert.ok(splitMarkdownBlocks(CORPUS.chinese).length >= 5);
  });

  it('keeps a blank line inside a fence, and a longer fence, inside the code block', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('```js\na\n\nb\n'), []);
    assert.deepEqual(s.push('```` \n'), ['```js\na\n\nb\n```` \n'], 'a longer closing fence closes it');
    const t = new MarkdownBlockSplitter();
    assert.deepEqual(t.push('````md\n```\n\nx\n'), []);
    assert.deepEqual(t.push('```\n\nstill code\n````\n'), ['````md\n```\n\nx\n```\n\nstill code\n````\n']);
  });

  it('finalizes a closed fence as soon as its closing line ends', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('Intro:\n```ts\nlet a = 1;\n'), ['Intro:\n']);
    assert.deepEqual(s.openFence, { contentStart: 6, char: '`', length: 3, indent: 0, info: 'ts' });
    assert.equal(s.tail.slice(s.openFence?.contentStart), 'let a = 1;\n');
    assert.deepEqual(s.push('```'), [], 'the closing line is not complete yet');
    assert.deepEqual(s.push('\n'), ['```ts\nlet a = 1;\n```\n']);
    assert.equal(s.openFence, undefined);
  });

  it('handles ~~~ and indented fences', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('~~~\n```\n\n~~~\nafter\n'), ['~~~\n```\n\n~~~\n']);
    const t = new MarkdownBlockSplitter();
    assert.deepEqual(t.push('   ```\n  code\n\n   ```\nx\n'), ['   ```\n  code\n\n   ```\n']);
    assert.deepEqual(t.finish(), ['x\n']);
  });

  it('does not finalize a list while a later item may follow a blank line', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('1. one\n\n'), []);
    assert.deepEqual(s.push('2. two\n\n   more about two\n\n'), []);
    assert.deepEqual(s.push('After the list.\n'), ['1. one\n\n2. two\n\n   more about two\n\n']);
  });

  it('does not finalize a paragraph that a setext underline may still turn into a heading', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('Title\n'), []);
    assert.deepEqual(s.push('===\n'), ['Title\n===\n']);
  });

  it('finalizes an ATX heading at the end of its line', () => {
    const s = new MarkdownBlockSplitter();
    assert.deepEqual(s.push('# Hello\nworld'), ['# Hello\n']);
    assert.equal(s.tail, 'world');
  });

  it('cuts a paragraph before a fence or heading that interrupts it', () => {
    assert.deepEqual(splitMarkdownBlocks('Here:\n```\nx\n```\n# H\ntext'), ['Here:\n', '```\nx\n```\n', '# H\n', 'text']);
  });

  it('keeps a table with the paragraph it interrupts, and ends it at a blank line', () => {
    assert.deepEqual(splitMarkdownBlocks('Intro\n| a |\n|---|\n| 1 |\n\nNext\n'), ['Intro\n| a |\n|---|\n| 1 |\n\n', 'Next\n']);
  });

  it('reports link reference definitions, which need a whole-text render', () => {
    const s = new MarkdownBlockSplitter();
    s.push('See [the docs][d].\n\n');
    assert.equal(s.mayHaveLinkDefinitions, false);
    s.push('[d]: https://example.com\n');
    assert.equal(s.mayHaveLinkDefinitions, true);
  });

  it('refuses text after finish', () => {
    const s = new MarkdownBlockSplitter();
    s.finish();
    assert.throws(() => s.push('x'));
  });
});

// ---- generated documents -------------------------------------------------------------------------

const LINES = [
  '', '', '', '   ', 'Plain text with **bold**, `code` and a [link](https://example.com).', '中文段落，包含**加粗**和`代码`。', 'more text',
  '# Heading', '## 标题 ##', '#nohash', '---', '***', '___', '===', '-', '- item', '* item', '+ item', '-  spaced item', '1. first', '2. second',
  '10) tenth', '1) paren', '  - nested', '    - deeper', '   continuation', '  two-space text', '    indented code', '\tTabbed', '      six spaces',
  '```', '```python', '````', '```js `x`', '~~~', '~~~js', '  ```', '   ```ts', '    ```', '> quote', '> ', '>', '> - quoted list',
  '> ```', '| a | b |', '|---|---|', '| 1 | 2 |', 'a | b', '--- | ---', ':-:|', '<div>', '</div>', '<!-- comment', '-->', '<pre>', '</pre>',
  '<br>', '<span class="x">', '<?php', '?>', 'def f():', '    return 1', '- [ ] task', '- [x] done', '* * *', '- - -', '1.', '2.', '- ',
  'Setext', '   > indented quote', '<script>', '</script>', '#', '  # spaced heading', '[ref]: http://x.com', 'See [ref] here.', '\t- tab item',
  ' - one space', '   - three', '     five', '<!-->', '<![CDATA[', ']]>', '<!DOCTYPE html>', '<custom-tag>', '</p>', '<p>', '  ', '\t', '- a\t',
  'lazy prose line', '>> nested deeper', '> > > deep', '  > q', '   > 1. x', '**Bold** line', '    ```js', '      code()', '1. **Step**',
  '   text under step', '   - sub', '~~~~', '> | a |', '> |---|', '<details>', '<summary>S</summary>', '</details>', '-\t', '1.\ttab', '>\tq',
  '- > q', '1. > q', '> 1. x', '-    code', '*', '+', '2)', '=', '- ===', '  ---', '    ---', '>    code in quote', '> # h', '> ---',
  // a definition whose destination (and title) are on the next lines
  '[label]:', '[ref]: ', ' [x]:', '  "a title"', "'t'", '<http://x.y>', 'https://x.y/a(b)', 'dest "title"', '(paren)',
  '> [foo]:', '> [a]: q', '"ti', 'tle"', '/url',
];

const documentArb = fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 30 }).map((lines) => lines.join('\n'));

describe('markdown blocks: link definitions across lines', () => {
  it('render block by block as a whole: a label alone, its destination and title on the next lines, in and out of quotes', () => {
    for (const text of [
      '[label]:\n```js\ncode\n```\n\nafter\n\n```py\nx\n```\n',
      '[ref]: \n> quoted\n',
      'text\n[ref]:\n:-:|\n[label]:\n#\n',
      '> [foo]:\nbar baz\n\nx\n',
      '> [foo]:\n/url\n\n[foo]\n',
      '> [a]: q\ntext\n\n[a] [b]\n',
      '[a]: /u\n"t\nx"\n\n[a]\n',
      '[foo]:\n/url\n"ti\ntle"\n\n[foo]\n',
    ]) {
      const { blocks } = feed(chunked(text, []));
      assert.deepEqual(blocks, splitMarkdownBlocks(text));
      assertSameHtml(text, blocks);
    }
  });
});

describe('markdown blocks: generated documents', () => {
  it('renders block by block exactly as a whole, for any chunking', () => {
    fc.assert(
      fc.property(documentArb, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (text, cuts, trailingNewline) => {
        const input = trailingNewline ? `${text}\n` : text;
        const { blocks } = feed(chunked(input, cuts));
        assert.deepEqual(blocks, splitMarkdownBlocks(input));
        assertSameHtml(input, blocks);
      }),
      { numRuns: 4000 },
    );
  });
});

// ---- work ----------------------------------------------------------------------------------------

describe('markdown blocks: linear work', () => {
  function workFor(text: string, chunkSize: number): number {
    const s = new MarkdownBlockSplitter();
    for (let i = 0; i < text.length; i += chunkSize) s.push(text.slice(i, i + chunkSize));
    s.finish();
    return s.work;
  }

  const shapes: Record<string, (n: number) => string> = {
    answer: (n) => Object.values(CORPUS).join('\n\n').repeat(n),
    longFence: (n) => `\`\`\`ts\n${'const x = 1;\n\n'.repeat(200 * n)}`,
    longList: (n) => '1. item\n\n   more text\n\n'.repeat(200 * n),
    oneLongLine: (n) => 'word [bracket '.repeat(500 * n),
    longQuote: (n) => '> quoted line\n'.repeat(300 * n),
  };

  it('never rescans: the work of each call is bounded by its new text and the lines it completes', () => {
    const text = Object.values(CORPUS).join('\n\n').repeat(20);
    const longestLine = Math.max(...text.split('\n').map((l) => l.length));
    const s = new MarkdownBlockSplitter();
    let worst = 0;
    for (const ch of text) {
      const before = s.work;
      s.push(ch);
      worst = Math.max(worst, s.work - before);
    }
    assert.ok(worst <= 4 * (longestLine + 1), `a one-character push did ${worst} units of work (longest line ${longestLine})`);
    assert.ok(s.work <= 4 * text.length, `${s.work} units for ${text.length} characters`);
  });

  for (const [name, make] of Object.entries(shapes)) {
    it(`does work proportional to the length (${name})`, () => {
      for (const chunk of [1, 7, 64]) {
        const small = make(4);
        const large = make(16);
        const wSmall = workFor(small, chunk);
        const wLarge = workFor(large, chunk);
        // Every character is scanned once and each line classified a small number of times.
        assert.ok(wLarge <= 4 * large.length, `${name}/${chunk}: ${wLarge} units for ${large.length} characters`);
        const ratio = wLarge / large.length / (wSmall / small.length);
        assert.ok(ratio < 1.2, `${name}/${chunk}: work per character grew by ${ratio.toFixed(2)}x`);
      }
    });
  }
});
