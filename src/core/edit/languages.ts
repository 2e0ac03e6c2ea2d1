/**
 * What the editor commands need to know about a VS Code language id: the fence tag to ask the
 * model for, a readable name for prompts, whether a fence's language is the document's, and the
 * language's comment syntax. Pure: no `vscode`, no DOM.
 */
import { languageIdForFence, own } from '../../common/markdown/languages';

/** Fence tags for ids that are not good tags themselves. */
const FENCE_TAGS: Record<string, string> = {
  shellscript: 'bash',
  typescriptreact: 'tsx',
  javascriptreact: 'jsx',
  plaintext: 'text',
  'objective-c': 'objc',
  'objective-cpp': 'objective-cpp',
  dockerfile: 'dockerfile',
};

/** The tag to put after a fence for code of `languageId` (`typescript`, `tsx`, `bash`, …). */
export function fenceTag(languageId: string): string {
  const id = languageId.trim().toLowerCase();
  return own(FENCE_TAGS, id) ?? (/^[\w+#.-]+$/.test(id) ? id : '');
}

const DISPLAY_NAMES: Record<string, string> = {
  typescript: 'TypeScript', typescriptreact: 'TypeScript (TSX)', javascript: 'JavaScript', javascriptreact: 'JavaScript (JSX)',
  python: 'Python', java: 'Java', go: 'Go', rust: 'Rust', c: 'C', cpp: 'C++', csharp: 'C#', kotlin: 'Kotlin',
  swift: 'Swift', php: 'PHP', ruby: 'Ruby', shellscript: 'shell script', powershell: 'PowerShell', sql: 'SQL',
  lua: 'Lua', haskell: 'Haskell', html: 'HTML', xml: 'XML', css: 'CSS', scss: 'SCSS', less: 'Less',
  json: 'JSON', jsonc: 'JSON with comments', yaml: 'YAML', toml: 'TOML', markdown: 'Markdown', latex: 'LaTeX',
  matlab: 'MATLAB', r: 'R', perl: 'Perl', dart: 'Dart', scala: 'Scala', vue: 'Vue', svelte: 'Svelte',
  'objective-c': 'Objective-C', vb: 'Visual Basic', ini: 'INI', dockerfile: 'Dockerfile', makefile: 'Makefile',
  plaintext: 'plain text',
};

/** A readable name for prompts: `TypeScript`, `C#`; the id itself when unknown. */
export function languageName(languageId: string): string {
  return own(DISPLAY_NAMES, languageId.toLowerCase()) ?? languageId;
}

/** Ids that are the same language as far as a fenced answer is concerned. */
const SAME_LANGUAGE: readonly (readonly string[])[] = [
  ['typescript', 'typescriptreact'],
  ['javascript', 'javascriptreact'],
  ['json', 'jsonc'],
  ['c', 'cpp', 'objective-c', 'objective-cpp'],
  ['html', 'vue', 'svelte'],
];

/** Whether a fence with info string `info` holds code of `languageId` (`ts` for `typescript`, …). */
export function fenceMatchesLanguage(info: string, languageId: string): boolean {
  if (!info.trim()) return false;
  const fenced = languageIdForFence(info);
  const id = languageId.toLowerCase();
  if (fenced === id || fenced === fenceTag(id)) return true;
  return SAME_LANGUAGE.some((group) => group.includes(fenced) && group.includes(id));
}

/** Languages whose text is prose: lines that read like sentences are content, never dropped. */
const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'latex', 'tex', 'bibtex', 'restructuredtext', 'asciidoc', 'org', 'text', 'git-commit', 'mdx']);

export function isProseLanguage(languageId: string): boolean {
  return PROSE_LANGUAGES.has(languageId.toLowerCase());
}

/** Markup languages, where `<answer>` could be an element rather than a leftover tag. */
const MARKUP_LANGUAGES = new Set(['xml', 'html', 'xsl', 'svg', 'vue', 'svelte', 'astro', 'javascriptreact', 'typescriptreact', 'php']);

export function isMarkupLanguage(languageId: string): boolean {
  return MARKUP_LANGUAGES.has(languageId.toLowerCase());
}

// ---- comment syntax -----------------------------------------------------------------------

