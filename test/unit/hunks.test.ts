import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { blockLines, computeHunks, DiffSession, DiffSessionOptions, documentLines, Hunk, TextChange } from '../../src/core/diff';
import { applyChange, bottomToTop, completeLines, detectEol, endsBefore, spanAfterChanges, spliceChange } from '../../src/core/diff/text';
import { readings } from '../../src/core/diff/effects';
import { proposalWindow, windowProposal } from '../../src/core/diff/placement';

/** Applies changes (ranges in the text before them, non-overlapping) to a string, bottom to top. */
function applyChanges(text: string, changes: readonly TextChange[]): string {
  const offset = (line: number, character: number): number => {
    let at = 0;
    for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
    return at + character;
  };
  const spans = changes.map((c) => ({ from: offset(c.startLine, c.startCharacter), to: offset(c.endLine, c.endCharacter), text: c.text }));
  spans.sort((a, b) => b.to - a.to || b.from - a.from);
  for (const s of spans) text = text.slice(0, s.from) + s.text + text.slice(s.to);
  return text;
}

/** A document and a session over it; edits are applied to the document and reported back. */
class Editor {
  text: string;
  readonly session: DiffSession;

  constructor(opts: DiffSessionOptions) {
    this.text = opts.text;
    this.session = new DiffSession(opts);
  }

  /** The user (or the VS Code layer) changes the document. */
  change(...changes: TextChange[]): void {
    this.text = applyChanges(this.text, changes);
    this.session.onDocumentChange(changes);
    assert.equal(this.session.text, this.text, 'the session follows the document');
  }

  type(line: number, character: number, text: string): void {
    this.change({ startLine: line, startCharacter: character, endLine: line, endCharacter: character, text });
  }

  accept(id: number): void {
    const edit = this.session.accept(id);
    assert.ok(edit, `hunk ${id} can be accepted`);
    this.change(edit);
  }

  acceptAll(): void {
    this.change(...this.session.acceptAll());
  }

  hunk(id: number): Hunk {
    const hunk = this.session.hunks.find((h) => h.id === id);
    assert.ok(hunk);
    return hunk;
  }

  states(): string[] {
    return this.session.hunks.map((h) => h.state);
  }
}

const lf = (...lines: string[]): string => lines.join('\n');

