// What the workspace index leaves out and how snippets widen: exclude settings as globs,
// .gitignore files as git reads them, whole functions from symbols (src/core/search).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { GitignoreRules } from '../../src/core/search/gitignore';
import { ExcludeMatcher, excludeGlob, excludePatterns, expandBraces, globToRegExp, SECRET_FILE_PATTERNS } from '../../src/core/search/globs';
import { joinSpans, MAX_WIDENED_LINES, widenToSymbols } from '../../src/core/search/widen';

describe('exclude settings', () => {
  it('keeps the usual homes of keys and passwords out of the search, and nothing else', () => {
    const secrets = new ExcludeMatcher(SECRET_FILE_PATTERNS);
    for (const p of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'deploy/tls.key', 'home/.ssh/id_rsa', 'id_ed25519.pub',
      '.npmrc', 'pkg/.npmrc', '.aws/credentials', 'k8s/secrets.yaml', 'android/app/release.keystore']) {
      assert.equal(secrets.excludes(p), true, p);
    }
    for (const p of ['src/env.ts', 'src/environment.py', 'docs/keys.md', 'src/key.ts', 'src/secrets/reader.ts', 'README.md', 'monkey.js']) {
      assert.equal(secrets.excludes(p), false, p);
    }
    // one glob for findFiles, none of them nested in braces
    const glob = excludeGlob([...SECRET_FILE_PATTERNS]);
    assert.ok(glob && !/\{[^}]*\{/.test(glob), glob);
  });

  it('keep the patterns set to true, once each, and leave out false and `when` clauses', () => {
    const files = { '**/.git': true, '**/.DS_Store': true, '**/*.js': { when: '$(basename).ts' }, 'out': false };
    const search = { '**/node_modules': true, '**/.git': true, '': true, '  ': true };
    assert.deepEqual(excludePatterns(files, search, undefined, null), ['**/.git', '**/.DS_Store', '**/node_modules']);
  });

  it('expand braces, nested ones too, and keep unbalanced ones as they are', () => {
    assert.deepEqual(expandBraces('**/*.{js,ts}'), ['**/*.js', '**/*.ts']);
    assert.deepEqual(expandBraces('{a,b{c,d}}/x'), ['a/x', 'bc/x', 'bd/x']);
    assert.deepEqual(expandBraces('{a,b}{1,2}'), ['a1', 'a2', 'b1', 'b2']);
    assert.deepEqual(expandBraces('a{b'), ['a{b']);
    assert.deepEqual(expandBraces('plain/**'), ['plain/**']);
    // too many alternatives: left as it is
    assert.deepEqual(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'), ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}']);
  });

  it('make one findFiles glob without nested braces, each pattern also as a folder', () => {
    assert.equal(excludeGlob([]), undefined);
    assert.equal(excludeGlob(['**/x/**']), '**/x/**');
    const glob = excludeGlob(['**/node_modules', '**/*.{png,jpg}', 'dist/'])!;
    assert.equal(glob, '{**/node_modules,**/node_modules/**,**/*.png,**/*.png/**,**/*.jpg,**/*.jpg/**,dist,dist/**}');
    assert.equal(glob.slice(1, -1).includes('{'), false);
  });

  it('match globs as VS Code does: * within a segment, ** across, ? one character, classes, braces', () => {
    const yes = (g: string, p: string) => assert.ok(globToRegExp(g).test(p), `${g} should match ${p}`);
    const no = (g: string, p: string) => assert.ok(!globToRegExp(g).test(p), `${g} should not match ${p}`);
    yes('**/node_modules', 'node_modules');
    yes('**/node_modules', 'a/b/node_modules');
    no('**/node_modules', 'a/node_modules_x');
    yes('*.ts', 'a.ts');
    no('*.ts', 'src/a.ts');
    yes('**/*.ts', 'src/deep/a.ts');
    yes('src/**', 'src/a/b.ts');
    yes('a/**/b', 'a/b');
    yes('a/**/b', 'a/x/y/b');
    yes('file?.md', 'file1.md');
    no('file?.md', 'file12.md');
    yes('[ab].txt', 'a.txt');
    no('[!ab].txt', 'a.txt');
    yes('**/*.{js,ts}', 'x/y.js');
    yes('a.b+c(d)', 'a.b+c(d)');
    no('a.b', 'axb');
  });

  it('exclude a path when it or one of its folders matches', () => {
    const m = new ExcludeMatcher(['**/node_modules', 'build/', '**/*.log']);
    assert.equal(m.excludes('node_modules/x/index.js'), true);
    assert.equal(m.excludes('pkg/node_modules/x.js'), true);
    assert.equal(m.excludes('build/out.js'), true);
    assert.equal(m.excludes('src/build/out.js'), false);
    assert.equal(m.excludes('logs/a.log'), true);
    assert.equal(m.excludes('src/main.ts'), false);
    assert.equal(new ExcludeMatcher([]).excludes('anything'), false);
  });
});

