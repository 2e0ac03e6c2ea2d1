import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLooseJson, ToolCallDeltas, ToolCallTextStream, type ToolTextEvent } from '../../src/core/hunyuan/toolCalls';
import { cutAt } from './cuts';

/** The events of `chunks` through one stream, adjacent text joined (how it is cut must not matter). */
function run(chunks: readonly string[]): ToolTextEvent[] {
  const s = new ToolCallTextStream();
  const events = [...chunks.flatMap((c) => s.push(c)), ...s.finish()];
  const joined: ToolTextEvent[] = [];
  for (const e of events) {
    const last = joined[joined.length - 1];
    if (e.type === 'text' && last?.type === 'text') joined[joined.length - 1] = { type: 'text', text: last.text + e.text };
    else joined.push(e);
  }
  return joined;
}


describe('ToolCallTextStream (raw <tool_calls> in the answer)', () => {
  it('takes one call out of the answer', () => {
    const text = '<tool_calls>[{"name": "get_weather", "arguments": {"city": "北京"}}]</tool_calls>';
    assert.deepEqual(run([text]), [{ type: 'toolCall', call: { id: 'call_0', name: 'get_weather', input: { city: '北京' } } }]);
  });

  it('keeps the text around the block, without the line breaks that frame it', () => {
    const text = 'Let me check.\n<tool_calls>[{"name":"a","arguments":{}}, {"name":"b","arguments":{"x":1}}]</tool_calls>\nDone.';
    assert.deepEqual(run([text]), [
      { type: 'text', text: 'Let me check.' },
      { type: 'toolCall', call: { id: 'call_0', name: 'a', input: {} } },
      { type: 'toolCall', call: { id: 'call_1', name: 'b', input: { x: 1 } } },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('strips a leading 助手： (and 助手:) from a plain reply, and only at the start', () => {
    assert.deepEqual(run(['  助手：你好']), [{ type: 'text', text: '你好' }]);
    assert.deepEqual(run(['助手:hi']), [{ type: 'text', text: 'hi' }]);
    assert.deepEqual(run(['我是助手：没错']), [{ type: 'text', text: '我是助手：没错' }]);
    assert.deepEqual(run(['助', '手', '：', 'ok']), [{ type: 'text', text: 'ok' }]);
    assert.deepEqual(run(['助']), [{ type: 'text', text: '助' }], 'a reply that is only the first character keeps it');
  });

  it('repairs light JSON damage: Python literals, trailing commas, arguments as a string, an unclosed end', () => {
    const text = '<tool_calls>[{"name": "f", "arguments": {"a": True, "b": None, "c": [1, 2,],},}]</tool_calls>';
    assert.deepEqual(run([text]), [{ type: 'toolCall', call: { id: 'call_0', name: 'f', input: { a: true, b: null, c: [1, 2] } } }]);
    assert.deepEqual(run(['<tool_calls>[{"name": "g", "arguments": "{\\"q\\": \\"x\\"}"}]</tool_calls>']),
      [{ type: 'toolCall', call: { id: 'call_0', name: 'g', input: { q: 'x' } } }]);
    // the stream ends inside the block: read as far as it got
    assert.deepEqual(run(['<tool_calls>[{"name": "h", "arguments": {"path": "src/a.ts"']),
      [{ type: 'toolCall', call: { id: 'call_0', name: 'h', input: { path: 'src/a.ts' } } }]);
    // strings keep what looks like Python literals
    assert.deepEqual(run(['<tool_calls>[{"name": "k", "arguments": {"s": "True, None"}}]</tool_calls>']),
      [{ type: 'toolCall', call: { id: 'call_0', name: 'k', input: { s: 'True, None' } } }]);
  });

  it('keeps a block it cannot read, whole, as a bad call (nothing lost)', () => {
    const raw = '[{"name": "f", "arguments": {oops}}]';
    const events = run([`<tool_calls>${raw}</tool_calls>`]);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'badToolCall');
    assert.equal(events[0].type === 'badToolCall' && events[0].bad.raw, raw);
    assert.deepEqual(run(['<tool_calls>[{"arguments": {}}]</tool_calls>']).map((e) => e.type), ['badToolCall']);
  });

  it('text that only looks like the start of a tag is passed on', () => {
    assert.deepEqual(run(['a <tool', '_call> b']), [{ type: 'text', text: 'a <tool_call> b' }]);
    assert.deepEqual(run(['x <tool_c']), [{ type: 'text', text: 'x <tool_c' }]);
  });

  it('property: the same events wherever the stream is cut', () => {
    const call = fc.record({
      name: fc.constantFrom('read_file', 'search', 'run', '查询'),
      args: fc.dictionary(fc.constantFrom('path', 'q', '城市', 'n'), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 }),
    });
    const piece = fc.oneof(
      fc.string({ maxLength: 20 }).filter((t) => !t.includes('<tool_calls>') && !t.includes('</tool_calls>')),
      fc.constantFrom('\n', ' ', '<', '<tool', '</tool_calls', '助手：', '中文'),
      fc.array(call, { minLength: 1, maxLength: 3 }).map((cs) =>
        `\n<tool_calls>${JSON.stringify(cs.map((c) => ({ name: c.name, arguments: c.args })))}</tool_calls>\n`),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
      const text = pieces.join('');
      assert.deepEqual(run(cutAt(text, cuts)), run([text]));
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 300 });
  });

  it('property: every call written is read back, in order, with its arguments', () => {
    const call = fc.record({
      name: fc.stringMatching(/^[a-z_]{1,12}$/),
      args: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    });
    fc.assert(fc.property(fc.array(call, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (calls, cuts) => {
      const text = `好的。\n<tool_calls>${JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.args })))}</tool_calls>`;
      const got = run(cutAt(text, cuts)).filter((e) => e.type === 'toolCall').map((e) => e.type === 'toolCall' && e.call);
      // JSON.stringify drops -0 and undefined the same way on both sides
      assert.deepEqual(got.map((c) => c && { name: c.name, input: c.input }), calls.map((c) => ({ name: c.name, input: JSON.parse(JSON.stringify(c.args)) })));
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 200 });
  });
});

describe('ToolCallDeltas (OpenAI tool_calls deltas)', () => {
  it('puts together parallel calls whose arguments arrive in pieces', () => {
    const d = new ToolCallDeltas();
    d.push([{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }]);
    d.push([{ index: 1, id: 'call_b', function: { name: 'search', arguments: '{"q":' } }]);
    d.push([{ index: 0, function: { arguments: '{"path": "a.ts"' } }]);
    d.push([{ index: 1, function: { arguments: ' "x"}' } }, { index: 0, function: { arguments: '}' } }]);
    assert.deepEqual(d.finish(), {
      calls: [
        { id: 'call_a', name: 'read_file', input: { path: 'a.ts' } },
        { id: 'call_b', name: 'search', input: { q: 'x' } },
      ],
      bad: [],
    });
  });

  it('makes up ids the server left out, reads empty arguments as {}, and reports unreadable ones', () => {
    const d = new ToolCallDeltas('id_');
    d.push([{ index: 0, function: { name: 'now' } }, { index: 1, function: { name: 'f', arguments: '{nope' } }]);
    const { calls, bad } = d.finish();
    assert.deepEqual(calls, [{ id: 'id_0', name: 'now', input: {} }]);
    assert.equal(bad.length, 1);
    assert.match(bad[0].raw, /^f\(\{nope\)$/);
  });

  it('property: arguments split anywhere give the same calls', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (args, cuts) => {
      const json = JSON.stringify(args);
      const d = new ToolCallDeltas();
      d.push([{ index: 0, id: 'c', function: { name: 'tool' } }]);
      for (const piece of cutAt(json, cuts)) d.push([{ index: 0, function: { arguments: piece } }]);
      assert.deepEqual(d.finish().calls, [{ id: 'c', name: 'tool', input: JSON.parse(json) }]);
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 200 });
  });
});

describe('parseLooseJson', () => {
  it('refuses what it cannot repair, with the reason', () => {
    const r = parseLooseJson('{"a": 1 "b": 2}');
    assert.ok('reason' in r && /malformed JSON/.test(r.reason));
  });
});
