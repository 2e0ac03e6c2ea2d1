/**
 * Scrubbing API keys out of text before it is logged, shown or stored. Pure: the VS Code layer
 * (`ApiKeyStore.redact`) passes the keys it knows.
 *
 * - Every occurrence of a known key (of 4 characters or more) becomes `[redacted]`.
 * - So does the start of a key where the text was cut short: a gateway message is shortened
 *   (`cleanGatewayMessage`) before anything knows the key, so it may end with `sk-abc12…`. A run of
 *   at least MIN_FRAGMENT characters that begins a key and ends the text, or comes right before
 *   the ellipsis, goes too.
 * - A bearer token, as RFC 6750 spells it (b64token), becomes `Bearer [redacted]`, so the text
 *   around it (a closing bracket) stays.
 */

/** The shortest start of a key that is scrubbed where text was cut (shorter runs are too common to tell). */
export const MIN_FRAGMENT = 6;

const REDACTED = '[redacted]';

export function redactKeys(text: string, keys: Iterable<string>): string {
  let out = text;
  for (const key of keys) {
    if (key.length < 4) continue;
    out = out.split(key).join(REDACTED);
    out = redactCutStart(out, key);
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`);
}

/** The longest start of `key` (at least MIN_FRAGMENT long) ending `text`, or right before a final ellipsis, replaced. */
function redactCutStart(text: string, key: string): string {
  const m = /(…|\.\.\.)?\s*$/.exec(text);
  const end = m ? m.index : text.length;
  for (let n = Math.min(key.length - 1, end); n >= MIN_FRAGMENT; n--) {
    if (text.startsWith(key.slice(0, n), end - n)) return text.slice(0, end - n) + REDACTED + text.slice(end);
  }
  return text;
}
