// The @-mention under the caret of the chat input (src/common/chat/mentions.ts): where a trigger
// starts a mention (start, whitespace, brackets, Chinese text and punctuation) and where it does
// not (e-mail addresses, C#, x#1), the query up to the caret, and the token a pick removes.
import assert from 'node:assert/strict';
import { MAX_MENTION_QUERY, mentionAt, removeMention } from '../../src/common/chat/mentions';

/** `|` marks the caret. */
function at(marked: string) {
  const caret = marked.indexOf('|');
  assert.ok(caret >= 0, 'the test text needs a caret');
  return mentionAt(marked.slice(0, caret) + marked.slice(caret + 1), caret);
}

describe('chat mentions: the token under the caret', () => {
  it('opens on a trigger at the start or after whitespace, with an empty query', () => {
    assert.deepEqual(at('@|'), { trigger: '@', query: '', start: 0, end: 1 });
    assert.deepEqual(at('#|'), { trigger: '#', query: '', start: 0, end: 1 });
    assert.deepEqual(at('explain @|'), { trigger: '@', query: '', start: 8, end: 9 });
    assert.deepEqual(at('line one\n@|'), { trigger: '@', query: '', start: 9, end: 10 });
    assert.deepEqual(at('tab\t#|'), { trigger: '#', query: '', start: 4, end: 5 });
    assert.deepEqual(at('(@|'), { trigger: '@', query: '', start: 1, end: 2 });
  });

  it('reads the query typed up to the caret', () => {
    assert.deepEqual(at('look at @src/ut|'), { trigger: '@', query: 'src/ut', start: 8, end: 15 });
    assert.deepEqual(at('#Probl|'), { trigger: '#', query: 'Probl', start: 0, end: 6 });
    assert.deepEqual(at('@foo@2x|'), { trigger: '@', query: 'foo@2x', start: 0, end: 7 }, 'a second @ inside the query is part of it');
  });

  it('takes the whole token when the caret is in the middle of it', () => {
    const text = 'see @src/util.py please';
    const m = mentionAt(text, text.indexOf('util'));
    assert.deepEqual(m, { trigger: '@', query: 'src/', start: 4, end: 16 });
    assert.equal(text.slice(m.start, m.end), '@src/util.py');
    assert.deepEqual(removeMention(text, m), { text: 'see  please', caret: 4 });
  });

  it('is not a mention with the caret before the trigger, or after whitespace that ended it', () => {
    assert.equal(at('|@foo'), undefined);
    assert.equal(at('@foo |'), undefined);
    assert.equal(at('@foo bar|'), undefined);
    assert.equal(at('@ |'), undefined);
    assert.equal(at('plain text|'), undefined);
    assert.equal(mentionAt('', 0), undefined);
    assert.equal(mentionAt('@a', 5), undefined, 'a caret past the end');
  });

  it('never triggers inside an e-mail address or a word', () => {
    assert.equal(at('mail a@b.com|'), undefined);
    assert.equal(at('a@|'), undefined);
    assert.equal(at('a@b|.com'), undefined);
    assert.equal(at('C#|'), undefined);
    assert.equal(at('issue x#12|'), undefined);
    assert.equal(at('user.name@example.org|'), undefined);
    assert.equal(at('http://host/@user|'), undefined);
    assert.equal(at('key=@value|'), undefined);
  });

  it('triggers in Chinese text without spaces, and right after Chinese punctuation', () => {
    assert.deepEqual(at('请解释@src/a.ts|'), { trigger: '@', query: 'src/a.ts', start: 3, end: 12 });
    assert.deepEqual(at('看看，@a|'), { trigger: '@', query: 'a', start: 3, end: 5 });
    assert.deepEqual(at('问题。#Probl|'), { trigger: '#', query: 'Probl', start: 3, end: 9 });
    assert.deepEqual(at('（@|'), { trigger: '@', query: '', start: 1, end: 2 });
    assert.deepEqual(at('「#|」'), { trigger: '#', query: '', start: 1, end: 2 }, 'the closing bracket is not part of the token');
    assert.deepEqual(at('日本語@x|'), { trigger: '@', query: 'x', start: 3, end: 5 });
    assert.deepEqual(at('𠀀@y|'), { trigger: '@', query: 'y', start: 2, end: 4 }, 'an astral CJK character before the trigger');
  });

  it('keeps CJK letters in the query and ends it at Chinese punctuation', () => {
    assert.deepEqual(at('@文档|'), { trigger: '@', query: '文档', start: 0, end: 3 });
    assert.equal(at('@a.ts，然后|'), undefined, 'a Chinese comma ended the mention');
    const text = '@说明书，谢谢';
    assert.deepEqual(mentionAt(text, 2), { trigger: '@', query: '说', start: 0, end: 4 }, 'the token stops at the comma');
    assert.deepEqual(removeMention(text, { start: 0, end: 4 }), { text: '，谢谢', caret: 0 });
  });

  it('gives up on a query longer than the extension accepts', () => {
    const long = '@' + 'a'.repeat(MAX_MENTION_QUERY);
    assert.equal(mentionAt(long, long.length)?.query.length, MAX_MENTION_QUERY);
    assert.equal(mentionAt(long + 'a', long.length + 1), undefined);
  });
});
