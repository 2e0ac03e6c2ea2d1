// Cleaning the model's code answers for the editor commands (src/core/edit/clean.ts): realistic
// answers of every shape, the streaming variant, and property tests.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { fenceFor } from '../../src/core/chat/prompt';
import { blockLines, completeLines } from '../../src/core/diff/text';
import {
  analyzeCodeAnswer, cleanCodeAnswer, cleanPartialCodeAnswer, CleanOptions, commonIndent, indentWidth, reindent,
} from '../../src/core/edit/clean';

const ts: CleanOptions = { languageId: 'typescript', eol: '\n' };
const py: CleanOptions = { languageId: 'python', eol: '\n' };

/** `cleanPartialCodeAnswer` on every prefix of `answer`: each result's lines must be a prefix of the final lines. */
function assertStreamsAsPrefixes(answer: string, opts: CleanOptions): string[][] {
  const final = blockLines(cleanCodeAnswer(answer, opts));
  const seen: string[][] = [];
  for (let i = 0; i <= answer.length; i++) {
    const partial = cleanPartialCodeAnswer(answer.slice(0, i), opts);
    const lines = completeLines(partial);
    if (partial !== '') assert.ok(partial.endsWith(opts.eol), `partial result ends with a line break: ${JSON.stringify(partial)}`);
    assert.deepEqual(lines, final.slice(0, lines.length), `prefix ${i}: ${JSON.stringify(answer.slice(0, i))}`);
    seen.push(lines);
  }
  return seen;
}

