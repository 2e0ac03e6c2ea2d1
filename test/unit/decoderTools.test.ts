// The decoder's tool-call paths: OpenAI `tool_calls` deltas and the raw `<tool_calls>` text form,
// each cut at every boundary; the request body with tools; the budget counting them.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeCompletion, mergeTextEvents, ResponseDecoder } from '../../src/core/hunyuan/decoder';
import { buildRequestBody } from '../../src/core/hunyuan/request';
import type { ChatMessage, StreamEvent, ToolDefinition } from '../../src/core/hunyuan/types';
import { parseSettings } from '../../src/core/settings/settings';
import { fitToContext } from '../../src/core/budget/contextBudget';
import { estimateMessagesTokens, estimateToolsTokens, TOOLS_PROMPT_TOKENS } from '../../src/core/budget/tokens';
import { countPromptTokens } from '../gateway/tokenizer';
import { cutAt } from './cuts';

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] };
}

const PREFIX = 'call_t_';

/** All events of a stream of deltas through one decoder, adjacent text joined. */
function decode(deltas: Record<string, unknown>[], finish = 'tool_calls', toolCalls = true): StreamEvent[] {
  const d = new ResponseDecoder({ toolCalls, toolCallIdPrefix: PREFIX, promptTokensEstimate: 10 });
  const events: StreamEvent[] = [];
  deltas.forEach((delta, i) => events.push(...d.pushChunk(chunk(delta, i === deltas.length - 1 ? finish : null))));
  events.push(...d.finish());
  return mergeTextEvents(events).filter((e) => e.type !== 'usage');
}


const ARGS_A = '{"path": "src/数学/add.ts", "lines": [1, 40], "note": "a \\"quoted\\" } brace"}';
const ARGS_B = '{"pattern":"add","watch":false}';

/** Two parallel calls as a vLLM tool parser streams them: each call's head, then its arguments in the given pieces, interleaved. */
function openAiDeltas(piecesA: string[], piecesB: string[]): Record<string, unknown>[] {
  const deltas: Record<string, unknown>[] = [
    { role: 'assistant', content: null, reasoning: 'I should read the file <tool_calls>[not a call]</tool_calls> first.' },
    { tool_calls: [{ index: 0, id: 'call_srv_0', type: 'function', function: { name: 'read_file', arguments: '' } }] },
    { tool_calls: [{ index: 1, id: 'call_srv_1', type: 'function', function: { name: 'run_tests', arguments: '' } }] },
  ];
  for (let i = 0; i < Math.max(piecesA.length, piecesB.length); i++) {
    const entries = [];
    if (i < piecesA.length) entries.push({ index: 0, function: { arguments: piecesA[i] } });
    if (i < piecesB.length) entries.push({ index: 1, function: { arguments: piecesB[i] } });
    deltas.push({ tool_calls: entries });
  }
  deltas.push({});
  return deltas;
}

const EXPECTED_OPENAI: StreamEvent[] = [
  { type: 'thinking', text: 'I should read the file <tool_calls>[not a call]</tool_calls> first.' },
  { type: 'toolCall', call: { id: 'call_srv_0', name: 'read_file', input: { path: 'src/数学/add.ts', lines: [1, 40], note: 'a "quoted" } brace' } } },
  { type: 'toolCall', call: { id: 'call_srv_1', name: 'run_tests', input: { pattern: 'add', watch: false } } },
  { type: 'finish', reason: 'tool_calls' },
];

