/**
 * The project's own instructions (`AGENTS.md`, `.hunyuan/rules.md`,
 * `.github/copilot-instructions.md` of each workspace folder) as the chat sends them: one text,
 * each file under a header naming it, cut to a cap at line boundaries with a note of what was left
 * out, and the wording that puts that text into the system prompt. Pure: the files are found and
 * read by src/extension/rules/projectRules.ts.
 */

/** The files looked for in each workspace folder, in the order they are sent. */
export const RULES_FILES: readonly string[] = ['AGENTS.md', '.hunyuan/rules.md', '.github/copilot-instructions.md'];

/** What all the rules together may take, in characters (headers and the note included). */
export const RULES_MAX_CHARS = 12000;

export interface RulesFile {
  /** The workspace folder's name. */
  folder: string;
  /** The path inside the folder, with `/`: `AGENTS.md`, `.github/copilot-instructions.md`. */
  path: string;
  /** The file's text as read (any line breaks; a BOM is removed). */
  text: string;
}

/** What of a file was left out to fit the cap. */
export interface RulesCut {
  /** `folder/path`, as in the headers. */
  name: string;
  /** Characters of the file's (normalized, trimmed) text left out. */
  characters: number;
  /** True when none of the file was kept. */
  whole: boolean;
}

export interface AssembledRules {
  /** The rules as sent: each file's header, then its lines; blank line between files. */
  text: string;
  /** `folder/path` of the files whose text is (at least partly) in `text`, in order. */
  files: string[];
  /** What was cut, in words ("3,400 characters of lib/.github/copilot-instructions.md"); undefined when nothing was. */
  omitted: string | undefined;
  /** The same, file by file (empty when nothing was cut). */
  cuts: RulesCut[];
}

/** `folder/path`, the name a rules file goes by in headers, notes and the chip. */
export function rulesFileName(file: Pick<RulesFile, 'folder' | 'path'>): string {
  return `${file.folder}/${file.path}`;
}

export function rulesHeader(name: string): string {
  return `Rules from ${name}:`;
}

/** 12345 → "12,345" (the same in every locale: this text goes to the model). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The English description of `cuts` (see AssembledRules.omitted). */
export function describeCuts(cuts: readonly RulesCut[]): string {
  return cuts.map((c) => `${groupDigits(c.characters)} characters of ${c.name}`).join(', ');
}

function note(cuts: readonly RulesCut[]): string {
  return `[Cut to fit: ${describeCuts(cuts)} left out.]`;
}

/** LF line breaks, no blank lines before or after the text, no BOM. */
export function normalizeRulesText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '');
}

/**
 * Puts the files (in the order given; empty ones skipped) into one text of at most `maxChars`
 * characters: for each file a header line (`Rules from workspace/AGENTS.md:`), then its lines,
 * files separated by a blank line. When everything does not fit, the text keeps the first whole
 * lines that do (a file's header only with at least one of its lines), ends with a line saying
 * what was left out (when that fits too), and `omitted` says it as well.
 */
export function assembleRules(files: readonly RulesFile[], maxChars = RULES_MAX_CHARS): AssembledRules {
  const items = files
    .map((f) => ({ name: rulesFileName(f), body: normalizeRulesText(f.text) }))
    .filter((f) => f.body.trim() !== '');
  const blocks = items.map((f) => `${rulesHeader(f.name)}\n${f.body}`);
  const whole = blocks.join('\n\n');
  if (whole.length <= maxChars) return { text: whole, files: items.map((f) => f.name), omitted: undefined, cuts: [] };

  // Room for the note at its longest (every file named, every character counted), so that the
  // kept lines plus the real note never pass the cap. When even that does not fit, no note.
  const longestNote = note(items.map((f) => ({ name: f.name, characters: f.body.length, whole: true })));
  const noteFits = longestNote.length + 2 <= maxChars; // "\n\n" before it
  const room = noteFits ? maxChars - longestNote.length - 2 : maxChars;

  const out: string[] = [];
  let used = 0;
  const kept: string[] = [];
  const cuts: RulesCut[] = [];
  let full = false;
  for (const item of items) {
    const lines = item.body.split('\n');
    let taken = 0;
    if (!full) {
      const header = rulesHeader(item.name);
      const sep = out.length ? 2 : 0;
      // the header and the first line together, or nothing of this file
      let size = used + sep + header.length + 1 + lines[0].length;
      if (size <= room) {
        out.push(`${out.length ? '\n\n' : ''}${header}\n${lines[0]}`);
        used = size;
        taken = 1;
        while (taken < lines.length && (size = used + 1 + lines[taken].length) <= room) {
          out.push(`\n${lines[taken]}`);
          used = size;
          taken++;
        }
        kept.push(item.name);
      }
      if (taken < lines.length) full = true;
    }
    if (taken < lines.length) {
      const left = lines.slice(taken).join('\n').length + (taken > 0 ? 1 : 0);
      cuts.push({ name: item.name, characters: left, whole: taken === 0 });
    }
  }
  let text = out.join('');
  if (noteFits) text += `${text ? '\n\n' : ''}${note(cuts)}`;
  return { text, files: kept, omitted: describeCuts(cuts), cuts };
}

/** The system prompt's section carrying the rules (`text` as assembleRules made it). */
export function rulesSystemSection(text: string): string {
  return `The project's own instructions follow; follow them unless the user asks otherwise:\n\n${text}`;
}