describe('edit: cleanCodeAnswer, fenced answers', () => {
  it('takes the code out of a bare fenced block', () => {
    assert.equal(cleanCodeAnswer('```typescript\nconst x = 1;\nconst y = 2;\n```', ts), 'const x = 1;\nconst y = 2;');
  });

  it('drops the prose around the block', () => {
    const answer = [
      'Here is the updated code:',
      '',
      '```ts',
      'function sum(xs: number[]): number {',
      '  return xs.reduce((a, b) => a + b, 0);',
      '}',
      '```',
      '',
      'This version uses `reduce` instead of a loop, so it is shorter.',
      '',
      '- No mutable accumulator',
      '- Same result for an empty array',
    ].join('\n');
    assert.equal(cleanCodeAnswer(answer, ts), 'function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}');
  });

  it('drops Chinese prose around the block', () => {
    const answer = '以下是修改后的代码：\n\n```python\ndef add(a, b):\n    return a + b\n```\n\n这段代码去掉了多余的变量。';
    assert.equal(cleanCodeAnswer(answer, py), 'def add(a, b):\n    return a + b');
  });

  it('prefers the block in the document\'s language over a longer one in another', () => {
    const answer = 'First install it:\n\n```bash\nnpm install --save-dev some-long-package-name another-package\n```\n\nThen:\n\n```ts\nimport x from "x";\n```';
    assert.equal(cleanCodeAnswer(answer, ts), 'import x from "x";');
  });

  it('takes the longest of several blocks in the same language', () => {
    const answer = 'Add the import:\n```ts\nimport { a } from "./a";\n```\nand the function:\n```ts\nexport function f() {\n  return a();\n}\n```';
    assert.equal(cleanCodeAnswer(answer, ts), 'export function f() {\n  return a();\n}');
  });

  describe('several blocks, with code to rewrite: the block most like it', () => {
    const original = 'function total(xs: number[]): number {\n  let t = 0;\n  for (const x of xs) t += x;\n  return t;\n}\n';
    const rewrite = 'function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}';
    const opts: CleanOptions = { ...ts, original };

    it('the rewrite, not a longer usage example after it (the one the stream showed)', () => {
      const usage = 'const prices = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];\nconst sum = total(prices);\nconsole.log(`the total of all the prices is ${sum}`);\nconsole.log(total([]));';
      const answer = `Here it is:\n\n\`\`\`ts\n${rewrite}\n\`\`\`\n\nUsage:\n\n\`\`\`ts\n${usage}\n\`\`\`\n`;
      assert.ok(usage.length > rewrite.length);
      assert.equal(cleanCodeAnswer(answer, opts), `${rewrite}\n`);
      assert.equal(cleanCodeAnswer(answer, ts), usage, 'with nothing to rewrite, the longest');
      assert.deepEqual(blockLines(cleanPartialCodeAnswer(answer, opts)), blockLines(`${rewrite}\n`), 'what the stream shows is what is proposed');
    });

    it('the rewrite, not the whole file around it', () => {
      const file = `import { log } from './log';\n\n${rewrite}\n\nexport function mean(xs: number[]): number {\n  return total(xs) / xs.length;\n}`;
      const answer = `\`\`\`ts\n${rewrite}\n\`\`\`\n\nThe whole file:\n\n\`\`\`ts\n${file}\n\`\`\`\n`;
      assert.equal(cleanCodeAnswer(answer, opts), `${rewrite}\n`);
    });

    it('the function, not the import line before it', () => {
      const answer = `Add the import:\n\`\`\`ts\nimport { sum } from './math';\n\`\`\`\nand the function:\n\`\`\`ts\n${rewrite}\n\`\`\`\n`;
      assert.equal(cleanCodeAnswer(answer, opts), `${rewrite}\n`);
    });

    it('not a block that only quotes the code: "before" then "after", or the faulty line then its fix', () => {
      const add = 'function add(a, b) {\n  return a + b;\n}\n';
      const typed = 'function add(a: number, b: number): number {\n  return a + b;\n}';
      const answer = `原代码：\n\`\`\`ts\n${add}\`\`\`\n修改后：\n\`\`\`ts\n${typed}\n\`\`\`\n`;
      assert.equal(cleanCodeAnswer(answer, { ...ts, original: add }), `${typed}\n`);
      const line = 'const total = items.reduce((a, b) => a + b)\n';
      const fixed = 'const total = items.reduce((a, b) => a + b, 0);';
      const fix = `The problem is here:\n\`\`\`ts\n${line}\`\`\`\nIt needs an initial value:\n\`\`\`ts\n${fixed}\n\`\`\`\n`;
      assert.equal(cleanCodeAnswer(fix, { ...ts, original: line }), `${fixed}\n`);
    });

    it('"it is fine as it is" with the code, then an unrelated example: the code (nothing changes)', () => {
      const example = 'const prices = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];\nconsole.log(`the total of all the prices is ${total(prices)}`);\nconsole.log(total([]));\nconsole.log(total([42]));';
      const answer = `It is already correct:\n\n\`\`\`ts\n${original}\`\`\`\n\nFor example:\n\n\`\`\`ts\n${example}\n\`\`\`\n`;
      assert.equal(cleanCodeAnswer(answer, opts), original);
    });

    it('blocks alike (none shares a line with it): the longest, as before', () => {
      const answer = '```ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\nconst c = 3;\n```\n';
      assert.equal(cleanCodeAnswer(answer, opts), 'const b = 2;\nconst c = 3;\n');
    });
  });

  it('takes the longest block when none is in the document\'s language', () => {
    const answer = '```\nshort\n```\n\n```text\na longer block\nof two lines\n```';
    assert.equal(cleanCodeAnswer(answer, { languageId: 'cobol', eol: '\n' }), 'a longer block\nof two lines');
  });

  it('matches language aliases and info strings with extras', () => {
    const answer = '```py title="a.py"\nprint(1)\n```\n```js\nconsole.log(1111111111111111)\n```';
    assert.equal(cleanCodeAnswer(answer, py), 'print(1)');
    assert.equal(cleanCodeAnswer('```tsx\n<div />\n```\n```css\n.a { color: red; margin: 0 auto; }\n```', { languageId: 'typescriptreact', eol: '\n' }), '<div />');
    assert.equal(cleanCodeAnswer('```sh\nls -la\n```\n```python\nprint("a much longer line")\n```', { languageId: 'shellscript', eol: '\n' }), 'ls -la');
  });

  it('handles ~~~ fences and longer fences holding ``` inside', () => {
    assert.equal(cleanCodeAnswer('~~~go\nfmt.Println("hi")\n~~~', { languageId: 'go', eol: '\n' }), 'fmt.Println("hi")');
    const markdown = '# Title\n\n```js\nx();\n```\n\nText.';
    const answer = `Here you go:\n\n\`\`\`\`markdown\n${markdown}\n\`\`\`\`\n`;
    assert.equal(cleanCodeAnswer(answer, { languageId: 'markdown', eol: '\n' }), markdown);
  });

  it('removes the indentation of a fence inside a list item', () => {
    const answer = '1. Replace the loop:\n\n   ```ts\n   for (const x of xs) {\n     use(x);\n   }\n   ```\n';
    assert.equal(cleanCodeAnswer(answer, ts), 'for (const x of xs) {\n  use(x);\n}');
  });

  it('does not take ```inline``` code on one line for a fence', () => {
    assert.equal(cleanCodeAnswer('Use ```x()``` here.\n```ts\ny();\n```', ts), 'y();');
  });

  it('keeps code that contains fence-like lines inside a longer fence', () => {
    const code = 'const md = `\n```js\nx\n```\n`;';
    assert.equal(cleanCodeAnswer(`\`\`\`\`ts\n${code}\n\`\`\`\``, ts), code);
  });

  it('takes an unclosed block to the end (a cut stream), without a half-written closing fence', () => {
    const result = analyzeCodeAnswer('Sure:\n```ts\nfoo();\nbar(', ts);
    assert.deepEqual(result, { code: 'foo();\nbar(', source: 'fence', unclosedFence: true, fences: 1 });
    assert.equal(cleanCodeAnswer('```ts\nfoo();\n``', ts), 'foo();');
    assert.equal(cleanCodeAnswer('```ts\nfoo();\n`', ts), 'foo();');
  });

  it('gives an empty block as empty code', () => {
    assert.deepEqual(analyzeCodeAnswer('```ts\n```', ts), { code: '', source: 'fence', unclosedFence: false, fences: 1 });
  });
});

