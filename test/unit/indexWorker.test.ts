// The workspace index's worker thread (src/extension/search/indexWorker.ts, as tsc compiles it)
// in a real worker_threads Worker over real files: what it leaves out, progress, changes,
// queries with text, a newer build replacing a running one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileRef, HostToWorker, WorkerToHost } from '../../src/extension/search/workerProtocol';

const WORKER = path.join(__dirname, '../../src/extension/search/indexWorker.js');

class Peer {
  readonly worker = new Worker(WORKER);
  readonly received: WorkerToHost[] = [];
  private waiters: Array<() => void> = [];
  private nextId = 1;

  constructor() {
    this.worker.on('message', (m: WorkerToHost) => {
      this.received.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(msg: HostToWorker): void {
    this.worker.postMessage(msg);
  }

  async next<T extends WorkerToHost['type']>(type: T, pred: (m: Extract<WorkerToHost, { type: T }>) => boolean = () => true): Promise<Extract<WorkerToHost, { type: T }>> {
    const end = Date.now() + 15000;
    for (;;) {
      const i = this.received.findIndex((m) => m.type === type && pred(m as Extract<WorkerToHost, { type: T }>));
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<WorkerToHost, { type: T }>;
      const failed = this.received.find((m) => m.type === 'failed');
      if (failed) throw new Error(`the worker failed: ${JSON.stringify(failed)}`);
      if (Date.now() > end) throw new Error(`no ${type} message; got ${JSON.stringify(this.received.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async query(question: string, limit = 10) {
    const id = this.nextId++;
    this.send({ type: 'query', id, question, limit });
    return (await this.next('result', (m) => m.id === id)).hits;
  }
}

describe('index worker', function () {
  this.timeout(30000);
  let root: string;
  let peer: Peer;
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const ref = (rel: string): FileRef => ({ fsPath: path.join(root, rel), path: rel, folder: 0 });
  /** Every file under root, as findFiles would list them without excludes. */
  const allFiles = (dir = root): FileRef[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? allFiles(full) : [ref(path.relative(root, full).split(path.sep).join('/'))];
  });
  const build = (generation: number, maxFiles = 1000, excludes = ['**/excluded']) =>
    peer.send({ type: 'build', generation, folders: [{ root, excludes, useIgnoreFiles: true }], files: allFiles(), maxFiles });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'index-worker-'));
    write('src/auth/tokens.ts', [
      'import { decode } from "./jwt";',
      '',
      '/** Reads the token a user signed in with. */',
      'export function parseUserAuthToken(header: string): UserToken {',
      '  const raw = header.replace(/^Bearer /, "");',
      '  return decode(raw);',
      '}',
    ].join('\n'));
    write('src/colors.ts', 'export function mixColors(a: string, b: string) {\n  return a + b;\n}\n');
    write('.gitignore', 'ignored/\n');
    write('ignored/authTokens.ts', 'export function parseAuthTokenOfUser() {}\n');
    write('excluded/authTokens.ts', 'export function parseAuthenticationTokensForUsers() {}\n');
    write('sub/.gitignore', '*.gen.ts\n');
    write('sub/users.gen.ts', 'export const parsedUserTokens = 1;\n');
    write('image.dat.txt', Buffer.from([0x61, 0x75, 0x74, 0x68, 0, 0x74, 0x6f, 0x6b]));
    write('big.ts', `// user auth tokens\n${'x'.repeat(1024 * 1024)}`);
    peer = new Peer();
  });

  afterEach(async () => {
    await peer.worker.terminate();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('indexes what is not excluded, ignored, binary or too big, and answers with the lines\' text', async () => {
    build(1);
    const built = await peer.next('built');
    // src/auth/tokens.ts, src/colors.ts, .gitignore, sub/.gitignore indexed; binary and big skipped
    assert.deepEqual({ indexed: built.indexed, skipped: built.skipped, total: built.total, ignored: built.ignored }, { indexed: 4, skipped: 2, total: 6, ignored: 3 });
    const hits = await peer.query('how do we parse authentication tokens of users?');
    assert.equal(hits[0]?.path, 'src/auth/tokens.ts');
    assert.equal(hits[0].fsPath, path.join(root, 'src/auth/tokens.ts'));
    assert.match(hits[0].text, /export function parseUserAuthToken/);
    assert.equal(hits[0].text.split('\n').length, hits[0].end - hits[0].start);
    for (const h of hits) assert.ok(!/ignored|excluded|gen\.ts|big|image/.test(h.path), `left-out file found: ${h.path}`);
  });

  it('follows changes: a changed file by its new text, a deleted file or folder not at all, a new folder walked', async () => {
    build(1);
    await peer.next('built');
    write('src/colors.ts', 'export function blendPalette(shades: string[]) {\n  return shades.join();\n}\n');
    write('newdir/inner/geometry.ts', 'export function triangleArea(base: number, height: number) {\n  return base * height / 2;\n}\n');
    write('newdir/excluded/geometry.ts', 'export function triangleAreaToo() {}\n');
    peer.send({ type: 'changes', changes: [{ file: ref('src/colors.ts'), deleted: false }, { file: ref('newdir'), deleted: false }] });
    const changed = await peer.next('changed');
    assert.equal(changed.indexed, 5);
    assert.equal((await peer.query('blending palettes of shades'))[0]?.path, 'src/colors.ts');
    assert.ok(!(await peer.query('mix colors')).some((h) => h.path === 'src/colors.ts'));
    assert.deepEqual((await peer.query('area of triangles')).map((h) => h.path), ['newdir/inner/geometry.ts']);
    fs.rmSync(path.join(root, 'newdir'), { recursive: true });
    fs.rmSync(path.join(root, 'src/colors.ts'));
    peer.send({ type: 'changes', changes: [{ file: ref('newdir'), deleted: true }, { file: ref('src/colors.ts'), deleted: false }] });
    assert.equal((await peer.next('changed')).indexed, 3);
    assert.deepEqual(await peer.query('area of triangles'), []);
    assert.deepEqual(await peer.query('blending palettes of shades'), []);
  });

  it('catches up by itself with changes no one reported (a file rewritten, a file deleted)', async () => {
    build(1);
    await peer.next('built');
    write('src/colors.ts', 'export function blendPalette(shades: string[]) {\n  return shades.join();\n}\n');
    fs.rmSync(path.join(root, 'src/auth/tokens.ts'));
    const changed = await peer.next('changed');
    assert.equal(changed.indexed, 3);
    assert.equal((await peer.query('blending palettes of shades'))[0]?.path, 'src/colors.ts');
    assert.deepEqual(await peer.query('parse authentication tokens'), []);
  });

  it('reports progress every 100 files, keeps to the file limit, and a newer build replaces a running one', async () => {
    for (let i = 0; i < 250; i++) write(`gen/file${i}.ts`, `export const value${i} = ${i};\n`);
    build(1);
    build(2, 100);
    const built = await peer.next('built');
    assert.equal(built.generation, 2);
    assert.equal(built.indexed + built.skipped, built.total);
    assert.equal(built.total, 256);
    // the first 100 files are read (the binary and the big one among them are skipped), the rest left out
    assert.ok(built.indexed <= 100 && built.indexed >= 98, String(built.indexed));
    assert.ok(!peer.received.some((m) => m.type === 'built'), 'the first build did not finish');
    build(3);
    await peer.next('built', (m) => m.generation === 3);
    const progress = peer.received.flatMap((m) => (m.type === 'progress' && m.generation === 3 ? [m.processed] : []));
    assert.deepEqual(progress, [100, 200]);
  });

  it('reads line ranges', async () => {
    build(1);
    await peer.next('built');
    peer.send({ type: 'read', id: 7, ranges: [{ fsPath: path.join(root, 'src/auth/tokens.ts'), start: 3, end: 5 }, { fsPath: path.join(root, 'gone.ts'), start: 0, end: 1 }] });
    const texts = await peer.next('texts', (m) => m.id === 7);
    assert.deepEqual(texts.texts, ['export function parseUserAuthToken(header: string): UserToken {\n  const raw = header.replace(/^Bearer /, "");', '']);
  });
});
