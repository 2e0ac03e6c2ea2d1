// `path:line` references in answers (src/common/chat/fileLinks.ts), which the chat view makes
// clickable: relative and absolute paths, Windows paths, line ranges and GitHub-style #L anchors,
// Chinese text around them, trailing punctuation; never URLs, hosts with ports, e-mail addresses,
// versions or times.
import assert from 'node:assert/strict';
import { fileRefOf, findFileRefs, formatFileRef } from '../../src/common/chat/fileLinks';

const refs = (text: string, known?: string[]) => findFileRefs(text, known && new Set(known)).map((r) => ({
  text: text.slice(r.start, r.end), path: r.path, line: r.line, ...(r.endLine !== undefined ? { endLine: r.endLine } : {}),
}));

describe('chat file links: path:line references', () => {
  it('finds relative paths with an extension and a line', () => {
    assert.deepEqual(refs('See src/util.py:12 for the loop.'), [{ text: 'src/util.py:12', path: 'src/util.py', line: 12 }]);
    assert.deepEqual(refs('util.py:3'), [{ text: 'util.py:3', path: 'util.py', line: 3 }]);
    assert.deepEqual(refs('./lib/a.test.ts:7 and ../b/c.go:9'), [
      { text: './lib/a.test.ts:7', path: './lib/a.test.ts', line: 7 },
      { text: '../b/c.go:9', path: '../b/c.go', line: 9 },
    ]);
    assert.deepEqual(refs('config in .eslintrc.json:4'), [{ text: '.eslintrc.json:4', path: '.eslintrc.json', line: 4 }]);
  });

  it('reads line ranges, line:column and #L anchors', () => {
    assert.deepEqual(refs('src/a.ts:3-9'), [{ text: 'src/a.ts:3-9', path: 'src/a.ts', line: 3, endLine: 9 }]);
    assert.deepEqual(refs('src/a.ts:3–9'), [{ text: 'src/a.ts:3–9', path: 'src/a.ts', line: 3, endLine: 9 }], 'an en dash');
    assert.deepEqual(refs('src/a.ts:12:5'), [{ text: 'src/a.ts:12:5', path: 'src/a.ts', line: 12 }], 'a column is no range');
    assert.deepEqual(refs('lib/x.go#L40'), [{ text: 'lib/x.go#L40', path: 'lib/x.go', line: 40 }]);
    assert.deepEqual(refs('lib/x.go#L40-L52'), [{ text: 'lib/x.go#L40-L52', path: 'lib/x.go', line: 40, endLine: 52 }]);
  });

  it('finds Windows and absolute paths', () => {
    assert.deepEqual(refs('at C:\\proj\\src\\a.cs:7'), [{ text: 'C:\\proj\\src\\a.cs:7', path: 'C:\\proj\\src\\a.cs', line: 7 }]);
    assert.deepEqual(refs('src\\util.py:12'), [{ text: 'src\\util.py:12', path: 'src\\util.py', line: 12 }]);
    assert.deepEqual(refs('d:/work/x.rs:1'), [{ text: 'd:/work/x.rs:1', path: 'd:/work/x.rs', line: 1 }]);
    assert.deepEqual(refs('/home/u/app/main.py:30'), [{ text: '/home/u/app/main.py:30', path: '/home/u/app/main.py', line: 30 }]);
  });

  it('leaves trailing punctuation out', () => {
    assert.deepEqual(refs('Look at src/a.ts:12.'), [{ text: 'src/a.ts:12', path: 'src/a.ts', line: 12 }]);
    assert.deepEqual(refs('(src/a.ts:12), [b.py:3]; "c.rb:4"!'), [
      { text: 'src/a.ts:12', path: 'src/a.ts', line: 12 },
      { text: 'b.py:3', path: 'b.py', line: 3 },
      { text: 'c.rb:4', path: 'c.rb', line: 4 },
    ]);
    assert.deepEqual(refs('known src/util.py.', ['src/util.py']), [{ text: 'src/util.py', path: 'src/util.py', line: 0 }]);
  });

  it('finds references inside Chinese text, with or without spaces', () => {
    assert.deepEqual(refs('问题在 src/util.py:12，请修改。'), [{ text: 'src/util.py:12', path: 'src/util.py', line: 12 }]);
    assert.deepEqual(refs('见src/a.ts:3-9中的循环'), [{ text: 'src/a.ts:3-9', path: 'src/a.ts', line: 3, endLine: 9 }]);
    assert.deepEqual(refs('（main.go:8）。'), [{ text: 'main.go:8', path: 'main.go', line: 8 }]);
  });

  it('never matches URLs, hosts with ports or e-mail addresses', () => {
    assert.deepEqual(refs('http://x:80'), []);
    assert.deepEqual(refs('https://example.com:8443/a.py:3'), []);
    assert.deepEqual(refs('https://github.com/o/r/blob/main/src/a.ts#L12'), []);
    assert.deepEqual(refs('file:///home/u/a.py:3'), []);
    assert.deepEqual(refs('connect to example.com:8080 or localhost:3000'), []);
    assert.deepEqual(refs('mail admin@host.io:25'), []);
    assert.deepEqual(refs('ftp://files.example.org/pub/readme.txt:4'), []);
  });

  it('never matches versions, times, ratios or bare words', () => {
    assert.deepEqual(refs('version v1.2:3, at 12.30:45, ratio 16:9, step 2:1, Note:12'), []);
    assert.deepEqual(refs('src/util.py without a line'), []);
    assert.deepEqual(refs('Makefile:3'), [], 'no extension, not known');
    assert.deepEqual(refs('src/a.ts:12abc'), []);
  });

  it('matches known paths (snippet refs) without an extension or a line', () => {
    assert.deepEqual(refs('Makefile:3', ['Makefile']), [{ text: 'Makefile:3', path: 'Makefile', line: 3 }]);
    assert.deepEqual(refs('see src/util.py for it', ['src/util.py']), [{ text: 'src/util.py', path: 'src/util.py', line: 0 }]);
    assert.deepEqual(refs('see src/other.py for it', ['src/util.py']), []);
  });

  it('takes inline code only when it is a reference whole', () => {
    assert.deepEqual(fileRefOf(' src/a.ts:3-9 '), { start: 0, end: 12, path: 'src/a.ts', line: 3, endLine: 9 });
    assert.equal(fileRefOf('python src/a.py:3'), undefined);
    assert.equal(fileRefOf('http://x:80'), undefined);
    assert.equal(fileRefOf('src/a.ts'), undefined);
    assert.deepEqual(fileRefOf('src/a.ts', new Set(['src/a.ts'])), { start: 0, end: 8, path: 'src/a.ts', line: 0 });
  });

  it('stays fast on long text without references', () => {
    const text = `${'word '.repeat(20000)}${'a/'.repeat(5000)}b ${'x'.repeat(50000)}: ${'1.2:3 '.repeat(5000)}`;
    const t0 = Date.now();
    assert.deepEqual(findFileRefs(text), []);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  });

  it('formats references', () => {
    assert.equal(formatFileRef('src/a.ts', 3, 9), 'src/a.ts:3-9');
    assert.equal(formatFileRef('src/a.ts', 3, 3), 'src/a.ts:3');
    assert.equal(formatFileRef('src/a.ts', 0), 'src/a.ts');
  });
});
