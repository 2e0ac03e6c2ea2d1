import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeCompletion, MAX_HELD_NEWLINES, mergeTextEvents, ResponseDecoder, TagSplitter } from '../../src/core/hunyuan/decoder';
import { HunyuanError } from '../../src/core/hunyuan/errors';
import { MAX_EVENT_BYTES, SseParser } from '../../src/core/hunyuan/transport';
import type { StreamEvent } from '../../src/core/hunyuan/types';

/** Concatenated thinking and answer text of a list of events. */
function texts(events: StreamEvent[]): { thinking: string; answer: string } {
  let thinking = '';
  let answer = '';
  for (const e of events) {
    if (e.type === 'thinking') thinking += e.text;
    if (e.type === 'answer') answer += e.text;
  }
  return { thinking, answer };
}

const normalize = mergeTextEvents;

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function splitContent(content: string, cuts: number[]): StreamEvent[] {
  const s = new TagSplitter();
  const events: StreamEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, content.length]) {
    events.push(...s.push(content.slice(prev, c)));
    prev = c;
  }
  events.push(...s.end());
  return normalize(events);
}

const RAW = '<think>\nLet me think about `a < b` and <b>tags</b>.\n</think>\n<answer>\nUse `x <answer>` carefully.\n```ts\nconst a = 1;\n```\n</answer>';

