// Workspace search (src/extension/search) in a real extension host, over the real multi-root test
// workspace: the index built in its worker thread (dist/searchWorker.js) with progress, a function
// found by a question sharing no identifier with it, .gitignore'd and search.exclude'd files never
// returned, changes on disk followed through the file watcher, a .gitignore or exclude change
// rebuilding, whole functions from the TypeScript symbols, a worker that cannot start, and 'off'.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../../src/extension/log/logger';
import { WorkspaceSearch, type SearchStatus, type WorkspaceSnippet } from '../../../src/extension/search/workspaceSearch';
import { activateExtension, setUserSettings, waitFor } from './helpers';

const QUESTION = 'how do we parse authentication tokens of users?';

describe('workspace search', () => {
  let extensionUri: vscode.Uri;
  /** What the searches logged (shown when a test fails); a channel of its own would share the extension's log file. */
  const logged: string[] = [];
  const log = {
    info: (m: string) => logged.push(`info ${m}`),
    warn: (m: string) => logged.push(`warn ${m}`),
    error: (m: string) => logged.push(`error ${m}`),
    debug: (m: string) => logged.push(`debug ${m}`),
  } as unknown as Logger;
  let dir: string;
  const searches: WorkspaceSearch[] = [];
  const file = (rel: string) => path.join(dir, rel);
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), text);
  };
  /** The path a snippet of `rel` must have: workspace-relative, with the folder's name (there are two folders). */
  const shown = (rel: string) => vscode.workspace.asRelativePath(vscode.Uri.file(file(rel)), true);
  const make = (uri = extensionUri) => {
    const s = new WorkspaceSearch(log, uri);
    searches.push(s);
    return s;
  };

  before(async () => {
    ({ ext: { extensionUri } } = await activateExtension());
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && (vscode.workspace.workspaceFolders?.length ?? 0) > 1, 'the host tests run in a multi-root workspace');
    dir = path.join(folder.uri.fsPath, 'search-fixture');
    fs.rmSync(dir, { recursive: true, force: true });
    write('auth/tokens.ts', [
      "import { decode } from './jwt';",
      '',
      '/** Reads the token a user signed in with from an Authorization header. */',
      'export function parseUserAuthToken(header: string): { user: string; expires: number } {',
      "  const raw = header.replace(/^Bearer /, '');",
      '  return decode(raw);',
      '}',
      '',
    ].join('\n'));
    write('ui/colors.ts', 'export function mixColors(a: string, b: string): string {\n  return a + b;\n}\n');
    write('notes.md', '# Notes\n\nThe build runs on every push.\n');
    write('.gitignore', 'private/\n');
    write('private/authTokens.ts', 'export function parseUserAuthenticationTokens() { return "zebraquokka"; }\n');
    write('vendored/authTokens.ts', 'export function parseUsersAuthTokens() { return "walrusnarwhal"; }\n');
    write('logo.txt', Buffer.from([0x61, 0x75, 0x74, 0x68, 0x00, 0x01, 0x02]));
    // a function longer than a snippet (80 lines): a question about its end finds only its end
    const body = Array.from({ length: 96 }, (_, i) => `  total += rows[${i}].amount * ${i + 1};`);
    write('report/yearly.ts', [
      '/** Builds the yearly report. */',
      'export function buildYearlyReport(rows: Array<{ amount: number }>): number {',
      '  let total = 0;',
      ...body,
      '  // the quarterly reconciliation of the ledgers happens here',
      '  return total;',
      '}',
      '',
    ].join('\n'));
    // enough files for progress reports (every 100)
    for (let i = 0; i < 150; i++) write(`gen/value${i}.ts`, `export const value${i} = ${i};\n`);
    await vscode.workspace.getConfiguration('search').update('exclude', { '**/vendored': true }, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const s of searches) s.dispose();
    await vscode.workspace.getConfiguration('search').update('exclude', undefined, vscode.ConfigurationTarget.Global);
    await setUserSettings({ 'context.workspaceSearch': undefined });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let search: WorkspaceSearch;
  const find = (hits: WorkspaceSnippet[], rel: string) => hits.find((h) => h.path === shown(rel));

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`[workspace search] the log:\n${logged.slice(-40).join('\n')}`);
  });

  it('builds the index in the background (indexing, then ready) and finds a function by a question sharing no identifier', async () => {
    search = make();
    const seen: SearchStatus[] = [];
    search.onDidChangeStatus((s) => seen.push(s));
    assert.equal(search.status.state, 'idle');
    search.start();
    search.start(); // idempotent
    await waitFor(() => search.status.state === 'ready' || search.status.state === 'failed', 'the index to be ready');
    assert.equal(search.status.state, 'ready', search.status.message);
    const states = seen.map((s) => s.state);
    assert.equal(states[0], 'indexing');
    assert.equal(states[states.length - 1], 'ready');
    assert.deepEqual([...new Set(states)], ['indexing', 'ready'], states.join(', '));
    assert.ok(seen.some((s) => s.state === 'indexing' && s.indexed + s.skipped >= 100 && s.total > s.indexed + s.skipped), `progress while indexing: ${JSON.stringify(seen)}`);
    const status = search.status;
    assert.ok(status.indexed >= 160 && status.total === status.indexed + status.skipped, JSON.stringify(status));
    assert.ok(status.skipped >= 1, 'the binary file is skipped');

    const hits = await search.search(QUESTION, 5);
    const hit = hits[0];
    assert.ok(hit, 'found something');
    assert.equal(hit.path, shown('auth/tokens.ts'));
    assert.ok(hit.path.startsWith(`${vscode.workspace.workspaceFolders![0].name}/`), hit.path);
    assert.equal(hit.uri, vscode.Uri.file(file('auth/tokens.ts')).toString());
    assert.equal(hit.languageId, 'typescript');
    // the function's line (4) is within the snippet, whose text is those lines
    assert.ok(hit.startLine <= 4 && hit.endLine >= 7, `${hit.startLine}-${hit.endLine}`);
    assert.match(hit.text, /export function parseUserAuthToken\(header: string\)/);
    const lines = fs.readFileSync(file('auth/tokens.ts'), 'utf8').split('\n');
    assert.equal(hit.text, lines.slice(hit.startLine - 1, hit.endLine).join('\n'));
    assert.ok(hit.score > 0);
  });

  it('never returns .gitignore\'d, search.exclude\'d or binary files, even for their own words', async () => {
    for (const q of [QUESTION, 'zebraquokka', 'walrusnarwhal parseUsersAuthTokens', 'parseUserAuthenticationTokens']) {
      const hits = await search.search(q, 20);
      for (const h of hits) assert.ok(!/\/(private|vendored)\/|logo\.txt/.test(h.path), `${q} found ${h.path}`);
    }
    assert.deepEqual(await search.search('zebraquokka', 5), []);
  });

  it('widens a snippet to the whole function where the TypeScript symbols show it', async () => {
    const uri = vscode.Uri.file(file('report/yearly.ts'));
    // the TypeScript server may take a while to start: wait until it gives this file's symbols
    await waitFor(async () => ((await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', uri)) ?? []).length > 0, 'TypeScript symbols');
    const hits = await search.search('where is the quarterly reconciliation of the ledgers?', 3);
    const hit = find(hits, 'report/yearly.ts');
    assert.ok(hit, JSON.stringify(hits.map((h) => h.path)));
    // the index alone has lines 81-103 (a cut at 80 lines); the symbols give the whole function, 1 (or 2) to 102
    assert.ok(hit.startLine <= 2 && hit.endLine >= 102, `${hit.startLine}-${hit.endLine}`);
    assert.match(hit.text, /export function buildYearlyReport/);
    assert.match(hit.text, /quarterly reconciliation/);
    assert.equal(hits.filter((h) => h.path === hit.path).length, 1, 'one snippet per function');
  });

  it('follows the files on disk: a changed file by its new content, a new file, a deleted file no more', async () => {
    write('ui/colors.ts', 'export function computeInvoiceTaxTotal(net: number, rate: number): number {\n  return net * rate;\n}\n');
    write('billing/refunds.py', 'def issue_customer_refund(order_id):\n    """Sends the money back."""\n    return gateway.refund(order_id)\n');
    const changed = await waitFor(async () => find(await search.search('how is the tax total of an invoice computed', 5), 'ui/colors.ts'), 'the changed file to be found');
    assert.match(changed.text, /computeInvoiceTaxTotal/);
    assert.deepEqual(await search.search('mix', 5), [], 'the old content is gone');
    const created = await waitFor(async () => find(await search.search('refunding customers', 5), 'billing/refunds.py'), 'the new file to be found');
    assert.equal(created.languageId, 'python');

    fs.rmSync(file('auth/tokens.ts'));
    await waitFor(async () => !find(await search.search(QUESTION, 20), 'auth/tokens.ts'), 'the deleted file to be gone');
    fs.rmSync(file('billing'), { recursive: true });
    await waitFor(async () => !find(await search.search('refunding customers', 20), 'billing/refunds.py'), 'the deleted folder to be gone');
    assert.equal(search.status.state, 'ready');
  });

  it('rebuilds when a .gitignore or the exclude settings change', async () => {
    write('.gitignore', '# nothing ignored now\n');
    const unignored = await waitFor(async () => find(await search.search('zebraquokka', 5), 'private/authTokens.ts'), 'the file no longer ignored to be found');
    assert.match(unignored.text, /zebraquokka/);
    await vscode.workspace.getConfiguration('search').update('exclude', {}, vscode.ConfigurationTarget.Global);
    await waitFor(async () => find(await search.search('walrusnarwhal', 5), 'vendored/authTokens.ts'), 'the file no longer excluded to be found');
    await vscode.workspace.getConfiguration('search').update('exclude', { '**/vendored': true }, vscode.ConfigurationTarget.Global);
    await waitFor(async () => !find(await search.search('walrusnarwhal', 5), 'vendored/authTokens.ts'), 'the excluded file to be gone again');
  });

  it('a worker that cannot run: status failed with a message, search rejects with a clear error', async () => {
    const broken = make(vscode.Uri.file(path.join(dir, 'no-such-extension')));
    await assert.rejects(broken.search(QUESTION, 5), (err: Error) => /workspace index/i.test(err.message) && /searchWorker\.js/.test(err.message));
    assert.equal(broken.status.state, 'failed');
    assert.match(broken.status.message ?? '', /searchWorker\.js/);
    broken.dispose();
    await assert.rejects(broken.search(QUESTION, 5), /shut down/);
  });

  it('stops at cancellation or dispose, and indexes nothing with hunyuan.context.workspaceSearch off', async () => {
    const fresh = make();
    const cts = new vscode.CancellationTokenSource();
    cts.cancel();
    await assert.rejects(fresh.search(QUESTION, 5, cts.token), (err: Error) => err instanceof vscode.CancellationError || err.name === 'Canceled');
    fresh.dispose();
    // disposed while a search waits for its index: the search fails, it does not hang
    const disposed = make();
    const waiting = disposed.search(QUESTION, 5);
    disposed.dispose();
    await assert.rejects(waiting, /shut down/);

    await setUserSettings({ 'context.workspaceSearch': 'off' });
    await waitFor(() => search.status.state === 'off', 'the running index to turn off');
    const off = make();
    const states: string[] = [];
    off.onDidChangeStatus((s) => states.push(s.state));
    assert.equal(off.status.state, 'off');
    off.start();
    assert.deepEqual(await off.search(QUESTION, 5), []);
    assert.equal(off.status.state, 'off');
    assert.deepEqual(states, []);
    await setUserSettings({ 'context.workspaceSearch': undefined });
    await waitFor(() => search.status.state === 'ready', 'the index to be built again');
    assert.ok((await search.search('refunding customers tax invoice', 5)).length > 0);
  });
});
