/**
 * A terminal command's output as the model reads it. Pure: no `vscode`, no DOM.
 */

/** Terminal output as text: escape sequences out, `\r\n` as `\n`, a line rewritten with `\r` as its last state. */
export function cleanTerminalOutput(raw: string): string {
  /* eslint-disable no-control-regex -- escape sequences are what is taken out */
  const noEscapes = raw
    // OSC … BEL/ST (shell integration's own marks, titles)
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    // CSI sequences (colours, cursor moves)
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    // other two-character escapes
    .replace(/\x1b[@-Z\\-_]/g, '');
  /* eslint-enable no-control-regex */
  return noEscapes
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const i = line.lastIndexOf('\r', line.length - 2);
      return (i >= 0 ? line.slice(i + 1) : line).replace(/\r$/, '');
    })
    .join('\n');
}
