// `@hunyuan` in a real VS Code (code-server 1.139), against the gateway test server, two ways:
//
// 1. Through the handler: the extension's test API gives the same function registered with
//    `vscode.chat.createChatParticipant`; it is called with a real CancellationTokenSource and a
//    ChatResponseStream that records each part, and the buttons' commands are executed as a click
//    would. This is where the streamed parts (thinking, answer, cost line, buttons) are checked.
// 2. Through VS Code's own Chat view (bottom of this file): `workbench.action.chat.open` submits
//    `@hunyuan /explain` with an attached file, and VS Code calls the handler itself.
//
// NOTE, loudly: what the Chat view RENDERS of the parts is not read here (that is VS Code's DOM);
// test/ui/participant.ui.test.mjs reads it in Chromium.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ParticipantResult, ProposalArgs } from '../../../src/extension/participant/participant';
import { closeDiffsAndEditors, hostFixture, waitFor } from './helpers';

const FOLDER = 'participant-test';
const PARTICIPANT = 'hunyuan-coder.hunyuan';
const THINKING_SNIPPET = 'I will write a pure function';

type Part =
  | { kind: 'markdown'; value: string }
  | { kind: 'progress'; value: string }
  | { kind: 'button'; command: vscode.Command }
  | { kind: 'reference'; value: vscode.Uri | vscode.Location }
  | { kind: 'anchor'; value: vscode.Uri | vscode.Location }
  | { kind: 'other'; value: unknown };

/** A ChatResponseStream that records every part, in order. */
class RecordingStream implements vscode.ChatResponseStream {
  readonly parts: Part[] = [];
  markdown(value: string | vscode.MarkdownString): void {
    this.parts.push({ kind: 'markdown', value: typeof value === 'string' ? value : value.value });
  }
  anchor(value: vscode.Uri | vscode.Location): void {
    this.parts.push({ kind: 'anchor', value });
  }
  button(command: vscode.Command): void {
    this.parts.push({ kind: 'button', command });
  }
  filetree(value: vscode.ChatResponseFileTree[]): void {
    this.parts.push({ kind: 'other', value });
  }
  progress(value: string): void {
    this.parts.push({ kind: 'progress', value });
  }
  reference(value: vscode.Uri | vscode.Location): void {
    this.parts.push({ kind: 'reference', value });
  }
  push(part: vscode.ChatResponsePart): void {
    this.parts.push({ kind: 'other', value: part });
  }
  get text(): string {
    return this.parts.flatMap((p) => (p.kind === 'markdown' ? [p.value] : [])).join('');
  }
  buttons(): vscode.Command[] {
    return this.parts.flatMap((p) => (p.kind === 'button' ? [p.command] : []));
  }
}

function chatRequest(over: Partial<vscode.ChatRequest>): vscode.ChatRequest {
  return { prompt: '', command: undefined, references: [], ...over } as vscode.ChatRequest;
}

let counter = 0;
async function workspaceFile(name: string, content: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host tests run with a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, FOLDER, `${counter++}`, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
  return uri;
}

function sampleUri(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  return vscode.Uri.joinPath(folder.uri, path);
}

