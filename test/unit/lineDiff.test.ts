import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { computeLineHunks, DiffHunk, StreamingHunks } from '../../src/core/diff/hunks';
import { diffLineRanges, longestIncreasing, normalizeLine } from '../../src/core/diff/lineDiff';

// ---------------------------------------------------------------------------------------------
// Checks, independent of the diff: hunks as edits of the original.
// ---------------------------------------------------------------------------------------------

/** `original` with every hunk applied. */
function applyHunks(original: readonly string[], hunks: readonly DiffHunk[]): string[] {
  const result = [...original];
  for (const hunk of [...hunks].reverse()) result.splice(hunk.start, hunk.removed.length, ...hunk.added);
  return result;
}

/**
 * The hunks are a valid diff of original → proposal: each non-empty, removing the original's own
 * lines, in order and separated by at least one unchanged line (so maximal runs), and applying
 * them gives the proposal.
 */
function assertValidDiff(original: readonly string[], proposal: readonly string[], hunks: readonly DiffHunk[]): void {
  hunks.forEach((hunk, k) => {
    assert.ok(hunk.removed.length + hunk.added.length > 0, `hunk ${k} is not empty`);
    assert.deepEqual(hunk.removed, original.slice(hunk.start, hunk.start + hunk.removed.length), `hunk ${k} removes its original lines`);
    if (k > 0) {
      const before = hunks[k - 1];
      assert.ok(hunk.start > before.start + before.removed.length, `an unchanged line before hunk ${k}`);
    }
  });
  assert.deepEqual(applyHunks(original, hunks), proposal);
}

/**
 * The hunks are the start of a valid diff of original → a proposal beginning with `proposal`:
 * between hunks the lines are unchanged, each hunk removes original lines and adds proposal lines
 * where it stands, and at least one unchanged line follows each (a hunk is only shown once
 * settled).
 */
