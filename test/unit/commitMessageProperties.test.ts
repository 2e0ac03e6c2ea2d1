// Property tests of the commit message's pure parts on generated diffs: many files, big hunks,
// CRLF, Chinese text and paths (quoted as git quotes them), renames, binary files, deletions, lock
// files, lines that look like headers. Parsing loses nothing; packing never cuts a hunk and always
// fits the budget; the prompt's fence is never closed by the diff.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { estimateTokens } from '../../src/core/budget/tokens';
import { cleanCommitMessage } from '../../src/core/scm/clean';
import { parseDiff } from '../../src/core/scm/diff';
import { packDiff } from '../../src/core/scm/pack';
import { commitUserPrompt, fenceFor } from '../../src/core/scm/prompt';
import { detectStyle, styleRules } from '../../src/core/scm/style';

type Kind = 'modify' | 'add' | 'delete' | 'rename' | 'binary';
interface LineSpec {
  op: ' ' | '+' | '-';
  text: string;
}
interface FileSpec {
  path: string;
  oldPath: string;
  kind: Kind;
  eol: '\n' | '\r\n';
  hunks: LineSpec[][];
  noNewlineAtEnd: boolean;
}

/** Git's quoting: paths with bytes outside printable ASCII, quotes or backslashes go in "…" with octal escapes. */
function quote(p: string): string {
  if (!/[^\x20-\x7e]|["\\]/.test(p)) return p;
  let out = '"';
  for (const b of Buffer.from(p, 'utf8')) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b < 0x20 || b > 0x7e) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}
const side = (prefix: 'a/' | 'b/', p: string) => quote(prefix + p);
const marker = (prefix: 'a/' | 'b/', p: string) => side(prefix, p) + (p.includes(' ') ? '\t' : '');

function renderFile(f: FileSpec): string {
  const a = f.kind === 'rename' ? f.oldPath : f.path;
  let out = `diff --git ${side('a/', a)} ${side('b/', f.path)}\n`;
  if (f.kind === 'add') out += 'new file mode 100644\nindex 0000000..1234567\n';
  else if (f.kind === 'delete') out += 'deleted file mode 100644\nindex 1234567..0000000\n';
  else if (f.kind === 'rename') out += `similarity index 87%\nrename from ${quote(f.oldPath)}\nrename to ${quote(f.path)}\nindex 1234567..89abcde 100644\n`;
  else out += 'index 1234567..89abcde 100644\n';
  if (f.kind === 'binary') return out + `Binary files ${side('a/', a)} and ${side('b/', f.path)} differ\n`;
  if (f.kind === 'rename' && f.hunks.length === 0) return out;
  out += `--- ${f.kind === 'add' ? '/dev/null' : marker('a/', a)}\n+++ ${f.kind === 'delete' ? '/dev/null' : marker('b/', f.path)}\n`;
  let oldStart = 1;
  f.hunks.forEach((lines, h) => {
    const old = lines.filter((l) => l.op !== '+').length;
    const nu = lines.filter((l) => l.op !== '-').length;
    out += `@@ -${f.kind === 'add' ? 0 : oldStart},${old} +${f.kind === 'delete' ? 0 : oldStart},${nu} @@ function f${h}()\n`;
    lines.forEach((l, i) => {
      out += `${l.op}${l.text}${f.eol}`;
      if (f.noNewlineAtEnd && h === f.hunks.length - 1 && i === lines.length - 1) out += '\\ No newline at end of file\n';
    });
    oldStart += old + 10;
  });
  return out;
}

const word = fc.oneof(
  fc.constantFrom('src', 'lib', 'test', 'docs', 'node_modules', 'dist', '中文', '说明', 'my file', 'a"b', 'x\\y'),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
);
const pathArb = fc
  .tuple(fc.array(word, { minLength: 0, maxLength: 3 }), word, fc.constantFrom('.ts', '.md', '.json', '.lock', '.min.js', ''))
  .map(([dirs, name, ext]) => [...dirs, name + ext].join('/'))
  .chain((p) => fc.constant(p === 'package-lock' ? 'package-lock.json' : p));

const lineText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.constantFrom('-- looks like a header', '++ b/also', 'diff --git a/x b/x', '@@ -1 +1 @@', '```ts', '提交信息：不是答案', '  indented 中文 代码', '') },
).map((s) => s.replace(/[\r\n]/g, ' '));

const hunkArb = fc.array(fc.record({ op: fc.constantFrom<LineSpec['op']>(' ', '+', '-'), text: lineText }), { minLength: 1, maxLength: 40 });
const bigHunkArb = fc.array(fc.record({ op: fc.constantFrom<LineSpec['op']>(' ', '+', '-'), text: lineText }), { minLength: 100, maxLength: 300 });

