// The workspace index's pure parts: terms, snippets, ranking, packing (src/core/search).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkLines, MAX_CHUNK_LINES } from '../../src/core/search/chunks';
import { packSnippets, snippetBlock, type SnippetText } from '../../src/core/search/pack';
import { splitIdentifier, termsOf } from '../../src/core/search/terms';
import { MAX_FILE_BYTES, WorkspaceIndex } from '../../src/core/search/workspaceIndex';
import { estimateTokens } from '../../src/core/budget/tokens';

describe('search terms', () => {
  it('split identifiers at case, underscores, dashes and digits', () => {
    assert.deepEqual(splitIdentifier('parseHTTPResponse2'), ['parse', 'HTTP', 'Response', '2']);
    assert.deepEqual(splitIdentifier('max_tokens'), ['max', 'tokens']);
    assert.deepEqual(splitIdentifier('user-auth'), ['user', 'auth']);
    assert.deepEqual(splitIdentifier('XMLParser'), ['XML', 'Parser']);
  });

  it('stem English words, so parsing/parser/parses meet; keep the whole identifier too', () => {
    const t = termsOf('parseConfigFile parsing configs');
    assert.ok(t.includes('parseconfigfile'));
    assert.equal(termsOf('parsing')[0], termsOf('parses')[0]);
    assert.equal(termsOf('configs')[0], termsOf('config')[0]);
  });

  it('cut Chinese into character pairs, Latin parts around it kept', () => {
    assert.deepEqual(termsOf('解析配置'), ['解析', '析配', '配置']);
    assert.ok(termsOf('读取config文件').includes('config'));
    assert.ok(termsOf('读取config文件').includes('文件'));
  });
});

describe('snippetBlock', () => {
  it('fences a snippet with more backticks than any run inside it, so it cannot close early', () => {
    const text = 'const md = `\n````ts\nx\n````\n`;';
    const block = snippetBlock({ path: 'src/a.ts', start: 0, end: 5, text });
    assert.ok(block.startsWith('src/a.ts:1-5\n`````\n') && block.endsWith('\n`````'), block);
  });
});