describe('edit: cleanCodeAnswer, leftovers of the protocol', () => {
  it('strips <answer> tags around a fence or bare code', () => {
    assert.equal(cleanCodeAnswer('<answer>\n```ts\nconst a = 1;\n```\n</answer>', ts), 'const a = 1;');
    assert.equal(cleanCodeAnswer('<answer>\nconst a = 1;\n</answer>\n', ts), 'const a = 1;');
    assert.equal(cleanCodeAnswer('<answer>const a = 1;</answer>', ts), 'const a = 1;');
  });

  it('strips a <think> block and a stray </think>', () => {
    const answer = '<think>\nThe user wants a loop. Let me write ```ts code```.\n</think>\n<answer>\n```ts\nfor (;;) {}\n```\n</answer>';
    assert.equal(cleanCodeAnswer(answer, ts), 'for (;;) {}');
    assert.equal(cleanCodeAnswer('</think>\n\n```ts\nx();\n```', ts), 'x();');
    assert.equal(cleanCodeAnswer('<think>\nstill thinking when the stream was cut', ts), '');
  });

  it('drops thinking that arrived without its opening tag', () => {
    assert.equal(cleanCodeAnswer('Okay, the user wants x doubled.\nSo multiply.\n</think>\n<answer>\nx * 2\n</answer>', ts), 'x * 2');
  });

  it('keeps a </think> line inside the code block', () => {
    assert.equal(cleanCodeAnswer('```ts\nconst s = `\n</think>\n`;\n```', ts), 'const s = `\n</think>\n`;');
  });

  it('removes a leading /no_think echo', () => {
    assert.equal(cleanCodeAnswer('/no_think\n```ts\nx();\n```', ts), 'x();');
    assert.equal(cleanCodeAnswer('/no_think x();', ts), 'x();');
    assert.equal(cleanCodeAnswer('```ts\n/no_think\nx();\n```', ts), 'x();');
  });

  it('treats <answer> as an element in markup, unless it comes before a fence', () => {
    const xml: CleanOptions = { languageId: 'xml', eol: '\n' };
    const elements = '<answer>\n  <text>42</text>\n</answer>';
    assert.equal(cleanCodeAnswer(elements, xml), elements);
    assert.equal(cleanCodeAnswer('<answer>\n```xml\n<a/>\n```\n</answer>', xml), '<a/>');
    assert.equal(cleanPartialCodeAnswer('<answer>\n', xml), '', 'undecided until the next line');
  });
});

