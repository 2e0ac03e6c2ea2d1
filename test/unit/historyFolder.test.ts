// The chat history on disk (src/extension/chat/historyFolder.ts), with real files in a temporary
// folder. Two HistoryFolder instances on one folder are two VS Code windows sharing a storage
// folder (every window without a folder shares the global one); historyProcesses.test.ts runs
// them in two real processes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AssistantTurn, Conversation, UserTurn } from '../../src/common/chat/model';
import { parseConversationFile, serializeHistory, type HistoryFile } from '../../src/core/chat/history';
import { HistoryFolder, HISTORY_DIR, LEGACY_FILE } from '../../src/extension/chat/historyFolder';

const user = (id: string, text: string): UserTurn => ({ id, role: 'user', text, context: [], thinking: 'slow', createdAt: 1 });
const answer = (id: string, text: string): AssistantTurn => ({ id, role: 'assistant', thinking: '', answer: text, status: 'done', startedAt: 2 });
let t0 = 1_700_000_000_000;
const conversation = (id: string, n = 2): Conversation => {
  const at = t0++;
  return { id, title: `title ${id}`, createdAt: at, updatedAt: at, turns: Array.from({ length: n }, (_, i) => (i % 2 ? answer(`${id}-a${i}`, `answer ${i}`) : user(`${id}-u${i}`, `question ${i}`))) };
};

/** A window: its store, its history in memory, what it logged and how often others changed it. */
class Window {
  readonly logged: string[] = [];
  external = 0;
  history!: HistoryFile;
  readonly store: HistoryFolder;
  constructor(root: string) {
    const log = (level: string) => (m: string) => this.logged.push(`${level} ${m}`);
    this.store = new HistoryFolder(root, { info: log('info'), warn: log('warn'), error: log('error') }, () => this.external++, 5);
  }
  async load() {
    const r = await this.store.load();
    this.history = r.history;
    return r;
  }
  /** As the chat does: a new conversation is listed and saved. */
  add(c: Conversation) {
    this.history.conversations.push(c);
    this.history.activeId = c.id;
    this.store.scheduleSave(this.history, c);
  }
  get(id: string) {
    return this.history.conversations.find((c) => c.id === id);
  }
  /** As the chat does: a message sent, answered. */
  continue(id: string, tag: string) {
    const c = this.get(id);
    assert.ok(c, `${id} in memory`);
    c.turns.push(user(`${tag}-u`, `question ${tag}`), answer(`${tag}-a`, `answer ${tag}`));
    c.updatedAt = Date.now();
    this.store.scheduleSave(this.history, c);
  }
  delete(id: string) {
    const at = this.history.conversations.findIndex((c) => c.id === id);
    const [removed] = this.history.conversations.splice(at, 1);
    this.store.scheduleSave(this.history);
    return removed;
  }
  errors() {
    return this.logged.filter((l) => l.startsWith('error'));
  }
}

