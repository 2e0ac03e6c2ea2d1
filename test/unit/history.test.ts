// The stored chat history's reader (src/core/chat/history.ts), above all its partly damaged path.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { AssistantTurn, Conversation, Turn, UserTurn } from '../../src/common/chat/model';
import { HISTORY_VERSION, parseHistory, serializeHistory, type HistoryFile } from '../../src/core/chat/history';

const user = (id: string, text: string): UserTurn => ({ id, role: 'user', text, context: [], thinking: 'slow', createdAt: 1 });
const answer = (id: string, text: string): AssistantTurn => ({ id, role: 'assistant', thinking: 'hmm', answer: text, status: 'done', startedAt: 2 });
const conversation = (id: string, turns: Turn[]): Conversation => ({ id, title: `title ${id}`, createdAt: 1, updatedAt: 2, turns });

/** A turn with every field the model has: a field added to the model must be added here (and kept by the reader). */
const FULL_USER = {
  id: 'u1', role: 'user', text: 'Explain this', thinking: 'fast', createdAt: 1700000000000,
  context: [{ id: 'c1', kind: 'selection', uri: 'file:///a.ts', label: 'src/a.ts', languageId: 'typescript', startLine: 3, endLine: 9, text: 'const a = 1;' },
    { id: 'c2', kind: 'workspace', uri: '', label: '@workspace', languageId: 'markdown', startLine: 1, endLine: 4, text: 'src/a.ts:1-4\n```\nx\n```',
      detail: '1 snippet', tokens: 12, omitted: '2 snippets' }],
  snippets: { snippets: 1, files: 1, refs: [{ path: 'src/a.ts', startLine: 1, endLine: 4 }] },
} satisfies Required<UserTurn>;
const FULL_ANSWER = {
  id: 'a1', role: 'assistant', thinking: '先想一想', answer: 'It adds.', status: 'error', startedAt: 1700000000100,
  thinkingStartedAt: 1700000000200, thinkingEndedAt: 1700000000300, endedAt: 1700000000400, firstTokenMs: 120,
  usage: { promptTokens: 10, completionTokens: 20, totalTokens: 30, estimated: true }, costYuan: 0.0002, model: 'tencent/hunyuan-a13b-instruct',
  error: { kind: 'network', message: 'Could not reach the gateway.', actions: ['retry', 'showLog'] }, droppedTurns: 2, finishReason: 'length',
} satisfies Required<AssistantTurn>;

function parse(file: unknown) {
  return parseHistory(JSON.stringify(file));
}

