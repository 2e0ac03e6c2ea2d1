import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS, normalizeBaseUrl, NUMBER_SETTINGS, parseSettings, SETTING_KEYS, UI_SETTING_KEYS } from '../../src/core/settings/settings';
import { applyThinkingMode, buildRequestBody, NO_THINK_PREFIX } from '../../src/core/hunyuan/request';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const props: Record<string, { default?: unknown; minimum?: number; maximum?: number }> = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('has the same keys, defaults and ranges as package.json', () => {
    assert.deepEqual(
      [...SETTING_KEYS, ...UI_SETTING_KEYS].map((k) => `hunyuan.${k}`).sort(),
      Object.keys(props).sort(),
    );
    for (const [key, spec] of Object.entries(NUMBER_SETTINGS)) {
      const p = props[`hunyuan.${key}`];
      assert.equal(p.default, spec.default, key);
      assert.equal(p.minimum, 'min' in spec ? spec.min : undefined, `${key} minimum`);
      assert.equal(p.maximum, 'max' in spec ? spec.max : undefined, `${key} maximum`);
    }
    assert.equal(props['hunyuan.baseUrl'].default, DEFAULTS.baseUrl);
    assert.equal(props['hunyuan.model'].default, DEFAULTS.model);
    assert.deepEqual(props['hunyuan.prices'].default, DEFAULTS.prices);
  });

  it('gives the model\'s recommended sampling by default and no problems', () => {
    const { settings, problems } = parseSettings({});
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.sampling, { temperature: 0.7, top_p: 0.8, top_k: 20, repetition_penalty: 1.05 });
    assert.equal(settings.maxTokens, 8192);
    assert.equal(settings.contextWindow, 32768);
    assert.equal(settings.thinking, 'slow');
  });

  it('leaves out parameters set to null (the gateway default applies)', () => {
    const { settings } = parseSettings({ temperature: null, topK: null, seed: 7 });
    assert.deepEqual(settings.sampling, { top_p: 0.8, repetition_penalty: 1.05, seed: 7 });
  });

  it('reports bad values as problems and falls back to defaults, never throws', () => {
    const { settings, problems } = parseSettings({
      temperature: 'hot', topP: 3, topK: 2.5, baseUrl: 'ftp://x', thinking: 'medium', stop: ['a', 1],
      extraBody: { top_a: 0.1, model: 'other', stream: false }, prices: { input: -1 }, maxTokens: 0,
    });
    assert.deepEqual(problems.map((p) => `${p.setting}:${p.code}`).sort(), [
      'hunyuan.temperature:notNumber', 'hunyuan.topP:outOfRange', 'hunyuan.topK:notInteger', 'hunyuan.maxTokens:outOfRange',
      'hunyuan.baseUrl:notUrl', 'hunyuan.thinking:notEnum', 'hunyuan.stop:notStringList', 'hunyuan.prices:notPrices',
      'hunyuan.extraBody:reservedKey',
    ].sort());
    assert.equal(settings.sampling.temperature, 0.7);
    assert.equal(settings.baseUrl, DEFAULTS.baseUrl);
    assert.deepEqual(settings.extraBody, { top_a: 0.1 });
    assert.deepEqual(problems.find((p) => p.code === 'reservedKey')?.items, ['model', 'stream']);
  });

  it('normalizes the base URL and refuses credentials in it', () => {
    assert.equal(normalizeBaseUrl('https://wcode.net/api/gpt/v1/'), 'https://wcode.net/api/gpt/v1');
    assert.equal(normalizeBaseUrl(' http://127.0.0.1:8787/v1/chat/completions '), 'http://127.0.0.1:8787/v1');
    assert.equal(normalizeBaseUrl('https://user:pw@host/v1'), undefined);
    assert.equal(normalizeBaseUrl('file:///etc/passwd'), undefined);
    assert.equal(normalizeBaseUrl('not a url'), undefined);
  });
});

describe('request body', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }];

  it('names every parameter as the gateway does, and streams with usage', () => {
    const { settings } = parseSettings({
      temperature: 0.2, topP: 0.5, topK: 5, repetitionPenalty: 1.1, frequencyPenalty: 0.3, presencePenalty: -0.4,
      minP: 0.05, seed: 42, stop: ['<END>'], maxTokens: 1000, extraBody: { top_a: 0.2, response_format: { type: 'json_object' } },
    });
    assert.deepEqual(buildRequestBody(settings, messages), {
      model: 'tencent/hunyuan-a13b-instruct', messages, stream: true, stream_options: { include_usage: true }, max_tokens: 1000,
      temperature: 0.2, top_p: 0.5, top_k: 5, repetition_penalty: 1.1, frequency_penalty: 0.3, presence_penalty: -0.4,
      min_p: 0.05, seed: 42, stop: ['<END>'], top_a: 0.2, response_format: { type: 'json_object' },
    });
  });

  it('lets extraBody override sampling, not the request itself', () => {
    const { settings } = parseSettings({});
    settings.extraBody = { temperature: 1.3, model: 'evil', messages: [] };
    const body = buildRequestBody(settings, messages, { stream: false });
    assert.equal(body.temperature, 1.3);
    assert.equal(body.model, 'tencent/hunyuan-a13b-instruct');
    assert.deepEqual(body.messages, messages);
    assert.equal(body.stream, false);
    assert.equal(body.stream_options, undefined);
  });

  it('fast thinking prefixes the last user message with /no_think, once', () => {
    const msgs = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: 'answer' },
      { role: 'user' as const, content: 'second' },
    ];
    const out = applyThinkingMode(msgs, 'fast');
    assert.equal(out[2].content, `${NO_THINK_PREFIX} second`);
    assert.equal(out[0].content, 'first');
    assert.equal(msgs[2].content, 'second', 'input not mutated');
    assert.equal(applyThinkingMode(out, 'fast')[2].content, `${NO_THINK_PREFIX} second`);
    assert.deepEqual(applyThinkingMode(msgs, 'slow'), msgs);
  });
});
