/**
 * Which links the chat treats as links: absolute http(s) URLs only. The webview renders nothing
 * else as a link, sends nothing else to open, and the extension opens nothing else. Pure.
 */

/** Longest link the chat renders or opens. */
export const MAX_LINK_LENGTH = 8192;

/**
 * `raw` as the absolute http(s) URL that would be opened (normalized, without any user name or
 * password, which only serve to disguise the host: `https://docs.python.org@evil.example/`), or
 * undefined for anything else: relative, protocol-relative, other schemes, too long, no host.
 */
export function httpUrl(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_LINK_LENGTH) return undefined;
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  url.username = '';
  url.password = '';
  return url.href.length <= MAX_LINK_LENGTH ? url.href : undefined;
}
