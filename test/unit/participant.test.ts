// The pure parts of `@hunyuan` (src/core/participant): the prompts per command, the history, the
// fence that closes a cut answer, test-framework detection and doc-comment conventions.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ContextChip } from '../../src/common/chat/model';
import { analyzeCodeAnswer } from '../../src/core/edit/clean';
import { docConvention } from '../../src/core/participant/docComments';
import { closingFence, participantHistory, participantPrompt, type TargetCode } from '../../src/core/participant/prompts';
import { detectTestFramework, type ProjectFile } from '../../src/core/participant/testFramework';

function chip(over: Partial<ContextChip> = {}): ContextChip {
  return {
    id: 'c', kind: 'selection', uri: 'file:///w/src/math.ts', label: 'src/math.ts', languageId: 'typescript',
    startLine: 2, endLine: 4, text: 'export function add(a: number, b: number): number {\n  return a - b;\n}', ...over,
  };
}

const target = (over: Partial<TargetCode> = {}): TargetCode => ({
  chip: chip(), before: '// math helpers', after: 'export const two = add(1, 1);', ...over,
});

describe('participant prompts', () => {
  it('sends a plain question with its attached code, path, lines and language', () => {
    const p = participantPrompt({ prompt: 'what does this do?', references: [chip()], displayLanguage: 'en' });
    assert.match(p.user, /Selection from src\/math\.ts, lines 2-4 \(typescript\):\n```typescript\nexport function add/);
    assert.match(p.user, /what does this do\?$/);
    assert.match(p.system, /Hunyuan Coder/);
    assert.equal(p.proposesTarget, false);
  });

  it('/explain reuses the explain prompt (question naming path and lines, in the display language)', () => {
    const en = participantPrompt({ command: 'explain', prompt: 'focus on the sign', references: [chip()], displayLanguage: 'en' });
    assert.match(en.user, /Explain this code from `src\/math\.ts`, lines 2-4/);
    assert.match(en.user, /focus on the sign/);
    assert.match(en.system, /When asked to explain code/);
    const zh = participantPrompt({ command: 'explain', prompt: '', references: [chip()], displayLanguage: 'zh-cn' });
    assert.match(zh.user, /请解释 `src\/math\.ts` 第 2-4 行/);
    assert.match(zh.system, /Simplified Chinese/);
  });

  it('/fix on a target asks for the whole selection in one block, with the context labelled and the diagnostics', () => {
    const p = participantPrompt({
      command: 'fix', prompt: 'keep the signature', references: [chip({ uri: 'file:///w/other.ts', label: 'other.ts', kind: 'file', text: 'import { add } from "./math";' })],
      target: target({ diagnostics: [{ message: 'Wrong operator', severity: 'warning', source: 'lint', line: 3 }] }), displayLanguage: 'en',
    });
    assert.equal(p.proposesTarget, true);
    assert.match(p.user, /File other\.ts \(typescript\)/, 'other attachments come along');
    assert.match(p.user, /Code before the selected code, for context only[^\n]*\n```typescript\n\/\/ math helpers\n```/);
    assert.match(p.user, /The selected code \(lines 2-4\):\n```typescript\nexport function add/);
    assert.match(p.user, /Code after the selected code, for context only/);
    assert.match(p.user, /Fix this problem: warning \(lint\) at line 3: Wrong operator/);
    assert.match(p.user, /keep the signature/);
    assert.match(p.user, /complete fixed selection in one ```typescript block/);
    assert.match(p.system, /When asked to fix code/);
  });

  it('/fix without diagnostics asks to find the bugs; without a target it answers in prose', () => {
    const withTarget = participantPrompt({ command: 'fix', prompt: '', references: [], target: target(), displayLanguage: 'en' });
    assert.match(withTarget.user, /Task: Find and fix the bugs in the selected code\./);
    const none = participantPrompt({ command: 'fix', prompt: '', references: [chip()], displayLanguage: 'en' });
    assert.equal(none.proposesTarget, false);
    assert.match(none.user, /Find and fix the bugs in the attached code/);
  });

  it('an answer in the asked-for /fix shape cleans to the fixed selection (prose before the block ignored)', () => {
    const answer = 'The operator was wrong.\n\n```typescript\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```';
    const result = analyzeCodeAnswer(answer, { languageId: 'typescript', eol: '\n', original: chip().text });
    assert.equal(result.code, 'export function add(a: number, b: number): number {\n  return a + b;\n}');
  });

  it('/doc names the language\'s convention and asks for the code unchanged', () => {
    const ts = participantPrompt({ command: 'doc', prompt: '', references: [], target: target(), displayLanguage: 'en' });
    assert.equal(ts.proposesTarget, true);
    assert.match(ts.user, /as JSDoc:/);
    assert.match(ts.user, /the code itself unchanged/);
    const py = participantPrompt({
      command: 'doc', prompt: '', references: [],
      target: target({ chip: chip({ languageId: 'python', label: 'src/util.py', text: 'def fib(n):\n    return n' }) }), displayLanguage: 'en',
    });
    assert.match(py.user, /as docstrings \(PEP 257/);
    assert.match(py.user, /```python\ndef add/, 'the example is in the language');
  });

  it('/tests names the detected framework and where it was found, or says it is a default', () => {
    const fw = detectTestFramework([{ path: '/w/package.json', content: JSON.stringify({ devDependencies: { vitest: '^2' } }) }], 'typescript');
    const p = participantPrompt({ command: 'tests', prompt: 'only the happy path', references: [chip()], displayLanguage: 'en', testFramework: fw });
    assert.match(p.user, /Use Vitest \(the project uses it: package\.json devDependencies\)/);
    assert.match(p.user, /from 'vitest'/);
    assert.match(p.user, /only the happy path/);
    const py = participantPrompt({ command: 'tests', prompt: '', references: [chip({ languageId: 'python' })], displayLanguage: 'en', testFramework: detectTestFramework([], 'python') });
    assert.match(py.user, /Use unittest \(no test framework was found in the project/);
  });

  it('attaches string values as notes', () => {
    const p = participantPrompt({ prompt: 'why?', references: [], notes: ['terminal: npm ERR! missing script'], displayLanguage: 'en' });
    assert.match(p.user, /Also attached:\n- terminal: npm ERR! missing script/);
  });
});

describe('participant history', () => {
  it('keeps questions and answers, alternating, and drops a last unanswered question', () => {
    const h = participantHistory([
      { role: 'assistant', text: 'orphan' },
      { role: 'user', text: '/explain what is this' },
      { role: 'assistant', text: 'An adder.' },
      { role: 'user', text: 'first' },
      { role: 'user', text: 'second' },
      { role: 'assistant', text: '  ' },
      { role: 'assistant', text: 'Both.' },
      { role: 'user', text: 'failed one' },
    ]);
    assert.deepEqual(h, [
      { role: 'user', content: '/explain what is this' },
      { role: 'assistant', content: 'An adder.' },
      { role: 'user', content: 'first\n\nsecond' },
      { role: 'assistant', content: 'Both.' },
    ]);
  });
});

describe('closingFence', () => {
  it('closes an open block with its own fence, and nothing when all are closed', () => {
    assert.equal(closingFence('text\n```ts\ncode'), '\n```\n');
    assert.equal(closingFence('````md\n```\ninner\n```\n'), '````\n');
    assert.equal(closingFence('~~~\nx\n'), '~~~\n');
    assert.equal(closingFence('```ts\ncode\n```\ndone'), '');
    assert.equal(closingFence('inline ```not a fence``` here'), '');
    assert.equal(closingFence('```ts\na\n``` not closing\n'), '```\n');
  });

  it('after any answer, what follows the closing fence is outside every block', () => {
    const piece = fc.constantFrom('```ts', '```', '~~~', '````', 'code', '', '  ```', 'text ```x```');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (lines) => {
      const md = lines.join('\n');
      const closed = md + closingFence(md);
      assert.equal(closingFence(`${closed}\nusage line`), '', JSON.stringify(md));
    }));
  });
});

