/**
 * The workspace's lexical index: every text file cut into snippets (./chunks.ts), their terms
 * (./terms.ts) in a BM25+ index (MiniSearch), so a question finds the code it is about. Files are
 * added, replaced and removed one at a time as they change. The index keeps only where each
 * snippet is (path and lines), not its text: the caller reads the lines of the snippets it uses.
 * Pure: no `vscode`, no DOM (it runs in a worker thread of the extension host).
 */
import MiniSearch from 'minisearch';
import { chunkLines } from './chunks';
import { termsOf } from './terms';

export interface SnippetHit {
  path: string;
  /** 0-based lines [start, end). */
  start: number;
  end: number;
  score: number;
}

interface SnippetDoc {
  id: number;
  path: string;
  start: number;
  end: number;
  /** Its terms joined by spaces, only while it is being added (the index does not keep the text). */
  text?: string;
  /** The path whose words are searched (the path the user sees), only while it is being added. */
  label?: string;
}

/** A question is looked up by at most this many of its terms, the rarest. */
const MAX_QUERY_TERMS = 8;

/** Files larger than this are not indexed (minified bundles, data dumps). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Terms of a path: its folder and file names, split as identifiers are (`src/userAuth.ts` → src, user, auth, ts). */
function pathText(path: string): string {
  return path.replace(/[\\/.]+/g, ' ');
}

export class WorkspaceIndex {
  private readonly search = new MiniSearch<SnippetDoc>({
    idField: 'id',
    fields: ['text', 'pathText'],
    storeFields: ['path', 'start', 'end'],
    // The terms are worked out once per snippet (setFile) and handed over joined by spaces.
    extractField: (doc, field) => (field === 'pathText' ? termsOf(pathText(doc.label ?? doc.path)).join(' ') : (doc as unknown as Record<string, unknown>)[field]),
    tokenize: (text) => (text ? text.split(' ') : []),
    processTerm: (t) => t,
    searchOptions: { boost: { pathText: 2 }, combineWith: 'OR', tokenize: (text) => text.split(' '), processTerm: (t) => t },
  });
  /** The snippets' ids of each file, and the terms each snippet has (once each), for `df`. */
  private readonly byPath = new Map<string, { ids: number[]; terms: string[][] }>();
  /** How many snippets have each term (to leave out of a question the terms nearly all have). */
  private readonly df = new Map<string, number>();
  private nextId = 1;

  /** Files indexed. */
  get files(): number {
    return this.byPath.size;
  }

  /** Snippets indexed. */
  get snippets(): number {
    return this.search.documentCount;
  }

  /**
   * Adds a file, or replaces what was indexed of it. Text over MAX_FILE_BYTES (or binary) only
   * removes it, and `false` is returned. `label` is the path whose words are searched (by default
   * `path`: a caller keying files by absolute path gives the workspace-relative one here).
   */
  setFile(path: string, text: string, label = path): boolean {
    this.removeFile(path);
    if (text.length > MAX_FILE_BYTES || text.includes('\u0000')) return false;
    const lines = text.split(/\r\n|\r|\n/);
    const chunks = chunkLines(lines);
    if (!chunks.length) return true;
    const terms: string[][] = [];
    const docs: SnippetDoc[] = chunks.map((c) => {
      const t = termsOf(lines.slice(c.start, c.end).join('\n'));
      terms.push([...new Set(t)]);
      return { id: this.nextId++, path, start: c.start, end: c.end, text: t.join(' '), label };
    });
    this.search.addAll(docs);
    for (const ts of terms) for (const t of ts) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    for (const d of docs) {
      delete d.text;
      delete d.label;
    }
    this.byPath.set(path, { ids: docs.map((d) => d.id), terms });
    return true;
  }

  removeFile(path: string): void {
    const file = this.byPath.get(path);
    if (!file) return;
    for (const id of file.ids) this.search.discard(id);
    for (const ts of file.terms) {
      for (const t of ts) {
        const n = (this.df.get(t) ?? 1) - 1;
        if (n > 0) this.df.set(t, n);
        else this.df.delete(t);
      }
    }
    this.byPath.delete(path);
  }

  hasFile(path: string): boolean {
    return this.byPath.has(path);
  }

  /**
   * The best snippets for a question, best first. The question's rarest terms are looked up (at
   * most MAX_QUERY_TERMS, and none found in more than a quarter of the snippets while rarer ones
   * exist): a term nearly every snippet has adds little to BM25 and costs a pass over them all.
   */
  query(question: string, limit = 20): SnippetHit[] {
    const all = [...new Set(termsOf(question))].filter((t) => this.df.has(t));
    if (!all.length) return [];
    all.sort((a, b) => (this.df.get(a) ?? 0) - (this.df.get(b) ?? 0));
    const common = this.search.documentCount / 4;
    const rare = all.filter((t) => (this.df.get(t) ?? 0) <= common);
    const terms = (rare.length ? rare : all.slice(0, 1)).slice(0, MAX_QUERY_TERMS);
    const hits = this.search.search(terms.join(' '));
    return hits.slice(0, limit).map((r) => ({
      path: r.path as string, start: r.start as number, end: r.end as number, score: r.score,
    }));
  }
}
