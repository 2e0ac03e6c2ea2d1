// Another VS Code window sharing the chat history's storage folder, as a separate Node process:
// the real HistoryFolder, changing the history as the chat would. For history.test.ts.
//
//   node otherWindow.js <storage folder> '<actions as JSON>'
//
// Actions: { op: 'add', id, title, text } | { op: 'rename', id, title } | { op: 'delete', id }.
// Prints `done` once everything is saved.
import type { Conversation } from '../../../src/common/chat/model';
import { HistoryFolder } from '../../../src/extension/chat/historyFolder';

export type OtherWindowAction =
  | { op: 'add'; id: string; title: string; text: string }
  | { op: 'rename'; id: string; title: string }
  | { op: 'delete'; id: string };

async function main(): Promise<void> {
  const [root, json] = process.argv.slice(2);
  const actions = JSON.parse(json) as OtherWindowAction[];
  const problems: string[] = [];
  const folder = new HistoryFolder(root, { info() {}, warn: (m) => problems.push(m), error: (m) => problems.push(m) });
  const { history } = await folder.load();
  for (const a of actions) {
    const now = Date.now();
    const at = history.conversations.findIndex((c) => c.id === a.id);
    if (a.op === 'add') {
      const c: Conversation = {
        id: a.id, title: a.title, createdAt: now, updatedAt: now,
        turns: [
          { id: `${a.id}-u`, role: 'user', text: a.text, context: [], thinking: 'slow', createdAt: now },
          { id: `${a.id}-a`, role: 'assistant', thinking: '', answer: `an answer to ${a.text}`, status: 'done', startedAt: now, endedAt: now },
        ],
      };
      history.conversations.push(c);
      folder.scheduleSave(history, c);
    } else if (at < 0) {
      throw new Error(`no conversation ${a.id} here`);
    } else if (a.op === 'rename') {
      history.conversations[at].title = a.title;
      folder.scheduleSave(history, history.conversations[at]);
    } else {
      history.conversations.splice(at, 1);
      folder.scheduleSave(history);
    }
  }
  await folder.flush();
  if (problems.length) throw new Error(problems.join('\n'));
  process.stdout.write('done');
}

main().catch((err) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
