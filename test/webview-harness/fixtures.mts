// Realistic chat data for the webview harness: a conversation with thinking, Markdown with code,
// a table, Chinese text, a stopped answer, an error turn, context chips.
import type { AssistantTurn, ContextChip, Conversation, ConversationSummary, UserTurn } from '../../src/common/chat/model.js';
import type { MentionItem } from '../../src/common/chat/protocol.js';

const t0 = Date.UTC(2025, 10, 20, 9, 30);

export const chips: ContextChip[] = [
  { id: 'chip-1', kind: 'selection', uri: 'file:///work/demo/src/sort.ts', label: 'src/sort.ts', languageId: 'typescript', startLine: 12, endLine: 40, text: 'export function sort() {}', tokens: 1234 },
  { id: 'chip-2', kind: 'file', uri: 'file:///work/demo/README.md', label: 'README.md', languageId: 'markdown', startLine: 1, endLine: 80, text: '# Demo', tokens: 620 },
  { id: 'chip-rules', kind: 'rules', uri: 'file:///work/demo/AGENTS.md', label: 'AGENTS.md', languageId: 'markdown', startLine: 1, endLine: 40, text: '# Rules', detail: 'AGENTS.md', tokens: 512 },
  {
    id: 'chip-folder', kind: 'folder', uri: 'file:///work/demo/src/render', label: 'src/render', languageId: '', startLine: 0, endLine: 0, text: 'a.ts\nb.ts',
    detail: '20 files', tokens: 2400, omitted: '6 of 20 files',
  },
];

/** What the harness offers for @ and # (filtered by the query). */
export const mentionItems: MentionItem[] = [
  { id: 'm-file-sort', kind: 'file', label: 'sort.ts', detail: 'src' },
  { id: 'm-file-partition', kind: 'file', label: 'partition.ts', detail: 'src/sort' },
  { id: 'm-folder-src', kind: 'folder', label: 'src', detail: '12 files' },
  { id: 'm-symbol-sort', kind: 'symbol', label: 'quickSort', detail: 'function · src/sort.ts' },
  { id: 'm-editors', kind: 'editors', label: 'Open editors', detail: '3 files' },
  { id: 'm-problems', kind: 'problems', label: 'Problems', detail: '2 errors, 1 warning' },
  { id: 'm-git', kind: 'git', label: 'Git changes', detail: 'staged and unstaged' },
  { id: 'm-terminal', kind: 'terminal', label: 'Terminal', detail: 'npm test' },
  { id: 'm-selection', kind: 'selection', label: 'Selection', detail: 'src/sort.ts:12-40' },
  { id: 'm-workspace', kind: 'workspace', label: 'workspace', detail: 'search the workspace' },
  { id: 'm-file-zh', kind: 'file', label: '说明.md', detail: 'docs' },
];

export const thinkingText = [
  '用户想要一个 TypeScript 的快速排序实现，并且要解释时间复杂度。',
  '',
  '先想清楚要点：',
  '1. 选择基准（pivot），这里用三数取中避免最坏情况；',
  '2. 分区（partition）用 Lomuto 还是 Hoare？Hoare 交换次数更少，但 Lomuto 更好讲解。',
  '3. 复杂度：平均 `O(n log n)`，最坏 `O(n²)`，空间 `O(log n)`（递归栈）。',
  '',
  '最后给一个对比表格，再提醒一下稳定性。',
].join('\n');

export const answerText = [
  '下面是一个**原地**快速排序的 TypeScript 实现，使用三数取中选择基准：',
  '',
  '```ts',
  'export function quickSort<T>(a: T[], cmp: (x: T, y: T) => number, lo = 0, hi = a.length - 1): T[] {',
  '  while (lo < hi) {',
  '    const p = partition(a, cmp, lo, hi);',
  '    // Recurse into the smaller half first: O(log n) stack',
  '    if (p - lo < hi - p) {',
  '      quickSort(a, cmp, lo, p - 1);',
  '      lo = p + 1;',
  '    } else {',
  '      quickSort(a, cmp, p + 1, hi);',
  '      hi = p - 1;',
  '    }',
  '  }',
  '  return a;',
  '}',
  '```',
  '',
  '## 复杂度',
  '',
  '| 情况 | 时间 | 空间 |',
  '|------|:----:|-----:|',
  '| 最好 | `O(n log n)` | `O(log n)` |',
  '| 平均 | `O(n log n)` | `O(log n)` |',
  '| 最坏 | `O(n²)` | `O(log n)` |',
  '',
  'A few notes:',
  '',
  '1. **Not stable** — equal elements may swap places. Use `Array.prototype.sort` (stable since ES2019) when order matters.',
  '',
  '2. For small ranges (say `hi - lo < 16`), switching to insertion sort is faster:',
  '',
  '   ```python',
  '   def insertion_sort(a, lo, hi):',
  '       for i in range(lo + 1, hi + 1):',
  '           x, j = a[i], i - 1',
  '           while j >= lo and a[j] > x:',
  '               a[j + 1] = a[j]; j -= 1',
  '           a[j + 1] = x',
  '   ```',
  '',
  '3. See [MDN: Array.prototype.sort](https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Array/sort) for details.',
  '',
  '4. 分区逻辑见 `src/sort.ts:12-40`，辅助函数在 src/partition.ts:7。Not a file: http://localhost:8080.',
  '',
  '> 提示：如果输入几乎有序，三数取中能有效避免退化。',
].join('\n');

