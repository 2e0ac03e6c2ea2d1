// Finding the comment "generate from comment" works from, per language family, and where the
// generated code goes (src/core/edit/comments.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { CommentBlock, findCommentAt, insertionPointAfter } from '../../src/core/edit/comments';

const doc = (text: string): string[] => text.split('\n');

/** The comment found with the cursor on each of `lines`, as [startLine, endLine, text]. */
function found(text: string, line: number, languageId: string): [number, number, string] | undefined {
  const c = findCommentAt(doc(text), line, languageId);
  return c && [c.startLine, c.endLine, c.text];
}

describe('edit: findCommentAt, line comments', () => {
  const ts = [
    'import x from "x";', //                 0
    '', //                                   1
    '// Return the sum of the numbers,', //  2
    '// skipping NaN values.', //            3
    '', //                                   4
    'export function f() {}', //             5
  ].join('\n');

  it('finds consecutive // lines as one block from any of them', () => {
    assert.deepEqual(found(ts, 2, 'typescript'), [2, 3, 'Return the sum of the numbers,\nskipping NaN values.']);
    assert.deepEqual(found(ts, 3, 'typescript'), [2, 3, 'Return the sum of the numbers,\nskipping NaN values.']);
  });

  it('finds it from the blank line right below', () => {
    assert.deepEqual(found(ts, 4, 'typescript'), [2, 3, 'Return the sum of the numbers,\nskipping NaN values.']);
  });

  it('finds nothing on code, or on a blank line below code', () => {
    assert.equal(found(ts, 0, 'typescript'), undefined);
    assert.equal(found(ts, 1, 'typescript'), undefined);
    assert.equal(found(ts, 5, 'typescript'), undefined);
  });

  it('gives the comment\'s indentation and keeps relative indentation in its text', () => {
    const c = findCommentAt(doc('class A {\n    // steps:\n    //   1. parse\n    //   2. check\n}'), 2, 'java') as CommentBlock;
    assert.equal(c.indent, '    ');
    assert.equal(c.text, 'steps:\n  1. parse\n  2. check');
    assert.equal(c.kind, 'line');
  });

  it('allows up to three blank lines between the comment and the cursor', () => {
    const text = '// make a server\n\n\n\n\n';
    assert.deepEqual(found(text, 3, 'javascript'), [0, 0, 'make a server']);
    assert.equal(found(text, 4, 'javascript'), undefined);
  });

  it('ignores a comment after code on the same line', () => {
    assert.equal(found('foo(); // not an instruction\n', 0, 'typescript'), undefined);
    assert.equal(found('foo(); // not an instruction\n', 1, 'typescript'), undefined);
  });

  it('does not take a marker inside a string for a comment', () => {
    assert.equal(found('const url = "http://example.com";\n', 1, 'typescript'), undefined);
    assert.equal(found("s = 'a # b'\n", 1, 'python'), undefined);
    assert.equal(found('const a = "/*";\n// real comment\n', 1, 'typescript')?.[2], 'real comment');
  });

  it('separates blocks by blank lines and by different markers', () => {
    const php = '<?php\n// first\n\n# second\n// third\n';
    assert.deepEqual(found(php, 3, 'php'), [3, 3, 'second']);
    assert.deepEqual(found(php, 4, 'php'), [4, 4, 'third']);
    assert.deepEqual(found(php, 1, 'php'), [1, 1, 'first']);
  });

  it('knows the markers of each language family', () => {
    const cases: [string, string, string][] = [
      ['c', '// allocate the buffer', 'allocate the buffer'],
      ['cpp', '/// doc comment', 'doc comment'],
      ['csharp', '// parse the header', 'parse the header'],
      ['go', '// Handler serves /health', 'Handler serves /health'],
      ['rust', '//! crate docs', 'crate docs'],
      ['kotlin', '// data class for users', 'data class for users'],
      ['swift', '// a view model', 'a view model'],
      ['php', '# legacy style', 'legacy style'],
      ['python', '# read the csv file', 'read the csv file'],
      ['shellscript', '# back up the database', 'back up the database'],
      ['ruby', '# memoize the lookup', 'memoize the lookup'],
      ['yaml', '# add a redis service', 'add a redis service'],
      ['perl', '# slurp the file', 'slurp the file'],
      ['r', '## plot the residuals', 'plot the residuals'],
      ['sql', '-- top 10 customers by revenue', 'top 10 customers by revenue'],
      ['lua', '-- load the config', 'load the config'],
      ['haskell', '-- | fold the tree', '| fold the tree'],
      ['lisp', ';; reverse the list', 'reverse the list'],
      ['clojure', '; a reducer', 'a reducer'],
      ['ini', '; database section', 'database section'],
      ['asm', '; zero the register', 'zero the register'],
      ['latex', '% a table of results', 'a table of results'],
      ['matlab', '% normalise the rows', 'normalise the rows'],
      ['vb', "' open the workbook", 'open the workbook'],
      ['some-unknown-language', '# fallback marker', 'fallback marker'],
    ];
    for (const [languageId, line, text] of cases) {
      assert.deepEqual(found(`${line}\n`, 1, languageId), [0, 0, text], languageId);
    }
  });

  it('does not mistake #-lines that are not comments', () => {
    assert.equal(found('#!/bin/bash\n', 1, 'shellscript'), undefined);
    assert.equal(found('#[Attribute]\n', 1, 'php'), undefined);
    assert.equal(found('#include <stdio.h>\n', 1, 'c'), undefined);
    assert.equal(found('echo $# args\n', 1, 'shellscript'), undefined);
  });
});

