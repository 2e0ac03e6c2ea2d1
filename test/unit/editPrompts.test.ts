// The messages of the editor commands (src/core/edit/prompts.ts): what they ask for, how the code
// is framed, the language of "explain", and that a code answer in the asked-for shape cleans back.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { applyThinkingMode } from '../../src/core/hunyuan/request';
import { cleanCodeAnswer, cleanPartialCodeAnswer, commonIndent } from '../../src/core/edit/clean';
import { findCommentAt, insertionPointAfter } from '../../src/core/edit/comments';
import {
  describeDiagnostic, describeIndent, editSelectionPrompt, explainPrompt, fixDiagnosticPrompt, fixInstruction, generateFromCommentPrompt,
  toMessages,
} from '../../src/core/edit/prompts';
import { fenceMatchesLanguage, fenceTag } from '../../src/core/edit/languages';

describe('edit: editSelectionPrompt', () => {
  const input = {
    instruction: '  make it async  ',
    code: '    const data = load(path);\r\n    return parse(data);',
    languageId: 'typescript',
    path: 'src/io.ts',
    before: 'export function read(path: string) {\n',
    after: '}\n',
    startLine: 2,
    endLine: 3,
  };

  it('asks for code only, as one fenced block, in the system message', () => {
    const { system } = editSelectionPrompt(input);
    assert.match(system, /exactly one fenced code block/i);
    assert.match(system, /nothing outside it/i);
    assert.match(system, /replaces exactly the selected lines/i);
    assert.match(system, /never repeat it/i);
  });

  it('labels the file, the context and the selection, and puts the instruction last', () => {
    const { user } = editSelectionPrompt(input);
    assert.ok(user.startsWith('File: `src/io.ts` (TypeScript)\n'));
    const before = user.indexOf('Code before the selection, for context only');
    const selected = user.indexOf('Selected code (lines 2-3), to rewrite:\n```typescript\n    const data = load(path);\n    return parse(data);\n```');
    const after = user.indexOf('Code after the selection, for context only');
    const instruction = user.indexOf('Instruction: make it async\n');
    assert.ok(before >= 0 && before < selected && selected < after && after < instruction, user);
    assert.ok(user.endsWith('Reply with the complete rewritten selection only, in one ```typescript block, and nothing else. Indent it with 4 spaces, as the file does there.'));
    assert.ok(!user.includes('\r'), 'line breaks are \\n in the prompt');
  });

  it('leaves out empty context, and says when the selection is empty', () => {
    const { user } = editSelectionPrompt({ ...input, code: '', before: '  \n', after: undefined, startLine: 5, endLine: 5 });
    assert.ok(!user.includes('for context only'));
    assert.ok(user.includes('The selection (line 5) is empty: write new code there.'));
  });

  it('uses fences longer than any backtick run in the code, and asks for the same', () => {
    const code = 'Some text\n```js\nx();\n```';
    const { user } = editSelectionPrompt({ ...input, languageId: 'markdown', code, before: '', after: '' });
    assert.ok(user.includes(`\`\`\`\`markdown\n${code}\n\`\`\`\``));
    assert.ok(user.includes('in one ````markdown block'));
  });

  it('sends the messages in the order the model expects; fast mode prefixes the user message', () => {
    const messages = applyThinkingMode(toMessages(editSelectionPrompt(input)), 'fast');
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user']);
    assert.ok(messages[1].content.startsWith('/no_think File:'));
  });
});

describe('edit: generateFromCommentPrompt', () => {
  const input = {
    comment: '    # Return the n-th Fibonacci number iteratively.',
    languageId: 'python',
    path: 'fib.py',
    before: 'import math\n\nclass Maths:\n',
    after: '\n    def other(self):\n        pass\n',
    indent: '    ',
    eol: '\r\n' as const,
  };

  it('asks for the code the comment wants, inserted below it, without repeating it', () => {
    const { system, user } = generateFromCommentPrompt(input);
    assert.match(system, /inserted on the line right below the comment: do not repeat the comment/);
    assert.ok(user.includes('The comment:\n```python\n    # Return the n-th Fibonacci number iteratively.\n```'));
    assert.ok(user.includes('Code above the comment, for context only'));
    assert.ok(user.includes('Code below the comment, for context only'));
    assert.ok(user.endsWith('Reply with the new code only, in one ```python block, and nothing else. Indent it with 4 spaces, as the file does there.'));
  });

  it('shows the comment once when the code above already ends with it', () => {
    const { user } = generateFromCommentPrompt({ ...input, before: `${input.before}${input.comment}\n` });
    assert.equal(user.split('Fibonacci').length - 1, 1);
  });

  it('says so when the code goes at column 0, or with tabs', () => {
    assert.ok(generateFromCommentPrompt({ ...input, indent: '' }).user.endsWith('It starts at column 0 (no indentation).'));
    assert.ok(generateFromCommentPrompt({ ...input, indent: '\t\t' }).user.endsWith('Indent it with 2 tabs, as the file does there.'));
  });
});

