// The project rules (src/extension/rules/projectRules.ts) in a real VS Code, on the multi-root
// workspace of the host runner (folders `workspace` and `lib`): AGENTS.md, .hunyuan/rules.md and
// .github/copilot-instructions.md of each folder, in that order, under headers; read again when a
// file is edited, created or deleted (onDidChange fires); nothing with the setting off; cut to
// 12,000 characters with what was left out; a file over 1 MB not read.
//
// The `[untrusted]` test runs only in the runner's second pass (test/host/run-code-server.mjs),
// where code-server opens the workspace in Restricted Mode: it first checks that the workspace
// really is untrusted, then that no rules are read although AGENTS.md exists.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { estimateTokens } from '../../../src/core/budget/tokens';
import { rulesSystemSection } from '../../../src/core/context/rules';
import { Logger } from '../../../src/extension/log/logger';
import { ProjectRules } from '../../../src/extension/rules/projectRules';
import { activateExtension, waitFor } from './helpers';

const encoder = new TextEncoder();

/** The runner's two folders, by name. */
function folders(): { ws: vscode.WorkspaceFolder; lib: vscode.WorkspaceFolder } {
  const all = vscode.workspace.workspaceFolders ?? [];
  const ws = all.find((f) => f.name === 'workspace');
  const lib = all.find((f) => f.name === 'lib');
  assert.ok(ws && lib, `the host runner opens the folders workspace and lib; here: ${all.map((f) => f.name).join(', ')}`);
  assert.ok(ws.index < lib.index);
  return { ws, lib };
}

const RULE_PATHS = ['AGENTS.md', '.hunyuan/rules.md', '.github/copilot-instructions.md'];

async function write(folder: vscode.WorkspaceFolder, rel: string, text: string | Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder.uri, rel);
  await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? encoder.encode(text) : text);
  return uri;
}

async function remove(folder: vscode.WorkspaceFolder, rel: string): Promise<void> {
  try {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, rel));
  } catch {
    // not there
  }
}

/** What the workspace held before this suite (a rules file another suite's fixture may rely on): put back after it. */
interface Saved {
  files: { uri: vscode.Uri; bytes: Uint8Array }[];
  dirs: vscode.Uri[];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function saveRules(): Promise<Saved> {
  const saved: Saved = { files: [], dirs: [] };
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    for (const rel of RULE_PATHS) {
      const uri = vscode.Uri.joinPath(f.uri, rel);
      if (await exists(uri)) saved.files.push({ uri, bytes: await vscode.workspace.fs.readFile(uri) });
    }
    for (const dir of ['.hunyuan', '.github']) {
      const uri = vscode.Uri.joinPath(f.uri, dir);
      if (await exists(uri)) saved.dirs.push(uri);
    }
  }
  return saved;
}

/** Every rules file of both folders deleted, and the .hunyuan and .github folders this suite made, once empty. */
async function removeAllRules(saved: Saved): Promise<void> {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    for (const rel of RULE_PATHS) await remove(f, rel);
    for (const dir of ['.hunyuan', '.github']) {
      const uri = vscode.Uri.joinPath(f.uri, dir);
      if (saved.dirs.some((d) => d.toString() === uri.toString())) continue;
      try {
        if ((await vscode.workspace.fs.readDirectory(uri)).length === 0) await vscode.workspace.fs.delete(uri);
      } catch {
        // not there
      }
    }
  }
}

async function setRulesSetting(value: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('hunyuan').update('context.projectRules', value, vscode.ConfigurationTarget.Global);
}

