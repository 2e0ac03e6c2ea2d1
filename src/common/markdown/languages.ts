/**
 * From a Markdown code fence's info string (```py, ```c++, ```ts title="x", ```js:src/a.js) to a
 * VS Code language id, for "Insert", "Apply" and "New File" on a code block. Pure.
 */

const LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript', typescript: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript', javascript: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  jsx: 'javascriptreact',
  json: 'json', jsonc: 'jsonc', json5: 'jsonc',
  py: 'python', python: 'python', python3: 'python', py3: 'python',
  java: 'java',
  go: 'go', golang: 'go',
  rs: 'rust', rust: 'rust',
  c: 'c', h: 'c',
  cpp: 'cpp', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  cs: 'csharp', csharp: 'csharp', 'c#': 'csharp',
  sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript', shellscript: 'shellscript', console: 'shellscript',
  ps1: 'powershell', powershell: 'powershell', pwsh: 'powershell',
  bat: 'bat', cmd: 'bat',
  css: 'css', scss: 'scss', less: 'less',
  html: 'html', htm: 'html', xhtml: 'html',
  xml: 'xml', svg: 'xml', xsl: 'xml',
  md: 'markdown', markdown: 'markdown',
  sql: 'sql', mysql: 'sql', postgresql: 'sql', postgres: 'sql', sqlite: 'sql',
  yaml: 'yaml', yml: 'yaml',
  diff: 'diff', patch: 'diff',
  kt: 'kotlin', kts: 'kotlin', kotlin: 'kotlin',
  php: 'php',
  rb: 'ruby', ruby: 'ruby',
  swift: 'swift',
  dockerfile: 'dockerfile', docker: 'dockerfile',
  makefile: 'makefile', make: 'makefile', mk: 'makefile',
  ini: 'ini', toml: 'toml',
  lua: 'lua', pl: 'perl', perl: 'perl', r: 'r', dart: 'dart', scala: 'scala',
  objc: 'objective-c', objectivec: 'objective-c', 'objective-c': 'objective-c',
  vue: 'vue', svelte: 'svelte',
  txt: 'plaintext', text: 'plaintext', plaintext: 'plaintext', plain: 'plaintext',
};

/** The language token of an info string: its first word, up to a `:`, `{` or `,`. */
export function fenceLanguage(info: string): string {
  const word = info.trim().split(/\s/, 1)[0] ?? '';
  return word.replace(/^\{\.?/, '').split(/[:{},]/, 1)[0].toLowerCase();
}

/** The VS Code language id for a fence's info string; `plaintext` when there is none. */
export function languageIdForFence(info: string): string {
  const lang = fenceLanguage(info);
  if (!lang) return 'plaintext';
  return own(LANGUAGE_IDS, lang) ?? lang;
}

/**
 * `table[key]` if the table has that key itself: a model's fence named `constructor`, `__proto__`
 * or `toString` must not find `Object.prototype`'s members (it made highlighting throw).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
