/** Shared behaviour of the chat's text areas: growing with their text, and IME-safe Enter. */

/** Grows a textarea to fit its text, up to its CSS max-height (then it scrolls). */
export function autoGrow(textarea: HTMLTextAreaElement): void {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + (textarea.offsetHeight - textarea.clientHeight)}px`;
}

/**
 * The key press is an IME composition step (Chinese, Japanese, Korean input methods): Enter then
 * confirms the candidate and must not send. keyCode 229 covers browsers that end the composition
 * before delivering the keydown.
 */
export function isComposing(e: KeyboardEvent): boolean {
  return e.isComposing || e.keyCode === 229;
}

/** Enter without Shift (Shift+Enter inserts a new line), outside an IME composition. */
export function isSubmitKey(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.altKey && !isComposing(e);
}
