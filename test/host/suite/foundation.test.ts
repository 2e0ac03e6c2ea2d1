// The foundation inside a real VS Code: activation, commands, settings, the key in SecretStorage,
// and requests from the extension to a real gateway test server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/extension/commands/checkConnection';
import { readSettings } from '../../../src/extension/settings/configuration';
import type { Usage } from '../../../src/core/hunyuan/types';
import { hostFixture, setUserSettings, settingKeys, waitFor, waitForLog, waitForMessage } from './helpers';

const KEY = 'sk-host-test-0123456789abcdef';

async function check(): Promise<CheckResult> {
  return (await vscode.commands.executeCommand('hunyuan.checkConnection', { silent: true })) as CheckResult;
}

describe('foundation: extension host', () => {
  const f = hostFixture(KEY);

  /** One request through the extension's own Hunyuan service, with every setting, as the chat sends it. */
  async function send(): Promise<{ ok: boolean; answer: string; thinkingChars: number; usage?: Usage }> {
    const out: { ok: boolean; answer: string; thinkingChars: number; usage?: Usage } = { ok: true, answer: '', thinkingChars: 0 };
    for await (const e of f.api.service.chat({ purpose: 'test', user: 'Hello there' })) {
      if (e.type === 'answer') out.answer += e.text;
      else if (e.type === 'thinking') out.thinkingChars += e.text.length;
      else if (e.type === 'usage') out.usage = e.usage;
      else if (e.type === 'error') out.ok = false;
    }
    return out;
  }

  it('activates lazily: on its commands, views or the first opened file, never at startup', () => {
    assert.equal(f.ext.isActive, true);
    const events: string[] = f.ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `activation events: ${events}`);
  });

  it('registers every contributed command', async () => {
    const contributed = (f.ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 5);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('reads every setting with its manifest default', () => {
    const config = vscode.workspace.getConfiguration('hunyuan');
    const props = f.ext.packageJSON.contributes.configuration.properties as Record<string, { default?: unknown }>;
    for (const key of settingKeys(f.ext)) {
      if (key === 'baseUrl') continue; // pointed at the test gateway
      assert.deepEqual(config.get(key), props[`hunyuan.${key}`].default, key);
    }
    assert.equal(config.inspect('baseUrl')?.defaultValue, 'https://wcode.net/api/gpt/v1');
    assert.equal(config.get('temperature'), 0.7);
    assert.equal(config.get('topP'), 0.8);
    assert.equal(config.get('topK'), 20);
    assert.equal(config.get('repetitionPenalty'), 1.05);
    assert.equal(config.get('contextWindow'), 32768);
  });

  it('sends the defaults on the wire, leaving out what is unset', async () => {
    const result = await send();
    assert.equal(result.ok, true);
    const req = f.gateway.lastRequest();
    assert.ok(req, 'no request reached the gateway');
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    const { messages, ...params } = req.body;
    assert.deepEqual(params, {
      model: 'tencent/hunyuan-a13b-instruct', stream: true, stream_options: { include_usage: true }, max_tokens: 8192,
      temperature: 0.7, top_p: 0.8, top_k: 20, repetition_penalty: 1.05,
    });
    assert.equal(messages.at(-1).role, 'user');
    assert.ok(!messages.at(-1).content.startsWith('/no_think'));
    assert.ok(result.thinkingChars > 0, 'the thinking of the reasoning shape was decoded');
    assert.ok(result.answer.length > 0);
    assert.equal(result.usage?.estimated, false);
  });

  it('sends each setting as the gateway names it', async () => {
    await setUserSettings({
      model: 'tencent/hunyuan-a13b-instruct', temperature: 0.2, topP: 0.6, topK: 40, maxTokens: 2048, repetitionPenalty: 1.2,
      frequencyPenalty: 0.5, presencePenalty: -0.5, minP: 0.05, seed: 1234, stop: ['<END>', '###'], thinking: 'fast',
      extraBody: { top_a: 0.3, response_format: { type: 'json_object' }, verbosity: 'low' },
    });
    const result = await send();
    assert.equal(result.ok, true);
    const req = f.gateway.lastRequest();
    assert.ok(req, 'no request reached the gateway');
    const { messages, ...params } = req.body;
    assert.deepEqual(params, {
      model: 'tencent/hunyuan-a13b-instruct', stream: true, stream_options: { include_usage: true }, max_tokens: 2048,
      temperature: 0.2, top_p: 0.6, top_k: 40, repetition_penalty: 1.2, frequency_penalty: 0.5, presence_penalty: -0.5,
      min_p: 0.05, seed: 1234, stop: ['<END>', '###'], top_a: 0.3, response_format: { type: 'json_object' }, verbosity: 'low',
    });
    assert.match(messages.at(-1).content, /^\/no_think /, 'fast thinking prefixes the user message');
    assert.equal(result.thinkingChars, 0, 'fast mode: no thinking');
  });

  it('Check Connection asks in fast thinking for a few tokens, whatever the settings, and shows the answer as plain text', async () => {
    await setUserSettings({ thinking: 'slow', maxTokens: 4096, temperature: 0.4 });
    f.gateway.setScenario('reasoning', { answer: '```\n**OK**\n```' });
    await vscode.commands.executeCommand('hunyuan.checkConnection');
    const req = f.gateway.lastRequest();
    assert.ok(req, 'no request reached the gateway');
    assert.equal(req.body.max_tokens, 32);
    assert.equal(req.body.temperature, 0.4, 'the other settings are the user\'s');
    assert.match(req.body.messages.at(-1).content, /^\/no_think /, 'fast thinking');
    const shown = await waitForMessage(f.api, /Hunyuan answered in/);
    assert.match(shown.message, /: "OK"$/, shown.message);
  });

  it('sets and clears the key through SecretStorage; without a key nothing is sent', async () => {
    assert.equal(await f.api.apiKeys.isSet(), true);
    await vscode.commands.executeCommand('hunyuan.clearApiKey');
    assert.equal(await f.api.apiKeys.isSet(), false);
    const result = await check();
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'noKey');
    assert.match(result.error?.message ?? '', /API key/);
    assert.equal(f.gateway.requests.length, 0, 'a request without a key reached the gateway');
    await f.api.apiKeys.set('sk-second');
    assert.equal((await check()).ok, true);
    assert.equal(f.gateway.lastRequest()?.headers.authorization, 'Bearer sk-second');
  });

  it('refuses a bad setting with a clear message, sending nothing', async () => {
    // settings.json can hold what the settings UI would refuse
    await setUserSettings({ temperature: 5, extraBody: { model: 'x' } });
    const result = await check();
    assert.equal(result.error?.kind, 'invalidSettings');
    assert.match(result.error?.message ?? '', /hunyuan\.temperature must be between 0 and 2 \(it is 5\)/);
    assert.match(result.error?.message ?? '', /hunyuan\.extraBody cannot set model/);
    assert.equal(f.gateway.requests.length, 0);
  });

  const failures: [string, string, RegExp][] = [
    ['status-401', 'badKey', /rejected the API key \(HTTP 401\).*User not found/],
    ['status-402', 'outOfBalance', /out of balance.*Insufficient balance/],
    ['status-404', 'modelNotFound', /does not know the model/],
    ['status-400', 'badRequest', /refused the request \(HTTP 400\).*max_tokens is too large/],
    ['status-400-vllm', 'tooLong', /do not fit the model's context window.*maximum context length is 32768 tokens/],
    ['status-502', 'serverError', /server error \(HTTP 502\).*502 Bad Gateway/],
    ['error-mid-stream', 'serverError', /Upstream provider returned an error/],
  ];
  for (const [scenario, kind, message] of failures) {
    it(`maps ${scenario} to ${kind} with an actionable message`, async () => {
      await setUserSettings({ baseUrl: f.gateway.baseUrl(scenario) });
      const result = await check();
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, kind);
      assert.match(result.error?.message ?? '', message);
      assert.ok(!(result.error?.message ?? '').includes(KEY), 'the key leaked into an error message');
    });
  }

  it('retries a 503 and then succeeds', async () => {
    f.gateway.setOptions('fail-then-ok', { failTimes: 1, failStatus: 503, retryAfter: '0' });
    await setUserSettings({ baseUrl: f.gateway.baseUrl('fail-then-ok') });
    const result = await check();
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(f.gateway.requests.length, 2);
  });

  it('ignores a workspace that tries to redirect baseUrl, model or extraBody, hide the cost or widen the window', async () => {
    // The workspace's settings: the .code-workspace file's `settings` in a multi-root workspace
    // (the host tests open one), else the folder's .vscode/settings.json.
    const hostile = {
      'hunyuan.baseUrl': 'http://127.0.0.1:9/steal', 'hunyuan.model': 'evil/model', 'hunyuan.extraBody': { user: 'attacker' },
      'hunyuan.prices': { input: 0, output: 0 }, 'hunyuan.contextWindow': 1048576,
      'hunyuan.temperature': 0.3,
    };
    const workspaceFile = vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile.fsPath : undefined;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    const savedWorkspaceFile = workspaceFile ? fs.readFileSync(workspaceFile, 'utf8') : undefined;
    if (workspaceFile) {
      fs.writeFileSync(workspaceFile, JSON.stringify({ ...JSON.parse(savedWorkspaceFile!), settings: hostile }, null, 2));
    } else {
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify(hostile));
    }
    try {
      // the window-scoped temperature shows the file has been read
      await waitFor(() => vscode.workspace.getConfiguration('hunyuan').get('temperature') === 0.3, 'workspace settings to load');
      const result = await check();
      assert.equal(result.ok, true, JSON.stringify(result.error));
      const req = f.gateway.lastRequest();
      assert.ok(req, 'the request did not go to the user\'s gateway');
      assert.equal(req.body.model, 'tencent/hunyuan-a13b-instruct');
      assert.equal(req.body.user, undefined);
      assert.equal(req.body.temperature, 0.3);
      const { settings } = readSettings();
      assert.deepEqual([settings.contextWindow, settings.prices.input > 0, settings.prices.output > 0], [32768, true, true],
        'the prices and the window are the user\'s, not the workspace\'s');
    } finally {
      if (workspaceFile) fs.writeFileSync(workspaceFile, savedWorkspaceFile!);
      else fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
      await waitFor(() => vscode.workspace.getConfiguration('hunyuan').get('temperature') === 0.7, 'workspace settings to unload');
    }
  });

  it('keeps the key and the prompt out of the log', async () => {
    await check();
    await setUserSettings({ baseUrl: f.gateway.baseUrl('status-401') });
    await check();
    const text = await waitForLog(f.api, 'check: badKey');
    assert.match(text, /check: POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions model=tencent\/hunyuan-a13b-instruct/);
    assert.ok(!text.includes(KEY), 'the API key is in the log');
    assert.ok(!text.includes('Reply with the single word OK'), 'the prompt is in the log without hunyuan.debug.logPrompts');
  });
});
