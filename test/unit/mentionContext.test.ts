// The pure parts of the @-mentions: the fuzzy ranker (src/core/context/fuzzy.ts), trimming a chip
// to a token budget (src/core/context/trim.ts), multi-file chip sections, terminal output cleaning,
// and how each kind of chip is sent to the model (formatChip in src/core/chat/prompt.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ContextChip, ContextKind } from '../../src/common/chat/model';
import { estimateTokens } from '../../src/core/budget/tokens';
import { formatChip } from '../../src/core/chat/prompt';
import { matchKey, rank, Tier } from '../../src/core/context/fuzzy';
import { closingFence, sectionsOf } from '../../src/core/context/sections';
import { cleanTerminalOutput } from '../../src/core/context/terminal';
import { chipTokens, trimChip } from '../../src/core/context/trim';

function chip(kind: ContextKind, text: string, more: Partial<ContextChip> = {}): ContextChip {
  return { id: 'c1', kind, uri: 'file:///w/a.ts', label: 'workspace/a.ts', languageId: 'typescript', startLine: 1, endLine: text.split('\n').length, text, ...more };
}

const numbered = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}: const value${i} = compute(${i}, "some text");`).join('\n');

/** A multi-file chip's section as the extension writes it. */
const section = (path: string, text: string) => formatChip(chip('file', text, { label: path }));

describe('mention ranking (core/context/fuzzy)', () => {
  it('tells prefix, substring and fuzzy matches apart, ignoring case', () => {
    assert.equal(matchKey('slu', 'slug.ts').tier, Tier.Prefix);
    assert.equal(matchKey('SLUG', 'lib/strings/slug.ts').tier, Tier.Prefix, 'a path segment starts with it');
    assert.equal(matchKey('ring', 'lib/strings/slug.ts').tier, Tier.Substring);
    assert.equal(matchKey('strslug', 'lib/strings/slug.ts').tier, Tier.Fuzzy);
    assert.equal(matchKey('xyz', 'lib/strings/slug.ts').tier, Tier.None);
    assert.equal(matchKey('prob', 'Problems in current file').tier, Tier.Prefix);
    assert.equal(matchKey('file', 'Problems in current file').tier, Tier.Prefix, 'a word starts with it');
    assert.equal(matchKey('问题', '所有问题').tier, Tier.Substring);
    assert.equal(matchKey('问题', '问题').tier, Tier.Prefix);
    assert.equal(matchKey('src\\ut', 'workspace/src/util.py').tier, Tier.Prefix, 'a backslash is a slash');
  });

  it('ranks an exact prefix before a substring before a fuzzy match, and boundaries before gaps', () => {
    const items = ['docs/notslug.md', 'lib/s_l_u_g.ts', 'lib/strings/slug.ts', 'slugify.ts'];
    const ranked = rank('slug', items, (p) => [p.slice(p.lastIndexOf('/') + 1), p]);
    assert.deepEqual(ranked, ['lib/strings/slug.ts', 'slugify.ts', 'docs/notslug.md', 'lib/s_l_u_g.ts']);
  });

  it('puts a higher priority first within a tier, never above a better tier', () => {
    // the fuzzy match has the highest priority, and still comes after both prefix matches
    const items = [{ p: 'x/s_a_m_p_l_e.ts', pr: 5 }, { p: 'src/sample.ts', pr: 0 }, { p: 'open/sample.ts', pr: 1 }];
    const ranked = rank('sample', items, (i) => [i.p.slice(i.p.lastIndexOf('/') + 1), i.p], Infinity, (i) => i.pr).map((i) => i.p);
    assert.deepEqual(ranked, ['open/sample.ts', 'src/sample.ts', 'x/s_a_m_p_l_e.ts']);
  });

  it('keeps the order of the items for an empty query, and caps the list', () => {
    assert.deepEqual(rank('', ['b', 'a', 'c'], (s) => [s]), ['b', 'a', 'c']);
    assert.deepEqual(rank('  ', ['b', 'a', 'c'], (s) => [s], 2), ['b', 'a']);
  });

  it('is stable and puts an exact prefix match first (property)', () => {
    const word = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join('/')), { minLength: 1, maxLength: 30 }), word, (paths, q) => {
      const keys = (p: string) => [p.slice(p.lastIndexOf('/') + 1), p];
      const ranked = rank(q, paths, keys);
      // everything that matches is there, once
      assert.deepEqual([...ranked].sort(), paths.filter((p) => keys(p).some((k) => matchKey(q, k).tier !== Tier.None)).sort());
      // a file whose name starts with the query comes before every file that matches only fuzzily
      const lastPrefix = ranked.map((p) => keys(p)[0].startsWith(q)).lastIndexOf(true);
      const firstFuzzy = ranked.findIndex((p) => Math.max(...keys(p).map((k) => matchKey(q, k).tier)) === Tier.Fuzzy);
      if (lastPrefix >= 0 && firstFuzzy >= 0) assert.ok(lastPrefix < firstFuzzy, JSON.stringify({ ranked, q }));
      // stable: equal items keep their order (duplicates appear in input order)
      const twice = rank(q, [...paths, ...paths].map((p, i) => ({ p, i })), (x) => keys(x.p));
      for (let i = 1; i < twice.length; i++) {
        if (twice[i].p === twice[i - 1].p) assert.ok(twice[i - 1].i < twice[i].i);
      }
    }), { numRuns: 300 });
  });
});

describe('trimming a chip to a budget (core/context/trim)', () => {
  it('leaves a chip that fits as it is, with its tokens as sent', () => {
    const c = chip('file', 'const a = 1;\n');
    const t = trimChip(c, 1000);
    assert.equal(t.text, c.text);
    assert.equal(t.omitted, undefined);
    assert.equal(t.tokens, estimateTokens(formatChip(c)));
  });

  it('keeps the first whole lines of a file and says which lines were left out', () => {
    const c = chip('file', numbered(1200));
    const t = trimChip(c, 2000);
    const kept = t.text.split('\n').length;
    assert.ok(kept > 50 && kept < 1200, `kept ${kept}`);
    assert.deepEqual(t.text.split('\n'), c.text.split('\n').slice(0, kept));
    assert.equal(t.omitted, `lines ${kept + 1}-1200 of 1200`);
    assert.ok(t.tokens! <= 2000 && t.tokens === estimateTokens(formatChip(t)));
    assert.match(formatChip(t), new RegExp(`\\n\\[Left out to fit the context window: lines ${kept + 1}-1200 of 1200\\.\\]$`));
  });

  it('numbers the lines of a selection as the file does', () => {
    const c = chip('selection', numbered(300), { startLine: 101, endLine: 400 });
    const t = trimChip(c, 800);
    const kept = t.text.split('\n').length;
    assert.equal(t.omitted, `lines ${101 + kept}-400 of 101-400`);
  });

  it('keeps whole files of a diff', () => {
    const file = (i: number) => [`diff --git a/f${i}.ts b/f${i}.ts`, `--- a/f${i}.ts`, `+++ b/f${i}.ts`, '@@ -1,3 +1,3 @@', ...numbered(30).split('\n').map((l) => `+${l}`)].join('\n');
    const c = chip('git', Array.from({ length: 40 }, (_, i) => file(i)).join('\n'), { uri: '', label: 'Staged changes', languageId: 'diff' });
    const t = trimChip(c, 3000);
    const files = t.text.split('\n').filter((l) => l.startsWith('diff --git ')).length;
    assert.ok(files > 0 && files < 40);
    assert.ok(t.text.endsWith(file(files - 1).split('\n').at(-1)!), 'the last file kept is whole');
    assert.equal(t.text, Array.from({ length: files }, (_, i) => file(i)).join('\n'));
    assert.equal(t.omitted, `${40 - files} of 40 files`);
  });

  it('keeps whole problems (a line and the lines under it)', () => {
    const problem = (i: number) => `src/a.ts:${i}:1 error Something is wrong number ${i}\n  continued message\n  > const x${i} = y;`;
    const c = chip('problems', Array.from({ length: 30 }, (_, i) => problem(i + 1)).join('\n'), { languageId: '' });
    const t = trimChip(c, 250);
    const kept = t.text.split('\n').filter((l) => !l.startsWith(' ')).length;
    assert.ok(kept > 0 && kept < 30);
    assert.equal(t.text.split('\n').length, kept * 3);
    assert.equal(t.omitted, `${30 - kept} of 30 problems`);
  });

  it('keeps whole files of a folder chip, then its listing alone', () => {
    const listing = '```\na.ts\nb.ts\nc.ts\n```';
    const text = [listing, section('src/a.ts', numbered(20)), section('src/b.ts', numbered(20)), section('src/c.ts', '```js\nnested fence\n```')].join('\n\n');
    const c = chip('folder', text, { label: 'src', languageId: '' });
    assert.match(formatChip(c), /^Folder src \(3 files; the contents of all follow\):\n```\na\.ts/);
    const twoFiles = [listing, section('src/a.ts', numbered(20)), section('src/b.ts', numbered(20))].join('\n\n');
    const t = trimChip(c, chipTokens({ ...c, text: twoFiles, omitted: '1 of 3 files' }));
    assert.equal(t.text, twoFiles);
    assert.equal(t.omitted, '1 of 3 files');
    assert.match(formatChip(t), /^Folder src \(3 files; the contents of 2 follow\):/);
    const small = trimChip(c, estimateTokens(formatChip({ ...c, text: listing, omitted: '3 of 3 files' })) + 2);
    assert.equal(small.text, listing);
    assert.equal(small.omitted, '3 of 3 files');
  });

  it('keeps the end of a terminal command\'s output', () => {
    const c = chip('terminal', `${numbered(500)}\n[exit code 1]`, { uri: '', label: 'npm test', languageId: '' });
    const t = trimChip(c, 600);
    const kept = t.text.split('\n').length;
    assert.ok(t.text.endsWith('[exit code 1]'));
    assert.deepEqual(t.text.split('\n'), c.text.split('\n').slice(-kept));
    assert.equal(t.omitted, `lines 1-${501 - kept} of 501`);
  });

  it('closes a fence a cut by lines leaves open', () => {
    const huge = section('src/big.ts', numbered(2000));
    const c = chip('editors', huge, { uri: '', label: 'Open Editors', languageId: '' });
    const t = trimChip(c, 500);
    assert.ok(t.tokens! <= 500);
    assert.equal(closingFence(t.text.split('\n'), t.text.split('\n').length), undefined, 'no fence left open');
    assert.ok(t.text.endsWith('\n```'));
  });

  it('never exceeds the budget, keeps whole lines, and sets omitted exactly when it cut (property)', () => {
    const kinds: ContextKind[] = ['file', 'selection', 'symbol', 'git', 'problems', 'terminal', 'folder', 'editors'];
    const line = fc.oneof(
      fc.stringMatching(/^[ -~]{0,60}$/),
      fc.constantFrom('diff --git a/x b/x', '```', '````', 'File x.ts (ts):', '  > indented', '中文的一行代码', ''),
    );
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.array(line, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 1500 }), (kind, lines, budget) => {
      const c = chip(kind, lines.join('\n'), { startLine: 5, endLine: 4 + lines.length, ...(kind === 'symbol' ? { detail: 'function · a.ts', label: 'f' } : {}) });
      const t = trimChip(c, budget);
      assert.equal(t.tokens, estimateTokens(formatChip(t)));
      const cut = t.text !== c.text;
      assert.equal(t.omitted !== undefined, cut, `omitted ${t.omitted} but cut ${cut}`);
      if (!cut) return;
      assert.ok(t.tokens! <= budget || t.text === '', `${t.tokens} > ${budget}`);
      const kept = t.text === '' ? [] : t.text.split('\n');
      // (a last line break ends the last line: it starts no line of its own)
      const original = c.text.replace(/\n$/, '').split('\n');
      if (kind === 'terminal') {
        assert.deepEqual(kept, original.slice(original.length - kept.length));
      } else {
        // the first lines, whole (a fence may have been closed after them)
        const close = kept.length && closingFence(original, kept.length - 1) === kept.at(-1) && original[kept.length - 1] !== kept.at(-1) ? 1 : 0;
        assert.deepEqual(kept.slice(0, kept.length - close), original.slice(0, kept.length - close));
      }
    }), { numRuns: 400, seed: Number(process.env.FC_SEED) || undefined });
  });

  it('a terminal chip ending with a line break keeps its last lines (a case the property found)', () => {
    const c = chip('terminal', ['!  ', ' 0 ', ' ', 'diff --git a/x b/x', ' 0 ', ''].join('\n'), { startLine: 5, endLine: 10 });
    const t = trimChip(c, 50);
    assert.ok(t.tokens! <= 50, `${t.tokens} > 50`);
    assert.ok(t.omitted, 'it was cut');
    assert.ok(c.text.endsWith(`${t.text}\n`), `the kept text ${JSON.stringify(t.text)} is the end of the output`);
  });
});

