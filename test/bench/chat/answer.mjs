// The Markdown answers the chat figures stream: deterministic, of a chosen size, shaped like a
// long model answer (headings, prose in English and Chinese, bullet and numbered lists, a table,
// blockquotes, fenced code blocks in a dozen languages, one of them inside a list item), and the
// model tokens they arrive in.

const FENCES = [
  ['ts', (i) => `export async function fetchAll${i}(urls: string[]): Promise<Response[]> {\n  const results: Response[] = [];\n  for (const url of urls) {\n    const res = await fetch(url, { headers: { accept: 'application/json' } });\n    if (!res.ok) throw new Error(\`\${url}: \${res.status}\`);\n    results.push(res);\n  }\n  return results;\n}`],
  ['python', (i) => `def merge_sorted_${i}(a: list[int], b: list[int]) -> list[int]:\n    """Merge two sorted lists in O(n + m)."""\n    out, i, j = [], 0, 0\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]`],
  ['rust', (i) => `pub fn parse_pairs_${i}(input: &str) -> Result<Vec<(String, i64)>, String> {\n    input\n        .lines()\n        .filter(|l| !l.trim().is_empty())\n        .map(|l| {\n            let (k, v) = l.split_once('=').ok_or(format!("bad line: {l}"))?;\n            Ok((k.trim().to_string(), v.trim().parse::<i64>().map_err(|e| e.to_string())?))\n        })\n        .collect()\n}`],
  ['go', (i) => `func WordCount${i}(text string) map[string]int {\n\tcounts := make(map[string]int)\n\tfor _, w := range strings.Fields(strings.ToLower(text)) {\n\t\tcounts[strings.Trim(w, ".,;:!?")]++\n\t}\n\treturn counts\n}`],
  ['bash', (i) => `#!/usr/bin/env bash\nset -euo pipefail\nfor f in src/**/*.ts; do\n  echo "checking $f (${i})"\n  npx eslint "$f" || exit 1\ndone`],
  ['json', (i) => `{\n  "name": "example-${i}",\n  "version": "1.${i}.0",\n  "scripts": { "build": "tsc -p .", "test": "mocha" },\n  "dependencies": { "marked": "^18.0.0" }\n}`],
  ['sql', (i) => `SELECT u.id, u.name, COUNT(o.id) AS orders_${i}\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > NOW() - INTERVAL '30 days'\nGROUP BY u.id, u.name\nORDER BY orders_${i} DESC\nLIMIT 20;`],
  ['java', (i) => `public final class Cache${i}<K, V> extends LinkedHashMap<K, V> {\n    private final int capacity;\n    public Cache${i}(int capacity) {\n        super(16, 0.75f, true);\n        this.capacity = capacity;\n    }\n    @Override\n    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {\n        return size() > capacity;\n    }\n}`],
  ['cpp', (i) => `template <typename T>\nT clamp${i}(T value, T lo, T hi) {\n    // 把值限制在 [lo, hi] 之间\n    return std::max(lo, std::min(value, hi));\n}`],
  ['css', (i) => `.card-${i} {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));\n  gap: 0.75rem;\n  color: var(--vscode-foreground);\n}`],
  ['yaml', (i) => `name: ci-${i}\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test`],
  ['diff', (i) => `--- a/src/sum.ts\n+++ b/src/sum.ts\n@@ -1,3 +1,3 @@\n-export const sum${i} = (a, b) => a + b;\n+export const sum${i} = (a: number, b: number): number => a + b;`],
];

const PROSE = [
  'The approach keeps the work linear: each element is visited once, and the intermediate results are reused instead of recomputed.',
  '这个方法的关键在于只遍历一次数据,并且在遍历的过程中保存中间结果,这样整体的时间复杂度是线性的。',
  'When the input can be empty, return early with a clear value rather than relying on a default that hides the case.',
  '如果输入可能为空,最好提前返回一个明确的值,而不是依赖默认值来掩盖这种情况。',
  'Errors carry the URL and the status, so a failure in the middle of a batch says which request failed and why.',
];

