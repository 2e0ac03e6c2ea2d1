// The chat's context end to end, in a real multi-root workspace, through the real ChatController
// (the typed protocol, as the webview speaks it) against the gateway test server: @-mentions
// picked from the list, the project rules in the system prompt, @workspace snippets in the
// message, the budget line's parts, path:line references opened, and the search the chat decides.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UserTurn } from '../../../src/common/chat/model';
import * as P from '../../../src/common/chat/protocol';
import { ChatPeer, chatPeerFixture } from './chatPeer';
import { hostFixture, setUserSettings, waitFor, waitForMessage } from './helpers';

const folders = () => vscode.workspace.workspaceFolders ?? [];
const folder = (name: string) => {
  const f = folders().find((w) => w.name === name);
  assert.ok(f, `no workspace folder ${name} (folders: ${folders().map((w) => w.name).join(', ')})`);
  return f;
};

const RULES = 'Always put the word PINEAPPLE on the first line of each answer.';
const AUTH = [
  "import { createHmac } from 'node:crypto';",
  '',
  '/** Reads the user id out of a signed session token: `<userId>.<signature>`. */',
  'export function parseUserAuthToken(token: string, secret: string): string | undefined {',
  "  const [userId, signature] = token.split('.');",
  "  const expected = createHmac('sha256', secret).update(userId).digest('hex');",
  '  return signature === expected ? userId : undefined;',
  '}',
  '',
].join('\n');

/** The pending chips the peer was last told about. */
function pendingChips(peer: ChatPeer) {
  return peer.notifications(P.PendingContextChanged).at(-1)?.context ?? [];
}

/** Picks the first entry of the list for `query` that `match` accepts; returns it. */
async function pick(peer: ChatPeer, query: string, match: (m: P.MentionItem) => boolean): Promise<P.MentionItem> {
  const items = await peer.messenger.sendRequest(P.QueryMentions, { trigger: '@', query });
  const item = items.find(match);
  assert.ok(item, `no matching entry for @${query}: ${JSON.stringify(items.slice(0, 10))}`);
  const before = peer.notifications(P.PendingContextChanged).length;
  peer.notify(P.PickMention, { id: item.id });
  await waitFor(() => peer.notifications(P.PendingContextChanged).length > before || undefined, `the chip for @${query}`);
  return item;
}

function lastUserTurn(peer: ChatPeer): UserTurn {
  const turns = peer.notifications(P.TurnChanged).map((n) => n.turn).filter((t): t is UserTurn => t.role === 'user');
  const fromSnapshots = peer.notifications(P.SnapshotChanged).flatMap((s) => s.conversation.turns).filter((t): t is UserTurn => t.role === 'user');
  const turn = turns.at(-1) ?? fromSnapshots.at(-1);
  assert.ok(turn, 'no user turn');
  return turn;
}