describe('edit: fixDiagnosticPrompt', () => {
  it('builds the instruction from the message, severity, source and code', () => {
    const d = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, source: 'ts', code: 2322, line: 12 };
    assert.equal(describeDiagnostic(d), "error (ts 2322) at line 12: Type 'string' is not assignable to type 'number'.");
    assert.equal(describeDiagnostic({ message: 'Unused variable\n  x', severity: 'warning', source: 'eslint', code: '' }), 'warning (eslint): Unused variable x');
    const { system, user } = fixDiagnosticPrompt({ diagnostics: d, code: 'let n: number = "1";', languageId: 'typescript', path: 'a.ts' });
    assert.match(system, /replaces exactly the selected lines/);
    assert.ok(user.includes("Instruction: Fix this problem: error (ts 2322) at line 12: Type 'string' is not assignable to type 'number'."));
    assert.ok(user.includes('smallest change'));
  });

  it('lists several problems, and adds what the user said', () => {
    const text = fixInstruction([{ message: 'a' }, { message: 'b', severity: 'hint' }], 'keep the API');
    assert.equal(text.split('\n')[0], 'Fix these problems:');
    assert.ok(text.includes('- error: a\n- hint: b'));
    assert.ok(text.endsWith('keep the API'));
  });
});

describe('edit: explainPrompt', () => {
  const input = { code: 'const x = a ?? b;', languageId: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 9, displayLanguage: 'en' };

  it('asks in English with the code as a chat chip, prose allowed', () => {
    const p = explainPrompt({ ...input, enclosingKind: 'Method', enclosingName: 'load' });
    assert.equal(p.question, 'Explain this code from `src/a.ts`, lines 3-9 (in the method `load`): what it does, how it works, and anything to watch out for.');
    assert.ok(p.user.startsWith('Selection from src/a.ts, lines 3-9 (typescript):\n```typescript\nconst x = a ?? b;\n```\n\n'));
    assert.ok(p.user.endsWith(p.question));
    assert.match(p.system, /Reply in the language the user writes in/);
    assert.match(p.system, /what it does/);
  });

  it('asks in Simplified Chinese for a zh display language', () => {
    for (const displayLanguage of ['zh-cn', 'zh-tw', 'ZH']) {
      const p = explainPrompt({ ...input, displayLanguage, startLine: 4, endLine: 4, enclosingKind: 'function' });
      assert.equal(p.question, '请解释 `src/a.ts` 第 4 行的这段代码（位于函数中）：它做什么、如何工作，以及需要注意的地方。');
      assert.match(p.system, /Reply in Simplified Chinese/);
    }
  });

  it('answers in an explicit language whatever the display language', () => {
    const p = explainPrompt({ ...input, displayLanguage: 'zh-cn', answerLanguage: 'English' });
    assert.ok(p.question.endsWith('请用English回答。'));
    assert.match(p.system, /Answer in English\.$/);
    assert.doesNotMatch(p.system, /Simplified Chinese/);
  });
});

