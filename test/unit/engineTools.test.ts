// The answer engine with a whole conversation and tools (what VS Code's language model provider
// sends) against the gateway test server: both tool-call shapes, the round trip, what was sent.
import * as assert from 'node:assert/strict';
import { AnswerEngine, splitConversation, type EngineBackend } from '../../src/core/engine/engine';
import { redactKeys } from '../../src/core/hunyuan/redact';
import type { ChatMessage, ToolDefinition } from '../../src/core/hunyuan/types';
import { parseSettings } from '../../src/core/settings/settings';
import { startGateway, type GatewayServer } from '../gateway/server';
import { DEFAULT_THINKING, toolResultsAnswer } from '../gateway/content';

const KEY = 'sk-engine-tools-0123456789';
const TOOLS: ToolDefinition[] = [
  { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
  { type: 'function', function: { name: 'run_tests', description: 'Run tests', parameters: { type: 'object', properties: {} } } },
];

describe('AnswerEngine with tools against the gateway test server', function () {
  this.timeout(20000);
  let gateway: GatewayServer;
  before(async () => { gateway = await startGateway(); });
  after(async () => { await gateway.close(); });
  beforeEach(() => gateway.clear());

  function engine(scenario: string, raw: Record<string, unknown> = {}): { engine: AnswerEngine; lines: string[] } {
    const lines: string[] = [];
    const backend: EngineBackend = {
      settings: () => parseSettings({ baseUrl: gateway.baseUrl(scenario), requestTimeoutSeconds: 5, ...raw }),
      apiKey: async () => KEY,
      redact: (text) => redactKeys(text, [KEY]),
      log: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`), debug: (m) => lines.push(`debug ${m}`) },
    };
    return { engine: new AnswerEngine(backend), lines };
  }

  for (const scenario of ['tool-calls', 'tool-calls-text']) {
    it(`makes a round trip in the ${scenario} shape: calls out, results back as tool messages, the answer`, async () => {
      const { engine: e, lines } = engine(scenario);
      const messages: ChatMessage[] = [{ role: 'system', content: 'Agent.' }, { role: 'user', content: 'Fix add()' }];
      const heard: string[] = [];
      const first = await e.run({ purpose: 'lm', messages, tools: TOOLS, toolChoice: 'auto' }, { onToolCall: (c) => heard.push(c.name) });
      assert.equal(first.status, 'done', first.error?.message);
      assert.equal(first.thinking, DEFAULT_THINKING);
      assert.equal(first.answer, '', 'no text: the calls are not shown as answer');
      assert.deepEqual(first.toolCalls?.map((c) => [c.name, c.input]), [
        ['read_file', { path: 'src/math/add.ts', startLine: 1, endLine: 40 }],
        ['run_tests', { pattern: 'add', watch: false, reporter: 'spec' }],
      ]);
      assert.deepEqual(heard, ['read_file', 'run_tests']);
      const sent = gateway.lastRequest()?.body;
      assert.deepEqual(sent.tools, TOOLS);
      assert.equal(sent.tool_choice, 'auto');
      assert.ok(lines.some((l) => /tools=2 /.test(l)) && lines.some((l) => /tool call read_file/.test(l)), lines.join('\n'));

      const calls = first.toolCalls ?? [];
      const next: ChatMessage[] = [
        ...messages,
        { role: 'assistant', content: '', tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.input) } })) },
        ...calls.map((c, i): ChatMessage => ({ role: 'tool', tool_call_id: c.id, content: `result ${i}` })),
      ];
      const second = await e.run({ purpose: 'lm', messages: next, tools: TOOLS });
      assert.equal(second.status, 'done', second.error?.message);
      assert.equal(second.toolCalls, undefined);
      assert.equal(second.answer, toolResultsAnswer(calls.map((c, i) => ({ id: c.id, text: `result ${i}` }))), 'a leading 助手： is gone');
      const back = gateway.lastRequest()?.body;
      assert.deepEqual(back.messages.slice(2), next.slice(2), 'the assistant\'s calls and the results went back as they are');
      assert.ok(!('tool_choice' in back), 'no tool_choice when the request set none');
    });
  }

  it('refuses, without sending, a conversation whose tools do not fit the window', async () => {
    const { engine: e } = engine('tool-calls', { contextWindow: 1024, maxTokens: 512 });
    const huge: ToolDefinition[] = Array.from({ length: 20 }, (_, i) => ({ type: 'function', function: { name: `tool_${i}`, description: 'does a thing '.repeat(20) } }));
    const t = await e.run({ purpose: 'lm', messages: [{ role: 'user', content: 'hi' }], tools: huge });
    assert.equal(t.status, 'error');
    assert.equal(t.error?.kind, 'tooLong');
    assert.equal(gateway.requests.length, 0);
  });

  it('splits a conversation: leading system messages joined, the last user message and what follows kept', () => {
    const parts = splitConversation([
      { role: 'system', content: 'A' }, { role: 'system', content: 'B' },
      { role: 'user', content: 'u1' }, { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'u2' }, { role: 'assistant', content: '', tool_calls: [] }, { role: 'tool', content: 'r', tool_call_id: 'x' },
    ]);
    assert.deepEqual(parts.system, { role: 'system', content: 'A\n\nB' });
    assert.deepEqual(parts.history.map((m) => m.content), ['u1', 'a1']);
    assert.deepEqual(parts.current.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.deepEqual(splitConversation([{ role: 'assistant', content: 'x' }]), { system: undefined, history: [], current: [{ role: 'assistant', content: 'x' }] });
  });
});