describe('test framework detection', () => {
  const pkg = (o: object): ProjectFile => ({ path: 'package.json', content: JSON.stringify(o) });

  it('reads package.json dependencies, then scripts, then config files', () => {
    assert.equal(detectTestFramework([pkg({ devDependencies: { jest: '29', typescript: '5' } })], 'typescript')?.id, 'jest');
    assert.equal(detectTestFramework([pkg({ devDependencies: { 'ts-jest': '29' } })], 'typescript')?.id, 'jest');
    const mocha = detectTestFramework([pkg({ devDependencies: { mocha: '11', chai: '5' } })], 'javascript');
    assert.equal(mocha?.id, 'mocha');
    assert.match(mocha?.conventions ?? '', /chai/);
    assert.equal(detectTestFramework([pkg({ scripts: { test: 'vitest run' } })], 'typescript')?.id, 'vitest');
    assert.equal(detectTestFramework([pkg({ scripts: { test: 'node --test dist/' } })], 'javascript')?.evidence, 'package.json scripts');
    assert.equal(detectTestFramework([{ path: 'a/jest.config.js', content: '' }], 'javascript')?.id, 'jest');
    const none = detectTestFramework([pkg({ dependencies: { express: '4' } })], 'typescript');
    assert.deepEqual([none?.id, none?.detected], ['node-test', false]);
    assert.equal(detectTestFramework([{ path: 'package.json', content: '{ not json' }], 'typescript')?.detected, false);
  });

  it('takes the nearest package.json (the first given)', () => {
    const files = [pkg({ devDependencies: { vitest: '2' } }), { path: '/root/package.json', content: JSON.stringify({ devDependencies: { jest: '29' } }) }];
    assert.equal(detectTestFramework(files, 'typescript')?.id, 'vitest');
  });

  it('Python: pytest from its config or requirements, else unittest', () => {
    assert.equal(detectTestFramework([{ path: 'pyproject.toml', content: '[tool.pytest.ini_options]\naddopts = "-q"' }], 'python')?.id, 'pytest');
    assert.equal(detectTestFramework([{ path: 'requirements-dev.txt', content: 'black\npytest>=8\n' }], 'python')?.evidence, 'requirements-dev.txt');
    assert.equal(detectTestFramework([{ path: 'pytest.ini', content: '' }], 'python')?.detected, true);
    assert.deepEqual([detectTestFramework([{ path: 'pyproject.toml', content: '[project]\nname = "x"' }], 'python')?.id], ['unittest']);
  });

  it('Go, Rust, Java, Ruby, PHP; nothing for an unknown language', () => {
    const go = detectTestFramework([{ path: 'go.mod', content: 'module x\nrequire github.com/stretchr/testify v1.9.0' }], 'go');
    assert.match(go?.name ?? '', /testify/);
    assert.match(go?.conventions ?? '', /_test\.go/);
    assert.equal(detectTestFramework([{ path: 'Cargo.toml', content: '[package]' }], 'rust')?.id, 'cargo-test');
    assert.equal(detectTestFramework([{ path: 'pom.xml', content: '<artifactId>junit-jupiter</artifactId>' }], 'java')?.id, 'junit5');
    assert.equal(detectTestFramework([{ path: 'pom.xml', content: '<groupId>junit</groupId><artifactId>junit</artifactId>' }], 'java')?.id, 'junit4');
    assert.equal(detectTestFramework([{ path: 'Gemfile', content: "gem 'rspec'" }], 'ruby')?.id, 'rspec');
    assert.equal(detectTestFramework([{ path: 'composer.json', content: '{"require-dev":{"phpunit/phpunit":"^11"}}' }], 'php')?.detected, true);
    assert.equal(detectTestFramework([], 'markdown'), undefined);
  });
});

describe('doc comment conventions', () => {
  it('per language, with a general fallback', () => {
    assert.equal(docConvention('typescript').name, 'JSDoc');
    assert.equal(docConvention('python').placement, 'inside');
    assert.match(docConvention('go').rules, /starting with the name/);
    assert.equal(docConvention('rust').name, 'rustdoc');
    assert.equal(docConvention('cpp').name, 'Doxygen');
    assert.match(docConvention('csharp').example, /<summary>/);
    assert.equal(docConvention('toString').placement, 'before', 'no prototype lookups');
    assert.match(docConvention('cobol').name, /usual documentation comments/);
  });
});
