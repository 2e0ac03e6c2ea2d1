// A VS Code window's chat history writer, alone in a Node process, for historyProcesses.test.ts:
// the real HistoryFolder, saving as the chat does (new conversations, an answer streaming in token
// by token, a conversation both windows continue, deletions, refreshes), as fast as it can.
//
//   node historyWriter.js <storage folder> <name> <rounds>
//
// When done it writes `<storage folder>/done-<name>`, waits for the other writer's, refreshes, and
// prints a JSON report on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AssistantTurn, Conversation, UserTurn } from '../../src/common/chat/model';
import { HistoryFolder } from '../../src/extension/chat/historyFolder';

export interface WriterReport {
  created: string[];
  deleted: string[];
  /** The final answer text of each conversation it created and kept. */
  answers: Record<string, string>;
  /** The turns it added to the conversation both writers continue. */
  sharedTurns: string[];
  /** The conversations it has after the other writer finished and it refreshed. */
  seen: string[];
  errors: string[];
  stats: HistoryFolder['stats'];
}

export const SHARED_ID = 'shared';

const user = (id: string, text: string): UserTurn => ({ id, role: 'user', text, context: [], thinking: 'slow', createdAt: Date.now() });
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const [root, name, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const errors: string[] = [];
  const log = { info() {}, warn: (m: string) => errors.push(`warn ${m}`), error: (m: string) => errors.push(`error ${m}`) };
  const folder = new HistoryFolder(root, log, () => {}, 1);
  const { history } = await folder.load();
  const report: WriterReport = { created: [], deleted: [], answers: {}, sharedTurns: [], seen: [], errors, stats: folder.stats };
  const find = (id: string) => history.conversations.find((c) => c.id === id);

  for (let i = 0; i < rounds; i++) {
    const now = Date.now();
    const answer: AssistantTurn = { id: `${name}-a${i}`, role: 'assistant', thinking: '', answer: '', status: 'streaming', startedAt: now };
    const c: Conversation = { id: `${name}-c${i}`, title: `${name} ${i}`, createdAt: now, updatedAt: now, turns: [user(`${name}-u${i}`, `question ${i}`), answer] };
    history.conversations.push(c);
    history.activeId = c.id;
    report.created.push(c.id);
    folder.scheduleSave(history, c);
    for (let k = 0; k < 8; k++) {
      answer.answer += ` token${k}`;
      folder.scheduleSave(history, c);
      await tick();
    }
    answer.status = 'done';
    folder.scheduleSave(history, c);

    const shared = find(SHARED_ID);
    if (!shared) throw new Error(`${name}: the shared conversation is gone`);
    const turn = user(`${name}-s${i}`, `${name} says ${i}`);
    shared.turns.push(turn);
    shared.updatedAt = Date.now();
    report.sharedTurns.push(turn.id);
    folder.scheduleSave(history, shared);

    if (i % 5 === 4) {
      const id = `${name}-c${i - 2}`;
      history.conversations.splice(history.conversations.findIndex((x) => x.id === id), 1);
      report.deleted.push(id);
      folder.scheduleSave(history);
    }
    if (i % 3 === 0) await folder.refresh();
    if (i % 2 === 0) await folder.flush();
    else await tick();
  }
  await folder.flush();
  for (const id of report.created) {
    const c = find(id);
    if (c && !report.deleted.includes(id)) report.answers[id] = (c.turns[1] as AssistantTurn).answer;
  }

  fs.writeFileSync(path.join(root, `done-${name}`), '');
  while (fs.readdirSync(root).filter((n) => n.startsWith('done-')).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  await folder.refresh();
  report.seen = history.conversations.map((c) => c.id);
  process.stdout.write(JSON.stringify(report));
}

main().catch((err) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
