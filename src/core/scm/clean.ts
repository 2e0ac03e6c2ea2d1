/**
 * From the model's answer to the text of the commit message input: without what it wraps the
 * message in (leftover `<answer>` / `</answer>` tags and a `/no_think` echo, a code fence, a
 * lead-in like "Here is the commit message:", a "Commit message:" / "提交信息：" label, quotes
 * around a one-line message, bold markers on the subject), with trailing blanks gone, at most one
 * blank line in a row, and a blank line between the subject and the body. The same function cleans
 * a partial answer while it streams: an unclosed fence or a label still being written are taken
 * off as they would be once complete. Pure: no `vscode`, no DOM.
 */

const LABEL = /^\s*(?:\*\*|__)?(?:suggested\s+|proposed\s+|generated\s+)?(?:git\s+)?commit(?:\s+message)?(?:\s*\(.*?\))?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?/i;
const LABEL_ZH = /^\s*(?:\*\*|__)?(?:建议的|生成的)?(?:git\s*)?(?:提交信息|提交说明|提交消息|提交日志|commit\s*信息)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?/i;
const LEAD_IN = /^\s*(?:(?:here(?:'s| is)|below is|sure[,!.]?\s*(?:here(?:'s| is))?)\b.*|以下是.*|这是.*(?:提交信息|提交说明).*|好的[，,].*)[:：]\s*$/i;
const FENCE = /^\s*(`{3,}|~{3,})[^`]*$/;

/** What a partial label could still become: a line that is only a prefix of "Commit message:". */
function partialLabel(line: string): boolean {
  const t = line.trim().toLowerCase().replace(/^\*\*|^__/, '');
  if (!t) return false;
  return ['commit message:', 'commit:', '提交信息：', '提交信息:', '提交说明：'].some((l) => l.startsWith(t) && t.length < l.length);
}

export function cleanCommitMessage(answer: string, options: { partial?: boolean } = {}): string {
  let text = answer.replace(/\r\n?/g, '\n');
  // leftover tags and a fast-mode echo
  text = text.replace(/^\s*<answer>\s*/i, '').replace(/\s*<\/answer>\s*$/i, '');
  text = text.replace(/^\s*\/no_think[ \t]*\n?/, '');
  if (options.partial) {
    const tail = /<\/?[a-z]*$/i.exec(text); // a closing tag still arriving
    if (tail && '</answer>'.startsWith(tail[0].toLowerCase())) text = text.slice(0, tail.index);
  }
  let lines = text.split('\n');

  // a lead-in line ("Here is the commit message:") before the message
  const firstIndex = lines.findIndex((l) => l.trim());
  if (firstIndex >= 0 && LEAD_IN.test(lines[firstIndex]) && lines.length > firstIndex + 1) lines = lines.slice(firstIndex + 1);
  else if (firstIndex >= 0 && options.partial && LEAD_IN.test(lines[firstIndex])) return '';

  // the first fenced block is the message; prose around it goes
  const open = lines.findIndex((l) => FENCE.test(l));
  const firstText = lines.findIndex((l) => l.trim());
  if (open >= 0 && (open === firstText || lines.slice(0, open).every((l) => !l.trim() || LEAD_IN.test(l) || LABEL.test(l) || LABEL_ZH.test(l)))) {
    const marker = (FENCE.exec(lines[open]) as RegExpExecArray)[1];
    let close = lines.findIndex((l, i) => i > open && l.trim().startsWith(marker[0].repeat(marker.length)) && /^\s*(`{3,}|~{3,})\s*$/.test(l));
    if (close < 0) close = lines.length;
    lines = lines.slice(open + 1, close);
  } else if (options.partial && firstText >= 0 && /^\s*(`{1,2}|~{1,2})\s*$/.test(lines[firstText]) && lines.length === firstText + 1) {
    return ''; // a fence still being written
  }

  // a label on the first line, alone or before the subject
  let first = lines.findIndex((l) => l.trim());
  if (first >= 0) {
    const label = LABEL.exec(lines[first]) ?? LABEL_ZH.exec(lines[first]);
    if (label) {
      const rest = lines[first].slice(label[0].length);
      if (rest.trim()) lines[first] = rest;
      else lines.splice(first, 1);
    } else if (options.partial && lines.length === first + 1 && partialLabel(lines[first])) {
      return '';
    }
  }

  lines = lines.map((l) => l.replace(/\s+$/, ''));
  first = lines.findIndex((l) => l.trim());
  if (first < 0) return '';
  lines = lines.slice(first);
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();

  // the subject: no bold markers, no quotes around a one-line message
  let subject = lines[0].trim().replace(/^(\*\*|__)(.+)\1$/, '$2');
  if (lines.length === 1) {
    const quoted = /^(["'“‘「『`])(.*)(["'”’」』`])$/.exec(subject);
    if (quoted && quoted[2].trim() && !quoted[2].includes(quoted[1])) subject = quoted[2].trim();
    else if (options.partial && /^["“「]/.test(subject)) subject = subject.slice(1);
  }
  lines[0] = subject;

  // a blank line after the subject; no runs of blank lines
  if (lines.length > 1 && lines[1].trim()) lines.splice(1, 0, '');
  const out: string[] = [];
  for (const l of lines) {
    if (!l.trim() && out.length && !out[out.length - 1].trim()) continue;
    out.push(l);
  }
  return out.join('\n');
}
