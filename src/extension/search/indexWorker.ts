/**
 * The workspace index's worker thread (bundled alone as dist/searchWorker.js): it owns the
 * WorkspaceIndex, reads the files itself (so the extension host's thread never reads or
 * tokenizes their text), leaves out what `files.exclude`, `search.exclude` and `.gitignore`
 * exclude, binary files (a NUL byte in the first 8 KB) and files over 1 MB, and answers the
 * host's messages (./workerProtocol.ts) one at a time, in order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { GitignoreRules } from '../../core/search/gitignore';
import { ExcludeMatcher } from '../../core/search/globs';
import { MAX_FILE_BYTES, WorkspaceIndex } from '../../core/search/workspaceIndex';
import type { FileRef, FolderSpec, HostToWorker, IndexCounts, LineRange, WorkerHit, WorkerToHost } from './workerProtocol';

/** Binary files are those with a NUL byte in their first this many bytes. */
const BINARY_SNIFF_BYTES = 8192;
/** Progress is reported every this many files. */
const PROGRESS_EVERY = 100;
/**
 * Every SWEEP_EVERY_MS, the next SWEEP_FILES files read are checked for a change of time or size
 * (round robin), so that what the file watcher misses (it coalesces and can drop events, and
 * never sees `files.watcherExclude`) is caught up with all the same: 20,000 files in 40 s.
 */
const SWEEP_EVERY_MS = 2000;
const SWEEP_FILES = 1000;
/** Files of these kinds are binary: left out without reading them. */
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'avif', 'tif', 'tiff', 'psd', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar',
  'jar', 'war', 'class', 'pdf', 'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'node', 'wasm', 'pyc', 'pyo', 'woff', 'woff2',
  'ttf', 'otf', 'eot', 'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'flac', 'mov', 'avi', 'mkv', 'webm', 'vsix', 'bin', 'dat', 'db', 'sqlite',
]);

const SKIP = Symbol('skip');

interface Folder {
  spec: FolderSpec;
  excludes: ExcludeMatcher;
  /** The folder `.gitignore` paths are relative to (the workspace folder). */
  base: string;
  gitignore?: GitignoreRules;
}

const port = parentPort;
if (!port) throw new Error('indexWorker.ts runs only as a worker thread');

let index = new WorkspaceIndex();
let folders: Folder[] = [];
let maxFiles = Infinity;
/** The generation of the latest build received (a build still running for an older one stops). */
let latestGeneration = 0;
const indexed = new Set<string>();
const skipped = new Set<string>();
/** path (as the user sees it) of each file indexed or skipped, by fsPath. */
const paths = new Map<string, string>();
/** Modification time and size of each file read, when it was read. */
const stamps = new Map<string, string>();
let building = false;
let sweepFrom = 0;

function post(msg: WorkerToHost): void {
  port!.postMessage(msg);
}