describe('chat history on disk', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-history-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const dir = () => path.join(root, HISTORY_DIR);
  const onDisk = async () => (await fresh()).conversations;
  async function fresh(): Promise<HistoryFile> {
    const w = new Window(root);
    await w.load();
    assert.deepEqual(w.errors(), []);
    return w.history;
  }
  const fileOf = (w: Window, id: string) => w.store.conversationFile(id);

  it('keeps one file per conversation and writes only the ones that changed', async () => {
    const w = new Window(root);
    await w.load();
    for (const id of ['c-1', 'c-2', 'c-3']) w.add(conversation(id));
    await w.store.flush();
    assert.equal(w.store.stats.conversationWrites, 3);
    const before = ['c-1', 'c-3'].map((id) => fs.statSync(fileOf(w, id)));
    w.continue('c-2', 'x');
    await w.store.flush();
    assert.equal(w.store.stats.conversationWrites, 4, 'one more file written');
    assert.deepEqual(['c-1', 'c-3'].map((id) => fs.statSync(fileOf(w, id))), before, 'the others untouched');
    assert.deepEqual((await onDisk()).map((c) => [c.id, c.turns.length]), [['c-1', 2], ['c-2', 4], ['c-3', 2]]);
    assert.deepEqual(fs.readdirSync(dir()).filter((n) => /\.(tmp|lock)$/.test(n)), [], 'no temporary file or lock left');
    assert.deepEqual(w.errors(), []);
  });

  it('saves a change it was not told about (title, turns) at the next save', async () => {
    const w = new Window(root);
    await w.load();
    w.add(conversation('c-1'));
    await w.store.flush();
    const c = w.get('c-1')!;
    c.title = 'renamed quietly';
    c.turns.push(user('late', 'late question'));
    w.store.scheduleSave(w.history);
    await w.store.flush();
    const [back] = await onDisk();
    assert.equal(back.title, 'renamed quietly');
    assert.equal(back.turns.length, 3);
  });

  it('two windows: each one\'s conversations survive the other\'s saves', async () => {
    const a = new Window(root);
    const b = new Window(root);
    await a.load();
    await b.load();
    a.add(conversation('from-a'));
    b.add(conversation('from-b'));
    await Promise.all([a.store.flush(), b.store.flush()]);
    a.continue('from-a', 'a2');
    b.continue('from-b', 'b2');
    await Promise.all([a.store.flush(), b.store.flush()]);
    assert.deepEqual((await onDisk()).map((c) => [c.id, c.turns.length]), [['from-a', 4], ['from-b', 4]]);
  });

  it('a window sees conversations another created, continued, renamed or deleted when it refreshes', async () => {
    const a = new Window(root);
    const b = new Window(root);
    await a.load();
    for (const id of ['kept', 'renamed', 'deleted', 'continued']) a.add(conversation(id));
    await a.store.flush();
    await b.load();
    assert.equal(b.history.conversations.length, 4);
    a.add(conversation('new'));
    a.get('renamed')!.title = 'Renamed in A';
    a.store.scheduleSave(a.history, a.get('renamed'));
    a.delete('deleted');
    a.continue('continued', 'more');
    await a.store.flush();
    const continued = b.get('continued');
    await b.store.refresh();
    assert.equal(b.external, 1, 'told once');
    assert.deepEqual(b.history.conversations.map((c) => c.id).sort(), ['continued', 'kept', 'new', 'renamed']);
    assert.equal(b.get('renamed')?.title, 'Renamed in A');
    assert.equal(b.get('continued'), continued, 'the same object, changed in place');
    assert.equal(continued?.turns.length, 4);
    await b.store.refresh();
    assert.equal(b.external, 1, 'nothing new: not told again');
    await b.store.flush();
    assert.equal(b.store.stats.conversationWrites, 0, 'what it read is not written back');
  });

  it('a deletion in one window is not undone by the other window\'s save', async () => {
    const a = new Window(root);
    const b = new Window(root);
    await a.load();
    a.add(conversation('doomed'));
    a.add(conversation('other'));
    await a.store.flush();
    await b.load();
    a.delete('doomed');
    await a.store.flush();
    assert.ok(!fs.existsSync(fileOf(a, 'doomed')));
    // b has not noticed, and its copy changes (an answer still streaming into it there)
    const stale = b.get('doomed')!;
    (stale.turns[1] as AssistantTurn).answer += ' more tokens';
    b.store.scheduleSave(b.history, stale);
    b.continue('other', 'b');
    await b.store.flush();
    assert.deepEqual((await onDisk()).map((c) => c.id), ['other'], 'still deleted on disk');
    assert.equal(b.get('doomed'), undefined, 'and dropped in the other window');
    assert.equal(b.external, 1);
    // sending a message in it there (the chat lists it again) brings it back, with that message
    b.history.conversations.push(stale);
    b.continue('doomed', 'again');
    await b.store.flush();
    assert.deepEqual((await onDisk()).find((c) => c.id === 'doomed')?.turns.map((t) => t.id), ['doomed-u0', 'doomed-a1', 'again-u', 'again-a']);
  });

  it('Undo after a delete writes the conversation back', async () => {
    const w = new Window(root);
    await w.load();
    w.add(conversation('c-1'));
    await w.store.flush();
    const removed = w.delete('c-1');
    await w.store.flush();
    assert.deepEqual(await onDisk(), []);
    w.history.conversations.push(removed);
    w.store.scheduleSave(w.history);
    await w.store.flush();
    assert.deepEqual((await onDisk()).map((c) => c.id), ['c-1']);
    assert.deepEqual(fs.readdirSync(dir()).filter((n) => n.endsWith('.deleted')), [], 'its tombstone removed');
  });

  it('a rename in one window survives the other\'s save of the same conversation, and both windows\' turns are kept', async () => {
    const a = new Window(root);
    const b = new Window(root);
    await a.load();
    a.add(conversation('shared'));
    await a.store.flush();
    await b.load();
    a.get('shared')!.title = 'Renamed in A';
    a.continue('shared', 'a');
    await a.store.flush();
    b.continue('shared', 'b');
    await b.store.flush();
    // A's turns were saved first: they come first
    const expected = ['shared-u0', 'shared-a1', 'a-u', 'a-a', 'b-u', 'b-a'];
    const [disk] = await onDisk();
    assert.equal(disk.title, 'Renamed in A');
    assert.deepEqual(disk.turns.map((t) => t.id), expected);
    assert.equal(b.get('shared')?.title, 'Renamed in A', 'the merge is shown where it was made');
    assert.deepEqual(b.get('shared')?.turns.map((t) => t.id), expected);
    assert.equal(b.external, 1);
    await a.store.refresh();
    assert.deepEqual(a.get('shared')?.turns.map((t) => t.id), expected, 'and in the other window when it refreshes');
  });

  it('a lock left by a window that died while saving is removed, and the save goes through', async () => {
    const w = new Window(root);
    await w.load();
    const c = conversation('c-locked');
    const lock = fileOf(w, 'c-locked').replace(/\.json$/, '.lock');
    fs.mkdirSync(lock);
    const long = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, long, long);
    w.add(c);
    await w.store.flush();
    assert.deepEqual((await onDisk()).map((x) => x.id), ['c-locked']);
    assert.ok(!fs.existsSync(lock));
    assert.match(w.logged.join('\n'), /warn chat history: removing .*c-locked\.lock, left by a window that stopped while saving/);
  });

  it('the conversation shown last is the one a new window opens', async () => {
    const a = new Window(root);
    await a.load();
    a.add(conversation('one'));
    a.add(conversation('two'));
    a.history.activeId = 'one';
    await a.store.flush();
    assert.equal((await fresh()).activeId, 'one');
  });

  it('moves a damaged conversation file aside, keeps what can be read of it, loads the rest', async () => {
    const a = new Window(root);
    await a.load();
    a.add(conversation('good'));
    a.add(conversation('broken'));
    a.add(conversation('partial'));
    await a.store.flush();
    fs.writeFileSync(fileOf(a, 'broken'), '{"version":2,"conversation":{"id":"broken","turns":[');
    const partial = JSON.parse(fs.readFileSync(fileOf(a, 'partial'), 'utf8'));
    partial.conversation.turns.push({ role: 'tool' });
    fs.writeFileSync(fileOf(a, 'partial'), JSON.stringify(partial));
    const b = new Window(root);
    const r = await b.load();
    assert.equal(r.lost, 2);
    assert.equal(r.movedAside.length, 2);
    assert.deepEqual(b.history.conversations.map((c) => c.id), ['good', 'partial']);
    assert.equal(fs.readFileSync(r.movedAside.find((f) => f.includes('broken'))!, 'utf8'), '{"version":2,"conversation":{"id":"broken","turns":[', 'kept whole');
    await b.store.flush();
    const back = parseConversationFile(fs.readFileSync(fileOf(b, 'partial'), 'utf8'), '');
    assert.equal(back.status, 'ok', 'the readable part written again');
  });

  it('leaves a file written by a newer version alone', async () => {
    fs.mkdirSync(dir(), { recursive: true });
    const file = path.join(dir(), 'c-new.json');
    const text = JSON.stringify({ version: 99, conversation: { id: 'c-new', turns: [] } });
    fs.writeFileSync(file, text);
    const w = new Window(root);
    const r = await w.load();
    assert.deepEqual([r.history.conversations, r.lost, r.movedAside], [[], 0, []]);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  describe('the old single file', () => {
    const legacy = () => path.join(root, LEGACY_FILE);
    const OLD: HistoryFile = {
      version: 1,
      activeId: 'c-2',
      conversations: [conversation('c-1', 4), conversation('c-2', 2), { ...conversation('Weird Id~2', 1), title: '重命名' }],
    };
    const old = (): HistoryFile => JSON.parse(JSON.stringify(OLD));

    it('is converted without loss, and kept under another name', async () => {
      const text = serializeHistory(old());
      fs.writeFileSync(legacy(), text);
      const w = new Window(root);
      const r = await w.load();
      assert.deepEqual([r.lost, r.movedAside], [0, []]);
      assert.deepEqual(r.history.conversations, old().conversations);
      assert.equal(r.history.activeId, 'c-2');
      assert.ok(!fs.existsSync(legacy()));
      const kept = fs.readdirSync(root).filter((n) => n.startsWith('chat-history.migrated-'));
      assert.equal(kept.length, 1);
      assert.equal(fs.readFileSync(path.join(root, kept[0]), 'utf8'), text);
      assert.deepEqual(await fresh(), r.history, 'a later window reads the same from the new files');
    });

    it('written again by a window still running the old version: its changes are joined in', async () => {
      fs.writeFileSync(legacy(), serializeHistory(old()));
      const w = new Window(root);
      await w.load();
      w.continue('c-1', 'new-version');
      await w.store.flush();
      const again = old();
      again.conversations[1].turns.push(user('old-version-u', 'from the old window'));
      again.conversations[1].updatedAt = Date.now();
      fs.writeFileSync(legacy(), serializeHistory(again));
      const conversations = await onDisk();
      assert.deepEqual(conversations.find((c) => c.id === 'c-1')?.turns.map((t) => t.id).slice(-2), ['new-version-u', 'new-version-a']);
      assert.deepEqual(conversations.find((c) => c.id === 'c-2')?.turns.map((t) => t.id).slice(-1), ['old-version-u']);
    });

    it('partly damaged: what can be read is converted, the file is moved aside whole', async () => {
      const file = { ...old(), conversations: [...old().conversations, 'not a conversation'] };
      const text = JSON.stringify(file);
      fs.writeFileSync(legacy(), text);
      const w = new Window(root);
      const r = await w.load();
      assert.equal(r.lost, 1);
      assert.equal(r.history.conversations.length, 3);
      assert.equal(fs.readFileSync(r.movedAside[0], 'utf8'), text);
      assert.match(w.logged.join('\n'), /warn chat history: 1 conversation\(s\) unreadable; moved to .*chat-history\.corrupt-/);
    });

    it('unreadable: moved aside whole, the conversation files still load', async () => {
      const a = new Window(root);
      await a.load();
      a.add(conversation('c-9'));
      await a.store.flush();
      fs.writeFileSync(legacy(), '{"conversations": [ this is not json');
      const w = new Window(root);
      const r = await w.load();
      assert.equal(r.lost, Infinity);
      assert.deepEqual(r.history.conversations.map((c) => c.id), ['c-9']);
      assert.equal(fs.readFileSync(r.movedAside[0], 'utf8'), '{"conversations": [ this is not json');
    });
  });
});