describe('edit: findCommentAt, block comments', () => {
  it('finds a JSDoc block and strips its stars', () => {
    const text = '/**\n * Debounce `fn` by `ms`.\n *\n * @param fn the function\n */\n';
    for (const line of [0, 1, 2, 3, 4, 5]) {
      assert.deepEqual(found(text, line, 'typescript'), [0, 4, 'Debounce `fn` by `ms`.\n\n@param fn the function'], `line ${line}`);
    }
    assert.equal(findCommentAt(doc(text), 0, 'typescript')?.kind, 'block');
  });

  it('finds one-line and indented /* */ comments', () => {
    assert.deepEqual(found('int x;\n  /* swap a and b */\n', 2, 'c'), [1, 1, 'swap a and b']);
    const block = 'fn main() {\n    /*\n       spawn a thread\n       and join it\n    */\n}';
    assert.deepEqual(found(block, 3, 'rust'), [1, 4, 'spawn a thread\nand join it']);
    assert.equal(findCommentAt(doc(block), 2, 'rust')?.indent, '    ');
  });

  it('follows nested comments where the language nests them', () => {
    const hs = '{- outer\n   {- inner -}\n   still outer -}\nmain = pure ()';
    assert.deepEqual(found(hs, 2, 'haskell'), [0, 2, 'outer\n{- inner -}\nstill outer']);
    assert.deepEqual(found('/* a /* b */ c */\n', 1, 'rust'), [0, 0, 'a /* b */ c']);
  });

  it('does not take a block comment after code for an instruction', () => {
    assert.equal(found('x = 1; /* note */\n', 0, 'c'), undefined);
    assert.equal(found('/* note */ x = 1;\n', 0, 'c'), undefined);
  });

  it('finds HTML comments', () => {
    assert.deepEqual(found('<ul>\n  <!-- a list of three links -->\n</ul>', 1, 'html'), [1, 1, 'a list of three links']);
    assert.deepEqual(found('<!--\n  nav bar\n-->\n\n', 3, 'vue'), [0, 2, 'nav bar']);
  });

  it('finds Python docstrings, and only standalone ones', () => {
    const py = 'def area(r):\n    """Return the area of a circle of radius r."""\n    \n';
    assert.deepEqual(found(py, 2, 'python'), [1, 1, 'Return the area of a circle of radius r.']);
    const multi = "class Stack:\n    '''\n    A LIFO stack\n    backed by a list.\n    '''\n";
    assert.deepEqual(found(multi, 3, 'python'), [1, 4, 'A LIFO stack\nbacked by a list.']);
    assert.deepEqual(found('x = r"""raw\n"""\n', 1, 'python'), undefined);
    assert.deepEqual(found('s = """\n# not a comment\n"""\n', 1, 'python'), undefined);
  });

  it('finds Ruby =begin/=end, Lua --[[ ]] and MATLAB %{ %}', () => {
    assert.deepEqual(found('=begin\nparse the args\n=end\n', 1, 'ruby'), [0, 2, 'parse the args']);
    assert.deepEqual(found('--[[\n  retry three times\n]]\n', 3, 'lua'), [0, 2, 'retry three times']);
    assert.deepEqual(found('--[==[ levels ]] inside ]==]\n', 0, 'lua'), [0, 0, 'levels ]] inside']);
    assert.deepEqual(found('%{\nplot the data\n%}\n', 1, 'matlab'), [0, 2, 'plot the data']);
    assert.deepEqual(found('/* top\n   ten */\nSELECT 1;', 1, 'sql'), [0, 1, 'top\nten']);
  });

  it('takes a block comment still being typed up to the next blank line', () => {
    const text = 'const a = 1;\n/**\n * fetch the user\n\nconst b = 2;';
    const c = findCommentAt(doc(text), 2, 'typescript') as CommentBlock;
    assert.deepEqual([c.startLine, c.endLine, c.text, c.unclosed], [1, 2, 'fetch the user', true]);
  });

  it('accepts CRLF lines', () => {
    assert.deepEqual(found('// one\r\n// two\r\n\r\n', 2, 'go'), [0, 1, 'one\ntwo']);
  });

  it('is total: any line of any text gives a block containing or right above it, or nothing', () => {
    const line = fc.constantFrom('', '  ', '// a', '  // b', '/* c', 'd */', '/* e */', 'x = 1;', '"/*"', '# f', '"""', "'''", 'g = """h"""', '--[[', ']]');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.nat(), fc.constantFrom('typescript', 'python', 'lua', 'ruby', 'haskell', 'cobol'), (lines, n, languageId) => {
        const at = n % lines.length;
        const c = findCommentAt(lines, at, languageId);
        if (!c) return;
        assert.ok(c.startLine <= c.endLine && c.endLine < lines.length);
        assert.ok(c.startLine <= at, 'the comment starts at or above the cursor');
        if (at > c.endLine) {
          assert.ok(at - c.endLine <= 3 && lines.slice(c.endLine + 1, at + 1).every((l) => l.trim() === ''), 'only blank lines between');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('edit: insertionPointAfter', () => {
  it('goes on the line after the comment, at its indentation', () => {
    const lines = doc('function f() {\n  // log the call\n\n  return 1;\n}');
    const c = findCommentAt(lines, 1, 'javascript') as CommentBlock;
    assert.deepEqual(insertionPointAfter(c, lines), { line: 2, indent: '  ', atEndOfDocument: false });
  });

  it('takes the next line\'s indentation when it is deeper (a comment above a body)', () => {
    const lines = doc('def f():\n# validate the input\n    pass');
    const c = findCommentAt(lines, 1, 'python') as CommentBlock;
    assert.deepEqual(insertionPointAfter(c, lines), { line: 2, indent: '    ', atEndOfDocument: false });
  });

  it('keeps the comment\'s indentation when the next line is shallower', () => {
    const lines = doc('class A:\n    def f(self):\n        """Return 42."""\n\nclass B: pass');
    const c = findCommentAt(lines, 3, 'python') as CommentBlock;
    assert.deepEqual(insertionPointAfter(c, lines), { line: 3, indent: '        ', atEndOfDocument: false });
  });

  it('says when the comment ends the document', () => {
    const lines = doc('x = 1\n# print x');
    const c = findCommentAt(lines, 1, 'python') as CommentBlock;
    assert.deepEqual(insertionPointAfter(c, lines), { line: 2, indent: '', atEndOfDocument: true });
  });
});