describe('chat history file', () => {
  it('reads back what it wrote, every field of every turn', () => {
    const history: HistoryFile = { version: HISTORY_VERSION, activeId: 'c1', conversations: [conversation('c1', [FULL_USER, FULL_ANSWER])] };
    assert.deepEqual(parseHistory(serializeHistory(history)), { status: 'ok', history });
  });

  it('calls a file corrupt when nothing can be read from it', () => {
    assert.equal(parseHistory('{"conversations": [').status, 'corrupt');
    assert.equal(parse({ version: 1 }).status, 'corrupt');
    assert.equal(parse([]).status, 'corrupt');
    const newer = parse({ version: HISTORY_VERSION + 1, conversations: [] });
    assert.deepEqual(newer, { status: 'corrupt', reason: `written by a newer version (format ${HISTORY_VERSION + 1})` });
  });

  it('an answer cut off when VS Code closed is a stopped answer, and that is no damage', () => {
    const streaming: AssistantTurn = { ...answer('a1', 'partial'), status: 'streaming' };
    const result = parse({ version: 1, conversations: [conversation('c', [user('u1', 'q'), streaming])] });
    assert.equal(result.status, 'ok');
    assert.equal((result.history.conversations[0]?.turns[1] as AssistantTurn).status, 'stopped');
  });

  describe('partly damaged', () => {
    const intact = conversation('intact', [user('u1', 'first question'), answer('a1', 'first answer')]);
    const file = {
      version: 1,
      activeId: 'partial',
      conversations: [
        intact,
        {
          id: 'partial', title: 'Partly damaged', createdAt: 5, updatedAt: 6,
          turns: [
            user('u1', 'kept question'),
            { id: 'a1', role: 'assistant', answer: 42, thinking: null, status: 'done' }, // no text at all: dropped
            { ...user('u2', 'second question'), context: [
              { id: 'k1', kind: 'file', uri: 'file:///b.ts', label: 'b.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'b\nc' },
              { id: 'k2', label: 'no text' }, // dropped: nothing to send
              { label: 'c.py', text: 'x = 1\ny = 2\n', startLine: 'seven' }, // kept, with sane values
            ] },
            {
              ...answer('a2', 'kept answer'), status: 'error', error: { kind: 'network' }, // an error without its message
              usage: { promptTokens: '12' }, thinkingStartedAt: 'soon', model: 7, endedAt: 99,
            },
            null,
            { id: 's1', role: 'system', text: 'not a chat turn' },
            { ...user('u3', 'question with a broken id'), id: 17, thinking: 'very' },
            { ...answer('a3', 'answer missing its thinking'), thinking: undefined, startedAt: 'x' },
          ],
        },
        'not a conversation',
        { id: 'no-turns', title: 'Turns are not a list', turns: { 0: user('u1', 'lost') } },
        { title: 'No id', turns: [user('u1', 'kept without its id')] },
        conversation('intact', [user('u1', 'same id, other conversation')]),
      ],
    };
    const result = parse(file);

    it('keeps every intact conversation as it was, and says it is damaged', () => {
      assert.equal(result.status, 'damaged');
      if (result.status !== 'damaged') return;
      assert.deepEqual(result.history.conversations[0], intact);
      assert.equal(result.lostConversations, 2);
      assert.equal(result.lostTurns, 3);
      assert.equal(result.lost, 3, 'two conversations dropped, one partly');
      assert.equal(result.reason, '2 conversation(s) unreadable, 3 turn(s) unreadable in 1 conversation(s)');
      assert.equal(result.history.activeId, 'partial');
      assert.equal(result.history.version, HISTORY_VERSION);
    });

    it('keeps the readable turns of a damaged conversation, in order, dropping only the unreadable ones', () => {
      const partial = result.status === 'damaged' ? result.history.conversations[1] : undefined;
      assert.deepEqual(partial && { ...partial, turns: partial.turns.map((t) => t.id) }, {
        id: 'partial', title: 'Partly damaged', createdAt: 5, updatedAt: 6, turns: ['u1', 'u2', 'a2', 'turn-6', 'a3'],
      });
      const [, u2, a2, u3, a3] = partial?.turns ?? [];
      assert.deepEqual((u2 as UserTurn).context, [
        { id: 'k1', kind: 'file', uri: 'file:///b.ts', label: 'b.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'b\nc' },
        { id: 'chip-2', kind: 'file', uri: '', label: 'c.py', languageId: 'plaintext', startLine: 1, endLine: 2, text: 'x = 1\ny = 2\n' },
      ]);
      // a broken field costs only itself
      assert.deepEqual(a2, { id: 'a2', role: 'assistant', thinking: 'hmm', answer: 'kept answer', status: 'stopped', startedAt: 2, endedAt: 99 });
      assert.deepEqual(u3, { id: 'turn-6', role: 'user', text: 'question with a broken id', context: [], thinking: 'slow', createdAt: 1 });
      assert.deepEqual(a3, { id: 'a3', role: 'assistant', thinking: '', answer: 'answer missing its thinking', status: 'done', startedAt: 0 });
    });

    it('keeps a conversation without an id, and one whose id is taken, under ids of their own', () => {
      const conversations = result.status === 'damaged' ? result.history.conversations : [];
      assert.deepEqual(conversations.map((c) => c.id), ['intact', 'partial', 'conversation-4', 'intact~2']);
      assert.equal((conversations[2]?.turns[0] as UserTurn).text, 'kept without its id');
      assert.equal((conversations[3]?.turns[0] as UserTurn).text, 'same id, other conversation');
    });

    it('forgets the active conversation when it was lost', () => {
      const lostActive = parse({ ...file, activeId: 'no-turns' });
      assert.equal(lostActive.status === 'damaged' ? lostActive.history.activeId : 'x', undefined);
    });
  });

  it('property: whatever is damaged, every intact turn and conversation is kept, in order', () => {
    const text = fc.string({ maxLength: 12 });
    const turn = fc.oneof(
      fc.record({ text, thinking: fc.constantFrom('slow', 'fast') }).map((t) => ({ ...user('', t.text), thinking: t.thinking }) as Turn),
      fc.record({ answer: text, status: fc.constantFrom('done', 'stopped') }).map((t) => ({ ...answer('', t.answer), status: t.status }) as Turn),
    );
    const garbage = fc.constantFrom<unknown>(null, 42, 'turn', [], { role: 'user' }, { role: 'assistant', answer: 1 }, { id: 'x', role: 'tool', text: 'hi' });
    const slot = fc.oneof({ arbitrary: turn.map((t) => ({ ok: true as const, t })), weight: 3 }, garbage.map((g) => ({ ok: false as const, g })));
    const conv = fc.oneof(
      { arbitrary: fc.array(slot, { maxLength: 6 }).map((slots) => ({ ok: true as const, slots })), weight: 3 },
      garbage.map((g) => ({ ok: false as const, g })),
    );
    fc.assert(fc.property(fc.array(conv, { maxLength: 5 }), (convs) => {
      let turnId = 0;
      const written = convs.map((c, ci) => (c.ok
        ? conversation(`c${ci}`, c.slots.map((s) => (s.ok ? { ...s.t, id: `t${turnId++}` } : s.g)) as Turn[])
        : c.g));
      const expected = convs.flatMap((c, ci) => (c.ok ? [{ id: `c${ci}`, turns: (written[ci] as Conversation).turns.filter((_, i) => c.slots[i]?.ok) }] : []));
      const result = parse({ version: 1, conversations: written });
      assert.notEqual(result.status, 'corrupt');
      if (result.status === 'corrupt') return;
      assert.deepEqual(result.history.conversations.map((c) => ({ id: c.id, turns: c.turns })), expected);
      const damaged = convs.some((c) => !c.ok || c.slots.some((s) => !s.ok));
      assert.equal(result.status, damaged ? 'damaged' : 'ok');
    }));
  });
});