describe('TagSplitter', () => {
  it('splits a <think> block and an <answer> block, tags and their newlines removed', () => {
    assert.deepEqual(splitContent(RAW, []), [
      { type: 'thinking', text: 'Let me think about `a < b` and <b>tags</b>.' },
      { type: 'answer', text: 'Use `x <answer>` carefully.\n```ts\nconst a = 1;\n```' },
    ]);
  });

  it('strips <answer> tags when the thinking came in a separate field (the gateway sample)', () => {
    assert.deepEqual(splitContent('<answer>\nHello 你好\n</answer>', []), [{ type: 'answer', text: 'Hello 你好' }]);
  });

  it('passes untagged content through, keeping indentation', () => {
    assert.deepEqual(splitContent('    return x;\n}', []), [{ type: 'answer', text: '    return x;\n}' }]);
  });

  it('does not mistake other tags for ours', () => {
    assert.deepEqual(splitContent('<thing> is not a tag of ours', []), [{ type: 'answer', text: '<thing> is not a tag of ours' }]);
    assert.deepEqual(splitContent('<b', []), [{ type: 'answer', text: '<b' }]);
  });

  it('shows nothing of a stream cut inside an opening tag', () => {
    assert.deepEqual(splitContent('<ans', []), []);
    assert.deepEqual(splitContent('<think>\nx\n</think>\n<ans', []), [{ type: 'thinking', text: 'x' }]);
  });

  it('gives nothing for the empty think block of fast mode', () => {
    assert.deepEqual(splitContent('<think>\n\n</think>\n<answer>\nOK\n</answer>', []), [{ type: 'answer', text: 'OK' }]);
  });

  it('keeps an unclosed block (cut stream or max_tokens)', () => {
    assert.deepEqual(splitContent('<think>\nhalf a thou', []), [{ type: 'thinking', text: 'half a thou' }]);
    assert.deepEqual(splitContent('<think>\nx\n</think>\n<answer>\npartial </ans', []), [
      { type: 'thinking', text: 'x' },
      { type: 'answer', text: 'partial </ans' },
    ]);
  });

  it('holds back a partial closing tag until the next chunk decides it', () => {
    const s = new TagSplitter();
    assert.deepEqual(s.push('<answer>\nabc</ans'), [{ type: 'answer', text: 'abc' }]);
    assert.deepEqual(s.push('wer>'), []);
    assert.deepEqual(s.end(), []);
    const t = new TagSplitter();
    t.push('<answer>\nabc</ans');
    assert.deepEqual(t.push('ible'), [{ type: 'answer', text: '</ansible' }]);
  });

  it('gives the same events wherever a tagged stream is cut (every single boundary)', () => {
    const whole = splitContent(RAW, []);
    for (let i = 0; i <= RAW.length; i++) assert.deepEqual(splitContent(RAW, [i]), whole, `cut at ${i}`);
  });

  // Each of these took the old splitter seconds to minutes (it looked at what it held, or a run of
  // newlines, again for every chunk): here they are linear. No time is asserted; a quadratic
  // splitter runs into mocha's 20 s limit by far.
  it('is linear in a long run of newlines, in one chunk or one character at a time', () => {
    const content = `<answer>\na${'\n'.repeat(200_000)}b\n</answer>`;
    const expected = [{ type: 'answer', text: `a${'\n'.repeat(200_000)}b` }];
    assert.deepEqual(splitContent(content, []), expected);
    assert.deepEqual(splitContent(content, Array.from({ length: content.length - 1 }, (_, i) => i + 1)), expected);
    // untagged, and in a thinking block
    assert.deepEqual(splitContent(`x${'\r\n'.repeat(100_000)}y`, []), [{ type: 'answer', text: `x${'\r\n'.repeat(100_000)}y` }]);
    const think = `<think>\n${'\n'.repeat(100_000)}t\n</think>`;
    assert.deepEqual(splitContent(think, Array.from({ length: 100_000 }, (_, i) => i + 9)), [{ type: 'thinking', text: 't' }]);
  });

  it('is linear in whitespace before anything else, one character at a time, and keeps it as indentation', () => {
    const content = `${' \t'.repeat(100_000)}<x>`;
    assert.deepEqual(splitContent(content, Array.from({ length: content.length - 1 }, (_, i) => i + 1)), [{ type: 'answer', text: content }]);
    const tagged = `${'\n '.repeat(100_000)}<answer>\nok\n</answer>`;
    assert.deepEqual(splitContent(tagged, Array.from({ length: 200_000 }, (_, i) => i + 1)), [{ type: 'answer', text: 'ok' }]);
  });

  it(`holds back at most ${MAX_HELD_NEWLINES} newlines before a possible closing tag`, () => {
    const s = new TagSplitter();
    assert.deepEqual(s.push('<answer>\nx'), [{ type: 'answer', text: 'x' }]);
    assert.deepEqual(s.push('\n'.repeat(MAX_HELD_NEWLINES)), []);
    assert.deepEqual(s.push('\n'.repeat(10)), [{ type: 'answer', text: '\n'.repeat(10) }]);
  });

  it('property: any set of cuts in any tagged content gives the same events', () => {
    const piece = fc.constantFrom('a', ' ', '\n', '<', '>', '/', '你', 'think', 'answer', '<think>', '</think>', '<answer>', '</answer>', '</ans', '`');
    const text = fc.array(piece, { maxLength: 12 }).map((a) => a.join(''));
    const content = fc.tuple(text, text, fc.constantFrom(0, 1, 2)).map(([t, a, shape]) =>
      shape === 0 ? `<think>\n${t}\n</think>\n<answer>\n${a}\n</answer>` : shape === 1 ? `<answer>\n${a}\n</answer>` : `${t}${a}`,
    );
    fc.assert(
      fc.property(content, fc.array(fc.nat(), { maxLength: 8 }), (c, rawCuts) => {
        const cuts = [...new Set(rawCuts.map((x) => x % (c.length + 1)))].sort((x, y) => x - y);
        assert.deepEqual(splitContent(c, cuts), splitContent(c, []));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ResponseDecoder', () => {
  it('reads thinking from delta.reasoning and strips the answer tags in content', () => {
    const d = new ResponseDecoder();
    const events = [
      ...d.pushChunk(chunk({ role: 'assistant', reasoning: '好的，' })),
      ...d.pushChunk(chunk({ reasoning: 'think.' })),
      ...d.pushChunk(chunk({ content: '<answer>\nHi' })),
      ...d.pushChunk(chunk({ content: '!\n</answer>' }, 'stop')),
      ...d.pushChunk({ id: 'c1', choices: [], usage: { prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 } }),
      ...d.finish(),
    ];
    assert.deepEqual(normalize(events), [
      { type: 'thinking', text: '好的，think.' },
      { type: 'answer', text: 'Hi!' },
      { type: 'usage', usage: { promptTokens: 6, completionTokens: 9, totalTokens: 15, estimated: false } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reads delta.reasoning_content (older vLLM, SGLang)', () => {
    const d = new ResponseDecoder();
    const events = [...d.pushChunk(chunk({ reasoning_content: 'hmm' })), ...d.pushChunk(chunk({ content: 'yes' }, 'stop')), ...d.finish()];
    assert.deepEqual(texts(events), { thinking: 'hmm', answer: 'yes' });
  });

  it('reads reasoning tokens from completion_tokens_details', () => {
    const d = new ResponseDecoder();
    d.pushChunk(chunk({ content: 'x' }, 'stop'));
    d.pushChunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 5, total_tokens: 6, completion_tokens_details: { reasoning_tokens: 4 } } });
    const usage = d.finish().find((e) => e.type === 'usage');
    assert.deepEqual(usage, { type: 'usage', usage: { promptTokens: 1, completionTokens: 5, totalTokens: 6, reasoningTokens: 4, estimated: false } });
  });

  it('estimates usage, marked as an estimate, when the stream has no usage chunk', () => {
    const d = new ResponseDecoder({ promptTokensEstimate: 42 });
    d.pushChunk(chunk({ reasoning: 'a'.repeat(400) }));
    d.pushChunk(chunk({ content: '中'.repeat(100) }, 'stop'));
    const usage = d.finish().find((e) => e.type === 'usage');
    assert.ok(usage && usage.type === 'usage');
    assert.equal(usage.usage.estimated, true);
    assert.equal(usage.usage.promptTokens, 42);
    // (400 / 4 + 100 * 0.6) * 1.12 = 179.2 -> 180
    assert.equal(usage.usage.completionTokens, 180);
    assert.equal(usage.usage.totalTokens, 222);
  });

  it('turns an error object inside a 200 stream into an error event', () => {
    const d = new ResponseDecoder();
    const [e] = d.pushChunk({ error: { code: 502, message: 'Upstream provider returned an error' } });
    assert.equal(e.type, 'error');
    assert.ok(e.type === 'error');
    assert.equal(e.error.kind, 'serverError');
    assert.equal(e.error.status, 502);
    assert.equal(e.error.gatewayMessage, 'Upstream provider returned an error');
  });

  it('names the stop sequence that ended a stream: vLLM\'s stop_reason, SGLang\'s matched_stop', () => {
    const vllm = new ResponseDecoder();
    const events = [
      ...vllm.pushChunk({ choices: [{ index: 0, delta: { content: 'return a + b;' }, finish_reason: null, stop_reason: null }] }),
      ...vllm.pushChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: '\n}' }] }),
      ...vllm.finish(),
    ];
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop', stopSequence: '\n}' });
    assert.equal(texts(events).answer, 'return a + b;');
    const sglang = new ResponseDecoder();
    sglang.pushChunk(chunk({ content: 'x' }));
    sglang.pushChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop', matched_stop: '</code>' }] });
    assert.deepEqual(sglang.finish().at(-1), { type: 'finish', reason: 'stop', stopSequence: '</code>' });
  });

  it('ignores a stop token id (an integer stop_reason or matched_stop), a null and an empty one', () => {
    for (const stop of [{ stop_reason: 127960 }, { matched_stop: 127960 }, { stop_reason: null }, { matched_stop: null }, { stop_reason: '' }]) {
      const d = new ResponseDecoder();
      d.pushChunk({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop', ...stop }] });
      assert.deepEqual(d.finish().at(-1), { type: 'finish', reason: 'stop' }, JSON.stringify(stop));
    }
  });

  it('has no stop sequence when the answer ended at max_tokens', () => {
    const d = new ResponseDecoder();
    d.pushChunk({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'length', stop_reason: null }] });
    assert.deepEqual(d.finish().at(-1), { type: 'finish', reason: 'length' });
  });

  it('gives no finish event for a stream that ended without a finish_reason (cut short)', () => {
    const d = new ResponseDecoder();
    const events = [...d.pushChunk(chunk({ content: '<answer>\n```ts\nconst a = 1;\n' })), ...d.finish()];
    assert.deepEqual(events.map((e) => e.type), ['answer', 'usage']);
    assert.equal(texts(events).answer, '```ts\nconst a = 1;');
  });

  it('counts the characters it received as sent, shown or not (what the answer limit counts)', () => {
    const d = new ResponseDecoder();
    d.pushChunk(chunk({ reasoning: 'abc' }));
    d.pushChunk(chunk({ content: '<answer>\n  \n' }));
    d.pushChunk(chunk({ content: '\n\n\n' }));
    assert.equal(d.receivedChars, 3 + 12 + 3);
  });

  it('ignores chunks without choices and a second finish()', () => {
    const d = new ResponseDecoder();
    assert.deepEqual(d.pushChunk({ choices: [] }), []);
    assert.deepEqual(d.pushChunk(null), []);
    assert.equal(d.finish().length, 1);
    assert.deepEqual(d.finish(), []);
  });
});

