import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { cleanGatewayMessage, errorFromPayload, HunyuanError, kindForStatus, parseRetryAfter, toHunyuanError } from '../../src/core/hunyuan/errors';

describe('errors', () => {
  it('maps statuses to kinds', () => {
    assert.deepEqual(
      [400, 401, 402, 403, 404, 408, 429, 500, 502, 503, 418].map(kindForStatus),
      ['badRequest', 'badKey', 'outOfBalance', 'badKey', 'modelNotFound', 'timeout', 'rateLimited', 'serverError', 'serverError', 'serverError', 'badRequest'],
    );
  });

  it('maps the openai SDK\'s error classes', () => {
    const headers = new Headers({ 'retry-after': '3' });
    const rate = toHunyuanError(APIError.generate(429, { error: { message: 'Rate limit exceeded' } }, undefined, headers));
    assert.equal(rate.kind, 'rateLimited');
    assert.equal(rate.retryAfterMs, 3000);
    assert.equal(rate.gatewayMessage, 'Rate limit exceeded');
    assert.equal(rate.retryable, true);
    const balance = toHunyuanError(APIError.generate(402, { error: { code: 402, message: 'Insufficient balance' } }, undefined, new Headers()));
    assert.equal(balance.kind, 'outOfBalance');
    assert.equal(balance.retryable, false);
    assert.equal(toHunyuanError(new APIUserAbortError()).kind, 'cancelled');
    assert.equal(toHunyuanError(new APIConnectionTimeoutError()).kind, 'timeout');
    assert.equal(toHunyuanError(new APIConnectionError({ message: 'Connection error.', cause: new Error('ECONNREFUSED') })).kind, 'network');
  });

  it('reduces an HTML error page to its title', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    assert.equal(cleanGatewayMessage(html), '502 Bad Gateway');
    const e = toHunyuanError(APIError.generate(502, undefined, html, new Headers({ 'content-type': 'text/html' })));
    assert.equal(e.kind, 'serverError');
    assert.equal(e.gatewayMessage, '502 Bad Gateway');
  });

  it('reads the gateway error shapes: OpenAI, vLLM top-level, bare string', () => {
    assert.equal(errorFromPayload({ error: { code: 404, message: 'no such model' } }).kind, 'modelNotFound');
    const vllm = errorFromPayload({ object: 'error', message: 'max_tokens too large', type: 'BadRequestError', code: 400 });
    assert.equal(vllm.kind, 'badRequest');
    assert.equal(vllm.gatewayMessage, 'max_tokens too large');
    assert.equal(errorFromPayload({ error: 'boom' }).gatewayMessage, 'boom');
    assert.equal(errorFromPayload({ error: { message: 'x' } }).kind, 'serverError');
  });

  it('takes a 400 over the model\'s window as prompt too long, other 400s as bad requests', () => {
    const vllm = "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (31808 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.";
    assert.equal(toHunyuanError(APIError.generate(400, { error: { message: vllm, code: 400 } }, undefined, new Headers())).kind, 'tooLong');
    assert.equal(toHunyuanError(APIError.generate(400, { error: { code: 'context_length_exceeded', message: 'too long' } }, undefined, new Headers())).kind, 'badRequest');
    assert.equal(errorFromPayload({ error: { code: 400, message: vllm } }).kind, 'tooLong');
    assert.equal(errorFromPayload({ error: { code: 400, message: 'max_tokens is too large' } }).kind, 'badRequest');
    assert.equal(errorFromPayload({ error: { code: 500, message: vllm } }).kind, 'serverError');
  });

  it('parses Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('cuts a long gateway message', () => {
    const long = cleanGatewayMessage('x'.repeat(1000));
    assert.ok(long && long.length === 300 && long.endsWith('…'));
    assert.equal(new HunyuanError({ kind: 'badKey', status: 401, gatewayMessage: 'User not found.' }).message, 'badKey: HTTP 401: User not found.');
  });

  it('keeps the client\'s own refusals (a redirect elsewhere, a limit) through the SDK\'s connection error, and in with()', () => {
    const refused = new HunyuanError({ kind: 'redirected', status: 307, redirectTo: 'https://elsewhere.example' });
    assert.equal(toHunyuanError(new APIConnectionError({ message: 'Connection error.', cause: refused })), refused);
    assert.equal(refused.retryable, false);
    assert.equal(refused.message, 'redirected: HTTP 307: to https://elsewhere.example');
    const big = new HunyuanError({ kind: 'tooLarge', limitChars: 135168, maxTokens: 8192 }).with({ receivedChars: 135200 });
    assert.deepEqual([big.kind, big.limitChars, big.maxTokens, big.receivedChars, big.retryable], ['tooLarge', 135168, 8192, 135200, false]);
    assert.equal(big.message, 'tooLarge: over 135168 characters for max_tokens 8192');
    assert.equal(new HunyuanError({ kind: 'tooLarge', limitBytes: 262144 }).with({}).limitBytes, 262144);
  });
});
