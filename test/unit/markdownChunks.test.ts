// Where the chat view cuts code blocks into chunks and a failed Markdown block into pieces
// (src/common/markdown/chunks.ts): the pieces always make up the text, a code block streamed in
// any pieces is cut where the whole block is, and no piece of a failed block cuts a fence.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHUNK_MAX, CHUNK_MIN, codeChunkEnd, fallbackPieces, nestingExceeds, splitCode } from '../../src/common/markdown/chunks';

const codeLine = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('const a = 1;', '  return x + y;', '"a string"', '// comment', '}', 'def f(x):', '中文注释') },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => 'x'.repeat(n)) },
);
const code = fc.array(codeLine, { maxLength: 400 }).map((lines) => lines.join('\n'));

/** Cuts as a stream sees them: the code arrives in pieces, each cut found as soon as it is due. */
function streamedCuts(text: string, arrivals: number[]): number[] {
  const cuts: number[] = [];
  let chunkStart = 0;
  let scanFrom = 0;
  for (const end of [...arrivals.filter((a) => a < text.length).sort((a, b) => a - b), text.length]) {
    const seen = text.slice(0, end);
    for (;;) {
      const cut = codeChunkEnd(seen, chunkStart, scanFrom);
      if (cut < 0) break;
      cuts.push(cut);
      chunkStart = scanFrom = cut;
    }
    scanFrom = Math.max(chunkStart, seen.lastIndexOf('\n') + 1);
  }
  return cuts;
}

describe('code block chunks', () => {
  it('make up the code, end at line ends, and are cut at a blank line or at the size limit', () => {
    fc.assert(fc.property(code, (text) => {
      const chunks = splitCode(text);
      assert.equal(chunks.join(''), text);
      assert.ok(chunks.length >= 1);
      for (const c of chunks.slice(0, -1)) {
        assert.ok(c.endsWith('\n'));
        const lines = c.slice(0, -1).split('\n');
        const blankEnd = !lines[lines.length - 1].trim() && c.length >= CHUNK_MIN;
        const longLineEnd = c.length - (lines[lines.length - 1].length + 1) < CHUNK_MAX;
        assert.ok(blankEnd || (c.length >= CHUNK_MAX && longLineEnd), `a chunk of ${c.length} cut where it should not be`);
      }
    }));
  });

  it('are cut at the same places whatever pieces the code streamed in', () => {
    fc.assert(fc.property(code.chain((text) => fc.tuple(fc.constant(text), fc.array(fc.nat({ max: text.length }), { maxLength: 40 }))), ([text, arrivals]) => {
      const whole = splitCode(text);
      const ends = whole.slice(0, -1).map((_, i) => whole.slice(0, i + 1).join('').length);
      // the stream cannot know the last line is finished: a cut at its very end is the finish's
      assert.deepEqual(streamedCuts(text, arrivals).filter((c) => c < text.length), ends);
    }));
  });

  it('a short block is one chunk', () => {
    assert.deepEqual(splitCode('let a = 1;\n\nlet b = 2;\n'), ['let a = 1;\n\nlet b = 2;\n']);
    assert.deepEqual(splitCode(''), ['']);
  });
});

describe('pieces of a Markdown block that could not be rendered', () => {
  const mdLine = fc.constantFrom('text', '', '```', '```ts', '~~~', '> quote', '- item', '    code', '````');
  it('make up the block, start after blank lines, and never cut inside a fenced code block', () => {
    fc.assert(fc.property(fc.array(mdLine, { maxLength: 60 }).map((l) => l.join('\n')), (text) => {
      const pieces = fallbackPieces(text);
      assert.equal(pieces.join(''), text);
      for (const [i, p] of pieces.entries()) {
        if (i > 0) assert.match(pieces[i - 1], /\n[ \t]*\n$/, 'a piece starts after a blank line');
        assert.ok(p.trim() || i === 0, 'no piece of blank lines only');
      }
      // a cut never falls between a fence's opening and closing lines
      let at = 0;
      for (const p of pieces.slice(0, -1)) {
        at += p.length;
        const before = text.slice(0, at).split('\n');
        let open: string | undefined;
        for (const l of before) {
          const m = /^ {0,3}(`{3,}|~{3,})/.exec(l);
          if (!m) continue;
          if (!open) open = m[1];
          else if (m[1][0] === open[0] && m[1].length >= open.length && !l.slice(m[0].length).trim()) open = undefined;
        }
        assert.equal(open, undefined, `cut inside a fence at ${at}: ${JSON.stringify(text)}`);
      }
    }));
  });

  it('cut 2 KB of nested quotes off from the prose around it', () => {
    const bad = `${'>'.repeat(2048)} deep`;
    assert.deepEqual(fallbackPieces(`Before.\n\n${bad}\n\nAfter.\n`), ['Before.\n\n', `${bad}\n\n`, 'After.\n']);
  });
});

describe('nesting of quotes and lists', () => {
  it('counts the block quotes and list items a line opens', () => {
    assert.equal(nestingExceeds(`${'>'.repeat(300)} a`, 256), true);
    assert.equal(nestingExceeds(`${'> '.repeat(256)}a`, 256), false);
    assert.equal(nestingExceeds(`${'> '.repeat(257)}a`, 256), true);
    assert.equal(nestingExceeds(`text\n${'- '.repeat(200)}${'1. '.repeat(100)}a`, 256), true);
    assert.equal(nestingExceeds(`${'-'.repeat(1000)}\n${'*'.repeat(1000)}a*`, 256), false, 'rules and emphasis are not nesting');
    assert.equal(nestingExceeds('> quote\n>> more\n- item\n  - nested', 2), false);
  });
});
