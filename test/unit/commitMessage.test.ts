// The pure parts of "Generate Commit Message" (src/core/scm): diffs from a real git repository cut
// into files and hunks, the summary of a diff too large for the budget, the style read from commit
// subjects, the prompt, and the cleaning of the model's answer.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimateTokens } from '../../src/core/budget/tokens';
import { cleanCommitMessage } from '../../src/core/scm/clean';
import { parseDiff, unquotePath } from '../../src/core/scm/diff';
import { fileSummaryLine, packDiff, SUMMARY_INTRO } from '../../src/core/scm/pack';
import { commitLanguage, commitSystemPrompt, commitUserPrompt, fenceFor } from '../../src/core/scm/prompt';
import { detectStyle, styleRules, subjectText } from '../../src/core/scm/style';

const root = path.resolve(__dirname, '../../..');

/** A scratch git repository; `git(...)` runs in it. */
function scratchRepo(): { dir: string; git: (...args: string[]) => string; write: (file: string, text: string | Buffer) => void; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-commit-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'core.autocrlf=false', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  git('init', '-q');
  return {
    dir,
    git,
    write: (file, text) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('commit message: diff parsing (real git output)', () => {
  let repo: ReturnType<typeof scratchRepo>;
  before(() => {
    repo = scratchRepo();
    repo.write('src/a.ts', Array.from({ length: 40 }, (_, i) => `export const v${i} = ${i};\n`).join(''));
    repo.write('crlf.txt', 'one\r\ntwo\r\nthree\r\n');
    repo.write('中文/说明.md', '# 标题\n\n第一行\n');
    repo.write('old name.txt', Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(''));
    repo.write('gone.txt', 'bye\n');
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0, 255]));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'feat: start');
    // changes: two hunks in a.ts, CRLF, Chinese, a rename with an edit, a deletion, a binary, a new file
    const a = fs.readFileSync(path.join(repo.dir, 'src/a.ts'), 'utf8').split('\n');
    a[2] = 'export const v2 = "two";';
    a[35] = '-- a line that starts like a header';
    repo.write('src/a.ts', a.join('\n'));
    repo.write('crlf.txt', 'one\r\nTWO\r\nthree\r\n');
    repo.write('中文/说明.md', '# 标题\n\n第一行，改过了\n');
    repo.git('mv', 'old name.txt', 'new name.txt');
    repo.write('new name.txt', Array.from({ length: 20 }, (_, i) => `line ${i}${i === 19 ? ' (last)' : ''}\n`).join(''));
    repo.git('rm', '-q', 'gone.txt');
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 0, 0, 255]));
    repo.write('added.ts', 'export {};\n');
    repo.git('add', '-A');
  });
  after(() => repo.remove());

  it('cuts the staged diff into files and whole hunks, losing nothing', () => {
    const raw = repo.git('diff', '--cached');
    const files = parseDiff(raw);
    assert.equal(files.map((f) => f.header + f.hunks.map((h) => h.text).join('')).join(''), raw, 'header + hunks of every file give back the diff');
    const byPath = new Map(files.map((f) => [f.path, f]));
    assert.deepEqual([...byPath.keys()].sort(), ['added.ts', 'crlf.txt', 'gone.txt', 'logo.png', 'new name.txt', 'src/a.ts', '中文/说明.md']);
    assert.equal(byPath.get('src/a.ts')?.hunks.length, 2);
    assert.equal(byPath.get('src/a.ts')?.status, 'modified');
    assert.equal(byPath.get('new name.txt')?.status, 'renamed');
    assert.equal(byPath.get('new name.txt')?.oldPath, 'old name.txt');
    assert.equal(byPath.get('gone.txt')?.status, 'deleted');
    assert.equal(byPath.get('added.ts')?.status, 'added');
    assert.equal(byPath.get('logo.png')?.binary, true);
    assert.equal(byPath.get('logo.png')?.hunks.length, 0);
    assert.match(byPath.get('crlf.txt')?.hunks[0].text ?? '', /\+TWO\r\n/, 'CRLF lines keep their \\r');
    // the counts agree with git's own
    for (const line of repo.git('diff', '--cached', '--numstat', '-z').split('\0').filter(Boolean)) {
      const [added, removed, p] = line.split('\t');
      if (added === '-' || !p) continue;
      const file = byPath.get(p);
      assert.ok(file, `numstat names ${p}`);
      assert.deepEqual([file.added, file.removed], [Number(added), Number(removed)], p);
    }
  });

  it('undoes git\'s quoting of unusual paths', () => {
    assert.equal(unquotePath('"\\344\\270\\255\\346\\226\\207/\\350\\257\\264\\346\\230\\216.md"'), '中文/说明.md');
    assert.equal(unquotePath('"tab\\there"'), 'tab\there');
    assert.equal(unquotePath('plain.txt'), 'plain.txt');
  });

  it('summarizes a diff over the budget: every file listed, whole hunks only, within the budget', () => {
    const raw = repo.git('diff', '--cached');
    const files = parseDiff(raw);
    const whole = estimateTokens(raw);
    assert.equal(packDiff(raw, files, whole).text, raw, 'a diff that fits is sent verbatim');
    const budget = Math.floor(whole * 0.8);
    const packed = packDiff(raw, files, budget);
    assert.ok(packed.summarized);
    assert.ok(estimateTokens(packed.text) <= budget);
    assert.ok(packed.text.startsWith(SUMMARY_INTRO));
    for (const f of files) assert.ok(packed.text.includes(fileSummaryLine(f)), `lists ${f.path}`);
    assert.ok(packed.text.includes('R old name.txt -> new name.txt (+1 -1)'));
    assert.ok(packed.text.includes('B logo.png (binary)'));
    assert.ok(packed.hunksIncluded > 0 && packed.hunksIncluded < packed.hunksTotal, `${packed.hunksIncluded} of ${packed.hunksTotal}`);
    const sent = parseDiff(packed.text);
    const originals = new Set(files.flatMap((f) => f.hunks.map((h) => `${f.path}\n${h.text}`)));
    assert.equal(sent.flatMap((f) => f.hunks).length, packed.hunksIncluded);
    for (const f of sent) for (const h of f.hunks) assert.ok(originals.has(`${f.path}\n${h.text}`), `a whole hunk of ${f.path}`);
  });

  it('puts lock files last: their hunks give way to source hunks', () => {
    const srcRaw = repo.git('diff', '--cached', '--', 'src/a.ts');
    const lockLines = Array.from({ length: 100 }, (_, i) => `-    "dep${i}": "1.0.${i}",\n+    "dep${i}": "1.1.${i}",\n`).join('');
    const lockRaw =
      'diff --git a/package-lock.json b/package-lock.json\n--- a/package-lock.json\n+++ b/package-lock.json\n' +
      `@@ -1,102 +1,102 @@\n {\n${lockLines} }\n`;
    const raw = srcRaw + lockRaw;
    const files = parseDiff(raw);
    assert.equal(files[1].hunks.length, 1);
    // room for everything but half the lock file's hunk
    const budget = estimateTokens(raw) - Math.floor(estimateTokens(files[1].hunks[0].text) / 2);
    const packed = packDiff(raw, files, budget);
    assert.ok(packed.summarized);
    assert.ok(estimateTokens(packed.text) <= budget);
    assert.ok(packed.text.includes('M package-lock.json (+100 -100, generated)'));
    for (const h of files[0].hunks) assert.ok(packed.text.includes(h.text), 'every source hunk is in');
    assert.ok(!packed.text.includes('"dep0"'), 'the lock file hunk gave way, whole');
  });

  it('with a tiny budget, lists what fits and says how many more files there are; with none, sends nothing', () => {
    const raw = repo.git('diff', '--cached');
    const files = parseDiff(raw);
    const intro = estimateTokens(`${SUMMARY_INTRO}\n\nChanged files (${files.length}):\n… and ${files.length} more files (+99 -99)\n`);
    const packed = packDiff(raw, files, intro + 12);
    assert.ok(packed.filesListed < files.length);
    assert.match(packed.text, /… and \d+ more files \(\+\d+ -\d+\)\n$/);
    assert.ok(estimateTokens(packed.text) <= intro + 12);
    assert.deepEqual(packDiff(raw, files, 5).text, '');
  });
});