describe('@hunyuan chat participant', () => {
  const f = hostFixture('sk-participant-test');

  before(() => {
    console.log('[participant] NOTE: these tests call the registered handler with a recording ChatResponseStream; the ones through'
      + ' VS Code\'s Chat view check what VS Code hands the handler, NOT what the Chat view renders (the UI test does: npm run test:ui).');
  });
  beforeEach(async () => closeDiffsAndEditors(f.api));

  const messages = (): { role: string; content: string }[] => (f.gateway.lastRequest()?.body.messages ?? []) as { role: string; content: string }[];
  const lastUser = (): string => messages().filter((m) => m.role === 'user').at(-1)?.content ?? '';

  async function ask(request: Partial<vscode.ChatRequest>, history: unknown[] = [], cts = new vscode.CancellationTokenSource()) {
    const stream = new RecordingStream();
    const result = await f.api.participant.handle(chatRequest(request), { history } as unknown as vscode.ChatContext, stream, cts.token);
    return { stream, result };
  }

  it('is registered with VS Code\'s chat (vscode.chat.createChatParticipant) in this VS Code', () => {
    assert.ok(f.api.participant.participant, 'the participant was not created');
    assert.equal(f.api.participant.participant.id, PARTICIPANT);
  });

  it('sends the references\' content and the history; streams the answer, keeps the thinking out of it, ends with tokens and cost', async () => {
    const selection = new vscode.Location(sampleUri('sample.ts'), new vscode.Range(1, 0, 3, 1));
    const history = [
      { prompt: 'what is 2+2?', command: undefined, references: [], participant: PARTICIPANT },
      {
        response: [new vscode.ChatResponseMarkdownPart('4\n\n*10 + 1 tokens · ¥0.0001*')],
        result: { metadata: { answer: 'EARLIER ANSWER: 4', status: 'done' } }, participant: PARTICIPANT,
      },
    ];
    const { stream, result } = await ask({
      prompt: 'how do these relate?',
      // VS Code lists references last-in-prompt first
      references: [
        { id: 'vscode.file', value: sampleUri('src/util.py') },
        { id: 'vscode.selection', value: selection },
      ],
    }, history);

    const sent = messages();
    assert.deepEqual(sent.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(sent[1].content, 'what is 2+2?');
    assert.equal(sent[2].content, 'EARLIER ANSWER: 4', 'the clean answer goes back, not the usage line');
    const user = sent[3].content;
    assert.match(user, /Selection from workspace\/sample\.ts, lines 2-4 \(typescript\):\n```typescript\nexport function add\(a: number, b: number\): number \{\n {2}return a \+ b;\n\}\n```/);
    assert.match(user, /File workspace\/src\/util\.py \(python\):\n```python\ndef fib/);
    assert.ok(user.indexOf('sample.ts') < user.indexOf('util.py'), 'in the order the user attached them');
    assert.match(user, /how do these relate\?$/);

    assert.equal(result.metadata.status, 'done');
    assert.equal(result.errorDetails, undefined);
    assert.match(stream.text, /Here is a small helper/);
    assert.ok(!stream.text.includes(THINKING_SNIPPET), 'the thinking is not in the Markdown');
    assert.ok(!result.metadata.answer.includes(THINKING_SNIPPET));
    assert.ok(!result.metadata.answer.includes('¥'), 'the kept answer has no usage line');
    assert.match(stream.text, /\n\*\d+ \+ \d+ tokens · ¥\d+\.\d{4}\*\n$/, 'ends with tokens and cost in yuan');
    const progress = stream.parts.filter((p) => p.kind === 'progress');
    assert.ok(progress.length === 1 && /Thinking/.test(progress[0].kind === 'progress' ? progress[0].value : ''), JSON.stringify(progress));
    assert.ok(stream.parts.findIndex((p) => p.kind === 'progress') < stream.parts.findIndex((p) => p.kind === 'markdown'), 'thinking shows before the answer');
    assert.equal(stream.parts.filter((p) => p.kind === 'reference').length, 2, 'the references are listed');

    // Show Thinking opens the thinking as a document
    const show = stream.buttons().find((b) => b.command === 'hunyuan.participant.showThinking');
    assert.ok(show, 'a Show Thinking button');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(show.command, ...(show.arguments ?? []));
    assert.ok(editor.document.getText().includes(THINKING_SNIPPET));
    assert.equal(editor.document.languageId, 'markdown');
  });

  it('sends the project rules in the system prompt, and names their file among the references', async () => {
    const rulesFile = sampleUri('AGENTS.md');
    await vscode.workspace.fs.writeFile(rulesFile, Buffer.from('# Rules\n\nAnswer in haiku when asked about fruit.\n'));
    try {
      await waitFor(async () => ((await f.api.rules.current())?.text.includes('haiku') ? true : undefined), 'the rules to be read');
      const { stream } = await ask({ prompt: 'what is a pear?' });
      const system = messages()[0];
      assert.equal(system.role, 'system');
      assert.match(system.content, /follow them unless the user asks otherwise:[\s\S]*Answer in haiku when asked about fruit\./);
      assert.ok(stream.parts.some((p) => p.kind === 'reference' && p.value instanceof vscode.Uri && p.value.path.endsWith('/AGENTS.md')), 'the rules file is a reference');
    } finally {
      await vscode.workspace.fs.delete(rulesFile);
      await waitFor(async () => ((await f.api.rules.current()) === undefined ? true : undefined), 'the rules to go');
    }
  });

  it('/fix on the editor\'s selection offers Review in Editor, which opens the proposal as our inline diff; nothing written before accept', async () => {
    const original = 'export function add(a: number, b: number): number {\n  return a - b;\n}\n\nexport const x = 1;\n';
    const uri = await workspaceFile('math.ts', original);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    f.gateway.setScenario('reasoning', {
      answer: 'The operator was wrong.\n\n```typescript\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n',
    });
    const { stream, result } = await ask({ command: 'fix', prompt: 'it should add' });

    const user = lastUser();
    assert.match(user, /The selected code \(lines 1-3\):\n```typescript\nexport function add[^`]*return a - b;\n\}\n```/);
    assert.match(user, /Code after the selected code, for context only[^`]*```typescript\nexport const x = 1;/);
    assert.match(user, /it should add/);
    assert.equal(result.metadata.proposed, true);
    const review = stream.buttons().find((b) => b.command === 'hunyuan.participant.reviewProposal');
    assert.ok(review, `a Review in Editor button; parts: ${JSON.stringify(stream.parts)}`);
    const args = review.arguments?.[0] as ProposalArgs;
    assert.deepEqual(JSON.parse(JSON.stringify(args)), args, 'its arguments are plain JSON (kept with the chat)');

    // the user typed above the target meanwhile: the proposal still lands on it
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// header\n'));
    const diff = await vscode.commands.executeCommand<{ hunks: readonly unknown[]; acceptAll(): Promise<boolean> } | undefined>(review.command, ...(review.arguments ?? []));
    assert.ok(diff, 'the proposal opened');
    const doc = editor.document;
    assert.equal(f.api.diffs.sessions(doc).length, 1, 'shown through InlineDiffs');
    assert.equal(diff.hunks.length, 1);
    assert.equal(doc.getText(), `// header\n${original}`, 'nothing written before accept');
    assert.equal(await diff.acceptAll(), true);
    assert.equal(doc.getText(), `// header\n${original.replace('a - b', 'a + b')}`);
  });

  it('/doc on a selection in Python proposes docstrings through the inline diff', async () => {
    const uri = await workspaceFile('calc.py', 'def double(n):\n    return n * 2\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    editor.selection = new vscode.Selection(0, 0, 1, 16);
    f.gateway.setScenario('reasoning', { answer: '```python\ndef double(n):\n    """Return twice n."""\n    return n * 2\n```' });
    const { stream } = await ask({ command: 'doc' });
    assert.match(lastUser(), /as docstrings \(PEP 257/);
    const review = stream.buttons().find((b) => b.command === 'hunyuan.participant.reviewProposal');
    assert.ok(review);
    const diff = await vscode.commands.executeCommand<{ hunks: readonly unknown[] } | undefined>(review.command, ...(review.arguments ?? []));
    assert.equal(diff?.hunks.length, 1);
    assert.equal(editor.document.getText(), 'def double(n):\n    return n * 2\n', 'not written yet');
  });

  it('/tests finds the project\'s test framework from its files', async () => {
    const pkg = await workspaceFile('package.json', JSON.stringify({ name: 'x', devDependencies: { vitest: '^2.0.0' } }));
    const code = vscode.Uri.joinPath(pkg, '..', 'src', 'sum.ts');
    await vscode.workspace.fs.writeFile(code, Buffer.from('export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n', 'utf8'));
    const { stream, result } = await ask({ command: 'tests', references: [{ id: 'vscode.file', value: code }] });
    assert.equal(result.metadata.status, 'done');
    assert.match(lastUser(), /Use Vitest \(the project uses it: package\.json devDependencies\)/);
    assert.match(lastUser(), /File .*sum\.ts \(typescript\):\n```typescript\nexport const sum/);
    assert.ok(stream.parts.some((p) => p.kind === 'progress' && /Vitest/.test(p.value)));
    assert.deepEqual(f.api.participant.followups(result).map((x) => x.command), ['tests']);
  });

  it('stops when cancelled: the request is aborted and the response ends as stopped', async () => {
    f.gateway.setScenario('never-ends', { chunksBeforeFault: 2 });
    const cts = new vscode.CancellationTokenSource();
    const stream = new RecordingStream();
    const running = f.api.participant.handle(chatRequest({ prompt: 'hello' }), { history: [] }, stream, cts.token);
    await waitFor(() => f.gateway.requests.some((r) => r.path.endsWith('/chat/completions')), 'the request to reach the gateway');
    cts.cancel();
    const result = (await running) as ParticipantResult;
    assert.equal(result.metadata.status, 'stopped');
    assert.equal(result.errorDetails, undefined, 'a cancel is not an error');
    assert.deepEqual(f.api.participant.followups(result), []);
  });

  it('shows our error message with the button that fixes it, and sends nothing without a key', async () => {
    await f.api.apiKeys.clear();
    const { stream, result } = await ask({ command: 'explain', prompt: 'x' });
    assert.match(result.errorDetails?.message ?? '', /No Hunyuan API key is set/);
    assert.deepEqual(stream.buttons().map((b) => b.command), ['hunyuan.setApiKey']);
    assert.equal(f.gateway.requests.length, 0);
    assert.deepEqual(f.api.participant.followups(result), []);
  });

  it('a gateway error ends with its message and Show Log', async () => {
    f.gateway.setScenario('malformed-chunk', { chunksBeforeFault: 1 });
    const { stream, result } = await ask({ prompt: 'hi' });
    assert.match(result.errorDetails?.message ?? '', /cannot read/);
    assert.ok(stream.buttons().some((b) => b.command === 'hunyuan.showLog'));
  });
});

// Through VS Code's own Chat view: `workbench.action.chat.open` with a query types it into the
// Chat view's input and submits it, as the user would; VS Code parses `@hunyuan`, the slash
// command and `#file:` references and calls the registered handler. The rendered response is VS
// Code's and is not read here: what is checked is what VS Code handed the handler (the request,
// its references, the history with our kept answer) and what reached the gateway.
describe('@hunyuan through VS Code\'s Chat view', () => {
  const f = hostFixture('sk-participant-view-test');

  async function send(query: string, more: Record<string, unknown> = {}): Promise<{ request: vscode.ChatRequest; result: ParticipantResult }> {
    let answered: { request: vscode.ChatRequest; result: ParticipantResult } | undefined;
    const sub = f.api.participant.onDidAnswer((e) => {
      answered = e;
    });
    try {
      await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, ...more });
      return await waitFor(() => answered, `the Chat view to send "${query}" to @hunyuan and the handler to answer`);
    } finally {
      sub.dispose();
    }
  }

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
  });

  it('sends "@hunyuan /explain" with an attached file to the handler, then a follow-up with the history', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const first = await send('@hunyuan /explain', { attachFiles: [vscode.Uri.joinPath(folder.uri, 'sample.ts')] });
    assert.ok(first.request.references.some((r) => r.value instanceof vscode.Uri && r.value.path.endsWith('/sample.ts')), 'VS Code passed the file as a Uri reference');
    assert.equal(first.request.command, 'explain');
    assert.equal(first.result.metadata.status, 'done', JSON.stringify(first.result));
    const user1 = lastUserOf(f);
    assert.match(user1, /Explain this code from `workspace\/sample\.ts`/);
    assert.match(user1, /```typescript\n\/\/ Sample file for the Hunyuan Coder host tests\./);

    const second = await send('@hunyuan what does greeting hold?');
    assert.equal(second.result.metadata.status, 'done');
    const sent = (f.gateway.lastRequest()?.body.messages ?? []) as { role: string; content: string }[];
    assert.deepEqual(sent.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(sent[1].content, /^\/explain /, 'the earlier question, with its command');
    assert.equal(sent[2].content, first.result.metadata.answer.trim(), 'the earlier answer as kept: no usage line, no thinking');
    assert.ok(!sent[2].content.includes('¥') && !sent[2].content.includes(THINKING_SNIPPET));
    assert.match(sent[3].content, /what does greeting hold\?$/);
  });

  it('"@hunyuan /fix" on an attached selection: VS Code takes our progress, references and Review in Editor button', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    const uri = await workspaceFile('view-fix.ts', 'export function add(a: number, b: number): number {\n  return a - b;\n}\n');
    f.gateway.setScenario('reasoning', {
      answer: 'Wrong operator.\n\n```typescript\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n',
    });
    const { request, result } = await send('@hunyuan /fix', {
      // the workbench's own range shape (1-based lines and columns)
      attachFiles: [{ uri, range: { startLineNumber: 1, startColumn: 1, endLineNumber: 3, endColumn: 2 } }],
    });
    assert.ok(request.references.some((r) => r.value instanceof vscode.Location && r.value.range.start.line === 0 && r.value.range.end.line === 2), 'VS Code passed the selection as a Location');
    assert.equal(result.errorDetails, undefined);
    assert.equal(result.metadata.status, 'done');
    assert.match(lastUserOf(f), /return a - b;/);
    assert.equal(result.metadata.proposed, true, 'the Review in Editor button was streamed');
  });
});

function lastUserOf(f: ReturnType<typeof hostFixture>): string {
  const messages = (f.gateway.lastRequest()?.body.messages ?? []) as { role: string; content: string }[];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}
