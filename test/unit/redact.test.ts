// Scrubbing keys from text: whole keys, bearer tokens, and the start of a key where a gateway
// message was cut short (cleanGatewayMessage shortens before anything knows the key).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { cleanGatewayMessage, MAX_GATEWAY_MESSAGE } from '../../src/core/hunyuan/errors';
import { MIN_FRAGMENT, redactKeys } from '../../src/core/hunyuan/redact';

const KEY = 'sk-4f9c2e7a1b6d8e0f3a5c7b9d1e2f4a6c';

describe('redactKeys', () => {
  it('scrubs every whole key and bearer token, keeping the text around them', () => {
    assert.equal(redactKeys(`Invalid key ${KEY} (twice: ${KEY}).`, [KEY]), 'Invalid key [redacted] (twice: [redacted]).');
    assert.equal(redactKeys('header Authorization: Bearer abc.DEF-123= ]', []), 'header Authorization: Bearer [redacted] ]');
  });

  it('leaves text without a key alone, even a short run that happens to start one', () => {
    assert.equal(redactKeys('Use the sk- prefix.', [KEY]), 'Use the sk- prefix.');
    assert.equal(redactKeys('Rate limited: try later.', [KEY]), 'Rate limited: try later.');
  });

  it('property: a gateway message quoting the key, cut anywhere, shows no part of the key of MIN_FRAGMENT characters or more', () => {
    // filler before the key so that the cut (at MAX_GATEWAY_MESSAGE characters) falls anywhere in or around it
    const filler = fc.tuple(fc.integer({ min: MAX_GATEWAY_MESSAGE - KEY.length - 4, max: MAX_GATEWAY_MESSAGE + 2 }), fc.constantFrom('x', 'é', '密', ' a'))
      .map(([n, unit]) => unit.repeat(n).slice(0, n));
    fc.assert(fc.property(filler, fc.string({ maxLength: 400 }), (before, after) => {
      const shown = redactKeys(cleanGatewayMessage(`${before}${KEY} ${after}`) ?? '', [KEY]);
      for (let n = MIN_FRAGMENT; n <= KEY.length; n++) {
        assert.ok(!shown.includes(KEY.slice(0, n)), `a start of the key (${n} characters) is shown: ${JSON.stringify(shown)}`);
      }
    }), { numRuns: 500 });
  });
});
