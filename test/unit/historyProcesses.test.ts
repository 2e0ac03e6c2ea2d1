// Two VS Code windows sharing one storage folder, as two real Node processes (historyWriter.ts)
// writing the chat history at the same time, as fast as they can, starting from an old single-file
// history both convert at once. Meanwhile this process reads every file over and over: none may
// ever be partial JSON. Afterwards every conversation either writer kept must be on disk, whole;
// none it deleted may be; the conversation both continued must hold every turn of both; and each
// writer, after a refresh, must see the other's conversations.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AssistantTurn, Conversation } from '../../src/common/chat/model';
import { serializeHistory, type HistoryFile } from '../../src/core/chat/history';
import { HistoryFolder, HISTORY_DIR, LEGACY_FILE } from '../../src/extension/chat/historyFolder';
import type { WriterReport } from './historyWriter';

const WRITER = path.join(__dirname, 'historyWriter.js');
const ROUNDS = 40;

function runWriter(root: string, name: string): Promise<WriterReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, root, name, String(ROUNDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`writer ${name} exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as WriterReport);
    });
  });
}

/** Reads every file of the history folder until `until` settles; counts the reads and the partial ones. */
async function readAll(root: string, until: Promise<unknown>): Promise<{ reads: number; partial: string[] }> {
  let done = false;
  void until.finally(() => { done = true; });
  const dir = path.join(root, HISTORY_DIR);
  const partial: string[] = [];
  let reads = 0;
  do {
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json') || n.endsWith('.deleted'))) {
      let text: string;
      try {
        text = await fs.promises.readFile(path.join(dir, name), 'utf8');
      } catch {
        continue; // deleted, or replaced, between the listing and the read
      }
      reads++;
      try {
        JSON.parse(text);
      } catch {
        partial.push(`${name}: ${text.slice(0, 80)}…(${text.length} chars)`);
      }
    }
  } while (!done);
  return { reads, partial };
}

describe('chat history: two windows in two processes', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hunyuan-history-2p-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('write at the same time: nothing lost, nothing deleted comes back, no partial file ever read', async () => {
    // the old single file both convert at start, with the conversation both will continue
    const t = Date.now() - 60_000;
    const old: HistoryFile = {
      version: 1,
      activeId: 'shared',
      conversations: ['old-1', 'old-2', 'shared'].map((id): Conversation => ({
        id, title: id, createdAt: t, updatedAt: t,
        turns: [
          { id: `${id}-u`, role: 'user', text: `question of ${id}`, context: [], thinking: 'slow', createdAt: t },
          { id: `${id}-a`, role: 'assistant', thinking: '', answer: `answer of ${id}`, status: 'done', startedAt: t },
        ],
      })),
    };
    fs.writeFileSync(path.join(root, LEGACY_FILE), serializeHistory(old));

    const writers = Promise.all([runWriter(root, 'A'), runWriter(root, 'B')]);
    const [reader, [a, b]] = await Promise.all([readAll(root, writers), writers]);

    assert.deepEqual(reader.partial, [], 'a reader saw a partial file');
    assert.ok(reader.reads > 0);
    assert.deepEqual([a.errors, b.errors], [[], []], 'errors or warnings while saving');

    const errors: string[] = [];
    const { history } = await new HistoryFolder(root, { info() {}, warn: (m) => errors.push(m), error: (m) => errors.push(m) }).load();
    assert.deepEqual(errors, []);
    const onDisk = new Map(history.conversations.map((c) => [c.id, c]));
    for (const w of [a, b]) {
      const kept = w.created.filter((id) => !w.deleted.includes(id));
      assert.deepEqual(kept.filter((id) => !onDisk.has(id)), [], 'conversations lost');
      assert.deepEqual(w.deleted.filter((id) => onDisk.has(id)), [], 'deleted conversations back');
      for (const id of kept) assert.equal((onDisk.get(id)?.turns[1] as AssistantTurn).answer, w.answers[id], `${id} saved whole`);
      assert.ok(w.deleted.length > 0 && kept.length > 0);
    }
    for (const id of ['old-1', 'old-2']) assert.deepEqual(onDisk.get(id), old.conversations.find((c) => c.id === id), `${id} converted as it was`);
    const shared = onDisk.get('shared')?.turns.map((x) => x.id) ?? [];
    assert.deepEqual(shared.slice(0, 2), ['shared-u', 'shared-a']);
    assert.deepEqual(shared.filter((id) => id.startsWith('A-')), a.sharedTurns, 'every turn A added to the shared conversation, in order');
    assert.deepEqual(shared.filter((id) => id.startsWith('B-')), b.sharedTurns, 'every turn B added to the shared conversation, in order');
    assert.equal(shared.length, 2 + 2 * ROUNDS);

    // after a refresh, each window has exactly what is on disk: the other's new conversations too
    const all = [...onDisk.keys()].sort();
    assert.deepEqual([...a.seen].sort(), all, 'what A sees');
    assert.deepEqual([...b.seen].sort(), all, 'what B sees');
    const legacyLeft = fs.readdirSync(root).filter((n) => n.startsWith('chat-history.'));
    assert.equal(legacyLeft.length, 1, `the old file kept once, converted: ${legacyLeft}`);
    assert.match(legacyLeft[0], /^chat-history\.migrated-/);
    console.log(`      (${reader.reads} reads; A: ${JSON.stringify(a.stats)}; B: ${JSON.stringify(b.stats)})`);
  });
});