/** A block comment's delimiters. */
export interface BlockDelimiter {
  /** Opens the comment; tested at each position (sticky regex). */
  readonly open: RegExp;
  /** The closing text for an opening match (Lua's `--[==[` closes with `]==]`). */
  readonly close: (open: RegExpExecArray) => string;
  /** Nested comments count (Haskell, Rust, Swift, Kotlin, Scala, Dart, OCaml, Julia). */
  readonly nested?: boolean;
  /** Opening and closing delimiters must each stand alone on their line (Ruby `=begin`, MATLAB `%{`). */
  readonly ownLine?: boolean;
}

export interface CommentSyntax {
  /** Line comment markers, longest first. */
  readonly line: readonly string[];
  readonly blocks: readonly BlockDelimiter[];
  /** Quote characters of single-line strings (skipped, so a marker inside a string is not a comment). */
  readonly quotes: readonly string[];
  /** Quote characters whose strings may span lines (JS template literals, Go raw strings). */
  readonly multilineQuotes: readonly string[];
  /** Python: `"""` / `'''` strings standing alone are docstrings (comments); others are strings. */
  readonly tripleQuotes?: boolean;
  /** A line marker only counts at the start of a word (shell `$#`, `${#x}`). */
  readonly markerAfterSpace?: boolean;
  /** Lines starting like this are not comments even though they start with a marker (`#!`, PHP `#[`). */
  readonly notComment?: RegExp;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fixed = (open: string, close: string, extra: Partial<BlockDelimiter> = {}): BlockDelimiter => ({
  open: new RegExp(escapeRe(open), 'y'),
  close: () => close,
  ...extra,
});

const C_BLOCK = fixed('/*', '*/');
const C_BLOCK_NESTED = fixed('/*', '*/', { nested: true });
const HTML_BLOCK = fixed('<!--', '-->');

const C_LIKE: CommentSyntax = { line: ['//'], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: [] };
const HASH: CommentSyntax = { line: ['#'], blocks: [], quotes: ['"', "'"], multilineQuotes: [], notComment: /^#!/ };

const SYNTAX: Record<string, CommentSyntax> = {
  c: C_LIKE, cpp: C_LIKE, 'objective-c': C_LIKE, 'objective-cpp': C_LIKE, java: C_LIKE, csharp: C_LIKE,
  jsonc: C_LIKE, json: C_LIKE, groovy: C_LIKE, cuda: C_LIKE, 'cuda-cpp': C_LIKE, hlsl: C_LIKE, glsl: C_LIKE, solidity: C_LIKE, proto: C_LIKE, proto3: C_LIKE,
  typescript: { ...C_LIKE, multilineQuotes: ['`'] },
  typescriptreact: { ...C_LIKE, blocks: [C_BLOCK, HTML_BLOCK], multilineQuotes: ['`'] },
  javascript: { ...C_LIKE, multilineQuotes: ['`'] },
  javascriptreact: { ...C_LIKE, blocks: [C_BLOCK, HTML_BLOCK], multilineQuotes: ['`'] },
  go: { line: ['//'], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: ['`'] },
  // Rust: `'a` is a lifetime, not a string.
  rust: { line: ['//'], blocks: [C_BLOCK_NESTED], quotes: ['"'], multilineQuotes: [] },
  kotlin: { ...C_LIKE, blocks: [C_BLOCK_NESTED] },
  swift: { ...C_LIKE, blocks: [C_BLOCK_NESTED] },
  scala: { ...C_LIKE, blocks: [C_BLOCK_NESTED] },
  dart: { ...C_LIKE, blocks: [C_BLOCK_NESTED] },
  php: { line: ['//', '#'], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: [], notComment: /^#\[/ },
  css: { line: [], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: [] },
  scss: C_LIKE, less: C_LIKE,
  python: { ...HASH, tripleQuotes: true },
  shellscript: { ...HASH, markerAfterSpace: true },
  ruby: { ...HASH, blocks: [fixed('=begin', '=end', { ownLine: true })] },
  yaml: HASH, toml: HASH, r: HASH, elixir: HASH, makefile: HASH, dockerfile: HASH, cmake: HASH, graphql: HASH,
  properties: { ...HASH, line: ['#', '!'] }, dotenv: HASH, nix: { ...HASH, blocks: [C_BLOCK] }, coffeescript: HASH,
  perl: { ...HASH, blocks: [fixed('=pod', '=cut', { ownLine: true }), fixed('=head1', '=cut', { ownLine: true })] },
  powershell: { ...HASH, blocks: [fixed('<#', '#>')] },
  julia: { ...HASH, blocks: [fixed('#=', '=#', { nested: true })] },
  terraform: { line: ['#', '//'], blocks: [C_BLOCK], quotes: ['"'], multilineQuotes: [] },
  sql: { line: ['--'], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: [] },
  lua: {
    line: ['--'],
    blocks: [{ open: /--\[(=*)\[/y, close: (m) => `]${m[1]}]` }],
    quotes: ['"', "'"],
    multilineQuotes: [],
  },
  haskell: { line: ['--'], blocks: [fixed('{-', '-}', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  elm: { line: ['--'], blocks: [fixed('{-', '-}', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  purescript: { line: ['--'], blocks: [fixed('{-', '-}', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  ada: { line: ['--'], blocks: [], quotes: ['"'], multilineQuotes: [] },
  lisp: { line: [';'], blocks: [fixed('#|', '|#', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  commonlisp: { line: [';'], blocks: [fixed('#|', '|#', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  scheme: { line: [';'], blocks: [fixed('#|', '|#', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  racket: { line: [';'], blocks: [fixed('#|', '|#', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  clojure: { line: [';'], blocks: [], quotes: ['"'], multilineQuotes: [] },
  elisp: { line: [';'], blocks: [], quotes: ['"'], multilineQuotes: [] },
  ini: { line: [';', '#'], blocks: [], quotes: [], multilineQuotes: [] },
  asm: { line: [';'], blocks: [], quotes: ['"', "'"], multilineQuotes: [] },
  nasm: { line: [';'], blocks: [], quotes: ['"', "'"], multilineQuotes: [] },
  masm: { line: [';'], blocks: [], quotes: ['"', "'"], multilineQuotes: [] },
  latex: { line: ['%'], blocks: [], quotes: [], multilineQuotes: [] },
  tex: { line: ['%'], blocks: [], quotes: [], multilineQuotes: [] },
  bibtex: { line: ['%'], blocks: [], quotes: [], multilineQuotes: [] },
  matlab: { line: ['%'], blocks: [fixed('%{', '%}', { ownLine: true })], quotes: ['"'], multilineQuotes: [] },
  octave: { line: ['%', '#'], blocks: [fixed('%{', '%}', { ownLine: true })], quotes: ['"'], multilineQuotes: [] },
  erlang: { line: ['%'], blocks: [], quotes: ['"'], multilineQuotes: [] },
  prolog: { line: ['%'], blocks: [C_BLOCK], quotes: ['"'], multilineQuotes: [] },
  vb: { line: ["'"], blocks: [], quotes: ['"'], multilineQuotes: [] },
  vba: { line: ["'"], blocks: [], quotes: ['"'], multilineQuotes: [] },
  html: { line: [], blocks: [HTML_BLOCK], quotes: [], multilineQuotes: [] },
  xml: { line: [], blocks: [HTML_BLOCK], quotes: [], multilineQuotes: [] },
  xsl: { line: [], blocks: [HTML_BLOCK], quotes: [], multilineQuotes: [] },
  svg: { line: [], blocks: [HTML_BLOCK], quotes: [], multilineQuotes: [] },
  markdown: { line: [], blocks: [HTML_BLOCK], quotes: [], multilineQuotes: [] },
  vue: { line: ['//'], blocks: [HTML_BLOCK, C_BLOCK], quotes: ['"', "'"], multilineQuotes: ['`'] },
  svelte: { line: ['//'], blocks: [HTML_BLOCK, C_BLOCK], quotes: ['"', "'"], multilineQuotes: ['`'] },
  astro: { line: ['//'], blocks: [HTML_BLOCK, C_BLOCK], quotes: ['"', "'"], multilineQuotes: ['`'] },
  ocaml: { line: [], blocks: [fixed('(*', '*)', { nested: true })], quotes: ['"'], multilineQuotes: [] },
  fsharp: { line: ['//'], blocks: [fixed('(*', '*)', { nested: true })], quotes: ['"'], multilineQuotes: [] },
};

/** Used for a language we do not know: the most common markers. */
const FALLBACK: CommentSyntax = { line: ['//', '#'], blocks: [C_BLOCK], quotes: ['"', "'"], multilineQuotes: [], notComment: /^#!/ };

/** The comment syntax of `languageId` (a generic `//`, `#`, `/* *\/` one when unknown). */
export function commentSyntax(languageId: string): CommentSyntax {
  return own(SYNTAX, languageId.toLowerCase()) ?? FALLBACK;
}
