/** The toolbar of an answer's code block: Copy, Insert at Cursor, Apply, New File. */
import type { CodeAction } from '../../common/chat/protocol.js';
import { codeFingerprint } from '../../common/chat/fingerprint.js';
import { RunCodeAction } from '../../common/chat/protocol.js';
import type { ViewContext } from '../context.js';
import type { CodeBlockInfo } from '../render/markdown.js';
import { button, h, setDisabled } from './dom.js';
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
            const shown = b.isConnected ? b : currentButton(bar, a.testId);
            if (shown) flashCopied(shown, ctx.t('copied'), label);
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

/** The button `testId` of the toolbar drawn now for the same code block as `bar` (drawn again since). */
function currentButton(bar: HTMLElement, testId: string): HTMLButtonElement | undefined {
  const turnId = bar.closest('[data-turn-id]')?.getAttribute('data-turn-id');
  const block = bar.closest('[data-block-index]')?.getAttribute('data-block-index');
  if (!turnId || block == null) return undefined;
  const turn = [...document.querySelectorAll('[data-turn-id]')].find((t) => t.getAttribute('data-turn-id') === turnId);
  const scope = [...(turn?.querySelectorAll('[data-block-index]') ?? [])].find((e) => e.getAttribute('data-block-index') === block);
  const found = [...(scope?.querySelectorAll('[data-testid]') ?? [])].find((e) => e.getAttribute('data-testid') === testId);
  return found instanceof HTMLButtonElement ? found : undefined;
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
