// Hunyuan as a language model of VS Code's own chat (vendor `hunyuan`), through the real
// `vscode.lm.selectChatModels` and `model.sendRequest` against the gateway test server: the
// model's information, streamed text without thinking, tool-call round trips in both shapes a
// server sends them (OpenAI `tool_calls` deltas, raw `<tool_calls>` text), cancellation closing the
// request, errors as LanguageModelErrors with our messages, and token counting.
//
// The provider API is VS Code 1.104+: on an older VS Code (test-electron 1.90) these tests are
// skipped with a SKIPPED line, and the runner counts them as pending.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { estimateMessagesTokens, estimateTokens } from '../../../src/core/budget/tokens';
import { DEFAULT_ANSWER, DEFAULT_THINKING, DEFAULT_TOOL_CALLS, toolResultsAnswer } from '../../gateway/content';
import type { ApiKeyStore } from '../../../src/extension/auth/apiKeyStore';
import type { Logger } from '../../../src/extension/log/logger';
import { registerLanguageModelProvider } from '../../../src/extension/lm/provider';
import { hostFixture, setUserSettings, waitFor, waitForLog } from './helpers';

const KEY = 'sk-lm-provider-0123456789abcdef';

// The parts of the newer API this test uses (@types/vscode stays at 1.90).
interface ToolCallPart { callId: string; name: string; input: Record<string, unknown> }
interface NewLm {
  registerTool?: (name: string, tool: object) => vscode.Disposable;
  invokeTool?: (name: string, options: { input: object; toolInvocationToken: undefined }, token?: vscode.CancellationToken) => Thenable<{ content: unknown[] }>;
}
interface NewApi {
  LanguageModelTextPart: new (value: string) => { value: string };
  LanguageModelToolCallPart: new (callId: string, name: string, input: object) => ToolCallPart;
  LanguageModelToolResultPart: new (callId: string, content: unknown[]) => object;
  LanguageModelChatMessage: {
    User(content: string | unknown[]): vscode.LanguageModelChatMessage;
    Assistant(content: string | unknown[]): vscode.LanguageModelChatMessage;
  };
  LanguageModelChatToolMode: { Auto: number; Required: number };
  LanguageModelToolResult: new (content: unknown[]) => object;
}
const api = vscode as unknown as NewApi;
const hasProviderApi = typeof (vscode.lm as unknown as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider === 'function';

const TOOLS = [
  { name: 'read_file', description: 'Read a file of the workspace', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'run_tests', description: 'Run the tests matching a pattern', inputSchema: { type: 'object', properties: { pattern: { type: 'string' } } } },
];

async function hunyuanModel(): Promise<vscode.LanguageModelChat> {
  return waitFor(async () => (await vscode.lm.selectChatModels({ vendor: 'hunyuan' }))[0], 'vscode.lm.selectChatModels({ vendor: "hunyuan" }) to list the model');
}

/** Sends a request and reads its whole stream: the text, the tool calls, every part's class, and the error if it failed. */
async function send(
  model: vscode.LanguageModelChat,
  messages: vscode.LanguageModelChatMessage[],
  options: object = {},
  token?: vscode.CancellationToken,
  onPart?: (part: unknown) => void,
): Promise<{ text: string; calls: ToolCallPart[]; kinds: string[]; error?: unknown }> {
  const out = { text: '', calls: [] as ToolCallPart[], kinds: [] as string[], error: undefined as unknown };
  try {
    const response = await model.sendRequest(messages, options as vscode.LanguageModelChatRequestOptions, token);
    for await (const part of (response as unknown as { stream: AsyncIterable<unknown> }).stream) {
      onPart?.(part);
      if (part instanceof api.LanguageModelTextPart) {
        out.kinds.push('text');
        out.text += part.value;
      } else if (part instanceof api.LanguageModelToolCallPart) {
        out.kinds.push('toolCall');
        out.calls.push(part);
      } else {
        out.kinds.push(String((part as object)?.constructor?.name));
      }
    }
  } catch (err) {
    out.error = err;
  }
  return out;
}

describe('language model provider (vscode.lm, vendor hunyuan)', function () {
  const f = hostFixture(KEY);

  before(function () {
    if (!hasProviderApi) {
      console.log(`[lm provider] SKIPPED: VS Code ${vscode.version} has no vscode.lm.registerLanguageModelChatProvider (1.104+); the extension registers no model there`);
      this.skip();
    }
  });

  it('lists the configured model: name, family, version, token limits from the settings, tool calling', async () => {
    const model = await hunyuanModel();
    assert.equal(model.vendor, 'hunyuan');
    assert.equal(model.id, 'tencent/hunyuan-a13b-instruct');
    assert.equal(model.name, 'Hunyuan-A13B-Instruct');
    assert.equal(model.family, 'hunyuan-a13b-instruct');
    assert.equal(model.version, 'tencent/hunyuan-a13b-instruct');
    assert.equal(model.maxInputTokens, 32768 - 8192, 'the window less max_tokens');
    const caps = (model as unknown as { capabilities?: { supportsToolCalling?: boolean; toolCalling?: unknown } }).capabilities;
    console.log(`[lm provider] model capabilities as the consumer sees them: ${JSON.stringify(caps)}`);
    if (caps && 'supportsToolCalling' in caps) assert.equal(caps.supportsToolCalling, true, 'tool calling declared');

    await setUserSettings({ contextWindow: 16384, maxTokens: 4096 });
    const changed = await waitFor(async () => {
      const m = (await vscode.lm.selectChatModels({ vendor: 'hunyuan' }))[0];
      return m && m.maxInputTokens === 16384 - 4096 ? m : undefined;
    }, 'the model to follow hunyuan.contextWindow and hunyuan.maxTokens');
    assert.equal(changed.maxInputTokens, 12288);
  });

  it('streams the answer as text parts, never the thinking, through the answer engine', async () => {
    const model = await hunyuanModel();
    const r = await send(model, [api.LanguageModelChatMessage.User('Write add()')]);
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.text, DEFAULT_ANSWER);
    assert.ok(!r.text.includes(DEFAULT_THINKING.slice(0, 20)), 'no thinking in the text');
    assert.ok(r.kinds.length > 1 && r.kinds.every((k) => k === 'text'), `streamed in several text parts: ${r.kinds.join(',')}`);
    const sent = f.gateway.lastRequest()?.body;
    assert.deepEqual(sent.messages, [{ role: 'user', content: 'Write add()' }]);
    assert.ok(!('tools' in sent) && !('tool_choice' in sent));
    assert.equal(f.gateway.lastRequest()?.headers.authorization, `Bearer ${KEY}`, 'the key from our SecretStorage');
    await waitForLog(f.api, /lm: POST .*\/chat\/completions/);
  });

  for (const scenario of ['tool-calls', 'tool-calls-text']) {
    it(`makes a tool-call round trip with the tools in options.tools (${scenario === 'tool-calls' ? 'OpenAI tool_calls deltas' : 'raw <tool_calls> text'})`, async () => {
      f.gateway.setScenario(scenario);
      // The tools go in options.tools and the test answers for them: VS Code runs only tools declared
      // in a manifest's languageModelTools (see the vscode.lm.registerTool test below).
      const runTool = (c: ToolCallPart): string => `${c.name} says ${JSON.stringify(c.input)}`;

      const model = await hunyuanModel();
      const user = api.LanguageModelChatMessage.User('Fix add() and run the tests');
      const first = await send(model, [user], { tools: TOOLS, toolMode: api.LanguageModelChatToolMode.Auto });
      assert.equal(first.error, undefined, String(first.error));
      assert.equal(first.text, '', 'the calls are not text (and no 助手： leaks)');
      assert.deepEqual(first.calls.map((c) => [c.name, c.input]), DEFAULT_TOOL_CALLS.map((c) => [c.name, JSON.parse(c.arguments)]));
      assert.equal(new Set(first.calls.map((c) => c.callId)).size, 2, 'each call has its own id');
      const sent = f.gateway.lastRequest()?.body;
      assert.deepEqual(sent.tools, TOOLS.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } })));
      assert.equal(sent.tool_choice, 'auto');

      const results = first.calls.map((c) => ({ id: c.callId, text: runTool(c) }));
      const messages = [
        user,
        api.LanguageModelChatMessage.Assistant(first.calls.map((c) => new api.LanguageModelToolCallPart(c.callId, c.name, c.input))),
        api.LanguageModelChatMessage.User(results.map((r) => new api.LanguageModelToolResultPart(r.id, [new api.LanguageModelTextPart(r.text)]))),
      ];
      const second = await send(model, messages, { tools: TOOLS, toolMode: api.LanguageModelChatToolMode.Auto });
      assert.equal(second.error, undefined, String(second.error));
      assert.deepEqual(second.calls, []);
      assert.equal(second.text, toolResultsAnswer(results), 'the answer to the results, a leading 助手： stripped');
      const back = f.gateway.lastRequest()?.body;
      assert.deepEqual(back.messages, [
        { role: 'user', content: 'Fix add() and run the tests' },
        {
          role: 'assistant', content: '',
          tool_calls: first.calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input) } })),
        },
        ...results.map((r) => ({ role: 'tool', tool_call_id: r.id, content: r.text })),
      ]);
    });
  }

  it('registers a test tool with vscode.lm.registerTool and invokes it (needs a languageModelTools contribution)', async function () {
    const lm = vscode.lm as unknown as NewLm;
    let registration: vscode.Disposable | undefined;
    try {
      registration = lm.registerTool!('hunyuan_test_echo', {
        invoke: (options: { input: unknown }) => new api.LanguageModelToolResult([new api.LanguageModelTextPart(JSON.stringify(options.input))]),
      });
      const result = await lm.invokeTool!('hunyuan_test_echo', { input: { a: 1 }, toolInvocationToken: undefined });
      assert.deepEqual(result.content.map((p) => (p instanceof api.LanguageModelTextPart ? p.value : '')), ['{"a":1}']);
    } catch (err) {
      if (!/not contributed/.test((err as Error).message)) throw err;
      console.log(`[lm provider] SKIPPED: vscode.lm.registerTool needs the tool in package.json's languageModelTools, which a test cannot add (${(err as Error).message}); the round trips above pass the tools in options.tools instead`);
      this.skip();
    } finally {
      registration?.dispose();
    }
  });

  it('sends tool_choice naming the tool when the request requires its only tool', async () => {
    f.gateway.setScenario('tool-calls');
    const model = await hunyuanModel();
    await send(model, [api.LanguageModelChatMessage.User('Read it')], { tools: TOOLS.slice(0, 1), toolMode: api.LanguageModelChatToolMode.Required });
    assert.deepEqual(f.gateway.lastRequest()?.body.tool_choice, { type: 'function', function: { name: 'read_file' } });
  });

  it('closes the request when the CancellationToken is cancelled', async () => {
    // only the cancel can end it: the gateway never ends, and the client's idle timeout is far away
    await setUserSettings({ requestTimeoutSeconds: 3600 });
    f.gateway.setScenario('never-ends', { chunksBeforeFault: 3 });
    const model = await hunyuanModel();
    const cts = new vscode.CancellationTokenSource();
    let parts = 0;
    const r = await send(model, [api.LanguageModelChatMessage.User('Write add()')], {}, cts.token, () => {
      if (++parts === 1) cts.cancel();
    });
    assert.ok(parts >= 1, 'some text arrived before the cancel');
    await waitFor(() => f.gateway.lastRequest()?.closedEarly, 'the gateway to see the connection closed');
    console.log(`[lm provider] a cancelled request ends the stream with ${r.error ? `an error (${(r.error as Error).name}: ${(r.error as Error).message})` : 'no error'}`);
    await waitForLog(f.api, /lm: cancelled/);
    cts.dispose();
  });

  const errors: { what: string; setup: () => Promise<void> | void; message: RegExp; code?: string }[] = [
    { what: 'no key', setup: () => f.api.apiKeys.clear(), message: /No Hunyuan API key is set/, code: 'NoPermissions' },
    { what: 'a rejected key (401)', setup: () => f.gateway.setScenario('status-401'), message: /rejected the API key \(HTTP 401\)/, code: 'NoPermissions' },
    { what: 'an unknown model (404)', setup: () => f.gateway.setScenario('status-404'), message: /does not know the model "tencent\/hunyuan-a13b-instruct"/, code: 'NotFound' },
    { what: 'out of balance (402)', setup: () => f.gateway.setScenario('status-402'), message: /out of balance \(HTTP 402\).*Insufficient balance/ },
    { what: 'an error inside the stream', setup: () => f.gateway.setScenario('error-mid-stream'), message: /server error|reported an error while answering/ },
  ];
  for (const e of errors) {
    it(`fails with a LanguageModelError carrying our message: ${e.what}`, async () => {
      const model = await hunyuanModel();
      await e.setup();
      const r = await send(model, [api.LanguageModelChatMessage.User('Write add()')]);
      assert.ok(r.error, 'the request failed');
      const err = r.error as vscode.LanguageModelError;
      console.log(`[lm provider] ${e.what}: ${err.name} code=${err.code} "${err.message}"`);
      assert.ok(err instanceof vscode.LanguageModelError, `a LanguageModelError (got ${err?.constructor?.name}: ${err?.message})`);
      assert.match(err.message, e.message);
      if (e.code) assert.equal(err.code, e.code);
      assert.ok(!err.message.includes(KEY), 'the key never appears');
    });
  }

  it('skips the registration, with a log line and no error, where VS Code has no provider API', async function () {
    const lm = vscode.lm as unknown as Record<string, unknown>;
    const original = lm.registerLanguageModelChatProvider;
    try {
      lm.registerLanguageModelChatProvider = undefined;
    } catch {
      // the API object may be read-only
    }
    if (lm.registerLanguageModelChatProvider !== undefined) {
      console.log('[lm provider] SKIPPED: vscode.lm cannot be changed here to play an older VS Code');
      this.skip();
    }
    const lines: string[] = [];
    try {
      const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warn ${m}`) } as unknown as Logger;
      const registered = registerLanguageModelProvider(f.api.service, {} as ApiKeyStore, log);
      assert.deepEqual(registered, []);
    } finally {
      lm.registerLanguageModelChatProvider = original;
    }
    assert.deepEqual(lines, [`VS Code ${vscode.version} has no language model provider API (1.104+): Hunyuan is not offered in VS Code's model picker`]);
  });

  it('counts tokens with our estimator, for a text and for a message', async () => {
    const model = await hunyuanModel();
    const text = 'export function add(a: number, b: number) { return a + b; } // 两数相加 12345';
    assert.equal(await model.countTokens(text), estimateTokens(text));
    const message = await model.countTokens(api.LanguageModelChatMessage.User(text));
    assert.equal(message, estimateMessagesTokens([{ content: text }]) - estimateMessagesTokens([]));
    const withCall = await model.countTokens(api.LanguageModelChatMessage.Assistant([new api.LanguageModelToolCallPart('c1', 'read_file', { path: 'src/add.ts' })]));
    assert.ok(withCall > estimateTokens('read_file'), `a tool call counts its name and arguments (${withCall})`);
  });
});