describe('commit message: style of the recent commits', () => {
  it('recognizes Conventional Commits, their types and scopes', () => {
    const style = detectStyle([
      'feat(chat): stream the thinking apart',
      'fix(diff): keep CRLF line breaks\n\nThe hunks lost their \\r.',
      'feat(scm): add the commit message command',
      'docs: explain the budget',
      'Merge branch \'main\' into feature',
      'chore(deps): bump openai to 6.49',
    ]);
    assert.equal(style.sample, 5, 'the merge is not looked at');
    assert.deepEqual(style.conventional?.types.slice(0, 2), ['feat', 'chore']);
    assert.ok(style.conventional?.usesScopes);
    assert.ok(style.conventional?.scopes.includes('scm'));
    assert.equal(style.tense, 'imperative');
    assert.equal(style.capitalized, false);
    assert.equal(style.trailingPeriod, false);
    assert.equal(style.bodies, false);
    const rules = styleRules(style).join('\n');
    assert.match(rules, /Conventional Commits: `type\(scope\): summary`/);
    assert.match(rules, /imperative/);
    assert.match(rules, /lowercase/);
  });

  it('recognizes a ticket prefix, past tense, capitals and periods, and never asks to invent a number', () => {
    const style = detectStyle(['ABC-12: Added the login page.', 'ABC-7: Fixed the logout.', 'ABC-130: Made tokens expire.', 'ABC-131: Removed dead code.']);
    assert.equal(style.ticketPrefix, 'ABC-123: ');
    assert.equal(style.conventional, undefined);
    assert.equal(style.tense, 'past');
    assert.equal(style.capitalized, true);
    assert.equal(style.trailingPeriod, true);
    const rules = styleRules(style).join('\n');
    assert.match(rules, /`ABC-123:`/);
    assert.match(rules, /never make one up/);
    assert.match(rules, /past tense/);
    assert.match(rules, /Do not use a Conventional Commits/);
  });

  it('recognizes bracketed tickets, gitmoji, Chinese subjects, bodies and PR suffixes', () => {
    assert.equal(detectStyle(['[WEB-1] Add x', '[WEB-22] Fix y']).ticketPrefix, '[WEB-123] ');
    assert.ok(detectStyle([':sparkles: Add x', '🐛 Fix y', ':memo: Docs']).gitmoji);
    const zh = detectStyle(['修复：登录失败\n\n详细说明', '新增导出功能\n\n说明', 'feat: 支持中文']);
    assert.ok(zh.chinese);
    assert.ok(zh.bodies);
    assert.ok(detectStyle(['Add x (#12)', 'Fix y (#13)']).prSuffix);
    assert.match(styleRules(detectStyle(['Add x (#12)', 'Fix y (#13)'])).join('\n'), /pull-request number/);
    assert.equal(subjectText('feat(ui)!: Add dark mode'), 'Add dark mode');
    assert.equal(subjectText('[ABC-1] fix: the thing'), 'the thing');
  });

  it('reads the third person and typical lengths; says so when there is nothing to follow', () => {
    const style = detectStyle(['Adds the parser', 'Fixes the budget', 'Updates the docs']);
    assert.equal(style.tense, 'present');
    assert.equal(style.typicalLength, 'Fixes the budget'.length);
    assert.match(styleRules(detectStyle([])).join('\n'), /no earlier commits/);
  });
});

