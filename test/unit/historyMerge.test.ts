// Format 2 of the stored chat history (src/core/chat/history.ts): one conversation per file, the
// file names, and the merge of two windows' versions of one conversation.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { AssistantTurn, Conversation, Turn, UserTurn } from '../../src/common/chat/model';
import {
  conversationFileStem,
  conversationSignature,
  idFromStem,
  mergeConversation,
  parseConversationFile,
  serializeConversation,
  snapshotConversation,
} from '../../src/core/chat/history';

const user = (id: string, text: string): UserTurn => ({ id, role: 'user', text, context: [], thinking: 'slow', createdAt: 1 });
const answer = (id: string, text: string): AssistantTurn => ({ id, role: 'assistant', thinking: '', answer: text, status: 'done', startedAt: 2 });
const conversation = (id: string, turns: Turn[], title = `title ${id}`): Conversation => ({ id, title, createdAt: 1, updatedAt: 2, turns });
const textOf = (t: Turn) => (t.role === 'user' ? t.text : t.answer);
const edited = (t: Turn, mark: string): Turn => (t.role === 'user' ? { ...t, text: `${t.text} ${mark}` } : { ...t, answer: `${t.answer} ${mark}` });

describe('chat history, one conversation per file', () => {
  it('reads back what it wrote', () => {
    const c = conversation('c-1', [user('u1', '问题'), { ...answer('a1', 'answer'), usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3, estimated: false } }]);
    assert.deepEqual(parseConversationFile(serializeConversation(c), 'x'), { status: 'ok', conversation: c });
  });

  it('tells damaged, corrupt and newer files apart', () => {
    assert.equal(parseConversationFile('{"version":2,"conversation":{"id":"c","turns":[', 'c').status, 'corrupt');
    assert.equal(parseConversationFile('{"version":2}', 'c').status, 'corrupt');
    assert.deepEqual(parseConversationFile('{"version":3,"conversation":{"id":"c","turns":[]}}', 'c'), { status: 'newer', reason: 'written by a newer version (format 3)' });
    const damaged = parseConversationFile(JSON.stringify({ version: 2, conversation: { title: 't', turns: [user('u1', 'kept'), { role: 'tool' }] } }), 'from-name');
    assert.equal(damaged.status, 'damaged');
    assert.equal(damaged.status === 'damaged' && damaged.conversation.id, 'from-name', 'a missing id is taken from the file name');
    assert.equal(damaged.status === 'damaged' && damaged.lostTurns, 1);
  });

  it('file names: distinct for ids differing only in case, no dots, reversible, bounded', () => {
    const ids = ['c-lx2k-0', 'C-LX2K-0', 'intact~2', 'a.b/c\\d:e', '对话', '😀', 'conversation-4', '_state'];
    const stems = ids.map(conversationFileStem);
    assert.equal(new Set(stems.map((s) => s.toLowerCase())).size, ids.length, stems.join(' '));
    for (const [i, stem] of stems.entries()) {
      assert.match(stem, /^[a-z0-9_-]+$/);
      assert.equal(idFromStem(stem), ids[i]);
      assert.notEqual(stem, '_state');
    }
    assert.equal(conversationFileStem('c-1'), 'c-1');
    const long = 'x'.repeat(500);
    assert.ok(conversationFileStem(long).length <= 160);
    assert.notEqual(conversationFileStem(long), conversationFileStem(`${long}y`));
  });

  it('the signature changes with what a save must write: title, turns, the streaming answer', () => {
    const c = conversation('c', [user('u1', 'q'), { ...answer('a1', ''), status: 'streaming' }]);
    const seen = new Set([conversationSignature(c)]);
    const step = (what: string, change: () => void) => {
      change();
      const sig = conversationSignature(c);
      assert.ok(!seen.has(sig), `${what} did not change the signature`);
      seen.add(sig);
    };
    const last = c.turns[1] as AssistantTurn;
    step('a token', () => { last.answer += 'x'; });
    step('thinking', () => { last.thinking += 'y'; });
    step('the end', () => { last.status = 'done'; });
    step('endedAt', () => { last.endedAt = 9; });
    step('a rename', () => { c.title = 'new'; });
    step('a new turn', () => { c.turns.push(user('u2', 'q2')); });
    step('updatedAt', () => { c.updatedAt = 10; });
  });

  describe('merging two windows\' versions', () => {
    const base = conversation('c', [user('u1', 'q1'), answer('a1', 'r1'), user('u2', 'q2'), answer('a2', 'r2')]);
    const clone = (c: Conversation): Conversation => ({ ...c, turns: c.turns.map((t) => ({ ...t })) });

    it('both added turns: all kept, theirs (saved first) first, in one order whichever window merges', () => {
      const ours = clone(base);
      ours.turns.push(user('o1', 'mine'), answer('o2', 'mine too'));
      const theirs = clone(base);
      theirs.turns.push(user('t1', 'theirs'), answer('t2', 'theirs too'));
      const here = mergeConversation(snapshotConversation(base), ours, theirs);
      assert.deepEqual(here.turns.map((t) => t.id), ['u1', 'a1', 'u2', 'a2', 't1', 't2', 'o1', 'o2']);
      // the other window, having written t1 t2 first, merges ours next: the same order
      const there = mergeConversation(snapshotConversation(theirs), theirs, { ...ours, turns: here.turns });
      assert.deepEqual(there.turns.map((t) => t.id), here.turns.map((t) => t.id));
    });

    it('a rename in one window survives a save of the other', () => {
      const theirs = { ...clone(base), title: 'Renamed there' };
      const ours = clone(base);
      ours.turns.push(user('o1', 'more'));
      assert.equal(mergeConversation(snapshotConversation(base), ours, theirs).title, 'Renamed there');
      assert.equal(mergeConversation(snapshotConversation(base), { ...ours, title: 'Renamed here' }, theirs).title, 'Renamed here', 'both renamed: the later save wins');
    });

    it('turns dropped in one window stay dropped; an edited and resent question replaces what followed it', () => {
      // there: Drop Oldest removed u1 a1; here: a new question
      const theirs = clone(base);
      theirs.turns.splice(0, 2);
      const ours = clone(base);
      ours.turns.push(user('o1', 'new'));
      assert.deepEqual(mergeConversation(snapshotConversation(base), ours, theirs).turns.map((t) => t.id), ['u2', 'a2', 'o1']);
      // there: u2 edited and resent (a2 gone, a3 answers it); here: nothing changed
      const resent = clone(base);
      resent.turns.splice(3, 1, answer('a3', 'new answer'));
      (resent.turns[2] as UserTurn).text = 'q2, edited';
      const merged = mergeConversation(snapshotConversation(base), clone(base), resent);
      assert.deepEqual(merged.turns.map((t) => [t.id, textOf(t)]), [['u1', 'q1'], ['a1', 'r1'], ['u2', 'q2, edited'], ['a3', 'new answer']]);
    });

    it('with nothing in common to start from (an old file met again), nothing is dropped', () => {
      const a = conversation('c', [user('u1', 'q1'), answer('a1', 'r1')]);
      const b = conversation('c', [user('u1', 'q1'), answer('a1', 'r1'), user('u2', 'q2')]);
      assert.deepEqual(mergeConversation(undefined, a, b).turns.map((t) => t.id), ['u1', 'a1', 'u2']);
      assert.deepEqual(mergeConversation(undefined, b, a).turns.map((t) => t.id), ['u1', 'a1', 'u2']);
    });

    it('property: every addition kept, every untouched removal honoured, the changed side wins, both orders kept', () => {
      type Op = 'keep' | 'drop' | 'edit';
      const op = fc.constantFrom<Op>('keep', 'keep', 'drop', 'edit');
      fc.assert(fc.property(
        fc.integer({ min: 0, max: 8 }), fc.array(op, { minLength: 8, maxLength: 8 }), fc.array(op, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }),
        (n, oursOps, theirsOps, oursAdd, theirsAdd) => {
          const baseConv = conversation('c', Array.from({ length: n }, (_, i) => (i % 2 ? answer(`b${i}`, `r${i}`) : user(`b${i}`, `q${i}`))));
          const side = (ops: Op[], add: number, mark: string): Conversation => {
            const turns: Turn[] = [];
            baseConv.turns.forEach((t, i) => {
              if (ops[i] === 'keep') turns.push({ ...t });
              if (ops[i] === 'edit') turns.push(edited(t, mark));
            });
            for (let i = 0; i < add; i++) turns.push(user(`${mark}${i}`, `${mark} ${i}`));
            return { ...baseConv, turns };
          };
          const ours = side(oursOps, oursAdd, 'o');
          const theirs = side(theirsOps, theirsAdd, 't');
          const merged = mergeConversation(snapshotConversation(baseConv), ours, theirs);
          const byId = new Map(merged.turns.map((t) => [t.id, t]));
          assert.equal(byId.size, merged.turns.length, 'no turn twice');
          for (let i = 0; i < oursAdd; i++) assert.ok(byId.has(`o${i}`));
          for (let i = 0; i < theirsAdd; i++) assert.ok(byId.has(`t${i}`));
          baseConv.turns.forEach((t, i) => {
            const [o, th] = [oursOps[i], theirsOps[i]];
            const got = byId.get(t.id);
            if ((o === 'drop' && th !== 'edit') || (th === 'drop' && o !== 'edit')) assert.equal(got, undefined, `${t.id} ${o}/${th}`);
            else if (o === 'edit') assert.equal(got && textOf(got), textOf(edited(t, 'o')));
            else if (th === 'edit') assert.equal(got && textOf(got), textOf(edited(t, 't')));
            else assert.equal(got && textOf(got), textOf(t));
          });
          const order = (c: Conversation) => merged.turns.map((t) => t.id).filter((id) => c.turns.some((x) => x.id === id));
          const kept = (c: Conversation) => c.turns.map((t) => t.id).filter((id) => byId.has(id));
          assert.deepEqual(order(ours), kept(ours), 'our order');
          assert.deepEqual(order(theirs), kept(theirs), 'their order');
          // nothing changed on one side: the merge is the other side
          assert.deepEqual(mergeConversation(snapshotConversation(baseConv), ours, baseConv).turns, ours.turns);
          assert.deepEqual(mergeConversation(snapshotConversation(baseConv), baseConv, theirs).turns, theirs.turns);
        },
      ));
    });
  });
});