function counts(): IndexCounts {
  return { indexed: indexed.size, total: indexed.size + skipped.size, skipped: skipped.size };
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function makeFolder(spec: FolderSpec): Folder {
  // The folder's own .gitignore files, at its root and below. Those of a repository above the
  // folder are not read: VS Code's search does not let them leave out the folder itself either.
  const base = spec.root;
  const gitignore = spec.useIgnoreFiles
    ? new GitignoreRules((dir) => {
      const file = path.join(base, ...dir.split('/').filter(Boolean), '.gitignore');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    })
    : undefined;
  return { spec, excludes: new ExcludeMatcher(spec.excludes), base, gitignore };
}

/** Whether a file or folder is left out by the exclude settings or `.gitignore` (or lies outside its folder). */
function leftOut(fsPath: string, folderIndex: number): boolean {
  const folder = folders[folderIndex];
  if (!folder) return true;
  const rel = toPosix(path.relative(folder.spec.root, fsPath));
  if (!rel || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return true;
  if (rel.split('/').includes('.git')) return true;
  if (folder.excludes.excludes(rel)) return true;
  if (folder.gitignore) {
    const fromBase = toPosix(path.relative(folder.base, fsPath));
    if (folder.gitignore.ignores(fromBase)) return true;
  }
  return false;
}

/** The file's text; SKIP when it is binary or too big; undefined when it cannot be read (gone, a folder). */
function readText(fsPath: string): string | typeof SKIP | undefined {
  const dot = fsPath.lastIndexOf('.');
  if (dot > fsPath.lastIndexOf(path.sep) && BINARY_EXTENSIONS.has(fsPath.slice(dot + 1).toLowerCase())) return SKIP;
  let fd: number;
  try {
    fd = fs.openSync(fsPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) return SKIP;
    const buf = Buffer.allocUnsafe(stat.size);
    let n = 0;
    while (n < stat.size) {
      const r = fs.readSync(fd, buf, n, stat.size - n, n);
      if (r === 0) break;
      n += r;
    }
    const bytes = buf.subarray(0, n);
    // UTF-16 with a byte order mark has NULs but is text
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return SKIP;
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function stampOf(fsPath: string): string | undefined {
  try {
    const st = fs.statSync(fsPath);
    return st.isFile() ? `${st.mtimeMs}:${st.size}` : undefined;
  } catch {
    return undefined;
  }
}

function forget(fsPath: string): void {
  index.removeFile(fsPath);
  stamps.delete(fsPath);
  indexed.delete(fsPath);
  skipped.delete(fsPath);
  paths.delete(fsPath);
}

/** Indexes (or re-indexes) one file that is not left out. */
function indexFile(file: FileRef): void {
  const known = indexed.has(file.fsPath) || skipped.has(file.fsPath);
  if (!known && indexed.size + skipped.size >= maxFiles) {
    skipped.add(file.fsPath);
    paths.set(file.fsPath, file.path);
    return;
  }
  const stamp = stampOf(file.fsPath);
  const text = stamp === undefined ? undefined : readText(file.fsPath);
  if (text === undefined) {
    forget(file.fsPath);
    return;
  }
  paths.set(file.fsPath, file.path);
  stamps.set(file.fsPath, stamp!);
  if (text !== SKIP && index.setFile(file.fsPath, text, file.path)) {
    indexed.add(file.fsPath);
    skipped.delete(file.fsPath);
  } else {
    index.removeFile(file.fsPath);
    indexed.delete(file.fsPath);
    skipped.add(file.fsPath);
  }
}

const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

async function build(msg: Extract<HostToWorker, { type: 'build' }>): Promise<void> {
  if (msg.generation !== latestGeneration) return; // a newer build is queued
  building = true;
  try {
    await buildIndex(msg);
  } finally {
    building = false;
  }
}

async function buildIndex(msg: Extract<HostToWorker, { type: 'build' }>): Promise<void> {
  const t0 = Date.now();
  folders = msg.folders.map(makeFolder);
  maxFiles = msg.maxFiles;
  index = new WorkspaceIndex();
  indexed.clear();
  skipped.clear();
  paths.clear();
  stamps.clear();
  const files: FileRef[] = [];
  let ignored = 0;
  for (const f of msg.files) {
    if (leftOut(f.fsPath, f.folder)) ignored++;
    else files.push(f);
  }
  const total = files.length;
  const over = files.splice(maxFiles);
  for (let i = 0; i < files.length; i++) {
    indexFile(files[i]);
    if ((i + 1) % PROGRESS_EVERY === 0) {
      post({ type: 'progress', generation: msg.generation, processed: i + 1, ...counts(), total });
      await yieldToMessages();
      if (msg.generation !== latestGeneration) return;
    }
  }
  // over the limit: left out (counted as skipped)
  for (const f of over) {
    skipped.add(f.fsPath);
    paths.set(f.fsPath, f.path);
  }
  post({ type: 'built', generation: msg.generation, ignored, ms: Date.now() - t0, ...counts() });
}

/** Checks the next SWEEP_FILES files read for a change the watcher did not report. */
function sweep(): void {
  if (building || !stamps.size) return;
  const files = [...stamps.keys()];
  let changed = false;
  const n = Math.min(SWEEP_FILES, files.length);
  for (let k = 0; k < n; k++) {
    const fsPath = files[(sweepFrom + k) % files.length];
    if (stampOf(fsPath) === stamps.get(fsPath)) continue;
    changed = true;
    indexFile({ fsPath, path: paths.get(fsPath) ?? fsPath, folder: 0 });
  }
  sweepFrom = (sweepFrom + n) % files.length;
  if (changed) post({ type: 'changed', ...counts() });
}

/** Every file under a folder that is not left out (pruning excluded folders). */
function walk(dir: FileRef, out: FileRef[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir.fsPath, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const ref: FileRef = { fsPath: path.join(dir.fsPath, e.name), path: `${dir.path}/${e.name}`, folder: dir.folder };
    if (leftOut(ref.fsPath, ref.folder)) continue;
    if (e.isDirectory()) walk(ref, out);
    else if (e.isFile()) out.push(ref);
  }
}

function applyChanges(changes: Extract<HostToWorker, { type: 'changes' }>['changes']): void {
  for (const { file, deleted } of changes) {
    if (deleted) {
      forget(file.fsPath);
      const under = file.fsPath.endsWith(path.sep) ? file.fsPath : file.fsPath + path.sep;
      for (const p of [...paths.keys()]) if (p.startsWith(under)) forget(p);
      continue;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file.fsPath);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      forget(file.fsPath);
    } else if (stat.isDirectory()) {
      if (leftOut(file.fsPath, file.folder)) continue;
      const found: FileRef[] = [];
      walk(file, found);
      for (const f of found) indexFile(f);
    } else if (leftOut(file.fsPath, file.folder)) {
      forget(file.fsPath);
    } else {
      indexFile(file);
    }
  }
  post({ type: 'changed', ...counts() });
}

/** The text of each range, each file read once ('' for one that cannot be read). */
function readRanges(ranges: readonly LineRange[]): string[] {
  const lines = new Map<string, string[] | undefined>();
  return ranges.map((r) => {
    if (!lines.has(r.fsPath)) {
      const text = readText(r.fsPath);
      lines.set(r.fsPath, typeof text === 'string' ? text.split(/\r\n|\r|\n/) : undefined);
    }
    return lines.get(r.fsPath)?.slice(r.start, r.end).join('\n') ?? '';
  });
}

function query(question: string, limit: number): WorkerHit[] {
  const hits = index.query(question, limit);
  const texts = readRanges(hits.map((h) => ({ fsPath: h.path, start: h.start, end: h.end })));
  return hits.map((h, i) => ({ fsPath: h.path, path: paths.get(h.path) ?? h.path, start: h.start, end: h.end, score: h.score, text: texts[i] }));
}

async function handle(msg: HostToWorker): Promise<void> {
  switch (msg.type) {
    case 'build':
      return build(msg);
    case 'changes':
      return applyChanges(msg.changes);
    case 'query':
      return post({ type: 'result', id: msg.id, hits: query(msg.question, msg.limit) });
    case 'read':
      return post({ type: 'texts', id: msg.id, texts: readRanges(msg.ranges) });
  }
}

let queue: Promise<void> = Promise.resolve();

port.on('message', (msg: HostToWorker) => {
  // a new build makes a running one stop at its next progress report
  if (msg.type === 'build') latestGeneration = msg.generation;
  queue = queue.then(() => handle(msg)).catch((err: unknown) => {
    const id = msg.type === 'query' || msg.type === 'read' ? msg.id : 0;
    post({ type: 'failed', id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  });
});

setInterval(() => {
  queue = queue.then(sweep).catch((err: unknown) => {
    post({ type: 'failed', id: 0, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  });
}, SWEEP_EVERY_MS).unref();