describe('decoder: OpenAI tool_calls deltas', () => {
  it('puts parallel calls together, arguments split across chunks, in index order; thinking stays thinking', () => {
    assert.deepEqual(decode(openAiDeltas(cutAt(ARGS_A, [3, 10, 30]), cutAt(ARGS_B, [1, 2]))), EXPECTED_OPENAI);
  });

  it('gives the same calls wherever the arguments are cut (every single boundary of both)', () => {
    for (let a = 0; a <= ARGS_A.length; a++) {
      assert.deepEqual(decode(openAiDeltas(cutAt(ARGS_A, [a]), [ARGS_B])), EXPECTED_OPENAI, `cut A at ${a}`);
    }
    for (let b = 0; b <= ARGS_B.length; b++) {
      assert.deepEqual(decode(openAiDeltas([ARGS_A], cutAt(ARGS_B, [b]))), EXPECTED_OPENAI, `cut B at ${b}`);
    }
    // one character per chunk
    assert.deepEqual(decode(openAiDeltas([...ARGS_A], [...ARGS_B])), EXPECTED_OPENAI);
  });

  it('property: any cuts of both argument strings give the same calls', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (ca, cb) => {
        assert.deepEqual(decode(openAiDeltas(cutAt(ARGS_A, ca), cutAt(ARGS_B, cb))), EXPECTED_OPENAI);
      }),
      { numRuns: 300 },
    );
  });

  it('reads them without the toolCalls option too, and makes up ids the server did not send', () => {
    const events = decode([
      { tool_calls: [{ index: 0, function: { name: 'a', arguments: '{"x":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
    ], 'tool_calls', false);
    assert.deepEqual(events, [{ type: 'toolCall', call: { id: `${PREFIX}0`, name: 'a', input: { x: 1 } } }, { type: 'finish', reason: 'tool_calls' }]);
  });

  it('shows a call whose arguments cannot be read as answer text instead of losing it', () => {
    const events = decode([{ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a": nope' } }] }]);
    assert.deepEqual(events, [{ type: 'answer', text: 'f({"a": nope)' }, { type: 'finish', reason: 'tool_calls' }]);
  });

  it('counts the arguments as received text (the answer limit sees them)', () => {
    const d = new ResponseDecoder({});
    d.pushChunk(chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'read', arguments: '{"a":1}' } }] }));
    assert.equal(d.receivedChars, 'read'.length + '{"a":1}'.length);
  });

  it('decodes a whole (non-streaming) tool-call response', () => {
    const body = {
      choices: [{
        index: 0, finish_reason: 'tool_calls',
        message: { role: 'assistant', content: null, reasoning: 'hmm', tool_calls: [{ id: 'x1', type: 'function', function: { name: 'f', arguments: '{"k":"v"}' } }] },
      }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    };
    assert.deepEqual(decodeCompletion(body).filter((e) => e.type !== 'usage'), [
      { type: 'thinking', text: 'hmm' },
      { type: 'toolCall', call: { id: 'x1', name: 'f', input: { k: 'v' } } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

const RAW_CONTENT = '<answer>\n<tool_calls>[{"name": "read_file", "arguments": {"path": "src/数学/add.ts", "lines": [1, 40]}}, ' +
  '{"name": "run_tests", "arguments": {"pattern": "add", "watch": False,}}]</tool_calls>\n</answer>';
const EXPECTED_RAW: StreamEvent[] = [
  { type: 'thinking', text: 'Let me look.' },
  { type: 'toolCall', call: { id: `${PREFIX}t0`, name: 'read_file', input: { path: 'src/数学/add.ts', lines: [1, 40] } } },
  { type: 'toolCall', call: { id: `${PREFIX}t1`, name: 'run_tests', input: { pattern: 'add', watch: false } } },
  { type: 'finish', reason: 'stop' },
];

/** The raw shape: thinking in `reasoning`, the content cut into `pieces`. */
function rawDeltas(content: string, cuts: readonly number[]): Record<string, unknown>[] {
  return [{ role: 'assistant', reasoning: 'Let me look.' }, ...cutAt(content, cuts).map((piece) => ({ content: piece })), {}];
}

describe('decoder: raw <tool_calls> text in the answer', () => {
  it('takes the calls out of the answer (repairing Python literals and a trailing comma), leaving no text', () => {
    assert.deepEqual(decode(rawDeltas(RAW_CONTENT, []), 'stop'), EXPECTED_RAW);
  });

  it('gives the same events wherever the content is cut (every single boundary, tags included)', () => {
    for (let at = 0; at <= RAW_CONTENT.length; at++) {
      assert.deepEqual(decode(rawDeltas(RAW_CONTENT, [at]), 'stop'), EXPECTED_RAW, `cut at ${at}`);
    }
    assert.deepEqual(decode(rawDeltas(RAW_CONTENT, [...RAW_CONTENT].map((_, i) => i)), 'stop'), EXPECTED_RAW, 'one character per chunk');
  });

  it('property: any cuts of the content give the same events', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 16 }), (cuts) => {
        assert.deepEqual(decode(rawDeltas(RAW_CONTENT, cuts), 'stop'), EXPECTED_RAW);
      }),
      { numRuns: 300 },
    );
  });

  it('in the think-tags shape too: thinking never reaches the answer, the block inside <answer> is a call', () => {
    const content = '<think>\nI will call <tool_calls>[{"name":"no"}]</tool_calls> maybe.\n</think>\n' + RAW_CONTENT;
    for (let at = 0; at <= content.length; at++) {
      const events = decode([...cutAt(content, [at]).map((piece) => ({ content: piece })), {}], 'stop');
      assert.deepEqual(events, [{ type: 'thinking', text: 'I will call <tool_calls>[{"name":"no"}]</tool_calls> maybe.' }, ...EXPECTED_RAW.slice(1)], `cut at ${at}`);
    }
  });

  it('strips a leading 助手： of a plain reply, cut anywhere, and keeps text around a block', () => {
    const content = '<answer>\n助手：我先看看文件。\n<tool_calls>[{"name": "f", "arguments": {}}]</tool_calls>\n然后再说。\n</answer>';
    const expected: StreamEvent[] = [
      { type: 'thinking', text: 'Let me look.' },
      { type: 'answer', text: '我先看看文件。' },
      { type: 'toolCall', call: { id: `${PREFIX}t0`, name: 'f', input: {} } },
      { type: 'answer', text: '然后再说。' },
      { type: 'finish', reason: 'stop' },
    ];
    for (let at = 0; at <= content.length; at++) assert.deepEqual(decode(rawDeltas(content, [at]), 'stop'), expected, `cut at ${at}`);
  });

  it('leaves the text alone when the request carried no tools (no call, no 助手： stripping)', () => {
    const content = '<answer>\n助手：see <tool_calls>[{"name": "f", "arguments": {}}]</tool_calls>\n</answer>';
    assert.deepEqual(decode(rawDeltas(content, [5, 20]), 'stop', false), [
      { type: 'thinking', text: 'Let me look.' },
      { type: 'answer', text: '助手：see <tool_calls>[{"name": "f", "arguments": {}}]</tool_calls>' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('shows a block that is not JSON as the text the model wrote', () => {
    const content = '<answer>\n<tool_calls>this is not json</tool_calls>\n</answer>';
    assert.deepEqual(decode(rawDeltas(content, [3, 17]), 'stop'), [
      { type: 'thinking', text: 'Let me look.' },
      { type: 'answer', text: '<tool_calls>this is not json</tool_calls>' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('makes up different ids in different responses (the raw shape carries none)', () => {
    const ids = [0, 1].map(() => {
      const d = new ResponseDecoder({ toolCalls: true });
      const events = [...d.pushChunk(chunk({ content: RAW_CONTENT })), ...d.finish()];
      return events.flatMap((e) => (e.type === 'toolCall' ? [e.call.id] : []));
    });
    assert.equal(ids[0].length, 2);
    assert.equal(new Set([...ids[0], ...ids[1]]).size, 4);
  });
});

const TOOLS: ToolDefinition[] = [
  { type: 'function', function: { name: 'read_file', description: '读取一个文件', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
  { type: 'function', function: { name: 'run_tests', description: 'Run the tests', parameters: { type: 'object', properties: {} } } },
];

const CONVERSATION: ChatMessage[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'Fix add()' },
  { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/add.ts"}' } }] },
  { role: 'tool', tool_call_id: 'call_1', content: 'export const add = (a: number, b: number) => a - b;' },
];

describe('request body with tools', () => {
  const settings = parseSettings({ extraBody: { tools: 'from extraBody', parallel_tool_calls: false } }).settings;

  it('sends tools and tool_choice, and the tool calls and results as they are', () => {
    const body = buildRequestBody(settings, CONVERSATION, { tools: TOOLS, toolChoice: 'required' });
    assert.deepEqual(body.tools, TOOLS, 'the request\'s tools, not extraBody\'s');
    assert.equal(body.tool_choice, 'required');
    assert.equal(body.parallel_tool_calls, false, 'extraBody may still add other parameters');
    assert.deepEqual(body.messages.slice(2), CONVERSATION.slice(2));
    assert.ok(!('tools' in (body.messages[3] as object)));
  });

  it('sends neither without tools (and no tool_choice alone)', () => {
    const plain = parseSettings({}).settings;
    const body = buildRequestBody(plain, CONVERSATION.slice(0, 2), { tools: [], toolChoice: 'auto' });
    assert.ok(!('tools' in body) && !('tool_choice' in body));
  });

  it('puts fast thinking\'s /no_think on the last user message, not on a tool result', () => {
    const body = buildRequestBody(parseSettings({ thinking: 'fast' }).settings, CONVERSATION, { tools: TOOLS });
    assert.equal(body.messages[1].content, '/no_think Fix add()');
    assert.equal(body.messages[3].content, CONVERSATION[3].content);
  });
});

describe('context budget with tools', () => {
  it('counts the tools (their JSON and the template\'s prompt) and the calls and results', () => {
    assert.equal(estimateToolsTokens([]), 0);
    assert.ok(estimateToolsTokens(TOOLS) > TOOLS_PROMPT_TOKENS);
    const withCalls = estimateMessagesTokens(CONVERSATION);
    const without = estimateMessagesTokens(CONVERSATION.map((m) => ({ content: m.content })));
    assert.ok(withCalls > without + 10, `${withCalls} vs ${without}`);
    const fit = fitToContext({ history: [], current: CONVERSATION, contextWindow: 32768, maxTokens: 1024, thinking: 'slow', tools: TOOLS });
    const bare = fitToContext({ history: [], current: CONVERSATION, contextWindow: 32768, maxTokens: 1024, thinking: 'slow' });
    assert.equal(fit.promptTokens, bare.promptTokens + estimateToolsTokens(TOOLS));
  });

  it('never counts fewer tokens than the strict gateway test server does, tools and calls included', () => {
    const big = [
      ...CONVERSATION,
      { role: 'assistant' as const, content: '我再运行测试。', tool_calls: [{ id: 'call_2', type: 'function' as const, function: { name: 'run_tests', arguments: JSON.stringify({ pattern: 'add', files: ['a.ts', 'b.ts'], n: 12345 }) } }] },
      { role: 'tool' as const, tool_call_id: 'call_2', content: '2 passed, 1 failed: expected 3, got -1\n'.repeat(20) },
    ];
    const ours = fitToContext({ history: [], current: big, contextWindow: 32768, maxTokens: 1024, thinking: 'slow', tools: TOOLS }).promptTokens;
    const theirs = countPromptTokens(big, TOOLS);
    assert.ok(ours >= theirs, `estimate ${ours} < gateway ${theirs}`);
    // a conversation that is almost all tool calls: their arguments must count
    const calls: ChatMessage[] = Array.from({ length: 12 }, (_, i) => ({
      role: 'assistant' as const, content: '',
      tool_calls: [{ id: `call_${i}`, type: 'function' as const, function: { name: 'write_file', arguments: JSON.stringify({ path: `src/f${i}.ts`, text: 'export const x = [1, 2, 3];\n'.repeat(15) }) } }],
    }));
    const callsOurs = fitToContext({ history: [], current: [{ role: 'user', content: 'go' }, ...calls], contextWindow: 32768, maxTokens: 1024, thinking: 'slow' }).promptTokens;
    const callsTheirs = countPromptTokens([{ role: 'user', content: 'go' }, ...calls]);
    assert.ok(callsOurs >= callsTheirs, `estimate ${callsOurs} < gateway ${callsTheirs} for tool calls`);
  });

  it('drops whole turns only: a tool call is never sent without its result', () => {
    const history: ChatMessage[] = [];
    for (let i = 0; i < 6; i++) {
      history.push({ role: 'user', content: `question ${i} `.repeat(200) });
      history.push({ role: 'assistant', content: '', tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{}' } }] });
      history.push({ role: 'tool', tool_call_id: `c${i}`, content: `result ${i} `.repeat(200) });
      history.push({ role: 'assistant', content: `answer ${i}` });
    }
    const r = fitToContext({ history, current: [{ role: 'user', content: 'now' }], contextWindow: 4096, maxTokens: 1024, thinking: 'slow', tools: TOOLS });
    assert.ok(r.fits && r.droppedTurns > 0 && r.droppedTurns < 6, JSON.stringify({ dropped: r.droppedTurns, fits: r.fits }));
    assert.equal(r.dropped.length, r.droppedTurns * 4);
    const ids = r.messages.flatMap((m) => m.tool_calls?.map((c) => c.id) ?? []);
    const answered = r.messages.flatMap((m) => (m.tool_call_id ? [m.tool_call_id] : []));
    assert.deepEqual(ids, answered);
  });
});
