// Cleaning a code answer as it streams (src/core/edit/streamClean.ts): CodeAnswerStream against the
// batch cleaners of src/core/edit/clean.ts, on realistic answers and on random answers pushed in
// random pieces. What is checked at every push: lines shown stay (never retracted, `push` returns
// exactly the new ones), and they are a prefix of what cleanPartialCodeAnswer shows for the answer
// so far; at the end, a prefix of cleanCodeAnswer's lines, all of cleanPartialCodeAnswer's for an
// answer that is one block or plain code, and the same whatever the pieces.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { fenceFor } from '../../src/core/chat/prompt';
import { blockLines, completeLines } from '../../src/core/diff/text';
import { cleanCodeAnswer, cleanPartialCodeAnswer, CleanOptions } from '../../src/core/edit/clean';
import { CodeAnswerStream } from '../../src/core/edit/streamClean';

const ts: CleanOptions = { languageId: 'typescript', eol: '\n' };

/** Model-like tokens: a line break with the next line's indentation, words with their leading space, short punctuation runs. */
const TOKENS = /\r?\n[ \t]*|\r|[ ]?[A-Za-z_]{1,8}|[ ]?\d{1,3}|[ \t]+|[^\s\w]{1,2}|[\s\S]/gu;

type Chunking = { kind: 'chars' } | { kind: 'tokens' } | { kind: 'cuts'; cuts: number[] } | { kind: 'whole' };

