/**
 * The fingerprint of a code block's text as the chat view shows it, sent with a code action so
 * the extension (which takes the code from the stored answer, never from the message) acts only
 * on the code the user saw. `"<length>:<hash>"`: the length lets the extension compare a block
 * still being written with the start of what it has. The hash is cyrb53 (53 bits), a checksum
 * against a view and an answer that disagree, not a cryptographic one. Line breaks are
 * normalized to `\n` first. Pure.
 */

export const FINGERPRINT_PATTERN = /^\d{1,9}:[0-9a-f]{1,14}$/;

function cyrb53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

const normalize = (code: string) => code.replace(/\r\n?/g, '\n');

export function codeFingerprint(code: string): string {
  const text = normalize(code);
  return `${text.length}:${cyrb53(text)}`;
}

/**
 * The part of `code` the fingerprint was taken of: all of it, or with `allowPrefix` (a block
 * still being written) its start; undefined when it does not match.
 */
export function shownCode(code: string, fingerprint: string, { allowPrefix = false } = {}): string | undefined {
  if (!FINGERPRINT_PATTERN.test(fingerprint)) return undefined;
  const length = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  const text = normalize(code);
  if (length > text.length || (!allowPrefix && length !== text.length)) return undefined;
  const shown = text.slice(0, length);
  return codeFingerprint(shown) === fingerprint ? shown : undefined;
}