describe('decodeCompletion (non-streaming)', () => {
  // The real response printed in the gateway's own document, shortened.
  const sample = {
    id: 'chatcmpl-t1759079219s379rabcc848c86cdbec09e778cca',
    model: 'tencent/hunyuan-a13b-instruct',
    object: 'chat.completion',
    created: 1759079220,
    choices: [
      {
        logprobs: null,
        finish_reason: 'stop',
        native_finish_reason: 'stop',
        index: 0,
        message: {
          role: 'assistant',
          content: '<answer>\n你好呀😃,我是腾讯开发的人工智能助手腾讯元宝。\n\n你还想了解我哪些方面的信息呢🧐?\n</answer>',
          refusal: null,
          reasoning: '好的,用户让我介绍一下自己。\n',
        },
      },
    ],
    usage: { prompt_tokens: 6, completion_tokens: 599, total_tokens: 605, prompt_tokens_details: null },
  };

  it('decodes the gateway document\'s sample to the same events a stream gives', () => {
    const events = decodeCompletion(sample);
    assert.deepEqual(events, [
      { type: 'thinking', text: '好的,用户让我介绍一下自己。\n' },
      { type: 'answer', text: '你好呀😃,我是腾讯开发的人工智能助手腾讯元宝。\n\n你还想了解我哪些方面的信息呢🧐?' },
      { type: 'usage', usage: { promptTokens: 6, completionTokens: 599, totalTokens: 605, estimated: false } },
      { type: 'finish', reason: 'stop' },
    ]);
    // The same content streamed in small chunks decodes identically.
    const d = new ResponseDecoder();
    const msg = sample.choices[0].message;
    const streamed: StreamEvent[] = [...d.pushChunk(chunk({ reasoning: msg.reasoning }))];
    for (let i = 0; i < msg.content.length; i += 3) streamed.push(...d.pushChunk(chunk({ content: msg.content.slice(i, i + 3) })));
    streamed.push(...d.pushChunk(chunk({}, 'stop')), ...d.pushChunk({ choices: [], usage: sample.usage }), ...d.finish());
    assert.deepEqual(normalize(streamed), events);
  });

  it('names the stop sequence of a whole response (stop_reason or matched_stop), never a stop token id', () => {
    const body = (extra: Record<string, unknown>) => ({
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '<answer>\nfn()\n</answer>' }, ...extra }],
    });
    assert.deepEqual(decodeCompletion(body({ stop_reason: '\n\n' })).at(-1), { type: 'finish', reason: 'stop', stopSequence: '\n\n' });
    assert.deepEqual(decodeCompletion(body({ matched_stop: 'END' })).at(-1), { type: 'finish', reason: 'stop', stopSequence: 'END' });
    assert.deepEqual(decodeCompletion(body({ stop_reason: 127960 })).at(-1), { type: 'finish', reason: 'stop' });
    assert.deepEqual(decodeCompletion(body({ stop_reason: null })).at(-1), { type: 'finish', reason: 'stop' });
    assert.deepEqual(decodeCompletion(body({ stop_reason: '\n\n' })).find((e) => e.type === 'answer'), { type: 'answer', text: 'fn()' });
  });

  it('decodes an error body', () => {
    const [e] = decodeCompletion({ error: { code: 402, message: 'Insufficient balance' } });
    assert.ok(e.type === 'error');
    assert.equal(e.error.kind, 'outOfBalance');
  });
});