describe('project rules', () => {
  let log: Logger;
  let rules: ProjectRules;
  let changes: number;

  let saved: Saved;

  before(async () => {
    await activateExtension();
    log = new Logger((t) => t);
    saved = await saveRules();
  });
  after(async () => {
    // the Logger is not disposed: its output channel is the extension's own, by name, and would close with it
    for (const { uri, bytes } of saved.files) await vscode.workspace.fs.writeFile(uri, bytes);
  });
  beforeEach(async () => {
    await removeAllRules(saved);
    await setRulesSetting(undefined);
    rules = new ProjectRules(log);
    changes = 0;
    rules.onDidChange(() => changes++);
  });
  afterEach(async () => {
    rules.dispose();
    await removeAllRules(saved);
    await setRulesSetting(undefined);
  });

  /** Waits until onDidChange has fired since `since` and current() satisfies `ok`. */
  async function changedTo(since: number, ok: (chip: Awaited<ReturnType<ProjectRules['current']>>) => boolean, what: string) {
    await waitFor(() => changes > since, `onDidChange after ${what}`);
    return waitFor(async () => {
      const chip = await rules.current();
      return ok(chip) ? { chip } : undefined;
    }, what).then((r) => r.chip);
  }

  it('holds AGENTS.md of workspace, then its .hunyuan/rules.md, then lib\'s .github/copilot-instructions.md, each under its header', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const { ws, lib } = folders();
    assert.equal(await rules.current(), undefined, 'no rules files yet');
    const agents = await write(ws, 'AGENTS.md', '\uFEFF# Agents\r\nUse tabs.\r\n\r\n- 注释用中文书写。\r\n');
    await write(lib, '.github/copilot-instructions.md', 'Write tests first.\n');
    await write(ws, '.hunyuan/rules.md', '\n\nNo default exports.\n\n');
    const chip = await waitFor(async () => {
      const c = await rules.current();
      return c && c.detail?.split(', ').length === 3 ? c : undefined;
    }, 'the chip with three files');
    assert.equal(chip.text, [
      'Rules from workspace/AGENTS.md:',
      '# Agents',
      'Use tabs.',
      '',
      '- 注释用中文书写。',
      '',
      'Rules from workspace/.hunyuan/rules.md:',
      'No default exports.',
      '',
      'Rules from lib/.github/copilot-instructions.md:',
      'Write tests first.',
    ].join('\n'));
    assert.equal(chip.kind, 'rules');
    assert.equal(chip.label, 'Rules');
    assert.equal(chip.uri, agents.toString());
    assert.equal(chip.languageId, 'markdown');
    assert.equal(chip.detail, 'workspace/AGENTS.md, workspace/.hunyuan/rules.md, lib/.github/copilot-instructions.md');
    assert.equal(chip.omitted, undefined);
    assert.equal(chip.tokens, estimateTokens(rulesSystemSection(chip.text)));
    // kept until something changes
    assert.equal(await rules.current(), chip);
  });

  it('reads again when a rules file is edited, created or deleted, and says so through onDidChange', async () => {
    const { ws, lib } = folders();
    await write(ws, 'AGENTS.md', 'Version one.\n');
    const first = await waitFor(() => rules.current(), 'the first rules');
    assert.equal(first.text, 'Rules from workspace/AGENTS.md:\nVersion one.');

    let since = changes;
    await write(ws, 'AGENTS.md', 'Version two.\n');
    let chip = await changedTo(since, (c) => c?.text === 'Rules from workspace/AGENTS.md:\nVersion two.', 'an edit of AGENTS.md');
    assert.equal(chip?.detail, 'workspace/AGENTS.md');

    since = changes;
    await write(lib, 'AGENTS.md', 'From lib.\n');
    chip = await changedTo(since, (c) => c?.detail === 'workspace/AGENTS.md, lib/AGENTS.md', 'lib/AGENTS.md created');
    assert.equal(chip?.text, 'Rules from workspace/AGENTS.md:\nVersion two.\n\nRules from lib/AGENTS.md:\nFrom lib.');

    since = changes;
    await remove(ws, 'AGENTS.md');
    chip = await changedTo(since, (c) => c?.detail === 'lib/AGENTS.md', 'workspace/AGENTS.md deleted');
    assert.equal(chip?.uri, vscode.Uri.joinPath(lib.uri, 'AGENTS.md').toString());

    since = changes;
    await remove(lib, 'AGENTS.md');
    await changedTo(since, (c) => c === undefined, 'the last rules file deleted');
  });

  it('gives no rules with hunyuan.context.projectRules off, and gives them back when it is on', async () => {
    const { ws } = folders();
    await write(ws, 'AGENTS.md', 'Be brief.\n');
    assert.ok(await waitFor(() => rules.current(), 'the rules'));
    let since = changes;
    await setRulesSetting(false);
    await changedTo(since, (c) => c === undefined, 'the setting turned off');
    // edited while off: turned on again, the rules are the file as it is now
    await write(ws, 'AGENTS.md', 'Be thorough.\n');
    since = changes;
    await setRulesSetting(true);
    const chip = await changedTo(since, (c) => c?.text === 'Rules from workspace/AGENTS.md:\nBe thorough.', 'the setting turned on');
    assert.ok(chip);
  });

  it('cuts rules over 12,000 characters at a line boundary and says what was left out', async () => {
    const { ws, lib } = folders();
    const lines = Array.from({ length: 150 }, (_, i) => `${i}. ${'Keep functions short and named for what they do. '.repeat(2).trim()}`);
    await write(ws, 'AGENTS.md', `${lines.join('\r\n')}\r\n`);
    await write(lib, '.github/copilot-instructions.md', 'Never cut me.\n'.repeat(10));
    const chip = await waitFor(async () => {
      const c = await rules.current();
      return c?.omitted?.includes('lib/') ? c : undefined;
    }, 'the cut chip');
    assert.ok(chip.text.length <= 12000, `${chip.text.length} characters`);
    assert.ok(chip.text.length > 11000, `${chip.text.length} characters: as much as fits is kept`);
    const body = chip.text.split('\n');
    assert.equal(body[0], 'Rules from workspace/AGENTS.md:');
    const kept = body.slice(1, body.indexOf(''));
    assert.deepEqual(kept, lines.slice(0, kept.length), 'whole lines, CRLF gone');
    const left = lines.slice(kept.length).join('\n').length + 1;
    const expected = `${left.toLocaleString('en-US')} characters of workspace/AGENTS.md, ${'Never cut me.\n'.repeat(10).trim().length} characters of lib/.github/copilot-instructions.md`;
    assert.equal(chip.omitted, expected);
    assert.ok(chip.text.endsWith(`[Cut to fit: ${expected} left out.]`), chip.text.slice(-300));
    assert.equal(chip.detail, 'workspace/AGENTS.md', 'the file left out entirely is not listed as sent');
  });

  it('does not read a rules file over 1 MB', async () => {
    const { ws, lib } = folders();
    await write(ws, 'AGENTS.md', `${'x'.repeat(99)}\n`.repeat(11000));
    await write(lib, 'AGENTS.md', 'Small.\n');
    const chip = await waitFor(() => rules.current(), 'the rules');
    assert.equal(chip.detail, 'lib/AGENTS.md');
    assert.equal(chip.text, 'Rules from lib/AGENTS.md:\nSmall.');
  });

  it('[untrusted] reads no rules in Restricted Mode, though AGENTS.md exists', async function () {
    if (process.env.HOST_TEST_PASS !== 'untrusted') {
      console.log('[project rules] SKIPPED: [untrusted] tests run in the host runner\'s second pass, in Restricted Mode (HOST_TEST_PASS=untrusted)');
      this.skip();
    }
    // first: the workspace really is untrusted, so this test cannot pass for nothing
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace should be in Restricted Mode in this pass');
    const { ws, lib } = folders();
    const agents = await write(ws, 'AGENTS.md', 'Obey the rules.\n');
    await write(lib, '.github/copilot-instructions.md', 'And these.\n');
    assert.equal((await vscode.workspace.fs.stat(agents)).type, vscode.FileType.File);
    assert.equal(await rules.current(), undefined);
    // the extension itself is active here (untrustedWorkspaces: limited)
    const ext = vscode.extensions.getExtension('hunyuan-coder.hunyuan-coder');
    assert.equal(ext?.isActive, true);
    // a fresh instance, after the files are there, reads nothing either
    const other = new ProjectRules(log);
    try {
      assert.equal(await other.current(), undefined);
    } finally {
      other.dispose();
    }
  });

  it('[untrusted] [grants trust] reads the rules once the workspace is trusted', async function () {
    if (process.env.HOST_TEST_PASS !== 'untrusted') {
      console.log('[project rules] SKIPPED: [untrusted] tests run in the host runner\'s second pass, in Restricted Mode (HOST_TEST_PASS=untrusted)');
      this.skip();
    }
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace should still be in Restricted Mode');
    const { ws } = folders();
    await write(ws, 'AGENTS.md', 'Trusted now.\n');
    assert.equal(await rules.current(), undefined);
    const granted = new Promise<void>((resolve) => {
      const d = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        d.dispose();
        resolve();
      });
    });
    const since = changes;
    // the Workspace Trust editor, whose Trust button the runner clicks when it reads the line below
    await vscode.commands.executeCommand('workbench.trust.manage');
    console.log('[host trust] grant');
    await waitFor(() => vscode.workspace.isTrusted, 'the runner to grant workspace trust');
    await granted;
    const chip = await changedTo(since, (c) => c?.text === 'Rules from workspace/AGENTS.md:\nTrusted now.', 'trust granted');
    assert.equal(chip?.detail, 'workspace/AGENTS.md');
  });
});
