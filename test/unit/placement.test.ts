import * as assert from 'node:assert/strict';
import { adjacentHunk, hunkAtLine, proposalWindow, windowProposal, windowsOverlap, withPendingApplied } from '../../src/core/diff/placement';
import type { Hunk, HunkState } from '../../src/core/diff';

const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number) =>
  ({ startLine, startCharacter, endLine, endCharacter });

function hunk(id: number, startLine: number, endLine: number, state: HunkState = 'pending', added: string[] = ['x']): Hunk {
  return { id, startLine, endLine, removed: Array<string>(endLine - startLine).fill('r'), added, state };
}

describe('inline diff placement', () => {
  const lines = ['const x = compute(1, 2);', '', 'end();', ''];

  describe('proposalWindow', () => {
    it('an empty range at a line start is a pure insertion before that line', () => {
      assert.deepEqual(proposalWindow(lines, range(1, 0, 1, 0)), { startLine: 1, endLine: 1, prefix: '', suffix: '' });
    });

    it('keeps the text before and after a range inside a line', () => {
      assert.deepEqual(proposalWindow(lines, range(0, 10, 0, 23)), { startLine: 0, endLine: 1, prefix: 'const x = ', suffix: ';' });
      const w = proposalWindow(lines, range(0, 10, 0, 23));
      assert.equal(windowProposal(w, 'f()', false), 'const x = f();');
      assert.equal(windowProposal(w, 'f(\n', true), 'const x = f(\n', 'no suffix while streaming');
    });

    it('a range ending at the start of a line leaves that line out', () => {
      assert.deepEqual(proposalWindow(lines, range(0, 0, 2, 0)), { startLine: 0, endLine: 2, prefix: '', suffix: '' });
      assert.deepEqual(proposalWindow(lines, range(0, 0, 2, 3)), { startLine: 0, endLine: 3, prefix: '', suffix: '();' });
    });

    it('an empty range inside a line takes the whole line', () => {
      assert.deepEqual(proposalWindow(lines, range(2, 3, 2, 3)), { startLine: 2, endLine: 3, prefix: 'end', suffix: '();' });
    });
  });

  it('windowsOverlap: shared lines, or an insertion point strictly inside', () => {
    const w = (startLine: number, endLine: number) => ({ startLine, endLine });
    assert.equal(windowsOverlap(w(0, 3), w(2, 5)), true);
    assert.equal(windowsOverlap(w(0, 3), w(3, 5)), false, 'adjacent');
    assert.equal(windowsOverlap(w(2, 2), w(0, 5)), true);
    assert.equal(windowsOverlap(w(0, 5), w(5, 5)), false, 'an insertion at the end');
    assert.equal(windowsOverlap(w(0, 5), w(0, 0)), false, 'an insertion at the start');
    assert.equal(windowsOverlap(w(1, 1), w(1, 1)), false);
  });

  describe('finding hunks', () => {
    const hunks = [hunk(1, 2, 4), hunk(2, 6, 6), hunk(3, 8, 9, 'conflict'), hunk(4, 10, 11)];

    it('hunkAtLine: the covering hunk, else the next below, else the last above; pending only', () => {
      assert.equal(hunkAtLine(hunks, 3)?.id, 1);
      assert.equal(hunkAtLine(hunks, 6)?.id, 2, 'a pure insertion covers the line it goes before');
      assert.equal(hunkAtLine(hunks, 0)?.id, 1);
      assert.equal(hunkAtLine(hunks, 8)?.id, 4, 'conflicts are skipped');
      assert.equal(hunkAtLine(hunks, 20)?.id, 4);
      assert.equal(hunkAtLine([hunk(1, 0, 1, 'accepted')], 0), undefined);
    });

    it('adjacentHunk wraps around in both directions', () => {
      assert.equal(adjacentHunk(hunks, 0, 1)?.id, 1);
      assert.equal(adjacentHunk(hunks, 2, 1)?.id, 2);
      assert.equal(adjacentHunk(hunks, 10, 1)?.id, 1, 'wraps to the first');
      assert.equal(adjacentHunk(hunks, 10, -1)?.id, 2);
      assert.equal(adjacentHunk(hunks, 3, -1)?.id, 4, 'from inside the first, wraps to the last');
      assert.equal(adjacentHunk([], 0, 1), undefined);
    });
  });

  it('withPendingApplied applies pending hunks only, bottom to top', () => {
    const doc = ['a', 'b', 'c', 'd'];
    const hunks = [hunk(1, 1, 2, 'pending', ['B1', 'B2']), hunk(2, 3, 3, 'pending', ['ins']), hunk(3, 0, 1, 'rejected', ['A'])];
    assert.equal(withPendingApplied(doc, hunks, '\n'), 'a\nB1\nB2\nc\nins\nd');
    assert.equal(withPendingApplied(doc, [hunk(1, 4, 4, 'pending', ['end'])], '\r\n'), 'a\r\nb\r\nc\r\nd\r\nend');
  });
});