describe('commit message: prompt', () => {
  it('follows the display language unless the setting names one', () => {
    assert.equal(commitLanguage('auto', 'zh-cn'), 'zh-cn');
    assert.equal(commitLanguage('auto', 'zh-tw'), 'zh-cn');
    assert.equal(commitLanguage('auto', 'en'), 'en');
    assert.equal(commitLanguage(undefined, 'de'), 'en');
    assert.equal(commitLanguage('en', 'zh-cn'), 'en');
    assert.equal(commitLanguage('zh-cn', 'en'), 'zh-cn');
  });

  it('carries the rules, the language, the recent subjects and the diff in a fence it cannot close', () => {
    const style = detectStyle(['feat(a): one', 'fix(b): two']);
    const system = commitSystemPrompt({ style, language: 'zh-cn' });
    assert.match(system, /commit message only/);
    assert.match(system, /Simplified Chinese/);
    assert.match(system, /Conventional Commits/);
    assert.doesNotMatch(system, /imperative|lowercase/, 'no English grammar for a Chinese message');
    assert.match(commitSystemPrompt({ style, language: 'en' }), /imperative/);
    const diff = 'diff --git a/x.md b/x.md\n@@ -1 +1 @@\n-```ts\n+````ts\n';
    const user = commitUserPrompt({ diff, summarized: false, staged: true, subjects: ['feat(a): one', 'fix(b): two'], style, language: 'zh-cn' });
    assert.match(user, /- feat\(a\): one\n- fix\(b\): two/);
    assert.match(user, /staged changes \(git diff --cached\)/);
    assert.equal(fenceFor(diff), '`````');
    assert.ok(user.includes('`````diff\n' + diff.replace(/\n$/, '') + '\n`````'));
    const unstaged = commitUserPrompt({ diff, summarized: true, staged: false, subjects: [], style, language: 'en' });
    assert.match(unstaged, /nothing is staged; git diff\), summarized/);
    assert.doesNotMatch(unstaged, /Recent commit subjects/);
  });
});

