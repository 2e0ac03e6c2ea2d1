// The chat view's strings (src/common/chat/strings.ts) and their localization in the extension
// (src/extension/chat/webviewStrings.ts), plus the fence-language mapping the code blocks use.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CHAT_STRINGS, fmt, stringsWithDefaults } from '../../src/common/chat/strings';
import { fenceLanguage, languageIdForFence } from '../../src/common/markdown/languages';
import { commentSyntax, fenceMatchesLanguage, fenceTag, languageName } from '../../src/core/edit/languages';

const root = path.resolve(__dirname, '../../..');

/** `key: vscode.l10n.t('text')` pairs of webviewStrings.ts, read with the TypeScript parser. */
function localizedKeys(): Map<string, string> {
  const file = path.join(root, 'src/extension/chat/webviewStrings.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ts.isCallExpression(node.initializer)) {
      const call = node.initializer;
      const arg = call.arguments[0];
      if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 't' && arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
        found.set(node.name.text, arg.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('markdown: chat view strings', () => {
  it('localizes every key with its English default, and nothing else', () => {
    const localized = localizedKeys();
    assert.deepEqual([...localized.keys()].sort(), Object.keys(CHAT_STRINGS).sort());
    for (const [key, english] of Object.entries(CHAT_STRINGS)) assert.equal(localized.get(key), english, `webviewStrings.ts: ${key}`);
  });

  it('has a singular for every count of turns ("1 turns" never shows)', () => {
    const strings = CHAT_STRINGS as Record<string, string>;
    for (const [key, english] of Object.entries(strings)) {
      if (!/\{0\} turns/i.test(english)) continue;
      const singular = strings[`${key}One`] ?? (/Turns$/.test(key) ? strings[key.replace(/Turns$/, 'Turn')] : undefined);
      assert.ok(singular, `${key} ("${english}") has no singular`);
      assert.doesNotMatch(singular, /\{0\}|turns/i, `${key}'s singular`);
    }
  });

  it('has a Chinese translation for every string, with the same placeholders', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();
    for (const english of Object.values(CHAT_STRINGS)) {
      assert.ok(english in bundle, `no translation for ${JSON.stringify(english)}`);
      assert.deepEqual(placeholders(bundle[english]), placeholders(english), english);
    }
  });

  it('fills placeholders, leaving those without an argument', () => {
    assert.equal(fmt('≈{0} tokens · {1} left of {2}', '1,024', 30000, '32,768'), '≈1,024 tokens · 30000 left of 32,768');
    assert.equal(fmt('{0} and {1}', 'a'), 'a and {1}');
    assert.equal(fmt('{1}{0}{1}', 'x', 'y'), 'yxy');
  });

  it('falls back to the English default for a key the extension did not send', () => {
    const t = stringsWithDefaults({ send: '发送' });
    assert.equal(t('send'), '发送');
    assert.equal(t('stop'), 'Stop');
    assert.equal(t('thoughtFor', 12), 'Thought for 12 s');
  });
});

describe('markdown: fence languages', () => {
  it('maps info strings to VS Code language ids', () => {
    const cases: [string, string][] = [
      ['ts', 'typescript'], ['TypeScript', 'typescript'], ['tsx', 'typescriptreact'], ['py', 'python'], ['c++', 'cpp'], ['C#', 'csharp'],
      ['sh', 'shellscript'], ['bash', 'shellscript'], ['yml', 'yaml'], ['html', 'html'], ['golang', 'go'], ['', 'plaintext'],
      ['js title="a.js"', 'javascript'], ['ts:src/app.ts', 'typescript'], ['{.python}', 'python'], ['elm', 'elm'],
    ];
    for (const [info, id] of cases) assert.equal(languageIdForFence(info), id, info);
  });

  it('takes the first word of the info string', () => {
    assert.equal(fenceLanguage('  python   linenums '), 'python');
    assert.equal(fenceLanguage('rust,ignore'), 'rust');
  });

  it('never hands out Object.prototype members for a fence or language named like one (constructor, __proto__, toString…)', () => {
    const names = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__defineGetter__'];
    for (const name of names) {
      for (const info of [name, `${name} title="x"`, name.toUpperCase()]) {
        const id = languageIdForFence(info);
        assert.equal(typeof id, 'string', `languageIdForFence(${JSON.stringify(info)})`);
        assert.equal(typeof fenceTag(id), 'string', `fenceTag(${JSON.stringify(id)})`);
        assert.equal(typeof languageName(id), 'string', `languageName(${JSON.stringify(id)})`);
        assert.equal(typeof fenceMatchesLanguage(info, id), 'boolean');
        const syntax = commentSyntax(id);
        assert.ok(Array.isArray(syntax.line), `commentSyntax(${JSON.stringify(id)}).line`);
      }
    }
  });
});
