// The code actions take their code from the stored answer by block index
// (src/core/chat/codeBlocks.ts). The index must mean what it means in the chat view, which numbers
// the `pre > code` elements of marked's HTML: checked against that HTML (parsed with parse5) for
// generated answers with fences, indented code, lists and quotes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as parse5 from 'parse5';
import { answerCodeBlocks } from '../../src/core/chat/codeBlocks';
import { splitMarkdownBlocks } from '../../src/common/markdown/blocks';

type MarkedModule = typeof import('marked', { with: { 'resolution-mode': 'import' } });
let render: (text: string) => string;

before(async () => {
  const marked: MarkedModule = await import('marked');
  const instance = new marked.Marked({ gfm: true, breaks: false });
  render = (text) => instance.parse(text, { async: false });
});

type Node = { nodeName: string; tagName?: string; value?: string; childNodes?: Node[]; parentNode?: Node };

const textOf = (n: Node): string => (n.nodeName === '#text' ? n.value ?? '' : (n.childNodes ?? []).map(textOf).join(''));

/** The code of each `pre > code` in marked's HTML, as the view's toolbar reads it (one trailing break dropped). */
function viewBlocks(markdown: string): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.tagName === 'code' && n.parentNode?.tagName === 'pre') out.push(textOf(n).replace(/\n$/, ''));
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parse5.parseFragment(render(markdown)) as unknown as Node);
  return out;
}

describe('answer code blocks: the same blocks, in the same order, as the chat view', () => {
  it('fences, indented code, lists, quotes; languages from the info string', async () => {
    const answer = [
      'Intro with `inline` code.',
      '',
      '```ts title="a.ts"',
      'const a = 1;',
      '```',
      '',
      '1. first',
      '',
      '   ```python',
      '   print(1)',
      '   ```',
      '',
      '> ~~~js',
      '> quoted()',
      '> ~~~',
      '',
      '    indented();',
      '',
      '```',
      'no language',
      '```',
    ].join('\n');
    const blocks = await answerCodeBlocks(answer);
    assert.deepEqual(blocks.map((b) => b.code), ['const a = 1;', 'print(1)', 'quoted()', 'indented();', 'no language']);
    assert.deepEqual(blocks.map((b) => b.languageId), ['typescript', 'python', 'javascript', 'plaintext', 'plaintext']);
    assert.deepEqual(blocks.map((b) => b.code), viewBlocks(answer));
  });

  it('a `[label]:` line before a fence (a definition whose destination is the fence line): the view, which renders block by block, numbers them alike', async () => {
    for (const answer of [
      '[label]:\n```js\ncode();\n```\n\nafter\n\n```py\nx = 1\n```\n',
      '[ref]: \n> quoted\n\n```ts\nconst a = 1;\n```\n',
      'text\n[ref]:\n:-:|\n    return 1\n\n```sh\nls\n```\n',
    ]) {
      const byBlock = splitMarkdownBlocks(answer).flatMap(viewBlocks);
      assert.deepEqual(byBlock, viewBlocks(answer), JSON.stringify(splitMarkdownBlocks(answer)));
      assert.deepEqual((await answerCodeBlocks(answer)).map((b) => b.code), byBlock);
    }
  });

  it('a fence not closed yet (an answer still streaming) runs to the end', async () => {
    const blocks = await answerCodeBlocks('Here:\n\n```ts\nlet x = 1;\nlet y');
    assert.deepEqual(blocks.map((b) => b.code), ['let x = 1;\nlet y']);
  });

  it('generated answers: the code of block i is the code the view shows as block i', async () => {
    const line = fc.constantFrom('text', 'x = 1', '`a`', '<b>', '&amp;', '  indented', '\tTab', '', '# h', '- item', '1. item', '> quote',
      '```', '```py', '~~~', '    code();', '| a | b |', '|---|---|', '***');
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
      const answer = lines.join('\n');
      assert.deepEqual((await answerCodeBlocks(answer)).map((b) => b.code), viewBlocks(answer), JSON.stringify(answer));
    }), { numRuns: 500 });
  });
});

describe('answer code blocks of an answer the parser cannot take whole', () => {
  it('never throws: deep nesting that overflows the parser leaves the code blocks around it', async () => {
    const deep = '>'.repeat(20000) + ' deep';
    const answer = ['```ts', 'const a = 1;', '```', '', deep, '', '```py', 'b = 2', '```'].join('\n');
    const blocks = await answerCodeBlocks(answer);
    assert.deepEqual(blocks.map((b) => b.code), ['const a = 1;', 'b = 2']);
  });
});