const fileArb: fc.Arbitrary<FileSpec> = fc
  .record({
    path: pathArb,
    oldPath: pathArb,
    kind: fc.constantFrom<Kind>('modify', 'modify', 'modify', 'add', 'delete', 'rename', 'binary'),
    eol: fc.constantFrom<FileSpec['eol']>('\n', '\r\n'),
    hunks: fc.array(fc.oneof({ weight: 8, arbitrary: hunkArb }, { weight: 1, arbitrary: bigHunkArb }), { minLength: 0, maxLength: 5 }),
    noNewlineAtEnd: fc.boolean(),
  })
  .map((f) => {
    let hunks = f.hunks;
    if (f.kind === 'binary') hunks = [];
    else if (f.kind === 'add') hunks = [hunks.flat().map((l) => ({ ...l, op: '+' as const }))].filter((h) => h.length);
    else if (f.kind === 'delete') hunks = [hunks.flat().map((l) => ({ ...l, op: '-' as const }))].filter((h) => h.length);
    if (!hunks.length && (f.kind === 'modify' || f.kind === 'add' || f.kind === 'delete')) hunks = [[{ op: f.kind === 'delete' ? '-' : '+', text: 'x' }]];
    return { ...f, hunks, oldPath: f.oldPath === f.path ? `${f.oldPath}.old` : f.oldPath };
  });

const diffArb = fc.array(fileArb, { minLength: 1, maxLength: 30 }).map((files) => ({ files, raw: files.map(renderFile).join('') }));

/** Hunks of `packedText` as parsed, each as "path\ntext". */
function sentHunks(packedText: string): string[] {
  return parseDiff(packedText).flatMap((f) => f.hunks.map((h) => `${f.path}\n${h.text}`));
}

describe('commit message properties', () => {
  it('parsing a diff loses nothing: every file with its path, kind, hunks and counts', () => {
    fc.assert(
      fc.property(diffArb, ({ files, raw }) => {
        const parsed = parseDiff(raw);
        assert.equal(parsed.map((f) => f.header + f.hunks.map((h) => h.text).join('')).join(''), raw);
        assert.equal(parsed.length, files.length);
        parsed.forEach((p, i) => {
          const spec = files[i];
          assert.equal(p.path, spec.path);
          if (spec.kind === 'rename') {
            assert.equal(p.status, 'renamed');
            assert.equal(p.oldPath, spec.oldPath);
          }
          assert.equal(p.binary, spec.kind === 'binary');
          assert.equal(p.hunks.length, spec.hunks.length);
          assert.equal(p.added, spec.hunks.flat().filter((l) => l.op === '+').length);
          assert.equal(p.removed, spec.hunks.flat().filter((l) => l.op === '-').length);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('packing never cuts a hunk and always fits the budget; a diff that fits is sent verbatim', () => {
    let partlyIncluded = 0;
    fc.assert(
      fc.property(diffArb, fc.oneof(fc.double({ min: 0, max: 1.3, noNaN: true }), fc.double({ min: 0.6, max: 1, noNaN: true })), ({ raw }, share) => {
        const files = parseDiff(raw);
        const whole = estimateTokens(raw);
        const budget = Math.floor(whole * share);
        const packed = packDiff(raw, files, budget);
        assert.ok(estimateTokens(packed.text) <= budget, `${estimateTokens(packed.text)} tokens over the budget of ${budget}`);
        assert.equal(packed.tokens, estimateTokens(packed.text));
        if (budget >= whole) assert.equal(packed.summarized, false);
        if (!packed.summarized) {
          assert.equal(packed.text, raw);
          return;
        }
        const originals = new Set(files.flatMap((f) => f.hunks.map((h) => `${f.path}\n${h.text}`)));
        const sent = sentHunks(packed.text);
        if (packed.hunksIncluded > 0 && packed.hunksIncluded < packed.hunksTotal) partlyIncluded++;
        assert.equal(sent.length, packed.hunksIncluded);
        for (const h of sent) assert.ok(originals.has(h), `a hunk not whole, or not from the diff: ${JSON.stringify(h.slice(0, 200))}`);
        assert.ok(packed.filesListed <= files.length);
        if (packed.hunksIncluded > 0) assert.equal(packed.filesListed, files.length, 'hunks only once every file is listed');
      }),
      { numRuns: 100 },
    );
    // the generated cases do exercise the summary with some hunks in and some out
    assert.ok(partlyIncluded >= 20, `only ${partlyIncluded} of 100 cases had some hunks in and some out`);
  });

  it('the prompt\'s fence is longer than any backtick run in the diff', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', '\n', '中') }), (diff) => {
        const fence = fenceFor(diff);
        assert.ok(!diff.includes(fence));
        const user = commitUserPrompt({ diff, summarized: false, staged: true, subjects: [], style: detectStyle([]), language: 'en' });
        assert.ok(user.endsWith(`\n${fence}`));
      }),
    );
  });

  it('style detection and cleaning take any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { maxLength: 20 }), (messages) => {
        const style = detectStyle(messages);
        for (const rule of styleRules(style)) assert.equal(typeof rule, 'string');
        for (const m of messages) {
          for (const partial of [true, false]) {
            const cleaned = cleanCommitMessage(m, { partial });
            assert.equal(cleaned, cleaned.replace(/\s+$/, ''), 'no trailing blanks');
            assert.ok(!/\n\s*\n\s*\n/.test(cleaned), 'no runs of blank lines');
            assert.ok(!cleaned.includes('\r'));
          }
        }
      }),
    );
  });
});