function piecesOf(answer: string, chunking: Chunking): string[] {
  switch (chunking.kind) {
    case 'chars':
      return answer.split(''); // UTF-16 units: splits \r\n and surrogate pairs too
    case 'tokens':
      return answer.match(TOKENS) ?? [];
    case 'whole':
      return [answer];
    case 'cuts': {
      const at = [...new Set(chunking.cuts.map((c) => Math.floor(c * answer.length)))].sort((a, b) => a - b);
      const pieces: string[] = [];
      let from = 0;
      for (const c of at) {
        pieces.push(answer.slice(from, c)); // empty pieces too
        from = c;
      }
      pieces.push(answer.slice(from));
      return pieces;
    }
  }
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((l, i) => l === b[i]);

/**
 * Pushes `answer` in `pieces`, checking after each push that nothing shown was taken back, that
 * `push` returned the new lines, and (when the push completed a line) that the lines are a prefix
 * of cleanPartialCodeAnswer's for the answer so far. Returns the stream's lines at the end.
 */
function streamChecked(answer: string, opts: CleanOptions, pieces: readonly string[]): string[] {
  const stream = new CodeAnswerStream(opts);
  let sofar = '';
  let before: string[] = [];
  for (const piece of pieces) {
    const fresh = stream.push(piece);
    sofar += piece;
    const now = [...stream.lines];
    assert.deepEqual(now.slice(0, before.length), before, `retracted after ${JSON.stringify(sofar)}`);
    assert.deepEqual(fresh, now.slice(before.length), 'push returns the lines that became stable');
    if (/[\r\n]/.test(piece) || fresh.length) {
      const partial = completeLines(cleanPartialCodeAnswer(sofar, opts));
      assert.ok(isPrefix(now, partial), `not a prefix of cleanPartialCodeAnswer after ${JSON.stringify(sofar)}:\n${JSON.stringify(now)}\n${JSON.stringify(partial)}`);
    }
    before = now;
  }
  assert.equal(sofar, answer);
  const final = blockLines(cleanCodeAnswer(answer, opts));
  assert.ok(isPrefix(before, final), `not a prefix of cleanCodeAnswer:\n${JSON.stringify(before)}\n${JSON.stringify(final)}`);
  return before;
}

/** The stream's lines for `answer` pushed in one piece, without checks. */
function streamed(answer: string | readonly string[], opts: CleanOptions): string[] {
  const stream = new CodeAnswerStream(opts);
  for (const piece of typeof answer === 'string' ? [answer] : answer) stream.push(piece);
  return [...stream.lines];
}

const partialLines = (answer: string, opts: CleanOptions): string[] => completeLines(cleanPartialCodeAnswer(answer, opts));

describe('edit: CodeAnswerStream (examples)', () => {
  it('shows nothing during the lead-in, then the block line by line, and nothing after it closes', () => {
    const answer = 'Here is the updated code:\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\nThis version is clearer.\n```ts\nx();\n```\n';
    const stream = new CodeAnswerStream(ts);
    assert.deepEqual(stream.push('Here is the updated code:\n\n```ts\nconst a'), []);
    assert.deepEqual(stream.push(' = 1;\nconst b'), ['const a = 1;']);
    assert.deepEqual(stream.push(' = 2;\n'), ['const b = 2;']);
    assert.deepEqual(stream.push(answer.slice(answer.indexOf('```\n'))), []);
    assert.deepEqual(stream.lines, ['const a = 1;', 'const b = 2;']);
  });

  it('finds line breaks in any pieces: CRLF split across pushes, lone CR, empty pushes', () => {
    const opts: CleanOptions = { ...ts, eol: '\r\n' };
    const stream = new CodeAnswerStream(opts);
    for (const piece of ['```ts\r', '\na();\r', '', '\nb();\rc();\r', '\n\r\n', 'd();\r']) stream.push(piece);
    assert.deepEqual(stream.lines, ['a();', 'b();', 'c();', '', 'd();']);
    assert.deepEqual(stream.lines, partialLines('```ts\r\na();\r\nb();\rc();\r\n\r\nd();\r', opts));
  });

  it('takes off <think>, <answer> and /no_think leftovers, however long the thinking', () => {
    const thinking = Array.from({ length: 300 }, (_, i) => `Step ${i}: x = ${i}; maybe \`\`\`code\`\`\``).join('\n');
    const answer = `<think>\n${thinking}\n</think>\n<answer>\n/no_think\n\`\`\`ts\nif (a) {\n  b();\n}\n\`\`\`\n</answer>`;
    assert.deepEqual(streamChecked(answer, ts, piecesOf(answer, { kind: 'tokens' })), ['if (a) {', '  b();', '}']);
    assert.deepEqual(streamed('<think>\nstill thinking\nabout it\n', ts), []);
    assert.deepEqual(streamed('Okay, the user wants x doubled.\nSo x = x * 2;\n</think>\n<answer>\nx * 2;\ny();\n', ts), ['x * 2;', 'y();']);
  });

  it('streams unfenced code, holding back prose at the end until code follows', () => {
    const stream = new CodeAnswerStream(ts);
    assert.deepEqual(stream.push('Here\'s the refactored function:\nfunction f(a: number) {\n'), [], 'one line of code may be a lead-in');
    assert.deepEqual(stream.push('  return a * 2;\n'), ['function f(a: number) {', '  return a * 2;']);
    assert.deepEqual(stream.push('\nI\'ve replaced the loop.\n- Faster\n'), []);
    assert.deepEqual(stream.push('}\n'), ['', 'I\'ve replaced the loop.', '- Faster', '}'], 'code after it: it was code after all');
  });

  it('puts the indentation back from the first line, and original\'s blank lines first', () => {
    const opts: CleanOptions = { ...ts, original: '\n\n    if (a) {\n        b();\n    }\n' };
    const answer = '```ts\nif (a) {\n    b();\n\n    c();\n}\n```';
    assert.deepEqual(streamChecked(answer, opts, piecesOf(answer, { kind: 'chars' })), ['', '', '    if (a) {', '        b();', '', '        c();', '    }']);
    assert.deepEqual(streamed('```go\n  foo2()\n  bar()\n```', { languageId: 'go', eol: '\n', original: '\tfoo()\n\tbar()' }), ['\tfoo2()', '\tbar()']);
  });

  it('holds back a possible echo of the code above until it is decided', () => {
    const opts: CleanOptions = { languageId: 'python', eol: '\n', contextBefore: 'x = 1\n# compute the total\n# of all items' };
    const answer = '```python\n# compute the total\n# of all items\ntotal = sum(items)\n```';
    const stream = new CodeAnswerStream(opts);
    assert.deepEqual(stream.push('```python\n# compute the total\n# of all items\n'), []);
    assert.deepEqual(stream.push('total = sum(items)\n'), ['total = sum(items)']);
    assert.deepEqual(streamChecked(answer, opts, piecesOf(answer, { kind: 'chars' })), ['total = sum(items)']);
  });

  it('holds back a possible echo of the code below, and shows it once the code goes on', () => {
    const opts: CleanOptions = { ...ts, contextAfter: '  return total;\n}\n' };
    const stream = new CodeAnswerStream(opts);
    assert.deepEqual(stream.push('```ts\n  for (const x of xs) total += x;\n  return total;\n}\n'), ['  for (const x of xs) total += x;']);
    assert.deepEqual(stream.push('\n'), []);
    assert.deepEqual(stream.push('  log(total);\n'), ['  return total;', '}', '', '  log(total);']);
    assert.deepEqual(stream.push('  return total;\n}\n```\n'), []);
    assert.deepEqual(cleanCodeAnswer('```ts\n  for (const x of xs) total += x;\n  return total;\n}\n\n  log(total);\n  return total;\n}\n```\n', opts).split('\n'),
      ['  for (const x of xs) total += x;', '  return total;', '}', '', '  log(total);']);
  });

  it('follows a run of lines that repeats the code below however it overlaps itself', () => {
    const opts: CleanOptions = { ...ts, contextAfter: '}\n}\nx();\n}\n' };
    const answer = '```ts\na();\n}\n}\n}\nx();\n}\n}\nx();\nb();\n}\n}\nx();\n```\n';
    streamChecked(answer, opts, piecesOf(answer, { kind: 'chars' }));
    assert.deepEqual(streamed(answer, opts), ['a();', '}', '}', '}', 'x();', '}', '}', 'x();', 'b();']);
  });

  it('ends the answer at </answer>', () => {
    assert.deepEqual(streamed('x();\ny();\n</answer>\n', ts), ['x();', 'y();']);
    assert.deepEqual(streamed('<answer>\n```ts\nx();\ny();</answer>\n', ts), ['x();', 'y();']);
    assert.deepEqual(streamed('<answer>\nx();\ny();\nz();</answer>\nmore();\n', ts), ['x();', 'y();', 'z();']);
    // Before anything is shown, reading on loses nothing: what follows tells the tag was text.
    assert.deepEqual(streamed('s = "</answer>\na();\n', ts), ['s = "</answer>', 'a();']);
    assert.deepEqual(streamed('x</answer>\na();\nb();\n', ts), partialLines('x</answer>\na();\nb();\n', ts));
    assert.deepEqual(streamed('x</answer>\na();\nb();\n', ts), ['x</answer>', 'a();', 'b();']);
    const xml: CleanOptions = { languageId: 'xml', eol: '\n' };
    assert.deepEqual(streamed('<answer>\n  <text>42</text>\n</answer>\n<b/>\n', xml), ['<answer>', '  <text>42</text>', '</answer>', '<b/>'], 'an element in markup');
  });

  it('holds back a last line of fence characters in an open block (a closing fence cut short)', () => {
    const stream = new CodeAnswerStream(ts);
    assert.deepEqual(stream.push('```ts\nfoo();\n``\n'), ['foo();']);
    assert.deepEqual(cleanCodeAnswer('```ts\nfoo();\n``\n', ts), 'foo();');
    assert.deepEqual(stream.push('\n'), ['``'], 'it was code');
    assert.deepEqual(stream.push('bar();\n'), ['', 'bar();']);
    assert.deepEqual(streamed('````ts\nfoo();\n```\n````\n', ts), ['foo();', '```'], 'the block closed: it was code');
  });

  it('follows cleanPartialCodeAnswer to a block while nothing is shown, and stops after lines are shown', () => {
    // One line of code, then a block: the line was a lead-in.
    assert.deepEqual(streamed('a();\n```ts\nb();\nc();\n```\n', ts), ['b();', 'c();']);
    // Two lines held back as a possible echo of the code below, then a block.
    const opts: CleanOptions = { ...ts, contextAfter: 'a();\nb();\nc();' };
    const answer = 'a();\nb();\n```ts\nx();\n```\n';
    assert.deepEqual(streamChecked(answer, opts, piecesOf(answer, { kind: 'chars' })), ['x();']);
    // A first block with nothing to show, then the one in the document's language.
    assert.deepEqual(streamed('```bash\n\n```\nThen:\n```ts\ny();\n```\n', ts), ['y();']);
    // Shown lines, then a block or the end of thinking: cleanPartialCodeAnswer changes its mind; the stream stops.
    assert.deepEqual(streamed('a();\nb();\n```ts\nx();\n```\n', ts), ['a();', 'b();']);
    assert.deepEqual(streamed('a();\nb();\n</think>\nx();\ny();\n', ts), ['a();', 'b();']);
  });

  it('keeps everything of a prose language once two lines of content arrived', () => {
    const md: CleanOptions = { languageId: 'markdown', eol: '\n' };
    const answer = 'Here is the updated paragraph:\n\nThe tool reads the file.\nIt writes the result.\n\nThis version is shorter.\n';
    assert.deepEqual(streamed('Here is the updated paragraph:\n\nThe tool reads the file.\n', md), [], 'one line may be a lead-in');
    assert.deepEqual(streamChecked(answer, md, piecesOf(answer, { kind: 'tokens' })), partialLines(answer, md));
    assert.deepEqual(streamed(answer, md), ['Here is the updated paragraph:', '', 'The tool reads the file.', 'It writes the result.', '', 'This version is shorter.']);
  });

  it('gives the same lines as cleanPartialCodeAnswer for a long rewrite, pushed token by token', () => {
    const body = Array.from({ length: 400 }, (_, i) => (i % 9 === 8 ? '' : `${'  '.repeat(i % 3)}line${i}(${i}); // 中文 ${i}`));
    const answer = `以下是修改后的代码：\n\n\`\`\`ts\n${body.join('\n')}\n\`\`\`\n\nThis version is shorter.`;
    const opts: CleanOptions = { ...ts, original: `    ${body[0]}\n`, contextBefore: `a();\n${body[0]}`, contextAfter: `${body[398]}\n}` };
    const stream = new CodeAnswerStream(opts);
    for (const token of piecesOf(answer, { kind: 'tokens' })) stream.push(token);
    assert.deepEqual(stream.lines, partialLines(answer, opts));
    assert.deepEqual(stream.lines, blockLines(cleanCodeAnswer(answer, opts)));
  });
});

// ---- properties ----------------------------------------------------------------------------------

const indentArb = fc.constantFrom('', '', '  ', '    ', '\t');
/** Lines of code: code, blank lines, prose-looking lines, braces, CJK, fence-like and tag-like lines, random text. */
const knownLine = fc.constantFrom(
  'const x = 1;', 'return a + b;', '}', '{', 'if (a) {', '} else {', 'foo(bar);', 'let t = 0;', '// Here is the code:', 'This is not prose here.',
  'Here is the updated code:', 'I\'ve renamed `x`.', '- a bullet', '1. first', '**Explanation:**', '### Heading', '中文注释', 'const 名字 = "值";',
  '这段代码更简洁。', '以下是代码：', '```', '~~~', '````js', '``', '`x`', '<answer>', '</think>', '/no_think', 'def f(x):', 'SELECT 1',
  '#include <stdio.h>', '"""', 'Sure!', '',
);
const anyText = fc.string({ maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, ' '));
const codeLine = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(indentArb, knownLine).map(([indent, text]) => indent + text) },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '\t') },
).filter((l) => !/<\/answer>\s*$/.test(l)); // a line ending with </answer> ends the answer: only as a wrapper below