describe('chat context: mentions, rules and workspace search end to end', function () {
  this.timeout(180_000);
  const f = hostFixture('sk-context-test');
  const peers = chatPeerFixture(() => f.api, { ready: true });
  const written: string[] = [];

  before(async () => {
    const app = folder('workspace').uri.fsPath;
    const write = (rel: string, text: string) => {
      const file = path.join(app, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      written.push(file);
    };
    write('AGENTS.md', `# Agent rules\n\n${RULES}\n`);
    write('src/auth/session.ts', AUTH);
    // the rules are read (file watcher) and the chat shows them as a chip
    await waitFor(() => f.api.chat.pendingView().find((c) => c.kind === 'rules' && c.text.includes('PINEAPPLE')), 'the rules chip');
  });

  after(() => {
    for (const file of written) fs.rmSync(file, { force: true });
  });

  it('sends the picked chips, the rules in the system prompt and the snippets @workspace found; the request fits', async () => {
    const { peer } = peers;
    await pick(peer, 'slug', (m) => m.kind === 'file' && /slug\.ts/.test(m.label + (m.detail ?? '')));
    await pick(peer, 'workspace', (m) => m.kind === 'workspace');
    const chips = pendingChips(peer);
    assert.deepEqual(chips.map((c) => c.kind), ['rules', 'file', 'workspace']);
    const slug = chips[1];
    assert.equal(slug.label, 'lib/strings/slug.ts');
    assert.ok((slug.tokens ?? 0) > 10, `the chip shows its tokens: ${slug.tokens}`);

    const question = 'How do we decode the authentication tokens of our users?';
    const budget = await peer.messenger.sendRequest(P.EstimateBudget, { draft: question });
    assert.ok(budget.parts.rules > 0, 'the rules are counted');
    assert.ok(budget.parts.snippets > 0, 'room is kept for the search');
    assert.ok(budget.parts.chips.find((c) => c.id === slug.id)?.tokens === slug.tokens);
    assert.ok(budget.cost.prompt > 0 && budget.cost.answer > 0, JSON.stringify(budget.cost));
    assert.ok(budget.promptTokens + budget.maxTokens <= budget.contextWindow);

    peer.notify(P.Send, { text: question });
    const done = await peer.finishedAnswer(120_000);
    assert.equal(done.status, 'done', JSON.stringify(done.error));

    const body = f.gateway.lastRequest()?.body;
    const system: string = body.messages[0].content;
    const user: string = body.messages.at(-1).content;
    assert.ok(system.includes(RULES), 'the rules are in the system prompt');
    assert.ok(!user.includes(RULES), 'and not in the message');
    assert.ok(user.includes("return title.toLowerCase().trim()"), 'the picked file is sent');
    assert.match(user, /workspace\/src\/auth\/session\.ts:\d+-\d+\n`{3,}\n[\s\S]*parseUserAuthToken/, 'the search found the function by a question sharing no identifier with it');
    assert.ok(user.endsWith(question));

    const turn = lastUserTurn(peer);
    assert.ok(turn.snippets && turn.snippets.snippets >= 1, JSON.stringify(turn.snippets));
    assert.ok(turn.snippets.refs.some((r) => r.path === 'workspace/src/auth/session.ts'), JSON.stringify(turn.snippets.refs));
    const searched = turn.context.find((c) => c.kind === 'workspace');
    assert.ok(searched && searched.text.includes('parseUserAuthToken'));
    assert.ok(turn.context.some((c) => c.kind === 'rules'), 'the turn keeps the rules it was sent with');
    // after sending, the input is back to the rules alone
    const after = peer.notifications(P.SnapshotChanged).at(-1)?.pendingContext ?? [];
    assert.deepEqual(after.map((c) => c.kind), ['rules'], 'the view is told');
    assert.deepEqual(f.api.chat.pendingView().map((c) => c.kind), ['rules']);
  });

  it('removing the rules chip leaves them out of one message only', async () => {
    const { peer } = peers;
    const rules = f.api.chat.pendingView().find((c) => c.kind === 'rules');
    assert.ok(rules);
    peer.notify(P.RemoveContext, { id: rules.id });
    await waitFor(() => (pendingChips(peer).length === 0 ? true : undefined), 'the rules chip to go');
    peer.notify(P.Send, { text: 'first' });
    await peer.finishedAnswer();
    assert.ok(!f.gateway.lastRequest()?.body.messages[0].content.includes(RULES), 'no rules this time');
    assert.ok(f.api.chat.pendingView().some((c) => c.kind === 'rules'), 'back for the next message');
    peer.clear();
    peer.notify(P.Send, { text: 'second' });
    await peer.finishedAnswer();
    assert.ok(f.gateway.lastRequest()?.body.messages[0].content.includes(RULES), 'and sent with it');
  });

  it('searches by itself in auto mode for a question about the project, not for a general one', async () => {
    const { peer } = peers;
    await setUserSettings({ 'context.workspaceSearch': 'auto' });
    peer.notify(P.Send, { text: 'Where do we check the signature of a session token in this project?' });
    await peer.finishedAnswer(120_000);
    const turn = lastUserTurn(peer);
    const auto = turn.context.find((c) => c.kind === 'workspace');
    assert.ok(auto, 'an @workspace chip was added');
    assert.ok(turn.snippets && turn.snippets.refs.some((r) => r.path === 'workspace/src/auth/session.ts'), JSON.stringify(turn.snippets));
    peer.clear();
    peer.notify(P.Send, { text: 'What is a closure?' });
    await peer.finishedAnswer();
    assert.ok(!lastUserTurn(peer).context.some((c) => c.kind === 'workspace'), 'no search for a general question');
    await setUserSettings({ 'context.workspaceSearch': undefined });
  });

  it('opens a path:line reference of the workspace at its line, and refuses one outside it', async () => {
    const { peer } = peers;
    peer.notify(P.OpenLocation, { path: 'lib/strings/slug.ts', line: 2 });
    const editor = await waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.path.endsWith('/lib/strings/slug.ts') ? e : undefined;
    }, 'slug.ts to open');
    assert.equal(editor.selection.active.line, 1);
    peer.notify(P.OpenLocation, { path: '../../../../etc/passwd', line: 1 });
    await waitForMessage(f.api, /is not a file of this workspace/);
    assert.ok(vscode.window.activeTextEditor?.document.uri.path.endsWith('/lib/strings/slug.ts'), 'nothing else opened');
  });
});
