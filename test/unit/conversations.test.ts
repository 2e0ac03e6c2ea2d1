// The chat's conversation logic without VS Code (src/core/chat/conversations.ts).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Conversations } from '../../src/core/chat/conversations';
import type { ContextChip, Turn } from '../../src/common/chat/model';

function clock(start = 1000): { now: () => number; tick: (ms?: number) => void } {
  let t = start;
  return { now: () => t, tick: (ms = 1) => { t += ms; } };
}

const chip: ContextChip = { id: 'k1', kind: 'file', label: 'a.ts', uri: 'file:///a.ts', languageId: 'typescript', startLine: 1, endLine: 1, text: 'x' };

describe('Conversations', () => {
  it('a first message lists the new conversation, titles it after the message, and makes it active', () => {
    const c = new Conversations(clock().now);
    assert.equal(c.file.conversations.length, 0);
    const turn = c.addUserTurn('  Explain closures in JS  ', [], 'slow');
    assert.ok(turn);
    assert.equal(turn.text, 'Explain closures in JS');
    assert.equal(c.current.title.length > 0, true);
    assert.deepEqual(c.file.conversations, [c.current]);
    assert.equal(c.file.activeId, c.current.id);
  });

  it('nothing to send (blank, no context) adds nothing; context alone is a message titled after it', () => {
    const c = new Conversations(clock().now);
    assert.equal(c.addUserTurn('   ', [], 'fast'), undefined);
    assert.equal(c.current.turns.length, 0);
    assert.equal(c.file.conversations.length, 0);
    const t = c.addUserTurn('', [chip], 'fast');
    assert.ok(t);
    assert.match(c.current.title, /a\.ts/);
  });

  it('a new chat reuses an untouched one, and starts afresh after anything was saved', () => {
    const c = new Conversations(clock().now);
    const first = c.current;
    assert.equal(c.newChat(), false);
    assert.equal(c.current, first);
    c.addUserTurn('hi', [], 'slow');
    assert.equal(c.newChat(), true);
    assert.notEqual(c.current, first);
    assert.equal(c.file.activeId, undefined);
    assert.equal(c.switchTo(first.id), true);
    assert.equal(c.current, first);
    assert.equal(c.switchTo('nope'), false);
  });

  it('regenerate drops the answers after the last question; resend edits a question and drops what followed', () => {
    const c = new Conversations(clock().now);
    const u1 = c.addUserTurn('one', [], 'slow');
    c.addAssistantTurn(c.current, 'm');
    c.addUserTurn('two', [], 'slow');
    c.addAssistantTurn(c.current, 'm');
    assert.equal(c.prepareRegenerate('fast'), true);
    assert.deepEqual(c.current.turns.map((t) => t.role), ['user', 'assistant', 'user']);
    const thinkingOf = (i: number) => (c.current.turns[i] as { thinking: string }).thinking;
    assert.equal(thinkingOf(2), 'fast', 'answered again in the mode the toggle shows now, not the one it was sent in');
    assert.equal(thinkingOf(0), 'slow', 'earlier questions keep theirs');
    assert.equal(c.prepareResend(u1!.id, '  one, edited ', 'fast'), true);
    assert.deepEqual(c.current.turns.map((t) => t.role), ['user']);
    assert.equal((c.current.turns[0] as { text: string }).text, 'one, edited');
    assert.equal(thinkingOf(0), 'fast', 'resent in the mode the toggle shows now');
    assert.equal(c.prepareResend(u1!.id, '   ', 'slow'), false, 'no text: nothing changes');
    assert.equal(thinkingOf(0), 'fast', 'a refused resend changes nothing');
    assert.equal(c.prepareResend('missing', 'x', 'slow'), false);
  });

  it('drop oldest takes whole exchanges, and refuses what is not 1..the number of questions', () => {
    const c = new Conversations(clock().now);
    for (const q of ['a', 'b', 'c']) {
      c.addUserTurn(q, [], 'slow');
      c.addAssistantTurn(c.current, 'm');
    }
    for (const bad of [0, -1, 1.5, 4, 1000, Number.NaN]) {
      assert.equal(c.dropOldest(bad).dropped, false, `refuses ${bad}`);
      assert.equal(c.current.turns.length, 6);
    }
    assert.equal(c.dropOldest(2).dropped, true);
    assert.deepEqual(c.current.turns.map((t) => (t.role === 'user' ? t.text : 'A')), ['c', 'A']);
  });

  it('renaming another conversation keeps the one shown (and active) as it was', () => {
    const time = clock();
    const c = new Conversations(time.now);
    c.addUserTurn('first', [], 'slow');
    const first = c.current;
    c.newChat();
    time.tick();
    c.addUserTurn('second', [], 'slow');
    const second = c.current;
    time.tick();
    assert.ok(c.rename(first.id, ' Renamed '));
    assert.equal(first.title, 'Renamed');
    assert.equal(c.current, second);
    assert.equal(c.file.activeId, second.id);
    assert.equal(c.rename(first.id, '   '), undefined, 'an empty title is refused');
    assert.equal(c.rename('nope', 'x'), undefined);
  });

  it('delete shows the latest other conversation, and restore puts it back where it was', () => {
    const time = clock();
    const c = new Conversations(time.now);
    const ids: string[] = [];
    for (const q of ['a', 'b', 'c']) {
      c.newChat();
      time.tick();
      c.addUserTurn(q, [], 'slow');
      ids.push(c.current.id);
    }
    const deleted = c.delete(ids[2]);
    assert.ok(deleted);
    assert.equal(c.current.id, ids[1], 'the latest other one is shown');
    assert.equal(c.file.activeId, ids[1]);
    assert.equal(c.restore(deleted), true);
    assert.deepEqual(c.file.conversations.map((x) => x.id), ids);
    assert.equal(c.restore(deleted), false, 'undo twice does nothing');
    assert.equal(c.delete('nope'), undefined);
  });

  it('property: any sequence of operations keeps the list without duplicates, the active id listed, and the shown one listed or new', () => {
    type Op = { op: 'send' | 'answer' | 'new' | 'switch' | 'regen' | 'drop' | 'rename' | 'delete' | 'restore'; n: number };
    const op = fc.record({ op: fc.constantFrom('send', 'answer', 'new', 'switch', 'regen', 'drop', 'rename', 'delete', 'restore'), n: fc.nat(5) }) as fc.Arbitrary<Op>;
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const time = clock();
      const c = new Conversations(time.now);
      const deleted: { removed: import('../../src/common/chat/model').Conversation; index: number }[] = [];
      for (const { op: o, n } of ops) {
        time.tick();
        const listed = c.file.conversations;
        const pick = listed.length ? listed[n % listed.length] : undefined;
        if (o === 'send') c.addUserTurn(`q${n}`, [], 'slow');
        else if (o === 'answer' && c.current.turns.at(-1)?.role === 'user') c.addAssistantTurn(c.current, 'm');
        else if (o === 'new') c.newChat();
        else if (o === 'switch' && pick) c.switchTo(pick.id);
        else if (o === 'regen') c.prepareRegenerate(n % 2 ? 'slow' : 'fast');
        else if (o === 'drop') c.dropOldest(n);
        else if (o === 'rename' && pick) c.rename(pick.id, `t${n}`);
        else if (o === 'delete' && pick) deleted.push(c.delete(pick.id)!);
        else if (o === 'restore' && deleted.length) c.restore(deleted.pop()!);
        const ids = c.file.conversations.map((x) => x.id);
        assert.equal(new Set(ids).size, ids.length, 'no conversation listed twice');
        if (c.file.activeId !== undefined) assert.ok(ids.includes(c.file.activeId), 'the active id is listed');
        assert.ok(c.isListed(c.current) || c.current.turns.length === 0, 'what is shown is listed, or new and empty');
        const turns: Turn[] = c.current.turns;
        assert.ok(turns.length === 0 || turns[0].role === 'user', 'a conversation starts with a question');
      }
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 300 });
  });
});
