import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  ESTIMATE_MARGIN, TokenCounter, estimateMessagesTokens, estimateTokens, TOKENS_PER_MESSAGE, TOKENS_PER_REPLY,
} from '../../src/core/budget/tokens';
import { countTokens } from '../gateway/tokenizer';
import { fitToContext, MIN_COMPLETION_TOKENS } from '../../src/core/budget/contextBudget';
import { costYuan, formatYuan } from '../../src/core/budget/cost';
import { applyThinkingMode } from '../../src/core/hunyuan/request';
import type { ChatMessage } from '../../src/core/hunyuan/types';

const raw = (text: string): number => {
  const counter = new TokenCounter();
  counter.push(text);
  return counter.raw;
};

/** Characters from every class the estimate and the gateway's tokenizer tell apart. */
const PIECES = [
  'a', 'b', 'Z', 'Q', 'x', 'word', 'HTTP', 'Server', 'getX', 'ABc', "'s", "'ll", ' ', '  ', '\t', '\n', '\r\n',
  '0', '7', '.', '{', '"', ':', ',', '-', '|', '(', ')', 'é', 'ñ', 'ж', '中', '文', '混', '，', '。', 'ア', '한', 'ー', '・',
  '😀', '👍🏽', '\u200d', '\ufe0f', '✓', '→', '—', '…', '²', '①', '𠀀', '\u00a0', '\u3000', 'Ａ',
];

describe('token estimate', () => {
  it('charges each run of one kind of character, rounded up, plus a 12% margin', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(raw('hello'), 1, 'a word of up to 7 letters is one token');
    assert.equal(raw('hello world, again'), 4, 'a space rides with the word after it; punctuation is its own run');
    assert.equal(raw('internationalization'), 1 + Math.ceil(13 / 4), 'a longer run: 4 letters per token after the first 7');
    assert.equal(raw('getElementById HTTPServer'), 4 + 2, 'camelCase humps are runs of their own');
    assert.equal(raw('2026-01-01'), 8 + 2, 'every digit is a token');
    assert.equal(raw('1 2'), 3, 'a space before a digit is a token of its own');
    assert.equal(raw('":"'), 1, 'three punctuation characters per token');
    assert.equal(raw('混元'.repeat(50)), 60, 'CJK: 0.6 per character');
    assert.equal(raw('混元，模型。'), 2 + 1 + 2 + 1, 'CJK punctuation: one each');
    assert.equal(raw('😀é✓'), 2 + 1 + 2, 'other characters: one token per two UTF-8 bytes');
    assert.equal(raw(' '.repeat(9)), 2 + 1, 'a run of blanks: 4 per token, plus one (nothing rides it)');
    assert.equal(raw('\n\n\n\n\n'), 2);
    assert.equal(estimateTokens('hello world, again'), Math.ceil(4 * ESTIMATE_MARGIN));
  });

  it('counts a streamed text the same however it was cut (surrogate pairs included)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.array(fc.nat(200), { maxLength: 8 }), (parts, cuts) => {
        const text = parts.join('');
        const counter = new TokenCounter();
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
          counter.push(text.slice(at, cut));
          at = cut;
        }
        counter.push(text.slice(at));
        assert.equal(counter.tokens, estimateTokens(text));
      }),
    );
  });

  it('never counts fewer tokens than the gateway test server, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        assert.ok(raw(text) >= countTokens(text), `${JSON.stringify(text)}: ${raw(text)} < ${countTokens(text)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('never counts fewer than the measured rates: 1 token per digit, 0.57 per Chinese character, 4.1 characters of prose', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('1', '9', '中', '文', '混') }), (s) => {
        const digits = s.replace(/\D/g, '').length;
        assert.ok(estimateTokens(s) >= digits + (s.length - digits) * 0.57);
      }),
    );
    const prose = "Hunyuan's thinking can arrive in a field of its own, or inside the content between think tags, followed by " +
      'the answer in answer tags; the gateway also leaves the answer tags in the content. The decoder handles all of them, ' +
      'including a tag cut between two chunks at any character, keep-alive comments, an error object inside a successful ' +
      'stream, and a stream cut before its usage, which is then estimated and marked as an estimate.';
    assert.ok(estimateTokens(prose) >= prose.length / 4.1);
  });

  it('adds the chat template overhead per message', () => {
    const msgs = [{ content: 'abcd' }, { content: '' }];
    assert.equal(estimateMessagesTokens(msgs), TOKENS_PER_REPLY + 2 * TOKENS_PER_MESSAGE + estimateTokens('abcd'));
  });
});

const msg = (role: ChatMessage['role'], n: number): ChatMessage => ({ role, content: 'x'.repeat(n) });

describe('context budget', () => {
  it('sends everything when it fits', () => {
    const history = [msg('user', 40), msg('assistant', 40)];
    const r = fitToContext({ history, current: [msg('user', 40)], contextWindow: 32768, maxTokens: 8192, thinking: 'slow' });
    assert.equal(r.fits, true);
    assert.equal(r.messages.length, 3);
    assert.equal(r.droppedTurns, 0);
    assert.equal(r.maxTokens, 8192);
    assert.equal(r.promptTokens, estimateMessagesTokens(r.messages));
    assert.equal(r.remaining, 32768 - r.promptTokens - 8192);
  });

  it('merges two user messages in a row (an answer that failed between them): user and assistant alternate', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'first' }, { role: 'assistant', content: 'answer' }, { role: 'user', content: 'unanswered' },
    ];
    const r = fitToContext({ system: { role: 'system', content: 'sys' }, history, current: [{ role: 'user', content: 'next' }], contextWindow: 32768, maxTokens: 8192, thinking: 'slow' });
    assert.deepEqual(r.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(r.messages[3].content, 'unanswered\n\nnext');
    assert.equal(r.promptTokens, estimateMessagesTokens(r.messages));
  });

  it('counts the prompt as sent: with /no_think in fast mode, and when the mode is not known', () => {
    const current = [{ role: 'user' as const, content: 'Write add()' }];
    const input = { history: [], current, contextWindow: 32768, maxTokens: 8192 };
    const slow = fitToContext({ ...input, thinking: 'slow' });
    const fast = fitToContext({ ...input, thinking: 'fast' });
    assert.equal(slow.promptTokens, estimateMessagesTokens(current));
    assert.equal(fast.promptTokens, estimateMessagesTokens(applyThinkingMode(current, 'fast')));
    assert.ok(fast.promptTokens > slow.promptTokens);
    assert.equal(fitToContext(input).promptTokens, fast.promptTokens);
    // the messages stay as given: buildRequestBody adds the prefix (once) in fast mode only
    assert.deepEqual(fast.messages, current);
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
