import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { countChars, estimateMessagesTokens, estimateTokens, TOKENS_PER_MESSAGE, TOKENS_PER_REPLY } from '../../src/core/budget/tokens';
import { fitToContext, MIN_COMPLETION_TOKENS } from '../../src/core/budget/contextBudget';
import { costYuan, formatYuan } from '../../src/core/budget/cost';
import type { ChatMessage } from '../../src/core/hunyuan/types';

describe('token estimate', () => {
  it('counts ASCII / 4 + CJK x 0.6, with a 12% margin', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'.repeat(100)), Math.ceil(100 * 1.12));
    assert.equal(estimateTokens('混元'.repeat(50)), Math.ceil(60 * 1.12));
    assert.equal(estimateTokens('abcd混元'), Math.ceil((1 + 1.2) * 1.12));
  });

  it('counts an emoji (a surrogate pair) as one character', () => {
    assert.deepEqual(countChars('a😃中'), { ascii: 1, cjk: 1, other: 1 });
  });

  it('adds the chat template overhead per message', () => {
    const msgs = [{ content: 'abcd' }, { content: '' }];
    assert.equal(estimateMessagesTokens(msgs), TOKENS_PER_REPLY + 2 * TOKENS_PER_MESSAGE + estimateTokens('abcd'));
  });

  it('never estimates less than the measured ratios (4.1 ASCII chars and 0.57 CJK tokens per char)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '{', '中', '文') }), (s) => {
        const { ascii, cjk } = countChars(s);
        assert.ok(estimateTokens(s) >= ascii / 4.1 + cjk * 0.57);
      }),
    );
  });
});

const msg = (role: ChatMessage['role'], n: number): ChatMessage => ({ role, content: 'x'.repeat(n) });

describe('context budget', () => {
  it('sends everything when it fits', () => {
    const history = [msg('user', 40), msg('assistant', 40)];
    const r = fitToContext({ history, current: [msg('user', 40)], contextWindow: 32768, maxTokens: 8192 });
    assert.equal(r.fits, true);
    assert.equal(r.messages.length, 3);
    assert.equal(r.droppedTurns, 0);
    assert.equal(r.maxTokens, 8192);
    assert.equal(r.promptTokens, estimateMessagesTokens(r.messages));
    assert.equal(r.remaining, 32768 - r.promptTokens - 8192);
  });

  it('drops the oldest whole turns first and says what it dropped', () => {
    const history = [msg('user', 6000), msg('assistant', 6000), msg('user', 6000), msg('assistant', 6000), msg('user', 40), msg('assistant', 40)];
    const system = { role: 'system' as const, content: 'sys' };
    const r = fitToContext({ system, history, current: [msg('user', 40)], contextWindow: 4096, maxTokens: 1024 });
    assert.equal(r.fits, true);
    assert.equal(r.droppedTurns, 2);
    assert.deepEqual(r.dropped, history.slice(0, 4));
    assert.deepEqual(r.messages, [system, ...history.slice(4), msg('user', 40)]);
    assert.ok(r.promptTokens + r.maxTokens <= 4096);
  });

  it('lowers max_tokens when the prompt alone leaves less room, down to a floor', () => {
    const r = fitToContext({ history: [], current: [msg('user', 4 * 2500)], contextWindow: 4096, maxTokens: 4096 });
    assert.equal(r.fits, true);
    assert.equal(r.maxTokens, 4096 - r.promptTokens);
    assert.ok(r.maxTokens >= MIN_COMPLETION_TOKENS);
  });

  it('refuses when even the new message leaves no room for an answer', () => {
    const r = fitToContext({ history: [msg('user', 10)], current: [msg('user', 4 * 4000)], contextWindow: 4096, maxTokens: 2048 });
    assert.equal(r.fits, false);
    assert.equal(r.droppedTurns, 1);
  });

  it('property: whatever fits never exceeds the window, and the newest turns are kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3000), fc.nat(3000)), { maxLength: 10 }),
        fc.nat(6000),
        fc.integer({ min: 1024, max: 8192 }),
        (turnSizes, current, maxTokens) => {
          const history = turnSizes.flatMap(([u, a]) => [msg('user', u), msg('assistant', a)]);
          const r = fitToContext({ history, current: [msg('user', current)], contextWindow: 8192, maxTokens });
          if (!r.fits) return;
          assert.ok(r.promptTokens + r.maxTokens <= 8192);
          assert.deepEqual(r.messages.slice(0, -1), history.slice(r.dropped.length));
          assert.equal(r.dropped.length, r.droppedTurns * 2);
        },
      ),
    );
  });
});

describe('cost', () => {
  it('prices prompt and completion tokens per 1000', () => {
    const cost = costYuan({ promptTokens: 6, completionTokens: 599 }, { input: 0.0019, output: 0.0075 });
    assert.ok(Math.abs(cost - (0.006 * 0.0019 + 0.599 * 0.0075)) < 1e-12);
    assert.equal(formatYuan(cost), '¥0.0045');
    assert.equal(formatYuan(12.345), '¥12.35');
    assert.equal(formatYuan(Number.NaN), '¥—');
  });
});
