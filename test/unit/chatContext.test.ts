// The chat's pure context helpers: when a question is searched (src/core/context/workspaceSearch.ts),
// the snippets' budget and chip, and where a path:line reference points (src/core/context/locations.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ContextChip } from '../../src/common/chat/model';
import { estimateTokens } from '../../src/core/budget/tokens';
import { rulesOf, sentInMessage, userMessageContent } from '../../src/core/chat/prompt';
import { locationCandidates, normalizeRelative } from '../../src/core/context/locations';
import {
  fillWorkspaceChip, MAX_SNIPPET_TOKENS, MIN_SNIPPET_TOKENS, questionNeedsSearch, snippetBudget, workspaceSearchMode,
} from '../../src/core/context/workspaceSearch';

const seed = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {};
const chip = (over: Partial<ContextChip>): ContextChip => ({
  id: 'c', kind: 'file', uri: '', label: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 1, text: 'x', ...over,
});

describe('chat context: when the workspace is searched', () => {
  it('searches questions about the project, in English and Chinese', () => {
    for (const q of [
      'Where is the user session stored?', 'which file handles login', 'how is the cache implemented in this project?',
      'what does parseUserToken do?', 'why does user_session expire', 'explain app.ts', '登录逻辑在哪里？', '这个项目的缓存是怎么实现的',
    ]) assert.equal(questionNeedsSearch(q, false), true, q);
  });

  it('does not search general questions, empty ones, or when the user attached code', () => {
    for (const q of ['What is a closure?', 'explain big-O notation', '什么是闭包？', '', '   ']) assert.equal(questionNeedsSearch(q, false), false, q);
    assert.equal(questionNeedsSearch('Where is the user session stored?', true), false);
  });

  it('reads the setting, anything unknown as mention', () => {
    assert.deepEqual(['auto', 'off', 'mention', 'x', undefined, 3].map(workspaceSearchMode), ['auto', 'off', 'mention', 'mention', 'mention', 'mention']);
  });

  it('gives the snippets what the window leaves, capped, or nothing when too little is left', () => {
    assert.equal(snippetBudget({ contextWindow: 32768, maxTokens: 8192, fixedTokens: 1000 }), MAX_SNIPPET_TOKENS);
    const tight = snippetBudget({ contextWindow: 32768, maxTokens: 8192, fixedTokens: 32768 - 8192 - 64 - 1000 });
    assert.equal(tight, 1000);
    assert.equal(snippetBudget({ contextWindow: 32768, maxTokens: 8192, fixedTokens: 32768 - 8192 - 64 - MIN_SNIPPET_TOKENS + 1 }), 0);
    fc.assert(fc.property(fc.integer({ min: 1024, max: 200000 }), fc.integer({ min: 1, max: 32768 }), fc.integer({ min: 0, max: 200000 }), (w, m, f) => {
      const b = snippetBudget({ contextWindow: w, maxTokens: m, fixedTokens: f });
      return b === 0 || (b >= MIN_SNIPPET_TOKENS && b <= MAX_SNIPPET_TOKENS && f + m + b <= w);
    }), seed);
  });

  it('fills the @workspace chip with whole snippets within the budget and lists them', () => {
    const hits = Array.from({ length: 30 }, (_, i) => ({
      path: `workspace/src/f${i % 7}.ts`, startLine: i * 20 + 1, endLine: i * 20 + 15,
      text: Array.from({ length: 15 }, (_, k) => `export const value${i}_${k} = computeSomething(${k}); // 第${k}行`).join('\n'),
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 8000 }), (budget) => {
      const { chip: filled, use } = fillWorkspaceChip(chip({ kind: 'workspace', label: '@workspace', text: '' }), hits, budget);
      assert.ok(estimateTokens(filled.text) <= budget, `${estimateTokens(filled.text)} > ${budget}`);
      assert.equal(use.refs.length, use.snippets);
      assert.equal(new Set(use.refs.map((r) => r.path)).size, use.files);
      for (const r of use.refs) {
        const hit = hits.find((h) => h.path === r.path && h.startLine === r.startLine);
        assert.ok(hit, 'a ref is a hit');
        assert.ok(filled.text.includes(`${r.path}:${r.startLine}-${r.endLine}\n\`\`\`\n${hit.text}\n\`\`\``), 'each snippet whole, with its place');
      }
      assert.equal(filled.text === '', use.snippets === 0);
      assert.equal(filled.omitted !== undefined, use.snippets < hits.length);
    }), seed);
  });
});

describe('chat context: what goes into the user message', () => {
  it('keeps the rules and an empty search out of the message, and finds the rules of a turn', () => {
    const rules = chip({ id: 'r', kind: 'rules', label: 'Rules', text: 'Use tabs.' });
    const empty = chip({ id: 'w', kind: 'workspace', label: '@workspace', text: '' });
    const file = chip({ id: 'f', text: 'let a = 1;' });
    assert.deepEqual([rules, empty, file].map(sentInMessage), [false, false, true]);
    const content = userMessageContent({ text: 'why?', context: [rules, empty, file] });
    assert.ok(!content.includes('Use tabs.'));
    assert.ok(content.includes('let a = 1;') && content.endsWith('why?'));
    assert.equal(userMessageContent({ text: 'why?', context: [rules] }), 'why?');
    assert.equal(rulesOf({ context: [file, rules] }), 'Use tabs.');
    assert.equal(rulesOf({ context: [file] }), undefined);
  });
});

describe('chat context: path:line references', () => {
  const folders = [{ name: 'workspace', path: '/w/app' }, { name: 'lib', path: '/w/lib' }];

  it('normalizes . and .. and refuses climbing out', () => {
    assert.equal(normalizeRelative('a/./b/../c'), 'a/c');
    assert.equal(normalizeRelative('../x'), undefined);
    assert.equal(normalizeRelative('a/../../x'), undefined);
  });

  it('looks in the folder the path names first, then in each folder', () => {
    assert.deepEqual(locationCandidates('lib/strings/slug.ts', folders), ['/w/lib/strings/slug.ts', '/w/app/lib/strings/slug.ts', '/w/lib/lib/strings/slug.ts']);
    assert.deepEqual(locationCandidates('src/util.py', folders), ['/w/app/src/util.py', '/w/lib/src/util.py']);
    assert.deepEqual(locationCandidates('./src\\util.py', folders), ['/w/app/src/util.py', '/w/lib/src/util.py']);
    assert.deepEqual(locationCandidates('`sample.ts`', folders), ['/w/app/sample.ts', '/w/lib/sample.ts']);
  });

  it('keeps absolute paths only inside a folder, and nothing that climbs out', () => {
    assert.deepEqual(locationCandidates('/w/app/sample.ts', folders), ['/w/app/sample.ts']);
    assert.deepEqual(locationCandidates('/etc/passwd', folders), []);
    assert.deepEqual(locationCandidates('/w/app/../../etc/passwd', folders), []);
    assert.deepEqual(locationCandidates('../../etc/passwd', folders), []);
    assert.deepEqual(locationCandidates('/w/application/x.ts', folders), []);
    assert.deepEqual(locationCandidates('x.ts', []), []);
    fc.assert(fc.property(fc.array(fc.constantFrom('..', '.', 'a', 'lib', 'w', 'etc', ''), { maxLength: 8 }), fc.boolean(), (parts, abs) => {
      const ref = `${abs ? '/' : ''}${parts.join('/')}`;
      return locationCandidates(ref, folders).every((c) => folders.some((f) => c.startsWith(`${f.path}/`)) && !c.split('/').includes('..'));
    }), seed);
  });
});
