// A stand-in for the `vscode` module, enough for src/extension/chat/historyStore.ts to run in plain
// Node (bench only). The store itself writes with node:fs; workspace.fs (unused by it now) does for
// `file:` URIs what the extension host's own DiskFileSystemProvider does (VS Code serves `file:`
// inside the extension host, without a round trip to the workbench): writeFile opens with 'w',
// writes every byte, fdatasyncs and closes; rename and createDirectory are fs.rename and a
// recursive mkdir. Counts the calls it serves.
const fsp = require('node:fs/promises');
const path = require('node:path');

const calls = { readFile: 0, writeFile: 0, rename: 0, createDirectory: 0, delete: 0, stat: 0, readDirectory: 0, bytesWritten: 0 };

class Uri {
  constructor(scheme, fsPath) {
    this.scheme = scheme;
    this.path = fsPath;
    this.fsPath = fsPath;
    this.authority = '';
    this.query = '';
    this.fragment = '';
  }
  static file(p) { return new Uri('file', path.resolve(p)); }
  static parse(s) { return new Uri('file', new URL(s).pathname); }
  static joinPath(base, ...parts) { return new Uri(base.scheme, path.join(base.fsPath, ...parts)); }
  with(change) { return new Uri(change.scheme ?? this.scheme, change.path ?? this.path); }
  toString() { return `file://${this.fsPath}`; }
  toJSON() { return { scheme: this.scheme, path: this.path }; }
}

class FileSystemError extends Error {
  static FileNotFound(uri) { return Object.assign(new FileSystemError(`file not found: ${uri}`), { code: 'FileNotFound' }); }
  static FileExists(uri) { return Object.assign(new FileSystemError(`file exists: ${uri}`), { code: 'FileExists' }); }
}

function mapError(err, uri) {
  if (err && err.code === 'ENOENT') return FileSystemError.FileNotFound(uri);
  if (err && err.code === 'EEXIST') return FileSystemError.FileExists(uri);
  return err;
}

const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };

const fs = {
  async readFile(uri) {
    calls.readFile++;
    try { return new Uint8Array(await fsp.readFile(uri.fsPath)); } catch (e) { throw mapError(e, uri); }
  },
  async writeFile(uri, content) {
    calls.writeFile++;
    calls.bytesWritten += content.byteLength;
    let handle;
    try {
      handle = await fsp.open(uri.fsPath, 'w');
      let at = 0;
      while (at < content.byteLength) {
        const { bytesWritten } = await handle.write(content, at, content.byteLength - at, at);
        at += bytesWritten;
      }
      await handle.datasync();
    } catch (e) {
      throw mapError(e, uri);
    } finally {
      await handle?.close();
    }
  },
  async rename(from, to, options = {}) {
    calls.rename++;
    if (!options.overwrite) {
      const exists = await fsp.stat(to.fsPath).then(() => true, () => false);
      if (exists) throw FileSystemError.FileExists(to);
    }
    try { await fsp.rename(from.fsPath, to.fsPath); } catch (e) { throw mapError(e, from); }
  },
  async createDirectory(uri) {
    calls.createDirectory++;
    await fsp.mkdir(uri.fsPath, { recursive: true });
  },
  async delete(uri, options = {}) {
    calls.delete++;
    try { await fsp.rm(uri.fsPath, { recursive: !!options.recursive }); } catch (e) { throw mapError(e, uri); }
  },
  async stat(uri) {
    calls.stat++;
    try {
      const s = await fsp.stat(uri.fsPath);
      return { type: s.isDirectory() ? FileType.Directory : FileType.File, ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
    } catch (e) { throw mapError(e, uri); }
  },
  async readDirectory(uri) {
    calls.readDirectory++;
    const entries = await fsp.readdir(uri.fsPath, { withFileTypes: true }).catch((e) => { throw mapError(e, uri); });
    return entries.map((d) => [d.name, d.isDirectory() ? FileType.Directory : FileType.File]);
  },
  async copy(from, to) { await fsp.copyFile(from.fsPath, to.fsPath); },
  isWritableFileSystem() { return true; },
};

class Disposable {
  constructor(fn) { this.fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((d) => d.dispose())); }
  dispose() { this.fn?.(); this.fn = undefined; }
}

class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (l) => { this.listeners.add(l); return new Disposable(() => this.listeners.delete(l)); }; }
  fire(e) { for (const l of [...this.listeners]) l(e); }
  dispose() { this.listeners.clear(); }
}

const l10n = { t: (message, ...args) => String(message).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)])) };

module.exports = {
  Uri, FileType, FileSystemError, Disposable, EventEmitter, l10n,
  workspace: { fs },
  window: {
    showWarningMessage: async () => undefined, showErrorMessage: async () => undefined, showInformationMessage: async () => undefined,
    onDidChangeWindowState: () => new Disposable(),
  },
  __benchCalls: calls,
};