describe('chunkLines', () => {
  it('cuts at top-level declarations, with the comment above each', () => {
    const lines = [
      "import x from 'y';", '', '/** Adds. */', 'export function add(a, b) {', '  return a + b;', '}', '',
      '// Subtracts', 'function sub(a, b) {', '  const d = a - b;', '  return d;', '}', '', 'class Box {', '  open() {}', '  close() {}', '  size = 1;', '  w = 2;', '}',
    ];
    const chunks = chunkLines(lines);
    // the cuts fall on the comment above `sub` and on `class Box` (the import stays with `add`, too short alone)
    assert.deepEqual(chunks.map((c) => [lines[c.start], c.start, c.end]), [
      ["import x from 'y';", 0, 7], ['// Subtracts', 7, 13], ['class Box {', 13, lines.length],
    ]);
  });

  it('property: snippets cover every line once, in order, none longer than the limit', () => {
    const line = fc.oneof(fc.constantFrom('', '}', 'function f() {', 'def g(x):', '  body();', 'class C {', '# note', 'export const k = 1;'), fc.string({ maxLength: 30 }));
    fc.assert(fc.property(fc.array(line, { maxLength: 400 }), (lines) => {
      const chunks = chunkLines(lines);
      let at = 0;
      for (const c of chunks) {
        assert.equal(c.start, at);
        assert.ok(c.end > c.start && c.end - c.start <= MAX_CHUNK_LINES, JSON.stringify(c));
        at = c.end;
      }
      assert.equal(at, lines.length);
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 200 });
  });
});

describe('WorkspaceIndex', () => {
  const files: Record<string, string> = {
    'src/auth/session.ts': [
      'export function refreshAccessToken(session: Session): Promise<Token> {',
      '  const expiry = session.token.expiresAt;',
      '  if (Date.now() < expiry) return Promise.resolve(session.token);',
      '  return fetchToken(session.refreshToken);',
      '}',
    ].join('\n'),
    'src/config/load_settings.py': [
      'def load_user_settings(path):',
      '    """Reads the settings file of the user."""',
      '    with open(path) as f:',
      '        return json.load(f)',
    ].join('\n'),
    'src/ui/colorPicker.ts': [
      'export class ColorPicker {',
      '  pickHue(angle: number): string {',
      '    return `hsl(${angle}, 50%, 50%)`;',
      '  }',
      '}',
    ].join('\n'),
    'docs/说明.md': '# 配置文件\n\n读取用户配置文件的方法在 load_settings 里。\n',
  };

  function index(): WorkspaceIndex {
    const ix = new WorkspaceIndex();
    for (const [path, text] of Object.entries(files)) ix.setFile(path, text);
    return ix;
  }

  it('finds a function by a question that shares no exact identifier with it', () => {
    const ix = index();
    // "refreshing" / "access tokens" vs refreshAccessToken: camelCase split + stemming
    assert.equal(ix.query('where are access tokens refreshed?')[0]?.path, 'src/auth/session.ts');
    // "loading" / "setting" vs load_user_settings: snake_case split + stemming
    assert.equal(ix.query('code for loading a user setting')[0]?.path, 'src/config/load_settings.py');
    assert.equal(ix.query('how is a hue picked')[0]?.path, 'src/ui/colorPicker.ts');
    assert.equal(ix.query('用户配置文件在哪里读取')[0]?.path, 'docs/说明.md');
  });

  it('follows changes: a replaced file is found by its new text only, a removed one not at all', () => {
    const ix = index();
    ix.setFile('src/ui/colorPicker.ts', 'export function drawCircle(radius: number) {\n  return radius * 2;\n}\n');
    assert.notEqual(ix.query('pick a hue')[0]?.path, 'src/ui/colorPicker.ts');
    assert.equal(ix.query('draw circles')[0]?.path, 'src/ui/colorPicker.ts');
    ix.removeFile('src/ui/colorPicker.ts');
    assert.ok(!ix.query('draw circles').some((h) => h.path === 'src/ui/colorPicker.ts'));
    assert.equal(ix.files, Object.keys(files).length - 1);
  });

  it('searches the words of a file\'s label (the path the user sees) beside its text', () => {
    const ix = new WorkspaceIndex();
    assert.equal(ix.setFile('/home/me/proj/src/billing/x.ts', 'export const rate = 1;\n', 'src/billing/x.ts'), true);
    ix.setFile('/home/me/proj/src/other.ts', 'export const rate = 2;\n', 'src/other.ts');
    ix.setFile('/home/me/proj/docs/notes.md', 'Notes on billing.\n', 'docs/notes.md');
    const hits = ix.query('billing rate');
    assert.equal(hits[0]?.path, '/home/me/proj/src/billing/x.ts');
    assert.ok(hits.some((h) => h.path === '/home/me/proj/docs/notes.md'));
  });

  it('leaves out binary and huge files, and a question of only stop words finds nothing', () => {
    const ix = new WorkspaceIndex();
    assert.equal(ix.setFile('a.bin', 'abc\u0000def'), false);
    assert.equal(ix.setFile('big.js', 'x'.repeat(MAX_FILE_BYTES + 1)), false);
    assert.equal(ix.files, 0);
    assert.deepEqual(index().query('what is the'), []);
  });
});

describe('packSnippets', () => {
  const snip = (path: string, start: number, lines: number): SnippetText => ({ path, start, end: start + lines, text: Array.from({ length: lines }, (_, i) => `line ${start + i} of ${path}`).join('\n') });

  it('takes whole snippets best first within the budget, and orders them by file and line', () => {
    const ranked = [snip('b.ts', 10, 5), snip('a.ts', 0, 5), snip('b.ts', 0, 5), snip('c.ts', 0, 200)];
    const budget = ranked.slice(0, 3).reduce((t, s) => t + estimateTokens(snippetBlock(s)) + 1, 0);
    const p = packSnippets(ranked, budget);
    assert.deepEqual(p.snippets.map((s) => `${s.path}:${s.start}`), ['a.ts:0', 'b.ts:0', 'b.ts:10']);
    assert.equal(p.files, 2);
    assert.equal(p.leftOut, 1);
    assert.ok(p.tokens <= budget);
  });

  it('property: never over the budget, never a snippet cut', () => {
    const arb = fc.array(fc.record({ path: fc.constantFrom('a', 'b', 'c'), start: fc.nat(100), lines: fc.integer({ min: 1, max: 60 }) }), { maxLength: 30 });
    fc.assert(fc.property(arb, fc.nat(3000), (specs, budget) => {
      const ranked = specs.map((s) => snip(s.path, s.start, s.lines));
      const p = packSnippets(ranked, budget);
      assert.ok(p.tokens <= budget);
      for (const s of p.snippets) assert.ok(ranked.some((r) => r.path === s.path && r.start === s.start && r.text === s.text));
    }), { seed: Number(process.env.FC_SEED) || undefined, numRuns: 200 });
  });
});