function assertSettledPrefix(original: readonly string[], proposal: readonly string[], hunks: readonly DiffHunk[]): void {
  let i = 0;
  let j = 0;
  hunks.forEach((hunk, k) => {
    assert.ok(hunk.start >= i, `hunk ${k} in order`);
    for (; i < hunk.start; i++, j++) assert.equal(proposal[j], original[i], `unchanged line before hunk ${k}`);
    assert.ok(hunk.removed.length + hunk.added.length > 0, `hunk ${k} is not empty`);
    assert.deepEqual(hunk.removed, original.slice(i, i + hunk.removed.length), `hunk ${k} removes its original lines`);
    assert.deepEqual(hunk.added, proposal.slice(j, j + hunk.added.length), `hunk ${k} adds the proposal's lines`);
    i += hunk.removed.length;
    j += hunk.added.length;
    assert.ok(i < original.length && j < proposal.length && original[i] === proposal[j], `an unchanged line after hunk ${k}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Realistic inputs: code-like lines from a small alphabet (so lines repeat), blank lines and
// braces, edited by insertions, deletions and changes of a few lines, re-indented and moved blocks.
// ---------------------------------------------------------------------------------------------

const codeLines: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('', '}', '  }', '{', '});', '  return x;', '    break;') },
  { weight: 6, arbitrary: fc.nat(30).map((k) => `  call${k}(value);`) },
  { weight: 2, arbitrary: fc.nat(10).map((k) => `function f${k}(a, b) {`) },
  { weight: 1, arbitrary: fc.nat(5).map((k) => `    if (x${k}) {`) },
);

type Edit =
  | { readonly kind: 'insert' | 'change'; readonly at: number; readonly count: number; readonly lines: readonly string[] }
  | { readonly kind: 'delete' | 'reindent' | 'dedent'; readonly at: number; readonly count: number }
  | { readonly kind: 'move'; readonly at: number; readonly count: number; readonly to: number };

const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('insert' as const, 'change' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 6 }), lines: fc.array(codeLines, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'reindent' as const, 'dedent' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('move' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }), to: fc.nat() }),
);

function applyEdits(original: readonly string[], plan: readonly Edit[]): string[] {
  const lines = [...original];
  for (const edit of plan) {
    const at = edit.at % (lines.length + 1);
    const count = Math.min(edit.count, lines.length - at);
    switch (edit.kind) {
      case 'insert':
        lines.splice(at, 0, ...edit.lines);
        break;
      case 'change':
        lines.splice(at, count, ...edit.lines);
        break;
      case 'delete':
        lines.splice(at, count);
        break;
      case 'reindent':
      case 'dedent':
        for (let k = at; k < at + count; k++) {
          if (lines[k] === '') continue;
          lines[k] = edit.kind === 'reindent' ? `  ${lines[k]}` : lines[k].replace(/^ {1,2}/, '');
        }
        break;
      case 'move': {
        const block = lines.splice(at, count);
        lines.splice(edit.to % (lines.length + 1), 0, ...block);
        break;
      }
    }
  }
  return lines;
}

interface Pair {
  readonly original: readonly string[];
  readonly proposal: readonly string[];
}

const pairs: fc.Arbitrary<Pair> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ original: fc.array(codeLines, { maxLength: 60 }), plan: fc.array(edits, { maxLength: 6 }) })
    .map(({ original, plan }) => ({ original, proposal: applyEdits(original, plan) })) },
  { weight: 1, arbitrary: fc.record({ original: fc.array(codeLines, { maxLength: 30 }), proposal: fc.array(codeLines, { maxLength: 30 }) }) },
);

/** Pushes the proposal in batches of the given sizes (cycled), reading the diff after some of them. */
interface StreamPlan {
  readonly batches: readonly number[];
  readonly reads: readonly boolean[];
}

const streamPlans: fc.Arbitrary<StreamPlan> = fc.record({
  batches: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }),
  reads: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
});

/**
 * Streams `proposal` by `plan`, checking after each read that `frozen` only grew (the same objects,
 * unchanged), that the frozen point only moved on, and that frozen + provisional is a settled
 * prefix of a diff. Returns the differ, ready to finish.
 */
function stream(original: readonly string[], proposal: readonly string[], plan: StreamPlan): StreamingHunks {
  const differ = new StreamingHunks(original);
  const seen: { hunk: DiffHunk; json: string }[] = [];
  let point = { original: 0, proposal: 0 };
  let pushed = 0;
  for (let step = 0; pushed < proposal.length; step++) {
    const size = plan.batches[step % plan.batches.length];
    differ.push(proposal.slice(pushed, pushed + size));
    pushed = Math.min(proposal.length, pushed + size);
    if (!plan.reads[step % plan.reads.length]) continue;
    const frozen = differ.frozen;
    assert.ok(frozen.length >= seen.length, 'frozen only grows');
    seen.forEach(({ hunk, json }, k) => {
      assert.equal(frozen[k], hunk, `frozen hunk ${k} is the same object`);
      assert.equal(JSON.stringify(frozen[k]), json, `frozen hunk ${k} is unchanged`);
    });
    for (let k = seen.length; k < frozen.length; k++) seen.push({ hunk: frozen[k], json: JSON.stringify(frozen[k]) });
    const next = differ.frozenPoint;
    assert.ok(next.original >= point.original && next.proposal >= point.proposal, 'the frozen point only moves on');
    assert.ok(next.original <= original.length && next.proposal <= pushed);
    point = next;
    const last = frozen[frozen.length - 1];
    if (last) assert.ok(last.start + last.removed.length < point.original, 'frozen hunks end before the frozen point');
    const provisional = differ.provisional();
    // the first may be the open hunk, ending at the frozen point
    provisional.forEach((hunk) => assert.ok(hunk.start + hunk.removed.length >= point.original, 'provisional hunks reach past the frozen point'));
    assertSettledPrefix(original, proposal.slice(0, pushed), [...frozen, ...provisional]);
  }
  return differ;
}

// ---------------------------------------------------------------------------------------------

describe('computeLineHunks (anchored diff)', () => {
  it('is a valid diff: applying the hunks gives the proposal; ordered, separated, non-empty hunks', () => {
    fc.assert(fc.property(pairs, ({ original, proposal }) => {
      assertValidDiff(original, proposal, computeLineHunks(original, proposal));
    }), { numRuns: 1000 });
  });

  it('with partial, leaves out only a last hunk that reaches the end of both sides', () => {
    fc.assert(fc.property(pairs, ({ original, proposal }) => {
      const full = computeLineHunks(original, proposal);
      const partial = computeLineHunks(original, proposal, { partial: true });
      const last = full[full.length - 1];
      const trailing = last !== undefined && last.start + last.removed.length === original.length;
      assert.deepEqual(partial, trailing ? full.slice(0, -1) : full);
    }), { numRuns: 300 });
  });

  it('stays valid where Myers gives up on a gap (which becomes one hunk), and on sub-ranges', () => {
    fc.assert(fc.property(pairs, fc.nat(), fc.nat(), ({ original, proposal }, x, y) => {
      // a tiny allowance: Myers gives up on any gap of more than 16 edits
      assertValidDiff(original, proposal, diffLineRanges(original, 0, original.length, proposal, 0, proposal.length, { myersBudget: 1 }));
      const aFrom = x % (original.length + 1);
      const bFrom = y % (proposal.length + 1);
      const hunks = diffLineRanges(original, aFrom, original.length, proposal, bFrom, proposal.length);
      hunks.forEach((hunk) => assert.ok(hunk.start >= aFrom));
      const shifted = hunks.map((hunk) => ({ ...hunk, start: hunk.start - aFrom }));
      assertValidDiff(original.slice(aFrom), proposal.slice(bFrom), shifted);
    }), { numRuns: 500 });
  });

  it('handles empty sides', () => {
    assert.deepEqual(computeLineHunks([], []), []);
    assert.deepEqual(computeLineHunks([], ['a', '']), [{ start: 0, removed: [], added: ['a', ''] }]);
    assert.deepEqual(computeLineHunks(['a', ''], []), [{ start: 0, removed: ['a', ''], added: [] }]);
    assert.deepEqual(computeLineHunks(['a'], [], { partial: true }), []);
  });

  it('makes a full re-indent of 5000 lines one hunk (no Myers blow-up)', () => {
    const original = Array.from({ length: 5000 }, (_, i) => `  total += compute(${i}, values[${i % 97}]);`);
    const proposal = original.map((line) => `  ${line}`);
    assert.deepEqual(computeLineHunks(original, proposal), [{ start: 0, removed: original, added: proposal }]);
  });

  it('pairs re-indented lines, so the blank line between two re-indented functions stays unchanged', () => {
    const original = ['function a() {', '  one();', '}', '', 'function b() {', '  two();', '}', '', 'end();'];
    const proposal = ['if (on) {', '  function a() {', '    one();', '  }', '', '  function b() {', '    two();', '  }', '}', '', 'end();'];
    const hunks = computeLineHunks(original, proposal);
    assertValidDiff(original, proposal, hunks);
    // the last `}` is kept as the new block's end (a repeated line: aligned by Myers, as it would be)
    assert.deepEqual(hunks.map((h) => [h.start, h.removed.length, h.added.length]), [[0, 3, 4], [4, 2, 3]]);
  });

  it('gives the patience hunks where Myers would interleave two functions', () => {
    // The classic example: a function replaced by another one inserted earlier.
    const original = [
      '#include <stdio.h>', '', '// Frobs foo heartily', 'int frobnitz(int foo)', '{', '    int i;', '    for(i = 0; i < 10; i++)', '    {',
      '        printf("Your answer is: ");', '        printf("%d\\n", foo);', '    }', '}', '', 'int fact(int n)', '{', '    if(n > 1)', '    {',
      '        return fact(n-1) * n;', '    }', '    return 1;', '}', '', 'int main(int argc, char **argv)', '{', '    frobnitz(fact(10));', '}',
    ];
    const proposal = [
      '#include <stdio.h>', '', 'int fib(int n)', '{', '    if(n > 2)', '    {', '        return fib(n-1) + fib(n-2);', '    }', '    return 1;', '}', '',
      '// Frobs foo heartily', 'int frobnitz(int foo)', '{', '    int i;', '    for(i = 0; i < 10; i++)', '    {', '        printf("%d\\n", foo);', '    }',
      '}', '', 'int main(int argc, char **argv)', '{', '    frobnitz(fib(10));', '}',
    ];
    const hunks = computeLineHunks(original, proposal);
    assertValidDiff(original, proposal, hunks);
    assert.deepEqual(hunks, [
      { start: 2, removed: [], added: proposal.slice(2, 11) },
      { start: 8, removed: ['        printf("Your answer is: ");'], added: [] },
      { start: 13, removed: original.slice(13, 22), added: [] },
      { start: 24, removed: ['    frobnitz(fact(10));'], added: ['    frobnitz(fib(10));'] },
    ]);
  });

  it('rewrites mean() into fewer lines as one hunk between its kept lines', () => {
    const original = [
      'export function mean(values: number[]): number {', '  let sum = 0;', '  for (const value of values) {', '    sum += value;', '  }',
      '  return sum / values.length;', '}',
    ];
    const proposal = ['export function mean(values: number[]): number {', '  return values.reduce((a, b) => a + b, 0) / values.length;', '}'];
    const expected = [{ start: 1, removed: original.slice(1, 6), added: [proposal[1]] }];
    assert.deepEqual(computeLineHunks(original, proposal), expected);
    // streamed: the signature is an anchor; the rewrite shows once the closing brace follows it
    const differ = new StreamingHunks(original);
    differ.push(proposal.slice(0, 2));
    assert.deepEqual(differ.frozenPoint, { original: 1, proposal: 1 });
    assert.deepEqual(differ.provisional(), []);
    differ.push(proposal.slice(2));
    assert.deepEqual(differ.provisional(), expected);
    assert.deepEqual(differ.finish(), { hunks: expected, reached: original.length });
  });
});

describe('StreamingHunks', () => {
  it('streamed in any batches, frozen only grows, provisional hunks are settled, and finish is a valid diff', () => {
    fc.assert(fc.property(pairs, streamPlans, ({ original, proposal }, plan) => {
      const differ = stream(original, proposal, plan);
      const frozen = [...differ.frozen];
      const { hunks, reached } = differ.finish();
      assertValidDiff(original, proposal, hunks);
      assert.equal(reached, original.length);
      frozen.forEach((hunk, k) => assert.equal(hunks[k], hunk, 'finish starts with the frozen hunks themselves'));
      assert.throws(() => differ.push(['more']), /already complete/);
    }), { numRuns: 1000 });
  });

  it('pushed at once and finished without reading, gives exactly computeLineHunks', () => {
    fc.assert(fc.property(pairs, ({ original, proposal }) => {
      const differ = new StreamingHunks(original);
      differ.push(proposal);
      assert.deepEqual(differ.finish().hunks, computeLineHunks(original, proposal));
    }), { numRuns: 300 });
  });

  it('cut short, never removes original lines past `reached`, and the hunks turn the lines before it into the proposal', () => {
    fc.assert(fc.property(pairs, streamPlans, ({ original, proposal }, plan) => {
      const { hunks, reached } = stream(original, proposal, plan).finish({ cutShort: true });
      assert.ok(reached >= 0 && reached <= original.length);
      for (const hunk of hunks) assert.ok(hunk.start + hunk.removed.length <= reached, 'nothing removed past reached');
      assertValidDiff(original.slice(0, reached), proposal, hunks);
      const full = computeLineHunks(original, proposal);
      if (full.length === 0) assert.equal(reached, original.length);
    }), { numRuns: 600 });
  });

  it('cut short while rewriting line for line, `reached` is where the proposal stopped', () => {
    const rewrites = fc.record({
      size: fc.integer({ min: 1, max: 40 }),
      kinds: fc.array(fc.constantFrom('keep', 'keep', 'comment', 'reindent', 'rename'), { minLength: 40, maxLength: 40 }),
      cut: fc.nat(),
      plan: streamPlans,
    });
    fc.assert(fc.property(rewrites, ({ size, kinds, cut, plan }) => {
      // distinct lines, also once whitespace-normalized; a changed line equals no original line
      const original = Array.from({ length: size }, (_, i) => `${' '.repeat(2 * (i % 3))}step${i}(state);`);
      const rewritten = original.map((line, i) => {
        if (kinds[i] === 'comment') return `${line} // checked`;
        if (kinds[i] === 'reindent') return `  ${line}`;
        if (kinds[i] === 'rename') return line.replace('state', 'context');
        return line;
      });
      const k = 1 + (cut % size);
      const proposal = rewritten.slice(0, k);
      const atOnce = new StreamingHunks(original);
      atOnce.push(proposal);
      for (const differ of [stream(original, proposal, plan), atOnce]) {
        const { hunks, reached } = differ.finish({ cutShort: true });
        assert.equal(reached, k);
        assertValidDiff(original.slice(0, k), proposal, hunks);
      }
    }), { numRuns: 400 });
  });

  it('cut short: limits a last rewrite to as many lines as it adds, and drops a last pure removal', () => {
    const original = ['a1();', 'a2();', 'a3();', 'a4();', 'a5();'];
    const rewrite = new StreamingHunks(original);
    rewrite.push(['a1();', 'A2();']);
    assert.deepEqual(rewrite.finish({ cutShort: true }), { hunks: [{ start: 1, removed: ['a2();'], added: ['A2();'] }], reached: 2 });
    const copy = new StreamingHunks(original);
    copy.push(['a1();', 'A2();', 'a3();']);
    assert.deepEqual(copy.finish({ cutShort: true }), { hunks: [{ start: 1, removed: ['a2();'], added: ['A2();'] }], reached: 3 });
    const whole = new StreamingHunks(original);
    whole.push(['a1();', 'A2();', 'a3();']);
    assert.deepEqual(whole.finish(), {
      hunks: [{ start: 1, removed: ['a2();'], added: ['A2();'] }, { start: 3, removed: ['a4();', 'a5();'], added: [] }], reached: 5,
    });
    const more = new StreamingHunks(original);
    more.push(['a1();', 'a2();', 'a3();', 'a4();', 'X();', 'Y();']);
    assert.deepEqual(more.finish({ cutShort: true }), { hunks: [{ start: 4, removed: ['a5();'], added: ['X();', 'Y();'] }], reached: 5 });
  });

  it('cut short after a line repeated further on (a `}`, a `</ul>`): pairs it with the nearest one, never removes what follows', () => {
    const cases = [
      { original: ['function a() {', '  x = 1;', '}', 'function b() {', '  y = 2;', '}'], proposal: ['function a() {', '  x = 10;', '}'], change: [1, ['  x = 1;'], ['  x = 10;']] },
      { original: ['<ul>', '  <li>One</li>', '</ul>', '<ul>', '  <li>Two</li>', '</ul>'], proposal: ['<ul>', '  <li>Uno</li>', '</ul>'], change: [1, ['  <li>One</li>'], ['  <li>Uno</li>']] },
    ];
    for (const { original, proposal, change } of cases) {
      const atOnce = new StreamingHunks(original);
      atOnce.push(proposal);
      const streamed = new StreamingHunks(original);
      for (const line of proposal) {
        streamed.push([line]);
        streamed.provisional();
      }
      for (const differ of [atOnce, streamed]) {
        const { hunks, reached } = differ.finish({ cutShort: true });
        assert.deepEqual(hunks.map((h) => [h.start, h.removed, h.added]), [change]);
        assert.equal(reached, 3);
      }
    }
  });

  it('cut short after whole blocks that end alike: `reached` is the end of the last block written (property)', () => {
    const blocks = fc.record({
      bodies: fc.array(fc.constantFrom('keep', 'change', 'grow', 'shrink'), { minLength: 2, maxLength: 12 }),
      written: fc.nat(),
      plan: streamPlans,
    });
    fc.assert(fc.property(blocks, ({ bodies, written, plan }) => {
      // blocks of distinct bodies between repeated `{` / `}` lines
      const original: string[] = [];
      const rewritten: string[][] = [];
      bodies.forEach((kind, i) => {
        original.push(`function f${i}() {`, `  step${i}(1);`, `  done${i}();`, '}');
        const body = kind === 'keep' ? [`  step${i}(1);`, `  done${i}();`]
          : kind === 'change' ? [`  step${i}(2);`, `  done${i}();`]
            : kind === 'grow' ? [`  step${i}(1);`, `  log${i}();`, `  done${i}();`]
              : [`  done${i}();`];
        rewritten.push([`function f${i}() {`, ...body, '}']);
      });
      const k = 1 + (written % bodies.length);
      const proposal = rewritten.slice(0, k).flat();
      const atOnce = new StreamingHunks(original);
      atOnce.push(proposal);
      for (const differ of [stream(original, proposal, plan), atOnce]) {
        const { hunks, reached } = differ.finish({ cutShort: true });
        assert.equal(reached, 4 * k, `the proposal wrote ${k} of ${bodies.length} blocks`);
        assertValidDiff(original.slice(0, 4 * k), proposal, hunks);
      }
    }), { numRuns: 300, seed: Number(process.env.FC_SEED) || undefined });
  });

  it('freezes at each anchor while streaming, and shows a provisional hunk once an unchanged line follows it', () => {
    const original = ['function f() {', '  if (ready) {', '    go(1);', '  }', '  return 0;', '}', '', 'function g() {', '  return 0;', '}'];
    const differ = new StreamingHunks(original);
    differ.push(['function f() {', '  if (ready) {', '    go(2);']);
    assert.deepEqual(differ.frozenPoint, { original: 2, proposal: 2 }, 'unique lines are anchors');
    assert.deepEqual(differ.frozen, []);
    assert.deepEqual(differ.provisional(), [], 'the changed line reaches the end: held back');
    differ.push(['  }', '  return 0;', '}', '']);
    assert.deepEqual(differ.frozenPoint, { original: 2, proposal: 2 }, 'short and repeated lines are no anchors');
    const go = { start: 2, removed: ['    go(1);'], added: ['    go(2);'] };
    assert.deepEqual(differ.provisional(), [go], 'settled by the unchanged line after it');
    differ.push(['function g() {', '  return 1;']);
    assert.deepEqual(differ.frozen, [go]);
    assert.deepEqual(differ.frozenPoint, { original: 8, proposal: 8 });
    assert.deepEqual(differ.provisional(), []);
    differ.push(['}']);
    const g = { start: 8, removed: ['  return 0;'], added: ['  return 1;'] };
    assert.deepEqual(differ.provisional(), [g]);
    assert.deepEqual(differ.finish().hunks, [go, g]);
  });

  it('freezes re-indented code progressively through fuzzy anchors (each pair a changed line)', () => {
    const body = Array.from({ length: 300 }, (_, i) => (i % 10 === 9 ? '' : `  step${i}(state);`));
    const proposal = ['{', ...body.map((line) => (line ? `  ${line}` : line)), '}'];
    const differ = new StreamingHunks(body);
    let moved = 0;
    let point = 0;
    for (const line of proposal) {
      differ.push([line]);
      const { proposal: frozenTo } = differ.frozenPoint;
      if (frozenTo > point) moved++;
      point = frozenTo;
      differ.provisional();
    }
    assert.ok(moved > 250, `the frozen point moved with almost every line (${moved})`);
    assert.equal(differ.frozen.length, 29, 'a block is frozen at each blank line followed by a fuzzy anchor');
    const { hunks } = differ.finish();
    assertValidDiff(body, proposal, hunks);
    assert.equal(hunks.length, 31, 'a hunk per block of re-indented lines, and the closing brace');
    assert.deepEqual(hunks, computeLineHunks(body, proposal));
  });

  it('makes a streamed full re-indent of 5000 lines one hunk', () => {
    const original = Array.from({ length: 5000 }, (_, i) => `  total += compute(${i}, values[${i % 97}]);`);
    const proposal = original.map((line) => `  ${line}`);
    const differ = new StreamingHunks(original);
    for (let j = 0; j < proposal.length; j += 7) {
      differ.push(proposal.slice(j, j + 7));
      differ.provisional();
    }
    assert.equal(differ.frozen.length, 0);
    assert.equal(differ.frozenPoint.proposal, 5000, 'every line was a fuzzy anchor');
    assert.deepEqual(differ.finish().hunks, [{ start: 0, removed: original, added: proposal }]);
  });

  it('does not anchor on a unique line far below, unless the line before it matches too', () => {
    const original = Array.from({ length: 100 }, (_, i) => `handle${i}(event);`);
    const far = new StreamingHunks(original);
    far.push(['setup();', 'handle80(event);']);
    assert.deepEqual(far.frozenPoint, { original: 0, proposal: 0 }, 'implausible jump: no anchor');
    far.push(['handle81(event);']);
    assert.deepEqual(far.frozenPoint, { original: 82, proposal: 3 }, 'two lines in a row match: anchored');
    assert.deepEqual(far.frozen, [{ start: 0, removed: original.slice(0, 80), added: ['setup();'] }]);
    const near = new StreamingHunks(original);
    near.push(['setup();', 'handle5(event);']);
    assert.deepEqual(near.frozenPoint, { original: 6, proposal: 2 }, 'near enough: anchored');
  });

  it('does not anchor on short or punctuation-only lines, nor on lines repeated in the original', () => {
    const original = ['start();', '});', 'x', 'twice();', 'twice();', 'end();'];
    const differ = new StreamingHunks(original);
    differ.push(['start();']);
    assert.equal(differ.frozenPoint.proposal, 1);
    differ.push(['});', 'x', 'twice();']);
    assert.equal(differ.frozenPoint.proposal, 1);
    differ.push(['end();']);
    assert.equal(differ.frozenPoint.proposal, 5);
    assert.deepEqual(differ.frozen, [{ start: 4, removed: ['twice();'], added: [] }]);
  });

  it('still shows settled provisional hunks in a long stretch of repeated lines (no anchor)', () => {
    const original = Array.from({ length: 1000 }, (_, i) => (i % 2 ? '  y++;' : '  x++;'));
    const proposal = original.map((line, i) => (i % 50 === 25 ? '  z++;' : line));
    const differ = new StreamingHunks(original);
    let shown = 0;
    proposal.forEach((line, j) => {
      differ.push([line]);
      const provisional = differ.provisional();
      assertSettledPrefix(original, proposal.slice(0, j + 1), provisional);
      shown = Math.max(shown, provisional.length);
    });
    assert.deepEqual(differ.frozenPoint, { original: 0, proposal: 0 });
    // (the provisional diff's Myers allowance is small: past a few hundred lines it gives up)
    assert.ok(shown >= 5, `changes show before the end (${shown} of 20)`);
    const { hunks } = differ.finish();
    assertValidDiff(original, proposal, hunks);
    assert.equal(hunks.length, 20);
  });

  it('keeps provisional work bounded on a long stretch without anchors', () => {
    const original = Array.from({ length: 2000 }, (_, i) => `old${i}();`);
    const proposal = Array.from({ length: 2000 }, (_, i) => (i % 3 ? '}' : `new${i}();`));
    const differ = new StreamingHunks(original);
    for (const line of proposal) {
      differ.push([line]);
      assert.deepEqual(differ.provisional(), []);
    }
    assert.deepEqual(differ.finish().hunks, [{ start: 0, removed: original, added: proposal }]);
  });
});