describe('.gitignore rules', () => {
  const rules = (files: Record<string, string>) => new GitignoreRules((dir) => files[dir]);

  it('apply each file to the paths under its folder, relative to it', () => {
    const r = rules({ '': 'dist/\n*.log\n/top.txt\n', 'pkg': 'generated/\nlocal.ts\n' });
    assert.equal(r.ignores('dist/a.js'), true);
    assert.equal(r.ignores('pkg/dist/a.js'), true);
    assert.equal(r.ignores('a.log'), true);
    assert.equal(r.ignores('deep/b.log'), true);
    assert.equal(r.ignores('top.txt'), true);
    assert.equal(r.ignores('sub/top.txt'), false);
    assert.equal(r.ignores('pkg/generated/x.ts'), true);
    assert.equal(r.ignores('pkg/local.ts'), true);
    assert.equal(r.ignores('local.ts'), false);
    assert.equal(r.ignores('other/generated/x.ts'), false);
    assert.equal(r.ignores('src/main.ts'), false);
  });

  it('let a deeper file re-include a file, but nothing under an ignored folder', () => {
    const r = rules({ '': '*.gen.ts\nvendor/\n', 'keep': '!*.gen.ts\n', 'vendor': '!*.js\n' });
    assert.equal(r.ignores('a.gen.ts'), true);
    assert.equal(r.ignores('keep/a.gen.ts'), false);
    assert.equal(r.ignores('vendor/lib.js'), true);
  });

  it('read each .gitignore once, and again after forget()', () => {
    const reads: string[] = [];
    const files: Record<string, string> = { '': 'a.txt\n' };
    const r = new GitignoreRules((dir) => {
      reads.push(dir);
      return files[dir];
    });
    r.ignores('x/y/a.txt');
    r.ignores('x/y/b.txt');
    assert.deepEqual(reads.sort(), ['', 'x', 'x/y']);
    files[''] = 'b.txt\n';
    r.forget('');
    assert.equal(r.ignores('b.txt'), true);
    assert.equal(r.ignores('a.txt'), false);
  });

  it('agrees with git (`git ls-files --others --ignored`) on random trees of .gitignore files', function () {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    const dirs = ['', 'a', 'a/b', 'c'];
    const names = ['x.ts', 'y.log', 'gen.ts', 'keep.log'];
    const line = fc.constantFrom('*.log', '!keep.log', 'b/', 'gen.ts', '/x.ts', 'a/', '!gen.ts', '*.ts', '!*.ts', 'c', '# comment', '');
    const tree = fc.record({ '': fc.array(line, { maxLength: 4 }), a: fc.array(line, { maxLength: 4 }), 'a/b': fc.array(line, { maxLength: 4 }), c: fc.array(line, { maxLength: 4 }) });
    fc.assert(fc.property(tree, (t) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitignore-'));
      try {
        execFileSync('git', ['init', '-q'], { cwd: root, env: { ...process.env, HOME: root, XDG_CONFIG_HOME: root, GIT_CONFIG_NOSYSTEM: '1' } });
        const files: string[] = [];
        const contents: Record<string, string> = {};
        for (const d of dirs) {
          fs.mkdirSync(path.join(root, d), { recursive: true });
          const text = (t as Record<string, string[]>)[d].join('\n');
          if (text) {
            fs.writeFileSync(path.join(root, d, '.gitignore'), `${text}\n`);
            contents[d] = `${text}\n`;
          }
          for (const n of names) {
            const f = d ? `${d}/${n}` : n;
            fs.writeFileSync(path.join(root, f), 'x');
            files.push(f);
          }
        }
        // what git itself lists as ignored (no global or system excludes)
        const env = { ...process.env, HOME: root, XDG_CONFIG_HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
        const out = execFileSync('git', ['ls-files', '--others', '--ignored', '--exclude-standard'], { cwd: root, env }).toString();
        const gitIgnored = new Set(out.split('\n').filter(Boolean));
        const r = new GitignoreRules((dir) => contents[dir]);
        for (const f of files) assert.equal(r.ignores(f), gitIgnored.has(f), `${f} with ${JSON.stringify(contents)}`);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 40 });
  });
});

describe('widening snippets to whole functions', () => {
  it('takes the functions a snippet cuts into, the smallest first, within the limit', () => {
    // a snippet [10, 90) that cuts into a function [80, 130) inside a class [0, 400)
    const symbols = [{ start: 0, end: 400 }, { start: 80, end: 130 }, { start: 12, end: 20 }];
    assert.deepEqual(widenToSymbols({ start: 10, end: 90 }, symbols), { start: 10, end: 130 });
    // a function too long to take whole is left cut
    assert.deepEqual(widenToSymbols({ start: 10, end: 90 }, [{ start: 80, end: 300 }]), { start: 10, end: 90 });
    // a snippet inside a method grows to the method, and to its small class
    assert.deepEqual(widenToSymbols({ start: 5, end: 8 }, [{ start: 3, end: 12 }, { start: 0, end: 40 }]), { start: 0, end: 40 });
    assert.deepEqual(widenToSymbols({ start: 5, end: 8 }, []), { start: 5, end: 8 });
  });

  it('property: the result covers the snippet, is never longer than the limit unless the snippet was, and only grows to symbol edges', () => {
    const span = fc.tuple(fc.nat(300), fc.integer({ min: 1, max: 150 })).map(([s, n]) => ({ start: s, end: s + n }));
    fc.assert(fc.property(span, fc.array(span, { maxLength: 8 }), (hit, symbols) => {
      const w = widenToSymbols(hit, symbols);
      assert.ok(w.start <= hit.start && w.end >= hit.end);
      if (hit.end - hit.start <= MAX_WIDENED_LINES) assert.ok(w.end - w.start <= MAX_WIDENED_LINES);
      assert.ok(w.start === hit.start || symbols.some((s) => s.start === w.start));
      assert.ok(w.end === hit.end || symbols.some((s) => s.end === w.end));
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 300 });
  });

  it('joins overlapping snippets of a file into the better one, and drops those inside it', () => {
    const joined = joinSpans([
      { path: 'a', start: 0, end: 50 },
      { path: 'b', start: 0, end: 10 },
      { path: 'a', start: 10, end: 20 },
      { path: 'a', start: 40, end: 70 },
      { path: 'a', start: 60, end: 200 },
    ]);
    assert.deepEqual(joined.map((j) => [j.path, j.start, j.end, j.from]), [['a', 0, 70, [0, 2, 3]], ['b', 0, 10, [1]], ['a', 60, 200, [4]]]);
  });
});
