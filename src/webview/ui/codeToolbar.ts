/** The toolbar of an answer's code block: Copy, Insert at Cursor, Apply, New File. */
import type { CodeAction } from '../../common/chat/protocol.js';
import { codeFingerprint } from '../../common/chat/fingerprint.js';
import { RunCodeAction } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import type { CodeBlockInfo } from '../render/markdown.js';
import { button, findControl, h, setDisabled } from './dom.js';
import { icon, type IconName } from './icons.js';

const ACTIONS: { action: CodeAction; icon: IconName; label: 'copy' | 'insert' | 'apply' | 'newFile'; testId: string }[] = [
  { action: 'copy', icon: 'copy', label: 'copy', testId: 'code-copy' },
  { action: 'insert', icon: 'insert', label: 'insert', testId: 'code-insert' },
  { action: 'apply', icon: 'apply', label: 'apply', testId: 'code-apply' },
  { action: 'newFile', icon: 'newFile', label: 'newFile', testId: 'code-new-file' },
];

/** A toolbar factory for the code blocks of assistant turn `turnId`. */
export function codeToolbarFor(ctx: ViewContext, turnId: string): (info: CodeBlockInfo & { streaming?: boolean }) => HTMLElement {
  return (info) => {
    const bar = h('div', { class: 'code-toolbar', role: 'toolbar', 'aria-label': ctx.t('codeActions') });
    for (const a of ACTIONS) {
      const label = ctx.t(a.label);
      const b = button({
        label,
        icon: a.icon,
        testId: a.testId,
        onClick: () => {
          // the extension takes the code from the answer it stored; the fingerprint says what was
          // shown. Copy shows ✓ once the code is on the clipboard, not when it was refused.
          const done = ctx.messenger.sendRequest(RunCodeAction, { action: a.action, turnId, blockIndex: info.index, shown: codeFingerprint(info.code()) });
          // (a refused or failed action is reported by the extension)
          void done.then((ok) => {
            if (!ok || a.action !== 'copy') return;
            // the block may have been drawn again meanwhile (it finished streaming): its Copy now
            const shown = b.isConnected ? b : findControl(document, { turnId, block: String(info.index), testId: a.testId });
            if (shown instanceof HTMLButtonElement) flashCopied(shown, ctx.t('copied'), label);
          }, () => undefined);
        },
      });
      // While the block is still being written only Copy makes sense.
      if (info.streaming && a.action !== 'copy') setDisabled(b, true);
      bar.append(b);
    }
    return bar;
  };
}

function flashCopied(b: HTMLButtonElement, copied: string, label: string): void {
  b.classList.add('done');
  b.setAttribute('title', copied);
  b.setAttribute('aria-label', copied);
  b.replaceChildren(icon('check'));
  setTimeout(() => {
    b.classList.remove('done');
    b.setAttribute('title', label);
    b.setAttribute('aria-label', label);
    b.replaceChildren(icon('copy'));
  }, 1500);
}