describe('edit: cleanCodeAnswer, answers without a fence', () => {
  it('takes bare code as it is', () => {
    assert.deepEqual(analyzeCodeAnswer('const a = 1;\nconst b = 2;\n', ts), { code: 'const a = 1;\nconst b = 2;', source: 'plain', unclosedFence: false, fences: 0 });
  });

  it('drops a lead-in and a closing explanation that are clearly prose', () => {
    const answer = "Here's the refactored function:\nfunction f(a: number) {\n  return a * 2;\n}\n\nI've replaced the loop with a multiplication.\n- Faster\n- Shorter";
    assert.equal(cleanCodeAnswer(answer, ts), 'function f(a: number) {\n  return a * 2;\n}');
    assert.equal(cleanCodeAnswer('**Updated code:**\n\nx = 1\n\n**Explanation:** renamed.', py), 'x = 1');
    assert.equal(cleanCodeAnswer('以下是修改后的代码：\nx = compute()\n\n说明：去掉了循环。', py), 'x = compute()');
  });

  it('drops a Chinese lead-in and a numbered explanation after the code', () => {
    const answer = '修改后的代码如下：\nconst ids = users.map((u) => u.id);\n\n主要改动：\n1. 用 `map` 代替了 `for` 循环\n2. 去掉了临时数组';
    assert.equal(cleanCodeAnswer(answer, ts), 'const ids = users.map((u) => u.id);');
  });

  it('drops markdown headings around bare code where # is not a comment', () => {
    assert.equal(cleanCodeAnswer('### Updated code\nlet a = 1;\nlet b = 2;\n\n### Explanation\nThe two values are now `let`.', ts), 'let a = 1;\nlet b = 2;');
    assert.equal(cleanCodeAnswer('### not a heading in python\nx = 1', py), '### not a heading in python\nx = 1');
    assert.equal(cleanCodeAnswer('# define X 1\nint y;', { languageId: 'c', eol: '\n' }), '# define X 1\nint y;');
  });

  it('never drops lines that may be code', () => {
    const python = 'for item in items:\n    print(item)\nelse:\n    done()';
    assert.equal(cleanCodeAnswer(python, py), python);
    const comments = '# Here is the updated code:\nx = 1\n# This version is shorter.';
    assert.equal(cleanCodeAnswer(comments, py), comments);
    const yaml = 'Note: keep this key.\nitems:\n  - apples\n  - pears';
    assert.equal(cleanCodeAnswer(yaml, { languageId: 'yaml', eol: '\n' }), yaml);
    const sql = 'SELECT name FROM users\nWHERE id = 1';
    assert.equal(cleanCodeAnswer(sql, { languageId: 'sql', eol: '\n' }), sql);
    const middle = 'a();\nThis is not prose here.\nb();';
    assert.equal(cleanCodeAnswer(middle, ts), middle);
  });

  it('keeps everything in prose languages', () => {
    const text = 'Here is the updated paragraph:\n\nThe tool reads the file.\n\nThis version is shorter.';
    assert.equal(cleanCodeAnswer(text, { languageId: 'markdown', eol: '\n' }), text);
  });

  it('gives no code for an answer that is only sentences (a refusal, a question back)', () => {
    assert.deepEqual(analyzeCodeAnswer('I cannot change this code without more context.\nCould you share the type of `user`?', ts),
      { code: '', source: 'none', unclosedFence: false, fences: 0 });
    assert.equal(cleanCodeAnswer('Sure!', ts), '');
  });

  it('unwraps a one-line answer in inline code', () => {
    assert.equal(cleanCodeAnswer('`a + b`', ts), 'a + b');
    assert.equal(cleanCodeAnswer('Replace it with:\n`count += 1`', py), 'count += 1');
  });
});

