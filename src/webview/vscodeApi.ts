/** The API VS Code gives a webview (acquired once, in main.ts). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** What the webview keeps across reloads: cosmetic things only, never content or secrets. */
export interface WebviewState {
  conversationId?: string;
  scrollTop?: number;
  following?: boolean;
}

export function readState(api: VsCodeApi): WebviewState {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as WebviewState) : {};
}
