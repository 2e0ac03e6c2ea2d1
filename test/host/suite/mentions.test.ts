// What each @-mention offers and resolves to, in a real VS Code (code-server) with the host tests'
// multi-root workspace (`workspace`: sample.ts, src/util.py, README.md; `lib`: strings/slug.ts,
// package.json): the Mentions class of src/extension/mentions built here as the chat builds it,
// against the real file search, language servers, diagnostics, the built-in Git extension (a real
// repository made by the test), shell integration and editors. And the @hunyuan participant's
// `#folder` reference, through its handler.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextChip } from '../../../src/common/chat/model';
import type { MentionItem } from '../../../src/common/chat/protocol';
import { estimateTokens } from '../../../src/core/budget/tokens';
import { formatChip } from '../../../src/core/chat/prompt';
import { Logger } from '../../../src/extension/log/logger';
import { Mentions } from '../../../src/extension/mentions/mentions';
import type { GitApi, GitExtension } from '../../../src/extension/scm/git';
import { activateExtension, hostFixture, waitFor } from './helpers';

const BUDGET = 4000;

function folderUri(i: number): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[i];
  assert.ok(folder, `the host tests run with workspace folder ${i} (a multi-root workspace: workspace, lib)`);
  return folder.uri;
}

async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
}

describe('mentions: what each @-mention offers and resolves to', () => {
  let mentions: Mentions;
  let log: Logger;
  let editor: vscode.TextEditor | undefined;
  let searchOn = false;
  const created: vscode.Uri[] = [];

  const list = (query: string, trigger: '@' | '#' = '@') => mentions.query(trigger, query);
  const find = (items: MentionItem[], kind: MentionItem['kind'], label: string | RegExp) =>
    items.find((i) => i.kind === kind && (typeof label === 'string' ? i.label === label : label.test(i.label)));
  /** Waits until the list for `query` has the entry (the file list, a language server, git's state may lag). */
  const offered = (query: string, kind: MentionItem['kind'], label: string | RegExp, trigger: '@' | '#' = '@') =>
    waitFor(async () => find(await list(query, trigger), kind, label), `"${trigger}${query}" to offer the ${kind} ${label}`);
  const resolve = async (item: MentionItem, budget = BUDGET): Promise<ContextChip> => {
    const chip = await mentions.resolve(item.id, budget);
    assert.ok(chip, `${item.kind} ${item.label} resolved to nothing`);
    assert.equal(chip.tokens, estimateTokens(formatChip(chip)), 'tokens are those of the chip as sent');
    assert.ok(chip.tokens <= budget, `${chip.tokens} tokens > the budget ${budget}`);
    return chip;
  };

  before(async () => {
    await activateExtension();
    log = new Logger((s) => s);
    mentions = new Mentions(log, { lastEditor: () => editor, workspaceSearchEnabled: () => searchOn });
  });

  after(async () => {
    mentions.dispose();
    // (the Logger is not disposed: its output channel is the extension's own, by name)
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => {});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = undefined;
    searchOn = false;
  });

  it('offers a file of the second workspace folder by a fuzzy query, and resolves it to its content', async () => {
    const item = await offered('strslug', 'file', 'slug.ts');
    assert.equal(item.detail, 'lib/strings');
    const items = await list('strslug');
    assert.deepEqual([items[0]?.kind, items[0]?.label, items[0]?.detail], ['file', 'slug.ts', 'lib/strings'], `the best match first: ${JSON.stringify(items.slice(0, 3))}`);
    const chip = await resolve(item);
    assert.equal(chip.kind, 'file');
    assert.equal(chip.label, 'lib/strings/slug.ts');
    assert.equal(chip.uri, vscode.Uri.joinPath(folderUri(1), 'strings/slug.ts').toString());
    assert.equal(chip.languageId, 'typescript');
    assert.equal(chip.text, fs.readFileSync(vscode.Uri.joinPath(folderUri(1), 'strings/slug.ts').fsPath, 'utf8'));
    assert.equal(chip.omitted, undefined);
    // the same with # and a prefix: the exact prefix ranks first
    const byPrefix = await list('slu', '#');
    assert.equal(byPrefix[0]?.label, 'slug.ts', JSON.stringify(byPrefix.slice(0, 3)));
  });

  it('resolves a folder to its listing and the contents of its files', async () => {
    const item = await offered('workspace/src', 'folder', 'src');
    const chip = await resolve(item);
    assert.equal(chip.kind, 'folder');
    assert.equal(chip.label, 'workspace/src');
    const sent = formatChip(chip);
    assert.match(sent, /^Folder workspace\/src \(1 file; the contents of it follow\):\n```\nutil\.py\n```\n\nFile workspace\/src\/util\.py \(python\):\n```python\ndef fib\(n: int\) -> int:/);
    const lib = await resolve(await offered('lib', 'folder', 'lib'));
    assert.match(lib.text, /^```\npackage\.json\nstrings\/slug\.ts\n```/, lib.text);
    assert.ok(lib.text.includes('export function slugify'), 'the small files\' contents are in');
  });

  it('resolves a workspace symbol to its whole definition', async () => {
    const sample = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri(0), 'sample.ts'));
    await vscode.window.showTextDocument(sample); // the TypeScript server loads the project
    const item = await offered('add', 'symbol', 'add');
    assert.match(item.detail ?? '', /^function · workspace\/sample\.ts:2$/);
    const chip = await resolve(item);
    assert.equal(chip.kind, 'symbol');
    assert.equal(chip.startLine, 2);
    assert.equal(chip.endLine, 4);
    assert.equal(chip.text, 'export function add(a: number, b: number): number {\n  return a + b;\n}');
    assert.match(formatChip(chip), /^Symbol `add` \(function\) from workspace\/sample\.ts, lines 2-4 \(typescript\):\n```typescript\nexport function add/);
    assert.ok(!(await list('a')).some((i) => i.kind === 'symbol'), 'no symbols for a one-character query');
  });

  it('lists the open editors first among files, and resolves "Open Editors" to each one\'s content', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri(0), 'src/util.py')), { preview: false });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri(1), 'package.json')), { preview: false });
    const empty = await list('');
    const firstFile = empty.findIndex((i) => i.kind === 'file');
    assert.ok(firstFile > 0, 'special entries first');
    const files = empty.filter((i) => i.kind === 'file').map((i) => i.label);
    assert.ok(files.includes('package.json') && files.includes('util.py'), `with an empty query: the open files (${files})`);
    // …and the files picked before (the first test picked slug.ts), nothing else
    assert.deepEqual(files.filter((l) => !['package.json', 'util.py', 'slug.ts'].includes(l)), [], `only open and recent files: ${files}`);
    assert.ok(empty.slice(0, firstFile).every((i) => i.kind !== 'file' && i.kind !== 'folder'));
    const item = await offered('editors', 'editors', 'Open Editors');
    const chip = await resolve(item);
    assert.match(formatChip(chip), /^Open editors \(2 files\):\n/);
    assert.ok(chip.text.includes('File lib/package.json (json):\n```json\n{ "name": "sample-lib"'), chip.text);
    assert.ok(chip.text.includes('File workspace/src/util.py (python):\n```python\ndef fib'), chip.text);
  });

  it('resolves the problems of the current file and of all files, each with its line', async () => {
    const sampleUri = vscode.Uri.joinPath(folderUri(0), 'sample.ts');
    const utilUri = vscode.Uri.joinPath(folderUri(0), 'src/util.py');
    const diagnostics = vscode.languages.createDiagnosticCollection('hunyuan-mentions-test');
    try {
      const error = new vscode.Diagnostic(new vscode.Range(2, 9, 2, 14), 'Mentions test: this sum is wrong', vscode.DiagnosticSeverity.Error);
      error.source = 'mtest';
      error.code = 7;
      diagnostics.set(sampleUri, [error]);
      diagnostics.set(utilUri, [new vscode.Diagnostic(new vscode.Range(0, 4, 0, 7), 'Mentions test: name it better\nsecond line', vscode.DiagnosticSeverity.Warning)]);
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sampleUri));

      const current = await offered('prob', 'problems', 'Problems in current file', '#');
      assert.match(current.detail ?? '', /workspace\/sample\.ts · \d+ problems?/);
      const all = await offered('问题', 'problems', 'All problems');
      const mine = await resolve(current);
      assert.equal(mine.label, 'workspace/sample.ts');
      assert.ok(mine.text.includes('workspace/sample.ts:3:10 error Mentions test: this sum is wrong (mtest 7)\n  > return a + b;'), mine.text);
      assert.ok(!mine.text.includes('name it better'), 'only the current file\'s');
      assert.match(formatChip(mine), /^Problems in workspace\/sample\.ts:\n```\n/);

      const every = await resolve(all);
      const errorAt = every.text.indexOf('Mentions test: this sum is wrong');
      const warningAt = every.text.indexOf('workspace/src/util.py:1:5 warning Mentions test: name it better\n  second line\n  > def fib(n: int) -> int:');
      assert.ok(errorAt >= 0 && warningAt >= 0, every.text);
      assert.ok(errorAt < warningAt, 'errors first');
      assert.match(formatChip(every), /^Problems in the workspace:\n/);
    } finally {
      diagnostics.dispose();
    }
  });

  describe('git changes (the built-in Git extension, a real repository)', () => {
    let dir: string;
    let name: string;
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], { cwd: dir, encoding: 'utf8' });
    const gitLabel = (label: string) => new RegExp(`^${label}( \\(${name}\\))?$`);

    before(async function () {
      const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
      assert.ok(ext, 'GIT TESTS CANNOT RUN: the built-in Git extension is not in this VS Code host');
      const exports = await ext.activate();
      assert.ok(exports.enabled, 'the built-in Git extension is disabled');
      const api: GitApi = exports.getAPI(1);
      await waitFor(() => api.state === 'initialized', 'the Git extension to initialize');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-mentions-git-'));
      name = path.basename(dir);
      git('init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(dir, 'staged.txt'), 'one\n');
      fs.writeFileSync(path.join(dir, 'unstaged.txt'), 'one\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'first');
      git('branch', 'base');
      fs.writeFileSync(path.join(dir, 'committed.txt'), 'committed after base\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'second');
      fs.writeFileSync(path.join(dir, 'staged.txt'), 'one\nstaged line\n');
      git('add', 'staged.txt');
      fs.writeFileSync(path.join(dir, 'unstaged.txt'), 'one\nunstaged line\n');
      const repo = await api.openRepository?.(vscode.Uri.file(dir));
      assert.ok(repo, `the Git extension did not open ${dir}`);
      await repo.status();
    });

    after(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('resolves staged and unstaged changes to their diffs', async () => {
      const staged = await offered('git', 'git', gitLabel('Staged changes'));
      const unstaged = await offered('变更', 'git', gitLabel('Unstaged changes'));
      const s = await resolve(staged);
      assert.ok(s.text.includes('+staged line'), s.text);
      assert.ok(!s.text.includes('unstaged line'));
      assert.match(s.text, /^diff --git a\/staged\.txt b\/staged\.txt/);
      assert.match(formatChip(s), /^Staged changes( \(.*\))? \(git diff\):\n```diff\ndiff --git/);
      const u = await resolve(unstaged);
      assert.ok(u.text.includes('+unstaged line'), u.text);
      assert.ok(!u.text.includes('+staged line'), 'only the unstaged change');
    });

    it('resolves the changes against a local branch', async () => {
      const item = await offered('base', 'git', gitLabel('Changes against base'));
      const chip = await resolve(item);
      assert.ok(chip.text.includes('+committed after base'), chip.text);
      assert.ok(chip.text.includes('diff --git a/committed.txt b/committed.txt'));
    });
  });

  it('resolves the active terminal\'s last command and its output (shell integration)', async function () {
    const hasApi = typeof (vscode.window as { onDidEndTerminalShellExecution?: unknown }).onDidEndTerminalShellExecution === 'function';
    const terminal = vscode.window.createTerminal({ name: 'hunyuan-mentions', shellPath: '/bin/bash' });
    try {
      terminal.show();
      await waitFor(() => vscode.window.activeTerminal === terminal, 'the terminal to be active');
      if (!hasApi) {
        const item = await offered('term', 'terminal', 'Terminal: last command');
        assert.match(item.detail ?? '', /needs shell integration/);
        assert.equal(await mentions.resolve(item.id, BUDGET), undefined, 'no broken chip');
        console.log(`[mentions] SKIPPED: VS Code ${vscode.version} has no terminal shell execution API (1.93+): only the "needs shell integration" entry was checked`);
        this.skip();
      }
      type WithShell = vscode.Terminal & { shellIntegration?: { executeCommand(commandLine: string): unknown } };
      const shell = await waitFor(() => (terminal as WithShell).shellIntegration, 'shell integration in the terminal', 30000).catch(() => undefined);
      if (!shell) {
        const item = await offered('终端', 'terminal', 'Terminal: last command');
        assert.match(item.detail ?? '', /needs shell integration/);
        assert.equal(await mentions.resolve(item.id, BUDGET), undefined, 'no broken chip before a command was recorded');
        console.log('[mentions] SKIPPED: shell integration did not activate in this terminal within 30 s (code-server, /bin/bash);'
          + ' the terminal mention was checked only as "needs shell integration" and resolving to nothing');
        this.skip();
      }
      // (the output comes a moment after the command starts: `read()` gives only what is written after the
      // start event reached the extension host, so the first instant of a command's output can be missed)
      shell.executeCommand('sleep 1; echo "hunyuan-mentions-$((6 * 7))"');
      const item = await offered('term', 'terminal', 'Terminal: last command');
      await waitFor(async () => find(await list('term'), 'terminal', 'Terminal: last command')?.detail?.includes('hunyuan-mentions-'), 'the command to be recorded');
      const chip = await resolve(find(await list('term'), 'terminal', 'Terminal: last command') ?? item);
      assert.equal(chip.label, 'sleep 1; echo "hunyuan-mentions-$((6 * 7))"');
      assert.ok(chip.text.includes('hunyuan-mentions-42'), JSON.stringify(chip.text));
      assert.ok(!chip.text.includes('\u001b'), 'no escape sequences');
      assert.match(chip.text, /\[exit code 0\]$/);
      assert.match(formatChip(chip), /^Terminal command `sleep 1; echo "hunyuan-mentions-\$\(\(6 \* 7\)\)"` and its output:\n```\n/);
    } finally {
      terminal.dispose();
    }
  });

  it('resolves the selection of the chat\'s last editor', async () => {
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri(0), 'sample.ts')));
    assert.ok(!(await list('sel')).some((i) => i.kind === 'selection'), 'no entry without a selection');
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    const item = await offered('选中', 'selection', 'Selection');
    assert.equal(item.detail, 'workspace/sample.ts:2-4');
    const chip = await resolve(item);
    assert.equal(chip.kind, 'selection');
    assert.equal(chip.startLine, 2);
    assert.equal(chip.endLine, 4);
    assert.equal(chip.text, 'export function add(a: number, b: number): number {\n  return a + b;\n}');
  });

  it('offers @workspace only when workspace search is on', async () => {
    assert.ok(!(await list('work')).some((i) => i.kind === 'workspace'));
    searchOn = true;
    const item = await offered('work', 'workspace', '@workspace');
    const chip = await mentions.resolve(item.id, BUDGET);
    assert.equal(chip?.kind, 'workspace');
    assert.equal(chip?.text, '');
    assert.equal(chip?.detail, 'search when sent');
  });

  it('never offers a file excluded by .gitignore or search.exclude', async () => {
    const root = folderUri(1);
    const config = vscode.workspace.getConfiguration('search', root);
    const gitignore = vscode.Uri.joinPath(root, '.gitignore');
    for (const u of [gitignore, vscode.Uri.joinPath(root, 'ignored-dir'), vscode.Uri.joinPath(root, 'excluded-by-search'), vscode.Uri.joinPath(root, 'notes.secret.ts'), vscode.Uri.joinPath(root, 'kept-mention-file.ts')]) created.push(u);
    await config.update('exclude', { '**/excluded-by-search': true }, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await writeFile(gitignore, 'ignored-dir/\n*.secret.ts\n');
      await writeFile(vscode.Uri.joinPath(root, 'ignored-dir/hidden-by-gitignore.ts'), 'export const a = 1;\n');
      await writeFile(vscode.Uri.joinPath(root, 'notes.secret.ts'), 'export const b = 2;\n');
      await writeFile(vscode.Uri.joinPath(root, 'excluded-by-search/hidden-by-search.ts'), 'export const c = 3;\n');
      await writeFile(vscode.Uri.joinPath(root, 'kept-mention-file.ts'), 'export const d = 4;\n');
      // the list is read again after the files appear: the kept one is there…
      await offered('kept-mention', 'file', 'kept-mention-file.ts');
      // …and the excluded ones are not
      for (const q of ['hidden-by-gitignore', 'notes.secret', 'hidden-by-search', 'ignored-dir', 'excluded-by-search']) {
        const items = await list(q);
        assert.deepEqual(items.filter((i) => i.kind === 'file' || i.kind === 'folder').map((i) => `${i.detail}/${i.label}`).filter((p) => /hidden|secret|ignored-dir|excluded-by/.test(p)), [], `"${q}"`);
      }
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      const settings = vscode.Uri.joinPath(root, '.vscode');
      created.push(settings);
    }
  });

  it('resolves an unknown or stale id to nothing', async () => {
    assert.equal(await mentions.resolve('no-such-id', BUDGET), undefined);
    const first = await offered('slug', 'file', 'slug.ts');
    for (let i = 0; i < 6; i++) await list(`readme${i % 2 ? '' : '.md'}`);
    assert.equal(await mentions.resolve(first.id, BUDGET), undefined, 'an id of a list long replaced');
  });

  it('trims a huge file to the budget and says what was left out', async () => {
    const uri = vscode.Uri.joinPath(folderUri(0), 'huge-mention-file.ts');
    created.push(uri);
    const lines = Array.from({ length: 5000 }, (_, i) => `export const value${i} = ${i} * 2; // line ${i + 1}`);
    await writeFile(uri, `${lines.join('\n')}\n`);
    const item = await offered('huge-mention', 'file', 'huge-mention-file.ts');
    const chip = await resolve(item, 2000);
    const kept = chip.text.split('\n');
    assert.ok(kept.length > 20 && kept.length < 5000, `${kept.length} lines kept`);
    assert.deepEqual(kept, lines.slice(0, kept.length), 'the first whole lines');
    assert.equal(chip.omitted, `lines ${kept.length + 1}-5000 of 5000`);
    assert.ok(formatChip(chip).endsWith(`[Left out to fit the context window: lines ${kept.length + 1}-5000 of 5000.]`));
  });
});