describe('edit: cleanCodeAnswer, line breaks, indentation and framing', () => {
  it('normalizes line breaks to the document\'s', () => {
    const answer = 'Here:\r\n```ts\r\na();\r\nb();\r\n```\r\n';
    assert.equal(cleanCodeAnswer(answer, { ...ts, eol: '\r\n' }), 'a();\r\nb();');
    assert.equal(cleanCodeAnswer(answer, ts), 'a();\nb();');
    assert.equal(cleanCodeAnswer('```ts\na();\nb();\r\nc();\n```', { ...ts, eol: '\r\n' }), 'a();\r\nb();\r\nc();');
  });

  it('re-indents a block the model dedented, keeping its inner structure', () => {
    const original = '    if (a) {\n        b();\n    }\n';
    const answer = '```ts\nif (a) {\n    b();\n    c();\n}\n```';
    assert.equal(cleanCodeAnswer(answer, { ...ts, original }), '    if (a) {\n        b();\n        c();\n    }\n');
    assert.equal(cleanCodeAnswer(answer, { ...ts, originalIndent: '\t' }), '\tif (a) {\n\t    b();\n\t    c();\n\t}');
  });

  it('shifts by what the first line lost, so lines less indented than it follow', () => {
    const original = '        return x;\n    }';
    assert.equal(cleanCodeAnswer('```ts\n    return x + 1;\n}\n```', { ...ts, original }), '        return x + 1;\n    }');
    assert.equal(cleanCodeAnswer('```ts\nreturn x + 1;\n}\n```', { ...ts, originalIndent: '    ' }), '    return x + 1;\n    }');
  });

  it('leaves alone a selection that starts after the indentation (the model mirrors it)', () => {
    const original = 'return x;\n    }';
    assert.equal(cleanCodeAnswer('```ts\nreturn x + 1;\n    }\n```', { ...ts, original }), 'return x + 1;\n    }');
  });

  it('replaces spaces by the selection\'s tabs when the model indented with spaces', () => {
    assert.equal(cleanCodeAnswer('```go\n  foo2()\n  bar()\n```', { languageId: 'go', eol: '\n', original: '\tfoo()\n\tbar()' }), '\tfoo2()\n\tbar()');
  });

  it('leaves a block that kept (or deepened) its indentation alone, and blank lines blank', () => {
    const original = '  x();\n\n  y();';
    assert.equal(cleanCodeAnswer('```ts\n  x();\n\n  z();\n```', { ...ts, original }), '  x();\n\n  z();');
    assert.equal(cleanCodeAnswer('```ts\nx();\n\ny();\n```', { ...ts, original }), '  x();\n\n  y();');
    assert.equal(cleanCodeAnswer('```ts\n      x();\n```', { ...ts, original }), '      x();');
  });

  it('keeps a trailing line break iff the original has one, and its blank lines around', () => {
    assert.equal(cleanCodeAnswer('```ts\na();\n```', { ...ts, original: 'b();\n' }), 'a();\n');
    assert.equal(cleanCodeAnswer('```ts\na();\n\n\n```', { ...ts, original: 'b();' }), 'a();');
    assert.equal(cleanCodeAnswer('```ts\na();\n```', { ...ts, eol: '\r\n', original: '\r\nb();\r\n\r\n' }), '\r\na();\r\n\r\n');
    assert.equal(cleanCodeAnswer('```ts\na();\n```', { ...ts, trailingNewline: true }), 'a();\n');
    assert.equal(cleanCodeAnswer('```ts\na();\n```', { ...ts, original: 'b();\n', trailingNewline: false }), 'a();');
    assert.equal(cleanCodeAnswer('```ts\n```', { ...ts, original: 'b();\n' }), '');
  });

  it('drops the comment (or code above) the model repeated at the start', () => {
    const contextBefore = 'class A {\n  // return the sum of a and b\n';
    const answer = '```ts\n  // return the sum of a and b\n  sum(a: number, b: number) {\n    return a + b;\n  }\n```';
    assert.equal(cleanCodeAnswer(answer, { ...ts, contextBefore, originalIndent: '  ' }), '  sum(a: number, b: number) {\n    return a + b;\n  }');
    const signature = 'function f(xs: number[]) {';
    assert.equal(cleanCodeAnswer(`\`\`\`ts\n${signature}\n  return xs.length;\n\`\`\``, { ...ts, contextBefore: `// f\n${signature}\n`, original: '  return 0;' }), '  return xs.length;');
  });

  it('keeps a first line that repeats the line above when the original starts with it too', () => {
    const original = '  i++;\n  j++;';
    assert.equal(cleanCodeAnswer('```ts\n  i++;\n  k++;\n```', { ...ts, contextBefore: 'let i = 0;\n  i++;', original }), '  i++;\n  k++;');
  });

  it('does not drop a repeated line without letters or digits', () => {
    assert.equal(cleanCodeAnswer('```ts\n}\nfoo();\n```', { ...ts, contextBefore: 'if (a) {\n}' }), '}\nfoo();');
  });

  it('drops the code below that the model repeated at the end', () => {
    const contextAfter = '  return total;\n}\n';
    const answer = '```ts\n  for (const x of xs) total += x;\n  return total;\n}\n```';
    assert.equal(cleanCodeAnswer(answer, { ...ts, contextAfter }), '  for (const x of xs) total += x;');
    assert.equal(cleanCodeAnswer('```ts\na();\n}\n```', { ...ts, contextAfter: '}\n' }), 'a();\n}', 'a lone brace may be the code\'s own');
  });
});

