/**
 * Syntax highlighting with highlight.js's core and a fixed set of common languages (the full
 * build would triple the bundle). Output is sanitized like everything else before it reaches the
 * DOM; it is only `<span class="hljs-…">` around escaped text.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { fenceLanguage, languageIdForFence, own } from '../../common/markdown/languages.js';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, makefile, markdown, php, plaintext,
  powershell, python, ruby, rust, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// Names models use that highlight.js does not know as aliases.
hljs.registerAliases(['html', 'htm', 'svg', 'vue'], { languageName: 'xml' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['toml'], { languageName: 'ini' });
hljs.registerAliases(['text', 'txt', 'plain'], { languageName: 'plaintext' });

/** The highlight.js language for a fence's info string, if it is one we bundle. */
export function highlightLanguage(info: string): string | undefined {
  const lang = fenceLanguage(info);
  if (!lang) return undefined;
  if (hljs.getLanguage(lang)) return lang;
  const id = languageIdForFence(info);
  const byId: Record<string, string> = { typescriptreact: 'typescript', javascriptreact: 'javascript', shellscript: 'bash', html: 'xml' };
  const name = own(byId, id) ?? id;
  return hljs.getLanguage(name) ? name : undefined;
}

export const highlightStats = { calls: 0, chars: 0 };

/** highlight.js HTML for `code` (escaped text in spans), or undefined when not highlighted. */
export function highlightToHtml(code: string, language: string): string | undefined {
  highlightStats.calls++;
  highlightStats.chars += code.length;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}
