/**
 * `.gitignore` files as git reads them, for the workspace index: the one in each folder applies
 * to the paths under it (its patterns relative to that folder), a deeper one can re-include
 * (`!pattern`) what a shallower one ignored, and nothing under an ignored folder comes back. The
 * patterns themselves are matched by the `ignore` package (git's own rules). Files are read
 * lazily, once each, through `read`; paths are `/`-separated and relative to the base folder
 * (the workspace folder).
 * Pure: no `vscode`, no DOM (the caller reads the files).
 */
import ignore, { type Ignore } from 'ignore';

/** Reads the `.gitignore` of a folder (`''` is the base folder, else `a/b`); undefined when there is none. */
export type ReadGitignore = (dir: string) => string | undefined;

export class GitignoreRules {
  private readonly rules = new Map<string, Ignore | null>();
  private readonly dirs = new Map<string, boolean>();

  constructor(private readonly read: ReadGitignore) {}

  /** Whether git ignores the file `relPath` (relative to the base folder). */
  ignores(relPath: string): boolean {
    const parts = relPath.split('/').filter((p) => p && p !== '.');
    if (!parts.length || parts.includes('..')) return false;
    for (let i = 1; i < parts.length; i++) {
      if (this.dirIgnored(parts.slice(0, i))) return true;
    }
    return this.matches(parts, false);
  }

  /** Forgets what was read of the folder `dir`'s `.gitignore` (it changed), or of all of them. */
  forget(dir?: string): void {
    if (dir === undefined) this.rules.clear();
    else this.rules.delete(dir);
    this.dirs.clear();
  }

  private dirIgnored(parts: string[]): boolean {
    const key = parts.join('/');
    let v = this.dirs.get(key);
    if (v === undefined) {
      // a folder under an ignored folder is ignored whatever it says
      v = (parts.length > 1 && this.dirIgnored(parts.slice(0, -1))) || this.matches(parts, true);
      this.dirs.set(key, v);
    }
    return v;
  }

  /** The verdict of the `.gitignore` files from the base down to the path's parent, the deepest that has one winning. */
  private matches(parts: string[], isDir: boolean): boolean {
    let ignored = false;
    for (let i = 0; i < parts.length; i++) {
      const rules = this.rulesOf(parts.slice(0, i).join('/'));
      if (!rules) continue;
      const r = rules.test(parts.slice(i).join('/') + (isDir ? '/' : ''));
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }

  private rulesOf(dir: string): Ignore | null {
    let r = this.rules.get(dir);
    if (r === undefined) {
      let text: string | undefined;
      try {
        text = this.read(dir);
      } catch {
        text = undefined;
      }
      r = text === undefined ? null : ignore().add(text);
      this.rules.set(dir, r);
    }
    return r;
  }
}
