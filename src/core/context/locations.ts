/**
 * Where a `path:line` reference of an answer points, among the workspace's folders. The model
 * writes paths as it was given them: relative to a folder, prefixed with the folder's name in a
 * multi-root workspace (`lib/strings/slug.ts`), sometimes absolute. Only paths inside a workspace
 * folder are offered: `..` segments that leave it, and absolute paths elsewhere, give nothing.
 * Pure: no `vscode`, no DOM; paths use `/` (the caller converts).
 */

export interface FolderRef {
  name: string;
  /** The folder's absolute path, `/`-separated, no trailing slash. */
  path: string;
}

/** `a/./b/../c` → `a/c`; undefined when `..` climbs above the start. */
export function normalizeRelative(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

/**
 * Absolute paths `reference` may name, most likely first: under the folder its first segment names
 * (multi-root), then under each folder in order. An absolute path is kept only inside a folder.
 */
export function locationCandidates(reference: string, folders: readonly FolderRef[]): string[] {
  let ref = reference.trim().replace(/\\/g, '/').replace(/^`|`$/g, '');
  if (!ref || !folders.length) return [];
  const isAbsolute = ref.startsWith('/') || /^[A-Za-z]:\//.test(ref);
  if (isAbsolute) {
    const abs = /^[A-Za-z]:\//.test(ref) ? ref : `/${normalizeRelative(ref) ?? ''}`;
    const inside = folders.some((f) => {
      const root = f.path.replace(/\/+$/, '');
      return abs.toLowerCase().startsWith(`${root.toLowerCase()}/`);
    });
    return inside && normalizeRelative(ref) !== undefined ? [abs] : [];
  }
  if (ref.startsWith('./')) ref = ref.slice(2);
  const rel = normalizeRelative(ref);
  if (!rel) return [];
  const out: string[] = [];
  const [first, ...rest] = rel.split('/');
  const named = folders.find((f) => f.name === first);
  if (named && rest.length) out.push(`${named.path}/${rest.join('/')}`);
  for (const f of folders) out.push(`${f.path}/${rel}`);
  return [...new Set(out)];
}