const BEFORE = ['function total(xs: number[]) {', '  // sum the items', '  let t = 0;'];
const AFTER = ['  return t;', '}', '', 'export const g = 1;'];
const contextArb = fc.record({
  before: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), // contextBefore given; how many of its last lines the answer repeats
  after: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), // contextAfter given; how many of its first lines the answer repeats
  original: fc.constantFrom(undefined, '    x();\n', '\n\n  y();\n\n', 'z();'),
  originalIndent: fc.constantFrom(undefined, undefined, '\t', '      '),
  eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  breaks: fc.constantFrom('\n', '\r\n', 'mixed'),
});
type Context = typeof contextArb extends fc.Arbitrary<infer T> ? T : never;

function optionsFor(languageId: string, c: Context): CleanOptions {
  const opts: CleanOptions = { languageId, eol: c.eol };
  if (c.before !== undefined) opts.contextBefore = `${BEFORE.join('\n')}\n`;
  if (c.after !== undefined) opts.contextAfter = AFTER.join('\n');
  if (c.original !== undefined) opts.original = c.original;
  if (c.originalIndent !== undefined) opts.originalIndent = c.originalIndent;
  return opts;
}

/** The code lines with the echoes of the context the answer makes. */
const withEchoes = (lines: readonly string[], c: Context): string[] =>
  [...BEFORE.slice(BEFORE.length - (c.before ?? 0)), ...lines, ...AFTER.slice(0, c.after ?? 0)];