describe('diff text helpers', () => {
  it('spanAfterChanges follows a span through changes around it, and gives up when one touches it (property)', () => {
    const doc = fc.array(fc.constantFrom('', 'a', 'bc', '  def', '中文', 'x y z'), { minLength: 1, maxLength: 12 });
    const text = fc.constantFrom('', '\n', 'q', 'q\n', '\nq\n', 'r\r\ns');
    const pos = fc.record({ line: fc.nat(), character: fc.nat() });
    fc.assert(fc.property(doc, pos, pos, fc.array(fc.record({ a: pos, b: pos, text }), { maxLength: 6 }), (lines, p, q, raw) => {
      const fit = ({ line, character }: { line: number; character: number }): [number, number] => {
        const l = line % lines.length;
        return [l, character % (lines[l].length + 1)];
      };
      const ordered = (x: [number, number], y: [number, number]) => (x[0] - y[0] || x[1] - y[1]) <= 0 ? [x, y] : [y, x];
      const [[sl, sc], [el, ec]] = ordered(fit(p), fit(q));
      const span = { startLine: sl, startCharacter: sc, endLine: el, endCharacter: ec };
      const changes: TextChange[] = raw.map(({ a, b, text: t }) => {
        const [[l1, c1], [l2, c2]] = ordered(fit(a), fit(b));
        return { startLine: l1, startCharacter: c1, endLine: l2, endCharacter: c2, text: t };
      }).sort(bottomToTop).filter((c, i, all) => all.slice(0, i).every((d) => endsBefore(c, d)));
      const textOf = (ls: readonly string[], s: typeof span) => {
        const out = ls.slice(s.startLine, s.endLine + 1);
        out[out.length - 1] = out[out.length - 1].slice(0, s.startLine === s.endLine ? s.endCharacter : s.endCharacter);
        out[0] = out[0].slice(s.startCharacter);
        return out.join('\n');
      };
      let after: readonly string[] = lines;
      for (const c of changes) after = applyChange(after, c);
      const moved = spanAfterChanges(span, changes);
      const at = (l: number, c: number) => [l, c] as const;
      const cmp = (x: readonly number[], y: readonly number[]) => x[0] - y[0] || x[1] - y[1];
      const touches = changes.some((c) => !(c.text === '' && cmp(at(c.startLine, c.startCharacter), at(c.endLine, c.endCharacter)) === 0) &&
        cmp(at(c.startLine, c.startCharacter), at(span.endLine, span.endCharacter)) < 0 && cmp(at(c.endLine, c.endCharacter), at(span.startLine, span.startCharacter)) > 0);
      assert.equal(moved === undefined, touches, 'undefined exactly when a change touches the span');
      if (moved) assert.equal(textOf(after, moved), textOf(lines, span), 'the span holds the same text after the changes');
    }), { numRuns: 800, seed: Number(process.env.FC_SEED) || undefined });
  });

  it('spliceChange changes the lines in place as the text changes, for the many changes of one event (property)', () => {
    const doc = fc.array(fc.constantFrom('', 'a', 'bc', '  def', '中文', 'x y z'), { minLength: 1, maxLength: 30 });
    const text = fc.oneof(fc.constantFrom('', '\n', 'q', 'q\n', '\nq\n', 'r\r\ns'), fc.string({ maxLength: 6 }));
    fc.assert(fc.property(doc, fc.array(fc.record({ a: fc.nat(), b: fc.nat(), ca: fc.nat(), cb: fc.nat(), text }), { maxLength: 8 }), (lines, raw) => {
      // valid, non-overlapping changes, bottom to top as VS Code applies them
      const changes: TextChange[] = raw.map(({ a, b, ca, cb, text: t }) => {
        const [s, e] = [a % lines.length, b % lines.length].sort((x, y) => x - y);
        let sc = ca % (lines[s].length + 1);
        let ec = cb % (lines[e].length + 1);
        if (s === e && sc > ec) [sc, ec] = [ec, sc];
        return { startLine: s, startCharacter: sc, endLine: e, endCharacter: ec, text: t };
      }).sort(bottomToTop).filter((c, i, all) => i === 0 || endsBefore(c, all[i - 1]));
      const ordered = changes.filter((c, i) => changes.slice(0, i).every((d) => endsBefore(c, d)));
      // the reference: the changes made to the text as a string, at offsets
      let text = lines.join('\n');
      const offset = (line: number, character: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
      for (const c of ordered) text = text.slice(0, offset(c.startLine, c.startCharacter)) + c.text + text.slice(offset(c.endLine, c.endCharacter));
      const expected = documentLines(text);
      const inPlace = lines.slice();
      for (const c of ordered) spliceChange(inPlace, c);
      assert.deepEqual(inPlace, expected);
    }), { numRuns: 500, seed: Number(process.env.FC_SEED) || undefined });
    // a paste of more lines than a call takes as arguments
    const many = Array.from({ length: 200_000 }, (_, i) => `l${i}`).join('\n');
    const pasted = ['a', 'b', 'c'];
    spliceChange(pasted, { startLine: 1, startCharacter: 1, endLine: 1, endCharacter: 1, text: many });
    assert.equal(pasted.length, 200_002);
    assert.deepEqual([pasted[0], pasted[1], pasted[200_000], pasted[200_001]], ['a', 'bl0', 'l199999', 'c']);
  });

  it('splits documents like VS Code and blocks of text without the final line break', () => {
    assert.deepEqual(documentLines('a\r\nb\n'), ['a', 'b', '']);
    assert.deepEqual(documentLines(''), ['']);
    assert.deepEqual(blockLines('a\r\nb\r\n'), ['a', 'b']);
    assert.deepEqual(blockLines('a\nb'), ['a', 'b']);
    assert.deepEqual(blockLines(''), []);
    assert.deepEqual(blockLines('\n'), ['']);
    assert.deepEqual(blockLines('a\n\n'), ['a', '']);
  });

  it('keeps only the complete lines of a text being streamed', () => {
    assert.deepEqual(completeLines('a\nb'), ['a']);
    assert.deepEqual(completeLines('a\r\n'), ['a']);
    assert.deepEqual(completeLines('a\r'), ['a']);
    assert.deepEqual(completeLines('a'), []);
  });

  it('detects the line break', () => {
    assert.equal(detectEol('a\r\nb\nc'), '\r\n');
    assert.equal(detectEol('a\nb\r\nc'), '\n');
    assert.equal(detectEol('a'), '\n');
  });
});

describe('line readings of a change', () => {
  const doc = ['one', '', '', 'two'];
  const at = (line: number, character: number, text: string): TextChange =>
    ({ startLine: line, startCharacter: character, endLine: line, endCharacter: character, text });

  it('reads typing inside a line as replacing that line', () => {
    assert.deepEqual(readings(doc, at(0, 1, 'x')), [{ from: 0, to: 1, count: 1 }]);
  });

  it('reads Enter at the end of a line as inserting a line after it', () => {
    assert.deepEqual(readings(doc, at(0, 3, '\n'))[0], { from: 1, to: 1, count: 1 });
  });

  it('reads whole lines pasted at the start of a line as inserted before it', () => {
    assert.deepEqual(readings(doc, at(3, 0, 'a\nb\n'))[0], { from: 3, to: 3, count: 2 });
  });

  it('lists both readings of deleting the line break between two empty lines', () => {
    const change = { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' };
    assert.deepEqual(readings(doc, change), [{ from: 2, to: 3, count: 0 }, { from: 1, to: 2, count: 0 }, { from: 1, to: 3, count: 1 }]);
  });

  it('reads a line break replaced by a line break as changing no line', () => {
    const change = { startLine: 0, startCharacter: 3, endLine: 1, endCharacter: 0, text: '\r\n' };
    assert.deepEqual(readings(doc, change)[0], { from: 1, to: 1, count: 0 });
  });
});

describe('computeHunks', () => {
  it('finds nothing between equal texts, whatever their line breaks', () => {
    assert.deepEqual(computeHunks('a\nb\n', 'a\nb\n'), []);
    assert.deepEqual(computeHunks('a\r\nb\r\n', 'a\nb\n'), []);
    assert.deepEqual(computeHunks('a\nb\n', 'a\nb'), []);
    assert.deepEqual(computeHunks('a\nb', 'a\r\nb\r\n'), []);
  });

  it('finds changed, removed and inserted runs of lines, without their line breaks', () => {
    assert.deepEqual(computeHunks(lf('a', 'b', 'c', 'd', 'e', ''), lf('a', 'B', 'c', 'd', 'x', 'y', 'e', '')), [
      { start: 1, removed: ['b'], added: ['B'] },
      { start: 4, removed: [], added: ['x', 'y'] },
    ]);
    assert.deepEqual(computeHunks('a\r\nb\r\nc\r\n', 'a\r\nc\r\n'), [{ start: 1, removed: ['b'], added: [] }]);
  });

  it('turns an empty original into one pure insertion and an empty proposal into one deletion', () => {
    assert.deepEqual(computeHunks('', 'x\ny\n'), [{ start: 0, removed: [], added: ['x', 'y'] }]);
    assert.deepEqual(computeHunks('x\ny\n', ''), [{ start: 0, removed: ['x', 'y'], added: [] }]);
  });

  it('treats whitespace-only changes, and an added empty last line, as changes', () => {
    assert.deepEqual(computeHunks('  a\nb\n', '    a\nb \n'), [{ start: 0, removed: ['  a', 'b'], added: ['    a', 'b '] }]);
    assert.deepEqual(computeHunks('a\n', 'a\n\n'), [{ start: 1, removed: [], added: [''] }]);
  });

  it('holds back the unfinished part of a partial proposal', () => {
    const original = lf('a', 'b', 'c', 'd', '');
    // 'B' is settled by the unchanged 'c' after it; 'd' is not reached yet; 'e' is cut mid-line.
    assert.deepEqual(computeHunks(original, lf('a', 'B', 'c', 'e'), { partial: true }), [{ start: 1, removed: ['b'], added: ['B'] }]);
    assert.deepEqual(computeHunks(original, lf('a', 'X', ''), { partial: true }), []);
    assert.deepEqual(computeHunks(original, lf('a', 'X', ''), { partial: false }), [{ start: 1, removed: ['b', 'c', 'd'], added: ['X'] }]);
  });
});

describe('DiffSession', () => {
  it('cut short, a selection ending inside a line: the text after it comes back only on a last line the answer reached', () => {
    const text = 'function f(a, b) {\n  return a + b;\n  const c = a * b;\n}\n';
    const lines = documentLines(text);
    const propose = (range: [number, number, number, number], code: string) => {
      const w = proposalWindow(lines, { startLine: range[0], startCharacter: range[1], endLine: range[2], endCharacter: range[3] });
      const s = new DiffSession({ text, startLine: w.startLine, endLine: w.endLine, proposal: '', streaming: true, eol: '\n' });
      const r = s.finish(windowProposal(w, code, true), { cutShort: true, suffix: w.suffix });
      return { r, hunks: s.hunks.map((h) => [h.startLine, h.removed, h.added]) };
    };
    // `a + b` on line 1, rewritten: the `;` after it stays
    const one = propose([1, 9, 1, 14], 'a - b');
    assert.deepEqual(one.hunks, [[1, ['  return a + b;'], ['  return a - b;']]]);
    assert.equal(one.r.reachedAll, true);
    // lines 1-2 up to `a * b`, the answer stopped after line 1: line 2 and its `;` stay as they are
    const two = propose([1, 2, 2, 17], 'return a - b;');
    assert.deepEqual(two.hunks, [[1, ['  return a + b;'], ['  return a - b;']]]);
    assert.equal(two.r.reachedAll, false);
    assert.equal(two.r.reached, 1);
  });


  // Lines 1-3 are rewritten: 'b' -> 'B' (hunk 1), 'x' inserted after 'c' (hunk 2).
  const doc = lf('head', 'b', 'c', 'd', 'tail', '');
  const proposal = lf('B', 'c', 'x', 'd', '');
  const open = (extra: Partial<DiffSessionOptions> = {}): Editor =>
    new Editor({ text: doc, startLine: 1, endLine: 4, proposal, ...extra });

  describe('deciding', () => {
    it('shows each hunk with its removed lines and where its added lines go', () => {
      const { session } = open();
      assert.deepEqual(session.hunks, [
        { id: 1, startLine: 1, endLine: 2, removed: ['b'], added: ['B'], state: 'pending' },
        { id: 2, startLine: 3, endLine: 3, removed: [], added: ['x'], state: 'pending' },
      ]);
      assert.deepEqual(session.range, { startLine: 1, endLine: 4 });
      assert.equal(session.isDone, false);
    });

    it('accepts everything into text before the range + proposal + text after it', () => {
      const editor = open();
      const edits = editor.session.acceptAll();
      assert.deepEqual(edits, [
        { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 0, text: 'x\n' },
        { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'B\n' },
      ]);
      editor.change(...edits);
      assert.equal(editor.text, lf('head', 'B', 'c', 'x', 'd', 'tail', ''));
      assert.deepEqual(editor.states(), ['accepted', 'accepted']);
      assert.equal(editor.session.isDone, true);
    });

    it('rejects everything without touching the document', () => {
      const editor = open();
      editor.session.rejectAll();
      assert.deepEqual(editor.states(), ['rejected', 'rejected']);
      assert.equal(editor.session.isDone, true);
      assert.equal(editor.session.accept(1), undefined);
      assert.equal(editor.session.reject(1), false);
      assert.deepEqual(editor.session.acceptAll(), []);
    });

    it('keeps an accepted hunk pending until its edit is reported, then shifts the others', () => {
      const editor = open({ proposal: lf('B1', 'B2', 'c', 'x', 'd', '') });
      const edit = editor.session.accept(1);
      assert.deepEqual(edit, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'B1\nB2\n' });
      assert.equal(editor.hunk(1).state, 'pending');
      assert.ok(edit);
      editor.change(edit);
      assert.deepEqual(editor.states(), ['accepted', 'pending']);
      assert.equal(editor.hunk(2).startLine, 4);
      editor.accept(2);
      assert.equal(editor.text, lf('head', 'B1', 'B2', 'c', 'x', 'd', 'tail', ''));
    });

    it('offers the edit again when applying it failed (no change came back)', () => {
      const editor = open();
      const first = editor.session.accept(1);
      editor.type(0, 4, '!'); // the user typed first: VS Code refuses the stale edit
      assert.equal(editor.hunk(1).state, 'pending');
      assert.deepEqual(editor.session.accept(1), first);
    });

    it('recognises its edit reported minimally, leaving the other hunks alone', () => {
      const editor = open({ proposal: lf('bb', 'c', 'x', 'd', '') });
      assert.deepEqual(editor.session.accept(1), { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'bb\n' });
      editor.type(1, 1, 'b'); // the same result, reported as VS Code does: only what changed
      assert.deepEqual(editor.session.hunks.map((h) => [h.startLine, h.state]), [[1, 'accepted'], [3, 'pending']]);
      editor.acceptAll();
      assert.equal(editor.text, lf('head', 'bb', 'c', 'x', 'd', 'tail', ''));
    });

    it('counts an edit reported after a rejection as accepted', () => {
      const editor = open();
      const edit = editor.session.accept(1);
      assert.ok(edit);
      assert.equal(editor.session.reject(1), true);
      editor.change(edit);
      assert.equal(editor.hunk(1).state, 'accepted');
    });

    it('writes edits with the document\'s CRLF line breaks', () => {
      const editor = new Editor({ text: 'head\r\nb\r\nc\r\ntail\r\n', startLine: 1, endLine: 3, proposal: 'B\nc\nx\n' });
      editor.acceptAll();
      assert.equal(editor.text, 'head\r\nB\r\nc\r\nx\r\ntail\r\n');
    });
  });

  describe('own edits reported minimally, as VS Code does', () => {
    it('takes an accept reported back trimmed to what changed as the same edit', () => {
      const editor = new Editor({ text: lf('a', '  return 1;', 'c'), startLine: 0, endLine: 3, proposal: lf('a', '  return 10;', 'c') });
      const edit = editor.session.accept(1);
      assert.deepEqual(edit, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '  return 10;\n' });
      editor.type(1, 10, '0');
      assert.deepEqual(editor.states(), ['accepted']);
      assert.equal(editor.text, lf('a', '  return 10;', 'c'));
    });

    it('decides at once a group whose removed and added lines are the same text (VS Code reports no change)', () => {
      // (a case first found by the property test) a user edit makes "add `r`" and "remove `r`"
      // adjacent: `r` moved above `q1`, `q2` is inserted before them and removed after them, and the
      // user deletes them
      const editor = new Editor({ text: lf('head', 'p', 'q1', 'q2', 'r', 's', 't', ''), startLine: 1, endLine: 7, proposal: lf('p', 'r', 'q1', 'q2', 's', 'T', '') });
      editor.change({ startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 0, text: '' });
      assert.deepEqual(editor.session.pending.map((h) => [h.startLine, h.removed, h.added]), [[2, [], ['r']], [2, ['r'], []], [4, ['t'], ['T']]]);
      const edits = editor.session.acceptAll();
      // VS Code applies them and reports only what changed: `t` replaced at line 4
      editor.change(edits[0]);
      assert.deepEqual(editor.states(), ['accepted', 'accepted', 'accepted']);
      assert.equal(editor.session.isDone, true);
      assert.equal(editor.text, lf('head', 'p', 'r', 's', 'T', ''));
    });

    it('still treats a different edit at the same place as the user\'s', () => {
      const editor = new Editor({ text: lf('a', '  return 1;', 'c'), startLine: 0, endLine: 3, proposal: lf('a', '  return 10;', 'c') });
      editor.session.accept(1);
      editor.type(1, 10, '5');
      assert.deepEqual(editor.states(), ['conflict']);
    });
  });

  describe('the end of the document', () => {
    it('deletes the last lines without adding or dropping a final line break', () => {
      const noBreak = new Editor({ text: lf('a', 'b', 'c'), startLine: 1, endLine: 3, proposal: '' });
      noBreak.acceptAll();
      assert.equal(noBreak.text, 'a');
      const withBreak = new Editor({ text: lf('a', 'b', 'c', ''), startLine: 1, endLine: 3, proposal: '' });
      withBreak.acceptAll();
      assert.equal(withBreak.text, 'a\n');
    });

    it('replaces and appends after a last line that has no line break', () => {
      const replaced = new Editor({ text: lf('a', 'b'), startLine: 1, endLine: 2, proposal: 'B\nC\n' });
      replaced.acceptAll();
      assert.equal(replaced.text, lf('a', 'B', 'C'));
      const appended = new Editor({ text: lf('a', 'b'), startLine: 1, endLine: 2, proposal: 'b\nc\n' });
      assert.deepEqual(appended.session.hunks.map((h) => h.startLine), [2]);
      appended.acceptAll();
      assert.equal(appended.text, lf('a', 'b', 'c'));
    });

    it('leaves an empty document when the whole of it is deleted', () => {
      const editor = new Editor({ text: lf('a', 'b'), startLine: 0, endLine: 2, proposal: '' });
      editor.acceptAll();
      assert.equal(editor.text, '');
    });

    it('inserts generated code below a comment (an empty range)', () => {
      const editor = new Editor({ text: lf('// add a function', 'rest', ''), startLine: 1, endLine: 1, proposal: 'function f() {\n}\n' });
      assert.deepEqual(editor.session.hunks.map((h) => [h.startLine, h.endLine, h.added]), [[1, 1, ['function f() {', '}']]]);
      editor.acceptAll();
      assert.equal(editor.text, lf('// add a function', 'function f() {', '}', 'rest', ''));
    });
  });

  describe('user edits', () => {
    it('shifts hunks after an edit and leaves those before it', () => {
      const editor = open();
      editor.type(0, 0, 'new\n');
      assert.deepEqual(editor.session.hunks.map((h) => h.startLine), [2, 4]);
      editor.type(5, 4, '!\nmore');
      assert.deepEqual(editor.session.hunks.map((h) => h.startLine), [2, 4]);
      assert.deepEqual(editor.states(), ['pending', 'pending']);
      editor.acceptAll();
      assert.equal(editor.text, lf('new', 'head', 'B', 'c', 'x', 'd', 'tail!', 'more', ''));
    });

    it('does not conflict on edits at a hunk\'s boundary', () => {
      const editor = open();
      editor.type(0, 4, ' // note'); // end of the line before hunk 1
      editor.type(1, 1, '\n');       // Enter at the end of hunk 1's line
      editor.type(3, 0, 'typed\n');  // a whole line pasted between the hunks
      assert.deepEqual(editor.states(), ['pending', 'pending']);
      assert.deepEqual(editor.session.hunks.map((h) => h.startLine), [1, 5]);
      editor.acceptAll();
      assert.equal(editor.text, lf('head // note', 'B', '', 'typed', 'c', 'x', 'd', 'tail', ''));
    });

    it('conflicts when the user edits a hunk\'s removed lines, and never applies it', () => {
      const editor = new Editor({ text: lf('a', 'b', 'c', 'd', ''), startLine: 0, endLine: 4, proposal: lf('a', 'B', 'C', 'd', '') });
      editor.type(2, 0, 'my ');
      assert.equal(editor.hunk(1).state, 'conflict');
      assert.equal(editor.session.accept(1), undefined);
      assert.deepEqual(editor.session.acceptAll(), []);
      assert.equal(editor.session.isDone, true);
      assert.equal(editor.text, lf('a', 'b', 'my c', 'd', ''));
    });

    it('conflicts when lines are inserted between a hunk\'s removed lines', () => {
      const editor = new Editor({ text: lf('a', 'b', 'c', 'd', ''), startLine: 0, endLine: 4, proposal: lf('a', 'B', 'C', 'd', '') });
      editor.type(1, 1, '\nmine');
      assert.equal(editor.hunk(1).state, 'conflict');
    });

    it('does not conflict when the line next to a hunk is deleted', () => {
      const editor = open();
      editor.change({ startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 0, text: '' });
      editor.change({ startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
      assert.deepEqual(editor.states(), ['pending', 'pending']);
      assert.deepEqual(editor.session.hunks.map((h) => h.startLine), [0, 1]);
      editor.acceptAll();
      assert.equal(editor.text, lf('B', 'x', 'd', 'tail', ''));
    });

    it('picks the reading of an ambiguous deletion that keeps a hunk applicable', () => {
      // Deleting the break between two empty lines: either empty line may be the one deleted.
      const text = lf('a', '', '', 'b', '');
      // The hunk's first line is the second empty line: the first one is the one deleted.
      const lineAbove = new Editor({ text, startLine: 2, endLine: 4, proposal: 'B\n' });
      lineAbove.change({ startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
      assert.deepEqual(lineAbove.session.hunks.map((h) => [h.startLine, h.removed, h.state]), [[1, ['', 'b'], 'pending']]);
      lineAbove.acceptAll();
      assert.equal(lineAbove.text, lf('a', 'B', ''));
      // The hunk's last line is the first empty line: the second one is the one deleted.
      const lineBelow = new Editor({ text, startLine: 0, endLine: 2, proposal: 'A\n' });
      lineBelow.change({ startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
      assert.deepEqual(lineBelow.session.hunks.map((h) => [h.startLine, h.removed, h.state]), [[0, ['a', ''], 'pending']]);
      lineBelow.acceptAll();
      assert.equal(lineBelow.text, lf('A', 'b', ''));
    });

    it('applies the changes of one event bottom to top, whatever order they come in', () => {
      const changes: TextChange[] = [
        { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: 'top\n' },
        { startLine: 4, startCharacter: 0, endLine: 4, endCharacter: 4, text: 'TAIL' },
        { startLine: 2, startCharacter: 1, endLine: 2, endCharacter: 1, text: '\nbetween' },
      ];
      for (const order of [changes, [...changes].reverse()]) {
        const editor = open();
        editor.change(...order);
        assert.equal(editor.text, lf('top', 'head', 'b', 'c', 'between', 'd', 'TAIL', ''));
        assert.deepEqual(editor.session.hunks.map((h) => [h.startLine, h.state]), [[2, 'pending'], [5, 'pending']]);
      }
    });

    it('merges hunks made adjacent by the user into one edit', () => {
      const editor = new Editor({ text: lf('a', 'b', 'c', ''), startLine: 0, endLine: 3, proposal: lf('A', 'b', 'C', '') });
      editor.change({ startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 0, text: '' });
      const edits = editor.session.acceptAll();
      assert.deepEqual(edits, [{ startLine: 0, startCharacter: 0, endLine: 2, endCharacter: 0, text: 'A\nC\n' }]);
      editor.change(...edits);
      assert.deepEqual(editor.states(), ['accepted', 'accepted']);
      assert.equal(editor.text, lf('A', 'C', ''));
    });

    it('fails closed when a change does not fit the document (a change was missed)', () => {
      const editor = open();
      editor.session.onDocumentChange([{ startLine: 40, startCharacter: 0, endLine: 40, endCharacter: 0, text: 'x' }]);
      assert.deepEqual(editor.states(), ['conflict', 'conflict']);
      const overlapping = open();
      overlapping.session.onDocumentChange([
        { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 3, text: 'x' },
        { startLine: 0, startCharacter: 2, endLine: 0, endCharacter: 4, text: 'y' },
      ]);
      assert.deepEqual(overlapping.states(), ['conflict', 'conflict']);
    });
  });

  describe('a pure insertion', () => {
    // 'x' is inserted before line 2 ('c'), i.e. between 'b' and 'c'.
    const open2 = (): Editor => new Editor({ text: lf('a', 'b', 'c', 'd', ''), startLine: 0, endLine: 4, proposal: lf('a', 'b', 'x', 'c', 'd', '') });

    it('does not conflict with edits to the lines on either side', () => {
      const editor = open2();
      editor.type(1, 1, '1');
      editor.type(2, 0, '2');
      assert.deepEqual(editor.states(), ['pending']);
      editor.acceptAll();
      assert.equal(editor.text, lf('a', 'b1', 'x', '2c', 'd', ''));
    });

    it('puts lines the user types at its anchor above the proposal\'s lines', () => {
      const editor = open2();
      editor.type(1, 1, '\nmine');
      editor.type(3, 0, 'pasted\n');
      assert.deepEqual(editor.session.hunks.map((h) => [h.startLine, h.state]), [[4, 'pending']]);
      editor.acceptAll();
      assert.equal(editor.text, lf('a', 'b', 'mine', 'pasted', 'x', 'c', 'd', ''));
    });

    it('conflicts when its anchor is no longer a line boundary', () => {
      const joined = open2();
      joined.change({ startLine: 1, startCharacter: 1, endLine: 2, endCharacter: 0, text: ' ' });
      assert.deepEqual(joined.states(), ['conflict']);
      const deletedAround = open2();
      deletedAround.change({ startLine: 1, startCharacter: 0, endLine: 3, endCharacter: 0, text: '' });
      assert.deepEqual(deletedAround.states(), ['conflict']);
    });
  });

  describe('streaming', () => {
    const text = lf('a', 'b', 'c', 'd', '');

    it('shows provisional hunks, holds back the unfinished tail, and allows no decision', () => {
      const editor = new Editor({ text, startLine: 0, endLine: 4, proposal: 'a\nB\nc\nD', streaming: true });
      assert.equal(editor.session.isStreaming, true);
      assert.deepEqual(editor.session.hunks.map((h) => [h.id, h.removed, h.added]), [[1, ['b'], ['B']]]);
      assert.equal(editor.session.accept(1), undefined);
      assert.equal(editor.session.reject(1), false);
      assert.deepEqual(editor.session.acceptAll(), []);
      assert.equal(editor.session.isDone, false);
      editor.session.updateProposal('a\nB\nc\nD\n', { final: true });
      assert.deepEqual(editor.session.hunks.map((h) => [h.id, h.removed, h.added]), [[1, ['b'], ['B']], [2, ['d'], ['D']]]);
      editor.acceptAll();
      assert.equal(editor.text, lf('a', 'B', 'c', 'D', ''));
      assert.throws(() => editor.session.updateProposal('more'), /already complete/);
    });

    it('keeps the user\'s typing during streaming and conflicts hunks over lines they changed', () => {
      const editor = new Editor({ text, startLine: 0, endLine: 4, proposal: '', streaming: true });
      editor.type(0, 0, 'mine\n');
      editor.session.updateProposal('a\nB\n');
      editor.type(4, 1, '!');
      editor.session.updateProposal('a\nB\nc\nD\n', { final: true });
      assert.deepEqual(editor.session.hunks.map((h) => [h.startLine, h.state]), [[2, 'pending'], [4, 'conflict']]);
      assert.deepEqual(editor.session.range, { startLine: 1, endLine: 5 });
      editor.acceptAll();
      assert.equal(editor.text, lf('mine', 'a', 'B', 'c', 'd!', ''));
    });
  });

  it('rejects a line range outside the document', () => {
    assert.throws(() => new DiffSession({ text: 'a\n', startLine: 1, endLine: 3, proposal: '' }), RangeError);
    assert.throws(() => new DiffSession({ text: 'a\n', startLine: 1, endLine: 0, proposal: '' }), RangeError);
  });
});