describe('edit: prompts and cleaning together', () => {
  it('describes indentation', () => {
    assert.equal(describeIndent(''), undefined);
    assert.equal(describeIndent(' '), '1 space');
    assert.equal(describeIndent('\t  '), '1 tab then 2 spaces');
  });

  it('asks for a fence tag that the cleaner recognises as the document\'s language', () => {
    for (const id of ['typescript', 'typescriptreact', 'javascriptreact', 'python', 'shellscript', 'csharp', 'cpp', 'go', 'rust', 'plaintext', 'objective-c', 'yaml', 'sql']) {
      assert.ok(fenceMatchesLanguage(fenceTag(id), id), id);
    }
  });

  it('an answer in the requested shape cleans to the code, whatever the code', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('typescript', 'python', 'markdown', 'shellscript'), (raw, languageId) => {
        const code = raw.replace(/\r\n?/g, '\n');
        fc.pre(code.trim() !== '' && code.split('\n').every((l) => l.trim() !== '/no_think'));
        const { user } = editSelectionPrompt({ instruction: 'keep', code, languageId, path: 'x' });
        // The reply line names the fence to use: answer with it.
        const fence = /in one (`{3,})(\S*) block/.exec(user);
        assert.ok(fence);
        const answer = `${fence[1]}${fence[2]}\n${code}\n${fence[1]}`;
        assert.equal(cleanCodeAnswer(answer, { languageId, eol: '\n', original: code }), code);
      }),
      { numRuns: 300 },
    );
  });

  it('generate from comment, end to end: find, prompt, clean the echoed and dedented answer, insert', () => {
    const document = 'class Cart {\r\n  items: number[] = [];\r\n\r\n  // total of all items, 0 when empty\r\n\r\n}\r\n';
    const lines = document.split('\r\n');
    const comment = findCommentAt(lines, 4, 'typescript');
    assert.ok(comment);
    assert.equal(comment.text, 'total of all items, 0 when empty');
    const at = insertionPointAfter(comment, lines);
    assert.deepEqual(at, { line: 4, indent: '  ', atEndOfDocument: false });
    const commentSource = lines.slice(comment.startLine, comment.endLine + 1).join('\n');
    const before = lines.slice(0, comment.startLine).join('\n');
    const after = lines.slice(at.line).join('\n');
    const { user } = generateFromCommentPrompt({ comment: commentSource, languageId: 'typescript', path: 'cart.ts', before, after, indent: at.indent, eol: '\r\n' });
    assert.ok(user.includes('Indent it with 2 spaces'));
    // What a model may well answer: a lead-in, the comment repeated, the code at column 0.
    const answer = 'Here is the implementation:\n\n```typescript\n// total of all items, 0 when empty\ntotal(): number {\n  return this.items.reduce((a, b) => a + b, 0);\n}\n```';
    const opts = { languageId: 'typescript', eol: '\r\n' as const, originalIndent: at.indent, trailingNewline: true, contextBefore: `${before}\n${commentSource}`, contextAfter: after };
    const code = cleanCodeAnswer(answer, opts);
    assert.equal(code, '  total(): number {\r\n    return this.items.reduce((a, b) => a + b, 0);\r\n  }\r\n');
    const inserted = [...lines.slice(0, at.line), code.replace(/\r\n$/, '').split('\r\n'), ...lines.slice(at.line)].flat().join('\r\n');
    assert.equal(commonIndent(inserted.split('\r\n').slice(1, -2)), '  ');
    // While streaming, the echoed comment never shows.
    for (let i = 0; i <= answer.length; i++) assert.ok(!cleanPartialCodeAnswer(answer.slice(0, i), opts).includes('//'));
  });

  it('edit selection, end to end: a chatty, dedented CRLF answer becomes the exact replacement', () => {
    const original = '        if (user) {\r\n            greet(user);\r\n        }\r\n';
    const { user } = editSelectionPrompt({ instruction: '加上 null 检查并记录日志', code: original, languageId: 'javascript', path: 'a.js', before: 'function f(user) {\r\n    try {\r\n', after: '    } catch {}\r\n}' });
    assert.ok(user.includes('Indent it with 8 spaces'));
    const answer = '好的，以下是修改后的代码：\r\n\r\n```javascript\r\nif (user != null) {\r\n    console.log("greeting", user);\r\n    greet(user);\r\n}\r\n```\r\n\r\n说明：\r\n1. 使用 `!= null` 同时排除 null 和 undefined。\r\n';
    assert.equal(cleanCodeAnswer(answer, { languageId: 'javascript', eol: '\r\n', original }),
      '        if (user != null) {\r\n            console.log("greeting", user);\r\n            greet(user);\r\n        }\r\n');
  });
});