/** `\n` line breaks as `\r\n`, or every other one. */
function withBreaks(text: string, breaks: string): string {
  if (breaks === '\n') return text;
  if (breaks === '\r\n') return text.replace(/\n/g, '\r\n');
  let k = 0;
  return text.replace(/\n/g, () => (k++ % 2 ? '\r\n' : '\n'));
}

const leadIn = fc.constantFrom(
  '', 'Here is the updated code:\n\n', 'Sure! Here\'s the rewritten function:\n', '以下是修改后的代码：\n\n', '<answer>\n', '/no_think\n',
  '<think>\nplan\n</think>\n<answer>\n', '<think>\nThe user wants a loop.\nx = 1;\nLet me write `x()`.\n</think>\n\n', 'Let me rewrite it with a map\n',
);
const tailOut = fc.constantFrom('', '\n', '\n\nThis version is shorter.', '\n\nI\'ve renamed `x`.\n- one\n- two\n', '\n</answer>', '\n</answer>\n', '\n\n这段代码更简洁。\n');
const openEnd = fc.constantFrom('', '\n', '\n``', '\n``\n', '\n\n');
const chunkingArb: fc.Arbitrary<Chunking> = fc.oneof(
  fc.constant<Chunking>({ kind: 'chars' }),
  fc.constant<Chunking>({ kind: 'tokens' }),
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }).map((cuts): Chunking => ({ kind: 'cuts', cuts })),
);