function section(i) {
  const [langA, codeA] = FENCES[(2 * i) % FENCES.length];
  const [langB, codeB] = FENCES[(2 * i + 1) % FENCES.length];
  const p = (k) => PROSE[(i + k) % PROSE.length];
  return [
    `## ${i + 1}. Step ${i + 1}: ${['Reading the input', '处理边界情况', 'Writing the result', '性能优化', 'Testing it'][i % 5]}`,
    '',
    `${p(0)} ${p(1)} See **step ${i + 1}** and the \`${langA}\` example below; it uses *no* extra dependencies.`,
    '',
    `- **Input**: a list of \`${langA}\` values, possibly empty`,
    `- **Output**: the same values, transformed (${i} → ${i * 2})`,
    '- Edge cases: `null`, duplicates, 非 ASCII 字符 and very long lines',
    `- See [the documentation](https://example.com/docs/step-${i}) for details`,
    '',
    `\`\`\`${langA}`,
    codeA(i),
    '```',
    '',
    `1. Run the ${langB} part first:`,
    '',
    `   \`\`\`${langB}`,
    ...codeB(i).split('\n').map((l) => `   ${l}`),
    '   ```',
    '',
    `2. ${p(2)}`,
    `3. ${p(3)}`,
    '',
    '| Case | Input | Expected | 说明 |',
    '| --- | --- | --- | --- |',
    `| empty | \`[]\` | \`[]\` | 空数组 |`,
    `| one | \`[${i}]\` | \`[${i * 2}]\` | 单个元素 |`,
    `| many | \`[1, 2, ${i}]\` | \`[2, 4, ${i * 2}]\` | 多个元素 |`,
    '',
    `> ${p(4)}`,
    '',
  ].join('\n');
}

/** A Markdown answer of about `bytes` UTF-16 code units (at least one whole section). */
export function makeAnswer(bytes) {
  const parts = ['Here is a complete walkthrough. 下面是完整的步骤说明。', ''];
  let length = parts.join('\n').length;
  for (let i = 0; length < bytes; i++) {
    const s = section(i);
    parts.push(s);
    length += s.length + 1;
  }
  parts.push('That covers every step. 以上就是全部步骤。');
  return parts.join('\n');
}

/**
 * Model tokens, roughly as a BPE tokenizer cuts them: a word with its leading space and the
 * punctuation before it, 1-2 CJK characters, a line break with the next line's indentation, short
 * punctuation runs (3.5 characters a token on these answers).
 */
export function tokenize(text) {
  return text.match(/\n[ \t]*|[ ]?[^\s\w\u3000-\u9fff\uff00-\uffef]{0,2}[A-Za-z]{1,8}|[ ]?\d{1,3}|[\u3000-\u9fff\uff00-\uffef]{1,2}|[ \t]+|[^\s\w\u3000-\u9fff\uff00-\uffef]{1,4}|[\s\S]/gu);
}

/**
 * The StreamDelta batches ChatController sends for these tokens arriving `tokensPerSecond`: the
 * first token queued arms a timer of `intervalMs` (queueDelta), which sends everything queued by
 * then (flushDelta); the end of the answer sends what is left at once. Returns [{ at, text }], `at`
 * in ms from the first token.
 */
export function batches(tokens, { tokensPerSecond, intervalMs }) {
  const out = [];
  let text = null;
  let flushAt = 0;
  let t = 0;
  tokens.forEach((tok, i) => {
    t = (i * 1000) / tokensPerSecond;
    if (text !== null && t >= flushAt) {
      out.push({ at: flushAt, text });
      text = null;
    }
    if (text === null) {
      text = '';
      flushAt = t + intervalMs;
    }
    text += tok;
  });
  if (text) out.push({ at: t, text });
  return out;
}
