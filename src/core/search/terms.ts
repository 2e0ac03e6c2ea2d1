/**
 * Search terms of code and of questions about it, so that a question finds code that shares no
 * exact identifier with it: identifiers are split at camelCase, PascalCase, snake_case, kebab-case
 * and digit boundaries, lowercased and stemmed (Porter2: "parsing", "parser", "parses" → "pars");
 * Chinese (and other CJK) text becomes overlapping character pairs, so 解析配置 matches 配置解析.
 * Pure: no `vscode`, no DOM.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module without types
const stem: (word: string) => string = require('wink-porter2-stemmer');

/** Words too common in code and questions to tell files apart. */
const STOP = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'do', 'does', 'for', 'from', 'how', 'i', 'if', 'in', 'is', 'it', 'its',
  'me', 'my', 'of', 'on', 'or', 'so', 'that', 'the', 'this', 'to', 'was', 'we', 'what', 'when', 'where', 'which', 'who',
  'why', 'with', 'you', 'your', 'can', 'should', 'would', 'will', 'there', 'here', 'into', 'then', 'than', 'not', 'no',
  'var', 'let', 'const', 'return', 'function', 'def', 'self', 'this', 'new', 'true', 'false', 'null', 'none', 'undefined',
  'import', 'export', 'from', 'public', 'private', 'static', 'void', 'int', 'string',
]);

const WORD = /[\p{L}\p{N}_$]+/gu;
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;

/** The parts of an identifier: `parseHTTPResponse2` → parse, http, response, 2; `max_tokens` → max, tokens. */
export function splitIdentifier(word: string): string[] {
  return word
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
    .split(/[\s_$-]+/)
    .filter(Boolean);
}

/** Stems already worked out: a workspace uses a few thousand words many times over. */
const stems = new Map<string, string>();
const MAX_STEMS = 100_000;

/** A word's search term: lowercased, stemmed when it is Latin letters. */
function term(part: string): string | undefined {
  const lower = part.toLowerCase();
  if (lower.length < 2 || STOP.has(lower)) return undefined;
  if (!/^[a-z]+$/.test(lower)) return lower;
  let stemmed = stems.get(lower);
  if (stemmed === undefined) {
    stemmed = stem(lower);
    if (stems.size >= MAX_STEMS) stems.clear();
    stems.set(lower, stemmed);
  }
  return stemmed;
}

/**
 * The terms of a text (code or a question), in order, repeats kept (they weigh in the ranking).
 * A whole identifier counts too (lowercased), so an exact name still ranks first.
 */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    if (CJK.test(word)) {
      // Latin parts around CJK text (e.g. "配置config") are words of their own
      for (const latin of word.split(CJK_RUN)) if (latin) pushWord(latin, out);
      for (const [run] of word.matchAll(CJK_RUN)) {
        if (run.length === 1) out.push(run);
        for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
      }
      continue;
    }
    pushWord(word, out);
  }
  return out;
}

function pushWord(word: string, out: string[]): void {
  const parts = splitIdentifier(word);
  if (parts.length > 1) {
    const whole = word.toLowerCase().replace(/^[_$]+|[_$]+$/g, '');
    if (whole.length >= 3 && !STOP.has(whole)) out.push(whole);
  }
  for (const part of parts) {
    const t = term(part);
    if (t) out.push(t);
  }
}