describe('SseParser', () => {
  const enc = new TextEncoder();

  /** The data of every event in `text`, fed in pieces cut at `cuts` (byte offsets). */
  function parse(text: string | Uint8Array, cuts: number[] = [], maxBytes?: number): string[] {
    const bytes = typeof text === 'string' ? enc.encode(text) : text;
    const p = new SseParser(maxBytes);
    const out: string[] = [];
    let prev = 0;
    for (const c of [...[...new Set(cuts)].filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b), bytes.length]) {
      p.push(bytes.subarray(prev, c), out);
      prev = c;
    }
    return out;
  }

  it('reads data events, skips comments and other fields, joins data lines with \\n', () => {
    const stream = ': OPENROUTER PROCESSING\n\ndata: {"a":1}\n\nevent: x\nid: 7\nretry: 10\ndata:{"b":2}\n\ndata: one\ndata:  two\ndata\n\n: bye\n';
    assert.deepEqual(parse(stream), ['{"a":1}', '{"b":2}', 'one\n two\n']);
  });

  it('takes LF, CRLF and CR line ends, and an event without data or with empty data is none', () => {
    assert.deepEqual(parse('data: a\r\n\r\ndata: b\r\rdata: c\n\ndata:\n\n\n\n'), ['a', 'b', 'c']);
  });

  it('keeps an event cut short by the end of the stream back (it is not dispatched)', () => {
    assert.deepEqual(parse('data: a\n\ndata: b\n'), ['a']);
  });

  it('decodes UTF-8 cut between chunks inside a character', () => {
    const bytes = enc.encode('data: 你好😃\n\n');
    for (let cut = 1; cut < bytes.length; cut++) assert.deepEqual(parse(bytes, [cut]), ['你好😃'], `cut at ${cut}`);
  });

  it('property: wherever the bytes are cut, the same events', () => {
    const line = fc.oneof(
      fc.constantFrom('', ':', ': ping', 'data', 'data:', 'event: e', 'id: 1'),
      fc.string({ maxLength: 8 }).map((t) => `data: ${t.replace(/[\r\n]/g, '')}`),
      fc.string({ maxLength: 8 }).map((t) => `data:${t.replace(/[\r\n]/g, '')}`),
    );
    const stream = fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 12 }).map((ls) => ls.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (text, rawCuts) => {
        const bytes = enc.encode(text);
        assert.deepEqual(parse(bytes, rawCuts.map((c) => c % (bytes.length + 1))), parse(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it(`refuses a line of more than ${MAX_EVENT_BYTES} bytes without an end, never buffering more`, () => {
    const p = new SseParser();
    const out: string[] = [];
    const block = new Uint8Array(64 * 1024).fill(0x61);
    p.push(enc.encode('data: {"choices":[{"delta":{"content":"'), out);
    let thrown: unknown;
    let fed = 0;
    try {
      for (; fed < 32 * 1024 * 1024; fed += block.length) {
        p.push(block, out);
        assert.ok(p.bufferedBytes <= MAX_EVENT_BYTES);
      }
    } catch (err) {
      thrown = err;
    }
    assert.ok(thrown instanceof HunyuanError, String(thrown));
    assert.equal(thrown.kind, 'tooLarge');
    assert.equal(thrown.limitBytes, MAX_EVENT_BYTES);
    assert.ok(fed < MAX_EVENT_BYTES, `stopped after ${fed} bytes`);
    assert.deepEqual(out, []);
  });

  it('refuses one event whose data lines add up to more than the cap, and a long line in a single chunk', () => {
    const line = `data: ${'x'.repeat(1000)}\n`;
    assert.throws(() => parse(line.repeat(Math.ceil(MAX_EVENT_BYTES / 1000) + 1)), (e: unknown) => e instanceof HunyuanError && e.kind === 'tooLarge');
    assert.throws(() => parse(`: ${'x'.repeat(MAX_EVENT_BYTES)}\n\n`), (e: unknown) => e instanceof HunyuanError && e.kind === 'tooLarge');
    // many comment lines without a blank line between them are no event: not refused
    assert.deepEqual(parse(`${': ping\n'.repeat(100_000)}data: ok\n\n`), ['ok']);
    // and events at the cap are taken
    assert.deepEqual(parse(`data: ${'y'.repeat(MAX_EVENT_BYTES - 6)}\n\n`), ['y'.repeat(MAX_EVENT_BYTES - 6)]);
  });
});
