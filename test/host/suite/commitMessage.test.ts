// "Generate Commit Message" in a real VS Code with the built-in Git extension: a real repository
// made by the test in a temporary folder and opened through the Git extension's API, staged and
// unstaged changes, the message streamed into the Source Control input box, cancellation putting
// back what the box held, and a diff too large for the window summarized with whole hunks only.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseDiff } from '../../../src/core/scm/diff';
import type { CommitMessageResult } from '../../../src/extension/scm/commitMessage';
import type { GitApi, GitExtension, GitRepository } from '../../../src/extension/scm/git';
import { hostFixture, setUserSettings, shownMessages, waitFor, waitForMessage } from './helpers';

const SUBJECTS = ['feat(scm): read the staged diff', 'docs(readme): explain the settings', 'fix(chat): keep the thinking apart', 'feat(core): add the token estimator'];

describe('commit message (built-in Git extension)', () => {
  const f = hostFixture('sk-commit-test');
  let dir: string;
  let repo: GitRepository;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const sent = () => {
    const messages = f.gateway.lastRequest()?.body.messages as { role: string; content: string }[];
    return { system: messages.find((m) => m.role === 'system')?.content ?? '', user: messages.at(-1)?.content ?? '', body: f.gateway.lastRequest()?.body };
  };
  const generate = () => vscode.commands.executeCommand<CommitMessageResult>('hunyuan.generateCommitMessage', { rootUri: repo.rootUri });

  before(async function () {
    try {
      execFileSync('git', ['--version'], { encoding: 'utf8' });
    } catch (err) {
      throw new Error(`COMMIT MESSAGE TESTS CANNOT RUN: git is not on the PATH of the extension host (${(err as Error).message})`);
    }
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!ext) {
      throw new Error('COMMIT MESSAGE TESTS CANNOT RUN: the built-in Git extension (vscode.git) is not available in this VS Code host');
    }
    const exports = await ext.activate();
    assert.ok(exports.enabled, 'the built-in Git extension is disabled (git.enabled)');
    const api: GitApi = exports.getAPI(1);
    await waitFor(() => api.state === 'initialized', 'the Git extension to initialize');
    assert.ok(api.openRepository, 'the Git API has no openRepository');

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-commit-host-'));
    git('init', '-q', '-b', 'main');
    write('src/app.ts', 'export const name = "app";\n');
    write('notes.md', '# Notes\n');
    git('add', '-A');
    for (const subject of [...SUBJECTS].reverse()) git('commit', '-q', '--allow-empty', '-m', subject);
    const opened = await api.openRepository(vscode.Uri.file(dir));
    assert.ok(opened, `the Git extension did not open ${dir}`);
    repo = opened;
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    git('reset', '-q', '--hard');
    git('clean', '-qfd');
    repo.inputBox.value = '';
  });

  it('writes the message for the staged changes into the input box, in the repository\'s style, in fast thinking', async () => {
    write('src/app.ts', 'export const name = "app";\n\nexport function greet(who: string): string {\n  return `hello ${who}`;\n}\n');
    git('add', 'src/app.ts');
    write('notes.md', '# Notes\n\nan unstaged change that must not be sent\n');
    f.gateway.setScenario('reasoning', { answer: 'Here is the commit message:\n\n```\nfeat(app): add greet\n\nSays hello to someone.\n```' });

    const result = await generate();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(result.staged, true);
    assert.equal(repo.inputBox.value, 'feat(app): add greet\n\nSays hello to someone.', 'the cleaned answer is in the input box');
    const { system, user, body } = sent();
    assert.match(user, /^\/no_think/, 'fast thinking');
    assert.ok(body.max_tokens <= 1024, `max_tokens ${body.max_tokens}`);
    assert.match(user, /staged changes \(git diff --cached\)/);
    assert.ok(user.includes('+export function greet(who: string): string {'), 'the staged diff is sent');
    assert.ok(!user.includes('must not be sent'), 'the unstaged change is not');
    for (const s of SUBJECTS) assert.ok(user.includes(`- ${s}`), `the recent subject "${s}" is sent`);
    assert.match(system, /Conventional Commits: `type\(scope\): summary`, with one of the types this repository uses \(feat, docs, fix\)/);
    assert.match(system, /Write the message in English/);
  });

  it('falls back to the working tree when nothing is staged, in the language the setting names', async () => {
    write('notes.md', '# Notes\n\n第二行：只在工作区\n');
    await setUserSettings({ 'commitMessage.language': 'zh-cn' });
    f.gateway.setScenario('reasoning', { answer: 'docs(notes): 添加第二行' });
    const result = await generate();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.equal(result.staged, false);
    assert.equal(repo.inputBox.value, 'docs(notes): 添加第二行');
    const { system, user } = sent();
    assert.match(user, /changes in the working tree \(nothing is staged; git diff\)/);
    assert.ok(user.includes('+第二行：只在工作区'));
    assert.match(system, /Write the message in Simplified Chinese/);
  });

  it('says so when there is nothing to describe, and sends nothing', async () => {
    const before = f.gateway.requests.length;
    const result = await generate();
    assert.equal(result.status, 'nothing');
    await waitForMessage(f.api, /There are no changes to describe/);
    assert.equal(f.gateway.requests.length, before);
  });

  it('streams into the input box, and cancelling puts back what the box held', async () => {
    write('src/app.ts', 'export const name = "renamed";\n');
    git('add', '-A');
    repo.inputBox.value = 'my draft';
    const answer = `feat(app): rename the app\n\n${'This is a long body that streams slowly into the box. '.repeat(6)}`;
    f.gateway.setScenario('reasoning', { answer, chunkSize: 4, delayMs: 100 });
    const running = generate();
    // a part of the answer has arrived in the box, not yet all of it
    const partial = await waitFor(() => {
      const v = repo.inputBox.value;
      return v !== 'my draft' && v.startsWith('feat(app)') ? v : '';
    }, 'the message to start streaming into the input box');
    assert.ok(partial.length < answer.trim().length, 'seen while streaming');
    assert.equal(await vscode.commands.executeCommand('hunyuan.cancelCommitMessage'), true);
    const result = await running;
    assert.equal(result.status, 'stopped', JSON.stringify(result));
    assert.equal(repo.inputBox.value, 'my draft', 'the draft is back');
  });

  it('puts the draft back when the request fails part-way, and shows the error', async () => {
    write('src/app.ts', 'export const name = "broken";\n');
    git('add', '-A');
    repo.inputBox.value = 'my draft';
    f.gateway.setScenario('error-mid-stream', { answer: 'fix(app): this answer breaks off', chunksBeforeFault: 3, chunkSize: 6 });
    const result = await generate();
    assert.equal(result.status, 'error', JSON.stringify(result));
    assert.equal(repo.inputBox.value, 'my draft');
    await waitFor(() => shownMessages(f.api).find((m) => m.severity === 'error' && !m.settled), 'the error notification');
  });

  it('leaves the box to the user who types into it while the message streams', async () => {
    write('src/app.ts', 'export const name = "typed";\n');
    git('add', '-A');
    f.gateway.setScenario('reasoning', { answer: `feat(app): a slow one\n\n${'More words for a slow stream. '.repeat(8)}`, chunkSize: 4, delayMs: 100 });
    const running = generate();
    await waitFor(() => repo.inputBox.value.startsWith('feat(app)'), 'the message to start streaming into the input box');
    repo.inputBox.value = 'typed by me';
    const result = await running;
    assert.equal(result.status, 'edited', JSON.stringify(result));
    assert.equal(repo.inputBox.value, 'typed by me');
  });

  it('summarizes a diff too large for the window: every file listed, whole hunks only, and it fits', async () => {
    await setUserSettings({ contextWindow: 4096 });
    const body = (seed: number) => Array.from({ length: 120 }, (_, i) => `export const value${i} = ${seed * 1000 + i}; // 第 ${i} 行\n`).join('');
    for (let n = 0; n < 30; n++) write(`src/mod${n}.ts`, body(n));
    git('add', '-A');
    git('commit', '-q', '-m', 'chore: add the modules');
    for (let n = 0; n < 30; n++) {
      const lines = body(n).split('\n');
      for (const at of [5, 50, 100]) lines[at] = `export const value${at} = "changed in ${n}"; // 改过`;
      write(`src/mod${n}.ts`, lines.join('\n'));
    }
    git('add', '-A');
    const raw = git('diff', '--cached');
    const originals = parseDiff(raw);
    assert.equal(originals.length, 30);
    f.gateway.setScenario('reasoning', { answer: 'chore(src): change three values in every module' });

    const result = await generate();
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.ok(result.diff?.summarized, 'summarized');
    const { user, body: request } = sent();
    assert.match(user, /The diff is too large to send whole/);
    for (let n = 0; n < 30; n++) assert.ok(user.includes(`M src/mod${n}.ts (+3 -3)`), `mod${n} is listed`);
    const fenced = /\n(`{3,})\n([\s\S]*)\n\1$/.exec(user);
    assert.ok(fenced, 'the summary is fenced');
    const sentFiles = parseDiff(fenced[2] + '\n');
    const whole = new Set(originals.flatMap((o) => o.hunks.map((h) => `${o.path}\n${h.text}`)));
    const hunks = sentFiles.flatMap((s) => s.hunks.map((h) => `${s.path}\n${h.text}`));
    assert.ok(hunks.length > 0 && hunks.length < 90, `${hunks.length} hunks sent`);
    assert.equal(hunks.length, result.diff?.hunksIncluded);
    for (const h of hunks) assert.ok(whole.has(h), `a hunk sent whole: ${h.slice(0, 120)}`);
    const promptTokens = f.gateway.lastRequest()?.promptTokens ?? Infinity;
    assert.ok(promptTokens + request.max_tokens <= 4096, `the gateway counts ${promptTokens} + ${request.max_tokens} tokens`);
    assert.equal(repo.inputBox.value, 'chore(src): change three values in every module');
  });
});