describe('multi-file chip sections (core/context/sections)', () => {
  it('finds the listing and each file, not a header inside a file', () => {
    const inner = 'File fake.ts (typescript):\n```ts\nx\n```';
    const text = ['```\na.md\nb.ts\n```', section('a.md', inner), section('b.ts', 'const b = 1;')].join('\n\n');
    const layout = sectionsOf(text);
    assert.deepEqual(layout.listing, ['a.md', 'b.ts']);
    assert.equal(layout.sectionStarts.length, 2);
    assert.equal(layout.lines[layout.sectionStarts[1]], 'File b.ts (typescript):');
  });
});

describe('terminal output (core/context/terminal)', () => {
  it('takes out escape sequences and keeps the last state of a rewritten line', () => {
    const raw = '\x1b]633;C\x07\x1b[32mok\x1b[0m 1 passing\r\n50%\r100%\r\ndone\x1b]633;D;0\x07\r\n';
    assert.equal(cleanTerminalOutput(raw), 'ok 1 passing\n100%\ndone\n');
  });
});

describe('chips as the model reads them (formatChip)', () => {
  it('keeps the file and selection formats', () => {
    assert.equal(formatChip(chip('file', 'const a = 1;', { label: 'src/a.ts' })), 'File src/a.ts (typescript):\n```typescript\nconst a = 1;\n```');
    assert.equal(formatChip(chip('selection', 'x', { label: 'src/a.ts', startLine: 3, endLine: 9 })), 'Selection from src/a.ts, lines 3-9 (typescript):\n```typescript\nx\n```');
  });

  it('names a symbol, its kind, file and lines', () => {
    const c = chip('symbol', 'export function add(a: number, b: number): number {\n  return a + b;\n}', { label: 'add', detail: 'function · workspace/sample.ts', startLine: 2, endLine: 4 });
    assert.equal(formatChip(c), 'Symbol `add` (function) from workspace/sample.ts, lines 2-4 (typescript):\n```typescript\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```');
  });

  it('counts a folder\'s files and open editors', () => {
    const folder = chip('folder', '```\nsrc/a.ts\nsrc/b.ts\n```', { label: 'workspace/src', languageId: '' });
    assert.equal(formatChip(folder), 'Folder workspace/src (2 files):\n```\nsrc/a.ts\nsrc/b.ts\n```');
    const editors = chip('editors', [section('a.ts', 'a'), section('b.py', 'b')].join('\n\n'), { label: 'Open Editors', languageId: '' });
    assert.match(formatChip(editors), /^Open editors \(2 files\):\nFile a\.ts \(typescript\):\n```typescript\na\n```\n\nFile b\.py/);
  });

  it('says where problems are, and when there are none', () => {
    const text = 'workspace/sample.ts:3:3 error Type \'string\' is not assignable to type \'number\'. (ts 2322)\n  > return "x";';
    assert.equal(formatChip(chip('problems', text, { label: 'workspace/sample.ts', languageId: '' })), `Problems in workspace/sample.ts:\n\`\`\`\n${text}\n\`\`\``);
    assert.equal(formatChip(chip('problems', '', { uri: '', label: 'All problems', languageId: '' })), 'Problems in the workspace: none.');
  });

  it('fences a diff and a terminal command\'s output, the command in inline code', () => {
    assert.equal(formatChip(chip('git', 'diff --git a/x b/x\n+```', { uri: '', label: 'Staged changes', languageId: 'diff' })), 'Staged changes (git diff):\n````diff\ndiff --git a/x b/x\n+```\n````');
    assert.equal(formatChip(chip('terminal', 'ok\n[exit code 0]', { uri: '', label: 'npm test', languageId: '' })), 'Terminal command `npm test` and its output:\n```\nok\n[exit code 0]\n```');
    assert.match(formatChip(chip('terminal', 'x', { uri: '', label: 'echo `date`', languageId: '' })), /^Terminal command `` echo `date` `` and its output:/);
  });

  it('says what was left out, after the content', () => {
    const c = chip('git', 'diff --git a/x b/x', { uri: '', label: 'Changes against main', languageId: 'diff', omitted: '3 of 4 files' });
    assert.equal(formatChip(c), 'Changes against main (git diff):\n```diff\ndiff --git a/x b/x\n```\n[Left out to fit the context window: 3 of 4 files.]');
  });

  it('sends workspace search results as they are, and rules with their file', () => {
    assert.equal(formatChip(chip('workspace', '', { label: '@workspace' })), 'A search of the workspace found nothing relevant.');
    assert.match(formatChip(chip('workspace', 'a.ts:1-2\n```\nx\n```', { label: '@workspace' })), /^Code found by a search of the workspace .*:\na\.ts:1-2\n```/);
    assert.equal(formatChip(chip('rules', '# Rules', { label: 'AGENTS.md', languageId: 'markdown' })), 'Project rules from AGENTS.md:\n```markdown\n# Rules\n```');
  });
});