describe('edit: indentation helpers', () => {
  it('commonIndent', () => {
    assert.equal(commonIndent('    a\n\n      b\n    c'), '    ');
    assert.equal(commonIndent('\t\ta\n\t b'), '\t');
    assert.equal(commonIndent(['  a', '   ', '  b']), '  ');
    assert.equal(commonIndent(''), '');
    assert.equal(commonIndent('a\n  b'), '');
  });

  it('reindent keeps blank lines and line breaks', () => {
    assert.equal(reindent('  a\r\n\r\n    b\n', '  ', '\t'), '\ta\r\n\r\n\t  b\n');
    assert.equal(reindent('a\n  \nb', '', '    '), '    a\n  \n    b');
  });

  it('indentWidth counts tabs to the next stop', () => {
    assert.equal(indentWidth('\t'), 4);
    assert.equal(indentWidth('  \t'), 4);
    assert.equal(indentWidth('\t  ', 8), 10);
  });
});

describe('edit: cleanPartialCodeAnswer (streaming)', () => {
  it('shows nothing during the lead-in, then the block line by line', () => {
    const answer = 'Here is the updated code:\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\nThis version is clearer.';
    const seen = assertStreamsAsPrefixes(answer, ts);
    assert.deepEqual(completeLines(cleanPartialCodeAnswer('Here is the updated code:\n\n```ts\nconst a', ts)), []);
    assert.deepEqual(completeLines(cleanPartialCodeAnswer('Here is the updated code:\n\n```ts\nconst a = 1;\nconst b', ts)), ['const a = 1;']);
    assert.deepEqual(seen[seen.length - 1], ['const a = 1;', 'const b = 2;']);
  });

  it('holds back an unrecognised sentence until code or a fence follows', () => {
    const answer = 'Let me rewrite it with a map\n```ts\nconst m = new Map();\n```';
    assertStreamsAsPrefixes(answer, ts);
    assert.equal(cleanPartialCodeAnswer('Let me rewrite it with a map\n', ts), '');
  });

  it('shows unfenced code once two lines of it arrived (the first may be a lead-in to a fence)', () => {
    assert.equal(cleanPartialCodeAnswer('Updated (see below):\n', ts), '');
    assert.equal(cleanPartialCodeAnswer('Updated (see below):\n```ts\nx();\n', ts), 'x();\n');
    assert.equal(cleanPartialCodeAnswer('a();\n', ts), '');
    assert.equal(cleanPartialCodeAnswer('a();\nb();\n', ts), 'a();\nb();\n');
  });

  it('streams bare code, holding back a trailing explanation', () => {
    const answer = 'a();\nb();\n\nThis version calls b as well.\n- Keeps a\n';
    assertStreamsAsPrefixes(answer, ts);
    assert.equal(cleanPartialCodeAnswer('a();\nb();\n\nThis version calls b as well.\n', ts), 'a();\nb();\n');
  });

  it('streams <think>/<answer> leftovers, CRLF and re-indentation consistently', () => {
    const answer = '<think>\nhmm\n</think>\n<answer>\r\n```ts\r\nif (a) {\r\n  b();\r\n}\r\n```\r\n</answer>';
    const opts: CleanOptions = { ...ts, eol: '\r\n', original: '    if (a) {\r\n      c();\r\n    }\r\n' };
    assertStreamsAsPrefixes(answer, opts);
    assert.equal(cleanCodeAnswer(answer, opts), '    if (a) {\r\n      b();\r\n    }\r\n');
    assert.equal(cleanPartialCodeAnswer('<think>\nhmm\n</think>\n<answer>\r\n```ts\r\nif (a) {\r\n', opts), '    if (a) {\r\n');
  });

  it('holds back a possible echo of the code above until it is decided', () => {
    const contextBefore = 'x = 1\n# compute the total\n# of all items';
    const answer = '```python\n# compute the total\n# of all items\ntotal = sum(items)\n```';
    const seen = assertStreamsAsPrefixes(answer, { ...py, contextBefore });
    assert.ok(seen.every((lines) => !lines.some((l) => l.startsWith('#'))));
    assert.equal(cleanCodeAnswer(answer, { ...py, contextBefore }), 'total = sum(items)');
  });

  it('holds back a </answer> that may end the answer', () => {
    assert.equal(cleanPartialCodeAnswer('x();\ny();\n</answer>\n', ts), 'x();\ny();\n');
    assertStreamsAsPrefixes('<answer>\nx();\ny();</answer>', ts);
  });

  it('streams an unclosed fence that the stream cut', () => {
    assertStreamsAsPrefixes('```ts\nfoo();\nbar();\n``', ts);
  });
});

