// VS Code's language model request (parts sorted by kind) in the engine's form: messages, tools,
// tool_choice (src/extension/lm/convert.ts, which imports no vscode).
import * as assert from 'node:assert/strict';
import { toChatMessages, toToolChoice, toToolDefinitions } from '../../src/extension/lm/convert';

describe('language model provider: request conversion', () => {
  it('sends tool results as tool messages before the user\'s text, and calls on the assistant message', () => {
    const messages = toChatMessages([
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Fix ' }, { kind: 'text', text: 'add()' }, { kind: 'skip' }] },
      {
        role: 'assistant',
        parts: [
          { kind: 'skip' }, // thinking
          { kind: 'text', text: 'Reading.' },
          { kind: 'toolCall', callId: 'c1', name: 'read_file', input: { path: 'a.ts' } },
          { kind: 'toolCall', callId: 'c2', name: 'run_tests', input: undefined },
        ],
      },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', text: 'code' }, { kind: 'toolResult', callId: 'c2', text: 'ok' }, { kind: 'text', text: 'go on' }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c3', text: 'only a result' }] },
      { role: 'assistant', parts: [{ kind: 'skip' }] },
    ]);
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Fix add()' },
      {
        role: 'assistant', content: 'Reading.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
          { id: 'c2', type: 'function', function: { name: 'run_tests', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'code' },
      { role: 'tool', tool_call_id: 'c2', content: 'ok' },
      { role: 'user', content: 'go on' },
      { role: 'tool', tool_call_id: 'c3', content: 'only a result' },
    ]);
  });

  it('turns tools into OpenAI functions and the tool mode into tool_choice', () => {
    const tools = toToolDefinitions([{ name: 'a', description: 'A', inputSchema: { type: 'object', properties: { x: { type: 'number' } } } }, { name: 'b', description: 'B' }]);
    assert.deepEqual(tools, [
      { type: 'function', function: { name: 'a', description: 'A', parameters: { type: 'object', properties: { x: { type: 'number' } } } } },
      { type: 'function', function: { name: 'b', description: 'B', parameters: { type: 'object', properties: {} } } },
    ]);
    assert.equal(toToolChoice(false, tools), 'auto');
    assert.equal(toToolChoice(true, tools), 'required');
    assert.deepEqual(toToolChoice(true, tools.slice(0, 1)), { type: 'function', function: { name: 'a' } });
    assert.equal(toToolChoice(true, []), undefined);
    assert.deepEqual(toToolDefinitions(undefined), []);
  });
});