/** A fenced answer: lead-in, one block (closed, with prose after it, or cut), with echoes of the context. */
const fencedAnswer = fc.record({
  code: fc.array(codeLine, { minLength: 1, maxLength: 14 }),
  lead: leadIn,
  tail: tailOut,
  closed: fc.boolean(),
  end: openEnd,
  tag: fc.constantFrom('ts', 'typescript', '', 'python'),
  languageId: fc.constantFrom('typescript', 'typescript', 'python', 'markdown', 'xml'),
  context: contextArb,
}).map((a) => {
  const code = withEchoes(a.code, a.context).join('\n');
  const fence = fenceFor(code);
  const block = `${fence}${a.tag}\n${code}\n${a.closed ? fence + a.tail : ''}`;
  const answer = withBreaks(a.lead + (a.closed ? block : block.slice(0, -1) + a.end), a.context.breaks);
  return { answer, opts: optionsFor(a.languageId, a.context) };
});

/** An unfenced answer: lead-in, lines of code (no fence, no `</think>` line), a last line of code or prose after it. */
const plainLine = codeLine.filter((l) => !/^[ \t]*(?:`{3,}|~{3,})/.test(l) && !/^[ \t]*<\/think>[ \t]*$/.test(l));
const plainAnswer = fc.record({
  code: fc.array(plainLine, { minLength: 1, maxLength: 14 }),
  lead: fc.constantFrom('', 'Here is the updated code:\n', '以下是修改后的代码：\n', '<answer>\n', '/no_think\n', '<think>\nplan\n</think>\n'),
  last: fc.constantFrom('done(1);\n', 'done(1);\n</answer>', 'done(1);\n</answer>\n', '', '\nThis version is shorter.\n', '\n**Explanation:** renamed.\n- one\n'),
  languageId: fc.constantFrom('typescript', 'typescript', 'python', 'markdown'),
  context: contextArb,
}).map((a) => {
  const answer = withBreaks(`${a.lead}${withEchoes(a.code, a.context).join('\n')}\n${a.last}`, a.context.breaks);
  return { answer, opts: optionsFor(a.languageId, a.context), endsWithCode: a.last.startsWith('done(1);') };
});

/** Fence characters alone: held back at the end of an open block, in case they are its closing fence cut short. */
const CUT_FENCE = /^[ \t]*(?:`+|~+)[ \t]*$/;

describe('edit: CodeAnswerStream (properties)', () => {
  it('a fenced answer in any pieces: never retracts, prefix of both cleaners, all of the block at the end', () => {
    fc.assert(
      fc.property(fencedAnswer, chunkingArb, ({ answer, opts }, chunking) => {
        const lines = streamChecked(answer, opts, piecesOf(answer, chunking));
        const partial = partialLines(answer, opts);
        if (lines.length === partial.length) return;
        // What the stream may still hold at the end: the last line of an open block (its closing
        // fence not complete yet) when it is fence characters alone (cleanCodeAnswer drops it), so
        // what it shows is what it showed before that line.
        const rows = answer.replace(/\r\n?/g, '\n').split('\n').slice(0, -1);
        assert.ok(rows.length && CUT_FENCE.test(rows[rows.length - 1]), `holds back ${JSON.stringify(partial.slice(lines.length))} of ${JSON.stringify(answer)}`);
        assert.deepEqual(lines, partialLines(rows.slice(0, -1).map((r) => `${r}\n`).join(''), opts));
      }),
      { numRuns: 400 },
    );
  });

  it('an unfenced answer in any pieces: never retracts, prefix of both cleaners, all of the code when it ends with code', () => {
    fc.assert(
      fc.property(plainAnswer, chunkingArb, ({ answer, opts, endsWithCode }, chunking) => {
        const lines = streamChecked(answer, opts, piecesOf(answer, chunking));
        if (endsWithCode) assert.deepEqual(lines, partialLines(answer, opts));
      }),
      { numRuns: 400 },
    );
  });

  it('the pieces do not change the lines', () => {
    fc.assert(
      fc.property(fc.oneof(fencedAnswer, plainAnswer), chunkingArb, ({ answer, opts }, chunking) => {
        const whole = streamed(answer, opts);
        assert.deepEqual(streamed(piecesOf(answer, chunking), opts), whole);
        assert.deepEqual(streamed(piecesOf(answer, { kind: 'chars' }), opts), whole);
        assert.deepEqual(streamed(piecesOf(answer, { kind: 'whole' }), opts), whole);
      }),
      { numRuns: 300 },
    );
  });

  it('any text at all: never retracts, and stays a prefix of cleanPartialCodeAnswer where it does not change its mind', () => {
    const line = fc.oneof(codeLine, fc.constantFrom('```ts', '```', '~~~', '<think>', '</think>', '<answer>', '</answer>', 'x();</answer>'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 16 }), contextArb, fc.constantFrom('typescript', 'xml', 'markdown'), chunkingArb, (lines, context, languageId, chunking) => {
        const answer = withBreaks(lines.join('\n'), context.breaks);
        const opts = optionsFor(languageId, context);
        // Where cleanPartialCodeAnswer first takes a line back (the documented exceptions), line by line.
        let changesMind = Infinity;
        let previous: string[] = [];
        for (let i = 1; i <= answer.length && changesMind === Infinity; i++) {
          if (answer[i - 1] !== '\n' && answer[i - 1] !== '\r') continue;
          const partial = partialLines(answer.slice(0, i), opts);
          if (!isPrefix(previous, partial)) changesMind = i;
          previous = partial;
        }
        const stream = new CodeAnswerStream(opts);
        let sofar = '';
        let before: readonly string[] = [];
        for (const piece of piecesOf(answer, chunking)) {
          const fresh = stream.push(piece);
          sofar += piece;
          assert.deepEqual(stream.lines.slice(0, before.length), before);
          assert.deepEqual(fresh, stream.lines.slice(before.length));
          before = [...stream.lines];
          if (sofar.length < changesMind) {
            const partial = partialLines(sofar, opts);
            assert.ok(isPrefix(before, partial), `${JSON.stringify(sofar)}:\n${JSON.stringify(before)}\n${JSON.stringify(partial)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