// ---- properties ----------------------------------------------------------------------------------

/** Lines of code: any printable text, with indentation, backtick and tilde runs, tags and prose-like words mixed in. */
const codeLine = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ')),
  fc.tuple(fc.constantFrom('', '  ', '    ', '\t', '\t\t'), fc.constantFrom(
    'const x = 1;', 'return a + b;', '}', '{', 'if (a) {', '```', '~~~', '````js', '// Here is the code:', '<answer>', '</answer>',
    'This is not prose here.', 'def f(x):', '#include <stdio.h>', '', '`x`', 'SELECT 1', '中文注释', '""""',
  )).map(([indent, text]) => indent + text),
);
const codeArb = fc.array(codeLine, { minLength: 1, maxLength: 12 })
  .filter((lines) => lines.some((l) => l.trim() !== '') && lines.every((l) => l.trim() !== '/no_think'))
  .map((lines) => lines.join('\n'));
const leadIn = fc.constantFrom('', 'Here is the updated code:\n\n', 'Sure! Here\'s the rewritten function:\n', '以下是修改后的代码：\n\n', '<answer>\n', '/no_think\n', '<think>\nplan\n</think>\n<answer>\n');
const tailOut = fc.constantFrom('', '\n', '\n\nThis version is shorter.', '\n\nI\'ve renamed `x`.\n- one\n- two\n', '\n</answer>', '\n\n这段代码更简洁。');
const eolArb = fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n');

function fenced(code: string, tag: string, eol: string): string {
  const fence = fenceFor(code);
  return `${fence}${tag}\n${code}\n${fence}`.replace(/\n/g, eol);
}