const stoppedAnswer = [
  'Sure — here is an in-place version with tests using `node:test`:',
  '',
  '```ts',
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { quickSort } from './sort';",
  '',
  "test('sorts numbers', () => {",
  '  assert.deepEqual(quickSort([3, 1, 2], (a, b) => a - b), [1, 2, 3]);',
].join('\n');

export function conversation(): Conversation {
  const turns: (UserTurn | AssistantTurn)[] = [
    {
      id: 'u1', role: 'user', text: '用 TypeScript 写一个快速排序，并解释时间复杂度。', context: [chips[0]], thinking: 'slow', createdAt: t0,
      snippets: { snippets: 3, files: 2, refs: [{ path: 'src/sort.ts', startLine: 12, endLine: 40 }, { path: 'src/partition.ts', startLine: 1, endLine: 25 }, { path: 'src/sort.ts', startLine: 52, endLine: 60 }] },
    },
    {
      id: 'a1', role: 'assistant', thinking: thinkingText, answer: answerText, status: 'done',
      thinkingStartedAt: t0 + 800, thinkingEndedAt: t0 + 12_800, startedAt: t0 + 100, endedAt: t0 + 21_400, firstTokenMs: 700,
      usage: { promptTokens: 1234, completionTokens: 567, totalTokens: 1801, estimated: false }, costYuan: 0.0066, model: 'tencent/hunyuan-a13b-instruct', finishReason: 'stop',
    },
    { id: 'u2', role: 'user', text: 'Can you make it in-place and add tests?\nKeep it short.', context: [], thinking: 'fast', createdAt: t0 + 60_000 },
    {
      id: 'a2', role: 'assistant', thinking: '', answer: stoppedAnswer, status: 'stopped', startedAt: t0 + 60_100, endedAt: t0 + 64_900, firstTokenMs: 420,
      usage: { promptTokens: 1980, completionTokens: 96, totalTokens: 2076, estimated: true }, costYuan: 0.0045,
    },
    { id: 'u3', role: 'user', text: '再试一次', context: [], thinking: 'slow', createdAt: t0 + 90_000 },
    {
      id: 'a3', role: 'assistant', thinking: '', answer: '', status: 'error', startedAt: t0 + 90_100, endedAt: t0 + 90_900,
      error: { kind: 'auth', message: 'The gateway rejected the API key (HTTP 401). Check it, or set a new one.', actions: ['setApiKey', 'retry'] },
    },
  ];
  return { id: 'c1', title: '快速排序 / Quick sort in TypeScript', createdAt: t0, updatedAt: t0 + 90_900, turns };
}

export const conversations: ConversationSummary[] = [
  { id: 'c1', title: '快速排序 / Quick sort in TypeScript', updatedAt: t0 + 90_900, turnCount: 6 },
  { id: 'c2', title: 'Why does my regex backtrack so much?', updatedAt: t0 - 3_600_000, turnCount: 4 },
  { id: 'c3', title: '解释 src/extension/chat/chatController.ts', updatedAt: t0 - 86_400_000, turnCount: 2 },
  { id: 'c4', title: 'Dockerfile multi-stage build for a Node 20 app with pnpm', updatedAt: t0 - 5 * 86_400_000, turnCount: 8 },
];

/** The answer the harness streams when asked to (and on Send). */
export const streamedThinking = [
  '用户问的是如何给 VS Code 扩展写单元测试。要点：纯逻辑放在不依赖 `vscode` 的模块里，用 mocha 直接跑；',
  '涉及 API 的部分用 `@vscode/test-electron` 在真实的 VS Code 里跑。再给一个最小的例子。',
].join('\n');

export const streamedAnswer = [
  'Split the code so most of it runs **without** VS Code:',
  '',
  '- `src/core/**` — pure logic, tested with plain mocha;',
  '- `src/extension/**` — the thin layer that calls the `vscode` API, tested in a real editor.',
  '',
  '```ts',
  "import assert from 'node:assert/strict';",
  "import { formatYuan } from '../../src/common/format';",
  '',
  "describe('formatYuan', () => {",
  "  it('keeps four decimals below one yuan', () => {",
  "    assert.equal(formatYuan(0.00421), '¥0.0042');",
  '  });',
  '});',
  '```',
  '',
  '| Layer | Runner | Speed |',
  '|-------|--------|-------|',
  '| core | mocha | ⚡ fast |',
  '| extension | test-electron | 🐢 slow |',
  '',
  '这样大部分测试在一秒内就能跑完。',
].join('\n');