describe('commit message: cleaning the answer', () => {
  const cases: [string, string][] = [
    ['feat(scm): add the command', 'feat(scm): add the command'],
    ['```\nfeat(scm): add the command\n\nBody.\n```', 'feat(scm): add the command\n\nBody.'],
    ['Here is the commit message:\n\n```text\nfix: x\n```\nThis message follows the style.', 'fix: x'],
    ['Commit message: fix: handle CRLF', 'fix: handle CRLF'],
    ['**Commit message:**\nfix: handle CRLF', 'fix: handle CRLF'],
    ['提交信息：修复登录问题', '修复登录问题'],
    ['"fix: quoted"', 'fix: quoted'],
    ['「修复：引号」', '修复：引号'],
    ['<answer>\nfix: tags\n</answer>', 'fix: tags'],
    ['/no_think\nfix: echo', 'fix: echo'],
    ['fix: subject\nbody right after   \n\n\n\nmore', 'fix: subject\n\nbody right after\n\nmore'],
    ['**fix: bold subject**', 'fix: bold subject'],
    ['\r\nfix: crlf\r\n\r\nbody\r\n', 'fix: crlf\n\nbody'],
    ['以下是提交信息：\nfeat: 新增导出', 'feat: 新增导出'],
  ];
  for (const [answer, expected] of cases) {
    it(`cleans ${JSON.stringify(answer)}`, () => assert.equal(cleanCommitMessage(answer), expected));
  }

  it('cleans a partial answer as it would the whole one', () => {
    assert.equal(cleanCommitMessage('``', { partial: true }), '');
    assert.equal(cleanCommitMessage('```\nfeat: ha', { partial: true }), 'feat: ha');
    assert.equal(cleanCommitMessage('Commit mess', { partial: true }), '');
    assert.equal(cleanCommitMessage('Here is the commit message:', { partial: true }), '');
    assert.equal(cleanCommitMessage('fix: x\n</ans', { partial: true }), 'fix: x');
    assert.equal(cleanCommitMessage('"fix: quo', { partial: true }), 'fix: quo');
  });
});

describe('commit message: manifest', () => {
  it('puts the command in the Source Control title bar of Git repositories, with a Stop while it runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const scm = pkg.contributes.menus['scm/title'] as { command: string; when: string }[];
    const generate = scm.find((m) => m.command === 'hunyuan.generateCommitMessage');
    const stop = scm.find((m) => m.command === 'hunyuan.cancelCommitMessage');
    assert.ok(generate && /scmProvider == git/.test(generate.when));
    assert.ok(stop && /scmProvider == git/.test(stop.when) && /hunyuan\.commitMessage\.generating/.test(stop.when));
    const setting = pkg.contributes.configuration.properties['hunyuan.commitMessage.language'];
    assert.deepEqual(setting.enum, ['auto', 'en', 'zh-cn']);
  });
});