describe('line diff helpers', () => {
  it('longestIncreasing finds a longest strictly increasing subsequence', () => {
    assert.deepEqual(longestIncreasing([]), []);
    assert.deepEqual(longestIncreasing([3, 1, 2, 5, 4]).length, 3);
    fc.assert(fc.property(fc.array(fc.nat(20), { maxLength: 30 }), (values) => {
      const picked = longestIncreasing(values);
      for (let k = 1; k < picked.length; k++) {
        assert.ok(picked[k] > picked[k - 1] && values[picked[k]] > values[picked[k - 1]]);
      }
      // the quadratic reference length
      const best = values.map(() => 1);
      values.forEach((v, x) => { for (let y = 0; y < x; y++) if (values[y] < v) best[x] = Math.max(best[x], best[y] + 1); });
      assert.equal(picked.length, Math.max(0, ...best));
    }));
  });

  it('normalizeLine trims and collapses inner whitespace', () => {
    assert.equal(normalizeLine('    if (a  &&\tb) {  '), 'if (a && b) {');
    assert.equal(normalizeLine('  return x;'), 'return x;');
    assert.equal(normalizeLine('   '), '');
    assert.equal(normalizeLine('const s = "a\u00a0b";\u3000'), 'const s = "a b";');
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '\u00a0', '\u3000', '中', ';') }), (line) => {
      assert.equal(normalizeLine(line), line.trim().replace(/\s+/g, ' '));
    }));
  });
});