describe('edit: properties', () => {
  it('cleaning a fenced version of any code gives the code back', () => {
    fc.assert(
      fc.property(codeArb, leadIn, tailOut, eolArb, eolArb, (code, lead, tail, answerEol, eol) => {
        const answer = lead.replace(/\n/g, answerEol) + fenced(code, 'ts', answerEol) + tail.replace(/\n/g, answerEol);
        const result = cleanCodeAnswer(answer, { languageId: 'typescript', eol, original: code });
        assert.equal(result, code.replace(/\n/g, eol));
      }),
      { numRuns: 500 },
    );
  });

  it('without `original`, the code comes back without its blank first and last lines', () => {
    fc.assert(
      fc.property(codeArb, leadIn, tailOut, (code, lead, tail) => {
        const result = cleanCodeAnswer(lead + fenced(code, 'typescript', '\n') + tail, ts);
        const lines = code.split('\n');
        while (lines[0].trim() === '') lines.shift();
        while (lines[lines.length - 1].trim() === '') lines.pop();
        assert.equal(result, lines.join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('every prefix of a fenced answer cleans to a prefix (line-wise) of the final code', () => {
    fc.assert(
      fc.property(codeArb, leadIn, tailOut, eolArb, fc.boolean(), (code, lead, tail, eol, withOriginal) => {
        const answer = lead + fenced(code, 'ts', eol) + tail;
        assertStreamsAsPrefixes(answer, { languageId: 'typescript', eol, ...(withOriginal ? { original: `  ${code}\n` } : {}) });
      }),
      { numRuns: 150 },
    );
  });

  it('every prefix of an unfenced answer cleans to a prefix of the final code', () => {
    const known = fc.constantFrom('a();', '  b(x, y);', '', '  ', 'Here is the code:', 'This version is shorter.', '- a bullet', 'def f(x):',
      '    return x', 'I\'ve kept the rest.', '以下是代码：', 'x = 1', '}', '**Explanation:**', 'Let me explain this change', '`x`', '\tfoo',
      'Sure!', '!', 'Updated (see below):', '<answer>', '</answer>', '<think>', '/no_think', '<a/>');
    const anyText = fc.string({ maxLength: 20 }).map((t) => t.replace(/[\r\n\u2028\u2029]/g, ' ')).filter((t) => !/^\s*(?:```|~~~)/.test(t));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(known, anyText), { maxLength: 12 }), eolArb, fc.constantFrom('typescript', 'python', 'yaml', 'xml', 'markdown'),
        fc.option(fc.constantFrom('  a();\n', 'x = 1', '\tfoo\n\n')), fc.option(fc.constantFrom('a();\n// c', 'x = 1\n}')),
        fc.option(fc.constantFrom('}\n', 'a();\nb();')),
        (lines, eol, languageId, original, contextBefore, contextAfter) => {
          const opts: CleanOptions = { languageId, eol };
          if (original !== null) opts.original = original;
          if (contextBefore !== null) opts.contextBefore = contextBefore;
          if (contextAfter !== null) opts.contextAfter = contextAfter;
          assertStreamsAsPrefixes(lines.join('\n'), opts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every prefix cleans to a prefix with echo removal on', () => {
    const lineArb = fc.constantFrom('// sum', '// of items', 'let t = 0;', 'for (const x of xs) t += x;', '}', '');
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.array(lineArb, { maxLength: 5 }), (code, before) => {
        const answer = fenced(code.join('\n'), 'ts', '\n');
        assertStreamsAsPrefixes(answer, { ...ts, contextBefore: before.join('\n'), contextAfter: 'let t = 0;\n}' });
      }),
      { numRuns: 300 },
    );
  });

  it('reindent round-trips, and sets the common indentation', () => {
    const indent = fc.constantFrom('', ' ', '  ', '    ', '\t', '\t ', '  \t');
    const line = fc.tuple(indent, fc.constantFrom('', 'a', 'b c', ' x', '\ty', '   '));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), indent, eolArb, (parts, to, eol) => {
        const text = parts.map(([i, t]) => i + t).join(eol);
        const from = commonIndent(text);
        const moved = reindent(text, from, to);
        assert.equal(reindent(moved, to, from), text);
        if (text.trim()) assert.equal(commonIndent(moved), to);
      }),
      { numRuns: 500 },
    );
  });

  it('a dedented answer moves right as a block, its first line at the selection\'s indentation', () => {
    const line = fc.tuple(fc.constantFrom('', '  ', '    '), fc.constantFrom('a();', 'if (x) {', '}', ''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('  ', '    ', '        '), (parts, target) => {
        const lines = parts.map(([i, t]) => (t ? i + t : ''));
        while (lines.length && lines[0] === '') lines.shift();
        while (lines.length && lines[lines.length - 1] === '') lines.pop();
        fc.pre(lines.length > 0 && lines[0].length - lines[0].trimStart().length < target.length);
        const shift = target.slice(lines[0].length - lines[0].trimStart().length);
        const result = cleanCodeAnswer(fenced(lines.join('\n'), 'ts', '\n'), { ...ts, originalIndent: target });
        assert.equal(result, lines.map((l) => (l ? shift + l : l)).join('\n'));
        assert.ok(result.startsWith(target) && !/\s/.test(result[target.length]));
      }),
      { numRuns: 300 },
    );
  });
});
