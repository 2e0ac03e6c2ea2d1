/**
 * Token estimates for Hunyuan-A13B without its tokenizer (its licence keeps us from bundling it).
 * Measured on the official vocabulary: ~4.1-4.4 ASCII characters per token for code and prose,
 * ~0.57 tokens per Chinese character. We count ASCII / 4 + CJK x 0.6, other characters (emoji,
 * accented letters) as one token each, and add a 12% margin so the estimate errs on the safe side.
 */

export const ESTIMATE_MARGIN = 1.12;
/** Tokens the chat template adds around each message (role markers, separators). */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens the template adds to prime the assistant's reply. */
export const TOKENS_PER_REPLY = 3;

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) || // CJK Unified Ideographs
    (code >= 0x3400 && code <= 0x4dbf) || // Extension A
    (code >= 0x20000 && code <= 0x2ebef) || // Extensions B-F
    (code >= 0xf900 && code <= 0xfaff) || // Compatibility Ideographs
    (code >= 0x3000 && code <= 0x303f) || // CJK punctuation
    (code >= 0xff00 && code <= 0xffef) || // full-width forms
    (code >= 0x3040 && code <= 0x30ff) || // kana
    (code >= 0xac00 && code <= 0xd7af) // hangul
  );
}

/** Raw character counts, before the margin. */
export function countChars(text: string): { ascii: number; cjk: number; other: number } {
  let ascii = 0;
  let cjk = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      ascii++;
      continue;
    }
    const point = text.codePointAt(i) ?? code;
    if (point > 0xffff) i++; // a surrogate pair is one character
    if (isCjk(point)) cjk++;
    else other++;
  }
  return { ascii, cjk, other };
}

/** Estimated tokens of a piece of text, margin included. */
export function estimateTokens(text: string): number {
  return text ? tokensFromCounts(countChars(text)) : 0;
}

/** Estimated tokens from character counts (which add up across chunks), margin included. */
export function tokensFromCounts({ ascii, cjk, other }: { ascii: number; cjk: number; other: number }): number {
  return Math.ceil((ascii / 4 + cjk * 0.6 + other) * ESTIMATE_MARGIN);
}

/** Estimated prompt tokens of a list of chat messages, template overhead included. */
export function estimateMessagesTokens(messages: ReadonlyArray<{ content: string }>): number {
  let total = TOKENS_PER_REPLY;
  for (const m of messages) total += TOKENS_PER_MESSAGE + estimateTokens(m.content);
  return total;
}