describe('mentions: the @hunyuan participant\'s #folder reference', () => {
  const f = hostFixture('sk-mentions-participant');

  it('sends a folder reference as its listing and contents, and a string reference as text', async () => {
    const stream = new Proxy({}, { get: () => () => undefined }) as vscode.ChatResponseStream;
    const request = {
      prompt: 'what is in there?', command: undefined,
      references: [
        { id: 'vscode.problems', value: 'sample.ts:3 error: something (as VS Code may pass it)' },
        { id: 'vscode.folder', value: vscode.Uri.joinPath(folderUri(1), 'strings') },
      ],
    } as unknown as vscode.ChatRequest;
    const result = await f.api.participant.handle(request, { history: [] } as unknown as vscode.ChatContext, stream, new vscode.CancellationTokenSource().token);
    assert.equal(result.metadata.status, 'done', JSON.stringify(result));
    const user = ((f.gateway.lastRequest()?.body.messages ?? []) as { role: string; content: string }[]).filter((m) => m.role === 'user').at(-1)?.content ?? '';
    assert.match(user, /Folder lib\/strings \(1 file; the contents of it follow\):\n```\nslug\.ts\n```\n\nFile lib\/strings\/slug\.ts \(typescript\):\n```typescript\n\/\*\* Turns a title into a URL slug\. \*\//);
    assert.ok(user.includes('sample.ts:3 error: something (as VS Code may pass it)'), 'the string reference is sent as text');
  });
});
